//! The demo bakery's past year, so that the reports' charts and the kitchen's forecast have
//! something to learn from: deterministic, with a weekly pattern (Saturdays busiest, closed on
//! Sundays), a season (a busy December, a quiet August), orders booked 0–6 days ahead and
//! arriving mostly in the morning and the evening, products that sell better in some districts,
//! and cancellations with their reasons. Numbered 1–1000, before the demo's recent orders.
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};
use sqlx::SqliteConnection;

use super::db;
use crate::error::AppError;

/// A demo customer the history can use.
pub struct Customer {
    pub id: i64,
    pub district_id: i64,
    /// Weekdays the customer's district is served.
    pub served: &'static [Weekday],
    pub fee_cents: i64,
    pub lat: f64,
    pub lng: f64,
    pub address: String,
}

use super::demo::{Rng, WINDOWS};
use crate::orders::core::as_written::{self, PastOrder};

/// Orders per weekday (Monday first) on an ordinary week.
const PER_WEEKDAY: [f64; 7] = [2.0, 2.4, 2.4, 2.8, 3.6, 4.4, 0.0];
/// Share of orders booked 0, 1, … 6 days ahead.
const LEAD: [f64; 7] = [0.10, 0.35, 0.25, 0.14, 0.08, 0.05, 0.03];
const CANCEL_REASONS: [&str; 5] = [
    "Customer away that day",
    "Ordered twice by mistake",
    "Changed their mind",
    "Wrong day chosen",
    "Bakery couldn't bake it",
];
fn season(d: NaiveDate) -> f64 {
    match d.month() {
        12 => 1.4,
        1 => 0.8,
        8 => 0.6,
        _ => 1.0,
    }
}

struct Planned {
    day: NaiveDate,
    customer: usize,
    delivery: bool,
    cancelled: Option<&'static str>,
    lines: Vec<(i64, i64, i64)>,
    created: chrono::NaiveDateTime,
    window: (String, String),
    cod: bool,
}

/// Writes the orders of `first..=last` (days before the demo's recent orders) and returns how
/// many. `products` are (id, price); `districts` is the number of districts (for the products'
/// local favourites).
pub async fn seed(
    tx: &mut SqliteConnection,
    config: &super::config::Config,
    first: NaiveDate,
    last: NaiveDate,
    customers: &[Customer],
    products: &[(i64, i64)],
) -> Result<usize, AppError> {
    let mut rng = Rng(0x0048_4953_544F_5259); // "HISTORY": the recent orders keep their own stream
    let mut planned = Vec::new();
    let mut day = first;
    while day <= last {
        let w = day.weekday().num_days_from_monday() as usize;
        let n = rng.poisson(PER_WEEKDAY[w] * season(day));
        for _ in 0..n {
            planned.push(plan(&mut rng, day, customers, products));
        }
        day += Duration::days(1);
    }
    // At most 1000, the latest kept: the recent orders start at 1001.
    if planned.len() > 1000 {
        planned.drain(..planned.len() - 1000);
    }
    let tz = config.timezone();
    let now = db::now();
    for (i, p) in planned.iter().enumerate() {
        let number = i as i64 + 1;
        let c = &customers[p.customer];
        let created = tz
            .from_local_datetime(&p.created)
            .earliest()
            .map(|t| db::timestamp(t.with_timezone(&chrono::Utc)))
            .unwrap_or_else(|| now.clone());
        as_written::write(&mut *tx, &past_order(p, c, number, created)).await?;
    }
    Ok(planned.len())
}

/// The planned order `p` of customer `c` as it stands now: delivered or collected unless it
/// was cancelled, paid unless it was cancelled before paying at the door.
fn past_order(p: &Planned, c: &Customer, number: i64, created: String) -> PastOrder {
    let subtotal: i64 = p.lines.iter().map(|(_, q, price)| q * price).sum();
    let fee = if p.delivery { c.fee_cents } else { 0 };
    let status = match (p.cancelled.is_some(), p.delivery) {
        (true, _) => "cancelled",
        (false, true) => "delivered",
        (false, false) => "collected",
    };
    let payment = match (p.delivery, p.cod) {
        (true, true) => "cod",
        (false, true) => "pay_at_pickup",
        _ => "prepaid",
    };
    let paid = p.cancelled.is_none() || payment == "prepaid";
    let fulfilment = if p.delivery { "delivery" } else { "pickup" };
    let (address, lat, lng, district_id) = if p.delivery {
        (
            Some(c.address.clone()),
            Some(c.lat),
            Some(c.lng),
            Some(c.district_id),
        )
    } else {
        (None, None, None, None)
    };
    PastOrder {
        number,
        customer_id: c.id,
        status,
        fulfilment,
        fulfil_on: p.day.to_string(),
        window: p.window.clone(),
        address,
        lat,
        lng,
        district_id,
        payment,
        paid,
        subtotal,
        fee,
        notes: None,
        created,
        lines: p.lines.clone(),
        cancelled_because: p.cancelled.map(str::to_string),
    }
}

fn plan(rng: &mut Rng, day: NaiveDate, customers: &[Customer], products: &[(i64, i64)]) -> Planned {
    let servable: Vec<usize> = (0..customers.len())
        .filter(|&i| customers[i].served.contains(&day.weekday()))
        .collect();
    let delivery = !servable.is_empty() && rng.unit() < 0.75;
    let customer = if delivery {
        servable[rng.below(servable.len() as u64) as usize]
    } else {
        rng.below(customers.len() as u64) as usize
    };
    // Some products are favourites in some districts (and the first ones everywhere).
    let d = customers[customer].district_id;
    let weights: Vec<f64> = (0..products.len())
        .map(|i| {
            let base = 1.0 + 2.0 / (1.0 + i as f64);
            if (i as i64 + d) % 4 == 0 {
                base * 2.5
            } else {
                base
            }
        })
        .collect();
    let mut lines: Vec<(i64, i64, i64)> = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let (id, price) = products[rng.weighted(&weights)];
        if lines.iter().any(|l| l.0 == id) {
            continue;
        }
        let qty = if price < 500 {
            2 + rng.below(5) as i64
        } else {
            1 + rng.below(2) as i64
        };
        lines.push((id, qty, price));
    }
    let lead = rng.weighted(&LEAD) as i64;
    let hour = match rng.weighted(&[0.5, 0.3, 0.2]) {
        0 => 8 + rng.below(4),
        1 => 19 + rng.below(3),
        _ => 12 + rng.below(7),
    } as u32;
    let created = (day - Duration::days(lead))
        .and_hms_opt(hour, rng.below(60) as u32, 0)
        .unwrap_or_default();
    let window = if delivery {
        let (a, b) = WINDOWS[rng.weighted(&[0.35, 0.25, 0.15, 0.25])];
        (a.to_string(), b.to_string())
    } else {
        rng.pickup_slot()
    };
    let cancelled =
        (rng.unit() < 0.06).then(|| CANCEL_REASONS[rng.weighted(&[0.35, 0.2, 0.25, 0.15, 0.05])]);
    Planned {
        day,
        customer,
        delivery,
        cancelled,
        lines,
        created,
        window,
        cod: rng.unit() < 0.4,
    }
}
