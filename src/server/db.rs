//! The SQLite pool: WAL, foreign keys, a busy timeout, and `BEGIN IMMEDIATE` for writes.
use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// The log's length (pages) at which a commit copies it into the database file itself
/// (`wal_autocheckpoint`; SQLite's default is 1,000): a backstop, since `checkpoints` copies
/// it off the write path long before.
pub const BACKSTOP_PAGES: i64 = 10_000;

/// Opens (creating if missing) the database at `url` with production settings.
pub async fn connect(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let opts = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("wal_autocheckpoint", BACKSTOP_PAGES.to_string())
        // Temporary data in memory, above all a savepoint's record of the pages it changed
        // (each grouped write after the first runs in one, `group`): by default it went to a
        // temporary file past 64 KiB, about what one order changes, so most grouped orders
        // wrote their pages twice (~15 more file writes each). Sorts too large for the page
        // cache (the owner's reports over many orders) stay in memory too.
        .pragma("temp_store", "memory");
    if let Some(parent) = opts.get_filename().parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
    }
    SqlitePoolOptions::new()
        .max_connections(8)
        // No ping before each use: the database is a file in this process, with no server to
        // have hung up, and a ping is one more round trip to the connection's SQLite thread on
        // every acquire (a write takes its connection while holding the write turn).
        .test_before_acquire(false)
        .after_release(|conn, _| Box::pin(out_of_transactions(conn)))
        .connect_with(opts)
        .await
}

/// Whether a connection coming back to the pool may stay: only out of any transaction. sqlx
/// 0.8.6 checks that a custom BEGIN took with one more await after SQLite has run it; a caller
/// dropped there (a request whose client hung up, in `begin_write`) never gets its
/// `Transaction`, so nothing rolls back, and the connection came back to the pool inside the
/// transaction, holding SQLite's write lock: every later write failed "database is locked"
/// until the process ended. Such a connection is closed (SQLite rolls back on close). A
/// dropped `Transaction` queues its rollback on the connection's thread: one round trip waits
/// for it, and only when the connection says it is still in a transaction (no cost otherwise).
async fn out_of_transactions(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("a connection came back inside a transaction: closed");
        return Ok(false);
    }
    Ok(true)
}

/// Applies the embedded migrations (append-only files in `migrations/`).
pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// A write transaction holding this process's turn to write to its database file, on a
/// connection of the pool. Derefs to the connection, so queries take `&mut *tx`; dropping it
/// rolls back.
pub type WriteTx = WriteTxOn<'static>;

/// A write transaction holding the write turn, on a connection of the pool (`WriteTx`) or on
/// one the caller owns for `'c` (`begin_write_on`: the group writer's).
pub struct WriteTxOn<'c> {
    tx: Transaction<'c, Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
    _held: Held,
}

/// How long a write may keep the turn before it is worth a warning: the writers queued behind
/// it wait that long, and SQLite gives up on a lock after 10 s.
const LONG_HOLD: Duration = Duration::from_secs(2);

/// Warns (in the span of whoever let it go, e.g. the request) when a write transaction kept
/// this process's write turn for long: where the time went when writers report "database is
/// locked".
struct Held(std::time::Instant);

impl Drop for Held {
    fn drop(&mut self) {
        let held = self.0.elapsed();
        if held >= LONG_HOLD {
            tracing::warn!(
                held_ms = held.as_millis() as u64,
                "a write transaction kept the write turn for long"
            );
        }
    }
}

impl std::ops::Deref for WriteTxOn<'_> {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTxOn<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl<'c> WriteTxOn<'c> {
    /// `tx`, begun with the write `turn` held; how long it holds the turn counts from now.
    fn holding(tx: Transaction<'c, Sqlite>, turn: tokio::sync::OwnedMutexGuard<()>) -> Self {
        Self {
            tx,
            _turn: turn,
            _held: Held(std::time::Instant::now()),
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    /// Undoes it and waits until SQLite has (a preview that ran the writers); dropping it
    /// rolls back too, without waiting.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

/// One queue of writers per database file in this process. SQLite allows one writer at a
/// time anyway; queueing here (first come, first served) replaces its busy handler's sleep
/// and retry, which made the slowest writers wait hundreds of milliseconds under load.
pub(super) fn write_turns(pool: &SqlitePool) -> Arc<tokio::sync::Mutex<()>> {
    static TURNS: OnceLock<std::sync::Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> =
        OnceLock::new();
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut map = TURNS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    map.entry(file).or_default().clone()
}

/// Starts a write transaction that takes SQLite's write lock up front (`BEGIN IMMEDIATE`), so
/// a transaction that reads then writes cannot fail half-way with a busy snapshot.
pub async fn begin_write(pool: &SqlitePool) -> Result<WriteTx, sqlx::Error> {
    let turn = take_turn(pool).await;
    // A caller dropped inside this (a client that hung up) may leave the connection in the
    // transaction: see `out_of_transactions`, which the pool runs on every connection back.
    Ok(WriteTx::holding(
        pool.begin_with("BEGIN IMMEDIATE").await?,
        turn,
    ))
}

/// `begin_write` on `conn`, a connection to `pool`'s file that the caller owns (not the
/// pool's, so `out_of_transactions` does not watch it: a caller that is dropped inside this, or
/// whose transaction fails, closes the connection rather than use it again).
pub(super) async fn begin_write_on<'c>(
    pool: &SqlitePool,
    conn: &'c mut sqlx::SqliteConnection,
) -> Result<WriteTxOn<'c>, sqlx::Error> {
    use sqlx::Connection;
    let turn = take_turn(pool).await;
    Ok(WriteTxOn::holding(
        conn.begin_with("BEGIN IMMEDIATE").await?,
        turn,
    ))
}

