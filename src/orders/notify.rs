//! Outgoing order notifications: an outbox row per change, written in the change's own
//! transaction, and a worker that POSTs them, signed, with retries and backoff.
//!
//! Receivers verify `X-Hearth-Signature: sha256=<hex>` = HMAC-SHA256(secret, `<timestamp>.<body>`)
//! with `X-Hearth-Timestamp`, and de-duplicate on `X-Hearth-Delivery` (the outbox id): a
//! delivery may arrive twice if the receiver answered after our timeout.
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::{SqliteConnection, SqlitePool};

use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db;

/// Attempts before a notification is given up (and left visible in the outbox as failed).
pub const MAX_ATTEMPTS: i64 = 10;

/// What a notification says of an order, as it is now.
pub struct Facts<'a> {
    pub number: i64,
    pub status: &'a str,
    pub fulfilment: &'a str,
    pub day: &'a str,
    pub window: (Option<&'a str>, Option<&'a str>),
    pub tracking_token: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
    /// The customer's address for status emails, if they gave one.
    pub email: Option<&'a str>,
}

/// Queues a notification about `order_id` (status as it is now) inside the caller's transaction.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    order_id: i64,
    event: &str,
) -> Result<(), AppError> {
    let o = sqlx::query!(
        r#"SELECT o.number, o.status, o.fulfilment, o.fulfil_on, o.window_from, o.window_to, o.tracking_token,
                  c.name, c.phone, c.email
           FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?"#,
        order_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let facts = Facts {
        number: o.number,
        status: &o.status,
        fulfilment: &o.fulfilment,
        day: &o.fulfil_on,
        window: (o.window_from.as_deref(), o.window_to.as_deref()),
        tracking_token: &o.tracking_token,
        name: &o.name,
        phone: &o.phone,
        email: o.email.as_deref(),
    };
    let mut batch = db::Batch::default();
    enqueue_as(&mut batch, order_id, event, &facts);
    batch.run(conn).await?;
    Ok(())
}

/// `enqueue` for a caller that holds the order's facts (the order core, which just wrote
/// them): the outbox rows without reading the order back, added to the caller's batch.
pub fn enqueue_as(batch: &mut db::Batch, order_id: i64, event: &str, o: &Facts<'_>) {
    let payload = serde_json::json!({
        "event": event,
        "order_number": o.number,
        "status": o.status,
        "fulfilment": o.fulfilment,
        "date": o.day,
        "window": {"from": o.window.0, "to": o.window.1},
        "tracking_token": o.tracking_token,
        "customer": {"first_name": crate::orders::model::first_name(o.name), "phone": o.phone},
    })
    .to_string();
    batch.push(
        "INSERT INTO webhook_outbox (event, order_id, payload, next_attempt_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4, ?4)",
        vec![event.into(), order_id.into(), payload.into(), db::now().into()],
    );
    super::email::enqueue(batch, order_id, event, o.email, o.status);
}

/// `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>").
pub fn signature(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let bytes = mac.finalize().into_bytes();
    format!(
        "sha256={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// Delay before attempt `attempts + 1`: base × 2^attempts, at most an hour.
pub fn backoff(base_ms: u64, attempts: i64) -> Duration {
    let factor = 1u64 << attempts.clamp(0, 20);
    Duration::from_millis(base_ms.saturating_mul(factor).min(3_600_000))
}

/// Sends what is due; returns how many were delivered.
pub async fn deliver_due(
    pool: &SqlitePool,
    config: &Config,
    http: &reqwest::Client,
) -> Result<usize, AppError> {
    let Some(url) = &config.webhook_url else {
        return Ok(0);
    };
    let now = db::now();
    let due = sqlx::query!(
        r#"SELECT id AS "id!", payload, attempts FROM webhook_outbox
           WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
           ORDER BY id LIMIT 20"#,
        now
    )
    .fetch_all(pool)
    .await?;
    let mut delivered = 0;
    for row in due {
        let mut payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
        if let Some(token) = payload["tracking_token"].as_str() {
            payload["tracking_url"] =
                format!("{}/t/{token}", config.public_url.trim_end_matches('/')).into();
        }
        let body = payload.to_string();
        let timestamp = chrono::Utc::now().timestamp().to_string();
        let result = http
            .post(url)
            .header("content-type", "application/json")
            .header("x-hearth-delivery", row.id.to_string())
            .header("x-hearth-timestamp", &timestamp)
            .header(
                "x-hearth-signature",
                signature(&config.webhook_secret, &timestamp, &body),
            )
            .body(body)
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        let error = match result {
            Ok(res) if res.status().is_success() => None,
            Ok(res) => Some(format!("HTTP {}", res.status().as_u16())),
            Err(e) => Some(format!("{e}")),
        };
        let now = db::now();
        match error {
            None => {
                sqlx::query!(
                    "UPDATE webhook_outbox SET delivered_at = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?",
                    now, now, row.id
                )
                .execute(pool)
                .await?;
                delivered += 1;
            }
            Some(err) => {
                let attempts = row.attempts + 1;
                let next = db::timestamp(
                    chrono::Utc::now()
                        + chrono::Duration::from_std(backoff(
                            config.webhook_retry_base_ms,
                            row.attempts,
                        ))
                        .unwrap_or_default(),
                );
                let failed = (attempts >= MAX_ATTEMPTS).then(|| now.clone());
                tracing::warn!(delivery = row.id, attempts, error = %err, "webhook delivery failed");
                sqlx::query!(
                    "UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, failed_at = ?, last_error = ?, updated_at = ?
                     WHERE id = ?",
                    attempts, next, failed, err, now, row.id
                )
                .execute(pool)
                .await?;
            }
        }
    }
    Ok(delivered)
}

/// Runs the delivery loop for this process: wakes on order changes (`server::wakes`: at most
/// every 100 ms), and at least every 500 ms for retries. Does nothing when no webhook URL is
/// configured.
pub fn spawn_worker(state: crate::server::state::AppState) {
    if state.config.webhook_url.is_none() {
        return;
    }
    let mut wakes = crate::server::wakes::Wakes::new(&state.events, Duration::from_millis(500));
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        loop {
            let sent = deliver_due(&state.pool, &state.config, &http).await;
            wakes.after("webhook worker", sent).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_over_timestamp_and_body() {
        // RFC 4231-style check against an independently computed value.
        let sig = signature("key", "1700000000", "{}");
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64);
        assert_ne!(sig, signature("other", "1700000000", "{}"));
        assert_ne!(sig, signature("key", "1700000001", "{}"));
        let mut mac = Hmac::<Sha256>::new_from_slice(b"key").unwrap();
        mac.update(b"1700000000.{}");
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(sig, format!("sha256={hex}"));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1000, 0), Duration::from_secs(1));
        assert_eq!(backoff(1000, 3), Duration::from_secs(8));
        assert_eq!(backoff(1000, 40), Duration::from_secs(3600));
    }
}
