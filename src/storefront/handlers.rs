//! The `/api/v1` router: thin handlers (authenticate → validate → intake → answer).
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

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
        .route("/api/v1/catalog", get(super::catalog::catalog))
        .route("/api/v1/quote", post(super::quote::quote))
        .route("/api/v1/orders", post(create_order))
        .route(
            "/api/v1/privacy-requests",
            post(super::privacy::privacy_request),
        )
        .route(
            "/api/v1/standing-orders",
            post(super::standing::create).get(super::standing::list),
        )
        .route(
            "/api/v1/standing-orders/{id}",
            get(super::standing::show)
                .delete(super::standing::end)
                .patch(super::standing::patch),
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
            "/api/v1/standing-orders/{id}/items",
            axum::routing::put(super::standing::items),
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
        .route(
            "/api/v1/orders/{tracking_token}",
            get(super::tracking::track),
        )
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

/// The number tagging the products and districts when the key was checked
/// (`intake::known`), put in request extensions by `require_key`.
#[derive(Clone, Copy)]
pub struct CatalogSeen(i64);

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
        Ok(Some(key)) => {
            req.extensions_mut().insert(KeyId(key.id));
            req.extensions_mut().insert(CatalogSeen(key.catalog));
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
pub(super) fn parse_body(body: &Bytes) -> Result<(OrderIn, serde_json::Value), Response> {
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
    axum::Extension(CatalogSeen(catalog)): axum::Extension<CatalogSeen>,
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
    for_customer(
        input.language.as_deref(),
        take_order(&state, &input, &key, catalog),
    )
    .await
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

/// Validates and takes the order. The Idempotency-Key is checked, and recorded, inside the
/// order's own write transaction (`intake::create_keyed`): a retry gets its first answer from
/// there. Only a body that no longer passes (its date has gone by since the first answer) asks
/// for the key before saying what is wrong.
async fn take_order(state: &AppState, input: &OrderIn, key: &IdemKey, catalog: i64) -> Response {
    let known = match intake::known::at(&state.pool, catalog).await {
        Ok(k) => k,
        Err(e) => return internal(e),
    };
    let order = match validate::order(
        input,
        state.config.today(),
        &known.products,
        &state.config.phone_country,
    ) {
        Ok(o) => o,
        Err(errors) => {
            return match intake::lookup(&state.pool, key).await {
                Ok(Claim::Fresh) => invalid(errors),
                Ok(earlier) => earlier_answer(earlier),
                Err(e) => internal(e),
            }
        }
    };
    match intake::create_keyed(
        &state.pool,
        &state.config,
        &order,
        key,
        &known,
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

async fn openapi_json() -> Response {
    Json(super::openapi::document()).into_response()
}

async fn docs() -> Html<&'static str> {
    Html(include_str!("docs.html"))
}
