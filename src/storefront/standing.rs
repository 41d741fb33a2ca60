//! `/api/v1/standing-orders`: the storefront creates a customer's recurring order and manages
//! it for them (pause, resume, skip a date, end). Hearth creates each visit's order ahead,
//! through the same intake as `POST /api/v1/orders`.
// The helpers answer early with the response itself, as the orders' handlers do.
#![allow(clippy::result_large_err)]
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::handlers::{error, KeyId};
use super::model::*;
use crate::error::AppError;
use crate::server::state::AppState;
use crate::standing::model::{check_patterns, dates, pattern_label, StandingView};
use crate::standing::store::{self, Change, Schedule};

/// Delivery to an address (every visit), or pickup at the bakery.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct StandingFulfilmentIn {
    /// `delivery` or `pickup`.
    #[serde(rename = "type")]
    #[schema(required = true, nullable = false, pattern = "^(delivery|pickup)$")]
    pub kind: Option<String>,
    /// Street address (required for delivery).
    #[schema(max_length = 300)]
    pub address: Option<String>,
    #[schema(minimum = -90.0, maximum = 90.0)]
    pub lat: Option<f64>,
    #[schema(minimum = -180.0, maximum = 180.0)]
    pub lng: Option<f64>,
    pub window: Option<WindowIn>,
    /// Pickup time, `HH:MM`.
    pub time: Option<String>,
}

/// How often, on which weekdays, from when.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ScheduleIn {
    /// Visits a week (e.g. 2 for twice a week).
    #[schema(required = true, nullable = false, minimum = 1, maximum = 7)]
    pub visits_per_week: Option<i64>,
    /// The weekday patterns the customer accepts, each with `visits_per_week` days (`mon` …
    /// `sun`), e.g. `[["tue", "fri"], ["mon", "thu"]]`. The first is booked; the bakery may
    /// move a week's visits to another accepted pattern of the same week ("Plan the
    /// fortnight"), and the customer is told by the usual notifications.
    #[schema(required = true, nullable = false, min_items = 1, max_items = 10)]
    pub weekdays: Option<Vec<Vec<String>>>,
    /// First day it may deliver, `YYYY-MM-DD` (today or later).
    #[schema(required = true, nullable = false, format = Date)]
    pub starts_on: Option<String>,
    /// Last day, `YYYY-MM-DD` (none: until ended).
    #[schema(format = Date)]
    pub ends_on: Option<String>,
}

/// Body of `POST /api/v1/standing-orders`. As an order's, fields are optional in Rust so that
/// every missing one is named; the schema says what is required.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct StandingOrderIn {
    #[schema(required = true, nullable = false)]
    pub customer: Option<CustomerIn>,
    #[schema(required = true, nullable = false)]
    pub fulfilment: Option<StandingFulfilmentIn>,
    #[schema(required = true, nullable = false, min_items = 1, max_items = 50)]
    pub items: Option<Vec<ItemIn>>,
    #[schema(required = true, nullable = false)]
    pub payment: Option<PaymentIn>,
    #[schema(required = true, nullable = false)]
    pub schedule: Option<ScheduleIn>,
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
}

/// One booked date in the next fortnight.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VisitOut {
    /// The booked date.
    pub date: String,
    /// The order Hearth created for it, once created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_number: Option<i64>,
    /// The order's delivery date now (the bakery may have moved it within the week).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Why no order could be created for this date (the district is full, a product is not
    /// baked that day, ...); Hearth tries again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    pub skipped: bool,
}

/// A standing order and its next visits.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StandingOrderOut {
    pub id: i64,
    /// `active`, `paused` or `ended`.
    pub status: String,
    /// In words, e.g. "Twice a week, Tue + Fri (or Mon + Thu)".
    pub schedule: String,
    pub visits_per_week: i64,
    /// The accepted patterns, as given (lower-case three-letter weekdays).
    pub weekdays: Vec<Vec<String>>,
    pub starts_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused_until: Option<String>,
    /// Items at today's prices, per visit.
    pub subtotal_cents: i64,
    /// Dates skipped.
    pub skips: Vec<String>,
    pub visits: Vec<VisitOut>,
}

