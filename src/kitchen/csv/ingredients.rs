//! Ingredients from a spreadsheet: matched by name, each row through `stock::save_ingredient`.
use super::server::row_error;
use super::ImportRow;
use crate::error::AppError;
use crate::kitchen::api::IngredientForm;
use crate::kitchen::model::Unit;
use crate::sheet::{RowError, SheetRow};
use sqlx::SqliteConnection;

pub(super) async fn ingredients(
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
                crate::said::said_with(
                    "refuse-also-on-row-dot",
                    &[("what", &name), ("row", &first)],
                ),
            ));
            continue;
        }
        seen.push((key, line));
        let old = existing(conn, &name).await?;
        let (unit, cost, reorder_level) = filled(r, old.as_ref());
        let supplier = r.get("supplier");
        let old_supplier = old.as_ref().and_then(|o| o.supplier_id);
        let (supplier_id, new_supplier) = match supplier_of(conn, &supplier, old_supplier).await? {
            Some(found) => found,
            None => {
                errors.push(RowError::at(
                    line,
                    "supplier",
                    crate::said::said("refuse-csv-supplier"),
                ));
                continue;
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
                out.push(ImportRow {
                    line,
                    name,
                    new: id.is_none(),
                    detail: detail(&form, &supplier, new_supplier),
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

/// The supplier a row names (found by name, or added), or the ingredient's own when the cell is
/// empty; with whether it is new. None: a name too long.
async fn supplier_of(
    conn: &mut SqliteConnection,
    supplier: &str,
    kept: Option<i64>,
) -> Result<Option<(Option<i64>, bool)>, AppError> {
    if supplier.is_empty() {
        return Ok(Some((kept, false)));
    }
    if supplier.chars().count() > 80 {
        return Ok(None);
    }
    let found = sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM suppliers WHERE name = ? COLLATE NOCASE"#,
        supplier
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(Some(match found {
        Some(id) => (Some(id), false),
        None => (
            Some(crate::kitchen::stock::add_supplier(conn, supplier, "", "", 1).await?),
            true,
        ),
    }))
}

/// How the preview shows an imported ingredient: unit · cost · supplier · reorder level.
fn detail(form: &IngredientForm, supplier: &str, new_supplier: bool) -> String {
    let unit = Unit::parse(&form.unit).map(|u| u.code()).unwrap_or("");
    let mut detail = vec![unit.to_string(), form.cost.replace(',', ".")];
    if !supplier.is_empty() {
        detail.push(if new_supplier {
            crate::said::said_with("kitchen-import-new-supplier", &[("name", &supplier)])
        } else {
            supplier.to_string()
        });
    }
    if form.reorder_level != "0" {
        detail.push(crate::said::said_with(
            "kitchen-import-reorder",
            &[("level", &form.reorder_level)],
        ));
    }
    detail.join(" · ")
}

/// An ingredient already in the pantry, as an import row may update it.
struct Existing {
    id: i64,
    unit: Option<Unit>,
    cost_cents: f64,
    supplier_id: Option<i64>,
    reorder_level: i64,
}

/// The pantry's ingredient called `name` (any case), if there is one.
async fn existing(conn: &mut SqliteConnection, name: &str) -> Result<Option<Existing>, AppError> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", unit, cost_cents, supplier_id, reorder_level FROM ingredients
           WHERE name = ? COLLATE NOCASE"#,
        name
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|o| Existing {
        id: o.id,
        unit: Unit::parse(&o.unit),
        cost_cents: o.cost_cents,
        supplier_id: o.supplier_id,
        reorder_level: o.reorder_level,
    }))
}

/// A row's unit, cost and reorder level as the form takes them: a blank cell keeps what the
/// ingredient has, or takes the default for a new one.
fn filled(r: &SheetRow, old: Option<&Existing>) -> (String, String, String) {
    let or = |cell: String, kept: Option<String>, default: &str| {
        if cell.is_empty() {
            kept.unwrap_or_else(|| default.to_string())
        } else {
            cell
        }
    };
    let old_unit = old.and_then(|o| o.unit);
    let unit = or(r.get("unit"), old_unit.map(|u| u.code().to_string()), "");
    let cost = or(
        r.get("cost_per_unit"),
        old.map(|o| format!("{:.2}", o.cost_cents / 100.0)),
        "0",
    );
    let reorder_level = or(
        r.get("reorder_level"),
        old.zip(old_unit).map(|(o, u)| {
            u.show(o.reorder_level)
                .split(' ')
                .next()
                .unwrap_or("0")
                .to_string()
        }),
        "0",
    );
    (unit, cost, reorder_level)
}
