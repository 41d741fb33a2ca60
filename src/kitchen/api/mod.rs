//! The kitchen's server functions. Staff and owner run the kitchen and the stock; only the
//! owner edits ingredients, suppliers and recipes (costs are the owner's).
use leptos::prelude::*;

use super::{ProductionPlan, StockAlerts, StockData};
#[cfg(feature = "ssr")]
use crate::auth::Role;
use crate::error::AppError;

mod book;

pub use book::*;

#[cfg(feature = "ssr")]
const KITCHEN: &[Role] = &[Role::Owner, Role::Staff];
#[cfg(feature = "ssr")]
const OWNER: &[Role] = &[Role::Owner];

/// A `YYYY-MM-DD` day, or `default` when empty.
#[cfg(feature = "ssr")]
fn day_or(raw: &str, default: chrono::NaiveDate) -> Result<chrono::NaiveDate, AppError> {
    if raw.trim().is_empty() {
        return Ok(default);
    }
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("day", crate::said::said("refuse-day-like")))
}

/// The production plan of `day` (today when empty).
#[server(endpoint = "get_production_plan")]
pub async fn get_production_plan(
    #[server(default)] day: String,
) -> Result<ProductionPlan, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(KITCHEN, move |cx, me| async move {
        let day = day_or(&day, cx.config().today())?;
        let mut conn = cx.db().acquire().await?;
        let mut plan = super::plan::plan(&mut conn, cx.config(), &cx.lang(&me), day).await?;
        plan.owner = me.role == Role::Owner;
        Ok(plan)
    })
    .await
}

/// The shopping list of `day`'s plan as CSV.
#[server(endpoint = "shopping_csv")]
pub async fn shopping_csv(#[server(default)] day: String) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(KITCHEN, move |cx, me| async move {
        let day = day_or(&day, cx.config().today())?;
        let mut conn = cx.db().acquire().await?;
        let plan = super::plan::plan(&mut conn, cx.config(), &cx.lang(&me), day).await?;
        super::plan::shopping_csv(&plan)
    })
    .await
}

/// Marks `batches` of a product baked for `day` (see `plan::mark_baked`); returns the units.
#[server(endpoint = "mark_baked")]
pub async fn mark_baked(
    day: String,
    product_id: i64,
    batches: i64,
    baked_before: i64,
) -> Result<i64, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(KITCHEN, move |cx, me| async move {
        let day = day_or(&day, cx.config().today())?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let done = super::plan::mark_baked(
            &mut tx,
            cx.config(),
            (me.id, &me.name),
            day,
            product_id,
            batches,
            baked_before,
        )
        .await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.baked",
            &format!("product {product_id} for {day}"),
            serde_json::json!({ "batches": batches, "units": done.units, "orders_moved": done.changes.len() }),
        )
        .await?;
        tx.commit().await?;
        crate::orders::core::Core::of(&cx.state).announce(done.changes);
        tracing::info!(product = product_id, %day, batches, by = me.id, "batches baked");
        Ok(done.units)
    })
    .await
}

/// Ingredients with their stock, suppliers and the latest moves.
#[server(endpoint = "get_stock")]
pub async fn get_stock() -> Result<StockData, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(KITCHEN, move |cx, me| async move {
        let mut conn = cx.db().acquire().await?;
        Ok(StockData {
            ingredients: super::stock_read::ingredients(
                &mut conn,
                &cx.config().currency(),
                cx.config().today(),
            )
            .await?,
            suppliers: super::stock_read::suppliers(&mut conn).await?,
            moves: super::stock_read::moves(&mut conn, 60).await?,
            can_edit: me.role == Role::Owner,
            purchases: super::purchase_read::list(&mut conn, &cx.config().currency(), 10).await?,
            check_pantry: super::purchase_read::check_pantry(&mut conn).await?,
        })
    })
    .await
}

/// The stock as a spreadsheet: `balances` (every ingredient) or `moves` (the whole ledger).
#[server(endpoint = "stock_csv")]
pub async fn stock_csv(what: String) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(KITCHEN, move |cx, me| async move {
        let mut conn = cx.db().acquire().await?;
        let csv = match what.as_str() {
            "balances" => {
                let rows = super::stock_read::ingredients(
                    &mut conn,
                    &cx.config().currency(),
                    cx.config().today(),
                )
                .await?;
                super::stock_read::balances_csv(&rows)?
            }
            "moves" => super::stock_read::moves_csv(&mut conn).await?,
            _ => {
                return Err(AppError::invalid(
                    "what",
                    crate::said::said("refuse-stock-what"),
                ))
            }
        };
        drop(conn);
        cx.audit(&me, "export.stock", &what, serde_json::json!({}))
            .await?;
        Ok(csv)
    })
    .await
}

