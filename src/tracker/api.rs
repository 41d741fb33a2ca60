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

/// What the customer sees, already in their language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackView {
    pub business: String,
    /// The bakery's logo path, when it has one.
    #[serde(default)]
    pub logo: Option<String>,
    pub order_number: i64,
    pub cancelled: bool,
    /// Its language code (the page's `lang`).
    pub lang: String,
    /// The page title, "Order #1042 · Obrador Hearth".
    pub title: String,
    /// "Order #1042".
    pub order_label: String,
    /// "Ana, your order is baking".
    pub headline: String,
    /// "Delivery on Friday 4 December".
    pub when: String,
    pub eta: Option<String>,
    /// While out for delivery: "2 stops before yours."
    pub stops_before: Option<String>,
    pub stages: Vec<Stage>,
    pub items: Vec<(String, i64)>,
    /// "€18.50", "18,50 €".
    pub total: String,
    /// "Autumn welcome −€1.85", when a promotion was applied.
    pub discount: Option<String>,
    /// The headings and notes around them.
    pub words: TrackWords,
}

/// The page's fixed words, in the customer's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackWords {
    pub progress: String,
    pub ordered: String,
    pub total: String,
    pub updates: String,
    #[serde(default)]
    pub receipt: String,
}

/// A status's name in `lang` ("Baking", "En el horno"): its message `status-<status>`.
#[cfg(feature = "ssr")]
pub fn status_word(lang: &crate::i18n::Lang, status: &str) -> String {
    lang.t(&format!("status-{status}"))
}

/// The order's stages so far and to come, each with when it was reached: "14:05" today,
/// "Mon 30 Nov, 14:05" on another day.
#[cfg(feature = "ssr")]
fn stages(
    lang: &crate::i18n::Lang,
    t: &crate::storefront::model::Tracking,
    tz: chrono_tz::Tz,
    today: chrono::NaiveDate,
) -> Vec<Stage> {
    let local = |at: &str| {
        chrono::DateTime::parse_from_rfc3339(at)
            .map(|d| {
                let d = d.with_timezone(&tz);
                if d.date_naive() == today {
                    d.format("%H:%M").to_string()
                } else {
                    lang.date_time(d)
                }
            })
            .ok()
    };
    let current = t.stages.iter().position(|s| s.status == t.status);
    t.stages
        .iter()
        .enumerate()
        .map(|(i, s)| Stage {
            label: status_word(lang, &s.status),
            at: s.at.as_deref().and_then(local),
            done: current.is_some_and(|c| i <= c),
            current: current == Some(i),
        })
        .collect()
}

/// The tracker's view of `t`, worded in `lang`.
#[cfg(feature = "ssr")]
fn view_of(
    t: crate::storefront::model::Tracking,
    lang: &crate::i18n::Lang,
    config: &crate::server::config::Config,
    logo: Option<String>,
) -> TrackView {
    let tz = config.timezone();
    let stages = stages(lang, &t, tz, config.today());
    let currency = config.currency();
    let business = config.business_name();
    let cancelled = t.status == "cancelled";
    TrackView {
        logo,
        title: lang.t_with(
            "tracker-title",
            &[
                ("number", t.order_number.into()),
                ("business", business.clone().into()),
            ],
        ),
        order_label: lang.t_with("tracker-order", &[("number", t.order_number.into())]),
        headline: if cancelled {
            lang.t("tracker-cancelled")
        } else {
            lang.t_with(
                "tracker-headline",
                &[
                    ("name", t.first_name.clone().into()),
                    ("status", t.status.clone().into()),
                ],
            )
        },
        when: super::receipt_read::when_words(lang, &t.fulfilment, &t.date),
        business,
        order_number: t.order_number,
        cancelled,
        eta: match (t.eta_from, t.eta_to) {
            (Some(a), Some(b)) => Some(format!("{a}–{b}")),
            (Some(a), None) => Some(a),
            _ => None,
        },
        stops_before: t
            .stops_before
            .map(|n| lang.t_with("tracker-stops-before", &[("count", n.into())])),
        stages,
        items: t.items.into_iter().map(|i| (i.name, i.quantity)).collect(),
        total: lang.money(t.total_cents, &currency),
        discount: (t.discount_cents > 0).then(|| {
            format!(
                "{} −{}",
                t.discounts.join(", "),
                lang.money(t.discount_cents, &currency)
            )
        }),
        words: TrackWords {
            progress: lang.t("tracker-progress"),
            ordered: lang.t("tracker-ordered"),
            total: lang.t("tracker-total"),
            updates: lang.t("tracker-updates"),
            receipt: lang.t("tracker-receipt"),
        },
        lang: lang.code(),
    }
}

/// The tracker view of the order with this token (`NotFound` for unknown tokens). Public.
#[server(endpoint = "get_tracking")]
pub async fn get_tracking(token: String) -> Result<TrackView, AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let t = crate::storefront::tracking::tracking(cx.db(), cx.config().timezone(), &token)
                .await?
                .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-this-order")))?;
            // The order's language when the storefront gave one, else the business's.
            let lang =
                crate::i18n::Lang::pick(&[t.language.as_deref(), Some(&cx.config().language())]);
            let logo = crate::settings::logo::path(cx.db()).await?;
            Ok(view_of(t, &lang, cx.config(), logo))
        }
        .await,
    )
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    /// Status names are looked up by a key made at run time: each one has its message.
    #[test]
    fn every_status_has_a_name_in_every_language() {
        use crate::orders::model::OrderStatus;
        for (code, _) in crate::i18n::Lang::all() {
            let lang = crate::i18n::Lang::parse(&code).unwrap();
            for s in OrderStatus::ALL {
                let word = super::status_word(&lang, s.as_str());
                assert!(
                    !word.starts_with("Unknown") && !word.contains("status-"),
                    "{code} {s:?}: {word}"
                );
            }
        }
    }
}
