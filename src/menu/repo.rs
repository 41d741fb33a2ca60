//! The one writer of `products`. The menu page, the demo loader and (later) CSV import all
//! come here. A price change never touches an order: each order line keeps the price it was
//! taken at (`order_items.unit_price_cents`).
use sqlx::{SqliteConnection, SqlitePool};

use super::model::{split_codes, Product, ValidProduct};
use crate::error::AppError;
use crate::server::db;

/// Every product, archived ones last, in menu order (categories in the order of their first
/// product), with how many orders have each.
pub async fn list(pool: &SqlitePool) -> Result<Vec<Product>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT p.id AS "id!", p.sku, p.name, p.description, p.category, p.price_cents, p.tax_rate_bp,
                  p.daily_capacity, p.allergens, p.dietary, p.offered_weekdays, p.lead_days,
                  p.min_quantity, p.max_quantity, p.active AS "active: bool", p.sort_order,
                  (SELECT COUNT(DISTINCT i.order_id) FROM order_items i WHERE i.product_id = p.id) AS "orders!: i64",
                  (SELECT MIN(q.sort_order) FROM products q WHERE q.category = p.category) AS "category_rank!: i64",
                  ph.updated_at AS "photo_at?"
           FROM products p LEFT JOIN product_photos ph ON ph.product_id = p.id
           ORDER BY p.active DESC, "category_rank!: i64", p.sort_order, p.id"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Product {
            id: r.id,
            sku: r.sku,
            name: r.name,
            description: r.description,
            category: r.category,
            price_cents: r.price_cents,
            tax_rate_bp: r.tax_rate_bp,
            daily_capacity: r.daily_capacity,
            allergens: split_codes(&r.allergens),
            dietary: split_codes(&r.dietary),
            offered_weekdays: r.offered_weekdays,
            lead_days: r.lead_days,
            min_quantity: r.min_quantity,
            max_quantity: r.max_quantity,
            active: r.active,
            sort_order: r.sort_order,
            orders: r.orders,
            photo: r.photo_at.map(|at| photo_path(r.id, &at)),
        })
        .collect())
}

async fn sku_taken(
    conn: &mut SqliteConnection,
    sku: &str,
    other_than: Option<i64>,
) -> Result<(), AppError> {
    let holder = sqlx::query!(
        r#"SELECT id AS "id!", name FROM products WHERE sku = ? COLLATE NOCASE AND id IS NOT ?"#,
        sku,
        other_than
    )
    .fetch_optional(conn)
    .await?;
    match holder {
        Some(h) => Err(AppError::invalid(
            "sku",
            crate::said::said_with("refuse-sku-used", &[("sku", &sku), ("name", &h.name)]),
        )),
        None => Ok(()),
    }
}

/// Adds a product at the end of its category (or of the menu for a new category).
pub async fn create(conn: &mut SqliteConnection, p: &ValidProduct) -> Result<i64, AppError> {
    sku_taken(conn, &p.sku, None).await?;
    let now = db::now();
    let order = sqlx::query_scalar!(
        r#"SELECT COALESCE(MAX(sort_order), 0) + 1 AS "n!: i64" FROM products"#
    )
    .fetch_one(&mut *conn)
    .await?;
    let id = sqlx::query!(
        "INSERT INTO products (sku, name, description, category, price_cents, tax_rate_bp, daily_capacity,
                               allergens, dietary, offered_weekdays, lead_days, min_quantity, max_quantity,
                               sort_order, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.sku,
        p.name,
        p.description,
        p.category,
        p.price_cents,
        p.tax_rate_bp,
        p.daily_capacity,
        p.allergens,
        p.dietary,
        p.offered_weekdays,
        p.lead_days,
        p.min_quantity,
        p.max_quantity,
        order,
        now,
        now
    )
    .execute(conn)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// Changes a product. Orders already taken keep their lines and prices.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    p: &ValidProduct,
) -> Result<(), AppError> {
    sku_taken(conn, &p.sku, Some(id)).await?;
    let now = db::now();
    let done = sqlx::query!(
        "UPDATE products SET sku = ?, name = ?, description = ?, category = ?, price_cents = ?, tax_rate_bp = ?,
                daily_capacity = ?, allergens = ?, dietary = ?, offered_weekdays = ?, lead_days = ?,
                min_quantity = ?, max_quantity = ?, updated_at = ?
         WHERE id = ?",
        p.sku,
        p.name,
        p.description,
        p.category,
        p.price_cents,
        p.tax_rate_bp,
        p.daily_capacity,
        p.allergens,
        p.dietary,
        p.offered_weekdays,
        p.lead_days,
        p.min_quantity,
        p.max_quantity,
        now,
        id
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound(crate::said::said(
            "refuse-what-that-product",
        )));
    }
    Ok(())
}

