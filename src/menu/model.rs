//! A product on the owner's menu, and the form that edits it. Parsing is pure and shared by
//! the page (to name the field) and the server (which decides).
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The EU's 14 allergens (Regulation 1169/2011, Annex II): code and the name shown.
pub const ALLERGENS: [(&str, &str); 14] = [
    ("gluten", "Cereals with gluten"),
    ("crustaceans", "Crustaceans"),
    ("eggs", "Eggs"),
    ("fish", "Fish"),
    ("peanuts", "Peanuts"),
    ("soy", "Soy"),
    ("milk", "Milk"),
    ("nuts", "Tree nuts"),
    ("celery", "Celery"),
    ("mustard", "Mustard"),
    ("sesame", "Sesame"),
    ("sulphites", "Sulphites"),
    ("lupin", "Lupin"),
    ("molluscs", "Molluscs"),
];

/// Dietary tags a product may carry: code and the name shown.
pub const DIETARY: [(&str, &str); 6] = [
    ("vegetarian", "Vegetarian"),
    ("vegan", "Vegan"),
    ("gluten_free", "Gluten-free"),
    ("lactose_free", "Lactose-free"),
    ("organic", "Organic"),
    ("no_added_sugar", "No added sugar"),
];

pub use crate::districts::model::WEEKDAYS;

/// An allergen's or dietary tag's name in the signed-in person's language (message
/// `tag-<code>`), else its English name, else the code.
pub fn tag_name(code: &str) -> String {
    let key = format!("tag-{code}");
    let name = crate::words::tr(&key);
    if name == key {
        label_of(code).to_string()
    } else {
        name
    }
}

/// The name shown for an allergen or dietary code.
pub fn label_of(code: &str) -> &str {
    ALLERGENS
        .iter()
        .chain(DIETARY.iter())
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, n)| n)
}

/// A product as the menu page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub price_cents: i64,
    pub tax_rate_bp: Option<i64>,
    pub daily_capacity: i64,
    pub allergens: Vec<String>,
    pub dietary: Vec<String>,
    /// Bit 0 = Monday.
    pub offered_weekdays: i64,
    pub lead_days: i64,
    pub min_quantity: i64,
    pub max_quantity: i64,
    pub active: bool,
    pub sort_order: i64,
    /// Orders that have it (an archived product with orders is kept for them).
    pub orders: i64,
    /// Where its photo is served, when it has one.
    pub photo: Option<String>,
}

/// What the editor sends: every field as typed (empty lists may be left out).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub price: String,
    /// Percent, e.g. "10" or "" for none.
    pub tax_rate: String,
    pub daily_capacity: String,
    pub allergens: Vec<String>,
    pub dietary: Vec<String>,
    /// Weekday indexes, 0 = Monday.
    pub weekdays: Vec<u8>,
    pub lead_days: String,
    pub min_quantity: String,
    pub max_quantity: String,
}

/// A product form that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidProduct {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub price_cents: i64,
    pub tax_rate_bp: Option<i64>,
    pub daily_capacity: i64,
    pub allergens: String,
    pub dietary: String,
    pub offered_weekdays: i64,
    pub lead_days: i64,
    pub min_quantity: i64,
    pub max_quantity: i64,
}

fn text(raw: &str, field: &str, label: &str, min: usize, max: usize) -> Result<String, AppError> {
    // Spreadsheets and Windows browsers send line breaks as CRLF.
    let raw = raw.replace("\r\n", "\n");
    let t = raw.trim();
    let n = t.chars().count();
    if n < min {
        return Err(AppError::invalid(
            field,
            crate::said::said_with("refuse-label-required", &[("label", &label)]),
        ));
    }
    if n > max {
        return Err(AppError::invalid(
            field,
            crate::said::said_with(
                "refuse-label-too-long",
                &[("label", &label), ("max", &max), ("n", &n)],
            ),
        ));
    }
    if t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::invalid(
            field,
            crate::said::said_with("refuse-label-control", &[("label", &label)]),
        ));
    }
    Ok(t.to_string())
}

fn whole(raw: &str, field: &str, label: &str, lo: i64, hi: i64) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| {
            AppError::invalid(
                field,
                crate::said::said_with(
                    "refuse-label-whole",
                    &[
                        ("label", &label),
                        ("lo", &lo),
                        ("hi", &hi),
                        ("typed", &format!("{:?}", raw.trim())),
                    ],
                ),
            )
        })
}

