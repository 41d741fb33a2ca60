//! Taking an order: business rules, capacity, customer match, insert — all in one
//! `BEGIN IMMEDIATE` transaction — and the idempotency records around it.
use std::collections::HashMap;

use chrono::Datelike;
use sqlx::{SqliteConnection, SqlitePool};

use super::calendar::{self, PICKUP_CLOSES, PICKUP_DAYS, PICKUP_OPENS};
use super::model::{DeliveryOut, ErrorBody, FieldError, OrderCreated};
use super::validate::{ProductRef, ValidOrder};
use crate::districts::model::{weekday_summary, District};
use crate::error::AppError;
use crate::money::format_cents;
use crate::orders::model::Fulfilment;
use crate::server::config::Config;
use crate::server::db;

/// Why an order was not taken.
#[derive(Debug)]
pub enum Refusal {
    /// A business rule said no (422): reasons and the next dates that would work.
    Rules(ErrorBody),
    Internal(AppError),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Internal(e)
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(e: sqlx::Error) -> Self {
        Refusal::Internal(e.into())
    }
}

/// Active and inactive products by SKU.
pub async fn products(pool: &SqlitePool) -> Result<HashMap<String, ProductRef>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", sku, name, price_cents, active AS "active: bool" FROM products"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.sku,
                ProductRef {
                    id: r.id,
                    name: r.name,
                    price_cents: r.price_cents,
                    active: r.active,
                },
            )
        })
        .collect())
}

/// What an order costs and where it goes, once the rules have passed.
#[derive(Debug, Clone)]
pub struct Priced {
    pub district: Option<District>,
    pub subtotal_cents: i64,
    pub fee_cents: i64,
}

fn refuse(field: &str, message: String, next: Vec<String>) -> Refusal {
    Refusal::Rules(ErrorBody {
        errors: vec![FieldError {
            field: field.into(),
            message,
        }],
        next_possible_dates: next,
    })
}

/// Applies the business rules to a well-formed order (calendar, capacity, minimum order).
pub async fn check_rules(
    conn: &mut SqliteConnection,
    config: &Config,
    districts: &[District],
    order: &ValidOrder,
) -> Result<Priced, Refusal> {
    let day = order.date;
    let key = day.to_string();
    let subtotal = order.subtotal_cents();
    let today = config.today();
    let cur = &config.currency;
    let district =
        match (order.fulfilment, order.coords) {
            (Fulfilment::Delivery, Some((lat, lng))) => {
                match crate::districts::locate::locate(districts, lat, lng) {
                    Some(d) => Some(d.clone()),
                    None => return Err(refuse(
                        "fulfilment.lat",
                        "This address is outside every delivery district; choose pickup instead."
                            .into(),
                        vec![],
                    )),
                }
            }
            _ => None,
        };
    if let Some(d) = &district {
        if !crate::districts::model::serves(d.served_weekdays, day.weekday()) {
            let next = calendar::next_dates(conn, Some(d), &order.items, today).await?;
            return Err(refuse(
                "fulfilment.date",
                format!(
                    "{} is delivered on {}, not on {}.",
                    d.name,
                    weekday_summary(d.served_weekdays),
                    day.format("%A")
                ),
                next,
            ));
        }
        if calendar::stops_booked(conn, d.id, &key).await? >= d.capacity_per_day {
            let next = calendar::next_dates(conn, Some(d), &order.items, today).await?;
            return Err(refuse(
                "fulfilment.date",
                format!("{} has no delivery slots left on {key}.", d.name),
                next,
            ));
        }
        if subtotal < d.min_order_cents {
            return Err(refuse(
                "items",
                format!(
                    "The minimum order for delivery to {} is {} (this order is {}).",
                    d.name,
                    format_cents(d.min_order_cents, cur),
                    format_cents(subtotal, cur)
                ),
                vec![],
            ));
        }
    }
    if order.fulfilment == Fulfilment::Pickup {
        if !PICKUP_DAYS.contains(&day.weekday()) {
            let next = calendar::next_dates(conn, None, &order.items, today).await?;
            return Err(refuse(
                "fulfilment.date",
                format!("The bakery is closed for pickups on {}.", day.format("%A")),
                next,
            ));
        }
        if let Some((from, _)) = &order.window {
            if from.as_str() < PICKUP_OPENS || from.as_str() >= PICKUP_CLOSES {
                return Err(refuse(
                    "fulfilment.time",
                    format!("Pickups are between {PICKUP_OPENS} and {PICKUP_CLOSES}."),
                    vec![],
                ));
            }
        }
    }
    let short = calendar::short_items(conn, &order.items, &key).await?;
    if let Some((i, left)) = short.first() {
        let item = &order.items[*i];
        let next = calendar::next_dates(conn, district.as_ref(), &order.items, today).await?;
        let message = if *left == 0 {
            format!("{} is sold out on {key}.", item.name)
        } else {
            format!("Only {left} × {} left on {key}.", item.name)
        };
        return Err(refuse(&format!("items[{i}].quantity"), message, next));
    }
    let fee = district.as_ref().map_or(0, |d| d.delivery_fee_cents);
    Ok(Priced {
        district,
        subtotal_cents: subtotal,
        fee_cents: fee,
    })
}

