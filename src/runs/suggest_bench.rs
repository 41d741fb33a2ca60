//! `hearth suggest-bench`: choosing delivery days on generated weeks (orders in a square around
//! the kitchen, four districts each served on three of every five days), three ways in one run,
//! every plan checked by one independent audit.
use std::time::{Duration, Instant};

use hearth_routing::{Problem, Sisr, SolveOptions, Solver};
use serde_json::json;

/// A generated week for `hearth suggest-bench`: orders in a square around the kitchen, four
/// districts (the quadrants) each served on three of every five days with room for a number of
/// stops a day, some orders with a two-hour window, vans with a shift and a load limit.
struct GenWeek {
    days: usize,
    vans: usize,
    orders: Vec<GenOrder>,
    points: Vec<(f64, f64)>,
    room: i64,
}

struct GenOrder {
    district: usize,
    booked: usize,
    /// Days it may be delivered on, booked first.
    allowed: Vec<usize>,
    items: i64,
    window: Option<(f64, f64)>,
}

const SHIFT: (f64, f64) = (9.0 * 3600.0, 17.0 * 3600.0);
const SERVICE_S: f64 = 180.0;
const VAN_ITEMS: i64 = 40;

impl GenWeek {
    fn served(g: usize, k: usize) -> bool {
        !matches!((k + g) % 5, 1 | 3)
    }

    fn new(seed: u64, n: usize, days: usize, vans: usize, share: f64, room: i64) -> GenWeek {
        let mut rng = fastrand_like(seed);
        let mut rnd = move || rng();
        let mut points = vec![(0.0f64, 0.0f64)];
        let mut orders = Vec::with_capacity(n);
        let mut booked = vec![vec![0i64; days]; 4];
        while orders.len() < n {
            let p = (rnd() * 12_000.0 - 6_000.0, rnd() * 12_000.0 - 6_000.0);
            let g = usize::from(p.0 >= 0.0) + 2 * usize::from(p.1 >= 0.0);
            let open: Vec<usize> = (0..days)
                .filter(|&k| Self::served(g, k) && booked[g][k] < room)
                .collect();
            if open.is_empty() {
                continue;
            }
            let current = open[(rnd() * open.len() as f64) as usize];
            booked[g][current] += 1;
            let mut allowed = vec![current];
            if rnd() < share {
                let lo = current.saturating_sub(1 + (rnd() * 2.0) as usize);
                let hi = (current + 1 + (rnd() * 2.0) as usize).min(days - 1);
                allowed.extend((lo..=hi).filter(|&k| k != current && Self::served(g, k)));
            }
            let window = (rnd() < 0.4).then(|| {
                let from = SHIFT.0 + (rnd() * 6.0).floor() * 3600.0;
                (from, from + 2.0 * 3600.0)
            });
            orders.push(GenOrder {
                district: g,
                booked: current,
                allowed,
                items: 1 + (rnd() * 3.0) as i64,
                window,
            });
            points.push(p);
        }
        GenWeek {
            days,
            vans,
            orders,
            points,
            room,
        }
    }

    /// Road metres (straight line × 1.3) and seconds at 25 km/h.
    fn metres(&self, a: usize, b: usize) -> f64 {
        let (p, q) = (self.points[a], self.points[b]);
        ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt() * 1.3
    }

    fn seconds(&self, a: usize, b: usize) -> f64 {
        self.metres(a, b) / (25_000.0 / 3600.0)
    }

    fn places(&self, nodes: &[usize]) -> Problem {
        use hearth_routing::Objective;
        let n = nodes.len();
        let mut dist = vec![0.0; n * n];
        let mut time = vec![0.0; n * n];
        for (i, &a) in nodes.iter().enumerate() {
            for (j, &b) in nodes.iter().enumerate() {
                dist[i * n + j] = self.metres(a, b);
                time[i * n + j] = self.seconds(a, b);
            }
        }
        let o = |c: usize| &self.orders[c - 1];
        Problem {
            dist,
            time,
            demand: nodes
                .iter()
                .map(|&c| if c == 0 { 0 } else { o(c).items })
                .collect(),
            ready: nodes
                .iter()
                .map(|&c| {
                    if c == 0 {
                        SHIFT.0
                    } else {
                        o(c).window.map_or(SHIFT.0, |w| w.0)
                    }
                })
                .collect(),
            due: nodes
                .iter()
                .map(|&c| {
                    if c == 0 {
                        SHIFT.1
                    } else {
                        o(c).window.map_or(SHIFT.1, |w| w.1)
                    }
                })
                .collect(),
            service: nodes
                .iter()
                .map(|&c| if c == 0 { 0.0 } else { SERVICE_S })
                .collect(),
            vehicles: vec![self.van(); self.vans],
            objective: Objective::Distance,
            locked: vec![false; n],
            initial: None,
        }
    }

