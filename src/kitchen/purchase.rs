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
    super::purchase_read::supplier_exists(conn, p.supplier_id).await?;
    if p.arrives_on < today {
        return Err(AppError::invalid(
            "arrives_on",
            crate::said::said("refuse-arrives-later"),
        ));
    }
    if p.note.chars().count() > 200 {
        return Err(AppError::invalid(
            "note",
            crate::said::said("refuse-note-long"),
        ));
    }
    if p.lines.is_empty() {
        return Err(AppError::invalid(
            "lines",
            crate::said::said("refuse-po-lines"),
        ));
    }
    for (i, (ingredient, quantity)) in p.lines.iter().enumerate() {
        if p.lines[..i].iter().any(|(other, _)| other == ingredient) {
            return Err(AppError::invalid(
                &format!("lines[{i}].ingredient_id"),
                crate::said::said("refuse-po-twice"),
            ));
        }
        if !(1..=1_000_000_000).contains(quantity) {
            return Err(AppError::invalid(
                &format!("lines[{i}].quantity"),
                crate::said::said("refuse-more-than-zero"),
            ));
        }
        super::stock_read::ingredient(&mut *conn, *ingredient)
            .await
            .map_err(|_| {
                AppError::invalid(
                    &format!("lines[{i}].ingredient_id"),
                    crate::said::said("refuse-no-ingredient"),
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
        .ok_or_else(|| {
            AppError::NotFound(crate::said::said_with(
                "refuse-what-purchase-order",
                &[("id", &id)],
            ))
        })
}

/// Receives an open order into stock, each line as a lot "PO-<id>" received today: as ordered,
/// or as `got` says it came (another quantity, 0 for none; a best-before). Every line given is
/// checked first (`got[i].…` named) and nothing is written when one is wrong. Returns
/// (ingredient, ordered, received) per line.
pub async fn receive(
    conn: &mut SqliteConnection,
    id: i64,
    today: NaiveDate,
    by: &MoveBy<'_>,
    got: &[super::purchase_api::ReceivedLine],
) -> Result<Vec<(i64, i64, i64)>, AppError> {
    let now = status(&mut *conn, id).await?;
    if now != "open" {
        return Err(already(id, &now));
    }
    let ordered = sqlx::query!(
        "SELECT l.ingredient_id, l.quantity, i.name, i.unit FROM purchase_order_lines l
         JOIN ingredients i ON i.id = l.ingredient_id WHERE l.purchase_order_id = ? ORDER BY l.ingredient_id",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    // (quantity, best-before) per ingredient, as staff said it came.
    let mut came: Vec<(i64, Option<String>)> = ordered.iter().map(|l| (l.quantity, None)).collect();
    for (i, g) in got.iter().enumerate() {
        let Some(at) = ordered
            .iter()
            .position(|l| l.ingredient_id == g.ingredient_id)
        else {
            return Err(AppError::invalid(
                &format!("got[{i}].ingredient_id"),
                crate::said::said_with("refuse-po-not-on", &[("line", &(i + 1)), ("id", &id)]),
            ));
        };
        let line = &ordered[at];
        let (quantity, best_before) = as_it_came(i, g, &line.name, &line.unit)?;
        if let Some(q) = quantity {
            came[at].0 = q;
        }
        if best_before.is_some() {
            came[at].1 = best_before;
        }
    }
    if came.iter().all(|(q, _)| *q == 0) {
        return Err(AppError::invalid(
            "got",
            crate::said::said_with("refuse-po-nothing-came", &[("id", &id)]),
        ));
    }
    let (code, day) = (format!("PO-{id}"), today.to_string());
    let mut out = Vec::new();
    for (line, (quantity, best_before)) in ordered.iter().zip(&came) {
        if *quantity > 0 {
            super::stock::receive(
                &mut *conn,
                line.ingredient_id,
                *quantity,
                &code,
                best_before.as_deref(),
                &day,
                by,
            )
            .await?;
        }
        sqlx::query!(
            "UPDATE purchase_order_lines SET received = ? WHERE purchase_order_id = ? AND ingredient_id = ?",
            quantity,
            id,
            line.ingredient_id
        )
        .execute(&mut *conn)
        .await?;
        out.push((line.ingredient_id, line.quantity, *quantity));
    }
    close(conn, id, "received").await?;
    Ok(out)
}

/// Line `i` of what came: its quantity in base units and its best-before, each when given;
/// refused naming `got[i].…` when one is not readable.
fn as_it_came(
    i: usize,
    g: &super::purchase_api::ReceivedLine,
    name: &str,
    unit: &str,
) -> Result<(Option<i64>, Option<String>), AppError> {
    let unit = super::model::Unit::parse(unit).unwrap_or(super::model::Unit::G);
    let quantity = match g.quantity.trim() {
        "" => None,
        q => Some(unit.to_base(q).map_err(|e| {
            AppError::invalid(
                &format!("got[{i}].quantity"),
                crate::said::said_with(
                    "refuse-po-received",
                    &[("name", &name), ("unit", &unit.code()), ("why", &e)],
                ),
            )
        })?),
    };
    let bb = g.best_before.trim();
    if !bb.is_empty() && NaiveDate::parse_from_str(bb, "%Y-%m-%d").is_err() {
        return Err(AppError::invalid(
            &format!("got[{i}].best_before"),
            crate::said::said_with("refuse-po-best-before", &[("name", &name)]),
        ));
    }
    Ok((quantity, (!bb.is_empty()).then(|| bb.to_string())))
}

/// Cancels an open order (it no longer counts as arriving).
pub async fn cancel(conn: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    let now = status(&mut *conn, id).await?;
    if now != "open" {
        return Err(already(id, &now));
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

/// The refusal for an order that is no longer open: "PO-3 is received already."
fn already(id: i64, now: &str) -> AppError {
    let status = crate::said::said(&format!("po-status-{now}")).to_lowercase();
    AppError::Conflict(crate::said::said_with(
        "refuse-po-already",
        &[("id", &id), ("status", &status)],
    ))
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