/// Archives (off the catalog, kept for its orders) or puts back on the menu.
pub async fn set_active(
    conn: &mut SqliteConnection,
    id: i64,
    active: bool,
) -> Result<(), AppError> {
    let now = db::now();
    let done = sqlx::query!(
        "UPDATE products SET active = ?, updated_at = ? WHERE id = ?",
        active,
        now,
        id
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound(crate::said::said(
            "refuse-what-that-product",
        )));
    }
    Ok(())
}

/// Deletes a product no order has ever had; one with orders can only be archived.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    let used = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM order_items WHERE product_id = ?"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    if used > 0 {
        return Err(AppError::Conflict(crate::said::said(
            "refuse-product-in-orders",
        )));
    }
    let done = sqlx::query!("DELETE FROM products WHERE id = ?", id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound(crate::said::said(
            "refuse-what-that-product",
        )));
    }
    Ok(())
}

/// Moves a product one place up or down within its category.
pub async fn shift(conn: &mut SqliteConnection, id: i64, up: bool) -> Result<(), AppError> {
    let me = sqlx::query!("SELECT category, sort_order FROM products WHERE id = ?", id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-product")))?;
    let neighbour = if up {
        sqlx::query!(
            r#"SELECT id AS "id!", sort_order FROM products WHERE category = ? AND active = 1
               AND (sort_order < ? OR (sort_order = ? AND id < ?)) ORDER BY sort_order DESC, id DESC LIMIT 1"#,
            me.category,
            me.sort_order,
            me.sort_order,
            id
        )
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| (r.id, r.sort_order))
    } else {
        sqlx::query!(
            r#"SELECT id AS "id!", sort_order FROM products WHERE category = ? AND active = 1
               AND (sort_order > ? OR (sort_order = ? AND id > ?)) ORDER BY sort_order, id LIMIT 1"#,
            me.category,
            me.sort_order,
            me.sort_order,
            id
        )
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| (r.id, r.sort_order))
    };
    let Some((other, other_order)) = neighbour else {
        return Err(AppError::Conflict(crate::said::said_with(
            if up {
                "refuse-already-first"
            } else {
                "refuse-already-last"
            },
            &[("category", &me.category)],
        )));
    };
    // Equal positions (never written by this module, but possible in an import) still swap.
    let (mine, theirs) = if other_order == me.sort_order {
        if up {
            (me.sort_order, me.sort_order + 1)
        } else {
            (me.sort_order + 1, me.sort_order)
        }
    } else {
        (other_order, me.sort_order)
    };
    sqlx::query!("UPDATE products SET sort_order = ? WHERE id = ?", mine, id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "UPDATE products SET sort_order = ? WHERE id = ?",
        theirs,
        other
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Empties the menu (`hearth demo --reset`, after every order is gone).
pub async fn clear(conn: &mut SqliteConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM products").execute(conn).await?;
    Ok(())
}

/// The product with this SKU (any case), if there is one.
pub async fn find_by_sku(conn: &mut SqliteConnection, sku: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM products WHERE sku = ? COLLATE NOCASE"#,
        sku
    )
    .fetch_optional(conn)
    .await?)
}

/// Sets (or replaces) a product's photo: JPEG bytes already checked.
pub async fn set_photo(
    conn: &mut SqliteConnection,
    id: i64,
    bytes: &[u8],
    width: i64,
    height: i64,
) -> Result<(), AppError> {
    let exists = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM products WHERE id = ?"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    if exists == 0 {
        return Err(AppError::NotFound(crate::said::said(
            "refuse-what-that-product",
        )));
    }
    let now = db::now();
    sqlx::query!(
        "INSERT INTO product_photos (product_id, bytes, width, height, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (product_id) DO UPDATE SET bytes = excluded.bytes, width = excluded.width,
             height = excluded.height, updated_at = excluded.updated_at",
        id,
        bytes,
        width,
        height,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a product's photo (none: nothing to do).
pub async fn remove_photo(conn: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM product_photos WHERE product_id = ?", id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The path of a product's photo, changing whenever the photo does (so caches refresh).
pub fn photo_path(id: i64, updated_at: &str) -> String {
    let stamp: String = updated_at.chars().filter(char::is_ascii_digit).collect();
    format!("/media/products/{id}?v={stamp}")
}

/// Every product as (id, name) for a chooser: active ones first, in the menu's order.
pub async fn names(conn: &mut SqliteConnection) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT id AS "id!", name FROM products ORDER BY active DESC, sort_order, name"#
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect())
}
