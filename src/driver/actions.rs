//! What a driver reports from a stop: arrived, delivered (recipient, cash), failed (reason).
//! Exactly once per key made on the phone, so the offline outbox can retry freely.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::said::{said, said_with};

/// Reasons a delivery can fail, as offered on the phone.
pub const FAIL_REASONS: [&str; 5] = [
    "Nobody home",
    "Wrong or incomplete address",
    "Refused by the customer",
    "Couldn't get access",
    "Damaged on the way",
];

/// The answer to an update (the same for a retried key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpdateResult {
    pub order_id: i64,
    pub number: i64,
    pub outcome: String,
    /// False when this key was already applied: nothing changed the second time.
    pub applied: bool,
}

/// Records what happened at a stop of the driver's own published run.
#[server(endpoint = "driver_update")]
#[allow(clippy::too_many_arguments)]
pub async fn driver_update(
    key: String,
    order_id: i64,
    action: String,
    #[server(default)] recipient: Option<String>,
    #[server(default)] cash_cents: Option<i64>,
    #[server(default)] reason: Option<String>,
    #[server(default)] note: Option<String>,
    /// Proof of delivery: a JPEG resized on the phone, base64.
    #[server(default)]
    photo: Option<String>,
) -> Result<UpdateResult, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Driver], move |cx, me| async move {
        let input = Input {
            key,
            order_id,
            action,
            recipient,
            cash_cents,
            reason,
            note,
            photo,
        };
        let (result, change) =
            apply(&cx.state.pool, &cx.state.config, (me.id, &me.name), input).await?;
        if let Some(change) = change {
            let _ = cx.state.events.send(change);
        }
        Ok(result)
    })
    .await
}

#[cfg(feature = "ssr")]
pub struct Input {
    pub key: String,
    pub order_id: i64,
    pub action: String,
    pub recipient: Option<String>,
    pub cash_cents: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub photo: Option<String>,
}

/// Largest photo accepted, in bytes (the phone sends ~100–300 KB at 1280 px).
pub const PHOTO_MAX_BYTES: usize = 1_500_000;
/// Longest side accepted, in pixels.
pub const PHOTO_MAX_SIDE: usize = 2048;

