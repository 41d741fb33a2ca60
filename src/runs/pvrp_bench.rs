//! `hearth pvrp-bench`: the periodic solver (day pattern and routes chosen together) on Cordeau's
//! classic PVRP instances, one JSON line each.
//!
//! Each line: `instance`, `distance` (total over all days, Euclidean, not rounded), `seconds`,
//! `feasible` (checked here against the problem), `calendars` (per customer, by its number in
//! the file, the calendar chosen as written in the file) and `routes` (per day, each route's
//! customers by their numbers in the file, depot left out).
use std::path::PathBuf;
use std::time::Instant;

use hearth_routing::instances::{self, PeriodicInstance};
use hearth_routing::periodic::{Periodic, PeriodicProblem, PeriodicSolution};
use hearth_routing::{SolveOptions, Solver};
use serde_json::json;

/// Solves each file for `seconds`, printing a JSON line each; with `bks` (a CSV of
/// instance,bks_cost) also the gaps and their mean on stderr. False if any file failed.
pub fn run(
    files: &[PathBuf],
    seconds: f64,
    threads: usize,
    seed: u64,
    bks: Option<&PathBuf>,
) -> bool {
    super::bench::each_file(
        "pvrp-bench",
        files,
        bks,
        |name, text| solve_file(name, text, super::bench::options(seconds, threads, seed)),
        summary,
    )
}

fn summary(bks: &str, outcomes: &[(String, f64, bool)]) {
    let known: std::collections::HashMap<&str, f64> = bks
        .lines()
        .skip(1)
        .filter_map(|l| {
            let (name, cost) = l.split_once(',')?;
            Some((name, cost.trim().parse().ok()?))
        })
        .collect();
    eprintln!(
        "{:<10} {:>10} {:>10} {:>8} {:>9}",
        "instance", "distance", "bks", "gap", "feasible"
    );
    let mut gaps = Vec::new();
    for (name, distance, feasible) in outcomes {
        match known.get(name.as_str()) {
            Some(&b) => {
                let gap = 100.0 * (distance / b - 1.0);
                eprintln!("{name:<10} {distance:>10.2} {b:>10.2} {gap:>+7.2}% {feasible:>9}");
                if *feasible {
                    gaps.push(gap);
                }
            }
            None => eprintln!(
                "{name:<10} {distance:>10.2} {:>10} {:>8} {feasible:>9}",
                "?", ""
            ),
        }
    }
    let infeasible = outcomes.iter().filter(|o| !o.2).count();
    if !gaps.is_empty() {
        eprintln!(
            "PVRP: mean gap {:+.2}% over {} feasible; {infeasible} infeasible",
            gaps.iter().sum::<f64>() / gaps.len() as f64,
            gaps.len()
        );
    }
}

fn solve_file(
    name: &str,
    text: &str,
    options: SolveOptions,
) -> Result<(String, (String, f64, bool)), String> {
    let instance = instances::parse_pvrp(name, text)?;
    let started = Instant::now();
    let solution = Periodic::default().solve(&instance.problem, &options)?;
    let elapsed = started.elapsed().as_secs_f64();
    let feasible = feasible(&instance.problem, &solution);
    Ok((
        line(&instance, &solution, elapsed, feasible),
        (name.to_string(), solution.distance, feasible),
    ))
}

fn line(i: &PeriodicInstance, s: &PeriodicSolution, seconds: f64, feasible: bool) -> String {
    let calendars: Vec<(i64, u64)> = s
        .calendar
        .iter()
        .enumerate()
        .filter_map(|(c, k)| Some((i.labels[c], i.file_calendars[c][(*k)?])))
        .collect();
    let routes: Vec<Vec<Vec<i64>>> = s
        .days
        .iter()
        .map(|day| {
            day.iter()
                .map(|r| r.stops.iter().map(|&c| i.labels[c]).collect())
                .collect()
        })
        .collect();
    // Written by hand to keep the documented key order.
    format!(
        r#"{{"instance":{},"distance":{},"seconds":{},"feasible":{},"calendars":{},"routes":{}}}"#,
        json!(i.name),
        json!((s.distance * 1e6).round() / 1e6),
        json!((seconds * 1000.0).round() / 1000.0),
        feasible,
        json!(calendars),
        json!(routes),
    )
}

/// Every customer on one of its calendars and visited exactly on its days, once each; every
/// route within its day's vehicles, capacity and shift.
pub fn feasible(p: &PeriodicProblem, s: &PeriodicSolution) -> bool {
    let n = p.len();
    let mut visits = vec![0u64; n];
    for (d, day) in s.days.iter().enumerate() {
        if day.len() > p.days[d].len() {
            return false;
        }
        for r in day {
            if p.places
                .schedule_on(&p.days[d][r.vehicle], &r.stops)
                .is_none()
            {
                return false;
            }
            for &c in &r.stops {
                if c == 0 || c >= n || visits[c] >> d & 1 == 1 {
                    return false;
                }
                visits[c] |= 1 << d;
            }
        }
    }
    s.unserved.is_empty()
        && (1..n).all(|c| s.calendar[c].is_some_and(|k| p.calendars[c][k] == visits[c]))
}
