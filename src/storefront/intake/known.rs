//! What every order is checked against and the owner seldom changes — the products by SKU, the
//! districts and which automatic promotions run — kept in memory per database file, tagged with
//! `catalog_version.n`.
//!
//! Every change to those tables gives that number a new random value in the change's own
//! transaction (migrations `20261207000001_catalog_version` and
//! `20261207000002_catalog_promotions`), whoever makes it. An order reads
//! the number (the storefront's key check reads it in the statement it makes anyway) and uses
//! the copy when the numbers match; otherwise it reads the tables again. The number is read
//! before the tables, so a copy is never older than its tag: a change landing between the two
//! reads is read again by the next order.
//!
//! Reading both tables was two of the four statements a storefront order made before its
//! write turn, and the only ones returning many rows (and parsing every district's outline);
//! the promotions running were one statement under the turn. What each of those promotions
//! offers, and its uses so far, are still read under the turn.
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use sqlx::SqlitePool;

use crate::districts::model::District;
use crate::error::AppError;
use crate::storefront::validate::ProductRef;

/// The products, districts and automatic promotions as they were when `catalog_version` was
/// `version`.
#[derive(Debug)]
pub struct Known {
    pub version: i64,
    /// Active and inactive products by SKU.
    pub products: HashMap<String, ProductRef>,
    pub districts: Arc<Vec<District>>,
    /// The automatic promotions switched on (their ids).
    pub automatic: Vec<i64>,
}

/// The number tagging the products, districts and promotions as they are now.
pub async fn version<'e>(db: impl sqlx::SqliteExecutor<'e>) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT n AS "n!: i64" FROM catalog_version"#)
            .fetch_one(db)
            .await?,
    )
}

/// The products, districts and promotions as of `version` (read just before, from the same
/// file): the copy in memory when it carries that number, else the tables read again.
pub async fn at(pool: &SqlitePool, version: i64) -> Result<Arc<Known>, AppError> {
    let file = pool.connect_options().get_filename().to_path_buf();
    if let Some(known) = copies()
        .get(&file)
        .filter(|k| k.version == version)
        .cloned()
    {
        return Ok(known);
    }
    let known = Arc::new(Known {
        version,
        products: super::products(pool).await?,
        districts: Arc::new(crate::districts::repo::list(pool).await?),
        automatic: crate::promotions::store::automatic(pool).await?,
    });
    copies().insert(file, known.clone());
    Ok(known)
}

/// The products, districts and promotions as they are now (one read of the number, then `at`).
pub async fn current(pool: &SqlitePool) -> Result<Arc<Known>, AppError> {
    let v = version(pool).await?;
    at(pool, v).await
}

fn copies() -> std::sync::MutexGuard<'static, HashMap<PathBuf, Arc<Known>>> {
    static COPIES: OnceLock<Mutex<HashMap<PathBuf, Arc<Known>>>> = OnceLock::new();
    COPIES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A second pool on the file stands for another process (the CLI, a second server).
    async fn other(pool: &SqlitePool) -> SqlitePool {
        let opts = (*pool.connect_options()).clone();
        sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .unwrap()
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn a_copy_is_used_until_products_or_districts_change_from_anywhere(pool: SqlitePool) {
        let cfg = crate::server::config::Config::from_env().unwrap();
        crate::server::demo::load(&pool, &cfg, false).await.unwrap();
        let first = current(&pool).await.unwrap();
        let price = first.products["BRD-SOUR"].price_cents;
        assert!(!first.districts.is_empty());
        // Nothing changed: the same copy, not a new read.
        assert!(Arc::ptr_eq(&first, &current(&pool).await.unwrap()));

        let elsewhere = other(&pool).await;
        sqlx::query("UPDATE products SET price_cents = price_cents + 100 WHERE sku = 'BRD-SOUR'")
            .execute(&elsewhere)
            .await
            .unwrap();
        let priced = current(&pool).await.unwrap();
        assert_ne!(priced.version, first.version);
        assert_eq!(priced.products["BRD-SOUR"].price_cents, price + 100);

        let name = priced.districts[0].name.clone();
        sqlx::query("UPDATE districts SET delivery_fee_cents = 777 WHERE name = ?")
            .bind(&name)
            .execute(&elsewhere)
            .await
            .unwrap();
        let fee = current(&pool).await.unwrap();
        let d = fee.districts.iter().find(|d| d.name == name).unwrap();
        assert_eq!(d.delivery_fee_cents, 777);

        sqlx::query(
            "INSERT INTO districts (name, colour, boundary)
             SELECT 'Nuevo', colour, boundary FROM districts WHERE name = ?",
        )
        .bind(&name)
        .execute(&elsewhere)
        .await
        .unwrap();
        let added = current(&pool).await.unwrap();
        assert_eq!(added.districts.len(), fee.districts.len() + 1);
        sqlx::query("DELETE FROM districts WHERE name = 'Nuevo'")
            .execute(&elsewhere)
            .await
            .unwrap();
        let gone = current(&pool).await.unwrap();
        assert!(gone.districts.iter().all(|d| d.name != "Nuevo"));
        assert_eq!(gone.districts.len(), fee.districts.len());

        sqlx::query(
            "INSERT INTO products (sku, name, category, price_cents, daily_capacity)
             VALUES ('NEW-ONE', 'New', 'bread', 250, 10)",
        )
        .execute(&elsewhere)
        .await
        .unwrap();
        assert_eq!(
            current(&pool).await.unwrap().products["NEW-ONE"].price_cents,
            250
        );

        // The automatic promotions running: switched on and off elsewhere, seen by the next read.
        let switch = |on: bool| {
            sqlx::query(
                "UPDATE promotions SET automatic = 1, code = NULL, active = ?
                 WHERE id = (SELECT MIN(id) FROM promotions)",
            )
            .bind(on)
        };
        let first_id: i64 = sqlx::query_scalar("SELECT MIN(id) FROM promotions")
            .fetch_one(&pool)
            .await
            .unwrap();
        switch(true).execute(&elsewhere).await.unwrap();
        assert!(current(&pool).await.unwrap().automatic.contains(&first_id));
        switch(false).execute(&elsewhere).await.unwrap();
        assert!(!current(&pool).await.unwrap().automatic.contains(&first_id));
    }

    /// A copy read for one number is never handed out for another, even for a file opened
    /// anew with other contents.
    #[sqlx::test(migrations = "./migrations")]
    async fn another_number_reads_the_tables_again(pool: SqlitePool) {
        let v = version(&pool).await.unwrap();
        let copy = at(&pool, v).await.unwrap();
        let read_again = at(&pool, v.wrapping_add(1)).await.unwrap();
        assert!(!Arc::ptr_eq(&copy, &read_again));
        assert_eq!(read_again.version, v.wrapping_add(1));
    }
}
