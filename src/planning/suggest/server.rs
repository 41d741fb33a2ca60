//! The search behind "Plan the fortnight": the joint solve against the fortnight as booked,
//! the background jobs the page polls, and accepting moves through the order core.
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_routing::periodic::{Periodic, PeriodicProblem, PeriodicSolution};
use hearth_routing::{Progress, SolveOptions, Solver};
use sqlx::SqlitePool;

pub use super::week::HORIZON_DAYS;
use super::week::{load, Week};
use super::{DayFigures, Move, PlanStatus, Suggestion};
use crate::error::AppError;
use crate::server::config::Config;

/// How long the joint search runs (the fortnight as booked gets a third of it first).
pub const SEARCH_SECONDS: f64 = 3.0;
fn solve(
    p: &PeriodicProblem,
    seconds: f64,
    stop: Option<&AtomicBool>,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Result<PeriodicSolution, AppError> {
    let o = SolveOptions {
        time_limit: Duration::from_secs_f64(seconds),
        threads: 2,
        seed: 7,
        stop,
        progress,
    };
    Periodic::default()
        .solve(p, &o)
        .map_err(|e| AppError::internal("suggest", e))
}

/// Every flexible order's day and every day's routes, searched together for `seconds`
/// (or until `job` is stopped); against the same week with every order on its booked day,
/// planned first for a third of that time. The moves' reasons are in the reader's language.
pub async fn suggest(
    pool: &SqlitePool,
    config: &Config,
    seconds: f64,
    job: Option<Arc<Job>>,
) -> Result<Suggestion, AppError> {
    let Some(week) = load(pool, config).await? else {
        return Ok(Suggestion {
            moves: Vec::new(),
            orders: 0,
            flexible: 0,
            days: HORIZON_DAYS as usize,
            fixed_km: 0.0,
            suggested_km: 0.0,
            fixed_hours: 0.0,
            suggested_hours: 0.0,
            saved_cents: 0,
            per_day: Vec::new(),
            unplaced_before: 0,
            unplaced_after: 0,
            currency: config.currency(),
        });
    };
    let week = Arc::new(week);
    let (before, after) = search(week.clone(), seconds, job).await?;
    let before = week.measure(&before);
    let mut after_figures = week.measure(&after);
    let mut chosen: Vec<u64> = week
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| match after.calendar[i + 1] {
            Some(k) => r.allowed[k],
            None => r.allowed[0],
        })
        .collect();
    // Never a plan that drives more or leaves more stops out than the booking.
    if after_figures.2 > before.2 || after_figures.0 > before.0 {
        after_figures = before.clone();
        chosen = week.rows.iter().map(|r| r.allowed[0]).collect();
    }
    let (fixed_km, fixed_hours, unplaced_before, days_before) = before;
    let (km, hours, unplaced, days_after) = after_figures;
    let date = |k: usize| week.first + chrono::Duration::days(k as i64);
    let per_day = (0..HORIZON_DAYS as usize)
        .map(|k| DayFigures {
            day: date(k).to_string(),
            stops_before: days_before[k].0,
            stops_after: days_after[k].0,
            vans_before: days_before[k].1,
            vans_after: days_after[k].1,
            km_before: (days_before[k].2 * 10.0).round() / 10.0,
            km_after: (days_after[k].2 * 10.0).round() / 10.0,
        })
        .collect();
    let (per_km, per_hour) = week.rates;
    let saved = (fixed_km - km) * per_km as f64 + (fixed_hours - hours) * per_hour as f64;
    let round = |x: f64| (x * 10.0).round() / 10.0;
    Ok(Suggestion {
        moves: moves(&week, &chosen),
        orders: week.rows.iter().map(|r| r.visits.len()).sum(),
        flexible: week
            .rows
            .iter()
            .filter(|r| r.allowed.len() > 1)
            .map(|r| r.visits.len())
            .sum(),
        days: HORIZON_DAYS as usize,
        fixed_km: round(fixed_km),
        suggested_km: round(km),
        fixed_hours: round(fixed_hours),
        suggested_hours: round(hours),
        saved_cents: saved.round() as i64,
        per_day,
        unplaced_before,
        unplaced_after: unplaced,
        currency: config.currency(),
    })
}

