//! Profit's inputs: the delivery cost rates, the districts, and the (district, weekday) cells
//! of orders, money, cost of goods, delivery cost and failed fees.
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::super::figures::{self, Cell, DistrictInfo, Rates};
use super::day;
use crate::error::AppError;

/// The delivery cost rates and the kitchen.
pub async fn rates(conn: &mut SqliteConnection) -> Result<Rates, AppError> {
    let r = sqlx::query!(
        r#"SELECT cost_per_km_cents, driver_cost_per_hour_cents, avg_speed_kmh, detour_factor, service_minutes,
                  kitchen_lat, kitchen_lng FROM business_settings WHERE id = 1"#
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Rates {
        cost_per_km_cents: r.cost_per_km_cents as f64,
        driver_cost_per_hour_cents: r.driver_cost_per_hour_cents as f64,
        speed_kmh: r.avg_speed_kmh,
        detour: r.detour_factor,
        service_minutes: r.service_minutes as f64,
        kitchen: r.kitchen_lat.zip(r.kitchen_lng),
    })
}

/// Every district's name, colour and outline.
pub async fn district_info(
    conn: &mut SqliteConnection,
) -> Result<BTreeMap<i64, DistrictInfo>, AppError> {
    Ok(crate::districts::repo::list(&mut *conn)
        .await?
        .into_iter()
        .map(|d| {
            (
                d.id,
                DistrictInfo {
                    name: d.name,
                    colour: d.colour,
                    ring: d.ring,
                },
            )
        })
        .collect())
}

/// The (district, weekday) cells of profit: orders and money from the orders, cost of goods
/// from `items` and the recipes, delivery from the runs (or estimated), failed fees.
pub async fn profit_cells(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
    items: &[(Option<i64>, usize, i64, i64, i64)],
    unit_costs: &HashMap<i64, f64>,
    failed_fees: &HashMap<(Option<i64>, usize), i64>,
    rates: &Rates,
) -> Result<BTreeMap<(Option<i64>, usize), Cell>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    let mut cells: BTreeMap<(Option<i64>, usize), Cell> = BTreeMap::new();
    let rows = sqlx::query!(
        r#"SELECT district_id, (CAST(strftime('%w', fulfil_on) AS INTEGER) + 6) % 7 AS "weekday!: i64",
                  COUNT(DISTINCT fulfil_on) AS "days!: i64", COUNT(*) AS "orders!: i64",
                  SUM(subtotal_cents + delivery_fee_cents) AS "gross!: i64",
                  SUM(discount_cents) AS "discount!: i64"
           FROM orders INDEXED BY orders_for_reports
           WHERE fulfil_on BETWEEN ? AND ? AND status <> 'cancelled'
           GROUP BY district_id, 2"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let c = cells
            .entry((r.district_id, r.weekday as usize))
            .or_default();
        c.days = r.days;
        c.orders = r.orders;
        c.gross_cents = r.gross;
        c.discount_cents = r.discount;
    }
    for &(district, weekday, product, units, _) in items {
        if let Some(cost) = unit_costs.get(&product) {
            cells.entry((district, weekday)).or_default().cogs_cents += cost * units as f64;
        }
    }
    // Each run's cost at the Settings rates, shared evenly among its stops (counted once a run).
    let runs = sqlx::query!(
        r#"SELECT o.district_id, (CAST(strftime('%w', r.day) AS INTEGER) + 6) % 7 AS "weekday!: i64",
                  SUM((r.distance_m / 1000.0 * b.cost_per_km_cents + r.duration_s / 3600.0 * b.driver_cost_per_hour_cents)
                      / c.stops) AS "cents!: f64"
           FROM runs r
                JOIN (SELECT x.run_id, COUNT(*) AS stops FROM run_stops x JOIN runs y ON y.id = x.run_id
                      WHERE y.day BETWEEN ?1 AND ?2 GROUP BY x.run_id) c ON c.run_id = r.id
                JOIN run_stops s ON s.run_id = r.id JOIN orders o ON o.id = s.order_id,
                business_settings b
           WHERE r.day BETWEEN ?1 AND ?2 AND b.id = 1 AND o.status <> 'cancelled'
           GROUP BY o.district_id, 2"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in runs {
        cells
            .entry((r.district_id, r.weekday as usize))
            .or_default()
            .run_cents += r.cents;
    }
    // Deliveries on no run: one estimated trip per district and day.
    let unrun = sqlx::query!(
        r#"SELECT o.district_id, o.fulfil_on, COUNT(*) AS "n!: i64",
                  AVG(o.lat) AS "lat: f64", AVG(o.lng) AS "lng: f64"
           FROM orders o INDEXED BY orders_for_reports
           WHERE o.fulfil_on BETWEEN ? AND ? AND o.status <> 'cancelled' AND o.fulfilment = 'delivery'
             AND NOT EXISTS (SELECT 1 FROM run_stops s WHERE s.order_id = o.id)
           GROUP BY o.district_id, o.fulfil_on"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in unrun {
        let Some(d) = day(&r.fulfil_on) else { continue };
        let km = match (rates.kitchen, r.lat.zip(r.lng)) {
            (Some((klat, klng)), Some((lat, lng))) => {
                use crate::runs::matrix::{haversine_m, Point};
                haversine_m(
                    Point {
                        lat: klat,
                        lng: klng,
                    },
                    Point { lat, lng },
                ) / 1000.0
            }
            _ => 0.0,
        };
        let c = cells
            .entry((r.district_id, super::super::forecast::weekday_index(d)))
            .or_default();
        c.estimated_cents += figures::estimated_trip_cents(r.n, km, rates);
        c.estimated_stops += r.n;
    }
    for (&key, &fee) in failed_fees {
        cells.entry(key).or_default().failed_fees_cents += fee;
    }
    Ok(cells)
}
