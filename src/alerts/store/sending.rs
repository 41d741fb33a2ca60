//! Alerts on their way out: the email and web-push status of each alert, and whom alert
//! emails go to. Part of the alerts' one writer.
use sqlx::SqliteConnection;

use crate::error::AppError;

/// No email or notification for any alert still waiting to be sent (the demo's seeding raises
/// alerts that are not news to anyone).
pub async fn nothing_to_send_for_what_is_pending(
    conn: &mut SqliteConnection,
) -> Result<(), AppError> {
    sqlx::query!("UPDATE alerts SET email_status = NULL WHERE email_status = 'pending'")
        .execute(&mut *conn)
        .await?;
    sqlx::query!("UPDATE alerts SET push_status = NULL WHERE push_status = 'pending'")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The alert went to every device it was for (`push`; a failed device is not tried again: a
/// late notification is no news).
pub async fn pushed(conn: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    sqlx::query!("UPDATE alerts SET push_status = 'sent' WHERE id = ?", id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether any alert waits to be pushed (a read: no lock).
pub async fn any_push_pending(conn: &mut SqliteConnection) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM alerts WHERE push_status = 'pending') AS "any!: bool""#
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Notifications still pending after `stale` (a timestamp) are no longer news: not sent.
pub async fn drop_stale_pushes(conn: &mut SqliteConnection, stale: &str) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE alerts SET push_status = NULL WHERE push_status = 'pending' AND created_at < ?",
        stale
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An email's outcome (`mail`): sent, or tried again at `next` / given up (`failed`).
pub async fn emailed(
    conn: &mut SqliteConnection,
    id: i64,
    outcome: Result<(), (bool, String)>,
    next: &str,
) -> Result<(), AppError> {
    match outcome {
        Ok(()) => {
            sqlx::query!(
                "UPDATE alerts SET email_status = 'sent', email_attempts = email_attempts + 1 WHERE id = ?",
                id
            )
            .execute(&mut *conn)
            .await?;
        }
        Err((give_up, error)) => {
            let status = if give_up { "failed" } else { "pending" };
            sqlx::query!(
                "UPDATE alerts SET email_status = ?, email_attempts = email_attempts + 1, email_next_at = ?, email_error = ? WHERE id = ?",
                status,
                next,
                error,
                id
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Emails still pending after `stale` (a timestamp) are no longer news: given up.
pub async fn drop_stale_emails(conn: &mut SqliteConnection, stale: &str) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE alerts SET email_status = 'failed', email_error = 'not sent in time: dropped'
         WHERE email_status = 'pending' AND created_at < ?",
        stale
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The active owners with an email address, oldest account first: (email, language). Whom
/// alert emails go to, whom Settings lists, and whose address signs web pushes.
pub async fn owner_emails(
    conn: &mut SqliteConnection,
) -> Result<Vec<(String, Option<String>)>, AppError> {
    Ok(sqlx::query!(
        "SELECT email, language FROM users WHERE role = 'owner' AND active = 1 AND email LIKE '%@%' ORDER BY id"
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.email, r.language))
    .collect())
}
