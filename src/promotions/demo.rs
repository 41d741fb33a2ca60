//! The demo bakery's promotions: two that ran in the past four weeks (with the orders that used
//! them), one with personal codes and a held-back group (so the report shows an uplift), and one
//! code running now. None applies on its own to a new order: the demo's automatic promotion is
//! paused, so orders placed in tests and by hand are priced as the menu says.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::Draft;
use crate::error::AppError;

fn day(today: NaiveDate, n: i64) -> String {
    (today + chrono::Duration::days(n)).to_string()
}

async fn promotion(conn: &mut SqliteConnection, owner: i64, d: Draft) -> Result<i64, AppError> {
    let checked = super::write::check(&mut *conn, &d).await?;
    super::write::create(&mut *conn, &checked, owner).await
}

/// Records a use of promotion `id` on each of `orders` (id, customer, subtotal, fee) as the order
/// core would have, `off` giving (items, delivery) cents; the caller brings the orders' totals in
/// line (the demo seed is the orders' writer here).
async fn used_on(
    conn: &mut SqliteConnection,
    id: i64,
    code: Option<&str>,
    orders: &[(i64, i64, i64, i64)],
    off: impl Fn(i64, i64) -> (i64, i64),
) -> Result<(), AppError> {
    for &(order, customer, subtotal, fee) in orders {
        let (items, delivery) = off(subtotal, fee);
        let code = code.map(str::to_string);
        sqlx::query!(
            "INSERT INTO promotion_uses (promotion_id, order_id, customer_id, code, items_cents, delivery_cents, created_at)
             SELECT ?, id, ?, ?, ?, ?, created_at FROM orders WHERE id = ?",
            id, customer, code, items, delivery, order
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Past orders (delivered or collected) whose day is in `from..=to` days from today, oldest first.
async fn past_orders(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    from: i64,
    to: i64,
    every: i64,
) -> Result<Vec<(i64, i64, i64, i64)>, AppError> {
    let (a, b) = (day(today, from), day(today, to));
    Ok(sqlx::query!(
        r#"SELECT id AS "id!", customer_id, subtotal_cents, delivery_fee_cents FROM orders
           WHERE fulfil_on BETWEEN ? AND ? AND status IN ('delivered', 'collected')
             AND id NOT IN (SELECT order_id FROM promotion_uses) AND id % ? = 0
           ORDER BY id"#,
        a,
        b,
        every
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.customer_id, r.subtotal_cents, r.delivery_fee_cents))
    .collect())
}

/// Seeds the promotions (after the demo's orders and recipes).
pub async fn seed(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    owner: i64,
) -> Result<(), AppError> {
    autumn_code(conn, today, owner).await?;
    free_delivery_fridays(conn, today, owner).await?;
    we_miss_you(conn, today, owner).await?;
    croissant_trio(conn, today, owner).await
}

/// A code that ran for two weeks and ended five days ago, used on past orders.
async fn autumn_code(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    owner: i64,
) -> Result<(), AppError> {
    let autumn = promotion(
        conn,
        owner,
        Draft {
            name: "Autumn welcome".into(),
            code: "AUTUMN10".into(),
            percent: "10".into(),
            starts: day(today, -26),
            ends: day(today, -5),
            total_limit: "40".into(),
            per_customer_limit: "1".into(),
            ..Draft::default()
        },
    )
    .await?;
    let orders = past_orders(conn, today, -24, -5, 4).await?;
    used_on(conn, autumn, Some("AUTUMN10"), &orders, |s, _| {
        ((s + 5) / 10, 0)
    })
    .await?;
    Ok(())
}

/// Free delivery on Fridays, automatic; paused after two weeks.
async fn free_delivery_fridays(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    owner: i64,
) -> Result<(), AppError> {
    let fridays = promotion(
        conn,
        owner,
        Draft {
            name: "Free delivery Fridays".into(),
            automatic: true,
            kind: "free_delivery".into(),
            weekdays: [false, false, false, false, true, false, false],
            min_order: "15".into(),
            per_customer_limit: String::new(),
            starts: day(today, -28),
            ..Draft::default()
        },
    )
    .await?;
    super::write::set_active(conn, fridays, false).await?;
    let (from, to) = (day(today, -28), day(today, -14));
    let fri: Vec<(i64, i64, i64, i64)> = sqlx::query!(
        r#"SELECT id AS "id!", customer_id, subtotal_cents, delivery_fee_cents FROM orders
           WHERE fulfil_on BETWEEN ? AND ? AND strftime('%w', fulfil_on) = '5' AND fulfilment = 'delivery'
             AND status = 'delivered' AND subtotal_cents >= 1500 AND delivery_fee_cents > 0
             AND id NOT IN (SELECT order_id FROM promotion_uses)
           ORDER BY id"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.customer_id, r.subtotal_cents, r.delivery_fee_cents))
    .collect();
    used_on(conn, fridays, None, &fri, |_, fee| (0, fee)).await?;
    Ok(())
}

/// Personal codes to the customers who agreed to hear from us, 30 % held back; those who
/// ordered since used theirs.
async fn we_miss_you(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    owner: i64,
) -> Result<(), AppError> {
    let back = promotion(
        conn,
        owner,
        Draft {
            name: "We miss you".into(),
            kind: "amount".into(),
            amount: "3.00".into(),
            starts: day(today, -12),
            ends: day(today, 7),
            holdout_percent: "30".into(),
            ..Draft::default()
        },
    )
    .await?;
    let opted: Vec<i64> = sqlx::query_scalar!(
        r#"SELECT id AS "id!: i64" FROM customers WHERE marketing_opt_in = 1 ORDER BY id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let codes = super::write::issue_codes(conn, back, &opted).await?;
    let issued_at = format!("{}T08:00:00.000Z", day(today, -12));
    sqlx::query!(
        "UPDATE promotion_codes SET created_at = ? WHERE promotion_id = ?",
        issued_at,
        back
    )
    .execute(&mut *conn)
    .await?;
    for (customer, code) in codes {
        let Some(code) = code else { continue };
        // Those who got a code and ordered since used it on their first order after it.
        let first = sqlx::query!(
            r#"SELECT id AS "id!", subtotal_cents, delivery_fee_cents FROM orders
               WHERE customer_id = ? AND created_at >= ? AND status IN ('delivered', 'collected')
                 AND id NOT IN (SELECT order_id FROM promotion_uses)
               ORDER BY created_at LIMIT 1"#,
            customer,
            issued_at
        )
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(o) = first {
            used_on(
                conn,
                back,
                Some(&code),
                &[(o.id, customer, o.subtotal_cents, o.delivery_fee_cents)],
                |s, _| (s.min(300), 0),
            )
            .await?;
        }
    }
    Ok(())
}

/// Running now: buy two croissants, get one free.
async fn croissant_trio(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    owner: i64,
) -> Result<(), AppError> {
    let croissant =
        sqlx::query_scalar!(r#"SELECT id AS "id!: i64" FROM products WHERE sku = 'PAS-CROI'"#)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(croissant) = croissant {
        promotion(
            conn,
            owner,
            Draft {
                name: "Croissant trio".into(),
                code: "TRIO".into(),
                kind: "buy_get".into(),
                product_id: Some(croissant),
                buy: "2".into(),
                get: "1".into(),
                ends: day(today, 30),
                per_customer_limit: "3".into(),
                ..Draft::default()
            },
        )
        .await?;
    }
    Ok(())
}
