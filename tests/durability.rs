//! Kill -9 the real server while orders stream in: every order whose 201 arrived is still
//! there after a restart, and SQLite's integrity check passes. And what a write transaction
//! keeps to undo part of itself stays in memory.
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(db: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("serve")
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("HEARTH_LOG", "warn")
        .env_remove("HEARTH_ENV")
        .env_remove("HEARTH_DEMO")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start hearth")
}

async fn wait_ready(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if reqwest::get(format!("{base}/healthz"))
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not start");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_intake_loses_no_acknowledged_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let hearth = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(args)
            .env("DATABASE_URL", format!("sqlite://{}", db.display()))
            .env("HEARTH_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    hearth(&["demo"]);
    let key = hearth(&["api-key", "create", "--name", "load"])
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    // Plenty of capacity, so every valid order is accepted.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE districts SET capacity_per_day = 100000, served_weekdays = 127")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE products SET daily_capacity = 100000")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&db, port);
    wait_ready(&base).await;

    let date = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<i64>::new()));
    let stop = Instant::now() + Duration::from_millis(1500);
    let mut workers = Vec::new();
    for w in 0..8 {
        let (acked, key, base, date) = (acked.clone(), key.clone(), base.clone(), date.clone());
        workers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut i = 0;
            // Keep sending past the kill; requests then fail, which is fine.
            while Instant::now() < stop + Duration::from_millis(500) {
                i += 1;
                let body = serde_json::json!({
                    "customer": {"name": "Load Test", "phone": format!("6{w}{i:07}")},
                    "fulfilment": {"type": "delivery", "address": "Calle Mayor 1", "lat": 40.4170, "lng": -3.7040, "date": date},
                    "items": [{"sku": "BRD-SOUR", "quantity": 2}],
                    "payment": {"method": "prepaid"}
                });
                let res = http
                    .post(format!("{base}/api/v1/orders"))
                    .bearer_auth(&key)
                    .header("Idempotency-Key", format!("w{w}-{i}"))
                    .json(&body)
                    .timeout(Duration::from_secs(5))
                    .send()
                    .await;
                if let Ok(res) = res {
                    if res.status() == 201 {
                        if let Ok(v) = res.json::<serde_json::Value>().await {
                            acked.lock().unwrap().push(v["order_number"].as_i64().unwrap());
                        }
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix.
    server.wait().unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 20,
        "the load produced only {} orders",
        acked.len()
    );

    let mut server = start(&db, port);
    wait_ready(&base).await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let mut missing = Vec::new();
    for n in &acked {
        let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE number = ?")
            .bind(n)
            .fetch_one(&pool)
            .await
            .unwrap();
        if found != 1 {
            missing.push(*n);
        }
    }
    let orphans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)")
        .fetch_one(&pool)
        .await
        .unwrap();
    server.kill().ok();
    server.wait().ok();
    assert!(missing.is_empty(), "acknowledged orders lost: {missing:?}");
    assert_eq!(orphans, 0, "no half-written order");
    eprintln!("{} acknowledged orders survived SIGKILL", acked.len());
}

/// The files SQLite opened for temporary data in this process (it removes each from the
/// directory once opened: only the open file remains, named `etilqs_…`).
fn temporary_files() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|p| p.to_string_lossy().contains("etilqs_"))
        .count()
}

/// Each write of a group after the first runs in a savepoint (`server::group`), whose record of
/// the pages it changed lets the group undo that write alone. With SQLite's default that record
/// went to a temporary file past 64 KiB, about what one order changes, so most grouped orders
/// wrote their pages a second time through a file (`server::db` keeps it in memory).
#[tokio::test]
async fn a_savepoint_keeps_what_it_would_undo_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let pool = hearth::server::db::connect(&url).await.unwrap();
    sqlx::query(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
         INSERT INTO t (b) SELECT randomblob(3000) FROM n",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut tx = hearth::server::db::begin_write(&pool).await.unwrap();
    // ~100 pages changed under the savepoint: 400 KiB to keep.
    sqlx::query("SAVEPOINT job; UPDATE t SET b = randomblob(3000)")
        .execute(&mut *tx)
        .await
        .unwrap();
    let files = temporary_files();
    sqlx::query("ROLLBACK TO job; RELEASE job")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(files, 0, "the savepoint's record went to a temporary file");
    pool.close().await;
}
