//! Checkpoints off the write path. In WAL mode SQLite appends every commit to the log and
//! copies the log into the database file ("checkpoints") in the commit that finds it over
//! `wal_autocheckpoint` pages: that commit then syncs both files and takes 6–14 ms instead of
//! ~0.3, and every write queued behind it waits as long (measured under the storefront's
//! load, BENCHMARKS.md, issue 17).
//!
//! Here a task of the server's copies the log every `EVERY` without the write turn (a
//! PASSIVE checkpoint takes no lock: writers go on appending meanwhile). Once the log is over
//! `RESTART_PAGES` long, it copies what was appended during that copy while holding this
//! process's write turn (`db::write_turns`), so that the log is copied to its end when the
//! next writer begins, and SQLite starts it again from the top. Without that second step the
//! log never ends copied while writers keep coming, grows to the backstop, and the commit
//! that reaches it copies it all: a previous version, measured and not kept, did just that.
//! Commits keep SQLite's own checkpoint as a backstop at `db::BACKSTOP_PAGES` (a process
//! without this task: a test's pool, or a reader holding old pages for long).
//!
//! Durability is SQLite's, unchanged: a commit is acknowledged once it is in the log, and each
//! copy first syncs the log, as a commit's own checkpoint did; the log is now synced every
//! `EVERY` under writes instead of every 1,000 pages.
use std::time::{Duration, Instant};

use sqlx::SqlitePool;

/// How often the log is copied.
const EVERY: Duration = Duration::from_millis(50);

/// The log's length (pages) from which the rest is copied under the write turn, so that the
/// next writer starts the log again: SQLite's default checkpoint length.
const RESTART_PAGES: i64 = 1_000;

/// Starts copying `pool`'s log in the background, until the pool is closed.
pub fn start(pool: &SqlitePool) {
    tokio::spawn(run(pool.clone()));
}

async fn run(pool: SqlitePool) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if pool.is_closed() {
            return;
        }
        if let Err(e) = step(&pool).await {
            tracing::debug!(target: "hearth::checkpoints", error = %e, "a checkpoint failed");
        }
    }
}

/// One copy of the log without the write turn and, when the log is long, the rest with it.
async fn step(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let log = passive(pool).await?;
    if log >= RESTART_PAGES {
        let asked = Instant::now();
        let _turn = super::db::write_turns(pool).lock_owned().await;
        let turn = Instant::now();
        let copied = passive(pool).await;
        tracing::debug!(
            target: "hearth::checkpoints",
            log,
            waited_us = turn.duration_since(asked).as_micros() as u64,
            held_us = turn.elapsed().as_micros() as u64,
            ok = copied.is_ok(),
            "the log copied to its end under the write turn"
        );
        copied?;
    }
    Ok(())
}

/// `PRAGMA wal_checkpoint(PASSIVE)`: copies what no reader still needs; returns the log's
/// length in pages.
async fn passive(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    let (_busy, log, _copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(pool)
        .await?;
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Commits one after another, each with a row over a page long, until `pages` pages of log
    /// were written; returns the longest the log's file was meanwhile (bytes).
    async fn write(pool: &SqlitePool, wal: &std::path::Path, pages: usize) -> u64 {
        let mut longest = 0;
        for _ in 0..pages / 2 {
            let mut tx = crate::server::db::begin_write(pool).await.unwrap();
            sqlx::query("INSERT INTO t (b) VALUES (randomblob(4000))")
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            longest = longest.max(std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0));
        }
        longest
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_log_starts_again_from_the_top_while_writers_keep_coming() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.db");
        let url = format!("sqlite://{}", file.display());
        let pool = crate::server::db::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)")
            .execute(&pool)
            .await
            .unwrap();
        start(&pool);
        // 6,000 commits with no pause between them, two pages of log or more each (the row's,
        // the table's): the log is never copied to its end between two of them unless the task
        // holds the turn; without that step it grows to the backstop (10,001 pages). With it,
        // the log stays near `RESTART_PAGES` plus what is written between two of the task's
        // turns: up to 4,858 pages seen when the task was starved (the tests in parallel on
        // two cores), hence the bound of six times.
        let longest = write(&pool, &file.with_extension("db-wal"), 12_000).await;
        let frame = 4_096 + 24;
        assert!(
            longest < 6 * RESTART_PAGES as u64 * frame,
            "the log grew to {} pages",
            longest / frame
        );
        pool.close().await;
    }
}
