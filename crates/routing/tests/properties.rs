//! Properties of the solver on many small random problems (fixed seeds, so failures repeat):
//! every plan is feasible, every customer is either served once or listed with a true reason,
//! locked stops stay put, and tiny problems are solved to the proven optimum (brute force).
use std::time::Duration;

use hearth_routing::{Objective, Problem, Sisr, Solution, SolveOptions, Solver, Unserved, Vehicle};

fn random_problem(rng: &mut fastrand::Rng, n: usize, vehicles: usize, windows: bool) -> Problem {
    let points: Vec<(f64, f64)> = (0..=n)
        .map(|_| (rng.f64() * 100.0, rng.f64() * 100.0))
        .collect();
    let (dist, time) = Problem::euclidean(&points, false);
    let mut ready = vec![0.0; n + 1];
    let mut due = vec![1000.0; n + 1];
    if windows {
        for c in 1..=n {
            ready[c] = rng.f64() * 600.0;
            due[c] = ready[c] + 30.0 + rng.f64() * 200.0;
        }
    }
    Problem {
        dist,
        time,
        demand: (0..=n)
            .map(|c| if c == 0 { 0 } else { rng.i64(1..=12) })
            .collect(),
        ready,
        due,
        service: (0..=n).map(|c| if c == 0 { 0.0 } else { 5.0 }).collect(),
        vehicles: (0..vehicles)
            .map(|_| Vehicle {
                capacity: rng.i64(20..=60),
                start: 0.0,
                end: 1000.0,
            })
            .collect(),
        objective: if rng.bool() {
            Objective::Distance
        } else {
            Objective::VehiclesThenDistance
        },
        locked: vec![false; n + 1],
        initial: None,
    }
}

fn options(ms: u64, seed: u64) -> SolveOptions<'static> {
    SolveOptions {
        time_limit: Duration::from_millis(ms),
        threads: 1,
        seed,
        ..Default::default()
    }
}

/// Independent of the solver's own bookkeeping: walks each route again.
fn check(p: &Problem, s: &Solution) {
    let n = p.len();
    let mut count = vec![0; n];
    let mut total = 0.0;
    let mut used = vec![false; p.vehicles.len()];
    for r in &s.routes {
        assert!(
            !std::mem::replace(&mut used[r.vehicle], true),
            "vehicle used twice"
        );
        assert!(!r.stops.is_empty(), "empty route reported");
        let veh = &p.vehicles[r.vehicle];
        let load: i64 = r.stops.iter().map(|&c| p.demand[c]).sum();
        assert!(
            load <= veh.capacity,
            "capacity broken: {load} > {}",
            veh.capacity
        );
        let (mut at, mut clock) = (0, veh.start);
        for &c in &r.stops {
            count[c] += 1;
            total += p.d(at, c);
            clock = (clock + p.t(at, c)).max(p.ready[c]);
            assert!(clock <= p.due[c] + 1e-9, "window of {c} broken");
            clock += p.service[c];
            at = c;
        }
        total += p.d(at, 0);
        assert!(clock + p.t(at, 0) <= veh.end + 1e-9, "shift broken");
    }
    let max_cap = p.vehicles.iter().map(|v| v.capacity).max().unwrap();
    for &(c, why) in &s.unserved {
        count[c] += 1;
        match why {
            Unserved::TooLarge => assert!(p.demand[c] > max_cap),
            Unserved::Unreachable => {
                assert!((0..p.vehicles.len()).all(|v| p.schedule(v, &[c]).is_none()))
            }
            Unserved::NoRoom => {
                assert!((0..p.vehicles.len()).any(|v| p.schedule(v, &[c]).is_some()))
            }
        }
    }
    assert!(
        count[1..].iter().all(|&k| k == 1),
        "each customer exactly once: {count:?}"
    );
    assert!(
        (total - s.distance).abs() < 1e-6,
        "distance recomputed {total} vs {}",
        s.distance
    );
}

