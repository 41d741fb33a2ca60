//! Property test of the order core: random sequences of commands, as every page sends them,
//! against the demo bakery on a real SQLite file; after each command the invariants hold:
//! - the capacity counters equal a recount of the orders;
//! - no district-day is over its capacity unless it already was (and none grew);
//! - an accepted change wrote exactly one history line, bumped the version by one, queued its
//!   webhook (and email) row when the customer hears of it, and any status move was legal;
//! - a refused change left the database exactly as it was.
//!
//! Then the same commands are sent concurrently over HTTP to the real server, and the counters
//! and history are checked again.
mod common;

use chrono::Duration;
use common::*;
use hearth::orders::core::{Actor, Command, Core};
use hearth::orders::model::{move_refusal, Fulfilment, OrderStatus};

/// A small deterministic generator (xorshift), so a failure replays with its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

async fn dump(s: &TestServer) -> String {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT json_group_array(json_array(id, version, status, fulfil_on, district_id, lat, lng, address,
                                            paid, subtotal_cents, delivery_fee_cents, total_cents, window_from, notes))
           FROM (SELECT * FROM orders ORDER BY id)
         UNION ALL SELECT json_group_array(json_array(order_id, product_id, quantity, unit_price_cents))
           FROM (SELECT * FROM order_items ORDER BY id)
         UNION ALL SELECT CAST(COUNT(*) AS TEXT) FROM order_events
         UNION ALL SELECT CAST(COUNT(*) AS TEXT) FROM webhook_outbox
         UNION ALL SELECT json_group_array(json_array(kind, ref_id, day, used))
           FROM (SELECT * FROM capacity_used ORDER BY kind, ref_id, day)",
    )
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n")
}

async fn counters_drift(s: &TestServer) -> i64 {
    hearth::orders::core::capacity::drift(&s.state.pool)
        .await
        .unwrap()
}

/// District-days over capacity: (district, day) → stops over.
async fn over_capacity(s: &TestServer) -> std::collections::BTreeMap<(i64, String), i64> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT c.ref_id, c.day, c.used - d.capacity_per_day FROM capacity_used c JOIN districts d ON d.id = c.ref_id
         WHERE c.kind = 'stops' AND c.used > d.capacity_per_day",
    )
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    rows.into_iter().map(|(d, day, n)| ((d, day), n)).collect()
}

struct Order {
    version: i64,
    status: OrderStatus,
    fulfilment: Fulfilment,
    pinned: bool,
    events: i64,
    outbox: i64,
}

