//! Planning a day's runs on the server: read the day's deliveries, ask the travel matrix and the
//! solver, store the runs; re-time a run after a manual reorder; publish.
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone};
use hearth_routing::{Objective, Problem, Sisr, SolveOptions, Solver, Vehicle};
use sqlx::SqlitePool;

use super::matrix::{DistanceMatrix, Matrix, Osrm, Point, StraightLine, Travel};
use super::model::{parse_clock, window_seconds, Optimised};
use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db;

/// The business settings that runs use.
#[derive(Clone, Debug)]
pub struct Settings {
    pub kitchen: Option<Point>,
    pub kitchen_address: String,
    pub detour: f64,
    pub speed_kmh: f64,
    pub service_s: f64,
    pub shift_start: String,
    pub shift_end: String,
    pub van_capacity: i64,
    pub cost_per_km_cents: i64,
    pub driver_per_hour_cents: i64,
    pub third_party_base_cents: i64,
    pub third_party_per_km_cents: i64,
}

pub async fn settings(pool: &SqlitePool) -> Result<Settings, AppError> {
    let r = sqlx::query!(
        r#"SELECT kitchen_address, kitchen_lat, kitchen_lng, detour_factor, avg_speed_kmh,
                  service_minutes, shift_start, shift_end, van_capacity, cost_per_km_cents,
                  driver_cost_per_hour_cents, third_party_base_cents, third_party_per_km_cents
           FROM business_settings WHERE id = 1"#
    )
    .fetch_one(pool)
    .await?;
    Ok(Settings {
        kitchen: r
            .kitchen_lat
            .zip(r.kitchen_lng)
            .map(|(lat, lng)| Point { lat, lng }),
        kitchen_address: r.kitchen_address,
        detour: r.detour_factor,
        speed_kmh: r.avg_speed_kmh,
        service_s: r.service_minutes as f64 * 60.0,
        shift_start: r.shift_start,
        shift_end: r.shift_end,
        van_capacity: r.van_capacity,
        cost_per_km_cents: r.cost_per_km_cents,
        driver_per_hour_cents: r.driver_cost_per_hour_cents,
        third_party_base_cents: r.third_party_base_cents,
        third_party_per_km_cents: r.third_party_per_km_cents,
    })
}

/// The travel model in use: OSRM when configured, else the straight line.
pub fn travel(config: &Config, s: &Settings) -> Travel {
    match &config.osrm_url {
        Some(url) => Travel::Osrm(Osrm {
            base_url: url.clone(),
            client: super::matrix::shared_client(),
        }),
        None => Travel::Straight(StraightLine {
            detour: s.detour,
            speed_kmh: s.speed_kmh,
        }),
    }
}

/// A delivery to plan.
#[derive(Clone, Debug)]
struct Delivery {
    id: i64,
    point: Point,
    ready: Option<f64>,
    due: Option<f64>,
    items: i64,
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

/// A local day and seconds since its midnight → UTC timestamp text.
pub fn at(config: &Config, day: NaiveDate, seconds: f64) -> String {
    let local = day.and_hms_opt(0, 0, 0).expect("midnight")
        + chrono::Duration::seconds(seconds.round() as i64);
    let utc = config
        .timezone()
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| chrono::Utc.from_utc_datetime(&local));
    db::timestamp(utc)
}

