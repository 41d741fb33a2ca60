//! Choosing delivery days: orders whose customers accept a range of days go to the day where
//! they add the least driving, within each district-day's capacity.
//!
//! Each day is modelled as one tour from the depot (cheapest insertion, then 2-opt); an order
//! moves to another allowed day when that shortens the total. Cheap and deterministic; the
//! caller measures the result with the real solver.

/// An order to place.
#[derive(Clone, Debug, PartialEq)]
pub struct DayOrder {
    /// Its node in the distance matrix (0 is the depot).
    pub node: usize,
    /// Index of its capacity group (its district).
    pub group: usize,
    /// The day it is booked on now (an index into the horizon).
    pub current: usize,
    /// Days it may move to (including `current`).
    pub allowed: Vec<usize>,
}

/// Tour length of `tour` (customers only) from and back to the depot.
fn length(d: &dyn Fn(usize, usize) -> f64, tour: &[usize]) -> f64 {
    let mut at = 0;
    let mut sum = 0.0;
    for &c in tour {
        sum += d(at, c);
        at = c;
    }
    sum + d(at, 0)
}

fn cheapest_insert(d: &dyn Fn(usize, usize) -> f64, tour: &[usize], c: usize) -> (f64, usize) {
    let mut best = (f64::INFINITY, 0);
    for i in 0..=tour.len() {
        let a = if i == 0 { 0 } else { tour[i - 1] };
        let b = if i == tour.len() { 0 } else { tour[i] };
        let delta = d(a, c) + d(c, b) - d(a, b);
        if delta < best.0 {
            best = (delta, i);
        }
    }
    best
}

fn removal_saving(d: &dyn Fn(usize, usize) -> f64, tour: &[usize], pos: usize) -> f64 {
    let a = if pos == 0 { 0 } else { tour[pos - 1] };
    let b = if pos + 1 == tour.len() {
        0
    } else {
        tour[pos + 1]
    };
    d(a, tour[pos]) + d(tour[pos], b) - d(a, b)
}

fn two_opt(d: &dyn Fn(usize, usize) -> f64, tour: &mut [usize]) {
    let n = tour.len();
    let node = |t: &[usize], i: isize| {
        if i < 0 || i as usize >= n {
            0
        } else {
            t[i as usize]
        }
    };
    let mut improved = true;
    while improved {
        improved = false;
        for i in 0..n {
            for j in i + 1..n {
                let (a, b) = (node(tour, i as isize - 1), tour[i]);
                let (c, e) = (tour[j], node(tour, j as isize + 1));
                if d(a, c) + d(b, e) + 1e-9 < d(a, b) + d(c, e) {
                    tour[i..=j].reverse();
                    improved = true;
                }
            }
        }
    }
}

/// The days' tours for an assignment.
pub fn tours(
    d: &dyn Fn(usize, usize) -> f64,
    orders: &[DayOrder],
    day_of: &[usize],
    days: usize,
) -> Vec<Vec<usize>> {
    let mut tours = vec![Vec::new(); days];
    for (o, &day) in orders.iter().zip(day_of) {
        let (_, at) = cheapest_insert(d, &tours[day], o.node);
        tours[day].insert(at, o.node);
    }
    for t in &mut tours {
        two_opt(d, t);
    }
    tours
}

/// Total tour length of an assignment.
pub fn total(
    d: &dyn Fn(usize, usize) -> f64,
    orders: &[DayOrder],
    day_of: &[usize],
    days: usize,
) -> f64 {
    tours(d, orders, day_of, days)
        .iter()
        .map(|t| length(d, t))
        .sum()
}

/// A day for every order: starts from the current days and moves orders while that shortens
/// the days' tours. `room[group][day]` is how many more orders each group takes that day
/// beyond those booked now.
pub fn assign(
    d: &dyn Fn(usize, usize) -> f64,
    orders: &[DayOrder],
    days: usize,
    room: &[Vec<i64>],
) -> Vec<usize> {
    let mut day_of: Vec<usize> = orders.iter().map(|o| o.current).collect();
    let mut room: Vec<Vec<i64>> = room.to_vec();
    let mut tours = tours(d, orders, &day_of, days);
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for (k, o) in orders.iter().enumerate() {
            let from = day_of[k];
            let pos = tours[from]
                .iter()
                .position(|&x| x == o.node)
                .expect("placed");
            let saving = removal_saving(d, &tours[from], pos);
            for &to in &o.allowed {
                if to == from || to >= days || room[o.group][to] <= 0 {
                    continue;
                }
                let (cost, _) = cheapest_insert(d, &tours[to], o.node);
                let gain = saving - cost;
                if gain > 1e-9 && best.is_none_or(|b| gain > b.0) {
                    best = Some((gain, k, to));
                }
            }
        }
        let Some((_, k, to)) = best else { break };
        let o = &orders[k];
        let from = day_of[k];
        tours[from].retain(|&x| x != o.node);
        let (_, at) = cheapest_insert(d, &tours[to], o.node);
        tours[to].insert(at, o.node);
        two_opt(d, &mut tours[from]);
        two_opt(d, &mut tours[to]);
        room[o.group][from] += 1;
        room[o.group][to] -= 1;
        day_of[k] = to;
    }
    day_of
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_move_to_the_day_their_neighbours_are_on() {
        // Two clusters far apart; day 0 has cluster A, day 1 cluster B, and one flexible A
        // order booked on day 1 should move to day 0.
        let pts = [
            (0.0, 0.0),
            (10.0, 0.0),
            (10.5, 0.0),
            (11.0, 0.0),
            (-10.0, 0.0),
            (-10.5, 0.0),
        ];
        let d = |a: usize, b: usize| {
            let (p, q): ((f64, f64), (f64, f64)) = (pts[a], pts[b]);
            ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
        };
        let orders = vec![
            DayOrder {
                node: 1,
                group: 0,
                current: 0,
                allowed: vec![0],
            },
            DayOrder {
                node: 2,
                group: 0,
                current: 0,
                allowed: vec![0],
            },
            DayOrder {
                node: 3,
                group: 0,
                current: 1,
                allowed: vec![0, 1],
            },
            DayOrder {
                node: 4,
                group: 0,
                current: 1,
                allowed: vec![1],
            },
            DayOrder {
                node: 5,
                group: 0,
                current: 1,
                allowed: vec![1],
            },
        ];
        let before = total(&d, &orders, &[0, 0, 1, 1, 1], 2);
        let after_days = assign(&d, &orders, 2, &[vec![5, 5]]);
        assert_eq!(after_days, vec![0, 0, 0, 1, 1]);
        let after = total(&d, &orders, &after_days, 2);
        assert!(after < before - 10.0, "{after} vs {before}");
        // Without room on day 0 it stays.
        assert_eq!(assign(&d, &orders, 2, &[vec![0, 5]])[2], 1);
    }
}
