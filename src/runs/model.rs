//! What the runs page, the run sheet and the driver see of a day's runs.
use serde::{Deserialize, Serialize};

use crate::orders::model::OrderStatus;

/// One stop of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunStop {
    pub order_id: i64,
    pub number: i64,
    pub seq: i64,
    pub customer: String,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    /// The customer's window, "09:00–11:00".
    pub window: Option<String>,
    /// Planned arrival, local "HH:MM".
    pub eta: String,
    /// The planned arrival is after the window closes.
    pub late: bool,
    pub locked: bool,
    pub items: i64,
    pub leg_km: f64,
    /// What this stop adds to the run (distance and time saved without it), in cents.
    pub own_cost_cents: i64,
    /// What a delivery platform would charge for it, in cents.
    pub third_party_cents: i64,
    pub status: OrderStatus,
    /// Arrived, delivered or failed, as the driver reported.
    pub outcome: Option<String>,
    /// Cash on delivery owed, and what the driver says they collected.
    pub cod_cents: i64,
    pub cash_collected_cents: Option<i64>,
}

impl RunStop {
    /// Cheaper to hand to a delivery platform than to drive ourselves.
    pub fn hand_off(&self) -> bool {
        self.third_party_cents < self.own_cost_cents
    }
}

/// A driver's run for a day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: i64,
    pub driver_id: i64,
    pub driver: String,
    pub published: bool,
    pub shift: String,
    pub capacity: i64,
    pub load: i64,
    pub distance_km: f64,
    /// From leaving the kitchen to coming back, waits included.
    pub duration_min: i64,
    /// Driving plus time at the doors: what the driver is paid for.
    pub working_min: i64,
    /// Leave the kitchen and be back, local "HH:MM".
    pub depart: String,
    pub back: String,
    /// Vehicle per km plus driver per working hour, in cents.
    pub cost_cents: i64,
    pub stops: Vec<RunStop>,
    /// When the owner took the run's cash, local "HH:MM", and who.
    pub cash_handed: Option<String>,
}

impl Run {
    /// Cash on delivery: expected from the whole run, due from the stops delivered so far,
    /// and collected.
    /// Cash on delivery of the whole run: what the driver should bring back if every stop
    /// is delivered.
    pub fn cash_expected_cents(&self) -> i64 {
        self.stops.iter().map(|s| s.cod_cents).sum()
    }

    /// Cash due on the stops delivered so far: what the driver should hold now.
    pub fn cash_due_now_cents(&self) -> i64 {
        self.stops
            .iter()
            .filter(|s| s.outcome.as_deref() == Some("delivered"))
            .map(|s| s.cod_cents)
            .sum()
    }

    pub fn cash_collected_cents(&self) -> i64 {
        self.stops
            .iter()
            .filter_map(|s| s.cash_collected_cents)
            .sum()
    }

    pub fn cost_per_order_cents(&self) -> i64 {
        if self.stops.is_empty() {
            0
        } else {
            self.cost_cents / self.stops.len() as i64
        }
    }

    pub fn third_party_cents(&self) -> i64 {
        self.stops.iter().map(|s| s.third_party_cents).sum()
    }
}

/// A delivery of the day that is on no run, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unplanned {
    pub order_id: i64,
    pub number: i64,
    pub customer: String,
    pub window: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriverChoice {
    pub id: i64,
    pub name: String,
    /// Has a run that day.
    pub on_run: bool,
    /// Their van's capacity in items and their shift (their own, else the business defaults).
    pub van_capacity: i64,
    pub shift_start: String,
    pub shift_end: String,
    /// Whether any of those is the driver's own rather than the default.
    pub own_van: bool,
}

/// The days around the chosen one, for the day picker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayTab {
    pub day: String,
    pub deliveries: i64,
    pub planned: i64,
}

/// Everything the runs page shows for one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayPlan {
    pub day: String,
    pub days: Vec<DayTab>,
    pub currency: String,
    /// [lat, lng] of the kitchen, where every run starts and ends.
    pub kitchen: Option<[f64; 2]>,
    pub kitchen_address: String,
    pub runs: Vec<Run>,
    pub unplanned: Vec<Unplanned>,
    pub drivers: Vec<DriverChoice>,
    pub tile_url: String,
    pub tile_attribution: String,
}

