//! Standing orders: a customer's recurring order (a weekly bread box, a café's Tuesday-and-
//! Friday order) with its items, how often, the weekday patterns accepted, pausable and
//! skippable by date. Hearth creates each visit's order a fortnight ahead through the order
//! core's intake; "Plan the fortnight" may move a week's visits to another accepted pattern.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod ahead;
mod list_page;
pub mod model;
mod panel;
#[cfg(feature = "ssr")]
pub mod read;
#[cfg(feature = "ssr")]
pub mod store;
mod terms_panel;

pub use list_page::StandingOrdersPage;
pub use panel::StandingPanel;

/// Every standing order (ended ones last) with the next fortnight's visits, and the
/// currency. Owner.
#[server(endpoint = "list_standing_orders")]
pub async fn list_standing_orders() -> Result<(Vec<model::StandingView>, String), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let list = read::list(cx.db(), None, None, cx.config().today()).await?;
        Ok((list, cx.config().currency()))
    })
    .await
}

/// The customer page's "New standing order" form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StandingForm {
    /// Item rows; empty rows are left out.
    pub items: Vec<crate::orders::phone::PhoneItem>,
    /// The booked weekdays (0 = Monday).
    pub days: Vec<u8>,
    /// Another pattern the customer accepts (empty: none).
    pub alt_days: Vec<u8>,
    pub starts_on: String,
    pub ends_on: String,
    /// `HH:MM-HH:MM`, or empty.
    pub window: String,
    /// `delivery` or `pickup`.
    pub fulfilment: String,
    pub payment: String,
    pub notes: String,
}

#[cfg(feature = "ssr")]
fn refuse(errors: Vec<crate::storefront::model::FieldError>) -> AppError {
    AppError::Validation {
        field: errors.first().map(|e| e.field.clone()).unwrap_or_default(),
        message: errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The form's item rows as `(sku, quantity)`, empty rows left out; a quantity that is not a
/// whole number is named (`items`).
#[cfg(feature = "ssr")]
fn item_lines(items: &[crate::orders::phone::PhoneItem]) -> Result<Vec<(String, i64)>, AppError> {
    items
        .iter()
        .filter(|i| !i.sku.trim().is_empty())
        .map(|i| {
            let q = i.quantity.trim().parse::<i64>().map_err(|_| {
                let why = crate::said::said_with("refuse-standing-quantity", &[("sku", &i.sku)]);
                AppError::invalid("items", format!("items: {why}"))
            })?;
            Ok((i.sku.trim().to_string(), q))
        })
        .collect()
}

/// Creates a standing order for a customer at their address and pin, and its visits of the
/// next fortnight. Owner.
#[server(endpoint = "create_standing_order")]
pub async fn create_standing_order(customer_id: i64, form: StandingForm) -> Result<i64, AppError> {
    use crate::server::ctx::Ctx;
    use crate::storefront::model::{CustomerIn, PaymentIn};
    use crate::storefront::standing::{ScheduleIn, StandingFulfilmentIn, StandingOrderIn};
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let c = sqlx::query!(
            "SELECT name, phone, email, address, lat, lng FROM customers WHERE id = ? AND erased_at IS NULL",
            customer_id
        )
        .fetch_optional(cx.db())
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-customer")))?;
        let window = window_of(&form.window);
        let delivery = form.fulfilment != "pickup";
        let input = StandingOrderIn {
            customer: Some(CustomerIn {
                name: Some(c.name),
                phone: Some(c.phone),
                email: c.email,
                marketing_opt_in: None,
                consent: None,
            }),
            fulfilment: Some(StandingFulfilmentIn {
                kind: Some(if delivery { "delivery" } else { "pickup" }.into()),
                address: c.address,
                lat: c.lat,
                lng: c.lng,
                window: window.clone().filter(|_| delivery),
                time: window.filter(|_| !delivery).and_then(|w| w.from),
            }),
            items: Some(form_items(&form)),
            payment: Some(PaymentIn {
                method: Some(form.payment.clone()),
                reference: None,
            }),
            schedule: Some(ScheduleIn {
                visits_per_week: Some(form.days.len() as i64),
                weekdays: Some(weekdays_of(&form.days, &form.alt_days)),
                starts_on: Some(form.starts_on.clone()),
                ends_on: Some(form.ends_on.clone()).filter(|e| !e.trim().is_empty()),
            }),
            notes: Some(form.notes.clone()).filter(|n| !n.trim().is_empty()),
        };
        let config = cx.config();
        let products = crate::storefront::intake::products(cx.db()).await?;
        let (order, schedule) = crate::storefront::standing::validate(
            &input,
            config.today(),
            &products,
            &config.phone_country,
        )
        .map_err(refuse)?;
        let unfit = crate::storefront::standing::fits(cx.db(), config, &order, &schedule).await?;
        if !unfit.is_empty() {
            return Err(refuse(unfit));
        }
        let made = store::create(
            cx.db(),
            &order,
            &schedule,
            "staff",
            None,
            &crate::audit::Who {
                id: Some(me.id),
                name: me.name.clone(),
            },
        )
        .await?;
        ahead::make(&crate::orders::core::Core::of(&cx.state), Some(made.id)).await?;
        Ok(made.id)
    })
    .await
}