impl From<StandingView> for StandingOrderOut {
    fn from(v: StandingView) -> Self {
        StandingOrderOut {
            id: v.id,
            status: v.status.clone(),
            schedule: v.schedule(),
            visits_per_week: v.per_week,
            weekdays: v
                .patterns
                .iter()
                .map(|&p| {
                    pattern_label(p)
                        .split(" + ")
                        .map(str::to_ascii_lowercase)
                        .collect()
                })
                .collect(),
            starts_on: v.starts_on,
            ends_on: v.ends_on,
            paused_until: v.paused_until,
            subtotal_cents: v.subtotal_cents,
            skips: v.skips,
            visits: v
                .visits
                .into_iter()
                .map(|x| VisitOut {
                    date: x.day,
                    order_number: x.order.as_ref().map(|o| o.1),
                    delivery_date: x.order.as_ref().map(|o| o.2.clone()),
                    status: x.order.map(|o| o.3),
                    refused: x.refusal,
                    skipped: x.skipped,
                })
                .collect(),
        }
    }
}

/// Body of `POST /api/v1/standing-orders/{id}/pause` (`{}`: until resumed).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct PauseIn {
    /// The first day it delivers again, `YYYY-MM-DD` (none: until resumed).
    #[schema(format = Date)]
    pub until: Option<String>,
}

/// Body of `POST /api/v1/standing-orders/{id}/skips`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct SkipIn {
    /// A booked date to skip, `YYYY-MM-DD`.
    #[schema(required = true, nullable = false, format = Date)]
    pub date: Option<String>,
}

