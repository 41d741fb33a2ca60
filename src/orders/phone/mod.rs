//! Phone orders: staff look the caller up by phone and take the order on their behalf, through
//! the same validation, rules and capacity checks as the storefront.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A known customer found by phone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerMatch {
    pub name: String,
    pub phone: String,
    pub address: Option<String>,
    pub district: Option<String>,
    /// Their door's pin, as last placed.
    pub pin: Option<(f64, f64)>,
    /// Their district's delivery days, fee and minimum, to tell the caller.
    pub delivery_days: Option<String>,
}

/// One line of a phone order (empty rows are ignored).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PhoneItem {
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub quantity: String,
}

/// The customer with this phone number, if any, with their district's delivery days. Staff
/// and owner.
#[server(endpoint = "find_customer")]
pub async fn find_customer(phone: String) -> Result<Option<CustomerMatch>, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner, crate::auth::Role::Staff], move |cx, _me| async move {
            let phone =
                crate::storefront::validate::normalize_phone(&phone, &cx.config().phone_country)
                    .ok_or_else(|| {
                        AppError::invalid("phone", crate::said::said("refuse-phone-like"))
                    })?;
            let row = sqlx::query!(
                r#"SELECT c.name, c.phone, c.address, c.lat, c.lng, d.name AS "district?",
                          d.served_weekdays AS "days?", d.delivery_fee_cents AS "fee?", d.min_order_cents AS "min?"
                   FROM customers c LEFT JOIN districts d ON d.id = c.district_id WHERE c.phone = ?"#,
                phone
            )
            .fetch_optional(cx.db())
            .await?;
            let cur = &cx.config().currency();
            Ok(row.map(|r| CustomerMatch {
                name: r.name,
                phone: r.phone,
                address: r.address,
                pin: r.lat.zip(r.lng),
                delivery_days: r.days.map(|mask| {
                    format!(
                        "delivers {} · fee {} · minimum {}",
                        crate::districts::model::weekday_summary(mask as u8),
                        crate::money::format_cents(r.fee.unwrap_or(0), cur),
                        crate::money::format_cents(r.min.unwrap_or(0), cur)
                    )
                }),
                district: r.district,
            }))
    })
    .await
}

/// What staff typed into the phone-order form (fields left out are empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhoneFields {
    pub phone: String,
    pub name: String,
    pub fulfilment: String,
    pub date: String,
    pub window: Option<String>,
    pub address: Option<String>,
    /// The door's pin (from the form's map or typed); empty: the known customer's pin when the
    /// address is unchanged.
    pub lat: Option<String>,
    pub lng: Option<String>,
    pub payment: String,
    pub notes: Option<String>,
    pub items: Vec<PhoneItem>,
    pub flex_to: Option<String>,
    /// A promotion code the caller gives.
    pub promo_code: Option<String>,
    /// Loyalty points the caller spends (a whole number).
    pub redeem_points: Option<String>,
    /// The referral code a new customer gives with their first order.
    pub referral_code: Option<String>,
}

/// The form's price and its problems, as the caller is told them before the order is taken.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PhoneQuote {
    pub subtotal_cents: i64,
    pub fee_cents: i64,
    /// Taken off by promotions (automatic ones and the code).
    pub discount_cents: i64,
    /// The promotions applied: (name, amount).
    pub discounts: Vec<(String, i64)>,
    pub total_cents: i64,
    /// The district the pin falls in, with its delivery days.
    pub district: Option<String>,
    /// (form field, message): `phone`, `name`, `date`, `window`, `address`, `pin`, `payment`,
    /// `items` or `items[i]` (the form's row), `flex_to`.
    pub problems: Vec<(String, String)>,
    pub next_dates: Vec<String>,
    /// The delivery windows the pin's district offers on the chosen day, as `HH:MM-HH:MM`
    /// (empty: no district or day yet, or any window that day).
    pub windows: Vec<String>,
    /// The caller's loyalty points and what they are worth, when the bakery runs a programme
    /// and the caller is a customer.
    pub points: Option<(i64, i64)>,
}

#[cfg(feature = "ssr")]
mod prepare;
#[cfg(feature = "ssr")]
use prepare::{form_field, offered_windows, prepare};

