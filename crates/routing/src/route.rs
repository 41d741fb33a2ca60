//! Pieces of ruin-and-recreate shared by the daily solver ([`crate::Sisr`]) and the periodic one
//! ([`crate::periodic`]): a route's caches for O(1) insertion checks, the cheapest feasible
//! position of a customer in a route, the choice of a string to remove, and the threads with
//! what they share.
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::{Problem, Progress, SolveOptions, Vehicle};

/// A route's service start and latest feasible service start per position; returns the route's
/// load and length.
pub(crate) fn refresh(
    p: &Problem,
    veh: &Vehicle,
    route: &[usize],
    start: &mut Vec<f64>,
    latest: &mut Vec<f64>,
) -> (i64, f64) {
    let k = route.len();
    start.clear();
    latest.clear();
    latest.resize(k, 0.0);
    let (mut at, mut clock, mut load, mut dist) = (0usize, veh.start, 0i64, 0.0);
    for &c in route {
        clock = (clock + p.t(at, c)).max(p.ready[c]);
        start.push(clock);
        clock += p.service[c];
        load += p.demand[c];
        dist += p.d(at, c);
        at = c;
    }
    dist += p.d(at, 0);
    let mut next_latest = veh.end;
    let mut next = 0usize;
    for i in (0..k).rev() {
        let c = route[i];
        let l = p.due[c].min(next_latest - p.t(c, next) - p.service[c]);
        latest[i] = l;
        next_latest = l;
        next = c;
    }
    (load, dist)
}

/// A route with its caches, as [`refresh`] leaves them.
pub(crate) struct Cached<'a> {
    pub veh: &'a Vehicle,
    pub route: &'a [usize],
    pub start: &'a [f64],
    pub latest: &'a [f64],
    pub load: i64,
}

/// The cheapest feasible position for `c` in a non-empty route that costs less than `bound`
/// (extra distance, position), skipping each position with probability `blink`.
pub(crate) fn cheapest_position(
    p: &Problem,
    r: &Cached,
    c: usize,
    blink: f64,
    rng: &mut fastrand::Rng,
    bound: f64,
) -> Option<(f64, usize)> {
    let veh = r.veh;
    if r.load + p.demand[c] > veh.capacity {
        return None;
    }
    let (rc, duec, sc) = (p.ready[c], p.due[c], p.service[c]);
    let k = r.route.len();
    let mut best: Option<(f64, usize)> = None;
    let mut bound = bound;
    let mut prev = 0usize;
    let mut dep = veh.start;
    for i in 0..=k {
        let next = if i < k { r.route[i] } else { 0 };
        let arrive = dep + p.t(prev, c);
        if arrive > duec {
            break;
        }
        let delta = p.d(prev, c) + p.d(c, next) - p.d(prev, next);
        if delta < bound && (blink == 0.0 || rng.f64() >= blink) {
            let start = arrive.max(rc);
            let lnext = if i < k { r.latest[i] } else { veh.end };
            if start + sc + p.t(c, next) <= lnext {
                best = Some((delta, i));
                bound = delta;
            }
        }
        if i < k {
            dep = r.start[i] + p.service[next];
            prev = next;
        }
    }
    best
}

/// Positions `from..to` of a route of `len` to remove around position `pos`: a string of up to
/// `ls_max` customers, or (with probability `split_rate`) a longer one keeping a piece in the
/// middle (`keep`).
pub(crate) fn pick_string(
    rng: &mut fastrand::Rng,
    len: usize,
    pos: usize,
    ls_max: f64,
    split_rate: f64,
) -> (usize, usize, Option<(usize, usize)>) {
    let lmax = (ls_max.min(len as f64) as usize).max(1);
    let l = rng.usize(1..=lmax);
    if l < len && rng.f64() < split_rate {
        let mut m = 1;
        while l + m < len && rng.f64() < 0.5 {
            m += 1;
        }
        let total = l + m;
        let lo = (pos + 1).saturating_sub(total);
        let hi = pos.min(len - total);
        let from = rng.usize(lo..=hi);
        let keep_at = from + rng.usize(0..=l);
        (from, from + total, Some((keep_at, keep_at + m)))
    } else {
        let lo = (pos + 1).saturating_sub(l);
        let hi = pos.min(len - l);
        let from = rng.usize(lo..=hi);
        (from, from + l, None)
    }
}

/// Runs `search(seed, reporter)` on `threads` threads, each with its own seed derived from
/// `seed` (thread 0 is the one that reports progress), and returns their results.
pub(crate) fn in_threads<S: Send>(
    threads: usize,
    seed: u64,
    search: impl Fn(u64, bool) -> S + Sync,
) -> Vec<S> {
    std::thread::scope(|scope| {
        let search = &search;
        let handles: Vec<_> = (0..threads.max(1))
            .map(|i| {
                let seed = seed
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .wrapping_add(i as u64);
                scope.spawn(move || search(seed, i == 0))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("solver thread panicked"))
            .collect()
    })
}

/// Per node, the customers sorted by distance from it.
pub(crate) fn neighbours(p: &Problem) -> Vec<Vec<usize>> {
    let n = p.len();
    (0..n)
        .map(|c| {
            let mut v: Vec<usize> = (1..n).filter(|&x| x != c).collect();
            v.sort_by(|&a, &b| p.d(c, a).partial_cmp(&p.d(c, b)).unwrap());
            v
        })
        .collect()
}

/// The mean depot–customer distance (1 when there is none): the unit of temperatures and of
/// the price of leaving a customer out.
pub(crate) fn scale(p: &Problem) -> f64 {
    let n = p.len();
    let mean = if n > 1 {
        (1..n).map(|c| p.d(0, c)).sum::<f64>() / (n - 1) as f64
    } else {
        1.0
    };
    if mean > 0.0 {
        mean
    } else {
        1.0
    }
}

/// What the search threads share: the best plan so far (as reported to the caller) and the
/// iterations done.
pub(crate) struct Shared {
    pub best: Mutex<Option<Progress>>,
    pub iterations: AtomicU64,
}

impl Shared {
    pub fn new() -> Shared {
        Shared {
            best: Mutex::new(None),
            iterations: AtomicU64::new(0),
        }
    }

    /// Keeps `progress` as the best so far when `better(new, old)`.
    pub fn offer(&self, progress: Progress, better: impl Fn(&Progress, &Progress) -> bool) {
        let mut best = self.best.lock().unwrap();
        if best.as_ref().is_none_or(|b| better(&progress, b)) {
            *best = Some(progress);
        }
    }

    /// Tells the caller the best so far (at most ten times a second, by `last`).
    pub fn tell(&self, o: &SolveOptions, started: Instant, last: &mut Instant) {
        if last.elapsed() < Duration::from_millis(100) {
            return;
        }
        *last = Instant::now();
        if let (Some(f), Some(b)) = (o.progress, *self.best.lock().unwrap()) {
            f(Progress {
                elapsed: started.elapsed(),
                ..b
            });
        }
    }
}
