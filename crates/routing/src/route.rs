//! Pieces of ruin-and-recreate shared by the daily solver ([`crate::Sisr`]) and the periodic one
//! ([`crate::periodic`]): a route's caches for O(1) insertion checks, the cheapest feasible
//! position of a customer in a route, and the choice of a string to remove.
use crate::{Problem, Vehicle};

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