async fn order(s: &TestServer, id: i64) -> Order {
    let (version, status, fulfilment, pinned, events, outbox): (
        i64,
        String,
        String,
        bool,
        i64,
        i64,
    ) = sqlx::query_as(
        "SELECT version, status, fulfilment, lat IS NOT NULL,
                (SELECT COUNT(*) FROM order_events WHERE order_id = o.id),
                (SELECT COUNT(*) FROM webhook_outbox WHERE order_id = o.id)
         FROM orders o WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    Order {
        version,
        status: OrderStatus::parse(&status).unwrap(),
        fulfilment: Fulfilment::parse(&fulfilment).unwrap(),
        pinned,
        events,
        outbox,
    }
}

/// A random command for `o`, as one of the pages would send it.
fn command(rng: &mut Rng, s: &TestServer, pins: &[(f64, f64)], skus: &[String]) -> Command {
    let today = s.state.config.today();
    match rng.below(8) {
        0 | 1 => Command::Move(OrderStatus::ALL[rng.below(OrderStatus::ALL.len())]),
        2 => Command::Cancel {
            reason: "Customer called".into(),
        },
        3 => Command::MarkPaid,
        4 => Command::EditDetails {
            window: Some(("10:00".into(), format!("1{}:00", 1 + rng.below(8)))),
            notes: Some(format!("Ring twice ({})", rng.below(1000))),
        },
        5 => {
            let n = 1 + rng.below(3);
            let lines = (0..n)
                .map(|_| {
                    (
                        skus[rng.below(skus.len())].clone(),
                        1 + rng.below(30) as i64,
                    )
                })
                .collect();
            Command::EditItems(lines)
        }
        6 => Command::SetPlace {
            address: Some(format!("Calle {} {}", rng.below(90), rng.below(9))),
            pin: Some(pins[rng.below(pins.len())]),
        },
        _ => Command::ChangeDay {
            day: today + Duration::days(rng.below(16) as i64 - 2),
            why: None,
            consented_only: rng.below(4) == 0,
        },
    }
}

#[tokio::test]
async fn random_commands_from_every_page_keep_the_invariants() {
    let s = spawn().await;
    let core = Core::of(&s.state);
    let actor = Actor::user(1, "Lucía Navarro");
    let today = s.state.config.today().to_string();
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM orders WHERE fulfil_on >= ? ORDER BY id")
            .bind(&today)
            .fetch_all(&s.state.pool)
            .await
            .unwrap();
    let pins: Vec<(f64, f64)> = sqlx::query_as(
        "SELECT lat, lng FROM customers WHERE lat IS NOT NULL UNION ALL SELECT 0.0, 0.0",
    )
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    let skus: Vec<String> = sqlx::query_scalar("SELECT sku FROM products WHERE active = 1")
        .fetch_all(&s.state.pool)
        .await
        .unwrap();
    let seed = std::env::var("HEARTH_PROP_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_1234_u64);
    let mut rng = Rng(seed);
    let (mut accepted, mut refused) = (0, 0);
    let mut over = over_capacity(&s).await;
    for step in 0..300 {
        let id = ids[rng.below(ids.len())];
        let cmd = command(&mut rng, &s, &pins, &skus);
        let before = order(&s, id).await;
        let db_before = dump(&s).await;
        // Half the time against the version the page last saw; a stale one must be refused.
        let version = match rng.below(4) {
            0 => None,
            1 => Some(before.version - 1),
            _ => Some(before.version),
        };
        let result = core.apply(&actor, id, version, cmd.clone()).await;
        let ctx = format!("seed {seed} step {step}: #{id} {cmd:?} at {version:?}");
        match result {
            Ok(applied) => {
                accepted += 1;
                assert_ne!(
                    version,
                    Some(before.version - 1),
                    "{ctx}: a stale version passed"
                );
                let after = order(&s, id).await;
                assert_eq!(after.version, before.version + 1, "{ctx}");
                assert_eq!(applied.change.version, after.version, "{ctx}");
                assert_eq!(after.events, before.events + 1, "{ctx}: one history line");
                let told = !matches!(cmd, Command::MarkPaid);
                assert_eq!(after.outbox, before.outbox + told as i64, "{ctx}: outbox");
                if let Command::Move(to) = cmd {
                    assert_eq!(
                        move_refusal(before.fulfilment, before.status, to, before.pinned),
                        None,
                        "{ctx}: an illegal move was accepted"
                    );
                    assert_eq!(after.status, to);
                }
            }
            Err(e) => {
                refused += 1;
                assert!(
                    !matches!(e, hearth::error::AppError::Internal { .. }),
                    "{ctx}: {e:?}"
                );
                assert_eq!(
                    dump(&s).await,
                    db_before,
                    "{ctx}: refused ({e}) but changed"
                );
            }
        }
        assert_eq!(counters_drift(&s).await, 0, "{ctx}: counters drifted");
        let now_over = over_capacity(&s).await;
        for (key, n) in &now_over {
            assert!(
                over.get(key).is_some_and(|was| n <= was),
                "{ctx}: {key:?} went over capacity by {n}"
            );
        }
        over = now_over;
    }
    println!("{accepted} accepted, {refused} refused");
    assert!(
        accepted > 30 && refused > 30,
        "{accepted} accepted, {refused} refused: the generator is too one-sided"
    );
}

#[tokio::test]
async fn concurrent_changes_over_http_lose_nothing_and_keep_the_counters() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let staff = s.signed_in(STAFF).await;
    let today = s.state.config.today();
    let orders: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, version FROM orders WHERE fulfilment = 'delivery' AND status IN ('received', 'confirmed')
           AND district_id IS NOT NULL AND fulfil_on > ? ORDER BY id LIMIT 8",
    )
    .bind(today.to_string())
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    let events_before = s.count("SELECT COUNT(*) FROM order_events").await;
    let versions_before: i64 = orders.iter().map(|o| o.1).sum();
    // Each order gets three changes at once from two people: a board move, a note, a day move.
    let mut calls = Vec::new();
    for (i, &(id, version)) in orders.iter().enumerate() {
        let day = (today + Duration::days(1 + i as i64 % 6)).to_string();
        calls.push((
            staff.clone(),
            "/api/move_order",
            format!("order_id={id}&to=confirmed&version={version}"),
        ));
        calls.push((
            staff.clone(),
            "/api/edit_order",
            format!("order_id={id}&version={version}&notes=Gate+code+{i}"),
        ));
        calls.push((
            owner.clone(),
            "/api/assign_day",
            format!("order_ids[0]={id}&day={day}"),
        ));
    }
    let server = &s;
    let sent = calls.iter().map(|(c, path, body)| async move {
        let res = server.call(c, path, body).await;
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        // A day assignment answers the orders it moved (none when already on that day).
        let changed = match (status, *path) {
            (200, "/api/assign_day") => body.as_array().map_or(0, |a| a.len() as i64),
            (200, _) => 1,
            _ => 0,
        };
        (status, changed)
    });
    let answers: Vec<(u16, i64)> = futures::future::join_all(sent).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
    assert!(statuses.iter().all(|&st| st < 500), "{statuses:?}");
    let ok: i64 = answers.iter().map(|a| a.1).sum();
    assert!(ok >= orders.len() as i64, "{statuses:?}");
    // Every accepted change: one history line and one version step; nothing else.
    let events_after = s.count("SELECT COUNT(*) FROM order_events").await;
    let ids: Vec<String> = orders.iter().map(|o| o.0.to_string()).collect();
    let versions_after: i64 = sqlx::query_scalar(&format!(
        "SELECT SUM(version) FROM orders WHERE id IN ({})",
        ids.join(",")
    ))
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(events_after - events_before, ok, "{statuses:?}");
    assert_eq!(versions_after - versions_before, ok, "{statuses:?}");
    assert_eq!(counters_drift(&s).await, 0);
}
