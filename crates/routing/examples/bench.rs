//! Quick solver check during development: cargo run --release --example bench -- SECONDS FILE...
//! Tuning knobs from the environment: T0, TE, FLEET, AVG, LMAX, SPLIT, SEED.
use hearth_routing::{instances, Progress, Sisr, SolveOptions, Solver};
use std::sync::Mutex;
use std::time::Duration;
fn env(k: &str, d: f64) -> f64 {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs: f64 = args[0].parse().unwrap();
    let d = Sisr::default();
    let cfg = Sisr {
        t_start: env("T0", d.t_start),
        t_end: env("TE", d.t_end),
        fleet_share: env("FLEET", d.fleet_share),
        fleet_stall: env("STALL", d.fleet_stall),
        route_ruin: env("ROUTE", d.route_ruin),
        absent_cost: env("ABSENT", d.absent_cost),
        avg_removed: env("AVG", d.avg_removed),
        max_string: env("LMAX", d.max_string),
        split_rate: env("SPLIT", d.split_rate),
        ..d
    };
    for f in &args[1..] {
        let text = std::fs::read_to_string(f).unwrap();
        let name = std::path::Path::new(f)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let inst = instances::parse(&name, &text).unwrap();
        let last = Mutex::new((usize::MAX, 0.0f64));
        let cb = |p: Progress| {
            let mut l = last.lock().unwrap();
            if p.vehicles != l.0 {
                *l = (p.vehicles, p.elapsed.as_secs_f64());
            }
        };
        let o = SolveOptions {
            time_limit: Duration::from_secs_f64(secs),
            threads: 2,
            seed: env("SEED", 7.0) as u64,
            progress: Some(&cb),
            ..Default::default()
        };
        let s = cfg.solve(&inst.problem, &o).unwrap();
        let l = last.lock().unwrap();
        println!(
            "{name} vehicles={} distance={:.2} unserved={} iters={} fleet_at={:.2}s",
            s.vehicles(),
            s.distance,
            s.unserved.len(),
            s.iterations,
            l.1
        );
    }
}
