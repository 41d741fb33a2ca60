//! The kitchen: ingredients and suppliers, stock as a ledger of moves per lot (first expired,
//! first out), recipes with their cost of goods, and the production plan of each bake day made
//! from the orders. Owns the `suppliers`, `ingredients`, `stock_lots`, `stock_moves`,
//! `recipes`, `recipe_lines` and `bake_batches` tables: `kitchen::stock` is the one writer of
//! stock; a batch marked baked moves its orders through the order core. Purchase orders (and
//! whether booking checks the pantry) are written by `kitchen::purchase`.
pub mod alerts;
pub mod api;
pub mod csv;
pub mod csv_api;
pub mod csv_page;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod purchase;
pub mod purchase_api;
pub mod purchase_page;
#[cfg(feature = "ssr")]
pub mod purchase_read;
#[cfg(feature = "ssr")]
pub mod recipes;
pub mod recipes_page;
#[cfg(feature = "ssr")]
pub mod stock;
pub mod stock_page;
#[cfg(feature = "ssr")]
pub mod stock_read;
#[cfg(feature = "ssr")]
pub mod waste;

use serde::{Deserialize, Serialize};

pub use model::Unit;
pub use page::KitchenPage;
pub use recipes_page::RecipesPage;
pub use stock_page::StockPage;

/// One product's line on a bake day's production sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanLine {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    /// Where it is baked ("No recipe yet" when it has none).
    pub station: String,
    /// Units in the day's orders (cancelled ones left out).
    pub ordered: i64,
    /// Units already marked baked for the day.
    pub baked: i64,
    /// Units of it thrown away that day (unsold, burnt…).
    #[serde(default)]
    pub wasted: i64,
    pub to_bake: i64,
    /// Units a batch makes (None: no recipe).
    pub batch_yield: Option<i64>,
    /// Whole batches still to bake.
    pub batches: i64,
    /// Local `HH:MM` by which it must be ready: the first van leaving with it, or the first
    /// pickup slot that needs it, or the start of the delivery shift.
    pub by_when: String,
    /// What `by_when` is ("Run 1 leaves", "First pickup", "Shift starts").
    pub by_what: String,
    pub prep_minutes: i64,
    pub bake_minutes: i64,
    /// The forecast of the day's final units (what is booked and what usually still comes in,
    /// see `reports::forecast`), for today and later days; None for a day that is over.
    #[serde(default)]
    pub expected: Option<f64>,
}

/// What one van (or district, or the pickup counter) takes: products and how many.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackGroup {
    pub label: String,
    pub orders: i64,
    pub items: Vec<(String, i64)>,
}

/// One ingredient the day needs, against what is in stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedRow {
    pub ingredient_id: i64,
    pub name: String,
    pub need: String,
    pub have: String,
    /// What is missing, counting what arrives before the day (empty when there is enough).
    pub short: String,
    pub supplier: String,
}

/// A line of the shopping list: what to order from a supplier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopRow {
    pub supplier: String,
    pub ingredient: String,
    pub quantity: String,
    pub cost: String,
    /// Why: short for the day, or below its reorder level.
    pub why: String,
    #[serde(default)]
    pub supplier_id: Option<i64>,
    #[serde(default)]
    pub ingredient_id: i64,
    /// `quantity` in base units.
    #[serde(default)]
    pub base: i64,
}

/// A purchase order as the stock page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurchaseRow {
    pub id: i64,
    pub supplier: String,
    pub arrives_on: String,
    /// open, received or cancelled.
    pub status: String,
    pub note: String,
    /// Who ordered it.
    pub by: String,
    pub lines: Vec<PurchaseLine>,
    pub cost: String,
}

/// One line of a purchase order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurchaseLine {
    pub ingredient_id: i64,
    pub name: String,
    pub unit: Unit,
    /// Ordered, in the unit ("2.5").
    pub ordered: String,
    /// Shown with its unit ("2.5 kg").
    pub ordered_shown: String,
    /// What came ("2 kg"), once received.
    pub received: Option<String>,
}

