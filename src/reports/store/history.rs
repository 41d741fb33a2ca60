//! The booking history the forecast learns from (units per product and day, by how many days
//! ahead they were booked), and the forecast with its backtest.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::super::forecast::Bookings;
use super::super::{Forecast, ForecastCell, ForecastRow};
use super::day;
use crate::error::AppError;

/// Every product's units per day and booking lead, from `since` on (cancelled orders left
/// out: they were not baked). The lead counts whole days from the day the order arrived
/// (UTC) to its bake day.
pub async fn bookings(conn: &mut SqliteConnection, since: NaiveDate) -> Result<Bookings, AppError> {
    let last = sqlx::query_scalar!(
        r#"SELECT MAX(fulfil_on) AS "d: String" FROM orders INDEXED BY orders_for_reports"#
    )
    .fetch_one(&mut *conn)
    .await?;
    let mut b = Bookings::default();
    let Some(last) = last.as_deref().and_then(day) else {
        return Ok(b);
    };
    for r in super::days::bookings(conn, since, last).await? {
        b.add(r.product, r.day, r.lead, r.units as f64);
    }
    Ok(b)
}

/// The bookings a forecast of the coming fortnight made `today` learns from.
pub async fn recent_bookings(
    conn: &mut SqliteConnection,
    today: NaiveDate,
) -> Result<Bookings, AppError> {
    bookings(
        conn,
        today - chrono::Duration::days(7 * (super::super::forecast::WEEKS + 1)),
    )
    .await
}

/// The next `days` bake days from `today` for every product on the menu, and the backtest of
/// the last `weeks` weeks.
pub async fn forecast(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    days: i64,
    weeks: i64,
) -> Result<Forecast, AppError> {
    use super::super::forecast::{backtest, estimate, WEEKS};
    // Enough history for the backtest's first day to have its own WEEKS weeks behind it.
    let since = today - chrono::Duration::days(7 * (weeks + WEEKS * 2));
    let b = bookings(conn, since).await?;
    let products = sqlx::query!(
        r#"SELECT id AS "id!", name, daily_capacity FROM products WHERE active = 1 ORDER BY name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let list: Vec<NaiveDate> = (0..days)
        .map(|i| today + chrono::Duration::days(i))
        .collect();
    let rows = products
        .iter()
        .map(|p| ForecastRow {
            product_id: p.id,
            name: p.name.clone(),
            cells: list
                .iter()
                .map(|&d| {
                    let e = estimate(&b, p.id, d, today);
                    ForecastCell {
                        day: d.to_string(),
                        booked: e.booked.round() as i64,
                        expected: e.expected,
                        low: e.low,
                        high: e.high,
                        capacity: (p.daily_capacity > 0).then_some(p.daily_capacity),
                        sells_out: e.may_sell_out(p.daily_capacity),
                    }
                })
                .collect(),
        })
        .collect();
    let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
    let (bf, bt) = (
        today - chrono::Duration::days(7 * weeks),
        today - chrono::Duration::days(1),
    );
    let s = backtest(&b, &ids, bf, bt, 7);
    Ok(Forecast {
        days: list.iter().map(|d| d.to_string()).collect(),
        rows,
        backtest_from: bf.to_string(),
        backtest_to: bt.to_string(),
        points: s.points,
        mape: s.mape,
        wape: s.wape,
        bias: s.bias,
        naive_mape: s.naive_mape,
        naive_wape: s.naive_wape,
        naive_bias: s.naive_bias,
    })
}
