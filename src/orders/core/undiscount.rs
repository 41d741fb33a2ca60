//! `Discount::RemoveCode` and `Discount::RemovePoints`: staff take a discount off an order that
//! is still open and unpaid (a code applied by mistake, points the customer would rather keep).
//! The code's use leaves the promotion's ledger (it counts as unused again) with the free item
//! it gave; spent points go back to the customer as the cancellation gives them back. The
//! order's history and the audit log keep both the adding and the taking off.
use sqlx::SqliteConnection;

use super::discount::refuse;
use super::found::Found;
use crate::error::AppError;
use crate::orders::history::make as line;
use crate::said::said_with;
use crate::server::config::Config;

pub(super) async fn code_off(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
) -> Result<String, AppError> {
    let Some(code) = f.promo_code.clone() else {
        return Err(refuse(
            "promo_code",
            said_with("refuse-discount-no-code-on", &[("number", &f.number)]),
        ));
    };
    let (items, delivery, promotion) =
        crate::promotions::store::withdraw_code(&mut *conn, f.id, &code)
            .await?
            .unwrap_or_default();
    // The free item the code gave leaves with it.
    let note = format!("Free: {promotion}");
    let free = sqlx::query!(
        r#"DELETE FROM order_items WHERE order_id = ? AND note = ?
           RETURNING unit_price_cents * quantity AS "cents!: i64""#,
        f.id,
        note
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.cents)
    .sum::<i64>();
    let subtotal = f.subtotal_cents - free;
    let discount = (f.discount_cents - items - delivery).max(0);
    let total = crate::orders::model::total_cents(subtotal, f.delivery_fee_cents, discount);
    sqlx::query!(
        "UPDATE orders SET subtotal_cents = ?, discount_cents = ?, total_cents = ?, promo_code = NULL WHERE id = ?",
        subtotal,
        discount,
        total,
        f.id
    )
    .execute(&mut *conn)
    .await?;
    Ok(line::code_removed(
        &code,
        items + delivery,
        &config.currency(),
    ))
}

pub(super) async fn points_off(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
) -> Result<String, AppError> {
    use crate::loyalty::store;
    let Some((points, cents)) = store::redeemed_on(&mut *conn, f.id).await? else {
        return Err(refuse(
            "redeem_points",
            said_with("refuse-discount-no-points-on", &[("number", &f.number)]),
        ));
    };
    store::give_back(&mut *conn, f.id, config.today()).await?;
    super::discount::write_discount(conn, f, (f.discount_cents - cents).max(0)).await?;
    Ok(line::points_back(points, cents, &config.currency()))
}
