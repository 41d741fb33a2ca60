//! What a promotion did: its orders, money, customers, and its uplift against the held-back
//! group.
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::super::report::Observation;
use crate::error::AppError;

/// What promotion `id` did: its orders, money, customers and (with personal codes and a
/// held-back group) its uplift. `unit_costs` are the products' costs of goods.
pub async fn figures(
    conn: &mut SqliteConnection,
    id: i64,
    ends: Option<NaiveDate>,
    unit_costs: &HashMap<i64, f64>,
) -> Result<super::super::Figures, AppError> {
    let orders = sqlx::query!(
        r#"SELECT o.id AS "id!", o.total_cents, u.items_cents + u.delivery_cents AS "discount!: i64",
                  EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id AND e.status <> 'cancelled'
                          AND e.created_at < o.created_at) AS "returning!: bool",
                  EXISTS (SELECT 1 FROM orders l WHERE l.customer_id = o.customer_id AND l.status <> 'cancelled'
                          AND l.created_at > o.created_at
                          AND l.created_at <= strftime('%Y-%m-%dT%H:%M:%fZ', o.created_at, '+60 days')) AS "repeat!: bool",
                  (SELECT (r.distance_m / 1000.0 * b.cost_per_km_cents + r.duration_s / 3600.0 * b.driver_cost_per_hour_cents)
                          / (SELECT COUNT(*) FROM run_stops x WHERE x.run_id = r.id)
                   FROM run_stops s JOIN runs r ON r.id = s.run_id, business_settings b
                   WHERE s.order_id = o.id) AS "delivery?: f64"
           FROM promotion_uses u JOIN orders o ON o.id = u.order_id
           WHERE u.promotion_id = ? AND o.status <> 'cancelled'"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let items = sqlx::query!(
        r#"SELECT i.product_id, i.quantity FROM order_items i
           JOIN promotion_uses u ON u.order_id = i.order_id JOIN orders o ON o.id = i.order_id
           WHERE u.promotion_id = ? AND o.status <> 'cancelled'"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut f = super::super::Figures {
        orders: orders.len() as i64,
        ..Default::default()
    };
    let mut cogs = 0.0;
    for i in &items {
        match unit_costs.get(&i.product_id) {
            Some(c) => cogs += c * i.quantity as f64,
            None => f.items_without_cost += i.quantity,
        }
    }
    let mut delivery = 0.0;
    for o in &orders {
        f.revenue_cents += o.total_cents;
        f.discount_cents += o.discount;
        if o.returning {
            f.returning_customers += 1;
        } else {
            f.new_customers += 1;
        }
        f.repeat_60 += i64::from(o.repeat);
        delivery += o.delivery.unwrap_or(0.0);
    }
    f.cogs_cents = cogs.round() as i64;
    f.delivery_cost_cents = delivery.round() as i64;
    f.margin_cents = f.revenue_cents - f.cogs_cents - f.delivery_cost_cents;
    let (treated, held) = groups(conn, id, ends, unit_costs).await?;
    f.codes_issued = treated.len() as i64;
    f.held_back = held.len() as i64;
    f.uplift = super::super::report::uplift(&treated, &held);
    Ok(f)
}

/// The customers given promotion `id`'s personal codes over its period, as observations (did
/// they order, and the margin of it): those who got a code, and the group held back.
async fn groups(
    conn: &mut SqliteConnection,
    id: i64,
    ends: Option<NaiveDate>,
    unit_costs: &HashMap<i64, f64>,
) -> Result<(Vec<Observation>, Vec<Observation>), AppError> {
    let end = ends.map(|d| d.to_string());
    let rows = sqlx::query!(
        r#"SELECT c.customer_id, c.held_out AS "held_out: bool", o.id AS "order_id?", o.total_cents AS "total?",
                  i.product_id AS "product_id?", i.quantity AS "quantity?"
           FROM promotion_codes c
           LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.status <> 'cancelled'
                AND o.created_at >= c.created_at AND (?2 IS NULL OR o.fulfil_on <= ?2)
           LEFT JOIN order_items i ON i.order_id = o.id
           WHERE c.promotion_id = ?1
           ORDER BY c.customer_id"#,
        id,
        end
    )
    .fetch_all(&mut *conn)
    .await?;
    // customer → (held out, orders seen, margin)
    let mut by: HashMap<i64, (bool, std::collections::HashSet<i64>, f64)> = HashMap::new();
    for r in rows {
        let e = by
            .entry(r.customer_id)
            .or_insert((r.held_out, Default::default(), 0.0));
        if let Some(order) = r.order_id {
            if e.1.insert(order) {
                e.2 += r.total.unwrap_or(0) as f64;
            }
            if let (Some(p), Some(q)) = (r.product_id, r.quantity) {
                e.2 -= unit_costs.get(&p).copied().unwrap_or(0.0) * q as f64;
            }
        }
    }
    let (mut treated, mut held) = (Vec::new(), Vec::new());
    for (held_out, orders, margin) in by.into_values() {
        let o = Observation {
            ordered: !orders.is_empty(),
            margin_cents: margin,
        };
        if held_out {
            held.push(o);
        } else {
            treated.push(o);
        }
    }
    Ok((treated, held))
}
