//! The one writer of purchase orders and of the kitchen's booking rule (`kitchen_rules`): an
//! order to a supplier with the day it arrives, received into stock (through the stock
//! writer, as lots "PO-<id>") or cancelled. Reads are in `purchase_read`.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::stock::MoveBy;
use crate::error::AppError;

/// A purchase order as checked: its supplier, arrival day and lines (ingredient, base units).
pub struct NewPurchase<'a> {
    pub supplier_id: i64,
    pub arrives_on: NaiveDate,
    pub lines: &'a [(i64, i64)],
    pub note: &'a str,
    pub user_id: Option<i64>,
}

/// Writes a purchase order; returns its id. Refused, naming the field, for an unknown supplier
/// or ingredient, no lines, an ingredient twice or a day already past.
pub async fn create(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    p: &NewPurchase<'_>,
) -> Result<i64, AppError> {
    if sqlx::query_scalar!("SELECT id FROM suppliers WHERE id = ?", p.supplier_id)
        .fetch_optional(&mut *conn)
        .await?
        .is_none()
    {
        return Err(AppError::invalid(
            "supplier_id",
            "That supplier doesn't exist.",
        ));
    }
    if p.arrives_on < today {
        return Err(AppError::invalid(
            "arrives_on",
            "Arrives on: today or later, please.",
        ));
    }
    if p.note.chars().count() > 200 {
        return Err(AppError::invalid("note", "Note: at most 200 characters."));
    }
    if p.lines.is_empty() {
        return Err(AppError::invalid(
            "lines",
            "Lines: order at least one ingredient.",
        ));
    }
    for (i, (ingredient, quantity)) in p.lines.iter().enumerate() {
        if p.lines[..i].iter().any(|(other, _)| other == ingredient) {
            return Err(AppError::invalid(
                &format!("lines[{i}].ingredient_id"),
                "That ingredient is on the order twice.",
            ));
        }
        if !(1..=1_000_000_000).contains(quantity) {
            return Err(AppError::invalid(
                &format!("lines[{i}].quantity"),
                "Quantity: more than zero, please.",
            ));
        }
        super::stock_read::ingredient(&mut *conn, *ingredient)
            .await
            .map_err(|_| {
                AppError::invalid(
                    &format!("lines[{i}].ingredient_id"),
                    "That ingredient doesn't exist.",
                )
            })?;
    }
    let day = p.arrives_on.to_string();
    let id = sqlx::query_scalar!(
        r#"INSERT INTO purchase_orders (supplier_id, arrives_on, note, created_by) VALUES (?, ?, ?, ?) RETURNING id AS "id!""#,
        p.supplier_id,
        day,
        p.note,
        p.user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    for (ingredient, quantity) in p.lines {
        sqlx::query!(
            "INSERT INTO purchase_order_lines (purchase_order_id, ingredient_id, quantity) VALUES (?, ?, ?)",
            id,
            ingredient,
            quantity
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The status of an order, or a 404.
async fn status(conn: &mut SqliteConnection, id: i64) -> Result<String, AppError> {
    sqlx::query_scalar!("SELECT status FROM purchase_orders WHERE id = ?", id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Purchase order PO-{id}")))
}

/// Receives an open order: each line becomes a lot "PO-<id>" received `today`. A second
/// receipt (a double click, another tab) is refused and adds nothing. Returns the lines.
pub async fn receive(
    conn: &mut SqliteConnection,
    id: i64,
    today: NaiveDate,
    by: &MoveBy<'_>,
) -> Result<Vec<(i64, i64)>, AppError> {
    let now = status(&mut *conn, id).await?;
    if now != "open" {
        return Err(AppError::Conflict(format!("PO-{id} is {now} already.")));
    }
    let lines: Vec<(i64, i64)> = sqlx::query!(
        "SELECT ingredient_id, quantity FROM purchase_order_lines WHERE purchase_order_id = ? ORDER BY ingredient_id",
        id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.ingredient_id, r.quantity))
    .collect();
    let (code, day) = (format!("PO-{id}"), today.to_string());
    for (ingredient, quantity) in &lines {
        super::stock::receive(&mut *conn, *ingredient, *quantity, &code, None, &day, by).await?;
    }
    close(conn, id, "received").await?;
    Ok(lines)
}

/// Cancels an open order (it no longer counts as arriving).
pub async fn cancel(conn: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    let now = status(&mut *conn, id).await?;
    if now != "open" {
        return Err(AppError::Conflict(format!("PO-{id} is {now} already.")));
    }
    close(conn, id, "cancelled").await
}

async fn close(conn: &mut SqliteConnection, id: i64, to: &str) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE purchase_orders SET status = ?, closed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND status = 'open'",
        to,
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Switches booking's pantry check on or off.
pub async fn set_check_pantry(conn: &mut SqliteConnection, on: bool) -> Result<(), AppError> {
    let on = i64::from(on);
    sqlx::query!(
        "INSERT INTO kitchen_rules (id, check_pantry) VALUES (1, ?)
         ON CONFLICT (id) DO UPDATE SET check_pantry = excluded.check_pantry",
        on
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes every purchase order (the demo's reset, before suppliers and ingredients go).
pub async fn clear(conn: &mut SqliteConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM purchase_order_lines")
        .execute(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM purchase_orders")
        .execute(conn)
        .await?;
    Ok(())
}
