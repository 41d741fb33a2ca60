//! The phone-order form read as a storefront order: validated like one, its problems named by
//! the form's own fields, and the windows the district under its pin offers. Server only.
use super::PhoneFields;
use crate::error::AppError;

/// The form's field that a storefront field name stands for (`rows` maps the storefront's
/// item index to the form's row, as empty rows are left out).
pub(super) fn form_field(field: &str, rows: &[usize]) -> String {
    if let Some(rest) = field.strip_prefix("items[") {
        if let Some(i) = rest.split(']').next().and_then(|i| i.parse::<usize>().ok()) {
            return format!("items[{}]", rows.get(i).copied().unwrap_or(i));
        }
        return "items".into();
    }
    match field {
        "customer.phone" => "phone",
        "customer.name" => "name",
        "fulfilment.date" => "date",
        "fulfilment.window"
        | "fulfilment.window.from"
        | "fulfilment.window.to"
        | "fulfilment.time" => "window",
        "fulfilment.address" => "address",
        "fulfilment.lat" | "fulfilment.lng" => "pin",
        f if f.starts_with("fulfilment.flexible") => "flex_to",
        "fulfilment.type" => "fulfilment",
        "promo_code" => "promo_code",
        "redeem_points" => "redeem_points",
        "referral_code" => "referral_code",
        f if f.starts_with("payment") => "payment",
        f if f.starts_with("items") => "items",
        other => other,
    }
    .to_string()
}

/// A form-valid order, the form row of each of its items, and what still stops it being
/// taken (a delivery without its pin).
pub(super) type Prepared = (
    crate::storefront::validate::ValidOrder,
    Vec<usize>,
    Vec<(String, String)>,
);

/// The form as a storefront order: validated, with the door's pin. Problems name form fields.
pub(super) async fn prepare(
    cx: &crate::server::ctx::Ctx,
    mut f: PhoneFields,
) -> Result<Prepared, Vec<(String, String)>> {
    let internal = |e: AppError| vec![(String::new(), e.to_string())];
    let config = cx.config();
    let address = f.address.take().filter(|a| !a.trim().is_empty());
    let (pin, mut problems) = door_pin(cx, &f, address.as_deref()).await?;
    let (input, rows) = as_order(f, address, pin);
    let products = crate::storefront::intake::products(cx.db())
        .await
        .map_err(internal)?;
    match crate::storefront::validate::order(
        &input,
        config.today(),
        &products,
        &config.phone_country,
    ) {
        Ok(order) => Ok((order, rows, problems)),
        Err(errors) => {
            problems.extend(
                errors
                    .into_iter()
                    .map(|e| (form_field(&e.field, &rows), e.message)),
            );
            Err(problems)
        }
    }
}

/// The door's pin: as dragged on the form, else the one we know for this caller while the
/// address is the one we know; with the problem when a delivery has none or it is not numbers.
async fn door_pin(
    cx: &crate::server::ctx::Ctx,
    f: &PhoneFields,
    address: Option<&str>,
) -> Result<(Option<(f64, f64)>, Vec<(String, String)>), Vec<(String, String)>> {
    let config = cx.config();
    let normalized = crate::storefront::validate::normalize_phone(&f.phone, &config.phone_country);
    let known = match &normalized {
        Some(p) => sqlx::query!("SELECT address, lat, lng FROM customers WHERE phone = ?", p)
            .fetch_optional(cx.db())
            .await
            .map_err(|e| vec![(String::new(), AppError::from(e).to_string())])?,
        None => None,
    };
    let typed = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut problems = Vec::new();
    let pin = match (typed(&f.lat), typed(&f.lng)) {
        (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(lat), Ok(lng))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng) =>
            {
                Some((lat, lng))
            }
            _ => {
                problems.push(("pin".into(), crate::said::said("refuse-phone-pin-numbers")));
                None
            }
        },
        _ => known
            .filter(|k| {
                k.address.is_some() && k.address.as_deref().map(str::trim) == address.map(str::trim)
            })
            .and_then(|k| k.lat.zip(k.lng)),
    };
    if f.fulfilment == "delivery" && pin.is_none() && problems.is_empty() {
        problems.push(("pin".into(), crate::said::said("refuse-phone-pin-missing")));
    }
    Ok((pin, problems))
}

/// The form as the storefront's request (empty item rows left out), and the form row of each
/// of its items.
fn as_order(
    f: PhoneFields,
    address: Option<String>,
    pin: Option<(f64, f64)>,
) -> (crate::storefront::model::OrderIn, Vec<usize>) {
    use crate::storefront::model::{
        CustomerIn, DateRangeIn, FulfilmentIn, ItemIn, OrderIn, PaymentIn, WindowIn,
    };
    let (from, to) = match f.window.as_deref().and_then(|w| w.split_once('-')) {
        Some((a, b)) => (Some(a.trim().to_string()), Some(b.trim().to_string())),
        None => (None, None),
    };
    let mut rows = Vec::new();
    let items = f
        .items
        .into_iter()
        .enumerate()
        .filter(|(_, i)| !i.sku.trim().is_empty())
        .map(|(row, i)| {
            rows.push(row);
            ItemIn {
                sku: Some(i.sku),
                quantity: i.quantity.trim().parse().ok().or(Some(0)),
                note: None,
            }
        })
        .collect();
    let delivery = f.fulfilment == "delivery";
    let input = OrderIn {
        customer: Some(CustomerIn {
            name: Some(f.name),
            phone: Some(f.phone),
            email: None,
            marketing_opt_in: None,
            consent: None,
        }),
        fulfilment: Some(FulfilmentIn {
            kind: Some(f.fulfilment),
            address,
            lat: pin.map(|c| c.0),
            lng: pin.map(|c| c.1),
            flexible: f
                .flex_to
                .filter(|t| !t.trim().is_empty())
                .map(|t| DateRangeIn {
                    from: Some(f.date.clone()),
                    to: Some(t),
                }),
            date: Some(f.date),
            window: (delivery && from.is_some()).then_some(WindowIn { from, to }),
            time: None,
        }),
        items: Some(items),
        payment: Some(PaymentIn {
            method: Some(f.payment),
            reference: None,
        }),
        notes: f.notes,
        promo_code: f.promo_code.filter(|c| !c.trim().is_empty()),
        promo_fallback: None,
        language: None,
        // Typed but not a number: 0, which validation refuses naming the field.
        redeem_points: f
            .redeem_points
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.parse::<i64>().unwrap_or(0)),
        referral_code: f
            .referral_code
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
    };
    (input, rows)
}

/// The windows (`HH:MM-HH:MM`) the district under the form's pin offers on its day.
pub(super) fn offered_windows(
    districts: &[crate::districts::model::District],
    f: &PhoneFields,
) -> Vec<String> {
    use chrono::Datelike;
    let coord = |v: &Option<String>| v.as_deref().and_then(|t| t.trim().parse::<f64>().ok());
    let (Some(lat), Some(lng)) = (coord(&f.lat), coord(&f.lng)) else {
        return vec![];
    };
    let Ok(day) = chrono::NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d") else {
        return vec![];
    };
    if f.fulfilment != "delivery" {
        return vec![];
    }
    crate::districts::locate::locate(districts, lat, lng).map_or_else(Vec::new, |d| {
        d.windows_on(day.weekday())
            .iter()
            .map(|s| format!("{}-{}", s.from, s.to))
            .collect()
    })
}
