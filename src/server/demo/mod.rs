//! The demo bakery: a home bakery in Madrid with eleven delivery districts, ~80 customers,
//! 15 products, ~150 orders from four weeks ago to two weeks ahead in every status, an owner,
//! a staff member and two drivers. Deterministic: the same seed and the same "today" give the
//! same data.
use chrono::{Datelike, Duration, TimeZone};
use sqlx::SqlitePool;

use super::config::Config;
use super::db;
use crate::auth::password::{hash_blocking, DEMO_PASSWORD};
use crate::districts::model::mask_of;
use crate::error::AppError;
use crate::orders::core::as_written::{self, PastOrder};

mod catalog;
mod geo;
mod orders;
#[cfg(test)]
mod tests;

pub(in crate::server) use catalog::WINDOWS;
use catalog::*;
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
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, p: f64) -> bool {
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
    // Pickup Monday to Saturday, 08:00–14:00; booking 14 days ahead, same-day orders taken.
    let hours = crate::settings::hours::HoursForm {
        horizon_days: "14".into(),
        cutoff: String::new(),
        days: (0..7)
            .map(|i| crate::settings::hours::DayForm {
                open: i < 6,
                opens: "08:00".into(),
                closes: "14:00".into(),
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

    // Customers: points spread over the area, each in the district whose cell holds it.
    struct Cust {
        id: i64,
        district: usize,
        lat: f64,
        lng: f64,
        address: String,
    }
    let mut customers: Vec<Cust> = Vec::new();
    let (s, w, n, e) = BBOX;
    while customers.len() < 80 {
        let lat = s + 0.004 + rng.unit() * (n - s - 0.008);
        let lng = w + 0.004 + rng.unit() * (e - w - 0.008);
        let district = nearest_district(lat, lng);
        // Keep districts balanced: at most 10 customers each.
        if customers.iter().filter(|c| c.district == district).count() >= 10 {
            continue;
        }
        let seed = &DISTRICTS[district];
        let name = format!(
            "{} {} {}",
            rng.pick(&FIRST_NAMES),
            rng.pick(&LAST_NAMES),
            rng.pick(&LAST_NAMES)
        );
        let phone = format!("+346{:08}", 10_000_000 + rng.below(89_999_999));
        let address = format!(
            "{}, {}, {}º {}, {} Madrid",
            rng.pick(&seed.streets),
            1 + rng.below(120),
            1 + rng.below(6),
            ["A", "B", "C", "D", "Izq.", "Dcha."][rng.below(6) as usize],
            seed.postcode
        );
        let email = format!(
            "{}{}@example.com",
            name.split_whitespace()
                .next()
                .unwrap_or("cliente")
                .to_lowercase(),
            customers.len() + 1
        );
        let opt_in = rng.chance(0.4);
        let district_id = district_ids[district];
        let id = sqlx::query!(
            "INSERT INTO customers (name, phone, email, address, lat, lng, district_id, marketing_opt_in, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            name, phone, email, address, lat, lng, district_id, opt_in, now, now
        )
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        // Those who opted in chose their channels: a mix of email, SMS and WhatsApp.
        if opt_in {
            use crate::customers::Channel::{Email, Sms, Whatsapp};
            let channels: &[crate::customers::Channel] = match customers.len() % 4 {
                0 => &[Email],
                1 => &[Email, Whatsapp],
                2 => &[Sms, Whatsapp],
                _ => &[Whatsapp],
            };
            for c in channels {
                crate::customers::consent::set(&mut tx, id, *c, true, "Website checkout", None)
                    .await?;
            }
        }
        customers.push(Cust {
            id,
            district,
            lat,
            lng,
            address,
        });
    }

    // Orders, day by day.
    let today_statuses = [
        "received",
        "confirmed",
        "baking",
        "ready",
        "out_for_delivery",
        "delivered",
    ];
    let mut number = 1001i64;
    let mut orders = 0usize;
    let mut unpinned_days: Vec<i64> = Vec::new();
    for offset in -28i64..=13 {
        let day = today + Duration::days(offset);
        let count = match offset {
            0 => 14,
            o if o < 0 => 3 + rng.below(2),
            _ => 2 + rng.below(3),
        };
        for k in 0..count {
            let weekday = day.weekday();
            let servable: Vec<usize> = (0..customers.len())
                .filter(|&i| DISTRICTS[customers[i].district].days.contains(&weekday))
                .collect();
            let delivery = !servable.is_empty() && rng.chance(0.8);
            let cust = if delivery {
                &customers[*rng.pick(&servable)]
            } else {
                &customers[rng.below(customers.len() as u64) as usize]
            };
            let status = match offset {
                o if o < 0 => {
                    if rng.chance(0.07) {
                        "cancelled"
                    } else if delivery {
                        "delivered"
                    } else {
                        "collected"
                    }
                }
                0 => {
                    let s = today_statuses[k as usize % today_statuses.len()];
                    if !delivery && s == "out_for_delivery" {
                        "ready"
                    } else if !delivery && s == "delivered" {
                        "collected"
                    } else {
                        s
                    }
                }
                // The next days have confirmed orders whatever the draw (half of each day's,
                // at least), so that the planning page always has some to plan.
                1 | 2 => {
                    let drawn = ["received", "confirmed"][rng.below(2) as usize];
                    if k % 2 == 0 {
                        "confirmed"
                    } else {
                        drawn
                    }
                }
                3..=5 => {
                    if rng.chance(0.05) {
                        "cancelled"
                    } else if k % 2 == 0 {
                        "confirmed"
                    } else {
                        "received"
                    }
                }
                _ => {
                    if rng.chance(0.05) {
                        "cancelled"
                    } else {
                        "received"
                    }
                }
            };
            let payment = if delivery {
                if rng.chance(0.4) {
                    "cod"
                } else {
                    "prepaid"
                }
            } else if rng.chance(0.5) {
                "pay_at_pickup"
            } else {
                "prepaid"
            };
            let closed = matches!(status, "delivered" | "collected");
            let paid = payment == "prepaid" || closed;
            let (window_from, window_to) = if delivery {
                let (a, b) = rng.pick(&WINDOWS);
                (a.to_string(), b.to_string())
            } else {
                let start = (8 + rng.below(6)) * 60 + 30 * rng.below(2);
                let end = start + 30;
                (
                    format!("{:02}:{:02}", start / 60, start % 60),
                    format!("{:02}:{:02}", end / 60, end % 60),
                )
            };
            // Two upcoming orders (on different days, from five days out) arrive without a pin
            // for the owner to place, whatever weekday today is.
            let unpinned = delivery
                && offset >= 5
                && unpinned_days.len() < 2
                && !unpinned_days.contains(&offset);
            if unpinned {
                unpinned_days.push(offset);
            }
            let seed = &DISTRICTS[cust.district];
            let fee = if delivery { seed.fee } else { 0 };
            let lines = 1 + rng.below(3);
            let mut items = Vec::new();
            let mut subtotal = 0i64;
            for _ in 0..lines {
                let (pid, price) = *rng.pick(&product_ids);
                if items.iter().any(|(p, _, _)| *p == pid) {
                    continue;
                }
                let qty = if price < 500 {
                    2 + rng.below(5) as i64
                } else {
                    1 + rng.below(2) as i64
                };
                subtotal += price * qty;
                items.push((pid, qty, price));
            }
            let notes = rng.chance(0.12).then(|| rng.pick(&NOTES).to_string());
            let created = {
                let placed = day - Duration::days(1 + rng.below(3) as i64);
                let local = placed
                    .and_hms_opt(8 + rng.below(12) as u32, rng.below(60) as u32, 0)
                    .unwrap_or_default();
                let utc = config
                    .timezone()
                    .from_local_datetime(&local)
                    .earliest()
                    .map(|t| t.with_timezone(&chrono::Utc));
                utc.map(db::timestamp).unwrap_or_else(|| now.clone())
            };
            let fulfil_on = day.to_string();
            let (address, lat, lng, district_id) = if delivery && !unpinned {
                (
                    Some(cust.address.clone()),
                    Some(cust.lat),
                    Some(cust.lng),
                    Some(district_ids[cust.district]),
                )
            } else if unpinned {
                (Some(cust.address.clone()), None, None, None)
            } else {
                (None, None, None, None)
            };
            let fulfilment = if delivery { "delivery" } else { "pickup" };
            as_written::write(
                &mut tx,
                &PastOrder {
                    number,
                    customer_id: cust.id,
                    status,
                    fulfilment,
                    fulfil_on,
                    window: (window_from, window_to),
                    address,
                    lat,
                    lng,
                    district_id,
                    payment,
                    paid,
                    subtotal,
                    fee,
                    notes,
                    cancelled_because: (status == "cancelled")
                        .then(|| CANCEL_REASONS[number as usize % CANCEL_REASONS.len()].into()),
                    created,
                    lines: items,
                },
            )
            .await?;
            number += 1;
            orders += 1;
        }
    }
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
