//! "Suggest a plan": move orders whose customers accept a range of days to the days where
//! they add the least driving, within district capacity and served weekdays. Shows km and
//! cost saved against serving every order on its booked day (both measured with the route
//! solver, per day); the owner accepts all or order by order.
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
    pub district: String,
    pub from_day: String,
    pub to_day: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub moves: Vec<Move>,
    /// Deliveries considered, and how many accept a range of days.
    pub orders: usize,
    pub flexible: usize,
    pub days: usize,
    /// Driving over the horizon, as booked and as suggested (route solver, per day).
    pub fixed_km: f64,
    pub suggested_km: f64,
    pub saved_cents: i64,
    pub currency: String,
}

#[cfg(feature = "ssr")]
pub mod server {
    use std::collections::HashMap;
    use std::time::Duration;

    use chrono::{Datelike, NaiveDate};
    use hearth_routing::days::{assign, DayOrder};
    use hearth_routing::{Objective, Problem, Sisr, SolveOptions, Solver, Vehicle};
    use sqlx::SqlitePool;

    use super::{Move, Suggestion};
    use crate::error::AppError;
    use crate::runs::matrix::{DistanceMatrix, Point};
    use crate::runs::model::{parse_clock, window_seconds};
    use crate::runs::plan::{settings, travel};
    use crate::server::config::Config;

    pub const HORIZON_DAYS: i64 = 7;

    struct Row {
        id: i64,
        number: i64,
        customer: String,
        district_id: i64,
        district: String,
        served: i64,
        capacity: i64,
        day: NaiveDate,
        flex: Option<(NaiveDate, NaiveDate)>,
        point: Point,
        ready: Option<f64>,
        due: Option<f64>,
        items: i64,
    }

    /// Whether the district is served on that weekday (bit 0 = Monday).
    fn serves(mask: i64, day: NaiveDate) -> bool {
        mask & (1 << day.weekday().num_days_from_monday()) != 0
    }

    /// Total km of serving `days` (lists of row indices), each day planned by the solver, and
    /// per day how many stops no van could take (windows, van capacity, shift).
    #[allow(clippy::too_many_arguments)]
    fn solve_days(
        rows: &[Row],
        m: &crate::runs::matrix::Matrix,
        days: &[Vec<usize>],
        vans: usize,
        capacity: i64,
        shift: (f64, f64),
        service: f64,
        seconds: f64,
    ) -> (f64, Vec<usize>) {
        let mut metres = 0.0;
        let mut unserved = vec![0; days.len()];
        for (k, day) in days.iter().enumerate() {
            if day.is_empty() {
                continue;
            }
            let nodes: Vec<usize> = std::iter::once(0)
                .chain(day.iter().map(|&r| r + 1))
                .collect();
            let n = nodes.len();
            let mut dist = vec![0.0; n * n];
            let mut time = vec![0.0; n * n];
            for (i, &a) in nodes.iter().enumerate() {
                for (j, &b) in nodes.iter().enumerate() {
                    dist[i * n + j] = m.metres(a, b);
                    time[i * n + j] = m.seconds(a, b);
                }
            }
            let pick = |f: &dyn Fn(&Row) -> f64, depot: f64| -> Vec<f64> {
                std::iter::once(depot)
                    .chain(day.iter().map(|&r| f(&rows[r])))
                    .collect()
            };
            let p = Problem {
                dist,
                time,
                demand: std::iter::once(0)
                    .chain(day.iter().map(|&r| rows[r].items))
                    .collect(),
                ready: pick(&|r| r.ready.unwrap_or(shift.0), shift.0),
                due: pick(&|r| r.due.unwrap_or(shift.1), shift.1),
                service: pick(&|_| service, 0.0),
                vehicles: vec![
                    Vehicle {
                        capacity,
                        start: shift.0,
                        end: shift.1
                    };
                    vans
                ],
                objective: Objective::VehiclesThenDistance,
                locked: vec![false; n],
                initial: None,
            };
            let o = SolveOptions {
                time_limit: Duration::from_secs_f64(seconds),
                threads: 1,
                seed: 7,
                ..Default::default()
            };
            if let Ok(s) = Sisr::default().solve(&p, &o) {
                metres += s.distance;
                // A stop no van could take still has to be driven: count it out and back.
                metres += s
                    .unserved
                    .iter()
                    .map(|(c, _)| p.d(0, *c) + p.d(*c, 0))
                    .sum::<f64>();
                unserved[k] = s.unserved.len();
            }
        }
        (metres / 1000.0, unserved)
    }

