//! Slack Induction by String Removals (SISR): ruin-and-recreate with simulated annealing.
//!
//! Ruin removes a few strings of consecutive customers from routes that are near each other;
//! recreate puts every unserved customer back at its cheapest feasible position, skipping
//! positions at random ("blinks"). With the objective "fewest vehicles first", a first phase
//! removes whole routes and spreads their customers over the rest, guided by how long each
//! customer has been left out (absence counters); the second phase anneals on distance with the
//! fleet fixed.
use std::sync::atomic::Ordering;
use std::time::Instant;

use crate::route::{self, Shared};
use crate::{Objective, Problem, Progress, Route, Solution, SolveOptions, Solver, Unserved};

const NONE: u32 = u32::MAX;

/// Tuning knobs; the defaults are the ones measured in BENCHMARKS.md.
#[derive(Clone, Debug)]
pub struct Sisr {
    /// Average number of customers removed per ruin.
    pub avg_removed: f64,
    /// Longest string removed from one route.
    pub max_string: f64,
    /// Probability of a split string (keep a piece in the middle).
    pub split_rate: f64,
    /// Probability of skipping a position while inserting.
    pub blink: f64,
    /// Start and final temperature, as fractions of the mean depot-customer distance.
    pub t_start: f64,
    pub t_end: f64,
    /// Most of the time given to removing vehicles (objective `VehiclesThenDistance`)...
    pub fleet_share: f64,
    /// ...which ends sooner when no vehicle has been removed for this share of the time.
    pub fleet_stall: f64,
    /// Probability that a ruin also removes a whole route.
    pub route_ruin: f64,
    /// Price of leaving a customer out while annealing, as a fraction of the mean
    /// depot-customer distance.
    pub absent_cost: f64,
}

impl Default for Sisr {
    fn default() -> Self {
        Sisr {
            avg_removed: 10.0,
            max_string: 10.0,
            split_rate: 0.5,
            blink: 0.01,
            t_start: 1.0,
            t_end: 0.01,
            fleet_share: 0.5,
            fleet_stall: 0.1,
            route_ruin: 0.01,
            absent_cost: 5.0,
        }
    }
}

impl Solver for Sisr {
    fn solve(&self, p: &Problem, o: &SolveOptions) -> Result<Solution, String> {
        p.validate()?;
        let started = Instant::now();
        let deadline = started + o.time_limit;
        let shared = Shared::new();
        let results: Vec<State> = route::in_threads(o.threads, o.seed, |seed, reporter| {
            Search::new(self, p, seed, started, deadline, o, &shared, reporter).run()
        });
        let best = results
            .into_iter()
            .min_by(|a, b| a.key(p).partial_cmp(&b.key(p)).unwrap())
            .expect("at least one thread");
        Ok(finish(p, &best, shared.iterations.load(Ordering::Relaxed)))
    }
}

fn finish(p: &Problem, s: &State, iterations: u64) -> Solution {
    let mut routes = Vec::new();
    for (v, r) in s.routes.iter().enumerate() {
        if r.is_empty() {
            continue;
        }
        let (starts, end) = p
            .schedule(v, r)
            .expect("the search keeps every route feasible");
        routes.push(Route {
            vehicle: v,
            stops: r.clone(),
            starts,
            end,
            distance: p.route_distance(r),
        });
    }
    let max_cap = p.vehicles.iter().map(|v| v.capacity).max().unwrap_or(0);
    let mut unserved: Vec<(usize, Unserved)> = s
        .unassigned
        .iter()
        .map(|&c| {
            let why = if p.demand[c] > max_cap {
                Unserved::TooLarge
            } else if (0..p.vehicles.len()).all(|v| p.schedule(v, &[c]).is_none()) {
                Unserved::Unreachable
            } else {
                Unserved::NoRoom
            };
            (c, why)
        })
        .collect();
    unserved.sort();
    let distance = routes.iter().map(|r| r.distance).sum();
    Solution {
        routes,
        unserved,
        distance,
        iterations,
    }
}

