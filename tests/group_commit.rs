//! Group commit (`server::group`): writes queued together share one transaction, a failed or
//! panicking write is undone alone, and nobody is answered before the commit.
use hearth::error::AppError;
use hearth::server::{db, group};
use sqlx::SqlitePool;

/// A database file of its own with a table `scratch` of `columns`.
async fn scratch(columns: &str) -> (tempfile::TempDir, SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::connect(&format!("sqlite://{}/group.db", dir.path().display()))
        .await
        .unwrap();
    sqlx::query(&format!("CREATE TABLE scratch ({columns})"))
        .execute(&pool)
        .await
        .unwrap();
    (dir, pool)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_queued_together_share_a_commit_and_fail_alone() {
    let (_dir, pool) = scratch("n INTEGER PRIMARY KEY, in_tx INTEGER, committed INTEGER").await;

    // Write 0 holds its group for a while, so the other 40 queue behind it. Each write
    // inserts a row saying how many rows it sees in its transaction and how many another
    // connection sees committed; every third one then fails, and write 20 panics.
    let writes = (0..41i64).map(|n| {
        let pool = pool.clone();
        tokio::spawn(async move {
            if n > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            let reader = pool.clone();
            let answer = group::write(&pool, move |conn, opening| {
                Box::pin(async move {
                    if n == 0 {
                        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                    }
                    // Refused before writing anything (and before sending its opening): the
                    // write before it must not be undone with it.
                    if n % 7 == 3 {
                        return Err(AppError::Conflict(format!("write {n} refused")));
                    }
                    let count = "SELECT COUNT(*) FROM scratch";
                    // Half the writes send the group's opening with their first statement,
                    // half alone.
                    let in_tx: i64 = if n % 2 == 0 {
                        let sql = opening.before(count);
                        let in_tx = sqlx::query_scalar(&sql).fetch_one(&mut *conn).await;
                        opening.sent(&in_tx);
                        in_tx?
                    } else {
                        opening.run(&mut *conn).await?;
                        sqlx::query_scalar(count).fetch_one(&mut *conn).await?
                    };
                    let committed: i64 = sqlx::query_scalar(count).fetch_one(&reader).await?;
                    sqlx::query("INSERT INTO scratch VALUES (?, ?, ?)")
                        .bind(n)
                        .bind(in_tx)
                        .bind(committed)
                        .execute(&mut *conn)
                        .await?;
                    if n == 20 {
                        panic!("write 20 breaks");
                    }
                    if n % 3 == 1 {
                        return Err(AppError::Conflict(format!("write {n} refused")));
                    }
                    Ok::<_, AppError>(n)
                })
            })
            .await;
            // Answered after the commit: another connection already sees a kept write's row.
            if answer.is_ok() {
                let seen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scratch WHERE n = ?")
                    .bind(n)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                assert_eq!(seen, 1, "write {n} answered before its commit");
            }
            answer
        })
    });
    let answers = futures::future::join_all(writes).await;

    let mut kept = Vec::new();
    for (n, answer) in answers.into_iter().enumerate() {
        let n = n as i64;
        match answer.unwrap() {
            Ok(v) => {
                assert_eq!(v, n);
                assert!(
                    n % 3 != 1 && n % 7 != 3 && n != 20,
                    "write {n} should have failed"
                );
                kept.push(n);
            }
            Err(AppError::Conflict(m)) => assert_eq!(m, format!("write {n} refused")),
            Err(AppError::Internal { .. }) => assert_eq!(n, 20, "only the panic is internal"),
            Err(e) => panic!("write {n}: {e:?}"),
        }
    }
    let rows: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT n, in_tx, committed FROM scratch ORDER BY n")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        kept,
        "only the kept writes stay"
    );
    // Grouped: a write saw rows of the writes before it in its transaction that were not yet
    // committed (alone, each would have seen exactly what was committed).
    assert!(
        rows.iter()
            .any(|&(_, in_tx, committed)| in_tx > committed + 5),
        "no write shared a transaction: {rows:?}"
    );
    // A failed write's row is gone for the writes after it too.
    let max_seen = rows.iter().map(|r| r.1).max().unwrap();
    assert!(
        max_seen < kept.len() as i64,
        "{max_seen} rows seen, {} kept",
        kept.len()
    );
}

