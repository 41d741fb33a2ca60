//! The kitchen's set-up as spreadsheets: ingredients (the Stock page's balances file reads
//! back in) and recipes (one row per recipe line). An import is checked row by row through the
//! same writers as the pages (`stock::save_ingredient`, `recipes::save_recipe`) inside one
//! transaction: the preview runs it and rolls back; the import commits only when no row has a
//! problem. So the preview says exactly what the import will do, and a file with one bad row
//! writes nothing. Rows match what exists by name (ingredients) or SKU (recipes); an empty
//! cell keeps what is there.
use serde::{Deserialize, Serialize};

/// The ingredients' columns: the balances CSV's, of which `in_stock` and `next_best_before`
/// are read-only (stock changes by deliveries and counts, not by import).
pub const INGREDIENT_COLUMNS: [&str; 7] = [
    "ingredient",
    "unit",
    "cost_per_unit",
    "supplier",
    "reorder_level",
    "in_stock",
    "next_best_before",
];

/// The recipes' columns: one row per ingredient of a product's recipe. The recipe's own
/// figures may be on each of its rows or only the first; `unit` is the quantity's (empty: the
/// ingredient's base unit, g, ml or pc); `product` is only for people reading the file.
pub const RECIPE_COLUMNS: [&str; 9] = [
    "sku",
    "ingredient",
    "quantity",
    "unit",
    "batch_yield",
    "station",
    "prep_minutes",
    "bake_minutes",
    "product",
];

/// The spreadsheets by the names the pages and server functions use.
pub const SHEETS: [&str; 2] = ["ingredients", "recipes"];

/// Which spreadsheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KitchenSheet {
    Ingredients,
    Recipes,
}

impl KitchenSheet {
    pub fn parse(what: &str) -> Option<KitchenSheet> {
        match what {
            "ingredients" => Some(KitchenSheet::Ingredients),
            "recipes" => Some(KitchenSheet::Recipes),
            _ => None,
        }
    }
}

/// One ingredient or recipe the file adds or changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    /// The spreadsheet row (a recipe's first).
    pub line: u64,
    /// The ingredient's or product's name.
    pub name: String,
    pub new: bool,
    /// What it will be: "kg · 0.90 · Molino Harinero · reorder at 5" / "24 a batch · Oven ·
    /// Rye flour 500 g, Water 350 ml".
    pub detail: String,
}

/// What a file does: every row, or every problem (then nothing is written).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KitchenImport {
    pub rows: Vec<ImportRow>,
    pub errors: Vec<String>,
}

impl KitchenImport {
    pub fn added(&self) -> usize {
        self.rows.iter().filter(|r| r.new).count()
    }

    pub fn updated(&self) -> usize {
        self.rows.len() - self.added()
    }
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::error::AppError;
    use crate::kitchen::api::{IngredientForm, LineForm, RecipeForm};
    use crate::kitchen::model::Unit;
    use crate::sheet::{RowError, SheetRow};
    use sqlx::SqliteConnection;

    /// Runs `text` through the writers on `conn` (a write transaction the caller commits or
    /// rolls back). Problems come back in the answer, not as an error.
    pub async fn apply(
        conn: &mut SqliteConnection,
        sheet: KitchenSheet,
        text: &str,
    ) -> Result<KitchenImport, AppError> {
        let (columns, required, noun): (&[&str], usize, &str) = match sheet {
            KitchenSheet::Ingredients => (&INGREDIENT_COLUMNS, 2, "ingredients"),
            KitchenSheet::Recipes => (&RECIPE_COLUMNS, 3, "recipe lines"),
        };
        let (rows, mut errors) = match crate::sheet::read(text, columns, required) {
            Ok(read) => read,
            Err(errors) => return Ok(report(vec![], errors)),
        };
        if rows.is_empty() && errors.is_empty() {
            return Ok(report(
                vec![],
                RowError::file(format!("The file has no {noun} below its header line.")),
            ));
        }
        let done = match sheet {
            KitchenSheet::Ingredients => ingredients(conn, &rows, &mut errors).await?,
            KitchenSheet::Recipes => recipes(conn, &rows, &mut errors).await?,
        };
        Ok(report(done, errors))
    }

    fn report(rows: Vec<ImportRow>, mut errors: Vec<RowError>) -> KitchenImport {
        errors.sort_by_key(|e| e.line);
        KitchenImport {
            rows: if errors.is_empty() { rows } else { vec![] },
            errors: errors.iter().map(ToString::to_string).collect(),
        }
    }

