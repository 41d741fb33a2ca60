//! The SQLite pool: WAL, foreign keys, a busy timeout, and `BEGIN IMMEDIATE` for writes.
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// Opens (creating if missing) the database at `url` with production settings.
pub async fn connect(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let opts = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    if let Some(parent) = opts.get_filename().parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
    }
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(opts)
        .await
}

/// Applies the embedded migrations (append-only files in `migrations/`).
pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// Starts a write transaction that takes SQLite's write lock up front, so a transaction that
/// reads then writes cannot fail half-way with a busy snapshot.
pub async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// A timestamp in the one format stored everywhere: UTC, RFC 3339, milliseconds, `Z`.
/// Matches SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ', ...)`, so text order is time order.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// `timestamp` of now.
pub fn now() -> String {
    timestamp(chrono::Utc::now())
}

/// Writes a consistent copy of the live database to `dest` (`VACUUM INTO`): safe while the
/// server runs, since it reads one snapshot.
pub async fn backup(pool: &SqlitePool, dest: &std::path::Path) -> Result<(), sqlx::Error> {
    let dest = dest.to_string_lossy().to_string();
    sqlx::query("VACUUM INTO ?")
        .bind(dest)
        .execute(pool)
        .await?;
    Ok(())
}