#[test]
fn plans_are_always_feasible_and_complete() {
    let mut rng = fastrand::Rng::with_seed(20261125);
    for case in 0..120 {
        let n = rng.usize(1..=25);
        let vehicles = rng.usize(1..=4);
        let windows = rng.bool();
        let p = random_problem(&mut rng, n, vehicles, windows);
        let s = Sisr::default().solve(&p, &options(20, case)).unwrap();
        check(&p, &s);
    }
}

#[test]
fn impossible_customers_are_named_with_the_reason() {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut p = random_problem(&mut rng, 6, 1, false);
    p.demand[2] = 1000; // more than any van
    p.ready[3] = 2000.0; // after the shift ends
    p.due[3] = 2100.0;
    let s = Sisr::default().solve(&p, &options(50, 1)).unwrap();
    check(&p, &s);
    assert!(s.unserved.contains(&(2, Unserved::TooLarge)));
    assert!(s.unserved.contains(&(3, Unserved::Unreachable)));
}

#[test]
fn locked_stops_keep_their_route_and_order() {
    let mut rng = fastrand::Rng::with_seed(11);
    for case in 0..30 {
        let mut p = random_problem(&mut rng, 12, 2, false);
        p.vehicles.iter_mut().for_each(|v| v.capacity = 1000);
        p.objective = Objective::Distance;
        let start: Vec<Vec<usize>> = vec![(1..=6).collect(), (7..=12).collect()];
        for c in [2, 5, 9] {
            p.locked[c] = true;
        }
        p.initial = Some(start);
        let s = Sisr::default().solve(&p, &options(20, case)).unwrap();
        check(&p, &s);
        let route_of = |c: usize| s.routes.iter().find(|r| r.stops.contains(&c)).unwrap();
        assert_eq!(route_of(2).vehicle, 0);
        assert_eq!(route_of(9).vehicle, 1);
        let r0 = &route_of(2).stops;
        let pos = |c| r0.iter().position(|&x| x == c).unwrap();
        assert!(pos(2) < pos(5), "locked stops 2 and 5 swapped: {r0:?}");
    }
}

/// Shortest single-vehicle tour by trying every order (n ≤ 7).
fn brute_force(p: &Problem) -> f64 {
    fn go(p: &Problem, at: usize, left: &mut Vec<usize>, sofar: f64, best: &mut f64) {
        if left.is_empty() {
            *best = best.min(sofar + p.d(at, 0));
            return;
        }
        for i in 0..left.len() {
            let c = left.remove(i);
            go(p, c, left, sofar + p.d(at, c), best);
            left.insert(i, c);
        }
    }
    let mut best = f64::INFINITY;
    go(p, 0, &mut (1..p.len()).collect(), 0.0, &mut best);
    best
}

#[test]
fn tiny_tours_are_optimal() {
    let mut rng = fastrand::Rng::with_seed(3);
    for case in 0..25 {
        let n = rng.usize(3..=7);
        let mut p = random_problem(&mut rng, n, 1, false);
        p.vehicles[0].capacity = 1000;
        p.objective = Objective::Distance;
        let s = Sisr::default().solve(&p, &options(30, case)).unwrap();
        check(&p, &s);
        let opt = brute_force(&p);
        assert!(
            (s.distance - opt).abs() < 1e-6,
            "case {case}: {} vs optimum {opt}",
            s.distance
        );
    }
}

#[test]
fn a_stop_flag_ends_a_long_search_early() {
    let mut rng = fastrand::Rng::with_seed(5);
    let p = random_problem(&mut rng, 40, 4, true);
    let stop = std::sync::atomic::AtomicBool::new(true);
    let o = SolveOptions {
        time_limit: Duration::from_secs(60),
        stop: Some(&stop),
        ..options(0, 1)
    };
    let s = Sisr::default().solve(&p, &o).unwrap();
    check(&p, &s);
    // Stopped at once: nowhere near the 60 s it was given (a generous margin, not a timing test).
    assert!(s.iterations < 1_000_000);
}
