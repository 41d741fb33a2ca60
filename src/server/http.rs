//! The HTTP router: Leptos pages and server functions, static files, sessions, the
//! cross-origin guard and the per-request log line.
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

use super::request_id;
use super::state::AppState;
use crate::app::{shell, App};

/// Builds the whole application router over `state`. Creates the sessions table if needed.
/// The app's routes, generated once per process. Generating them renders the app with every
/// resource load suppressed through a process-wide flag (leptos_router's `RouteList::generate`),
/// and a resource first polled while that flag is up never loads: an SSR response started by
/// one server while another server in the same process was being built would hang forever
/// (leptos issue 4773; seen as a rare hung request in the test suites, which start many servers
/// in one process). Built once, before any router exists, no render can overlap it.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub async fn router(state: AppState) -> Result<Router, String> {
    let sessions = sessions(&state).await?;
    spawn_workers(&state).await;
    let routes = route_list();
    let app = Router::new()
        .route("/healthz", get(health))
        .route("/sw.js", get(service_worker))
        .route("/events/orders", get(order_events))
        .route("/events/track/{token}", get(tracking_events))
        .route(
            "/login/link/{token}",
            get(crate::auth::link::link_page).post(crate::auth::link::link_sign_in),
        )
        .route(
            "/photos/{order_id}",
            get(crate::driver::photos::delivery_photo),
        )
        .route(
            "/media/products/{id}",
            get(crate::menu::media::product_photo),
        )
        .route("/media/logo", get(crate::settings::logo::serve))
        .merge(crate::storefront::handlers::router(state.clone()))
        .leptos_routes_with_context(&state, routes, || {}, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        });
    Ok(with_static_files(app, &state)
        // Photos travel inside driver updates (base64): room for one just over the 1.5 MB a
        // photo may be, so an oversized one gets its own message rather than a cut-off body.
        .layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::storefront::tracking::rate_limit_tracking,
        ))
        .layer(middleware::from_fn(page_redirects))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::headers::security_headers,
        ))
        .layer(middleware::from_fn(cross_origin_guard))
        .layer(middleware::from_fn(request_id::middleware))
        // Brotli (or gzip) for pages, JSON, CSS, JS and the wasm (release: 3.2 MB → 0.99 MB br,
        // 1.19 MB gzip); never for event streams. Quality 5: brotli's default (11) takes ~7 s
        // for the wasm; 5 takes 0.1 s and keeps most of the gain.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(5)),
        )
        .with_state(state))
}

/// Sessions in the database's `sessions` table (expired ones deleted hourly), with an
/// inactivity expiry that every request pushes forward.
async fn sessions(state: &AppState) -> Result<SessionManagerLayer<SqliteStore>, String> {
    let store = SqliteStore::new(state.pool.clone())
        .with_table_name("sessions")
        .map_err(|e| format!("session store: {e}"))?;
    store
        .migrate()
        .await
        .map_err(|e| format!("session table: {e}"))?;
    {
        use tower_sessions::ExpiredDeletion;
        let store = store.clone();
        tokio::spawn(async move {
            if let Err(e) = store
                .continuously_delete_expired(std::time::Duration::from_secs(3600))
                .await
            {
                tracing::warn!(error = %e, "expired-session cleanup stopped");
            }
        });
    }
    Ok(SessionManagerLayer::new(store)
        .with_name("hearth_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies)
        // Save on every request, so that activity pushes the inactivity expiry forward;
        // otherwise the idle timeout would count from the last change (the sign-in).
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::seconds(state.config.session_idle_secs),
        )))
}

/// The background workers: webhooks, email, alerts (mail, push, watch), standing orders,
/// loyalty points and the reports' day summaries.
async fn spawn_workers(state: &AppState) {
    crate::orders::notify::spawn_worker(state.clone());
    crate::orders::email::spawn_worker(state.clone());
    crate::alerts::mail::spawn_worker(state.clone());
    crate::alerts::push::spawn_worker(state.clone());
    crate::alerts::watch::start(state.clone()).await;
    crate::standing::ahead::spawn_worker(state.clone());
    crate::loyalty::store::spawn_worker(state.clone());
    crate::reports::store::days::spawn_worker(state.clone());
}

