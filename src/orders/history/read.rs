//! The stored history lines (`make`) worded in the reader's language, recognised by the very
//! phrases `make` writes them with; a line `make` did not write (what someone typed) as stored.
use super::make::{
    ADDRESS, ADDRESS_ERASED, AND, ANY_TIME, CASH, CODE, CODE_REMOVED, DAY, DELIVERED, DELIVERED_TO,
    DEMO, DISTRICT, ERASED, FEE, IMPORTED, ITEMS, MERGED, NEEDS_PIN, NONE, NOTES, NOW_IN, OFF,
    OF_STANDING, OUTSIDE, PAUSED, PHONE, PHOTO, PIN, PLACED_VIA, POINTS, POINTS_BACK, REDRAWN,
    REFERENCE, REFERRAL, SKIPPED, STANDING, SUGGESTED, TO, UNTIL, WHY, WINDOW,
};
use crate::i18n::Lang;

/// The line a new order's history opens with (written by the storefront's intake in English),
/// in `lang`; any other text as it was stored.
pub(super) fn placed(lang: &Lang, detail: String) -> String {
    let fixed = [
        (IMPORTED, "history-created-import"),
        (STANDING, "history-created-standing"),
        (PHONE, "history-created-phone"),
        (DEMO, "history-created-demo"),
    ];
    if let Some((_, key)) = fixed.iter().find(|(text, _)| *text == detail) {
        return lang.t(key);
    }
    let Some(rest) = detail.strip_prefix(PLACED_VIA) else {
        return detail;
    };
    let (source, more) = rest.split_once(AND).unwrap_or((rest, ""));
    let source = match source {
        "storefront" => lang.t("history-source-storefront"),
        "phone" => lang.t("history-source-phone"),
        other => other.to_string(),
    };
    let arg = |v: &str| -> crate::i18n::FluentValue<'static> { v.to_string().into() };
    if let Some(reference) = more.strip_prefix(REFERENCE) {
        lang.t_with(
            "history-created-via-reference",
            &[("source", arg(&source)), ("reference", arg(reference))],
        )
    } else if more == NEEDS_PIN {
        lang.t_with("history-created-via-pin", &[("source", arg(&source))])
    } else if more.is_empty() {
        lang.t_with("history-created-via", &[("source", arg(&source))])
    } else {
        detail
    }
}

/// A standing order's skipped visit or pause as the cancellation's reason ("Skipped
/// (2026-12-08 of standing order S-1)", "Standing order paused until 2026-12-20", as
/// `standing::store` writes them), in `lang`; any other reason as typed.
pub(super) fn skipped(lang: &Lang, reason: String) -> String {
    let parts = reason
        .strip_prefix(SKIPPED)
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|r| r.split_once(OF_STANDING));
    if let Some((day, id)) = parts {
        return lang.t_with(
            "history-skipped",
            &[("day", arg(&lang.day(day, "date-short"))), ("id", arg(id))],
        );
    }
    match reason.strip_prefix(PAUSED) {
        Some("") => lang.t("history-paused"),
        Some(rest) => match rest.strip_prefix(UNTIL) {
            Some(day) => lang.t_with(
                "history-paused-until",
                &[("day", arg(&lang.day(day, "date-short")))],
            ),
            None => reason,
        },
        None => reason,
    }
}

/// An arg for a message.
fn arg(v: &str) -> crate::i18n::FluentValue<'static> {
    v.to_string().into()
}

/// "A → B" split at its arrow.
fn change(text: &str) -> Option<(&str, &str)> {
    text.split_once(TO)
}

/// The order core's words on an edit (its parts joined by "; ", as `orders::core::edit` and
/// `items` write them), in `lang`; a part it does not know is shown as stored.
pub(super) fn edits(lang: &Lang, detail: &str) -> String {
    detail
        .split(AND)
        .map(|part| {
            changed(lang, part)
                .or_else(|| noted(lang, part))
                .unwrap_or_else(|| part.to_string())
        })
        .collect::<Vec<_>>()
        .join(AND)
}

/// A part that says what something was and became ("window 09:00–11:00 → any time").
fn changed(lang: &Lang, part: &str) -> Option<String> {
    let none = |v: &str| {
        if v == NONE {
            lang.t("history-none")
        } else {
            v.to_string()
        }
    };
    let two =
        |key: &str, (a, b): (&str, &str)| lang.t_with(key, &[("from", arg(a)), ("to", arg(b))]);
    let after = |prefix: &str| part.strip_prefix(prefix).and_then(change);
    Some(if let Some((a, b)) = after(WINDOW) {
        let any = |v: &str| {
            if v == ANY_TIME {
                lang.t("history-any-time")
            } else {
                v.to_string()
            }
        };
        two("history-edit-window", (&any(a), &any(b)))
    } else if let Some((a, b)) = after(ADDRESS) {
        two("history-edit-address", (&none(a), &none(b)))
    } else if let Some((a, b)) = after(DISTRICT) {
        two("history-edit-district", (&none(a), b))
    } else if let Some((a, b)) = after(FEE) {
        two("history-edit-fee", (&amount(lang, a), &amount(lang, b)))
    } else if let Some(items) = after(ITEMS) {
        two("history-edit-items", items)
    } else {
        let (a, b) = after(DAY)?;
        let day = |d: &str| lang.day(d, "date-short");
        match b.split_once(WHY.0) {
            Some((b, why)) => {
                let why = why.strip_suffix(WHY.1).unwrap_or(why);
                // The reason `planning::suggest::accept` gives; any other as written.
                let why = match why {
                    SUGGESTED => lang.t("history-why-suggested"),
                    other => other.to_string(),
                };
                lang.t_with(
                    "history-edit-day-why",
                    &[
                        ("from", arg(&day(a))),
                        ("to", arg(&day(b))),
                        ("why", arg(&why)),
                    ],
                )
            }
            None => two("history-edit-day", (&day(a), &day(b))),
        }
    })
}

