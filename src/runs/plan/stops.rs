//! How a re-time reads a run: which run holds an order, and a run's stops in order.
use chrono::NaiveDate;

use super::super::matrix::Point;
use crate::error::AppError;

/// The run (id, day) holding `order_id`, if any.
pub(super) async fn run_of(
    conn: &mut sqlx::SqliteConnection,
    order_id: i64,
) -> Result<Option<(i64, NaiveDate)>, AppError> {
    let run = sqlx::query!(
        r#"SELECT r.id AS "id!", r.day FROM run_stops s JOIN runs r ON r.id = s.run_id WHERE s.order_id = ?"#,
        order_id
    )
    .fetch_optional(conn)
    .await?;
    run.map(|r| Ok((r.id, crate::orders::model::parse_day(&r.day, "day")?)))
        .transpose()
}

/// One stop as a re-time reads it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct TimedStop {
    pub(super) order_id: i64,
    pub(super) lat: f64,
    pub(super) lng: f64,
    pub(super) window: (Option<String>, Option<String>),
}

/// A run's shift start and its stops in order.
pub(super) async fn stops_of(
    conn: &mut sqlx::SqliteConnection,
    run_id: i64,
) -> Result<(String, Vec<TimedStop>), AppError> {
    let run = sqlx::query!("SELECT shift_start FROM runs WHERE id = ?", run_id)
        .fetch_one(&mut *conn)
        .await?;
    let stops = sqlx::query!(
        r#"SELECT s.order_id, o.lat AS "lat!: f64", o.lng AS "lng!: f64", o.window_from, o.window_to
           FROM run_stops s JOIN orders o ON o.id = s.order_id
           WHERE s.run_id = ? ORDER BY s.seq"#,
        run_id
    )
    .fetch_all(conn)
    .await?;
    let stops = stops
        .into_iter()
        .map(|r| TimedStop {
            order_id: r.order_id,
            lat: r.lat,
            lng: r.lng,
            window: (r.window_from, r.window_to),
        })
        .collect();
    Ok((run.shift_start, stops))
}

pub(super) fn points(kitchen: Point, stops: &[TimedStop]) -> Vec<Point> {
    std::iter::once(kitchen)
        .chain(stops.iter().map(|r| Point {
            lat: r.lat,
            lng: r.lng,
        }))
        .collect()
}
