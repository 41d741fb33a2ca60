//! The owner's numbers (`/reports`): sales over a period against the one before, popular
//! products and where each sells best, when orders arrive and when deliveries are wanted, new
//! and returning customers, cancellations and failed deliveries with their reasons, cash per
//! driver, profit per district (and per district-day, to see what a served day is worth), and
//! the kitchen's forecast for the next 14 bake days with its backtest.
//!
//! Nothing here writes an order; its only writes are its own day summaries (`store::days`).
use serde::{Deserialize, Serialize};

pub mod api;
pub mod charts;
#[cfg(feature = "ssr")]
pub mod csv;
pub mod figures;
pub mod forecast;
pub mod loyalty_view;
pub mod page;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod waste;
pub mod waste_view;

pub use page::ReportsPage;

/// How a period's sales are bucketed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grain {
    Day,
    Week,
    Month,
}

impl Grain {
    pub fn parse(raw: &str) -> Option<Grain> {
        match raw {
            "day" => Some(Grain::Day),
            "week" => Some(Grain::Week),
            "month" => Some(Grain::Month),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Week => "week",
            Grain::Month => "month",
        }
    }
}

/// Orders (not cancelled) and what they brought, over a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub orders: i64,
    /// What customers paid: items + delivery − discounts.
    pub revenue_cents: i64,
    pub average_cents: i64,
    pub customers: i64,
}

/// One bucket of the sales chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// First day of the bucket.
    pub start: String,
    pub label: String,
    pub orders: i64,
    pub revenue_cents: i64,
}

/// A product's sales over the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductRow {
    pub product_id: i64,
    pub name: String,
    pub units: i64,
    /// At the prices on the orders, before discounts.
    pub revenue_cents: i64,
    /// None when the product has no recipe (no cost of goods).
    pub cogs_cents: Option<i64>,
    pub margin_cents: Option<i64>,
}

/// Where a product sells best: its units per district.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductByDistrict {
    pub product: String,
    /// (district, units), most first.
    pub districts: Vec<(String, i64)>,
}

/// Orders arriving per local weekday (Monday first) and hour.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Heat {
    pub cells: Vec<Vec<i64>>,
    pub max: i64,
}

/// Deliveries wanted in one window, per weekday (Monday first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowRow {
    pub window: String,
    pub by_weekday: Vec<i64>,
    pub total: i64,
}

/// New and returning customers in the period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerMix {
    /// Customers whose first order (ever) is in the period.
    pub new_customers: i64,
    /// Customers with an order in the period and an earlier one before it.
    pub returning_customers: i64,
    pub orders_new: i64,
    pub orders_returning: i64,
}

/// A reason and how often it was given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReasonRow {
    pub reason: String,
    pub count: i64,
}

/// Cash on delivery on one driver's runs of the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CashRow {
    pub driver: String,
    pub stops: i64,
    /// Cash-on-delivery totals of the stops delivered.
    pub expected_cents: i64,
    pub collected_cents: i64,
}

/// What a district (or pickup, `district_id` None) earned over the period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DistrictProfit {
    pub district_id: Option<i64>,
    pub name: String,
    pub colour: String,
    pub orders: i64,
    /// Items + delivery fees, before discounts.
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub cogs_cents: i64,
    /// The runs' cost (km and driver time at the Settings rates) shared among their stops.
    pub delivery_cents: i64,
    /// Deliveries not on any run, whose cost is estimated from their distance instead.
    pub estimated_stops: i64,
    /// The delivery fee of each failed delivery (the second trip is not charged again).
    pub failed_fees_cents: i64,
    pub profit_cents: i64,
    /// The district's outline ([lat, lng] points) for the map.
    pub ring: Vec<[f64; 2]>,
}

/// One district on one weekday: what stopping serving it that day would put at stake.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistrictDay {
    pub district: String,
    /// Monday = 0.
    pub weekday: usize,
    pub days: i64,
    pub orders: i64,
    pub revenue_cents: i64,
    pub profit_cents: i64,
}

/// Everything on the reports page for one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The bakery's today, for the page's "last N days" buttons.
    pub today: String,
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    pub grain: Grain,
    pub currency: String,
    pub totals: Totals,
    pub previous: Totals,
    pub series: Vec<Point>,
    pub products: Vec<ProductRow>,
    pub by_district: Vec<ProductByDistrict>,
    pub heat: Heat,
    pub windows: Vec<WindowRow>,
    pub customers: CustomerMix,
    pub cancelled: i64,
    pub cancellations: Vec<ReasonRow>,
    pub failed: i64,
    pub failures: Vec<ReasonRow>,
    pub cash: Vec<CashRow>,
    pub profit: Vec<DistrictProfit>,
    pub profit_total: DistrictProfit,
    pub district_days: Vec<DistrictDay>,
    /// Units sold of products without a recipe (their cost of goods counts as 0).
    pub units_without_cost: i64,
    /// Baked goods thrown away in the period, per product, against what was baked.
    #[serde(default)]
    pub waste: Vec<WasteRow>,
    /// The loyalty programme over the period (None: no programme and no points ever).
    #[serde(default)]
    pub loyalty: Option<LoyaltyRow>,
}

/// Loyalty points over a period: how they moved (and the previous period's, to compare), and
/// what customers held at its end — points the bakery has promised as discounts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoyaltyRow {
    pub movement: crate::loyalty::Movement,
    pub previous: crate::loyalty::Movement,
    /// Points held at the end of the period, their worth, and by how many customers.
    pub held: i64,
    pub held_cents: i64,
    pub holders: i64,
}

impl LoyaltyRow {
    /// Each movement: (code, this period, the period before). The code names the CSV's row and
    /// the page's words (`rep-points-<code>`).
    pub fn rows(&self) -> [(&'static str, i64, i64); 6] {
        let (m, p) = (&self.movement, &self.previous);
        [
            ("earned", m.earned, p.earned),
            ("referral", m.referral, p.referral),
            ("spent", m.redeemed, p.redeemed),
            ("expired", m.expired, p.expired),
            ("taken_back", m.reversed, p.reversed),
            ("adjusted", m.adjusted, p.adjusted),
        ]
    }
}

/// One product's waste over a period of bake days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WasteRow {
    pub product: String,
    /// Units marked baked on those days.
    pub baked: i64,
    pub wasted: i64,
    /// (reason code, units), most first.
    pub reasons: Vec<(String, i64)>,
    /// What the thrown-away units cost to bake (None: no recipe).
    pub cost_cents: Option<i64>,
}

/// The forecast of one product on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastCell {
    pub day: String,
    pub booked: i64,
    pub expected: f64,
    pub low: f64,
    pub high: f64,
    /// The product's daily limit and whether the day's likely high reaches it.
    pub capacity: Option<i64>,
    pub sells_out: bool,
}

/// One product's next 14 bake days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastRow {
    pub product_id: i64,
    pub name: String,
    pub cells: Vec<ForecastCell>,
}

/// The forecast page section: the next days, and how the method did on the past.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub days: Vec<String>,
    pub rows: Vec<ForecastRow>,
    /// Backtest over the last weeks (1 to 7 days ahead).
    pub backtest_from: String,
    pub backtest_to: String,
    pub points: usize,
    /// Mean absolute percentage error over the product-days that sold something.
    pub mape: f64,
    /// Units wrong over units sold, every product-day counted.
    pub wape: f64,
    pub bias: f64,
    pub naive_mape: f64,
    pub naive_wape: f64,
    pub naive_bias: f64,
}
