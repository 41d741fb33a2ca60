//! Writes one order line, stamped with what it was sold as: the product's name and VAT rate
//! at this moment (the receipt prints those, not today's menu).
use crate::error::AppError;
use crate::server::db::Batch;

pub(super) async fn insert(
    conn: &mut sqlx::SqliteConnection,
    order_id: i64,
    product_id: i64,
    quantity: i64,
    unit_price_cents: i64,
    note: Option<&str>,
) -> Result<(), AppError> {
    let mut batch = Batch::default();
    push(
        &mut batch,
        order_id,
        product_id,
        quantity,
        unit_price_cents,
        note,
    );
    batch.run(conn).await?;
    Ok(())
}

/// `insert`, added to the caller's batch of writes. A product that does not exist fails the
/// batch: the line's product is a foreign key.
pub(super) fn push(
    batch: &mut Batch,
    order_id: i64,
    product_id: i64,
    quantity: i64,
    unit_price_cents: i64,
    note: Option<&str>,
) {
    batch.push(
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents, note, product_name, tax_rate_bp)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT p.name FROM products p WHERE p.id = ?2),
                 (SELECT p.tax_rate_bp FROM products p WHERE p.id = ?2))",
        vec![
            order_id.into(),
            product_id.into(),
            quantity.into(),
            unit_price_cents.into(),
            note.into(),
        ],
    );
}