/// The two searches, off the async threads: the week as booked for a third of the time, then
/// the joint one; each reports its progress to `job`.
async fn search(
    week: Arc<Week>,
    seconds: f64,
    job: Option<Arc<Job>>,
) -> Result<(PeriodicSolution, PeriodicSolution), AppError> {
    tokio::task::spawn_blocking(move || {
        let first = (seconds / 3.0).max(0.2);
        let stop = job.as_ref().map(|j| &j.stop);
        let report = |offset: f64, booked: bool| {
            let job = job.clone();
            move |p: Progress| {
                if let Some(j) = &job {
                    let mut state = j.state.lock().unwrap();
                    state.elapsed = offset + p.elapsed.as_secs_f64();
                    let km = p.distance / 1000.0;
                    if booked {
                        state.booked_km = Some(km);
                    } else {
                        state.best_km = Some(km);
                    }
                }
            }
        };
        let booked_progress = report(0.0, true);
        let before = solve(&week.as_booked(), first, stop, Some(&booked_progress))?;
        let joint_progress = report(first, false);
        let after = solve(&week.problem, seconds, stop, Some(&joint_progress))?;
        Ok::<_, AppError>((before, after))
    })
    .await
    .map_err(|e| AppError::internal("suggest", e))?
}

/// The orders whose day the plan changes (`chosen[i]`: row `i`'s days), each with why.
fn moves(week: &Week, chosen: &[u64]) -> Vec<Move> {
    let date = |k: usize| week.first + chrono::Duration::days(k as i64);
    let bits = |mask: u64| (0..HORIZON_DAYS as usize).filter(move |k| mask & (1 << k) != 0);
    let mut moves: Vec<Move> = Vec::new();
    for (i, r) in week.rows.iter().enumerate() {
        if chosen[i] == r.allowed[0] {
            continue;
        }
        // The week's visits keep their order: the first booked goes to the first new day.
        let mut visits = r.visits.clone();
        visits.sort_by_key(|v| v.2);
        let group = r
            .standing
            .filter(|_| visits.len() > 1)
            .map(|s| format!("S-{s}/{}", crate::standing::model::monday_of(visits[0].2)));
        for (&(order_id, number, from), to) in visits.iter().zip(bits(chosen[i])) {
            if date(to) == from {
                continue;
            }
            moves.push(Move {
                order_id,
                number,
                customer: r.customer.clone(),
                district_id: r.district_id,
                district: r.district.clone(),
                from_day: from.to_string(),
                to_day: date(to).to_string(),
                why: why(week, chosen, i, to),
                group: group.clone(),
            });
        }
    }
    moves
}

/// Why row `i` goes to the horizon's day `to`: the stops it joins there in its district (or
/// the route it rides along), and for a standing order the weekdays it takes this week.
fn why(week: &Week, chosen: &[u64], i: usize, to: usize) -> String {
    use chrono::Datelike;
    let r = &week.rows[i];
    let date = |k: usize| week.first + chrono::Duration::days(k as i64);
    let day = crate::i18n::reader().day(&date(to).to_string(), "date-short");
    let joins = week
        .rows
        .iter()
        .enumerate()
        .filter(|(j, o)| *j != i && chosen[*j] & (1 << to) != 0 && o.district_id == r.district_id)
        .count();
    let why = match joins {
        0 => crate::said::said_with("suggest-why-route", &[("day", &day)]),
        n => crate::said::said_count(
            "suggest-why-joins",
            n as i64,
            &[("district", &r.district), ("day", &day)],
        ),
    };
    let Some(s) = r.standing else {
        return why;
    };
    let weekdays = |mask: u64| {
        crate::said::pattern(
            (0..HORIZON_DAYS as usize)
                .filter(|k| mask & (1 << k) != 0)
                .fold(0u8, |p, k| {
                    p | 1 << date(k).weekday().num_days_from_monday()
                }),
        )
    };
    crate::said::said_with(
        "suggest-why-standing",
        &[
            (
                "order",
                &crate::said::said_with("standing-order", &[("id", &s)]),
            ),
            ("days", &weekdays(chosen[i])),
            ("booked", &weekdays(r.allowed[0])),
            ("why", &why),
        ],
    )
}

