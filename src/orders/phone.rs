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
}

/// One line of a phone order (empty rows are ignored).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PhoneItem {
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub quantity: String,
}

/// The customer with this phone number, if any. Staff and owner.
#[server(endpoint = "find_customer")]
pub async fn find_customer(phone: String) -> Result<Option<CustomerMatch>, AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(
        async {
            crate::auth::session::require(
                &cx,
                &[crate::auth::Role::Owner, crate::auth::Role::Staff],
            )
            .await?;
            let phone =
                crate::storefront::validate::normalize_phone(&phone, &cx.config().phone_country)
                    .ok_or_else(|| {
                        AppError::invalid("phone", "Phone: enter a number like 600 123 456.")
                    })?;
            let row = sqlx::query!(
                r#"SELECT c.name, c.phone, c.address, d.name AS "district?" FROM customers c
                   LEFT JOIN districts d ON d.id = c.district_id WHERE c.phone = ?"#,
                phone
            )
            .fetch_optional(cx.db())
            .await?;
            Ok(row.map(|r| CustomerMatch {
                name: r.name,
                phone: r.phone,
                address: r.address,
                district: r.district,
            }))
        }
        .await,
    )
}

/// Takes an order by phone. Staff and owner. Known customers keep their pinned location when
/// the address is unchanged; a new address waits for a pin on the planning map.
#[server(endpoint = "create_phone_order")]
#[allow(clippy::too_many_arguments)]
pub async fn create_phone_order(
    phone: String,
    name: String,
    fulfilment: String,
    date: String,
    #[server(default)] window: Option<String>,
    #[server(default)] address: Option<String>,
    payment: String,
    #[server(default)] notes: Option<String>,
    #[server(default)] items: Vec<PhoneItem>,
    #[server(default)] flex_to: Option<String>,
) -> Result<i64, AppError> {
    use crate::server::ctx::Ctx;
    use crate::storefront::model::{
        CustomerIn, DateRangeIn, FulfilmentIn, ItemIn, OrderIn, PaymentIn, WindowIn,
    };
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let me = crate::auth::session::require(
                &cx,
                &[crate::auth::Role::Owner, crate::auth::Role::Staff],
            )
            .await?;
            let config = cx.config();
            let normalized =
                crate::storefront::validate::normalize_phone(&phone, &config.phone_country);
            // Reuse the customer's pin when the address is the one we know.
            let known = match &normalized {
                Some(p) => {
                    sqlx::query!("SELECT address, lat, lng FROM customers WHERE phone = ?", p)
                        .fetch_optional(cx.db())
                        .await?
                }
                None => None,
            };
            let address = address.filter(|a| !a.trim().is_empty());
            let coords = known
                .filter(|k| {
                    k.address.is_some()
                        && k.address.as_deref().map(str::trim) == address.as_deref().map(str::trim)
                })
                .and_then(|k| k.lat.zip(k.lng));
            let (from, to) = match window.as_deref().and_then(|w| w.split_once('-')) {
                Some((a, b)) => (Some(a.trim().to_string()), Some(b.trim().to_string())),
                None => (None, None),
            };
            let input = OrderIn {
                customer: Some(CustomerIn {
                    name: Some(name),
                    phone: Some(phone),
                    email: None,
                    marketing_opt_in: None,
                }),
                fulfilment: Some(FulfilmentIn {
                    kind: Some(fulfilment.clone()),
                    address,
                    lat: coords.map(|c| c.0),
                    lng: coords.map(|c| c.1),
                    flexible: flex_to
                        .filter(|t| !t.trim().is_empty())
                        .map(|t| DateRangeIn {
                            from: Some(date.clone()),
                            to: Some(t),
                        }),
                    date: Some(date),
                    window: (fulfilment == "delivery" && from.is_some())
                        .then_some(WindowIn { from, to }),
                    time: None,
                }),
                items: Some(
                    items
                        .into_iter()
                        .filter(|i| !i.sku.trim().is_empty())
                        .map(|i| ItemIn {
                            sku: Some(i.sku),
                            quantity: i.quantity.trim().parse().ok().or(Some(0)),
                            note: None,
                        })
                        .collect(),
                ),
                payment: Some(PaymentIn {
                    method: Some(payment),
                    reference: None,
                }),
                notes,
            };
            let products = crate::storefront::intake::products(cx.db()).await?;
            let order = crate::storefront::validate::order(
                &input,
                config.today(),
                &products,
                &config.phone_country,
            )
            .map_err(|errors| AppError::Validation {
                field: errors.first().map(|e| e.field.clone()).unwrap_or_default(),
                message: errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            })?;
            let (created, order_id) = crate::storefront::intake::create(
                cx.db(),
                config,
                &order,
                crate::storefront::intake::Source::Phone,
                None,
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
                            .map(|e| e.field.clone())
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
        }
        .await,
    )
}

/// A product to pick in the phone-order form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductChoice {
    pub sku: String,
    pub name: String,
    pub price_cents: i64,
}

/// Active products, for the phone-order form. Staff and owner.
#[server(endpoint = "list_products")]
pub async fn list_products() -> Result<Vec<ProductChoice>, AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(
        async {
            crate::auth::session::require(&cx, &[crate::auth::Role::Owner, crate::auth::Role::Staff]).await?;
            let rows = sqlx::query!("SELECT sku, name, price_cents FROM products WHERE active = 1 ORDER BY category, name")
                .fetch_all(cx.db())
                .await?;
            Ok(rows.into_iter().map(|r| ProductChoice { sku: r.sku, name: r.name, price_cents: r.price_cents }).collect())
        }
        .await,
    )
}
