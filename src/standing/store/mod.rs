//! The one writer of standing orders (`standing_orders`, their items, skips and visits; a
//! test in `tests/one_writer.rs` holds it): creating one here, changing one in `change`.
//! Creating a standing order, pausing, resuming, skipping a date and ending it are
//! [`Change`]s applied here; a visit's order is created, and cancelled, by the order core in
//! the same transaction.
use chrono::NaiveDate;
use sqlx::{SqliteConnection, SqlitePool};

use super::model::{pattern_label, patterns_to_text, Pattern};
use crate::error::AppError;
use crate::storefront::validate::ValidOrder;

mod change;
mod revise;

pub use change::{apply, day_label, Change, Changed};

/// What a standing order delivers where and when, as [`Change::Terms`] sets it from tomorrow
/// (checked as a new standing order's are, by `storefront::standing::revise`).
#[derive(Clone, Debug, PartialEq)]
pub struct Terms {
    pub per_week: i64,
    /// The accepted weekday patterns; the first is booked.
    pub patterns: Vec<Pattern>,
    pub address: Option<String>,
    pub pin: Option<(f64, f64)>,
    /// The delivery window, or the pickup time (as an order stores it).
    pub window: Option<(String, String)>,
}

/// When and how often.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    pub per_week: i64,
    /// The accepted weekday patterns; the first is booked.
    pub patterns: Vec<Pattern>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// The storefront's Idempotency-Key for a new standing order, and a hash of its body.
pub struct Key<'a> {
    pub api_key_id: i64,
    pub key: &'a str,
    pub hash: &'a str,
}

/// A new standing order's id; `replayed` when its key had already created it.
pub struct Made {
    pub id: i64,
    pub replayed: bool,
}

/// The standing order key `k` already created (the same body), inside the write transaction;
/// the key with another body is refused.
async fn replayed(conn: &mut SqliteConnection, k: &Key<'_>) -> Result<Option<Made>, AppError> {
    let seen = sqlx::query!(
        r#"SELECT id AS "id!", request_hash FROM standing_orders WHERE api_key_id = ? AND client_key = ?"#,
        k.api_key_id,
        k.key
    )
    .fetch_optional(conn)
    .await?;
    let Some(seen) = seen else {
        return Ok(None);
    };
    if seen.request_hash.as_deref() != Some(k.hash) {
        return Err(AppError::invalid(
            "Idempotency-Key",
            crate::said::said("refuse-idempotency-reused"),
        ));
    }
    Ok(Some(Made {
        id: seen.id,
        replayed: true,
    }))
}

/// Creates a standing order for `order`'s customer (matched by phone, as an order's is), with
/// `order`'s items, place, window and payment on every visit. Visits are created by [`super::ahead`].
pub async fn create(
    pool: &SqlitePool,
    order: &ValidOrder,
    schedule: &Schedule,
    source: &'static str,
    key: Option<Key<'_>>,
    by: &crate::audit::Who,
) -> Result<Made, AppError> {
    let districts = crate::districts::repo::list(pool).await?;
    let mut tx = crate::server::db::begin_write(pool).await?;
    if let Some(k) = &key {
        if let Some(made) = replayed(&mut tx, k).await? {
            return Ok(made);
        }
    }
    let district = order
        .coords
        .and_then(|(lat, lng)| crate::districts::locate::locate(&districts, lat, lng));
    let customer_id = crate::storefront::intake::upsert_customer(
        &mut tx,
        order,
        district.map(|d| d.id),
        "Standing order",
    )
    .await?
    .id;
    let now = crate::server::db::now();
    let (fulfilment, payment) = (order.fulfilment.as_str(), order.payment.as_str());
    let (lat, lng) = order.coords.unzip();
    let (wf, wt) = order.window.clone().unzip();
    let patterns = patterns_to_text(&schedule.patterns);
    let (starts, ends) = (
        schedule.starts_on.to_string(),
        schedule.ends_on.map(|d| d.to_string()),
    );
    let (api_key_id, client_key, hash) = match &key {
        Some(k) => (Some(k.api_key_id), Some(k.key), Some(k.hash)),
        None => (None, None, None),
    };
    let id = sqlx::query!(
        "INSERT INTO standing_orders (customer_id, fulfilment, address, lat, lng, window_from, window_to, payment_method,
                                      notes, visits_per_week, patterns, starts_on, ends_on, source, api_key_id,
                                      client_key, request_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        customer_id, fulfilment, order.address, lat, lng, wf, wt, payment, order.notes,
        schedule.per_week, patterns, starts, ends, source, api_key_id, client_key, hash, now, now
    )
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    insert_items(&mut tx, id, order).await?;
    crate::audit::record(
        &mut *tx,
        by,
        "standing.created",
        &format!("Standing order S-{id}"),
        serde_json::json!({"after": {"customer_id": customer_id, "patterns": schedule.patterns.iter().map(|&p| pattern_label(p)).collect::<Vec<_>>(), "starts_on": starts, "ends_on": ends, "lines": order.items.len()}}),
    )
    .await?;
    tx.commit().await?;
    Ok(Made {
        id,
        replayed: false,
    })
}

