//! Server functions of the promotions page (owner only): the list with its figures, checking and
//! creating a promotion, pausing it. Personal codes are in `codes`.
use leptos::prelude::*;

use super::{Choices, Draft, PromotionRow};
use crate::error::AppError;

#[cfg(feature = "ssr")]
const OWNER: &[crate::auth::Role] = &[crate::auth::Role::Owner];

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
        let products = crate::menu::repo::names(&mut conn).await?;
        let districts = crate::districts::repo::names(&mut conn).await?;
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
            let figures = super::store::figures(&mut conn, p.id, p.ends, &costs).await?;
            // One use per order (a unique key): the report's orders are its uses so far.
            let (offer, rules) = describe(
                &p,
                code.as_deref(),
                figures.orders,
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
