//! What the planning page shows.
use serde::{Deserialize, Serialize};

use crate::districts::District;
use crate::orders::model::OrderStatus;

/// An order pinned on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapOrder {
    pub id: i64,
    pub number: i64,
    pub customer: String,
    pub lat: f64,
    pub lng: f64,
    pub fulfil_on: String,
    pub status: OrderStatus,
    pub district_id: Option<i64>,
    pub window: Option<String>,
    pub items: i64,
    /// One of `PAYMENTS`: the popup's `planning-pay-…` message.
    pub payment: String,
    pub total_cents: i64,
    /// The days the customer accepts, "2026-11-26 – 2026-11-29", when flexible.
    pub flexible: Option<String>,
    /// Already placed in a delivery run of its day.
    pub in_run: bool,
    /// A standing order's delivery: "S-3 · Tue + Fri (or Mon + Thu)".
    #[serde(default)]
    pub standing: Option<String>,
}

/// An order's payment as the map says it: paid, cash on delivery still to collect, or due
/// (to pay otherwise).
pub const PAYMENTS: [&str; 3] = ["paid", "cod", "due"];

/// What the planner shows: the same filters drive the map and the list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub district: Option<i64>,
    pub day: Option<String>,
    /// A range of days (`YYYY-MM-DD`, both included), instead of one day.
    pub days: Option<(String, String)>,
    /// An `OrderStatus` label's key ("received", "confirmed", ...).
    pub status: Option<String>,
    pub flexible_only: bool,
    /// Only orders not yet placed in a run.
    pub not_in_run: bool,
}

impl Filter {
    pub fn matches(&self, o: &MapOrder) -> bool {
        self.district.is_none_or(|d| o.district_id == Some(d))
            && self.day.as_ref().is_none_or(|d| *d == o.fulfil_on)
            && self
                .days
                .as_ref()
                .is_none_or(|(a, b)| *a <= o.fulfil_on && o.fulfil_on <= *b)
            && self.status.as_ref().is_none_or(|s| *s == o.status.as_str())
            && (!self.flexible_only || o.flexible.is_some())
            && (!self.not_in_run || !o.in_run)
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Sets the day choice from the Day menu's value: empty (all), a day, or `from..to`.
    pub fn set_days(&mut self, value: &str) {
        self.day = None;
        self.days = None;
        match value.split_once("..") {
            Some((a, b)) => self.days = Some((a.to_string(), b.to_string())),
            None if !value.is_empty() => self.day = Some(value.to_string()),
            None => {}
        }
    }
}

/// What changed since a [`PlanningData`] (or the last delta) was read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningDelta {
    pub as_of: String,
    /// Orders changed since then that are on the map (new ones included).
    pub orders: Vec<MapOrder>,
    /// Orders changed since then that are no longer on the map (delivered, cancelled, moved
    /// out of the fortnight, unpinned, turned into a pickup).
    pub gone: Vec<i64>,
    /// Every order of the fortnight that is on a run.
    pub in_run: Vec<i64>,
    /// Every district-day's load, as now.
    pub loads: Vec<DistrictDay>,
    pub needs_location: i64,
    pub unpinned: Vec<Unpinned>,
}

impl PlanningData {
    /// Folds a delta in: changed orders replaced or added (in day order), gone ones removed,
    /// run membership and loads as the server sees them now.
    pub fn merge(&mut self, delta: PlanningDelta) {
        self.orders.retain(|o| !delta.gone.contains(&o.id));
        for o in delta.orders {
            match self.orders.iter_mut().find(|x| x.id == o.id) {
                Some(x) => *x = o,
                None => self.orders.push(o),
            }
        }
        self.orders
            .sort_by(|a, b| (&a.fulfil_on, a.number).cmp(&(&b.fulfil_on, b.number)));
        let in_run: std::collections::HashSet<i64> = delta.in_run.into_iter().collect();
        for o in &mut self.orders {
            o.in_run = in_run.contains(&o.id);
        }
        self.loads = delta.loads;
        self.needs_location = delta.needs_location;
        self.unpinned = delta.unpinned;
        self.as_of = delta.as_of;
    }

