//! Backups you can restore: a backup taken while the website's orders keep arriving holds every
//! order acknowledged before it began; `restore` checks a file in full, keeps the old database
//! aside, never replays the old WAL, migrates, and refuses a damaged file or a database in use;
//! the schedule keeps the newest copies; the owner's "Back up now".
mod common;

use std::sync::{Arc, Mutex};

use common::*;
use hearth::server::backups;
use hearth::storefront::keys;
use serde_json::{json, Value};

/// A pickup order as the website sends it.
fn order(i: usize, day: &str) -> Value {
    json!({
        "customer": {"name": format!("Cliente {i}"), "phone": format!("6{:08}", 10_000_000 + i)},
        "fulfilment": {"type": "pickup", "date": day, "time": "10:00"},
        "items": [{"sku": "BRD-SOUR", "quantity": 1}],
        "payment": {"method": "pay_at_pickup"}
    })
}

async fn numbers(url: &str) -> Vec<i64> {
    let pool = hearth::server::db::connect(url).await.unwrap();
    let n = sqlx::query_scalar("SELECT number FROM orders ORDER BY number")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_orders_arrive_restores_every_acknowledged_order() {
    let s = spawn().await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    // Room for every order of the drill.
    sqlx::query("UPDATE products SET daily_capacity = 10000")
        .execute(&s.state.pool)
        .await
        .unwrap();
    // Saturday is a pickup day in the demo; any day within the horizon with room will do.
    let mut day = s.state.config.today() + chrono::Duration::days(1);
    while chrono::Datelike::weekday(&day) == chrono::Weekday::Sun {
        day += chrono::Duration::days(1);
    }
    let day = day.to_string();
    // Acknowledged orders: (number, acknowledged before the backup began?).
    let acked: Arc<Mutex<Vec<i64>>> = Arc::default();
    let started = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let finished = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let before_backup: Arc<Mutex<Vec<i64>>> = Arc::default();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (url, key, day) = (s.url("/api/v1/orders"), key.clone(), day.clone());
            let (acked, started, finished, before_backup) = (
                acked.clone(),
                started.clone(),
                finished.clone(),
                before_backup.clone(),
            );
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                // Keep sending until the backup is over (a cap stops a run that would never end).
                for i in 0..5_000 {
                    if finished.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    let n = w * 10_000 + i;
                    let res = http
                        .post(&url)
                        .bearer_auth(&key)
                        .header("Idempotency-Key", format!("drill-{n}"))
                        .json(&order(n, &day))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(res.status(), 201, "{:?}", res.text().await);
                    let body: Value = res.json().await.unwrap();
                    let number = body["order_number"].as_i64().unwrap();
                    acked.lock().unwrap().push(number);
                    if !started.load(std::sync::atomic::Ordering::SeqCst) {
                        before_backup.lock().unwrap().push(number);
                    }
                }
            })
        })
        .collect();
    // Once some orders are in, back up while the rest keep coming.
    while acked.lock().unwrap().len() < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    started.store(true, std::sync::atomic::Ordering::SeqCst);
    let at_start = acked.lock().unwrap().len();
    let dir = s.dir().join("drill");
    let taken = backups::take(&s.state.pool, &dir).await.unwrap();
    let at_end = acked.lock().unwrap().len();
    finished.store(true, std::sync::atomic::Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    let before = before_backup.lock().unwrap().clone();
    assert!(before.len() >= 30);
    // The writers never paused for it: orders were acknowledged while the copy was being made.
    assert!(
        at_end > at_start,
        "no order was acknowledged while the backup ran ({at_start} before, {at_end} after)"
    );

    // Restore into a new place and find every order acknowledged before the backup began.
    let target = format!("sqlite://{}/restored/hearth.db", s.dir().display());
    let done = backups::restore(&taken.path, &target).await.unwrap();
    assert!(done.kept.is_none());
    let restored = numbers(&target).await;
    for n in &before {
        assert!(
            restored.contains(n),
            "order #{n} was acknowledged before the backup but is missing"
        );
    }
    assert_eq!(done.orders as usize, restored.len());
    // None twice, none half-written: every restored order has its line.
    let pool = hearth::server::db::connect(&target).await.unwrap();
    let orphans: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(orphans, 0);
    let fk: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&pool)
        .await
        .unwrap_or_default();
    assert!(fk.is_empty(), "{fk:?}");
}

