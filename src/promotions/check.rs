//! Reading the owner's promotion form: each part checked in turn (name and code, the offer,
//! dates and weekdays, minimum and limits, the products and districts it names); the first bad
//! field is named and nothing is written.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::rules::{Offer, Promotion};
use super::Draft;
use crate::error::AppError;
use crate::field::parse_cents;

/// A whole number from `range`, or none when the field is empty.
fn whole(
    raw: &str,
    field: &str,
    label: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, AppError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    crate::field::parse_whole(raw, field, label, range).map(Some)
}

fn date(raw: &str, field: &str, label: &str) -> Result<Option<NaiveDate>, AppError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<NaiveDate>().map(Some).map_err(|_| {
        AppError::invalid(
            field,
            crate::said::said_with(
                "refuse-label-date",
                &[("label", &label), ("typed", &format!("{t:?}"))],
            ),
        )
    })
}

/// A checked draft: the promotion as the rules see it, plus what only the owner sees.
pub struct Checked {
    pub promotion: Promotion,
    pub code: Option<String>,
    pub holdout_percent: i64,
}

/// Reads the owner's form; the first bad field is named.
pub async fn check(conn: &mut SqliteConnection, d: &Draft) -> Result<Checked, AppError> {
    let (name, code) = name_and_code(d)?;
    let offer = offer(d)?;
    if let Offer::FreeItem { product_id, .. } | Offer::BuyGet { product_id, .. } = offer {
        if !exists(conn, "products", product_id).await? {
            return Err(AppError::invalid(
                "product_id",
                crate::said::said("refuse-promo-no-product"),
            ));
        }
    }
    let (starts, ends, weekdays) = when(d)?;
    let (min_order, total_limit, per_customer_limit, holdout_percent) = limits(d)?;
    for (i, p) in d.products.iter().enumerate() {
        if !exists(conn, "products", *p).await? {
            return Err(AppError::invalid(
                &format!("products[{i}]"),
                crate::said::said("refuse-promo-products-unknown"),
            ));
        }
    }
    for (i, id) in d.districts.iter().enumerate() {
        if !exists(conn, "districts", *id).await? {
            return Err(AppError::invalid(
                &format!("districts[{i}]"),
                crate::said::said("refuse-promo-districts-unknown"),
            ));
        }
    }
    let mut products = d.products.clone();
    products.sort_unstable();
    products.dedup();
    let mut districts = d.districts.clone();
    districts.sort_unstable();
    districts.dedup();
    Ok(Checked {
        promotion: Promotion {
            id: 0,
            name,
            offer,
            automatic: d.automatic,
            active: true,
            starts,
            ends,
            weekdays,
            min_order_cents: min_order,
            products,
            districts,
            total_limit,
            per_customer_limit,
            first_order_only: d.first_order_only,
        },
        code,
        holdout_percent,
    })
}

/// Whether `table` (products or districts) has a row `id`.
async fn exists(conn: &mut SqliteConnection, table: &str, id: i64) -> Result<bool, AppError> {
    let n = if table == "districts" {
        sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM districts WHERE id = ?"#,
            id
        )
        .fetch_one(&mut *conn)
        .await?
    } else {
        sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM products WHERE id = ?"#,
            id
        )
        .fetch_one(&mut *conn)
        .await?
    };
    Ok(n > 0)
}

/// The promotion's name (1–80 characters) and its code (3–32 letters, digits, - or _, upper
/// case; none for an automatic promotion).
fn name_and_code(d: &Draft) -> Result<(String, Option<String>), AppError> {
    let name = d.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::invalid(
            "name",
            crate::said::said("refuse-promo-name"),
        ));
    }
    let code = d.code.trim().to_uppercase();
    let code = if code.is_empty() {
        None
    } else if (3..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Some(code)
    } else {
        return Err(AppError::invalid(
            "code",
            crate::said::said("refuse-promo-code"),
        ));
    };
    if d.automatic && code.is_some() {
        return Err(AppError::invalid(
            "code",
            crate::said::said("refuse-promo-automatic"),
        ));
    }
    Ok((name, code))
}