fn codes(
    picked: &[String],
    known: &[(&str, &str)],
    field: &str,
    label: &str,
) -> Result<String, AppError> {
    let mut out: Vec<&str> = Vec::new();
    for p in picked {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let Some((code, _)) = known
            .iter()
            .find(|(c, n)| *c == p || n.eq_ignore_ascii_case(p))
        else {
            let list: Vec<&str> = known.iter().map(|(c, _)| *c).collect();
            return Err(AppError::invalid(
                field,
                crate::said::said_with(
                    "refuse-label-one-of",
                    &[
                        ("label", &label),
                        ("typed", &format!("{p:?}")),
                        ("list", &list.join(", ")),
                    ],
                ),
            ));
        };
        if !out.contains(code) {
            out.push(code);
        }
    }
    // Stored in the list's own order, whatever order they were ticked in.
    out.sort_by_key(|c| known.iter().position(|(k, _)| k == c));
    Ok(out.join(","))
}

/// A tax rate as typed ("10", "10 %", "4,5"): basis points, or None when empty.
fn tax_rate(raw: &str) -> Result<Option<i64>, AppError> {
    match raw.trim().trim_end_matches('%').trim() {
        "" => Ok(None),
        t => {
            let v: f64 = t
                .replace(',', ".")
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && (0.0..=100.0).contains(v))
                .ok_or_else(|| {
                    AppError::invalid(
                        "tax_rate",
                        crate::said::said_with("refuse-tax-rate", &[("typed", &format!("{t:?}"))]),
                    )
                })?;
            Ok(Some((v * 100.0).round() as i64))
        }
    }
}

impl ProductForm {
    /// Every check, in the order of the form; the first bad field is named.
    pub fn validate(&self) -> Result<ValidProduct, AppError> {
        use crate::said::said;
        let (name, sku, description, category) = self.texts()?;
        let price_cents =
            crate::field::parse_cents(&self.price, "price", &said("refuse-label-price"))?;
        let tax_rate_bp = tax_rate(&self.tax_rate)?;
        let daily_capacity = whole(
            &self.daily_capacity,
            "daily_capacity",
            &said("refuse-label-per-day"),
            0,
            100_000,
        )?;
        let allergens = codes(
            &self.allergens,
            &ALLERGENS,
            "allergens",
            &said("refuse-label-allergens"),
        )?;
        let dietary = codes(
            &self.dietary,
            &DIETARY,
            "dietary",
            &said("refuse-label-dietary"),
        )?;
        let offered_weekdays = self
            .weekdays
            .iter()
            .filter(|d| **d < 7)
            .fold(0i64, |m, d| m | (1 << d));
        if offered_weekdays == 0 {
            return Err(AppError::invalid("weekdays", said("refuse-baked-on")));
        }
        let (lead_days, min_quantity, max_quantity) = self.ordering()?;
        Ok(ValidProduct {
            sku,
            name,
            description,
            category,
            price_cents,
            tax_rate_bp,
            daily_capacity,
            allergens,
            dietary,
            offered_weekdays,
            lead_days,
            min_quantity,
            max_quantity,
        })
    }

    /// Name, SKU, description and category, checked in that order.
    fn texts(&self) -> Result<(String, String, String, String), AppError> {
        use crate::said::said;
        let name = text(&self.name, "name", &said("refuse-label-name"), 1, 80)?;
        let sku = text(&self.sku, "sku", &said("refuse-label-sku"), 1, 40)?;
        if !sku
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(AppError::invalid("sku", said("refuse-sku-chars")));
        }
        let description = text(
            &self.description,
            "description",
            &said("refuse-label-description"),
            0,
            500,
        )?;
        let category = text(
            &self.category,
            "category",
            &said("refuse-label-category"),
            1,
            40,
        )?;
        Ok((name, sku, description, category))
    }

    /// Days of notice, and the least and most a customer may order, checked in that order.
    fn ordering(&self) -> Result<(i64, i64, i64), AppError> {
        use crate::said::said;
        let lead_days = whole(
            &self.lead_days,
            "lead_days",
            &said("refuse-label-notice"),
            0,
            60,
        )?;
        let min_quantity = whole(
            &self.min_quantity,
            "min_quantity",
            &said("refuse-label-min-per-order"),
            1,
            99,
        )?;
        let max_quantity = whole(
            &self.max_quantity,
            "max_quantity",
            &said("refuse-label-max-per-order"),
            1,
            99,
        )?;
        if max_quantity < min_quantity {
            return Err(AppError::invalid(
                "max_quantity",
                crate::said::said_with("refuse-max-below-min", &[("min", &min_quantity)]),
            ));
        }
        Ok((lead_days, min_quantity, max_quantity))
    }

    /// The form filled with a product, for editing.
    pub fn of(p: &Product) -> ProductForm {
        ProductForm {
            sku: p.sku.clone(),
            name: p.name.clone(),
            description: p.description.clone(),
            category: p.category.clone(),
            price: format!("{:.2}", p.price_cents as f64 / 100.0),
            tax_rate: p
                .tax_rate_bp
                .map(|bp| {
                    let pct = bp as f64 / 100.0;
                    if bp % 100 == 0 {
                        format!("{pct:.0}")
                    } else {
                        format!("{pct}")
                    }
                })
                .unwrap_or_default(),
            daily_capacity: p.daily_capacity.to_string(),
            allergens: p.allergens.clone(),
            dietary: p.dietary.clone(),
            weekdays: (0..7)
                .filter(|d| p.offered_weekdays & (1 << d) != 0)
                .collect(),
            lead_days: p.lead_days.to_string(),
            min_quantity: p.min_quantity.to_string(),
            max_quantity: p.max_quantity.to_string(),
        }
    }

    /// A new product's defaults: baked every day, no notice, 1 to 99 per order.
    pub fn blank() -> ProductForm {
        ProductForm {
            weekdays: (0..7).collect(),
            lead_days: "0".into(),
            min_quantity: "1".into(),
            max_quantity: "99".into(),
            daily_capacity: "20".into(),
            ..ProductForm::default()
        }
    }
}

