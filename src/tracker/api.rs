//! The tracker's data: public, by token, nothing personal beyond a first name.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One stage of the progress track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub label: String,
    /// Local time it was reached ("14:05"), if it was.
    pub at: Option<String>,
    pub done: bool,
    pub current: bool,
}

/// What the customer sees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackView {
    pub business: String,
    /// The bakery's logo path, when it has one.
    #[serde(default)]
    pub logo: Option<String>,
    pub order_number: i64,
    pub first_name: String,
    pub status_label: String,
    pub cancelled: bool,
    pub pickup: bool,
    pub date_label: String,
    pub eta: Option<String>,
    /// While out for delivery: stops before this one.
    pub stops_before: Option<i64>,
    pub stages: Vec<Stage>,
    pub items: Vec<(String, i64)>,
    /// "€18.50".
    pub total: String,
    /// "Autumn welcome −€1.85", when a promotion was applied.
    pub discount: Option<String>,
}

/// The tracker view of the order with this token (`NotFound` for unknown tokens). Public.
#[server(endpoint = "get_tracking")]
pub async fn get_tracking(token: String) -> Result<TrackView, AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let tz = cx.config().timezone();
            let t = crate::storefront::handlers::tracking(cx.db(), tz, &token)
                .await?
                .ok_or_else(|| AppError::NotFound("This order".into()))?;
            // "14:05" today; "Mon 30 Nov, 14:05" on another day.
            let today = cx.config().today();
            let local = |at: &str| {
                chrono::DateTime::parse_from_rfc3339(at)
                    .map(|d| {
                        let d = d.with_timezone(&tz);
                        if d.date_naive() == today {
                            d.format("%H:%M").to_string()
                        } else {
                            d.format("%a %-d %b, %H:%M").to_string()
                        }
                    })
                    .ok()
            };
            let current = t.stages.iter().position(|s| s.status == t.status);
            let stages = t
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| Stage {
                    label: s.label.clone(),
                    at: s.at.as_deref().and_then(local),
                    done: current.is_some_and(|c| i <= c),
                    current: current == Some(i),
                })
                .collect();
            let date_label = chrono::NaiveDate::parse_from_str(&t.date, "%Y-%m-%d")
                .map(|d| d.format("%A %-d %B").to_string())
                .unwrap_or(t.date.clone());
            Ok(TrackView {
                logo: crate::settings::logo::path(cx.db()).await?,
                business: cx.config().business_name(),
                order_number: t.order_number,
                first_name: t.first_name,
                cancelled: t.status == "cancelled",
                pickup: t.fulfilment == "pickup",
                status_label: t.status_label,
                date_label,
                eta: match (t.eta_from, t.eta_to) {
                    (Some(a), Some(b)) => Some(format!("{a}–{b}")),
                    (Some(a), None) => Some(a),
                    _ => None,
                },
                stops_before: t.stops_before,
                stages,
                items: t.items.into_iter().map(|i| (i.name, i.quantity)).collect(),
                total: crate::money::format_cents(t.total_cents, &cx.config().currency()),
                discount: (t.discount_cents > 0).then(|| {
                    format!(
                        "{} −{}",
                        t.discounts.join(", "),
                        crate::money::format_cents(t.discount_cents, &cx.config().currency())
                    )
                }),
            })
        }
        .await,
    )
}