/// Waits for this process's turn to write to `pool`'s file (first come, first served).
async fn take_turn(pool: &SqlitePool) -> tokio::sync::OwnedMutexGuard<()> {
    let asked = std::time::Instant::now();
    let turn = write_turns(pool).lock_owned().await;
    let waited = asked.elapsed();
    if waited >= LONG_HOLD {
        tracing::warn!(
            waited_ms = waited.as_millis() as u64,
            "waited long for the write turn"
        );
    }
    turn
}

/// A value bound to a statement of a `Batch`.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Int(Some(v.into()))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        Value::Text(v.map(str::to_string))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::Text(v)
    }
}

/// Writes whose results nobody reads in the same transaction (a history line, an outbox
/// row, an alert, an audit line), sent to the connection's SQLite thread as one message:
/// every statement is a round trip to that thread, and under the write lock each one holds up
/// every order queued behind it. Each module still writes its own statements; the caller of a
/// transaction runs them together. A failing statement fails the whole `run` (and so the
/// transaction), as it would alone.
#[derive(Debug, Default)]
pub struct Batch {
    sql: String,
    values: Vec<Value>,
}

impl Batch {
    /// Adds `sql` (one statement, its parameters written `?1`, `?2`, …) with their values.
    /// They are sent as plain `?` in the order they appear, a value repeated where its number
    /// is: numbered parameters would leave gaps in the later statements' numbering, which sqlx
    /// fills positionally (and stops binding when it runs out).
    pub fn push(&mut self, sql: &str, values: Vec<Value>) {
        let mut rest = sql;
        while let Some(at) = rest.find('?') {
            self.sql.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let n: usize = rest[..digits]
                .parse()
                .expect("a batch's parameters are numbered: ?1, ?2, …");
            let value = values
                .get(n.wrapping_sub(1))
                .unwrap_or_else(|| panic!("?{n} has no value in: {sql}"));
            self.values.push(value.clone());
            rest = &rest[digits..];
        }
        self.sql.push_str(rest);
        self.sql.push_str(";\n");
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.sql.is_empty()
    }

    /// Runs every statement added, in order, in one round trip.
    pub async fn run<'e>(self, ex: impl sqlx::SqliteExecutor<'e>) -> Result<(), sqlx::Error> {
        if self.is_empty() {
            return Ok(());
        }
        let mut q = sqlx::query::<Sqlite>(&self.sql);
        for v in self.values {
            q = match v {
                Value::Int(v) => q.bind(v),
                Value::Text(v) => q.bind(v),
            };
        }
        q.execute(ex).await?;
        Ok(())
    }
}

/// Rows a statement aggregated into one JSON array (`json_group_array(json_array(…))`), read
/// as tuples: several tables in one round trip to SQLite's thread.
pub fn json_rows<T: serde::de::DeserializeOwned>(
    json: &str,
) -> Result<Vec<T>, crate::error::AppError> {
    serde_json::from_str(json).map_err(|e| crate::error::AppError::internal("json rows", e))
}

/// A timestamp in the one format stored everywhere: UTC, RFC 3339, milliseconds, `Z`.
/// Matches SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ', ...)`, so text order is time order.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A `LIKE … ESCAPE '\'` pattern matching text that contains `q` literally (its `\`, `%`
/// and `_` escaped). The board, the customers list and the audit log search with it.
pub fn contains_pattern(q: &str) -> String {
    format!(
        "%{}%",
        q.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_batch_sends_each_statement_s_values_in_the_order_they_appear() {
        use super::Value::{Int, Text};
        let mut b = super::Batch::default();
        b.push(
            "INSERT INTO a VALUES (?1, ?2, ?1)",
            vec![1.into(), "x".into()],
        );
        b.push(
            "INSERT INTO b VALUES (?2, ?1)",
            vec![None::<i64>.into(), true.into()],
        );
        assert_eq!(
            b.sql,
            "INSERT INTO a VALUES (?, ?, ?);\nINSERT INTO b VALUES (?, ?);\n"
        );
        assert_eq!(
            b.values,
            [
                Int(Some(1)),
                Text(Some("x".into())),
                Int(Some(1)),
                Int(Some(1)),
                Int(None)
            ]
        );
    }

    #[test]
    fn a_search_matches_its_backslash_percent_and_underscore_literally() {
        assert_eq!(super::contains_pattern(r"a\b%c_d"), r"%a\\b\%c\_d%");
        assert_eq!(super::contains_pattern("Ana"), "%Ana%");
    }
}