/// A part that notes what happened: notes changed, data erased, the pin moved, a district
/// redrawn, records merged, a code, points or a referral added or taken off.
fn noted(lang: &Lang, part: &str) -> Option<String> {
    let split = |prefix: &str| part.strip_prefix(prefix).and_then(|r| r.split_once(OFF));
    let with_amount = |key: &str, name: &str, (v, cents): (&str, &str)| {
        lang.t_with(
            key,
            &[(name, arg(v)), ("amount", arg(&amount(lang, cents)))],
        )
    };
    Some(if part == NOTES {
        lang.t("history-edit-notes")
    } else if part == ERASED {
        lang.t("history-edit-erased")
    } else if part == ADDRESS_ERASED {
        lang.t("history-edit-address-erased")
    } else if part == OUTSIDE {
        lang.t("history-edit-outside")
    } else if let Some(d) = part.strip_prefix(PIN).and_then(|r| r.strip_suffix(')')) {
        lang.t_with("history-edit-pin", &[("district", arg(d))])
    } else if let Some(d) = part
        .strip_prefix(NOW_IN)
        .and_then(|r| r.strip_suffix(REDRAWN))
    {
        lang.t_with("history-edit-redrawn", &[("district", arg(d))])
    } else if let Some(name) = part.strip_prefix(MERGED) {
        lang.t_with("history-edit-merged", &[("name", arg(name))])
    } else if let Some(x) = split(CODE_REMOVED) {
        with_amount("history-edit-code-removed", "code", x)
    } else if let Some(x) = split(POINTS_BACK) {
        with_amount("history-edit-points-back", "points", x)
    } else if let Some((code, name)) = split(REFERRAL) {
        lang.t_with(
            "history-edit-referral",
            &[("code", arg(code)), ("name", arg(name))],
        )
    } else if let Some(x) = split(CODE) {
        with_amount("history-edit-code", "code", x)
    } else {
        with_amount("history-edit-points", "points", split(POINTS)?)
    })
}

/// An amount as a history line stores it (written the English way: "€12.00", "-€3.50",
/// "1,234.00 CHF"), as `lang` writes it ("12,00 €"); anything else as stored.
pub(super) fn amount(lang: &Lang, stored: &str) -> String {
    let (sign, rest) = match stored.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, stored),
    };
    let by_symbol = ["EUR", "GBP", "USD"].iter().find_map(|c| {
        rest.strip_prefix(crate::money::symbol(c))
            .map(|n| (c.to_string(), n))
    });
    let by_code = || {
        rest.rsplit_once(' ')
            .filter(|(_, code)| code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()))
            .map(|(n, code)| (code.to_string(), n))
    };
    let Some((currency, number)) = by_symbol.or_else(by_code) else {
        return stored.to_string();
    };
    let digits = number.replace(',', "");
    let cents = digits.split_once('.').and_then(|(whole, cents)| {
        let ok = cents.len() == 2 && cents.chars().all(|c| c.is_ascii_digit());
        Some(whole.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok().filter(|_| ok)?)
    });
    match cents {
        Some(c) => lang.money(sign * c, &currency),
        None => stored.to_string(),
    }
}

/// A driver's report of a delivery ("Delivered to Ana, cash €12.00, with a photo", as
/// `driver::actions::apply` writes it) in `lang`; anything else as stored.
pub(super) fn delivered(lang: &Lang, detail: String) -> String {
    let Some(rest) = detail.strip_prefix(DELIVERED) else {
        return detail;
    };
    let (rest, photo) = match rest.strip_suffix(PHOTO) {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let (rest, cash) = match rest.rsplit_once(CASH) {
        Some((r, c)) => (r, Some(c)),
        None => (rest, None),
    };
    let to = match rest.strip_prefix(DELIVERED_TO) {
        Some(name) => Some(name),
        None if rest.is_empty() => None,
        None => return detail,
    };
    let mut out = match to {
        Some(name) => lang.t_with("history-delivered-to", &[("name", arg(name))]),
        None => lang.t("history-delivered"),
    };
    if let Some(c) = cash {
        out.push_str(&lang.t_with("history-delivered-cash", &[("cash", arg(&amount(lang, c)))]));
    }
    if photo {
        out.push_str(&lang.t("history-delivered-photo"));
    }
    out
}
