//! "Plan the fortnight": every order whose customer accepts a range of days gets its day, and
//! every day its routes, from one search (the periodic solver of crates/routing) within
//! served weekdays, district-day capacity, the kitchen's days, the vans, their shift and the
//! delivery windows. Shows km, hours and cost against serving every order on its booked day
//! (planned the same way), day by day; the owner accepts all or order by order, and can undo.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::money::format_cents;
use crate::ui::ErrorNotice;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Move {
    pub order_id: i64,
    pub number: i64,
    pub customer: String,
    pub district_id: i64,
    pub district: String,
    pub from_day: String,
    pub to_day: String,
    /// Why, in a few words: whom it joins on its new day.
    pub why: String,
}

/// One day of the horizon, as booked and as suggested.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayFigures {
    pub day: String,
    pub stops_before: usize,
    pub stops_after: usize,
    pub vans_before: usize,
    pub vans_after: usize,
    pub km_before: f64,
    pub km_after: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub moves: Vec<Move>,
    /// Deliveries considered, and how many accept a range of days.
    pub orders: usize,
    pub flexible: usize,
    pub days: usize,
    /// Driving over the horizon, as booked and as suggested (every day's routes planned).
    pub fixed_km: f64,
    pub suggested_km: f64,
    /// Hours at the wheel, as booked and as suggested.
    pub fixed_hours: f64,
    pub suggested_hours: f64,
    /// Kilometres and hours at the Settings rates.
    pub saved_cents: i64,
    pub per_day: Vec<DayFigures>,
    /// Stops no van can take on their day (windows, van capacity, the shift), as booked and as
    /// suggested; counted in the km as a trip out and back.
    pub unplaced_before: usize,
    pub unplaced_after: usize,
    pub currency: String,
}

/// A planning search in the background, as the page polls it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanStatus {
    pub running: bool,
    pub stopping: bool,
    pub percent: u8,
    /// Km of the best plan so far: the week as booked, then the joint plan.
    pub booked_km: Option<f64>,
    pub best_km: Option<f64>,
    pub result: Option<Suggestion>,
    pub error: Option<AppError>,
}

#[cfg(feature = "ssr")]
pub mod server {
    use std::collections::HashMap;
    use std::time::Duration;

    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    use chrono::{Datelike, NaiveDate};
    use hearth_routing::periodic::{Periodic, PeriodicProblem, PeriodicSolution};
    use hearth_routing::{Objective, Problem, Progress, SolveOptions, Vehicle};
    use sqlx::SqlitePool;

    use super::{DayFigures, Move, PlanStatus, Suggestion};
    use crate::error::AppError;
    use crate::orders::core::calendar::BookingRules;
    use crate::orders::core::capacity::{self, Booked, Line};
    use crate::runs::matrix::{DistanceMatrix, Matrix, Point};
    use crate::runs::model::{parse_clock, window_seconds};
    use crate::runs::plan::{settings, travel};
    use crate::server::config::Config;

    /// Days planned, from tomorrow: a fortnight.
    pub const HORIZON_DAYS: i64 = 14;
    /// How long the joint search runs (the week as booked gets a third of it).
    pub const SEARCH_SECONDS: f64 = 3.0;

    struct Row {
        id: i64,
        number: i64,
        customer: String,
        district_id: i64,
        district: String,
        day: NaiveDate,
        /// Days it may be delivered on (indices into the horizon), its booked day first.
        allowed: Vec<usize>,
        point: Point,
        ready: Option<f64>,
        due: Option<f64>,
        items: i64,
    }

    /// Whether the district is served on that weekday (bit 0 = Monday).
    fn serves(mask: i64, day: NaiveDate) -> bool {
        mask & (1 << day.weekday().num_days_from_monday()) != 0
    }

    /// The horizon's deliveries as the solver sees them: the kitchen is node 0 and row `i` is
    /// node `i + 1`; each row's calendars are single days (its booked day first); a district is
    /// a group whose room per day is its capacity less the stops booked there by orders not
    /// in the plan.
    struct Week {
        first: NaiveDate,
        rows: Vec<Row>,
        matrix: Matrix,
        problem: PeriodicProblem,
    }

