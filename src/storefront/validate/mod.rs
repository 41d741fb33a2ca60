//! Pure validation of an order request: every bad field is reported with its JSON path.
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};

use super::model::{FieldError, OrderIn};
use crate::orders::model::{Fulfilment, PaymentMethod};
use crate::said::{said, said_with};

mod fulfilment;
mod parts;

/// A product the storefront may order.
#[derive(Debug, Clone)]
pub struct ProductRef {
    pub id: i64,
    pub name: String,
    pub price_cents: i64,
    pub active: bool,
    /// How many one order may have.
    pub min_quantity: i64,
    pub max_quantity: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidCustomer {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub marketing_opt_in: bool,
    /// Channels consented to at checkout.
    pub consent: Vec<crate::customers::channel::Channel>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidItem {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub note: Option<String>,
}

/// A well-formed order (business rules such as capacity are checked later, in the transaction).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOrder {
    pub customer: ValidCustomer,
    pub fulfilment: Fulfilment,
    pub address: Option<String>,
    pub coords: Option<(f64, f64)>,
    pub date: NaiveDate,
    /// Local `HH:MM` window (delivery) or slot (pickup).
    pub window: Option<(String, String)>,
    /// Other days the customer accepts (delivery), both ends included; contains `date`.
    pub flexible: Option<(NaiveDate, NaiveDate)>,
    pub items: Vec<ValidItem>,
    pub payment: PaymentMethod,
    pub payment_reference: Option<String>,
    pub notes: Option<String>,
    /// The promotion code asked for (trimmed, upper case).
    pub promo_code: Option<String>,
    /// Take the order at full price when the code does not apply (else refuse it).
    pub promo_full_price: bool,
    /// The customer's language code, when the storefront sent one Hearth speaks.
    pub language: Option<String>,
    /// Loyalty points to spend.
    pub redeem_points: Option<i64>,
    /// Another customer's referral code (upper case).
    pub referral_code: Option<String>,
}

impl ValidOrder {
    pub fn subtotal_cents(&self) -> i64 {
        self.items
            .iter()
            .map(|i| i.quantity * i.unit_price_cents)
            .sum()
    }
}

/// Orders may be placed this far ahead.
pub const MAX_DAYS_AHEAD: i64 = 60;

/// Normalises a phone number to E.164. Numbers without a country code get `default_cc`
/// (e.g. "34" for Spain). Returns None when it can't be a phone number.
pub fn normalize_phone(raw: &str, default_cc: &str) -> Option<String> {
    let trimmed = raw.trim();
    let mut digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    let ok_chars = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if !ok_chars || digits.is_empty() {
        return None;
    }
    if trimmed.starts_with('+') {
        // already international
    } else if let Some(rest) = digits.strip_prefix("00") {
        digits = rest.to_string();
    } else {
        digits = format!("{default_cc}{}", digits.trim_start_matches('0'));
    }
    (8..=15)
        .contains(&digits.len())
        .then(|| format!("+{digits}"))
}

fn parse_time(raw: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok()
}

fn text<'a>(
    value: &'a Option<String>,
    field: &str,
    max: usize,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<&'a str> {
    // The length is that of the text as sent (spaces included), as the OpenAPI schema says.
    let too_long = value.as_deref().is_some_and(|v| v.chars().count() > max);
    let v = value.as_deref().map(str::trim).filter(|v| !v.is_empty());
    match v {
        None if required => errors.push(err(field, &said("refuse-required"))),
        _ if too_long => errors.push(err(field, &said_with("refuse-too-long", &[("max", &max)]))),
        _ => {}
    }
    v.filter(|_| !too_long)
}

/// "`field` `problem`." (a field's problem reads so: the field's name first).
pub(crate) fn err(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.to_string(),
        message: format!("{field} {message}."),
    }
}

/// The longest range of days a customer may leave open.
pub const MAX_FLEXIBLE_DAYS: i64 = 14;

