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
    /// "paid", "cash on delivery" or "to pay".
    pub payment: String,
    pub total_cents: i64,
    /// The days the customer accepts, "2026-11-26 – 2026-11-29", when flexible.
    pub flexible: Option<String>,
    /// Already placed in a delivery run of its day.
    pub in_run: bool,
}

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
