//! Taking an order: business rules, capacity, customer match, insert — all in one
//! `BEGIN IMMEDIATE` transaction — and the idempotency records around it. Here the rules and
//! prices an order is checked against; `take` writes it (through the order core).
use std::collections::HashMap;

use sqlx::{SqliteConnection, SqlitePool};

use super::model::{ErrorBody, FieldError};
use super::validate::{ProductRef, ValidOrder};
use crate::districts::model::District;
use crate::error::AppError;
use crate::orders::core::booking::{self, Terms};
use crate::orders::core::calendar::{self, BookingRules, Way};
use crate::orders::core::capacity;
use crate::orders::model::Fulfilment;
use crate::server::config::Config;

mod idem;
pub mod known;
mod made;
pub mod points;
mod take;

pub use idem::{lookup, Claim, IdemKey};
pub use take::{create, create_in, create_keyed, upsert_customer, Keyed, Source};

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
    /// A delivery's district-day: the stops booked before this order, as read under the
    /// write lock (the owner's nearly-full alert is decided from it, without reading again).
    pub stops_before: Option<i64>,
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
    // The calendar, the products' terms and what is booked on the order's day: all an
    // accepted order needs, in one statement while the write lock is held. Only a refusal
    // reads the fortnight, for its next dates.
    let products: Vec<i64> = order.items.iter().map(|i| i.product_id).collect();
    let (rules, terms, booked) =
        booking::read(conn, (day, day), today, &products, Some(&products)).await?;
    let lines = lines_with(order, &terms);
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
    let stops_before = district
        .as_ref()
        .filter(|_| way == Way::Delivery)
        .map(|d| booked.stops(d.id, day));
    Ok(Priced {
        district,
        subtotal_cents: subtotal,
        fee_cents: fee,
        stops_before,
    })
}

/// The promotions `order` gets (the automatic ones `known` has running, and its code), and
/// the order with any free products added as lines (so that capacity counts them).
pub async fn promotions(
    conn: &mut SqliteConnection,
    config: &Config,
    known: &known::Known,
    order: &ValidOrder,
) -> Result<(crate::promotions::store::Pricing, ValidOrder), AppError> {
    let district = match (order.fulfilment, order.coords) {
        (Fulfilment::Delivery, Some((lat, lng))) => {
            crate::districts::locate::locate(&known.districts, lat, lng)
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
        &known.automatic,
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
    let (rules, lines) = lines_of(conn, order).await?;
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

/// The calendar, and the order's lines with their products' booking terms (one statement).
pub(crate) async fn lines_of(
    conn: &mut SqliteConnection,
    order: &ValidOrder,
) -> Result<(BookingRules, Vec<capacity::Line>), AppError> {
    let products: Vec<i64> = order.items.iter().map(|i| i.product_id).collect();
    let (rules, terms, _, _) = booking::read_rows(conn, booking::NO_DAYS, &products).await?;
    Ok((rules, lines_with(order, &terms)))
}

/// The order's lines with each product's booking terms (`terms`, by product).
fn lines_with(order: &ValidOrder, terms: &HashMap<i64, Terms>) -> Vec<capacity::Line> {
    order
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
        .collect()
}
