//! The report's arithmetic, apart from the database: periods and buckets, the arrival heat map,
//! the delivery estimate for deliveries that were never on a run, and profit per district (whose
//! rows add up to the total exactly). The store loads grouped rows; these functions combine them.
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::{DistrictDay, DistrictProfit, Grain, Heat, Point, Totals};

/// The period just before `from..=to`, of the same length.
pub fn previous_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let days = (to - from).num_days() + 1;
    (from - Duration::days(days), from - Duration::days(1))
}

/// Days for a short period, weeks up to about half a year, months beyond.
pub fn default_grain(from: NaiveDate, to: NaiveDate) -> Grain {
    match (to - from).num_days() + 1 {
        ..=45 => Grain::Day,
        46..=200 => Grain::Week,
        _ => Grain::Month,
    }
}

/// The first day of the bucket `day` falls in (weeks start on Monday).
pub fn bucket_start(day: NaiveDate, grain: Grain) -> NaiveDate {
    match grain {
        Grain::Day => day,
        Grain::Week => day - Duration::days(day.weekday().num_days_from_monday() as i64),
        Grain::Month => day.with_day(1).unwrap_or(day),
    }
}

fn bucket_label(start: NaiveDate, grain: Grain) -> String {
    match grain {
        Grain::Day => start.format("%a %-d %b").to_string(),
        Grain::Week => format!("Week of {}", start.format("%-d %b")),
        Grain::Month => start.format("%b %Y").to_string(),
    }
}

fn next_bucket(start: NaiveDate, grain: Grain) -> NaiveDate {
    match grain {
        Grain::Day => start + Duration::days(1),
        Grain::Week => start + Duration::days(7),
        Grain::Month => {
            let (y, m) = if start.month() == 12 {
                (start.year() + 1, 1)
            } else {
                (start.year(), start.month() + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(start + Duration::days(31))
        }
    }
}

/// Orders and revenue per bucket over `from..=to`, every bucket present (empty ones as 0).
/// `days` holds (day, orders, revenue) for days with orders.
pub fn series(
    days: &[(NaiveDate, i64, i64)],
    from: NaiveDate,
    to: NaiveDate,
    grain: Grain,
) -> Vec<Point> {
    let mut sums: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    let mut start = bucket_start(from, grain);
    while start <= to {
        sums.insert(start, (0, 0));
        start = next_bucket(start, grain);
    }
    for &(day, orders, revenue) in days {
        if day < from || day > to {
            continue;
        }
        let e = sums.entry(bucket_start(day, grain)).or_default();
        e.0 += orders;
        e.1 += revenue;
    }
    sums.into_iter()
        .map(|(start, (orders, revenue_cents))| Point {
            start: start.to_string(),
            label: bucket_label(start, grain),
            orders,
            revenue_cents,
        })
        .collect()
}

pub fn totals(orders: i64, revenue_cents: i64, customers: i64) -> Totals {
    Totals {
        orders,
        revenue_cents,
        average_cents: if orders > 0 {
            (revenue_cents as f64 / orders as f64).round() as i64
        } else {
            0
        },
        customers,
    }
}

/// Change from `before` to `now` in percent, None when there was nothing before.
pub fn change_percent(now: i64, before: i64) -> Option<f64> {
    (before != 0).then(|| (now - before) as f64 / before as f64 * 100.0)
}

/// Orders per local weekday (Monday first) and hour. `hours` holds (UTC hour, orders) and
/// `local` turns a UTC hour into the bakery's (weekday Monday = 0, hour).
pub fn heat(
    hours: &[(chrono::NaiveDateTime, i64)],
    local: impl Fn(chrono::NaiveDateTime) -> (usize, usize),
) -> Heat {
    let mut cells = vec![vec![0i64; 24]; 7];
    for &(at, n) in hours {
        let (w, h) = local(at);
        cells[w.min(6)][h.min(23)] += n;
    }
    let max = cells.iter().flatten().copied().max().unwrap_or(0);
    Heat { cells, max }
}

/// Cost rates and the kitchen, for estimating deliveries that were not on a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    pub cost_per_km_cents: f64,
    pub driver_cost_per_hour_cents: f64,
    pub speed_kmh: f64,
    pub detour: f64,
    pub service_minutes: f64,
    pub kitchen: Option<(f64, f64)>,
}

/// What one trip serving `stops` deliveries whose centre is `km_away` (straight line) from the
/// kitchen would have cost: out and back at the detour factor, plus 1.5 km and the service
/// time per stop, at the Settings rates.
pub fn estimated_trip_cents(stops: i64, km_away: f64, r: &Rates) -> f64 {
    let km = 2.0 * km_away * r.detour + 1.5 * stops as f64;
    let hours = km / r.speed_kmh.max(1.0) + stops as f64 * r.service_minutes / 60.0;
    km * r.cost_per_km_cents + hours * r.driver_cost_per_hour_cents
}

/// One district (None: pickups) on one weekday (Monday = 0), summed over the period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    pub days: i64,
    pub orders: i64,
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub cogs_cents: f64,
    /// Shares of planned runs.
    pub run_cents: f64,
    /// Estimated trips for deliveries on no run, and how many deliveries that covers.
    pub estimated_cents: f64,
    pub estimated_stops: i64,
    pub failed_fees_cents: i64,
}

