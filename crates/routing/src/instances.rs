//! Readers for the classic benchmark formats: Solomon's VRPTW `.txt` and TSPLIB CVRP `.vrp`.
use crate::{Objective, Problem, Vehicle};

/// A parsed instance: the problem plus the node numbers used in the file.
#[derive(Clone, Debug)]
pub struct Instance {
    pub name: String,
    pub kind: Kind,
    pub problem: Problem,
    /// `labels[i]` is node `i`'s number in the file.
    pub labels: Vec<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Solomon,
    Cvrp,
}

/// Reads either format, telling them apart by content.
pub fn parse(name: &str, text: &str) -> Result<Instance, String> {
    if text.contains("NODE_COORD_SECTION") {
        parse_tsplib(name, text)
    } else if text.contains("CUSTOMER") && text.contains("VEHICLE") {
        parse_solomon(name, text)
    } else {
        Err(format!(
            "{name}: neither a Solomon instance (VEHICLE / CUSTOMER sections) nor TSPLIB CVRP (NODE_COORD_SECTION)"
        ))
    }
}

fn numbers(line: &str) -> Option<Vec<f64>> {
    line.split_whitespace()
        .map(|w| w.parse::<f64>().ok())
        .collect()
}

pub fn parse_solomon(name: &str, text: &str) -> Result<Instance, String> {
    let mut lines = text.lines().enumerate();
    let mut fleet = None;
    let mut rows: Vec<(usize, Vec<f64>)> = Vec::new();
    let mut in_customers = false;
    while let Some((no, line)) = lines.next() {
        let t = line.trim();
        if t.starts_with("VEHICLE") {
            // The next line with two numbers is "NUMBER CAPACITY".
            for (no, line) in lines.by_ref() {
                if let Some(v) = numbers(line.trim()).filter(|v| v.len() == 2) {
                    fleet = Some((v[0], v[1], no));
                    break;
                }
            }
            continue;
        }
        if t.starts_with("CUSTOMER") {
            in_customers = true;
            continue;
        }
        if in_customers && !t.is_empty() && t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            match numbers(t) {
                Some(v) if v.len() == 7 => rows.push((no + 1, v)),
                _ => {
                    return Err(format!(
                        "{name} line {}: expected 7 numbers per customer",
                        no + 1
                    ))
                }
            }
        }
    }
    let (number, capacity, _) = fleet.ok_or(format!("{name}: no VEHICLE NUMBER/CAPACITY line"))?;
    if rows.len() < 2 {
        return Err(format!("{name}: no customers"));
    }
    if rows[0].1[0] != 0.0 {
        return Err(format!(
            "{name} line {}: the first row must be the depot, number 0",
            rows[0].0
        ));
    }
    let points: Vec<(f64, f64)> = rows.iter().map(|(_, r)| (r[1], r[2])).collect();
    let (dist, time) = Problem::euclidean(&points, false);
    let col = |k: usize| rows.iter().map(|(_, r)| r[k]).collect::<Vec<f64>>();
    let n = rows.len();
    let problem = Problem {
        dist,
        time,
        demand: col(3).into_iter().map(|d| d as i64).collect(),
        ready: col(4),
        due: col(5),
        service: col(6),
        vehicles: vec![
            Vehicle {
                capacity: capacity as i64,
                start: rows[0].1[4],
                end: rows[0].1[5]
            };
            number as usize
        ],
        objective: Objective::VehiclesThenDistance,
        locked: vec![false; n],
        initial: None,
    };
    problem.validate().map_err(|e| format!("{name}: {e}"))?;
    Ok(Instance {
        name: name.into(),
        kind: Kind::Solomon,
        problem,
        labels: rows.iter().map(|(_, r)| r[0] as i64).collect(),
    })
}

