//! Alerts as notifications on the owners' devices (web push, RFC 8030): the one writer of
//! `push_subscriptions` and `push_key`, and the sending loop. A device subscribes in Settings →
//! Alerts with this server's VAPID key (RFC 8292); each pending alert is encrypted for every
//! device of an active owner who did not cause it (RFC 8291, by `web-push-native`) and posted to
//! the device's push service once: a notification that comes late is no news, so a refused one
//! is not tried again, and a device its push service no longer knows (404/410) is forgotten.
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sqlx::{SqliteConnection, SqlitePool};
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike as _, ES256KeyPair};
use web_push_native::{p256, Auth, WebPushBuilder};

use super::Device;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::server::config::Config;
use crate::server::db;

/// Alerts older than this are not pushed any more.
pub const STALE_MINUTES: i64 = 60;

/// This server's VAPID key pair, if it was made.
pub async fn stored_key(conn: &mut SqliteConnection) -> Result<Option<ES256KeyPair>, AppError> {
    let stored = sqlx::query_scalar!("SELECT private_key FROM push_key WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(stored.and_then(|k| decode_key(&k)))
}

/// This server's VAPID key pair, made (and stored) the first time it is asked for: call it in
/// a write transaction.
pub async fn key_pair(conn: &mut SqliteConnection) -> Result<ES256KeyPair, AppError> {
    if let Some(k) = stored_key(conn).await? {
        return Ok(k);
    }
    let made = URL_SAFE_NO_PAD.encode(ES256KeyPair::generate().to_bytes());
    let now = db::now();
    // Two first askers at once: the first one's key stands, both read it back.
    sqlx::query!(
        "INSERT INTO push_key (id, private_key, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
        made,
        now
    )
    .execute(&mut *conn)
    .await?;
    let k = sqlx::query_scalar!("SELECT private_key FROM push_key WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    decode_key(&k).ok_or_else(|| AppError::internal("push key", "the stored key is unreadable"))
}

fn decode_key(k: &str) -> Option<ES256KeyPair> {
    let raw = URL_SAFE_NO_PAD.decode(k).ok()?;
    ES256KeyPair::from_bytes(&raw).ok()
}

/// The public half a browser subscribes with: the uncompressed P-256 point, base64url.
pub fn public_key(k: &ES256KeyPair) -> String {
    URL_SAFE_NO_PAD.encode(k.public_key().public_key().to_bytes_uncompressed())
}

/// What a browser's `PushSubscription.toJSON()` holds, checked: an https push address (plain
/// http only to this machine, for tests), a P-256 public key and a 16-byte secret.
pub struct Subscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

impl Subscription {
    pub fn check(endpoint: &str, p256dh: &str, auth: &str) -> Result<Self, AppError> {
        let uri: axum::http::Uri = endpoint.parse().map_err(|_| {
            AppError::invalid("endpoint", crate::said::said("refuse-push-endpoint"))
        })?;
        let local = matches!(uri.host(), Some("127.0.0.1" | "localhost" | "[::1]"));
        let scheme_ok = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => local,
            _ => false,
        };
        if !scheme_ok || uri.host().is_none() || endpoint.len() > 2000 {
            return Err(AppError::invalid(
                "endpoint",
                crate::said::said("refuse-push-https"),
            ));
        }
        let key = URL_SAFE_NO_PAD
            .decode(p256dh.trim_end_matches('='))
            .ok()
            .and_then(|b| p256::PublicKey::from_sec1_bytes(&b).ok());
        if key.is_none() {
            return Err(AppError::invalid(
                "p256dh",
                crate::said::said("refuse-push-key"),
            ));
        }
        if URL_SAFE_NO_PAD
            .decode(auth.trim_end_matches('='))
            .map_or(true, |b| b.len() != 16)
        {
            return Err(AppError::invalid(
                "auth",
                crate::said::said("refuse-push-auth"),
            ));
        }
        Ok(Self {
            endpoint: endpoint.to_string(),
            p256dh: p256dh.trim_end_matches('=').to_string(),
            auth: auth.trim_end_matches('=').to_string(),
        })
    }
}

/// Switches notifications on for a device of `user_id` (a device subscribed before, by anyone,
/// becomes this owner's).
pub async fn subscribe(
    conn: &mut SqliteConnection,
    user_id: i64,
    s: &Subscription,
    device: &str,
) -> Result<(), AppError> {
    let now = db::now();
    let device: String = device.chars().take(80).collect();
    sqlx::query!(
        "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, device, created_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh,
             auth = excluded.auth, device = excluded.device, last_error = NULL",
        user_id,
        s.endpoint,
        s.p256dh,
        s.auth,
        device,
        now
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Switches a device off; false when there was no such device.
pub async fn forget(conn: &mut SqliteConnection, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query!("DELETE FROM push_subscriptions WHERE id = ?", id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Every device switched on, newest first.
pub async fn devices(conn: &mut SqliteConnection, lang: &Lang) -> Result<Vec<Device>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT s.id AS "id!", s.endpoint, s.device, u.name, s.created_at, s.last_error
           FROM push_subscriptions s JOIN users u ON u.id = s.user_id ORDER BY s.id DESC"#
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Device {
            id: r.id,
            endpoint: r.endpoint,
            device: r.device,
            owner: r.name,
            since: r
                .created_at
                .get(..10)
                .map_or_else(String::new, |d| lang.day(d, "date-short")),
            last_error: r.last_error,
        })
        .collect())
}

/// What the push service said of one message.
enum Outcome {
    Delivered,
    /// The device is gone (unsubscribed, uninstalled): forget it.
    Gone,
    Refused(String),
}

/// Pushes what is pending; returns how many notifications were accepted by push services.
pub async fn send_due(
    pool: &SqlitePool,
    config: &Config,
    http: &reqwest::Client,
) -> Result<usize, AppError> {
    let mut conn = pool.acquire().await?;
    // The worker wakes on order changes: with nothing pending (the usual case, and always
    // when no device is subscribed) it must not write, or orders would queue behind it for
    // SQLite's write lock.
    if !super::store::any_push_pending(&mut conn).await? {
        return Ok(0);
    }
    let stale = db::timestamp(chrono::Utc::now() - chrono::Duration::minutes(STALE_MINUTES));
    super::store::drop_stale_pushes(&mut conn, &stale).await?;
    let due = sqlx::query!(
        r#"SELECT id AS "id!", kind, args, link, caused_by FROM alerts
           WHERE push_status = 'pending' ORDER BY id LIMIT 20"#
    )
    .fetch_all(&mut *conn)
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    // Devices subscribed with the key Settings made; none made, nobody can have subscribed.
    let Some(key) = stored_key(&mut conn).await? else {
        return Ok(0);
    };
    let subs = sqlx::query!(
        r#"SELECT s.id AS "id!", s.user_id, s.endpoint, s.p256dh, s.auth, u.language
           FROM push_subscriptions s JOIN users u ON u.id = s.user_id
           WHERE u.role = 'owner' AND u.active = 1 ORDER BY s.id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let contact = super::store::owner_emails(&mut conn)
        .await?
        .into_iter()
        .next()
        .map_or_else(|| config.public_url.clone(), |(e, _)| format!("mailto:{e}"));
    let business = config.business_name();
    let mut gone = Vec::new();
    let mut delivered = 0;
    for alert in due {
        // Worded once per language, not once per device.
        let mut words: std::collections::HashMap<Option<&str>, String> = Default::default();
        for sub in &subs {
            if Some(sub.user_id) == alert.caused_by || gone.contains(&sub.id) {
                continue;
            }
            let text = words.entry(sub.language.as_deref()).or_insert_with(|| {
                let lang = Lang::pick(&[sub.language.as_deref(), Some(&config.language())]);
                super::store::word(&lang, &alert.kind, &alert.args, &config.currency())
            });
            let payload = serde_json::json!({
                "title": business,
                "body": text,
                "url": alert.link,
                "tag": format!("hearth-alert-{}", alert.id),
            })
            .to_string();
            let outcome = push_one(
                http,
                &key,
                &contact,
                &sub.endpoint,
                &sub.p256dh,
                &sub.auth,
                payload,
            )
            .await;
            match note_outcome(&mut conn, sub.id, alert.id, outcome).await? {
                Outcome::Delivered => delivered += 1,
                Outcome::Gone => gone.push(sub.id),
                Outcome::Refused(_) => {}
            }
        }
        super::store::pushed(&mut conn, alert.id).await?;
    }
    Ok(delivered)
}

/// Keeps on the device's row how a push to it went (a device the push service no longer knows
/// is forgotten), and hands the outcome back.
async fn note_outcome(
    conn: &mut sqlx::SqliteConnection,
    device: i64,
    alert: i64,
    outcome: Outcome,
) -> Result<Outcome, AppError> {
    let now = db::now();
    match &outcome {
        Outcome::Delivered => {
            sqlx::query!(
                "UPDATE push_subscriptions SET last_sent_at = ?, last_error = NULL WHERE id = ?",
                now,
                device
            )
            .execute(&mut *conn)
            .await?;
        }
        Outcome::Gone => {
            tracing::info!(
                device,
                "push service no longer knows this device; forgotten"
            );
            forget(&mut *conn, device).await?;
        }
        Outcome::Refused(e) => {
            tracing::warn!(device, alert, error = %e, "notification not delivered");
            let e = format!("{now}: {e}");
            sqlx::query!(
                "UPDATE push_subscriptions SET last_error = ? WHERE id = ?",
                e,
                device
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(outcome)
}

async fn push_one(
    http: &reqwest::Client,
    key: &ES256KeyPair,
    contact: &str,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
    payload: String,
) -> Outcome {
    let built = (|| {
        let ua_public =
            p256::PublicKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(p256dh).ok()?).ok()?;
        let ua_auth = URL_SAFE_NO_PAD
            .decode(auth)
            .ok()
            .filter(|a| a.len() == 16)?;
        let builder = WebPushBuilder::new(
            endpoint.parse().ok()?,
            ua_public,
            Auth::clone_from_slice(&ua_auth),
        )
        .with_valid_duration(Duration::from_secs(STALE_MINUTES as u64 * 60))
        .with_vapid(key, contact);
        builder.build(payload).ok()
    })();
    let Some(request) = built.and_then(|r| reqwest::Request::try_from(r).ok()) else {
        return Outcome::Refused("the device's keys or address are unusable".into());
    };
    match http.execute(request).await {
        Ok(res) if res.status().is_success() => Outcome::Delivered,
        Ok(res) if matches!(res.status().as_u16(), 404 | 410) => Outcome::Gone,
        Ok(res) => Outcome::Refused(format!("push service answered {}", res.status())),
        Err(e) => Outcome::Refused(e.to_string()),
    }
}

/// The sending loop: wakes on order changes (`server::wakes`: at most every 100 ms) and at
/// least every second.
pub fn spawn_worker(state: crate::server::state::AppState) {
    let http = match reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "no HTTP client for notifications");
            return;
        }
    };
    let mut wakes = crate::server::wakes::Wakes::new(&state.events, Duration::from_millis(1000));
    tokio::spawn(async move {
        loop {
            let sent = send_due(&state.pool, &state.config, &http).await;
            wakes.after("notification worker", sent).await;
        }
    });
}
