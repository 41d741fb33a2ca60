//! Alert emails to the owners: each pending alert goes to every active owner, in their own
//! language, through `HEARTH_SMTP_URL`, retried with backoff, given up after `MAX_ATTEMPTS`
//! or once it is `STALE_HOURS` old (an alert that late is no longer news).
use std::time::Duration;

use lettre::{AsyncSmtpTransport, Tokio1Executor};
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::server::config::Config;
use crate::server::db;

pub const MAX_ATTEMPTS: i64 = 8;
pub const STALE_HOURS: i64 = 12;

/// An alert email's subject and body, in `lang`.
pub fn compose(lang: &Lang, business: &str, text: &str, link: &str) -> (String, String) {
    let subject = format!("{business}: {text}");
    let body = format!(
        "{text}\n\n{link}\n\n{}\n",
        lang.t_with(
            "alert-email-footer",
            &[("business", business.to_string().into())]
        )
    );
    (subject, body)
}

/// Sends what is due; returns how many alerts went out.
pub async fn send_due(
    pool: &SqlitePool,
    config: &Config,
    mailer: &AsyncSmtpTransport<Tokio1Executor>,
) -> Result<usize, AppError> {
    let mut conn = pool.acquire().await?;
    let stale = db::timestamp(chrono::Utc::now() - chrono::Duration::hours(STALE_HOURS));
    super::store::drop_stale_emails(&mut conn, &stale).await?;
    let now = db::now();
    let due = sqlx::query!(
        r#"SELECT id AS "id!", kind, args, link, email_attempts FROM alerts
           WHERE email_status = 'pending' AND email_next_at <= ? ORDER BY id LIMIT 20"#,
        now
    )
    .fetch_all(&mut *conn)
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let owners = super::store::owner_emails(&mut conn).await?;
    let business = config.business_name();
    let base = config.public_url.trim_end_matches('/').to_string();
    let mut sent = 0;
    for alert in due {
        let mut outcome: Result<(), (bool, String)> = if owners.is_empty() {
            Err((true, "no active owner has an email address".into()))
        } else {
            Ok(())
        };
        for (email, language) in &owners {
            if outcome.is_err() {
                break;
            }
            let lang = Lang::pick(&[language.as_deref(), Some(&config.language())]);
            let text = super::store::word(&lang, &alert.kind, &alert.args, &config.currency());
            let (subject, body) =
                compose(&lang, &business, &text, &format!("{base}{}", alert.link));
            outcome = crate::orders::email::send(
                config,
                mailer,
                email,
                crate::orders::email::Text { subject, body },
            )
            .await;
        }
        let give_up = |(permanent, e): (bool, String)| {
            (permanent || alert.email_attempts + 1 >= MAX_ATTEMPTS, e)
        };
        let ok = outcome.is_ok();
        let outcome = outcome.map_err(give_up);
        if let Err((_, e)) = &outcome {
            tracing::warn!(alert = alert.id, error = %e, "alert email not sent");
        }
        let next = db::timestamp(
            chrono::Utc::now()
                + chrono::Duration::from_std(crate::orders::notify::backoff(
                    config.webhook_retry_base_ms,
                    alert.email_attempts,
                ))
                .unwrap_or_default(),
        );
        super::store::emailed(&mut conn, alert.id, outcome, &next).await?;
        sent += usize::from(ok);
    }
    Ok(sent)
}

/// The sending loop: wakes on order changes (`server::wakes`: at most every 100 ms) and at
/// least every second. Does nothing when no SMTP server is configured.
pub fn spawn_worker(state: crate::server::state::AppState) {
    let Some(mailer) = crate::orders::email::mailer(&state.config) else {
        return;
    };
    let mut wakes = crate::server::wakes::Wakes::new(&state.events, Duration::from_millis(1000));
    tokio::spawn(async move {
        loop {
            let sent = send_due(&state.pool, &state.config, &mailer).await;
            wakes.after("alert email worker", sent).await;
        }
    });
}
