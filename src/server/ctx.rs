//! The context of one server-function call, captured synchronously at its start.
//!
//! Leptos' reactive context is only reliable before a server function's first `.await` (the
//! future may later be polled outside its owner), so every server function starts with
//! `Ctx::serve(roles, move |cx, me| async move { .. }).await` (role-checked) or, for the few
//! public ones, `let cx = Ctx::get()?;`, and uses `cx` from then on: state, session, status.
//! `serve` and the caller's language are the session's (`auth::session`), `cx.audit` the audit
//! log's (`audit`): the context knows nothing above it.
use axum::http::request::Parts;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use sqlx::SqlitePool;
use tower_sessions::Session;

use super::config::Config;
use super::state::AppState;
use crate::error::AppError;

/// State, request head and response options of the current server-function call.
#[derive(Clone)]
pub struct Ctx {
    pub state: AppState,
    parts: Option<Parts>,
    response: Option<ResponseOptions>,
}

impl Ctx {
    /// Captures the context. Call it first, before any `.await`.
    pub fn get() -> Result<Ctx, AppError> {
        let state = use_context::<AppState>().ok_or_else(|| {
            AppError::internal("server function context", "AppState not provided")
        })?;
        Ok(Ctx {
            state,
            parts: use_context::<Parts>(),
            response: use_context::<ResponseOptions>(),
        })
    }

    pub fn db(&self) -> &SqlitePool {
        &self.state.pool
    }

    pub fn config(&self) -> &Config {
        &self.state.config
    }

    /// The session of this request (put there by the session layer).
    pub fn session(&self) -> Result<Session, AppError> {
        self.parts
            .as_ref()
            .and_then(|p| p.extensions.get::<Session>().cloned())
            .ok_or_else(|| AppError::internal("session", "no session layer on this request"))
    }

    /// The caller's address, or "unknown" (e.g. in tests without a socket).
    pub fn client_ip(&self) -> String {
        use axum::extract::ConnectInfo;
        self.parts
            .as_ref()
            .and_then(|p| p.extensions.get::<ConnectInfo<std::net::SocketAddr>>())
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    }

    /// Sends the browser to `path`: a 302 for a plain form post, or the header the server-fn
    /// client follows.
    pub fn redirect(&self, path: &str) {
        let (Some(res), Ok(location)) = (&self.response, HeaderValue::from_str(path)) else {
            return;
        };
        res.insert_header(header::LOCATION, location);
        let accepts_html = self
            .parts
            .as_ref()
            .and_then(|p| p.headers.get(header::ACCEPT))
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        if accepts_html {
            res.set_status(StatusCode::FOUND);
        } else {
            res.insert_header(
                HeaderName::from_static("serverfnredirect"),
                HeaderValue::from_static(""),
            );
        }
    }

    /// The language of a visitor no one has signed in as: the first their browser asks for
    /// (`Accept-Language`, "es-ES" as "es") that Hearth speaks, else the bakery's.
    pub fn visitor_lang(&self) -> crate::i18n::Lang {
        let asked = self
            .parts
            .as_ref()
            .and_then(|p| p.headers.get(header::ACCEPT_LANGUAGE))
            .and_then(|v| v.to_str().ok());
        crate::i18n::Lang::from_accept_language(asked, &self.config().language())
    }

    /// The value of the request's cookie `name`, if it sent one.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.parts
            .as_ref()?
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    /// Adds a `Set-Cookie` header (HttpOnly, SameSite=Lax, Path=/; Secure when configured).
    pub fn set_cookie(&self, name: &str, value: &str, max_age_secs: i64) {
        let secure = if self.config().secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{name}={value}; Max-Age={max_age_secs}; Path=/; HttpOnly; SameSite=Lax{secure}"
        );
        if let (Some(res), Ok(v)) = (&self.response, HeaderValue::from_str(&cookie)) {
            res.append_header(header::SET_COOKIE, v);
        }
    }

    /// Sets the HTTP status from the error (401, 403, 422 ...) and passes the result through,
    /// so HTTP clients see honest status codes.
    pub fn respond<T>(&self, result: Result<T, AppError>) -> Result<T, AppError> {
        if let (Err(err), Some(res)) = (&result, &self.response) {
            if let Ok(code) = StatusCode::from_u16(err.status_code()) {
                res.set_status(code);
            }
        }
        result
    }
}
