//! Periodic routing: every customer is visited on the days of one of the calendars it accepts
//! (a weekly bread box on Tuesday and Friday, or on Monday and Thursday), and every day's visits
//! are split into routes. The day choice and the routes are searched together.
//!
//! The engine is the daily solver's ruin and recreate (strings of nearby visits removed, the
//! removed put back at their cheapest positions with blinks, simulated annealing on distance),
//! extended so that a removed customer loses all its visits and comes back on whichever of its
//! calendars is cheapest at that moment: the sum, over the calendar's days, of its cheapest
//! feasible position on that day.
use std::sync::atomic::Ordering;
use std::time::Instant;

use crate::route::{self, Cached, Shared};
use crate::{Problem, Progress, Route, SolveOptions, Vehicle};

const NONE: u32 = u32::MAX;

/// A periodic problem. Node 0 is the depot; nodes `1..n` are the customers.
#[derive(Clone, Debug)]
pub struct PeriodicProblem {
    /// The places and what one visit needs: distances, travel times, demand per visit, time
    /// window and service time per node (the same on every day). Its `vehicles`, `objective`,
    /// `locked` and `initial` are not used: the objective is distance.
    pub places: Problem,
    /// The vehicles available on each day of the horizon (at most 64 days).
    pub days: Vec<Vec<Vehicle>>,
    /// Per node, the calendars it accepts: each a set of days, bit `d` for day `d`. The depot's
    /// list is empty; a customer's is not.
    pub calendars: Vec<Vec<u64>>,
    /// A starting choice per node (an index into its calendars), e.g. the days as booked.
    pub initial: Option<Vec<Option<usize>>>,
    /// Per node, the limited resources one visit uses: (group, amount) — a delivery district
    /// (one stop), a product baked in limited numbers (its units). May be empty.
    pub uses: Vec<Vec<(usize, i64)>>,
    /// Per group, how much of it each day has.
    pub room: Vec<Vec<i64>>,
}