/// A district's name, colour and outline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DistrictInfo {
    pub name: String,
    pub colour: String,
    pub ring: Vec<[f64; 2]>,
}

/// Profit per district (pickups as their own row, last), the total (the rows' exact sum), and
/// every district-weekday, most profitable first.
pub fn profit(
    cells: &BTreeMap<(Option<i64>, usize), Cell>,
    info: &BTreeMap<i64, DistrictInfo>,
) -> (Vec<DistrictProfit>, DistrictProfit, Vec<DistrictDay>) {
    let name_of = |d: Option<i64>| match d {
        Some(id) => info
            .get(&id)
            .map(|i| i.name.clone())
            .unwrap_or_else(|| format!("District {id}")),
        None => "Pickup".to_string(),
    };
    let round = |c: f64| c.round() as i64;
    let mut rows: BTreeMap<Option<i64>, DistrictProfit> = BTreeMap::new();
    let mut days = Vec::new();
    for (&(district, weekday), c) in cells {
        let delivery = round(c.run_cents) + round(c.estimated_cents);
        let cogs = round(c.cogs_cents);
        let profit = c.gross_cents - c.discount_cents - cogs - delivery - c.failed_fees_cents;
        let row = rows.entry(district).or_insert_with(|| {
            let i = district
                .and_then(|id| info.get(&id))
                .cloned()
                .unwrap_or_default();
            DistrictProfit {
                district_id: district,
                name: name_of(district),
                colour: i.colour,
                ring: i.ring,
                ..Default::default()
            }
        });
        row.orders += c.orders;
        row.gross_cents += c.gross_cents;
        row.discount_cents += c.discount_cents;
        row.cogs_cents += cogs;
        row.delivery_cents += delivery;
        row.estimated_stops += c.estimated_stops;
        row.failed_fees_cents += c.failed_fees_cents;
        row.profit_cents += profit;
        if district.is_some() {
            days.push(DistrictDay {
                district: name_of(district),
                weekday,
                days: c.days,
                orders: c.orders,
                revenue_cents: c.gross_cents - c.discount_cents,
                profit_cents: profit,
            });
        }
    }
    let mut list: Vec<DistrictProfit> = rows.into_values().collect();
    // Districts by profit, pickups last.
    list.sort_by_key(|r| (r.district_id.is_none(), -r.profit_cents));
    let mut total = DistrictProfit {
        name: "Total".into(),
        ..Default::default()
    };
    for r in &list {
        total.orders += r.orders;
        total.gross_cents += r.gross_cents;
        total.discount_cents += r.discount_cents;
        total.cogs_cents += r.cogs_cents;
        total.delivery_cents += r.delivery_cents;
        total.estimated_stops += r.estimated_stops;
        total.failed_fees_cents += r.failed_fees_cents;
        total.profit_cents += r.profit_cents;
    }
    days.sort_by_key(|d| (-d.profit_cents, d.district.clone(), d.weekday));
    (list, total, days)
}

