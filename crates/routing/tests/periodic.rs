//! Properties of the periodic solver on small random problems (fixed seeds): every plan keeps
//! each customer on one of its calendars, visited once on each of its days and on no other,
//! every route within its day's vehicles, capacity, windows and shift, and every group (a
//! district's stops, a product's units) within
//! its room per day; customers are left out only when their calendars truly cannot fit.
use std::time::Duration;

use hearth_routing::periodic::{Periodic, PeriodicProblem, PeriodicSolution};
use hearth_routing::{Objective, Problem, SolveOptions, Solver, Vehicle};

fn problem(
    rng: &mut fastrand::Rng,
    n: usize,
    t: usize,
    vans: usize,
    groups: usize,
) -> PeriodicProblem {
    let points: Vec<(f64, f64)> = (0..=n)
        .map(|_| (rng.f64() * 100.0, rng.f64() * 100.0))
        .collect();
    let (dist, time) = Problem::euclidean(&points, false);
    let mut ready = vec![0.0; n + 1];
    let mut due = vec![1000.0; n + 1];
    for c in 1..=n {
        if rng.bool() {
            ready[c] = rng.f64() * 500.0;
            due[c] = ready[c] + 60.0 + rng.f64() * 200.0;
        }
    }
    let calendars = (0..=n)
        .map(|c| {
            if c == 0 {
                return Vec::new();
            }
            let visits = rng.u32(1..=2.min(t as u32));
            let mut cals = Vec::new();
            for _ in 0..rng.usize(1..=3) {
                let mut days: Vec<usize> = (0..t).collect();
                rng.shuffle(&mut days);
                let m = days[..visits as usize].iter().fold(0u64, |m, d| m | 1 << d);
                if !cals.contains(&m) {
                    cals.push(m);
                }
            }
            cals
        })
        .collect();
    PeriodicProblem {
        places: Problem {
            dist,
            time,
            demand: (0..=n)
                .map(|c| if c == 0 { 0 } else { rng.i64(1..=10) })
                .collect(),
            ready,
            due,
            service: (0..=n).map(|c| if c == 0 { 0.0 } else { 5.0 }).collect(),
            vehicles: Vec::new(),
            objective: Objective::Distance,
            locked: vec![false; n + 1],
            initial: None,
        },
        days: (0..t)
            .map(|_| {
                vec![
                    Vehicle {
                        capacity: 60,
                        start: 0.0,
                        end: 1000.0
                    };
                    vans
                ]
            })
            .collect(),
        calendars,
        initial: None,
        // A stop (1) or a product's units (1–2) per visit.
        uses: (0..=n)
            .map(|c| {
                if c > 0 && groups > 0 {
                    vec![(rng.usize(..groups), rng.i64(1..=2))]
                } else {
                    Vec::new()
                }
            })
            .collect(),
        room: (0..groups)
            .map(|_| (0..t).map(|_| rng.i64(2..=6)).collect())
            .collect(),
    }
}

fn solve(p: &PeriodicProblem, ms: u64, seed: u64) -> PeriodicSolution {
    // Through the solver trait, as a planner holding any solver would call it.
    let solver: Box<dyn Solver<PeriodicProblem, PeriodicSolution>> = Box::new(Periodic::default());
    solver
        .solve(
            p,
            &SolveOptions {
                time_limit: Duration::from_millis(ms),
                threads: 1,
                seed,
                ..Default::default()
            },
        )
        .unwrap()
}

