//! The one writer of consent: each change is a ledger row (channel, given or withdrawn, how,
//! by whom) and the customer's current flag for that channel, written together. Only a merge of
//! two records (which moves their ledgers with them) and an erasure set the flags otherwise.
use sqlx::SqliteConnection;

use super::Channel;
use crate::error::AppError;

/// Gives (`granted`) or withdraws consent for `channel`; answers whether anything changed (the
/// same state again writes no row).
pub async fn set(
    conn: &mut SqliteConnection,
    customer: i64,
    channel: Channel,
    granted: bool,
    source: &str,
    user: Option<i64>,
) -> Result<bool, AppError> {
    let now_flags = sqlx::query!(
        r#"SELECT email_ok AS "email: bool", sms_ok AS "sms: bool", whatsapp_ok AS "whatsapp: bool"
           FROM customers WHERE id = ? AND erased_at IS NULL"#,
        customer
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-customer")))?;
    let current = match channel {
        Channel::Email => now_flags.email,
        Channel::Sms => now_flags.sms,
        Channel::Whatsapp => now_flags.whatsapp,
    };
    if current == granted {
        return Ok(false);
    }
    let source: String = source.chars().take(120).collect();
    let (name, now) = (channel.code(), crate::server::db::now());
    sqlx::query!(
        "INSERT INTO consents (customer_id, channel, granted, source, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        customer,
        name,
        granted,
        source,
        user,
        now
    )
    .execute(&mut *conn)
    .await?;
    match channel {
        Channel::Email => sqlx::query!(
            "UPDATE customers SET email_ok = ? WHERE id = ?",
            granted,
            customer
        ),
        Channel::Sms => sqlx::query!(
            "UPDATE customers SET sms_ok = ? WHERE id = ?",
            granted,
            customer
        ),
        Channel::Whatsapp => {
            sqlx::query!(
                "UPDATE customers SET whatsapp_ok = ? WHERE id = ?",
                granted,
                customer
            )
        }
    }
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE customers SET marketing_opt_in = (email_ok OR sms_ok OR whatsapp_ok), updated_at = ? WHERE id = ?",
        now,
        customer
    )
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// The customer's unsubscribe token (made on first use): 128 random bits, hex.
pub async fn token(conn: &mut SqliteConnection, customer: i64) -> Result<String, AppError> {
    if let Some(t) = sqlx::query_scalar!(
        "SELECT unsubscribe_token FROM customers WHERE id = ?",
        customer
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten()
    {
        return Ok(t);
    }
    let t = crate::server::tokens::tracking_token()?;
    sqlx::query!(
        "UPDATE customers SET unsubscribe_token = ? WHERE id = ?",
        t,
        customer
    )
    .execute(&mut *conn)
    .await?;
    Ok(t)
}