/// The form's weekdays (0 = Monday) as the API writes them: the booked pattern, then the
/// other one accepted (if any).
#[cfg(feature = "ssr")]
fn weekdays_of(days: &[u8], alt_days: &[u8]) -> Vec<Vec<String>> {
    let name = |d: &u8| model::pattern_label(1 << d).to_ascii_lowercase();
    let mut weekdays = vec![days.iter().map(name).collect::<Vec<_>>()];
    if !alt_days.is_empty() {
        weekdays.push(alt_days.iter().map(name).collect());
    }
    weekdays
}

/// The form's item rows as the API's (empty rows left out; a quantity that is not a number
/// is 0, which the checks name).
#[cfg(feature = "ssr")]
fn form_items(form: &StandingForm) -> Vec<crate::storefront::model::ItemIn> {
    form.items
        .iter()
        .filter(|i| !i.sku.trim().is_empty())
        .map(|i| crate::storefront::model::ItemIn {
            sku: Some(i.sku.clone()),
            quantity: i.quantity.trim().parse().ok().or(Some(0)),
            note: None,
        })
        .collect()
}

/// "08:00-10:00" as the API's window (a pickup takes its start as the time).
#[cfg(feature = "ssr")]
fn window_of(text: &str) -> Option<crate::storefront::model::WindowIn> {
    text.split_once('-')
        .map(|(a, b)| crate::storefront::model::WindowIn {
            from: Some(a.trim().to_string()),
            to: Some(b.trim().to_string()),
        })
        .or_else(|| {
            let t = text.trim();
            (!t.is_empty()).then(|| crate::storefront::model::WindowIn {
                from: Some(t.to_string()),
                to: None,
            })
        })
}

