//! A refusal in the reader's words, naming the rule and the promotion's figures.
use chrono::NaiveDate;

use super::{Offer, Promotion, Refusal};

/// The customer's words for a refusal, naming the rule, in the reader's language
/// (`crate::said`).
pub fn explain(r: Refusal, p: Option<&Promotion>, currency: &str) -> String {
    use crate::said::{money, said, said_count, said_with, weekdays};
    let name = p.map_or_else(
        || said("refuse-promo-this-code"),
        |p| format!("\"{}\"", p.name),
    );
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let reason = match (r, p) {
        (Refusal::UnknownCode, _) => said("refuse-promo-unknown"),
        (Refusal::Paused, _) => said_with("refuse-promo-paused", &[("name", &name)]),
        (Refusal::NotStarted, Some(p)) => said_with(
            "refuse-promo-not-started",
            &[("name", &name), ("day", &day(p.starts))],
        ),
        (Refusal::Ended, Some(p)) => said_with(
            "refuse-promo-ended",
            &[("name", &name), ("day", &day(p.ends))],
        ),
        (Refusal::DayNotIncluded, Some(p)) => said_with(
            "refuse-promo-weekdays",
            &[("name", &name), ("days", &weekdays(p.weekdays))],
        ),
        (Refusal::BelowMinimum, Some(p)) => said_with(
            "refuse-promo-minimum",
            &[
                ("name", &name),
                ("minimum", &money(p.min_order_cents, currency)),
            ],
        ),
        (Refusal::NoEligibleProduct, _) => said_with("refuse-promo-products", &[("name", &name)]),
        (
            Refusal::NotEnoughItems,
            Some(Promotion {
                offer: Offer::BuyGet { buy, get, .. },
                ..
            }),
        ) => said_with(
            "refuse-promo-buy-get",
            &[
                ("name", &name),
                ("needs", &(buy + get)),
                ("buy", buy),
                ("get", get),
            ],
        ),
        (Refusal::DistrictNotIncluded, _) => said_with("refuse-promo-district", &[("name", &name)]),
        (Refusal::FirstOrderOnly, _) => said_with("refuse-promo-first-order", &[("name", &name)]),
        (Refusal::UsedUp, _) => said_with("refuse-promo-used-up", &[("name", &name)]),
        (Refusal::CustomerLimitReached, Some(p)) => match p.per_customer_limit {
            Some(n) => said_count("refuse-promo-per-customer", n, &[("name", &name)]),
            None => said_with("refuse-promo-limited", &[("name", &name)]),
        },
        (Refusal::CodeAlreadyUsed, _) => said("refuse-promo-code-used"),
        (Refusal::CodeForAnotherCustomer, _) => said("refuse-promo-code-theirs"),
        (Refusal::NothingToDiscount, _) => said_with("refuse-promo-nothing", &[("name", &name)]),
        (r, None) => said_with("refuse-promo-no-name", &[("code", &r.code())]),
        (r, Some(_)) => said_with(
            "refuse-promo-other",
            &[("name", &name), ("code", &r.code())],
        ),
    };
    format!("promo_code: {reason}")
}
