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

/// Why an order can't go to `day`, or None when it can. Pure, so every rule is tested alone.
#[allow(clippy::too_many_arguments)]
pub fn refusal(
    number: i64,
    status: &str,
    fulfilment: &str,
    served: bool,
    room: i64,
    flex: Option<(&str, &str)>,
    day: &str,
    today: &str,
) -> Option<String> {
    if fulfilment != "delivery" {
        return Some(format!(
            "#{number} is a pickup order; it has no delivery day."
        ));
    }
    match status {
        "out_for_delivery" | "delivered" => {
            return Some(format!("#{number} is already out for delivery."))
        }
        "cancelled" => return Some(format!("#{number} is cancelled.")),
        _ => {}
    }
    if day < today {
        return Some(format!("{day} is in the past."));
    }
    if !served {
        return Some(format!("#{number}'s district isn't served on that day."));
    }
    if room <= 0 {
        return Some("That district-day is full.".into());
    }
    if let Some((a, b)) = flex {
        if day < a || day > b {
            return Some(format!("#{number}'s customer asked for {a} to {b}."));
        }
    }
    None
}

#[cfg(feature = "ssr")]
pub async fn assign(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
    actor: (i64, &str),
    order_ids: &[i64],
    day: &str,
) -> Result<(Vec<Assigned>, Vec<crate::orders::model::OrderChange>), AppError> {
    use chrono::Datelike;
    let to_day = crate::orders::model::parse_day(day, "day")?;
    if order_ids.is_empty() {
        return Err(AppError::invalid("order_ids", "Choose at least one order."));
    }
    let today = config.today().to_string();
    let mut tx = crate::server::db::begin_write(pool).await?;
    let mut done = Vec::new();
    let mut changes = Vec::new();
    for &id in order_ids {
        let o = sqlx::query!(
            r#"SELECT o.number, o.status, o.fulfilment, o.fulfil_on, o.flex_from, o.flex_to, o.version,
                      o.district_id, d.served_weekdays AS "served?: i64", d.capacity_per_day AS "capacity?: i64"
               FROM orders o LEFT JOIN districts d ON d.id = o.district_id WHERE o.id = ?"#,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Order {id}")))?;
        if o.fulfil_on == day {
            continue;
        }
        let Some(district) = o.district_id else {
            return Err(AppError::invalid(
                "order_ids",
                format!("#{} needs a map pin in a district first.", o.number),
            ));
        };
        let served = o
            .served
            .is_some_and(|m| m & (1 << to_day.weekday().num_days_from_monday()) != 0);
        let used = sqlx::query_scalar!(
            r#"SELECT COALESCE(SUM(used), 0) AS "n!: i64" FROM capacity_used WHERE kind = 'stops' AND ref_id = ? AND day = ?"#,
            district,
            day
        )
        .fetch_one(&mut *tx)
        .await?;
        let room = o.capacity.unwrap_or(0) - used;
        let flex = o.flex_from.as_deref().zip(o.flex_to.as_deref());
        if let Some(why) = refusal(
            o.number,
            &o.status,
            &o.fulfilment,
            served,
            room,
            flex,
            day,
            &today,
        ) {
            // All or nothing: a refused order leaves every order of this drop where it was.
            return Err(AppError::Conflict(why));
        }
        let now = crate::server::db::now();
        sqlx::query!(
            "UPDATE orders SET fulfil_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
            day,
            now,
            id
        )
        .execute(&mut *tx)
        .await?;
        let detail = format!("Delivery day {} → {day}", o.fulfil_on);
        crate::orders::repo::record_edit(&mut tx, id, actor.0, &detail, &now).await?;
        // A run planned for the old day no longer holds it.
        sqlx::query!("DELETE FROM run_stops WHERE order_id = ?", id)
            .execute(&mut *tx)
            .await?;
        crate::orders::notify::enqueue(&mut tx, id, "order.updated").await?;
        let status = crate::orders::model::OrderStatus::parse(&o.status)
            .map_err(|_| AppError::internal("orders.status", &o.status))?;
        changes.push(crate::orders::model::OrderChange {
            order_id: id,
            number: o.number,
            from: status,
            status,
            version: o.version + 1,
            by: crate::orders::model::first_name(actor.1),
        });
        done.push(Assigned {
            order_id: id,
            number: o.number,
            from_day: o.fulfil_on,
            to_day: day.to_string(),
        });
    }
    tx.commit().await?;
    Ok((done, changes))
}

