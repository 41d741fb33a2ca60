//! Outgoing webhooks against a local receiver that fails at first: signed, retried with
//! backoff, delivered once accepted, and nothing is announced for a refused change.
mod common;

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::*;
use hearth::orders::notify::signature;

#[derive(Default)]
struct Receiver {
    calls: usize,
    accepted: Vec<(HeaderMap, String)>,
}

#[tokio::test]
async fn changes_are_signed_retried_and_delivered() {
    let inbox = Arc::new(Mutex::new(Receiver::default()));
    let app = axum::Router::new().route(
        "/hook",
        post({
            let inbox = inbox.clone();
            move |headers: HeaderMap, body: String| {
                let inbox = inbox.clone();
                async move {
                    let mut r = inbox.lock().unwrap();
                    r.calls += 1;
                    if r.calls <= 2 {
                        return StatusCode::INTERNAL_SERVER_ERROR; // a flaky gateway
                    }
                    r.accepted.push((headers, body));
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });

    let s = spawn_with(|c| {
        c.webhook_url = Some(hook.clone());
        c.webhook_secret = "s3cret".into();
        c.webhook_retry_base_ms = 50;
    })
    .await;
    let staff = s.signed_in(STAFF).await;
    let (id, version, number): (i64, i64, i64) = sqlx::query_as(
        "SELECT id, version, number FROM orders WHERE status = 'received' AND fulfilment = 'delivery' AND lat IS NOT NULL LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    // A refused move announces nothing.
    let res = s
        .call(
            &staff,
            "/api/move_order",
            &format!("order_id={id}&to=collected&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(s.count("SELECT COUNT(*) FROM webhook_outbox").await, 0);

    let res = s
        .call(
            &staff,
            "/api/move_order",
            &format!("order_id={id}&to=confirmed&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while inbox.lock().unwrap().accepted.is_empty() {
        assert!(std::time::Instant::now() < deadline, "not delivered");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (calls, accepted) = {
        let r = inbox.lock().unwrap();
        (r.calls, r.accepted.clone())
    };
    assert_eq!(calls, 3, "two failures, then delivered, then nothing more");
    assert_eq!(accepted.len(), 1);
    let (headers, body) = &accepted[0];
    let ts = headers["x-hearth-timestamp"].to_str().unwrap();
    assert_eq!(
        headers["x-hearth-signature"].to_str().unwrap(),
        signature("s3cret", ts, body)
    );
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["event"], "order.status_changed");
    assert_eq!(v["order_number"], number);
    assert_eq!(v["status"], "confirmed");
    assert!(v["tracking_url"].as_str().unwrap().contains("/t/"));
    // The receiver has the call before the sender writes down that it was delivered.
    s.count_settles(
        "SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NOT NULL",
        1,
    )
    .await;
    let (attempts, delivered): (i64, Option<String>) =
        sqlx::query_as("SELECT attempts, delivered_at FROM webhook_outbox")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(attempts, 3);
    assert!(delivered.is_some());
}
