//! Public tracking: `GET /api/v1/orders/{tracking_token}` (the customer's view of an order: its
//! stages, a window narrowed by a published run, its items) and the per-address rate limit on
//! every way in with a tracking token.
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::handlers::{error, internal};
use super::model::*;
use crate::error::AppError;
use crate::orders::model::OrderStatus;
use crate::said::said;
use crate::server::state::AppState;

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
    .await?
    .into_iter()
    .map(|e| Reached {
        to_status: e.to_status,
        created_at: e.created_at,
    })
    .collect::<Vec<_>>();
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
    let (eta_from, eta_to, stops_before) = arrival(
        pool,
        tz,
        o.id,
        status,
        (o.window_from.clone(), o.window_to.clone()),
    )
    .await?;
    let stages = stages(&o.fulfilment, &events);
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
        discounts: crate::orders::repo::discounts_of(&mut *pool.acquire().await?, o.id)
            .await?
            .into_iter()
            .map(|(name, _, _)| name)
            .collect(),
    }))
}

/// The window the customer is told: the promised one, narrowed to the planned arrival (−10 to
/// +20 minutes, never outside the promise) once the order is on a published run; and, out for
/// delivery, how many stops come before it.
async fn arrival(
    pool: &sqlx::SqlitePool,
    tz: chrono_tz::Tz,
    order_id: i64,
    status: OrderStatus,
    promised: (Option<String>, Option<String>),
) -> Result<(Option<String>, Option<String>, Option<i64>), AppError> {
    // A published run narrows the promised window to the planned arrival.
    let planned = sqlx::query!(
        r#"SELECT s.eta, s.seq, s.run_id,
                  (SELECT COUNT(*) FROM run_stops b JOIN orders bo ON bo.id = b.order_id
                   WHERE b.run_id = s.run_id AND b.seq < s.seq AND bo.status NOT IN ('delivered', 'cancelled')
                     AND COALESCE(b.outcome, '') NOT IN ('delivered', 'failed')) AS "before!: i64"
           FROM run_stops s JOIN runs r ON r.id = s.run_id
           WHERE s.order_id = ? AND r.status = 'published'"#,
        order_id
    )
    .fetch_optional(pool)
    .await?;
    let (mut eta_from, mut eta_to) = promised.clone();
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
            eta_from = Some(match &promised.0 {
                Some(w) if *w > a => w.clone(),
                _ => a,
            });
            eta_to = Some(match &promised.1 {
                Some(w) if *w < b => w.clone(),
                _ => b,
            });
        }
        if status == OrderStatus::OutForDelivery {
            stops_before = Some(p.before);
        }
    }
    Ok((eta_from, eta_to, stops_before))
}

/// A stage the order reached, and when.
struct Reached {
    to_status: Option<String>,
    created_at: String,
}

/// The stages of the order's way (pickup or delivery), each with when it was reached.
fn stages(fulfilment: &str, events: &[Reached]) -> Vec<StageOut> {
    let path: Vec<OrderStatus> = if fulfilment == "pickup" {
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
    path.into_iter()
        .map(|s| StageOut {
            status: s.as_str().into(),
            label: s.label().into(),
            at: events
                .iter()
                .rev()
                .find(|e| e.to_status.as_deref() == Some(s.as_str()))
                .map(|e| e.created_at.clone()),
        })
        .collect()
}

/// Limits public tracking requests per address (`HEARTH_TRACKER_RATE_PER_MINUTE`).
pub async fn rate_limit_tracking(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    // The ways in with a tracking token: the page and its receipt, their data, its live
    // events, the API.
    let public = path.starts_with("/t/")
        || path.starts_with("/events/track/")
        || path == "/api/get_tracking"
        || path == "/api/get_receipt"
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
