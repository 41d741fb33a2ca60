//! Taking an order: business rules, capacity, customer match, insert — all in one
//! `BEGIN IMMEDIATE` transaction — and the idempotency records around it.
use std::collections::HashMap;

use sqlx::{SqliteConnection, SqlitePool};

use super::model::{DeliveryOut, ErrorBody, FieldError, OrderCreated};
use super::validate::{ProductRef, ValidOrder};
use crate::districts::model::District;
use crate::error::AppError;
use crate::orders::core::calendar::{self, BookingRules, Way};
use crate::orders::core::capacity;
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
        r#"SELECT id AS "id!", sku, name, price_cents, active AS "active: bool", min_quantity, max_quantity
           FROM products"#
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
                    min_quantity: r.min_quantity,
                    max_quantity: r.max_quantity,
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
        promo_refusal: None,
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
    let subtotal = order.subtotal_cents();
    let today = config.today();
    let district = match (order.fulfilment, order.coords) {
        (Fulfilment::Delivery, Some((lat, lng))) => {
            match crate::districts::locate::locate(districts, lat, lng) {
                Some(d) => Some(d.clone()),
                None => {
                    return Err(refuse(
                        "fulfilment.lat",
                        crate::said::said("refuse-outside"),
                        vec![],
                    ))
                }
            }
        }
        _ => None,
    };
    // The calendar, and what is booked on the order's day: all an accepted order needs, read
    // while the write lock is held. Only a refusal reads the fortnight, for its next dates.
    let rules = BookingRules::load(conn).await?;
    let lines = lines_of(conn, order).await?;
    let products: Vec<i64> = lines.iter().map(|l| l.product_id).collect();
    let booked = capacity::Booked::load_for(conn, day, day, today, Some(&products)).await?;
    let now = config.now_local();
    let way = way_of(order.fulfilment);
    let refusal = rules
        .booking_refusal(now, &lines, day, way)
        .or_else(|| match &order.window {
            Some((from, _)) if way == Way::Pickup => rules.pickup_time_refusal(day, from),
            _ => None,
        })
        .or_else(|| match &district {
            Some(d) => {
                capacity::delivery_refusal(&booked, d, &lines, subtotal, day, &config.currency())
            }
            None => capacity::units_refusal(&booked, &lines, day),
        })
        .or_else(|| {
            let d = district.as_ref().filter(|_| way == Way::Delivery)?;
            calendar::window_refusal(d, day, order.window.as_ref())
        });
    if let Some(r) = refusal {
        // A minimum or a pickup time is not a matter of days: no dates to offer.
        let dated = r.field == "fulfilment.date" || r.field.starts_with("items[");
        let next = if dated {
            next_dates(conn, config, district.as_ref(), order).await?
        } else {
            vec![]
        };
        return Err(refuse(&r.field, r.message, next));
    }
    let fee = district.as_ref().map_or(0, |d| d.delivery_fee_cents);
    Ok(Priced {
        district,
        subtotal_cents: subtotal,
        fee_cents: fee,
    })
}

/// The promotions `order` gets (automatic ones, and its code), and the order with any free
/// products added as lines (so that capacity counts them).
pub async fn promotions(
    conn: &mut SqliteConnection,
    config: &Config,
    districts: &[District],
    order: &ValidOrder,
) -> Result<(crate::promotions::store::Pricing, ValidOrder), AppError> {
    let district = match (order.fulfilment, order.coords) {
        (Fulfilment::Delivery, Some((lat, lng))) => {
            crate::districts::locate::locate(districts, lat, lng)
        }
        _ => None,
    };
    let basket = crate::promotions::rules::Basket {
        lines: crate::promotions::store::basket_lines(
            order
                .items
                .iter()
                .map(|i| (i.product_id, i.quantity, i.unit_price_cents)),
        ),
        fee_cents: district.map_or(0, |d| d.delivery_fee_cents),
        district_id: district.map(|d| d.id),
        day: order.date,
        today: config.today(),
    };
    let pricing = crate::promotions::store::price(
        conn,
        order.promo_code.as_deref(),
        &order.customer.phone,
        &basket,
    )
    .await?;
    let mut with_free = order.clone();
    for (line, free) in pricing.outcome.free_lines.iter().zip(&pricing.free) {
        with_free.items.push(super::validate::ValidItem {
            product_id: free.product_id,
            sku: free.sku.clone(),
            name: free.name.clone(),
            quantity: line.quantity,
            unit_price_cents: line.unit_price_cents,
            note: Some(format!("Free: {}", free.promotion)),
        });
    }
    Ok((pricing, with_free))
}