/// Moves orders to a delivery day (their district's), all or nothing. Owner.
#[server(endpoint = "assign_day")]
pub async fn assign_day(
    #[server(default)] order_ids: Vec<i64>,
    day: String,
) -> Result<Vec<Assigned>, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let me = crate::auth::session::require(&cx, &[Role::Owner]).await?;
            let (done, changes) = assign(
                &cx.state.pool,
                &cx.state.config,
                (me.id, &me.name),
                &order_ids,
                &day,
            )
            .await?;
            for c in changes {
                let _ = cx.state.events.send(c);
            }
            Ok(done)
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::refusal;

    #[test]
    fn every_rule_refuses_with_its_reason() {
        let ok = |status, served, room, flex, day| {
            refusal(7, status, "delivery", served, room, flex, day, "2026-11-25")
        };
        assert_eq!(ok("confirmed", true, 3, None, "2026-11-27"), None);
        assert!(ok("out_for_delivery", true, 3, None, "2026-11-27")
            .unwrap()
            .contains("out for delivery"));
        assert!(ok("cancelled", true, 3, None, "2026-11-27")
            .unwrap()
            .contains("cancelled"));
        assert!(ok("confirmed", false, 3, None, "2026-11-27")
            .unwrap()
            .contains("isn't served"));
        assert!(ok("confirmed", true, 0, None, "2026-11-27")
            .unwrap()
            .contains("full"));
        assert!(ok(
            "confirmed",
            true,
            3,
            Some(("2026-11-26", "2026-11-28")),
            "2026-11-30"
        )
        .unwrap()
        .contains("asked for"));
        assert_eq!(
            ok(
                "confirmed",
                true,
                3,
                Some(("2026-11-26", "2026-11-28")),
                "2026-11-28"
            ),
            None
        );
        assert!(ok("confirmed", true, 3, None, "2026-11-20")
            .unwrap()
            .contains("past"));
        assert!(refusal(
            7,
            "confirmed",
            "pickup",
            true,
            3,
            None,
            "2026-11-27",
            "2026-11-25"
        )
        .unwrap()
        .contains("pickup"));
    }
}

/// Pins an order that came without a usable location: it gets the district around the pin.
/// A pin outside every district is refused (the order stays in "needs a location"). Owner.
#[server(endpoint = "pin_order")]
pub async fn pin_order(order_id: i64, lat: f64, lng: f64) -> Result<String, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let me = crate::auth::session::require(&cx, &[Role::Owner]).await?;
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lng) {
                return Err(AppError::invalid("lat", "lat/lng: not a place on Earth."));
            }
            let pool = &cx.state.pool;
            let districts = crate::districts::repo::list(pool).await?;
            let district = crate::districts::locate::locate(&districts, lat, lng).ok_or_else(|| {
                AppError::invalid("lat", "That spot is outside every delivery district; drop the pin inside one.")
            })?;
            let (district_id, name) = (district.id, district.name.clone());
            let mut tx = crate::server::db::begin_write(pool).await?;
            let o = sqlx::query!("SELECT number, status, version, fulfilment FROM orders WHERE id = ?", order_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| AppError::NotFound("That order".into()))?;
            if o.fulfilment != "delivery" || matches!(o.status.as_str(), "delivered" | "cancelled") {
                return Err(AppError::Conflict(format!("#{} doesn't need a delivery pin.", o.number)));
            }
            let now = crate::server::db::now();
            sqlx::query!(
                "UPDATE orders SET lat = ?, lng = ?, district_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
                lat,
                lng,
                district_id,
                now,
                order_id
            )
            .execute(&mut *tx)
            .await?;
            let detail = format!("Pinned on the map in {name}");
            crate::orders::repo::record_edit(&mut tx, order_id, me.id, &detail, &now).await?;
            tx.commit().await?;
            let status = crate::orders::model::OrderStatus::parse(&o.status)
                .map_err(|_| AppError::internal("orders.status", &o.status))?;
            let _ = cx.state.events.send(crate::orders::model::OrderChange {
                order_id,
                number: o.number,
                from: status,
                status,
                version: o.version + 1,
                by: crate::orders::model::first_name(&me.name),
            });
            Ok(name)
        }
        .await,
    )
}
