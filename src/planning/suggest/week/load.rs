//! Loading the fortnight for the planner: the deliveries that may move and the days each may
//! move to (a standing order's week moves as one), the limited resources per day (stops per
//! district, units per product) and the periodic problem the solver gets.
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::SqlitePool;

use super::problem::{groups, problem};
use super::{serves, Row, Week, HORIZON_DAYS};
use crate::error::AppError;
use crate::orders::core::calendar::BookingRules;
use crate::orders::core::capacity::{self, Booked, Line};
use crate::runs::matrix::Point;
use crate::runs::model::window_seconds;
use crate::runs::plan::{settings, travel_table};
use crate::server::config::Config;

/// A delivery of the horizon as read.
struct Raw {
    id: i64,
    number: i64,
    name: String,
    district_id: i64,
    district: String,
    served_weekdays: i64,
    capacity_per_day: i64,
    fulfil_on: String,
    flex_from: Option<String>,
    flex_to: Option<String>,
    lat: f64,
    lng: f64,
    window_from: Option<String>,
    window_to: Option<String>,
    movable: bool,
    items: i64,
    standing_order_id: Option<i64>,
    patterns: Option<String>,
}

/// What the rows are built from: the horizon, its booking rules and what is booked.
pub(super) struct Horizon {
    pub(super) first: NaiveDate,
    pub(super) last: NaiveDate,
    pub(super) rules: BookingRules,
    pub(super) booked: Booked,
    /// Each order's lines.
    pub(super) lines: HashMap<i64, Vec<Line>>,
}

impl Horizon {
    pub(super) fn date(&self, k: usize) -> NaiveDate {
        self.first + chrono::Duration::days(k as i64)
    }
}

pub(in crate::planning::suggest) async fn load(
    pool: &SqlitePool,
    config: &Config,
) -> Result<Option<Week>, AppError> {
    let s = settings(pool).await?;
    let kitchen = s.kitchen.ok_or_else(|| {
        AppError::invalid("kitchen", crate::said::said("refuse-kitchen-location"))
    })?;
    let first = config.today() + chrono::Duration::days(1);
    let last = first + chrono::Duration::days(HORIZON_DAYS - 1);
    let raw = deliveries(pool, first, last).await?;
    if raw.is_empty() {
        return Ok(None);
    }
    let lines = lines_of(pool, first, last).await?;
    let mut conn = pool.acquire().await?;
    let rules = BookingRules::load(&mut conn).await?;
    let booked = Booked::load(&mut conn, first, last, config.today()).await?;
    drop(conn);
    let h = Horizon {
        first,
        last,
        rules,
        booked,
        lines,
    };
    let (rows, served) = rows_of(raw, &h)?;
    let mut points = vec![kitchen];
    points.extend(rows.iter().map(|r| r.point));
    let matrix = travel_table(config, &s, &points).await?;
    let (uses, room) = groups(&rows, &served, &h);
    let vans = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM users WHERE role = 'driver' AND active = 1"#
    )
    .fetch_one(pool)
    .await?
    .max(1) as usize;
    let problem = problem(&rows, &s, &matrix, vans, uses, room)?;
    Ok(Some(Week {
        rates: (s.cost_per_km_cents, s.driver_per_hour_cents),
        first,
        rows,
        matrix,
        problem,
    }))
}

