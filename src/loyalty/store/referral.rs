//! Referral codes and who came through whose: one code per customer, made on first asking; a
//! referral checked before a new customer's first order is written and recorded with it.
use sqlx::SqliteConnection;

use chrono::NaiveDate;

use super::{expire_due, program, write, Line};
use crate::error::AppError;
use crate::loyalty::Program;

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
    referrer(conn, customer_id, code, None).await
}

/// The same for order `order_id`, already placed (staff adding the code from its drawer): it
/// must be the customer's first, so it does not count as an earlier order.
pub async fn referrer_for_order(
    conn: &mut SqliteConnection,
    customer_id: i64,
    order_id: i64,
    code: &str,
) -> Result<Result<i64, ReferralRefusal>, AppError> {
    referrer(conn, Some(customer_id), code, Some(order_id)).await
}

/// Whether order `order_id` may still take a referral code: the bakery (`program`) gives a
/// reward, and it is customer `customer_id`'s first order, with no referral yet.
pub async fn referral_open(
    conn: &mut SqliteConnection,
    program: &Program,
    customer_id: i64,
    order_id: i64,
) -> Result<bool, AppError> {
    if !program.enabled || program.referral_points == 0 {
        return Ok(false);
    }
    Ok(earlier(conn, customer_id, Some(order_id)).await? == 0)
}

/// Customer `customer_id`'s orders other than `placed` (not cancelled) and referrals.
async fn earlier(
    conn: &mut SqliteConnection,
    customer_id: i64,
    placed: Option<i64>,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT (SELECT COUNT(*) FROM orders WHERE customer_id = ?1 AND status <> 'cancelled'
                   AND id IS NOT ?2)
                + (SELECT COUNT(*) FROM referrals WHERE customer_id = ?1) AS "n!: i64""#,
        customer_id,
        placed
    )
    .fetch_one(conn)
    .await?)
}

async fn referrer(
    conn: &mut SqliteConnection,
    customer_id: Option<i64>,
    code: &str,
    placed: Option<i64>,
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
    if earlier(conn, customer_id, placed).await? > 0 {
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

/// Customer `customer_id`'s delivered order `order_id` is their first since a referral that
/// has not been rewarded: both sides get the reward, once.
pub(super) async fn reward(
    conn: &mut SqliteConnection,
    program: &Program,
    customer_id: i64,
    order_id: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    if program.referral_points == 0 {
        return Ok(());
    }
    let referrer = sqlx::query_scalar!(
        r#"SELECT referrer_id AS "r!: i64" FROM referrals
           WHERE customer_id = ? AND rewarded_order_id IS NULL"#,
        customer_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(referrer) = referrer {
        for side in [customer_id, referrer] {
            let mut l = Line::new(side, "referral", program.referral_points);
            (l.order_id, l.expires_on) = (Some(order_id), program.expiry_of(today));
            write(conn, l, today).await?;
        }
        let day = today.to_string();
        sqlx::query!(
            "UPDATE referrals SET rewarded_order_id = ?, rewarded_on = ? WHERE customer_id = ?",
            order_id,
            day,
            customer_id
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The referral reward order `order_id` gave both sides is taken back (each from its own lot)
/// and the referral waits again for the customer's next delivered order.
pub(super) async fn take_back(
    conn: &mut SqliteConnection,
    order_id: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    let given = sqlx::query!(
        r#"SELECT l.id AS "id!", l.customer_id, l.points FROM loyalty_ledger l
           WHERE l.order_id = ? AND l.kind = 'referral'
             AND NOT EXISTS (SELECT 1 FROM loyalty_ledger r WHERE r.lot_id = l.id AND r.kind = 'reversed')"#,
        order_id
    )
    .fetch_all(&mut *conn)
    .await?;
    for g in &given {
        expire_due(conn, g.customer_id, today).await?;
        let mut l = Line::new(g.customer_id, "reversed", -g.points);
        (l.order_id, l.lot_id) = (Some(order_id), Some(g.id));
        write(conn, l, today).await?;
    }
    if !given.is_empty() {
        sqlx::query!(
            "UPDATE referrals SET rewarded_order_id = NULL, rewarded_on = NULL WHERE rewarded_order_id = ?",
            order_id
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