/// The plan's rules, checked from the solution alone.
fn check(p: &PeriodicProblem, s: &PeriodicSolution) {
    let n = p.len();
    let t = p.days.len();
    let mut visits = vec![0u64; n];
    let mut used = vec![vec![0i64; t]; p.room.len()];
    let mut total = 0.0;
    for (d, day) in s.days.iter().enumerate() {
        assert!(day.len() <= p.days[d].len());
        let mut vans = std::collections::HashSet::new();
        for r in day {
            assert!(
                vans.insert(r.vehicle),
                "day {d}: vehicle {} used twice",
                r.vehicle
            );
            assert!(
                p.places
                    .schedule_on(&p.days[d][r.vehicle], &r.stops)
                    .is_some(),
                "day {d}: route {:?}",
                r.stops
            );
            for &c in &r.stops {
                assert_eq!(visits[c] >> d & 1, 0, "customer {c} twice on day {d}");
                visits[c] |= 1 << d;
                for &(g, amount) in &p.uses[c] {
                    used[g][d] += amount;
                }
            }
            total += p.places.route_distance(&r.stops);
        }
    }
    for (c, &seen) in visits.iter().enumerate().skip(1) {
        match s.calendar[c] {
            Some(k) => assert_eq!(seen, p.calendars[c][k], "customer {c}"),
            None => {
                assert_eq!(seen, 0, "unserved customer {c} is visited");
                assert!(s.unserved.contains(&c));
            }
        }
    }
    for (g, days) in used.iter().enumerate() {
        for (d, &u) in days.iter().enumerate() {
            assert!(
                u <= p.room[g][d],
                "group {g} day {d}: {u} > {}",
                p.room[g][d]
            );
        }
    }
    assert!((total - s.distance).abs() < 1e-6);
}

#[test]
fn random_plans_keep_every_rule() {
    let mut rng = fastrand::Rng::with_seed(5);
    for case in 0..30 {
        let n = rng.usize(5..=40);
        let t = rng.usize(1..=6);
        let (vans, groups) = (rng.usize(1..=3), rng.usize(0..=3));
        let p = problem(&mut rng, n, t, vans, groups);
        let s = solve(&p, 60, case);
        check(&p, &s);
    }
}

#[test]
fn with_room_enough_everyone_is_served() {
    let mut rng = fastrand::Rng::with_seed(8);
    for case in 0..10 {
        let mut p = problem(&mut rng, 30, 4, 4, 0);
        // No windows, plenty of vans: every calendar fits.
        p.places.ready.fill(0.0);
        p.places.due.fill(1000.0);
        let s = solve(&p, 60, case);
        check(&p, &s);
        assert!(s.unserved.is_empty(), "case {case}: {:?}", s.unserved);
    }
}

/// Six orders of one district, each accepting any one of three days, with room for two stops a
/// day: two a day. Seven would leave one out, and say so. The same with a product: two units
/// per order, five units a day.
#[test]
fn a_group_day_takes_no_more_than_its_room() {
    for (amount, room) in [(1, 2), (2, 5)] {
        for (n, left) in [(6, 0), (7, 1)] {
            let mut rng = fastrand::Rng::with_seed(3);
            let mut p = problem(&mut rng, n, 3, 2, 1);
            p.places.ready.fill(0.0);
            p.places.due.fill(1000.0);
            for c in 1..=n {
                p.calendars[c] = vec![1, 2, 4];
                p.uses[c] = vec![(0, amount)];
            }
            p.room = vec![vec![room; 3]];
            let s = solve(&p, 50, 1);
            check(&p, &s);
            assert_eq!(s.unserved.len(), left);
            for day in &s.days {
                assert_eq!(day.iter().map(|r| r.stops.len()).sum::<usize>(), 2);
            }
        }
    }
}

/// A starting choice is where the search begins: with no time at all it is kept.
#[test]
fn the_starting_choice_is_kept_when_there_is_no_time() {
    let mut rng = fastrand::Rng::with_seed(4);
    let mut p = problem(&mut rng, 12, 3, 3, 0);
    p.places.ready.fill(0.0);
    p.places.due.fill(1000.0);
    let init: Vec<Option<usize>> = (0..=12)
        .map(|c| (c > 0).then(|| p.calendars[c].len() - 1))
        .collect();
    p.initial = Some(init.clone());
    let s = solve(&p, 0, 1);
    check(&p, &s);
    assert_eq!(s.calendar, init);
}
