//! The `/api/v1` router: thin handlers (authenticate → validate → intake → answer).
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Datelike;

use super::intake::{self, Claim, IdemKey, Keyed, Refusal};
use super::keys;
use super::model::*;
use super::validate;
use crate::error::AppError;
use crate::orders::model::OrderStatus;
use crate::said::{said, said_with};
use crate::server::state::AppState;

/// The storefront API routes.
pub fn router(state: AppState) -> Router<AppState> {
    let keyed = Router::new()
        .route("/api/v1/catalog", get(catalog))
        .route("/api/v1/quote", post(quote))
        .route("/api/v1/orders", post(create_order))
        .route(
            "/api/v1/privacy-requests",
            post(super::privacy::privacy_request),
        )
        .route("/api/v1/standing-orders", post(super::standing::create))
        .route(
            "/api/v1/standing-orders/{id}",
            get(super::standing::show).delete(super::standing::end),
        )
        .route(
            "/api/v1/standing-orders/{id}/pause",
            post(super::standing::pause),
        )
        .route(
            "/api/v1/standing-orders/{id}/resume",
            post(super::standing::resume),
        )
        .route(
            "/api/v1/standing-orders/{id}/skips",
            post(super::standing::skip),
        )
        .route(
            "/api/v1/standing-orders/{id}/skips/{date}",
            axum::routing::delete(super::standing::unskip),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), require_key));
    Router::new()
        .merge(keyed)
        .route("/api/v1/orders/{tracking_token}", get(track))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/docs", get(docs))
        .layer(middleware::from_fn_with_state(state, reader_language))
}

/// Whoever reads the answer reads its refusals in the first language of the request's
/// `Accept-Language` that Hearth speaks, else the bakery's; an order's own `language` comes
/// before both (`for_customer`).
async fn reader_language(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let asked = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = crate::i18n::Lang::from_accept_language(asked, &state.config.language());
    crate::i18n::reading(lang, next.run(req)).await
}

/// Runs `work` for the customer whose request asked for `language`, when Hearth speaks it;
/// else for the reader the request's headers chose.
pub(super) async fn for_customer<F: std::future::Future>(
    language: Option<&str>,
    work: F,
) -> F::Output {
    let lang = language
        .and_then(crate::i18n::Lang::parse)
        .unwrap_or_else(crate::i18n::reader);
    crate::i18n::reading(lang, work).await
}

/// A JSON error answer naming the field.
pub fn error(status: StatusCode, field: &str, message: &str) -> Response {
    let body = ErrorBody {
        errors: vec![FieldError {
            field: field.into(),
            message: message.into(),
        }],
        next_possible_dates: vec![],
        promo_refusal: None,
    };
    (status, Json(body)).into_response()
}

pub(super) fn internal(e: AppError) -> Response {
    let reference = match &e {
        AppError::Internal { reference } => reference.clone(),
        _ => crate::server::request_id::current(),
    };
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "server",
        &said_with("refuse-server", &[("reference", &reference)]),
    )
}

/// The authenticated key's id, put in request extensions by `require_key`.
#[derive(Clone, Copy)]
pub struct KeyId(i64);

impl KeyId {
    pub fn id(self) -> i64 {
        self.0
    }
}

async fn require_key(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(key) = bearer else {
        return error(
            StatusCode::UNAUTHORIZED,
            "Authorization",
            &said("refuse-bearer"),
        );
    };
    match keys::authenticate(&state.pool, key).await {
        Ok(Some(id)) => {
            req.extensions_mut().insert(KeyId(id));
            next.run(req).await
        }
        Ok(None) => error(
            StatusCode::UNAUTHORIZED,
            "Authorization",
            &said("refuse-key-unknown"),
        ),
        Err(e) => internal(e),
    }
}

/// Parses a JSON body as `T` (`what` is the key of its name), answering 422 naming the problem when it isn't
/// valid JSON or hasn't that shape; the parsed value too (its text is the body's canonical
/// form for an idempotency hash: serde_json's maps are ordered).
#[allow(clippy::result_large_err)]
pub(super) fn parse_json<T: serde::de::DeserializeOwned>(
    body: &Bytes,
    what: &str,
) -> Result<(T, serde_json::Value), Response> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "body",
            &said_with("refuse-json", &[("problem", &e)]),
        )
    })?;
    let parsed: T = serde_json::from_value(value.clone()).map_err(|e| {
        error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "body",
            &said_with("refuse-shape", &[("what", &said(what)), ("problem", &e)]),
        )
    })?;
    Ok((parsed, value))
}

#[allow(clippy::result_large_err)]
fn parse_body(body: &Bytes) -> Result<(OrderIn, serde_json::Value), Response> {
    parse_json(body, "refuse-what-order")
}

