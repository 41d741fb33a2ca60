//! A write whose caller goes away (a browser that hung up mid-request drops the request's
//! future) must not leave SQLite's write lock behind: every later writer would wait its 10 s
//! busy timeout and fail with "database is locked", as the driver's replayed updates did once
//! in CI after an aborted request.
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};
use std::time::Duration;

use hearth::server::db;

/// Polls `fut` `polls` times, `pause` apart (SQLite's thread works meanwhile), then drops it.
fn poll_then_drop<F: Future>(fut: F, polls: usize, pause: Duration) -> bool {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..polls {
        if fut.as_mut().poll(&mut cx).is_ready() {
            return true;
        }
        std::thread::sleep(pause);
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_dropped_at_any_point_leaves_no_lock_behind() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cancel.db", dir.path().display());
    let pool = db::connect(&url).await.unwrap();
    sqlx::query("CREATE TABLE scratch (n INTEGER PRIMARY KEY)")
        .execute(&pool)
        .await
        .unwrap();

    // Drop writes after 1..6 polls, 0–400 µs apart: before the turn, while the connection is
    // taken, between BEGIN and its acknowledgement, after it, mid-insert, mid-commit.
    let mut finished = 0;
    for i in 0..400u64 {
        let pool2 = pool.clone();
        let write = async move {
            let mut tx = db::begin_write(&pool2).await.unwrap();
            sqlx::query("INSERT INTO scratch (n) VALUES (?)")
                .bind(i as i64)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        };
        let polls = 1 + (i % 6) as usize;
        let pause = Duration::from_micros((i * 37) % 400);
        let done = tokio::task::spawn_blocking(move || poll_then_drop(write, polls, pause))
            .await
            .unwrap();
        finished += usize::from(done);
        // Each connection left in the pool must be out of any transaction: another process
        // (a connection of its own, a short busy timeout) can take the write lock at once.
        let other = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dir.path().join("cancel.db"))
            .busy_timeout(Duration::from_millis(1500));
        let mut other = sqlx::ConnectOptions::connect(&other).await.unwrap();
        let took = sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await;
        assert!(
            took.is_ok(),
            "write {i} (dropped after {polls} polls, {pause:?} apart) left the lock held: {took:?}"
        );
        sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    }
    // The loop did reach the end of some writes, so the drops fell all along the way.
    assert!(finished > 0 && finished < 400, "{finished} writes finished");
    // And the pool still writes.
    let mut tx = db::begin_write(&pool).await.unwrap();
    sqlx::query("INSERT INTO scratch (n) VALUES (-1)")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}
