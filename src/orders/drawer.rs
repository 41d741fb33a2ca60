//! The order drawer: everything about one order, its history, and cancel / mark paid.
use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{get_order, CancelOrder, EditOrder, MarkPaid};
use super::model::{Fulfilment, OrderDetail, OrderStatus, PaymentMethod};
use crate::money::format_cents;
use crate::ui::{ErrorNotice, Loading};

/// The drawer for order `id`; `close` is where the close link goes; `live` refetches it.
#[component]
pub fn OrderDrawer(
    /// The order's id.
    id: i64,
    /// The board URL without the drawer.
    close: String,
    /// Bumped on every change on any board.
    live: RwSignal<u64>,
) -> impl IntoView {
    let cancel = ServerAction::<CancelOrder>::new();
    let pay = ServerAction::<MarkPaid>::new();
    let edit = ServerAction::<EditOrder>::new();
    let order = Resource::new(
        move || {
            (
                live.get(),
                cancel.version().get(),
                pay.version().get(),
                edit.version().get(),
            )
        },
        move |_| get_order(id),
    );
    let failure = move || {
        cancel
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| pay.value().get().and_then(|r| r.err()))
            .or_else(|| edit.value().get().and_then(|r| r.err()))
    };
    view! {
        <aside class="drawer" aria-label="Order details">
            <div class="drawer-head">
                <A href=close.clone() attr:class="btn btn-ghost btn-small" attr:aria-label="Close details">"✕ Close"</A>
            </div>
            {move || failure().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <Transition fallback=|| view! { <Loading label="Loading the order"/> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(o) => view! { <Detail o cancel pay edit/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </aside>
    }
}

#[component]
fn Detail(
    o: OrderDetail,
    cancel: ServerAction<CancelOrder>,
    pay: ServerAction<MarkPaid>,
    edit: ServerAction<EditOrder>,
) -> impl IntoView {
    let window_value = o.window.clone().unwrap_or_default().replace('–', "-");
    let notes_value = o.notes.clone().unwrap_or_default();
    let cur = o.currency.clone();
    let payment = match o.payment_method {
        PaymentMethod::Cod => "Cash on delivery",
        PaymentMethod::Prepaid => "Prepaid",
        PaymentMethod::PayAtPickup => "Pay at pickup",
    };
    let can_cancel = !matches!(
        o.status,
        OrderStatus::Cancelled | OrderStatus::Delivered | OrderStatus::Collected
    );
    let lines = o
        .items
        .iter()
        .map(|(name, q, price)| view! {
            <tr><td>{name.clone()}</td><td class="num">{format!("× {q}")}</td><td class="num">{format_cents(q * price, &cur)}</td></tr>
        })
        .collect_view();
    let history = o
        .history
        .iter()
        .map(|(when, who, what)| view! { <li><span class="muted small">{when.clone()}</span><span>{format!("{who}: {what}")}</span></li> })
        .collect_view();
    let place = match o.fulfilment {
        Fulfilment::Pickup => "Pickup at the bakery".to_string(),
        Fulfilment::Delivery => o
            .district
            .clone()
            .unwrap_or_else(|| "Needs a location pin".into()),
    };
    let tel = format!("tel:{}", o.phone);
    view! {
        <h2 class="drawer-title">{format!("Order #{}", o.number)}</h2>
        <p><span class=format!("pill status-pill status-{}", o.status.as_str())>{o.status.label()}</span></p>
        <dl class="facts">
            <dt>"Customer"</dt><dd>{o.customer_name.clone()}" · "<a href=tel>{o.phone.clone()}</a></dd>
            <dt>"When"</dt><dd>{o.fulfil_on.clone()}{o.window.clone().map(|w| format!(", {w}"))}</dd>
            <dt>"Where"</dt><dd>{place}{o.address.clone().map(|a| view! { <div class="muted small">{a}</div> })}</dd>
            <dt>"Payment"</dt><dd>{payment}{if o.paid { " · paid" } else { " · not paid yet" }}</dd>
            {o.notes.clone().map(|n| view! { <dt>"Notes"</dt><dd class="stop-notes">{n}</dd> })}
            <dt>"Tracker"</dt><dd><a href=format!("/t/{}", o.tracking_token) target="_blank">"Customer's tracking page"</a></dd>
        </dl>
        <table class="table">
            <tbody>{lines}</tbody>
            <tfoot>
                <tr><td colspan="2">"Delivery"</td><td class="num">{format_cents(o.delivery_fee_cents, &cur)}</td></tr>
                <tr><th colspan="2">"Total"</th><th class="num">{format_cents(o.total_cents, &cur)}</th></tr>
            </tfoot>
        </table>
        {can_cancel.then(|| view! {
            <ActionForm action=edit attr:class="form edit-form">
                <input type="hidden" name="order_id" value=o.id.to_string()/>
                <input type="hidden" name="version" value=o.version.to_string()/>
                <div class="form-row">
                    <label class="field"><span>"Window"</span><input name="window" value=window_value placeholder="09:00-11:00"/></label>
                    <label class="field"><span>"Notes"</span><input name="notes" value=notes_value/></label>
                </div>
                <button type="submit" class="btn btn-small">"Save changes"</button>
            </ActionForm>
        })}
        <div class="drawer-actions">
            {(!o.paid && o.status != OrderStatus::Cancelled).then(|| view! {
                <ActionForm action=pay attr:class="inline-form">
                    <input type="hidden" name="order_id" value=o.id.to_string()/>
                    <input type="hidden" name="version" value=o.version.to_string()/>
                    <button type="submit" class="btn">"Mark paid"</button>
                </ActionForm>
            })}
            {can_cancel.then(|| view! {
                <ActionForm action=cancel attr:class="inline-form cancel-form">
                    <input type="hidden" name="order_id" value=o.id.to_string()/>
                    <input type="hidden" name="version" value=o.version.to_string()/>
                    <input name="reason" placeholder="Reason for cancelling" aria-label="Reason for cancelling" required=true/>
                    <button type="submit" class="btn btn-danger">"Cancel order"</button>
                </ActionForm>
            })}
        </div>
        {o.photo.map(|(w, h)| view! {
            <figure class="proof-photo">
                <a href=format!("/photos/{}", o.id) target="_blank">
                    <img src=format!("/photos/{}?v={}", o.id, o.version) alt=format!("Proof of delivery of order #{}", o.number) width=w.to_string() height=h.to_string() loading="lazy"/>
                </a>
                <figcaption class="muted small">{format!("Proof of delivery · {w}×{h}")}</figcaption>
            </figure>
        })}
        <h3 class="drawer-sub">"History"</h3>
        <ol class="history">{history}</ol>
    }
}
