//! The fortnight as the solver sees it: the limited resources per day (stops per district,
//! units per product) with their room, and the periodic problem itself.
use std::collections::HashMap;

use hearth_routing::periodic::PeriodicProblem;
use hearth_routing::{Objective, Problem, Vehicle};

use super::load::Horizon;
use super::{serves, Row, HORIZON_DAYS};
use crate::error::AppError;
use crate::runs::model::parse_clock;
use crate::runs::plan::Settings;

/// Limited resources, each a group with room per day: every district (its stops) and every
/// product in the plan (its units). Room = the day's capacity less what orders outside the
/// plan use; never less than what the plan's own orders use there now (an overbooked day
/// stays as it is, it does not become impossible). Returns each node's uses and the room.
#[allow(clippy::type_complexity)]
pub(super) fn groups(
    rows: &[Row],
    served: &HashMap<i64, (i64, i64)>,
    h: &Horizon,
) -> (Vec<Vec<(usize, i64)>>, Vec<Vec<i64>>) {
    let (booked, lines) = (&h.booked, &h.lines);
    let days = HORIZON_DAYS as usize;
    let date = |k: usize| h.date(k);
    let mut index: HashMap<(bool, i64), usize> = HashMap::new();
    let mut capacity_of: Vec<Vec<i64>> = Vec::new();
    let mut uses: Vec<Vec<(usize, i64)>> = vec![Vec::new()];
    for r in rows {
        let mut mine = Vec::new();
        let first_visit = r.visits[0].0;
        let (mask, cap) = served[&r.district_id];
        let g = *index.entry((false, r.district_id)).or_insert_with(|| {
            capacity_of.push(
                (0..days)
                    .map(|k| if serves(mask, date(k)) { cap } else { 0 })
                    .collect(),
            );
            capacity_of.len() - 1
        });
        mine.push((g, 1));
        for l in lines
            .get(&first_visit)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let g = *index.entry((true, l.product_id)).or_insert_with(|| {
                capacity_of.push(vec![l.capacity; days]);
                capacity_of.len() - 1
            });
            mine.push((g, l.quantity));
        }
        uses.push(mine);
    }
    let mut planned = vec![vec![0i64; days]; capacity_of.len()];
    for (i, r) in rows.iter().enumerate() {
        for &(g, amount) in &uses[i + 1] {
            for (k, slot) in planned[g].iter_mut().enumerate() {
                if r.allowed[0] & (1 << k) != 0 {
                    *slot += amount;
                }
            }
        }
    }
    let mut room = capacity_of;
    for (&(product, id), &g) in &index {
        for (k, slot) in room[g].iter_mut().enumerate() {
            let all = if product {
                booked.units(id, date(k))
            } else {
                booked.stops(id, date(k))
            };
            let outside = all - planned[g][k];
            *slot = (*slot - outside).max(planned[g][k]);
        }
    }
    (uses, room)
}

/// The periodic problem: node 0 the kitchen, node i + 1 row i, the same vans every day.
pub(super) fn problem(
    rows: &[Row],
    s: &Settings,
    matrix: &crate::runs::matrix::Matrix,
    vans: usize,
    uses: Vec<Vec<(usize, i64)>>,
    room: Vec<Vec<i64>>,
) -> Result<PeriodicProblem, AppError> {
    let days = HORIZON_DAYS as usize;
    let shift = (
        parse_clock(&s.shift_start, "shift_start")?,
        parse_clock(&s.shift_end, "shift_end")?,
    );
    let node = |f: &dyn Fn(&Row) -> f64, depot: f64| -> Vec<f64> {
        std::iter::once(depot).chain(rows.iter().map(f)).collect()
    };
    Ok(PeriodicProblem {
        places: Problem {
            dist: matrix.metres.clone(),
            time: matrix.seconds.clone(),
            demand: std::iter::once(0)
                .chain(rows.iter().map(|r| r.items))
                .collect(),
            ready: node(&|r| r.ready.unwrap_or(shift.0), shift.0),
            due: node(&|r| r.due.unwrap_or(shift.1), shift.1),
            service: node(&|_| s.service_s, 0.0),
            vehicles: Vec::new(),
            objective: Objective::Distance,
            locked: vec![false; rows.len() + 1],
            initial: None,
        },
        days: vec![
            vec![
                Vehicle {
                    capacity: s.van_capacity,
                    start: shift.0,
                    end: shift.1,
                };
                vans
            ];
            days
        ],
        calendars: std::iter::once(Vec::new())
            .chain(rows.iter().map(|r| r.allowed.clone()))
            .collect(),
        initial: Some(
            std::iter::once(None)
                .chain(rows.iter().map(|_| Some(0)))
                .collect(),
        ),
        uses,
        room,
    })
}
