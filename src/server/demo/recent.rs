//! The demo's recent orders: four weeks back to two weeks ahead, in every status (today's in
//! each stage of the day), written as they were by `orders::core::as_written`.
use chrono::{Datelike, Duration, TimeZone};
use sqlx::SqliteConnection;

use super::catalog::{CANCEL_REASONS, NOTES, WINDOWS};
use super::customers::Cust;
use super::geo::DISTRICTS;
use super::Rng;
use crate::error::AppError;
use crate::orders::core::as_written::{self, PastOrder};
use crate::server::config::Config;
use crate::server::db;

/// Writes the recent orders (numbered from 1001) for `customers`; `ids` are the districts' and
/// the products' (id, price). Returns how many.
pub(super) async fn orders(
    tx: &mut SqliteConnection,
    rng: &mut Rng,
    config: &Config,
    customers: &[Cust],
    (district_ids, product_ids): (&[i64], &[(i64, i64)]),
) -> Result<usize, AppError> {
    let today = config.today();
    let now = db::now();
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
            let (delivery, cust) = customer_of(rng, customers, day);
            let status = status_of(rng, offset, k, delivery);
            let payment = payment_of(rng, delivery, offset == 0 && k % 3 == 0);
            let closed = matches!(status, "delivered" | "collected");
            let paid = payment == "prepaid" || closed;
            let (window_from, window_to) = window_of(rng, delivery);
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
            let (items, subtotal) = lines_of(rng, product_ids);
            let notes = rng.chance(0.12).then(|| rng.pick(&NOTES).to_string());
            let created = placed_at(rng, config, day, &now);
            let fulfil_on = day.to_string();
            let (address, lat, lng, district_id) = place_of(cust, district_ids, delivery, unpinned);
            let fulfilment = if delivery { "delivery" } else { "pickup" };
            as_written::write(
                &mut *tx,
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
    Ok(orders)
}

/// Who orders: a delivery (four in five, when some customer's district is served that day)
/// goes to a customer served that day; a pickup to anyone.
fn customer_of<'a>(
    rng: &mut Rng,
    customers: &'a [Cust],
    day: chrono::NaiveDate,
) -> (bool, &'a Cust) {
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
    (delivery, cust)
}

/// Where a delivery goes: the customer's pin and district, or only the address for one
/// that waits to be placed; a pickup has none.
#[allow(clippy::type_complexity)]
fn place_of(
    cust: &Cust,
    district_ids: &[i64],
    delivery: bool,
    unpinned: bool,
) -> (Option<String>, Option<f64>, Option<f64>, Option<i64>) {
    if delivery && !unpinned {
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
    }
}

/// An order's status by how far its day is from today (`offset`) and its place in the day.
fn status_of(rng: &mut Rng, offset: i64, k: u64, delivery: bool) -> &'static str {
    let today_statuses = [
        "received",
        "confirmed",
        "baking",
        "ready",
        "out_for_delivery",
        "delivered",
    ];
    match offset {
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
            if k.is_multiple_of(2) {
                "confirmed"
            } else {
                drawn
            }
        }
        3..=5 => {
            if rng.chance(0.05) {
                "cancelled"
            } else if k.is_multiple_of(2) {
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
    }
}

/// How the order is paid. Today's run always has cash to collect: every third of today's
/// orders that is a delivery pays cash (`cash_run`; the draw is made all the same, so the
/// rest stays as it was).
fn payment_of(rng: &mut Rng, delivery: bool, cash_run: bool) -> &'static str {
    if delivery {
        if rng.chance(0.4) || cash_run {
            "cod"
        } else {
            "prepaid"
        }
    } else if rng.chance(0.5) {
        "pay_at_pickup"
    } else {
        "prepaid"
    }
}

/// A delivery's window is one of the demo's four; a pickup is a half hour in opening hours.
fn window_of(rng: &mut Rng, delivery: bool) -> (String, String) {
    if delivery {
        let (a, b) = rng.pick(&WINDOWS);
        (a.to_string(), b.to_string())
    } else {
        rng.pickup_slot()
    }
}

/// One to three lines (a product drawn twice is skipped): (product, quantity, price) and the
/// subtotal.
fn lines_of(rng: &mut Rng, product_ids: &[(i64, i64)]) -> (Vec<(i64, i64, i64)>, i64) {
    let lines = 1 + rng.below(3);
    let mut items = Vec::new();
    let mut subtotal = 0i64;
    for _ in 0..lines {
        let (pid, price) = *rng.pick(product_ids);
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
    (items, subtotal)
}

/// When the order was placed: one to three days before its day, in the bakery's daytime.
fn placed_at(rng: &mut Rng, config: &Config, day: chrono::NaiveDate, now: &str) -> String {
    {
        let placed = day - Duration::days(1 + rng.below(3) as i64);
        let local = placed
            .and_hms_opt(8 + rng.below(12) as u32, rng.below(60) as u32, 0)
            .unwrap_or_default();
        let utc = config
            .timezone()
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc));
        utc.map(db::timestamp).unwrap_or_else(|| now.to_string())
    }
}