/// The API's account of the promotions applied and of the code asked for.
pub fn discounts_out(
    pricing: &crate::promotions::store::Pricing,
    currency: &str,
) -> (
    Vec<super::model::DiscountOut>,
    Option<super::model::PromoCodeOut>,
) {
    let discounts = pricing
        .outcome
        .applied
        .iter()
        .map(|a| super::model::DiscountOut {
            promotion: a.name.clone(),
            items_cents: a.items_cents,
            delivery_cents: a.delivery_cents,
            free_sku: a.free_product.and_then(|id| {
                pricing
                    .free
                    .iter()
                    .find(|f| f.product_id == id)
                    .map(|f| f.sku.clone())
            }),
        })
        .collect();
    let code = pricing.code.as_ref().map(|c| super::model::PromoCodeOut {
        code: c.code.clone(),
        applied: c.refusal.is_none(),
        refusal: c.refusal,
        message: c
            .refusal
            .map(|r| crate::promotions::rules::explain(r, c.promotion.as_ref(), currency)),
    });
    (discounts, code)
}

fn way_of(f: Fulfilment) -> Way {
    match f {
        Fulfilment::Delivery => Way::Delivery,
        Fulfilment::Pickup => Way::Pickup,
    }
}

/// Up to three days from today on which `order` would fit (one snapshot of the calendar).
pub async fn next_dates(
    conn: &mut SqliteConnection,
    config: &Config,
    district: Option<&District>,
    order: &ValidOrder,
) -> Result<Vec<String>, AppError> {
    let today = config.today();
    let rules = BookingRules::load(conn).await?;
    let lines = lines_of(conn, order).await?;
    let products: Vec<i64> = lines.iter().map(|l| l.product_id).collect();
    let booked =
        capacity::Booked::load_for(conn, today, rules.last_day(today), today, Some(&products))
            .await?;
    let (now, way) = (config.now_local(), way_of(order.fulfilment));
    Ok(capacity::next_dates(
        &booked,
        district,
        &lines,
        rules.days(today),
        |d| rules.booking_refusal(now, &lines, d, way).is_none(),
    ))
}

/// The order's lines with each product's daily capacity (one query).
pub(crate) async fn lines_of(
    conn: &mut SqliteConnection,
    order: &ValidOrder,
) -> Result<Vec<capacity::Line>, AppError> {
    let terms: HashMap<i64, (i64, i64, i64)> = sqlx::query!(
        r#"SELECT id AS "id!", daily_capacity, offered_weekdays, lead_days FROM products"#
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, (r.daily_capacity, r.offered_weekdays, r.lead_days)))
    .collect();
    Ok(order
        .items
        .iter()
        .map(|i| {
            let (capacity, offered, lead_days) =
                terms.get(&i.product_id).copied().unwrap_or((0, 127, 0));
            capacity::Line {
                product_id: i.product_id,
                name: i.name.clone(),
                quantity: i.quantity,
                capacity,
                offered,
                lead_days,
            }
        })
        .collect())
}

/// The idempotency record of a request: (API key id, Idempotency-Key).
#[derive(Debug, Clone)]
pub struct IdemKey {
    pub api_key_id: i64,
    pub key: String,
    /// SHA-256 of the request's canonical body: the same key with another body is refused.
    pub request_hash: String,
}

/// Where a request stands with respect to its Idempotency-Key.
#[derive(Debug, PartialEq)]
pub enum Claim {
    /// First time: go ahead.
    Fresh,
    /// Already done: send this again.
    Replay { status: u16, body: String },
    /// The key was used with a different body.
    Mismatch,
}

/// Where `key` stands. The handler asks first without the write lock (a replay costs one
/// read); `create_keyed` asks again inside the order's own write transaction, so that two
/// requests with one key can't both create, and the key is recorded in that same
/// transaction: one write per order, and nothing to undo after a refusal. (A `pending` row
/// left by a version that claimed keys in a transaction of their own is taken over.)
pub async fn lookup<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    key: &IdemKey,
) -> Result<Claim, AppError> {
    let row = sqlx::query!(
        "SELECT request_hash, state, response_status, response_body
         FROM idempotency_keys WHERE api_key_id = ? AND idem_key = ?",
        key.api_key_id,
        key.key
    )
    .fetch_optional(db)
    .await?;
    Ok(match row {
        None => Claim::Fresh,
        Some(r) if r.request_hash != key.request_hash => Claim::Mismatch,
        Some(r) if r.state == "done" => Claim::Replay {
            status: r.response_status.unwrap_or(201) as u16,
            body: r.response_body.unwrap_or_default(),
        },
        Some(_) => Claim::Fresh,
    })
}

