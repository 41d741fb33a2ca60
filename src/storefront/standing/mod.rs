//! `/api/v1/standing-orders`: the storefront creates a customer's recurring order and manages
//! it for them (pause, resume, skip a date, end). Hearth creates each visit's order ahead,
//! through the same intake as `POST /api/v1/orders`. The JSON shapes are here; the checks in
//! `check`, the handlers in `api`.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::*;
use crate::standing::model::{pattern_label, StandingView};

mod api;
mod check;
mod revise;

pub use api::*;
pub use check::{fits, validate};
pub use revise::*;

/// Delivery to an address (every visit), or pickup at the bakery.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct StandingFulfilmentIn {
    /// `delivery` or `pickup`.
    #[serde(rename = "type")]
    #[schema(required = true, nullable = false, pattern = "^(delivery|pickup)$")]
    pub kind: Option<String>,
    /// Street address (required for delivery).
    #[schema(max_length = 300)]
    pub address: Option<String>,
    #[schema(minimum = -90.0, maximum = 90.0)]
    pub lat: Option<f64>,
    #[schema(minimum = -180.0, maximum = 180.0)]
    pub lng: Option<f64>,
    pub window: Option<WindowIn>,
    /// Pickup time, `HH:MM`.
    pub time: Option<String>,
}

/// How often, on which weekdays, from when.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ScheduleIn {
    /// Visits a week (e.g. 2 for twice a week).
    #[schema(required = true, nullable = false, minimum = 1, maximum = 7)]
    pub visits_per_week: Option<i64>,
    /// The weekday patterns the customer accepts, each with `visits_per_week` days (`mon` …
    /// `sun`), e.g. `[["tue", "fri"], ["mon", "thu"]]`. The first is booked; the bakery may
    /// move a week's visits to another accepted pattern of the same week ("Plan the
    /// fortnight"), and the customer is told by the usual notifications.
    #[schema(required = true, nullable = false, min_items = 1, max_items = 10)]
    pub weekdays: Option<Vec<Vec<String>>>,
    /// First day it may deliver, `YYYY-MM-DD` (today or later).
    #[schema(required = true, nullable = false, format = Date)]
    pub starts_on: Option<String>,
    /// Last day, `YYYY-MM-DD` (none: until ended).
    #[schema(format = Date)]
    pub ends_on: Option<String>,
}

/// Body of `POST /api/v1/standing-orders`. As an order's, fields are optional in Rust so that
/// every missing one is named; the schema says what is required.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct StandingOrderIn {
    #[schema(required = true, nullable = false)]
    pub customer: Option<CustomerIn>,
    #[schema(required = true, nullable = false)]
    pub fulfilment: Option<StandingFulfilmentIn>,
    #[schema(required = true, nullable = false, min_items = 1, max_items = 50)]
    pub items: Option<Vec<ItemIn>>,
    #[schema(required = true, nullable = false)]
    pub payment: Option<PaymentIn>,
    #[schema(required = true, nullable = false)]
    pub schedule: Option<ScheduleIn>,
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
}

/// One booked date in the next fortnight.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VisitOut {
    /// The booked date.
    pub date: String,
    /// The order Hearth created for it, once created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_number: Option<i64>,
    /// The order's delivery date now (the bakery may have moved it within the week).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Why no order could be created for this date (the district is full, a product is not
    /// baked that day, ...); Hearth tries again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    pub skipped: bool,
}

/// A standing order and its next visits.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StandingOrderOut {
    pub id: i64,
    /// `active`, `paused` or `ended`.
    pub status: String,
    /// In words, e.g. "Twice a week, Tue + Fri (or Mon + Thu)".
    pub schedule: String,
    pub visits_per_week: i64,
    /// The accepted patterns, as given (lower-case three-letter weekdays).
    pub weekdays: Vec<Vec<String>>,
    pub starts_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused_until: Option<String>,
    /// Items at today's prices, per visit.
    pub subtotal_cents: i64,
    /// Where and when every delivery goes.
    pub fulfilment: StandingFulfilmentOut,
    /// Dates skipped.
    pub skips: Vec<String>,
    pub visits: Vec<VisitOut>,
}

