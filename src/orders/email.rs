//! Customers' status emails: an outbox row per change (only for customers who gave an email
//! address), written in the change's own transaction, and a worker that sends them through
//! `HEARTH_SMTP_URL` with retries and backoff. The text is composed at sending time.
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db;

/// Attempts before an email is given up (and left in the outbox as failed).
pub const MAX_ATTEMPTS: i64 = 8;
/// A status email not sent within this long is no longer news: it is dropped, not sent late.
pub const STALE_HOURS: i64 = 12;

/// Queues an email about `order_id` (now at `status`) inside the caller's transaction, if its
/// customer gave an address (`to`).
pub fn enqueue(batch: &mut db::Batch, order_id: i64, event: &str, to: Option<&str>, status: &str) {
    let Some(to) = to.filter(|e| e.contains('@')) else {
        return;
    };
    batch.push(
        "INSERT INTO email_outbox (order_id, event, to_addr, status, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        vec![
            order_id.into(),
            event.into(),
            to.into(),
            status.into(),
            db::now().into(),
        ],
    );
}

/// What one email says.
pub struct Text {
    pub subject: String,
    pub body: String,
}

/// The subject and plain-text body of a status email, in `lang` (the order's language, else
/// the bakery's).
#[allow(clippy::too_many_arguments)]
pub fn compose(
    lang: &crate::i18n::Lang,
    business: &str,
    first_name: &str,
    number: i64,
    event: &str,
    status: &str,
    day: &str,
    window: Option<String>,
    tracking_url: &str,
) -> Text {
    let when = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| lang.date_long(d))
        .unwrap_or_else(|_| day.to_string());
    let when = match window {
        Some(w) => format!("{when}, {w}"),
        None => when,
    };
    let kind = match event {
        "order.created" => "created",
        "order.cancelled" => "cancelled",
        "order.updated" => "updated",
        _ => "status",
    };
    let args = [
        ("number", number.to_string().into()),
        ("when", when.into()),
        ("status", lang.t(&format!("status-{status}")).into()),
    ];
    let subject = lang.t_with(&format!("email-{kind}-subject"), &args);
    let line = lang.t_with(&format!("email-{kind}-line"), &args);
    let greeting = lang.t_with("email-greeting", &[("name", first_name.to_string().into())]);
    let follow = lang.t_with("email-follow", &[("url", tracking_url.to_string().into())]);
    Text {
        subject,
        body: format!("{greeting}\n\n{line}\n\n{follow}\n\n{business}\n"),
    }
}

