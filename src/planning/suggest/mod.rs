//! "Plan the fortnight": every order whose customer accepts a range of days gets its day, and
//! every day its routes, from one search (the periodic solver of crates/routing) within
//! served weekdays, district-day capacity, the kitchen's days, the vans, their shift and the
//! delivery windows. Shows km, hours and cost against serving every order on its booked day
//! (planned the same way), day by day; the owner accepts all or order by order, and can undo.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Move {
    pub order_id: i64,
    pub number: i64,
    pub customer: String,
    pub district_id: i64,
    pub district: String,
    pub from_day: String,
    pub to_day: String,
    /// Why, in a few words: whom it joins on its new day.
    pub why: String,
    /// A standing order's week (`S-3/2026-12-07`): its moves are accepted, and undone,
    /// together, so that the week keeps a pattern its customer accepts.
    pub group: Option<String>,
}

/// One day of the horizon, as booked and as suggested.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayFigures {
    pub day: String,
    pub stops_before: usize,
    pub stops_after: usize,
    pub vans_before: usize,
    pub vans_after: usize,
    pub km_before: f64,
    pub km_after: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub moves: Vec<Move>,
    /// Deliveries considered, and how many accept a range of days.
    pub orders: usize,
    pub flexible: usize,
    pub days: usize,
    /// Driving over the horizon, as booked and as suggested (every day's routes planned).
    pub fixed_km: f64,
    pub suggested_km: f64,
    /// Hours at the wheel, as booked and as suggested.
    pub fixed_hours: f64,
    pub suggested_hours: f64,
    /// Kilometres and hours at the Settings rates.
    pub saved_cents: i64,
    pub per_day: Vec<DayFigures>,
    /// Stops no van can take on their day (windows, van capacity, the shift), as booked and as
    /// suggested; counted in the km as a trip out and back.
    pub unplaced_before: usize,
    pub unplaced_after: usize,
    pub currency: String,
}

/// A planning search in the background, as the page polls it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanStatus {
    pub running: bool,
    pub stopping: bool,
    pub percent: u8,
    /// Km of the best plan so far: the week as booked, then the joint plan.
    pub booked_km: Option<f64>,
    pub best_km: Option<f64>,
    pub result: Option<Suggestion>,
    pub error: Option<AppError>,
}

mod card;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
mod week;

pub use card::SuggestCard;

/// Plans the fortnight at once (waits for the search) and proposes day changes. Owner.
#[server(endpoint = "suggest_plan")]
pub async fn suggest_plan() -> Result<Suggestion, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
        server::suggest(
            &cx.state.pool,
            &cx.state.config,
            server::SEARCH_SECONDS,
            None,
        )
        .await
    })
    .await
}

/// Starts planning the fortnight in the background; `plan_progress` follows it. Owner.
#[server(endpoint = "start_plan")]
pub async fn start_plan() -> Result<(), AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        server::start(
            cx.state.pool.clone(),
            cx.state.config.clone(),
            me.id,
            server::SEARCH_SECONDS,
        );
        Ok(())
    })
    .await
}

/// How far the owner's planning has got, with the plan once it is done. Owner.
#[server(endpoint = "plan_progress")]
pub async fn plan_progress() -> Result<Option<PlanStatus>, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |_cx, me| async move {
        Ok(server::progress(me.id))
    })
    .await
}

/// Stops the owner's planning early: the best plan so far is shown. Owner.
#[server(endpoint = "stop_plan")]
pub async fn stop_plan() -> Result<bool, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |_cx, me| async move {
        Ok(server::stop(me.id))
    })
    .await
}

/// Accepts suggested moves (`order_ids[i]` to `days[i]`), all or nothing. Owner.
#[server(endpoint = "accept_suggestions")]
pub async fn accept_suggestions(
    #[server(default)] order_ids: Vec<i64>,
    #[server(default)] days: Vec<String>,
) -> Result<usize, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        if order_ids.is_empty() || order_ids.len() != days.len() {
            return Err(AppError::invalid(
                "order_ids",
                crate::said::said("refuse-day-per-order"),
            ));
        }
        let moves: Vec<(i64, String)> = order_ids.into_iter().zip(days).collect();
        let core = crate::orders::core::Core::of(&cx.state);
        let actor = crate::orders::core::Actor::user(me.id, &me.name);
        server::accept(&core, &actor, &moves).await
    })
    .await
}
