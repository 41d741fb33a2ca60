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
    each_file(
        "plan-bench",
        files,
        bks,
        |name, text| solve_file(name, text, options(seconds, threads, seed)),
        summary,
    )
}

/// Runs `solve(name, text)` on each file, printing its JSON line (a failure is named on stderr and the
/// others still run); then, with a best-known CSV, `summary` of the outcomes on stderr.
/// False if any file failed.
pub(crate) fn each_file<O>(
    tool: &str,
    files: &[PathBuf],
    bks: Option<&PathBuf>,
    solve: impl Fn(&str, &str) -> Result<(String, O), String>,
    summary: impl Fn(&str, &[O]),
) -> bool {
    let mut ok = true;
    let mut outcomes = Vec::new();
    for file in files {
        // The instance's name is the file's, without its extension.
        let read = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()));
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string());
        match read.and_then(|text| solve(&name, &text)) {
            Ok((line, outcome)) => {
                println!("{line}");
                outcomes.push(outcome);
            }
            Err(e) => {
                eprintln!("hearth {tool}: {e}");
                ok = false;
            }
        }
    }
    if let Some(path) = bks {
        match std::fs::read_to_string(path) {
            Ok(text) => summary(&text, &outcomes),
            Err(e) => {
                eprintln!("hearth {tool}: cannot read {}: {e}", path.display());
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

/// The search options of a benchmark run.
pub(crate) fn options(seconds: f64, threads: usize, seed: u64) -> SolveOptions<'static> {
    SolveOptions {
        time_limit: Duration::from_secs_f64(seconds.max(0.0)),
        threads,
        seed,
        ..SolveOptions::default()
    }
}

fn solve_file(name: &str, text: &str, options: SolveOptions) -> Result<(String, Outcome), String> {
    let instance = instances::parse(name, text)?;
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