    fn van(&self) -> hearth_routing::Vehicle {
        hearth_routing::Vehicle {
            capacity: VAN_ITEMS,
            start: SHIFT.0,
            end: SHIFT.1,
        }
    }

    /// Each day planned on its own by the route solver: routes per day (by order node), and
    /// stops no van could take.
    fn plan_days(&self, day_of: &[usize], seconds: f64, seed: u64) -> Vec<Vec<Vec<usize>>> {
        (0..self.days)
            .map(|day| {
                let nodes: Vec<usize> = std::iter::once(0)
                    .chain((1..=self.orders.len()).filter(|&c| day_of[c - 1] == day))
                    .collect();
                if nodes.len() == 1 {
                    return Vec::new();
                }
                let mut p = self.places(&nodes);
                p.objective = hearth_routing::Objective::VehiclesThenDistance;
                let o = SolveOptions {
                    time_limit: Duration::from_secs_f64(seconds),
                    threads: 2,
                    seed,
                    ..Default::default()
                };
                let s = Sisr::default().solve(&p, &o).expect("a valid day");
                let mut routes: Vec<Vec<usize>> = s
                    .routes
                    .iter()
                    .map(|r| r.stops.iter().map(|&c| nodes[c]).collect())
                    .collect();
                // Left out: still to be driven, each as its own trip (a rule broken).
                routes.extend(s.unserved.iter().map(|(c, _)| vec![nodes[*c]]));
                routes
            })
            .collect()
    }

    /// Km of a plan and the rules it breaks, checked here from the routes alone: each order
    /// once, on an allowed day, its district served that day and within room, at most `vans`
    /// routes a day, each within load, windows and shift (own clock).
    fn audit(&self, plan: &[Vec<Vec<usize>>]) -> (f64, usize) {
        let mut seen = vec![0; self.orders.len() + 1];
        let mut broken = 0;
        let mut metres = 0.0;
        let mut stops = vec![vec![0i64; self.days]; 4];
        for (day, routes) in plan.iter().enumerate() {
            broken += routes.len().saturating_sub(self.vans);
            for r in routes {
                let (mut at, mut clock, mut load) = (0usize, SHIFT.0, 0i64);
                let mut ok = true;
                for &c in r {
                    let o = &self.orders[c - 1];
                    seen[c] += 1;
                    stops[o.district][day] += 1;
                    broken += usize::from(!o.allowed.contains(&day));
                    metres += self.metres(at, c);
                    clock += self.seconds(at, c);
                    if let Some((a, b)) = o.window {
                        clock = clock.max(a);
                        ok &= clock <= b + 1e-6;
                    }
                    clock += SERVICE_S;
                    load += o.items;
                    at = c;
                }
                metres += self.metres(at, 0);
                clock += self.seconds(at, 0);
                ok &= load <= VAN_ITEMS && clock <= SHIFT.1 + 1e-6;
                broken += usize::from(!ok);
            }
        }
        broken += seen.iter().skip(1).filter(|&&k| k != 1).count();
        for (g, days) in stops.iter().enumerate() {
            for (k, &n) in days.iter().enumerate() {
                broken += usize::from(n > self.room || (n > 0 && !Self::served(g, k)));
            }
        }
        (metres / 1000.0, broken)
    }
}

/// The former suggestion's days: one tour per day, room as free stops per district-day.
fn former_days(week: &GenWeek, days: usize, room: i64) -> Vec<usize> {
    use hearth_routing::days::{assign, DayOrder};
    let mut free = vec![vec![room; days]; 4];
    for o in &week.orders {
        free[o.district][o.booked] -= 1;
    }
    for (g, f) in free.iter_mut().enumerate() {
        for (k, slot) in f.iter_mut().enumerate() {
            if !GenWeek::served(g, k) {
                *slot = 0;
            }
        }
    }
    let list: Vec<DayOrder> = week
        .orders
        .iter()
        .enumerate()
        .map(|(i, o)| DayOrder {
            node: i + 1,
            group: o.district,
            current: o.booked,
            allowed: o.allowed.clone(),
        })
        .collect();
    let d = |a: usize, b: usize| week.metres(a, b);
    assign(&d, &list, days, &free)
}

