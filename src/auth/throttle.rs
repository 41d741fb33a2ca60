//! The sign-in throttle. An attempt is counted *before* its password is checked, inside one
//! write transaction, so guesses sent at once cannot all slip past the count.
//!
//! Limits are per address and per account-and-address, never per account alone: a stranger
//! who fails on purpose slows down their own guesses, not the owner's sign-in from home.
//! - account + address: after `FREE_FAILURES` failures, each further attempt waits
//!   `FIRST_WAIT_SECS`, doubling per failure up to `THROTTLE_MINUTES` (backoff);
//! - address: at most `MAX_FAILURES_PER_ADDRESS` failures per `THROTTLE_MINUTES`, whatever
//!   the accounts tried.
//!
//! A success clears the account's slate.
use sqlx::SqlitePool;

use crate::error::AppError;

/// Failures of one account from one address that carry no wait.
pub const FREE_FAILURES: i64 = 3;
/// The wait after the first failure beyond the free ones; doubles with each further failure.
pub const FIRST_WAIT_SECS: i64 = 15;
/// Failed sign-ins allowed per address within `THROTTLE_MINUTES`.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// The window failures are counted in, and the longest wait.
pub const THROTTLE_MINUTES: i64 = 15;

/// How long an account-and-address with `failures` recent failures must wait after the last.
pub fn backoff_secs(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(16) as u32;
    (FIRST_WAIT_SECS << doublings).min(THROTTLE_MINUTES * 60)
}

/// Lets an attempt through (recording it as failed until `settle` says otherwise) and returns
/// its row id, or refuses with 429 and how long to wait.
pub async fn enter(pool: &SqlitePool, email: &str, ip: &str) -> Result<i64, AppError> {
    let now = chrono::Utc::now();
    let since = crate::server::db::timestamp(now - chrono::Duration::minutes(THROTTLE_MINUTES));
    let mut tx = crate::server::db::begin_write(pool).await?;
    let pair = sqlx::query!(
        r#"SELECT COUNT(*) AS "n!: i64", MAX(created_at) AS "last: String" FROM login_attempts
           WHERE email = ?1 AND ip = ?2 AND success = 0 AND created_at >= ?3
             AND created_at > COALESCE(
                 (SELECT MAX(created_at) FROM login_attempts WHERE email = ?1 AND success = 1), '')"#,
        email,
        ip,
        since
    )
    .fetch_one(&mut *tx)
    .await?;
    let from_address = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM login_attempts
           WHERE ip = ? AND success = 0 AND created_at >= ?"#,
        ip,
        since
    )
    .fetch_one(&mut *tx)
    .await?;
    if from_address >= MAX_FAILURES_PER_ADDRESS {
        tracing::warn!(%email, %ip, "sign-in refused: address throttled");
        return Err(AppError::TooManyRequests(crate::said::said_with(
            "refuse-sign-in-network",
            &[("minutes", &THROTTLE_MINUTES)],
        )));
    }
    let wait = backoff_secs(pair.n);
    if wait > 0 {
        let last = pair
            .last
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or(now);
        let left = wait - (now - last).num_seconds();
        if left > 0 {
            tracing::warn!(%email, %ip, left, "sign-in refused: backing off");
            return Err(AppError::TooManyRequests(crate::said::said_with(
                "refuse-sign-in-account",
                &[("wait", &in_words(left))],
            )));
        }
    }
    let at = crate::server::db::timestamp(now);
    let id = sqlx::query!(
        "INSERT INTO login_attempts (email, ip, success, created_at) VALUES (?, ?, 0, ?)",
        email,
        ip,
        at
    )
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    tx.commit().await?;
    Ok(id)
}

/// Takes back the attempt `id`: neither a failure nor a success (the password was right and
/// the second factor is still to come). A success would clear the account's failures, so an
/// attacker who knows the password could reset the backoff on code guesses by asking again.
pub async fn forget(pool: &SqlitePool, id: i64) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM login_attempts WHERE id = ?", id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Marks the attempt `id` as a success (it was recorded as a failure by `enter`).
pub async fn settle(pool: &SqlitePool, id: i64, ok: bool) -> Result<(), AppError> {
    if ok {
        sqlx::query!("UPDATE login_attempts SET success = 1 WHERE id = ?", id)
            .execute(pool)
            .await?;
    }
    Ok(())
}

fn in_words(secs: i64) -> String {
    if secs < 60 {
        crate::said::said_count("refuse-seconds", secs, &[])
    } else {
        crate::said::said_count("refuse-minutes", (secs + 59) / 60, &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_the_free_failures_and_stops_at_the_window() {
        let waits: Vec<i64> = (0..12).map(backoff_secs).collect();
        assert_eq!(&waits[..7], &[0, 0, 0, 15, 30, 60, 120]);
        assert_eq!(waits[11], THROTTLE_MINUTES * 60);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn waits_read_as_people_say_them() {
        assert_eq!(in_words(14), "14 seconds");
        assert_eq!(in_words(61), "2 minutes");
        assert_eq!(in_words(60), "1 minute");
    }
}
