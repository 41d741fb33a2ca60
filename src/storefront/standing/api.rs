//! The `/api/v1/standing-orders` handlers: thin (parse → check → the standing orders' writer
//! → answer).
// The helpers answer early with the response itself, as the orders' handlers do.
#![allow(clippy::result_large_err)]
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;

use super::{fits, validate, ItemsIn, PauseIn, SkipIn, StandingOrderIn, StandingOrderOut};
use crate::error::AppError;
use crate::server::state::AppState;
use crate::standing::model::StandingView;
use crate::standing::store::{self, Change};
use crate::storefront::handlers::{self, error, KeyId};
use crate::storefront::model::ErrorBody;

fn answer(status: StatusCode, view: StandingView) -> Response {
    (status, Json(StandingOrderOut::from(view))).into_response()
}

pub(super) fn refusal(e: AppError) -> Response {
    match e {
        AppError::Validation { field, message } => {
            error(StatusCode::UNPROCESSABLE_ENTITY, &field, &message)
        }
        e @ AppError::NotFound(_) => error(StatusCode::NOT_FOUND, "id", &e.to_string()),
        AppError::Conflict(m) => error(StatusCode::CONFLICT, "status", &m),
        other => handlers::internal(other),
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
    let idem = match handlers::idempotency_key(&headers) {
        Ok(k) => k,
        Err(r) => return r,
    };
    let (input, value) = match handlers::parse_json::<StandingOrderIn>(&body, "a standing order") {
        Ok(v) => v,
        Err(r) => return r,
    };
    let config = &state.config;
    let products = match crate::storefront::intake::products(&state.pool).await {
        Ok(p) => p,
        Err(e) => return handlers::internal(e),
    };
    let (order, schedule) = match validate(&input, config.today(), &products, &config.phone_country)
    {
        Ok(v) => v,
        Err(errors) => return handlers::invalid(errors),
    };
    match fits(&state.pool, config, &order, &schedule).await {
        Ok(errors) if errors.is_empty() => {}
        Ok(errors) => return handlers::invalid(errors),
        Err(e) => return handlers::internal(e),
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
            return handlers::internal(e);
        }
    }
    match crate::standing::read::one(&state.pool, made.id, config.today()).await {
        Ok(v) => answer(StatusCode::CREATED, v),
        Err(e) => refusal(e),
    }
}

pub(super) fn parse_id(raw: &str) -> Result<i64, Response> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| {
            error(
                StatusCode::NOT_FOUND,
                "id",
                &crate::said::said("refuse-standing-unknown"),
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
pub(super) async fn change(
    state: &AppState,
    id: &str,
    change: Result<Change, Response>,
) -> Response {
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
            &crate::said::said_with("refuse-body", &[("problem", &e)]),
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
                &format!("{field} {}.", crate::said::said("refuse-required")),
            )
        })?;
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        error(
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
            &format!("{field}: {}.", crate::said::said("refuse-use-date")),
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
    put, path = "/api/v1/standing-orders/{id}/items", tag = "storefront",
    security(("storefront_key" = [])),
    params(("id" = String, Path, description = "The standing order's id")),
    request_body = ItemsIn,
    responses(
        (status = 200, description = "Every delivery from tomorrow takes these items; those already created get them while not yet baking (prices, capacity and the district's minimum checked as for an order)", body = StandingOrderOut),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "Unknown id", body = ErrorBody),
        (status = 409, description = "The standing order has ended", body = ErrorBody),
        (status = 422, description = "No items, an unknown product, a bad quantity, or a delivery that cannot take them (its date named)", body = ErrorBody),
    )
)]
pub async fn items(State(state): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    let c = body_of::<ItemsIn>(&body).and_then(|b| {
        let lines = b.items.unwrap_or_default();
        if lines.is_empty() {
            let why = crate::said::said("refuse-standing-no-items");
            return Err(error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "items",
                &format!("items: {why}"),
            ));
        }
        let required = |field: String| {
            let why = crate::said::said("refuse-required");
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                &field,
                &format!("{field} {why}."),
            )
        };
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let sku = l.sku.as_deref().map(str::trim).filter(|s| !s.is_empty());
                let sku = sku.ok_or_else(|| required(format!("items[{i}].sku")))?;
                let q = l
                    .quantity
                    .ok_or_else(|| required(format!("items[{i}].quantity")))?;
                Ok((sku.to_string(), q))
            })
            .collect::<Result<Vec<_>, Response>>()
            .map(Change::Items)
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
