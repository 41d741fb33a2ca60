//! Server functions of the promotions page (owner only).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Choices, Draft, PromotionRow};
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

/// The offer and the rules of a promotion, in words.
#[cfg(feature = "ssr")]
fn describe(
    p: &super::rules::Promotion,
    code: Option<&str>,
    used: i64,
    names: &std::collections::HashMap<i64, String>,
    districts: &std::collections::HashMap<i64, String>,
    currency: &str,
) -> (String, String) {
    use super::rules::Offer;
    use crate::money::format_cents;
    let name = |id: &i64| names.get(id).cloned().unwrap_or_else(|| "a product".into());
    let offer = match &p.offer {
        Offer::Percent { percent } => format!("{percent} % off"),
        Offer::Amount { cents } => format!("{} off", format_cents(*cents, currency)),
        Offer::FreeDelivery => "Free delivery".into(),
        Offer::FreeItem { product_id, .. } => format!("Free {}", name(product_id)),
        Offer::BuyGet {
            product_id,
            buy,
            get,
        } => format!("Buy {buy} {}, get {get} free", name(product_id)),
    };
    let mut rules = Vec::new();
    rules.push(match code {
        Some(c) => format!("Code {c}"),
        None if p.automatic => "Automatic".into(),
        None => "Personal codes".into(),
    });
    if !p.products.is_empty() {
        rules.push(format!(
            "on {}",
            p.products.iter().map(name).collect::<Vec<_>>().join(", ")
        ));
    }
    if p.weekdays != 127 {
        rules.push(crate::districts::model::weekday_summary(p.weekdays));
    }
    if !p.districts.is_empty() {
        rules.push(
            p.districts
                .iter()
                .map(|d| districts.get(d).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if p.min_order_cents > 0 {
        rules.push(format!(
            "from {}",
            format_cents(p.min_order_cents, currency)
        ));
    }
    match (p.starts, p.ends) {
        (Some(a), Some(b)) => rules.push(format!("{a} to {b}")),
        (Some(a), None) => rules.push(format!("from {a}")),
        (None, Some(b)) => rules.push(format!("until {b}")),
        (None, None) => {}
    }
    if p.first_order_only {
        rules.push("first orders".into());
    }
    if let Some(n) = p.per_customer_limit {
        rules.push(format!("{n} per customer"));
    }
    rules.push(match p.total_limit {
        Some(n) => format!("{used} of {n} used"),
        None => format!("{used} used"),
    });
    (offer, rules.join(" · "))
}

/// Every promotion with its figures, and the products and districts to choose from.
#[server(endpoint = "get_promotions")]
pub async fn get_promotions() -> Result<(Vec<PromotionRow>, Choices), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        let currency = cx.config().currency();
        let products: Vec<(i64, String)> = sqlx::query!(
            r#"SELECT id AS "id!", name FROM products ORDER BY active DESC, sort_order, name"#
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
        let districts: Vec<(i64, String)> =
            sqlx::query!(r#"SELECT id AS "id!", name FROM districts ORDER BY name"#)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|r| (r.id, r.name))
                .collect();
        let segments: Vec<(i64, String)> =
            sqlx::query!(r#"SELECT id AS "id!", name FROM segments ORDER BY name"#)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|r| (r.id, r.name))
                .collect();
        let names = products.iter().cloned().collect();
        let district_names = districts.iter().cloned().collect();
        let costs = crate::kitchen::recipes::unit_costs(&mut conn).await?;
        let mut rows = Vec::new();
        for (p, code) in super::store::all(&mut conn).await? {
            let used = super::store::used(&mut conn, p.id).await?;
            let figures = super::store::figures(&mut conn, p.id, p.ends, &costs).await?;
            let (offer, rules) = describe(
                &p,
                code.as_deref(),
                used,
                &names,
                &district_names,
                &currency,
            );
            rows.push(PromotionRow {
                id: p.id,
                name: p.name,
                code,
                automatic: p.automatic,
                active: p.active,
                offer,
                rules,
                figures,
            });
        }
        Ok((
            rows,
            Choices {
                products,
                districts,
                segments,
                currency,
            },
        ))
    })
    .await
}

/// The products `draft` would sell below their cost of goods (checked as the owner types).
#[server(endpoint = "check_promotion")]
pub async fn check_promotion(draft: Draft) -> Result<Vec<String>, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        // Warnings do not wait for a name.
        let mut draft = draft;
        if draft.name.trim().is_empty() {
            draft.name = "New promotion".into();
        }
        let checked = super::write::check(&mut conn, &draft).await?;
        super::write::below_cost(&mut conn, &checked.promotion, &cx.config().currency()).await
    })
    .await
}

