//! The one writer of promotions: creating one from the owner's form (every bad field named),
//! pausing and resuming, and issuing personal codes with a held-back comparison group.
use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::rules::{Offer, Promotion};
use crate::error::AppError;
use crate::said::money;

pub use super::check::{check, Checked};

/// Products the promotion would sell below their cost of goods, in words (empty: none, or no
/// recipes to know the cost from).
pub async fn below_cost(
    conn: &mut SqliteConnection,
    p: &Promotion,
    currency: &str,
) -> Result<Vec<String>, AppError> {
    let costs = crate::kitchen::recipes::unit_costs(&mut *conn).await?;
    let products: HashMap<i64, (String, i64)> =
        sqlx::query!(r#"SELECT id AS "id!", name, price_cents FROM products WHERE active = 1"#)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| (r.id, (r.name, r.price_cents)))
            .collect();
    let mut out = Vec::new();
    // Worded for the owner reading the form (`crate::said`), amounts their way.
    let mut check = |id: i64, effective: f64, how: &str| {
        if let (Some((name, _)), Some(cost)) = (products.get(&id), costs.get(&id)) {
            if effective < *cost {
                out.push(crate::said::said_with(
                    "refuse-below-cost",
                    &[
                        ("product", name),
                        ("price", &money(effective.round() as i64, currency)),
                        ("how", &how),
                        ("cost", &money(cost.round() as i64, currency)),
                    ],
                ));
            }
        }
    };
    let eligible = |id: &i64| p.products.is_empty() || p.products.contains(id);
    match &p.offer {
        Offer::Percent { percent } => {
            let mut ids: Vec<&i64> = products.keys().filter(|id| eligible(id)).collect();
            ids.sort();
            for id in ids {
                let price = products[id].1 as f64;
                check(
                    *id,
                    price * (100 - percent) as f64 / 100.0,
                    &crate::said::said("refuse-below-cost-discount"),
                );
            }
        }
        Offer::Amount { cents } if !p.products.is_empty() => {
            for id in &p.products {
                if let Some((_, price)) = products.get(id) {
                    check(
                        *id,
                        (*price - cents).max(0) as f64,
                        &crate::said::said("refuse-below-cost-alone"),
                    );
                }
            }
        }
        Offer::BuyGet {
            product_id,
            buy,
            get,
        } => {
            if let Some((_, price)) = products.get(product_id) {
                check(
                    *product_id,
                    *price as f64 * *buy as f64 / (*buy + *get) as f64,
                    &crate::said::said("refuse-below-cost-each"),
                );
            }
        }
        Offer::FreeItem { product_id, .. } => check(
            *product_id,
            0.0,
            &crate::said::said("refuse-below-cost-free"),
        ),
        Offer::Amount { .. } | Offer::FreeDelivery => {}
    }
    Ok(out)
}

/// Creates a promotion from a checked draft; returns its id.
pub async fn create(conn: &mut SqliteConnection, c: &Checked, by: i64) -> Result<i64, AppError> {
    let p = &c.promotion;
    if let Some(code) = &c.code {
        let taken = sqlx::query_scalar!(
            r#"SELECT (SELECT COUNT(*) FROM promotions WHERE code = ?1) + (SELECT COUNT(*) FROM promotion_codes WHERE code = ?1) AS "n!: i64""#,
            code
        )
        .fetch_one(&mut *conn)
        .await?;
        if taken > 0 {
            return Err(AppError::invalid(
                "code",
                crate::said::said_with("refuse-promo-code-taken", &[("code", &code)]),
            ));
        }
    }
    let (percent, amount, product, buy, get) = match &p.offer {
        Offer::Percent { percent } => (Some(*percent), None, None, None, None),
        Offer::Amount { cents } => (None, Some(*cents), None, None, None),
        Offer::FreeDelivery => (None, None, None, None, None),
        Offer::FreeItem { product_id, .. } => (None, None, Some(*product_id), None, None),
        Offer::BuyGet {
            product_id,
            buy,
            get,
        } => (None, None, Some(*product_id), Some(*buy), Some(*get)),
    };
    let kind = p.offer.kind();
    let (starts, ends) = (
        p.starts.map(|d| d.to_string()),
        p.ends.map(|d| d.to_string()),
    );
    let weekdays = i64::from(p.weekdays);
    let now = crate::server::db::now();
    let id = sqlx::query!(
        "INSERT INTO promotions (name, code, automatic, kind, percent, amount_cents, product_id, buy_qty, get_qty,
                                 starts_on, ends_on, weekdays, min_order_cents, total_limit, per_customer_limit,
                                 first_order_only, holdout_percent, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.name, c.code, p.automatic, kind, percent, amount, product, buy, get, starts, ends, weekdays,
        p.min_order_cents, p.total_limit, p.per_customer_limit, p.first_order_only, c.holdout_percent, by, now, now
    )
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    for product in &p.products {
        sqlx::query!(
            "INSERT INTO promotion_products (promotion_id, product_id) VALUES (?, ?)",
            id,
            product
        )
        .execute(&mut *conn)
        .await?;
    }
    for district in &p.districts {
        sqlx::query!(
            "INSERT INTO promotion_districts (promotion_id, district_id) VALUES (?, ?)",
            id,
            district
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// Pauses or resumes a promotion; returns its name.
pub async fn set_active(
    conn: &mut SqliteConnection,
    id: i64,
    active: bool,
) -> Result<String, AppError> {
    let now = crate::server::db::now();
    sqlx::query_scalar!(
        "UPDATE promotions SET active = ?, updated_at = ? WHERE id = ? RETURNING name",
        active,
        now,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-promotion")))
}

/// Gives each of `customers` a personal single-use code for promotion `id`, holding back the
/// promotion's share of them as the comparison group. A customer who already has a row keeps
/// it. Returns every row of the promotion: (customer, code — None when held back).
pub async fn issue_codes(
    conn: &mut SqliteConnection,
    id: i64,
    customers: &[i64],
) -> Result<Vec<(i64, Option<String>)>, AppError> {
    let holdout = sqlx::query_scalar!("SELECT holdout_percent FROM promotions WHERE id = ?", id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-promotion")))?;
    let now = crate::server::db::now();
    for &customer in customers {
        let held = super::report::held_back(id, customer, holdout);
        let code = if held {
            None
        } else {
            Some(crate::server::tokens::readable_code::<8>()?)
        };
        sqlx::query!(
            "INSERT INTO promotion_codes (promotion_id, customer_id, code, held_out, created_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (promotion_id, customer_id) DO NOTHING",
            id,
            customer,
            code,
            held,
            now
        )
        .execute(&mut *conn)
        .await?;
    }
    let rows = sqlx::query!(
        "SELECT customer_id, code FROM promotion_codes WHERE promotion_id = ? ORDER BY id",
        id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.customer_id, r.code)).collect())
}