/// A planning search running for an owner: the page polls it, and may stop it (the best
/// plan so far is then shown).
pub struct Job {
    stop: AtomicBool,
    state: Mutex<JobState>,
    /// Seconds the whole search takes when not stopped.
    total: f64,
}

#[derive(Default)]
struct JobState {
    elapsed: f64,
    booked_km: Option<f64>,
    best_km: Option<f64>,
    result: Option<Result<Suggestion, AppError>>,
}

/// One search per owner account; a new one stops the previous.
fn jobs() -> &'static Mutex<HashMap<i64, Arc<Job>>> {
    static JOBS: std::sync::OnceLock<Mutex<HashMap<i64, Arc<Job>>>> = std::sync::OnceLock::new();
    JOBS.get_or_init(Default::default)
}

/// Starts planning in the background for `user`.
pub fn start(pool: SqlitePool, config: Arc<Config>, user: i64, seconds: f64) {
    let job = Arc::new(Job {
        stop: AtomicBool::new(false),
        state: Mutex::new(JobState::default()),
        total: seconds * 4.0 / 3.0,
    });
    if let Some(old) = jobs().lock().unwrap().insert(user, job.clone()) {
        old.stop.store(true, Ordering::Relaxed);
    }
    // The reasons are worded for the owner who asked.
    let lang = crate::i18n::reader();
    tokio::spawn(crate::i18n::reading(lang, async move {
        let result = suggest(&pool, &config, seconds, Some(job.clone())).await;
        job.state.lock().unwrap().result = Some(result);
    }));
}

/// Where `user`'s search is; None when none was started.
pub fn progress(user: i64) -> Option<PlanStatus> {
    let job = jobs().lock().unwrap().get(&user).cloned()?;
    let state = job.state.lock().unwrap();
    let (result, error) = match &state.result {
        Some(Ok(s)) => (Some(s.clone()), None),
        Some(Err(e)) => (None, Some(e.clone())),
        None => (None, None),
    };
    let done = state.result.is_some();
    Some(PlanStatus {
        running: !done,
        stopping: job.stop.load(Ordering::Relaxed) && !done,
        percent: if done {
            100
        } else {
            ((state.elapsed / job.total) * 100.0).clamp(0.0, 99.0) as u8
        },
        booked_km: state.booked_km.map(|k| (k * 10.0).round() / 10.0),
        best_km: state.best_km.map(|k| (k * 10.0).round() / 10.0),
        result,
        error,
    })
}

/// Stops `user`'s search; the best plan found so far becomes the suggestion.
pub fn stop(user: i64) -> bool {
    match jobs().lock().unwrap().get(&user) {
        Some(job) => {
            job.stop.store(true, Ordering::Relaxed);
            true
        }
        None => false,
    }
}

/// Moves the orders to the suggested days through the order core, all or nothing: the
/// same rule as any other day change (before baking, within the customer's range, the
/// district served with a stop left, the products' units free).
pub async fn accept(
    core: &crate::orders::core::Core,
    actor: &crate::orders::core::Actor,
    moves: &[(i64, String)],
) -> Result<usize, AppError> {
    use crate::orders::core::Command;
    let mut changes = Vec::with_capacity(moves.len());
    for (order_id, to) in moves {
        let day = crate::orders::model::parse_day(to, "days")?;
        let why = Some(crate::orders::history::make::SUGGESTED.to_string());
        let command = Command::ChangeDay {
            day,
            why,
            consented_only: true,
        };
        changes.push((*order_id, None, command));
    }
    Ok(core.apply_all(actor, changes).await?.len())
}
