//! Planning a day's runs on the server: read the day's deliveries, ask the travel matrix and the
//! solver, store the runs (`optimise`); re-time runs after a manual reorder or a moved pin
//! (`retime`); the settings, clock and timing helpers both use live here.
use chrono::{NaiveDate, TimeZone};
use sqlx::SqlitePool;

use super::matrix::{Matrix, Osrm, Point, StraightLine, Travel};
use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db;

mod day;
mod optimise;
mod retime;
mod stops;

pub use optimise::{announce_republished, optimise, optimise_with, Search};
pub use retime::{reorder, retime_after_move};

/// The business settings that runs use.
#[derive(Clone, Debug)]
pub struct Settings {
    pub kitchen: Option<Point>,
    pub kitchen_address: String,
    pub detour: f64,
    pub speed_kmh: f64,
    pub service_s: f64,
    pub shift_start: String,
    pub shift_end: String,
    pub van_capacity: i64,
    pub cost_per_km_cents: i64,
    pub driver_per_hour_cents: i64,
    pub third_party_base_cents: i64,
    pub third_party_per_km_cents: i64,
}

pub async fn settings(pool: &SqlitePool) -> Result<Settings, AppError> {
    let r = sqlx::query!(
        r#"SELECT kitchen_address, kitchen_lat, kitchen_lng, detour_factor, avg_speed_kmh,
                  service_minutes, shift_start, shift_end, van_capacity, cost_per_km_cents,
                  driver_cost_per_hour_cents, third_party_base_cents, third_party_per_km_cents
           FROM business_settings WHERE id = 1"#
    )
    .fetch_one(pool)
    .await?;
    Ok(Settings {
        kitchen: r
            .kitchen_lat
            .zip(r.kitchen_lng)
            .map(|(lat, lng)| Point { lat, lng }),
        kitchen_address: r.kitchen_address,
        detour: r.detour_factor,
        speed_kmh: r.avg_speed_kmh,
        service_s: r.service_minutes as f64 * 60.0,
        shift_start: r.shift_start,
        shift_end: r.shift_end,
        van_capacity: r.van_capacity,
        cost_per_km_cents: r.cost_per_km_cents,
        driver_per_hour_cents: r.driver_cost_per_hour_cents,
        third_party_base_cents: r.third_party_base_cents,
        third_party_per_km_cents: r.third_party_per_km_cents,
    })
}

/// The travel model in use: OSRM when configured, else the straight line.
pub fn travel(config: &Config, s: &Settings) -> Travel {
    match &config.osrm_url {
        Some(url) => Travel::Osrm(Osrm {
            base_url: url.clone(),
            client: super::matrix::shared_client(),
        }),
        None => Travel::Straight(StraightLine {
            detour: s.detour,
            speed_kmh: s.speed_kmh,
        }),
    }
}
/// The travel table between `points` by the model in use; a road server that fails is a
/// refusal naming why.
pub async fn travel_table(
    config: &Config,
    s: &Settings,
    points: &[Point],
) -> Result<Matrix, AppError> {
    use super::matrix::DistanceMatrix;
    travel(config, s).table(points).await.map_err(|e| {
        AppError::Conflict(crate::said::said_with(
            "refuse-travel-times",
            &[("why", &e)],
        ))
    })
}

/// A local day and seconds since its midnight → UTC timestamp text.
pub fn at(config: &Config, day: NaiveDate, seconds: f64) -> String {
    let local = day.and_hms_opt(0, 0, 0).expect("midnight")
        + chrono::Duration::seconds(seconds.round() as i64);
    let utc = config
        .timezone()
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| chrono::Utc.from_utc_datetime(&local));
    db::timestamp(utc)
}

/// UTC timestamp text → local "HH:MM".
pub fn local_clock(config: &Config, ts: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(ts)
        .map(|t| {
            t.with_timezone(&config.timezone())
                .format("%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Totals of a timed run.
struct Timing {
    metres: i64,
    duration: i64,
    /// Leave the kitchen just in time for the first stop.
    depart: f64,
    /// Metres from the previous stop, per stop.
    legs: Vec<i64>,
}

fn timing(m: &Matrix, stops: &[usize], starts: &[f64]) -> Timing {
    let mut at = 0;
    let mut metres = 0.0;
    let mut legs = Vec::with_capacity(stops.len());
    for &c in stops {
        legs.push(m.metres(at, c).round() as i64);
        metres += m.metres(at, c);
        at = c;
    }
    metres += m.metres(at, 0);
    let depart = starts.first().map_or(0.0, |s| s - m.seconds(0, stops[0]));
    let last = stops.last().copied().unwrap_or(0);
    let back = starts.last().copied().unwrap_or(depart) + m.seconds(last, 0);
    Timing {
        metres: metres.round() as i64,
        duration: (back - depart).round() as i64,
        depart,
        legs,
    }
}
