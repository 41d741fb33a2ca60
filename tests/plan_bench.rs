//! `hearth plan-bench` on instances it has never seen, every answer verified by a checker that
//! shares no code with the solver: it reads the instance files itself, walks each route, checks
//! each customer is served once, capacities and time windows hold, and recomputes the distance.
//!
//! The public instances are read from ../shared/data/vrp (or $HEARTH_VRP_DATA); small random
//! instances are generated here in both file formats so that the test runs anywhere.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug)]
struct Inst {
    /// number in the file → (x, y, demand, ready, due, service)
    nodes: HashMap<i64, (f64, f64, i64, f64, f64, f64)>,
    depot: i64,
    vehicles: usize,
    capacity: i64,
    rounded: bool,
}

fn read_solomon(text: &str) -> Inst {
    let rows: Vec<Vec<f64>> = text
        .lines()
        .map(|l| {
            l.split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect::<Vec<f64>>()
        })
        .collect();
    let fleet = rows.iter().find(|r| r.len() == 2).expect("fleet line");
    let mut nodes = HashMap::new();
    for r in rows.iter().filter(|r| r.len() == 7) {
        nodes.insert(r[0] as i64, (r[1], r[2], r[3] as i64, r[4], r[5], r[6]));
    }
    Inst {
        nodes,
        depot: 0,
        vehicles: fleet[0] as usize,
        capacity: fleet[1] as i64,
        rounded: false,
    }
}

fn read_tsplib(text: &str) -> Inst {
    let mut section = "";
    let mut coords = HashMap::new();
    let mut demand = HashMap::new();
    let mut capacity = 0;
    let mut depot = 1;
    for line in text.lines().map(str::trim) {
        if let Some(v) = line.strip_prefix("CAPACITY") {
            capacity = v.trim_start_matches([' ', ':']).trim().parse().unwrap();
        } else if line.ends_with("SECTION") {
            section = line;
        } else {
            let v: Vec<f64> = line
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            match (section, v.len()) {
                ("NODE_COORD_SECTION", 3) => {
                    coords.insert(v[0] as i64, (v[1], v[2]));
                }
                ("DEMAND_SECTION", 2) => {
                    demand.insert(v[0] as i64, v[1] as i64);
                }
                ("DEPOT_SECTION", 1) if v[0] > 0.0 => depot = v[0] as i64,
                _ => {}
            }
        }
    }
    let nodes = coords
        .iter()
        .map(|(&id, &(x, y))| (id, (x, y, demand[&id], 0.0, f64::INFINITY, 0.0)))
        .collect();
    Inst {
        nodes,
        depot,
        vehicles: usize::MAX,
        capacity,
        rounded: true,
    }
}

/// Verifies one JSON answer; returns the recomputed distance.
fn check(inst: &Inst, answer: &serde_json::Value) -> f64 {
    let name = answer["instance"].as_str().unwrap();
    assert_eq!(answer["feasible"], true, "{name}: solver says infeasible");
    let routes = answer["routes"].as_array().unwrap();
    assert_eq!(
        answer["vehicles"].as_u64().unwrap() as usize,
        routes.len(),
        "{name}: vehicles"
    );
    assert!(
        routes.len() <= inst.vehicles,
        "{name}: more vehicles than the file has"
    );
    let edge = |a: i64, b: i64| {
        let (p, q) = (inst.nodes[&a], inst.nodes[&b]);
        let d = ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
        if inst.rounded {
            (d + 0.5).floor()
        } else {
            d
        }
    };
    let mut seen = HashMap::new();
    let mut total = 0.0;
    let depot = inst.nodes[&inst.depot];
    for route in routes {
        let stops: Vec<i64> = route
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        assert!(!stops.is_empty(), "{name}: empty route");
        let (mut at, mut clock, mut load) = (inst.depot, depot.3, 0);
        for &c in &stops {
            assert!(
                c != inst.depot && inst.nodes.contains_key(&c),
                "{name}: unknown customer {c}"
            );
            *seen.entry(c).or_insert(0) += 1;
            let node = inst.nodes[&c];
            load += node.2;
            clock = (clock + edge(at, c)).max(node.3);
            assert!(
                clock <= node.4 + 1e-6,
                "{name}: customer {c} served at {clock}, due {}",
                node.4
            );
            clock += node.5;
            total += edge(at, c);
            at = c;
        }
        total += edge(at, inst.depot);
        assert!(
            clock + edge(at, inst.depot) <= depot.4 + 1e-6,
            "{name}: back at the depot too late"
        );
        assert!(
            load <= inst.capacity,
            "{name}: load {load} over capacity {}",
            inst.capacity
        );
    }
    for &id in inst.nodes.keys().filter(|&&id| id != inst.depot) {
        assert_eq!(
            seen.get(&id),
            Some(&1),
            "{name}: customer {id} must be served exactly once"
        );
    }
    let reported = answer["distance"].as_f64().unwrap();
    assert!(
        (reported - total).abs() < 1e-3,
        "{name}: reported {reported}, recomputed {total}"
    );
    total
}

