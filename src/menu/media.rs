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
    public_jpeg(photo, "No photo for this product.")
}

/// A stored JPEG as a public, long-cached answer (the URLs carry `?v=` of the last change);
/// `missing` is the 404's text. Product photos and the logo.
pub fn public_jpeg(found: Result<Option<Vec<u8>>, sqlx::Error>, missing: &'static str) -> Response {
    match found {
        Ok(Some(bytes)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=604800"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, missing).into_response(),
        Err(e) => {
            tracing::error!(error = %e, what = missing, "public picture");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