pub fn parse_tsplib(name: &str, text: &str) -> Result<Instance, String> {
    let mut capacity = None;
    let mut coords: Vec<(i64, f64, f64)> = Vec::new();
    let mut demands: Vec<(i64, i64)> = Vec::new();
    let mut depots: Vec<i64> = Vec::new();
    let mut section = "";
    for (no, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t == "EOF" {
            continue;
        }
        if let Some((key, value)) = t.split_once(':') {
            let (key, value) = (key.trim(), value.trim());
            match key {
                "CAPACITY" => {
                    capacity = Some(
                        value
                            .parse::<i64>()
                            .map_err(|_| format!("{name} line {}: bad CAPACITY", no + 1))?,
                    )
                }
                "EDGE_WEIGHT_TYPE" if value != "EUC_2D" => {
                    return Err(format!(
                        "{name}: EDGE_WEIGHT_TYPE {value} is not supported (only EUC_2D)"
                    ))
                }
                _ => {}
            }
            section = "";
            continue;
        }
        if t.ends_with("_SECTION") {
            section = if t == "NODE_COORD_SECTION" || t == "DEMAND_SECTION" || t == "DEPOT_SECTION"
            {
                t
            } else {
                ""
            };
            continue;
        }
        let bad = || format!("{name} line {}: cannot read {section} row {t:?}", no + 1);
        let v = numbers(t).ok_or_else(bad)?;
        match section {
            "NODE_COORD_SECTION" if v.len() == 3 => coords.push((v[0] as i64, v[1], v[2])),
            "DEMAND_SECTION" if v.len() == 2 => demands.push((v[0] as i64, v[1] as i64)),
            "DEPOT_SECTION" if v.len() == 1 => {
                if v[0] >= 0.0 {
                    depots.push(v[0] as i64)
                }
            }
            "" => {}
            _ => return Err(bad()),
        }
    }
    let capacity = capacity.ok_or(format!("{name}: no CAPACITY"))?;
    let depot = *depots.first().unwrap_or(&1);
    let dpos = coords
        .iter()
        .position(|c| c.0 == depot)
        .ok_or(format!("{name}: depot {depot} has no coordinates"))?;
    // Depot first, then the others in file order.
    let mut order = vec![coords[dpos]];
    order.extend(
        coords
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != dpos)
            .map(|(_, c)| *c),
    );
    let demand_of = |id: i64| demands.iter().find(|d| d.0 == id).map(|d| d.1);
    let mut demand = Vec::with_capacity(order.len());
    for c in &order {
        demand.push(demand_of(c.0).ok_or(format!("{name}: node {} has no demand", c.0))?);
    }
    let n = order.len();
    let points: Vec<(f64, f64)> = order.iter().map(|c| (c.1, c.2)).collect();
    let (dist, time) = Problem::euclidean(&points, true);
    let problem = Problem {
        dist,
        time,
        demand,
        ready: vec![0.0; n],
        due: vec![f64::INFINITY; n],
        service: vec![0.0; n],
        vehicles: vec![
            Vehicle {
                capacity,
                start: 0.0,
                end: f64::INFINITY
            };
            n - 1
        ],
        objective: Objective::Distance,
        locked: vec![false; n],
        initial: None,
    };
    problem.validate().map_err(|e| format!("{name}: {e}"))?;
    Ok(Instance {
        name: name.into(),
        kind: Kind::Cvrp,
        problem,
        labels: order.iter().map(|c| c.0).collect(),
    })
}

/// A parsed periodic instance (Cordeau's PVRP format, type 1).
#[derive(Clone, Debug)]
pub struct PeriodicInstance {
    pub name: String,
    pub problem: crate::periodic::PeriodicProblem,
    /// `labels[i]` is node `i`'s number in the file.
    pub labels: Vec<i64>,
    /// Per node, its calendars as written in the file (day 1 = the most significant of `t`
    /// bits), in the same order as `problem.calendars`.
    pub file_calendars: Vec<Vec<u64>>,
}

