//! Writing an order that passed the rules: the Idempotency-Key's record, the customer matched
//! by phone, the order through the order core — in one write transaction.
use sqlx::{SqliteConnection, SqlitePool};

use super::super::model::{DeliveryOut, ErrorBody, FieldError, OrderCreated};
use super::super::validate::ValidOrder;
use super::{check_rules, discounts_out, promotions, Priced, Refusal};
use crate::districts::model::District;
use crate::error::AppError;
use crate::orders::model::Fulfilment;
use crate::server::config::Config;
use crate::server::db;

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
    let to_pay = crate::orders::model::total_cents(
        priced.subtotal_cents,
        priced.fee_cents,
        pricing.outcome.discount_cents(),
    );
    let points =
        super::points::check(&mut *tx, config, Some(customer_id), order, to_pay, false).await?;
    if let Some(e) = points.refusal(order.promo_full_price) {
        return Err(Refusal::Rules(ErrorBody {
            errors: vec![e],
            next_possible_dates: vec![],
            promo_refusal: None,
        }));
    }
    let day = order.date.to_string();
    let mut new = new_order(order, source, &priced, &pricing, customer_id, client_key);
    new.discount_cents += points.cents();
    new.points = points.redemption.clone();
    let done = crate::orders::core::create(&mut *tx, &new).await?;
    if let Some(referrer) = points.referrer {
        crate::loyalty::store::refer(&mut *tx, customer_id, referrer, done.order_id).await?;
    }
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
        discount_cents: pricing.outcome.discount_cents() + points.cents(),
        discounts,
        promo_code,
        loyalty: points.out,
        delivery: priced.district.as_ref().map(|d| DeliveryOut {
            district: d.name.clone(),
            date: day.clone(),
        }),
        needs_location: order.fulfilment == Fulfilment::Delivery && order.coords.is_none(),
    };
    if let Some(idem) = idem {
        record_key(&mut *tx, idem, &created, order_id).await?;
    }
    Ok((created, order_id))
}

/// The order core's `NewOrder` for a checked and priced `order` from `source`, with the line
/// its history opens with.
fn new_order(
    order: &ValidOrder,
    source: Source<'_>,
    priced: &Priced,
    pricing: &crate::promotions::store::Pricing,
    customer_id: i64,
    client_key: Option<&str>,
) -> crate::orders::core::NewOrder {
    let district_id = priced.district.as_ref().map(|d| d.id);
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
    crate::orders::core::NewOrder {
        customer_id,
        fulfilment: order.fulfilment,
        day: order.date.to_string(),
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
        points: None,
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
    }
}

/// Records the answer under the request's Idempotency-Key, in the order's own transaction.
async fn record_key(
    tx: &mut SqliteConnection,
    idem: &IdemKey,
    created: &OrderCreated,
    order_id: i64,
) -> Result<(), AppError> {
    let now = db::now();
    let body =
        serde_json::to_string(created).map_err(|e| AppError::internal("response json", e))?;
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
    Ok(())
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
            loyalty: None,
            delivery: r.district.map(|district| DeliveryOut {
                district,
                date: r.fulfil_on.clone(),
            }),
            needs_location: r.fulfilment == "delivery" && r.lat.is_none(),
        };
        (created, r.id)
    }))
}
