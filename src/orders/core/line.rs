//! Writes one order line, stamped with what it was sold as: the product's name and VAT rate
//! at this moment (the receipt prints those, not today's menu).
use crate::error::AppError;

pub(super) async fn insert(
    conn: &mut sqlx::SqliteConnection,
    order_id: i64,
    product_id: i64,
    quantity: i64,
    unit_price_cents: i64,
    note: Option<&str>,
) -> Result<(), AppError> {
    let written = sqlx::query!(
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents, note, product_name, tax_rate_bp)
         SELECT ?, p.id, ?, ?, ?, p.name, p.tax_rate_bp FROM products p WHERE p.id = ?",
        order_id,
        quantity,
        unit_price_cents,
        note,
        product_id
    )
    .execute(conn)
    .await?
    .rows_affected();
    if written != 1 {
        return Err(AppError::internal(
            "order line",
            format!("order {order_id}: no product {product_id}"),
        ));
    }
    Ok(())
}