/// The idempotency record of a request: (API key id, Idempotency-Key).
#[derive(Debug, Clone)]
pub struct IdemKey {
    pub api_key_id: i64,
    pub key: String,
}

/// Where a request stands with respect to its Idempotency-Key.
#[derive(Debug, PartialEq)]
pub enum Claim {
    /// First time (or a crashed attempt's abandoned claim): go ahead.
    Fresh,
    /// Already done: send this again.
    Replay { status: u16, body: String },
    /// The first request with this key is still running.
    InFlight,
    /// The key was used with a different body.
    Mismatch,
}

/// A pending claim older than this is from a request that died; a retry may take it over.
const ABANDONED_AFTER_SECS: i64 = 60;

/// Claims `key` for a request whose body hashes to `request_hash`.
pub async fn claim(
    pool: &SqlitePool,
    key: &IdemKey,
    request_hash: &str,
) -> Result<Claim, AppError> {
    let mut tx = db::begin_write(pool).await?;
    let row = sqlx::query!(
        "SELECT request_hash, state, response_status, response_body, updated_at
         FROM idempotency_keys WHERE api_key_id = ? AND idem_key = ?",
        key.api_key_id,
        key.key
    )
    .fetch_optional(&mut *tx)
    .await?;
    let now = db::now();
    let claim = match row {
        None => {
            sqlx::query!(
                "INSERT INTO idempotency_keys (api_key_id, idem_key, request_hash, state, created_at, updated_at)
                 VALUES (?, ?, ?, 'pending', ?, ?)",
                key.api_key_id,
                key.key,
                request_hash,
                now,
                now
            )
            .execute(&mut *tx)
            .await?;
            Claim::Fresh
        }
        Some(r) if r.request_hash != request_hash => Claim::Mismatch,
        Some(r) if r.state == "done" => Claim::Replay {
            status: r.response_status.unwrap_or(201) as u16,
            body: r.response_body.unwrap_or_default(),
        },
        Some(r) => {
            let abandoned =
                db::timestamp(chrono::Utc::now() - chrono::Duration::seconds(ABANDONED_AFTER_SECS));
            if r.updated_at < abandoned {
                sqlx::query!(
                    "UPDATE idempotency_keys SET updated_at = ? WHERE api_key_id = ? AND idem_key = ?",
                    now,
                    key.api_key_id,
                    key.key
                )
                .execute(&mut *tx)
                .await?;
                Claim::Fresh
            } else {
                Claim::InFlight
            }
        }
    };
    tx.commit().await?;
    Ok(claim)
}

