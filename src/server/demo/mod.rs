//! The demo bakery: a home bakery in Madrid with eleven delivery districts, 300 customers (80
//! of them ordering in the recent weeks), 15 products, a year of history and ~150 orders from four weeks ago to two weeks ahead in every status, an owner,
//! a staff member and two drivers. Deterministic: the same seed and the same "today" give the
//! same data.
use chrono::Duration;
use sqlx::SqlitePool;

use super::config::Config;
use super::db;
use crate::error::AppError;
use crate::orders::core::as_written;

mod catalog;
mod customers;
mod geo;
mod orders;
mod recent;
mod setup;
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
    /// A pickup's half hour between 08:00 and 14:00: (from, to) as "HH:MM".
    pub(super) fn pickup_slot(&mut self) -> (String, String) {
        let start = (8 + self.below(6)) * 60 + 30 * self.below(2);
        let end = start + 30;
        let hm = |m: u64| format!("{:02}:{:02}", m / 60, m % 60);
        (hm(start), hm(end))
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
    let hashes = setup::hashed_passwords().await?;

    let mut tx = db::begin_write(pool).await?;
    setup::refuse_or_clear(&mut tx, reset).await?;
    let mut rng = Rng(SEED);
    let (district_ids, product_ids) = setup::business(&mut tx, &hashes).await?;

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
    setup::kitchen_and_promotions(&mut tx, today).await?;
    // The year before, for the reports and the forecast (numbered below the recent orders).
    let past = setup::history_customers(&customers, &district_ids);
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
    tx.commit().await?;
    let orders = orders + standing_orders(pool, config).await?;
    setup::alerts_that_are_not_news(pool, config.today()).await?;
    Ok(DemoCounts {
        districts: DISTRICTS.len(),
        customers: customers.len(),
        products: PRODUCTS.len(),
        orders,
        users: DEMO_USERS.len(),
    })
}
