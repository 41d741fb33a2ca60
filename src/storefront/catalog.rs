//! `GET /api/v1/catalog`: the menu with the days each product can be had, the districts with
//! their delivery calendars and windows, the pickup hours and the booking rules.
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, NaiveDate};

use super::handlers::internal;
use super::model::*;
use crate::error::AppError;
use crate::orders::core::calendar::{BookingRules, Way};
use crate::orders::core::capacity::{self, Booked};
use crate::server::state::AppState;

#[utoipa::path(
    get, path = "/api/v1/catalog", tag = "storefront",
    security(("storefront_key" = [])),
    responses(
        (status = 200, description = "Products in menu order, the delivery calendar and the booking rules (horizon, cut-off, closed dates, pickup hours)", body = Catalog),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
    )
)]
pub async fn catalog(State(state): State<AppState>) -> Response {
    match build_catalog(&state).await {
        Ok(c) => Json(c).into_response(),
        Err(e) => internal(e),
    }
}

async fn build_catalog(state: &AppState) -> Result<Catalog, AppError> {
    let pool = &state.pool;
    let today = state.config.today();
    let mut conn = pool.acquire().await?;
    let rules = BookingRules::load(&mut conn).await?;
    let last = rules.last_day(today);
    let booked = Booked::load(&mut conn, today, last, today).await?;
    let products = products(state, &mut conn, &rules, &booked).await?;
    let districts = districts(state, &rules, &booked).await?;
    let hours = pickup_days(&rules);
    let logo_url = crate::settings::logo::path(pool)
        .await?
        .map(|p| format!("{}{p}", state.config.public_url.trim_end_matches('/')));
    Ok(Catalog {
        logo_url,
        business: state.config.business_name(),
        currency: state.config.currency(),
        products,
        districts,
        pickup: PickupInfo {
            days: hours.iter().map(|h| h.weekday.clone()).collect(),
            opens: hours
                .iter()
                .map(|h| h.opens.clone())
                .min()
                .unwrap_or_default(),
            closes: hours
                .iter()
                .map(|h| h.closes.clone())
                .max()
                .unwrap_or_default(),
            hours,
        },
        booking: BookingInfo {
            horizon_days: rules.horizon_days,
            last_day: last.to_string(),
            order_cutoff: rules.cutoff.clone(),
            closed_dates: rules
                .closed
                .keys()
                .filter(|d| **d >= today && **d <= last)
                .map(|d| d.to_string())
                .collect(),
        },
    })
}

/// The full English names of the weekdays in `mask` (bit 0 = Monday).
fn weekday_names(mask: i64) -> Vec<String> {
    (0..7u8)
        .filter(|i| mask & (1 << i) != 0)
        .filter_map(|i| chrono::Weekday::try_from(i).ok())
        .map(|w| full_weekday(&format!("{w:?}")))
        .collect()
}

