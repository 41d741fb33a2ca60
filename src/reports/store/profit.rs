//! Profit's inputs: the delivery cost rates, the districts, and the (district, weekday) cells
//! of orders, money, cost of goods, delivery cost and failed fees.
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::super::figures::{self, Cell, DistrictInfo, Rates};
use super::super::forecast::weekday_index;
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
    let mut cells: BTreeMap<(Option<i64>, usize), Cell> = BTreeMap::new();
    for r in super::days::districts(conn, from, to).await? {
        let c = cells.entry((r.district, weekday_index(r.day))).or_default();
        c.days += 1;
        c.orders += r.orders;
        c.gross_cents += r.gross_cents;
        c.discount_cents += r.discount_cents;
        if r.unrun > 0 {
            // Deliveries on no run: one estimated trip per district and day.
            let km = match (rates.kitchen, r.unrun_lat.zip(r.unrun_lng)) {
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
            c.estimated_cents += figures::estimated_trip_cents(r.unrun, km, rates);
            c.estimated_stops += r.unrun;
        }
    }
    for &(district, weekday, product, units, _) in items {
        if let Some(cost) = unit_costs.get(&product) {
            cells.entry((district, weekday)).or_default().cogs_cents += cost * units as f64;
        }
    }
    // Each run's cost at the Settings rates, shared evenly among its stops.
    for r in super::days::runs(conn, from, to).await? {
        cells
            .entry((r.district, weekday_index(r.day)))
            .or_default()
            .run_cents +=
            r.km * rates.cost_per_km_cents + r.hours * rates.driver_cost_per_hour_cents;
    }
    for (&key, &fee) in failed_fees {
        cells.entry(key).or_default().failed_fees_cents += fee;
    }
    Ok(cells)
}
