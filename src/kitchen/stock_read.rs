//! What the stock is: lots and balances, ingredients with their stock, suppliers, the latest
//! moves. Reads only; `kitchen::stock` writes.
use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::model::{LotBalance, Unit};
use super::{IngredientRow, MoveRow, SupplierRow};
use crate::error::AppError;

/// An ingredient's unit and name.
pub async fn ingredient(conn: &mut SqliteConnection, id: i64) -> Result<(String, Unit), AppError> {
    let row = sqlx::query!("SELECT name, unit FROM ingredients WHERE id = ?", id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| {
            AppError::invalid("ingredient_id", crate::said::said("refuse-no-ingredient"))
        })?;
    Ok((row.name, Unit::parse(&row.unit).unwrap_or(Unit::G)))
}

/// The lots of one ingredient with their balances (what a stock change looks at).
pub async fn lots_of(
    conn: &mut SqliteConnection,
    ingredient_id: i64,
) -> Result<Vec<LotBalance>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT l.id AS "id!", l.best_before, l.received_on, COALESCE(SUM(m.quantity), 0) AS "balance!: i64"
           FROM stock_lots l LEFT JOIN stock_moves m ON m.lot_id = l.id
           WHERE l.ingredient_id = ? GROUP BY l.id ORDER BY l.id"#,
        ingredient_id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| LotBalance {
        lot_id: r.id,
        best_before: r.best_before,
        received_on: r.received_on,
        balance: r.balance,
    })
    .collect())
}

/// Every lot with its balance, by ingredient.
pub async fn lots(conn: &mut SqliteConnection) -> Result<HashMap<i64, Vec<LotBalance>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT l.id AS "id!", l.ingredient_id, l.best_before, l.received_on,
                  COALESCE(SUM(m.quantity), 0) AS "balance!: i64"
           FROM stock_lots l LEFT JOIN stock_moves m ON m.lot_id = l.id
           GROUP BY l.id ORDER BY l.id"#
    )
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<i64, Vec<LotBalance>> = HashMap::new();
    for r in rows {
        out.entry(r.ingredient_id).or_default().push(LotBalance {
            lot_id: r.id,
            best_before: r.best_before,
            received_on: r.received_on,
            balance: r.balance,
        });
    }
    Ok(out)
}

/// Every ingredient (archived ones left out) with its balance, by name.
pub async fn ingredients(
    conn: &mut SqliteConnection,
    currency: &str,
    today: chrono::NaiveDate,
) -> Result<Vec<IngredientRow>, AppError> {
    let all_lots = lots(conn).await?;
    let rows = sqlx::query!(
        r#"SELECT i.id AS "id!", i.name, i.unit, i.cost_cents, i.supplier_id, COALESCE(s.name, '') AS "supplier!: String",
                  i.reorder_level
           FROM ingredients i LEFT JOIN suppliers s ON s.id = i.supplier_id
           WHERE i.archived = 0 ORDER BY i.name"#
    )
    .fetch_all(conn)
    .await?;
    let soon = (today + chrono::Duration::days(super::SOON_DAYS))
        .format("%Y-%m-%d")
        .to_string();
    Ok(rows
        .into_iter()
        .map(|r| {
            let unit = Unit::parse(&r.unit).unwrap_or(Unit::G);
            let lots = all_lots.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
            let balance: i64 = lots.iter().map(|l| l.balance).sum();
            let next_best_before = lots
                .iter()
                .filter(|l| l.balance > 0)
                .filter_map(|l| l.best_before.clone())
                .min();
            IngredientRow {
                id: r.id,
                cost: format!(
                    "{} / {}",
                    crate::money::format_cents(r.cost_cents.round() as i64, currency),
                    unit.code()
                ),
                cost_cents: r.cost_cents,
                supplier_id: r.supplier_id,
                supplier: r.supplier,
                reorder_level: r.reorder_level,
                reorder_text: unit.show(r.reorder_level),
                balance,
                balance_text: unit.show(balance),
                low: balance < r.reorder_level,
                expiring: next_best_before
                    .as_deref()
                    .is_some_and(|b| b <= soon.as_str()),
                next_best_before,
                name: r.name,
                unit,
            }
        })
        .collect())
}

/// The suppliers, by name.
pub async fn suppliers(conn: &mut SqliteConnection) -> Result<Vec<SupplierRow>, AppError> {
    Ok(sqlx::query_as!(
        SupplierRow,
        r#"SELECT id AS "id!", name, email, phone, lead_days FROM suppliers ORDER BY name"#
    )
    .fetch_all(conn)
    .await?)
}

