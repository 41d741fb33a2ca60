//! Server functions of the planning page.
use leptos::prelude::*;

use super::model::{PlanningData, PlanningDelta};
use crate::error::AppError;

/// Districts, undelivered delivery orders of the next 14 days, and district-day loads. Owner.
#[server(endpoint = "get_planning")]
pub async fn get_planning() -> Result<PlanningData, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
        let state = &cx.state;
        let pool = &state.pool;
        let as_of = crate::server::db::now();
        let (from, to) = server::horizon(&state.config);
        let districts = crate::districts::repo::list(pool).await?;
        let orders = server::map_orders(pool, &from, &to, None).await?;
        let loads = server::loads(pool, &from, &to).await?;
        let (needs_location, unpinned) = server::attention(pool, &from).await?;
        Ok(PlanningData {
            as_of,
            unpinned,
            today: from,
            districts,
            orders,
            loads,
            needs_location,
            tile_url: state.config.tile_url.clone(),
            tile_attribution: state.config.tile_attribution.clone(),
        })
    })
    .await
}

/// What changed on the planning page since `since` (the `as_of` of the last answer): the
/// orders changed since then (a few seconds of overlap, so a change committed late is not
/// missed), those no longer on the map, which orders are on runs, and every district-day's
/// load. A few KB instead of the whole fortnight. Owner.
#[server(endpoint = "get_planning_changes")]
pub async fn get_planning_changes(since: String) -> Result<PlanningDelta, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
        let at = chrono::DateTime::parse_from_rfc3339(since.trim())
            .map_err(|_| AppError::invalid("since", crate::said::said("refuse-since")))?;
        let state = &cx.state;
        let pool = &state.pool;
        let as_of = crate::server::db::now();
        let since = crate::server::db::timestamp(
            at.with_timezone(&chrono::Utc) - chrono::Duration::seconds(5),
        );
        let (from, to) = server::horizon(&state.config);
        let orders = server::map_orders(pool, &from, &to, Some(&since)).await?;
        let changed = sqlx::query_scalar!(
            r#"SELECT id AS "id!" FROM orders WHERE updated_at > ? AND fulfilment = 'delivery'"#,
            since
        )
        .fetch_all(pool)
        .await?;
        let gone = changed
            .into_iter()
            .filter(|id| !orders.iter().any(|o| o.id == *id))
            .collect();
        let in_run = sqlx::query_scalar!(
            r#"SELECT s.order_id AS "id!" FROM run_stops s JOIN runs r ON r.id = s.run_id
                   WHERE r.day BETWEEN ? AND ?"#,
            from,
            to
        )
        .fetch_all(pool)
        .await?;
        let loads = server::loads(pool, &from, &to).await?;
        let (needs_location, unpinned) = server::attention(pool, &from).await?;
        Ok(PlanningDelta {
            as_of,
            orders,
            gone,
            in_run,
            loads,
            needs_location,
            unpinned,
        })
    })
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use sqlx::SqlitePool;

    use super::super::model::{DistrictDay, MapOrder, Unpinned, PAYMENTS};
    use crate::error::AppError;
    use crate::orders::model::OrderStatus;
    use crate::server::config::Config;

    /// Today and 13 days on, the business's local dates.
    pub fn horizon(config: &Config) -> (String, String) {
        let today = config.today();
        (
            today.to_string(),
            (today + chrono::Duration::days(13)).to_string(),
        )
    }

    /// Undelivered, pinned deliveries from `from` to `to`; only those changed after `since`
    /// when given.
    pub async fn map_orders(
        pool: &SqlitePool,
        from: &str,
        to: &str,
        since: Option<&str>,
    ) -> Result<Vec<MapOrder>, AppError> {
        let rows = sqlx::query!(
            r#"SELECT o.id AS "id!", o.number, c.name AS customer, o.lat AS "lat!: f64", o.lng AS "lng!: f64",
                      o.fulfil_on, o.status, o.district_id, o.window_from, o.window_to, o.payment_method,
                      o.paid AS "paid: bool", o.total_cents, o.flex_from, o.flex_to,
                      (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id) AS "items!: i64",
                      EXISTS (SELECT 1 FROM run_stops s WHERE s.order_id = o.id) AS "in_run!: bool",
                      o.standing_order_id, so.patterns AS "patterns?"
               FROM orders o JOIN customers c ON c.id = o.customer_id
                    LEFT JOIN standing_orders so ON so.id = o.standing_order_id
               WHERE o.fulfilment = 'delivery' AND o.fulfil_on BETWEEN ?1 AND ?2
                 AND o.status NOT IN ('delivered', 'cancelled')
                 AND o.lat IS NOT NULL AND o.lng IS NOT NULL
                 AND (?3 IS NULL OR o.updated_at > ?3)
               ORDER BY o.fulfil_on, o.number"#,
            from,
            to,
            since
        )
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(MapOrder {
                    id: r.id,
                    number: r.number,
                    customer: crate::orders::model::first_name(&r.customer),
                    lat: r.lat,
                    lng: r.lng,
                    fulfil_on: r.fulfil_on,
                    status: OrderStatus::parse(&r.status)
                        .map_err(|_| AppError::internal("orders.status", &r.status))?,
                    district_id: r.district_id,
                    window: crate::orders::model::window_label(r.window_from, r.window_to),
                    items: r.items,
                    payment: match (r.payment_method.as_str(), r.paid) {
                        (_, true) => PAYMENTS[0],
                        ("cod", false) => PAYMENTS[1],
                        _ => PAYMENTS[2],
                    }
                    .into(),
                    total_cents: r.total_cents,
                    flexible: r
                        .flex_from
                        .zip(r.flex_to)
                        .map(|(a, b)| format!("{a} – {b}")),
                    in_run: r.in_run,
                    standing: r.standing_order_id.map(|id| {
                        let patterns = crate::standing::model::patterns_from_text(
                            r.patterns.as_deref().unwrap_or_default(),
                        );
                        format!(
                            "S-{id} · {}",
                            crate::standing::model::patterns_label(&patterns)
                        )
                    }),
                })
            })
            .collect()
    }

    /// Every district-day's stops with its driving estimate.
    pub async fn loads(
        pool: &SqlitePool,
        from: &str,
        to: &str,
    ) -> Result<Vec<DistrictDay>, AppError> {
        let loads = sqlx::query!(
            r#"SELECT district_id AS "district_id!: i64", fulfil_on, COUNT(*) AS "stops!: i64"
               FROM orders
               WHERE fulfilment = 'delivery' AND status <> 'cancelled' AND district_id IS NOT NULL
                 AND fulfil_on BETWEEN ? AND ?
               GROUP BY district_id, fulfil_on"#,
            from,
            to
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| DistrictDay {
            district_id: r.district_id,
            day: r.fulfil_on,
            stops: r.stops,
            km: 0.0,
            minutes: 0,
        })
        .collect::<Vec<_>>();
        // The estimate needs only where the undelivered stops are.
        let points = sqlx::query!(
            r#"SELECT district_id AS "district_id!: i64", fulfil_on, lat AS "lat!: f64", lng AS "lng!: f64"
               FROM orders
               WHERE fulfilment = 'delivery' AND status NOT IN ('delivered', 'cancelled')
                 AND district_id IS NOT NULL AND lat IS NOT NULL AND lng IS NOT NULL
                 AND fulfil_on BETWEEN ? AND ?"#,
            from,
            to
        )
        .fetch_all(pool)
        .await?;
        let mut stops: std::collections::HashMap<(i64, String), Vec<crate::runs::matrix::Point>> =
            std::collections::HashMap::new();
        for p in points {
            stops.entry((p.district_id, p.fulfil_on)).or_default().push(
                crate::runs::matrix::Point {
                    lat: p.lat,
                    lng: p.lng,
                },
            );
        }
        let settings = crate::runs::plan::settings(pool).await?;
        Ok(super::estimate(loads, &stops, &settings))
    }

    /// Deliveries without a usable location from `from` on: how many, and the first 50.
    pub async fn attention(
        pool: &SqlitePool,
        from: &str,
    ) -> Result<(i64, Vec<Unpinned>), AppError> {
        let needs_location = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM orders
               WHERE fulfilment = 'delivery' AND status NOT IN ('delivered', 'cancelled')
                 AND (lat IS NULL OR district_id IS NULL) AND fulfil_on >= ?"#,
            from
        )
        .fetch_one(pool)
        .await?;
        let unpinned = sqlx::query!(
            r#"SELECT o.id AS "id!", o.number, c.name, COALESCE(o.address, '') AS "address!: String", o.fulfil_on
               FROM orders o JOIN customers c ON c.id = o.customer_id
               WHERE o.fulfilment = 'delivery' AND o.status NOT IN ('delivered', 'cancelled')
                 AND (o.lat IS NULL OR o.district_id IS NULL) AND o.fulfil_on >= ?
               ORDER BY o.fulfil_on, o.number LIMIT 50"#,
            from
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| Unpinned {
            id: r.id,
            number: r.number,
            customer: r.name,
            address: r.address,
            fulfil_on: r.fulfil_on,
        })
        .collect();
        Ok((needs_location, unpinned))
    }
}