/// Checks the shape of an order and resolves its SKUs; `today` is the business's local date.
/// Every bad field is reported, in the order the request's parts are read.
pub fn order(
    input: &OrderIn,
    today: NaiveDate,
    products: &HashMap<String, ProductRef>,
    default_cc: &str,
) -> Result<ValidOrder, Vec<FieldError>> {
    let mut errors = Vec::new();
    let customer = parts::customer(input, default_cc, &mut errors);
    let f = fulfilment::fulfilment(input, today, &mut errors);
    let flexible = match input.fulfilment.as_ref().and_then(|f| f.flexible.as_ref()) {
        Some(r) if f.kind == Some(Fulfilment::Delivery) => {
            fulfilment::flexible_range(r, f.date, today, &mut errors)
        }
        _ => None,
    };
    let items = parts::items(input, products, &mut errors);
    let (payment, reference) = parts::payment(input, f.kind, &mut errors);
    let x = parts::extras(input, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    match (customer, f.kind, f.date, payment) {
        (Some(customer), Some(fulfilment), Some(date), Some(payment)) => Ok(ValidOrder {
            customer,
            fulfilment,
            address: f.address,
            coords: f.coords,
            date,
            window: f.window,
            flexible,
            items,
            payment,
            payment_reference: reference,
            notes: x.notes,
            promo_code: x.promo_code,
            promo_full_price: x.promo_full_price,
            language: x.language,
            redeem_points: x.redeem_points,
            referral_code: x.referral_code,
        }),
        _ => Err(vec![err("request", &said("refuse-incomplete"))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storefront::model::*;

    fn products() -> HashMap<String, ProductRef> {
        let mut m = HashMap::new();
        m.insert(
            "BRD-SOUR".into(),
            ProductRef {
                id: 1,
                name: "Sourdough".into(),
                price_cents: 650,
                active: true,
                min_quantity: 1,
                max_quantity: 99,
            },
        );
        m.insert(
            "OLD".into(),
            ProductRef {
                id: 2,
                name: "Old".into(),
                price_cents: 100,
                active: false,
                min_quantity: 1,
                max_quantity: 99,
            },
        );
        m
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn good() -> OrderIn {
        serde_json::from_value(serde_json::json!({
            "customer": {"name": "Ana García", "phone": "600 123 456"},
            "fulfilment": {"type": "delivery", "address": "Calle Mayor 1", "lat": 40.41, "lng": -3.70,
                           "date": "2026-11-27", "window": {"from": "09:00", "to": "11:00"}},
            "items": [{"sku": "BRD-SOUR", "quantity": 2}],
            "payment": {"method": "cod"}
        }))
        .unwrap()
    }

    #[test]
    fn phones_become_e164() {
        assert_eq!(
            normalize_phone("600 123 456", "34").as_deref(),
            Some("+34600123456")
        );
        assert_eq!(
            normalize_phone("+44 20 7946 0018", "34").as_deref(),
            Some("+442079460018")
        );
        assert_eq!(
            normalize_phone("0034-600-123-456", "34").as_deref(),
            Some("+34600123456")
        );
        assert_eq!(
            normalize_phone("(600) 12.34.56", "34").as_deref(),
            Some("+34600123456")
        );
        assert_eq!(normalize_phone("call me", "34"), None);
        assert_eq!(normalize_phone("12", "34"), None);
    }

    #[test]
    fn a_good_order_validates_and_totals() {
        let v = order(&good(), today(), &products(), "34").unwrap();
        assert_eq!(v.customer.phone, "+34600123456");
        assert_eq!(v.coords, Some((40.41, -3.70)));
        assert_eq!(v.window, Some(("09:00".into(), "11:00".into())));
        assert_eq!(v.subtotal_cents(), 1300);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad: OrderIn = serde_json::from_value(serde_json::json!({
            "customer": {"name": "", "phone": "abc", "email": "nope"},
            "fulfilment": {"type": "delivery", "date": "2026-11-20", "lat": 91.0, "lng": 0.0,
                           "window": {"from": "11:00", "to": "09:00"}},
            "items": [{"sku": "NOPE", "quantity": 1}, {"sku": "OLD", "quantity": 0}, {"quantity": 2}],
            "payment": {"method": "pay_at_pickup"}
        }))
        .unwrap();
        let errors = order(&bad, today(), &products(), "34").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "customer.name",
            "customer.phone",
            "customer.email",
            "fulfilment.date",
            "fulfilment.address",
            "fulfilment.lat",
            "fulfilment.window.to",
            "items[0].sku",
            "items[1].sku",
            "items[1].quantity",
            "items[2].sku",
            "payment.method",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        assert!(errors.iter().all(|e| e.message.starts_with(&e.field)));
    }

    #[test]
    fn missing_sections_and_pickup_rules() {
        let empty: OrderIn = serde_json::from_value(serde_json::json!({})).unwrap();
        let fields: Vec<String> = order(&empty, today(), &products(), "34")
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["customer", "fulfilment", "items", "payment"]);

        let mut pickup = good();
        pickup.fulfilment = Some(FulfilmentIn {
            kind: Some("pickup".into()),
            address: None,
            lat: None,
            lng: None,
            date: Some("2026-11-25".into()),
            window: None,
            time: Some("10:30".into()),
            flexible: None,
        });
        let errors = order(&pickup, today(), &products(), "34").unwrap_err();
        assert_eq!(
            errors[0].field, "payment.method",
            "cod is refused for pickups"
        );
        pickup.payment = Some(PaymentIn {
            method: Some("pay_at_pickup".into()),
            reference: None,
        });
        let v = order(&pickup, today(), &products(), "34").unwrap();
        assert_eq!(v.window, Some(("10:30".into(), "11:00".into())));
        assert_eq!(v.address, None);
    }

    /// `good()` with `fulfilment.flexible` set to `range` (JSON).
    fn flexible(range: serde_json::Value) -> OrderIn {
        let mut o = good();
        let mut f = serde_json::to_value(o.fulfilment.take().unwrap()).unwrap();
        f["flexible"] = range;
        o.fulfilment = Some(serde_json::from_value(f).unwrap());
        o
    }

    #[test]
    fn the_customers_language_is_kept_when_hearth_speaks_it() {
        let with = |code: Option<&str>| {
            let mut o = good();
            o.language = code.map(str::to_string);
            order(&o, today(), &products(), "34")
        };
        assert_eq!(with(None).unwrap().language, None);
        assert_eq!(with(Some("es")).unwrap().language.as_deref(), Some("es"));
        let errors = with(Some("klingon")).unwrap_err();
        assert_eq!(errors, vec![err("language", "must be one of en, es")]);
    }

    #[test]
    fn a_range_of_days_is_checked_and_kept() {
        let day = good().fulfilment.unwrap().date.unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let plus = |n: i64| (d(&day) + chrono::Duration::days(n)).to_string();
        let ok = order(
            &flexible(serde_json::json!({"from": day, "to": plus(3)})),
            today(),
            &products(),
            "34",
        )
        .unwrap();
        assert_eq!(ok.flexible, Some((d(&day), d(&plus(3)))));
        // A one-day range is no range.
        let one = order(
            &flexible(serde_json::json!({"from": day, "to": day})),
            today(),
            &products(),
            "34",
        )
        .unwrap();
        assert_eq!(one.flexible, None);
        for (range, field, why) in [
            (
                serde_json::json!({"to": plus(2)}),
                "fulfilment.flexible.from",
                "is required",
            ),
            (
                serde_json::json!({"from": day, "to": "soon"}),
                "fulfilment.flexible.to",
                "must be a date",
            ),
            (
                serde_json::json!({"from": "2020-01-01", "to": plus(1)}),
                "fulfilment.flexible.from",
                "in the past",
            ),
            (
                serde_json::json!({"from": plus(2), "to": plus(1)}),
                "fulfilment.flexible.to",
                "before",
            ),
            (
                serde_json::json!({"from": day, "to": plus(14)}),
                "fulfilment.flexible.to",
                "more than 14 days",
            ),
            (
                serde_json::json!({"from": plus(1), "to": plus(3)}),
                "fulfilment.flexible",
                "must include fulfilment.date",
            ),
        ] {
            let errors = order(&flexible(range), today(), &products(), "34").unwrap_err();
            assert!(
                errors
                    .iter()
                    .any(|e| e.field == field && e.message.contains(why)),
                "{field} {why}: {errors:?}"
            );
        }
    }
}
