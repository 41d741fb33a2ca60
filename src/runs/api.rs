//! Server functions of the runs page. Owner only; thin: the work is in `plan`.
use leptos::prelude::*;

use super::model::{DayPlan, Optimised, RunSheet};
use crate::error::AppError;

/// A day's runs, unplanned deliveries and drivers (default: today).
#[server(endpoint = "get_day_plan")]
pub async fn get_day_plan(#[server(default)] day: Option<String>) -> Result<DayPlan, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let day = match day.as_deref().filter(|d| !d.is_empty()) {
            Some(d) => crate::orders::model::parse_day(d, "day")?,
            None => cx.state.config.today(),
        };
        super::read::day_plan(&cx.state.pool, &cx.state.config, &cx.lang(&me), day).await
    })
    .await
}

/// Plans the day's deliveries onto runs for the chosen drivers, keeping locked stops.
#[server(endpoint = "optimise_runs")]
pub async fn optimise_runs(
    day: String,
    #[server(default)] drivers: Vec<i64>,
) -> Result<Optimised, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let day = crate::orders::model::parse_day(&day, "day")?;
        let done = super::plan::optimise(&cx.state.pool, &cx.state.config, day, &drivers).await?;
        if done.republished {
            super::plan::announce_republished(&cx.state.pool, &cx.state.events, day, &me.name)
                .await;
        }
        Ok(done)
    })
    .await
}

/// Sets a run's stops, in order (a stop dragged from another run moves here), and re-times.
#[server(endpoint = "reorder_run")]
pub async fn reorder_run(
    run_id: i64,
    #[server(default)] order_ids: Vec<i64>,
) -> Result<(), AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
        super::plan::reorder(&cx.state.pool, &cx.state.config, run_id, &order_ids).await
    })
    .await
}

/// Locks a stop to its run and place (re-optimising keeps it), or unlocks it.
#[server(endpoint = "lock_stop")]
pub async fn lock_stop(order_id: i64, locked: bool) -> Result<(), AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
        let mut tx = crate::server::db::begin_write(&cx.state.pool).await?;
        let changed = sqlx::query!(
            "UPDATE run_stops SET locked = ? WHERE order_id = ?",
            locked,
            order_id
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::NotFound(crate::said::said(
                "refuse-what-that-stop",
            )));
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Publishes the day's runs: drivers see them, customers' trackers show the ETA.
#[server(endpoint = "publish_runs")]
pub async fn publish_runs(day: String) -> Result<usize, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let day = crate::orders::model::parse_day(&day, "day")?;
        let changes = super::read::publish(&cx.state.pool, day, &me.name).await?;
        let n = changes.len();
        for change in changes {
            let _ = cx.state.events.send(change);
        }
        Ok(n)
    })
    .await
}

/// A run as a printable sheet: the owner, or the driver whose published run it is.
#[server(endpoint = "get_run_sheet")]
pub async fn get_run_sheet(run_id: i64) -> Result<RunSheet, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Driver], move |cx, me| async move {
        let driver = (me.role == Role::Driver).then_some(me.id);
        let lang = cx.lang(&me);
        super::read::sheet(&cx.state.pool, &cx.state.config, &lang, run_id, driver).await
    })
    .await
}

/// The owner takes a run's cash: marks it handed over (once).
#[server(endpoint = "mark_cash_handed")]
pub async fn mark_cash_handed(run_id: i64) -> Result<(), AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
            let mut tx = crate::server::db::begin_write(&cx.state.pool).await?;
            let now = crate::server::db::now();
            let done = sqlx::query!(
                "UPDATE runs SET cash_handed_at = ?, cash_handed_to = ? WHERE id = ? AND cash_handed_at IS NULL",
                now,
                me.id,
                run_id
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                let exists = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM runs WHERE id = ?"#, run_id)
                    .fetch_one(&mut *tx)
                    .await?;
                return Err(if exists == 0 {
                    AppError::NotFound(crate::said::said("refuse-what-that-run"))
                } else {
                    AppError::Conflict(crate::said::said("refuse-cash-handed"))
                });
            }
            tx.commit().await?;
            Ok(())
    })
    .await
}

/// Sets a driver's own van capacity (items) and shift; an empty field means the business
/// default from the delivery settings. Every bad field is named and nothing changes. Owner.
#[server(endpoint = "save_driver_van")]
pub async fn save_driver_van(
    driver_id: i64,
    #[server(default)] van_capacity: String,
    #[server(default)] shift_start: String,
    #[server(default)] shift_end: String,
) -> Result<(), AppError> {
    use super::model::parse_clock;
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
            let pool = &cx.state.pool;
            let capacity = match van_capacity.trim() {
                "" => None,
                raw => Some(crate::settings::delivery::parse_whole(
                    raw,
                    "van_capacity",
                    1..=100_000,
                    "a whole number of items, at least 1 (or empty for the default)",
                )?),
            };
            let clock = |raw: &str, field: &str| -> Result<Option<String>, AppError> {
                match raw.trim() {
                    "" => Ok(None),
                    t => parse_clock(t, field).map(|_| Some(t.to_string())),
                }
            };
            let (start, end) = (clock(&shift_start, "shift_start")?, clock(&shift_end, "shift_end")?);
            let s = super::plan::settings(pool).await?;
            let (a, b) = (
                parse_clock(start.as_deref().unwrap_or(&s.shift_start), "shift_start")?,
                parse_clock(end.as_deref().unwrap_or(&s.shift_end), "shift_end")?,
            );
            if b <= a {
                return Err(AppError::invalid("shift_end", crate::said::said("refuse-shift-end")));
            }
            let mut tx = crate::server::db::begin_write(pool).await?;
            let done = sqlx::query!(
                "UPDATE users SET van_capacity = ?, shift_start = ?, shift_end = ? WHERE id = ? AND role = 'driver'",
                capacity,
                start,
                end,
                driver_id
            )
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(AppError::NotFound(crate::said::said("refuse-what-that-driver")));
            }
            tx.commit().await?;
            Ok(())
    })
    .await
}
