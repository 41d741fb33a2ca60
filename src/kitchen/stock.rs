//! The one writer of stock (reads are in `stock_read`): receipts make a lot, uses and waste
//! take lots first-expired-first-out, counts correct the balance. Every change is a new row of
//! `stock_moves` (the database refuses updates, deletes and any move that would take a lot
//! below zero). Ingredients and suppliers are written here too.
use sqlx::SqliteConnection;

use super::model::{fefo, Unit};
use super::stock_read::{ingredient, lots_of};
use crate::error::AppError;

/// Who and why, for a move.
pub struct MoveBy<'a> {
    pub user_id: Option<i64>,
    pub reason: &'a str,
    pub batch_id: Option<i64>,
}

async fn insert_move(
    conn: &mut SqliteConnection,
    ingredient_id: i64,
    lot_id: i64,
    kind: &str,
    quantity: i64,
    by: &MoveBy<'_>,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO stock_moves (ingredient_id, lot_id, kind, quantity, reason, batch_id, user_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        ingredient_id,
        lot_id,
        kind,
        quantity,
        by.reason,
        by.batch_id,
        by.user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A delivery: a new lot of `quantity` base units.
pub async fn receive(
    conn: &mut SqliteConnection,
    ingredient_id: i64,
    quantity: i64,
    code: &str,
    best_before: Option<&str>,
    received_on: &str,
    by: &MoveBy<'_>,
) -> Result<i64, AppError> {
    if quantity <= 0 {
        return Err(AppError::invalid(
            "quantity",
            crate::said::said("refuse-more-than-zero"),
        ));
    }
    let lot = sqlx::query_scalar!(
        r#"INSERT INTO stock_lots (ingredient_id, code, best_before, received_on) VALUES (?, ?, ?, ?) RETURNING id AS "id!""#,
        ingredient_id,
        code,
        best_before,
        received_on
    )
    .fetch_one(&mut *conn)
    .await?;
    insert_move(conn, ingredient_id, lot, "receipt", quantity, by).await?;
    Ok(lot)
}

/// Takes `quantity` base units (`kind` "use" or "waste"), first expired first out. Refused,
/// naming the ingredient and what is missing, when there is not enough.
pub async fn take(
    conn: &mut SqliteConnection,
    ingredient_id: i64,
    quantity: i64,
    kind: &str,
    by: &MoveBy<'_>,
) -> Result<(), AppError> {
    let (name, unit) = ingredient(conn, ingredient_id).await?;
    let lots = lots_of(conn, ingredient_id).await?;
    let have: i64 = lots.iter().map(|l| l.balance.max(0)).sum();
    let taken = fefo(&lots, quantity).map_err(|short| {
        AppError::invalid(
            "quantity",
            crate::said::said_with(
                "refuse-stock-short",
                &[
                    ("name", &name),
                    ("needed", &unit.show(quantity)),
                    ("have", &unit.show(have)),
                    ("short", &unit.show(short)),
                ],
            ),
        )
    })?;
    for (lot, q) in taken {
        insert_move(conn, ingredient_id, lot, kind, -q, by).await?;
    }
    crate::alerts::store::raise_if_low(conn, ingredient_id, have, have - quantity, by.user_id).await
}

/// A count: the balance becomes `counted`. Less than the books: the difference leaves the lots
/// that expire first; more: it is added to the latest delivery (or a new lot when there is
/// none).
pub async fn count(
    conn: &mut SqliteConnection,
    ingredient_id: i64,
    counted: i64,
    today: &str,
    by: &MoveBy<'_>,
) -> Result<i64, AppError> {
    if counted < 0 {
        return Err(AppError::invalid(
            "counted",
            crate::said::said("refuse-counted"),
        ));
    }
    let lots = lots_of(conn, ingredient_id).await?;
    let have: i64 = lots.iter().map(|l| l.balance).sum();
    let diff = counted - have;
    if diff < 0 {
        let taken = fefo(&lots, -diff)
            .map_err(|_| AppError::Conflict(crate::said::said("refuse-stock-changed")))?;
        for (lot, q) in taken {
            insert_move(conn, ingredient_id, lot, "count", -q, by).await?;
        }
        crate::alerts::store::raise_if_low(conn, ingredient_id, have, counted, by.user_id).await?;
    } else if diff > 0 {
        let latest = lots
            .iter()
            .max_by(|a, b| {
                a.received_on
                    .cmp(&b.received_on)
                    .then(a.lot_id.cmp(&b.lot_id))
            })
            .map(|l| l.lot_id);
        let lot = match latest {
            Some(l) => l,
            None => {
                sqlx::query_scalar!(
                    r#"INSERT INTO stock_lots (ingredient_id, code, received_on) VALUES (?, 'count', ?) RETURNING id AS "id!""#,
                    ingredient_id,
                    today
                )
                .fetch_one(&mut *conn)
                .await?
            }
        };
        insert_move(conn, ingredient_id, lot, "count", diff, by).await?;
    }
    Ok(diff)
}

/// Creates (`id` None) or changes an ingredient from what the owner typed; returns its id and
/// name. The first bad field is named. A changed unit must stay of the same kind (its stock
/// and recipes are in that kind's base unit).
pub async fn save_ingredient(
    conn: &mut SqliteConnection,
    id: Option<i64>,
    form: &super::api::IngredientForm,
) -> Result<(i64, String), AppError> {
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::invalid(
            "name",
            crate::said::said("refuse-ingredient-name"),
        ));
    }
    let unit = Unit::parse(&form.unit)
        .ok_or_else(|| AppError::invalid("unit", crate::said::said("refuse-unit")))?;
    let cost =
        crate::field::parse_cents(&form.cost, "cost", &crate::said::said("refuse-label-cost"))?
            as f64;
    let reorder = unit
        .to_base(if form.reorder_level.trim().is_empty() {
            "0"
        } else {
            &form.reorder_level
        })
        .map_err(|e| {
            AppError::invalid(
                "reorder_level",
                crate::said::said_with("refuse-reorder-level", &[("why", &e)]),
            )
        })?;
    let unit_code = unit.code();
    if let Some(s) = form.supplier_id {
        super::purchase_read::supplier_exists(conn, s).await?;
    }
    let clash = sqlx::query_scalar!(
        "SELECT id FROM ingredients WHERE name = ? AND id IS NOT ?",
        name,
        id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if clash.is_some() {
        return Err(AppError::invalid(
            "name",
            crate::said::said_with("refuse-ingredient-twice", &[("name", &name)]),
        ));
    }
    let id = match id {
        Some(id) => {
        let (_, old) = ingredient(&mut *conn, id).await?;
        if !old.same_kind(unit) {
            return Err(AppError::invalid(
                "unit",
                crate::said::said_with("refuse-unit-kind", &[("unit", &old.base())]),
            ));
        }
        sqlx::query!(
            "UPDATE ingredients SET name = ?, unit = ?, cost_cents = ?, supplier_id = ?, reorder_level = ? WHERE id = ?",
            name, unit_code, cost, form.supplier_id, reorder, id
        )
        .execute(&mut *conn)
        .await?;
        id
        }
        None => sqlx::query_scalar!(
        r#"INSERT INTO ingredients (name, unit, cost_cents, supplier_id, reorder_level) VALUES (?, ?, ?, ?, ?) RETURNING id AS "id!""#,
        name, unit_code, cost, form.supplier_id, reorder
        )
        .fetch_one(&mut *conn)
        .await?,
    };
    Ok((id, name))
}