/// A checked proof-of-delivery photo: (JPEG bytes, width, height).
#[cfg(feature = "ssr")]
pub fn check_photo(b64: &str) -> Result<(Vec<u8>, i64, i64), AppError> {
    use base64::Engine;
    let raw = b64.trim();
    let raw = raw.strip_prefix("data:image/jpeg;base64,").unwrap_or(raw);
    if raw.len() > PHOTO_MAX_BYTES * 4 / 3 + 4 {
        return Err(AppError::invalid("photo", said("refuse-photo-size")));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(raw)
        .map_err(|_| AppError::invalid("photo", said("refuse-photo-encoding")))?;
    let is_jpeg = matches!(
        imagesize::image_type(&bytes),
        Ok(imagesize::ImageType::Jpeg)
    );
    let size = imagesize::blob_size(&bytes)
        .ok()
        .filter(|_| is_jpeg)
        .ok_or_else(|| AppError::invalid("photo", said("refuse-photo-jpeg")))?;
    if size.width == 0 || size.height == 0 || size.width.max(size.height) > PHOTO_MAX_SIDE {
        return Err(AppError::invalid(
            "photo",
            said_with("refuse-photo-side", &[("max", &PHOTO_MAX_SIDE)]),
        ));
    }
    Ok((bytes, size.width as i64, size.height as i64))
}

#[cfg(feature = "ssr")]
pub async fn apply(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
    driver: (i64, &str),
    i: Input,
) -> Result<(UpdateResult, Option<crate::orders::model::OrderChange>), AppError> {
    use crate::orders::model::{OrderChange, OrderStatus};
    let key = i.key.trim().to_string();
    if key.len() < 8
        || key.len() > 80
        || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::invalid("key", said("refuse-update-key")));
    }
    if !matches!(i.action.as_str(), "arrived" | "delivered" | "failed") {
        return Err(AppError::invalid("action", said("refuse-update-action")));
    }
    let clean = |v: Option<String>, field: &str, max: usize| -> Result<Option<String>, AppError> {
        match v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() > max => Err(AppError::invalid(
                field,
                format!(
                    "{field}: {}.",
                    said_with("refuse-too-long", &[("max", &max)])
                ),
            )),
            other => Ok(other),
        }
    };
    let recipient = clean(i.recipient, "recipient", 80)?;
    let note = clean(i.note, "note", 300)?;
    let reason = clean(i.reason, "reason", 80)?;
    if i.action == "failed" && !reason.as_deref().is_some_and(|r| FAIL_REASONS.contains(&r)) {
        return Err(AppError::invalid("reason", said("refuse-update-reason")));
    }
    let photo = match i.photo.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(_) if i.action != "delivered" => {
            return Err(AppError::invalid("photo", said("refuse-photo-failed")))
        }
        Some(p) => Some(check_photo(p)?),
        None => None,
    };
    if i.cash_cents.is_some_and(|c| !(0..=10_000_000).contains(&c)) {
        return Err(AppError::invalid("cash_cents", said("refuse-update-cash")));
    }

    let mut tx = crate::server::db::begin_write(pool).await?;
    // A retry of an applied update: the same answer, no change, but only to the driver who
    // sent it: anyone else gets what they would get for a stop that isn't theirs.
    if let Some(done) = sqlx::query!(
        "SELECT order_id, action, driver_id FROM driver_updates WHERE key = ?",
        key
    )
    .fetch_optional(&mut *tx)
    .await?
    {
        if done.driver_id != driver.0 {
            tracing::warn!(
                driver_id = driver.0,
                "update key of another driver replayed"
            );
            return Err(AppError::NotFound(crate::said::said(
                "refuse-what-that-stop",
            )));
        }
        if done.order_id != i.order_id || done.action != i.action {
            return Err(AppError::Conflict(said("refuse-update-key-used")));
        }
        let number = sqlx::query_scalar!("SELECT number FROM orders WHERE id = ?", i.order_id)
            .fetch_one(&mut *tx)
            .await?;
        return Ok((
            UpdateResult {
                order_id: i.order_id,
                number,
                outcome: done.action,
                applied: false,
            },
            None,
        ));
    }
    let row = sqlx::query!(
        r#"SELECT o.number, o.status, o.version, o.payment_method, o.paid AS "paid: bool", o.total_cents,
                  s.run_id, s.seq
           FROM orders o
           JOIN run_stops s ON s.order_id = o.id
           JOIN runs r ON r.id = s.run_id
           WHERE o.id = ? AND r.driver_id = ? AND r.status = 'published'"#,
        i.order_id,
        driver.0
    )
    .fetch_optional(&mut *tx)
    .await?
    // Not on this driver's published run: the same answer as for an order that doesn't exist.
    .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-stop")))?;
    let from = OrderStatus::parse(&row.status)
        .map_err(|_| AppError::internal("orders.status", &row.status))?;
    let to = match (i.action.as_str(), from) {
        (_, OrderStatus::Cancelled) => {
            return Err(AppError::Conflict(said_with(
                "refuse-outcome-cancelled",
                &[("number", &row.number)],
            )))
        }
        (_, OrderStatus::Delivered) if i.action != "delivered" => {
            return Err(AppError::Conflict(said_with(
                "refuse-already-delivered",
                &[("number", &row.number)],
            )))
        }
        // At the door, the order is out for delivery whatever the board said.
        (
            "arrived",
            OrderStatus::Received
            | OrderStatus::Confirmed
            | OrderStatus::Baking
            | OrderStatus::Ready,
        ) => OrderStatus::OutForDelivery,
        ("arrived", s) => s,
        ("delivered", _) => OrderStatus::Delivered,
        ("failed", _) => OrderStatus::Ready,
        _ => from,
    };
    let now = crate::server::db::now();
    let cod_due = row.payment_method == "cod" && !row.paid;
    let cash = if i.action == "delivered" && cod_due {
        Some(i.cash_cents.unwrap_or(0))
    } else {
        None
    };
    let paid_now = cash.is_some_and(|c| c >= row.total_cents);
    sqlx::query!(
        "INSERT INTO driver_updates (key, driver_id, order_id, action) VALUES (?, ?, ?, ?)",
        key,
        driver.0,
        i.order_id,
        i.action
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE run_stops SET outcome = ?, outcome_at = ?, recipient = COALESCE(?, recipient),
                cash_collected_cents = COALESCE(?, cash_collected_cents), fail_reason = ?, fail_note = ?
         WHERE order_id = ?",
        i.action,
        now,
        recipient,
        cash,
        reason,
        note,
        i.order_id
    )
    .execute(&mut *tx)
    .await?;
    if let Some((bytes, width, height)) = &photo {
        sqlx::query!(
            "INSERT INTO delivery_photos (order_id, content_type, bytes, width, height, taken_by, created_at)
             VALUES (?, 'image/jpeg', ?, ?, ?, ?, ?)
             ON CONFLICT (order_id) DO UPDATE SET bytes = excluded.bytes, width = excluded.width,
                 height = excluded.height, taken_by = excluded.taken_by, created_at = excluded.created_at",
            i.order_id,
            bytes,
            width,
            height,
            driver.0,
            now
        )
        .execute(&mut *tx)
        .await?;
    }
    let changed = to != from;
    // A failed attempt is always in the history, even when the order was still "ready".
    if changed || paid_now || i.action == "failed" {
        let detail = match i.action.as_str() {
            "failed" => Some(format!(
                "{}{}",
                reason.clone().unwrap_or_default(),
                note.as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            )),
            "delivered" => Some(format!(
                "Delivered{}{}{}",
                recipient
                    .as_deref()
                    .map(|r| format!(" to {r}"))
                    .unwrap_or_default(),
                cash.map(|c| format!(
                    ", cash {}",
                    crate::money::format_cents(c, &config.currency())
                ))
                .unwrap_or_default(),
                if photo.is_some() {
                    ", with a photo"
                } else {
                    ""
                }
            )),
            _ => None,
        };
        let outcome = crate::orders::core::Outcome {
            to,
            paid: paid_now,
            failed: i.action == "failed",
            detail,
        };
        let actor = crate::orders::core::Actor::user(driver.0, driver.1);
        let command = crate::orders::core::Command::Outcome(outcome);
        crate::orders::core::apply_in(&mut tx, config, &actor, i.order_id, None, command).await?;
    }
    // A stop finished late or early moves the later stops' arrival times by as much.
    if i.action != "arrived" {
        shift_later_stops(&mut tx, row.run_id, row.seq, &now).await?;
    }
    tx.commit().await?;
    let change = (changed || paid_now || i.action == "failed").then(|| OrderChange {
        order_id: i.order_id,
        number: row.number,
        from,
        status: to,
        version: row.version + 1,
        by: crate::orders::model::first_name(driver.1),
    });
    Ok((
        UpdateResult {
            order_id: i.order_id,
            number: row.number,
            outcome: i.action,
            applied: true,
        },
        change,
    ))
}