/// What became of a storefront order sent with an Idempotency-Key.
#[derive(Debug)]
pub enum Keyed {
    /// Taken now (the answer and the order's id).
    Created(Box<(OrderCreated, i64)>),
    /// The key was used meanwhile (a concurrent request with the same key won the lock).
    Earlier(Claim),
}

/// `create` for the storefront API: the key is checked and recorded inside the order's
/// write transaction (see `lookup`).
pub async fn create_keyed(
    pool: &SqlitePool,
    config: &Config,
    order: &ValidOrder,
    key: &IdemKey,
    public_url: &str,
) -> Result<Keyed, Refusal> {
    take(
        pool,
        config,
        order,
        Source::Storefront,
        Some(key),
        public_url,
    )
    .await
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
    /// A row of a spreadsheet the owner imported (Customers → Spreadsheets).
    Import {
        staff: i64,
    },
    /// A visit of a standing order, created ahead by Hearth.
    Standing {
        standing_order_id: i64,
    },
}

/// Takes an order: rules and capacity, customer match by phone, order + items + history — one
/// transaction, so a crash leaves nothing half-done.
pub async fn create(
    pool: &SqlitePool,
    config: &Config,
    order: &ValidOrder,
    source: Source<'_>,
    public_url: &str,
) -> Result<(OrderCreated, i64), Refusal> {
    match take(pool, config, order, source, None, public_url).await? {
        Keyed::Created(done) => Ok(*done),
        Keyed::Earlier(_) => Err(Refusal::Internal(AppError::internal(
            "intake",
            "an earlier answer without an Idempotency-Key",
        ))),
    }
}

/// One write transaction: the Idempotency-Key's check (when there is one), then `create_in`
/// (which records the key), then the commit.
async fn take(
    pool: &SqlitePool,
    config: &Config,
    order: &ValidOrder,
    source: Source<'_>,
    key: Option<&IdemKey>,
    public_url: &str,
) -> Result<Keyed, Refusal> {
    let districts = crate::districts::repo::list(pool).await?;
    let mut tx = db::begin_write(pool).await?;
    if let Some(key) = key {
        match lookup(&mut *tx, key).await? {
            Claim::Fresh => {}
            earlier => return Ok(Keyed::Earlier(earlier)),
        }
    }
    let done = create_in(&mut tx, &districts, config, order, source, key, public_url).await?;
    tx.commit().await?;
    tracing::info!(
        order = done.0.order_number,
        source = ?source,
        "order received"
    );
    Ok(Keyed::Created(Box::new(done)))
}

