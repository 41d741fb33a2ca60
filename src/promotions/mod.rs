//! Promotions: codes and automatic offers (percent, amount, free delivery, free item, buy X get
//! Y) with their dates, weekdays, minimum, products, districts and limits; personal single-use
//! codes with a held-back comparison group; the ledger of uses and the report of what each
//! promotion earned. Owns the `promotions`, `promotion_products`, `promotion_districts`,
//! `promotion_codes` and `promotion_uses` tables. The storefront, phone orders and the quote
//! price a basket with [`store::price`]; the order core records the uses in the transaction
//! that creates the order.
pub mod api;
#[cfg(feature = "ssr")]
pub mod check;
pub mod codes;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod nearby;
pub mod page;
pub mod report;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod write;

use serde::{Deserialize, Serialize};

pub use page::PromotionsPage;

/// The promotion form as typed (numbers as text, so that a bad one is named, not lost).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub name: String,
    /// A shared code; empty: automatic, or personal codes only.
    pub code: String,
    pub automatic: bool,
    /// percent, amount, free_delivery, free_item, buy_get.
    pub kind: String,
    pub percent: String,
    pub amount: String,
    /// free_item / buy_get.
    pub product_id: Option<i64>,
    pub buy: String,
    pub get: String,
    /// `YYYY-MM-DD` or empty.
    pub starts: String,
    pub ends: String,
    /// Delivery/pickup weekdays, Monday first.
    pub weekdays: [bool; 7],
    pub min_order: String,
    pub products: Vec<i64>,
    pub districts: Vec<i64>,
    pub total_limit: String,
    pub per_customer_limit: String,
    pub first_order_only: bool,
    pub holdout_percent: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            name: String::new(),
            code: String::new(),
            automatic: false,
            kind: "percent".into(),
            percent: "10".into(),
            amount: String::new(),
            product_id: None,
            buy: "2".into(),
            get: "1".into(),
            starts: String::new(),
            ends: String::new(),
            weekdays: [true; 7],
            min_order: String::new(),
            products: vec![],
            districts: vec![],
            total_limit: String::new(),
            per_customer_limit: "1".into(),
            first_order_only: false,
            holdout_percent: "0".into(),
        }
    }
}

/// What a promotion did, from its uses (orders not cancelled).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub orders: i64,
    /// What those orders' customers paid.
    pub revenue_cents: i64,
    pub discount_cents: i64,
    /// Cost of goods of the orders' items, for products with a recipe.
    pub cogs_cents: i64,
    /// Items without a recipe (their cost is unknown and left out).
    pub items_without_cost: i64,
    /// Revenue − cost of goods − delivery cost (the bakery's cost per stop on the runs).
    pub margin_cents: i64,
    pub delivery_cost_cents: i64,
    pub new_customers: i64,
    pub returning_customers: i64,
    /// Customers who ordered again within 60 days of their promotion order.
    pub repeat_60: i64,
    pub codes_issued: i64,
    pub held_back: i64,
    pub uplift: Option<report::Uplift>,
}

/// A promotion in the list, with its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromotionRow {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    pub automatic: bool,
    pub active: bool,
    /// "10 % off", "Free delivery", "Buy 2 Sourdough, get 1 free".
    pub offer: String,
    /// "Fri, Sat · from €20.00 · 3 of 10 used".
    pub rules: String,
    pub figures: Figures,
}

/// Products and districts to choose from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    pub products: Vec<(i64, String)>,
    pub districts: Vec<(i64, String)>,
    /// Saved customer segments.
    pub segments: Vec<(i64, String)>,
    pub currency: String,
}
