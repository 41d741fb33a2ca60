//! The demo bakery's points: the programme on, one customer in eight who came through a
//! friend's referral code, and every delivered or collected past order earning as it would have
//! on its day (through [`store::on_fulfilled`], the rule a live order follows), so that points
//! older than six months have lapsed, referrals are rewarded and balances are what a year of
//! orders gives.
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
        r#"SELECT id AS "id!", fulfil_on FROM orders
           WHERE status IN ('delivered', 'collected') AND fulfil_on <= ? ORDER BY fulfil_on, id"#,
        today
    )
    .fetch_all(&mut *conn)
    .await?;
    for o in done {
        let day = o.fulfil_on.parse().unwrap_or(today);
        store::on_fulfilled(conn, o.id, day).await?;
    }
    store::sweep_all(conn, today).await?;
    Ok(())
}
