//! `/calendar`: one month at a glance for the owner — which districts get deliveries each day
//! and how full each district-day is, the pickups, what the kitchen bakes (items) and what the
//! day brings in, the promotions running, and the days the bakery is closed. A day's panel
//! closes it (with a note the customer reads when the day is refused) or opens it again,
//! through the same call as Settings → Opening hours: the storefront, phone orders and the
//! order core then refuse it and offer the next open days.
//!
//! Reads only, apart from that call: nothing here writes an order.
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod store;

pub use page::CalendarPage;

/// The share of a district-day's stops at which it counts as nearly full.
pub const NEARLY_FULL: f64 = 0.9;

/// A month of the calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Month {
    /// "2026-12".
    pub month: String,
    /// The bakery's today, "YYYY-MM-DD".
    pub today: String,
    pub currency: String,
    /// Every day of the month, the first first.
    pub days: Vec<Day>,
}

/// One day of the month.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Day {
    /// "YYYY-MM-DD".
    pub date: String,
    /// The owner's note when the bakery is closed that day ("" when closed without one).
    pub closed: Option<String>,
    /// Districts served that weekday, and any other with deliveries booked on it.
    pub districts: Vec<DistrictDay>,
    /// Orders collected at the counter.
    pub pickups: i64,
    /// Deliveries in no district (unpinned, or outside every outline): staff place them.
    pub unplaced: i64,
    /// Orders (not cancelled), deliveries and pickups.
    pub orders: i64,
    /// Items ordered: what the kitchen bakes for the day.
    pub units: i64,
    /// What the day's orders bring in (items + delivery − discounts).
    pub revenue_cents: i64,
    /// Promotions valid for orders on the day (running, within their dates and weekdays).
    pub promotions: Vec<String>,
}

/// A district's deliveries on a day against its stops per day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistrictDay {
    pub name: String,
    pub colour: String,
    pub orders: i64,
    pub capacity: i64,
    /// Whether the district is served on that weekday (deliveries on other days were moved
    /// there by staff).
    pub served: bool,
}

/// How full a district-day is, in words the page and its colours share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    Open,
    NearlyFull,
    Full,
}

impl DistrictDay {
    pub fn fill(&self) -> Fill {
        // As the order core counts: no room once the stops reach the capacity (0: none at all).
        if self.orders >= self.capacity {
            Fill::Full
        } else if self.orders as f64 >= NEARLY_FULL * self.capacity as f64 {
            Fill::NearlyFull
        } else {
            Fill::Open
        }
    }
}

/// A district as the calendar needs it.
#[derive(Clone, Debug)]
pub struct District {
    pub id: i64,
    pub name: String,
    pub colour: String,
    /// Bit 0 Monday.
    pub served: u8,
    pub capacity: i64,
}

/// The orders of one day, one district (None: pickups or a delivery with no district).
#[derive(Clone, Debug)]
pub struct Load {
    pub day: NaiveDate,
    pub pickup: bool,
    pub district_id: Option<i64>,
    pub orders: i64,
    pub revenue_cents: i64,
}

/// A promotion's validity as the calendar needs it.
#[derive(Clone, Debug)]
pub struct Running {
    pub name: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// Bit 0 Monday.
    pub weekdays: u8,
}

impl Running {
    pub fn on(&self, day: NaiveDate) -> bool {
        self.starts_on.is_none_or(|s| s <= day)
            && self.ends_on.is_none_or(|e| day <= e)
            && self.weekdays & (1 << day.weekday().num_days_from_monday()) != 0
    }
}

/// Parses "YYYY-MM" (empty: the month of `today`) to the month's first day.
pub fn first_of(raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return today.with_day(1);
    }
    let (y, m) = raw.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    // Far enough for any plan or look back, near enough to be a real month.
    (1970..=2200).contains(&first.year()).then_some(first)
}

/// The month's last day.
pub fn last_of(first: NaiveDate) -> NaiveDate {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.map(|n| n - Duration::days(1)).unwrap_or(first)
}