impl PeriodicProblem {
    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Checks the problem's shape; the message names what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let p = &self.places;
        let n = p.len();
        if n == 0 {
            return Err("the problem has no depot".into());
        }
        for (name, len) in [
            ("ready", p.ready.len()),
            ("due", p.due.len()),
            ("service", p.service.len()),
            ("calendars", self.calendars.len()),
        ] {
            if len != n {
                return Err(format!("{name} has {len} entries for {n} nodes"));
            }
        }
        if p.dist.len() != n * n || p.time.len() != n * n {
            return Err(format!("the matrices must be {n} × {n}"));
        }
        let t = self.days.len();
        if t == 0 || t > 64 {
            return Err(format!("the horizon has {t} days (1 to 64)"));
        }
        let all = if t == 64 { u64::MAX } else { (1u64 << t) - 1 };
        for (c, cals) in self.calendars.iter().enumerate().skip(1) {
            if cals.is_empty() {
                return Err(format!("customer {c} has no calendar"));
            }
            if let Some(bad) = cals.iter().find(|&&m| m == 0 || m & !all != 0) {
                return Err(format!(
                    "customer {c} has calendar {bad:#b}, which is empty or outside the {t} days"
                ));
            }
        }
        if !self.uses.is_empty() && self.uses.len() != n {
            return Err(format!(
                "uses has {} entries for {n} nodes",
                self.uses.len()
            ));
        }
        if let Some(g) = self
            .uses
            .iter()
            .flatten()
            .map(|u| u.0)
            .find(|&g| g >= self.room.len())
        {
            return Err(format!("group {g} has no room per day"));
        }
        if let Some(g) = self.room.iter().position(|r| r.len() != t) {
            return Err(format!(
                "group {g}'s room is not given for each of the {t} days"
            ));
        }
        if let Some(init) = &self.initial {
            if init.len() != n {
                return Err(format!(
                    "the starting choice has {} entries for {n} nodes",
                    init.len()
                ));
            }
            for (c, k) in init.iter().enumerate().skip(1) {
                if k.is_some_and(|k| k >= self.calendars[c].len()) {
                    return Err(format!(
                        "the starting choice of customer {c} is not one of its calendars"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Length of the horizon in days.
    pub fn horizon(&self) -> usize {
        self.days.len()
    }

    /// The limited resources a visit to `c` uses.
    pub fn uses_of(&self, c: usize) -> &[(usize, i64)] {
        self.uses.get(c).map(Vec::as_slice).unwrap_or_default()
    }
}

/// A plan over the horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodicSolution {
    /// Per node, the index of the calendar chosen (`None` for the depot and the unserved).
    pub calendar: Vec<Option<usize>>,
    /// Per day, its routes; `Route::vehicle` indexes that day's vehicles.
    pub days: Vec<Vec<Route>>,
    /// Customers on no calendar: none of their calendars fits.
    pub unserved: Vec<usize>,
    pub distance: f64,
    /// Ruin-and-recreate iterations done, over all threads.
    pub iterations: u64,
}

/// The periodic solver's tuning knobs; the defaults are the ones measured in BENCHMARKS.md.
#[derive(Clone, Debug)]
pub struct Periodic {
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
    /// Price of a visit left out while annealing, as a fraction of the mean depot-customer
    /// distance.
    pub absent_cost: f64,
}

impl Default for Periodic {
    fn default() -> Self {
        Periodic {
            avg_removed: 10.0,
            max_string: 10.0,
            split_rate: 0.5,
            blink: 0.01,
            t_start: 1.0,
            t_end: 0.01,
            absent_cost: 5.0,
        }
    }
}

impl crate::Solver<PeriodicProblem, PeriodicSolution> for Periodic {
    /// Plans the horizon; always a feasible plan, customers it cannot place listed as unserved.
    fn solve(&self, p: &PeriodicProblem, o: &SolveOptions) -> Result<PeriodicSolution, String> {
        p.validate()?;
        let started = Instant::now();
        let deadline = started + o.time_limit;
        let layout = Layout::new(p);
        let shared = Shared::new();
        let results: Vec<State> = route::in_threads(o.threads, o.seed, |seed, reporter| {
            Search::new(
                self, p, &layout, seed, started, deadline, o, &shared, reporter,
            )
            .run()
        });
        let best = results
            .into_iter()
            .min_by(|a, b| a.key().partial_cmp(&b.key()).unwrap())
            .expect("at least one thread");
        Ok(finish(
            p,
            &layout,
            &best,
            shared.iterations.load(Ordering::Relaxed),
        ))
    }
}

/// Where each route lives: routes are numbered day by day.
struct Layout {
    day_of: Vec<usize>,
    /// Index of the route's vehicle in its day's list.
    vehicle_of: Vec<usize>,
    /// Routes of each day.
    of_day: Vec<std::ops::Range<usize>>,
    /// Visits a customer needs (the fewest over its calendars).
    visits: Vec<usize>,
    t: usize,
}

impl Layout {
    fn new(p: &PeriodicProblem) -> Layout {
        let (mut day_of, mut vehicle_of, mut of_day) = (Vec::new(), Vec::new(), Vec::new());
        for (d, vehicles) in p.days.iter().enumerate() {
            let first = day_of.len();
            for k in 0..vehicles.len() {
                day_of.push(d);
                vehicle_of.push(k);
            }
            of_day.push(first..day_of.len());
        }
        let visits = p
            .calendars
            .iter()
            .map(|c| c.iter().map(|m| m.count_ones() as usize).min().unwrap_or(0))
            .collect();
        Layout {
            day_of,
            vehicle_of,
            of_day,
            visits,
            t: p.days.len(),
        }
    }

    fn vehicle<'a>(&self, p: &'a PeriodicProblem, r: usize) -> &'a Vehicle {
        &p.days[self.day_of[r]][self.vehicle_of[r]]
    }
}

#[derive(Clone)]
struct State {
    routes: Vec<Vec<usize>>,
    start: Vec<Vec<f64>>,
    latest: Vec<Vec<f64>>,
    load: Vec<i64>,
    rdist: Vec<f64>,
    /// Per node, the index of its calendar, or NONE.
    cal: Vec<u32>,
    /// `at[c * t + d]`: the route visiting `c` on day `d`, or NONE.
    at: Vec<u32>,
    unassigned: Vec<usize>,
    /// Visits the unassigned customers need.
    missing: usize,
    /// `used[g * t + d]`: how much of group `g` day `d`'s visits use.
    used: Vec<i64>,
}

impl State {
    fn empty(p: &PeriodicProblem, l: &Layout) -> State {
        let routes = l.day_of.len();
        State {
            routes: vec![Vec::new(); routes],
            start: vec![Vec::new(); routes],
            latest: vec![Vec::new(); routes],
            load: vec![0; routes],
            rdist: vec![0.0; routes],
            cal: vec![NONE; p.len()],
            at: vec![NONE; p.len() * l.t],
            unassigned: Vec::new(),
            missing: 0,
            used: vec![0; p.room.len() * l.t],
        }
    }

    fn distance(&self) -> f64 {
        self.rdist.iter().sum()
    }

    /// Lexicographic quality: visits left out, then distance.
    fn key(&self) -> (usize, f64) {
        (self.missing, self.distance())
    }

    fn refresh(&mut self, p: &PeriodicProblem, l: &Layout, r: usize) {
        let (load, dist) = route::refresh(
            &p.places,
            l.vehicle(p, r),
            &self.routes[r],
            &mut self.start[r],
            &mut self.latest[r],
        );
        let d = l.day_of[r];
        for &c in &self.routes[r] {
            self.at[c * l.t + d] = r as u32;
        }
        self.load[r] = load;
        self.rdist[r] = dist;
    }

    /// Takes customer `c` off every day of its calendar, noting the routes touched.
    fn drop_customer(
        &mut self,
        p: &PeriodicProblem,
        l: &Layout,
        c: usize,
        touched: &mut Vec<usize>,
    ) {
        let k = std::mem::replace(&mut self.cal[c], NONE);
        if k == NONE {
            return;
        }
        let mask = p.calendars[c][k as usize];
        for d in days_of(mask) {
            for &(g, amount) in p.uses_of(c) {
                self.used[g * l.t + d] -= amount;
            }
            let r = std::mem::replace(&mut self.at[c * l.t + d], NONE);
            if r != NONE {
                let r = r as usize;
                if let Some(i) = self.routes[r].iter().position(|&x| x == c) {
                    self.routes[r].remove(i);
                }
                if !touched.contains(&r) {
                    touched.push(r);
                }
            }
        }
        self.unassigned.push(c);
        self.missing += l.visits[c];
    }
}

/// The days of a calendar, in order.
fn days_of(mask: u64) -> impl Iterator<Item = usize> {
    let mut left = mask;
    std::iter::from_fn(move || {
        (left != 0).then(|| {
            let d = left.trailing_zeros() as usize;
            left &= left - 1;
            d
        })
    })
}

fn finish(p: &PeriodicProblem, l: &Layout, s: &State, iterations: u64) -> PeriodicSolution {
    let mut days = vec![Vec::new(); l.t];
    for (r, stops) in s.routes.iter().enumerate() {
        if stops.is_empty() {
            continue;
        }
        let (starts, end) = p
            .places
            .schedule_on(l.vehicle(p, r), stops)
            .expect("the search keeps every route feasible");
        days[l.day_of[r]].push(Route {
            vehicle: l.vehicle_of[r],
            stops: stops.clone(),
            starts,
            end,
            distance: p.places.route_distance(stops),
        });
    }
    let mut unserved = s.unassigned.clone();
    unserved.sort_unstable();
    let distance = days.iter().flatten().map(|r: &Route| r.distance).sum();
    PeriodicSolution {
        calendar: s
            .cal
            .iter()
            .map(|&k| (k != NONE).then_some(k as usize))
            .collect(),
        days,
        unserved,
        distance,
        iterations,
    }
}

struct Search<'a> {
    cfg: &'a Periodic,
    p: &'a PeriodicProblem,
    l: &'a Layout,
    o: &'a SolveOptions<'a>,
    shared: &'a Shared,
    rng: fastrand::Rng,
    started: Instant,
    deadline: Instant,
    reporter: bool,
    last_report: Instant,
    neighbours: Vec<Vec<usize>>,
    scale: f64,
    iterations: u64,
}

impl<'a> Search<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        cfg: &'a Periodic,
        p: &'a PeriodicProblem,
        l: &'a Layout,
        seed: u64,
        started: Instant,
        deadline: Instant,
        o: &'a SolveOptions<'a>,
        shared: &'a Shared,
        reporter: bool,
    ) -> Self {
        Search {
            cfg,
            p,
            l,
            o,
            shared,
            rng: fastrand::Rng::with_seed(seed),
            started,
            deadline,
            reporter,
            last_report: started,
            neighbours: route::neighbours(&p.places),
            scale: route::scale(&p.places),
            iterations: 0,
        }
    }

    fn report(&mut self, best: &State) {
        let progress = Progress {
            elapsed: self.started.elapsed(),
            vehicles: best.routes.iter().filter(|r| !r.is_empty()).count(),
            distance: best.distance(),
            unserved: best.unassigned.len(),
        };
        self.shared.offer(progress, |new, old| {
            (new.unserved, new.distance) < (old.unserved, old.distance)
        });
        if self.reporter {
            self.shared
                .tell(self.o, self.started, &mut self.last_report);
        }
    }

    fn run(mut self) -> State {
        let mut cur = self.initial();
        let mut best = cur.clone();
        self.report(&best);
        if self.p.len() <= 1 {
            return best;
        }
        let absent = self.cfg.absent_cost * self.scale;
        let t0 = self.cfg.t_start * self.scale;
        let t1 = self.cfg.t_end * self.scale;
        let phase_len = self
            .deadline
            .saturating_duration_since(self.started)
            .as_secs_f64()
            .max(1e-9);
        let cost = |s: &State| s.distance() + absent * s.missing as f64;
        loop {
            self.iterations += 1;
            // Checked on the first iteration too, so that no time means no search.
            if self.iterations % 32 == 1
                && (self.o.stop.is_some_and(|s| s.load(Ordering::Relaxed))
                    || Instant::now() >= self.deadline)
            {
                break;
            }
            let frac = (self.started.elapsed().as_secs_f64() / phase_len).min(1.0);
            let temp = t0 * (t1 / t0).powf(frac);
            let mut cand = cur.clone();
            self.ruin(&mut cand);
            self.recreate(&mut cand);
            if cost(&cand) < cost(&cur) - temp * self.rng.f64().max(1e-300).ln() {
                cur = cand;
                if cur.key() < best.key() {
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
        let (p, l) = (self.p, self.l);
        let mut s = State::empty(p, l);
        if let Some(init) = &p.initial {
            // The starting calendars, each visit at its cheapest position; a customer whose
            // calendar no longer fits is left for the recreate below.
            for (c, k) in init.iter().enumerate().skip(1) {
                if let Some(k) = *k {
                    if !self.place(&mut s, c, Some(k), 0.0) {
                        s.unassigned.push(c);
                        s.missing += l.visits[c];
                    }
                }
            }
        }
        for c in 1..p.len() {
            if s.cal[c] == NONE && !s.unassigned.contains(&c) {
                s.unassigned.push(c);
                s.missing += l.visits[c];
            }
        }
        self.recreate(&mut s);
        s
    }

    /// Removes strings of nearby visits; a customer whose visit is removed loses all its visits.
    fn ruin(&mut self, s: &mut State) {
        let (p, l) = (self.p, self.l);
        let used = s.routes.iter().filter(|r| !r.is_empty()).count();
        if used == 0 {
            return;
        }
        let visits: usize = s.routes.iter().map(Vec::len).sum();
        let ls_max = self
            .cfg
            .max_string
            .min(visits as f64 / used as f64)
            .max(1.0);
        let ks_max = (4.0 * self.cfg.avg_removed / (1.0 + ls_max) - 1.0).max(1.0);
        let ks = (self.rng.f64() * ks_max) as usize + 1;
        let mut seed = None;
        for _ in 0..32 {
            let c = self.rng.usize(1..p.len());
            if s.cal[c] != NONE {
                seed = Some(c);
                break;
            }
        }
        let Some(seed) = seed else { return };
        let seed_days: Vec<usize> = days_of(p.calendars[seed][s.cal[seed] as usize]).collect();
        let day = seed_days[self.rng.usize(..seed_days.len())];
        let mut ruined: Vec<usize> = Vec::with_capacity(ks);
        let mut touched: Vec<usize> = Vec::new();
        let neighbours = std::mem::take(&mut self.neighbours);
        for &c in std::iter::once(&seed).chain(neighbours[seed].iter()) {
            if ruined.len() >= ks {
                break;
            }
            if s.cal[c] == NONE {
                continue;
            }
            // Its visit on the seed's day, or on one of its own days when it has none then.
            let mut r = s.at[c * l.t + day];
            if r == NONE {
                let own: Vec<usize> = days_of(p.calendars[c][s.cal[c] as usize]).collect();
                r = s.at[c * l.t + own[self.rng.usize(..own.len())]];
            }
            let r = r as usize;
            if ruined.contains(&r) {
                continue;
            }
            let len = s.routes[r].len();
            let pos = s.routes[r]
                .iter()
                .position(|&x| x == c)
                .expect("at is current");
            let (from, to, keep) =
                route::pick_string(&mut self.rng, len, pos, ls_max, self.cfg.split_rate);
            let gone: Vec<usize> = s.routes[r][from..to]
                .iter()
                .enumerate()
                .filter(|(i, _)| !keep.is_some_and(|(a, b)| from + i >= a && from + i < b))
                .map(|(_, &x)| x)
                .collect();
            ruined.push(r);
            for x in gone {
                s.drop_customer(p, l, x, &mut touched);
            }
        }
        self.neighbours = neighbours;
        for r in touched {
            s.refresh(p, l, r);
        }
    }

    /// Puts every unassigned customer back on its cheapest calendar (with blinks).
    fn recreate(&mut self, s: &mut State) {
        let (p, l) = (self.p, self.l);
        let mut todo = std::mem::take(&mut s.unassigned);
        s.missing = 0;
        let pl = &p.places;
        let key = |f: &dyn Fn(usize) -> f64, list: &mut [usize]| {
            list.sort_by(|&a, &b| f(a).partial_cmp(&f(b)).unwrap());
        };
        match self.rng.usize(0..12) {
            0..=3 => self.rng.shuffle(&mut todo),
            4..=6 => key(
                &|c| -((pl.demand[c] as f64) * l.visits[c] as f64),
                &mut todo,
            ),
            7..=8 => key(&|c| -pl.d(0, c), &mut todo),
            9 => key(&|c| pl.d(0, c), &mut todo),
            10 => key(&|c| p.calendars[c].len() as f64, &mut todo),
            _ => key(&|c| pl.due[c] - pl.ready[c], &mut todo),
        }
        let blink = self.cfg.blink;
        for c in todo {
            if !self.place(s, c, None, blink) {
                s.unassigned.push(c);
                s.missing += l.visits[c];
            }
        }
    }

    /// Places customer `c` on its cheapest calendar (or on calendar `only`), each day's visit at
    /// its cheapest position; false when none fits.
    fn place(&mut self, s: &mut State, c: usize, only: Option<usize>, blink: f64) -> bool {
        let (p, l) = (self.p, self.l);
        let cals = &p.calendars[c];
        let union = match only {
            Some(k) => cals[k],
            None => cals.iter().fold(0, |a, &m| a | m),
        };
        // The cheapest position per day: (extra distance, route, position).
        let mut per_day: [Option<(f64, usize, usize)>; 64] = [None; 64];
        let uses = p.uses_of(c);
        for d in days_of(union) {
            if uses
                .iter()
                .any(|&(g, amount)| s.used[g * l.t + d] + amount > p.room[g][d])
            {
                continue;
            }
            let mut best: Option<(f64, usize, usize)> = None;
            let mut tried_empty: Vec<&Vehicle> = Vec::new();
            for r in l.of_day[d].clone() {
                let veh = l.vehicle(p, r);
                if s.routes[r].is_empty() {
                    // Identical empty vehicles are the same choice.
                    if tried_empty.contains(&veh) {
                        continue;
                    }
                    tried_empty.push(veh);
                }
                let cached = Cached {
                    veh,
                    route: &s.routes[r],
                    start: &s.start[r],
                    latest: &s.latest[r],
                    load: s.load[r],
                };
                let bound = best.map_or(f64::INFINITY, |b| b.0);
                if let Some((delta, i)) =
                    route::cheapest_position(&p.places, &cached, c, blink, &mut self.rng, bound)
                {
                    best = Some((delta, r, i));
                }
            }
            per_day[d] = best;
        }
        let mut choice: Option<(f64, usize)> = None;
        for (k, &mask) in cals.iter().enumerate() {
            if only.is_some_and(|o| o != k) {
                continue;
            }
            let mut sum = 0.0;
            let mut fits = true;
            for d in days_of(mask) {
                match per_day[d] {
                    Some((delta, _, _)) => sum += delta,
                    None => {
                        fits = false;
                        break;
                    }
                }
            }
            if fits && choice.is_none_or(|b| sum < b.0) {
                choice = Some((sum, k));
            }
        }
        let Some((_, k)) = choice else {
            return false;
        };
        for d in days_of(cals[k]) {
            let (_, r, i) = per_day[d].expect("the calendar fits");
            for &(g, amount) in uses {
                s.used[g * l.t + d] += amount;
            }
            s.routes[r].insert(i, c);
            s.refresh(p, l, r);
        }
        s.cal[c] = k as u32;
        true
    }
}
