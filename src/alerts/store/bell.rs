//! The owner's bell and switches: which kinds of alert go where, the latest alerts worded for
//! the reader, and who read what. Part of the alerts' one writer.
use sqlx::SqliteConnection;

use super::super::{Inbox, Item, Setting, KINDS, SHOWN};
use super::word;
use crate::error::AppError;
use crate::i18n::Lang;

/// The settings of every kind, in `KINDS` order.
pub async fn settings(conn: &mut SqliteConnection) -> Result<Vec<Setting>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT kind AS "kind!", in_app AS "in_app!: bool", email AS "email!: bool", push AS "push!: bool"
           FROM alert_settings"#
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(KINDS
        .iter()
        .map(|k| {
            let row = rows.iter().find(|r| r.kind == *k);
            Setting {
                kind: k.to_string(),
                in_app: row.is_none_or(|r| r.in_app),
                email: row.is_some_and(|r| r.email),
                push: row.is_none_or(|r| r.push),
            }
        })
        .collect())
}

/// Sets what the owner wants of `kind` (checked against `KINDS` by the caller).
pub async fn set(
    conn: &mut SqliteConnection,
    kind: &str,
    in_app: bool,
    email: bool,
    push: bool,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO alert_settings (kind, in_app, email, push) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind) DO UPDATE SET in_app = excluded.in_app, email = excluded.email, push = excluded.push",
        kind,
        in_app,
        email,
        push
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The bell of `user_id`: the latest alerts they did not cause themselves, worded in `lang`.
pub async fn inbox(
    conn: &mut SqliteConnection,
    user_id: i64,
    lang: &Lang,
    config: &crate::server::config::Config,
) -> Result<Inbox, AppError> {
    let seen = sqlx::query_scalar!(
        "SELECT seen_up_to FROM alert_reads WHERE user_id = ?",
        user_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or(0);
    let unread = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM alerts
           WHERE id > ? AND in_app = 1 AND (caused_by IS NULL OR caused_by <> ?)"#,
        seen,
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", kind, args, link, created_at FROM alerts
           WHERE in_app = 1 AND (caused_by IS NULL OR caused_by <> ?)
           ORDER BY id DESC LIMIT ?"#,
        user_id,
        SHOWN
    )
    .fetch_all(&mut *conn)
    .await?;
    let currency = config.currency();
    let tz = config.timezone();
    let items = rows
        .into_iter()
        .map(|r| {
            let when = chrono::DateTime::parse_from_rfc3339(&r.created_at)
                .map(|t| lang.date_time(t.with_timezone(&tz)))
                .unwrap_or(r.created_at);
            Item {
                id: r.id,
                text: word(lang, &r.kind, &r.args, &currency),
                kind: r.kind,
                when,
                link: r.link,
                unread: r.id > seen,
            }
        })
        .collect();
    Ok(Inbox { unread, items })
}

/// `user_id` has read every alert up to `up_to`.
pub async fn mark_read(
    conn: &mut SqliteConnection,
    user_id: i64,
    up_to: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO alert_reads (user_id, seen_up_to) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET seen_up_to = MAX(seen_up_to, excluded.seen_up_to)",
        user_id,
        up_to
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
