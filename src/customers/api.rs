//! Server functions on customers.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A customer in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub address: Option<String>,
    pub district: Option<String>,
    pub orders: i64,
    pub spent_cents: i64,
    pub last_order: Option<String>,
    /// Loyalty points held (None: the bakery runs no programme).
    #[serde(default)]
    pub points: Option<i64>,
}

/// Customers whose name, phone or address contains `q` (all when empty), best customers first.
#[server(endpoint = "list_customers")]
pub async fn list_customers(q: String) -> Result<(Vec<CustomerRow>, String), AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
            let state = &cx.state;
            let q = q.trim();
            if q.chars().count() > 100 {
                return Err(AppError::invalid("q", crate::said::said("refuse-search-100")));
            }
            let pattern = crate::server::db::contains_pattern(q);
            let rows = sqlx::query!(
                r#"SELECT c.id AS "id!", c.name AS "name!", c.phone AS "phone!", c.address, d.name AS "district?",
                          COUNT(o.id) AS "orders!: i64",
                          COALESCE(SUM(CASE WHEN o.status <> 'cancelled' THEN o.total_cents END), 0) AS "spent!: i64",
                          MAX(o.fulfil_on) AS "last_order?: String"
                   FROM customers c
                   LEFT JOIN districts d ON d.id = c.district_id
                   LEFT JOIN orders o ON o.customer_id = c.id
                   WHERE (c.name LIKE ?1 ESCAPE '\' OR c.phone LIKE ?1 ESCAPE '\' OR COALESCE(c.address, '') LIKE ?1 ESCAPE '\'
                          OR COALESCE(c.email, '') LIKE ?1 ESCAPE '\')
                   GROUP BY c.id
                   ORDER BY 7 DESC, c.name
                   LIMIT 500"#,
                pattern
            )
            .fetch_all(&state.pool)
            .await?;
            let mut conn = state.pool.acquire().await?;
            // The points of the listed customers only (not the whole ledger).
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let held = match crate::loyalty::store::program(&mut conn).await?.enabled {
                true => Some(
                    crate::loyalty::store::held_by(&mut conn, state.config.today(), Some(&ids))
                        .await?,
                ),
                false => None,
            };
            let list = rows
                .into_iter()
                .map(|r| CustomerRow {
                    id: r.id,
                    name: r.name,
                    phone: r.phone,
                    address: r.address,
                    district: r.district,
                    orders: r.orders,
                    spent_cents: r.spent,
                    last_order: r.last_order,
                    points: held
                        .as_ref()
                        .map(|h| h.get(&r.id).copied().unwrap_or(0).max(0)),
                })
                .collect();
            Ok((list, state.config.currency()))
    })
    .await
}