/// UTC timestamp text → local "HH:MM".
pub fn local_clock(config: &Config, ts: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(ts)
        .map(|t| {
            t.with_timezone(&config.timezone())
                .format("%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Plans the day's deliveries onto runs for `drivers` (fewest vans, then fewest km), keeping
/// locked stops on their run and in their order; replaces the day's runs in one transaction.
pub async fn optimise(
    pool: &SqlitePool,
    config: &Config,
    day: NaiveDate,
    drivers: &[i64],
) -> Result<Optimised, AppError> {
    optimise_with(pool, config, day, drivers, None).await
}

/// A longer search that reports its best plan so far and can be stopped.
/// One driver's van for a day.
struct Van {
    capacity: i64,
    shift_start: String,
    shift_end: String,
}

#[derive(Clone)]
pub struct Search {
    pub seconds: f64,
    pub stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    pub progress: std::sync::Arc<std::sync::Mutex<Option<hearth_routing::Progress>>>,
}

/// [`optimise`] with a chosen search time, progress and a stop flag.
pub async fn optimise_with(
    pool: &SqlitePool,
    config: &Config,
    day: NaiveDate,
    drivers: &[i64],
    search: Option<Search>,
) -> Result<Optimised, AppError> {
    let started = Instant::now();
    let key = day.to_string();
    if drivers.is_empty() {
        return Err(AppError::invalid(
            "drivers",
            crate::said::said("refuse-choose-driver"),
        ));
    }
    let s = settings(pool).await?;
    let kitchen = s
        .kitchen
        .ok_or_else(|| AppError::invalid("kitchen", crate::said::said("refuse-kitchen-runs")))?;
    // Runs under way (a stop reported, or the cash handed over) are the driver's working
    // record: they stay exactly as they are, and so do their stops.
    let under_way = sqlx::query!(
        r#"SELECT r.id AS "id!", r.driver_id, u.name AS driver FROM runs r JOIN users u ON u.id = r.driver_id
           WHERE r.day = ? AND (r.cash_handed_at IS NOT NULL
             OR EXISTS (SELECT 1 FROM run_stops s WHERE s.run_id = r.id AND s.outcome IS NOT NULL))
           ORDER BY u.name"#,
        key
    )
    .fetch_all(pool)
    .await?;
    let kept: Vec<String> = under_way.iter().map(|r| r.driver.clone()).collect();
    let drivers: Vec<i64> = drivers
        .iter()
        .copied()
        .filter(|d| !under_way.iter().any(|r| r.driver_id == *d))
        .collect();
    let drivers = drivers.as_slice();
    if drivers.is_empty() {
        return Err(AppError::Conflict(crate::said::said_count(
            "refuse-runs-under-way",
            kept.len() as i64,
            &[("drivers", &kept.join(", "))],
        )));
    }
    // Each chosen driver's van and shift (their own, else the business defaults).
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
    let mut orders = deliveries(pool, &key).await?;
    // Locked stops of the chosen drivers' current runs stay where they are.
    let current = sqlx::query!(
        r#"SELECT r.id AS "run_id!", r.driver_id, s.order_id, s.locked AS "locked: bool"
           FROM run_stops s JOIN runs r ON r.id = s.run_id
           WHERE r.day = ? ORDER BY r.driver_id, s.seq"#,
        key
    )
    .fetch_all(pool)
    .await?;
    orders.retain(|o| {
        !current
            .iter()
            .any(|c| c.order_id == o.id && under_way.iter().any(|r| r.id == c.run_id))
    });
    let mut shifts = Vec::with_capacity(vans.len());
    for v in &vans {
        shifts.push((
            parse_clock(&v.shift_start, "shift_start")?,
            parse_clock(&v.shift_end, "shift_end")?,
        ));
    }
    // The kitchen is open, and customers without a window can be served, from the earliest
    // shift's start to the latest shift's end; each van keeps to its own shift.
    let start = shifts.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
    let end = shifts.iter().map(|s| s.1).fold(0.0, f64::max);
    let mut points = vec![kitchen];
    points.extend(orders.iter().map(|o| o.point));
    let matrix = travel(config, &s).table(&points).await.map_err(|e| {
        AppError::Conflict(crate::said::said_with(
            "refuse-travel-times",
            &[("why", &e)],
        ))
    })?;
    let n = points.len();
    let node_of = |order_id: i64| orders.iter().position(|o| o.id == order_id).map(|i| i + 1);
    let mut locked = vec![false; n];
    let mut initial = vec![Vec::new(); drivers.len()];
    for c in &current {
        if let (Some(v), Some(node)) = (
            drivers.iter().position(|&d| d == c.driver_id),
            node_of(c.order_id),
        ) {
            initial[v].push(node);
            locked[node] = c.locked;
        }
    }
    let problem = Problem {
        dist: matrix.metres.clone(),
        time: matrix.seconds.clone(),
        demand: std::iter::once(0)
            .chain(orders.iter().map(|o| o.items))
            .collect(),
        ready: std::iter::once(start)
            .chain(orders.iter().map(|o| o.ready.unwrap_or(start)))
            .collect(),
        due: std::iter::once(end)
            .chain(orders.iter().map(|o| o.due.unwrap_or(end)))
            .collect(),
        service: std::iter::once(0.0)
            .chain(orders.iter().map(|_| s.service_s))
            .collect(),
        vehicles: vans
            .iter()
            .zip(&shifts)
            .map(|(v, &(start, end))| Vehicle {
                capacity: v.capacity,
                start,
                end,
            })
            .collect(),
        objective: Objective::VehiclesThenDistance,
        locked,
        initial: Some(initial),
    };
    let seconds = search.as_ref().map_or(config.plan_seconds, |s| s.seconds);
    let solution = tokio::task::spawn_blocking(move || {
        let report = |p: hearth_routing::Progress| {
            if let Some(s) = &search {
                *s.progress.lock().expect("progress lock") = Some(p);
            }
        };
        let options = SolveOptions {
            time_limit: Duration::from_secs_f64(seconds),
            threads: 2,
            seed: 1,
            stop: search.as_ref().map(|s| &*s.stop),
            progress: Some(&report),
        };
        Sisr::default().solve(&problem, &options)
    })
    .await
    .map_err(|e| AppError::internal("solver", e))?
    .map_err(|e| AppError::internal("solver", e))?;

    let mut tx = db::begin_write(pool).await?;
    // A day already published stays published: its drivers are working from it, so the new
    // plan replaces what they see instead of leaving them without a run.
    let republish = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM runs WHERE day = ? AND status = 'published'"#,
        key
    )
    .fetch_one(&mut *tx)
    .await?
        > 0;
    let status = if republish { "published" } else { "draft" };
    let published_at = republish.then(db::now);
    let replaced = sqlx::query_scalar!(r#"SELECT id AS "id!" FROM runs WHERE day = ?"#, key)
        .fetch_all(&mut *tx)
        .await?;
    for id in replaced {
        if under_way.iter().any(|r| r.id == id) {
            continue;
        }
        // Checked again inside the write: a driver may have reported while the solver ran.
        let gone = sqlx::query!(
            r#"DELETE FROM runs WHERE id = ? AND cash_handed_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM run_stops s WHERE s.run_id = runs.id AND s.outcome IS NOT NULL)"#,
            id
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if gone == 0 {
            return Err(AppError::Conflict(crate::said::said(
                "refuse-stop-meanwhile",
            )));
        }
    }
    sqlx::query!("DELETE FROM run_exclusions WHERE day = ?", key)
        .execute(&mut *tx)
        .await?;
    let mut planned = 0;
    for route in &solution.routes {
        let driver = drivers[route.vehicle];
        let van = &vans[route.vehicle];
        let stops: Vec<usize> = route.stops.clone();
        let timing = timing(&matrix, &stops, &route.starts);
        let (depart_at, return_at) = (at(config, day, timing.depart), at(config, day, route.end));
        let run_id = sqlx::query_scalar!(
            r#"INSERT INTO runs (day, driver_id, status, published_at, shift_start, shift_end, capacity,
                                distance_m, duration_s, depart_at, return_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
            key,
            driver,
            status,
            published_at,
            van.shift_start,
            van.shift_end,
            van.capacity,
            timing.metres,
            timing.duration,
            depart_at,
            return_at,
        )
        .fetch_one(&mut *tx)
        .await?;
        for (i, &node) in stops.iter().enumerate() {
            let order_id = orders[node - 1].id;
            let seq = i as i64 + 1;
            let eta = at(config, day, route.starts[i]);
            let leg = timing.legs[i];
            let was_locked = current.iter().any(|c| c.order_id == order_id && c.locked);
            sqlx::query!(
                "INSERT INTO run_stops (run_id, order_id, seq, locked, eta, late, leg_m) VALUES (?, ?, ?, ?, ?, 0, ?)",
                run_id,
                order_id,
                seq,
                was_locked,
                eta,
                leg
            )
            .execute(&mut *tx)
            .await?;
            planned += 1;
        }
    }
    for &(node, why) in &solution.unserved {
        let order_id = orders[node - 1].id;
        let reason = why.explain();
        sqlx::query!(
            "INSERT INTO run_exclusions (day, order_id, reason) VALUES (?, ?, ?)",
            key,
            order_id,
            reason
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Optimised {
        runs: solution.routes.len(),
        planned,
        unplanned: solution.unserved.len(),
        distance_km: (solution.distance / 100.0).round() / 10.0,
        millis: started.elapsed().as_millis() as u64,
        kept,
        republished: republish,
    })
}

/// After a published day was re-planned: open trackers and boards fetch the new arrival
/// times (the drivers' phones read their run afresh on their next load or sync).
pub async fn announce_republished(
    pool: &SqlitePool,
    events: &tokio::sync::broadcast::Sender<crate::orders::model::OrderChange>,
    day: NaiveDate,
    by: &str,
) {
    match super::read::day_changes(pool, day, by).await {
        Ok(changes) => {
            for change in changes {
                let _ = events.send(change);
            }
        }
        Err(e) => tracing::warn!(error = %e, "re-planned runs not announced"),
    }
}

/// Totals of a timed run.
struct Timing {
    metres: i64,
    duration: i64,
    /// Leave the kitchen just in time for the first stop.
    depart: f64,
    /// Metres from the previous stop, per stop.
    legs: Vec<i64>,
}

fn timing(m: &Matrix, stops: &[usize], starts: &[f64]) -> Timing {
    let mut at = 0;
    let mut metres = 0.0;
    let mut legs = Vec::with_capacity(stops.len());
    for &c in stops {
        legs.push(m.metres(at, c).round() as i64);
        metres += m.metres(at, c);
        at = c;
    }
    metres += m.metres(at, 0);
    let depart = starts.first().map_or(0.0, |s| s - m.seconds(0, stops[0]));
    let last = stops.last().copied().unwrap_or(0);
    let back = starts.last().copied().unwrap_or(depart) + m.seconds(last, 0);
    Timing {
        metres: metres.round() as i64,
        duration: (back - depart).round() as i64,
        depart,
        legs,
    }
}

/// Sets a run's stops to `order_ids` in that order (taking them off other runs of the same
/// day) and re-times every run touched: arrivals, lateness against windows, totals. The road
/// server is asked before the write transaction opens, for the runs as they will be; inside it
/// each touched run is checked to be exactly that (else all is rolled back and read again, up
/// to three times), so a slow road server never holds the write lock.
pub async fn reorder(
    pool: &SqlitePool,
    config: &Config,
    run_id: i64,
    order_ids: &[i64],
) -> Result<(), AppError> {
    let s = settings(pool).await?;
    let kitchen = s.kitchen.ok_or_else(|| {
        AppError::invalid("kitchen", crate::said::said("refuse-kitchen-location"))
    })?;
    let run = sqlx::query!("SELECT day FROM runs WHERE id = ?", run_id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-run")))?;
    let day = crate::orders::model::parse_day(&run.day, "day")?;
    let mut seen = std::collections::HashSet::new();
    if !order_ids.iter().all(|id| seen.insert(*id)) {
        return Err(AppError::invalid(
            "order_ids",
            crate::said::said("refuse-stop-twice"),
        ));
    }
    for _ in 0..3 {
        let expected = runs_after(pool, run_id, order_ids).await?;
        let mut tables = Vec::with_capacity(expected.len());
        for (_, read) in &expected {
            tables.push(if read.1.is_empty() {
                None
            } else {
                Some(
                    travel(config, &s)
                        .table(&points(kitchen, &read.1))
                        .await
                        .map_err(|e| {
                            AppError::Conflict(crate::said::said_with(
                                "refuse-travel-times",
                                &[("why", &e)],
                            ))
                        })?,
                )
            });
        }
        let mut tx = db::begin_write(pool).await?;
        let touched = write_stops(&mut tx, run_id, &run.day, order_ids).await?;
        let mut same = touched.iter().all(|t| expected.iter().any(|(r, _)| r == t));
        for ((r, read), m) in expected.iter().zip(&tables) {
            if !same || stops_of(&mut tx, *r).await? != *read {
                same = false;
                break;
            }
            match m {
                Some(m) => write_times(&mut tx, config, &s, day, *r, read, m).await?,
                None => {
                    sqlx::query!("DELETE FROM runs WHERE id = ?", r)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        if same {
            tx.commit().await?;
            return Ok(());
        }
    }
    Err(AppError::Conflict(crate::said::said(
        "refuse-runs-kept-changing",
    )))
}

/// Each run `reorder` touches, with its stops as they will be: `run_id` with `order_ids`, and
/// every other run that loses one of them without it.
async fn runs_after(
    pool: &SqlitePool,
    run_id: i64,
    order_ids: &[i64],
) -> Result<Vec<(i64, (String, Vec<TimedStop>))>, AppError> {
    let mut conn = pool.acquire().await?;
    let (shift, _) = stops_of(&mut conn, run_id).await?;
    let mut mine = Vec::with_capacity(order_ids.len());
    for &id in order_ids {
        let o = sqlx::query!(
            r#"SELECT lat AS "lat!: f64", lng AS "lng!: f64", window_from, window_to FROM orders
               WHERE id = ? AND lat IS NOT NULL"#,
            id
        )
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(o) = o {
            mine.push(TimedStop {
                order_id: id,
                lat: o.lat,
                lng: o.lng,
                window: (o.window_from, o.window_to),
            });
        }
    }
    let mut out = vec![(run_id, (shift, mine))];
    for &id in order_ids {
        let other = sqlx::query_scalar!("SELECT run_id FROM run_stops WHERE order_id = ?", id)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(other) = other.filter(|o| out.iter().all(|(r, _)| r != o)) {
            let (shift, stops) = stops_of(&mut conn, other).await?;
            let left = stops
                .into_iter()
                .filter(|st| !order_ids.contains(&st.order_id))
                .collect();
            out.push((other, (shift, left)));
        }
    }
    Ok(out)
}

/// Writes `run_id`'s stops as `order_ids` (checked to be deliveries of `day`), taking them off
/// other runs; reports and locks move with their stops. Times are written by the caller; the
/// runs touched are returned.
async fn write_stops(
    tx: &mut db::WriteTx,
    run_id: i64,
    day: &str,
    order_ids: &[i64],
) -> Result<Vec<i64>, AppError> {
    for &id in order_ids {
        let ok = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM orders
               WHERE id = ? AND fulfil_on = ? AND fulfilment = 'delivery' AND lat IS NOT NULL
                 AND status NOT IN ('cancelled')"#,
            id,
            day
        )
        .fetch_one(&mut **tx)
        .await?;
        if ok == 0 {
            return Err(AppError::invalid(
                "order_ids",
                crate::said::said_with("refuse-not-delivery-of", &[("id", &id), ("day", &day)]),
            ));
        }
    }
    // What the driver reported at these stops, and their locks, move with them.
    let mut kept = std::collections::HashMap::new();
    for &id in order_ids {
        if let Some(k) = sqlx::query!(
            r#"SELECT s.run_id, o.number, s.locked AS "locked: bool", s.outcome, s.outcome_at, s.recipient,
                      s.cash_collected_cents, s.fail_reason, s.fail_note
               FROM run_stops s JOIN orders o ON o.id = s.order_id WHERE s.order_id = ?"#,
            id
        )
        .fetch_optional(&mut **tx)
        .await?
        {
            if k.run_id != run_id && k.outcome.is_some() {
                return Err(AppError::invalid(
                    "order_ids",
                    crate::said::said_with("refuse-reported-their", &[("number", &k.number)]),
                ));
            }
            kept.insert(id, k);
        }
    }
    // Runs that lose a stop to this one are re-timed too.
    let mut touched: Vec<i64> = vec![run_id];
    for &id in order_ids {
        if let Some(other) =
            sqlx::query_scalar!("SELECT run_id FROM run_stops WHERE order_id = ?", id)
                .fetch_optional(&mut **tx)
                .await?
        {
            if !touched.contains(&other) {
                touched.push(other);
            }
        }
        sqlx::query!("DELETE FROM run_stops WHERE order_id = ?", id)
            .execute(&mut **tx)
            .await?;
        sqlx::query!("DELETE FROM run_exclusions WHERE order_id = ?", id)
            .execute(&mut **tx)
            .await?;
    }
    // Whatever this run had that is not in the new list becomes unplanned, unless the driver
    // already reported it: that record stays on the run.
    let reported = sqlx::query!(
        r#"SELECT s.order_id, o.number FROM run_stops s JOIN orders o ON o.id = s.order_id
           WHERE s.run_id = ? AND s.outcome IS NOT NULL"#,
        run_id
    )
    .fetch_all(&mut **tx)
    .await?;
    if let Some(r) = reported.iter().find(|r| !order_ids.contains(&r.order_id)) {
        return Err(AppError::invalid(
            "order_ids",
            crate::said::said_with("refuse-reported-its", &[("number", &r.number)]),
        ));
    }
    sqlx::query!("DELETE FROM run_stops WHERE run_id = ?", run_id)
        .execute(&mut **tx)
        .await?;
    for (i, &id) in order_ids.iter().enumerate() {
        let seq = i as i64 + 1;
        let k = kept.get(&id);
        let locked = k.is_some_and(|k| k.locked);
        let outcome = k.and_then(|k| k.outcome.clone());
        let outcome_at = k.and_then(|k| k.outcome_at.clone());
        let recipient = k.and_then(|k| k.recipient.clone());
        let cash = k.and_then(|k| k.cash_collected_cents);
        let fail_reason = k.and_then(|k| k.fail_reason.clone());
        let fail_note = k.and_then(|k| k.fail_note.clone());
        sqlx::query!(
            "INSERT INTO run_stops (run_id, order_id, seq, eta, locked, outcome, outcome_at, recipient,
                                    cash_collected_cents, fail_reason, fail_note)
             VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)",
            run_id,
            id,
            seq,
            locked,
            outcome,
            outcome_at,
            recipient,
            cash,
            fail_reason,
            fail_note
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(touched)
}

/// Re-times the run holding `order_id`, if it is on one, after its stop moved (the order core
/// changed the pin; the runs side follows in its own write). The road server is asked with no
/// lock held: the stops are read, the travel table fetched, then the write transaction checks
/// that the run is still as read (else reads again, up to three times) before writing.
pub async fn retime_after_move(
    pool: &SqlitePool,
    config: &Config,
    order_id: i64,
) -> Result<(), AppError> {
    let s = settings(pool).await?;
    let Some(kitchen) = s.kitchen else {
        return Ok(());
    };
    for _ in 0..3 {
        let mut conn = pool.acquire().await?;
        let Some((run_id, day)) = run_of(&mut conn, order_id).await? else {
            return Ok(());
        };
        let read = stops_of(&mut conn, run_id).await?;
        drop(conn);
        if read.1.is_empty() {
            return Ok(());
        }
        let m = travel(config, &s)
            .table(&points(kitchen, &read.1))
            .await
            .map_err(|e| {
                AppError::Conflict(crate::said::said_with(
                    "refuse-travel-times",
                    &[("why", &e)],
                ))
            })?;
        let mut tx = db::begin_write(pool).await?;
        if stops_of(&mut tx, run_id).await? == read {
            write_times(&mut tx, config, &s, day, run_id, &read, &m).await?;
            tx.commit().await?;
            return Ok(());
        }
    }
    Err(AppError::Conflict(crate::said::said(
        "refuse-run-kept-changing",
    )))
}

/// The run (id, day) holding `order_id`, if any.
async fn run_of(
    conn: &mut sqlx::SqliteConnection,
    order_id: i64,
) -> Result<Option<(i64, NaiveDate)>, AppError> {
    let run = sqlx::query!(
        r#"SELECT r.id AS "id!", r.day FROM run_stops s JOIN runs r ON r.id = s.run_id WHERE s.order_id = ?"#,
        order_id
    )
    .fetch_optional(conn)
    .await?;
    run.map(|r| Ok((r.id, crate::orders::model::parse_day(&r.day, "day")?)))
        .transpose()
}

/// One stop as a re-time reads it.
#[derive(Clone, Debug, PartialEq)]
struct TimedStop {
    order_id: i64,
    lat: f64,
    lng: f64,
    window: (Option<String>, Option<String>),
}

/// A run's shift start and its stops in order.
async fn stops_of(
    conn: &mut sqlx::SqliteConnection,
    run_id: i64,
) -> Result<(String, Vec<TimedStop>), AppError> {
    let run = sqlx::query!("SELECT shift_start FROM runs WHERE id = ?", run_id)
        .fetch_one(&mut *conn)
        .await?;
    let stops = sqlx::query!(
        r#"SELECT s.order_id, o.lat AS "lat!: f64", o.lng AS "lng!: f64", o.window_from, o.window_to
           FROM run_stops s JOIN orders o ON o.id = s.order_id
           WHERE s.run_id = ? ORDER BY s.seq"#,
        run_id
    )
    .fetch_all(conn)
    .await?;
    let stops = stops
        .into_iter()
        .map(|r| TimedStop {
            order_id: r.order_id,
            lat: r.lat,
            lng: r.lng,
            window: (r.window_from, r.window_to),
        })
        .collect();
    Ok((run.shift_start, stops))
}

fn points(kitchen: Point, stops: &[TimedStop]) -> Vec<Point> {
    std::iter::once(kitchen)
        .chain(stops.iter().map(|r| Point {
            lat: r.lat,
            lng: r.lng,
        }))
        .collect()
}

/// Writes a run's arrivals, lateness, legs and totals from its stops and travel table `m`
/// (no optimisation): the driver waits when early; an arrival after the window closes is late.
async fn write_times(
    tx: &mut db::WriteTx,
    config: &Config,
    s: &Settings,
    day: NaiveDate,
    run_id: i64,
    read: &(String, Vec<TimedStop>),
    m: &Matrix,
) -> Result<(), AppError> {
    let (shift_start, stops) = read;
    let mut clock_s = parse_clock(shift_start, "shift_start")?;
    let mut starts = Vec::with_capacity(stops.len());
    let mut late = Vec::with_capacity(stops.len());
    for (i, st) in stops.iter().enumerate() {
        let (ready, due) = window_seconds(st.window.0.as_deref(), st.window.1.as_deref())?;
        clock_s += m.seconds(i, i + 1);
        if let Some(r) = ready {
            clock_s = clock_s.max(r);
        }
        starts.push(clock_s);
        late.push(due.is_some_and(|d| clock_s > d));
        clock_s += s.service_s;
    }
    let nodes: Vec<usize> = (1..=stops.len()).collect();
    let t = timing(m, &nodes, &starts);
    let back = clock_s + m.seconds(stops.len(), 0);
    for (i, st) in stops.iter().enumerate() {
        let eta = at(config, day, starts[i]);
        let seq = i as i64 + 1;
        let (is_late, leg) = (late[i], t.legs[i]);
        sqlx::query!(
            "UPDATE run_stops SET seq = ?, eta = ?, late = ?, leg_m = ? WHERE run_id = ? AND order_id = ?",
            seq,
            eta,
            is_late,
            leg,
            run_id,
            st.order_id
        )
        .execute(&mut **tx)
        .await?;
    }
    let (depart, ret) = (at(config, day, t.depart), at(config, day, back));
    let duration = (back - t.depart).round() as i64;
    sqlx::query!(
        "UPDATE runs SET distance_m = ?, duration_s = ?, depart_at = ?, return_at = ?, version = version + 1,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
        t.metres,
        duration,
        depart,
        ret,
        run_id
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