/// Drops a pending claim after a refusal, so that the same key can be retried once the
/// problem (e.g. capacity) is gone. Nothing was written for it.
pub async fn release(pool: &SqlitePool, key: &IdemKey) -> Result<(), AppError> {
    sqlx::query!(
        "DELETE FROM idempotency_keys WHERE api_key_id = ? AND idem_key = ? AND state = 'pending'",
        key.api_key_id,
        key.key
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Where orders come from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Storefront,
    /// Taken by a staff member (named in the history); `key` is the form's own key: the same
    /// key again answers with the order already taken.
    Phone {
        staff: i64,
        key: &'a str,
    },
}

/// Takes an order: rules and capacity, customer match by phone, order + items + history, and
/// (for the API) the idempotency record — one transaction, so a crash leaves nothing half-done.
pub async fn create(
    pool: &SqlitePool,
    config: &Config,
    order: &ValidOrder,
    source: Source<'_>,
    idem: Option<&IdemKey>,
    public_url: &str,
) -> Result<(OrderCreated, i64), Refusal> {
    let districts = crate::districts::repo::list(pool).await?;
    let mut tx = db::begin_write(pool).await?;
    let client_key = match source {
        Source::Phone { key, .. } => Some(key),
        Source::Storefront => None,
    };
    if let Some(key) = client_key {
        // Inside the write transaction: two submissions of one form cannot both miss.
        if let Some(done) = taken_with_key(&mut tx, key, public_url).await? {
            return Ok(done);
        }
    }
    let priced = check_rules(&mut tx, config, &districts, order).await?;
    let now = db::now();
    let c = &order.customer;
    let (lat, lng) = order.coords.unzip();
    let district_id = priced.district.as_ref().map(|d| d.id);
    let customer_id = sqlx::query_scalar!(
        r#"INSERT INTO customers (name, phone, email, address, lat, lng, district_id, marketing_opt_in, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (phone) DO UPDATE SET
               name = excluded.name,
               email = COALESCE(excluded.email, customers.email),
               address = COALESCE(excluded.address, customers.address),
               lat = COALESCE(excluded.lat, customers.lat),
               lng = COALESCE(excluded.lng, customers.lng),
               district_id = COALESCE(excluded.district_id, customers.district_id),
               marketing_opt_in = MAX(excluded.marketing_opt_in, customers.marketing_opt_in),
               updated_at = excluded.updated_at
           RETURNING id AS "id!: i64""#,
        c.name,
        c.phone,
        c.email,
        order.address,
        lat,
        lng,
        district_id,
        c.marketing_opt_in,
        now,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    let number =
        sqlx::query_scalar!(r#"SELECT COALESCE(MAX(number), 1000) + 1 AS "n!: i64" FROM orders"#)
            .fetch_one(&mut *tx)
            .await?;
    let token = crate::server::demo::tracking_token()?;
    let fulfilment = match order.fulfilment {
        Fulfilment::Delivery => "delivery",
        Fulfilment::Pickup => "pickup",
    };
    let payment = match order.payment {
        crate::orders::model::PaymentMethod::Cod => "cod",
        crate::orders::model::PaymentMethod::Prepaid => "prepaid",
        crate::orders::model::PaymentMethod::PayAtPickup => "pay_at_pickup",
    };
    let paid = order.payment == crate::orders::model::PaymentMethod::Prepaid;
    let (window_from, window_to) = order.window.clone().unzip();
    let day = order.date.to_string();
    let (flex_from, flex_to) = order
        .flexible
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unzip();
    let total = priced.subtotal_cents + priced.fee_cents;
    let (source_name, actor) = match source {
        Source::Storefront => ("storefront", None),
        Source::Phone { staff, .. } => ("phone", Some(staff)),
    };
    let order_id = sqlx::query!(
        "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, window_from, window_to,
                             address, lat, lng, district_id, payment_method, paid, subtotal_cents, delivery_fee_cents,
                             total_cents, notes, source, flex_from, flex_to, client_key, created_at, updated_at)
         VALUES (?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        number, token, customer_id, fulfilment, day, window_from, window_to, order.address, lat, lng,
        district_id, payment, paid, priced.subtotal_cents, priced.fee_cents, total, order.notes, source_name,
        flex_from, flex_to, client_key, now, now
    )
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    for item in &order.items {
        sqlx::query!(
            "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents, note) VALUES (?, ?, ?, ?, ?)",
            order_id,
            item.product_id,
            item.quantity,
            item.unit_price_cents,
            item.note
        )
        .execute(&mut *tx)
        .await?;
    }
    let detail = match (&order.payment_reference, order.coords) {
        _ if actor.is_some() => "Taken by phone".to_string(),
        (Some(r), _) => format!("Placed via {source_name}; payment reference {r}"),
        (None, None) if order.fulfilment == Fulfilment::Delivery => {
            format!("Placed via {source_name}; needs a location pin")
        }
        _ => format!("Placed via {source_name}"),
    };
    sqlx::query!(
        "INSERT INTO order_events (order_id, actor_user_id, kind, to_status, detail, created_at)
         VALUES (?, ?, 'created', 'received', ?, ?)",
        order_id,
        actor,
        detail,
        now
    )
    .execute(&mut *tx)
    .await?;
    crate::orders::notify::enqueue(&mut tx, order_id, "order.created").await?;
    let created = OrderCreated {
        order_number: number,
        tracking_url: format!("{}/t/{token}", public_url.trim_end_matches('/')),
        tracking_token: token,
        status: "received".into(),
        total_cents: total,
        delivery: priced.district.as_ref().map(|d| DeliveryOut {
            district: d.name.clone(),
            date: day.clone(),
        }),
        needs_location: order.fulfilment == Fulfilment::Delivery && order.coords.is_none(),
    };
    if let Some(idem) = idem {
        let body =
            serde_json::to_string(&created).map_err(|e| AppError::internal("response json", e))?;
        sqlx::query!(
            "UPDATE idempotency_keys SET state = 'done', response_status = 201, response_body = ?, order_id = ?, updated_at = ?
             WHERE api_key_id = ? AND idem_key = ?",
            body,
            order_id,
            now,
            idem.api_key_id,
            idem.key
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        order = number,
        customer_id,
        source = source_name,
        "order received"
    );
    Ok((created, order_id))
}

/// The order a phone form already took with `key`, as its creation answered.
async fn taken_with_key(
    conn: &mut SqliteConnection,
    key: &str,
    public_url: &str,
) -> Result<Option<(OrderCreated, i64)>, AppError> {
    let row = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, o.tracking_token, o.status, o.total_cents, o.fulfil_on,
                  o.fulfilment, o.lat, d.name AS "district?"
           FROM orders o LEFT JOIN districts d ON d.id = o.district_id WHERE o.client_key = ?"#,
        key
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| {
        let created = OrderCreated {
            order_number: r.number,
            tracking_url: format!(
                "{}/t/{}",
                public_url.trim_end_matches('/'),
                r.tracking_token
            ),
            tracking_token: r.tracking_token,
            status: r.status,
            total_cents: r.total_cents,
            delivery: r.district.map(|district| DeliveryOut {
                district,
                date: r.fulfil_on.clone(),
            }),
            needs_location: r.fulfilment == "delivery" && r.lat.is_none(),
        };
        (created, r.id)
    }))
}