/// The joint search's problem: every order on any of its allowed days, `vans` a day, each
/// district's room on its served days.
fn joint_problem(
    week: &GenWeek,
    days: usize,
    vans: usize,
    room: i64,
) -> hearth_routing::periodic::PeriodicProblem {
    use hearth_routing::periodic::PeriodicProblem;
    let nodes: Vec<usize> = (0..=week.orders.len()).collect();
    PeriodicProblem {
        places: week.places(&nodes),
        days: vec![vec![week.van(); vans]; days],
        calendars: std::iter::once(Vec::new())
            .chain(
                week.orders
                    .iter()
                    .map(|o| o.allowed.iter().map(|&k| 1u64 << k).collect()),
            )
            .collect(),
        initial: Some(
            std::iter::once(None)
                .chain(week.orders.iter().map(|_| Some(0)))
                .collect(),
        ),
        uses: std::iter::once(Vec::new())
            .chain(week.orders.iter().map(|o| vec![(o.district, 1)]))
            .collect(),
        room: (0..4)
            .map(|g| {
                (0..days)
                    .map(|k| if GenWeek::served(g, k) { room } else { 0 })
                    .collect()
            })
            .collect(),
    }
}

/// `hearth suggest-bench`: choosing delivery days on generated weeks, three ways in one run —
/// every order on its booked day; the former "Suggest a plan" (days chosen on one tour per
/// day, then each day routed); and the joint periodic search of "Plan the fortnight" (days and
/// routes together, given the same total time). Each plan's km and broken rules are counted
/// by one checker (`GenWeek::audit`). One JSON line per case.
pub fn suggest_bench(seed: u64) {
    use hearth_routing::periodic::Periodic;
    let cases: [(usize, usize, usize, f64, i64, f64); 3] = [
        (60, 5, 2, 0.5, 10, 1.0),
        (60, 5, 2, 1.0, 10, 1.0),
        (500, 14, 4, 1.0, 30, 2.0),
    ];
    for (n, days, vans, share, room, per_day) in cases {
        let week = GenWeek::new(seed, n, days, vans, share, room);
        let booked: Vec<usize> = week.orders.iter().map(|o| o.booked).collect();
        let started = Instant::now();
        let as_booked = week.plan_days(&booked, per_day, seed);
        let t0 = Instant::now();
        let chosen = former_days(&week, days, room);
        let former = week.plan_days(&chosen, per_day, seed);
        let former_s = t0.elapsed().as_secs_f64();
        // The joint search, with the same total time as the former's day-by-day routing.
        let p = joint_problem(&week, days, vans, room);
        let joint_plan = |seconds: f64| {
            let o = SolveOptions {
                time_limit: Duration::from_secs_f64(seconds),
                threads: 2,
                seed,
                ..Default::default()
            };
            let t = Instant::now();
            let s = Periodic::default().solve(&p, &o).expect("a valid week");
            let mut plan: Vec<Vec<Vec<usize>>> = s
                .days
                .iter()
                .map(|routes| routes.iter().map(|r| r.stops.clone()).collect())
                .collect();
            // Left out: still to be driven on its booked day, as its own trip.
            for &c in &s.unserved {
                plan[week.orders[c - 1].booked].push(vec![c]);
            }
            (s, plan, t.elapsed().as_secs_f64())
        };
        let (s, joint, joint_s) = joint_plan(per_day * days as f64);
        // What the planning page's own budget (a third for the week as booked, then the
        // joint search) reaches on the same week.
        let (_, page_plan, page_s) = joint_plan(crate::planning::suggest::server::SEARCH_SECONDS);
        let moved = (1..=n)
            .filter(|&c| s.calendar[c].is_some_and(|k| k != 0))
            .count();
        let (booked_km, booked_broken) = week.audit(&as_booked);
        let (former_km, former_broken) = week.audit(&former);
        let (joint_km, joint_broken) = week.audit(&joint);
        let (page_km, page_broken) = week.audit(&page_plan);
        let r1 = |x: f64| (x * 10.0).round() / 10.0;
        println!(
            "{}",
            json!({
                "case": format!("generated {n} orders, {days} days, {vans} vans, {}% flexible, {room} stops per district-day", (share * 100.0) as u32),
                "seed": seed,
                "as_booked_km": r1(booked_km),
                "former_suggest_km": r1(former_km),
                "joint_km": r1(joint_km),
                "saved_vs_booked_pct": r1(100.0 * (1.0 - joint_km / booked_km)),
                "saved_vs_former_pct": r1(100.0 * (1.0 - joint_km / former_km)),
                "joint_km_at_page_budget": r1(page_km),
                "moved": moved,
                "broken_rules": {"as_booked": booked_broken, "former_suggest": former_broken, "joint": joint_broken, "joint_at_page_budget": page_broken},
                "seconds": {"former_suggest": r1(former_s), "joint": r1(joint_s), "joint_at_page_budget": r1(page_s), "all": r1(started.elapsed().as_secs_f64())},
            })
        );
    }
}

/// A seeded generator (the same numbers on every machine).
fn fastrand_like(seed: u64) -> impl FnMut() -> f64 {
    let mut s = seed ^ 0x9E37_79B9_7F4A_7C15;
    move || {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}