/// Standing order `id`'s items: `order`'s lines, in their order.
async fn insert_items(
    conn: &mut SqliteConnection,
    id: i64,
    order: &ValidOrder,
) -> Result<(), AppError> {
    for (position, item) in order.items.iter().enumerate() {
        let position = position as i64;
        sqlx::query!(
            "INSERT INTO standing_order_items (standing_order_id, product_id, quantity, note, position)
             VALUES (?, ?, ?, ?, ?)",
            id,
            item.product_id,
            item.quantity,
            item.note,
            position
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Two customer records were the same person: `from`'s standing orders become `into`'s.
pub async fn change_customer(
    conn: &mut SqliteConnection,
    from: i64,
    into: i64,
) -> Result<(), AppError> {
    let now = crate::server::db::now();
    sqlx::query!(
        "UPDATE standing_orders SET customer_id = ?, version = version + 1, updated_at = ? WHERE customer_id = ?",
        into,
        now,
        from
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A customer's personal data leaves their (ended) standing orders: address, pin, notes.
pub async fn anonymise(conn: &mut SqliteConnection, customer_id: i64) -> Result<(), AppError> {
    let now = crate::server::db::now();
    sqlx::query!(
        "UPDATE standing_orders SET address = NULL, lat = NULL, lng = NULL, notes = NULL, updated_at = ?
         WHERE customer_id = ?",
        now,
        customer_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE standing_order_items SET note = NULL
         WHERE standing_order_id IN (SELECT id FROM standing_orders WHERE customer_id = ?)",
        customer_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A pause with an end is over: the standing order delivers again.
pub(super) async fn pause_over(pool: &SqlitePool, id: i64) -> Result<(), AppError> {
    let now = crate::server::db::now();
    let mut tx = crate::server::db::begin_write(pool).await?;
    sqlx::query!(
        "UPDATE standing_orders SET status = 'active', paused_until = NULL, updated_at = ? WHERE id = ? AND status = 'paused'",
        now,
        id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The visit booked for `day` is order `order_id` (inside the transaction that created it).
pub(super) async fn visit_made(
    conn: &mut SqliteConnection,
    id: i64,
    day: &str,
    order_id: i64,
) -> Result<(), AppError> {
    let now = crate::server::db::now();
    sqlx::query!(
        "INSERT INTO standing_order_visits (standing_order_id, day, order_id, refusal, updated_at)
         VALUES (?, ?, ?, NULL, ?)
         ON CONFLICT (standing_order_id, day) DO UPDATE SET order_id = excluded.order_id,
             refusal = NULL, updated_at = excluded.updated_at",
        id,
        day,
        order_id,
        now
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Why the visit booked for `day` could not be created (kept until it is).
pub(super) async fn visit_refused(
    pool: &SqlitePool,
    id: i64,
    day: &str,
    why: &str,
) -> Result<(), AppError> {
    let now = crate::server::db::now();
    let mut tx = crate::server::db::begin_write(pool).await?;
    sqlx::query!(
        "INSERT INTO standing_order_visits (standing_order_id, day, order_id, refusal, updated_at)
         VALUES (?, ?, NULL, ?, ?)
         ON CONFLICT (standing_order_id, day) DO UPDATE SET refusal = excluded.refusal, updated_at = excluded.updated_at
         WHERE standing_order_visits.order_id IS NULL",
        id,
        day,
        why,
        now
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Before the orders go (`hearth demo --reset`): the visits that name them.
pub async fn clear_visits_in(conn: &mut SqliteConnection) -> Result<(), AppError> {
    sqlx::query("DELETE FROM standing_order_visits")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// After the orders went (`hearth demo --reset`): every standing order.
pub async fn clear_in(conn: &mut SqliteConnection) -> Result<(), AppError> {
    for sql in [
        "DELETE FROM standing_order_skips",
        "DELETE FROM standing_order_items",
        "DELETE FROM standing_orders",
    ] {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    Ok(())
}