/// Re-times the run's unfinished stops after `seq` from the actual time of that stop: each
/// keeps its planned gap to the previous one.
#[cfg(feature = "ssr")]
async fn shift_later_stops(
    tx: &mut crate::server::db::WriteTx,
    run_id: i64,
    seq: i64,
    now: &str,
) -> Result<(), AppError> {
    let parse = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|d| d.with_timezone(&chrono::Utc))
    };
    let Some(actual) = parse(now) else {
        return Ok(());
    };
    let planned = sqlx::query_scalar!(
        "SELECT eta FROM run_stops WHERE run_id = ? AND seq = ?",
        run_id,
        seq
    )
    .fetch_one(&mut **tx)
    .await?;
    let Some(planned) = parse(&planned) else {
        return Ok(());
    };
    // Early finishes don't pull later stops forward: the driver still waits for windows.
    let delay = (actual - planned).max(chrono::Duration::zero());
    if delay.is_zero() {
        return Ok(());
    }
    let later = sqlx::query!(
        "SELECT order_id, eta FROM run_stops
         WHERE run_id = ? AND seq > ? AND (outcome IS NULL OR outcome = 'arrived')",
        run_id,
        seq
    )
    .fetch_all(&mut **tx)
    .await?;
    for s in later {
        if let Some(eta) = parse(&s.eta) {
            let moved = crate::server::db::timestamp(eta + delay);
            sqlx::query!(
                "UPDATE run_stops SET eta = ? WHERE order_id = ?",
                moved,
                s.order_id
            )
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