/// A checked standing order: one visit's order (for its first date) and the schedule.
pub fn validate(
    input: &StandingOrderIn,
    today: NaiveDate,
    products: &std::collections::HashMap<String, super::validate::ProductRef>,
    cc: &str,
) -> Result<(super::validate::ValidOrder, Schedule), Vec<FieldError>> {
    let mut errors = Vec::new();
    let field = |f: &str, m: String| FieldError {
        field: f.into(),
        message: m,
    };
    let parse = |t: &Option<String>| {
        t.as_deref()
            .map(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d"))
    };
    let mut schedule = None;
    match &input.schedule {
        None => errors.push(field("schedule", "schedule is required.".into())),
        Some(s) => {
            let starts = match parse(&s.starts_on) {
                None => {
                    errors.push(field(
                        "schedule.starts_on",
                        "schedule.starts_on is required.".into(),
                    ));
                    None
                }
                Some(Err(_)) => {
                    errors.push(field(
                        "schedule.starts_on",
                        "schedule.starts_on: use a date like 2026-05-31.".into(),
                    ));
                    None
                }
                Some(Ok(d)) if d < today => {
                    errors.push(field(
                        "schedule.starts_on",
                        format!("schedule.starts_on: {d} is in the past."),
                    ));
                    None
                }
                Some(Ok(d))
                    if d > today + chrono::Duration::days(super::validate::MAX_DAYS_AHEAD) =>
                {
                    errors.push(field(
                        "schedule.starts_on",
                        format!(
                            "schedule.starts_on: start within {} days.",
                            super::validate::MAX_DAYS_AHEAD
                        ),
                    ));
                    None
                }
                Some(Ok(d)) => Some(d),
            };
            let ends = match parse(&s.ends_on) {
                None => None,
                Some(Err(_)) => {
                    errors.push(field(
                        "schedule.ends_on",
                        "schedule.ends_on: use a date like 2026-05-31.".into(),
                    ));
                    None
                }
                Some(Ok(d)) => {
                    if starts.is_some_and(|s| d < s) {
                        errors.push(field(
                            "schedule.ends_on",
                            "schedule.ends_on is before starts_on.".into(),
                        ));
                    }
                    Some(d)
                }
            };
            let patterns = match (s.visits_per_week, &s.weekdays) {
                (None, _) => {
                    errors.push(field(
                        "schedule.visits_per_week",
                        "schedule.visits_per_week is required.".into(),
                    ));
                    None
                }
                (_, None) => {
                    errors.push(field(
                        "schedule.weekdays",
                        "schedule.weekdays is required.".into(),
                    ));
                    None
                }
                (Some(n), Some(w)) => match check_patterns(n, w, "schedule.") {
                    Ok(p) => Some((n, p)),
                    Err((f, m)) => {
                        errors.push(field(&f, m));
                        None
                    }
                },
            };
            if let (Some(starts), Some((per_week, patterns))) = (starts, patterns) {
                schedule = Some(Schedule {
                    per_week,
                    patterns,
                    starts_on: starts,
                    ends_on: ends,
                });
            }
        }
    }
    // The first visit's date stands for every visit's while checking the order itself.
    let first = schedule.as_ref().and_then(|s| {
        let from = s.starts_on.max(today + chrono::Duration::days(1));
        dates(s.patterns[0], from, from + chrono::Duration::days(6))
            .into_iter()
            .next()
            .filter(|d| s.ends_on.is_none_or(|e| *d <= e))
    });
    if schedule.is_some() && first.is_none() {
        errors.push(field(
            "schedule.ends_on",
            "schedule.ends_on: the schedule has no delivery day before it ends.".into(),
        ));
    }
    let f = input.fulfilment.as_ref();
    // Every visit is planned on the map: a delivery needs the door's pin from the start.
    if let Some(f) = f.filter(|f| f.kind.as_deref() == Some("delivery")) {
        if f.lat.is_none() || f.lng.is_none() {
            errors.push(field(
                "fulfilment.lat",
                "fulfilment.lat and fulfilment.lng: a standing delivery needs the door's pin (place it on the customer's record first).".into(),
            ));
        }
    }
    let order = OrderIn {
        customer: input.customer.clone(),
        fulfilment: f.map(|f| FulfilmentIn {
            kind: f.kind.clone(),
            address: f.address.clone(),
            lat: f.lat,
            lng: f.lng,
            date: Some(
                first
                    .unwrap_or(today + chrono::Duration::days(1))
                    .to_string(),
            ),
            window: f.window.clone(),
            time: f.time.clone(),
            flexible: None,
        }),
        items: input.items.clone(),
        payment: input.payment.clone(),
        notes: input.notes.clone(),
        promo_code: None,
        promo_fallback: None,
    };
    let valid = super::validate::order(&order, today, products, cc);
    let valid = match valid {
        Ok(v) => Some(v),
        Err(e) => {
            // The date is the schedule's: its problems are the schedule's.
            errors.extend(e.into_iter().filter(|e| e.field != "fulfilment.date"));
            None
        }
    };
    match (valid, schedule) {
        (Some(v), Some(s)) if errors.is_empty() => Ok((v, s)),
        _ => Err(errors),
    }
}

/// What would refuse every visit, checked once at creation on each weekday of every accepted
/// pattern (capacity and closed dates are a matter of the date: a visit refused for them is
/// kept with its reason and tried again). The same rule functions as the order core's.
pub async fn fits(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
    order: &super::validate::ValidOrder,
    schedule: &Schedule,
) -> Result<Vec<FieldError>, AppError> {
    use crate::orders::core::{calendar, capacity};
    use crate::orders::model::Fulfilment;
    let districts = crate::districts::repo::list(pool).await?;
    let mut conn = pool.acquire().await?;
    let rules = calendar::BookingRules::load(&mut conn).await?;
    let lines = super::intake::lines_of(&mut conn, order).await?;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut push = |field: &str, message: String| {
        if !errors.iter().any(|e| e.message == message) {
            errors.push(FieldError {
                field: field.into(),
                message,
            });
        }
    };
    let district = match (order.fulfilment, order.coords) {
        (Fulfilment::Delivery, Some((lat, lng))) => {
            match crate::districts::locate::locate(&districts, lat, lng) {
                Some(d) => Some(d),
                None => {
                    push(
                        "fulfilment.lat",
                        "This address is outside every delivery district; choose pickup instead."
                            .into(),
                    );
                    return Ok(errors);
                }
            }
        }
        _ => None,
    };
    let from = schedule
        .starts_on
        .max(config.today() + chrono::Duration::days(1));
    let nobody = capacity::Booked::from_counts(std::iter::empty(), std::iter::empty());
    for (i, &pattern) in schedule.patterns.iter().enumerate() {
        let field = format!("schedule.weekdays[{i}]");
        for day in dates(pattern, from, from + chrono::Duration::days(6)) {
            // A closed date stands for itself, not for its weekday: look a week on.
            let sample = (0..8)
                .map(|k| day + chrono::Duration::days(7 * k))
                .find(|d| rules.kitchen_refusal(&[], *d).is_none())
                .unwrap_or(day);
            if let Some(r) = rules.kitchen_refusal(&lines, sample) {
                push(&r.field, r.message);
            }
            match (&district, order.fulfilment) {
                (Some(d), _) => {
                    if let Some(r) = capacity::stop_refusal(&nobody, d, sample) {
                        push(&field, r.message);
                    }
                    if let Some(r) = calendar::window_refusal(d, sample, order.window.as_ref()) {
                        push(&r.field, r.message);
                    }
                    if let Some(r) = capacity::delivery_refusal(
                        &nobody,
                        d,
                        &[],
                        order.subtotal_cents(),
                        sample,
                        &config.currency(),
                    )
                    .filter(|r| r.field == "items")
                    {
                        push("items", r.message);
                    }
                }
                (None, Fulfilment::Pickup) => {
                    if rules.pickup_on(sample).is_none() {
                        push(
                            &field,
                            format!("The bakery has no pickup on {}s.", sample.format("%A")),
                        );
                    } else if let Some((t, _)) = &order.window {
                        if let Some(r) = rules.pickup_time_refusal(sample, t) {
                            push(&r.field, r.message);
                        }
                    }
                }
                (None, Fulfilment::Delivery) => {}
            }
        }
    }
    Ok(errors)
}

fn answer(status: StatusCode, view: StandingView) -> Response {
    (status, Json(StandingOrderOut::from(view))).into_response()
}

fn refusal(e: AppError) -> Response {
    match e {
        AppError::Validation { field, message } => {
            error(StatusCode::UNPROCESSABLE_ENTITY, &field, &message)
        }
        AppError::NotFound(what) => error(
            StatusCode::NOT_FOUND,
            "id",
            &format!("{what} was not found."),
        ),
        AppError::Conflict(m) => error(StatusCode::CONFLICT, "status", &m),
        other => super::handlers::internal(other),
    }
}

#[utoipa::path(
    post, path = "/api/v1/standing-orders", tag = "storefront",
    security(("storefront_key" = [])),
    params(("Idempotency-Key" = String, Header, min_length = 1, max_length = 255, pattern = "\\S",
            description = "Required, 1 to 255 characters. Retrying with the same key and body returns the same standing order; with another body, 422.")),
    request_body = StandingOrderIn,
    responses(
        (status = 201, description = "Standing order created; the visits of the next fortnight are created at once (each an order, or the reason it was refused)", body = StandingOrderOut),
        (status = 400, description = "No Idempotency-Key, or one of the wrong length", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 413, description = "The body is too large (over 4 MiB)"),
        (status = 422, description = "Bad fields (each named), or a reused key", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    axum::Extension(key): axum::Extension<KeyId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(idem) = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "Idempotency-Key",
            "Send an Idempotency-Key header of 1 to 255 characters (e.g. a UUID) so retries can't create duplicates.",
        );
    };
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "body",
                &format!("The body is not valid JSON: {e}."),
            )
        }
    };
    let input: StandingOrderIn = match serde_json::from_value(value.clone()) {
        Ok(v) => v,
        Err(e) => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "body",
                &format!("The body does not have the standing order's shape: {e}."),
            )
        }
    };
    let config = &state.config;
    let products = match super::intake::products(&state.pool).await {
        Ok(p) => p,
        Err(e) => return super::handlers::internal(e),
    };
    let (order, schedule) = match validate(&input, config.today(), &products, &config.phone_country)
    {
        Ok(v) => v,
        Err(errors) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(ErrorBody {
                    errors,
                    next_possible_dates: vec![],
                    promo_refusal: None,
                }),
            )
                .into_response()
        }
    };
    match fits(&state.pool, config, &order, &schedule).await {
        Ok(errors) if errors.is_empty() => {}
        Ok(errors) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(ErrorBody {
                    errors,
                    next_possible_dates: vec![],
                    promo_refusal: None,
                }),
            )
                .into_response()
        }
        Err(e) => return super::handlers::internal(e),
    }
    let hash = crate::server::tokens::sha256_hex(value.to_string().as_bytes());
    let made = store::create(
        &state.pool,
        &order,
        &schedule,
        "storefront",
        Some(store::Key {
            api_key_id: key.id(),
            key: idem,
            hash: &hash,
        }),
        &crate::audit::Who {
            id: None,
            name: "Website".into(),
        },
    )
    .await;
    let made = match made {
        Ok(m) => m,
        Err(e) => return refusal(e),
    };
    let core = crate::orders::core::Core::of(&state);
    if !made.replayed {
        if let Err(e) = crate::standing::ahead::make(&core, Some(made.id)).await {
            return super::handlers::internal(e);
        }
    }
    match crate::standing::read::one(&state.pool, made.id, config.today()).await {
        Ok(v) => answer(StatusCode::CREATED, v),
        Err(e) => refusal(e),
    }
}