/// A plan under construction, with per-route caches for O(1) insertion checks.
#[derive(Clone)]
struct State {
    routes: Vec<Vec<usize>>,
    /// Service start per position.
    start: Vec<Vec<f64>>,
    /// Latest feasible service start per position.
    latest: Vec<Vec<f64>>,
    load: Vec<i64>,
    rdist: Vec<f64>,
    route_of: Vec<u32>,
    unassigned: Vec<usize>,
}

impl State {
    fn empty(p: &Problem) -> State {
        let m = p.vehicles.len();
        State {
            routes: vec![Vec::new(); m],
            start: vec![Vec::new(); m],
            latest: vec![Vec::new(); m],
            load: vec![0; m],
            rdist: vec![0.0; m],
            route_of: vec![NONE; p.len()],
            unassigned: Vec::new(),
        }
    }

    fn used(&self) -> usize {
        self.routes.iter().filter(|r| !r.is_empty()).count()
    }

    fn distance(&self) -> f64 {
        self.rdist.iter().sum()
    }

    /// Lexicographic quality: unserved, then vehicles (if they count), then distance.
    fn key(&self, p: &Problem) -> (usize, usize, f64) {
        let vehicles = match p.objective {
            Objective::VehiclesThenDistance => self.used(),
            Objective::Distance => 0,
        };
        (self.unassigned.len(), vehicles, self.distance())
    }

    fn refresh(&mut self, p: &Problem, r: usize) {
        let (load, dist) = route::refresh(
            p,
            &p.vehicles[r],
            &self.routes[r],
            &mut self.start[r],
            &mut self.latest[r],
        );
        for &c in &self.routes[r] {
            self.route_of[c] = r as u32;
        }
        self.load[r] = load;
        self.rdist[r] = dist;
    }
}

struct Search<'a> {
    cfg: &'a Sisr,
    p: &'a Problem,
    o: &'a SolveOptions<'a>,
    shared: &'a Shared,
    rng: fastrand::Rng,
    started: Instant,
    deadline: Instant,
    reporter: bool,
    last_report: Instant,
    /// Customers sorted by distance, per customer.
    neighbours: Vec<Vec<usize>>,
    /// First vehicle with the same capacity and shift, per vehicle.
    class: Vec<usize>,
    scale: f64,
    iterations: u64,
    /// Removed during the current ruin (scratch).
    removed_mark: Vec<bool>,
}

