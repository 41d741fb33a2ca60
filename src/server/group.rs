//! Group commit: writes that queue up while one is being written share the next SQLite
//! transaction (each after the first in a savepoint of its own), and each is answered only
//! after that transaction's commit — nothing is acknowledged before it is in the database file (WAL; the same
//! durability as a transaction of its own).
//!
//! Under load an order spent more time on its own `BEGIN IMMEDIATE` and `COMMIT` (two round
//! trips to SQLite's thread, and the commit writing every page it touched to the WAL) than on
//! its rows; in a group those are paid once, and the pages orders share (the day's counters,
//! the tables' last pages, their indexes) are written once.
//!
//! A write that fails (a refusal, an error, a panic) is undone alone and the others go on. A
//! write runs to its end even if its caller stops waiting (a client that hung up): its
//! Idempotency-Key, or a phone form's key, gives the retry the same order back.
//! The group takes this process's write turn (`db::begin_write_on`) like any writer, so
//! writers that do not group still take their turns between groups. The groups of a file are
//! written by one thread, pinned to one core with SQLite's thread for its own connection
//! (`own_thread`). A write's work runs there: it must not spawn tasks that outlive it.
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use futures::future::BoxFuture;
use futures::FutureExt;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::error::AppError;
use crate::server::db;

/// The most writes one transaction takes: a bound on what one failed commit can take with it
/// and on how long the writers that do not group wait for their turn.
const MOST: usize = 64;

/// What a write hands back once it ran: whether to keep it, and how to answer its caller
/// once the group's commit is known.
type Ran = (bool, Box<dyn FnOnce(Result<(), String>) + Send>);

/// A write's work, run with the group's connection and its opening.
type Work =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection, &'c mut Opening) -> BoxFuture<'c, Ran> + Send>;

/// What the group has to say before a write writes anything: its savepoint (each write after
/// the first kept runs in one), and whatever the write before it left to say (its release or
/// undoing). A write sends it with its first statement (`before`, then `sent`), or alone
/// (`run`): one round trip fewer per write than the group saying it on its own.
pub struct Opening {
    sql: String,
    sent: Sent,
}

/// Where a write's opening stands.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sent {
    /// Not sent: the write has written nothing, and what the opening says is still to say.
    No,
    /// Sent and run, before anything the write wrote.
    Yes,
    /// Sent with a statement that failed, or never said how it went: how much of it ran is
    /// not known, so the group can neither undo the write alone nor go on (the whole group
    /// fails, answered as a failed commit).
    Lost,
}

impl Opening {
    fn new(sql: String) -> Self {
        // Nothing to say (the group's first write): anything the write does is its own.
        let sent = if sql.is_empty() { Sent::Yes } else { Sent::No };
        Self { sql, sent }
    }

    /// The SQL text to run as the write's first statement: the opening, then `first` (one
    /// statement; SQLite runs them in order). `first` alone when the opening was sent. Say
    /// how it went with `sent`.
    pub fn before(&mut self, first: &str) -> String {
        if self.sent != Sent::No {
            return first.to_string();
        }
        self.sent = Sent::Lost;
        format!("{}{first}", self.sql)
    }

    /// How the statement from `before` went: `Ok`, the opening ran.
    pub fn sent<T, E>(&mut self, outcome: &Result<T, E>) {
        if self.sent == Sent::Lost && outcome.is_ok() {
            self.sent = Sent::Yes;
        }
    }

    /// Sends the opening alone, if it was not sent: for a write whose first statement cannot
    /// carry it.
    pub async fn run(&mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        if self.sent != Sent::No {
            return Ok(());
        }
        let outcome = sqlx::query(&self.before(""))
            .execute(conn)
            .await
            .map(|_| ());
        self.sent(&outcome);
        outcome
    }
}

/// A write waiting for its group, with the pool it came with.
struct Job {
    pool: SqlitePool,
    run: Work,
}

