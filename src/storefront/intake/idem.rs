//! A storefront request's Idempotency-Key: where it stands, read inside the order's grouped
//! write (its first statement, carrying the group's opening) or, for a body that no longer
//! passes validation, alone.
use sqlx::SqliteConnection;

use crate::error::AppError;
use crate::server::group::Opening;

/// The idempotency record of a request: (API key id, Idempotency-Key).
#[derive(Debug, Clone)]
pub struct IdemKey {
    pub api_key_id: i64,
    pub key: String,
    /// SHA-256 of the request's canonical body: the same key with another body is refused.
    pub request_hash: String,
}

/// Where a request stands with respect to its Idempotency-Key.
#[derive(Debug, PartialEq)]
pub enum Claim {
    /// First time: go ahead.
    Fresh,
    /// Already done: send this again.
    Replay { status: u16, body: String },
    /// The key was used with a different body.
    Mismatch,
}

/// Where `key` stands. `create_keyed` asks inside the order's own write transaction, so that
/// two requests with one key can't both create (a retry sent while the first is still being
/// written waits for it and gets its answer), and the key is recorded in that same
/// transaction: one write per order, and nothing to undo after a refusal. The handler asks
/// without the write turn only when the body no longer passes validation. (A `pending` row
/// left by a version that claimed keys in a transaction of their own is taken over.)
pub async fn lookup<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    key: &IdemKey,
) -> Result<Claim, AppError> {
    let row = sqlx::query_as(LOOKUP)
        .bind(key.api_key_id)
        .bind(&key.key)
        .fetch_optional(db)
        .await?;
    Ok(claim(row, key))
}

/// `lookup` as a grouped write's first statement: the group's opening (`server::group`)
/// goes with it.
pub(super) async fn lookup_opening(
    conn: &mut SqliteConnection,
    opening: &mut Opening,
    key: &IdemKey,
) -> Result<Claim, AppError> {
    let sql = opening.before(LOOKUP);
    let row = sqlx::query_as(&sql)
        .bind(key.api_key_id)
        .bind(&key.key)
        .fetch_optional(conn)
        .await;
    opening.sent(&row);
    Ok(claim(row?, key))
}

/// The key's record: its request's hash, its state, and the answer once done. (Run as text,
/// not checked by `sqlx::query!`, so that the group's opening can go before it; the tests of
/// idempotency run it.)
const LOOKUP: &str = "SELECT request_hash, state, response_status, response_body
     FROM idempotency_keys WHERE api_key_id = ? AND idem_key = ?";

/// `LOOKUP`'s row.
type KeyRow = (String, String, Option<i64>, Option<String>);

fn claim(row: Option<KeyRow>, key: &IdemKey) -> Claim {
    match row {
        None => Claim::Fresh,
        Some((hash, ..)) if hash != key.request_hash => Claim::Mismatch,
        Some((_, state, status, body)) if state == "done" => Claim::Replay {
            status: status.unwrap_or(201) as u16,
            body: body.unwrap_or_default(),
        },
        Some(_) => Claim::Fresh,
    }
}