/// The latest moves, newest first.
pub async fn moves(conn: &mut SqliteConnection, limit: i64) -> Result<Vec<MoveRow>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT m.id AS "id!", m.at, i.name, i.unit, m.kind, m.quantity, l.code, l.best_before, m.reason,
                  COALESCE(u.name, '') AS "by!: String"
           FROM stock_moves m JOIN ingredients i ON i.id = m.ingredient_id JOIN stock_lots l ON l.id = m.lot_id
           LEFT JOIN users u ON u.id = m.user_id
           ORDER BY m.id DESC LIMIT ?"#,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let unit = Unit::parse(&r.unit).unwrap_or(Unit::G);
            let lot = match (r.code.is_empty(), r.best_before) {
                (false, Some(b)) => format!("{} · best before {b}", r.code),
                (false, None) => r.code,
                (true, Some(b)) => format!("best before {b}"),
                (true, None) => String::new(),
            };
            MoveRow {
                id: r.id,
                at: r.at.get(..16).unwrap_or(&r.at).replace('T', " "),
                ingredient: r.name,
                kind: r.kind,
                quantity: format!(
                    "{}{}",
                    if r.quantity > 0 { "+" } else { "" },
                    unit.show(r.quantity)
                ),
                lot,
                reason: r.reason,
                by: r.by,
            }
        })
        .collect())
}

/// Base units of a typed quantity for ingredient `id`, naming `field` when it doesn't read.
pub async fn typed_quantity(
    conn: &mut SqliteConnection,
    id: i64,
    typed: &str,
    field: &str,
) -> Result<(i64, Unit, String), AppError> {
    let (name, unit) = ingredient(conn, id).await?;
    let q = unit.to_base(typed).map_err(|e| {
        AppError::invalid(
            field,
            crate::said::said_with(
                "refuse-quantity-of",
                &[("name", &name), ("unit", &unit.code()), ("why", &e)],
            ),
        )
    })?;
    Ok((q, unit, name))
}

/// A quantity of `base` units as a plain number in `unit` ("-1.5" for −1,500 g in kg).
fn number(unit: Unit, base: i64) -> String {
    unit.show(base)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Every ingredient's balance as CSV (UTF-8 BOM): ingredient, in stock, unit, reorder level,
/// next best-before, supplier, cost per unit. Text cells are formula-safe.
pub fn balances_csv(rows: &[IngredientRow]) -> Result<String, AppError> {
    use crate::customers::csv::safe_cell;
    crate::sheet::write(
        &[
            "ingredient",
            "in_stock",
            "unit",
            "reorder_level",
            "next_best_before",
            "supplier",
            "cost_per_unit",
        ],
        rows.iter().map(|r| {
            vec![
                safe_cell(&r.name),
                number(r.unit, r.balance),
                r.unit.code().to_string(),
                number(r.unit, r.reorder_level),
                r.next_best_before.clone().unwrap_or_default(),
                safe_cell(&r.supplier),
                format!("{:.2}", r.cost_cents / 100.0),
            ]
        }),
        false,
    )
    .map_err(|e| AppError::internal("balances csv", e))
}

/// The whole ledger as CSV, oldest move first: when (UTC), ingredient, kind, quantity (signed,
/// in the ingredient's unit), unit, lot, best-before, reason, by. Text cells are formula-safe.
pub async fn moves_csv(conn: &mut SqliteConnection) -> Result<String, AppError> {
    use crate::customers::csv::safe_cell;
    let rows = sqlx::query!(
        r#"SELECT m.at, i.name, i.unit, m.kind, m.quantity, l.code, l.best_before, m.reason,
                  COALESCE(u.name, '') AS "by!: String"
           FROM stock_moves m JOIN ingredients i ON i.id = m.ingredient_id JOIN stock_lots l ON l.id = m.lot_id
           LEFT JOIN users u ON u.id = m.user_id
           ORDER BY m.id"#
    )
    .fetch_all(conn)
    .await?;
    crate::sheet::write(
        &[
            "at_utc",
            "ingredient",
            "kind",
            "quantity",
            "unit",
            "lot",
            "best_before",
            "reason",
            "by",
        ],
        rows.into_iter().map(|r| {
            let unit = Unit::parse(&r.unit).unwrap_or(Unit::G);
            vec![
                r.at,
                safe_cell(&r.name),
                r.kind,
                number(unit, r.quantity),
                unit.code().to_string(),
                safe_cell(&r.code),
                r.best_before.unwrap_or_default(),
                safe_cell(&r.reason),
                safe_cell(&r.by),
            ]
        }),
        false,
    )
    .map_err(|e| AppError::internal("moves csv", e))
}
