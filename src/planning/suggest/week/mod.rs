//! The fortnight's deliveries as a periodic routing problem: who may move to which day, the
//! districts' room per day, the vans; and how far a plan drives.

use chrono::{Datelike, NaiveDate};
use hearth_routing::periodic::{PeriodicProblem, PeriodicSolution};

use crate::runs::matrix::{Matrix, Point};

mod load;
mod problem;

pub(super) use load::load;

/// Days planned, from tomorrow: a fortnight.
pub const HORIZON_DAYS: i64 = 14;

/// One place the solver visits: an order, or a standing order's visits of one week (which
/// move together, onto another weekday pattern its customer accepts).
pub(super) struct Row {
    /// The orders: (id, number, day booked now), by day.
    pub(super) visits: Vec<(i64, i64, NaiveDate)>,
    /// The standing order whose week this is.
    pub(super) standing: Option<i64>,
    pub(super) customer: String,
    pub(super) district_id: i64,
    pub(super) district: String,
    /// The sets of days it may be delivered on (bit k = the horizon's day k), as booked first.
    pub(super) allowed: Vec<u64>,
    pub(super) point: Point,
    pub(super) ready: Option<f64>,
    pub(super) due: Option<f64>,
    pub(super) items: i64,
}

/// Whether the district is served on that weekday (bit 0 = Monday).
fn serves(mask: i64, day: NaiveDate) -> bool {
    mask & (1 << day.weekday().num_days_from_monday()) != 0
}

/// The horizon's deliveries as the solver sees them: the kitchen is node 0 and row `i` is
/// node `i + 1`; each row's calendars are single days (its booked day first); every district
/// (stops) and every product (units) is a group whose room per day is its capacity less what
/// orders outside the plan use.
pub(super) struct Week {
    pub(super) first: NaiveDate,
    pub(super) rows: Vec<Row>,
    pub(super) matrix: Matrix,
    pub(super) problem: PeriodicProblem,
    /// Cost of a km and of a driver's hour, from Settings.
    pub(super) rates: (i64, i64),
}

impl Week {
    /// The same week with every order kept on its booked day.
    pub(super) fn as_booked(&self) -> PeriodicProblem {
        let mut p = self.problem.clone();
        for cals in p.calendars.iter_mut().skip(1) {
            cals.truncate(1);
        }
        p
    }

    /// Km, hours at the wheel, stops left out, and per day (stops, vans, km).
    pub(super) fn measure(
        &self,
        s: &PeriodicSolution,
    ) -> (f64, f64, usize, Vec<(usize, usize, f64)>) {
        let m = &self.matrix;
        let (mut metres, mut seconds) = (0.0, 0.0);
        let mut per_day = vec![(0usize, 0usize, 0.0f64); s.days.len()];
        for (d, routes) in s.days.iter().enumerate() {
            for r in routes {
                let mut at = 0;
                let mut km = 0.0;
                for &c in r.stops.iter().chain(std::iter::once(&0)) {
                    km += m.metres(at, c);
                    seconds += m.seconds(at, c);
                    at = c;
                }
                metres += km;
                per_day[d].0 += r.stops.len();
                per_day[d].1 += 1;
                per_day[d].2 += km / 1000.0;
            }
        }
        // A stop no van could take still has to be driven: count it out and back.
        for &c in &s.unserved {
            let booked = self.rows[c - 1].allowed[0];
            for (k, day) in per_day.iter_mut().enumerate() {
                if booked & (1 << k) != 0 {
                    metres += m.metres(0, c) + m.metres(c, 0);
                    seconds += m.seconds(0, c) + m.seconds(c, 0);
                    day.0 += 1;
                    day.2 += (m.metres(0, c) + m.metres(c, 0)) / 1000.0;
                }
            }
        }
        let unserved = s
            .unserved
            .iter()
            .map(|&c| self.rows[c - 1].visits.len())
            .sum();
        (metres / 1000.0, seconds / 3600.0, unserved, per_day)
    }
}