/// Puts the month together from what the store read.
#[allow(clippy::too_many_arguments)]
pub fn assemble(
    first: NaiveDate,
    today: NaiveDate,
    currency: String,
    districts: &[District],
    loads: &[Load],
    units: &HashMap<NaiveDate, i64>,
    closed: &BTreeMap<NaiveDate, String>,
    promotions: &[Running],
) -> Month {
    let last = last_of(first);
    let mut days = Vec::new();
    let mut day = first;
    while day <= last {
        let weekday_bit = 1u8 << day.weekday().num_days_from_monday();
        let of_day: Vec<&Load> = loads.iter().filter(|l| l.day == day).collect();
        let booked = |id: i64| -> i64 {
            of_day
                .iter()
                .filter(|l| !l.pickup && l.district_id == Some(id))
                .map(|l| l.orders)
                .sum()
        };
        let shown = districts
            .iter()
            .filter_map(|d| {
                let served = d.served & weekday_bit != 0;
                let orders = booked(d.id);
                (served || orders > 0).then(|| DistrictDay {
                    name: d.name.clone(),
                    colour: d.colour.clone(),
                    orders,
                    capacity: d.capacity,
                    served,
                })
            })
            .collect();
        days.push(Day {
            date: day.to_string(),
            closed: closed.get(&day).cloned(),
            districts: shown,
            pickups: of_day.iter().filter(|l| l.pickup).map(|l| l.orders).sum(),
            unplaced: of_day
                .iter()
                .filter(|l| {
                    !l.pickup
                        && l.district_id
                            .is_none_or(|id| !districts.iter().any(|d| d.id == id))
                })
                .map(|l| l.orders)
                .sum(),
            orders: of_day.iter().map(|l| l.orders).sum(),
            units: units.get(&day).copied().unwrap_or(0),
            revenue_cents: of_day.iter().map(|l| l.revenue_cents).sum(),
            promotions: promotions
                .iter()
                .filter(|p| p.on(day))
                .map(|p| p.name.clone())
                .collect(),
        });
        day += Duration::days(1);
    }
    Month {
        month: first.format("%Y-%m").to_string(),
        today: today.to_string(),
        currency,
        days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_are_parsed_and_bounded() {
        let today = d("2026-12-04");
        assert_eq!(first_of("", today), Some(d("2026-12-01")));
        assert_eq!(first_of("2027-02", today), Some(d("2027-02-01")));
        assert_eq!(last_of(d("2027-02-01")), d("2027-02-28"));
        assert_eq!(last_of(d("2028-02-01")), d("2028-02-29"));
        assert_eq!(last_of(d("2026-12-01")), d("2026-12-31"));
        for bad in [
            "2026-13",
            "2026-1",
            "26-01",
            "december",
            "2026-12-01",
            "9999-01",
        ] {
            assert_eq!(first_of(bad, today), None, "{bad}");
        }
    }

    #[test]
    fn a_month_counts_each_district_day_and_marks_how_full() {
        let districts = vec![
            District {
                id: 1,
                name: "Chamberí".into(),
                colour: "#123456".into(),
                served: 0b001_0001, // Monday and Friday
                capacity: 10,
            },
            District {
                id: 2,
                name: "Retiro".into(),
                colour: "#654321".into(),
                served: 0b000_0100, // Wednesday
                capacity: 2,
            },
        ];
        let loads = vec![
            // Friday 4th: Chamberí 9 of 10 (nearly full), two pickups.
            Load {
                day: d("2026-12-04"),
                pickup: false,
                district_id: Some(1),
                orders: 9,
                revenue_cents: 9_000,
            },
            Load {
                day: d("2026-12-04"),
                pickup: true,
                district_id: None,
                orders: 2,
                revenue_cents: 1_500,
            },
            // Friday 4th: a delivery nobody has pinned yet.
            Load {
                day: d("2026-12-04"),
                pickup: false,
                district_id: None,
                orders: 1,
                revenue_cents: 500,
            },
            // Thursday 3rd: Retiro isn't served, but staff moved one there.
            Load {
                day: d("2026-12-03"),
                pickup: false,
                district_id: Some(2),
                orders: 1,
                revenue_cents: 700,
            },
        ];
        let units = HashMap::from([(d("2026-12-04"), 31)]);
        let closed = BTreeMap::from([(d("2026-12-25"), "Christmas".to_string())]);
        let promotions = vec![Running {
            name: "TRIO".into(),
            starts_on: Some(d("2026-12-03")),
            ends_on: Some(d("2026-12-10")),
            weekdays: 0b001_0000, // Fridays
        }];
        let m = assemble(
            d("2026-12-01"),
            d("2026-12-04"),
            "EUR".into(),
            &districts,
            &loads,
            &units,
            &closed,
            &promotions,
        );
        assert_eq!(m.month, "2026-12");
        assert_eq!(m.days.len(), 31);
        let day = |s: &str| m.days.iter().find(|x| x.date == s).unwrap();

        let fri = day("2026-12-04");
        assert_eq!(fri.orders, 12);
        assert_eq!(fri.pickups, 2);
        assert_eq!(fri.unplaced, 1);
        assert_eq!(fri.units, 31);
        assert_eq!(fri.revenue_cents, 11_000);
        assert_eq!(fri.promotions, vec!["TRIO".to_string()]);
        assert_eq!(fri.districts.len(), 1);
        assert_eq!(fri.districts[0].name, "Chamberí");
        assert_eq!(fri.districts[0].orders, 9);
        assert_eq!(fri.districts[0].fill(), Fill::NearlyFull);

        let thu = day("2026-12-03");
        assert_eq!(thu.districts.len(), 1);
        assert!(!thu.districts[0].served);
        assert_eq!(thu.promotions, Vec::<String>::new());

        let wed = day("2026-12-02");
        assert_eq!(wed.districts[0].name, "Retiro");
        assert_eq!(wed.districts[0].orders, 0);
        assert_eq!(wed.districts[0].fill(), Fill::Open);
        // The promotion's last Friday is the 4th: the 11th is after it ends.
        assert!(day("2026-12-11").promotions.is_empty());
        assert_eq!(day("2026-12-25").closed.as_deref(), Some("Christmas"));
        assert_eq!(day("2026-12-24").closed, None);

        let full = DistrictDay {
            name: "x".into(),
            colour: String::new(),
            orders: 2,
            capacity: 2,
            served: true,
        };
        assert_eq!(full.fill(), Fill::Full);
        let closed_district = DistrictDay {
            orders: 0,
            capacity: 0,
            ..full
        };
        assert_eq!(closed_district.fill(), Fill::Full);
    }
}
