//! Writing an order that passed the rules: the Idempotency-Key's record, the customer matched
//! by phone, the order through the order core — in one write transaction.
use std::sync::Arc;

use sqlx::{SqliteConnection, SqlitePool};

use super::super::model::{DeliveryOut, ErrorBody, FieldError, OrderCreated};
use super::super::validate::ValidOrder;
use super::idem::{lookup_opening, Claim, IdemKey};
use super::known::Known;
use super::made::{answer, new_order};
use super::{check_rules, promotions, Refusal};
use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db;

/// What became of a storefront order sent with an Idempotency-Key.
#[derive(Debug)]
pub enum Keyed {
    /// Taken now (the answer and the order's id).
    Created(Box<(OrderCreated, i64)>),
    /// The key was used meanwhile (a concurrent request with the same key won the lock).
    Earlier(Claim),
}

/// `create` for the storefront API: the key is checked and recorded inside the order's
/// write transaction (see `lookup`); the districts and promotions running as `known` has them.
pub async fn create_keyed(
    pool: &SqlitePool,
    config: &Config,
    order: &ValidOrder,
    key: &IdemKey,
    known: &Arc<Known>,
    public_url: &str,
) -> Result<Keyed, Refusal> {
    let at = (Source::Storefront, Some(key), known.clone());
    take(pool, config, order, at, public_url).await
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

impl Source<'_> {
    /// Itself without a borrow (a phone form's key apart), to go with a write to another task.
    fn owned(self) -> (Source<'static>, String) {
        match self {
            Source::Phone { staff, key } => (Source::Phone { staff, key: "" }, key.to_string()),
            Source::Storefront => (Source::Storefront, String::new()),
            Source::Import { staff } => (Source::Import { staff }, String::new()),
            Source::Standing { standing_order_id } => {
                (Source::Standing { standing_order_id }, String::new())
            }
        }
    }
}

impl Source<'static> {
    /// `owned`'s source with its phone form's key again.
    fn with_key(self, form_key: &str) -> Source<'_> {
        match self {
            Source::Phone { staff, .. } => Source::Phone {
                staff,
                key: form_key,
            },
            other => other,
        }
    }
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
    let known = super::known::current(pool).await?;
    match take(pool, config, order, (source, None, known), public_url).await? {
        Keyed::Created(done) => Ok(*done),
        Keyed::Earlier(_) => Err(Refusal::Internal(AppError::internal(
            "intake",
            "an earlier answer without an Idempotency-Key",
        ))),
    }
}

/// The Idempotency-Key's check (when there is one), then `create_in` (which records the key),
/// in the next group of writes (`server::group`): answered once that group is committed.
async fn take(
    pool: &SqlitePool,
    config: &Config,
    order: &ValidOrder,
    (source, key, known): (Source<'_>, Option<&IdemKey>, Arc<Known>),
    public_url: &str,
) -> Result<Keyed, Refusal> {
    let (config, order, key, public_url) = (
        config.clone(),
        order.clone(),
        key.cloned(),
        public_url.to_string(),
    );
    let (kind, form_key) = source.owned();
    let keyed = crate::server::group::write(pool, move |conn, opening| {
        Box::pin(async move {
            if let Some(key) = &key {
                match lookup_opening(&mut *conn, opening, key).await? {
                    Claim::Fresh => {}
                    earlier => return Ok(Keyed::Earlier(earlier)),
                }
            } else {
                opening.run(&mut *conn).await?;
            }
            let source = kind.with_key(&form_key);
            let done = create_in(
                conn,
                &known,
                &config,
                &order,
                source,
                key.as_ref(),
                &public_url,
            )
            .await?;
            Ok::<_, Refusal>(Keyed::Created(Box::new(done)))
        })
    })
    .await?;
    if let Keyed::Created(done) = &keyed {
        tracing::info!(order = done.0.order_number, source = ?source, "order received");
    }
    Ok(keyed)
}

/// `create` inside the caller's write transaction (a spreadsheet import takes every row or
/// none); the caller commits.
pub async fn create_in(
    tx: &mut SqliteConnection,
    known: &Known,
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
    let (pricing, order) = promotions(&mut *tx, config, known, order).await?;
    let order = &order;
    code_refusal(&pricing, order, config)?;
    let priced = check_rules(&mut *tx, config, &known.districts, order).await?;
    let district_id = priced.district.as_ref().map(|d| d.id);
    let how = match source {
        Source::Storefront => "Website checkout",
        Source::Phone { .. } => "Phone order",
        Source::Import { .. } => "Spreadsheet import",
        Source::Standing { .. } => "Standing order",
    };
    let customer = upsert_customer(&mut *tx, order, district_id, how).await?;
    let customer_id = customer.id;
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
    let mut new = new_order(order, source, &priced, &pricing, customer, client_key);
    new.discount_cents += points.cents();
    new.points = points.redemption.clone();
    let mut created = None;
    let done = crate::orders::core::create(&mut *tx, &new, |done, batch| {
        let out = answer(done, order, &priced, &pricing, &points, config, public_url);
        if let Some(idem) = idem {
            record_key(batch, idem, &out, done.order_id)?;
        }
        created = Some(out);
        Ok(())
    })
    .await?;
    if let Some(referrer) = points.referrer {
        crate::loyalty::store::refer(&mut *tx, customer_id, referrer, done.order_id).await?;
    }
    let created = created.ok_or_else(|| AppError::internal("intake", "no answer written"))?;
    Ok((created, done.order_id))
}

/// The refusal of the order's promotion code, unless the customer asked for full price then.
fn code_refusal(
    pricing: &crate::promotions::store::Pricing,
    order: &ValidOrder,
    config: &Config,
) -> Result<(), Refusal> {
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
    Ok(())
}

/// Records the answer under the request's Idempotency-Key, with the order's rows (in its own
/// transaction, in the same round trip).
fn record_key(
    batch: &mut db::Batch,
    idem: &IdemKey,
    created: &OrderCreated,
    order_id: i64,
) -> Result<(), AppError> {
    let now = db::now();
    let body =
        serde_json::to_string(created).map_err(|e| AppError::internal("response json", e))?;
    batch.push(
        "INSERT INTO idempotency_keys
             (api_key_id, idem_key, request_hash, state, response_status, response_body, order_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'done', 201, ?4, ?5, ?6, ?6)
         ON CONFLICT (api_key_id, idem_key) DO UPDATE SET
             request_hash = excluded.request_hash, state = 'done', response_status = 201,
             response_body = excluded.response_body, order_id = excluded.order_id,
             updated_at = excluded.updated_at",
        vec![
            idem.api_key_id.into(),
            idem.key.as_str().into(),
            idem.request_hash.as_str().into(),
            body.into(),
            order_id.into(),
            now.into(),
        ],
    );
    Ok(())
}

/// The customer `order` is for, matched by phone (created, or their name, email, address and
/// pin brought up to date), with the channels they consented to (`how`: where).
pub async fn upsert_customer(
    tx: &mut SqliteConnection,
    order: &ValidOrder,
    district_id: Option<i64>,
    how: &str,
) -> Result<crate::orders::core::Contact, AppError> {
    let now = db::now();
    let c = &order.customer;
    let (lat, lng) = order.coords.unzip();
    let row = sqlx::query!(
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
           RETURNING id AS "id!: i64", name AS "name!", phone AS "phone!", email AS "email?""#,
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
        crate::customers::consent::set(&mut *tx, row.id, *channel, true, how, None).await?;
    }
    Ok(crate::orders::core::Contact {
        id: row.id,
        name: row.name,
        phone: row.phone,
        email: row.email,
    })
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
