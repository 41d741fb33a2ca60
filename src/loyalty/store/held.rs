//! What customers hold, read for many at once (segments, the customers list, the reports):
//! their ledgers replayed into lots as of a day, or the balance row the ledger's writer keeps
//! for each customer (`loyalty_balances`) while it is good for that day.
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::super::rules::{Entry, Lots};
use crate::error::AppError;

/// Points every customer with a ledger can use at the end of `day`, from the lines written up
/// to that day (one read of the ledger, for segments and the reports).
pub async fn held_by_all(
    conn: &mut SqliteConnection,
    day: NaiveDate,
) -> Result<HashMap<i64, i64>, AppError> {
    let (mut held, stale) = balances(conn, day).await?;
    if !stale.is_empty() {
        held.extend(held_by(conn, day, Some(&stale)).await?);
    }
    Ok(held)
}

/// The balance rows good for `day`, and the customers with a ledger whose row is missing or
/// not good for that day (to be replayed).
async fn balances(
    conn: &mut SqliteConnection,
    day: NaiveDate,
) -> Result<(HashMap<i64, i64>, Vec<i64>), AppError> {
    let d = day.to_string();
    let mut held = HashMap::new();
    for r in sqlx::query!(
        r#"SELECT customer_id AS "customer_id!", points FROM loyalty_balances
           WHERE as_of <= ?1 AND (good_until IS NULL OR good_until > ?1)"#,
        d
    )
    .fetch_all(&mut *conn)
    .await?
    {
        held.insert(r.customer_id, r.points);
    }
    let stale = sqlx::query_scalar!(
        r#"SELECT DISTINCT customer_id AS "customer_id!: i64" FROM loyalty_ledger"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter(|c| !held.contains_key(c))
    .collect();
    Ok((held, stale))
}

/// Writes customer `customer_id`'s balance row from their ledger, as of `day` or of their
/// latest line's day if later (an expiry is dated when its lot lapsed; a row must not claim a
/// day before a line it counts). Inside the ledger writer's transaction, after each line.
pub(super) async fn refresh(
    conn: &mut SqliteConnection,
    customer_id: i64,
    day: NaiveDate,
) -> Result<(), AppError> {
    let (lots, last) = super::lots_and_last_day(conn, customer_id).await?;
    let day = last.map_or(day, |l: NaiveDate| l.max(day));
    let points = lots.available(day);
    // The first day the balance may change: the day after the next lot's last day.
    let good_until = lots
        .next_expiry(day)
        .map(|(last, _)| (last + chrono::Duration::days(1)).to_string());
    let as_of = day.to_string();
    sqlx::query!(
        "INSERT INTO loyalty_balances (customer_id, points, as_of, good_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (customer_id) DO UPDATE SET points = excluded.points, as_of = excluded.as_of,
                                                 good_until = excluded.good_until",
        customer_id,
        points,
        as_of,
        good_until
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the balance row of every customer whose row is missing or not good for `today` (at
/// start and by the hourly worker: ledgers written before the rows existed, and balances a
/// lapsed lot changed); answers how many.
pub async fn fill_balances(
    conn: &mut SqliteConnection,
    today: NaiveDate,
) -> Result<usize, AppError> {
    let (_, stale) = balances(conn, today).await?;
    for c in &stale {
        refresh(conn, *c, today).await?;
    }
    Ok(stale.len())
}

/// The same for the customers `only` names (a page of the customers list), else for all.
pub async fn held_by(
    conn: &mut SqliteConnection,
    day: NaiveDate,
    only: Option<&[i64]>,
) -> Result<HashMap<i64, i64>, AppError> {
    let until = day.to_string();
    let entry = |id, points, expires_on: Option<String>, lot_id| Entry {
        id,
        points,
        expires_on: expires_on.as_deref().and_then(|d| d.parse().ok()),
        lot_id,
    };
    let lines = match only {
        // Everyone: the table in its own order, one sequential read (walking the customer
        // index fetched each line's row out of order).
        None => sqlx::query!(
            r#"SELECT customer_id, id AS "id!", points, expires_on, lot_id FROM loyalty_ledger
               WHERE on_day <= ? ORDER BY id"#,
            until
        )
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| (r.customer_id, entry(r.id, r.points, r.expires_on, r.lot_id)))
        .collect::<Vec<_>>(),
        Some(ids) => {
            let list = serde_json::to_string(ids).map_err(|e| AppError::internal("ids", e))?;
            sqlx::query!(
                r#"SELECT customer_id, id AS "id!", points, expires_on, lot_id FROM loyalty_ledger
                   WHERE customer_id IN (SELECT value FROM json_each(?)) AND on_day <= ?
                   ORDER BY id"#,
                list,
                until
            )
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.customer_id, entry(r.id, r.points, r.expires_on, r.lot_id)))
            .collect()
        }
    };
    // Each customer's lines, in the order they were written.
    let mut by: HashMap<i64, Vec<Entry>> = Default::default();
    for (customer, e) in lines {
        by.entry(customer).or_default().push(e);
    }
    Ok(by
        .into_iter()
        .map(|(c, entries)| (c, Lots::replay(&entries).available(day)))
        .collect())
}
