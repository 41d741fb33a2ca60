//! The parts of an order request, each checked on its own: customer, fulfilment, items,
//! payment and the rest. Every bad field is pushed to `errors` with its JSON path, in the order
//! the request's fields are read.
use std::collections::HashMap;

use chrono::NaiveDate;

use super::super::model::{FieldError, OrderIn};
use super::{
    err, normalize_phone, parse_time, text, ProductRef, ValidCustomer, ValidItem, MAX_DAYS_AHEAD,
    MAX_FLEXIBLE_DAYS,
};
use crate::orders::model::{Fulfilment, PaymentMethod};
use crate::said::{said, said_with};

/// A request's fulfilment as far as it is valid.
pub(super) struct Fulfilled {
    pub(super) kind: Option<Fulfilment>,
    pub(super) address: Option<String>,
    pub(super) coords: Option<(f64, f64)>,
    pub(super) date: Option<NaiveDate>,
    pub(super) window: Option<(String, String)>,
}

/// A request's notes, promotion code and language, as far as they are valid.
pub(super) struct Extras {
    pub(super) notes: Option<String>,
    pub(super) promo_code: Option<String>,
    pub(super) promo_full_price: bool,
    pub(super) language: Option<String>,
    pub(super) redeem_points: Option<i64>,
    pub(super) referral_code: Option<String>,
}

/// `customer`: name, phone (made E.164), email, and the channels they consent to (marketing
/// opt-in means email).
pub(super) fn customer(
    input: &OrderIn,
    default_cc: &str,
    errors: &mut Vec<FieldError>,
) -> Option<ValidCustomer> {
    let (mut name, mut phone, mut email, mut opt_in) = (None, None, None, false);
    let mut consent = Vec::new();
    match &input.customer {
        None => errors.push(err("customer", &said("refuse-required"))),
        Some(c) => {
            name = text(&c.name, "customer.name", 80, true, errors).map(str::to_string);
            match c.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                None => errors.push(err("customer.phone", &said("refuse-required"))),
                Some(p) => match normalize_phone(p, default_cc) {
                    Some(n) => phone = Some(n),
                    None => errors.push(err("customer.phone", &said("refuse-phone"))),
                },
            }
            if let Some(e) = c.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                match crate::auth::model::validate_email(e) {
                    Ok(e) => email = Some(e),
                    Err(_) => errors.push(err("customer.email", &said("refuse-email"))),
                }
            }
            opt_in = c.marketing_opt_in.unwrap_or(false);
            if let Some(k) = &c.consent {
                use crate::customers::channel::Channel;
                for (on, ch) in [
                    (k.email, Channel::Email),
                    (k.sms, Channel::Sms),
                    (k.whatsapp, Channel::Whatsapp),
                ] {
                    if on == Some(true) {
                        consent.push(ch);
                    }
                }
            }
            if opt_in && !consent.contains(&crate::customers::channel::Channel::Email) {
                consent.push(crate::customers::channel::Channel::Email);
            }
        }
    }

    Some(ValidCustomer {
        name: name?,
        phone: phone?,
        email,
        marketing_opt_in: opt_in,
        consent,
    })
}