fn plan_bench(seconds: &str, files: &[PathBuf]) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("plan-bench")
        .args(["--seconds", seconds])
        .args(files)
        .output()
        .expect("run hearth plan-bench");
    assert!(
        out.status.success(),
        "plan-bench failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), files.len(), "one JSON line per file: {text}");
    for l in &lines {
        for key in [
            "instance", "vehicles", "distance", "seconds", "feasible", "routes",
        ] {
            assert!(l.get(key).is_some(), "missing {key} in {l}");
        }
    }
    lines
}

fn read(path: &Path) -> Inst {
    let text = std::fs::read_to_string(path).unwrap();
    if path.extension().is_some_and(|e| e == "vrp") {
        read_tsplib(&text)
    } else {
        read_solomon(&text)
    }
}

/// Writes a random Solomon-format and a random TSPLIB instance into `dir`.
fn generate(dir: &Path, seed: u64) -> Vec<PathBuf> {
    let mut s = seed;
    let mut next = move |m: u64| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) % m
    };
    let n = 25 + next(15);
    let mut solomon =
        format!("GEN{seed}\n\nVEHICLE\nNUMBER     CAPACITY\n  25         200\n\nCUSTOMER\n");
    solomon.push_str(
        "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n",
    );
    solomon.push_str("    0      50         50          0          0       1000          0\n");
    for c in 1..=n {
        let ready = next(700);
        let due = ready + 40 + next(200);
        solomon.push_str(&format!(
            "{c:5} {:8} {:8} {:8} {ready:8} {due:8} {:8}\n",
            next(101),
            next(101),
            1 + next(30),
            10
        ));
    }
    let mut tsplib = format!(
        "NAME : GEN-n{}\nTYPE : CVRP\nDIMENSION : {}\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 100\nNODE_COORD_SECTION\n",
        n + 1,
        n + 1
    );
    for i in 1..=n + 1 {
        tsplib.push_str(&format!(" {i} {} {}\n", next(200), next(200)));
    }
    tsplib.push_str("DEMAND_SECTION\n");
    for i in 1..=n + 1 {
        tsplib.push_str(&format!("{i} {}\n", if i == 1 { 0 } else { 1 + next(25) }));
    }
    tsplib.push_str("DEPOT_SECTION\n 1\n -1\nEOF\n");
    let a = dir.join(format!("GEN{seed}.txt"));
    let b = dir.join(format!("GEN{seed}.vrp"));
    std::fs::write(&a, solomon).unwrap();
    std::fs::write(&b, tsplib).unwrap();
    vec![a, b]
}

#[test]
fn generated_instances_are_solved_feasibly() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = (1..=3).flat_map(|s| generate(dir.path(), s)).collect();
    for (file, answer) in files.iter().zip(plan_bench("0.3", &files)) {
        check(&read(file), &answer);
    }
}

#[test]
fn a_broken_file_is_named_and_the_others_still_run() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.vrp");
    std::fs::write(&bad, "NAME : x\nNODE_COORD_SECTION\n 1 2\n").unwrap();
    let good = generate(dir.path(), 9).remove(1);
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["plan-bench", "--seconds", "0.1"])
        .arg(&bad)
        .arg(&good)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken") && err.contains("line 3"), "{err}");
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    check(&read(&good), &line);
}

/// The public instances, if present (CI always has them).
#[test]
fn public_instances_are_solved_feasibly_and_near_the_best_known() {
    let root = std::env::var("HEARTH_VRP_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/vrp"));
    if !root.join("bks.csv").exists() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must have the benchmark data at {}",
            root.display()
        );
        eprintln!(
            "SKIPPED: no benchmark data at {} (set HEARTH_VRP_DATA)",
            root.display()
        );
        return;
    }
    let bks: HashMap<String, (usize, f64)> = std::fs::read_to_string(root.join("bks.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                (f[3].parse().unwrap(), f[4].parse().unwrap()),
            )
        })
        .collect();
    let mut files: Vec<PathBuf> = ["solomon", "cvrp"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(root.join(d))
                .unwrap()
                .map(|e| e.unwrap().path())
        })
        .collect();
    files.sort();
    for (file, answer) in files.iter().zip(plan_bench("0.5", &files)) {
        let distance = check(&read(file), &answer);
        let (vehicles, best) = bks[answer["instance"].as_str().unwrap()];
        // A sanity bound at half a second, far from the benchmark's bar (BENCHMARKS.md).
        assert!(
            answer["vehicles"].as_u64().unwrap() as usize <= vehicles + 2,
            "{answer}"
        );
        assert!(
            distance <= best * 1.25,
            "{}: {distance} vs {best}",
            answer["instance"]
        );
    }
}
