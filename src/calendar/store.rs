//! The calendar's reads: a month's district-days, pickups, items and takings, closed dates and
//! running promotions.
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::{assemble, last_of, District, Load, Month, Running};
use crate::error::AppError;

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

/// The month starting on `first`.
pub async fn month(
    conn: &mut SqliteConnection,
    first: NaiveDate,
    today: NaiveDate,
    currency: String,
) -> Result<Month, AppError> {
    let (from, to) = (first.to_string(), last_of(first).to_string());
    let districts = districts(conn).await?;
    let loads = loads(conn, &from, &to).await?;
    let units: HashMap<NaiveDate, i64> = sqlx::query!(
        r#"SELECT o.fulfil_on AS "day!: String", COALESCE(SUM(i.quantity), 0) AS "units!: i64"
           FROM orders o JOIN order_items i ON i.order_id = o.id
           WHERE o.fulfil_on BETWEEN ? AND ? AND o.status <> 'cancelled'
           GROUP BY o.fulfil_on"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| Some((date(&r.day)?, r.units)))
    .collect();
    let closed: BTreeMap<NaiveDate, String> = sqlx::query!(
        r#"SELECT day AS "day!", note FROM closed_dates WHERE day BETWEEN ? AND ?"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| Some((date(&r.day)?, r.note)))
    .collect();
    let promotions: Vec<Running> = sqlx::query!(
        r#"SELECT name, starts_on, ends_on, weekdays FROM promotions
           WHERE active = 1 AND (starts_on IS NULL OR starts_on <= ?) AND (ends_on IS NULL OR ends_on >= ?)
           ORDER BY name"#,
        to,
        from
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|p| Running {
        name: p.name,
        starts_on: p.starts_on.as_deref().and_then(date),
        ends_on: p.ends_on.as_deref().and_then(date),
        weekdays: p.weekdays as u8,
    })
    .collect();
    Ok(assemble(
        first,
        today,
        currency,
        &districts,
        &loads,
        &units,
        &closed,
        &promotions,
    ))
}

/// Every district with its served weekdays and stops a day.
async fn districts(conn: &mut SqliteConnection) -> Result<Vec<District>, AppError> {
    let rows: Vec<District> = sqlx::query!(
        r#"SELECT id AS "id!", name, colour, served_weekdays, capacity_per_day FROM districts ORDER BY name"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|d| District {
        id: d.id,
        name: d.name,
        colour: d.colour,
        served: d.served_weekdays as u8,
        capacity: d.capacity_per_day,
    })
    .collect();
    Ok(rows)
}

/// The booked orders and money of each day, fulfilment and district between `from` and `to`.
async fn loads(conn: &mut SqliteConnection, from: &str, to: &str) -> Result<Vec<Load>, AppError> {
    // `orders_for_reports` (fulfil_on, status, fulfilment, district_id, …, total) covers it.
    let rows: Vec<Load> = sqlx::query!(
        r#"SELECT fulfil_on AS "day!: String", fulfilment AS "fulfilment!: String",
                  district_id, COUNT(*) AS "orders!: i64", COALESCE(SUM(total_cents), 0) AS "revenue!: i64"
           FROM orders
           WHERE fulfil_on BETWEEN ? AND ? AND status <> 'cancelled'
           GROUP BY fulfil_on, fulfilment, district_id"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(Load {
            day: date(&r.day)?,
            pickup: r.fulfilment == "pickup",
            district_id: r.district_id,
            orders: r.orders,
            revenue_cents: r.revenue,
        })
    })
    .collect();
    Ok(rows)
}
