//! Recipes: what a batch of each product takes and makes, and where it is baked. The owner
//! edits them on the Recipes page; the production plan and the cost of goods read them.
use std::collections::HashMap;

use sqlx::SqliteConnection;

use crate::error::AppError;
use crate::server::config::Config;

/// A recipe as the plan uses it.
pub struct Recipe {
    pub batch_yield: i64,
    pub prep: i64,
    pub bake: i64,
    pub station: String,
    /// (ingredient, base units per batch).
    pub lines: Vec<(i64, i64)>,
}

/// Every recipe by product.
pub async fn recipes(conn: &mut SqliteConnection) -> Result<HashMap<i64, Recipe>, AppError> {
    let heads = sqlx::query!(
        "SELECT product_id, batch_yield, prep_minutes, bake_minutes, station FROM recipes"
    )
    .fetch_all(&mut *conn)
    .await?;
    let lines = sqlx::query!("SELECT product_id, ingredient_id, quantity FROM recipe_lines")
        .fetch_all(&mut *conn)
        .await?;
    let mut out: HashMap<i64, Recipe> = heads
        .into_iter()
        .map(|h| {
            (
                h.product_id,
                Recipe {
                    batch_yield: h.batch_yield,
                    prep: h.prep_minutes,
                    bake: h.bake_minutes,
                    station: h.station,
                    lines: Vec::new(),
                },
            )
        })
        .collect();
    for l in lines {
        if let Some(r) = out.get_mut(&l.product_id) {
            r.lines.push((l.ingredient_id, l.quantity));
        }
    }
    Ok(out)
}

/// Every product (archived ones last) with its recipe, and the ingredients.
pub async fn recipes_data(
    conn: &mut SqliteConnection,
    config: &Config,
) -> Result<super::RecipesData, AppError> {
    let products = sqlx::query!(
        r#"SELECT id AS "id!", name, price_cents FROM products ORDER BY active DESC, sort_order, name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut all = recipes(conn).await?;
    let currency = config.currency();
    Ok(super::RecipesData {
        recipes: products
            .into_iter()
            .map(|p| {
                let r = all.remove(&p.id);
                super::RecipeRow {
                    product_id: p.id,
                    name: p.name,
                    price_cents: p.price_cents,
                    has_recipe: r.is_some(),
                    batch_yield: r.as_ref().map_or(1, |r| r.batch_yield),
                    prep_minutes: r.as_ref().map_or(0, |r| r.prep),
                    bake_minutes: r.as_ref().map_or(0, |r| r.bake),
                    station: r.as_ref().map_or("Oven".into(), |r| r.station.clone()),
                    lines: r.map_or_else(Vec::new, |r| {
                        r.lines
                            .into_iter()
                            .map(|(ingredient_id, quantity)| super::RecipeLine {
                                ingredient_id,
                                quantity,
                            })
                            .collect()
                    }),
                }
            })
            .collect(),
        ingredients: super::stock_read::ingredients(conn, &currency, config.today()).await?,
        stations: stations(conn).await?,
        check_pantry: super::purchase_read::check_pantry(conn).await?,
        currency,
    })
}

/// A recipe's whole number (`field`, named by the message `label`), empty meaning 0 where 0
/// is allowed.
fn whole(
    raw: &str,
    (field, label): (&str, &str),
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, AppError> {
    let t = raw.trim();
    let t = if t.is_empty() && *range.start() == 0 {
        "0"
    } else {
        t
    };
    t.parse::<i64>()
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            let label = crate::said::said(label);
            AppError::invalid(
                field,
                crate::said::said_with(
                    "refuse-whole-between",
                    &[
                        ("label", &label),
                        ("min", range.start()),
                        ("max", range.end()),
                    ],
                ),
            )
        })
}

/// The recipe's lines as (ingredient, base units per batch): each an ingredient that exists,
/// once, in a whole quantity; the first bad one named (`lines[2].quantity`).
async fn checked_lines(
    conn: &mut SqliteConnection,
    form: &[super::api::LineForm],
) -> Result<Vec<(i64, i64)>, AppError> {
    let mut lines: Vec<(i64, i64)> = Vec::new();
    for (i, l) in form.iter().enumerate() {
        let field = format!("lines[{i}].quantity");
        let (ing, unit) = super::stock_read::ingredient(conn, l.ingredient_id)
            .await
            .map_err(|_| {
                AppError::invalid(
                    &format!("lines[{i}].ingredient_id"),
                    crate::said::said_with("refuse-line-ingredient", &[("line", &(i + 1))]),
                )
            })?;
        if lines.iter().any(|(id, _)| *id == l.ingredient_id) {
            return Err(AppError::invalid(
                &format!("lines[{i}].ingredient_id"),
                crate::said::said_with(
                    "refuse-line-twice",
                    &[("line", &(i + 1)), ("ingredient", &ing)],
                ),
            ));
        }
        let q = l
            .quantity
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|q| (1..=100_000_000).contains(q))
            .ok_or_else(|| {
                AppError::invalid(
                    &field,
                    crate::said::said_with(
                        "refuse-line-quantity",
                        &[
                            ("line", &(i + 1)),
                            ("ingredient", &ing),
                            ("unit", &unit.base()),
                        ],
                    ),
                )
            })?;
        lines.push((l.ingredient_id, q));
    }
    Ok(lines)
}