/// Sends what is due; returns how many were sent.
pub async fn send_due(
    pool: &SqlitePool,
    config: &Config,
    mailer: &AsyncSmtpTransport<Tokio1Executor>,
) -> Result<usize, AppError> {
    let now = db::now();
    let stale = db::timestamp(chrono::Utc::now() - chrono::Duration::hours(STALE_HOURS));
    sqlx::query!(
        "UPDATE email_outbox SET failed_at = ?, last_error = 'not sent in time: dropped'
         WHERE sent_at IS NULL AND failed_at IS NULL AND created_at < ?",
        now,
        stale
    )
    .execute(pool)
    .await?;
    let due = sqlx::query!(
        r#"SELECT e.id AS "id!", e.event, e.to_addr, e.status, e.attempts, o.number, o.fulfil_on,
                  o.window_from, o.window_to, o.tracking_token, c.name, o.language
           FROM email_outbox e JOIN orders o ON o.id = e.order_id JOIN customers c ON c.id = o.customer_id
           WHERE e.sent_at IS NULL AND e.failed_at IS NULL AND e.next_attempt_at <= ?
           ORDER BY e.id LIMIT 20"#,
        now
    )
    .fetch_all(pool)
    .await?;
    let mut sent = 0;
    for row in due {
        let lang = crate::i18n::Lang::pick(&[row.language.as_deref(), Some(&config.language())]);
        let text = compose(
            &lang,
            &config.business_name(),
            &super::model::first_name(&row.name),
            row.number,
            &row.event,
            &row.status,
            &row.fulfil_on,
            super::model::window_label(row.window_from, row.window_to),
            &format!(
                "{}/t/{}",
                config.public_url.trim_end_matches('/'),
                row.tracking_token
            ),
        );
        let outcome = send(config, mailer, &row.to_addr, text).await;
        if record(pool, config, (row.id, row.attempts), outcome).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Writes how sending email `id` (tried `attempts` times before) went: sent, or tried again
/// later (backing off) until it fails for good. True when it was sent.
async fn record(
    pool: &SqlitePool,
    config: &Config,
    (id, attempts): (i64, i64),
    outcome: Result<(), (bool, String)>,
) -> Result<bool, AppError> {
    let now = db::now();
    let Err((permanent, err)) = outcome else {
        sqlx::query!(
            "UPDATE email_outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?",
            now,
            id
        )
        .execute(pool)
        .await?;
        return Ok(true);
    };
    let tried = attempts + 1;
    let next = db::timestamp(
        chrono::Utc::now()
            + chrono::Duration::from_std(super::notify::backoff(
                config.webhook_retry_base_ms,
                attempts,
            ))
            .unwrap_or_default(),
    );
    let failed = (permanent || tried >= MAX_ATTEMPTS).then(|| now.clone());
    tracing::warn!(email = id, attempts = tried, error = %err, "status email not sent");
    sqlx::query!(
        "UPDATE email_outbox SET attempts = ?, next_attempt_at = ?, failed_at = ?, last_error = ? WHERE id = ?",
        tried,
        next,
        failed,
        err,
        id
    )
    .execute(pool)
    .await?;
    Ok(false)
}

/// Sends one plain-text email from `HEARTH_SMTP_FROM`; an error says whether trying again is
/// pointless (a bad address never becomes good) and why.
pub async fn send(
    config: &Config,
    mailer: &AsyncSmtpTransport<Tokio1Executor>,
    to: &str,
    text: Text,
) -> Result<(), (bool, String)> {
    let message = config
        .smtp_from
        .parse()
        .map_err(|e| format!("HEARTH_SMTP_FROM: {e}"))
        .and_then(|from| {
            let to = to.parse().map_err(|e| format!("address {to}: {e}"))?;
            Message::builder()
                .from(from)
                .to(to)
                .subject(text.subject)
                .header(ContentType::TEXT_PLAIN)
                .body(text.body)
                .map_err(|e| e.to_string())
        });
    match message {
        Ok(m) => mailer
            .send(m)
            .await
            .map(|_| ())
            .map_err(|e| (e.is_permanent(), e.to_string())),
        Err(e) => Err((true, e)),
    }
}

/// The SMTP connection of `HEARTH_SMTP_URL`, or None (not set, or not usable: logged).
pub fn mailer(config: &Config) -> Option<AsyncSmtpTransport<Tokio1Executor>> {
    let url = config.smtp_url.as_deref()?;
    match AsyncSmtpTransport::<Tokio1Executor>::from_url(url) {
        Ok(b) => Some(b.timeout(Some(Duration::from_secs(15))).build()),
        Err(e) => {
            tracing::error!(error = %e, "HEARTH_SMTP_URL is not usable; no emails will be sent");
            None
        }
    }
}

/// Runs the sending loop for this process: wakes on order changes (`server::wakes`: at most
/// every 100 ms), and at least every second for retries. Does nothing when no SMTP server is
/// configured.
pub fn spawn_worker(state: crate::server::state::AppState) {
    let Some(mailer) = mailer(&state.config) else {
        return;
    };
    let mut wakes = crate::server::wakes::Wakes::new(&state.events, Duration::from_millis(1000));
    tokio::spawn(async move {
        loop {
            let sent = send_due(&state.pool, &state.config, &mailer).await;
            wakes.after("email worker", sent).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_says_what_happened_with_the_tracking_link() {
        let en = crate::i18n::Lang::english();
        let t = compose(
            &en,
            "Obrador",
            "Ana",
            1042,
            "order.status_changed",
            "out_for_delivery",
            "2026-11-27",
            Some("09:00–11:00".into()),
            "https://x/t/abc",
        );
        assert_eq!(t.subject, "Order #1042: Out for delivery");
        assert!(t.body.starts_with("Hi Ana,"));
        assert!(t.body.contains("Friday 27 November, 09:00–11:00"));
        assert!(t.body.contains("https://x/t/abc"));
        assert!(t.body.ends_with("Obrador\n"));
        // The short form of an event's subject, for order #7 on `day`.
        let subject = |event: &str, status: &str, day: &str| {
            compose(&en, "O", "A", 7, event, status, day, None, "u").subject
        };
        assert_eq!(
            subject("order.created", "received", "2026-11-27"),
            "Order #7 received"
        );
        assert!(
            subject("order.updated", "confirmed", "2026-11-28").contains("Saturday 28 November")
        );
        assert_eq!(
            subject("order.cancelled", "cancelled", "2026-11-28"),
            "Order #7 cancelled"
        );
        // In the order's language: Spanish words, day and status names.
        let es = crate::i18n::Lang::parse("es").unwrap();
        let t = compose(
            &es,
            "Obrador",
            "Ana",
            1042,
            "order.status_changed",
            "out_for_delivery",
            "2026-11-27",
            Some("09:00–11:00".into()),
            "https://x/t/abc",
        );
        assert_eq!(t.subject, "Pedido n.º 1042: En reparto");
        assert!(t.body.starts_with("Hola, Ana:"), "{}", t.body);
        assert!(
            t.body.contains("viernes 27 de noviembre, 09:00–11:00"),
            "{}",
            t.body
        );
        assert!(
            t.body.contains("Síguelo en directo: https://x/t/abc"),
            "{}",
            t.body
        );
    }
}