/// Creates a promotion; answers its id and the products it sells below cost (it is created
/// all the same: the owner was warned while typing).
#[server(endpoint = "create_promotion")]
pub async fn create_promotion(draft: Draft) -> Result<(i64, Vec<String>), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let checked = super::write::check(&mut tx, &draft).await?;
        let warnings =
            super::write::below_cost(&mut tx, &checked.promotion, &cx.config().currency()).await?;
        let id = super::write::create(&mut tx, &checked, me.id).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "promotion.created",
            &checked.promotion.name,
            serde_json::to_value(&draft).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok((id, warnings))
    })
    .await
}

/// Pauses (`active` false) or resumes a promotion.
#[server(endpoint = "set_promotion_active")]
pub async fn set_promotion_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let name = super::write::set_active(&mut tx, id, active).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            if active {
                "promotion.resumed"
            } else {
                "promotion.paused"
            },
            &name,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
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
    for (customer, code) in rows {
        let Some(code) = code else {
            held += 1;
            continue;
        };
        issued += 1;
        let c = sqlx::query!(
            "SELECT name, phone, email FROM customers WHERE id = ?",
            customer
        )
        .fetch_one(&mut *tx)
        .await?;
        w.write_record([
            crate::customers::csv::safe_cell(&c.name),
            c.phone,
            crate::customers::csv::safe_cell(&c.email.unwrap_or_default()),
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
        let mut list = super::nearby::candidates(cx.db(), &day).await?;
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
            .map_err(|_| AppError::invalid("day", "Day: a date like 2026-12-04.")),
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
                .ok_or_else(|| AppError::invalid("limit", "How many: a number from 1 to 500."))?,
        };
        let customers: Vec<i64> = super::nearby::candidates(cx.db(), &day)
            .await?
            .into_iter()
            .filter(|n| !n.channels.is_empty())
            .take(limit)
            .map(|n| n.customer_id)
            .collect();
        if customers.is_empty() {
            return Err(AppError::invalid(
                "day",
                "No customer near that day's runs agreed to hear from you (plan the runs first).",
            ));
        }
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let name = sqlx::query_scalar!("SELECT name FROM promotions WHERE id = ?", id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::NotFound("That promotion".into()))?;
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
        let idle = match idle_days.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(n) if (1..=3650).contains(&n) => Some(n),
                _ => {
                    return Err(AppError::invalid(
                        "idle_days",
                        "No order for: a number of days from 1 to 3650.",
                    ))
                }
            },
        };
        let district_id = match district_id.trim() {
            "" => None,
            t => Some(t.parse::<i64>().map_err(|_| {
                AppError::invalid("district_id", "District: choose one from the list.")
            })?),
        };
        let since = idle.map(|n| (cx.config().today() - chrono::Duration::days(n)).to_string());
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let name = sqlx::query_scalar!("SELECT name FROM promotions WHERE id = ?", id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::NotFound("That promotion".into()))?;
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
        let customers = match segment_id.trim() {
            "" => customers,
            t => {
                let id = t.parse::<i64>().map_err(|_| {
                    AppError::invalid("segment_id", "Segment: choose one from the list.")
                })?;
                let (_, filter) = crate::customers::segments_store::saved(&mut tx, id).await?;
                let members: std::collections::HashSet<i64> =
                    crate::customers::segments_store::members(&mut tx, &filter)
                        .await?
                        .into_iter()
                        .map(|m| m.id)
                        .collect();
                customers
                    .into_iter()
                    .filter(|c| members.contains(c))
                    .collect()
            }
        };
        if customers.is_empty() {
            return Err(AppError::invalid(
                "district_id",
                "No customer who agreed to hear from you matches; widen the choice.",
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