/// Runs `work` in the next group's transaction and returns its result once that transaction
/// is committed. `work` sends its `Opening` before it writes anything (with its first
/// statement, or alone). `Err` from `work` undoes its writes (and only its writes) and is
/// returned as it was; a failed commit is an internal error for every write of the group. The
/// request's context (its id, client address and reader's language) goes with the work.
pub async fn write<T, E, F>(pool: &SqlitePool, work: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<AppError> + Send + 'static,
    F: for<'c> FnOnce(&'c mut SqliteConnection, &'c mut Opening) -> BoxFuture<'c, Result<T, E>>
        + Send
        + 'static,
{
    let (answer, answered) = oneshot::channel::<Result<T, E>>();
    let lang = crate::i18n::reader();
    let job = Job {
        pool: pool.clone(),
        run: Box::new(move |conn, opening| {
            let work = async move {
                let result = work(conn, opening).await;
                let ran: Ran = (
                    result.is_ok(),
                    Box::new(move |committed| {
                        let _ = answer.send(match committed {
                            Ok(()) => result,
                            Err(e) => Err(AppError::internal("group commit", e).into()),
                        });
                    }),
                );
                ran
            };
            crate::server::request_id::carried(crate::i18n::reading(lang, work)).boxed()
        }),
    };
    send(pool, job);
    answered.await.unwrap_or_else(|_| {
        Err(AppError::internal("group commit", "the write stopped before its answer").into())
    })
}

/// The writers' queues, one per database file. Jobs are sent with the map held, so a writer
/// that finds its queue empty with the map held can end (`idle`).
fn queues() -> std::sync::MutexGuard<'static, HashMap<PathBuf, mpsc::UnboundedSender<Job>>> {
    static QUEUES: OnceLock<Mutex<HashMap<PathBuf, mpsc::UnboundedSender<Job>>>> = OnceLock::new();
    QUEUES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Queues `job` for its database file's writer, starting one when there is none (the first
/// write, or the last writer ended after `IDLE`).
fn send(pool: &SqlitePool, job: Job) {
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut queues = queues();
    let job = match queues.get(&file) {
        Some(queue) => match queue.send(job) {
            Ok(()) => return,
            Err(mpsc::error::SendError(job)) => job,
        },
        None => job,
    };
    let (queue, jobs) = mpsc::unbounded_channel();
    let writer = {
        let file = file.clone();
        std::thread::Builder::new()
            .name("hearth-writer".into())
            .spawn(move || own_thread(file, jobs))
    };
    if let Err(e) = writer {
        // The job is dropped: its caller hears that the write stopped before its answer.
        tracing::error!(error = %e, "cannot start the group writer's thread");
        return;
    }
    // The receiver is alive until the writer finds its queue empty with `queues` held.
    let _ = queue.send(job);
    queues.insert(file, queue);
}

/// How long a writer waits for a job before it ends (and closes its connection): a file that
/// is no longer written to (a test's, a restored database's old one) is not held open.
const IDLE: std::time::Duration = std::time::Duration::from_secs(5);

/// The writer's thread: pinned to one core (the last this process may use) when there are
/// several, with a runtime of its own. Its connection's SQLite thread, which sqlx starts from
/// here, is pinned with it (Linux threads start with their parent's affinity): the five round
/// trips an order makes to SQLite under the write turn cost ~5 us each on one core instead of
/// ~44 us across two (`BENCHMARKS.md`, issue 17), and the turn is what the intake's rate is.
fn own_thread(file: PathBuf, jobs: mpsc::UnboundedReceiver<Job>) {
    let cores = core_affinity::get_core_ids().unwrap_or_default();
    if let (true, Some(last)) = (cores.len() > 1, cores.last()) {
        if !core_affinity::set_for_current(*last) {
            tracing::warn!("the group writer could not be pinned to one core");
        }
    }
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(writer(file, jobs)),
        Err(e) => tracing::error!(error = %e, "cannot start the group writer's runtime"),
    }
}

/// Writes the queued jobs, a group at a time: all that are waiting when the last group's
/// commit is done, up to `MOST`. Ends after `IDLE` without a job.
async fn writer(file: PathBuf, mut jobs: mpsc::UnboundedReceiver<Job>) {
    let mut own = Own::default();
    let mut group = Vec::with_capacity(MOST);
    loop {
        match tokio::time::timeout(IDLE, jobs.recv_many(&mut group, MOST)).await {
            Ok(0) => break,
            Ok(_) => {}
            Err(_) if idle(&file, &mut jobs, &mut group) => break,
            Err(_) => {}
        }
        // Every job here writes to this queue's file; a test may have closed the pool an
        // earlier job came with and opened the file again.
        let pool = group
            .iter()
            .map(|j| &j.pool)
            .find(|p| !p.is_closed())
            .unwrap_or(&group[0].pool)
            .clone();
        let conn = own.for_pool(&pool).await;
        let committed = write_group(&pool, group.drain(..).map(|j| j.run).collect(), conn).await;
        if !committed {
            own.close().await;
        }
    }
    own.close().await;
}

/// Whether the writer of `file` may end: its queue is empty while no one can send to it
/// (`queues` held), and then no one will (its queue is taken out). Otherwise the job that came
/// is in `group`.
fn idle(file: &Path, jobs: &mut mpsc::UnboundedReceiver<Job>, group: &mut Vec<Job>) -> bool {
    let mut queues = queues();
    match jobs.try_recv() {
        Ok(job) => {
            group.push(job);
            false
        }
        Err(_) => {
            queues.remove(file);
            true
        }
    }
}