    /// What a confirmed move changes, applied at once (the page shows it before the next
    /// full fetch, which also brings the new km estimates): each order's day, and the stop
    /// counts of the district-days it left and joined. `moves` are (order id, new day).
    pub fn apply_moves(&mut self, moves: &[(i64, String)]) {
        for (id, to) in moves {
            let Some(o) = self.orders.iter_mut().find(|o| o.id == *id) else {
                continue;
            };
            if o.fulfil_on == *to {
                continue;
            }
            let from = std::mem::replace(&mut o.fulfil_on, to.clone());
            // A moved order is no longer on its old day's run.
            o.in_run = false;
            let Some(district) = o.district_id else {
                continue;
            };
            if let Some(l) = self
                .loads
                .iter_mut()
                .find(|l| l.district_id == district && l.day == from)
            {
                l.stops = (l.stops - 1).max(0);
            }
            match self
                .loads
                .iter_mut()
                .find(|l| l.district_id == district && l.day == *to)
            {
                Some(l) => l.stops += 1,
                None => self.loads.push(DistrictDay {
                    district_id: district,
                    day: to.clone(),
                    stops: 1,
                    km: 0.0,
                    minutes: 0,
                }),
            }
        }
    }
}

/// Colours of the next 14 days, for markers and calendar headers.
pub const DAY_COLOURS: [&str; 14] = [
    "#c2410c", "#1d4ed8", "#15803d", "#7e22ce", "#b45309", "#0f766e", "#be185d", "#ea580c",
    "#2563eb", "#16a34a", "#9333ea", "#d97706", "#0d9488", "#db2777",
];

/// Stops booked for one district on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistrictDay {
    pub district_id: i64,
    pub day: String,
    pub stops: i64,
    /// Estimated driving for its undelivered stops: one van from the kitchen and back
    /// (cheapest insertion + 2-opt over straight line × detour factor).
    pub km: f64,
    /// That drive at the average speed plus the minutes at each door.
    pub minutes: i64,
}

/// A delivery order that can't be placed on the map yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unpinned {
    pub id: i64,
    pub number: i64,
    pub customer: String,
    pub address: String,
    pub fulfil_on: String,
}