/// Static files, then the app's 404 page (which needs the state to know who is signed in).
/// The files are served by ServeDir itself, outside Leptos: leptos_axum's file handler copied
/// the ResponseOptions of a page rendering at the same moment, and Chromium once got
/// /pkg/hearth.js as a 302 to /login (the Location of a signed-out /driver fetched alongside),
/// which the service worker then cached as the script.
fn with_static_files(app: Router<AppState>, state: &AppState) -> Router<AppState> {
    app.fallback_service(
        // The release build's files are compressed ahead (brotli 11 and gzip, cargo-leptos
        // `--precompress`); otherwise CompressionLayer compresses them on the way out.
        tower_http::services::ServeDir::new(&state.config.site_root)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(axum::handler::Handler::with_state(
                leptos_axum::file_and_error_handler_with_context::<AppState, _>(
                    {
                        let state = state.clone();
                        move || leptos::prelude::provide_context(state.clone())
                    },
                    shell,
                ),
                state.clone(),
            )),
    )
}

/// `GET /healthz`: 200 when the database answers.
async fn health(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// `GET /events/orders`: server-sent events, one per order change, for signed-in staff and
/// owners. Boards refetch when one arrives, so every open board is current within a second.
/// The stream ends as soon as its session does (signed out, disabled, re-roled, expired): the
/// access is checked again before every event and every `ACCESS_CHECK_SECS` in between.
async fn order_events(State(state): State<AppState>, session: tower_sessions::Session) -> Response {
    use crate::auth::Role;
    use axum::response::sse::{Event, KeepAlive, Sse};
    let user = crate::auth::session::user_of_session(&session, &state.pool, &state.config).await;
    match user {
        Ok(Some(u)) if matches!(u.role, Role::Owner | Role::Staff) => {}
        Ok(Some(_)) => return (StatusCode::FORBIDDEN, "Not for this role.").into_response(),
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Sign in first.").into_response(),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
    let rx = state.events.subscribe();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(ACCESS_CHECK_SECS));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stream = futures::stream::unfold(
        (rx, tick, state, session),
        |(mut rx, mut tick, state, session)| async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                let data = tokio::select! {
                    got = rx.recv() => match got {
                        Ok(change) => Some(serde_json::to_string(&change).unwrap_or_default()),
                        // A slow client missed some: an empty event tells it to refetch everything.
                        Err(RecvError::Lagged(_)) => Some("{}".to_string()),
                        Err(RecvError::Closed) => return None,
                    },
                    _ = tick.tick() => None,
                };
                if !board_access(&state, &session).await.unwrap_or(false) {
                    tracing::info!("order event stream ended: its session no longer has access");
                    return None;
                }
                if let Some(data) = data {
                    let event = Event::default().event("order").data(data);
                    return Some((
                        Ok::<_, std::convert::Infallible>(event),
                        (rx, tick, state, session),
                    ));
                }
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// How often an open order stream re-checks its session when no event comes.
const ACCESS_CHECK_SECS: u64 = 5;

/// Whether `session` still belongs to an active owner or staff member. The session row is read
/// again from the store, so a sign-out elsewhere (which deletes it) counts at once.
async fn board_access(state: &AppState, session: &tower_sessions::Session) -> Result<bool, String> {
    use crate::auth::Role;
    let Some(id) = session.id() else {
        return Ok(false);
    };
    // Compared as the session store writes it (sqlx's encoding of an `OffsetDateTime`).
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sessions WHERE id = ? AND expiry_date > ?")
            .bind(id.to_string())
            .bind(tower_sessions::cookie::time::OffsetDateTime::now_utc())
            .fetch_optional(&state.pool)
            .await
            .map_err(|e| e.to_string())?;
    if stored.is_none() {
        return Ok(false);
    }
    let user = crate::auth::session::user_of_session(session, &state.pool, &state.config)
        .await
        .map_err(|e| e.to_string())?;
    Ok(user.is_some_and(|u| matches!(u.role, Role::Owner | Role::Staff)))
}

/// `GET /events/track/{token}`: server-sent events for one order's public tracker — a bare
/// "changed" signal for that order only (the page then refetches what it may show).
async fn tracking_events(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let valid = token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit());
    let id = if valid {
        sqlx::query_scalar::<_, i64>("SELECT id FROM orders WHERE tracking_token = ?")
            .bind(&token)
            .fetch_optional(&state.pool)
            .await
    } else {
        Ok(None)
    };
    let id = match id {
        Ok(Some(id)) => id,
        Ok(None) => {
            return (StatusCode::NOT_FOUND, "No order has this tracking token.").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "tracking events");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let rx = state.events.subscribe();
    let stream = futures::stream::unfold(rx, move |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(change) if change.order_id == id => break,
                Ok(_) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
        Some((
            Ok::<_, std::convert::Infallible>(Event::default().event("changed").data("{}")),
            rx,
        ))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Refuses unsafe (non-GET) requests that a browser made on behalf of another site, so a
/// malicious page can't post to server functions or forms with the user's cookie.
/// Browsers send `Sec-Fetch-Site`; older ones at least `Origin`. Requests with neither are
/// not from a browser page and carry no ambient authority worth forging.
pub fn is_cross_site(method: &Method, headers: &axum::http::HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
        return origin == "null" || !origin_host.eq_ignore_ascii_case(host);
    }
    false
}

/// Leptos' `<Redirect/>` during server rendering sets `Location` but leaves the status at 200;
/// browsers and crawlers need a real redirect. Server-function calls are left alone: their
/// client reads `Location` itself.
async fn page_redirects(req: Request, next: Next) -> Response {
    let is_page = !req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    if is_page && res.status() == StatusCode::OK && res.headers().contains_key(header::LOCATION) {
        *res.status_mut() = StatusCode::FOUND;
    }
    res
}

async fn cross_origin_guard(req: Request, next: Next) -> Response {
    // The storefront API authenticates with a bearer key, never a cookie: nothing to forge.
    let bearer_api = req.uri().path().starts_with("/api/v1/");
    if !bearer_api && is_cross_site(req.method(), req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    next.run(req).await
}

/// The service worker, stamped with the build of the client files it caches: a new client
/// means a new worker, which makes open pages offer a reload.
async fn service_worker(State(state): State<AppState>) -> Response {
    use super::static_files::href;
    use sha2::{Digest, Sha256};
    let root = &state.config.site_root;
    // The app's files by the names pages link them with (content-hashed), so the worker's
    // copies and the browser's match. The chunks of each page (the wasm is split per page)
    // are kept as pages load them, not all ahead: a driver's phone never downloads the
    // owner's planning map.
    let mut shell: Vec<String> = vec!["/driver".into()];
    shell.extend(
        [
            "/pkg/hearth.js",
            "/pkg/hearth_bg.wasm",
            "/pkg/hearth.wasm",
            "/pkg/hearth.css",
            "/pkg/__wasm_split.js",
        ]
        .iter()
        // `href` answers the plain path only when there is no such file.
        .filter_map(|p| {
            let h = href(root, p);
            (h != *p).then_some(h)
        }),
    );
    shell.dedup();
    for p in [
        "/vendor/leaflet/leaflet.js",
        "/vendor/leaflet/leaflet.css",
        "/manifest.webmanifest",
        "/icons/icon-192.png",
        "/favicon.svg",
    ] {
        shell.push(href(root, p));
    }
    // The build: every client file's name, size and time, read afresh (a new deployment
    // changes them; so does touching one, which is how the tests deploy).
    let mut stamp: Vec<String> = std::fs::read_dir(std::path::Path::new(root).join("pkg"))
        .map(|dir| {
            dir.flatten()
                .map(|e| {
                    let meta = e.metadata().ok();
                    format!(
                        "{}:{:?}:{:?}",
                        e.file_name().to_string_lossy(),
                        meta.as_ref().map(|m| m.len()),
                        meta.and_then(|m| m.modified().ok())
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    stamp.sort();
    let stamp = stamp.join(",");
    let build: String = Sha256::digest(format!("{stamp}|{}", shell.join(",")).as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect();
    let shell_json = serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into());
    let body = include_str!("assets/sw.js")
        .replace("__BUILD__", &build)
        .replace("\"__SHELL__\"", &shell_json);
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::is_cross_site;
    use axum::http::{HeaderMap, HeaderValue, Method};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_posts_are_refused_and_same_site_ones_pass() {
        let post = Method::POST;
        assert!(is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[("origin", "null"), ("host", "x")])
        ));
        assert!(!is_cross_site(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(!is_cross_site(&post, &headers(&[])));
    }
}
