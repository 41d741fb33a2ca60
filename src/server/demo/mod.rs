//! The demo bakery: a home bakery in Madrid with eleven delivery districts, 300 customers (80
//! of them ordering in the recent weeks), 15 products, a year of history and ~150 orders from four weeks ago to two weeks ahead in every status, an owner,
//! a staff member and two drivers. Deterministic: the same seed and the same "today" give the
//! same data.
use chrono::Duration;
use sqlx::SqlitePool;

use super::config::Config;
use super::db;
use crate::auth::password::{hash_blocking, DEMO_PASSWORD};
use crate::districts::model::mask_of;
use crate::error::AppError;
use crate::orders::core::as_written;

mod catalog;
mod customers;
mod geo;
mod orders;
mod recent;
#[cfg(test)]
mod tests;

pub(in crate::server) use catalog::WINDOWS;
use catalog::*;
use customers::{Consent, Cust};
use geo::*;
pub use orders::publish_today;
use orders::*;

/// The demo accounts: (email, name, role).
pub const DEMO_USERS: [(&str, &str, &str); 4] = [
    ("owner@hearth.demo", "Lucía Navarro", "owner"),
    ("staff@hearth.demo", "Pablo Ortega", "staff"),
    ("driver@hearth.demo", "Marta Ruiz", "driver"),
    ("driver2@hearth.demo", "Javier Gil", "driver"),
];

const SEED: u64 = 0x4845_4152_5448; // "HEARTH"