/// What stock changes: a delivery, waste or a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StockChange {
    Receive,
    Waste,
    Count,
}

/// Records a delivery (`lot`, `best_before` optional), waste (`reason` needed) or a count of
/// one ingredient; `quantity` is typed in the ingredient's unit. The field at fault is named.
#[server(endpoint = "change_stock")]
pub async fn change_stock(
    change: StockChange,
    ingredient_id: i64,
    quantity: String,
    #[server(default)] lot: String,
    #[server(default)] best_before: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(KITCHEN, move |cx, me| async move {
        let today = cx.config().today().format("%Y-%m-%d").to_string();
        let best_before = best_before.trim();
        if !best_before.is_empty()
            && chrono::NaiveDate::parse_from_str(best_before, "%Y-%m-%d").is_err()
        {
            return Err(AppError::invalid("best_before", crate::said::said("refuse-best-before")));
        }
        let (lot, reason) = (lot.trim(), reason.trim());
        if lot.chars().count() > 60 {
            return Err(AppError::invalid("lot", crate::said::said("refuse-lot")));
        }
        if reason.chars().count() > 200 {
            return Err(AppError::invalid("reason", crate::said::said("refuse-reason-long")));
        }
        if change == StockChange::Waste && reason.is_empty() {
            return Err(AppError::invalid("reason", crate::said::said("refuse-reason-why")));
        }
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let (q, unit, name) =
            super::stock_read::typed_quantity(&mut tx, ingredient_id, &quantity, "quantity").await?;
        let by = super::stock::MoveBy {
            user_id: Some(me.id),
            reason,
            batch_id: None,
        };
        let said = match change {
            StockChange::Receive => {
                let bb = (!best_before.is_empty()).then_some(best_before);
                super::stock::receive(&mut tx, ingredient_id, q, lot, bb, &today, &by).await?;
                format!("{name}: {} received.", unit.show(q))
            }
            StockChange::Waste => {
                if q <= 0 {
                    return Err(AppError::invalid("quantity", crate::said::said("refuse-more-than-zero")));
                }
                super::stock::take(&mut tx, ingredient_id, q, "waste", &by).await?;
                format!("{name}: {} written off.", unit.show(q))
            }
            StockChange::Count => {
                let diff = super::stock::count(&mut tx, ingredient_id, q, &today, &by).await?;
                format!("{name}: counted {} ({}{}).", unit.show(q), if diff >= 0 { "+" } else { "" }, unit.show(diff))
            }
        };
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            &format!("stock.{change:?}").to_lowercase(),
            &name,
            serde_json::json!({ "quantity": unit.show(q), "lot": lot, "best_before": best_before, "reason": reason }),
        )
        .await?;
        tx.commit().await?;
        Ok(said)
    })
    .await
}

/// Low stock and lots near their best-before, for the dashboard.
#[server(endpoint = "get_stock_alerts")]
pub async fn get_stock_alerts() -> Result<StockAlerts, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(KITCHEN, move |cx, me| async move {
        let lang = cx.lang(&me);
        let mut conn = cx.db().acquire().await?;
        let rows =
            super::stock_read::ingredients(&mut conn, &cx.config().currency(), cx.config().today())
                .await?;
        let tomorrow = cx.config().today() + chrono::Duration::days(1);
        let plan = super::plan::plan(&mut conn, cx.config(), &lang, tomorrow).await?;
        Ok(StockAlerts {
            short_tomorrow: plan
                .needs
                .iter()
                .filter(|n| !n.short.is_empty())
                .map(|n| {
                    lang.t_with(
                        "alert-short",
                        &[
                            ("name", n.name.clone().into()),
                            ("short", n.short.clone().into()),
                        ],
                    )
                })
                .collect(),
            tomorrow: plan.day,
            low: rows
                .iter()
                .filter(|r| r.low)
                .map(|r| {
                    lang.t_with(
                        "alert-low",
                        &[
                            ("name", r.name.clone().into()),
                            ("balance", r.balance_text.clone().into()),
                            ("reorder", r.reorder_text.clone().into()),
                        ],
                    )
                })
                .collect(),
            expiring: rows
                .iter()
                .filter(|r| r.expiring)
                .map(|r| {
                    lang.t_with(
                        "alert-best-before",
                        &[
                            ("name", r.name.clone().into()),
                            (
                                "date",
                                lang.day(
                                    r.next_best_before.as_deref().unwrap_or(""),
                                    "date-short-year",
                                )
                                .into(),
                            ),
                        ],
                    )
                })
                .collect(),
        })
    })
    .await
}
