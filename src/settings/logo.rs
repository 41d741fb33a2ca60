//! The bakery's logo: chosen on the setup page or in Settings → Business, shrunk in the
//! browser, kept in `business_logo` (this module is its one writer), shown in the header and
//! on the tracker, and served publicly at `/media/logo?v=…` (the catalog's `logo_url`).
use leptos::prelude::*;

use crate::error::AppError;

/// The longest side the browser shrinks a logo to.
pub const LOGO_SIDE: f64 = 512.0;

/// Checks a logo as the page sends it (base64 JPEG); errors name the `logo` field.
#[cfg(feature = "ssr")]
pub fn check(b64: &str) -> Result<(Vec<u8>, i64, i64), AppError> {
    crate::driver::actions::check_photo(b64).map_err(|e| match e {
        AppError::Validation { message, .. } => AppError::invalid(
            "logo",
            message
                .replacen("photo:", "Logo:", 1)
                .replace("a photo", "a picture"),
        ),
        other => other,
    })
}

/// Stores a checked logo in place of the old one.
#[cfg(feature = "ssr")]
pub async fn save_in(
    conn: &mut sqlx::SqliteConnection,
    (bytes, width, height): &(Vec<u8>, i64, i64),
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO business_logo (id, bytes, width, height, updated_at)
         VALUES (1, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ON CONFLICT (id) DO UPDATE SET bytes = excluded.bytes, width = excluded.width,
             height = excluded.height, updated_at = excluded.updated_at",
        bytes,
        width,
        height
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The logo's path with its version (`/media/logo?v=…`), or None when there is none.
#[cfg(feature = "ssr")]
pub async fn path<'e>(ex: impl sqlx::SqliteExecutor<'e>) -> Result<Option<String>, AppError> {
    let at = sqlx::query_scalar!("SELECT updated_at FROM business_logo WHERE id = 1")
        .fetch_optional(ex)
        .await?;
    Ok(at.map(|at| {
        let stamp: String = at.chars().filter(char::is_ascii_digit).collect();
        format!("/media/logo?v={stamp}")
    }))
}

/// `GET /media/logo`: the logo, public (the bakery's website and the tracker show it).
#[cfg(feature = "ssr")]
pub async fn serve(
    axum::extract::State(state): axum::extract::State<crate::server::state::AppState>,
) -> axum::response::Response {
    let logo = sqlx::query_scalar!("SELECT bytes FROM business_logo WHERE id = 1")
        .fetch_optional(&state.pool)
        .await;
    crate::menu::media::public_jpeg(logo, "No logo yet.")
}

/// Sets the logo (a JPEG the page shrank, base64), or removes it when `jpeg` is empty; answers
/// the new path. Owner.
#[server(endpoint = "set_logo")]
pub async fn set_logo(#[server(default)] jpeg: String) -> Result<Option<String>, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(&cx.state.pool).await?;
        if jpeg.trim().is_empty() {
            sqlx::query!("DELETE FROM business_logo")
                .execute(&mut *tx)
                .await?;
        } else {
            save_in(&mut tx, &check(&jpeg)?).await?;
        }
        let path = path(&mut *tx).await?;
        tx.commit().await?;
        tracing::info!(by = me.id, "logo changed");
        let what = if path.is_some() { "set" } else { "removed" };
        cx.audit(
            &me,
            "settings.logo",
            "Logo",
            serde_json::json!({ "after": what }),
        )
        .await?;
        Ok(path)
    })
    .await
}
