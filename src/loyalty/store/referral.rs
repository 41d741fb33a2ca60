//! Referral codes and who came through whose: one code per customer, made on first asking; a
//! referral checked before a new customer's first order is written and recorded with it.
use sqlx::SqliteConnection;

use super::program;
use crate::error::AppError;

/// Customer `customer_id`'s referral code, made on first asking.
pub async fn referral_code(
    conn: &mut SqliteConnection,
    customer_id: i64,
) -> Result<String, AppError> {
    if let Some(code) = sqlx::query_scalar!(
        "SELECT code FROM referral_codes WHERE customer_id = ?",
        customer_id
    )
    .fetch_optional(&mut *conn)
    .await?
    {
        return Ok(code);
    }
    loop {
        let code = crate::server::tokens::readable_code::<8>()?;
        let done = sqlx::query!(
            "INSERT INTO referral_codes (customer_id, code) VALUES (?, ?) ON CONFLICT (code) DO NOTHING",
            customer_id,
            code
        )
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(code);
        }
    }
}

/// Why a referral code was not taken with an order.
#[derive(Clone, Debug, PartialEq)]
pub enum ReferralRefusal {
    /// The bakery gives no referral reward.
    Off,
    /// No customer has this code.
    Unknown,
    /// The customer's own code.
    Own,
    /// The customer has ordered before (or was already referred).
    NotFirstOrder,
}

/// The customer whose referral code is `code`, for customer `customer_id` (None: a new
/// customer) placing an order: refused when the bakery gives no referral reward, the code is
/// unknown or their own, or they have ordered (or been referred) before.
pub async fn referrer_of(
    conn: &mut SqliteConnection,
    customer_id: Option<i64>,
    code: &str,
) -> Result<Result<i64, ReferralRefusal>, AppError> {
    let program = program(conn).await?;
    if !program.enabled || program.referral_points == 0 {
        return Ok(Err(ReferralRefusal::Off));
    }
    let code = code.trim().to_uppercase();
    let Some(referrer) = sqlx::query_scalar!(
        r#"SELECT r.customer_id AS "c!: i64" FROM referral_codes r JOIN customers c ON c.id = r.customer_id
           WHERE r.code = ? AND c.erased_at IS NULL"#,
        code
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(Err(ReferralRefusal::Unknown));
    };
    let Some(customer_id) = customer_id else {
        return Ok(Ok(referrer));
    };
    if referrer == customer_id {
        return Ok(Err(ReferralRefusal::Own));
    }
    let earlier = sqlx::query_scalar!(
        r#"SELECT (SELECT COUNT(*) FROM orders WHERE customer_id = ?1 AND status <> 'cancelled')
                + (SELECT COUNT(*) FROM referrals WHERE customer_id = ?1) AS "n!: i64""#,
        customer_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if earlier > 0 {
        return Ok(Err(ReferralRefusal::NotFirstOrder));
    }
    Ok(Ok(referrer))
}

/// Records that customer `customer_id` came through `referrer`'s code with order `order_id`
/// (checked with [`referrer_of`] in the same transaction, before the order was written); the
/// reward follows their first delivered order.
pub async fn refer(
    conn: &mut SqliteConnection,
    customer_id: i64,
    referrer: i64,
    order_id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO referrals (customer_id, referrer_id, order_id) VALUES (?, ?, ?)",
        customer_id,
        referrer,
        order_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