/// A write whose first statement fails with the group's opening leaves it unknown how much of
/// the opening ran: its group fails as a whole (answered as a failed commit), and nothing of it
/// is kept; the group before it is not touched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_opening_fails_its_group_only() {
    let (_dir, pool) = scratch("n INTEGER PRIMARY KEY").await;
    // Write 0 holds its group until the other three have been sent, so that they make the
    // next group together.
    let queued = std::sync::Arc::new(tokio::sync::Semaphore::new(0));
    let writes = (0..4i64).map(|n| {
        let pool = pool.clone();
        let queued = queued.clone();
        tokio::spawn(async move {
            if n > 0 {
                // In order, 1 first: a group's first write has no opening to lose.
                tokio::time::sleep(std::time::Duration::from_millis(20 * n as u64)).await;
                queued.add_permits(1);
            }
            group::write(&pool, move |conn, opening| {
                Box::pin(async move {
                    if n == 0 {
                        let _ = queued.acquire_many(3).await.unwrap();
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                    let first = if n == 2 {
                        "SELECT nothing FROM nowhere"
                    } else {
                        "SELECT 1"
                    };
                    let sql = opening.before(first);
                    let ran = sqlx::query(&sql).execute(&mut *conn).await;
                    opening.sent(&ran);
                    ran?;
                    sqlx::query("INSERT INTO scratch VALUES (?)")
                        .bind(n)
                        .execute(&mut *conn)
                        .await?;
                    Ok::<_, AppError>(n)
                })
            })
            .await
        })
    });
    let answers: Vec<_> = futures::future::join_all(writes)
        .await
        .into_iter()
        .map(|a| a.unwrap())
        .collect();
    assert!(matches!(answers[0], Ok(0)), "{:?}", answers[0]);
    for (n, answer) in answers.iter().enumerate().skip(1) {
        assert!(
            matches!(answer, Err(AppError::Internal { .. })),
            "write {n}: {answer:?}"
        );
    }
    let rows: Vec<i64> = sqlx::query_scalar("SELECT n FROM scratch ORDER BY n")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(rows, vec![0]);
}

/// The groups are written on the writer's own connection, from a thread pinned to one core with
/// SQLite's thread for that connection (when the process may use several cores); a file put
/// in place of the one it wrote to (a restore; the pool that wrote before dropped) is the one
/// written to next, and the file moved aside is not touched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_writer_is_pinned_and_follows_the_file_at_its_path() {
    let (dir, pool) = scratch("n INTEGER").await;
    insert(&pool, 1).await;

    let cores = allowed_cpus("/proc/self/status");
    let writer = threads_named("hearth-writer");
    let sqlite = threads_named("writer-sqlite");
    // (The other tests' writers may be alive too: a writer ends after 5 s without a write.)
    assert!(!writer.is_empty(), "no writer thread");
    assert!(
        !sqlite.is_empty(),
        "no SQLite thread for the writer's connection"
    );
    for task in writer.iter().chain(&sqlite) {
        let pinned = allowed_cpus(&format!("{task}/status"));
        if cores.len() > 1 {
            assert_eq!(pinned, vec![*cores.last().unwrap()], "{task} not pinned");
        } else {
            assert_eq!(pinned, cores, "{task}");
        }
    }

    // Another database put at the same path, as a restore does.
    drop(pool);
    let path = dir.path().join("group.db");
    for ext in ["", "-wal", "-shm"] {
        let from = format!("{}{ext}", path.display());
        if std::path::Path::new(&from).exists() {
            std::fs::rename(&from, format!("{}.old{ext}", path.display())).unwrap();
        }
    }
    let pool = db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("CREATE TABLE scratch (n INTEGER)")
        .execute(&pool)
        .await
        .unwrap();
    insert(&pool, 2).await;
    assert_eq!(rows(&pool).await, vec![2]);
    // Closing the connection to the file moved aside did not take the new file's log with it.
    assert!(std::path::Path::new(&format!("{}-wal", path.display())).exists());
    let old = db::connect(&format!("sqlite://{}.old", path.display()))
        .await
        .unwrap();
    assert_eq!(rows(&old).await, vec![1]);
}

async fn insert(pool: &SqlitePool, n: i64) {
    group::write(pool, move |conn, opening| {
        Box::pin(async move {
            opening.run(&mut *conn).await?;
            sqlx::query("INSERT INTO scratch VALUES (?)")
                .bind(n)
                .execute(&mut *conn)
                .await?;
            Ok::<_, AppError>(())
        })
    })
    .await
    .unwrap();
}

async fn rows(pool: &SqlitePool) -> Vec<i64> {
    sqlx::query_scalar("SELECT n FROM scratch ORDER BY n")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// This process's threads (`/proc/self/task/<id>`) named `name`.
fn threads_named(name: &str) -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .map(|t| t.unwrap().path().display().to_string())
        .filter(|t| std::fs::read_to_string(format!("{t}/comm")).is_ok_and(|c| c.trim() == name))
        .collect()
}

/// The CPUs a `/proc/.../status` file says its thread may run on (`Cpus_allowed_list`, e.g.
/// "0-3,6").
fn allowed_cpus(status: &str) -> Vec<usize> {
    let status = std::fs::read_to_string(status).unwrap();
    let list = status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .unwrap()
        .trim();
    list.split(',')
        .flat_map(|part| match part.split_once('-') {
            Some((a, b)) => a.parse().unwrap()..=b.parse().unwrap(),
            None => part.parse().unwrap()..=part.parse().unwrap(),
        })
        .collect()
}