/// The menu in order, each product with the days it can be had for delivery and those it may
/// sell out on (from the usual booking curve).
async fn products(
    state: &AppState,
    conn: &mut sqlx::SqliteConnection,
    rules: &BookingRules,
    booked: &Booked,
) -> Result<Vec<CatalogProduct>, AppError> {
    let today = state.config.today();
    let now = state.config.now_local();
    let days: Vec<NaiveDate> = rules.days(today).collect();
    let rows = sqlx::query!(
        r#"SELECT p.id AS "id!", p.sku, p.name, p.description, p.category, p.price_cents, p.tax_rate_bp,
                  p.daily_capacity, p.allergens, p.dietary, p.offered_weekdays, p.lead_days,
                  p.min_quantity, p.max_quantity,
                  (SELECT MIN(q.sort_order) FROM products q WHERE q.category = p.category AND q.active = 1) AS "rank!: i64",
                  ph.updated_at AS "photo_at?"
           FROM products p LEFT JOIN product_photos ph ON ph.product_id = p.id WHERE p.active = 1 ORDER BY "rank!: i64", p.sort_order, p.id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let bookings = crate::reports::store::recent_bookings(&mut *conn, today).await?;
    let mut products = Vec::new();
    for r in rows {
        let line = [capacity::Line {
            product_id: r.id,
            name: r.name.clone(),
            quantity: 1,
            capacity: r.daily_capacity,
            offered: r.offered_weekdays,
            lead_days: r.lead_days,
        }];
        // A day is available when some way of getting it (delivery) is open, one is left and
        // its oven has room for it (or for one more from a batch already booked).
        let available: Vec<chrono::NaiveDate> = days
            .iter()
            .copied()
            .filter(|d| {
                rules
                    .booking_refusal(now, &line, *d, Way::Delivery)
                    .is_none()
                    && capacity::units_refusal(booked, &line, *d).is_none()
            })
            .collect();
        let may_sell_out = available
            .iter()
            .filter(|d| {
                crate::reports::forecast::estimate(&bookings, r.id, **d, today)
                    .may_sell_out(r.daily_capacity)
            })
            .map(|d| d.to_string())
            .collect();
        products.push(CatalogProduct {
            sku: r.sku,
            name: r.name,
            description: r.description,
            category: r.category,
            price_cents: r.price_cents,
            tax_rate_percent: r.tax_rate_bp.map(|bp| bp as f64 / 100.0),
            image_url: r.photo_at.as_deref().map(|at| {
                format!(
                    "{}{}",
                    state.config.public_url.trim_end_matches('/'),
                    crate::menu::repo::photo_path(r.id, at)
                )
            }),
            allergens: crate::menu::model::split_codes(&r.allergens),
            dietary: crate::menu::model::split_codes(&r.dietary),
            baked_on: weekday_names(r.offered_weekdays),
            lead_days: r.lead_days,
            min_quantity: r.min_quantity,
            max_quantity: r.max_quantity,
            days_available: available.iter().map(|d| d.to_string()).collect(),
            days_may_sell_out: may_sell_out,
        });
    }
    Ok(products)
}

/// Each district with its delivery calendar (open days it serves, stops left) and windows.
async fn districts(
    state: &AppState,
    rules: &BookingRules,
    booked: &Booked,
) -> Result<Vec<CatalogDistrict>, AppError> {
    let today = state.config.today();
    let now = state.config.now_local();
    let days: Vec<NaiveDate> = rules.days(today).collect();
    let mut districts = Vec::new();
    for d in crate::districts::repo::list(&state.pool).await? {
        let mut cal = Vec::new();
        for day in &days {
            let open = rules
                .booking_refusal(now, &[], *day, Way::Delivery)
                .is_none();
            if open && crate::districts::model::serves(d.served_weekdays, day.weekday()) {
                let left = d.capacity_per_day - booked.stops(d.id, *day);
                cal.push(CalendarDay {
                    date: day.to_string(),
                    has_room: left > 0,
                    stops_left: left.max(0),
                });
            }
        }
        districts.push(CatalogDistrict {
            name: d.name,
            delivery_fee_cents: d.delivery_fee_cents,
            min_order_cents: d.min_order_cents,
            served_weekdays: weekday_names(i64::from(d.served_weekdays)),
            days: cal,
            windows: d
                .windows
                .iter()
                .enumerate()
                .filter(|(_, slots)| !slots.is_empty())
                .filter_map(|(i, slots)| {
                    let w = chrono::Weekday::try_from(i as u8).ok()?;
                    Some(DeliveryWindows {
                        weekday: full_weekday(&format!("{w:?}")),
                        windows: slots
                            .iter()
                            .map(|s| WindowOut {
                                from: s.from.clone(),
                                to: s.to.clone(),
                            })
                            .collect(),
                    })
                })
                .collect(),
        });
    }
    Ok(districts)
}

/// The pickup hours per weekday the shop is open.
fn pickup_days(rules: &BookingRules) -> Vec<PickupDay> {
    rules
        .pickup
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let h = h.as_ref()?;
            let w = chrono::Weekday::try_from(i as u8).ok()?;
            Some(PickupDay {
                weekday: full_weekday(&format!("{w:?}")),
                opens: h.opens.clone(),
                closes: h.closes.clone(),
                break_from: h.break_from.clone(),
                break_to: h.break_to.clone(),
            })
        })
        .collect()
}

fn full_weekday(short: &str) -> String {
    match short {
        "Mon" => "Monday",
        "Tue" => "Tuesday",
        "Wed" => "Wednesday",
        "Thu" => "Thursday",
        "Fri" => "Friday",
        "Sat" => "Saturday",
        _ => "Sunday",
    }
    .to_string()
}
