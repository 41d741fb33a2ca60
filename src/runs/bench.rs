//! `hearth plan-bench`: the route solver on public benchmark instances, one JSON line each.
//!
//! Solomon VRPTW (`.txt`): fewest vehicles, then distance (Euclidean, double precision, travel
//! time = distance). TSPLIB CVRP (`.vrp`): distance with each edge rounded to the nearest
//! integer. `routes` lists each vehicle's customers by their numbers in the file, depot left out.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use hearth_routing::instances::{self, Instance, Kind};
use hearth_routing::{Problem, Sisr, Solution, SolveOptions, Solver};
use serde_json::json;

/// One solved instance, for the summary.
struct Outcome {
    name: String,
    kind: Kind,
    vehicles: usize,
    distance: f64,
}

/// Solves each file for `seconds`, printing a JSON line each; with `bks` (a CSV of
/// instance,kind,customers,bks_vehicles,bks_distance,...) also a gap summary on stderr.
/// Returns false if any file could not be read or solved.
pub fn run(
    files: &[PathBuf],
    seconds: f64,
    threads: usize,
    seed: u64,
    bks: Option<&PathBuf>,
) -> bool {
    let mut ok = true;
    let mut outcomes = Vec::new();
    for file in files {
        match solve_file(file, seconds, threads, seed) {
            Ok((line, outcome)) => {
                println!("{line}");
                outcomes.push(outcome);
            }
            Err(e) => {
                eprintln!("hearth plan-bench: {e}");
                ok = false;
            }
        }
    }
    if let Some(path) = bks {
        match std::fs::read_to_string(path) {
            Ok(text) => summary(&text, &outcomes),
            Err(e) => {
                eprintln!("hearth plan-bench: cannot read {}: {e}", path.display());
                ok = false;
            }
        }
    }
    ok
}

/// Gap against the best-known solutions, and the two bars of the benchmark.
fn summary(bks: &str, outcomes: &[Outcome]) {
    let known: std::collections::HashMap<&str, (usize, f64)> = bks
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((
                *f.first()?,
                (f.get(3)?.parse().ok()?, f.get(4)?.parse().ok()?),
            ))
        })
        .collect();
    let (mut sol_hit, mut sol_n, mut sol_gaps, mut cvrp_gaps) = (0, 0, Vec::new(), Vec::new());
    eprintln!(
        "{:<10} {:>8} {:>5} {:>10} {:>10} {:>8}",
        "instance", "vehicles", "bks", "distance", "bks", "gap"
    );
    for o in outcomes {
        let Some(&(bv, bd)) = known.get(o.name.as_str()) else {
            eprintln!(
                "{:<10} {:>8} {:>5} {:>10.2} {:>10} {:>8}",
                o.name, o.vehicles, "?", o.distance, "?", ""
            );
            continue;
        };
        let gap = 100.0 * (o.distance / bd - 1.0);
        eprintln!(
            "{:<10} {:>8} {:>5} {:>10.2} {:>10.2} {:>+7.2}%",
            o.name, o.vehicles, bv, o.distance, bd, gap
        );
        match o.kind {
            Kind::Solomon => {
                sol_n += 1;
                if o.vehicles <= bv {
                    sol_hit += 1;
                    sol_gaps.push(gap);
                }
            }
            Kind::Cvrp => cvrp_gaps.push(gap),
        }
    }
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    if sol_n > 0 {
        eprintln!(
            "Solomon: best-known vehicle count on {sol_hit} of {sol_n}; mean distance gap on those {:+.2}%",
            mean(&sol_gaps)
        );
    }
    if !cvrp_gaps.is_empty() {
        eprintln!(
            "CVRP: mean gap {:+.2}% over {}",
            mean(&cvrp_gaps),
            cvrp_gaps.len()
        );
    }
}

fn solve_file(
    file: &PathBuf,
    seconds: f64,
    threads: usize,
    seed: u64,
) -> Result<(String, Outcome), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let name = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    let instance = instances::parse(&name, &text)?;
    let options = SolveOptions {
        time_limit: Duration::from_secs_f64(seconds.max(0.0)),
        threads,
        seed,
        ..SolveOptions::default()
    };
    let started = Instant::now();
    let solution = Sisr::default().solve(&instance.problem, &options)?;
    let elapsed = started.elapsed().as_secs_f64();
    let outcome = Outcome {
        name: instance.name.clone(),
        kind: instance.kind,
        vehicles: solution.vehicles(),
        distance: match instance.kind {
            Kind::Cvrp => solution.distance.round(),
            Kind::Solomon => solution.distance,
        },
    };
    Ok((line(&instance, &solution, elapsed), outcome))
}