#[tokio::test]
async fn restore_keeps_the_old_database_aside_ignores_its_wal_and_refuses_bad_files() {
    let s = spawn().await;
    let dir = s.dir().join("copies");
    let good = backups::take(&s.state.pool, &dir).await.unwrap();
    let orders = s.count("SELECT COUNT(*) FROM orders").await;

    // A database in another place that has its own data and an unmerged WAL.
    let place = s.dir().join("live");
    let url = format!("sqlite://{}/hearth.db", place.display());
    {
        let pool = hearth::server::db::connect(&url).await.unwrap();
        hearth::server::db::migrate(&pool).await.unwrap();
        sqlx::query("PRAGMA wal_autocheckpoint = 0")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO districts (name, colour, boundary) VALUES ('Old', '#000000', '{}')",
        )
        .execute(&pool)
        .await
        .unwrap();
        // Leave the WAL behind, as a killed server would.
        std::mem::forget(pool);
    }
    assert!(place.join("hearth.db-wal").exists());

    // A damaged copy (the good one cut short) and a file that isn't a database: refused,
    // named, the live database untouched.
    let cut = s.dir().join("cut.db");
    let bytes = std::fs::read(&good.path).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = backups::restore(&cut, &url).await.unwrap_err();
    assert!(e.contains("cut.db"), "{e}");
    let text = s.dir().join("notes.db");
    std::fs::write(&text, "not a database at all, just some words ".repeat(200)).unwrap();
    let e = backups::restore(&text, &url).await.unwrap_err();
    assert!(e.contains("notes.db"), "{e}");
    assert!(place.join("hearth.db-wal").exists(), "nothing moved");

    // A server holding the database: refused.
    let held = backups::hold(&place.join("hearth.db")).unwrap();
    let e = backups::restore(&good.path, &url).await.unwrap_err();
    assert!(e.contains("stop it first"), "{e}");
    drop(held);

    // The good copy: in place, migrated, the old file and its WAL kept aside.
    let done = backups::restore(&good.path, &url).await.unwrap();
    assert_eq!(done.orders, orders);
    let kept = done.kept.expect("the old database is kept");
    assert!(kept.exists());
    let aside: Vec<String> = std::fs::read_dir(&place)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        aside
            .iter()
            .any(|n| n.starts_with("hearth.db-wal.before-restore-")),
        "{aside:?}"
    );
    let pool = hearth::server::db::connect(&url).await.unwrap();
    let old: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM districts WHERE name = 'Old'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        old, 0,
        "the old WAL was not replayed into the restored file"
    );
}

#[tokio::test]
async fn the_schedule_keeps_the_newest_copies_and_the_owner_can_back_up_now() {
    let s = spawn().await;
    let dir = s.state.config.backup_dir.clone().unwrap();
    for _ in 0..5 {
        backups::take(&s.state.pool, &dir).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let all = backups::list(&dir);
    assert_eq!(all.len(), 5);
    assert_eq!(backups::prune(&dir, 3), 2);
    let kept = backups::list(&dir);
    assert_eq!(kept, all[..3].to_vec(), "the newest three stay");
    // A half-written copy never counts as a backup.
    std::fs::write(dir.join("hearth-29991231-000000-000.partial"), b"half").unwrap();
    assert_eq!(backups::list(&dir).len(), 3);

    // The owner: "Back up now" writes a checked copy and lists it; staff may not.
    let owner = s.signed_in(OWNER).await;
    let res = s.call(&owner, "/api/back_up_now", "").await;
    assert_eq!(res.status(), 200);
    let said: String = res.json().await.unwrap();
    assert!(said.starts_with("Backup written: hearth-"), "{said}");
    let listed: Value = s
        .call(&owner, "/api/list_backups", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["files"].as_array().unwrap().len(), 4);
    assert!(said.contains(listed["files"][0]["name"].as_str().unwrap()));
    let staff = s.signed_in(STAFF).await;
    assert_eq!(s.call(&staff, "/api/back_up_now", "").await.status(), 403);
}
