//! Assigning orders to district delivery days from the planning map: one order or several,
//! refused with the reason when a rule is broken, with Undo (the answer carries the old days).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One order moved: where it was, for Undo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assigned {
    pub order_id: i64,
    pub number: i64,
    pub from_day: String,
    pub to_day: String,
}

/// Moves `order_ids` to `day` through the order core, all or nothing: the first refusal names
/// its order and leaves every order of the drop where it was. Orders already on `day` stay.
#[cfg(feature = "ssr")]
pub async fn assign(
    core: &crate::orders::core::Core,
    actor: &crate::orders::core::Actor,
    order_ids: &[i64],
    day: &str,
) -> Result<Vec<Assigned>, AppError> {
    use crate::orders::core::Command;
    let to_day = crate::orders::model::parse_day(day, "day")?;
    if order_ids.is_empty() {
        return Err(AppError::invalid(
            "order_ids",
            crate::said::said("refuse-choose-orders"),
        ));
    }
    let placeholders = order_ids.iter().map(|_| "?").collect::<Vec<_>>().join(",");
    let sql = format!("SELECT id FROM orders WHERE fulfil_on = ? AND id IN ({placeholders})");
    let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(day);
    for id in order_ids {
        q = q.bind(id);
    }
    let already: Vec<i64> = q.fetch_all(&core.pool).await?;
    let changes = order_ids
        .iter()
        .filter(|id| !already.contains(id))
        .map(|&id| {
            let command = Command::ChangeDay {
                day: to_day,
                why: None,
                consented_only: false,
            };
            (id, None, command)
        })
        .collect();
    let applied = core.apply_all(actor, changes).await?;
    Ok(applied
        .into_iter()
        .map(|a| Assigned {
            order_id: a.change.order_id,
            number: a.change.number,
            from_day: a.from_day,
            to_day: a.to_day,
        })
        .collect())
}

/// Moves orders to a delivery day (their district's), all or nothing. Owner.
#[server(endpoint = "assign_day")]
pub async fn assign_day(
    #[server(default)] order_ids: Vec<i64>,
    day: String,
) -> Result<Vec<Assigned>, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let core = crate::orders::core::Core::of(&cx.state);
        let actor = crate::orders::core::Actor::user(me.id, &me.name);
        assign(&core, &actor, &order_ids, &day).await
    })
    .await
}

/// Pins an order on the map: it gets the district around the pin, by the order core's rules
/// (the storefront's): a pin outside every district, or in a district that doesn't serve the
/// order's day, is full that day or whose minimum the order misses, is refused with the
/// reason. Owner.
#[server(endpoint = "pin_order")]
pub async fn pin_order(order_id: i64, lat: f64, lng: f64) -> Result<String, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lng) {
            return Err(AppError::invalid(
                "lat",
                crate::said::said("refuse-lat-lng"),
            ));
        }
        let core = crate::orders::core::Core::of(&cx.state);
        let actor = crate::orders::core::Actor::user(me.id, &me.name);
        let command = crate::orders::core::Command::SetPlace {
            address: None,
            pin: Some((lat, lng)),
        };
        let applied = core.apply(&actor, order_id, None, command).await?;
        if applied.pin_moved {
            crate::runs::plan::retime_after_move(&cx.state.pool, cx.config(), order_id).await?;
        }
        let name = applied.district.unwrap_or_default();
        Ok(name)
    })
    .await
}
