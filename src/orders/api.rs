//! Server functions of the order board.
use leptos::prelude::*;

use super::model::Board;
use crate::error::AppError;

/// The board for `day` (`YYYY-MM-DD`; today when empty), narrowed by the filters. Staff and owner.
#[server(endpoint = "list_board")]
pub async fn list_board(
    day: Option<String>,
    #[server(default)] district: Option<String>,
    #[server(default)] fulfilment: Option<String>,
    #[server(default)] payment: Option<String>,
    #[server(default)] q: Option<String>,
    #[server(default)] show: Option<String>,
) -> Result<Board, AppError> {
    use super::model::{parse_day, BoardColumn, OrderStatus, BOARD_PAGE};
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, _me| async move {
        let state = &cx.state;
        let today = state.config.today();
        let day = match day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(raw) => parse_day(raw, "day")?,
            None => today,
        };
        let filter = super::repo::BoardFilter {
            district: district.unwrap_or_default(),
            fulfilment: fulfilment.unwrap_or_default(),
            payment: payment.unwrap_or_default(),
            search: q.unwrap_or_default(),
        };
        if filter.search.chars().count() > 60 {
            return Err(AppError::invalid(
                "q",
                crate::said::said("refuse-search-long"),
            ));
        }
        let show = match show.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => BOARD_PAGE,
            Some(raw) => crate::settings::delivery::parse_whole(
                raw,
                "show",
                1..=10_000,
                &crate::said::said("refuse-hint-cards"),
            )? as usize,
        };
        let cards = super::repo::cards_filtered(&state.pool, &day.to_string(), &filter).await?;
        let districts = crate::districts::repo::list(&state.pool)
            .await?
            .into_iter()
            .map(|d| d.name)
            .collect();
        let columns = OrderStatus::BOARD
            .into_iter()
            .map(|status| {
                let mut column = cards.iter().filter(|c| {
                    c.status == status
                        || (status == OrderStatus::Delivered && c.status == OrderStatus::Collected)
                });
                let shown: Vec<_> = column.by_ref().take(show).cloned().collect();
                BoardColumn {
                    status,
                    total: shown.len() + column.count(),
                    cards: shown,
                }
            })
            .collect();
        let cancelled = cards
            .iter()
            .filter(|c| c.status == OrderStatus::Cancelled)
            .count();
        Ok(Board {
            day: day.to_string(),
            today: today.to_string(),
            currency: state.config.currency(),
            columns,
            show,
            cancelled,
            districts,
        })
    })
    .await
}

/// Moves an order to another stage if nobody changed it since `version`. Staff and owner.
#[server(endpoint = "move_order")]
pub async fn move_order(
    order_id: i64,
    to: String,
    version: i64,
) -> Result<super::model::OrderChange, AppError> {
    use super::model::OrderStatus;
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, me| async move {
        let to = OrderStatus::parse(&to)?;
        let change = ask(&cx, &me, order_id, version, Command::Move(to)).await?;
        tracing::info!(
            order = change.number,
            to = to.as_str(),
            by = me.id,
            "order moved"
        );
        Ok(change)
    })
    .await
}

/// Everything about one order, with its history. Staff and owner.
#[server(endpoint = "get_order")]
pub async fn get_order(order_id: i64) -> Result<super::model::OrderDetail, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, me| async move {
        let mut detail = super::repo::detail(cx.db(), order_id, cx.config()).await?;
        detail.customer_page = me.role == Role::Owner;
        Ok(detail)
    })
    .await
}

/// Cancels an order with a reason; its delivery stop and products go back to the calendar.
/// Staff and owner.
#[server(endpoint = "cancel_order")]
pub async fn cancel_order(
    order_id: i64,
    version: i64,
    reason: String,
) -> Result<super::model::OrderChange, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, me| async move {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(AppError::invalid(
                "reason",
                crate::said::said("refuse-cancel-reason"),
            ));
        }
        let reason = reason.to_string();
        let change = ask(&cx, &me, order_id, version, Command::Cancel { reason }).await?;
        tracing::info!(order = change.number, by = me.id, "order cancelled");
        Ok(change)
    })
    .await
}

/// Records that an order has been paid. Staff and owner.
#[server(endpoint = "mark_paid")]
pub async fn mark_paid(order_id: i64, version: i64) -> Result<super::model::OrderChange, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, me| async move {
        ask(&cx, &me, order_id, version, Command::MarkPaid).await
    })
    .await
}

/// Replaces an order's items (`skus[i]` × `quantities[i]`) before baking starts; totals are
/// recomputed, capacities and the district minimum checked. Staff and owner.
#[server(endpoint = "edit_items")]
pub async fn edit_items(
    order_id: i64,
    version: i64,
    #[server(default)] skus: Vec<String>,
    #[server(default)] quantities: Vec<i64>,
) -> Result<super::model::OrderChange, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, me| async move {
        if skus.len() != quantities.len() {
            return Err(AppError::invalid(
                "items",
                crate::said::said("refuse-items-quantity"),
            ));
        }
        let lines: Vec<(String, i64)> = skus
            .into_iter()
            .map(|s| s.trim().to_string())
            .zip(quantities)
            .collect();
        ask(&cx, &me, order_id, version, Command::EditItems(lines)).await
    })
    .await
}