impl<'a> Search<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        cfg: &'a Sisr,
        p: &'a Problem,
        seed: u64,
        started: Instant,
        deadline: Instant,
        o: &'a SolveOptions<'a>,
        shared: &'a Shared,
        reporter: bool,
    ) -> Self {
        let n = p.len();
        let class = (0..p.vehicles.len())
            .map(|v| (0..=v).find(|&u| p.vehicles[u] == p.vehicles[v]).unwrap())
            .collect();
        Search {
            cfg,
            p,
            o,
            shared,
            rng: fastrand::Rng::with_seed(seed),
            started,
            deadline,
            reporter,
            last_report: started,
            neighbours: route::neighbours(p),
            class,
            scale: route::scale(p),
            iterations: 0,
            removed_mark: vec![false; n],
        }
    }

    fn out_of_time(&mut self, until: Instant) -> bool {
        if !self.iterations.is_multiple_of(32) {
            return false;
        }
        if self.o.stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            return true;
        }
        Instant::now() >= until
    }

    fn report(&mut self, best: &State) {
        let p = self.p;
        let key = best.key(p);
        let progress = Progress {
            elapsed: self.started.elapsed(),
            vehicles: best.used(),
            distance: key.2,
            unserved: key.0,
        };
        // Fewer unserved, then (when they count) fewer vehicles, then less distance.
        let vehicles = |b: &Progress| {
            if p.objective == Objective::Distance {
                0
            } else {
                b.vehicles
            }
        };
        self.shared.offer(progress, |new, old| {
            (new.unserved, vehicles(new), new.distance)
                < (old.unserved, vehicles(old), old.distance)
        });
        if self.reporter {
            self.shared
                .tell(self.o, self.started, &mut self.last_report);
        }
    }

    fn run(mut self) -> State {
        let p = self.p;
        let mut cur = self.initial();
        let mut best = cur.clone();
        self.report(&best);
        if p.len() <= 1 {
            return best;
        }
        if p.objective == Objective::VehiclesThenDistance {
            let total = self.deadline.saturating_duration_since(Instant::now());
            let until = Instant::now() + total.mul_f64(self.cfg.fleet_share);
            best = self.fleet(cur, until);
            cur = best.clone();
        }
        let max_routes = match p.objective {
            Objective::VehiclesThenDistance => best.used().max(1),
            Objective::Distance => p.vehicles.len(),
        };
        let absent_cost = self.cfg.absent_cost * self.scale;
        let t0 = self.cfg.t_start * self.scale;
        let t1 = self.cfg.t_end * self.scale;
        let phase_start = Instant::now();
        let phase_len = self
            .deadline
            .saturating_duration_since(phase_start)
            .as_secs_f64()
            .max(1e-9);
        loop {
            self.iterations += 1;
            if self.out_of_time(self.deadline) {
                break;
            }
            let frac = (phase_start.elapsed().as_secs_f64() / phase_len).min(1.0);
            let temp = t0 * (t1 / t0).powf(frac);
            let mut cand = cur.clone();
            self.ruin(&mut cand);
            self.recreate(&mut cand, max_routes, None);
            let (ck, nk) = (cur.key(p), cand.key(p));
            // Fewer vehicles always win; otherwise anneal on distance plus a price per
            // customer left out, so that a tight fleet can pass through plans that briefly
            // leave someone out (only complete plans become the best).
            let accept = if nk.1 != ck.1 {
                nk.1 < ck.1
            } else {
                let cost = |k: (usize, usize, f64)| k.2 + absent_cost * k.0 as f64;
                cost(nk) < cost(ck) - temp * self.rng.f64().max(1e-300).ln()
            };
            if accept {
                cur = cand;
                if cur.key(p) < best.key(p) {
                    best = cur.clone();
                    self.report(&best);
                }
            }
            if self.iterations.is_multiple_of(256) {
                self.report(&best);
            }
        }
        self.shared
            .iterations
            .fetch_add(self.iterations, Ordering::Relaxed);
        best
    }

    fn initial(&mut self) -> State {
        let p = self.p;
        let mut s = State::empty(p);
        let mut placed = vec![false; p.len()];
        if let Some(init) = &p.initial {
            for (v, route) in init.iter().enumerate() {
                let keep: Vec<usize> = if p.schedule(v, route).is_some() {
                    route.clone()
                } else {
                    // Keep the locked stops if they still fit; the others are re-planned.
                    let locked: Vec<usize> =
                        route.iter().copied().filter(|&c| p.locked[c]).collect();
                    if p.schedule(v, &locked).is_some() {
                        locked
                    } else {
                        Vec::new()
                    }
                };
                for &c in &keep {
                    placed[c] = true;
                }
                s.routes[v] = keep;
                s.refresh(p, v);
            }
        }
        s.unassigned = (1..p.len()).filter(|&c| !placed[c]).collect();
        let max_routes = p.vehicles.len();
        self.recreate(&mut s, max_routes, None);
        s
    }

    /// Phase one: drop a route whenever every customer is served, and ruin-and-recreate the
    /// left-out customers back in, preferring plans that leave out customers rarely left out.
    fn fleet(&mut self, start: State, until: Instant) -> State {
        let p = self.p;
        let total_demand: i64 = p.demand.iter().sum();
        let max_cap = p
            .vehicles
            .iter()
            .map(|v| v.capacity)
            .max()
            .unwrap_or(1)
            .max(1);
        let lower_bound = ((total_demand + max_cap - 1) / max_cap).max(1) as usize;
        let mut best = start.clone();
        let mut cur = start;
        let mut absences = vec![0u64; p.len()];
        let sum_abs = |s: &State, a: &[u64]| s.unassigned.iter().map(|&c| a[c]).sum::<u64>();
        // Give up on removing another vehicle after this long without success.
        let stall = self
            .deadline
            .saturating_duration_since(self.started)
            .mul_f64(self.cfg.fleet_stall);
        let mut last_gain = Instant::now();
        loop {
            self.iterations += 1;
            if (cur.unassigned.is_empty() || cur.unassigned.len() < best.unassigned.len())
                && cur.key(p) < best.key(p)
            {
                best = cur.clone();
                last_gain = Instant::now();
                self.report(&best);
            }
            if cur.unassigned.is_empty() {
                if cur.used() <= lower_bound {
                    break;
                }
                // Remove a route: the shortest one or a random one, never one with locked stops.
                let candidates: Vec<usize> = (0..cur.routes.len())
                    .filter(|&r| {
                        !cur.routes[r].is_empty() && !cur.routes[r].iter().any(|&c| p.locked[c])
                    })
                    .collect();
                if candidates.is_empty() {
                    break;
                }
                let r = if self.rng.bool() {
                    *candidates
                        .iter()
                        .min_by_key(|&&r| cur.routes[r].len())
                        .unwrap()
                } else {
                    candidates[self.rng.usize(..candidates.len())]
                };
                let gone = std::mem::take(&mut cur.routes[r]);
                for &c in &gone {
                    cur.route_of[c] = NONE;
                }
                cur.unassigned.extend(gone);
                cur.refresh(p, r);
            }
            if self.out_of_time(until)
                || self.iterations.is_multiple_of(32) && last_gain.elapsed() > stall
            {
                break;
            }
            if self.iterations.is_multiple_of(256) {
                self.report(&best);
            }
            let max_routes = cur.used();
            let mut cand = cur.clone();
            self.ruin(&mut cand);
            self.recreate(&mut cand, max_routes, Some(&absences));
            if cand.unassigned.len() < cur.unassigned.len()
                || sum_abs(&cand, &absences) < sum_abs(&cur, &absences)
            {
                cur = cand;
            }
            for &c in &cur.unassigned {
                absences[c] += 1;
            }
        }
        best
    }

    fn ruin(&mut self, s: &mut State) {
        let p = self.p;
        let used = s.used();
        if used == 0 {
            return;
        }
        let assigned: usize = s.routes.iter().map(Vec::len).sum();
        let avg_len = assigned as f64 / used as f64;
        let ls_max = self.cfg.max_string.min(avg_len).max(1.0);
        let ks_max = (4.0 * self.cfg.avg_removed / (1.0 + ls_max) - 1.0).max(1.0);
        let ks = (self.rng.f64() * ks_max) as usize + 1;
        // A random served, unlocked customer as the seed.
        let mut seed = None;
        for _ in 0..32 {
            let c = self.rng.usize(1..p.len());
            if s.route_of[c] != NONE && !p.locked[c] {
                seed = Some(c);
                break;
            }
        }
        let Some(seed) = seed else { return };
        let mut ruined: Vec<usize> = Vec::with_capacity(ks);
        if self.rng.f64() < self.cfg.route_ruin {
            // Now and then rebuild the seed's whole route, so that a route stuck in a poor
            // order (too long for strings to undo) can be rebuilt.
            let r = s.route_of[seed] as usize;
            let len = s.routes[r].len();
            self.remove_range(s, r, 0, len, None);
            ruined.push(r);
        }
        let neighbours = std::mem::take(&mut self.neighbours);
        for &c in std::iter::once(&seed).chain(neighbours[seed].iter()) {
            if ruined.len() >= ks {
                break;
            }
            let r = s.route_of[c];
            if r == NONE || ruined.contains(&(r as usize)) || p.locked[c] {
                continue;
            }
            let r = r as usize;
            self.remove_string(s, r, c, ls_max);
            ruined.push(r);
        }
        self.neighbours = neighbours;
        for r in ruined {
            s.refresh(p, r);
        }
    }

    fn remove_string(&mut self, s: &mut State, r: usize, c: usize, ls_max: f64) {
        let route = &s.routes[r];
        let len = route.len();
        let pos = route
            .iter()
            .position(|&x| x == c)
            .expect("route_of is current");
        let (from, to, keep) =
            route::pick_string(&mut self.rng, len, pos, ls_max, self.cfg.split_rate);
        self.remove_range(s, r, from, to, keep);
    }

    /// Removes positions `from..to` of route `r` except `keep`, and never a locked customer.
    fn remove_range(
        &mut self,
        s: &mut State,
        r: usize,
        from: usize,
        to: usize,
        keep: Option<(usize, usize)>,
    ) {
        let p = self.p;
        let old = std::mem::take(&mut s.routes[r]);
        let len = old.len();
        let mut kept = Vec::with_capacity(len);
        for (i, &x) in old.iter().enumerate() {
            let in_string = i >= from && i < to && !keep.is_some_and(|(a, b)| i >= a && i < b);
            if in_string && !p.locked[x] {
                s.route_of[x] = NONE;
                s.unassigned.push(x);
                self.removed_mark[x] = true;
            } else {
                kept.push(x);
            }
        }
        s.routes[r] = kept;
    }

    fn sort_for_insertion(&mut self, list: &mut [usize], absences: Option<&[u64]>) {
        let p = self.p;
        let key = |f: &dyn Fn(usize) -> f64, list: &mut [usize]| {
            list.sort_by(|&a, &b| f(a).partial_cmp(&f(b)).unwrap());
        };
        let pick = self.rng.usize(0..13);
        match (pick, absences) {
            (0..=3, _) => self.rng.shuffle(list),
            (4..=7, _) => key(&|c| -(p.demand[c] as f64), list),
            (8..=9, _) => key(&|c| -p.d(0, c), list),
            (10, _) => key(&|c| p.d(0, c), list),
            (11, _) => key(&|c| p.due[c] - p.ready[c], list),
            (_, Some(a)) => key(&|c| -(a[c] as f64), list),
            (_, None) => key(&|c| p.ready[c], list),
        }
    }

    /// Inserts every unserved customer at its cheapest feasible position (with blinks); opens a
    /// new route only when no position fits and fewer than `max_routes` are in use.
    fn recreate(&mut self, s: &mut State, max_routes: usize, absences: Option<&[u64]>) {
        let p = self.p;
        let mut todo = std::mem::take(&mut s.unassigned);
        for &c in &todo {
            self.removed_mark[c] = false;
        }
        self.sort_for_insertion(&mut todo, absences);
        let mut left = Vec::new();
        let blink = self.cfg.blink;
        for c in todo {
            let mut best: Option<(f64, usize, usize)> = None;
            for r in 0..s.routes.len() {
                if s.routes[r].is_empty() {
                    continue;
                }
                let cached = route::Cached {
                    veh: &p.vehicles[r],
                    route: &s.routes[r],
                    start: &s.start[r],
                    latest: &s.latest[r],
                    load: s.load[r],
                };
                let bound = best.map_or(f64::INFINITY, |b| b.0);
                if let Some((delta, i)) =
                    route::cheapest_position(p, &cached, c, blink, &mut self.rng, bound)
                {
                    best = Some((delta, r, i));
                }
            }
            if best.is_none() && s.used() < max_routes {
                // Open a route: the cheapest empty vehicle of each kind.
                for r in 0..s.routes.len() {
                    // Only the first empty vehicle of a kind is tried (the others are identical).
                    if !s.routes[r].is_empty()
                        || (0..r).any(|u| self.class[u] == self.class[r] && s.routes[u].is_empty())
                    {
                        continue;
                    }
                    if p.schedule(r, &[c]).is_some() {
                        let delta = p.d(0, c) + p.d(c, 0);
                        if best.is_none_or(|b| delta < b.0) {
                            best = Some((delta, r, 0));
                        }
                    }
                }
            }
            match best {
                Some((_, r, i)) => {
                    s.routes[r].insert(i, c);
                    s.refresh(p, r);
                }
                None => left.push(c),
            }
        }
        s.unassigned = left;
    }
}