/// Replaces product `product_id`'s recipe with `form`; returns the product's name. The first
/// bad field is named (`lines[2].quantity`).
pub async fn save_recipe(
    conn: &mut SqliteConnection,
    product_id: i64,
    form: &super::api::RecipeForm,
) -> Result<String, AppError> {
    let name = sqlx::query_scalar!("SELECT name FROM products WHERE id = ?", product_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::invalid("product_id", crate::said::said("refuse-no-product")))?;
    let batch_yield = whole(
        &form.batch_yield,
        ("batch_yield", "refuse-label-batch-yield"),
        1..=10_000,
    )?;
    let prep = whole(
        &form.prep_minutes,
        ("prep_minutes", "refuse-label-prep-minutes"),
        0..=1440,
    )?;
    let bake = whole(
        &form.bake_minutes,
        ("bake_minutes", "refuse-label-bake-minutes"),
        0..=1440,
    )?;
    let station = form.station.trim();
    if station.is_empty() || station.chars().count() > 40 {
        return Err(AppError::invalid(
            "station",
            crate::said::said("refuse-station-name"),
        ));
    }
    let lines = checked_lines(conn, &form.lines).await?;
    sqlx::query!(
        "INSERT INTO recipes (product_id, batch_yield, prep_minutes, bake_minutes, station) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (product_id) DO UPDATE SET batch_yield = excluded.batch_yield, prep_minutes = excluded.prep_minutes,
             bake_minutes = excluded.bake_minutes, station = excluded.station",
        product_id, batch_yield, prep, bake, station
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM recipe_lines WHERE product_id = ?", product_id)
        .execute(&mut *conn)
        .await?;
    for (ing, q) in lines {
        sqlx::query!(
            "INSERT INTO recipe_lines (product_id, ingredient_id, quantity) VALUES (?, ?, ?)",
            product_id,
            ing,
            q
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(name)
}

/// Removes every recipe (the demo's reset).
pub async fn clear(conn: &mut SqliteConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM recipe_lines")
        .execute(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM recipes")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Every station a recipe names, with its batches per bake day (None: no limit).
pub async fn stations(conn: &mut SqliteConnection) -> Result<Vec<(String, Option<i64>)>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT DISTINCT r.station AS "station!: String", s.batches_per_day
           FROM recipes r LEFT JOIN stations s ON s.name = r.station ORDER BY r.station"#
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.station, r.batches_per_day))
    .collect())
}

/// Sets how many batches `station` bakes in a day (`typed` empty: no limit). Refused, naming
/// `batches`, unless a whole number from 0 to 10,000.
pub async fn set_station(
    conn: &mut SqliteConnection,
    station: &str,
    typed: &str,
) -> Result<Option<i64>, AppError> {
    let station = station.trim();
    if station.is_empty() || station.chars().count() > 40 {
        return Err(AppError::invalid(
            "station",
            crate::said::said("refuse-station-short"),
        ));
    }
    let batches = match typed.trim() {
        "" => None,
        t => Some(
            t.parse::<i64>()
                .ok()
                .filter(|n| (0..=10_000).contains(n))
                .ok_or_else(|| {
                    AppError::invalid(
                        "batches",
                        crate::said::said_with("refuse-batches-a-day", &[("station", &station)]),
                    )
                })?,
        ),
    };
    sqlx::query!(
        "INSERT INTO stations (name, batches_per_day) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET batches_per_day = excluded.batches_per_day",
        station,
        batches
    )
    .execute(conn)
    .await?;
    Ok(batches)
}

/// Cost of goods of one of each product that has a recipe, in cents (unrounded).
pub async fn unit_costs(conn: &mut SqliteConnection) -> Result<HashMap<i64, f64>, AppError> {
    let all = recipes(&mut *conn).await?;
    let ingredients: HashMap<i64, (super::Unit, f64)> =
        sqlx::query!(r#"SELECT id AS "id!", unit, cost_cents FROM ingredients"#)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.id, (super::Unit::parse(&r.unit)?, r.cost_cents))))
            .collect();
    Ok(all
        .into_iter()
        .map(|(product, r)| {
            let lines: Vec<super::model::CostLine> = r
                .lines
                .iter()
                .filter_map(|(ingredient, quantity)| {
                    let (unit, cost_cents) = *ingredients.get(ingredient)?;
                    Some(super::model::CostLine {
                        quantity: *quantity,
                        unit,
                        cost_cents,
                    })
                })
                .collect();
            (product, super::model::unit_cost(&lines, r.batch_yield))
        })
        .collect())
}