    impl Week {
        /// The same week with every order kept on its booked day.
        fn as_booked(&self) -> PeriodicProblem {
            let mut p = self.problem.clone();
            for cals in p.calendars.iter_mut().skip(1) {
                cals.truncate(1);
            }
            p
        }

        /// Km, hours at the wheel, stops left out, and per day (stops, vans, km).
        fn measure(&self, s: &PeriodicSolution) -> (f64, f64, usize, Vec<(usize, usize, f64)>) {
            let m = &self.matrix;
            let (mut metres, mut seconds) = (0.0, 0.0);
            let mut per_day = vec![(0usize, 0usize, 0.0f64); s.days.len()];
            for (d, routes) in s.days.iter().enumerate() {
                for r in routes {
                    let mut at = 0;
                    let mut km = 0.0;
                    for &c in r.stops.iter().chain(std::iter::once(&0)) {
                        km += m.metres(at, c);
                        seconds += m.seconds(at, c);
                        at = c;
                    }
                    metres += km;
                    per_day[d].0 += r.stops.len();
                    per_day[d].1 += 1;
                    per_day[d].2 += km / 1000.0;
                }
            }
            // A stop no van could take still has to be driven: count it out and back.
            for &c in &s.unserved {
                metres += m.metres(0, c) + m.metres(c, 0);
                seconds += m.seconds(0, c) + m.seconds(c, 0);
                let booked = self.rows[c - 1].allowed[0];
                per_day[booked].0 += 1;
                per_day[booked].2 += (m.metres(0, c) + m.metres(c, 0)) / 1000.0;
            }
            (metres / 1000.0, seconds / 3600.0, s.unserved.len(), per_day)
        }
    }

