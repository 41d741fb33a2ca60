//! The audit log: every change to orders, customers, the menu, districts, settings, the team and
//! API keys, every export, backup and sign-in, with who, when, from where and what changed.
//! Append-only (the database refuses updates, and deletes younger than the retention); kept for
//! the owner's chosen number of days, then purged daily. `/audit` searches it (owner).
pub mod page;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Who did it: an account, or Hearth itself, the website (a storefront key), the command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Who {
    pub id: Option<i64>,
    pub name: String,
}

impl Who {
    pub fn user(id: i64, name: &str) -> Who {
        Who {
            id: Some(id),
            name: name.to_string(),
        }
    }

    pub fn named(name: &str) -> Who {
        Who {
            id: None,
            name: name.to_string(),
        }
    }
}

/// Appends one entry; the client's address comes from the request being handled. `detail` is
/// JSON: `{"before": …, "after": …}` or the facts of the change.
#[cfg(feature = "ssr")]
pub async fn record<'e>(
    ex: impl sqlx::SqliteExecutor<'e>,
    who: &Who,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let mut batch = crate::server::db::Batch::default();
    record_in(&mut batch, who, action, subject, detail);
    batch.run(ex).await?;
    Ok(())
}

/// `record`, added to a batch of writes the caller runs (inside its transaction).
#[cfg(feature = "ssr")]
pub fn record_in(
    batch: &mut crate::server::db::Batch,
    who: &Who,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
) {
    let ip = crate::server::request_id::client_ip();
    batch.push(
        "INSERT INTO audit_log (at, actor_id, actor, ip, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        vec![
            crate::server::db::now().into(),
            who.id.into(),
            who.name.as_str().into(),
            ip.into(),
            action.into(),
            subject.into(),
            detail.to_string().into(),
        ],
    );
}

#[cfg(feature = "ssr")]
impl crate::server::ctx::Ctx {
    /// Appends to the audit log as `me` (from this request's address).
    pub async fn audit(
        &self,
        me: &crate::auth::repo::UserAuth,
        action: &str,
        subject: &str,
        detail: serde_json::Value,
    ) -> Result<(), AppError> {
        record(
            self.db(),
            &Who::user(me.id, &me.name),
            action,
            subject,
            detail,
        )
        .await
    }
}

/// `{"before": a, "after": b}`.
#[cfg(feature = "ssr")]
pub fn change<T: Serialize>(before: &T, after: &T) -> serde_json::Value {
    serde_json::json!({ "before": before, "after": after })
}

/// Deletes entries older than the retention; returns how many went.
#[cfg(feature = "ssr")]
pub async fn purge(pool: &sqlx::SqlitePool) -> Result<u64, AppError> {
    let done = sqlx::query!(
        "DELETE FROM audit_log WHERE at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now',
            '-' || (SELECT audit_retention_days FROM business_settings WHERE id = 1) || ' days')"
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Purges at start and then daily, for as long as the server runs.
#[cfg(feature = "ssr")]
pub fn schedule_purge(pool: sqlx::SqlitePool) {
    tokio::spawn(async move {
        loop {
            match purge(&pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(entries = n, "audit log: old entries purged"),
                Err(e) => tracing::error!(error = %e, "audit log purge failed"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(86_400)).await;
        }
    });
}

/// One entry as the owner reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// Local time, "2 Dec 2026 17:04:05".
    pub at: String,
    pub actor: String,
    pub ip: String,
    pub action: String,
    pub subject: String,
    /// The JSON detail, pretty-printed (shown as text).
    pub detail: String,
}

/// A page of entries, newest first, and whether older ones match too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub more: bool,
    pub retention_days: i64,
}

/// The kinds of action the filter offers: (the message key of its label, action prefix).
pub const KINDS: [(&str, &str); 10] = [
    ("audit-kind-everything", ""),
    ("audit-kind-sign-in", "sign_in"),
    ("nav-orders", "order."),
    ("nav-menu", "menu."),
    ("audit-kind-districts", "district"),
    ("nav-settings", "settings."),
    ("audit-kind-team", "user."),
    ("audit-kind-api-keys", "api_key."),
    ("audit-kind-exports", "export."),
    ("audit-kind-backups", "backup"),
];

