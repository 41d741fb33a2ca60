//! The order drawer: everything about one order, its history, and cancel / mark paid.
use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{get_order, CancelOrder, EditAddress, EditItems, EditOrder, MarkPaid};
use super::model::{Fulfilment, OrderDetail, OrderStatus, PaymentMethod};
use crate::ui::{ErrorNotice, Loading};
use crate::words::{money, tr, tr_with};

mod discount;
mod edit;
mod pin;

use discount::{DiscountActions, DiscountEditor, DiscountState};
pub use edit::ItemsDraft;
use edit::{AddressEditor, ItemsEditor};
pub(crate) use pin::DoorPin;

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
    let items = ServerAction::<EditItems>::new();
    let address = ServerAction::<EditAddress>::new();
    let discount = DiscountActions::new();
    // The items editor's state lives here, so that redrawing the order after a refusal keeps
    // what staff typed (and the editor open) next to the reason.
    let items_edit = ItemsDraft {
        open: RwSignal::new(false),
        lines: RwSignal::new(None),
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = items.value().get() {
            items_edit.open.set(false);
            items_edit.lines.set(None);
        }
    });
    let order = Resource::new(
        move || {
            (
                live.get(),
                cancel.version().get(),
                pay.version().get(),
                edit.version().get(),
                items.version().get(),
                address.version().get(),
                discount.version(),
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
    // Escape closes the drawer and Tab stays in it; on opening, focus moves into it.
    let heading = NodeRef::<leptos::html::Div>::new();
    let root = NodeRef::<leptos::html::Aside>::new();
    let navigate = leptos_router::hooks::use_navigate();
    let to = close.clone();
    crate::ui::focus::dialog_keys(root, move || navigate(&to, Default::default()));
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            if let Some(el) = heading.get() {
                let _ = el.focus();
            }
        });
    }
    view! {
        <aside class="drawer" role="dialog" aria-modal="true" aria-label=tr("drawer-label") node_ref=root>
            <div class="drawer-head" node_ref=heading tabindex="-1">
                <A href=close.clone() attr:class="btn btn-ghost btn-small" attr:aria-label=tr("drawer-close-label")>{format!("✕ {}", tr("close"))}</A>
            </div>
            {move || failure().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <Transition fallback=|| view! { <Loading label=tr("drawer-loading")/> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(o) => view! { <Detail o cancel pay edit items address discount items_edit/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </aside>
    }
}

/// One order: its stage, facts, lines and total, the editors its stage allows, pay and
/// cancel, the driver's photo, and its history.
#[component]
fn Detail(
    o: OrderDetail,
    cancel: ServerAction<CancelOrder>,
    pay: ServerAction<MarkPaid>,
    edit: ServerAction<EditOrder>,
    items: ServerAction<EditItems>,
    address: ServerAction<EditAddress>,
    discount: DiscountActions,
    items_edit: ItemsDraft,
) -> impl IntoView {
    let editable_address = o.fulfilment == Fulfilment::Delivery
        && matches!(
            o.status,
            OrderStatus::Received
                | OrderStatus::Confirmed
                | OrderStatus::Baking
                | OrderStatus::Ready
        );
    let editable_items = matches!(o.status, OrderStatus::Received | OrderStatus::Confirmed);
    let item_lines: Vec<(String, String, i64)> = o
        .skus
        .iter()
        .zip(&o.items)
        .map(|(sku, (name, q, _))| (sku.clone(), name.clone(), *q))
        .collect();
    let (order_id, version) = (o.id, o.version);
    let history = o
        .history
        .iter()
        .map(|(when, who, what)| view! { <li><span class="muted small">{when.clone()}</span><span>{format!("{who}: {what}")}</span></li> })
        .collect_view();
    view! {
        <h2 class="drawer-title">{tr_with("order-number", &[("number", o.number.to_string())])}</h2>
        <p><span class=format!("pill status-pill status-{}", o.status.as_str())>{o.status.word()}</span></p>
        <Facts o=o.clone()/>
        <Lines o=o.clone()/>
        {(o.code_open || o.points_open.is_some() || o.code_on.is_some() || o.points_on.is_some() || o.referral_open).then(|| {
            let state = DiscountState {
                code_open: o.code_open,
                points_open: o.points_open,
                code_on: o.code_on.clone(),
                points_on: o.points_on,
                referral_open: o.referral_open,
            };
            view! { <DiscountEditor order_id version state currency=o.currency.clone() actions=discount/> }
        })}
        {editable_address.then(|| view! {
            <AddressEditor order_id version address=o.address.clone().unwrap_or_default() pin=o.pin tiles=o.tiles.clone()
                districts=o.districts.clone() save=address/>
        })}
        {editable_items.then(|| view! { <ItemsEditor order_id version lines=item_lines.clone() save=items draft=items_edit/> })}
        <Changes o=o.clone() edit pay cancel/>
        {o.photo.map(|(w, h)| view! {
            <figure class="proof-photo">
                <a href=format!("/photos/{}", o.id) target="_blank">
                    <img src=format!("/photos/{}?v={}", o.id, o.version) alt=tr_with("drawer-proof-alt", &[("number", o.number.to_string())]) width=w.to_string() height=h.to_string() loading="lazy"/>
                </a>
                <figcaption class="muted small">{tr_with("drawer-proof", &[("size", format!("{w}×{h}"))])}</figcaption>
            </figure>
        })}
        <h3 class="drawer-sub">{tr("drawer-history")}</h3>
        <ol class="history">{history}</ol>
    }
}

/// Who, their standing order, when, where, how they pay, notes and the tracker.
#[component]
fn Facts(o: OrderDetail) -> impl IntoView {
    let payment = match o.payment_method {
        PaymentMethod::Cod => tr("payment-cod"),
        PaymentMethod::Prepaid => tr("payment-prepaid"),
        PaymentMethod::PayAtPickup => tr("payment-pay_at_pickup"),
    };
    let place = match o.fulfilment {
        Fulfilment::Pickup => tr("drawer-pickup"),
        Fulfilment::Delivery => o.district.clone().unwrap_or_else(|| tr("drawer-needs-pin")),
    };
    let tel = format!("tel:{}", o.phone);
    view! {
        <dl class="facts">
            <dt>{tr("drawer-customer")}</dt><dd>{if o.customer_page {
                    view! { <a href=format!("/customers/{}", o.customer_id)>{o.customer_name.clone()}</a> }.into_any()
                } else {
                    view! { <span>{o.customer_name.clone()}</span> }.into_any()
                }}" · "<a href=tel>{o.phone.clone()}</a></dd>
            {o.standing.clone().map(|s| view! { <dt>{tr("drawer-standing")}</dt><dd class="standing-of">{format!("↻ {s}")}</dd> })}
            <dt>{tr("drawer-when")}</dt><dd>{crate::words::day(&o.fulfil_on, "date-short-year")}{o.window.clone().map(|w| format!(", {w}"))}</dd>
            <dt>{tr("drawer-where")}</dt><dd>{place}{o.address.clone().map(|a| view! { <div class="muted small">{a}</div> })}</dd>
            <dt>{tr("payment")}</dt><dd>{payment}{format!(" · {}", if o.paid { tr("drawer-paid") } else { tr("drawer-not-paid") })}</dd>
            {o.notes.clone().map(|n| view! { <dt>{tr("drawer-notes")}</dt><dd class="stop-notes">{n}</dd> })}
            <dt>{tr("drawer-tracker")}</dt><dd><a href=format!("/t/{}", o.tracking_token) target="_blank">{tr("drawer-tracking-page")}</a></dd>
        </dl>
    }
}

/// The lines, delivery, discounts and total, and the allergens in them.
#[component]
fn Lines(o: OrderDetail) -> impl IntoView {
    let cur = o.currency.clone();
    let lines = o
        .items
        .iter()
        .map(|(name, q, price)| view! {
            <tr><td>{name.clone()}</td><td class="num">{format!("× {q}")}</td><td class="num">{money(q * price, &cur)}</td></tr>
        })
        .collect_view();
    let allergens = (!o.allergens.is_empty()).then(|| {
        let names: Vec<String> = o
            .allergens
            .iter()
            .map(|a| crate::menu::model::tag_name(a))
            .collect();
        view! { <p class="allergen-line"><strong>{format!("{}: ", tr("allergens"))}</strong>{names.join(", ")}</p> }
    });
    view! {
        <table class="table">
            <tbody>{lines}</tbody>
            <tfoot>
                {(o.fulfilment == Fulfilment::Delivery).then(|| view! {
                    <tr><td colspan="2">{tr("delivery")}</td><td class="num">{money(o.delivery_fee_cents, &cur)}</td></tr>
                })}
                {o.discounts.iter().map(|(name, code, cents)| view! {
                    <tr class="discount"><td colspan="2">{match code { Some(c) => format!("{name} ({c})"), None => name.clone() }}</td>
                        <td class="num">{format!("−{}", money(*cents, &cur))}</td></tr>
                }).collect_view()}
                <tr><th colspan="2">{tr("total")}</th><th class="num">{money(o.total_cents, &cur)}</th></tr>
            </tfoot>
        </table>
        {allergens}
    }
}

/// The window and notes (until it is done), Mark paid, and Cancel with a reason.
#[component]
fn Changes(
    o: OrderDetail,
    edit: ServerAction<EditOrder>,
    pay: ServerAction<MarkPaid>,
    cancel: ServerAction<CancelOrder>,
) -> impl IntoView {
    let can_cancel = !matches!(
        o.status,
        OrderStatus::Cancelled | OrderStatus::Delivered | OrderStatus::Collected
    );
    let window_value = o.window.clone().unwrap_or_default().replace('–', "-");
    let notes_value = o.notes.clone().unwrap_or_default();
    view! {
        {can_cancel.then(|| view! {
            <ActionForm action=edit attr:class="form edit-form">
                <input type="hidden" name="order_id" value=o.id.to_string()/>
                <input type="hidden" name="version" value=o.version.to_string()/>
                <div class="form-row">
                    <label class="field"><span>{tr("drawer-window")}</span><input name="window" value=window_value placeholder="09:00-11:00"/></label>
                    <label class="field"><span>{tr("drawer-notes")}</span><input name="notes" value=notes_value/></label>
                </div>
                <button type="submit" class="btn btn-small">{tr("drawer-save-changes")}</button>
            </ActionForm>
        })}
        <div class="drawer-actions">
            {(!o.paid && o.status != OrderStatus::Cancelled).then(|| view! {
                <ActionForm action=pay attr:class="inline-form">
                    <input type="hidden" name="order_id" value=o.id.to_string()/>
                    <input type="hidden" name="version" value=o.version.to_string()/>
                    <button type="submit" class="btn">{tr("drawer-mark-paid")}</button>
                </ActionForm>
            })}
            {can_cancel.then(|| view! {
                <ActionForm action=cancel attr:class="inline-form cancel-form">
                    <input type="hidden" name="order_id" value=o.id.to_string()/>
                    <input type="hidden" name="version" value=o.version.to_string()/>
                    <input name="reason" placeholder=tr("drawer-cancel-reason") aria-label=tr("drawer-cancel-reason") required=true/>
                    <button type="submit" class="btn btn-danger">{tr("drawer-cancel")}</button>
                </ActionForm>
            })}
        </div>
    }
}
