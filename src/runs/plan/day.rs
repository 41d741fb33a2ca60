//! What the planner reads of a day before solving: the runs under way (left as they are), the
//! chosen drivers' vans and shifts, the deliveries still to plan and the current stops.
use chrono::NaiveDate;
use sqlx::SqlitePool;

use super::super::matrix::Point;
use super::super::model::window_seconds;
use super::Settings;
use crate::error::AppError;

/// A delivery to plan.
#[derive(Clone, Debug)]
pub(super) struct Delivery {
    pub(super) id: i64,
    pub(super) point: Point,
    pub(super) ready: Option<f64>,
    pub(super) due: Option<f64>,
    pub(super) items: i64,
}

async fn deliveries(pool: &SqlitePool, day: &str) -> Result<Vec<Delivery>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id!", o.lat AS "lat!: f64", o.lng AS "lng!: f64", o.window_from, o.window_to,
                  (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id) AS "items!: i64"
           FROM orders o
           WHERE o.fulfil_on = ? AND o.fulfilment = 'delivery'
             AND o.status NOT IN ('delivered', 'cancelled')
             AND o.lat IS NOT NULL AND o.lng IS NOT NULL
           ORDER BY o.id"#,
        day
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let window = window_seconds(r.window_from.as_deref(), r.window_to.as_deref())?;
            Ok(Delivery {
                id: r.id,
                point: Point {
                    lat: r.lat,
                    lng: r.lng,
                },
                ready: window.0,
                due: window.1,
                items: r.items,
            })
        })
        .collect()
}

/// One driver's van for a day.
pub(super) struct Van {
    pub(super) capacity: i64,
    pub(super) shift_start: String,
    pub(super) shift_end: String,
}

/// A run a driver has started (a stop reported, or the cash handed over): it stays as it is.
pub(super) struct UnderWay {
    pub(super) id: i64,
    pub(super) driver_id: i64,
    pub(super) driver: String,
}

/// A stop on one of the day's current runs.
pub(super) struct Current {
    pub(super) run_id: i64,
    pub(super) driver_id: i64,
    pub(super) order_id: i64,
    pub(super) locked: bool,
}

/// The day as the planner reads it before solving.
pub(super) struct Day {
    pub(super) under_way: Vec<UnderWay>,
    /// The chosen drivers whose run is under way (kept as it is).
    pub(super) kept: Vec<String>,
    /// The chosen drivers still to plan, with their vans.
    pub(super) drivers: Vec<i64>,
    pub(super) vans: Vec<Van>,
    /// The deliveries to plan (those on runs under way left out).
    pub(super) orders: Vec<Delivery>,
    pub(super) current: Vec<Current>,
}

/// Reads what the planner needs of `day`: the runs under way (left as they are), the other
/// chosen drivers' vans and shifts, the deliveries still to plan and the current stops.
pub(super) async fn read_day(
    pool: &SqlitePool,
    s: &Settings,
    day: NaiveDate,
    drivers: &[i64],
) -> Result<Day, AppError> {
    let key = day.to_string();
    // Runs under way stay exactly as they are, and so do their stops.
    let under_way = under_way(pool, &key).await?;
    let kept: Vec<String> = under_way.iter().map(|r| r.driver.clone()).collect();
    let drivers: Vec<i64> = drivers
        .iter()
        .copied()
        .filter(|d| !under_way.iter().any(|r| r.driver_id == *d))
        .collect();
    if drivers.is_empty() {
        return Err(AppError::Conflict(crate::said::said_count(
            "refuse-runs-under-way",
            kept.len() as i64,
            &[("drivers", &kept.join(", "))],
        )));
    }
    let vans = vans(pool, s, &drivers).await?;
    let mut orders = deliveries(pool, &key).await?;
    // Locked stops of the chosen drivers' current runs stay where they are.
    let current: Vec<Current> = sqlx::query!(
        r#"SELECT r.id AS "run_id!", r.driver_id, s.order_id, s.locked AS "locked: bool"
           FROM run_stops s JOIN runs r ON r.id = s.run_id
           WHERE r.day = ? ORDER BY r.driver_id, s.seq"#,
        key
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|c| Current {
        run_id: c.run_id,
        driver_id: c.driver_id,
        order_id: c.order_id,
        locked: c.locked,
    })
    .collect();
    orders.retain(|o| {
        !current
            .iter()
            .any(|c| c.order_id == o.id && under_way.iter().any(|r| r.id == c.run_id))
    });
    Ok(Day {
        under_way,
        kept,
        drivers,
        vans,
        orders,
        current,
    })
}

/// The day's runs under way (a stop reported, or the cash handed over): the driver's working
/// record, kept exactly as it is.
async fn under_way(pool: &SqlitePool, key: &str) -> Result<Vec<UnderWay>, AppError> {
    let rows: Vec<UnderWay> = sqlx::query!(
        r#"SELECT r.id AS "id!", r.driver_id, u.name AS driver FROM runs r JOIN users u ON u.id = r.driver_id
           WHERE r.day = ? AND (r.cash_handed_at IS NOT NULL
             OR EXISTS (SELECT 1 FROM run_stops s WHERE s.run_id = r.id AND s.outcome IS NOT NULL))
           ORDER BY u.name"#,
        key
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| UnderWay {
        id: r.id,
        driver_id: r.driver_id,
        driver: r.driver,
    })
    .collect();
    Ok(rows)
}

/// Each chosen driver's van and shift (their own, else the business defaults); a chosen id
/// that is not an active driver is refused.
async fn vans(pool: &SqlitePool, s: &Settings, drivers: &[i64]) -> Result<Vec<Van>, AppError> {
    let mut vans = Vec::with_capacity(drivers.len());
    for &id in drivers {
        let van = sqlx::query!(
            r#"SELECT van_capacity, shift_start, shift_end FROM users
               WHERE id = ? AND role = 'driver' AND active = 1"#,
            id
        )
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "drivers",
                crate::said::said_with("refuse-not-a-driver", &[("id", &id)]),
            )
        })?;
        vans.push(Van {
            capacity: van.van_capacity.unwrap_or(s.van_capacity),
            shift_start: van.shift_start.unwrap_or_else(|| s.shift_start.clone()),
            shift_end: van.shift_end.unwrap_or_else(|| s.shift_end.clone()),
        });
    }
    Ok(vans)
}