/// The request's Idempotency-Key (trimmed), or the 400 answer saying what is wrong with it.
#[allow(clippy::result_large_err)]
pub(super) fn idempotency_key(headers: &HeaderMap) -> Result<&str, Response> {
    let Some(idem) = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
    else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Idempotency-Key",
            &said("refuse-idempotency-missing"),
        ));
    };
    if idem.is_empty() || idem.len() > 255 {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Idempotency-Key",
            &said("refuse-idempotency-length"),
        ));
    }
    Ok(idem)
}

pub(super) fn invalid(errors: Vec<FieldError>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(ErrorBody {
            errors,
            next_possible_dates: vec![],
            promo_refusal: None,
        }),
    )
        .into_response()
}

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
    use crate::orders::core::calendar::{BookingRules, Way};
    let pool = &state.pool;
    let today = state.config.today();
    let now = state.config.now_local();
    let mut conn = pool.acquire().await?;
    let rules = BookingRules::load(&mut conn).await?;
    let days: Vec<chrono::NaiveDate> = rules.days(today).collect();
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
    let last = rules.last_day(today);
    let booked = crate::orders::core::capacity::Booked::load(&mut conn, today, last, today).await?;
    let bookings = crate::reports::store::recent_bookings(&mut conn, today).await?;
    let weekday_names = |mask: i64| -> Vec<String> {
        (0..7u8)
            .filter(|i| mask & (1 << i) != 0)
            .filter_map(|i| chrono::Weekday::try_from(i).ok())
            .map(|w| full_weekday(&format!("{w:?}")))
            .collect()
    };
    let mut products = Vec::new();
    for r in rows {
        let line = [crate::orders::core::capacity::Line {
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
                    && crate::orders::core::capacity::units_refusal(&booked, &line, *d).is_none()
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
    let mut districts = Vec::new();
    for d in crate::districts::repo::list(pool).await? {
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
    let hours: Vec<PickupDay> = rules
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
        .collect();
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

#[utoipa::path(
    post, path = "/api/v1/quote", tag = "storefront",
    security(("storefront_key" = [])),
    request_body = OrderIn,
    responses(
        (status = 200, description = "Prices, fee and earliest days; `problems` lists what would make the order be refused. Stores nothing.", body = Quote),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 413, description = "The body is too large (over 4 MiB)"),
        (status = 422, description = "Malformed request: every bad field", body = ErrorBody),
    )
)]
pub async fn quote(State(state): State<AppState>, body: Bytes) -> Response {
    let (input, _) = match parse_body(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    for_customer(input.language.as_deref(), quote_for(&state, &input)).await
}

async fn quote_for(state: &AppState, input: &OrderIn) -> Response {
    let products = match intake::products(&state.pool).await {
        Ok(p) => p,
        Err(e) => return internal(e),
    };
    let today = state.config.today();
    let order = match validate::order(input, today, &products, &state.config.phone_country) {
        Ok(o) => o,
        Err(errors) => return invalid(errors),
    };
    match build_quote(state, &order).await {
        Ok(q) => Json(q).into_response(),
        Err(e) => internal(e),
    }
}

async fn build_quote(state: &AppState, order: &validate::ValidOrder) -> Result<Quote, AppError> {
    let districts = crate::districts::repo::list(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let currency = state.config.currency();
    let (pricing, order) = intake::promotions(&mut conn, &state.config, &districts, order).await?;
    let order = &order;
    let (priced, mut problems) =
        match intake::check_rules(&mut conn, &state.config, &districts, order).await {
            Ok(p) => (Some(p), vec![]),
            Err(Refusal::Rules(body)) => (None, body.errors),
            Err(Refusal::Internal(e)) => return Err(e),
        };
    let (discounts, promo_code) = intake::discounts_out(&pricing, &currency);
    if let Some(c) = promo_code.as_ref().filter(|_| !order.promo_full_price) {
        if let Some(message) = &c.message {
            problems.push(FieldError {
                field: "promo_code".into(),
                message: message.clone(),
            });
        }
    }
    let district = match &priced {
        Some(p) => p.district.clone(),
        None => order
            .coords
            .and_then(|(lat, lng)| crate::districts::locate::locate(&districts, lat, lng).cloned()),
    };
    let fee = district.as_ref().map_or(0, |d| d.delivery_fee_cents);
    let earliest =
        if order.fulfilment == crate::orders::model::Fulfilment::Delivery && district.is_none() {
            vec![]
        } else {
            intake::next_dates(&mut conn, &state.config, district.as_ref(), order).await?
        };
    let lines: Vec<QuoteLine> = order
        .items
        .iter()
        .map(|i| QuoteLine {
            sku: i.sku.clone(),
            name: i.name.clone(),
            quantity: i.quantity,
            unit_price_cents: i.unit_price_cents,
            line_total_cents: i.quantity * i.unit_price_cents,
        })
        .collect();
    let subtotal = order.subtotal_cents();
    let discount = pricing.outcome.discount_cents();
    Ok(Quote {
        lines,
        subtotal_cents: subtotal,
        delivery_fee_cents: fee,
        discount_cents: discount,
        discounts,
        promo_code,
        total_cents: crate::orders::model::total_cents(subtotal, fee, discount),
        currency,
        district: district.map(|d| d.name),
        earliest_dates: earliest,
        problems,
    })
}

#[utoipa::path(
    post, path = "/api/v1/orders", tag = "storefront",
    security(("storefront_key" = [])),
    params(("Idempotency-Key" = String, Header, min_length = 1, max_length = 255, pattern = "\\S",
            description = "Required, 1 to 255 characters (not only spaces). Retrying with the same key and body returns the same order (also while the first is still running: the retry waits for it); with another body, 422.")),
    request_body = OrderIn,
    responses(
        (status = 201, description = "Order taken", body = OrderCreated),
        (status = 400, description = "No Idempotency-Key, or one of the wrong length", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 413, description = "The body is too large (over 4 MiB)"),
        (status = 422, description = "Bad fields, a rule or capacity refusal (with next possible dates), or a reused key", body = ErrorBody),
    )
)]
pub async fn create_order(
    State(state): State<AppState>,
    axum::Extension(KeyId(api_key_id)): axum::Extension<KeyId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let idem = match idempotency_key(&headers) {
        Ok(k) => k,
        Err(r) => return r,
    };
    let (input, value) = match parse_body(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    // serde_json's maps are ordered, so re-serialising gives a canonical form of the body.
    let request_hash = crate::server::tokens::sha256_hex(value.to_string().as_bytes());
    let key = IdemKey {
        api_key_id,
        key: idem.to_string(),
        request_hash,
    };
    // A replay costs one read; a fresh key is checked again, and recorded, inside the
    // order's own write transaction (intake::create_keyed).
    match intake::lookup(&state.pool, &key).await {
        Ok(Claim::Fresh) => {
            for_customer(input.language.as_deref(), take_order(&state, &input, &key)).await
        }
        Ok(earlier) => earlier_answer(earlier),
        Err(e) => internal(e),
    }
}

/// The answer to a key already used: its first answer again, or a refusal when the body
/// differs.
fn earlier_answer(claim: Claim) -> Response {
    match claim {
        Claim::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED);
            (
                status,
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (
                        header::HeaderName::from_static("idempotent-replayed"),
                        "true",
                    ),
                ],
                body,
            )
                .into_response()
        }
        Claim::Mismatch => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Idempotency-Key",
            &said("refuse-idempotency-reused"),
        ),
        Claim::Fresh => internal(AppError::internal(
            "idempotency",
            "a fresh key has no earlier answer",
        )),
    }
}