/// `fulfilment`: delivery or pickup, its date (not past, not too far ahead), and for a
/// delivery its address, pin and window, for a pickup its time.
pub(super) fn fulfilment(
    input: &OrderIn,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Fulfilled {
    let (mut kind, mut address, mut coords, mut date, mut window) = (None, None, None, None, None);
    match &input.fulfilment {
        None => errors.push(err("fulfilment", &said("refuse-required"))),
        Some(f) => {
            match f.kind.as_deref() {
                Some("delivery") => kind = Some(Fulfilment::Delivery),
                Some("pickup") => kind = Some(Fulfilment::Pickup),
                None => errors.push(err("fulfilment.type", &said("refuse-required"))),
                Some(_) => errors.push(err("fulfilment.type", &said("refuse-fulfilment-type"))),
            }
            match f.date.as_deref().map(str::trim) {
                None | Some("") => errors.push(err("fulfilment.date", &said("refuse-required"))),
                Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                    Err(_) => errors.push(err("fulfilment.date", &said("refuse-date-format"))),
                    Ok(d) if d < today => {
                        errors.push(err("fulfilment.date", &said("refuse-in-past")))
                    }
                    Ok(d) if (d - today).num_days() > MAX_DAYS_AHEAD => errors.push(err(
                        "fulfilment.date",
                        &said_with("refuse-too-far-ahead", &[("days", &MAX_DAYS_AHEAD)]),
                    )),
                    Ok(d) => date = Some(d),
                },
            }
            if kind == Some(Fulfilment::Delivery) {
                address =
                    text(&f.address, "fulfilment.address", 300, true, errors).map(str::to_string);
                match (f.lat, f.lng) {
                    (None, None) => {}
                    (Some(lat), Some(lng)) => {
                        if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
                            errors.push(err("fulfilment.lat", &said("refuse-lat")));
                        } else if !(-180.0..=180.0).contains(&lng) || !lng.is_finite() {
                            errors.push(err("fulfilment.lng", &said("refuse-lng")));
                        } else {
                            coords = Some((lat, lng));
                        }
                    }
                    (Some(_), None) => {
                        errors.push(err("fulfilment.lng", &said("refuse-lng-with-lat")))
                    }
                    (None, Some(_)) => {
                        errors.push(err("fulfilment.lat", &said("refuse-lat-with-lng")))
                    }
                }
                if let Some(w) = &f.window {
                    match (
                        w.from.as_deref().and_then(parse_time),
                        w.to.as_deref().and_then(parse_time),
                    ) {
                        (Some(a), Some(b)) if a < b => {
                            window =
                                Some((a.format("%H:%M").to_string(), b.format("%H:%M").to_string()))
                        }
                        (Some(_), Some(_)) => {
                            errors.push(err("fulfilment.window.to", &said("refuse-window-order")))
                        }
                        (None, _) => {
                            errors.push(err("fulfilment.window.from", &said("refuse-time-from")))
                        }
                        (_, None) => {
                            errors.push(err("fulfilment.window.to", &said("refuse-time-to")))
                        }
                    }
                }
            } else if kind == Some(Fulfilment::Pickup) {
                if f.flexible.is_some() {
                    errors.push(err("fulfilment.flexible", &said("refuse-flex-pickup")));
                }
                if let Some(t) = f.time.as_deref().filter(|t| !t.trim().is_empty()) {
                    match parse_time(t) {
                        Some(t) => {
                            let end = t + chrono::Duration::minutes(30);
                            window = Some((
                                t.format("%H:%M").to_string(),
                                end.format("%H:%M").to_string(),
                            ));
                        }
                        None => errors.push(err("fulfilment.time", &said("refuse-time-pickup"))),
                    }
                }
            }
        }
    }

    Fulfilled {
        kind,
        address,
        coords,
        date,
        window,
    }
}

/// `fulfilment.flexible`: both ends dates, not in the past, around `date`, at most
/// [`MAX_FLEXIBLE_DAYS`] long.
pub(super) fn flexible_range(
    r: &crate::storefront::model::DateRangeIn,
    date: Option<NaiveDate>,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut end = |v: &Option<String>, field: &str| match v.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(err(field, &said("refuse-required")));
            None
        }
        Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Err(_) => {
                errors.push(err(field, &said("refuse-date-format")));
                None
            }
            Ok(d) if d < today => {
                errors.push(err(field, &said("refuse-in-past")));
                None
            }
            Ok(d) => Some(d),
        },
    };
    let (from, to) = (
        end(&r.from, "fulfilment.flexible.from"),
        end(&r.to, "fulfilment.flexible.to"),
    );
    let (from, to) = (from?, to?);
    if to < from {
        errors.push(err("fulfilment.flexible.to", &said("refuse-flex-before")));
        return None;
    }
    if (to - from).num_days() >= MAX_FLEXIBLE_DAYS {
        errors.push(err(
            "fulfilment.flexible.to",
            &said_with("refuse-flex-too-long", &[("days", &MAX_FLEXIBLE_DAYS)]),
        ));
        return None;
    }
    let date = date?;
    if date < from || date > to {
        errors.push(err("fulfilment.flexible", &said("refuse-flex-include")));
        return None;
    }
    (from != to).then_some((from, to))
}