/// SplitMix64: tiny, fast, and stable forever (unlike a library RNG whose stream may change).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(super) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A Poisson draw (by inversion: small means only).
    pub(super) fn poisson(&mut self, mean: f64) -> u64 {
        let (l, mut k, mut p) = ((-mean).exp(), 0, 1.0);
        loop {
            p *= self.unit();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }
    /// An index drawn with the given weights.
    pub(super) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// Summary of what `load` wrote.
#[derive(Debug, PartialEq, Eq)]
pub struct DemoCounts {
    pub districts: usize,
    pub customers: usize,
    pub products: usize,
    pub orders: usize,
    pub users: usize,
}

/// Loads the demo bakery in one transaction. With `reset`, first deletes all business data
/// and accounts; without it, refuses a database that already has users.
pub async fn load(pool: &SqlitePool, config: &Config, reset: bool) -> Result<DemoCounts, AppError> {
    let today = config.today();
    // Hash before taking the write lock: argon2 is slow on purpose.
    let hashes: Vec<String> = tokio::task::spawn_blocking(|| {
        DEMO_USERS
            .iter()
            .map(|_| hash_blocking(DEMO_PASSWORD))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| AppError::internal("demo hashing", e))??;

    let mut tx = db::begin_write(pool).await?;
    let existing = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM users"#)
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 && !reset {
        return Err(AppError::Conflict(
            "The database already has accounts; use `hearth demo --reset` to replace everything with the demo bakery.".into(),
        ));
    }
    if reset {
        // The kitchen's moves name their users and products: it goes first.
        crate::kitchen::demo::clear_in(&mut tx).await?;
        crate::standing::store::clear_visits_in(&mut tx).await?;
        crate::alerts::store::clear_in(&mut tx).await?;
        crate::loyalty::store::clear_in(&mut tx).await?;
        for table in [
            "DELETE FROM consents",
            "DELETE FROM customer_tags",
            "DELETE FROM segments",
            "DELETE FROM promotion_uses",
            "DELETE FROM promotion_codes",
            "DELETE FROM promotion_products",
            "DELETE FROM promotion_districts",
            "DELETE FROM promotions",
            "DELETE FROM idempotency_keys",
            "DELETE FROM webhook_outbox",
            "DELETE FROM run_exclusions",
            "DELETE FROM run_stops",
            "DELETE FROM runs",
            "DELETE FROM order_events",
            "DELETE FROM order_items",
            "DELETE FROM orders",
            "DELETE FROM customers",
            "DELETE FROM capacity_used",
            "DELETE FROM login_attempts",
            "DELETE FROM api_keys",
            "DELETE FROM users",
        ] {
            if table == "DELETE FROM customers" {
                // Standing orders name customers and are named by orders: between the two.
                crate::standing::store::clear_in(&mut tx).await?;
            }
            sqlx::query(table).execute(&mut *tx).await?;
        }
        crate::districts::repo::clear_in(&mut tx).await?;
        crate::menu::repo::clear(&mut tx).await?;
        crate::settings::hours::clear_in(&mut tx).await?;
        // Sessions belong to the accounts just removed. The table exists once the server ran.
        let has_sessions = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM sqlite_master WHERE type = 'table' AND name = 'sessions'"#
        )
        .fetch_one(&mut *tx)
        .await?;
        if has_sessions > 0 {
            sqlx::query("DELETE FROM sessions")
                .execute(&mut *tx)
                .await?;
        }
    }

    let mut rng = Rng(SEED);
    let now = db::now();

    for ((email, name, role), hash) in DEMO_USERS.iter().zip(&hashes) {
        sqlx::query!(
            "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            email, name, role, hash, now, now
        )
        .execute(&mut *tx)
        .await?;
    }

    // Through the district editor's own checks and writer, as an owner would type them; every
    // served day offers the demo's four delivery windows.
    let mut district_ids = Vec::new();
    let windows = vec![slots_text_of(&WINDOWS); 7];
    for (seed, ring) in DISTRICTS.iter().zip(district_rings()) {
        let money = |c: i64| format!("{}.{:02}", c / 100, c % 100);
        let d = crate::districts::check::validate(
            0,
            seed.name,
            seed.colour,
            mask_of(seed.days),
            &money(seed.fee),
            &money(seed.min),
            &seed.cap.to_string(),
            &serde_json::to_string(&ring).unwrap_or_default(),
            &windows,
        )?;
        district_ids.push(crate::districts::repo::save_in(&mut tx, None, &d).await?);
    }

    let mut product_ids = Vec::new();
    // Pickup Monday to Saturday 08:00–14:00 and Sunday mornings 09:00–13:00; booking 14 days
    // ahead, same-day orders taken.
    let hours = crate::settings::hours::HoursForm {
        horizon_days: "14".into(),
        cutoff: String::new(),
        days: (0..7)
            .map(|i| crate::settings::hours::DayForm {
                open: true,
                opens: if i < 6 { "08:00" } else { "09:00" }.into(),
                closes: if i < 6 { "14:00" } else { "13:00" }.into(),
                ..Default::default()
            })
            .collect(),
    };
    crate::settings::hours::save_in(&mut tx, &hours).await?;

    // Through the menu's own form and writer, as an owner would type them.
    for (sku, name, desc, cat, price, cap) in PRODUCTS {
        let (category, tax, allergens, dietary) = demo_terms(sku, cat);
        let form = crate::menu::model::ProductForm {
            sku: sku.into(),
            name: name.into(),
            description: desc.into(),
            category: category.into(),
            price: format!("{:.2}", price as f64 / 100.0),
            tax_rate: tax.into(),
            daily_capacity: cap.to_string(),
            allergens: allergens.iter().map(|a| a.to_string()).collect(),
            dietary: dietary.iter().map(|a| a.to_string()).collect(),
            ..crate::menu::model::ProductForm::blank()
        };
        let id = crate::menu::repo::create(&mut tx, &form.validate()?).await?;
        product_ids.push((id, price));
    }

    // Customers: the first 80 order in the recent weeks; more join after them (below).
    let mut customers: Vec<Cust> = Vec::new();
    customers::add(
        &mut tx,
        &mut rng,
        &mut customers,
        (80, 10),
        &district_ids,
        Consent::Checkout,
    )
    .await?;

    // Orders, day by day.
    let mut orders = recent::orders(
        &mut tx,
        &mut rng,
        config,
        &customers,
        (&district_ids, &product_ids),
    )
    .await?;
    // The rest of the ~300 customers the bakery has gathered: they ordered in the past year
    // (below), not in the recent weeks; a stream of their own keeps the recent orders as they are.
    customers::add(
        &mut tx,
        &mut Rng(SEED ^ 0x00C0_57E2),
        &mut customers,
        (300, 30),
        &district_ids,
        Consent::Mixed,
    )
    .await?;
    // Half of the upcoming, not yet baking deliveries accept any day of their week.
    let (soon, horizon) = (
        (today + chrono::Duration::days(2)).to_string(),
        (today + chrono::Duration::days(1)).to_string(),
    );
    as_written::flexible_within_their_week(&mut tx, &soon, &horizon).await?;
    let owner = sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM users WHERE role = 'owner' ORDER BY id LIMIT 1"#
    )
    .fetch_one(&mut *tx)
    .await?;
    crate::kitchen::demo::seed(&mut tx, today, owner).await?;
    // Past promotions and the orders that used them: their discounts and totals follow.
    crate::promotions::demo::seed(&mut tx, today, owner).await?;
    as_written::discounts_as_used(&mut tx).await?;
    // The year before, for the reports and the forecast (numbered below the recent orders).
    let past: Vec<super::demo_history::Customer> = customers
        .iter()
        .map(|c| super::demo_history::Customer {
            id: c.id,
            district_id: district_ids[c.district],
            served: DISTRICTS[c.district].days,
            fee_cents: DISTRICTS[c.district].fee,
            lat: c.lat,
            lng: c.lng,
            address: c.address.clone(),
        })
        .collect();
    orders += super::demo_history::seed(
        &mut tx,
        config,
        today - Duration::days(364),
        today - Duration::days(29),
        &past,
        &product_ids,
    )
    .await?;
    // A year of points from those orders, and a few customers who came through a referral.
    crate::loyalty::demo::seed(&mut tx, today).await?;
    // The kitchen, in Chamberí: every run starts and ends here.
    sqlx::query!(
        "UPDATE business_settings SET kitchen_address = 'Calle de Ponzano 39, Madrid', kitchen_lat = 40.4421, kitchen_lng = -3.7012
         WHERE id = 1"
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let orders = orders + standing_orders(pool, config).await?;
    // The demo's own making is not news: its alerts (with its lots near their best-before)
    // are in the bell, but nobody is emailed.
    let mut tx = db::begin_write(pool).await?;
    crate::alerts::store::raise_best_before(&mut tx, config.today()).await?;
    crate::alerts::store::nothing_to_send_for_what_is_pending(&mut tx).await?;
    tx.commit().await?;
    Ok(DemoCounts {
        districts: DISTRICTS.len(),
        customers: customers.len(),
        products: PRODUCTS.len(),
        orders,
        users: DEMO_USERS.len(),
    })
}
