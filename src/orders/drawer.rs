//! The order drawer: everything about one order, its history, and cancel / mark paid.
use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{get_order, CancelOrder, EditAddress, EditItems, EditOrder, MarkPaid};
use super::model::{Fulfilment, OrderDetail, OrderStatus, PaymentMethod};
use crate::ui::{ErrorNotice, Loading};
use crate::words::{money, tr, tr_with};

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
                        Ok(o) => view! { <Detail o cancel pay edit items address items_edit/> }.into_any(),
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
    items: ServerAction<EditItems>,
    address: ServerAction<EditAddress>,
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
    let window_value = o.window.clone().unwrap_or_default().replace('–', "-");
    let notes_value = o.notes.clone().unwrap_or_default();
    let cur = o.currency.clone();
    let payment = match o.payment_method {
        PaymentMethod::Cod => tr("payment-cod"),
        PaymentMethod::Prepaid => tr("payment-prepaid"),
        PaymentMethod::PayAtPickup => tr("payment-pay_at_pickup"),
    };
    let can_cancel = !matches!(
        o.status,
        OrderStatus::Cancelled | OrderStatus::Delivered | OrderStatus::Collected
    );
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
    let history = o
        .history
        .iter()
        .map(|(when, who, what)| view! { <li><span class="muted small">{when.clone()}</span><span>{format!("{who}: {what}")}</span></li> })
        .collect_view();
    let place = match o.fulfilment {
        Fulfilment::Pickup => tr("drawer-pickup"),
        Fulfilment::Delivery => o.district.clone().unwrap_or_else(|| tr("drawer-needs-pin")),
    };
    let tel = format!("tel:{}", o.phone);
    view! {
        <h2 class="drawer-title">{tr_with("order-number", &[("number", o.number.to_string())])}</h2>
        <p><span class=format!("pill status-pill status-{}", o.status.as_str())>{o.status.word()}</span></p>
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
        <table class="table">
            <tbody>{lines}</tbody>
            <tfoot>
                <tr><td colspan="2">{tr("delivery")}</td><td class="num">{money(o.delivery_fee_cents, &cur)}</td></tr>
                {o.discounts.iter().map(|(name, code, cents)| view! {
                    <tr class="discount"><td colspan="2">{match code { Some(c) => format!("{name} ({c})"), None => name.clone() }}</td>
                        <td class="num">{format!("−{}", money(*cents, &cur))}</td></tr>
                }).collect_view()}
                <tr><th colspan="2">{tr("total")}</th><th class="num">{money(o.total_cents, &cur)}</th></tr>
            </tfoot>
        </table>
        {allergens}
        {editable_address.then(|| view! {
            <AddressEditor order_id version address=o.address.clone().unwrap_or_default() pin=o.pin tiles=o.tiles.clone()
                districts=o.districts.clone() save=address/>
        })}
        {editable_items.then(|| view! { <ItemsEditor order_id version lines=item_lines.clone() save=items draft=items_edit/> })}
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

/// The items editor's state while the drawer is open: open or not, and the lines as edited.
#[derive(Clone, Copy)]
pub struct ItemsDraft {
    open: RwSignal<bool>,
    lines: RwSignal<Option<Vec<(String, String, i64)>>>,
}

/// Change quantities, remove lines or add products while the order is received or confirmed.
#[component]
fn ItemsEditor(
    order_id: i64,
    version: i64,
    /// (sku, name, quantity)
    lines: Vec<(String, String, i64)>,
    save: ServerAction<EditItems>,
    draft: ItemsDraft,
) -> impl IntoView {
    let open = draft.open;
    // Lines as edited (kept across a refusal), else the order's own.
    if draft.lines.with_untracked(Option::is_none) {
        draft.lines.set(Some(lines));
    }
    let saved_lines = draft.lines;
    let lines = RwSignal::new(saved_lines.get_untracked().unwrap_or_default());
    Effect::new(move |_| {
        let now = lines.get();
        saved_lines.set(Some(now));
    });
    // Why the last save was refused, and which line it names.
    let refusal = move || save.value().get().and_then(Result::err);
    let bad_line = move || {
        refusal().and_then(|e| {
            e.field()
                .and_then(|f| f.strip_prefix("items["))
                .and_then(|r| r.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
        })
    };
    let products = LocalResource::new(move || async move {
        if open.get() {
            super::phone::list_products().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let adding = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (skus, quantities) =
            lines.with_untracked(|ls| ls.iter().map(|(s, _, q)| (s.clone(), *q)).unzip());
        save.dispatch(EditItems {
            order_id,
            version,
            skus,
            quantities,
        });
    };
    let add = move |_| {
        let sku = adding.get_untracked();
        if sku.is_empty() {
            return;
        }
        let name = products
            .get_untracked()
            .and_then(|ps| ps.iter().find(|p| p.sku == sku).map(|p| p.name.clone()))
            .unwrap_or_else(|| sku.clone());
        lines.update(|ls| match ls.iter_mut().find(|l| l.0 == sku) {
            Some(l) => l.2 += 1,
            None => ls.push((sku.clone(), name, 1)),
        });
    };
    view! {
        <div class="items-editor">
            <button type="button" class="btn btn-small" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{tr("drawer-edit-items")}</button>
            <Show when=move || open.get()>
                <form class="items-form" on:submit=submit aria-label=tr("drawer-edit-items")>
                    <ul class="items-lines">
                        {move || lines.get().into_iter().enumerate().map(|(i, (sku, name, q))| view! {
                            <li class:line-bad=move || bad_line() == Some(i)>
                                <span class="items-name">{name.clone()}</span>
                                <input type="number" min="1" max="99" aria-label=tr_with("drawer-quantity-of", &[("name", name.clone())]) prop:value=q.to_string()
                                    on:change=move |e| {
                                        let v = event_target_value(&e).parse::<i64>().unwrap_or(q);
                                        lines.update(|ls| if let Some(l) = ls.get_mut(i) { l.2 = v });
                                    }/>
                                <button type="button" class="btn btn-small btn-ghost" aria-label=tr_with("drawer-remove-item", &[("name", name.clone())])
                                    on:click=move |_| lines.update(|ls| ls.retain(|l| l.0 != sku))>{tr("drawer-remove")}</button>
                            </li>
                        }).collect_view()}
                    </ul>
                    <div class="items-add">
                        <select aria-label=tr("drawer-product-to-add") on:change=move |e| adding.set(event_target_value(&e))>
                            <option value="">{tr("drawer-add-product")}</option>
                            {move || products.get().unwrap_or_default().into_iter().map(|p| view! {
                                <option value=p.sku.clone()>{format!("{} · {:.2}", p.name, p.price_cents as f64 / 100.0)}</option>
                            }).collect_view()}
                        </select>
                        <button type="button" class="btn btn-small" on:click=add>{tr("drawer-add")}</button>
                    </div>
                    {move || refusal().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                    <button type="submit" class="btn btn-primary btn-small" disabled=move || save.pending().get()>{tr("drawer-save-items")}</button>
                </form>
            </Show>
        </div>
    }
}

/// Change the delivery address and drag the door's pin on a small map (or type its
/// coordinates: the keyboard way), before the order leaves the kitchen.
#[component]
fn AddressEditor(
    order_id: i64,
    version: i64,
    /// The address as it stands.
    address: String,
    /// The door's pin as it stands.
    pin: Option<(f64, f64)>,
    /// Tile URL template and attribution.
    tiles: (String, String),
    /// District outlines to draw under the pin.
    districts: Vec<crate::districts::District>,
    save: ServerAction<EditAddress>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let address = StoredValue::new(address);
    // Where the pin is now; None until one is placed.
    let at = RwSignal::new(pin);
    let tiles = StoredValue::new(tiles);
    let districts = StoredValue::new(districts);
    view! {
        <div class="address-editor">
            <button type="button" class="btn btn-small" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{tr("drawer-change-address")}</button>
            <Show when=move || open.get()>
                <ActionForm action=save attr:class="form address-form" attr:aria-label=tr("drawer-change-address")>
                    <input type="hidden" name="order_id" value=order_id.to_string()/>
                    <input type="hidden" name="version" value=version.to_string()/>
                    <label class="field"><span>{tr("sheet-address")}</span>
                        <input name="address" value=address.get_value() required=true autocomplete="street-address"/></label>
                    <DoorPin pin=at tiles=tiles.get_value() districts=districts.get_value()/>
                    <p class="muted small">{tr("drawer-pin-hint")}</p>
                    {move || save.value().get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                    <button type="submit" class="btn btn-primary btn-small" disabled=move || save.pending().get()>{tr("drawer-save-address")}</button>
                </ActionForm>
            </Show>
        </div>
    }
}

/// The door's pin: drag it on a small map over the districts, or type its coordinates (the
/// keyboard way). The inputs are named `lat` and `lng` (or `names`) for the forms that post
/// them.
#[component]
pub(crate) fn DoorPin(
    /// Where the pin is (None until placed).
    pin: RwSignal<Option<(f64, f64)>>,
    /// Tile URL template and attribution.
    tiles: (String, String),
    /// District outlines under the pin.
    districts: Vec<crate::districts::District>,
    /// The names the two inputs post under.
    #[prop(default = ("lat", "lng"))]
    names: (&'static str, &'static str),
    /// What the map is for, said to screen readers (the key of its message).
    #[prop(default = "pin-map-door")]
    label: &'static str,
) -> impl IntoView {
    let label = crate::words::tr(label);
    let draw = crate::map_draw!(move |map: &leaflet::Map, _: &web_sys::HtmlDivElement| {
        pin_map(map, &districts, pin)
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = districts;
    // What is typed in the two fields; the pin moves once both read as numbers, and a dragged
    // pin rewrites them (never the other field while one is being typed).
    let fmt = |v: f64| format!("{v:.6}");
    let texts = RwSignal::new(
        pin.get_untracked()
            .map(|p| (fmt(p.0), fmt(p.1)))
            .unwrap_or_default(),
    );
    Effect::new(move |_| {
        if let Some((a, b)) = pin.get() {
            let (ta, tb) = texts.get_untracked();
            let same = |t: &str, v: f64| t.trim().parse::<f64>().ok() == Some(v);
            if !same(&ta, a) || !same(&tb, b) {
                texts.set((fmt(a), fmt(b)));
            }
        }
    });
    let coord =
        move |i: usize| move || texts.with(|t| if i == 0 { t.0.clone() } else { t.1.clone() });
    let set_coord = move |i: usize| {
        move |e: leptos::ev::Event| {
            let v = event_target_value(&e);
            texts.update(|t| if i == 0 { t.0 = v } else { t.1 = v });
            let (a, b) = texts.get_untracked();
            if let (Ok(a), Ok(b)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                pin.set(Some((a, b)));
            }
        }
    };
    view! {
        <crate::ui::map::LeafletMap tiles draw class="map pin-map" label/>
        <div class="form-row coords">
            <label class="field"><span>{crate::words::tr("pin-latitude")}</span>
                <input name=names.0 inputmode="decimal" prop:value=coord(0) on:change=set_coord(0) placeholder=crate::words::tr("pin-drag")/></label>
            <label class="field"><span>{crate::words::tr("pin-longitude")}</span>
                <input name=names.1 inputmode="decimal" prop:value=coord(1) on:change=set_coord(1) placeholder=crate::words::tr("pin-drag")/></label>
        </div>
    }
}

/// A small map with a draggable door pin that writes its place into `at` (and follows `at`
/// when the coordinates are typed).
#[cfg(feature = "hydrate")]
fn pin_map(
    map: &leaflet::Map,
    districts: &[crate::districts::District],
    at: RwSignal<Option<(f64, f64)>>,
) {
    use crate::ui::map::{district_polygon, on};
    use leaflet::{LatLng, Marker, MarkerOptions};
    // The districts under the pin, so the border is visible even without tiles (offline).
    let all = js_sys::Array::new();
    for d in districts {
        district_polygon(map, (&d.ring, &d.holes, &d.colour, &d.name), None, &all);
    }
    let start = at.get_untracked();
    match start {
        Some((lat, lng)) => {
            map.set_view(&LatLng::new(lat, lng), 15.0);
        }
        None => crate::ui::map::frame(map, &all),
    }
    let opts = MarkerOptions::new();
    opts.set_draggable(true);
    opts.set_title("The door: drag to where it is".to_string());
    if let Some(icon) = crate::ui::map::door_pin_icon() {
        opts.set_icon(icon);
    }
    let marker = Marker::new_with_options(&map.get_center(), &opts);
    marker.add_to(map);
    let m2 = marker.clone();
    on(&marker, "dragend", move |_| {
        let p = m2.get_lat_lng();
        at.set(Some((p.lat(), p.lng())));
    });
    let m3 = send_wrapper::SendWrapper::new(marker);
    let map2 = send_wrapper::SendWrapper::new(map.clone());
    Effect::new(move |_| {
        if let Some((lat, lng)) = at.get() {
            let p = m3.get_lat_lng();
            if (p.lat() - lat).abs() > 1e-9 || (p.lng() - lng).abs() > 1e-9 {
                m3.set_lat_lng(&LatLng::new(lat, lng));
                map2.pan_to(&LatLng::new(lat, lng));
            }
        }
    });
}