/// Reads Cordeau's periodic format: `type m n t`, then `t` lines `D Q` (duration limit, 0 for
/// none, and capacity per day), then the depot and `n` customers `i x y d q f a c1 … ca`.
/// Distances are Euclidean, not rounded; travel time = distance; a day's duration limit
/// becomes each vehicle's shift `[0, D]` (no time windows, so no waiting).
pub fn parse_pvrp(name: &str, text: &str) -> Result<PeriodicInstance, String> {
    let mut rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(no, l)| {
            numbers(l.trim())
                .map(|v| (no + 1, v))
                .ok_or(format!("{name} line {}: not a row of numbers", no + 1))
        });
    let mut next = |what: &str| {
        rows.next()
            .unwrap_or_else(|| Err(format!("{name}: the file ends before {what}")))
    };
    let (no, head) = next("the first line")?;
    if head.len() != 4 {
        return Err(format!("{name} line {no}: expected `type m n t`"));
    }
    if head[0] != 1.0 {
        return Err(format!(
            "{name} line {no}: type {} is not 1 (PVRP)",
            head[0]
        ));
    }
    let (m, n, t) = (head[1] as usize, head[2] as usize, head[3] as usize);
    if t == 0 || t > 64 {
        return Err(format!("{name} line {no}: {t} days (1 to 64 are read)"));
    }
    let mut days = Vec::with_capacity(t);
    for _ in 0..t {
        let (no, v) = next("the day lines")?;
        if v.len() != 2 {
            return Err(format!("{name} line {no}: expected `D Q` for a day"));
        }
        let end = if v[0] > 0.0 { v[0] } else { f64::INFINITY };
        days.push(vec![
            Vehicle {
                capacity: v[1] as i64,
                start: 0.0,
                end
            };
            m
        ]);
    }
    let (mut points, mut labels, mut service, mut demand) = (vec![], vec![], vec![], vec![]);
    let (mut calendars, mut file_calendars) = (vec![], vec![]);
    for i in 0..=n {
        let (no, v) = next(if i == 0 { "the depot" } else { "all customers" })?;
        let a = v.get(6).copied().unwrap_or(-1.0);
        if v.len() < 7 || a < 0.0 || v.len() != 7 + a as usize {
            return Err(format!(
                "{name} line {no}: expected `i x y d q f a` and `a` calendars"
            ));
        }
        points.push((v[1], v[2]));
        labels.push(v[0] as i64);
        service.push(v[3]);
        demand.push(v[4] as i64);
        let f = v[5] as u32;
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for &c in &v[7..] {
            let c = c as u64;
            if c >> t != 0 {
                return Err(format!(
                    "{name} line {no}: calendar {c} has more than {t} days"
                ));
            }
            let mask = (0..t)
                .filter(|d| c >> (t - 1 - d) & 1 == 1)
                .fold(0u64, |m, d| m | 1 << d);
            if mask.count_ones() != f {
                return Err(format!(
                    "{name} line {no}: calendar {c} has {} days, not the {f} visits required",
                    mask.count_ones()
                ));
            }
            ours.push(mask);
            theirs.push(c);
        }
        if i > 0 && ours.is_empty() {
            return Err(format!(
                "{name} line {no}: customer {} has no calendar",
                v[0]
            ));
        }
        calendars.push(ours);
        file_calendars.push(theirs);
    }
    let (dist, time) = Problem::euclidean(&points, false);
    let size = n + 1;
    let places = Problem {
        dist,
        time,
        demand,
        ready: vec![0.0; size],
        due: vec![f64::INFINITY; size],
        service,
        vehicles: days[0].clone(),
        objective: Objective::Distance,
        locked: vec![false; size],
        initial: None,
    };
    let problem = crate::periodic::PeriodicProblem {
        places,
        days,
        calendars,
        initial: None,
        uses: Vec::new(),
        room: Vec::new(),
    };
    problem.validate().map_err(|e| format!("{name}: {e}"))?;
    Ok(PeriodicInstance {
        name: name.into(),
        problem,
        labels,
        file_calendars,
    })
}