/// `create` inside the caller's write transaction (a spreadsheet import takes every row or
/// none); the caller commits.
pub async fn create_in(
    tx: &mut SqliteConnection,
    districts: &[District],
    config: &Config,
    order: &ValidOrder,
    source: Source<'_>,
    idem: Option<&IdemKey>,
    public_url: &str,
) -> Result<(OrderCreated, i64), Refusal> {
    let client_key = match source {
        Source::Phone { key, .. } => Some(key),
        Source::Storefront | Source::Import { .. } | Source::Standing { .. } => None,
    };
    if let Some(key) = client_key {
        // Inside the write transaction: two submissions of one form cannot both miss.
        if let Some(done) = taken_with_key(&mut *tx, key, public_url).await? {
            return Ok(done);
        }
    }
    let (pricing, order) = promotions(&mut *tx, config, districts, order).await?;
    let order = &order;
    if let Some(c) = pricing.code.as_ref().filter(|_| !order.promo_full_price) {
        if let Some(r) = c.refusal {
            return Err(Refusal::Rules(ErrorBody {
                errors: vec![FieldError {
                    field: "promo_code".into(),
                    message: crate::promotions::rules::explain(
                        r,
                        c.promotion.as_ref(),
                        &config.currency(),
                    ),
                }],
                next_possible_dates: vec![],
                promo_refusal: Some(r),
            }));
        }
    }
    let priced = check_rules(&mut *tx, config, districts, order).await?;
    let district_id = priced.district.as_ref().map(|d| d.id);
    let how = match source {
        Source::Storefront => "Website checkout",
        Source::Phone { .. } => "Phone order",
        Source::Import { .. } => "Spreadsheet import",
        Source::Standing { .. } => "Standing order",
    };
    let customer_id = upsert_customer(&mut *tx, order, district_id, how).await?;
    let now = db::now();
    let day = order.date.to_string();
    let (source_name, actor) = match source {
        Source::Storefront => ("storefront", None),
        Source::Phone { staff, .. } => ("phone", Some(staff)),
        Source::Import { staff } => ("import", Some(staff)),
        Source::Standing { .. } => ("standing", None),
    };
    let detail = match (&order.payment_reference, order.coords) {
        _ if source_name == "import" => "Imported from a spreadsheet".to_string(),
        _ if source_name == "standing" => "Created ahead from a standing order".to_string(),
        _ if actor.is_some() => "Taken by phone".to_string(),
        (Some(r), _) => format!("Placed via {source_name}; payment reference {r}"),
        (None, None) if order.fulfilment == Fulfilment::Delivery => {
            format!("Placed via {source_name}; needs a location pin")
        }
        _ => format!("Placed via {source_name}"),
    };
    let new = crate::orders::core::NewOrder {
        customer_id,
        fulfilment: order.fulfilment,
        day: day.clone(),
        window: order.window.clone(),
        address: order.address.clone(),
        pin: order.coords,
        district_id,
        payment: order.payment,
        subtotal_cents: priced.subtotal_cents,
        fee_cents: priced.fee_cents,
        discount_cents: pricing.outcome.discount_cents(),
        promo_code: pricing.code_promotion().and(order.promo_code.clone()),
        promotions: pricing.outcome.applied.clone(),
        code_promotion: pricing.code_promotion(),
        notes: order.notes.clone(),
        source: source_name,
        flexible: order.flexible.map(|(a, b)| (a.to_string(), b.to_string())),
        client_key: client_key.map(str::to_string),
        standing_order_id: match source {
            Source::Standing { standing_order_id } => Some(standing_order_id),
            _ => None,
        },
        lines: order
            .items
            .iter()
            .map(|i| crate::orders::core::NewLine {
                product_id: i.product_id,
                quantity: i.quantity,
                unit_price_cents: i.unit_price_cents,
                note: i.note.clone(),
            })
            .collect(),
        taken_by: actor,
        detail,
        language: order.language.clone(),
    };
    let done = crate::orders::core::create(&mut *tx, &new).await?;
    let (order_id, number, token, total) = (
        done.order_id,
        done.number,
        done.tracking_token,
        done.total_cents,
    );
    let (discounts, promo_code) = discounts_out(&pricing, &config.currency());
    let created = OrderCreated {
        order_number: number,
        tracking_url: format!("{}/t/{token}", public_url.trim_end_matches('/')),
        tracking_token: token,
        status: "received".into(),
        total_cents: total,
        discount_cents: pricing.outcome.discount_cents(),
        discounts,
        promo_code,
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
            "INSERT INTO idempotency_keys
                 (api_key_id, idem_key, request_hash, state, response_status, response_body, order_id, created_at, updated_at)
             VALUES (?, ?, ?, 'done', 201, ?, ?, ?, ?)
             ON CONFLICT (api_key_id, idem_key) DO UPDATE SET
                 request_hash = excluded.request_hash, state = 'done', response_status = 201,
                 response_body = excluded.response_body, order_id = excluded.order_id,
                 updated_at = excluded.updated_at",
            idem.api_key_id,
            idem.key,
            idem.request_hash,
            body,
            order_id,
            now,
            now
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok((created, order_id))
}

/// The customer `order` is for, matched by phone (created, or their name, email, address and
/// pin brought up to date), with the channels they consented to (`how`: where).
pub async fn upsert_customer(
    tx: &mut SqliteConnection,
    order: &ValidOrder,
    district_id: Option<i64>,
    how: &str,
) -> Result<i64, AppError> {
    let now = db::now();
    let c = &order.customer;
    let (lat, lng) = order.coords.unzip();
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
    for channel in &c.consent {
        crate::customers::consent::set(&mut *tx, customer_id, *channel, true, how, None).await?;
    }
    Ok(customer_id)
}

/// The order a phone form already took with `key`, as its creation answered.
async fn taken_with_key(
    conn: &mut SqliteConnection,
    key: &str,
    public_url: &str,
) -> Result<Option<(OrderCreated, i64)>, AppError> {
    let row = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, o.tracking_token, o.status, o.total_cents, o.discount_cents, o.fulfil_on,
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
            discount_cents: r.discount_cents,
            discounts: vec![],
            promo_code: None,
            delivery: r.district.map(|district| DeliveryOut {
                district,
                date: r.fulfil_on.clone(),
            }),
            needs_location: r.fulfilment == "delivery" && r.lat.is_none(),
        };
        (created, r.id)
    }))
}
