//! The demo bakery's points: the programme on, one customer in eight who came through a
//! friend's referral code, and every delivered or collected past order earning as it would have
//! on its day (through [`store::on_fulfilled`], the rule a live order follows), so that points
//! older than six months have lapsed, referrals are rewarded and balances are what a year of
//! orders gives; on one order in four the customer spent what they held (in hundreds).
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::store;
use crate::error::AppError;

/// Seeds the points of the orders already written, up to `today`.
pub async fn seed(conn: &mut SqliteConnection, today: NaiveDate) -> Result<(), AppError> {
    store::save_program(
        conn,
        &super::Program {
            enabled: true,
            // Six months: the first half of the demo's year has lapsed.
            expiry_days: 182,
            ..super::Program::default()
        },
    )
    .await?;
    // Every 8th customer (by id) came with the code of the customer 7 places before, from
    // their first order on.
    let customers = sqlx::query!(
        r#"SELECT c.id AS "id!", (SELECT MIN(o.id) FROM orders o WHERE o.customer_id = c.id) AS "first?: i64"
           FROM customers c ORDER BY c.id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    for (i, c) in customers.iter().enumerate() {
        if i >= 8 && i % 8 == 0 {
            let referrer = customers[i - 7].id;
            store::referral_code(conn, referrer).await?;
            if let Some(first) = c.first {
                store::refer(conn, c.id, referrer, first).await?;
            }
        }
    }
    let done = sqlx::query!(
        r#"SELECT id AS "id!", customer_id, fulfil_on, total_cents FROM orders
           WHERE status IN ('delivered', 'collected') AND fulfil_on <= ? ORDER BY fulfil_on, id"#,
        today
    )
    .fetch_all(&mut *conn)
    .await?;
    let program = store::program(conn).await?;
    for (k, o) in done.iter().enumerate() {
        let day = o.fulfil_on.parse().unwrap_or(today);
        // One order in four: the customer spends what they hold, in hundreds, as the
        // storefront would let them (within what the order costs).
        if k % 4 == 0 {
            let held = store::available(conn, o.customer_id, day).await?;
            let most = o.total_cents * 100 / program.value_per_100.max(1);
            let points = held.min(most) / 100 * 100;
            if points >= program.min_redeem.max(1) {
                let cents = program.value_cents(points);
                store::redeem(conn, o.customer_id, o.id, (points, cents), day).await?;
                crate::orders::core::as_written::points_as_spent(conn, o.id, cents).await?;
            }
        }
        store::on_fulfilled(conn, o.id, day).await?;
    }
    store::sweep_all(conn, today).await?;
    Ok(())
}
