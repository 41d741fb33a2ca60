//! The alert that comes with the calendar rather than with a change: lots in stock near their
//! best-before. Looks when the server starts and every quarter of an hour after; the once-key
//! of each alert (lot and date) keeps a second look from raising it again. The bell's own
//! 30-second refresh shows what it raised.
use std::time::Duration;

use crate::error::AppError;
use crate::server::state::AppState;

/// How often the watcher looks.
const EVERY: Duration = Duration::from_secs(15 * 60);

/// One look, in one write transaction; returns how many alerts were new.
pub async fn look(state: &AppState) -> Result<usize, AppError> {
    let mut tx = crate::server::db::begin_write(&state.pool).await?;
    let raised = super::store::raise_best_before(&mut tx, state.config.today()).await?;
    tx.commit().await?;
    if raised > 0 {
        tracing::info!(raised, "best-before alerts");
    }
    Ok(raised)
}

/// Looks once now (so what is due is in the bell before the first page is served), then
/// every quarter of an hour in the background.
pub async fn start(state: AppState) {
    if let Err(e) = look(&state).await {
        tracing::error!(error = %e, "best-before watcher");
    }
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(EVERY).await;
            if let Err(e) = look(&state).await {
                tracing::error!(error = %e, "best-before watcher");
            }
        }
    });
}
