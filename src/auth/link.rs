//! One-time sign-in links for drivers: the owner makes one from a run and sends it (WhatsApp,
//! SMS); opening it signs the driver in once, within 12 hours. 128 random bits; only the
//! SHA-256 is stored; using it and marking it used is one statement, so it works exactly once.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// How long a link stays valid.
pub const LINK_HOURS: i64 = 12;

/// A link to send, shown once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInLink {
    pub url: String,
    pub driver: String,
    /// Local time it stops working, "18:40".
    pub expires: String,
}

/// Makes a one-time sign-in link for the driver of run `run_id`. Owner.
#[server(endpoint = "create_sign_in_link")]
pub async fn create_sign_in_link(run_id: i64) -> Result<SignInLink, AppError> {
    use super::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
            let pool = &cx.state.pool;
            let driver = sqlx::query!(
                r#"SELECT u.id AS "id!", u.name, u.active AS "active: bool" FROM runs r JOIN users u ON u.id = r.driver_id
                   WHERE r.id = ?"#,
                run_id
            )
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-run")))?;
            if !driver.active {
                return Err(AppError::Conflict(crate::said::said_with("refuse-account-disabled", &[("name", &driver.name)])));
            }
            let mut bytes = [0u8; 16];
            getrandom::fill(&mut bytes).map_err(|e| AppError::internal("random token", e))?;
            let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let hash = crate::server::tokens::sha256_hex(token.as_bytes());
            let now = chrono::Utc::now();
            let expires = now + chrono::Duration::hours(LINK_HOURS);
            let expires_at = crate::server::db::timestamp(expires);
            let mut tx = crate::server::db::begin_write(pool).await?;
            sqlx::query!(
                "INSERT INTO sign_in_links (token_hash, user_id, created_by, expires_at) VALUES (?, ?, ?, ?)",
                hash,
                driver.id,
                me.id,
                expires_at
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            let config = &cx.state.config;
            Ok(SignInLink {
                url: format!("{}/login/link/{token}", config.public_url.trim_end_matches('/')),
                driver: driver.name,
                expires: expires.with_timezone(&config.timezone()).format("%H:%M").to_string(),
            })
    })
    .await
}

/// Uses a link: the user it signs in, or why it can't.
#[cfg(feature = "ssr")]
pub async fn redeem(
    pool: &sqlx::SqlitePool,
    token: &str,
) -> Result<super::repo::UserAuth, AppError> {
    let gone = || AppError::NotFound(crate::said::said("refuse-what-this-sign-in-link"));
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(gone());
    }
    let hash = crate::server::tokens::sha256_hex(token.as_bytes());
    let now = crate::server::db::now();
    let mut tx = crate::server::db::begin_write(pool).await?;
    let user_id = sqlx::query_scalar!(
        "UPDATE sign_in_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
         RETURNING user_id",
        now,
        hash,
        now
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(gone)?;
    tx.commit().await?;
    super::repo::find_by_id(pool, user_id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(gone)
}

#[cfg(feature = "ssr")]
use crate::server::state::AppState;
#[cfg(feature = "ssr")]
use axum::extract::State;
#[cfg(feature = "ssr")]
use axum::http::{header, StatusCode};
#[cfg(feature = "ssr")]
use axum::response::{IntoResponse, Response};

/// A small standalone page in the app's style (for the sign-in link, outside the Leptos app).
#[cfg(feature = "ssr")]
fn plain_page(site_root: &str, status: StatusCode, title: &str, body: &str) -> Response {
    let css = crate::server::static_files::href(site_root, "/pkg/hearth.css");
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Hearth</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main class=\"auth-page\"><div class=\"card auth-card\"><h1>{title}</h1>{body}</div></main></body></html>"
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// `GET /login/link/{token}`: asks the driver to confirm. Opening the link signs nobody in, so
/// link previews (chat apps fetch links to show them) can't use it up.
#[cfg(feature = "ssr")]
pub async fn link_page(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    let valid = token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit());
    let hash = crate::server::tokens::sha256_hex(token.as_bytes());
    let now = crate::server::db::now();
    let name = if valid {
        sqlx::query_scalar::<_, String>(
            "SELECT u.name FROM sign_in_links l JOIN users u ON u.id = l.user_id
             WHERE l.token_hash = ? AND l.used_at IS NULL AND l.expires_at > ? AND u.active = 1",
        )
        .bind(&hash)
        .bind(&now)
        .fetch_optional(&state.pool)
        .await
        .ok()
        .flatten()
    } else {
        None
    };
    match name {
        Some(name) => {
            // The name is the owner's text: escaped, like every user-supplied text.
            let first = crate::ui::text::escape_html(&crate::orders::model::first_name(&name));
            plain_page(
                &state.config.site_root,
                StatusCode::OK,
                &format!("Hi {first}"),
                &format!(
                    "<p>This link signs you in to today's run on this phone.</p>\
                     <form method=\"post\"><button class=\"btn btn-primary btn-lg\" type=\"submit\">Sign in as {first}</button></form>"
                ),
            )
        }
        None => link_gone(&state.config.site_root),
    }
}

#[cfg(feature = "ssr")]
fn link_gone(site_root: &str) -> Response {
    plain_page(
        site_root,
        StatusCode::GONE,
        "This link has expired",
        "<p>Sign-in links work once, for 12 hours. Ask the bakery for a new one, or sign in with your password.</p>\
         <p><a class=\"btn\" href=\"/login\">Sign in</a></p>",
    )
}

/// `POST /login/link/{token}`: uses the link (once) and opens the driver's run.
#[cfg(feature = "ssr")]
pub async fn link_sign_in(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    match redeem(&state.pool, &token).await {
        Ok(user) => match super::session::sign_in_session(&session, &user).await {
            Ok(()) => {
                tracing::info!(user_id = user.id, "signed in with a one-time link");
                (
                    StatusCode::SEE_OTHER,
                    [(header::LOCATION, user.role.landing())],
                )
                    .into_response()
            }
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        },
        Err(crate::error::AppError::NotFound(_)) => link_gone(&state.config.site_root),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
