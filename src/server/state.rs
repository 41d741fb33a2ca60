//! What every handler and server function can reach: the pool and the configuration.
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;

use super::config::Config;

/// Shared application state, provided to server functions through Leptos context.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: SqlitePool,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
}