/// What a change did, in the reader's language: the orders cancelled, changed, booked, kept
/// and refused.
#[cfg(feature = "ssr")]
fn answer(done: store::Changed, edited: &str) -> String {
    let numbers = |ns: &[i64]| {
        ns.iter()
            .map(|n| format!("#{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut said = match done.cancelled.len() {
        0 => crate::said::said("standing-done"),
        n => crate::said::said_count(
            "standing-done-cancelled",
            n as i64,
            &[("orders", &numbers(&done.cancelled))],
        ),
    };
    if !done.edited.is_empty() {
        said.push(' ');
        said.push_str(&crate::said::said_count(
            edited,
            done.edited.len() as i64,
            &[("orders", &numbers(&done.edited))],
        ));
    }
    if done.booked > 0 {
        said.push(' ');
        said.push_str(&crate::said::said_count(
            "standing-done-booked",
            done.booked as i64,
            &[],
        ));
    }
    for k in done.kept.into_iter().chain(done.refused) {
        said.push(' ');
        said.push_str(&k);
    }
    said
}

/// Pauses (`until` optional), resumes, skips or unskips a date (`date`), changes the items
/// (`items`, from tomorrow) or ends a standing order; answers what happened to the orders
/// already created. Owner.
#[server(endpoint = "change_standing_order")]
pub async fn change_standing_order(
    id: i64,
    action: String,
    #[server(default)] date: Option<String>,
    #[server(default)] items: Vec<crate::orders::phone::PhoneItem>,
) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    use store::Change;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let day = |field: &str| -> Result<chrono::NaiveDate, AppError> {
            crate::orders::model::parse_day(date.as_deref().unwrap_or_default(), field)
        };
        let change = match action.as_str() {
            "pause" => Change::Pause {
                until: match date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                    Some(_) => Some(day("until")?),
                    None => None,
                },
            },
            "resume" => Change::Resume,
            "skip" => Change::Skip(day("date")?),
            "unskip" => Change::Unskip(day("date")?),
            "end" => Change::End,
            "items" => Change::Items(item_lines(&items)?),
            _ => {
                return Err(AppError::invalid(
                    "action",
                    crate::said::said("refuse-unknown-action"),
                ))
            }
        };
        let core = crate::orders::core::Core::of(&cx.state);
        let actor = crate::orders::core::Actor::user(me.id, &me.name);
        let done = store::apply(&core, &actor, id, change).await?;
        Ok(answer(done, "standing-done-edited"))
    })
    .await
}

/// The customer page's "Change days, address or time" form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TermsForm {
    /// The booked weekdays (0 = Monday).
    pub days: Vec<u8>,
    /// Another pattern the customer accepts (empty: none).
    pub alt_days: Vec<u8>,
    /// `HH:MM-HH:MM` (a pickup: `HH:MM`), or empty.
    pub window: String,
    /// One of the customer's places (a delivery).
    pub address: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

/// New days, place or window for a standing order from tomorrow, checked as a new one's are;
/// answers what happened to the deliveries ahead. Owner.
#[server(endpoint = "change_standing_terms")]
pub async fn change_standing_terms(id: i64, form: TermsForm) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    use crate::storefront::standing::{ScheduleChangeIn, StandingChangeIn, StandingFulfilmentIn};
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let kind = sqlx::query_scalar!("SELECT fulfilment FROM standing_orders WHERE id = ?", id)
            .fetch_optional(cx.db())
            .await?
            .unwrap_or_default();
        let delivery = kind == "delivery";
        if form.days.is_empty() {
            return Err(AppError::invalid(
                "days",
                crate::said::said("refuse-standing-no-days"),
            ));
        }
        let window = window_of(&form.window);
        let change = StandingChangeIn {
            schedule: Some(ScheduleChangeIn {
                visits_per_week: Some(form.days.len() as i64),
                weekdays: Some(weekdays_of(&form.days, &form.alt_days)),
            }),
            fulfilment: Some(StandingFulfilmentIn {
                kind: None,
                address: Some(form.address.trim().to_string())
                    .filter(|a| delivery && !a.is_empty()),
                lat: form.lat.filter(|_| delivery),
                lng: form.lng.filter(|_| delivery),
                window: window.clone().filter(|_| delivery),
                time: window.and_then(|w| w.from).filter(|_| !delivery),
            }),
        };
        let terms = crate::storefront::standing::terms(cx.db(), cx.config(), id, &change)
            .await?
            .map_err(refuse)?;
        let core = crate::orders::core::Core::of(&cx.state);
        let actor = crate::orders::core::Actor::user(me.id, &me.name);
        let done = store::apply(&core, &actor, id, store::Change::Terms(terms)).await?;
        Ok(answer(done, "standing-done-moved"))
    })
    .await
}