/// `items`: 1–50 lines, each a product on sale, in its quantity limits, at most once.
pub(super) fn items(
    input: &OrderIn,
    products: &HashMap<String, ProductRef>,
    errors: &mut Vec<FieldError>,
) -> Vec<ValidItem> {
    let mut items = Vec::new();
    match &input.items {
        None => errors.push(err("items", &said("refuse-required"))),
        Some(list) if list.is_empty() => errors.push(err("items", &said("refuse-items-empty"))),
        Some(list) if list.len() > 50 => errors.push(err(
            "items",
            &said_with("refuse-items-many", &[("max", &50)]),
        )),
        Some(list) => {
            for (i, item) in list.iter().enumerate() {
                let path = format!("items[{i}]");
                let product = match item.sku.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => {
                        errors.push(err(&format!("{path}.sku"), &said("refuse-required")));
                        None
                    }
                    Some(sku) => match products.get(sku) {
                        Some(p) if p.active => Some((sku.to_string(), p)),
                        Some(_) => {
                            errors.push(err(
                                &format!("{path}.sku"),
                                &said_with("refuse-sku-retired", &[("sku", &format!("{sku:?}"))]),
                            ));
                            None
                        }
                        None => {
                            errors.push(err(
                                &format!("{path}.sku"),
                                &said_with("refuse-sku-unknown", &[("sku", &format!("{sku:?}"))]),
                            ));
                            None
                        }
                    },
                };
                let quantity = match item.quantity {
                    Some(q) if (1..=99).contains(&q) => Some(q),
                    Some(_) => {
                        errors.push(err(
                            &format!("{path}.quantity"),
                            &said("refuse-quantity-range"),
                        ));
                        None
                    }
                    None => {
                        errors.push(err(&format!("{path}.quantity"), &said("refuse-required")));
                        None
                    }
                };
                let note = text(&item.note, &format!("{path}.note"), 200, false, errors);
                if let (Some((sku, p)), Some(quantity)) = (product, quantity) {
                    if quantity < p.min_quantity || quantity > p.max_quantity {
                        errors.push(err(
                            &format!("{path}.quantity"),
                            &said_with(
                                "refuse-quantity-for",
                                &[
                                    ("min", &p.min_quantity),
                                    ("max", &p.max_quantity),
                                    ("product", &p.name),
                                ],
                            ),
                        ));
                    } else if items.iter().any(|it: &ValidItem| it.sku == sku) {
                        errors.push(err(&format!("{path}.sku"), &said("refuse-sku-twice")));
                    } else {
                        items.push(ValidItem {
                            product_id: p.id,
                            sku,
                            name: p.name.clone(),
                            quantity,
                            unit_price_cents: p.price_cents,
                            note: note.map(str::to_string),
                        });
                    }
                }
            }
        }
    }

    items
}

/// `payment`: its method (which must suit the way the order is fulfilled) and reference.
pub(super) fn payment(
    input: &OrderIn,
    kind: Option<Fulfilment>,
    errors: &mut Vec<FieldError>,
) -> (Option<PaymentMethod>, Option<String>) {
    let mut payment = None;
    let mut reference = None;
    match &input.payment {
        None => errors.push(err("payment", &said("refuse-required"))),
        Some(p) => {
            match p.method.as_deref().map(PaymentMethod::parse) {
                None => errors.push(err("payment.method", &said("refuse-required"))),
                Some(Err(_)) => errors.push(err("payment.method", &said("refuse-payment-method"))),
                Some(Ok(m)) => payment = Some(m),
            }
            reference =
                text(&p.reference, "payment.reference", 100, false, errors).map(str::to_string);
        }
    }
    match (kind, payment) {
        (Some(Fulfilment::Pickup), Some(PaymentMethod::Cod)) => {
            errors.push(err("payment.method", &said("refuse-cod-pickup")))
        }
        (Some(Fulfilment::Delivery), Some(PaymentMethod::PayAtPickup)) => errors.push(err(
            "payment.method",
            &said("refuse-pay-at-pickup-delivery"),
        )),
        _ => {}
    }
    (payment, reference)
}

/// `notes`, `promo_code` (upper-cased), `promo_fallback`, `language`, `redeem_points` and
/// `referral_code` (upper-cased).
pub(super) fn extras(input: &OrderIn, errors: &mut Vec<FieldError>) -> Extras {
    let notes = text(&input.notes, "notes", 1000, false, errors).map(str::to_string);
    let promo_code = match input.promo_code.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c)
            if (3..=32).contains(&c.chars().count())
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') =>
        {
            Some(c.to_uppercase())
        }
        Some(_) => {
            errors.push(err("promo_code", &said("refuse-promo-format")));
            None
        }
    };
    let promo_full_price = match input.promo_fallback.as_deref() {
        None | Some("refuse") => false,
        Some("full_price") => true,
        Some(_) => {
            errors.push(err("promo_fallback", &said("refuse-promo-fallback")));
            false
        }
    };

    let language = match input.language.as_deref() {
        None => None,
        Some(code) => match crate::i18n::Lang::parse(code) {
            Some(lang) => Some(lang.code()),
            None => {
                let known = crate::i18n::Lang::codes().join(", ");
                errors.push(err(
                    "language",
                    &said_with("refuse-one-of", &[("known", &known)]),
                ));
                None
            }
        },
    };

    let redeem_points = match input.redeem_points {
        None => None,
        Some(n) if (1..=1_000_000).contains(&n) => Some(n),
        Some(_) => {
            errors.push(err("redeem_points", &said("refuse-points-format")));
            None
        }
    };
    let referral_code = match input.referral_code.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c)
            if (4..=20).contains(&c.chars().count())
                && c.chars().all(|ch| ch.is_ascii_alphanumeric()) =>
        {
            Some(c.to_uppercase())
        }
        Some(_) => {
            errors.push(err("referral_code", &said("refuse-referral-format")));
            None
        }
    };
    Extras {
        notes,
        promo_code,
        promo_full_price,
        language,
        redeem_points,
        referral_code,
    }
}