/// The writer's own connection, opened from its thread with the options of the pool it is
/// for (the same file and settings), out of any transaction between groups.
#[derive(Default)]
struct Own(Option<(SqliteConnection, Arc<SqliteConnectOptions>)>);

impl Own {
    /// The connection for a group of `pool`'s, opened if needed; `None` (the group takes one
    /// of the pool's) when it cannot be opened or `pool` is closed (its writes fail as
    /// before). A connection made for another pool is closed first: a test, or a restore,
    /// may have put another file at the same path.
    async fn for_pool(&mut self, pool: &SqlitePool) -> Option<&mut SqliteConnection> {
        let options = pool.connect_options();
        if pool.is_closed() {
            self.close().await;
            return None;
        }
        if !matches!(&self.0, Some((_, made)) if Arc::ptr_eq(made, &options)) {
            self.close().await;
        }
        if self.0.is_none() {
            // Named, so that `perf --per-thread` (and the tests) tell it from the pool's.
            let named = (*options).clone().thread_name(|_| "writer-sqlite".into());
            match named.connect().await {
                Ok(conn) => self.0 = Some((conn, options)),
                Err(e) => {
                    tracing::warn!(error = %e, "the group writer could not open its connection");
                    return None;
                }
            }
        }
        self.0.as_mut().map(|(conn, _)| conn)
    }

    /// Closes the connection (after a group that failed: it may be inside its transaction).
    async fn close(&mut self) {
        if let Some((conn, _)) = self.0.take() {
            let _ = conn.close().await;
        }
    }
}

/// One transaction for `group`, then the answers. The first write kept needs no savepoint
/// (one write alone is a plain transaction); each after it runs in one, released when kept and
/// undone when not. A first write that fails undoes the transaction so far (nothing else is in
/// it) and the next starts it again. What the group has to say goes with the next write's
/// first statement (its `Opening`), or alone before the commit.
/// On `own` when there is one (the writer's connection), else on one of `pool`'s. Whether it
/// committed.
async fn write_group(
    pool: &SqlitePool,
    group: Vec<Work>,
    own: Option<&mut SqliteConnection>,
) -> bool {
    let mut answers = Vec::with_capacity(group.len());
    let started = std::time::Instant::now();
    let mut committing = started;
    let outcome = async {
        let mut tx = match own {
            Some(conn) => db::begin_write_on(pool, conn).await?,
            None => db::begin_write(pool).await?,
        };
        let mut kept_any = false;
        let mut say = String::new();
        for job in group {
            let savepoint = if kept_any { "SAVEPOINT job;" } else { "" };
            let mut opening = Opening::new(format!("{say}{savepoint}"));
            let kept = match AssertUnwindSafe(job(&mut tx, &mut opening))
                .catch_unwind()
                .await
            {
                Ok((kept, answer)) => {
                    answers.push(answer);
                    kept
                }
                // A panic: its caller hears that the write stopped; the others go on.
                Err(_) => false,
            };
            match opening.sent {
                // It wrote nothing: nothing to keep or undo, and `say` is still to be said.
                Sent::No => continue,
                Sent::Yes => say.clear(),
                Sent::Lost => {
                    return Err(sqlx::Error::Protocol(
                        "a write's first statement failed with the group's savepoint".into(),
                    ))
                }
            }
            say.push_str(match (kept, kept_any) {
                (true, true) => "RELEASE job;",
                (false, true) => "ROLLBACK TO job; RELEASE job;",
                (true, false) => "",
                (false, false) => "ROLLBACK; BEGIN IMMEDIATE;",
            });
            kept_any |= kept;
        }
        // What the last writes left to say, alone.
        Opening::new(say).run(&mut tx).await?;
        committing = std::time::Instant::now();
        tx.commit().await
    }
    .await
    .map_err(|e: sqlx::Error| {
        tracing::error!(error = %e, writes = answers.len(), "a group of writes failed");
        e.to_string()
    });
    // How long the group took until its commit (its turn, then its writes), and the commit (a
    // commit that checkpoints the log into the database file takes 6–14 ms instead of ~0.3).
    tracing::debug!(
        target: "hearth::group",
        writes = answers.len() as u64,
        held_us = committing.duration_since(started).as_micros() as u64,
        commit_us = committing.elapsed().as_micros() as u64,
        "group committed"
    );
    let committed = outcome.is_ok();
    for answer in answers {
        answer(outcome.clone());
    }
    committed
}