/// The horizon's deliveries with a pin. Orders on a published run, or already in the kitchen,
/// keep their day (`movable` false).
async fn deliveries(
    pool: &SqlitePool,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<Raw>, AppError> {
    let (from, to) = (first.to_string(), last.to_string());
    Ok(sqlx::query!(
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
    .await?
    .into_iter()
    .map(|r| Raw {
        id: r.id,
        number: r.number,
        name: r.name,
        district_id: r.district_id,
        district: r.district,
        served_weekdays: r.served_weekdays,
        capacity_per_day: r.capacity_per_day,
        fulfil_on: r.fulfil_on,
        flex_from: r.flex_from,
        flex_to: r.flex_to,
        lat: r.lat,
        lng: r.lng,
        window_from: r.window_from,
        window_to: r.window_to,
        movable: r.movable,
        items: r.items,
        standing_order_id: r.standing_order_id,
        patterns: r.patterns,
    })
    .collect())
}

/// Every delivery order's lines in the horizon.
async fn lines_of(
    pool: &SqlitePool,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<HashMap<i64, Vec<Line>>, AppError> {
    let (from, to) = (first.to_string(), last.to_string());
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
    Ok(lines)
}

/// The solver's rows (an order, or a standing order's week) with the day sets each may take,
/// and each district's (served weekdays, stops a day).
#[allow(clippy::type_complexity)]
fn rows_of(raw: Vec<Raw>, h: &Horizon) -> Result<(Vec<Row>, HashMap<i64, (i64, i64)>), AppError> {
    let mut rows: Vec<Row> = Vec::with_capacity(raw.len());
    // A standing order's week, while its visits may move together: (standing order, Monday)
    // → the row holding them.
    let mut weeks: HashMap<(i64, NaiveDate), usize> = HashMap::new();
    let mut served: HashMap<i64, (i64, i64)> = HashMap::new();
    for r in raw {
        let Some(day) = parse_day(&r.fulfil_on) else {
            continue;
        };
        let current = (day - h.first).num_days() as usize;
        let window = window_seconds(r.window_from.as_deref(), r.window_to.as_deref())?;
        served.insert(r.district_id, (r.served_weekdays, r.capacity_per_day));
        let mut allowed = allowed_alone(&r, h, current);
        let point = Point {
            lat: r.lat,
            lng: r.lng,
        };
        if joined_week(
            &mut rows,
            &mut weeks,
            &r,
            h,
            (day, current, &point),
            &mut allowed,
        ) {
            continue;
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
    Ok((rows, served))
}

fn parse_day(t: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// The order core's own conditions for a day, as far as one order can tell: the district
/// served, the kitchen open and baking its products, their units free. Stops per
/// district-day are the solver's to keep.
fn open_on(r: &Raw, h: &Horizon, d: NaiveDate) -> bool {
    let own = h.lines.get(&r.id).map(Vec::as_slice).unwrap_or_default();
    serves(r.served_weekdays, d)
        && h.rules.kitchen_refusal(own, d).is_none()
        && capacity::units_refusal(&h.booked, own, d).is_none()
}

/// The day sets an order may take on its own: its booked day (`current`), then each day of
/// the customer's range open to it when it may move.
fn allowed_alone(r: &Raw, h: &Horizon, current: usize) -> Vec<u64> {
    let range = r
        .flex_from
        .as_deref()
        .and_then(parse_day)
        .zip(r.flex_to.as_deref().and_then(parse_day));
    let mut allowed = vec![1u64 << current];
    if let (Some((a, b)), true) = (range, r.movable) {
        allowed.extend(
            (0..HORIZON_DAYS as usize)
                .filter(|&k| {
                    let d = h.date(k);
                    k != current && d >= a && d <= b && open_on(r, h, d)
                })
                .map(|k| 1u64 << k),
        );
    }
    allowed
}

/// A standing order's visit whose week may move together: it joins the row of its week's
/// earlier visit (same place and items, another day) and true is returned; the week's first
/// visit also gets the one-day patterns it may take (`allowed`).
fn joined_week(
    rows: &mut [Row],
    weeks: &mut HashMap<(i64, NaiveDate), usize>,
    r: &Raw,
    h: &Horizon,
    (day, current, point): (NaiveDate, usize, &Point),
    allowed: &mut Vec<u64>,
) -> bool {
    let patterns = r
        .patterns
        .as_deref()
        .map(crate::standing::model::patterns_from_text)
        .unwrap_or_default();
    let (Some(standing), true, true) = (r.standing_order_id, patterns.len() > 1, r.movable) else {
        return false;
    };
    let monday = crate::standing::model::monday_of(day);
    let key = (standing, monday);
    // Each accepted pattern of that week, when all its days are in the horizon and open to
    // this order.
    let masks = week_masks(&patterns, monday, (h.first, h.last), &|d| open_on(r, h, d));
    match weeks.get(&key) {
        Some(&i)
            if rows[i].visits.iter().all(|v| v.2 != day)
                && rows[i].point == *point
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
            return true;
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
    false
}

/// Each accepted pattern of the week starting `monday`, as a day set of the horizon, when all
/// its days are in the horizon and `open` to the order.
fn week_masks(
    patterns: &[u8],
    monday: NaiveDate,
    (first, last): (NaiveDate, NaiveDate),
    open: &dyn Fn(NaiveDate) -> bool,
) -> Vec<u64> {
    patterns
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
        .collect()
}
