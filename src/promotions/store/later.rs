//! A code added to an order already placed (from the order's drawer): the promotion the code
//! names, checked on the order's basket after what the order already has off, with its limits
//! read inside the order core's transaction (the order itself counting as no other order).
use sqlx::SqliteConnection;

use super::super::rules::{self, Applied, Basket, Promotion, Refusal};
use super::{find_code, load, normal_code, usage, FreeProduct};
use crate::error::AppError;

/// What a code does for an order placed earlier.
pub struct Later {
    /// The code as stored (trimmed, upper case).
    pub code: String,
    pub promotion: Option<Promotion>,
    /// What it takes off, or why it does not apply.
    pub result: Result<Applied, Refusal>,
    /// The line it adds free (a free-item promotion).
    pub free: Option<FreeProduct>,
}

/// The promotion `code` names, applied to `basket` (order `order_id` of `customer_id`) after
/// `taken` (items, delivery cents) already off it.
pub async fn code_for_order(
    conn: &mut SqliteConnection,
    code: &str,
    (customer_id, order_id): (i64, i64),
    basket: &Basket,
    taken: (i64, i64),
) -> Result<Later, AppError> {
    let code = normal_code(code);
    let Some((id, personal)) = find_code(&mut *conn, &code, Some(customer_id)).await? else {
        return Ok(Later {
            code,
            promotion: None,
            result: Err(Refusal::UnknownCode),
            free: None,
        });
    };
    let promotion = load(&mut *conn, id).await?;
    let used = usage(
        &mut *conn,
        &promotion,
        Some(customer_id),
        personal,
        order_id,
    )
    .await?;
    let outcome = rules::apply_after(&[(promotion.clone(), used)], basket, taken);
    let result = match (outcome.applied.into_iter().next(), outcome.refused.first()) {
        (Some(a), _) => Ok(a),
        (None, Some((_, r))) => Err(*r),
        (None, None) => Err(Refusal::NothingToDiscount),
    };
    let mut free = None;
    if let Ok(Applied {
        free_product: Some(product_id),
        ..
    }) = &result
    {
        let p = sqlx::query!("SELECT sku, name FROM products WHERE id = ?", product_id)
            .fetch_one(&mut *conn)
            .await?;
        free = Some(FreeProduct {
            product_id: *product_id,
            sku: p.sku,
            name: p.name,
            promotion: promotion.name.clone(),
        });
    }
    Ok(Later {
        code,
        promotion: Some(promotion),
        result,
        free,
    })
}