/// Prices the phone-order form and lists what would refuse it, without taking it: the running
/// total staff read to the caller. Staff and owner.
#[server(endpoint = "quote_phone_order")]
pub async fn quote_phone_order(fields: PhoneFields) -> Result<PhoneQuote, AppError> {
    use crate::server::ctx::Ctx;
    use crate::storefront::intake::Refusal;
    Ctx::serve(
        &[crate::auth::Role::Owner, crate::auth::Role::Staff],
        move |cx, _me| async move {
            let known = crate::storefront::intake::known::current(cx.db()).await?;
            let districts = &known.districts;
            // The windows to choose from are known once the pin and the day are, whatever
            // else the form still lacks.
            let windows = offered_windows(districts, &fields);
            let (order, rows, pin_problems) = match prepare(&cx, fields).await {
                Ok(v) => v,
                Err(problems) => {
                    return Ok(PhoneQuote {
                        problems,
                        windows,
                        ..Default::default()
                    })
                }
            };
            let district = order.coords.and_then(|(lat, lng)| {
                crate::districts::locate::locate(districts, lat, lng).cloned()
            });
            let mut conn = cx.db().acquire().await?;
            let (pricing, order) =
                crate::storefront::intake::promotions(&mut conn, cx.config(), &known, &order)
                    .await?;
            let subtotal = order.subtotal_cents();
            let fee = district.as_ref().map_or(0, |d| d.delivery_fee_cents);
            let discount = pricing.outcome.discount_cents();
            let mut quote = PhoneQuote {
                subtotal_cents: subtotal,
                fee_cents: fee,
                discount_cents: discount,
                discounts: pricing
                    .outcome
                    .applied
                    .iter()
                    .map(|a| (a.name.clone(), a.discount_cents()))
                    .collect(),
                total_cents: super::model::total_cents(subtotal, fee, discount),
                district: district.as_ref().map(district_label),
                windows,
                ..Default::default()
            };
            match crate::storefront::intake::check_rules(&mut conn, cx.config(), districts, &order)
                .await
            {
                Ok(_) => {}
                Err(Refusal::Rules(body)) => {
                    quote.problems = body
                        .errors
                        .into_iter()
                        .map(|e| (form_field(&e.field, &rows), e.message))
                        .collect();
                    quote.next_dates = body.next_possible_dates;
                }
                Err(Refusal::Internal(e)) => return Err(e),
            }
            with_points(&mut conn, cx.config(), &order, &mut quote).await?;
            if let Some(c) = &pricing.code {
                if let Some(r) = c.refusal {
                    quote.problems.push((
                        "promo_code".into(),
                        crate::promotions::rules::explain(
                            r,
                            c.promotion.as_ref(),
                            &cx.config().currency(),
                        ),
                    ));
                }
            }
            quote.problems.splice(0..0, pin_problems);
            Ok(quote)
        },
    )
    .await
}

/// "Centro: delivers Mon–Sat": the district the pin falls in, for the caller.
#[cfg(feature = "ssr")]
fn district_label(d: &crate::districts::model::District) -> String {
    let days = crate::districts::model::weekday_summary(d.served_weekdays);
    format!("{}: delivers {days}", d.name)
}

/// The caller's points on the quote: what the order spends (taken off the total) and what
/// they hold, and why a redemption or referral code cannot be taken.
#[cfg(feature = "ssr")]
async fn with_points(
    conn: &mut sqlx::SqliteConnection,
    config: &crate::server::config::Config,
    order: &crate::storefront::validate::ValidOrder,
    quote: &mut PhoneQuote,
) -> Result<(), AppError> {
    let customer =
        crate::loyalty::store::customer_by_phone(&mut *conn, &order.customer.phone).await?;
    let points = crate::storefront::intake::points::check(
        &mut *conn,
        config,
        customer,
        order,
        quote.total_cents,
        true,
    )
    .await?;
    if let Some(r) = &points.redemption {
        quote.discounts.push((
            crate::said::said_with("loyalty-points-discount", &[("points", &r.points)]),
            r.cents,
        ));
        quote.discount_cents += r.cents;
        quote.total_cents =
            super::model::total_cents(quote.subtotal_cents, quote.fee_cents, quote.discount_cents);
    }
    if let Some(e) = points.redeem_problem {
        quote.problems.push(("redeem_points".into(), e.message));
    }
    if let Some(e) = points.referral_problem {
        quote.problems.push(("referral_code".into(), e.message));
    }
    quote.points = points
        .out
        .filter(|_| customer.is_some())
        .map(|o| (o.available_points, o.available_cents));
    Ok(())
}