/// Fills in each district-day's driving estimate from its pinned, undelivered orders: one tour
/// from the kitchen (or, with no kitchen set, from the stops' centre) and back.
#[cfg(feature = "ssr")]
pub fn estimate(
    mut loads: Vec<super::model::DistrictDay>,
    stops: &std::collections::HashMap<(i64, String), Vec<crate::runs::matrix::Point>>,
    s: &crate::runs::plan::Settings,
) -> Vec<super::model::DistrictDay> {
    use crate::runs::matrix::{haversine_m, Point};
    use hearth_routing::days::{total, DayOrder};
    for load in &mut loads {
        let Some(stops) = stops.get(&(load.district_id, load.day.clone())).cloned() else {
            continue;
        };
        if stops.is_empty() {
            continue;
        }
        let n = stops.len() as f64;
        let depot = s.kitchen.unwrap_or(Point {
            lat: stops.iter().map(|p| p.lat).sum::<f64>() / n,
            lng: stops.iter().map(|p| p.lng).sum::<f64>() / n,
        });
        let points: Vec<Point> = std::iter::once(depot).chain(stops).collect();
        let d = |a: usize, b: usize| haversine_m(points[a], points[b]) * s.detour;
        let day_orders: Vec<DayOrder> = (1..points.len())
            .map(|node| DayOrder {
                node,
                group: 0,
                current: 0,
                allowed: vec![0],
            })
            .collect();
        let metres = total(&d, &day_orders, &vec![0; day_orders.len()], 1);
        load.km = (metres / 100.0).round() / 10.0;
        let drive_min = metres / 1000.0 / s.speed_kmh.max(1.0) * 60.0;
        load.minutes = (drive_min + n * s.service_s / 60.0).round() as i64;
    }
    loads
}
