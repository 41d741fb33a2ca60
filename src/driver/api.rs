//! Server functions for drivers.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::orders::model::OrderStatus;

/// One delivery stop, with only what delivering needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub order_id: i64,
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
    /// The customer's allergies, as the bakery recorded them.
    #[serde(default)]
    pub allergies: Option<String>,
    pub status: OrderStatus,
    /// Planned arrival from the published run, local "HH:MM".
    pub eta: Option<String>,
    /// Arrived, delivered or failed, as reported from the phone.
    pub outcome: Option<String>,
    /// Cash on delivery owed for this order, paid or not (for the cash-up).
    pub cod_cents: i64,
    pub cash_collected_cents: Option<i64>,
}

/// Today's delivery stops.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriverDay {
    pub day: String,
    pub currency: String,
    /// The driver's published run: its totals, "leaves 08:40 · 12 km". None without one.
    pub run: Option<String>,
    pub stops: Vec<Stop>,
    /// [lat, lng] of the kitchen, where the run starts and ends.
    pub kitchen: Option<[f64; 2]>,
    pub tile_url: String,
    pub tile_attribution: String,
}

/// Today's stops. A driver sees only the stops of their own published run, in run order; the
/// owner sees every delivery of the day that is ready, on the road or done.
#[server(endpoint = "get_driver_day")]
pub async fn get_driver_day() -> Result<DriverDay, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Driver, Role::Owner], move |cx, me| async move {
            let state = &cx.state;
            let day = state.config.today().to_string();
            let driver = (me.role == Role::Driver).then_some(me.id);
            let rows = sqlx::query!(
                r#"SELECT o.id AS "id!", o.number, c.name, c.phone, COALESCE(o.address, '') AS "address!: String",
                          o.lat, o.lng, o.window_from, o.window_to, d.name AS "district?",
                          (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id) AS "items!: i64",
                          CASE WHEN o.payment_method = 'cod' AND o.paid = 0 THEN o.total_cents ELSE 0 END AS "cash!: i64",
                          o.notes, c.allergies, o.status, s.eta AS "eta?", s.outcome AS "outcome?",
                          s.cash_collected_cents AS "cash_collected?: i64",
                          CASE WHEN o.payment_method = 'cod' THEN o.total_cents ELSE 0 END AS "cod!: i64"
                   FROM orders o JOIN customers c ON c.id = o.customer_id
                   LEFT JOIN districts d ON d.id = o.district_id
                   LEFT JOIN run_stops s ON s.order_id = o.id
                   LEFT JOIN runs r ON r.id = s.run_id AND r.status = 'published'
                   WHERE o.fulfil_on = ? AND o.fulfilment = 'delivery'
                     AND (?2 IS NULL OR r.driver_id = ?2)
                     AND (?2 IS NOT NULL OR o.status IN ('ready', 'out_for_delivery', 'delivered'))
                     AND o.status <> 'cancelled'
                   ORDER BY r.driver_id, s.seq, COALESCE(o.window_from, '99:99'), o.number"#,
                day,
                driver
            )
            .fetch_all(&state.pool)
            .await?;
            let stops = rows
                .into_iter()
                .map(|r| {
                    Ok(Stop {
                        order_id: r.id,
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
                        allergies: r.allergies.filter(|a| !a.is_empty()),
                        status: OrderStatus::parse(&r.status)
                            .map_err(|_| AppError::internal("orders.status", &r.status))?,
                        outcome: r.outcome,
                        cod_cents: r.cod,
                        cash_collected_cents: r.cash_collected,
                        eta: r.eta.as_deref().filter(|e| !e.is_empty()).map(|e| crate::runs::plan::local_clock(&state.config, e)),
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            let settings = crate::runs::plan::settings(&state.pool).await?;
            let run = match driver {
                Some(id) => crate::runs::read::runs(&state.pool, &state.config, &settings, &day, Some(id))
                    .await?
                    .first()
                    .map(|r| crate::runs::read::summary(&cx.lang(&me), r)),
                None => None,
            };
            let kitchen = settings.kitchen.map(|k| [k.lat, k.lng]);
            Ok(DriverDay {
                day,
                currency: state.config.currency(),
                run,
                stops,
                kitchen,
                tile_url: state.config.tile_url.clone(),
                tile_attribution: state.config.tile_attribution.clone(),
            })
    })
    .await
}