/// Adds a supplier (its name is not taken yet).
pub async fn add_supplier(
    conn: &mut SqliteConnection,
    name: &str,
    email: &str,
    phone: &str,
    lead_days: i64,
) -> Result<i64, AppError> {
    sqlx::query_scalar!(
        r#"INSERT INTO suppliers (name, email, phone, lead_days) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id AS "id!""#,
        name,
        email,
        phone,
        lead_days
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::invalid("name", crate::said::said_with("refuse-supplier-twice", &[("name", &name)])))
}

/// Empties the ledger (the demo's reset only): its guard against deletes is lifted inside the
/// caller's transaction and put back.
pub async fn clear_moves(conn: &mut SqliteConnection) -> Result<(), AppError> {
    let guard = sqlx::query_scalar!(
        r#"SELECT sql AS "sql!: String" FROM sqlite_master WHERE type = 'trigger' AND name = 'stock_moves_no_delete'"#
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("DROP TRIGGER stock_moves_no_delete")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM stock_moves")
        .execute(&mut *conn)
        .await?;
    sqlx::query(&guard).execute(&mut *conn).await?;
    Ok(())
}

/// Removes lots, ingredients and suppliers (after the moves and recipes that name them).
pub async fn clear(conn: &mut SqliteConnection) -> Result<(), AppError> {
    for q in [
        "DELETE FROM stock_lots",
        "DELETE FROM ingredients",
        "DELETE FROM suppliers",
    ] {
        sqlx::query(q).execute(&mut *conn).await?;
    }
    Ok(())
}
