//! What taking an order is checked against, read in one statement: the calendar
//! (`BookingRules`), the terms of the order's products, and what is booked on its days
//! (`Booked`). An order reads it under the write lock, where every round trip to SQLite's
//! thread holds up each order queued behind; `BookingRules::load` and `Booked::load_for` read
//! their halves of it.
use std::collections::HashMap;

use chrono::NaiveDate;

use super::calendar::BookingRules;
use super::capacity::Booked;
use crate::error::AppError;

/// A product's booking terms: (units a day, the weekdays it is baked (bit 0 Monday), days of
/// notice).
pub type Terms = (i64, i64, i64);

/// The calendar, the terms of `products`, and what is booked from `from` to `to` (with the
/// pantry from `today` on, when booking checks it; `pantry_of`: only for those products'
/// ingredients, None for every product).
pub async fn read(
    conn: &mut sqlx::SqliteConnection,
    days: (NaiveDate, NaiveDate),
    today: NaiveDate,
    products: &[i64],
    pantry_of: Option<&[i64]>,
) -> Result<(BookingRules, HashMap<i64, Terms>, Booked), AppError> {
    let (rules, terms, mut booked, pantry) = read_rows(conn, days, products).await?;
    if pantry {
        booked = booked.with_pantry(super::pantry::Pantry::load(conn, today, pantry_of).await?);
    }
    Ok((rules, terms, booked))
}

/// No days (the first after the last): what a reader passes to `read_rows` for the calendar
/// and the products' terms alone.
pub const NO_DAYS: (NaiveDate, NaiveDate) = (NaiveDate::MAX, NaiveDate::MIN);

/// `read` without the pantry: whether booking checks it comes fourth.
pub(crate) async fn read_rows(
    conn: &mut sqlx::SqliteConnection,
    (from, to): (NaiveDate, NaiveDate),
    products: &[i64],
) -> Result<(BookingRules, HashMap<i64, Terms>, Booked, bool), AppError> {
    let (a, b) = (from.to_string(), to.to_string());
    let ids = serde_json::to_string(products).unwrap_or_else(|_| "[]".into());
    let s = sqlx::query!(
        r#"SELECT s.booking_horizon_days, s.order_cutoff,
                  (SELECT json_group_array(json_array(weekday, opens, closes, break_from, break_to))
                   FROM pickup_hours) AS "hours!: String",
                  (SELECT json_group_array(json_array(day, note)) FROM closed_dates) AS "closed!: String",
                  (SELECT json_group_array(json_array(id, daily_capacity, offered_weekdays, lead_days))
                   FROM products WHERE id IN (SELECT value FROM json_each(?3))) AS "terms!: String",
                  (SELECT json_group_array(json_array(kind, ref_id, day, used)) FROM capacity_used
                   WHERE day BETWEEN ?1 AND ?2) AS "used!: String",
                  (SELECT json_group_array(json_array(name, batches_per_day)) FROM stations
                   WHERE batches_per_day IS NOT NULL) AS "stations!: String",
                  (SELECT json_group_array(json_array(product_id, station, batch_yield)) FROM recipes
                   WHERE EXISTS (SELECT 1 FROM stations WHERE batches_per_day IS NOT NULL)) AS "recipes!: String",
                  COALESCE((SELECT check_pantry FROM kitchen_rules WHERE id = 1), 0) AS "pantry!: i64"
           FROM business_settings s WHERE s.id = 1"#,
        a,
        b,
        ids
    )
    .fetch_one(&mut *conn)
    .await?;
    let rules =
        BookingRules::from_rows(s.booking_horizon_days, s.order_cutoff, &s.hours, &s.closed)?;
    let terms: Vec<(i64, i64, i64, i64)> = crate::server::db::json_rows(&s.terms)?;
    let terms = terms
        .into_iter()
        .map(|(id, capacity, offered, lead)| (id, (capacity, offered, lead)))
        .collect();
    let booked = Booked::from_rows((from, to), &s.used, &s.stations, &s.recipes)?;
    Ok((rules, terms, booked, s.pantry != 0))
}
