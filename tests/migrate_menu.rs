//! Upgrading a bakery that already takes orders to the owner's menu (#20): the category column
//! loses its bread/pastry/cake check; every product, its orders and their prices
//! survive, categories get names, the menu keeps the old order, and the pickup hours that were
//! built into the code (Monday–Saturday 08:00–14:00) become settings. A real SQLite file,
//! migrated first to the schema before the menu, then to today's.
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

const MENU_MIGRATION: &str = "20261202000002";

#[tokio::test]
async fn an_existing_bakery_keeps_its_products_orders_and_hours() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let before = dir.path().join("before");
    std::fs::create_dir(&before).unwrap();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < MENU_MIGRATION {
            std::fs::copy(&path, before.join(&name)).unwrap();
        }
    }
    let url = format!("sqlite://{}/old.db", dir.path().display());
    let opts = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePool::connect_with(opts).await.unwrap();
    sqlx::migrate::Migrator::new(before.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();

    for sql in [
        "INSERT INTO products (id, sku, name, category, price_cents, daily_capacity) VALUES
           (1, 'CAK-1', 'Cheesecake', 'cake', 2400, 4), (2, 'BRD-2', 'Rye', 'bread', 500, 20),
           (3, 'PAS-3', 'Croissant', 'pastry', 180, 50), (4, 'BRD-1', 'Baguette', 'bread', 220, 60)",
        "INSERT INTO customers (id, name, phone) VALUES (1, 'Ana', '+34600000001')",
        "INSERT INTO orders (id, number, tracking_token, customer_id, status, fulfilment, fulfil_on,
                             payment_method, subtotal_cents, total_cents)
         VALUES (1, 1, 'tok', 1, 'received', 'pickup', '2026-12-10', 'pay_at_pickup', 2900, 2900)",
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (1, 1, 1, 2400), (1, 2, 1, 500)",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }

    sqlx::migrate!("./migrations").run(&pool).await.unwrap();

    let menu: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, sku, category, price_cents FROM products ORDER BY sort_order")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        menu,
        [
            (4, "BRD-1".into(), "Breads".into(), 220),
            (2, "BRD-2".into(), "Breads".into(), 500),
            (3, "PAS-3".into(), "Pastries".into(), 180),
            (1, "CAK-1".into(), "Cakes".into(), 2400),
        ]
    );
    let lines: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.name, i.unit_price_cents FROM order_items i JOIN products p ON p.id = i.product_id ORDER BY i.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(lines, [("Cheesecake".into(), 2400), ("Rye".into(), 500)]);
    let broken: Vec<(String, i64, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(fk, 1, "foreign keys are back on");
    let hours: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT weekday, opens, closes FROM pickup_hours ORDER BY weekday")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(hours.len(), 6);
    assert_eq!(hours[0], (0, "08:00".into(), "14:00".into()));
    // The owner's own categories are allowed now.
    sqlx::query("UPDATE products SET category = 'Celebration cakes' WHERE id = 1")
        .execute(&pool)
        .await
        .unwrap();
    // And an order can't point at a product that isn't there.
    let orphan = sqlx::query(
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (1, 99, 1, 1)",
    )
    .execute(&pool)
    .await;
    assert!(
        orphan.is_err(),
        "foreign keys still hold on the rebuilt table"
    );
}

#[tokio::test]
async fn a_new_database_starts_with_no_pickup_hours() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/new.db", dir.path().display());
    let opts = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePool::connect_with(opts).await.unwrap();
    sqlx::migrate!("./migrations").run(&pool).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pickup_hours")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 0, "a new bakery sets its own hours");
}
