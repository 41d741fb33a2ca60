//! Applying a driver's report from a stop in one write: checked first (key, action, texts,
//! photo, cash), a retried key answered as before, then the stop's record and, through the
//! order core, the order's outcome; later stops re-timed when this one ran late.
use crate::error::AppError;
use crate::orders::model::{OrderChange, OrderStatus};
use crate::said::{said, said_with};

use super::{check_photo, Input, UpdateResult, FAIL_REASONS};

/// An update whose fields passed their checks.
struct Checked {
    key: String,
    recipient: Option<String>,
    note: Option<String>,
    reason: Option<String>,
    photo: Option<(Vec<u8>, i64, i64)>,
}

/// Applies a driver's update to a stop of their own published run; the answer, and the live
/// event to send when the order changed.
pub async fn apply(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
    driver: (i64, &str),
    i: Input,
) -> Result<(UpdateResult, Option<OrderChange>), AppError> {
    let c = checked(&i)?;
    let mut tx = crate::server::db::begin_write(pool).await?;
    if let Some(done) = replayed(&mut tx, &c.key, driver.0, &i).await? {
        return Ok((done, None));
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
    let to = target(&i.action, from, row.number)?;
    let now = crate::server::db::now();
    let cod_due = row.payment_method == "cod" && !row.paid;
    let cash = if i.action == "delivered" && cod_due {
        Some(i.cash_cents.unwrap_or(0))
    } else {
        None
    };
    let paid_now = cash.is_some_and(|c| c >= row.total_cents);
    record(&mut tx, driver.0, &i, &c, cash, &now).await?;
    let changed = to != from;
    // A failed attempt is always in the history, even when the order was still "ready".
    if changed || paid_now || i.action == "failed" {
        let outcome = crate::orders::core::Outcome {
            to,
            paid: paid_now,
            failed: i.action == "failed",
            detail: history_detail(&i.action, &c, cash, &config.currency()),
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

/// The update's fields checked before anything is read or written; the first bad one named.
fn checked(i: &Input) -> Result<Checked, AppError> {
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
    let recipient = clean(i.recipient.clone(), "recipient", 80)?;
    let note = clean(i.note.clone(), "note", 300)?;
    let reason = clean(i.reason.clone(), "reason", 80)?;
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
    Ok(Checked {
        key,
        recipient,
        note,
        reason,
        photo,
    })
}

/// A retry of an applied update: the same answer, no change, but only to the driver who sent
/// it: anyone else gets what they would get for a stop that isn't theirs.
async fn replayed(
    tx: &mut crate::server::db::WriteTx,
    key: &str,
    driver_id: i64,
    i: &Input,
) -> Result<Option<UpdateResult>, AppError> {
    if let Some(done) = sqlx::query!(
        "SELECT order_id, action, driver_id FROM driver_updates WHERE key = ?",
        key
    )
    .fetch_optional(&mut **tx)
    .await?
    {
        if done.driver_id != driver_id {
            tracing::warn!(driver_id, "update key of another driver replayed");
            return Err(AppError::NotFound(crate::said::said(
                "refuse-what-that-stop",
            )));
        }
        if done.order_id != i.order_id || done.action != i.action {
            return Err(AppError::Conflict(said("refuse-update-key-used")));
        }
        let number = sqlx::query_scalar!("SELECT number FROM orders WHERE id = ?", i.order_id)
            .fetch_one(&mut **tx)
            .await?;
        return Ok(Some(UpdateResult {
            order_id: i.order_id,
            number,
            outcome: done.action,
            applied: false,
        }));
    }
    Ok(None)
}

/// The stage the order goes to when `action` is reported at its stop (refused for a cancelled
/// order, and for anything but a delivery of one already delivered).
fn target(action: &str, from: OrderStatus, number: i64) -> Result<OrderStatus, AppError> {
    Ok(match (action, from) {
        (_, OrderStatus::Cancelled) => {
            return Err(AppError::Conflict(said_with(
                "refuse-outcome-cancelled",
                &[("number", &number)],
            )))
        }
        (_, OrderStatus::Delivered) if action != "delivered" => {
            return Err(AppError::Conflict(said_with(
                "refuse-already-delivered",
                &[("number", &number)],
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
    })
}

/// The stop's record: the key (so a retry is known), the outcome on the run's stop with who
/// took it and the cash, and the photo.
async fn record(
    tx: &mut crate::server::db::WriteTx,
    driver_id: i64,
    i: &Input,
    c: &Checked,
    cash: Option<i64>,
    now: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO driver_updates (key, driver_id, order_id, action) VALUES (?, ?, ?, ?)",
        c.key,
        driver_id,
        i.order_id,
        i.action
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "UPDATE run_stops SET outcome = ?, outcome_at = ?, recipient = COALESCE(?, recipient),
                cash_collected_cents = COALESCE(?, cash_collected_cents), fail_reason = ?, fail_note = ?
         WHERE order_id = ?",
        i.action,
        now,
        c.recipient,
        cash,
        c.reason,
        c.note,
        i.order_id
    )
    .execute(&mut **tx)
    .await?;
    if let Some((bytes, width, height)) = &c.photo {
        sqlx::query!(
            "INSERT INTO delivery_photos (order_id, content_type, bytes, width, height, taken_by, created_at)
             VALUES (?, 'image/jpeg', ?, ?, ?, ?, ?)
             ON CONFLICT (order_id) DO UPDATE SET bytes = excluded.bytes, width = excluded.width,
                 height = excluded.height, taken_by = excluded.taken_by, created_at = excluded.created_at",
            i.order_id,
            bytes,
            width,
            height,
            driver_id,
            now
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The line the order's history gets: a failure's reason and note, or who received a
/// delivery, the cash and whether there is a photo.
fn history_detail(action: &str, c: &Checked, cash: Option<i64>, currency: &str) -> Option<String> {
    use crate::orders::history::make;
    match action {
        "failed" => Some(make::failed(
            c.reason.as_deref().unwrap_or_default(),
            c.note.as_deref(),
        )),
        "delivered" => Some(make::delivered(
            c.recipient.as_deref(),
            cash.map(|cents| (cents, currency)),
            c.photo.is_some(),
        )),
        _ => None,
    }
}

/// Re-times the run's unfinished stops after `seq` from the actual time of that stop: each
/// keeps its planned gap to the previous one.
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