/// Takes an order by phone. Staff and owner. A delivery needs the door's pin (typed, from the
/// form's map, or the known customer's while the address is unchanged). `key` is the form's
/// own: submitting the same form again answers with the order it already took.
#[server(endpoint = "create_phone_order")]
pub async fn create_phone_order(fields: PhoneFields, key: String) -> Result<i64, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(
        &[crate::auth::Role::Owner, crate::auth::Role::Staff],
        move |cx, me| async move {
            let key = key.trim();
            if key.len() < 8 || key.len() > 100 {
                return Err(AppError::invalid(
                    "key",
                    crate::said::said("refuse-form-key"),
                ));
            }
            let config = cx.config();
            let refuse = |problems: Vec<(String, String)>| AppError::Validation {
                field: problems.first().map(|p| p.0.clone()).unwrap_or_default(),
                message: problems
                    .iter()
                    .map(|p| p.1.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let (order, rows, problems) = prepare(&cx, fields).await.map_err(refuse)?;
            if !problems.is_empty() {
                return Err(refuse(problems));
            }
            let (created, order_id) = crate::storefront::intake::create(
                cx.db(),
                config,
                &order,
                crate::storefront::intake::Source::Phone { staff: me.id, key },
                &config.public_url,
            )
            .await
            .map_err(|r| match r {
                crate::storefront::intake::Refusal::Rules(body) => {
                    let mut message = body
                        .errors
                        .iter()
                        .map(|e| e.message.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !body.next_possible_dates.is_empty() {
                        message.push_str(&format!(
                            " Next possible: {}.",
                            body.next_possible_dates.join(", ")
                        ));
                    }
                    AppError::Validation {
                        field: body
                            .errors
                            .first()
                            .map(|e| form_field(&e.field, &rows))
                            .unwrap_or_default(),
                        message,
                    }
                }
                crate::storefront::intake::Refusal::Internal(e) => e,
            })?;
            tracing::info!(
                order = created.order_number,
                by = me.id,
                "phone order taken"
            );
            let _ = cx.state.events.send(super::model::OrderChange {
                order_id,
                number: created.order_number,
                from: super::model::OrderStatus::Received,
                status: super::model::OrderStatus::Received,
                version: 1,
                by: super::model::first_name(&me.name),
            });
            Ok(created.order_number)
        },
    )
    .await
}

/// A product to pick in the phone-order form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductChoice {
    pub sku: String,
    pub name: String,
    pub price_cents: i64,
}

/// Products on sale, by category and name.
#[cfg(feature = "ssr")]
pub(crate) async fn on_sale(pool: &sqlx::SqlitePool) -> Result<Vec<ProductChoice>, AppError> {
    let rows = sqlx::query!(
        "SELECT sku, name, price_cents FROM products WHERE active = 1 ORDER BY category, name"
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProductChoice {
            sku: r.sku,
            name: r.name,
            price_cents: r.price_cents,
        })
        .collect())
}

/// Active products, for the phone-order form. Staff and owner.
#[server(endpoint = "list_products")]
pub async fn list_products() -> Result<Vec<ProductChoice>, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(
        &[crate::auth::Role::Owner, crate::auth::Role::Staff],
        move |cx, _me| async move { on_sale(cx.db()).await },
    )
    .await
}

/// What the phone-order form needs besides the products: map tiles and district outlines
/// for the door's pin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhoneSetup {
    pub products: Vec<ProductChoice>,
    pub tiles: (String, String),
    pub districts: Vec<crate::districts::District>,
    pub currency: String,
}

/// Products, tiles and districts for the phone-order form. Staff and owner.
#[server(endpoint = "phone_order_setup")]
pub async fn phone_order_setup() -> Result<PhoneSetup, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(
        &[crate::auth::Role::Owner, crate::auth::Role::Staff],
        move |cx, _me| async move {
            let config = cx.config();
            Ok(PhoneSetup {
                products: on_sale(cx.db()).await?,
                tiles: (config.tile_url.clone(), config.tile_attribution.clone()),
                districts: crate::districts::repo::list(cx.db()).await?,
                currency: config.currency(),
            })
        },
    )
    .await
}
