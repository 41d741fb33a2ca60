//! Customers' status emails against a local SMTP receiver that refuses the first message:
//! retried, delivered once, with the tracking link; customers without an address get none.
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;

#[tokio::test]
async fn a_status_change_emails_the_customer_once_after_a_refusal() {
    let inbox = Arc::new(Mutex::new(Inbox {
        refuse_first: true,
        ..Inbox::default()
    }));
    let url = smtp_receiver(inbox.clone()).await;
    let s = spawn_with(|c| {
        c.smtp_url = Some(url.clone());
        c.smtp_from = "Obrador Hearth <orders@obrador.example>".into();
        c.webhook_retry_base_ms = 50;
    })
    .await;
    let staff = s.signed_in(STAFF).await;
    let (id, version, number, customer, token): (i64, i64, i64, i64, String) = sqlx::query_as(
        "SELECT id, version, number, customer_id, tracking_token FROM orders WHERE status = 'received' LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE customers SET email = 'ana@example.com' WHERE id = ?")
        .bind(customer)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let before = s.count("SELECT COUNT(*) FROM email_outbox").await;
    let res = s
        .call(
            &staff,
            "/api/move_order",
            &format!("order_id={id}&to=confirmed&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let mut accepted = Vec::new();
    for _ in 0..100 {
        accepted = inbox.lock().unwrap().accepted.clone();
        if !accepted.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        accepted.len(),
        1,
        "one email, after one refusal: {:?}",
        accepted
            .iter()
            .map(|(to, text)| (to, text.lines().find(|l| l.starts_with("Subject"))))
            .collect::<Vec<_>>()
    );
    assert_eq!(inbox.lock().unwrap().refused, 1);
    let (to, text) = &accepted[0];
    assert_eq!(to, "ana@example.com", "{text}");
    assert!(
        text.contains(&format!("Subject: Order #{number}: Confirmed")),
        "{text}"
    );
    assert!(
        text.contains("From: \"Obrador Hearth\" <orders@obrador.example>")
            || text.contains("From: Obrador Hearth <orders@obrador.example>"),
        "{text}"
    );
    assert!(text.contains(&format!("/t/{token}")), "{text}");
    // The receiver has the message before the sender writes down that it was sent:
    // wait (bounded) for that write rather than race it.
    let mut row: (i64, Option<String>) = (0, None);
    for _ in 0..50 {
        row = sqlx::query_as(
            "SELECT attempts, sent_at FROM email_outbox WHERE order_id = ? ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
        if row.1.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (attempts, sent) = row;
    assert!(sent.is_some(), "the outbox records the email as sent");
    assert_eq!(attempts, 2);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM email_outbox").await,
        before + 1
    );
    // Nothing more arrives (no duplicate after the retry).
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(inbox.lock().unwrap().accepted.len(), 1);

    // An order whose customer gave no email address: nothing queued.
    let (other, v2, who): (i64, i64, i64) = sqlx::query_as(
        "SELECT id, version, customer_id FROM orders WHERE status = 'received' AND customer_id <> ? LIMIT 1",
    )
    .bind(customer)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE customers SET email = NULL WHERE id = ?")
        .bind(who)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let res = s
        .call(
            &staff,
            "/api/move_order",
            &format!("order_id={other}&to=confirmed&version={v2}"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM email_outbox").await,
        before + 1
    );
}
