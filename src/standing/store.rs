//! The one writer of standing orders (`standing_orders`, their items, skips and visits; a
//! test in `tests/one_writer.rs` holds it).
//! Creating a standing order, pausing, resuming, skipping a date and ending it are
//! [`Change`]s applied here; a visit's order is created, and cancelled, by the order core in
//! the same transaction.
use chrono::NaiveDate;
use sqlx::{SqliteConnection, SqlitePool};

use super::model::{pattern_label, patterns_to_text, Pattern};
use crate::error::AppError;
use crate::orders::core::{apply_in, Actor, Command, Core};
use crate::orders::model::{Fulfilment, OrderChange, PaymentMethod};
use crate::storefront::validate::ValidOrder;

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
        let seen = sqlx::query!(
            r#"SELECT id AS "id!", request_hash FROM standing_orders WHERE api_key_id = ? AND client_key = ?"#,
            k.api_key_id,
            k.key
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(seen) = seen {
            if seen.request_hash.as_deref() != Some(k.hash) {
                return Err(AppError::invalid(
                    "Idempotency-Key",
                    "This Idempotency-Key was already used with a different body.",
                ));
            }
            return Ok(Made {
                id: seen.id,
                replayed: true,
            });
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
    .await?;
    let now = crate::server::db::now();
    let fulfilment = match order.fulfilment {
        Fulfilment::Delivery => "delivery",
        Fulfilment::Pickup => "pickup",
    };
    let payment = match order.payment {
        PaymentMethod::Cod => "cod",
        PaymentMethod::Prepaid => "prepaid",
        PaymentMethod::PayAtPickup => "pay_at_pickup",
    };
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
        .execute(&mut *tx)
        .await?;
    }
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

/// A change to a standing order.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// No visits from tomorrow until `until` (None: until resumed); the visits already created
    /// in that time are cancelled while still before baking.
    Pause {
        until: Option<NaiveDate>,
    },
    Resume,
    /// No visit on this date (its order, if created, is cancelled).
    Skip(NaiveDate),
    Unskip(NaiveDate),
    /// No more visits; those created ahead are cancelled while still before baking.
    End,
}

/// What a change did: the orders it cancelled, and those it had to leave (already baking).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changed {
    pub cancelled: Vec<i64>,
    pub kept: Vec<String>,
    /// For the open boards, after commit.
    events: Vec<OrderChange>,
}

struct Head {
    status: String,
    patterns: Vec<Pattern>,
    starts_on: String,
    ends_on: Option<String>,
}

async fn head(conn: &mut SqliteConnection, id: i64) -> Result<Head, AppError> {
    let r = sqlx::query!(
        "SELECT status, patterns, starts_on, ends_on FROM standing_orders WHERE id = ?",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("Standing order S-{id}")))?;
    Ok(Head {
        status: r.status,
        patterns: super::model::patterns_from_text(&r.patterns),
        starts_on: r.starts_on,
        ends_on: r.ends_on,
    })
}

/// "Tue 8 Dec".
pub fn day_label(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

/// Cancels the visits booked in `[from, to]` (None: onwards) through the order core, while
/// their orders are still before baking; their visit rows go, so that resuming or unskipping
/// creates them again.
async fn cancel_visits(
    conn: &mut SqliteConnection,
    config: &crate::server::config::Config,
    actor: &Actor,
    id: i64,
    (from, to): (NaiveDate, Option<NaiveDate>),
    reason: &str,
    done: &mut Changed,
) -> Result<(), AppError> {
    let (from_s, to_s) = (
        from.to_string(),
        to.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string()),
    );
    let rows = sqlx::query!(
        r#"SELECT v.day, o.id AS "order_id!", o.number, o.status, o.fulfil_on
           FROM standing_order_visits v JOIN orders o ON o.id = v.order_id
           WHERE v.standing_order_id = ? AND v.day BETWEEN ? AND ? AND o.status != 'cancelled'"#,
        id,
        from_s,
        to_s
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        if !matches!(r.status.as_str(), "received" | "confirmed") {
            done.kept.push(format!(
                "#{} for {} is already {} and stays.",
                r.number,
                r.fulfil_on,
                r.status.replace('_', " ")
            ));
            continue;
        }
        let applied = apply_in(
            &mut *conn,
            config,
            actor,
            r.order_id,
            None,
            Command::Cancel {
                reason: reason.to_string(),
            },
        )
        .await?;
        done.events.push(applied.change);
        sqlx::query!(
            "DELETE FROM standing_order_visits WHERE standing_order_id = ? AND day = ?",
            id,
            r.day
        )
        .execute(&mut *conn)
        .await?;
        done.cancelled.push(r.number);
    }
    Ok(())
}

