//! The fortnight's deliveries as a periodic routing problem: who may move to which day, the
//! districts' room per day, the vans; and how far a plan drives.
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use hearth_routing::periodic::{PeriodicProblem, PeriodicSolution};
use hearth_routing::{Objective, Problem, Vehicle};
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::orders::core::calendar::BookingRules;
use crate::orders::core::capacity::{self, Booked, Line};
use crate::runs::matrix::{DistanceMatrix, Matrix, Point};
use crate::runs::model::{parse_clock, window_seconds};
use crate::runs::plan::{settings, travel};
use crate::server::config::Config;

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

pub(super) async fn load(pool: &SqlitePool, config: &Config) -> Result<Option<Week>, AppError> {
    let s = settings(pool).await?;
    let kitchen = s.kitchen.ok_or_else(|| {
        AppError::invalid("kitchen", crate::said::said("refuse-kitchen-location"))
    })?;
    let first = config.today() + chrono::Duration::days(1);
    let last = first + chrono::Duration::days(HORIZON_DAYS - 1);
    let (from, to) = (first.to_string(), last.to_string());
    // Orders on a published run, or already in the kitchen, keep their day.
    let raw = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, c.name, o.district_id AS "district_id!: i64", d.name AS district,
                  d.served_weekdays, d.capacity_per_day, o.fulfil_on, o.flex_from, o.flex_to,
                  o.lat AS "lat!: f64", o.lng AS "lng!: f64", o.window_from, o.window_to,
                  o.status IN ('received', 'confirmed')
                    AND NOT EXISTS (SELECT 1 FROM run_stops rs JOIN runs r ON r.id = rs.run_id
                                    WHERE rs.order_id = o.id AND r.status = 'published') AS "movable!: bool",
                  (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id) AS "items!: i64",
                  o.standing_order_id, s.patterns AS "patterns?"
           FROM orders o JOIN customers c ON c.id = o.customer_id JOIN districts d ON d.id = o.district_id
                LEFT JOIN standing_orders s ON s.id = o.standing_order_id
           WHERE o.fulfilment = 'delivery' AND o.status NOT IN ('cancelled', 'delivered')
             AND o.lat IS NOT NULL AND o.fulfil_on BETWEEN ? AND ?
           ORDER BY o.id"#,
        from,
        to
    )
    .fetch_all(pool)
    .await?;
    if raw.is_empty() {
        return Ok(None);
    }
    let mut lines: HashMap<i64, Vec<Line>> = HashMap::new();
    for l in sqlx::query!(
        r#"SELECT i.order_id, i.product_id, p.name, i.quantity, p.daily_capacity, p.offered_weekdays, p.lead_days
           FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id
           WHERE o.fulfilment = 'delivery' AND o.fulfil_on BETWEEN ? AND ?"#,
        from,
        to
    )
    .fetch_all(pool)
    .await?
    {
        lines.entry(l.order_id).or_default().push(Line {
            product_id: l.product_id,
            name: l.name,
            quantity: l.quantity,
            capacity: l.daily_capacity,
            offered: l.offered_weekdays,
            lead_days: l.lead_days,
        });
    }
    let mut conn = pool.acquire().await?;
    let rules = BookingRules::load(&mut conn).await?;
    let booked = Booked::load(&mut conn, first, last, config.today()).await?;
    drop(conn);
    let days = HORIZON_DAYS as usize;
    let date = |k: usize| first + chrono::Duration::days(k as i64);
    let parse = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    let mut rows: Vec<Row> = Vec::with_capacity(raw.len());
    // A standing order's week, while its visits may move together: (standing order, Monday)
    // → the row holding them.
    let mut weeks: HashMap<(i64, NaiveDate), usize> = HashMap::new();
    let mut served: HashMap<i64, (i64, i64)> = HashMap::new();
    for r in raw {
        let Some(day) = parse(&r.fulfil_on) else {
            continue;
        };
        let current = (day - first).num_days() as usize;
        let window = window_seconds(r.window_from.as_deref(), r.window_to.as_deref())?;
        served.insert(r.district_id, (r.served_weekdays, r.capacity_per_day));
        let range = r
            .flex_from
            .as_deref()
            .and_then(parse)
            .zip(r.flex_to.as_deref().and_then(parse));
        let own = lines.get(&r.id).map(Vec::as_slice).unwrap_or_default();
        // The order core's own conditions for a day, as far as one order can tell: the
        // customer's range, the district served, the kitchen open and baking its
        // products, their units free. Stops per district-day are the solver's to keep.
        let open = |d: NaiveDate| {
            serves(r.served_weekdays, d)
                && rules.kitchen_refusal(own, d).is_none()
                && capacity::units_refusal(&booked, own, d).is_none()
        };
        let mut allowed = vec![1u64 << current];
        if let (Some((a, b)), true) = (range, r.movable) {
            allowed.extend(
                (0..days)
                    .filter(|&k| {
                        let d = date(k);
                        k != current && d >= a && d <= b && open(d)
                    })
                    .map(|k| 1u64 << k),
            );
        }
        let point = Point {
            lat: r.lat,
            lng: r.lng,
        };
        let patterns = r
            .patterns
            .as_deref()
            .map(crate::standing::model::patterns_from_text)
            .unwrap_or_default();
        if let (Some(standing), true, true) = (r.standing_order_id, patterns.len() > 1, r.movable) {
            let monday = crate::standing::model::monday_of(day);
            let key = (standing, monday);
            // Each accepted pattern of that week, when all its days are in the horizon and
            // open to this order.
            let masks: Vec<u64> = patterns
                .iter()
                .filter_map(|&p| {
                    let days_of: Vec<NaiveDate> = (0..7)
                        .map(|i| monday + chrono::Duration::days(i))
                        .filter(|d| crate::standing::model::on_pattern(p, *d))
                        .collect();
                    days_of
                        .iter()
                        .all(|d| *d >= first && *d <= last && open(*d))
                        .then(|| {
                            days_of
                                .iter()
                                .fold(0u64, |m, d| m | 1 << (*d - first).num_days())
                        })
                })
                .collect();
            match weeks.get(&key) {
                Some(&i)
                    if rows[i].visits.iter().all(|v| v.2 != day)
                        && rows[i].point == point
                        && rows[i].items == r.items =>
                {
                    let row = &mut rows[i];
                    row.visits.push((r.id, r.number, day));
                    row.allowed[0] |= 1 << current;
                    let now = row.allowed[0];
                    let size = row.visits.len() as u32;
                    // What the week's visits may become: patterns of as many days as it has.
                    row.allowed.truncate(1);
                    row.allowed.extend(
                        masks
                            .iter()
                            .copied()
                            .filter(|&m| m != now && m.count_ones() == size),
                    );
                    continue;
                }
                Some(_) => {}
                None => {
                    weeks.insert(key, rows.len());
                    let booked = allowed[0];
                    allowed.extend(
                        masks
                            .iter()
                            .copied()
                            .filter(|&m| m != booked && m.count_ones() == 1),
                    );
                }
            }
        }
        rows.push(Row {
            visits: vec![(r.id, r.number, day)],
            standing: r.standing_order_id,
            customer: crate::orders::model::first_name(&r.name),
            district_id: r.district_id,
            district: r.district,
            allowed,
            point,
            ready: window.0,
            due: window.1,
            items: r.items,
        });
    }
    let mut points = vec![kitchen];
    points.extend(rows.iter().map(|r| r.point));
    let matrix = travel(config, &s).table(&points).await.map_err(|e| {
        AppError::Conflict(crate::said::said_with(
            "refuse-travel-times",
            &[("why", &e)],
        ))
    })?;
    // Limited resources, each a group with room per day: every district (its stops) and every
    // product in the plan (its units). Room = the day's capacity less what orders outside the
    // plan use; never less than what the plan's own orders use there now (an overbooked day
    // stays as it is, it does not become impossible).
    let mut index: HashMap<(bool, i64), usize> = HashMap::new();
    let mut capacity_of: Vec<Vec<i64>> = Vec::new();
    let mut uses: Vec<Vec<(usize, i64)>> = vec![Vec::new()];
    for r in &rows {
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
    let shift = (
        parse_clock(&s.shift_start, "shift_start")?,
        parse_clock(&s.shift_end, "shift_end")?,
    );
    let vans = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM users WHERE role = 'driver' AND active = 1"#
    )
    .fetch_one(pool)
    .await?
    .max(1) as usize;
    let node = |f: &dyn Fn(&Row) -> f64, depot: f64| -> Vec<f64> {
        std::iter::once(depot).chain(rows.iter().map(f)).collect()
    };
    let problem = PeriodicProblem {
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
    };
    Ok(Some(Week {
        rates: (s.cost_per_km_cents, s.driver_per_hour_cents),
        first,
        rows,
        matrix,
        problem,
    }))
}
