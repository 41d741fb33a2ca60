//! What customers hold, read for many at once (segments, the customers list, the reports):
//! their ledgers replayed into lots as of a day.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::super::rules::{Entry, Lots};
use crate::error::AppError;

/// Points every customer with a ledger can use at the end of `day`, from the lines written up
/// to that day (one read of the ledger, for segments and the reports).
pub async fn held_by_all(
    conn: &mut SqliteConnection,
    day: NaiveDate,
) -> Result<std::collections::HashMap<i64, i64>, AppError> {
    held_by(conn, day, None).await
}

/// The same for the customers `only` names (a page of the customers list), else for all.
pub async fn held_by(
    conn: &mut SqliteConnection,
    day: NaiveDate,
    only: Option<&[i64]>,
) -> Result<std::collections::HashMap<i64, i64>, AppError> {
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
    let mut by: std::collections::HashMap<i64, Vec<Entry>> = Default::default();
    for (customer, e) in lines {
        by.entry(customer).or_default().push(e);
    }
    Ok(by
        .into_iter()
        .map(|(c, entries)| (c, Lots::replay(&entries).available(day)))
        .collect())
}
