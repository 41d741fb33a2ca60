//! Hearth's vehicle-routing solver.
//!
//! A [`Problem`] is a depot (node 0), customers (nodes `1..n`) with demand, a time window and a
//! service time, a travel-distance and a travel-time matrix, and a fleet of vehicles with a
//! capacity and a shift. A [`Solver`] turns it into a [`Solution`]: one route per used vehicle,
//! and the customers that could not be served with the reason why. The crate does no I/O; the
//! instance readers in [`instances`] parse text they are given.
//!
//! The default solver is [`Sisr`]: ruin and recreate with Slack Induction by String Removals
//! (Christiaens & Vanden Berghe, Transportation Science 2020), a fleet-minimisation phase driven
//! by absence counters, then simulated annealing on distance with the fleet fixed.

pub mod days;
pub mod instances;
pub mod periodic;
mod route;
mod sisr;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

pub use sisr::Sisr;

/// A vehicle (or driver): how much it carries and when it may leave and must be back.
#[derive(Clone, Debug, PartialEq)]
pub struct Vehicle {
    pub capacity: i64,
    /// Earliest departure from the depot.
    pub start: f64,
    /// Latest return to the depot.
    pub end: f64,
}

/// What "better" means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    /// Fewest vehicles first, then the shortest total distance (the classic VRPTW objective).
    VehiclesThenDistance,
    /// The shortest total distance, whatever the number of vehicles.
    Distance,
}

/// A routing problem. Node 0 is the depot; nodes `1..n` are the customers.
#[derive(Clone, Debug)]
pub struct Problem {
    /// Row-major `n × n` distances (the cost being minimised).
    pub dist: Vec<f64>,
    /// Row-major `n × n` travel times, in the same unit as the windows.
    pub time: Vec<f64>,
    pub demand: Vec<i64>,
    pub ready: Vec<f64>,
    pub due: Vec<f64>,
    pub service: Vec<f64>,
    pub vehicles: Vec<Vehicle>,
    pub objective: Objective,
    /// Customers that must keep their route and their order relative to other locked
    /// customers of that route (given in `initial`).
    pub locked: Vec<bool>,
    /// A starting plan: customers per vehicle, in visiting order (may be partial).
    pub initial: Option<Vec<Vec<usize>>>,
}

impl Problem {
    /// Nodes, depot included.
    pub fn len(&self) -> usize {
        self.demand.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() <= 1
    }

    #[inline]
    pub fn d(&self, a: usize, b: usize) -> f64 {
        self.dist[a * self.len() + b]
    }

    #[inline]
    pub fn t(&self, a: usize, b: usize) -> f64 {
        self.time[a * self.len() + b]
    }

    /// A problem on points in the plane, with Euclidean distance = travel time (Solomon's
    /// convention), optionally rounding each edge to the nearest integer (TSPLIB's `nint`).
    pub fn euclidean(points: &[(f64, f64)], round: bool) -> (Vec<f64>, Vec<f64>) {
        let n = points.len();
        let mut dist = vec![0.0; n * n];
        for (i, a) in points.iter().enumerate() {
            for (j, b) in points.iter().enumerate() {
                let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                dist[i * n + j] = if round { (d + 0.5).floor() } else { d };
            }
        }
        (dist.clone(), dist)
    }

