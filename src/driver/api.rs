//! Server functions for drivers.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::orders::model::OrderStatus;

/// One delivery stop, with only what delivering needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub number: i64,
    pub first_name: String,
    pub phone: String,
    pub address: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub window: Option<String>,
    pub district: Option<String>,
    pub items: i64,
    pub cash_cents: i64,
    pub notes: Option<String>,
    pub status: OrderStatus,
}

/// Today's delivery stops.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriverDay {
    pub day: String,
    pub currency: String,
    pub stops: Vec<Stop>,
}

/// Today's deliveries that are ready, on the road or done, in window order. Driver and owner.
#[server(endpoint = "get_driver_day")]
pub async fn get_driver_day() -> Result<DriverDay, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(
        async {
            crate::auth::session::require(&cx, &[Role::Driver, Role::Owner]).await?;
            let state = &cx.state;
            let day = state.config.today().to_string();
            let rows = sqlx::query!(
                r#"SELECT o.number, c.name, c.phone, COALESCE(o.address, '') AS "address!: String",
                          o.lat, o.lng, o.window_from, o.window_to, d.name AS "district?",
                          (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id) AS "items!: i64",
                          CASE WHEN o.payment_method = 'cod' AND o.paid = 0 THEN o.total_cents ELSE 0 END AS "cash!: i64",
                          o.notes, o.status
                   FROM orders o JOIN customers c ON c.id = o.customer_id
                   LEFT JOIN districts d ON d.id = o.district_id
                   WHERE o.fulfil_on = ? AND o.fulfilment = 'delivery'
                     AND o.status IN ('ready', 'out_for_delivery', 'delivered')
                   ORDER BY o.status = 'delivered', COALESCE(o.window_from, '99:99'), o.number"#,
                day
            )
            .fetch_all(&state.pool)
            .await?;
            let stops = rows
                .into_iter()
                .map(|r| {
                    Ok(Stop {
                        number: r.number,
                        first_name: crate::orders::model::first_name(&r.name),
                        phone: r.phone,
                        address: r.address,
                        lat: r.lat,
                        lng: r.lng,
                        window: crate::orders::model::window_label(r.window_from, r.window_to),
                        district: r.district,
                        items: r.items,
                        cash_cents: r.cash,
                        notes: r.notes.filter(|n| !n.is_empty()),
                        status: OrderStatus::parse(&r.status)
                            .map_err(|_| AppError::internal("orders.status", &r.status))?,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            Ok(DriverDay { day, currency: state.config.currency.clone(), stops })
        }
        .await,
    )
}
