//! Promotions in the database: loading what a basket is offered (with how much each has been
//! used, read inside the order's write transaction so limits hold under concurrency), and the
//! ledger of uses that the order core writes when it creates an order.
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::rules::{self, Applied, Basket, Offer, Outcome, Personal, Promotion, Refusal, Usage};
use crate::error::AppError;

mod figures;
mod later;

pub use figures::figures;
pub use later::{code_for_order, Later};

/// A code as customers type it: trimmed, upper case.
pub fn normal_code(code: &str) -> String {
    code.trim().to_uppercase()
}

/// What was asked with a code, and what became of it.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeAnswer {
    pub code: String,
    pub promotion: Option<Promotion>,
    /// None: it applies.
    pub refusal: Option<Refusal>,
}

/// A product given free, as an order line needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct FreeProduct {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub promotion: String,
}

/// The promotions' effect on one basket.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pricing {
    pub outcome: Outcome,
    pub code: Option<CodeAnswer>,
    pub free: Vec<FreeProduct>,
}

impl Pricing {
    /// The promotion the code names, when it applies.
    pub fn code_promotion(&self) -> Option<i64> {
        self.code
            .as_ref()
            .filter(|c| c.refusal.is_none())
            .and_then(|c| c.promotion.as_ref().map(|p| p.id))
    }
}

/// The automatic promotions switched on (their ids): what `price` is given, read once per
/// change by the storefront intake's copy of the catalog (`storefront::intake::known`).
pub async fn automatic<'e>(db: impl sqlx::SqliteExecutor<'e>) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id!: i64" FROM promotions WHERE automatic = 1 AND active = 1 ORDER BY id"#
    )
    .fetch_all(db)
    .await?)
}

/// The automatic promotions `automatic` names (as `automatic` read them; one switched off
/// since is left out), and the one `code` names (shared or personal), with their use so far,
/// applied to `basket` for the customer with `phone`.
pub async fn price(
    conn: &mut SqliteConnection,
    code: Option<&str>,
    phone: &str,
    basket: &Basket,
    automatic: &[i64],
) -> Result<Pricing, AppError> {
    let mut ids: Vec<(i64, Option<Personal>)> = automatic.iter().map(|id| (*id, None)).collect();
    let code = code.map(normal_code).filter(|c| !c.is_empty());
    if ids.is_empty() && code.is_none() {
        // Nothing on offer: an order without a code reads nothing more.
        return Ok(Pricing::default());
    }
    let customer = sqlx::query_scalar!(
        r#"SELECT id AS "id!: i64" FROM customers WHERE phone = ?"#,
        phone
    )
    .fetch_optional(&mut *conn)
    .await?;
    let mut asked = None;
    if let Some(code) = code {
        let found = find_code(&mut *conn, &code, customer).await?;
        if let Some((id, personal)) = found {
            ids.retain(|(i, _)| *i != id);
            ids.push((id, personal));
        }
        asked = Some((code, found.map(|f| f.0)));
    }
    let mut offered = Vec::with_capacity(ids.len());
    let named = asked.as_ref().and_then(|(_, id)| *id);
    for (id, personal) in ids {
        let promotion = match load(&mut *conn, id).await {
            // An automatic one deleted or switched off since `automatic` was read.
            Err(AppError::NotFound(_)) if Some(id) != named => continue,
            Ok(p) if Some(id) != named && !(p.automatic && p.active) => continue,
            loaded => loaded?,
        };
        let usage = usage(&mut *conn, &promotion, customer, personal, 0).await?;
        offered.push((promotion, usage));
    }
    let outcome = rules::apply(&offered, basket);
    let code = asked.map(|(code, id)| {
        let promotion = id.and_then(|id| {
            offered
                .iter()
                .find(|(p, _)| p.id == id)
                .map(|(p, _)| p.clone())
        });
        let refusal = match &promotion {
            None => Some(Refusal::UnknownCode),
            Some(p) => outcome.refusal_of(p.id),
        };
        CodeAnswer {
            code,
            promotion,
            refusal,
        }
    });
    let mut free = Vec::new();
    for a in &outcome.applied {
        if let Some(product_id) = a.free_product {
            let p = sqlx::query!("SELECT sku, name FROM products WHERE id = ?", product_id)
                .fetch_one(&mut *conn)
                .await?;
            free.push(FreeProduct {
                product_id,
                sku: p.sku,
                name: p.name,
                promotion: a.name.clone(),
            });
        }
    }
    Ok(Pricing {
        outcome,
        code,
        free,
    })
}