async fn take_order(state: &AppState, input: &OrderIn, key: &IdemKey) -> Response {
    let products = match intake::products(&state.pool).await {
        Ok(p) => p,
        Err(e) => return internal(e),
    };
    let order = match validate::order(
        input,
        state.config.today(),
        &products,
        &state.config.phone_country,
    ) {
        Ok(o) => o,
        Err(errors) => return invalid(errors),
    };
    match intake::create_keyed(
        &state.pool,
        &state.config,
        &order,
        key,
        &state.config.public_url,
    )
    .await
    {
        Ok(Keyed::Created(created)) => {
            let (created, order_id) = *created;
            let _ = state.events.send(crate::orders::model::OrderChange {
                order_id,
                number: created.order_number,
                from: OrderStatus::Received,
                status: OrderStatus::Received,
                version: 1,
                by: "the storefront".into(),
            });
            (StatusCode::CREATED, Json(created)).into_response()
        }
        Ok(Keyed::Earlier(earlier)) => earlier_answer(earlier),
        Err(Refusal::Rules(body)) => (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response(),
        Err(Refusal::Internal(e)) => internal(e),
    }
}

#[utoipa::path(
    get, path = "/api/v1/orders/{tracking_token}", tag = "tracking",
    params(("tracking_token" = String, Path, description = "The token from the order's creation answer")),
    responses(
        (status = 200, description = "Public tracking view: stage times, window, first name and items only", body = Tracking),
        (status = 404, description = "Unknown token", body = ErrorBody),
        (status = 429, description = "Too many requests from this address", body = ErrorBody),
    )
)]
pub async fn track(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match tracking(&state.pool, state.config.timezone(), &token).await {
        Ok(Some(t)) => Json(t).into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "tracking_token",
            &said("refuse-token-unknown"),
        ),
        Err(e) => internal(e),
    }
}

