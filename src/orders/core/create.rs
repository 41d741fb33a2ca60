//! A new order's rows: the order, its lines, its first history line and its outbox rows,
//! written inside the intake's transaction (which has checked the rules, matched the customer
//! and claimed the idempotency key in the same transaction).
use sqlx::SqliteConnection;

use crate::error::AppError;
use crate::orders::model::{Fulfilment, PaymentMethod};
use crate::server::db::Batch;

/// One line of a new order.
pub struct NewLine {
    pub product_id: i64,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub note: Option<String>,
}

/// The customer an order is for, as their row reads once matched (what notifications say).
#[derive(Clone, Debug)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
}

/// A checked, priced order for a known customer.
pub struct NewOrder {
    pub customer: Contact,
    pub fulfilment: Fulfilment,
    pub day: String,
    pub window: Option<(String, String)>,
    pub address: Option<String>,
    pub pin: Option<(f64, f64)>,
    pub district_id: Option<i64>,
    /// A delivery's district-day after this order, as its caller read it under the write
    /// lock: (the district's name, its stops per day, the stops booked with this one), for the
    /// owner's nearly-full alert. None for a pickup or a delivery with no district yet.
    pub district_day: Option<(String, i64, i64)>,
    pub payment: PaymentMethod,
    pub subtotal_cents: i64,
    pub fee_cents: i64,
    /// Taken off by `promotions` (items + delivery).
    pub discount_cents: i64,
    /// The code that applied, as typed.
    pub promo_code: Option<String>,
    /// The promotions applied; their uses are recorded with the order.
    pub promotions: Vec<crate::promotions::rules::Applied>,
    /// The promotion `promo_code` names.
    pub code_promotion: Option<i64>,
    /// Loyalty points spent on the order (their value is in `discount_cents`), checked in the
    /// same transaction; the ledger's line is written with the order.
    pub points: Option<crate::loyalty::Redemption>,
    pub notes: Option<String>,
    /// `storefront` or `phone`.
    pub source: &'static str,
    pub flexible: Option<(String, String)>,
    /// The phone form's key (one order per form, however often it is sent).
    pub client_key: Option<String>,
    /// The standing order this is a visit of.
    pub standing_order_id: Option<i64>,
    pub lines: Vec<NewLine>,
    /// Who took it (phone orders); None for the storefront.
    pub taken_by: Option<i64>,
    /// The history line's text.
    pub detail: String,
    /// The customer's language code (their tracker and messages), when the storefront said it.
    pub language: Option<String>,
}

/// The new order's id, number and tracking token.
pub struct Created {
    pub order_id: i64,
    pub number: i64,
    pub tracking_token: String,
    pub total_cents: i64,
}

/// Writes `order` as received, inside the caller's write transaction. `then` adds the
/// caller's own rows that need the new order's id or number (the storefront's record of its
/// Idempotency-Key) to those that follow the order's; an `Err` from it undoes nothing yet
/// written and is returned (the caller's transaction is its to undo).
pub async fn create(
    conn: &mut SqliteConnection,
    order: &NewOrder,
    then: impl FnOnce(&Created, &mut Batch) -> Result<(), AppError>,
) -> Result<Created, AppError> {
    let now = crate::server::db::now();
    let created = insert_row(&mut *conn, order, &now).await?;
    let order_id = created.order_id;
    // What follows the order's row is written without reading anything back: its lines, its
    // history line, the webhook and email, the owner's alerts, the audit line and the
    // caller's rows go to SQLite's thread together (one round trip instead of eight or more,
    // under the write lock).
    let mut batch = Batch::default();
    for line in &order.lines {
        super::line::push(
            &mut batch,
            order_id,
            line.product_id,
            line.quantity,
            line.unit_price_cents,
            line.note.as_deref(),
        );
    }
    batch.push(
        "INSERT INTO order_events (order_id, actor_user_id, kind, to_status, detail, created_at)
         VALUES (?1, ?2, 'created', 'received', ?3, ?4)",
        vec![
            order_id.into(),
            order.taken_by.into(),
            order.detail.as_str().into(),
            now.as_str().into(),
        ],
    );
    announce(&mut batch, order, &created);
    audit_created(&mut batch, order, &created);
    then(&created, &mut batch)?;
    batch.run(&mut *conn).await?;
    crate::promotions::store::record_uses(
        &mut *conn,
        order_id,
        order.customer.id,
        order.promo_code.as_deref().zip(order.code_promotion),
        &order.promotions,
    )
    .await?;
    if let Some(r) = &order.points {
        crate::loyalty::store::redeem(
            &mut *conn,
            order.customer.id,
            order_id,
            (r.points, r.cents),
            r.on,
        )
        .await?;
    }
    Ok(created)
}