fn parse_id(raw: &str) -> Result<i64, Response> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| {
            error(
                StatusCode::NOT_FOUND,
                "id",
                "No standing order has this id.",
            )
        })
}

#[utoipa::path(
    get, path = "/api/v1/standing-orders/{id}", tag = "storefront",
    security(("storefront_key" = [])),
    params(("id" = String, Path, description = "The id from the creation answer")),
    responses(
        (status = 200, description = "The standing order and its visits in the next fortnight", body = StandingOrderOut),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "Unknown id", body = ErrorBody),
    )
)]
pub async fn show(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match crate::standing::read::one(&state.pool, id, state.config.today()).await {
        Ok(v) => answer(StatusCode::OK, v),
        Err(e) => refusal(e),
    }
}

/// Applies a change asked for through the API (as the storefront, on the customer's behalf).
async fn change(state: &AppState, id: &str, change: Result<Change, Response>) -> Response {
    let id = match parse_id(id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let change = match change {
        Ok(c) => c,
        Err(r) => return r,
    };
    let core = crate::orders::core::Core::of(state);
    let actor = crate::orders::core::Actor {
        user_id: None,
        name: "Website".into(),
    };
    if let Err(e) = store::apply(&core, &actor, id, change).await {
        return refusal(e);
    }
    match crate::standing::read::one(&state.pool, id, state.config.today()).await {
        Ok(v) => answer(StatusCode::OK, v),
        Err(e) => refusal(e),
    }
}

fn body_of<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "body",
            &format!("The body is not valid: {e}."),
        )
    })
}

