//! The parts of an order request, each checked on its own: customer, items, payment and the
//! rest (fulfilment in `fulfilment.rs`). Every bad field is pushed to `errors` with its JSON
//! path, in the order the request's fields are read.
use std::collections::HashMap;

use super::super::model::{FieldError, OrderIn};
use super::{err, normalize_phone, text, ProductRef, ValidCustomer, ValidItem};
use crate::orders::model::{Fulfilment, PaymentMethod};
use crate::said::{said, said_with};

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
                let product = product_of(item.sku.as_deref(), &path, products, errors);
                let quantity = quantity_of(item.quantity, &path, errors);
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

/// `items[i].sku`: a product on sale.
fn product_of<'p>(
    sku: Option<&str>,
    path: &str,
    products: &'p HashMap<String, ProductRef>,
    errors: &mut Vec<FieldError>,
) -> Option<(String, &'p ProductRef)> {
    let field = format!("{path}.sku");
    let Some(sku) = sku.map(str::trim).filter(|s| !s.is_empty()) else {
        errors.push(err(&field, &said("refuse-required")));
        return None;
    };
    let said_sku = |key: &str| said_with(key, &[("sku", &format!("{sku:?}"))]);
    match products.get(sku) {
        Some(p) if p.active => return Some((sku.to_string(), p)),
        Some(_) => errors.push(err(&field, &said_sku("refuse-sku-retired"))),
        None => errors.push(err(&field, &said_sku("refuse-sku-unknown"))),
    }
    None
}

/// `items[i].quantity`: 1–99 (the product's own limits are checked once it is known).
fn quantity_of(quantity: Option<i64>, path: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let field = format!("{path}.quantity");
    match quantity {
        Some(q) if (1..=99).contains(&q) => return Some(q),
        Some(_) => errors.push(err(&field, &said("refuse-quantity-range"))),
        None => errors.push(err(&field, &said("refuse-required"))),
    }
    None
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
