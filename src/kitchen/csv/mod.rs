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
mod ingredients;
#[cfg(feature = "ssr")]
mod recipes;
#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::error::AppError;
    use crate::kitchen::model::Unit;
    use crate::sheet::RowError;
    use sqlx::SqliteConnection;

    /// Runs `text` through the writers on `conn` (a write transaction the caller commits or
    /// rolls back). Problems come back in the answer, not as an error.
    pub async fn apply(
        conn: &mut SqliteConnection,
        sheet: KitchenSheet,
        text: &str,
    ) -> Result<KitchenImport, AppError> {
        let (columns, required, noun): (&[&str], usize, &str) = match sheet {
            KitchenSheet::Ingredients => (&INGREDIENT_COLUMNS, 2, "refuse-rows-ingredients"),
            KitchenSheet::Recipes => (&RECIPE_COLUMNS, 3, "refuse-rows-recipe-lines"),
        };
        let (rows, mut errors) = match crate::sheet::read(text, columns, required) {
            Ok(read) => read,
            Err(errors) => return Ok(report(vec![], errors)),
        };
        if rows.is_empty() && errors.is_empty() {
            return Ok(report(
                vec![],
                RowError::file(crate::said::said_with(
                    "refuse-no-rows",
                    &[("rows", &crate::said::said(noun))],
                )),
            ));
        }
        let done = match sheet {
            KitchenSheet::Ingredients => {
                super::ingredients::ingredients(conn, &rows, &mut errors).await?
            }
            KitchenSheet::Recipes => super::recipes::recipes(conn, &rows, &mut errors).await?,
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
    pub(super) fn row_error(
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
