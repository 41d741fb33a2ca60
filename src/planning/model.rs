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
}

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