    /// Checks the problem's shape; the message names what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let n = self.len();
        if n == 0 {
            return Err("the problem has no depot".into());
        }
        for (name, len) in [
            ("ready", self.ready.len()),
            ("due", self.due.len()),
            ("service", self.service.len()),
            ("locked", self.locked.len()),
        ] {
            if len != n {
                return Err(format!("{name} has {len} entries for {n} nodes"));
            }
        }
        if self.dist.len() != n * n || self.time.len() != n * n {
            return Err(format!("the matrices must be {n} × {n}"));
        }
        if self.vehicles.is_empty() && n > 1 {
            return Err("there are no vehicles".into());
        }
        if let Some(init) = &self.initial {
            if init.len() > self.vehicles.len() {
                return Err("the starting plan has more routes than vehicles".into());
            }
            let mut seen = vec![false; n];
            for &c in init.iter().flatten() {
                if c == 0 || c >= n || std::mem::replace(&mut seen[c], true) {
                    return Err(format!(
                        "the starting plan visits node {c} twice or out of range"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Schedules `route` (customers only) on vehicle `v`: service start per customer and the
    /// return time, or `None` when a window, the shift or the capacity is broken.
    pub fn schedule(&self, v: usize, route: &[usize]) -> Option<(Vec<f64>, f64)> {
        self.schedule_on(&self.vehicles[v], route)
    }

    /// [`Problem::schedule`] on a vehicle given by value (the periodic solver's vehicles are
    /// per day, not in `vehicles`).
    pub fn schedule_on(&self, veh: &Vehicle, route: &[usize]) -> Option<(Vec<f64>, f64)> {
        let load: i64 = route.iter().map(|&c| self.demand[c]).sum();
        if load > veh.capacity {
            return None;
        }
        let mut at = 0;
        let mut clock = veh.start;
        let mut starts = Vec::with_capacity(route.len());
        for &c in route {
            clock = (clock + self.t(at, c)).max(self.ready[c]);
            if clock > self.due[c] {
                return None;
            }
            starts.push(clock);
            clock += self.service[c];
            at = c;
        }
        clock += self.t(at, 0);
        (clock <= veh.end).then_some((starts, clock))
    }

    /// Length of a route (customers only), depot to depot.
    pub fn route_distance(&self, route: &[usize]) -> f64 {
        let mut at = 0;
        let mut sum = 0.0;
        for &c in route {
            sum += self.d(at, c);
            at = c;
        }
        sum + self.d(at, 0)
    }
}

/// Why a customer is not in any route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unserved {
    /// Its demand is more than any vehicle carries.
    TooLarge,
    /// No vehicle can reach it within its window and be back by the end of its shift.
    Unreachable,
    /// It fits on its own, but the fleet is full at those times.
    NoRoom,
}

impl Unserved {
    pub fn explain(self) -> &'static str {
        match self {
            Unserved::TooLarge => "its load is more than any vehicle carries",
            Unserved::Unreachable => {
                "no vehicle can reach it within its time window and be back before the shift ends"
            }
            Unserved::NoRoom => {
                "the vehicles are full at those times; add a driver or move it to another day"
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub vehicle: usize,
    /// Customers in visiting order.
    pub stops: Vec<usize>,
    /// Service start per stop.
    pub starts: Vec<f64>,
    /// Arrival back at the depot.
    pub end: f64,
    pub distance: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    pub routes: Vec<Route>,
    pub unserved: Vec<(usize, Unserved)>,
    pub distance: f64,
    /// Ruin-and-recreate iterations done, over all threads.
    pub iterations: u64,
}

impl Solution {
    pub fn vehicles(&self) -> usize {
        self.routes.len()
    }
}

/// What a long search reports while it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub elapsed: Duration,
    pub vehicles: usize,
    pub distance: f64,
    pub unserved: usize,
}

pub struct SolveOptions<'a> {
    pub time_limit: Duration,
    pub threads: usize,
    pub seed: u64,
    /// Set to stop early; the best plan so far is returned.
    pub stop: Option<&'a AtomicBool>,
    /// Called with the best plan so far about ten times a second.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

impl Default for SolveOptions<'_> {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(1),
            threads: 1,
            seed: 1,
            stop: None,
            progress: None,
        }
    }
}

/// Something that plans routes. Always returns a feasible plan: customers it cannot place are
/// listed in [`Solution::unserved`] with the reason. One day's routes by default
/// ([`Sisr`]); the periodic solver plans days and routes together
/// (`Solver<PeriodicProblem, PeriodicSolution>`, [`periodic::Periodic`]).
pub trait Solver<P = Problem, S = Solution> {
    fn solve(&self, problem: &P, options: &SolveOptions) -> Result<S, String>;
}