    pub async fn suggest(pool: &SqlitePool, config: &Config) -> Result<Suggestion, AppError> {
        let s = settings(pool).await?;
        let kitchen = s.kitchen.ok_or_else(|| {
            AppError::invalid("kitchen", "Set the kitchen's location in Settings first.")
        })?;
        let first = config.today() + chrono::Duration::days(1);
        let last = first + chrono::Duration::days(HORIZON_DAYS - 1);
        let (from, to) = (first.to_string(), last.to_string());
        let raw = sqlx::query!(
            r#"SELECT o.id AS "id!", o.number, c.name, o.district_id AS "district_id!: i64", d.name AS district,
                      d.served_weekdays, d.capacity_per_day, o.fulfil_on, o.flex_from, o.flex_to,
                      o.lat AS "lat!: f64", o.lng AS "lng!: f64", o.window_from, o.window_to,
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
        let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
        let mut rows = Vec::with_capacity(raw.len());
        for r in raw {
            let Some(d) = day(&r.fulfil_on) else { continue };
            let window = window_seconds(r.window_from.as_deref(), r.window_to.as_deref())?;
            rows.push(Row {
                id: r.id,
                number: r.number,
                customer: crate::orders::model::first_name(&r.name),
                district_id: r.district_id,
                district: r.district,
                served: r.served_weekdays,
                capacity: r.capacity_per_day,
                day: d,
                flex: r
                    .flex_from
                    .as_deref()
                    .and_then(day)
                    .zip(r.flex_to.as_deref().and_then(day)),
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
        let m = travel(config, &s)
            .table(&points)
            .await
            .map_err(|e| AppError::Conflict(format!("Travel times are unavailable: {e}")))?;
        let days = HORIZON_DAYS as usize;
        let index = |d: NaiveDate| (d - first).num_days() as usize;
        let mut groups: HashMap<i64, usize> = HashMap::new();
        for r in &rows {
            let n = groups.len();
            groups.entry(r.district_id).or_insert(n);
        }
        // Room per district-day: its capacity less what is booked there now (all orders).
        let mut room = vec![vec![0i64; days]; groups.len()];
        for r in &rows {
            room[groups[&r.district_id]] = vec![r.capacity; days];
        }
        let used = sqlx::query!(
            r#"SELECT ref_id, day, used FROM capacity_used WHERE kind = 'stops' AND day BETWEEN ? AND ?"#,
            from,
            to
        )
        .fetch_all(pool)
        .await?;
        for u in used {
            if let (Some(&g), Some(d)) = (groups.get(&u.ref_id), day(&u.day)) {
                room[g][index(d)] -= u.used;
            }
        }
        let orders: Vec<DayOrder> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let current = index(r.day);
                let allowed = match r.flex {
                    Some((a, b)) => (0..days)
                        .filter(|&k| {
                            let d = first + chrono::Duration::days(k as i64);
                            k != current && d >= a && d <= b && serves(r.served, d)
                        })
                        .chain(std::iter::once(current))
                        .collect(),
                    None => vec![current],
                };
                DayOrder {
                    node: i + 1,
                    group: groups[&r.district_id],
                    current,
                    allowed,
                }
            })
            .collect();
        let flexible = orders.iter().filter(|o| o.allowed.len() > 1).count();
        let matrix = m.clone();
        let chosen = tokio::task::spawn_blocking(move || {
            let d = |a: usize, b: usize| matrix.metres(a, b);
            assign(&d, &orders, days, &room)
        })
        .await
        .map_err(|e| AppError::internal("suggest", e))?;
        let by_day = |pick: &dyn Fn(usize) -> usize| {
            let mut v = vec![Vec::new(); days];
            for i in 0..rows.len() {
                v[pick(i)].push(i);
            }
            v
        };
        let mut chosen = chosen;
        let fixed_days = by_day(&|i| index(rows[i].day));
        let vans = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM users WHERE role = 'driver' AND active = 1"#
        )
        .fetch_one(pool)
        .await?
        .max(1) as usize;
        let shift = (
            parse_clock(&s.shift_start, "shift_start")?,
            parse_clock(&s.shift_end, "shift_end")?,
        );
        let (capacity, service) = (s.van_capacity, s.service_s);
        // The day choice sees one tour per day; the solver sees the vans, their capacity, the
        // shift and every customer's window. A day where the suggestion leaves more stops
        // unserved than the booking did gets its incoming moves undone, until none does.
        let rows = std::sync::Arc::new(rows);
        let (r2, m2, fixed2) = (rows.clone(), m.clone(), fixed_days.clone());
        let (fixed_km, fixed_unserved) = tokio::task::spawn_blocking(move || {
            solve_days(&r2, &m2, &fixed2, vans, capacity, shift, service, 0.15)
        })
        .await
        .map_err(|e| AppError::internal("suggest", e))?;
        let mut suggested_km = fixed_km;
        for attempt in 0..4 {
            let mut new_days = vec![Vec::new(); days];
            for (i, &d) in chosen.iter().enumerate() {
                new_days[d].push(i);
            }
            let (r2, m2) = (rows.clone(), m.clone());
            let (km, unserved) = tokio::task::spawn_blocking(move || {
                solve_days(&r2, &m2, &new_days, vans, capacity, shift, service, 0.15)
            })
            .await
            .map_err(|e| AppError::internal("suggest", e))?;
            suggested_km = km;
            let worse: Vec<usize> = (0..days)
                .filter(|&d| unserved[d] > fixed_unserved[d])
                .collect();
            if worse.is_empty() {
                break;
            }
            if attempt == 3 {
                // Still not settled: suggest nothing rather than a plan the vans can't drive.
                for (i, c) in chosen.iter_mut().enumerate() {
                    *c = index(rows[i].day);
                }
                break;
            }
            for (i, c) in chosen.iter_mut().enumerate() {
                if worse.contains(c) && *c != index(rows[i].day) {
                    *c = index(rows[i].day);
                }
            }
        }
        if chosen
            .iter()
            .enumerate()
            .all(|(i, &c)| c == index(rows[i].day))
        {
            suggested_km = fixed_km;
        }
        let moves: Vec<Move> = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| chosen[*i] != index(r.day))
            .map(|(i, r)| Move {
                order_id: r.id,
                number: r.number,
                customer: r.customer.clone(),
                district: r.district.clone(),
                from_day: r.day.to_string(),
                to_day: (first + chrono::Duration::days(chosen[i] as i64)).to_string(),
            })
            .collect();
        let n = rows.len();
        let saved_km = fixed_km - suggested_km;
        let saved = saved_km * s.cost_per_km_cents as f64
            + saved_km / s.speed_kmh * s.driver_per_hour_cents as f64;
        Ok(Suggestion {
            moves,
            orders: n,
            flexible,
            days,
            fixed_km: (fixed_km * 10.0).round() / 10.0,
            suggested_km: (suggested_km * 10.0).round() / 10.0,
            saved_cents: saved.round() as i64,
            currency: config.currency(),
        })
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
        server::suggest(&cx.state.pool, &cx.state.config).await
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

/// The "Suggest a plan" card of the planning page.
#[component]
pub fn SuggestCard() -> impl IntoView {
    let suggest = ServerAction::<SuggestPlan>::new();
    let accept = ServerAction::<AcceptSuggestions>::new();
    let accepted = RwSignal::new(Vec::<i64>::new());
    let run = move |_| {
        accepted.set(Vec::new());
        suggest.dispatch(SuggestPlan {});
    };
    let label = |d: &str| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|x| x.format("%a %-d").to_string())
            .unwrap_or_else(|_| d.to_string())
    };
    view! {
        <section class="card suggest" data-testid="suggest">
            <h2>"Suggest a plan"</h2>
            <p class="muted small">"Moves orders whose customers accept a range of days to the days where they add the least driving, within each district's served days and capacity."</p>
            <button class="btn btn-primary" on:click=run disabled=move || suggest.pending().get()>
                {move || if suggest.pending().get() { "Working it out…" } else { "Suggest a plan" }}
            </button>
            {move || suggest.value().get().map(|r| match r {
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                Ok(s) => {
                    let saved_km = s.fixed_km - s.suggested_km;
                    let all_ids: Vec<i64> = s.moves.iter().map(|m| m.order_id).collect();
                    let all_days: Vec<String> = s.moves.iter().map(|m| m.to_day.clone()).collect();
                    let accept_all = move |_| {
                        accepted.set(all_ids.clone());
                        accept.dispatch(AcceptSuggestions { order_ids: all_ids.clone(), days: all_days.clone() });
                    };
                    let rows = s.moves.iter().map(|m| {
                        let (id, day) = (m.order_id, m.to_day.clone());
                        view! {
                            <li class="move">
                                <span><strong>{format!("#{}", m.number)}</strong>" "{m.customer.clone()}<small class="muted">{format!(" · {}", m.district)}</small></span>
                                <span class="move-days">{label(&m.from_day)}" → "<strong>{label(&m.to_day)}</strong></span>
                                {move || if accepted.with(|a| a.contains(&id)) {
                                    view! { <span class="pill pill-ok">"moved"</span> }.into_any()
                                } else {
                                    let day = day.clone();
                                    view! { <button class="btn btn-small" on:click=move |_| {
                                        accepted.update(|a| a.push(id));
                                        accept.dispatch(AcceptSuggestions { order_ids: vec![id], days: vec![day.clone()] });
                                    }>"Accept"</button> }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view();
                    let none = s.moves.is_empty();
                    view! {
                        <p class="suggest-figures" data-testid="suggest-figures">
                            {format!("{} deliveries over {} days, {} flexible · as booked {:.1} km → suggested {:.1} km", s.orders, s.days, s.flexible, s.fixed_km, s.suggested_km)}
                            {(saved_km > 0.0).then(|| view! { <span class="pill pill-ok">{format!("saves {:.1} km · {}", saved_km, format_cents(s.saved_cents, &s.currency))}</span> })}
                        </p>
                        {if none {
                            view! { <p class="muted">"Every flexible order is already on its best day."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="moves">{rows}</ul>
                                <button class="btn" on:click=accept_all>"Accept all"</button>
                            }.into_any()
                        }}
                    }.into_any()
                }
            })}
            {move || accept.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        </section>
    }
}