/// Everything the planning page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningData {
    /// Server time of the data (UTC, RFC 3339): ask for changes since then.
    pub as_of: String,
    pub today: String,
    pub districts: Vec<District>,
    pub orders: Vec<MapOrder>,
    pub loads: Vec<DistrictDay>,
    /// Delivery orders that have no location yet.
    pub needs_location: i64,
    /// Those orders, soonest first.
    pub unpinned: Vec<Unpinned>,
    pub tile_url: String,
    pub tile_attribution: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(
        day: &str,
        status: OrderStatus,
        district: i64,
        flexible: bool,
        in_run: bool,
    ) -> MapOrder {
        MapOrder {
            id: 1,
            number: 1001,
            customer: "Ana".into(),
            lat: 40.4,
            lng: -3.7,
            fulfil_on: day.into(),
            status,
            district_id: Some(district),
            window: None,
            items: 2,
            payment: "paid".into(),
            total_cents: 1200,
            flexible: flexible.then(|| "2026-12-02 – 2026-12-04".into()),
            in_run,
            standing: None,
        }
    }

    #[test]
    fn the_day_menu_picks_one_day_a_range_or_all() {
        let o = order("2026-12-03", OrderStatus::Confirmed, 2, true, false);
        let mut f = Filter::default();
        assert!(f.matches(&o) && f.is_empty());
        f.set_days("2026-12-03");
        assert!(f.matches(&o));
        f.set_days("2026-12-04");
        assert!(!f.matches(&o));
        // Both ends of a range are included.
        for (range, inside) in [
            ("2026-12-01..2026-12-03", true),
            ("2026-12-03..2026-12-09", true),
            ("2026-12-04..2026-12-09", false),
            ("2026-11-20..2026-12-02", false),
        ] {
            f.set_days(range);
            assert_eq!(f.day, None);
            assert_eq!(f.matches(&o), inside, "{range}");
        }
        f.set_days("");
        assert!(f.is_empty());
    }

    #[test]
    fn a_move_shows_at_once_in_the_order_and_both_district_days() {
        let load = |day: &str, stops: i64| DistrictDay {
            district_id: 2,
            day: day.into(),
            stops,
            km: 3.0,
            minutes: 20,
        };
        let mut d = PlanningData {
            as_of: "2026-12-01T09:00:00.000Z".into(),
            today: "2026-12-01".into(),
            districts: vec![],
            orders: vec![
                order("2026-12-03", OrderStatus::Confirmed, 2, true, true),
                MapOrder {
                    id: 2,
                    ..order("2026-12-03", OrderStatus::Confirmed, 2, false, false)
                },
            ],
            loads: vec![load("2026-12-03", 2), load("2026-12-04", 5)],
            needs_location: 0,
            unpinned: vec![],
            tile_url: String::new(),
            tile_attribution: String::new(),
        };
        d.apply_moves(&[(1, "2026-12-04".into()), (2, "2026-12-05".into())]);
        assert_eq!(d.orders[0].fulfil_on, "2026-12-04");
        assert!(!d.orders[0].in_run, "off its old day's run");
        let stops = |day: &str| d.loads.iter().find(|l| l.day == day).map(|l| l.stops);
        assert_eq!(stops("2026-12-03"), Some(0));
        assert_eq!(stops("2026-12-04"), Some(6));
        assert_eq!(stops("2026-12-05"), Some(1), "a day with no stops yet");
        // Moving to the day it is on already changes nothing.
        let before = d.clone();
        d.apply_moves(&[(1, "2026-12-04".into())]);
        assert_eq!(d, before);
    }

    #[test]
    fn a_delta_replaces_adds_and_removes_orders_and_takes_the_loads() {
        let mut d = PlanningData {
            as_of: "2026-12-01T09:00:00.000Z".into(),
            today: "2026-12-01".into(),
            districts: vec![],
            orders: vec![
                MapOrder {
                    id: 1,
                    number: 1001,
                    ..order("2026-12-03", OrderStatus::Confirmed, 2, false, false)
                },
                MapOrder {
                    id: 2,
                    number: 1002,
                    ..order("2026-12-04", OrderStatus::Confirmed, 2, false, true)
                },
                MapOrder {
                    id: 3,
                    number: 1003,
                    ..order("2026-12-05", OrderStatus::Confirmed, 2, false, false)
                },
            ],
            loads: vec![],
            needs_location: 2,
            unpinned: vec![],
            tile_url: String::new(),
            tile_attribution: String::new(),
        };
        let load = DistrictDay {
            district_id: 2,
            day: "2026-12-02".into(),
            stops: 1,
            km: 2.5,
            minutes: 9,
        };
        d.merge(PlanningDelta {
            as_of: "2026-12-01T09:00:05.000Z".into(),
            orders: vec![
                // Moved to an earlier day, and a new one.
                MapOrder {
                    id: 3,
                    number: 1003,
                    ..order("2026-12-02", OrderStatus::Baking, 2, false, false)
                },
                MapOrder {
                    id: 4,
                    number: 1004,
                    ..order("2026-12-04", OrderStatus::Received, 2, false, false)
                },
            ],
            gone: vec![1],
            in_run: vec![3],
            loads: vec![load.clone()],
            needs_location: 1,
            unpinned: vec![],
        });
        let ids: Vec<i64> = d.orders.iter().map(|o| o.id).collect();
        assert_eq!(ids, [3, 2, 4], "in day order, the delivered one gone");
        assert_eq!(d.orders[0].status, OrderStatus::Baking);
        let in_run: Vec<bool> = d.orders.iter().map(|o| o.in_run).collect();
        assert_eq!(in_run, [true, false, false]);
        assert_eq!(d.loads, [load]);
        assert_eq!(d.needs_location, 1);
        assert_eq!(d.as_of, "2026-12-01T09:00:05.000Z");
    }

    #[test]
    fn filters_combine() {
        let o = order("2026-12-03", OrderStatus::Confirmed, 2, false, true);
        let f = |tweak: fn(&mut Filter)| {
            let mut f = Filter::default();
            tweak(&mut f);
            f.matches(&o)
        };
        assert!(f(|f| f.district = Some(2)));
        assert!(!f(|f| f.district = Some(3)));
        assert!(f(|f| f.status = Some("confirmed".into())));
        assert!(!f(|f| f.status = Some("baking".into())));
        assert!(!f(|f| f.flexible_only = true));
        assert!(!f(|f| f.not_in_run = true), "already in a run");
    }
}