/// The JSON line for one solved instance.
pub fn line(instance: &Instance, solution: &Solution, seconds: f64) -> String {
    let routes: Vec<Vec<i64>> = solution
        .routes
        .iter()
        .map(|r| r.stops.iter().map(|&c| instance.labels[c]).collect())
        .collect();
    let distance = match instance.kind {
        Kind::Cvrp => json!(solution.distance.round() as i64),
        Kind::Solomon => json!((solution.distance * 1e6).round() / 1e6),
    };
    // Written by hand to keep the documented key order.
    format!(
        r#"{{"instance":{},"vehicles":{},"distance":{},"seconds":{},"feasible":{},"routes":{}}}"#,
        json!(instance.name),
        solution.vehicles(),
        distance,
        json!((seconds * 1000.0).round() / 1000.0),
        feasible(&instance.problem, solution),
        json!(routes),
    )
}

/// Every customer served exactly once, and every route within capacity, windows and shift.
pub fn feasible(p: &Problem, s: &Solution) -> bool {
    let mut seen = vec![false; p.len()];
    for r in &s.routes {
        if p.schedule(r.vehicle, &r.stops).is_none() {
            return false;
        }
        for &c in &r.stops {
            if c == 0 || c >= p.len() || std::mem::replace(&mut seen[c], true) {
                return false;
            }
        }
    }
    s.unserved.is_empty() && seen.iter().skip(1).all(|&x| x) && s.routes.len() <= p.vehicles.len()
}

/// `hearth suggest-bench`: "Suggest a plan" on a generated week — 60 orders over 5 days, 2
/// vans, in a 12 × 12 km square around the kitchen; each order booked on a random day, and a
/// share of them accepting a range of 2–4 days. Prints a JSON line per share: km as booked and
/// as suggested, each day planned by the route solver (1 s per day).
pub fn suggest_bench(seed: u64) {
    use hearth_routing::days::{assign, DayOrder};
    use hearth_routing::{Objective, Vehicle};
    let (orders, days, vans) = (60usize, 5usize, 2usize);
    for share in [0.5, 1.0] {
        let mut rng = fastrand_like(seed);
        let mut rnd = move || rng();
        let mut pts = vec![(0.0f64, 0.0f64)];
        pts.extend((0..orders).map(|_| (rnd() * 12_000.0 - 6_000.0, rnd() * 12_000.0 - 6_000.0)));
        let d = |a: usize, b: usize| {
            ((pts[a].0 - pts[b].0).powi(2) + (pts[a].1 - pts[b].1).powi(2)).sqrt() * 1.3
        };
        let list: Vec<DayOrder> = (0..orders)
            .map(|i| {
                let current = (rnd() * days as f64) as usize;
                let flexible = rnd() < share;
                let allowed = if flexible {
                    let lo = current.saturating_sub(1 + (rnd() * 2.0) as usize);
                    let hi = (current + 1 + (rnd() * 2.0) as usize).min(days - 1);
                    (lo..=hi).collect()
                } else {
                    vec![current]
                };
                DayOrder {
                    node: i + 1,
                    group: 0,
                    current,
                    allowed,
                }
            })
            .collect();
        let chosen = assign(&d, &list, days, &[vec![i64::MAX / 4; days]]);
        let km = |pick: &dyn Fn(usize) -> usize| -> f64 {
            let mut total = 0.0;
            for day in 0..days {
                let nodes: Vec<usize> = std::iter::once(0)
                    .chain((0..orders).filter(|&i| pick(i) == day).map(|i| i + 1))
                    .collect();
                if nodes.len() == 1 {
                    continue;
                }
                let n = nodes.len();
                let mut dist = vec![0.0; n * n];
                for (i, &a) in nodes.iter().enumerate() {
                    for (j, &b) in nodes.iter().enumerate() {
                        dist[i * n + j] = d(a, b);
                    }
                }
                let p = Problem {
                    time: dist.iter().map(|m| m / 6.0).collect(),
                    dist,
                    demand: (0..n).map(|i| i64::from(i > 0)).collect(),
                    ready: vec![0.0; n],
                    due: vec![f64::INFINITY; n],
                    service: vec![0.0; n],
                    vehicles: vec![
                        Vehicle {
                            capacity: 40,
                            start: 0.0,
                            end: f64::INFINITY
                        };
                        vans
                    ],
                    objective: Objective::Distance,
                    locked: vec![false; n],
                    initial: None,
                };
                let o = SolveOptions {
                    time_limit: Duration::from_secs(1),
                    threads: 2,
                    seed,
                    ..Default::default()
                };
                total += Sisr::default()
                    .solve(&p, &o)
                    .map(|s| s.distance)
                    .unwrap_or(f64::NAN);
            }
            total / 1000.0
        };
        let fixed = km(&|i| list[i].current);
        let suggested = km(&|i| chosen[i]);
        let moved = (0..orders)
            .filter(|&i| chosen[i] != list[i].current)
            .count();
        println!(
            "{}",
            json!({
                "case": format!("generated {orders} orders, {days} days, {vans} vans, {}% flexible", (share * 100.0) as u32),
                "seed": seed,
                "moved": moved,
                "fixed_km": (fixed * 10.0).round() / 10.0,
                "suggested_km": (suggested * 10.0).round() / 10.0,
                "saved_pct": ((1.0 - suggested / fixed) * 1000.0).round() / 10.0,
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
