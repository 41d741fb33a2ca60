//! Status changes: board moves, cancellation, payment, and the driver's report from the door.
//! The customer's loyalty points follow the status in the same transaction: a delivered or
//! collected order earns, one moved back gives its earning back, a cancelled one gets back the
//! points it spent.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::engine::Written;
use super::found::Found;
use super::Outcome;
use crate::error::AppError;
use crate::orders::model::{move_refusal, OrderStatus};

pub(super) async fn move_to(
    conn: &mut SqliteConnection,
    f: &Found,
    to: OrderStatus,
    today: NaiveDate,
) -> Result<Written, AppError> {
    if let Some(reason) = move_refusal(f.fulfilment, f.status, to, f.pin.is_some()) {
        return Err(AppError::invalid("status", reason));
    }
    set_status(conn, f.id, to, false).await?;
    points_follow(conn, f, to, today).await?;
    Ok(Written {
        kind: "status",
        to,
        detail: None,
        notify: Some("order.status_changed"),
        to_day: None,
        pin_moved: false,
        district: None,
        audit_detail: None,
    })
}

pub(super) async fn cancel(
    conn: &mut SqliteConnection,
    f: &Found,
    reason: &str,
    today: NaiveDate,
) -> Result<Written, AppError> {
    if matches!(
        f.status,
        OrderStatus::Cancelled | OrderStatus::Delivered | OrderStatus::Collected
    ) {
        return Err(AppError::invalid(
            "status",
            crate::said::said_with(
                "refuse-cancel-closed",
                &[("status", &f.status.in_refusal())],
            ),
        ));
    }
    set_status(conn, f.id, OrderStatus::Cancelled, false).await?;
    points_follow(conn, f, OrderStatus::Cancelled, today).await?;
    Ok(Written {
        kind: "cancelled",
        to: OrderStatus::Cancelled,
        detail: Some(reason.to_string()),
        notify: Some("order.cancelled"),
        to_day: None,
        pin_moved: false,
        district: None,
        audit_detail: None,
    })
}

pub(super) async fn mark_paid(conn: &mut SqliteConnection, f: &Found) -> Result<Written, AppError> {
    if f.paid {
        return Err(AppError::invalid("paid", crate::said::said("refuse-paid")));
    }
    set_status(conn, f.id, f.status, true).await?;
    Ok(Written {
        kind: "paid",
        to: f.status,
        detail: None,
        notify: None,
        to_day: None,
        pin_moved: false,
        district: None,
        audit_detail: None,
    })
}

/// The driver's report. The driver module decides what the report means (its own rules on
/// which stops are theirs); the order's side is written here.
pub(super) async fn outcome(
    conn: &mut SqliteConnection,
    f: &Found,
    o: &Outcome,
    today: NaiveDate,
) -> Result<Written, AppError> {
    if f.status == OrderStatus::Cancelled {
        return Err(AppError::Conflict(crate::said::said_with(
            "refuse-outcome-cancelled",
            &[("number", &f.number)],
        )));
    }
    set_status(conn, f.id, o.to, o.paid).await?;
    points_follow(conn, f, o.to, today).await?;
    Ok(Written {
        kind: if o.failed {
            "delivery_failed"
        } else {
            "status"
        },
        to: o.to,
        detail: o.detail.clone(),
        notify: Some("order.status_changed"),
        to_day: None,
        pin_moved: false,
        district: None,
        audit_detail: None,
    })
}

/// The loyalty ledger's side of a status change.
async fn points_follow(
    conn: &mut SqliteConnection,
    f: &Found,
    to: OrderStatus,
    today: NaiveDate,
) -> Result<(), AppError> {
    use crate::loyalty::store;
    let done = |s: OrderStatus| matches!(s, OrderStatus::Delivered | OrderStatus::Collected);
    match (done(f.status), done(to)) {
        (false, true) => store::on_fulfilled(conn, f.id, today).await?,
        (true, false) => store::on_unfulfilled(conn, f.id, today).await?,
        _ => {}
    }
    if to == OrderStatus::Cancelled {
        store::give_back(conn, f.id, today).await?;
    }
    Ok(())
}

async fn set_status(
    conn: &mut SqliteConnection,
    order_id: i64,
    to: OrderStatus,
    paid: bool,
) -> Result<(), AppError> {
    let to = to.as_str();
    sqlx::query!(
        "UPDATE orders SET status = ?, paid = CASE WHEN ? THEN 1 ELSE paid END WHERE id = ?",
        to,
        paid,
        order_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