    async fn load(pool: &SqlitePool, config: &Config) -> Result<Option<Week>, AppError> {
        let s = settings(pool).await?;
        let kitchen = s.kitchen.ok_or_else(|| {
            AppError::invalid("kitchen", "Set the kitchen's location in Settings first.")
        })?;
        let first = config.today() + chrono::Duration::days(1);
        let last = first + chrono::Duration::days(HORIZON_DAYS - 1);
        let (from, to) = (first.to_string(), last.to_string());
        // Orders on a published run, or already in the kitchen, keep their day.
        let raw = sqlx::query!(
            r#"SELECT o.id AS "id!", o.number, c.name, o.district_id AS "district_id!: i64", d.name AS district,
                      d.served_weekdays, d.capacity_per_day, o.fulfil_on, o.flex_from, o.flex_to,
                      o.lat AS "lat!: f64", o.lng AS "lng!: f64", o.window_from, o.window_to,
                      o.status IN ('received', 'confirmed')
                        AND NOT EXISTS (SELECT 1 FROM run_stops rs JOIN runs r ON r.id = rs.run_id
                                        WHERE rs.order_id = o.id AND r.status = 'published') AS "movable!: bool",
                      (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id) AS "items!: i64"
               FROM orders o JOIN customers c ON c.id = o.customer_id JOIN districts d ON d.id = o.district_id
               WHERE o.fulfilment = 'delivery' AND o.status NOT IN ('cancelled', 'delivered')
                 AND o.lat IS NOT NULL AND o.fulfil_on BETWEEN ? AND ?
               ORDER BY o.id"#,
            from,
            to
        )
        .fetch_all(pool)
        .await?;
        if raw.is_empty() {
            return Ok(None);
        }
        let mut lines: HashMap<i64, Vec<Line>> = HashMap::new();
        for l in sqlx::query!(
            r#"SELECT i.order_id, i.product_id, p.name, i.quantity, p.daily_capacity, p.offered_weekdays, p.lead_days
               FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id
               WHERE o.fulfilment = 'delivery' AND o.fulfil_on BETWEEN ? AND ?"#,
            from,
            to
        )
        .fetch_all(pool)
        .await?
        {
            lines.entry(l.order_id).or_default().push(Line {
                product_id: l.product_id,
                name: l.name,
                quantity: l.quantity,
                capacity: l.daily_capacity,
                offered: l.offered_weekdays,
                lead_days: l.lead_days,
            });
        }
        let mut conn = pool.acquire().await?;
        let rules = BookingRules::load(&mut conn).await?;
        let booked = Booked::load(&mut conn, first, last).await?;
        drop(conn);
        let days = HORIZON_DAYS as usize;
        let date = |k: usize| first + chrono::Duration::days(k as i64);
        let parse = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
        let mut rows = Vec::with_capacity(raw.len());
        let mut served: HashMap<i64, (i64, i64)> = HashMap::new();
        for r in raw {
            let Some(day) = parse(&r.fulfil_on) else {
                continue;
            };
            let current = (day - first).num_days() as usize;
            let window = window_seconds(r.window_from.as_deref(), r.window_to.as_deref())?;
            served.insert(r.district_id, (r.served_weekdays, r.capacity_per_day));
            let range = r
                .flex_from
                .as_deref()
                .and_then(parse)
                .zip(r.flex_to.as_deref().and_then(parse));
            let own = lines.get(&r.id).map(Vec::as_slice).unwrap_or_default();
            // The order core's own conditions for a day, as far as one order can tell: the
            // customer's range, the district served, the kitchen open and baking its
            // products, their units free. Stops per district-day are the solver's to keep.
            let mut allowed = vec![current];
            if let (Some((a, b)), true) = (range, r.movable) {
                allowed.extend((0..days).filter(|&k| {
                    let d = date(k);
                    k != current
                        && d >= a
                        && d <= b
                        && serves(r.served_weekdays, d)
                        && rules.kitchen_refusal(own, d).is_none()
                        && capacity::units_refusal(&booked, own, d).is_none()
                }));
            }
            rows.push(Row {
                id: r.id,
                number: r.number,
                customer: crate::orders::model::first_name(&r.name),
                district_id: r.district_id,
                district: r.district,
                day,
                allowed,
                point: Point {
                    lat: r.lat,
                    lng: r.lng,
                },
                ready: window.0,
                due: window.1,
                items: r.items,
            });
        }
        let mut points = vec![kitchen];
        points.extend(rows.iter().map(|r| r.point));
        let matrix = travel(config, &s)
            .table(&points)
            .await
            .map_err(|e| AppError::Conflict(format!("Travel times are unavailable: {e}")))?;
        // Room per district-day: its capacity less the stops there of orders not in the plan.
        let mut groups: HashMap<i64, usize> = HashMap::new();
        for r in &rows {
            let n = groups.len();
            groups.entry(r.district_id).or_insert(n);
        }
        let mut room = vec![vec![0i64; days]; groups.len()];
        for (&district, &g) in &groups {
            let (mask, cap) = served[&district];
            for (k, slot) in room[g].iter_mut().enumerate() {
                *slot = if serves(mask, date(k)) { cap } else { 0 };
            }
        }
        let used = sqlx::query!(
            r#"SELECT ref_id, day, used FROM capacity_used WHERE kind = 'stops' AND day BETWEEN ? AND ?"#,
            from,
            to
        )
        .fetch_all(pool)
        .await?;
        for u in used {
            if let (Some(&g), Some(d)) = (groups.get(&u.ref_id), parse(&u.day)) {
                room[g][(d - first).num_days() as usize] -= u.used;
            }
        }
        let mut mine = vec![vec![0i64; days]; groups.len()];
        for r in &rows {
            mine[groups[&r.district_id]][r.allowed[0]] += 1;
        }
        for (g, days) in room.iter_mut().enumerate() {
            for (k, slot) in days.iter_mut().enumerate() {
                // Never less than what is booked there now (an overbooked day stays possible).
                *slot = (*slot + mine[g][k]).max(mine[g][k]);
            }
        }
        let shift = (
            parse_clock(&s.shift_start, "shift_start")?,
            parse_clock(&s.shift_end, "shift_end")?,
        );
        let vans = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM users WHERE role = 'driver' AND active = 1"#
        )
        .fetch_one(pool)
        .await?
        .max(1) as usize;
        let node = |f: &dyn Fn(&Row) -> f64, depot: f64| -> Vec<f64> {
            std::iter::once(depot).chain(rows.iter().map(f)).collect()
        };
        let problem = PeriodicProblem {
            places: Problem {
                dist: matrix.metres.clone(),
                time: matrix.seconds.clone(),
                demand: std::iter::once(0)
                    .chain(rows.iter().map(|r| r.items))
                    .collect(),
                ready: node(&|r| r.ready.unwrap_or(shift.0), shift.0),
                due: node(&|r| r.due.unwrap_or(shift.1), shift.1),
                service: node(&|_| s.service_s, 0.0),
                vehicles: Vec::new(),
                objective: Objective::Distance,
                locked: vec![false; rows.len() + 1],
                initial: None,
            },
            days: vec![
                vec![
                    Vehicle {
                        capacity: s.van_capacity,
                        start: shift.0,
                        end: shift.1,
                    };
                    vans
                ];
                days
            ],
            calendars: std::iter::once(Vec::new())
                .chain(
                    rows.iter()
                        .map(|r| r.allowed.iter().map(|&k| 1u64 << k).collect()),
                )
                .collect(),
            initial: Some(
                std::iter::once(None)
                    .chain(rows.iter().map(|_| Some(0)))
                    .collect(),
            ),
            group: std::iter::once(None)
                .chain(rows.iter().map(|r| Some(groups[&r.district_id])))
                .collect(),
            room,
        };
        Ok(Some(Week {
            first,
            rows,
            matrix,
            problem,
        }))
    }

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
    /// planned first for a third of that time.
    pub async fn suggest(
        pool: &SqlitePool,
        config: &Config,
        seconds: f64,
        job: Option<Arc<Job>>,
    ) -> Result<Suggestion, AppError> {
        let s = settings(pool).await?;
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
        let week = std::sync::Arc::new(week);
        let w = week.clone();
        let (before, after) = tokio::task::spawn_blocking(move || {
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
            let before = solve(&w.as_booked(), first, stop, Some(&booked_progress))?;
            let joint_progress = report(first, false);
            let after = solve(&w.problem, seconds, stop, Some(&joint_progress))?;
            Ok::<_, AppError>((before, after))
        })
        .await
        .map_err(|e| AppError::internal("suggest", e))??;
        let (fixed_km, fixed_hours, unplaced_before, days_before) = week.measure(&before);
        let (mut km, mut hours, mut unplaced, mut days_after) = week.measure(&after);
        let mut chosen: Vec<usize> = week
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| match after.calendar[i + 1] {
                Some(k) => r.allowed[k],
                None => r.allowed[0],
            })
            .collect();
        // Never a plan that drives more or leaves more stops out than the booking.
        if unplaced > unplaced_before || km > fixed_km {
            (km, hours, unplaced, days_after) =
                (fixed_km, fixed_hours, unplaced_before, days_before.clone());
            chosen = week.rows.iter().map(|r| r.allowed[0]).collect();
        }
        let date = |k: usize| week.first + chrono::Duration::days(k as i64);
        let label = |d: NaiveDate| d.format("%a %-d %b").to_string();
        let moves: Vec<Move> = week
            .rows
            .iter()
            .enumerate()
            .filter(|(i, r)| chosen[*i] != r.allowed[0])
            .map(|(i, r)| {
                let to = chosen[i];
                let joins = week
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(j, o)| *j != i && chosen[*j] == to && o.district_id == r.district_id)
                    .count();
                let why = match joins {
                    0 => format!("On {}'s route through other districts", label(date(to))),
                    1 => format!(
                        "Joins 1 other stop in {} on {}",
                        r.district,
                        label(date(to))
                    ),
                    n => format!(
                        "Joins {n} other stops in {} on {}",
                        r.district,
                        label(date(to))
                    ),
                };
                Move {
                    order_id: r.id,
                    number: r.number,
                    customer: r.customer.clone(),
                    district_id: r.district_id,
                    district: r.district.clone(),
                    from_day: r.day.to_string(),
                    to_day: date(to).to_string(),
                    why,
                }
            })
            .collect();
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
        let saved = (fixed_km - km) * s.cost_per_km_cents as f64
            + (fixed_hours - hours) * s.driver_per_hour_cents as f64;
        let round = |x: f64| (x * 10.0).round() / 10.0;
        Ok(Suggestion {
            moves,
            orders: week.rows.len(),
            flexible: week.rows.iter().filter(|r| r.allowed.len() > 1).count(),
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
        static JOBS: std::sync::OnceLock<Mutex<HashMap<i64, Arc<Job>>>> =
            std::sync::OnceLock::new();
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
        tokio::spawn(async move {
            let result = suggest(&pool, &config, seconds, Some(job.clone())).await;
            job.state.lock().unwrap().result = Some(result);
        });
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
            let why = Some("suggested plan".to_string());
            let command = Command::ChangeDay {
                day,
                why,
                consented_only: true,
            };
            changes.push((*order_id, None, command));
        }
        Ok(core.apply_all(actor, changes).await?.len())
    }
}

