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