    /// A writer's refusal as the row's problem, its field named by the file's column.
    fn row_error(
        line: u64,
        e: AppError,
        column_of: impl Fn(&str) -> String,
    ) -> Result<RowError, AppError> {
        match e {
            AppError::Validation { field, message } => Ok(RowError {
                line,
                column: column_of(&field),
                message,
            }),
            other => Err(other),
        }
    }

    async fn ingredients(
        conn: &mut SqliteConnection,
        rows: &[SheetRow],
        errors: &mut Vec<RowError>,
    ) -> Result<Vec<ImportRow>, AppError> {
        let mut out = Vec::new();
        let mut seen: Vec<(String, u64)> = Vec::new();
        for r in rows {
            let line = r.line;
            let name = r.get("ingredient");
            let key = name.to_lowercase();
            if let Some((_, first)) = seen.iter().find(|(k, _)| !key.is_empty() && *k == key) {
                errors.push(RowError::at(
                    line,
                    "ingredient",
                    format!("{name} is also on row {first}."),
                ));
                continue;
            }
            seen.push((key, line));
            let old = sqlx::query!(
                r#"SELECT id AS "id!", unit, cost_cents, supplier_id, reorder_level FROM ingredients
                   WHERE name = ? COLLATE NOCASE"#,
                name
            )
            .fetch_optional(&mut *conn)
            .await?;
            let old_unit = old.as_ref().and_then(|o| Unit::parse(&o.unit));
            let or = |cell: String, kept: Option<String>, default: &str| {
                if cell.is_empty() {
                    kept.unwrap_or_else(|| default.to_string())
                } else {
                    cell
                }
            };
            let unit = or(r.get("unit"), old_unit.map(|u| u.code().to_string()), "");
            let cost = or(
                r.get("cost_per_unit"),
                old.as_ref().map(|o| format!("{:.2}", o.cost_cents / 100.0)),
                "0",
            );
            let reorder_level = or(
                r.get("reorder_level"),
                old.as_ref().zip(old_unit).map(|(o, u)| {
                    u.show(o.reorder_level)
                        .split(' ')
                        .next()
                        .unwrap_or("0")
                        .to_string()
                }),
                "0",
            );
            let supplier = r.get("supplier");
            let (supplier_id, new_supplier) = if supplier.is_empty() {
                (old.as_ref().and_then(|o| o.supplier_id), false)
            } else if supplier.chars().count() > 80 {
                errors.push(RowError::at(
                    line,
                    "supplier",
                    "Supplier: at most 80 characters.",
                ));
                continue;
            } else {
                match sqlx::query_scalar!(
                    r#"SELECT id AS "id!" FROM suppliers WHERE name = ? COLLATE NOCASE"#,
                    supplier
                )
                .fetch_optional(&mut *conn)
                .await?
                {
                    Some(id) => (Some(id), false),
                    None => (
                        Some(
                            crate::kitchen::stock::add_supplier(conn, &supplier, "", "", 1).await?,
                        ),
                        true,
                    ),
                }
            };
            let form = IngredientForm {
                name: name.clone(),
                unit,
                cost,
                supplier_id,
                reorder_level,
            };
            let id = old.as_ref().map(|o| o.id);
            match crate::kitchen::stock::save_ingredient(conn, id, &form).await {
                Ok((_, name)) => {
                    let unit = Unit::parse(&form.unit).map(|u| u.code()).unwrap_or("");
                    let mut detail = vec![unit.to_string(), form.cost.replace(',', ".")];
                    if !supplier.is_empty() {
                        detail.push(if new_supplier {
                            format!("{supplier} (new supplier)")
                        } else {
                            supplier.clone()
                        });
                    }
                    if form.reorder_level != "0" {
                        detail.push(format!("reorder at {}", form.reorder_level));
                    }
                    out.push(ImportRow {
                        line,
                        name,
                        new: id.is_none(),
                        detail: detail.join(" · "),
                    });
                }
                Err(e) => errors.push(row_error(line, e, |field| {
                    match field {
                        "name" => "ingredient",
                        "cost" => "cost_per_unit",
                        other => other,
                    }
                    .to_string()
                })?),
            }
        }
        Ok(out)
    }

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
                        format!("{v} here, but {first} on row {at} for the same product."),
                    ))
                }
                Some(_) => {}
                None => found = Some((v, r.line)),
            }
        }
        Ok(found.map(|(v, _)| v))
    }

    async fn recipes(
        conn: &mut SqliteConnection,
        rows: &[SheetRow],
        errors: &mut Vec<RowError>,
    ) -> Result<Vec<ImportRow>, AppError> {
        // Each product's rows, in the order the file first names it.
        let mut groups: Vec<(String, Vec<&SheetRow>)> = Vec::new();
        for r in rows {
            let sku = r.get("sku").to_uppercase();
            match groups.iter_mut().find(|(s, _)| *s == sku) {
                Some((_, g)) => g.push(r),
                None => groups.push((sku, vec![r])),
            }
        }
        let mut out = Vec::new();
        'product: for (sku, group) in groups {
            let first = group[0].line;
            if sku.is_empty() {
                errors.push(RowError::at(
                    first,
                    "sku",
                    "SKU: the product's code is needed.",
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
                    format!("No product has the SKU {sku}; add it on the Menu page first."),
                ));
                continue;
            };
            let mut figures = Vec::new();
            for (column, kept, default) in [
                (
                    "batch_yield",
                    product.batch_yield.map(|v| v.to_string()),
                    "",
                ),
                ("station", product.station.clone(), "Oven"),
                ("prep_minutes", product.prep.map(|v| v.to_string()), "0"),
                ("bake_minutes", product.bake.map(|v| v.to_string()), "0"),
            ] {
                match one_value(&group, column) {
                    Ok(v) => figures.push(v.or(kept).unwrap_or_else(|| default.to_string())),
                    Err(e) => {
                        errors.push(e);
                        continue 'product;
                    }
                }
            }
            let mut lines = Vec::new();
            let mut shown = Vec::new();
            let mut bad = false;
            for r in &group {
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
                            "Ingredient: its name is needed.".to_string()
                        } else {
                            format!("No ingredient is called {name}; import the ingredients first.")
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
                                format!(
                                    "{} is counted in {}: a unit of that kind (g, kg / ml, l / piece), not {typed:?}.",
                                    ing.name,
                                    unit.base()
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
                        errors.push(RowError::at(r.line, "quantity", format!("Quantity: {e}.")));
                        bad = true;
                    }
                }
            }
            if bad {
                continue;
            }
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
                        "{} a batch · {} · {}",
                        form.batch_yield,
                        form.station.trim(),
                        shown.join(", ")
                    ),
                }),
                Err(e) => {
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
                    errors.push(row_error(line, e, |field| {
                        if field.ends_with("ingredient_id") {
                            "ingredient".into()
                        } else if field.starts_with("lines[") {
                            "quantity".into()
                        } else {
                            field.to_string()
                        }
                    })?);
                }
            }
        }
        Ok(out)
    }

    /// Every recipe as CSV, one row per ingredient line, in the file's own columns (so it
    /// reads back in): quantities in the base unit. Text cells are formula-safe.
    pub async fn recipes_csv(conn: &mut SqliteConnection) -> Result<String, AppError> {
        use crate::customers::csv::safe_cell;
        let rows = sqlx::query!(
            r#"SELECT p.sku, p.name AS product, r.batch_yield, r.station, r.prep_minutes, r.bake_minutes,
                      i.name AS ingredient, i.unit, l.quantity
               FROM recipes r JOIN products p ON p.id = r.product_id
               JOIN recipe_lines l ON l.product_id = r.product_id
               JOIN ingredients i ON i.id = l.ingredient_id
               ORDER BY p.sku, l.rowid"#
        )
        .fetch_all(conn)
        .await?;
        crate::sheet::write(
            &RECIPE_COLUMNS,
            rows.into_iter().map(|r| {
                let unit = Unit::parse(&r.unit).unwrap_or(Unit::G);
                vec![
                    safe_cell(&r.sku),
                    safe_cell(&r.ingredient),
                    r.quantity.to_string(),
                    unit.base().to_string(),
                    r.batch_yield.to_string(),
                    safe_cell(&r.station),
                    r.prep_minutes.to_string(),
                    r.bake_minutes.to_string(),
                    safe_cell(&r.product),
                ]
            }),
            false,
        )
        .map_err(|e| AppError::internal("recipes csv", e))
    }
}
