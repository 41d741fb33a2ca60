//! Day summaries, the one writer of `report_days` and its four tables (see their migration):
//! a past day's report facts grouped once. Each fact is read for a period as summaries for the
//! days summarised and live from orders, items and runs for the rest (today, the future, a day
//! changed since), so a report is the same whichever way a day was read.
use std::collections::HashSet;

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::day;

use crate::error::AppError;

/// Units and takings of one day, district (None: pickup) and product.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemDay {
    pub day: NaiveDate,
    pub district: Option<i64>,
    pub product: i64,
    pub units: i64,
    pub cents: i64,
}

/// Deliveries of one day in one window ("09:00–11:00", "–" for none).
#[derive(Clone, Debug, PartialEq)]
pub struct WindowDay {
    pub day: NaiveDate,
    pub window: String,
    pub deliveries: i64,
}

/// One day and district's orders, money and deliveries on no run (with their mean position).
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictDay {
    pub day: NaiveDate,
    pub district: Option<i64>,
    pub orders: i64,
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub total_cents: i64,
    pub unrun: i64,
    pub unrun_lat: Option<f64>,
    pub unrun_lng: Option<f64>,
}

/// One run day and district's share of the runs' kilometres and hours.
#[derive(Clone, Debug, PartialEq)]
pub struct RunDay {
    pub day: NaiveDate,
    pub district: Option<i64>,
    pub km: f64,
    pub hours: f64,
}

/// Units of one product booked for one day `lead` whole days ahead (from the day the order
/// arrived, UTC): the forecast's history.
#[derive(Clone, Debug, PartialEq)]
pub struct BookingDay {
    pub day: NaiveDate,
    pub product: i64,
    pub lead: i64,
    pub units: i64,
}

/// Orders of one day (cancelled ones too) that arrived in one UTC hour ("2026-11-02T08").
#[derive(Clone, Debug, PartialEq)]
pub struct ArrivalDay {
    pub day: NaiveDate,
    pub hour: String,
    pub orders: i64,
}

/// Cancelled orders of one day with one reason ("" for none).
#[derive(Clone, Debug, PartialEq)]
pub struct CancelDay {
    pub day: NaiveDate,
    pub reason: String,
    pub orders: i64,
}

/// Failed stops of one run day in one district with one reason, and their orders' fees.
#[derive(Clone, Debug, PartialEq)]
pub struct FailureDay {
    pub day: NaiveDate,
    pub district: Option<i64>,
    pub reason: String,
    pub stops: i64,
    pub fee_cents: i64,
}

/// One driver's stops on one run day: how many, cash due at the delivered ones, collected.
#[derive(Clone, Debug, PartialEq)]
pub struct CashDay {
    pub day: NaiveDate,
    pub driver_id: i64,
    pub stops: i64,
    pub expected_cents: i64,
    pub collected_cents: i64,
}

/// The stretches of `from..=to` with no good summary, in order.
pub async fn gaps(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, NaiveDate)>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    let done: HashSet<NaiveDate> = sqlx::query_scalar!(
        "SELECT day FROM report_days WHERE day BETWEEN ? AND ?",
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .filter_map(|d| day(d))
    .collect();
    Ok(stretches(from, to, |d| !done.contains(&d)))
}

/// The maximal runs of consecutive days in `from..=to` for which `wanted` holds.
fn stretches(
    from: NaiveDate,
    to: NaiveDate,
    wanted: impl Fn(NaiveDate) -> bool,
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for d in from.iter_days().take_while(|d| *d <= to) {
        if !wanted(d) {
            continue;
        }
        match out.last_mut() {
            Some((_, end)) if end.succ_opt() == Some(d) => *end = d,
            _ => out.push((d, d)),
        }
    }
    out
}

/// The readers of every fact over `from..=to`: the summaries of the days summarised, and the
/// rest read live, stretch by stretch. One line per fact: its reader, its row, and where its
/// summaries and its live reading are.
macro_rules! over_period {
    ($($(#[$doc:meta])* $name:ident -> $row:ty = $summaries:ident, $live:ident;)*) => {$(
        $(#[$doc])*
        pub async fn $name(
            conn: &mut SqliteConnection,
            from: NaiveDate,
            to: NaiveDate,
        ) -> Result<Vec<$row>, AppError> {
            let mut rows = $summaries(&mut *conn, from, to).await?;
            for (f, t) in gaps(&mut *conn, from, to).await? {
                rows.extend($live(&mut *conn, f, t).await?);
            }
            Ok(rows)
        }
    )*};
}

over_period! {
    /// Units and takings per day, district and product.
    items -> ItemDay = summarised_items, live_items;
    /// Deliveries per day and window.
    windows -> WindowDay = summarised_windows, live_windows;
    /// Orders, money and deliveries on no run per day and district.
    districts -> DistrictDay = summarised_districts, live_districts;
    /// The runs' kilometres and hours per day and district.
    runs -> RunDay = summarised_runs, live_runs;
    /// Units booked per day, product and lead (the forecast's history).
    bookings -> BookingDay = summarised_bookings, live_bookings;
    /// Orders per day and hour of arrival.
    arrivals -> ArrivalDay = summarised_arrivals, live_arrivals;
    /// Cancelled orders per day and reason.
    cancellations -> CancelDay = summarised_cancellations, live_cancellations;
    /// Failed stops per day, district and reason.
    failures -> FailureDay = summarised_failures, live_failures;
    /// Each driver's stops and cash per day.
    cash -> CashDay = summarised_cash, live_cash;
}

/// The readers of one source of facts (`live`, `summaries`): each one query over `from..=to`
/// (its two `?`), its rows as the fact's type.
macro_rules! readers {
    ($($(#[$doc:meta])* $name:ident -> $row:ident: $sql:literal;)*) => {$(
        $(#[$doc])*
        pub(super) async fn $name(
            conn: &mut sqlx::SqliteConnection,
            from: chrono::NaiveDate,
            to: chrono::NaiveDate,
        ) -> Result<Vec<$row>, crate::error::AppError> {
            Ok(sqlx::query_as!($row, $sql, from, to)
                .fetch_all(&mut *conn)
                .await?)
        }
    )*};
}

mod live;
mod summaries;
mod write;
use live::*;
use summaries::*;
pub use write::{fill, spawn_worker, summarise};

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_days_not_summarised_are_read_in_stretches() {
        let done = [d("2026-11-03"), d("2026-11-04"), d("2026-11-07")];
        assert_eq!(
            stretches(d("2026-11-01"), d("2026-11-08"), |x| !done.contains(&x)),
            vec![
                (d("2026-11-01"), d("2026-11-02")),
                (d("2026-11-05"), d("2026-11-06")),
                (d("2026-11-08"), d("2026-11-08")),
            ]
        );
        assert!(stretches(d("2026-11-03"), d("2026-11-04"), |x| !done.contains(&x)).is_empty());
        assert!(stretches(d("2026-11-05"), d("2026-11-04"), |_| true).is_empty());
    }
}
