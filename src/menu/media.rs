//! `GET /media/products/{id}`: a product's photo, public (the bakery's website shows it). The
//! catalog links it with `?v=` of its last change, so it can be cached for long.
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::server::state::AppState;

pub async fn product_photo(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    let photo =
        sqlx::query_scalar::<_, Vec<u8>>("SELECT bytes FROM product_photos WHERE product_id = ?")
            .bind(id)
            .fetch_optional(&state.pool)
            .await;
    match photo {
        Ok(Some(bytes)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=604800"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "No photo for this product.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "product photo");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
