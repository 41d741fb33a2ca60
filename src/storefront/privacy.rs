//! `POST /api/v1/privacy-requests`: the bakery's website passes on a customer's request to see
//! or erase their data. Nothing is exported or erased here: the request waits on the owner's
//! Customers page (the owner checks it is really them), and is logged.
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::handlers::{error, KeyId};
use super::model::{ErrorBody, FieldError};
use crate::said::{said, said_with};
use crate::server::state::AppState;

/// A customer's request, as the website received it.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct PrivacyRequestIn {
    /// `export`: send me what you hold about me; `erase`: delete my personal data.
    #[schema(required = true, nullable = false, pattern = "^(export|erase)$")]
    pub kind: Option<String>,
    /// The phone number the customer orders with (matched like orders' phones).
    #[schema(required = true, nullable = false, min_length = 1, max_length = 30)]
    pub phone: Option<String>,
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// Anything the customer added.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// The request, received.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct PrivacyRequestCreated {
    pub request_id: i64,
    /// Always `open`: the bakery answers the customer.
    pub status: String,
}

fn field(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

#[utoipa::path(
    post, path = "/api/v1/privacy-requests", tag = "storefront",
    security(("storefront_key" = [])),
    request_body = PrivacyRequestIn,
    responses(
        (status = 202, description = "Received; the bakery will answer the customer", body = PrivacyRequestCreated),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 413, description = "The body is too large (over 4 MiB)"),
        (status = 422, description = "Malformed request: every bad field", body = ErrorBody),
    )
)]
pub async fn privacy_request(
    State(state): State<AppState>,
    Extension(key): Extension<KeyId>,
    body: Bytes,
) -> Response {
    let input: PrivacyRequestIn = match serde_json::from_slice::<serde_json::Value>(&body)
        .map_err(|e| said_with("refuse-json", &[("problem", &e)]))
        .and_then(|v| {
            serde_json::from_value(v).map_err(|e| {
                said_with(
                    "refuse-shape",
                    &[("what", &said("refuse-what-request")), ("problem", &e)],
                )
            })
        }) {
        Ok(i) => i,
        Err(m) => return error(StatusCode::UNPROCESSABLE_ENTITY, "body", &m),
    };
    let asked = match check(input, &state.config.phone_country) {
        Ok(asked) => asked,
        Err(errors) => return super::handlers::invalid(errors),
    };
    let Asked {
        kind,
        phone,
        email,
        note,
    } = asked;
    match store(&state, key, kind, &phone, email.as_deref(), note.as_deref()).await {
        Ok(id) => (
            StatusCode::ACCEPTED,
            Json(PrivacyRequestCreated {
                request_id: id,
                status: "open".into(),
            }),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "privacy request");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server",
                &said_with(
                    "refuse-server",
                    &[("reference", &crate::server::request_id::current())],
                ),
            )
        }
    }
}

/// A privacy request as checked: what is asked, for whom.
struct Asked {
    kind: &'static str,
    phone: String,
    email: Option<String>,
    note: Option<String>,
}

/// Checks every field of a privacy request; every bad one is named.
fn check(input: PrivacyRequestIn, country: &str) -> Result<Asked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match input.kind.as_deref() {
        Some("export") => "export",
        Some("erase") => "erase",
        Some(_) => {
            errors.push(field("kind", &said("refuse-privacy-kind")));
            ""
        }
        None => {
            errors.push(field("kind", &said("refuse-privacy-kind-required")));
            ""
        }
    };
    let phone = match input.phone.as_deref() {
        Some(p) if p.chars().count() <= 30 => match super::validate::normalize_phone(p, country) {
            Some(p) => p,
            None => {
                errors.push(field("phone", &said("refuse-privacy-phone")));
                String::new()
            }
        },
        Some(_) => {
            errors.push(field("phone", &said("refuse-privacy-phone-long")));
            String::new()
        }
        None => {
            errors.push(field("phone", &said("refuse-privacy-phone-required")));
            String::new()
        }
    };
    let email = input
        .email
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    if email
        .as_ref()
        .is_some_and(|e| e.chars().count() > 254 || !e.contains('@'))
    {
        errors.push(field("email", &said("refuse-privacy-email")));
    }
    let note = input
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        errors.push(field("note", &said("refuse-privacy-note")));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Asked {
        kind,
        phone,
        email,
        note,
    })
}

async fn store(
    state: &AppState,
    key: KeyId,
    kind: &str,
    phone: &str,
    email: Option<&str>,
    note: Option<&str>,
) -> Result<i64, crate::error::AppError> {
    let mut tx = crate::server::db::begin_write(&state.pool).await?;
    let customer = sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM customers WHERE phone = ? AND erased_at IS NULL"#,
        phone
    )
    .fetch_optional(&mut *tx)
    .await?;
    let now = crate::server::db::now();
    let key_id = key.id();
    let id = sqlx::query_scalar!(
        r#"INSERT INTO privacy_requests (kind, phone, email, note, customer_id, api_key_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
        kind,
        phone,
        email,
        note,
        customer,
        key_id,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(
        &mut *tx,
        &crate::audit::Who::named("Website"),
        &format!("customer.request_{kind}"),
        &format!("Request {id}"),
        serde_json::json!({"known_customer": customer.is_some()}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
