//! Proof-of-delivery photos: served to owner and staff only.
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::server::state::AppState;

/// `GET /photos/{order_id}`: the proof-of-delivery photo, for owner and staff only.
pub async fn delivery_photo(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    axum::extract::Path(order_id): axum::extract::Path<i64>,
) -> Response {
    use crate::auth::Role;
    match crate::auth::session::user_of_session(&session, &state.pool, &state.config).await {
        Ok(Some(u)) if matches!(u.role, Role::Owner | Role::Staff) => {}
        Ok(Some(_)) => return (StatusCode::FORBIDDEN, "Not for this role.").into_response(),
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Sign in first.").into_response(),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
    let photo = sqlx::query_as::<_, (String, Vec<u8>)>(
        "SELECT content_type, bytes FROM delivery_photos WHERE order_id = ?",
    )
    .bind(order_id)
    .fetch_optional(&state.pool)
    .await;
    match photo {
        Ok(Some((kind, bytes))) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "No photo for this order.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "delivery photo");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