/// Searches the log: `q` in who, what, subject, address or detail; `kind` an action prefix;
/// `from`/`to` local dates (inclusive); `before` an id to page back from. Owner.
#[server(endpoint = "list_audit")]
pub async fn list_audit(
    #[server(default)] q: String,
    #[server(default)] kind: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] before: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        const PAGE: i64 = 100;
        let tz = cx.config().timezone();
        // Local dates → UTC bounds.
        let bound = |day: &str, field: &str, end: bool| -> Result<Option<String>, AppError> {
            if day.trim().is_empty() {
                return Ok(None);
            }
            let d = crate::orders::model::parse_day(day, field)?;
            let d = if end { d + chrono::Duration::days(1) } else { d };
            let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            let utc = chrono::TimeZone::from_local_datetime(&tz, &local)
                .earliest()
                .map(|t| crate::server::db::timestamp(t.with_timezone(&chrono::Utc)));
            Ok(utc)
        };
        let (since, until) = (bound(&from, "from", false)?, bound(&to, "to", true)?);
        let like = crate::server::db::contains_pattern(q.trim());
        let prefix = format!("{}%", kind.trim());
        let limit = PAGE + 1;
        let rows = sqlx::query!(
            r#"SELECT id AS "id!", at, actor, ip, action, subject, detail FROM audit_log
               WHERE (?1 IS NULL OR id < ?1)
                 AND action LIKE ?2
                 AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4)
                 AND (actor LIKE ?5 ESCAPE '\' OR action LIKE ?5 ESCAPE '\' OR subject LIKE ?5 ESCAPE '\'
                      OR ifnull(ip, '') LIKE ?5 ESCAPE '\' OR detail LIKE ?5 ESCAPE '\')
               ORDER BY id DESC LIMIT ?6"#,
            before,
            prefix,
            since,
            until,
            like,
            limit
        )
        .fetch_all(cx.db())
        .await?;
        let more = rows.len() as i64 > PAGE;
        let rows = rows
            .into_iter()
            .take(PAGE as usize)
            .map(|r| AuditRow {
                id: r.id,
                at: chrono::DateTime::parse_from_rfc3339(&r.at)
                    .map(|t| t.with_timezone(&tz).format("%-d %b %Y %H:%M:%S").to_string())
                    .unwrap_or(r.at),
                actor: r.actor,
                ip: r.ip.unwrap_or_default(),
                action: r.action,
                subject: r.subject,
                detail: serde_json::from_str::<serde_json::Value>(&r.detail)
                    .ok()
                    .filter(|v| v.as_object().is_none_or(|o| !o.is_empty()))
                    .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
                    .unwrap_or_default(),
            })
            .collect();
        let retention_days = sqlx::query_scalar!(
            "SELECT audit_retention_days FROM business_settings WHERE id = 1"
        )
        .fetch_one(cx.db())
        .await?;
        Ok(AuditPage {
            rows,
            more,
            retention_days,
        })
    })
    .await
}

/// Sets how long entries are kept (30 to 3,650 days). Owner; recorded.
#[server(endpoint = "set_audit_retention")]
pub async fn set_audit_retention(days: String) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let days: i64 = days
            .trim()
            .parse()
            .ok()
            .filter(|d| (30..=3650).contains(d))
            .ok_or_else(|| AppError::invalid("days", crate::said::said("refuse-audit-days")))?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let before =
            sqlx::query_scalar!("SELECT audit_retention_days FROM business_settings WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query!(
            "UPDATE business_settings SET audit_retention_days = ? WHERE id = 1",
            days
        )
        .execute(&mut *tx)
        .await?;
        record(
            &mut *tx,
            &Who::user(me.id, &me.name),
            "settings.audit_retention",
            "Audit log",
            change(&before, &days),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
