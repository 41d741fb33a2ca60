//! Storefront API keys: 256 random bits shown once; only their SHA-256 is stored.
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::server::tokens::sha256_hex;

/// Keys start with this, so they are recognisable in logs and secret scanners.
pub const KEY_PREFIX: &str = "hk_live_";

/// A key as the owner sees it (never the key itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyInfo {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// Creates a key named `name`; returns (id, the full key). The key is not stored.
pub async fn create(
    pool: &SqlitePool,
    name: &str,
    created_by: Option<i64>,
) -> Result<(i64, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::invalid(
            "name",
            crate::said::said("refuse-key-name"),
        ));
    }
    let secret = crate::server::tokens::random_hex::<32>()?;
    let key = format!("{KEY_PREFIX}{secret}");
    let prefix = key[..KEY_PREFIX.len() + 6].to_string();
    let hash = sha256_hex(key.as_bytes());
    let now = crate::server::db::now();
    let id = sqlx::query!(
        "INSERT INTO api_keys (name, prefix, key_hash, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        name,
        prefix,
        hash,
        created_by,
        now,
        now
    )
    .execute(pool)
    .await?
    .last_insert_rowid();
    Ok((id, key))
}

/// A live key's id, and the number tagging the products and districts as they are now
/// (`intake::known`): read in the same statement, for the order the key is sending.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Authenticated {
    pub id: i64,
    pub catalog: i64,
}

/// The live key `key`, or None.
pub async fn authenticate(pool: &SqlitePool, key: &str) -> Result<Option<Authenticated>, AppError> {
    if !key.starts_with(KEY_PREFIX) || key.len() > 200 {
        return Ok(None);
    }
    let hash = sha256_hex(key.as_bytes());
    let row = sqlx::query!(
        r#"SELECT k.id AS "id!", k.last_used_at, (SELECT n FROM catalog_version) AS "catalog!: i64"
           FROM api_keys k WHERE k.key_hash = ? AND k.revoked_at IS NULL"#,
        hash
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    // Record use at most once a minute, off the request path, to keep reads lock-free.
    let stale = crate::server::db::timestamp(chrono::Utc::now() - chrono::Duration::minutes(1));
    if row
        .last_used_at
        .as_deref()
        .is_none_or(|t| t < stale.as_str())
    {
        let pool = pool.clone();
        let id = row.id;
        tokio::spawn(async move {
            let now = crate::server::db::now();
            let _ = sqlx::query!("UPDATE api_keys SET last_used_at = ? WHERE id = ?", now, id)
                .execute(&pool)
                .await;
        });
    }
    Ok(Some(Authenticated {
        id: row.id,
        catalog: row.catalog,
    }))
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<ApiKeyInfo>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", name, prefix, created_at, last_used_at, revoked_at
           FROM api_keys ORDER BY revoked_at IS NOT NULL, created_at DESC"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ApiKeyInfo {
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
        .collect())
}

/// Revokes a key; requests with it are refused from then on.
pub async fn revoke(pool: &SqlitePool, id: i64) -> Result<(), AppError> {
    let now = crate::server::db::now();
    let done = sqlx::query!(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?), updated_at = ? WHERE id = ?",
        now,
        now,
        id
    )
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound(crate::said::said(
            "refuse-what-that-api-key",
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test(migrations = "./migrations")]
    async fn keys_authenticate_until_revoked_and_are_stored_hashed(pool: SqlitePool) {
        let (id, key) = create(&pool, "Website", None).await.unwrap();
        assert!(key.starts_with(KEY_PREFIX) && key.len() == KEY_PREFIX.len() + 64);
        let catalog = crate::storefront::intake::known::version(&pool)
            .await
            .unwrap();
        assert_eq!(
            authenticate(&pool, &key).await.unwrap(),
            Some(Authenticated { id, catalog })
        );
        assert_eq!(authenticate(&pool, "hk_live_wrong").await.unwrap(), None);
        let stored: String = sqlx::query_scalar("SELECT key_hash FROM api_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_ne!(stored, key);
        assert_eq!(stored, sha256_hex(key.as_bytes()));
        revoke(&pool, id).await.unwrap();
        assert_eq!(authenticate(&pool, &key).await.unwrap(), None);
        assert_eq!(list(&pool).await.unwrap()[0].prefix, key[..14]);
        assert!(create(&pool, "  ", None).await.is_err());
    }
}
