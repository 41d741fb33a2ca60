//! The dashboard's figures.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::orders::model::OrderStatus;

/// Orders and takings on one future day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayLoad {
    pub day: String,
    pub deliveries: i64,
    pub pickups: i64,
    pub total_cents: i64,
}

/// The owner's overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub today: String,
    pub currency: String,
    pub today_by_status: Vec<(OrderStatus, i64)>,
    pub today_total_cents: i64,
    pub week_revenue_cents: i64,
    pub week_orders: i64,
    pub cash_to_collect_today_cents: i64,
    pub upcoming: Vec<DayLoad>,
    pub customers: i64,
}

/// The owner's dashboard figures.
#[server(endpoint = "get_dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
            let state = &cx.state;
            let pool = &state.pool;
            let today = state.config.today();
            let day = today.to_string();
            let week_ago = (today - chrono::Duration::days(6)).to_string();
            let horizon = (today + chrono::Duration::days(7)).to_string();
            let today_by_status = crate::orders::repo::count_by_status(pool, &day).await?;
            let t = sqlx::query!(
                r#"SELECT COALESCE(SUM(total_cents), 0) AS "total!: i64",
                          COALESCE(SUM(CASE WHEN payment_method = 'cod' AND paid = 0 AND fulfilment = 'delivery'
                                            THEN total_cents ELSE 0 END), 0) AS "cash!: i64"
                   FROM orders WHERE fulfil_on = ? AND status <> 'cancelled'"#,
                day
            )
            .fetch_one(pool)
            .await?;
            let w = sqlx::query!(
                r#"SELECT COALESCE(SUM(total_cents), 0) AS "revenue!: i64", COUNT(*) AS "n!: i64"
                   FROM orders WHERE fulfil_on BETWEEN ? AND ? AND status IN ('delivered', 'collected')"#,
                week_ago,
                day
            )
            .fetch_one(pool)
            .await?;
            let upcoming = sqlx::query!(
                r#"SELECT fulfil_on,
                          SUM(fulfilment = 'delivery') AS "deliveries!: i64",
                          SUM(fulfilment = 'pickup') AS "pickups!: i64",
                          SUM(total_cents) AS "total!: i64"
                   FROM orders WHERE fulfil_on > ? AND fulfil_on <= ? AND status <> 'cancelled'
                   GROUP BY fulfil_on ORDER BY fulfil_on"#,
                day,
                horizon
            )
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| DayLoad {
                day: r.fulfil_on,
                deliveries: r.deliveries,
                pickups: r.pickups,
                total_cents: r.total,
            })
            .collect();
            let customers = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM customers"#)
                .fetch_one(pool)
                .await?;
            Ok(Dashboard {
                today: day,
                currency: state.config.currency(),
                today_by_status,
                today_total_cents: t.total,
                week_revenue_cents: w.revenue,
                week_orders: w.n,
                cash_to_collect_today_cents: t.cash,
                upcoming,
                customers,
            })
    })
    .await
}
