//! Server functions that give personal codes (owner only): to a saved segment's customers or
//! a district's, or to the customers near a day's runs ("we're in your area"), each as a
//! spreadsheet for a messaging tool.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
const OWNER: &[crate::auth::Role] = &[crate::auth::Role::Owner];

/// Personal codes issued, as a spreadsheet for a messaging tool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedCodes {
    pub file_name: String,
    /// UTF-8 with a byte-order mark; phones in E.164.
    pub csv: String,
    pub issued: i64,
    pub held_back: i64,
}

/// The spreadsheet of a promotion's personal codes (UTF-8 BOM; E.164; formula-safe), and how
/// many were issued and held back.
#[cfg(feature = "ssr")]
async fn codes_csv(
    tx: &mut sqlx::SqliteConnection,
    rows: &[(i64, Option<String>)],
) -> Result<(String, i64, i64), AppError> {
    let mut csv = String::from("\u{feff}name,phone,email,code\n");
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let (mut issued, mut held) = (0, 0);
    let contacts = crate::customers::segments_store::contacts(&mut *tx).await?;
    for (customer, code) in rows {
        let Some(code) = code else {
            held += 1;
            continue;
        };
        issued += 1;
        let Some(c) = contacts.get(customer) else {
            continue;
        };
        w.write_record([
            crate::customers::csv::safe_cell(&c.name),
            c.phone.clone(),
            crate::customers::csv::safe_cell(c.email.as_deref().unwrap_or_default()),
            code.clone(),
        ])
        .map_err(|e| AppError::internal("csv", e))?;
    }
    csv.push_str(
        &String::from_utf8(w.into_inner().map_err(|e| AppError::internal("csv", e))?)
            .map_err(|e| AppError::internal("csv", e))?,
    );
    Ok((csv, issued, held))
}

/// The customers near `day`'s runs who have not ordered for it, cheapest extra distance first
/// (at most 50), and the day (tomorrow when `day` is empty).
#[server(endpoint = "get_nearby")]
pub async fn get_nearby(
    #[server(default)] day: String,
) -> Result<(Vec<super::nearby::Nearby>, String), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, _me| async move {
        let day = nearby_day(&day, cx.config().today())?;
        let mut list = super::nearby::candidates(cx.db(), cx.config(), &day).await?;
        list.truncate(50);
        Ok((list, day))
    })
    .await
}

#[cfg(feature = "ssr")]
fn nearby_day(raw: &str, today: chrono::NaiveDate) -> Result<String, AppError> {
    match raw.trim() {
        "" => Ok((today + chrono::Duration::days(1)).to_string()),
        t => t
            .parse::<chrono::NaiveDate>()
            .map(|d| d.to_string())
            .map_err(|_| AppError::invalid("day", crate::said::said("refuse-codes-day"))),
    }
}

/// Issues personal codes of promotion `id` to the `limit` customers nearest to `day`'s runs
/// (as `get_nearby` ranks them) who agreed to hear from the bakery; answers the spreadsheet.
#[server(endpoint = "issue_nearby_codes")]
pub async fn issue_nearby_codes(
    id: i64,
    #[server(default)] day: String,
    #[server(default)] limit: String,
) -> Result<IssuedCodes, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let day = nearby_day(&day, cx.config().today())?;
        let limit = match limit.trim() {
            "" => 20,
            t => t
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=500).contains(n))
                .ok_or_else(|| {
                    AppError::invalid("limit", crate::said::said("refuse-codes-limit"))
                })?,
        };
        let customers: Vec<i64> = super::nearby::candidates(cx.db(), cx.config(), &day)
            .await?
            .into_iter()
            .filter(|n| !n.channels.is_empty())
            .take(limit)
            .map(|n| n.customer_id)
            .collect();
        if customers.is_empty() {
            return Err(AppError::invalid(
                "day",
                crate::said::said("refuse-codes-nobody-near"),
            ));
        }
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let name = sqlx::query_scalar!("SELECT name FROM promotions WHERE id = ?", id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-promotion")))?;
        let rows = super::write::issue_codes(&mut tx, id, &customers).await?;
        let mine: Vec<(i64, Option<String>)> = rows
            .into_iter()
            .filter(|(c, _)| customers.contains(c))
            .collect();
        let (csv, issued, held) = codes_csv(&mut tx, &mine).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "promotion.codes",
            &name,
            serde_json::json!({"issued": issued, "held_back": held, "near_runs_of": day}),
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedCodes {
            file_name: format!("codes-{id}-near-{day}"),
            csv,
            issued,
            held_back: held,
        })
    })
    .await
}

