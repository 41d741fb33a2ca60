//! One card on the order board: draggable, with a "Move to" menu that also works without
//! JavaScript, and focus kept on it after a move.
use leptos::prelude::*;
use leptos_router::components::A;

use super::super::api::MoveOrder;
use super::super::model::{Fulfilment, OrderCard, OrderStatus};
use super::Refocus;
use crate::words::{money, tr, tr_count, tr_with};

/// One order card: draggable, with a "Move to" menu that also works without JavaScript.
#[component]
pub(super) fn Card(
    /// The order.
    card: OrderCard,
    /// Currency for amounts.
    currency: String,
    /// The move action.
    mover: ServerAction<MoveOrder>,
) -> impl IntoView {
    let drag_data = format!("{}:{}", card.id, card.version);
    let on_drag = move |ev: leptos::ev::DragEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(dt) = ev.data_transfer() {
            let _ = dt.set_data("text/plain", &drag_data);
            dt.set_effect_allowed("move");
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &drag_data);
    };
    let pay = match card.cash_to_collect() {
        Some(c) => view! { <span class="pill pill-cash">{tr_with("driver-collect", &[("amount", money(c, &currency))])}</span> }.into_any(),
        None if card.paid => view! { <span class="pill pill-paid">{tr("paid")}</span> }.into_any(),
        None => view! { <span class="pill">{tr("payment-pay_at_pickup")}</span> }.into_any(),
    };
    let place = match card.fulfilment {
        Fulfilment::Pickup => tr("pickup"),
        Fulfilment::Delivery => card
            .district
            .clone()
            .unwrap_or_else(|| tr("needs-location")),
    };
    let colour = card
        .district_colour
        .clone()
        .unwrap_or_else(|| "#b9a48f".into());
    let number = card.number;
    view! {
        <article
            class="order-card"
            data-order-id=card.id.to_string()
            style=format!("--district: {colour}")
            draggable="true"
            on:dragstart=on_drag
            aria-label=tr_with("order-number", &[("number", number.to_string())])
        >
            <div class="card-top">
                <A href=format!("/orders?day={}&order={}", card.fulfil_on, card.id) attr:class="order-number">
                    {format!("#{}", card.number)}
                </A>
                <span class="card-name">{card.customer_first_name.clone()}</span>
                {card.has_notes.then(|| view! { <span class="flag" title=tr("board-has-notes")>"✎"</span> })}
            </div>
            <div class="card-meta">
                <span class="district-tag">{place}</span>
                {card.window.clone().map(|w| view! { <span>{w}</span> })}
                // In a span of its own: two optional spans side by side failed to hydrate.
                <span class="standing-slot">{card.standing_order_id.map(|s| view! {
                    <span class="standing-flag" title=tr_with("standing-order", &[("id", s.to_string())]) aria-label=tr_with("standing-order", &[("id", s.to_string())])>{format!("↻ S-{s}")}</span>
                })}</span>
            </div>
            {card.customer_allergies.clone().map(|a| view! { <p class="card-customer-allergies">{format!("⚠ {}: {a}", tr("allergies"))}</p> })}
            <div class="card-bottom">
                <span class="muted">{tr_count("driver-items", card.item_count as usize)}</span>
                {(!card.allergens.is_empty()).then(|| {
                    let names: Vec<String> = card.allergens.iter().map(|a| crate::menu::model::tag_name(a)).collect();
                    let names = names.join(", ");
                    view! { <span class="card-allergens" title=format!("{}: {names}", tr("allergens")) aria-label=format!("{}: {names}", tr("allergens"))>{card.allergens.join(" · ")}</span> }
                })}
                {pay}
            </div>
            <MoveForm card=card.clone() mover/>
        </article>
    }
}

/// "Move to": the stages ahead (the usual next one preselected), then the way back; focus comes
/// back to the card after the move.
#[component]
fn MoveForm(card: OrderCard, mover: ServerAction<MoveOrder>) -> impl IntoView {
    // Forward stages first (the usual next step is preselected), then the way back.
    let path: Vec<OrderStatus> = OrderStatus::BOARD
        .into_iter()
        .map(|s| {
            if card.fulfilment == Fulfilment::Pickup && s == OrderStatus::Delivered {
                OrderStatus::Collected
            } else {
                s
            }
        })
        .filter(|s| !(card.fulfilment == Fulfilment::Pickup && *s == OrderStatus::OutForDelivery))
        .collect();
    let here = path.iter().position(|s| *s == card.status).unwrap_or(0);
    let forward: Vec<OrderStatus> = path[here + 1..].to_vec();
    let back: Vec<OrderStatus> = path[..here].iter().rev().copied().collect();
    // The next stage is preselected; with none ahead (the last stage, or cancelled), nothing
    // is: a move back must be chosen on purpose.
    let placeholder = forward.is_empty().then(|| {
        view! { <option value="" selected=true disabled=true>{tr("board-move-back-to")}</option> }
    });
    let options = forward
        .into_iter()
        .map(|s| view! { <option value=s.as_str()>{s.word()}</option> })
        .collect_view();
    let back_options = (!back.is_empty()).then(|| {
        view! {
            <optgroup label=tr("board-back-to")>
                {back.into_iter().map(|s| view! { <option value=s.as_str()>{s.word()}</option> }).collect_view()}
            </optgroup>
        }
    });
    let refocus = use_context::<Refocus>();
    let id = card.id;
    let remember = move |_| {
        if let Some(Refocus(r)) = refocus {
            r.set(Some(id));
        }
    };
    view! {
        <ActionForm action=mover attr:class="move-form">
            <input type="hidden" name="order_id" value=card.id.to_string()/>
            <input type="hidden" name="version" value=card.version.to_string()/>
            <select name="to" required=true aria-label=tr_with("board-move-order-to", &[("number", card.number.to_string())])>{placeholder}{options}{back_options}</select>
            <button type="submit" class="btn btn-small" on:click=remember>{tr("move")}</button>
        </ActionForm>
    }
}