/// Proposes day changes for flexible orders over the next week. Owner.
#[server(endpoint = "suggest_plan")]
pub async fn suggest_plan() -> Result<Suggestion, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
        server::suggest(
            &cx.state.pool,
            &cx.state.config,
            server::SEARCH_SECONDS,
            None,
        )
        .await
    })
    .await
}

/// Starts planning the fortnight in the background; `plan_progress` follows it. Owner.
#[server(endpoint = "start_plan")]
pub async fn start_plan() -> Result<(), AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        server::start(
            cx.state.pool.clone(),
            cx.state.config.clone(),
            me.id,
            server::SEARCH_SECONDS,
        );
        Ok(())
    })
    .await
}

/// How far the owner's planning has got, with the plan once it is done. Owner.
#[server(endpoint = "plan_progress")]
pub async fn plan_progress() -> Result<Option<PlanStatus>, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |_cx, me| async move {
        Ok(server::progress(me.id))
    })
    .await
}

/// Stops the owner's planning early: the best plan so far is shown. Owner.
#[server(endpoint = "stop_plan")]
pub async fn stop_plan() -> Result<bool, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |_cx, me| async move {
        Ok(server::stop(me.id))
    })
    .await
}

/// Accepts suggested moves (`order_ids[i]` to `days[i]`), all or nothing. Owner.
#[server(endpoint = "accept_suggestions")]
pub async fn accept_suggestions(
    #[server(default)] order_ids: Vec<i64>,
    #[server(default)] days: Vec<String>,
) -> Result<usize, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        if order_ids.is_empty() || order_ids.len() != days.len() {
            return Err(AppError::invalid("order_ids", "Give one day per order."));
        }
        let moves: Vec<(i64, String)> = order_ids.into_iter().zip(days).collect();
        let core = crate::orders::core::Core::of(&cx.state);
        let actor = crate::orders::core::Actor::user(me.id, &me.name);
        server::accept(&core, &actor, &moves).await
    })
    .await
}

