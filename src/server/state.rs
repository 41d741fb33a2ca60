//! What every handler and server function can reach: the pool and the configuration.
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;

use super::config::Config;

/// Per-address limiter of the public tracking endpoints.
pub type TrackerLimiter = governor::DefaultKeyedRateLimiter<std::net::IpAddr>;

/// Shared application state, provided to server functions through Leptos context.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: SqlitePool,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub tracker_limiter: Arc<TrackerLimiter>,
    /// Order changes, fanned out to every open board (server-sent events).
    pub events: tokio::sync::broadcast::Sender<crate::orders::model::OrderChange>,
}