/// The promotion `code` names (shared, or personal with whether it is `customer`'s and used).
async fn find_code(
    conn: &mut SqliteConnection,
    code: &str,
    customer: Option<i64>,
) -> Result<Option<(i64, Option<Personal>)>, AppError> {
    let shared = sqlx::query_scalar!(
        r#"SELECT id AS "id!: i64" FROM promotions WHERE code = ?"#,
        code
    )
    .fetch_optional(&mut *conn)
    .await?;
    let found = match shared {
        Some(id) => Some((id, None)),
        None => {
            let personal = sqlx::query!(
                r#"SELECT promotion_id, customer_id,
                          EXISTS (SELECT 1 FROM promotion_uses u JOIN orders o ON o.id = u.order_id
                                  WHERE u.code = c.code AND o.status <> 'cancelled') AS "used!: bool"
                   FROM promotion_codes c WHERE c.code = ?"#,
                code
            )
            .fetch_optional(&mut *conn)
            .await?;
            personal.map(|p| {
                (
                    p.promotion_id,
                    Some(Personal {
                        for_this_customer: customer == Some(p.customer_id),
                        used: p.used,
                    }),
                )
            })
        }
    };
    Ok(found)
}

/// How much `p` has been used, counting only what its rules ask (a promotion without limits
/// reads nothing), and never further than its limit: the order's transaction stays short
/// however many times a promotion has been used.
async fn usage(
    conn: &mut SqliteConnection,
    p: &Promotion,
    customer: Option<i64>,
    personal: Option<Personal>,
    except_order: i64,
) -> Result<Usage, AppError> {
    let total = match p.total_limit {
        Some(limit) => {
            sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM (
                   SELECT 1 FROM promotion_uses u JOIN orders o ON o.id = u.order_id
                   WHERE u.promotion_id = ? AND o.status <> 'cancelled' LIMIT ?)"#,
                p.id,
                limit
            )
            .fetch_one(&mut *conn)
            .await?
        }
        None => 0,
    };
    let by_customer = match (p.per_customer_limit, customer) {
        (Some(limit), Some(c)) => sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM (
                   SELECT 1 FROM promotion_uses u JOIN orders o ON o.id = u.order_id
                   WHERE u.promotion_id = ? AND u.customer_id = ? AND o.status <> 'cancelled' LIMIT ?)"#,
            p.id,
            c,
            limit
        )
        .fetch_one(&mut *conn)
        .await?,
        _ => 0,
    };
    let customer_orders = match (p.first_order_only, customer) {
        (true, Some(c)) => {
            sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM (
                   SELECT 1 FROM orders WHERE customer_id = ? AND status <> 'cancelled' AND id <> ? LIMIT 1)"#,
                c,
                except_order
            )
            .fetch_one(&mut *conn)
            .await?
        }
        _ => 0,
    };
    Ok(Usage {
        total,
        by_customer,
        customer_orders,
        personal,
    })
}

/// One promotion with its products and districts.
pub async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Promotion, AppError> {
    // One query: an order with a code reads it inside its write transaction.
    let r = sqlx::query!(
        r#"SELECT p.id AS "id!", p.name, p.automatic AS "automatic: bool", p.active AS "active: bool", p.kind,
                  p.percent, p.amount_cents, p.product_id, p.buy_qty, p.get_qty, p.starts_on, p.ends_on,
                  p.weekdays, p.min_order_cents, p.total_limit, p.per_customer_limit,
                  p.first_order_only AS "first_order_only: bool", pr.price_cents AS "price?",
                  (SELECT GROUP_CONCAT(product_id) FROM promotion_products WHERE promotion_id = p.id) AS "products?: String",
                  (SELECT GROUP_CONCAT(district_id) FROM promotion_districts WHERE promotion_id = p.id) AS "districts?: String"
           FROM promotions p LEFT JOIN products pr ON pr.id = p.product_id WHERE p.id = ?"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-promotion")))?;
    let ids = |list: &Option<String>| -> Vec<i64> {
        let mut v: Vec<i64> = list
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect();
        v.sort_unstable();
        v
    };
    let (products, districts) = (ids(&r.products), ids(&r.districts));
    let bad = || AppError::internal("promotions.kind", &r.kind);
    let offer = match r.kind.as_str() {
        "percent" => Offer::Percent {
            percent: r.percent.ok_or_else(bad)?,
        },
        "amount" => Offer::Amount {
            cents: r.amount_cents.ok_or_else(bad)?,
        },
        "free_delivery" => Offer::FreeDelivery,
        "free_item" => Offer::FreeItem {
            product_id: r.product_id.ok_or_else(bad)?,
            price_cents: r.price.unwrap_or(0),
        },
        "buy_get" => Offer::BuyGet {
            product_id: r.product_id.ok_or_else(bad)?,
            buy: r.buy_qty.ok_or_else(bad)?,
            get: r.get_qty.ok_or_else(bad)?,
        },
        _ => return Err(bad()),
    };
    let day = |s: Option<String>| s.and_then(|s| s.parse::<NaiveDate>().ok());
    Ok(Promotion {
        id: r.id,
        name: r.name,
        offer,
        automatic: r.automatic,
        active: r.active,
        starts: day(r.starts_on),
        ends: day(r.ends_on),
        weekdays: r.weekdays as u8,
        min_order_cents: r.min_order_cents,
        products,
        districts,
        total_limit: r.total_limit,
        per_customer_limit: r.per_customer_limit,
        first_order_only: r.first_order_only,
    })
}