/// The offer of the form's kind, with its figures checked.
fn offer(d: &Draft) -> Result<Offer, AppError> {
    let product = |field: &str| -> Result<i64, AppError> {
        d.product_id
            .ok_or_else(|| AppError::invalid(field, crate::said::said("refuse-promo-product")))
    };
    Ok(match d.kind.as_str() {
        "percent" => Offer::Percent {
            percent: whole(
                &d.percent,
                "percent",
                &crate::said::said("refuse-label-percent-off"),
                1..=100,
            )?
            .ok_or_else(|| {
                AppError::invalid("percent", crate::said::said("refuse-promo-percent"))
            })?,
        },
        "amount" => {
            let cents = parse_cents(
                &d.amount,
                "amount",
                &crate::said::said("refuse-label-amount-off"),
            )?;
            if cents == 0 {
                return Err(AppError::invalid(
                    "amount",
                    crate::said::said("refuse-promo-amount"),
                ));
            }
            Offer::Amount { cents }
        }
        "free_delivery" => Offer::FreeDelivery,
        "free_item" => Offer::FreeItem {
            product_id: product("product_id")?,
            price_cents: 0,
        },
        "buy_get" => Offer::BuyGet {
            product_id: product("product_id")?,
            buy: whole(
                &d.buy,
                "buy",
                &crate::said::said("refuse-label-buy"),
                1..=50,
            )?
            .ok_or_else(|| AppError::invalid("buy", crate::said::said("refuse-promo-buy")))?,
            get: whole(
                &d.get,
                "get",
                &crate::said::said("refuse-label-get-free"),
                1..=50,
            )?
            .ok_or_else(|| AppError::invalid("get", crate::said::said("refuse-promo-get")))?,
        },
        other => {
            return Err(AppError::invalid(
                "kind",
                crate::said::said_with("refuse-promo-kind", &[("typed", &format!("{other:?}"))]),
            ))
        }
    })
}

/// When it runs: from, until (not before from) and on which weekdays (at least one).
fn when(d: &Draft) -> Result<(Option<NaiveDate>, Option<NaiveDate>, u8), AppError> {
    let starts = date(&d.starts, "starts", &crate::said::said("refuse-label-from"))?;
    let ends = date(&d.ends, "ends", &crate::said::said("refuse-label-until"))?;
    if let (Some(a), Some(b)) = (starts, ends) {
        if b < a {
            return Err(AppError::invalid(
                "ends",
                crate::said::said("refuse-promo-until"),
            ));
        }
    }
    let weekdays = d
        .weekdays
        .iter()
        .enumerate()
        .fold(0u8, |m, (i, on)| if *on { m | (1 << i) } else { m });
    if weekdays == 0 {
        return Err(AppError::invalid(
            "weekdays",
            crate::said::said("refuse-promo-days"),
        ));
    }
    Ok((starts, ends, weekdays))
}

/// Minimum order, total uses, uses per customer, and the share of a segment held back.
fn limits(d: &Draft) -> Result<(i64, Option<i64>, Option<i64>, i64), AppError> {
    let min_order = if d.min_order.trim().is_empty() {
        0
    } else {
        parse_cents(
            &d.min_order,
            "min_order",
            &crate::said::said("refuse-label-min-order"),
        )?
    };
    let total_limit = whole(
        &d.total_limit,
        "total_limit",
        &crate::said::said("refuse-label-uses"),
        1..=1_000_000,
    )?;
    let per_customer_limit = whole(
        &d.per_customer_limit,
        "per_customer_limit",
        &crate::said::said("refuse-label-per-customer"),
        1..=1000,
    )?;
    let holdout_percent = whole(
        &d.holdout_percent,
        "holdout_percent",
        &crate::said::said("refuse-label-held-back"),
        0..=50,
    )?
    .unwrap_or(0);
    Ok((min_order, total_limit, per_customer_limit, holdout_percent))
}