fn date_field(raw: Option<&str>, field: &str) -> Result<NaiveDate, Response> {
    let raw = raw
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                field,
                &format!("{field} is required."),
            )
        })?;
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        error(
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
            &format!("{field}: use a date like 2026-05-31."),
        )
    })
}

#[utoipa::path(
    post, path = "/api/v1/standing-orders/{id}/pause", tag = "storefront",
    security(("storefront_key" = [])),
    params(("id" = String, Path, description = "The standing order's id")),
    request_body = PauseIn,
    responses(
        (status = 200, description = "Paused; visits already created in the pause are cancelled while not yet baking", body = StandingOrderOut),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "Unknown id", body = ErrorBody),
        (status = 409, description = "The standing order has ended", body = ErrorBody),
        (status = 422, description = "A bad `until`", body = ErrorBody),
    )
)]
pub async fn pause(State(state): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    let c = body_of::<PauseIn>(&body).and_then(|p| {
        let until = match p.until.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => Some(date_field(Some(t), "until")?),
        };
        Ok(Change::Pause { until })
    });
    change(&state, &id, c).await
}

#[utoipa::path(
    post, path = "/api/v1/standing-orders/{id}/resume", tag = "storefront",
    security(("storefront_key" = [])),
    params(("id" = String, Path, description = "The standing order's id")),
    responses(
        (status = 200, description = "Delivering again; the fortnight's visits are created at once", body = StandingOrderOut),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "Unknown id", body = ErrorBody),
        (status = 409, description = "Not paused, or ended", body = ErrorBody),
    )
)]
pub async fn resume(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    change(&state, &id, Ok(Change::Resume)).await
}

#[utoipa::path(
    post, path = "/api/v1/standing-orders/{id}/skips", tag = "storefront",
    security(("storefront_key" = [])),
    params(("id" = String, Path, description = "The standing order's id")),
    request_body = SkipIn,
    responses(
        (status = 200, description = "The date is skipped; its order, if created, is cancelled", body = StandingOrderOut),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "Unknown id", body = ErrorBody),
        (status = 409, description = "That date's order is already baking, or the standing order has ended", body = ErrorBody),
        (status = 422, description = "A bad date, or not one of its days", body = ErrorBody),
    )
)]
pub async fn skip(State(state): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    let c = body_of::<SkipIn>(&body)
        .and_then(|s| date_field(s.date.as_deref(), "date"))
        .map(Change::Skip);
    change(&state, &id, c).await
}

#[utoipa::path(
    delete, path = "/api/v1/standing-orders/{id}/skips/{date}", tag = "storefront",
    security(("storefront_key" = [])),
    params(("id" = String, Path, description = "The standing order's id"),
           ("date" = String, Path, description = "A skipped date, `YYYY-MM-DD`")),
    responses(
        (status = 200, description = "The date is booked again (its order is created at once when due)", body = StandingOrderOut),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "Unknown id", body = ErrorBody),
        (status = 409, description = "The standing order has ended", body = ErrorBody),
        (status = 422, description = "A bad date, or one not skipped", body = ErrorBody),
    )
)]
pub async fn unskip(
    State(state): State<AppState>,
    Path((id, date)): Path<(String, String)>,
) -> Response {
    let c = date_field(Some(&date), "date").map(Change::Unskip);
    change(&state, &id, c).await
}

#[utoipa::path(
    delete, path = "/api/v1/standing-orders/{id}", tag = "storefront",
    security(("storefront_key" = [])),
    params(("id" = String, Path, description = "The standing order's id")),
    responses(
        (status = 200, description = "Ended; the visits created ahead are cancelled while not yet baking", body = StandingOrderOut),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "Unknown id", body = ErrorBody),
        (status = 409, description = "Already ended", body = ErrorBody),
    )
)]
pub async fn end(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    change(&state, &id, Ok(Change::End)).await
}