/// Records the promotions an order used (called by the order core as it creates the order).
pub async fn record_uses(
    conn: &mut SqliteConnection,
    order_id: i64,
    customer_id: i64,
    code: Option<(&str, i64)>,
    applied: &[Applied],
) -> Result<(), AppError> {
    let now = crate::server::db::now();
    for a in applied {
        let used_code = code.filter(|(_, id)| *id == a.promotion_id).map(|(c, _)| c);
        sqlx::query!(
            "INSERT INTO promotion_uses (promotion_id, order_id, customer_id, code, items_cents, delivery_cents, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            a.promotion_id,
            order_id,
            customer_id,
            used_code,
            a.items_cents,
            a.delivery_cents,
            now
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Order `order_id` no longer uses code `code` (staff took it off before the order was paid):
/// its use leaves the ledger, so the code's limits count it unused again. Returns what it had
/// taken off (items, delivery) and the promotion's name, None when the order has no such use.
pub async fn withdraw_code(
    conn: &mut SqliteConnection,
    order_id: i64,
    code: &str,
) -> Result<Option<(i64, i64, String)>, AppError> {
    let used = sqlx::query!(
        r#"SELECT u.id, u.items_cents, u.delivery_cents, p.name
           FROM promotion_uses u JOIN promotions p ON p.id = u.promotion_id
           WHERE u.order_id = ? AND u.code = ?"#,
        order_id,
        code
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(u) = used else {
        return Ok(None);
    };
    sqlx::query!("DELETE FROM promotion_uses WHERE id = ?", u.id)
        .execute(&mut *conn)
        .await?;
    Ok(Some((u.items_cents, u.delivery_cents, u.name)))
}

/// The promotions an order used: (name, code, discount).
pub async fn uses_of(
    conn: &mut SqliteConnection,
    order_id: i64,
) -> Result<Vec<(String, Option<String>, i64)>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT p.name, u.code, u.items_cents + u.delivery_cents AS "cents!: i64"
           FROM promotion_uses u JOIN promotions p ON p.id = u.promotion_id
           WHERE u.order_id = ? ORDER BY u.id"#,
        order_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.name, r.code, r.cents))
        .collect())
}

/// Lines of a basket from `(product_id, quantity, unit price)`.
pub fn basket_lines(items: impl IntoIterator<Item = (i64, i64, i64)>) -> Vec<rules::Line> {
    let mut by: HashMap<i64, usize> = HashMap::new();
    let mut lines: Vec<rules::Line> = Vec::new();
    for (product_id, quantity, unit_price_cents) in items {
        match by.get(&product_id) {
            Some(&i) => lines[i].quantity += quantity,
            None => {
                by.insert(product_id, lines.len());
                lines.push(rules::Line {
                    product_id,
                    quantity,
                    unit_price_cents,
                });
            }
        }
    }
    lines
}

/// Every promotion, newest first.
pub async fn all(
    conn: &mut SqliteConnection,
) -> Result<Vec<(Promotion, Option<String>)>, AppError> {
    let ids =
        sqlx::query!(r#"SELECT id AS "id!", code FROM promotions ORDER BY active DESC, id DESC"#)
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Vec::with_capacity(ids.len());
    for r in ids {
        out.push((load(&mut *conn, r.id).await?, r.code));
    }
    Ok(out)
}
