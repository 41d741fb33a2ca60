//! Recipes from a spreadsheet: one row per ingredient line, grouped by SKU, each product's
//! rows through `recipes::save_recipe` (which replaces its whole recipe).
use super::server::row_error;
use super::ImportRow;
use crate::error::AppError;
use crate::kitchen::api::{LineForm, RecipeForm};
use crate::kitchen::model::Unit;
use crate::sheet::{RowError, SheetRow};
use sqlx::SqliteConnection;

/// The recipe's figure in `column`: the one value its rows give (an empty cell says
/// nothing), or the problem of two different ones.
fn one_value(group: &[&SheetRow], column: &str) -> Result<Option<String>, RowError> {
    let mut found: Option<(String, u64)> = None;
    for r in group {
        let v = r.get(column);
        if v.is_empty() {
            continue;
        }
        match &found {
            Some((first, at)) if first != &v => {
                return Err(RowError::at(
                    r.line,
                    column,
                    crate::said::said_with(
                        "refuse-csv-yield",
                        &[("here", &v), ("there", &first), ("row", &at)],
                    ),
                ))
            }
            Some(_) => {}
            None => found = Some((v, r.line)),
        }
    }
    Ok(found.map(|(v, _)| v))
}

pub(super) async fn recipes(
    conn: &mut SqliteConnection,
    rows: &[SheetRow],
    errors: &mut Vec<RowError>,
) -> Result<Vec<ImportRow>, AppError> {
    let groups = by_product(rows);
    let mut out = Vec::new();
    for (sku, group) in groups {
        let first = group[0].line;
        if sku.is_empty() {
            errors.push(RowError::at(
                first,
                "sku",
                crate::said::said("refuse-csv-sku"),
            ));
            continue;
        }
        let Some(product) = sqlx::query!(
            r#"SELECT p.id AS "id!", p.name, r.batch_yield AS "batch_yield?", r.station AS "station?",
                      r.prep_minutes AS "prep?", r.bake_minutes AS "bake?"
               FROM products p LEFT JOIN recipes r ON r.product_id = p.id WHERE p.sku = ? COLLATE NOCASE"#,
            sku
        )
        .fetch_optional(&mut *conn)
        .await?
        else {
            errors.push(RowError::at(
                first,
                "sku",
                crate::said::said_with("refuse-csv-no-product", &[("sku", &sku)]),
            ));
            continue;
        };
        let kept = [
            product.batch_yield.map(|v| v.to_string()),
            product.station.clone(),
            product.prep.map(|v| v.to_string()),
            product.bake.map(|v| v.to_string()),
        ];
        let figures = match figures_of(&group, kept) {
            Ok(f) => f,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some((lines, shown)) = lines_of(conn, &group, errors).await? else {
            continue;
        };
        let form = RecipeForm {
            batch_yield: figures[0].clone(),
            station: figures[1].clone(),
            prep_minutes: figures[2].clone(),
            bake_minutes: figures[3].clone(),
            lines,
        };
        match crate::kitchen::recipes::save_recipe(conn, product.id, &form).await {
            Ok(name) => out.push(ImportRow {
                line: first,
                name,
                new: product.batch_yield.is_none(),
                detail: format!(
                    "{} · {} · {}",
                    crate::said::said_with("kitchen-import-batch", &[("count", &form.batch_yield)]),
                    form.station.trim(),
                    shown.join(", ")
                ),
            }),
            Err(e) => errors.push(refused(e, &group)?),
        }
    }
    Ok(out)
}

/// Each product's rows (by SKU, any case), in the order the file first names it.
fn by_product(rows: &[SheetRow]) -> Vec<(String, Vec<&SheetRow>)> {
    let mut groups: Vec<(String, Vec<&SheetRow>)> = Vec::new();
    for r in rows {
        let sku = r.get("sku").to_uppercase();
        match groups.iter_mut().find(|(s, _)| *s == sku) {
            Some((_, g)) => g.push(r),
            None => groups.push((sku, vec![r])),
        }
    }
    groups
}

/// A recipe's batch yield, station, prep and bake minutes from its rows (one value each, on
/// any of them); a blank keeps what the recipe has (`kept`), else the default.
fn figures_of(group: &[&SheetRow], kept: [Option<String>; 4]) -> Result<Vec<String>, RowError> {
    let columns = [
        ("batch_yield", ""),
        ("station", "Oven"),
        ("prep_minutes", "0"),
        ("bake_minutes", "0"),
    ];
    columns
        .into_iter()
        .zip(kept)
        .map(|((column, default), kept)| {
            Ok(one_value(group, column)?
                .or(kept)
                .unwrap_or_else(|| default.to_string()))
        })
        .collect()
}

/// The recipe's lines from its rows: each ingredient found, its unit of the same kind, its
/// quantity in the base unit; with how the preview shows them. None when a row was refused
/// (its problem added to `errors`).
async fn lines_of(
    conn: &mut SqliteConnection,
    group: &[&SheetRow],
    errors: &mut Vec<RowError>,
) -> Result<Option<(Vec<LineForm>, Vec<String>)>, AppError> {
    let mut lines = Vec::new();
    let mut shown = Vec::new();
    let mut bad = false;
    for r in group {
        let name = r.get("ingredient");
        let Some(ing) = sqlx::query!(
            r#"SELECT id AS "id!", name, unit FROM ingredients WHERE name = ? COLLATE NOCASE"#,
            name
        )
        .fetch_optional(&mut *conn)
        .await?
        else {
            errors.push(RowError::at(
                r.line,
                "ingredient",
                if name.is_empty() {
                    crate::said::said("refuse-csv-ingredient")
                } else {
                    crate::said::said_with("refuse-csv-no-ingredient", &[("name", &name)])
                },
            ));
            bad = true;
            continue;
        };
        let unit = Unit::parse(&ing.unit).unwrap_or(Unit::G);
        let base = Unit::parse(unit.base()).unwrap_or(Unit::G);
        let typed = r.get("unit");
        let given = if typed.is_empty() {
            base
        } else {
            match Unit::parse(&typed).filter(|u| u.same_kind(unit)) {
                Some(u) => u,
                None => {
                    errors.push(RowError::at(
                        r.line,
                        "unit",
                        crate::said::said_with(
                            "refuse-csv-unit",
                            &[
                                ("name", &ing.name),
                                ("unit", &unit.base()),
                                ("typed", &format!("{typed:?}")),
                            ],
                        ),
                    ));
                    bad = true;
                    continue;
                }
            }
        };
        match given.to_base(&r.get("quantity")) {
            Ok(q) => {
                lines.push(LineForm {
                    ingredient_id: ing.id,
                    quantity: q.to_string(),
                });
                shown.push(format!("{} {}", ing.name, base.show(q)));
            }
            Err(e) => {
                errors.push(RowError::at(
                    r.line,
                    "quantity",
                    crate::said::said_with("refuse-csv-quantity", &[("why", &e)]),
                ));
                bad = true;
            }
        }
    }
    Ok((!bad).then_some((lines, shown)))
}

/// The row a refusal of the recipe's save is about (`lines[i].…`: the group's i-th row; the
/// recipe's own figures: its first), with the spreadsheet's column name.
fn refused(e: AppError, group: &[&SheetRow]) -> Result<RowError, AppError> {
    let first = group[0].line;
    // `lines[i].…` is the group's i-th row; the recipe's own figures its first.
    let at = |field: &str| {
        field
            .strip_prefix("lines[")
            .and_then(|rest| rest.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| group.get(i))
            .map_or(first, |r| r.line)
    };
    let line = e.field().map_or(first, at);
    row_error(line, e, |field| {
        if field.ends_with("ingredient_id") {
            "ingredient".into()
        } else if field.starts_with("lines[") {
            "quantity".into()
        } else {
            field.to_string()
        }
    })
}