/// The distinct allergen codes in a comma list ("milk,gluten,milk"), in the EU list's order.
pub fn in_list_order(stored: &str) -> Vec<String> {
    let have = split_codes(stored);
    ALLERGENS
        .iter()
        .filter(|(code, _)| have.iter().any(|h| h == code))
        .map(|(code, _)| code.to_string())
        .collect()
}

/// Splits a stored comma list ("gluten,milk") into codes.
pub fn split_codes(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ProductForm {
        ProductForm {
            sku: "CAK-SANT".into(),
            name: " Tarta de Santiago ".into(),
            description: "Almond cake".into(),
            category: "Celebration cakes".into(),
            price: "24,50".into(),
            tax_rate: "10 %".into(),
            daily_capacity: "6".into(),
            allergens: vec!["milk".into(), "nuts".into(), "Eggs".into(), "milk".into()],
            dietary: vec!["vegetarian".into()],
            weekdays: vec![4, 5],
            lead_days: "2".into(),
            min_quantity: "1".into(),
            max_quantity: "3".into(),
        }
    }

    #[test]
    fn a_good_form_is_read_into_cents_codes_and_a_weekday_mask() {
        let v = good().validate().unwrap();
        assert_eq!(v.name, "Tarta de Santiago");
        assert_eq!(v.price_cents, 2450);
        assert_eq!(v.tax_rate_bp, Some(1000));
        // Listed in the EU order, once each, by code.
        assert_eq!(v.allergens, "eggs,milk,nuts");
        assert_eq!(v.offered_weekdays, 0b011_0000);
        assert_eq!((v.lead_days, v.min_quantity, v.max_quantity), (2, 1, 3));
    }

    #[test]
    fn every_bad_field_is_named() {
        type Spoil = fn(&mut ProductForm);
        let cases: Vec<(Spoil, &str)> = vec![
            (|f| f.name = "  ".into(), "name"),
            (|f| f.sku = "CAK SANT".into(), "sku"),
            (|f| f.category = "x".repeat(41), "category"),
            (|f| f.price = "4.555".into(), "price"),
            (|f| f.price = "-1".into(), "price"),
            (|f| f.tax_rate = "abc".into(), "tax_rate"),
            (|f| f.daily_capacity = "2.5".into(), "daily_capacity"),
            (|f| f.allergens = vec!["pollen".into()], "allergens"),
            (|f| f.dietary = vec!["keto".into()], "dietary"),
            (|f| f.weekdays = vec![], "weekdays"),
            (|f| f.lead_days = "61".into(), "lead_days"),
            (|f| f.min_quantity = "0".into(), "min_quantity"),
            (|f| f.max_quantity = "0".into(), "max_quantity"),
            (
                |f| {
                    f.min_quantity = "5".into();
                    f.max_quantity = "4".into()
                },
                "max_quantity",
            ),
        ];
        for (spoil, field) in cases {
            let mut f = good();
            spoil(&mut f);
            let e = f.validate().unwrap_err();
            assert_eq!(e.field(), Some(field), "{e}");
        }
    }

    #[test]
    fn a_product_round_trips_through_its_form() {
        let v = good().validate().unwrap();
        let p = Product {
            id: 1,
            sku: v.sku.clone(),
            name: v.name.clone(),
            description: v.description.clone(),
            category: v.category.clone(),
            price_cents: v.price_cents,
            tax_rate_bp: v.tax_rate_bp,
            daily_capacity: v.daily_capacity,
            allergens: split_codes(&v.allergens),
            dietary: split_codes(&v.dietary),
            offered_weekdays: v.offered_weekdays,
            lead_days: v.lead_days,
            min_quantity: v.min_quantity,
            max_quantity: v.max_quantity,
            active: true,
            sort_order: 1,
            orders: 0,
            photo: None,
        };
        assert_eq!(ProductForm::of(&p).validate().unwrap(), v);
    }
}
