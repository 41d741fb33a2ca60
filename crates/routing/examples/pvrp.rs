//! Quick periodic-solver check during development:
//! cargo run --release --example pvrp -- SECONDS BKS.csv FILE...
//! Tuning knobs from the environment: T0, TE, AVG, LMAX, SPLIT, BLINK, ABSENT, SEED, THREADS.
use hearth_routing::periodic::Periodic;
use hearth_routing::{instances, SolveOptions, Solver};
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
    let bks = std::fs::read_to_string(&args[1]).unwrap();
    let d = Periodic::default();
    let cfg = Periodic {
        t_start: env("T0", d.t_start),
        t_end: env("TE", d.t_end),
        avg_removed: env("AVG", d.avg_removed),
        max_string: env("LMAX", d.max_string),
        split_rate: env("SPLIT", d.split_rate),
        blink: env("BLINK", d.blink),
        absent_cost: env("ABSENT", d.absent_cost),
    };
    let mut gaps = Vec::new();
    for f in &args[2..] {
        let text = std::fs::read_to_string(f).unwrap();
        let name = std::path::Path::new(f)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let inst = instances::parse_pvrp(&name, &text).unwrap();
        let o = SolveOptions {
            time_limit: Duration::from_secs_f64(secs),
            threads: env("THREADS", 2.0) as usize,
            seed: env("SEED", 1.0) as u64,
            ..Default::default()
        };
        let s = cfg.solve(&inst.problem, &o).unwrap();
        let best: f64 = bks
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name},")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(f64::NAN);
        let gap = 100.0 * (s.distance / best - 1.0);
        gaps.push(gap);
        println!(
            "{name:<6} {:>10.2} {best:>10.2} {gap:>+7.2}% unserved {} iters {}",
            s.distance,
            s.unserved.len(),
            s.iterations
        );
    }
    println!(
        "mean gap {:+.2}%",
        gaps.iter().sum::<f64>() / gaps.len() as f64
    );
}