/// A bake day's production plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductionPlan {
    pub day: String,
    /// The bakery's today, for the day chooser.
    pub today: String,
    /// The viewer may edit recipes and ovens (the owner).
    pub owner: bool,
    pub day_label: String,
    pub lines: Vec<PlanLine>,
    pub packing: Vec<PackGroup>,
    /// Each station's batches for the day (all of them, baked or not) and its limit.
    pub stations: Vec<(String, i64, Option<i64>)>,
    pub needs: Vec<NeedRow>,
    pub shopping: Vec<ShopRow>,
    pub orders: i64,
    /// The day's orders whose customer has allergies: (order number, first name, allergies).
    #[serde(default)]
    pub allergies: Vec<(i64, String, String)>,
    /// What was thrown away that day.
    #[serde(default)]
    pub waste: Vec<WasteRow>,
}

/// Days before its best-before that a lot in stock counts as "use soon" (the dashboard, the
/// Stock page and the owner's alert).
pub const SOON_DAYS: i64 = 3;

/// Why baked goods were thrown away (stored codes; each has a `waste-reason-<code>` message).
pub const WASTE_REASONS: [&str; 5] = ["unsold", "expired", "burnt", "damaged", "other"];

/// Baked goods thrown away, as the production sheet lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WasteRow {
    pub product: String,
    pub units: i64,
    /// One of `WASTE_REASONS`.
    pub reason: String,
    pub note: String,
    pub by: String,
}

/// An ingredient with its stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IngredientRow {
    pub id: i64,
    pub name: String,
    pub unit: Unit,
    /// Cents per `unit`.
    pub cost_cents: f64,
    pub cost: String,
    pub supplier_id: Option<i64>,
    pub supplier: String,
    /// Base units.
    pub reorder_level: i64,
    pub reorder_text: String,
    /// Base units.
    pub balance: i64,
    pub balance_text: String,
    /// The earliest best-before of a lot with stock.
    pub next_best_before: Option<String>,
    pub low: bool,
    /// A lot with stock is past or within three days of its best-before.
    pub expiring: bool,
}

/// A supplier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplierRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub lead_days: i64,
}

/// One move of the ledger, as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoveRow {
    pub id: i64,
    pub at: String,
    pub ingredient: String,
    pub kind: String,
    pub quantity: String,
    pub lot: String,
    pub reason: String,
    pub by: String,
}

/// The stock page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockData {
    pub ingredients: Vec<IngredientRow>,
    pub suppliers: Vec<SupplierRow>,
    pub moves: Vec<MoveRow>,
    /// The owner may add and edit ingredients and suppliers.
    pub can_edit: bool,
    /// Open purchase orders, then the latest received or cancelled ones.
    #[serde(default)]
    pub purchases: Vec<PurchaseRow>,
    /// Booking checks the pantry (stock + purchase orders).
    #[serde(default)]
    pub check_pantry: bool,
}

/// A recipe line as shown and edited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecipeLine {
    pub ingredient_id: i64,
    /// Base units per batch.
    pub quantity: i64,
}

/// A product with its recipe (if any) and cost of goods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecipeRow {
    pub product_id: i64,
    pub name: String,
    pub price_cents: i64,
    pub has_recipe: bool,
    pub batch_yield: i64,
    pub prep_minutes: i64,
    pub bake_minutes: i64,
    pub station: String,
    pub lines: Vec<RecipeLine>,
}

/// The recipes page: products, ingredients to choose from, the currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecipesData {
    pub recipes: Vec<RecipeRow>,
    pub ingredients: Vec<IngredientRow>,
    /// Every station recipes name, with its batches per bake day (None: no limit).
    pub stations: Vec<(String, Option<i64>)>,
    /// Booking checks the pantry (stock + purchase orders arriving before the bake day).
    #[serde(default)]
    pub check_pantry: bool,
    pub currency: String,
}

/// What the dashboard shows about stock.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StockAlerts {
    /// "Rye flour (0.8 kg, reorder at 2 kg)".
    pub low: Vec<String>,
    /// "Butter: best before Thu 3 Dec".
    pub expiring: Vec<String>,
    /// What tomorrow's bake is short of: "Cream 35%: 0.4 l short".
    pub short_tomorrow: Vec<String>,
    /// Tomorrow, `YYYY-MM-DD` (the kitchen page's day).
    pub tomorrow: String,
}
