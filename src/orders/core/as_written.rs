//! Orders as they were: a bakery's past written as it happened, each order with the stage,
//! payment and arrival time it had, its lines and its history — the demo bakery's last four
//! weeks, its next two and the year before.
//!
//! This is not a change to a living order: no rule is checked, no version bumped, no outbox row
//! or live event written, because the past is not news and nobody is to be told of it. It is
//! written here, by the order core, so that the core stays the one writer of `orders` and
//! `order_items` with no exemption; the capacity counters follow by their triggers as for any
//! other order.
use crate::error::AppError;

/// One order as it was.
pub struct PastOrder {
    pub number: i64,
    pub customer_id: i64,
    /// Its stage now (`delivered`, `cancelled`, `confirmed`, …).
    pub status: &'static str,
    pub fulfilment: &'static str,
    pub fulfil_on: String,
    pub window: (String, String),
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub district_id: Option<i64>,
    pub payment: &'static str,
    pub paid: bool,
    pub subtotal: i64,
    pub fee: i64,
    pub notes: Option<String>,
    /// When it arrived (UTC timestamp); its history lines carry the same time.
    pub created: String,
    /// (product, quantity, unit price).
    pub lines: Vec<(i64, i64, i64)>,
    /// The reason a cancelled order was cancelled for, written as its history line.
    pub cancelled_because: Option<String>,
}

/// Writes a past order, its lines and its history ("created", and "cancelled" with the reason
/// when there is one); returns its id. The order's `source` is `demo`.
pub async fn write(tx: &mut sqlx::SqliteConnection, o: &PastOrder) -> Result<i64, AppError> {
    let token = crate::server::tokens::tracking_token()?;
    let total = o.subtotal + o.fee;
    let (wf, wt) = (&o.window.0, &o.window.1);
    let id = sqlx::query!(
        "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, window_from, window_to,
                             address, lat, lng, district_id, payment_method, paid, subtotal_cents, delivery_fee_cents,
                             total_cents, notes, source, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'demo', ?, ?)",
        o.number, token, o.customer_id, o.status, o.fulfilment, o.fulfil_on, wf, wt,
        o.address, o.lat, o.lng, o.district_id, o.payment, o.paid, o.subtotal, o.fee, total, o.notes,
        o.created, o.created
    )
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    for (pid, qty, price) in &o.lines {
        super::line::insert(&mut *tx, id, *pid, *qty, *price, None).await?;
    }
    let made = crate::orders::history::make::made(crate::orders::history::make::Made::Demo);
    sqlx::query!(
        "INSERT INTO order_events (order_id, kind, to_status, detail, created_at) VALUES (?, 'created', 'received', ?, ?)",
        id, made, o.created
    )
    .execute(&mut *tx)
    .await?;
    if let Some(reason) = &o.cancelled_because {
        sqlx::query!(
            "INSERT INTO order_events (order_id, kind, from_status, to_status, detail, created_at)
             VALUES (?, 'cancelled', 'received', 'cancelled', ?, ?)",
            id,
            reason,
            o.created
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(id)
}

/// Deletes every order with its lines and history: `hearth demo --reset`, once what names
/// orders (runs, promotion uses, the kitchen's and the points' rows) is gone.
pub async fn clear_in(conn: &mut sqlx::SqliteConnection) -> Result<(), AppError> {
    for table in [
        "DELETE FROM order_events",
        "DELETE FROM order_items",
        "DELETE FROM orders",
    ] {
        sqlx::query(table).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Every other upcoming delivery not yet baking (those with an even id), on or after `from`,
/// accepts any day from three days before its day (not before `earliest`) to three after.
pub async fn flexible_within_their_week(
    tx: &mut sqlx::SqliteConnection,
    from: &str,
    earliest: &str,
) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        "UPDATE orders SET flex_from = MAX(date(fulfil_on, '-3 day'), ?), flex_to = date(fulfil_on, '+3 day')
         WHERE fulfilment = 'delivery' AND status IN ('received', 'confirmed') AND fulfil_on >= ? AND id % 2 = 0",
        earliest,
        from
    )
    .execute(&mut *tx)
    .await?
    .rows_affected())
}

/// The past orders that used a promotion (`promotion_uses`, written by the promotions' seed)
/// take its discount and code, and their totals follow.
pub async fn discounts_as_used(tx: &mut sqlx::SqliteConnection) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        "UPDATE orders SET
             discount_cents = (SELECT SUM(u.items_cents + u.delivery_cents) FROM promotion_uses u WHERE u.order_id = orders.id),
             promo_code = (SELECT u.code FROM promotion_uses u WHERE u.order_id = orders.id AND u.code IS NOT NULL),
             total_cents = MAX(0, subtotal_cents + delivery_fee_cents
                                  - (SELECT SUM(u.items_cents + u.delivery_cents) FROM promotion_uses u WHERE u.order_id = orders.id))
         WHERE id IN (SELECT order_id FROM promotion_uses)"
    )
    .execute(&mut *tx)
    .await?
    .rows_affected())
}

/// A past order on which its customer spent loyalty points worth `cents` (the loyalty seed
/// writes the ledger's line): its discount and total follow.
pub async fn points_as_spent(
    tx: &mut sqlx::SqliteConnection,
    order_id: i64,
    cents: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE orders SET discount_cents = discount_cents + ?1,
                           total_cents = MAX(0, total_cents - ?1)
         WHERE id = ?2",
        cents,
        order_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