/// The public view of an order, or None for an unknown token.
pub async fn tracking(
    pool: &sqlx::SqlitePool,
    tz: chrono_tz::Tz,
    token: &str,
) -> Result<Option<Tracking>, AppError> {
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(o) = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, c.name, o.status, o.fulfilment, o.fulfil_on, o.window_from, o.window_to, o.created_at,
                  o.total_cents, o.discount_cents, o.language
           FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.tracking_token = ?"#,
        token
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let events = sqlx::query!(
        "SELECT to_status, created_at FROM order_events WHERE order_id = ? AND to_status IS NOT NULL ORDER BY created_at",
        o.id
    )
    .fetch_all(pool)
    .await?;
    let items = sqlx::query!(
        "SELECT p.name, i.quantity FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id",
        o.id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| TrackedItem { name: r.name, quantity: r.quantity })
    .collect();
    let status = OrderStatus::parse(&o.status)
        .map_err(|_| AppError::internal("orders.status", &o.status))?;
    // A published run narrows the promised window to the planned arrival.
    let planned = sqlx::query!(
        r#"SELECT s.eta, s.seq, s.run_id,
                  (SELECT COUNT(*) FROM run_stops b JOIN orders bo ON bo.id = b.order_id
                   WHERE b.run_id = s.run_id AND b.seq < s.seq AND bo.status NOT IN ('delivered', 'cancelled')
                     AND COALESCE(b.outcome, '') NOT IN ('delivered', 'failed')) AS "before!: i64"
           FROM run_stops s JOIN runs r ON r.id = s.run_id
           WHERE s.order_id = ? AND r.status = 'published'"#,
        o.id
    )
    .fetch_optional(pool)
    .await?;
    let (mut eta_from, mut eta_to) = (o.window_from.clone(), o.window_to.clone());
    let mut stops_before = None;
    let open = !matches!(
        status,
        OrderStatus::Delivered | OrderStatus::Collected | OrderStatus::Cancelled
    );
    if let (Some(p), true) = (planned, open) {
        if let Ok(at) = chrono::DateTime::parse_from_rfc3339(&p.eta) {
            let local =
                |d: chrono::Duration| (at + d).with_timezone(&tz).format("%H:%M").to_string();
            let (a, b) = (
                local(chrono::Duration::minutes(-10)),
                local(chrono::Duration::minutes(20)),
            );
            // Never earlier or later than promised.
            eta_from = Some(match &o.window_from {
                Some(w) if *w > a => w.clone(),
                _ => a,
            });
            eta_to = Some(match &o.window_to {
                Some(w) if *w < b => w.clone(),
                _ => b,
            });
        }
        if status == OrderStatus::OutForDelivery {
            stops_before = Some(p.before);
        }
    }
    let path: Vec<OrderStatus> = if o.fulfilment == "pickup" {
        vec![
            OrderStatus::Received,
            OrderStatus::Confirmed,
            OrderStatus::Baking,
            OrderStatus::Ready,
            OrderStatus::Collected,
        ]
    } else {
        OrderStatus::BOARD.to_vec()
    };
    let stages = path
        .into_iter()
        .map(|s| StageOut {
            status: s.as_str().into(),
            label: s.label().into(),
            at: events
                .iter()
                .rev()
                .find(|e| e.to_status.as_deref() == Some(s.as_str()))
                .map(|e| e.created_at.clone()),
        })
        .collect();
    Ok(Some(Tracking {
        order_number: o.number,
        first_name: crate::orders::model::first_name(&o.name),
        status: status.as_str().into(),
        status_label: status.label().into(),
        fulfilment: o.fulfilment,
        date: o.fulfil_on,
        eta_from,
        eta_to,
        stops_before,
        stages,
        items,
        total_cents: o.total_cents,
        discount_cents: o.discount_cents,
        language: o.language,
        discounts: crate::promotions::store::uses_of(&mut *pool.acquire().await?, o.id)
            .await?
            .into_iter()
            .map(|(name, _, _)| name)
            .collect(),
    }))
}

async fn openapi_json() -> Response {
    Json(super::openapi::document()).into_response()
}

async fn docs() -> Html<&'static str> {
    Html(include_str!("docs.html"))
}

/// Limits public tracking requests per address (`HEARTH_TRACKER_RATE_PER_MINUTE`).
pub async fn rate_limit_tracking(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    // The four ways in with a tracking token: the page, its data, its live events, the API.
    let public = path.starts_with("/t/")
        || path.starts_with("/events/track/")
        || path == "/api/get_tracking"
        || (path.starts_with("/api/v1/orders/") && req.method() == axum::http::Method::GET);
    if public {
        let ip = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip())
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        if state.tracker_limiter.check_key(&ip).is_err() {
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                "request",
                &said("refuse-too-many"),
            );
        }
    }
    next.run(req).await
}