/// The failure reason of a driver's report ("Nobody home: rang twice" → "Nobody home").
pub fn reason_of(detail: &str) -> String {
    let r = detail.split(':').next().unwrap_or_default().trim();
    if r.is_empty() {
        "No reason given".into()
    } else {
        r.to_string()
    }
}

/// Free-text reasons grouped case- and space-insensitively, most frequent first (the first
/// spelling seen names the group), at most `keep` groups and "Other" for the rest.
pub fn group_reasons(raw: &[(String, i64)], keep: usize) -> Vec<super::ReasonRow> {
    let mut groups: Vec<(String, String, i64)> = Vec::new();
    for (text, n) in raw {
        let shown = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown = if shown.is_empty() {
            "No reason given".to_string()
        } else {
            shown
        };
        let key = shown.to_lowercase();
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.2 += n,
            None => groups.push((key, shown, *n)),
        }
    }
    groups.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    let mut out: Vec<super::ReasonRow> = groups
        .iter()
        .take(keep)
        .map(|g| super::ReasonRow {
            reason: g.1.clone(),
            count: g.2,
        })
        .collect();
    let rest: i64 = groups.iter().skip(keep).map(|g| g.2).sum();
    if rest > 0 {
        out.push(super::ReasonRow {
            reason: "Other".into(),
            count: rest,
        });
    }
    out
}

pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_and_buckets() {
        assert_eq!(
            previous_period(d("2026-11-01"), d("2026-11-30")),
            (d("2026-10-02"), d("2026-10-31"))
        );
        assert_eq!(default_grain(d("2026-11-01"), d("2026-11-30")), Grain::Day);
        assert_eq!(
            default_grain(d("2026-01-01"), d("2026-12-31")),
            Grain::Month
        );
        // Thursday 3 Dec 2026 is in the week of Monday 30 Nov.
        assert_eq!(bucket_start(d("2026-12-03"), Grain::Week), d("2026-11-30"));
        let days = [
            (d("2026-11-29"), 2, 1000),
            (d("2026-11-30"), 1, 500),
            (d("2026-12-03"), 3, 1500),
            (d("2027-01-01"), 9, 9999), // outside: ignored
        ];
        let weeks = series(&days, d("2026-11-25"), d("2026-12-06"), Grain::Week);
        let got: Vec<(&str, i64, i64)> = weeks
            .iter()
            .map(|p| (p.start.as_str(), p.orders, p.revenue_cents))
            .collect();
        assert_eq!(got, vec![("2026-11-23", 2, 1000), ("2026-11-30", 4, 2000)]);
        let months = series(&days, d("2026-11-01"), d("2027-01-31"), Grain::Month);
        assert_eq!(months.len(), 3);
        assert_eq!(months[0].label, "Nov 2026");
        assert_eq!((months[1].orders, months[2].orders), (3, 9));
        let t = totals(3, 1000, 2);
        assert_eq!(t.average_cents, 333);
        assert_eq!(change_percent(150, 100), Some(50.0));
        assert_eq!(change_percent(5, 0), None);
    }

    #[test]
    fn the_heat_map_is_in_local_time() {
        let at = |s: &str| {
            chrono::NaiveDateTime::parse_from_str(&format!("{s}:00"), "%Y-%m-%dT%H:%M").unwrap()
        };
        // UTC+1: 23:00 UTC on Sunday is Monday 00:00 local.
        let local = |t: chrono::NaiveDateTime| {
            let l = t + Duration::hours(1);
            (
                l.weekday().num_days_from_monday() as usize,
                chrono::Timelike::hour(&l) as usize,
            )
        };
        let h = heat(&[(at("2026-11-29T23"), 4), (at("2026-11-30T08"), 2)], local);
        assert_eq!(h.cells[0][0], 4);
        assert_eq!(h.cells[0][9], 2);
        assert_eq!(h.max, 4);
        assert_eq!(h.cells.iter().flatten().sum::<i64>(), 6);
    }

    #[test]
    fn profit_per_district_adds_up_to_the_total() {
        let mut cells = BTreeMap::new();
        // District 1 on Mondays: 2 orders, €30 gross, €3 discount, €8.40 goods, a run share of
        // €4.005 and a failed delivery's €2.50 fee.
        cells.insert(
            (Some(1), 0),
            Cell {
                days: 1,
                orders: 2,
                gross_cents: 3000,
                discount_cents: 300,
                cogs_cents: 840.4,
                run_cents: 400.5,
                failed_fees_cents: 250,
                ..Default::default()
            },
        );
        // District 1 on Fridays, off any run: estimated.
        cells.insert(
            (Some(1), 4),
            Cell {
                days: 1,
                orders: 1,
                gross_cents: 2000,
                cogs_cents: 500.0,
                estimated_cents: 333.3,
                estimated_stops: 1,
                ..Default::default()
            },
        );
        cells.insert(
            (None, 5),
            Cell {
                days: 1,
                orders: 1,
                gross_cents: 1000,
                cogs_cents: 250.0,
                ..Default::default()
            },
        );
        let info = BTreeMap::from([(
            1,
            DistrictInfo {
                name: "Chamberí".into(),
                colour: "#123456".into(),
                ring: vec![],
            },
        )]);
        let (rows, total, days) = profit(&cells, &info);
        assert_eq!(rows.len(), 2);
        let c = &rows[0];
        assert_eq!(c.name, "Chamberí");
        // Mondays: 3000 − 300 − 840 − 401 − 250 = 1209; Fridays: 2000 − 500 − 333 = 1167.
        assert_eq!(c.profit_cents, 1209 + 1167);
        assert_eq!(
            (c.cogs_cents, c.delivery_cents, c.estimated_stops),
            (1340, 734, 1)
        );
        assert_eq!(rows[1].name, "Pickup");
        assert_eq!(rows[1].profit_cents, 750);
        assert_eq!(total.profit_cents, 1209 + 1167 + 750);
        assert_eq!(
            total.profit_cents,
            total.gross_cents
                - total.discount_cents
                - total.cogs_cents
                - total.delivery_cents
                - total.failed_fees_cents
        );
        // District-days: Mondays first (more profit), pickups not among them.
        assert_eq!(days.len(), 2);
        assert_eq!((days[0].weekday, days[0].profit_cents), (0, 1209));
        assert_eq!(days[0].revenue_cents, 2700);
    }

    #[test]
    fn a_trip_estimate_and_reasons() {
        let r = Rates {
            cost_per_km_cents: 30.0,
            driver_cost_per_hour_cents: 1500.0,
            speed_kmh: 25.0,
            detour: 1.3,
            service_minutes: 6.0,
            kitchen: None,
        };
        // 2 × 5 km × 1.3 + 2 × 1.5 = 16 km: 480 c; 16/25 h + 12 min = 0.84 h: 1260 c.
        assert!((estimated_trip_cents(2, 5.0, &r) - 1740.0).abs() < 1e-6);
        assert_eq!(reason_of("Nobody home: rang twice"), "Nobody home");
        assert_eq!(reason_of(""), "No reason given");
        let g = group_reasons(
            &[
                ("Customer  ill".into(), 2),
                ("customer ill".into(), 1),
                ("Duplicate".into(), 1),
                ("Wrong day".into(), 1),
            ],
            2,
        );
        let got: Vec<(&str, i64)> = g.iter().map(|r| (r.reason.as_str(), r.count)).collect();
        assert_eq!(
            got,
            vec![("Customer ill", 3), ("Duplicate", 1), ("Other", 1)]
        );
    }
}