impl From<StandingView> for StandingOrderOut {
    fn from(v: StandingView) -> Self {
        StandingOrderOut {
            id: v.id,
            status: v.status.clone(),
            schedule: v.schedule(),
            visits_per_week: v.per_week,
            weekdays: v
                .patterns
                .iter()
                .map(|&p| {
                    pattern_label(p)
                        .split(" + ")
                        .map(str::to_ascii_lowercase)
                        .collect()
                })
                .collect(),
            starts_on: v.starts_on,
            ends_on: v.ends_on,
            paused_until: v.paused_until,
            subtotal_cents: v.subtotal_cents,
            fulfilment: StandingFulfilmentOut {
                kind: v.fulfilment.clone(),
                address: v.address.clone(),
                lat: v.pin.map(|p| p.0),
                lng: v.pin.map(|p| p.1),
                window: v
                    .window_times
                    .clone()
                    .filter(|_| v.fulfilment == "delivery")
                    .map(|(from, to)| WindowIn {
                        from: Some(from),
                        to: Some(to),
                    }),
                time: v
                    .window_times
                    .clone()
                    .filter(|_| v.fulfilment == "pickup")
                    .map(|w| w.0),
            },
            skips: v.skips,
            visits: v
                .visits
                .into_iter()
                .map(|x| VisitOut {
                    date: x.day,
                    order_number: x.order.as_ref().map(|o| o.1),
                    delivery_date: x.order.as_ref().map(|o| o.2.clone()),
                    status: x.order.map(|o| o.3),
                    refused: x.refusal,
                    skipped: x.skipped,
                })
                .collect(),
        }
    }
}

/// Body of `POST /api/v1/standing-orders/{id}/pause` (`{}`: until resumed).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct PauseIn {
    /// The first day it delivers again, `YYYY-MM-DD` (none: until resumed).
    #[schema(format = Date)]
    pub until: Option<String>,
}

/// Body of `PUT /api/v1/standing-orders/{id}/items`: every delivery's items from tomorrow.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ItemsIn {
    #[schema(required = true, nullable = false, min_items = 1, max_items = 30)]
    pub items: Option<Vec<crate::storefront::model::ItemIn>>,
}

/// Body of `POST /api/v1/standing-orders/{id}/skips`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct SkipIn {
    /// A booked date to skip, `YYYY-MM-DD`.
    #[schema(required = true, nullable = false, format = Date)]
    pub date: Option<String>,
}

/// Where and when a standing order's deliveries go.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StandingFulfilmentOut {
    /// `delivery` or `pickup`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowIn>,
    /// Pickup time, `HH:MM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// New days for a standing order (both required when `schedule` is sent).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct ScheduleChangeIn {
    #[schema(required = true, nullable = false, minimum = 1, maximum = 7)]
    pub visits_per_week: Option<i64>,
    /// As at creation: the accepted patterns, the first booked.
    #[schema(required = true, nullable = false, min_items = 1, max_items = 10)]
    pub weekdays: Option<Vec<Vec<String>>>,
}

/// Body of `PATCH /api/v1/standing-orders/{id}`: what changes from tomorrow. A part left out
/// stays as it is; a part sent is whole, as at creation (the fulfilment's `type` may be left
/// out, and cannot change).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct StandingChangeIn {
    pub schedule: Option<ScheduleChangeIn>,
    pub fulfilment: Option<StandingFulfilmentIn>,
}

/// A page of standing orders, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StandingListOut {
    pub standing_orders: Vec<StandingOrderOut>,
    /// Pass as `after` for the next page (none: this was the last).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_after: Option<i64>,
}
