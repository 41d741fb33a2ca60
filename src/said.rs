//! What Hearth says when it refuses something — a field's problem, a booking rule, a full day,
//! a promotion that does not apply — in the language of whoever reads the answer: a storefront
//! customer (the order's `language`, else the request's `Accept-Language`, else the bakery's)
//! or the signed-in person (their own language, else the bakery's).
//!
//! The entry point says who reads (`crate::i18n::reading`, for the storefront API and every
//! server function); the rules only name a message (`refuse-…` in the locale files) and its
//! arguments. Dates stay `YYYY-MM-DD` (what the API's clients parse); weekday names follow the
//! reader. The pages' own words leave `refuse-…` out: these are worded on the server only.
use std::fmt::Display;

/// Message `key` in the reader's language.
pub fn said(key: &str) -> String {
    said_with(key, &[])
}

/// Message `key` with its arguments as text, e.g. `&[("max", &80)]`.
#[cfg(feature = "ssr")]
pub fn said_with(key: &str, args: &[(&str, &dyn Display)]) -> String {
    let args: Vec<(&str, crate::i18n::FluentValue<'static>)> = args
        .iter()
        .map(|(name, v)| (*name, crate::i18n::FluentValue::from(v.to_string())))
        .collect();
    crate::i18n::reader().t_with(key, &args)
}

/// Message `key` whose words depend on `count` (Fluent's plural forms), with more arguments.
#[cfg(feature = "ssr")]
pub fn said_count(key: &str, count: i64, args: &[(&str, &dyn Display)]) -> String {
    let mut all: Vec<(&str, crate::i18n::FluentValue<'static>)> =
        vec![("count", crate::i18n::FluentValue::from(count))];
    all.extend(
        args.iter()
            .map(|(name, v)| (*name, crate::i18n::FluentValue::from(v.to_string()))),
    );
    crate::i18n::reader().t_with(key, &all)
}

/// A weekday's name in the reader's language ("Monday", "lunes").
#[cfg(feature = "ssr")]
pub fn weekday(day: chrono::NaiveDate) -> String {
    crate::i18n::words(&crate::i18n::reader()).date(&day, "%A")
}

/// Weekday number `i` (0 = Monday) by its full name in the reader's language ("Monday", "lunes").
#[cfg(feature = "ssr")]
pub fn weekday_number(i: usize) -> String {
    crate::i18n::words(&crate::i18n::reader())
        .get("days-long")
        .split_whitespace()
        .nth(i)
        .unwrap_or_default()
        .to_string()
}

/// The short names of the weekdays in `mask` (bit 0 = Monday) in the reader's language: "Mon,
/// Wed", "lun, mié".
#[cfg(feature = "ssr")]
pub fn weekdays(mask: u8) -> String {
    weekdays_joined(mask, ", ")
}

/// A weekly pattern in the reader's language: "Mon + Thu", "lun + jue".
#[cfg(feature = "ssr")]
pub fn pattern(mask: u8) -> String {
    weekdays_joined(mask, " + ")
}

#[cfg(feature = "ssr")]
fn weekdays_joined(mask: u8, between: &str) -> String {
    let names = crate::i18n::words(&crate::i18n::reader()).get("days-short");
    let days: Vec<&str> = names
        .split_whitespace()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, d)| d)
        .collect();
    if days.is_empty() {
        said("refuse-no-days")
    } else {
        days.join(between)
    }
}

/// An amount as the reader writes it: "€12.50", "12,50 €".
#[cfg(feature = "ssr")]
pub fn money(cents: i64, currency: &str) -> String {
    crate::i18n::reader().money(cents, currency)
}

// The browser never refuses anything itself: these exist so that the rules' modules, which
// the client build also compiles, build there too.
#[cfg(not(feature = "ssr"))]
pub fn said_with(key: &str, _args: &[(&str, &dyn Display)]) -> String {
    key.to_string()
}

#[cfg(not(feature = "ssr"))]
pub fn said_count(key: &str, _count: i64, _args: &[(&str, &dyn Display)]) -> String {
    key.to_string()
}

#[cfg(not(feature = "ssr"))]
pub fn weekday(day: chrono::NaiveDate) -> String {
    day.format("%A").to_string()
}

#[cfg(not(feature = "ssr"))]
pub fn weekday_number(i: usize) -> String {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    .get(i)
    .copied()
    .unwrap_or_default()
    .to_string()
}

#[cfg(not(feature = "ssr"))]
pub fn weekdays(mask: u8) -> String {
    crate::words::weekday_summary(mask)
}

#[cfg(not(feature = "ssr"))]
pub fn money(cents: i64, currency: &str) -> String {
    crate::money::format_cents(cents, currency)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::i18n::{reading, Lang};

    #[tokio::test]
    async fn the_reader_chooses_the_words_and_no_one_means_english() {
        assert_eq!(said("refuse-required"), "is required");
        let es = Lang::parse("es").unwrap();
        let (text, day) = reading(es, async {
            (
                said_with("refuse-too-long", &[("max", &80)]),
                weekday(chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()),
            )
        })
        .await;
        assert_eq!(text, "admite como mucho 80 caracteres");
        assert_eq!(day, "lunes");
        let es = Lang::parse("es").unwrap();
        let (days, price) =
            reading(es, async { (weekdays(0b0010_0101), money(1250, "EUR")) }).await;
        assert_eq!(
            (days.as_str(), price.as_str()),
            ("lun, mié, sáb", "12,50 €")
        );
        assert_eq!(weekdays(0b0010_0101), "Mon, Wed, Sat");
        assert_eq!(weekdays(0), "Not served");
        // Outside the scope, English again.
        assert_eq!(
            said_with("refuse-too-long", &[("max", &80)]),
            "must be at most 80 characters"
        );
    }
}