/// Changes a delivery's address and door pin (`lat`/`lng`; absent keeps the pin) before it
/// leaves the kitchen: district, fee and total follow the pin. Staff and owner.
#[server(endpoint = "edit_address")]
pub async fn edit_address(
    order_id: i64,
    version: i64,
    address: String,
    #[server(default)] lat: String,
    #[server(default)] lng: String,
) -> Result<super::model::OrderChange, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, me| async move {
        let number = |v: &str, field: &str, label: &str| -> Result<Option<f64>, AppError> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            v.parse::<f64>().map(Some).map_err(|_| {
                AppError::invalid(
                    field,
                    crate::said::said_with("refuse-coordinate", &[("label", &label)]),
                )
            })
        };
        let (lat, lng) = (
            number(&lat, "lat", &crate::said::said("refuse-latitude"))?,
            number(&lng, "lng", &crate::said::said("refuse-longitude"))?,
        );
        let new = super::model::NewAddress::parse(&address, lat, lng)?;
        let core = Core::of(&cx.state);
        let actor = Actor::user(me.id, &me.name);
        let command = Command::SetPlace {
            address: Some(new.address),
            pin: new.pin,
        };
        let applied = core.apply(&actor, order_id, Some(version), command).await?;
        // The caller re-times a run that holds the stop (arrival times follow the pin).
        if applied.pin_moved {
            crate::runs::plan::retime_after_move(&cx.state.pool, cx.config(), order_id).await?;
        }
        Ok(applied.change)
    })
    .await
}

/// Changes an order's delivery window (`HH:MM-HH:MM`, empty for any time) and notes. Staff and owner.
#[server(endpoint = "edit_order")]
pub async fn edit_order(
    order_id: i64,
    version: i64,
    #[server(default)] window: Option<String>,
    #[server(default)] notes: Option<String>,
) -> Result<super::model::OrderChange, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, me| async move {
        let window = match window.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
            None => None,
            Some(w) => {
                let parse = |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
                match w.split_once('-').map(|(a, b)| (parse(a), parse(b))) {
                    Some((Some(a), Some(b))) if a < b => {
                        Some((a.format("%H:%M").to_string(), b.format("%H:%M").to_string()))
                    }
                    _ => {
                        return Err(AppError::invalid(
                            "window",
                            crate::said::said("refuse-window-format"),
                        ))
                    }
                }
            }
        };
        let notes = notes
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        if notes.as_deref().is_some_and(|n| n.chars().count() > 1000) {
            return Err(AppError::invalid(
                "notes",
                crate::said::said("refuse-notes-long"),
            ));
        }
        ask(
            &cx,
            &me,
            order_id,
            version,
            Command::EditDetails { window, notes },
        )
        .await
    })
    .await
}

/// Adds a promotion code (`promo_code`) or spends loyalty points (`redeem_points`) on an order
/// already placed, while it is open and not paid, or records the referral code it came with
/// (`referral_code`, the customer's first order); a refusal names the field. Staff and owner.
#[server(endpoint = "add_discount")]
pub async fn add_discount(
    order_id: i64,
    version: i64,
    #[server(default)] promo_code: Option<String>,
    #[server(default)] redeem_points: Option<String>,
    #[server(default)] referral_code: Option<String>,
) -> Result<super::model::OrderChange, AppError> {
    use super::core::Discount;
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, me| async move {
        let given = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let discount = match (given(promo_code), given(redeem_points), referral_code) {
            (Some(code), None, None) => Discount::Code(code),
            (None, Some(points), None) => Discount::Points(crate::field::parse_whole(
                &points,
                "redeem_points",
                &crate::said::said("drawer-points-to-spend"),
                1..=1_000_000,
            )?),
            (None, None, Some(referral)) => Discount::Referral(referral),
            _ => {
                return Err(AppError::invalid(
                    "promo_code",
                    crate::said::said("refuse-discount-one"),
                ))
            }
        };
        ask(&cx, &me, order_id, version, Command::Discount(discount)).await
    })
    .await
}

/// Takes an order's promotion code (`what=code`) or spent points (`what=points`) off again,
/// while it is open and not paid. Staff and owner.
#[server(endpoint = "remove_discount")]
pub async fn remove_discount(
    order_id: i64,
    version: i64,
    what: String,
) -> Result<super::model::OrderChange, AppError> {
    use super::core::Discount;
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner, Role::Staff], move |cx, me| async move {
        let discount = match what.as_str() {
            "code" => Discount::RemoveCode,
            "points" => Discount::RemovePoints,
            other => {
                let why = crate::said::said_with(
                    "refuse-discount-what",
                    &[("typed", &format!("{other:?}"))],
                );
                return Err(AppError::invalid("what", format!("what: {why}")));
            }
        };
        ask(&cx, &me, order_id, version, Command::Discount(discount)).await
    })
    .await
}

#[cfg(feature = "ssr")]
use super::core::{Actor, Command, Core};

/// Asks the order core to apply `command` as `me`, checked against `version`.
#[cfg(feature = "ssr")]
async fn ask(
    cx: &crate::server::ctx::Ctx,
    me: &crate::auth::repo::UserAuth,
    order_id: i64,
    version: i64,
    command: Command,
) -> Result<super::model::OrderChange, AppError> {
    let actor = Actor::user(me.id, &me.name);
    let applied = Core::of(&cx.state)
        .apply(&actor, order_id, Some(version), command)
        .await?;
    Ok(applied.change)
}
