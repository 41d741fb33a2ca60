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
    let rows: Vec<(i64, Entry)> = match only {
        None => sqlx::query!(
            r#"SELECT customer_id, id AS "id!", points, expires_on, lot_id FROM loyalty_ledger
               WHERE on_day <= ? ORDER BY customer_id, id"#,
            until
        )
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| (r.customer_id, entry(r.id, r.points, r.expires_on, r.lot_id)))
        .collect(),
        Some(ids) => {
            let list = serde_json::to_string(ids).map_err(|e| AppError::internal("ids", e))?;
            sqlx::query!(
                r#"SELECT customer_id, id AS "id!", points, expires_on, lot_id FROM loyalty_ledger
                   WHERE customer_id IN (SELECT value FROM json_each(?)) AND on_day <= ?
                   ORDER BY customer_id, id"#,
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
    let mut out = std::collections::HashMap::new();
    for group in rows.chunk_by(|a, b| a.0 == b.0) {
        let entries: Vec<Entry> = group.iter().map(|(_, e)| e.clone()).collect();
        out.insert(group[0].0, Lots::replay(&entries).available(day));
    }
    Ok(out)
}