impl DayPlan {
    pub fn total_km(&self) -> f64 {
        self.runs.iter().map(|r| r.distance_km).sum()
    }
    pub fn own_cost_cents(&self) -> i64 {
        self.runs.iter().map(|r| r.cost_cents).sum()
    }
    pub fn third_party_cents(&self) -> i64 {
        self.runs.iter().map(Run::third_party_cents).sum()
    }
}

/// A stop as printed on the run sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetStop {
    pub seq: i64,
    pub number: i64,
    pub eta: String,
    pub window: Option<String>,
    pub customer: String,
    pub phone: String,
    pub address: String,
    pub items: String,
    pub cash_cents: i64,
    pub notes: Option<String>,
    /// The tracking link as an SVG QR code.
    pub qr_svg: String,
}

/// A printable run sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSheet {
    pub business: String,
    pub day_label: String,
    pub driver: String,
    pub currency: String,
    pub kitchen_address: String,
    pub summary: String,
    pub stops: Vec<SheetStop>,
}

/// What an optimisation did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Optimised {
    pub runs: usize,
    pub planned: usize,
    pub unplanned: usize,
    pub distance_km: f64,
    pub millis: u64,
    /// Drivers whose run is already under way (a stop reported, or its cash handed over):
    /// their runs were kept exactly as they are, outcomes and cash included.
    #[serde(default)]
    pub kept: Vec<String>,
    /// The day's runs were published before, so the new ones are published at once: drivers
    /// see the new order of their stops and trackers their new arrival time.
    #[serde(default)]
    pub republished: bool,
}

/// Seconds since midnight → "HH:MM".
pub fn clock(seconds: f64) -> String {
    let m = (seconds / 60.0).round().max(0.0) as i64;
    format!("{:02}:{:02}", (m / 60) % 24, m % 60)
}

pub use crate::field::parse_clock;

/// A customer's window ("HH:MM" texts) as seconds since midnight; either end may be open.
pub fn window_seconds(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<f64>, Option<f64>), crate::error::AppError> {
    Ok((
        from.map(|w| parse_clock(w, "window_from")).transpose()?,
        to.map(|w| parse_clock(w, "window_to")).transpose()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_round_trip_and_bad_ones_are_named() {
        assert_eq!(clock(parse_clock("09:05", "shift").unwrap()), "09:05");
        assert_eq!(clock(8.0 * 3600.0 + 89.0), "08:01");
        let err = parse_clock("25:00", "shift_start").unwrap_err();
        assert_eq!(err.field(), Some("shift_start"));
        assert!(parse_clock("9h", "x").is_err());
    }

    fn stop(cod_cents: i64, outcome: Option<&str>, collected: Option<i64>) -> RunStop {
        RunStop {
            order_id: 1,
            number: 1001,
            seq: 1,
            customer: "Ana".into(),
            address: "Calle Mayor 1".into(),
            lat: 40.4,
            lng: -3.7,
            window: None,
            eta: "10:00".into(),
            late: false,
            locked: false,
            items: 1,
            leg_km: 1.0,
            own_cost_cents: 100,
            third_party_cents: 500,
            status: OrderStatus::OutForDelivery,
            outcome: outcome.map(str::to_string),
            cod_cents,
            cash_collected_cents: collected,
        }
    }

    #[test]
    fn cash_expected_counts_the_whole_run_and_due_only_the_delivered_stops() {
        let run = Run {
            id: 1,
            driver_id: 1,
            driver: "Marta".into(),
            published: true,
            shift: "08:00–14:00".into(),
            capacity: 40,
            load: 3,
            distance_km: 10.0,
            duration_min: 60,
            working_min: 60,
            depart: "09:00".into(),
            back: "10:00".into(),
            cost_cents: 900,
            stops: vec![
                stop(1250, Some("delivered"), Some(1250)),
                stop(800, None, None),
                stop(0, Some("delivered"), None),
                stop(430, Some("failed"), None),
            ],
            cash_handed: None,
        };
        assert_eq!(run.cash_expected_cents(), 1250 + 800 + 430);
        assert_eq!(run.cash_due_now_cents(), 1250);
        assert_eq!(run.cash_collected_cents(), 1250);
    }
}
