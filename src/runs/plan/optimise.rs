//! `optimise`: plan a day's deliveries onto the chosen drivers' runs with the route solver, in
//! four steps — read the day (what is under way stays), build the solver's problem, solve off
//! the async threads, store the runs in one write.
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use hearth_routing::{Objective, Problem, Sisr, Solution, SolveOptions, Solver, Vehicle};
use sqlx::SqlitePool;

use super::super::matrix::Matrix;
use super::super::model::{parse_clock, Optimised};
use super::day::{read_day, Day};
use super::{at, settings, timing, travel_table, Settings};
use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db;

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
    let plan = read_day(pool, &s, day, drivers).await?;
    let mut points = vec![kitchen];
    points.extend(plan.orders.iter().map(|o| o.point));
    let matrix = travel_table(config, &s, &points).await?;
    let problem = problem(&plan, &s, &matrix)?;
    let seconds = search.as_ref().map_or(config.plan_seconds, |s| s.seconds);
    let solution = solve(problem, seconds, search).await?;
    let (planned, republished) = store(pool, config, day, &plan, &matrix, &solution).await?;
    Ok(Optimised {
        runs: solution.routes.len(),
        planned,
        unplanned: solution.unserved.len(),
        distance_km: (solution.distance / 100.0).round() / 10.0,
        millis: started.elapsed().as_millis() as u64,
        kept: plan.kept,
        republished,
    })
}

/// The solver's problem for the day: node 0 is the kitchen, node i the i-th delivery; each van
/// keeps to its own shift and starts from its current run (locked stops stay put).
fn problem(plan: &Day, s: &Settings, matrix: &Matrix) -> Result<Problem, AppError> {
    let mut shifts = Vec::with_capacity(plan.vans.len());
    for v in &plan.vans {
        shifts.push((
            parse_clock(&v.shift_start, "shift_start")?,
            parse_clock(&v.shift_end, "shift_end")?,
        ));
    }
    // The kitchen is open, and customers without a window can be served, from the earliest
    // shift's start to the latest shift's end; each van keeps to its own shift.
    let start = shifts.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
    let end = shifts.iter().map(|s| s.1).fold(0.0, f64::max);
    let orders = &plan.orders;
    let n = orders.len() + 1;
    let node_of = |order_id: i64| orders.iter().position(|o| o.id == order_id).map(|i| i + 1);
    let mut locked = vec![false; n];
    let mut initial = vec![Vec::new(); plan.drivers.len()];
    for c in &plan.current {
        if let (Some(v), Some(node)) = (
            plan.drivers.iter().position(|&d| d == c.driver_id),
            node_of(c.order_id),
        ) {
            initial[v].push(node);
            locked[node] = c.locked;
        }
    }
    Ok(Problem {
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
        vehicles: plan
            .vans
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
    })
}

/// Runs the solver for `seconds` on a blocking thread, reporting progress to `search`.
async fn solve(
    problem: Problem,
    seconds: f64,
    search: Option<Search>,
) -> Result<Solution, AppError> {
    tokio::task::spawn_blocking(move || {
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
    .map_err(|e| AppError::internal("solver", e))
}

/// Replaces the day's runs (all but those under way) with `solution`, in one write; returns
/// the stops planned and whether the day was already published (then so is the new plan).
async fn store(
    pool: &SqlitePool,
    config: &Config,
    day: NaiveDate,
    plan: &Day,
    matrix: &Matrix,
    solution: &Solution,
) -> Result<(usize, bool), AppError> {
    let key = day.to_string();
    let (under_way, current, orders) = (&plan.under_way, &plan.current, &plan.orders);
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
    clear_day(&mut tx, &key, under_way).await?;
    let mut planned = 0;
    for route in &solution.routes {
        let driver = plan.drivers[route.vehicle];
        let van = &plan.vans[route.vehicle];
        let stops: Vec<usize> = route.stops.clone();
        let timing = timing(matrix, &stops, &route.starts);
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
    exclude(&mut tx, &key, orders, &solution.unserved).await?;
    tx.commit().await?;
    Ok((planned, republish))
}

/// Writes why each order the solver left out of every run was left out: a code, worded when
/// read (`runs::read::unplanned_reason`) in the reader's language.
async fn exclude(
    tx: &mut sqlx::SqliteConnection,
    key: &str,
    orders: &[super::day::Delivery],
    unserved: &[(usize, hearth_routing::Unserved)],
) -> Result<(), AppError> {
    for &(node, why) in unserved {
        let order_id = orders[node - 1].id;
        let reason = match why {
            hearth_routing::Unserved::TooLarge => "too_large",
            hearth_routing::Unserved::Unreachable => "unreachable",
            hearth_routing::Unserved::NoRoom => "no_room",
        };
        sqlx::query!(
            "INSERT INTO run_exclusions (day, order_id, reason) VALUES (?, ?, ?)",
            key,
            order_id,
            reason
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Deletes day `key`'s runs but those `under_way`, and its exclusions: refused when a run
/// meanwhile has a stop reported or its cash handed over (checked inside the write).
async fn clear_day(
    tx: &mut sqlx::SqliteConnection,
    key: &str,
    under_way: &[super::day::UnderWay],
) -> Result<(), AppError> {
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
    Ok(())
}

/// After a published day was re-planned: open trackers and boards fetch the new arrival
/// times (the drivers' phones read their run afresh on their next load or sync).
pub async fn announce_republished(
    pool: &SqlitePool,
    events: &tokio::sync::broadcast::Sender<crate::orders::model::OrderChange>,
    day: NaiveDate,
    by: &str,
) {
    match super::super::read::day_changes(pool, day, by).await {
        Ok(changes) => {
            for change in changes {
                let _ = events.send(change);
            }
        }
        Err(e) => tracing::warn!(error = %e, "re-planned runs not announced"),
    }
}