/// Applies `change` to standing order `id` in one transaction; the visits' orders are
/// cancelled by the order core in it. Resuming and unskipping create the visits due at once.
pub async fn apply(
    core: &Core,
    actor: &Actor,
    id: i64,
    change: Change,
) -> Result<Changed, AppError> {
    let config = &core.config;
    let today = config.today();
    let tomorrow = today + chrono::Duration::days(1);
    let mut tx = crate::server::db::begin_write(&core.pool).await?;
    let h = head(&mut tx, id).await?;
    if h.status == "ended" {
        return Err(AppError::Conflict(format!(
            "Standing order S-{id} has ended; create a new one."
        )));
    }
    let mut done = Changed::default();
    let now = crate::server::db::now();
    let action;
    match &change {
        Change::Pause { until } => {
            if let Some(u) = until {
                if *u <= tomorrow {
                    return Err(AppError::invalid(
                        "until",
                        format!(
                            "until: pick a day after {tomorrow} (the first day it delivers again)."
                        ),
                    ));
                }
            }
            let last = until.map(|u| u - chrono::Duration::days(1));
            let reason = match until {
                Some(u) => format!("Standing order paused until {}", day_label(*u)),
                None => "Standing order paused".to_string(),
            };
            cancel_visits(
                &mut tx,
                config,
                actor,
                id,
                (tomorrow, last),
                &reason,
                &mut done,
            )
            .await?;
            let until_s = until.map(|u| u.to_string());
            sqlx::query!(
                "UPDATE standing_orders SET status = 'paused', paused_until = ?, version = version + 1, updated_at = ? WHERE id = ?",
                until_s, now, id
            )
            .execute(&mut *tx)
            .await?;
            action = "standing.paused";
        }
        Change::Resume => {
            if h.status != "paused" {
                return Err(AppError::Conflict(format!(
                    "Standing order S-{id} is not paused."
                )));
            }
            sqlx::query!(
                "UPDATE standing_orders SET status = 'active', paused_until = NULL, version = version + 1, updated_at = ? WHERE id = ?",
                now, id
            )
            .execute(&mut *tx)
            .await?;
            action = "standing.resumed";
        }
        Change::Skip(day) => {
            let d = *day;
            if d <= today {
                return Err(AppError::invalid(
                    "date",
                    format!("date: {d} is not ahead; skip a later date."),
                ));
            }
            let ds = d.to_string();
            let booked = sqlx::query_scalar!(
                "SELECT COUNT(*) FROM standing_order_visits WHERE standing_order_id = ? AND day = ?",
                id,
                ds
            )
            .fetch_one(&mut *tx)
            .await?
                > 0;
            let in_range = ds.as_str() >= h.starts_on.as_str()
                && h.ends_on.as_deref().is_none_or(|e| ds.as_str() <= e);
            let on_days = h
                .patterns
                .first()
                .is_some_and(|&p| super::model::on_pattern(p, d));
            if !(booked || in_range && on_days) {
                return Err(AppError::invalid(
                    "date",
                    format!(
                        "date: {} is not one of this standing order's days ({}).",
                        day_label(d),
                        h.patterns
                            .first()
                            .map(|&p| pattern_label(p))
                            .unwrap_or_default()
                    ),
                ));
            }
            let reason = format!("Skipped ({} of standing order S-{id})", day_label(d));
            cancel_visits(&mut tx, config, actor, id, (d, Some(d)), &reason, &mut done).await?;
            if let Some(k) = done.kept.first() {
                return Err(AppError::Conflict(format!(
                    "{k} It can no longer be skipped."
                )));
            }
            sqlx::query!(
                "INSERT INTO standing_order_skips (standing_order_id, day, created_at) VALUES (?, ?, ?)
                 ON CONFLICT DO NOTHING",
                id, ds, now
            )
            .execute(&mut *tx)
            .await?;
            // A refusal recorded for that date no longer matters.
            sqlx::query!(
                "DELETE FROM standing_order_visits WHERE standing_order_id = ? AND day = ? AND order_id IS NULL",
                id, ds
            )
            .execute(&mut *tx)
            .await?;
            action = "standing.skipped";
        }
        Change::Unskip(day) => {
            let ds = day.to_string();
            let n = sqlx::query!(
                "DELETE FROM standing_order_skips WHERE standing_order_id = ? AND day = ?",
                id,
                ds
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(AppError::invalid(
                    "date",
                    format!("date: {} was not skipped.", day_label(*day)),
                ));
            }
            action = "standing.unskipped";
        }
        Change::End => {
            let reason = "Standing order ended".to_string();
            cancel_visits(
                &mut tx,
                config,
                actor,
                id,
                (tomorrow, None),
                &reason,
                &mut done,
            )
            .await?;
            let ends = today.to_string();
            sqlx::query!(
                "UPDATE standing_orders SET status = 'ended', ends_on = MIN(COALESCE(ends_on, ?), ?), version = version + 1, updated_at = ? WHERE id = ?",
                ends, ends, now, id
            )
            .execute(&mut *tx)
            .await?;
            action = "standing.ended";
        }
    }
    crate::audit::record(
        &mut *tx,
        &crate::audit::Who {
            id: actor.user_id,
            name: actor.name.clone(),
        },
        action,
        &format!("Standing order S-{id}"),
        serde_json::json!({"change": format!("{change:?}"), "cancelled": done.cancelled, "kept": done.kept}),
    )
    .await?;
    tx.commit().await?;
    core.announce(std::mem::take(&mut done.events));
    if matches!(change, Change::Resume | Change::Unskip(_)) {
        super::ahead::make(core, Some(id)).await?;
    }
    Ok(done)
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