/// Issues personal single-use codes of promotion `id` to the customers who agreed to hear
/// from the bakery (optionally those of a saved segment, of one district, or with no order in
/// `idle_days` days),
/// holding back the promotion's share; answers the spreadsheet of the codes issued.
#[server(endpoint = "issue_promotion_codes")]
pub async fn issue_promotion_codes(
    id: i64,
    #[server(default)] district_id: String,
    #[server(default)] idle_days: String,
    #[server(default)] segment_id: String,
) -> Result<IssuedCodes, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let (idle, district_id) = who_is_asked(&idle_days, &district_id)?;
        let since = idle.map(|n| (cx.config().today() - chrono::Duration::days(n)).to_string());
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let name = sqlx::query_scalar!("SELECT name FROM promotions WHERE id = ?", id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-promotion")))?;
        let customers = sqlx::query_scalar!(
            r#"SELECT c.id AS "id!: i64" FROM customers c
               WHERE c.marketing_opt_in = 1 AND c.erased_at IS NULL
                 AND (?1 IS NULL OR c.district_id = ?1)
                 AND (?2 IS NULL OR NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id
                                                AND o.status <> 'cancelled' AND o.fulfil_on > ?2))
               ORDER BY c.id"#,
            district_id,
            since
        )
        .fetch_all(&mut *tx)
        .await?;
        let customers = in_segment(&mut tx, &segment_id, customers, cx.config().today()).await?;
        if customers.is_empty() {
            return Err(AppError::invalid(
                "district_id",
                crate::said::said("refuse-codes-nobody"),
            ));
        }
        let rows = super::write::issue_codes(&mut tx, id, &customers).await?;
        let (csv, issued, held) = codes_csv(&mut tx, &rows).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "promotion.codes",
            &name,
            serde_json::json!({"issued": issued, "held_back": held, "district_id": district_id, "idle_days": idle}),
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedCodes {
            file_name: format!("codes-{id}"),
            csv,
            issued,
            held_back: held,
        })
    })
    .await
}

/// The form's "not ordered for N days" (1–3650) and district, each blank for any.
#[cfg(feature = "ssr")]
fn who_is_asked(
    idle_days: &str,
    district_id: &str,
) -> Result<(Option<i64>, Option<i64>), AppError> {
    let idle = match idle_days.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(n) if (1..=3650).contains(&n) => Some(n),
            _ => {
                return Err(AppError::invalid(
                    "idle_days",
                    crate::said::said("refuse-codes-idle"),
                ))
            }
        },
    };
    let district_id = match district_id.trim() {
        "" => None,
        t => Some(t.parse::<i64>().map_err(|_| {
            AppError::invalid("district_id", crate::said::said("refuse-codes-district"))
        })?),
    };
    Ok((idle, district_id))
}

/// `customers` who are also in the saved segment `segment_id` today (all when it is blank).
#[cfg(feature = "ssr")]
async fn in_segment(
    conn: &mut sqlx::SqliteConnection,
    segment_id: &str,
    customers: Vec<i64>,
    today: chrono::NaiveDate,
) -> Result<Vec<i64>, AppError> {
    let t = segment_id.trim();
    if t.is_empty() {
        return Ok(customers);
    }
    let id = t
        .parse::<i64>()
        .map_err(|_| AppError::invalid("segment_id", crate::said::said("refuse-codes-segment")))?;
    let (_, filter) = crate::customers::segments_store::saved(conn, id).await?;
    let members: std::collections::HashSet<i64> =
        crate::customers::segments_store::members(conn, &filter, today)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
    Ok(customers
        .into_iter()
        .filter(|c| members.contains(c))
        .collect())
}