/// The "Plan the fortnight" card of the planning page.
#[component]
pub fn SuggestCard() -> impl IntoView {
    let start = ServerAction::<StartPlan>::new();
    let poll = ServerAction::<PlanProgress>::new();
    let stop = ServerAction::<StopPlan>::new();
    let accept = ServerAction::<AcceptSuggestions>::new();
    // The search as last polled; polling runs while it does (and once on opening the page, so
    // a plan worked out before a reload is still there).
    let status = RwSignal::new(None::<PlanStatus>);
    let polling = RwSignal::new(true);
    // Orders moved from this card (and not moved back).
    let accepted = RwSignal::new(Vec::<i64>::new());
    Effect::new(move |_| {
        if let Some(Ok(found)) = poll.value().get() {
            let running = found.as_ref().is_some_and(|s| s.running);
            status.set(found);
            polling.set(running);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = start.value().get() {
            polling.set(true);
        }
    });
    #[cfg(feature = "hydrate")]
    {
        poll.dispatch(PlanProgress {});
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if polling.get_untracked() && !poll.pending().get_untracked() {
                    poll.dispatch(PlanProgress {});
                }
            },
            std::time::Duration::from_millis(300),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let running =
        move || status.with(|s| s.as_ref().is_some_and(|s| s.running)) || start.pending().get();
    let run = move |_| {
        accepted.set(Vec::new());
        status.set(None);
        start.dispatch(StartPlan {});
    };
    let label = |d: &str| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|x| x.format("%a %-d").to_string())
            .unwrap_or_else(|_| d.to_string())
    };
    // A move is shown done once the server said yes; a refusal puts the button back.
    let pending_ids = RwSignal::new(Vec::<i64>::new());
    Effect::new(move |_| {
        if let Some(r) = accept.value().get() {
            let ids = pending_ids.get_untracked();
            if r.is_err() {
                accepted.update(|a| a.retain(|x| !ids.contains(x)));
            }
        }
    });
    let send = move |ids: Vec<i64>, days: Vec<String>, moving: bool| {
        pending_ids.set(ids.clone());
        accepted.update(|a| {
            if moving {
                a.extend(
                    ids.iter()
                        .copied()
                        .filter(|i| !a.contains(i))
                        .collect::<Vec<_>>(),
                );
            } else {
                a.retain(|x| !ids.contains(x));
            }
        });
        accept.dispatch(AcceptSuggestions {
            order_ids: ids,
            days,
        });
    };
    view! {
        <section class="card suggest" data-testid="suggest">
            <h2>"Plan the fortnight"</h2>
            <p class="muted small">"Chooses the day of every order whose customer accepts a range of days, and every day's routes, together: within each district's served days and capacity, the kitchen's days, the vans, their shift and every delivery window. Orders already in the kitchen or on a published run keep their day."</p>
            <button class="btn btn-primary" on:click=run disabled=running>
                {move || if running() { "Working it out…" } else { "Plan the fortnight" }}
            </button>
            {move || status.get().filter(|s| s.running).map(|p| view! {
                <div class="plan-progress" data-testid="plan-progress">
                    <progress max="100" value=p.percent aria-label="Planning the fortnight">{format!("{}%", p.percent)}</progress>
                    <span class="small">{match (p.booked_km, p.best_km) {
                        (Some(b), Some(k)) => format!("As booked {b:.1} km · best plan so far {k:.1} km"),
                        (Some(b), None) => format!("Planning the days as booked: {b:.1} km"),
                        _ => "Reading the fortnight…".to_string(),
                    }}</span>
                    <button class="btn btn-small" on:click=move |_| { stop.dispatch(StopPlan {}); } disabled=p.stopping>
                        {if p.stopping { "Stopping…" } else { "Stop" }}
                    </button>
                </div>
            })}
            {move || start.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            {move || status.get().filter(|s| !s.running).and_then(|st| match (st.result, st.error) {
                (_, Some(error)) => Some(view! { <ErrorNotice error/> }.into_any()),
                (None, None) => None,
                (Some(s), None) => Some({
                    let saved_km = s.fixed_km - s.suggested_km;
                    let all_ids: Vec<i64> = s.moves.iter().map(|m| m.order_id).collect();
                    let all_days: Vec<String> = s.moves.iter().map(|m| m.to_day.clone()).collect();
                    let back_days: std::collections::HashMap<i64, String> =
                        s.moves.iter().map(|m| (m.order_id, m.from_day.clone())).collect();
                    let ids_for_all = all_ids.clone();
                    let accept_all = move |_| {
                        let todo: Vec<usize> = (0..ids_for_all.len())
                            .filter(|&i| !accepted.with(|a| a.contains(&ids_for_all[i])))
                            .collect();
                        send(
                            todo.iter().map(|&i| ids_for_all[i]).collect(),
                            todo.iter().map(|&i| all_days[i].clone()).collect(),
                            true,
                        );
                    };
                    let undo_all = move |_| {
                        let ids = accepted.get_untracked();
                        let days = ids.iter().map(|i| back_days[i].clone()).collect();
                        send(ids, days, false);
                    };
                    let rows = s.moves.iter().map(|m| {
                        let (id, day, back) = (m.order_id, m.to_day.clone(), m.from_day.clone());
                        let (to_attr, from_attr) = (day.clone(), back.clone());
                        view! {
                            <li class="move" data-order=id data-to=to_attr data-from=from_attr data-district=m.district_id>
                                <span><strong>{format!("#{}", m.number)}</strong>" "{m.customer.clone()}<small class="muted">{format!(" · {}", m.district)}</small>
                                    <br/><small class="muted">{m.why.clone()}</small></span>
                                <span class="move-days">{label(&m.from_day)}" → "<strong>{label(&m.to_day)}</strong></span>
                                {move || if accepted.with(|a| a.contains(&id)) {
                                    let back = back.clone();
                                    view! {
                                        <span class="pill pill-ok">"moved"</span>
                                        <button class="btn btn-small" on:click=move |_| send(vec![id], vec![back.clone()], false)>"Undo"</button>
                                    }.into_any()
                                } else {
                                    let day = day.clone();
                                    view! { <button class="btn btn-small" on:click=move |_| send(vec![id], vec![day.clone()], true)>"Accept"</button> }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view();
                    let days = s.per_day.iter().filter(|d| d.stops_before + d.stops_after > 0).map(|d| {
                        let changed = d.stops_before != d.stops_after || (d.km_before - d.km_after).abs() >= 0.05;
                        view! {
                            <tr class:changed=changed>
                                <th scope="row">{label(&d.day)}</th>
                                <td class="num">{d.stops_before}" → "{d.stops_after}</td>
                                <td class="num">{d.vans_before}" → "{d.vans_after}</td>
                                <td class="num">{format!("{:.1} → {:.1}", d.km_before, d.km_after)}</td>
                            </tr>
                        }
                    }).collect_view();
                    let none = s.moves.is_empty();
                    let unplaced = (s.unplaced_after > 0).then(|| view! {
                        <p class="notice small">{format!("{} stop(s) fit no van on their day (window, load or shift); counted as a trip out and back.", s.unplaced_after)}</p>
                    });
                    view! {
                        <p class="suggest-figures" data-testid="suggest-figures">
                            {format!("{} deliveries over {} days, {} flexible · as booked {:.1} km, {:.1} h → planned {:.1} km, {:.1} h", s.orders, s.days, s.flexible, s.fixed_km, s.fixed_hours, s.suggested_km, s.suggested_hours)}
                            {(saved_km > 0.0).then(|| view! { <span class="pill pill-ok">{format!("saves {:.1} km · {}", saved_km, format_cents(s.saved_cents, &s.currency))}</span> })}
                        </p>
                        {unplaced}
                        <details class="plan-days">
                            <summary>"Day by day"</summary>
                            <table class="table table-compact" data-testid="plan-days">
                                <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">"Stops"</th><th scope="col" class="num">"Vans"</th><th scope="col" class="num">"km"</th></tr></thead>
                                <tbody>{days}</tbody>
                            </table>
                        </details>
                        {if none {
                            view! { <p class="muted">"Every flexible order is already on its best day."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="moves">{rows}</ul>
                                <div class="actions">
                                    <button class="btn" on:click=accept_all>"Accept all"</button>
                                    {move || (!accepted.with(Vec::is_empty)).then(|| view! {
                                        <button class="btn" on:click=undo_all.clone()>"Undo accepted moves"</button>
                                    })}
                                </div>
                            }.into_any()
                        }}
                    }.into_any()
                }),
            })}
            {move || accept.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        </section>
    }
}