/// The new order's webhook, email and owner's alert, from what was just written: no reading
/// it back, since every statement under the write lock holds up the next order.
fn announce(batch: &mut Batch, order: &NewOrder, created: &Created) {
    let order_id = created.order_id;
    let (window_from, window_to) = order
        .window
        .as_ref()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .unzip();
    let c = &order.customer;
    let facts = crate::orders::notify::Facts {
        number: created.number,
        status: "received",
        fulfilment: order.fulfilment.as_str(),
        day: &order.day,
        window: (window_from, window_to),
        tracking_token: &created.tracking_token,
        name: &c.name,
        phone: &c.phone,
        email: c.email.as_deref(),
    };
    crate::orders::notify::enqueue_as(batch, order_id, "order.created", &facts);
    let alert = crate::alerts::store::Created {
        order_id,
        number: created.number,
        name: &c.name,
        day: &order.day,
        total_cents: created.total_cents,
        delivery_district: order
            .district_id
            .filter(|_| order.fulfilment == Fulfilment::Delivery),
        district_day: order
            .district_day
            .as_ref()
            .map(|(name, capacity, stops)| (name.as_str(), *capacity, *stops)),
    };
    crate::alerts::store::raise_created(batch, &alert, order.taken_by);
}

/// The order's row, numbered next in the same statement; its lines and the rest follow.
async fn insert_row(
    conn: &mut SqliteConnection,
    order: &NewOrder,
    now: &str,
) -> Result<Created, AppError> {
    let token = crate::server::tokens::tracking_token()?;
    let (fulfilment, payment) = (order.fulfilment.as_str(), order.payment.as_str());
    let paid = order.payment == PaymentMethod::Prepaid;
    let (window_from, window_to) = order.window.clone().unzip();
    let (lat, lng) = order.pin.unzip();
    let (flex_from, flex_to) = order.flexible.clone().unzip();
    let total = crate::orders::model::total_cents(
        order.subtotal_cents,
        order.fee_cents,
        order.discount_cents,
    );
    // The next number is taken in the same statement (inside the write transaction): one
    // round trip to SQLite's thread fewer per order than a SELECT MAX first.
    let row = sqlx::query!(
        r#"INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, window_from, window_to,
                             address, lat, lng, district_id, payment_method, paid, subtotal_cents, delivery_fee_cents,
                             total_cents, discount_cents, promo_code, notes, source, flex_from, flex_to, client_key,
                             standing_order_id, language, created_at, updated_at)
         VALUES ((SELECT COALESCE(MAX(number), 1000) + 1 FROM orders),
                 ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id AS "id!: i64", number AS "number!: i64""#,
        token, order.customer.id, fulfilment, order.day, window_from, window_to, order.address, lat, lng,
        order.district_id, payment, paid, order.subtotal_cents, order.fee_cents, total, order.discount_cents,
        order.promo_code, order.notes, order.source, flex_from, flex_to, order.client_key,
        order.standing_order_id, order.language, now, now
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Created {
        order_id: row.id,
        number: row.number,
        tracking_token: token,
        total_cents: total,
    })
}

/// The new order in the audit log, under who (or what) took it.
fn audit_created(batch: &mut Batch, order: &NewOrder, created: &Created) {
    let (number, total) = (created.number, created.total_cents);
    let fulfilment = order.fulfilment.as_str();
    let who = crate::audit::Who {
        id: order.taken_by,
        name: match order.source {
            "phone" => "Phone order".into(),
            "import" => "Spreadsheet import".into(),
            "storefront" => "Website".into(),
            "standing" => "Standing order".into(),
            other => other.to_string(),
        },
    };
    crate::audit::record_in(
        batch,
        &who,
        "order.created",
        &format!("Order #{number}"),
        serde_json::json!({"after": {"day": order.day, "fulfilment": fulfilment, "total_cents": total, "discount_cents": order.discount_cents, "lines": order.lines.len()}}),
    );
}
