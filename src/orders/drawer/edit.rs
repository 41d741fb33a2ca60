//! The drawer's editors: the items (while the order is received or confirmed) and the address
//! with its door pin.
use leptos::prelude::*;

use super::super::api::{EditAddress, EditItems};
use super::DoorPin;
use crate::words::{tr, tr_with};

/// The items editor's state while the drawer is open: open or not, and the lines as edited.
#[derive(Clone, Copy)]
pub struct ItemsDraft {
    pub(super) open: RwSignal<bool>,
    pub(super) lines: RwSignal<Option<Vec<(String, String, i64)>>>,
}

/// Change quantities, remove lines or add products while the order is received or confirmed.
#[component]
pub(super) fn ItemsEditor(
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
    view! {
        <div class="items-editor">
            // Not while a save is on its way: its answer closes the editor, so a toggle in
            // between would be undone (the order's new total may show before that answer).
            <button type="button" class="btn btn-small" aria-expanded=move || open.get().to_string()
                disabled=move || save.pending().get()
                on:click=move |_| open.update(|o| *o = !*o)>{tr("drawer-edit-items")}</button>
            <Show when=move || open.get()>
                <form class="items-form" on:submit=submit aria-label=tr("drawer-edit-items")>
                    <ul class="items-lines">
                        {move || line_rows(lines, bad_line())}
                    </ul>
                    <AddProduct open lines/>
                    {move || refusal().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                    <button type="submit" class="btn btn-primary btn-small" disabled=move || save.pending().get()>{tr("drawer-save-items")}</button>
                </form>
            </Show>
        </div>
    }
}

/// A product to add to the lines (one more when it is there already); the menu is fetched
/// once the editor opens.
#[component]
fn AddProduct(open: RwSignal<bool>, lines: RwSignal<Vec<(String, String, i64)>>) -> impl IntoView {
    let products = LocalResource::new(move || async move {
        if open.get() {
            crate::orders::phone::list_products()
                .await
                .unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let adding = RwSignal::new(String::new());
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
        <div class="items-add">
            <select aria-label=tr("drawer-product-to-add") on:change=move |e| adding.set(event_target_value(&e))>
                <option value="">{tr("drawer-add-product")}</option>
                {move || products.get().unwrap_or_default().into_iter().map(|p| view! {
                    <option value=p.sku.clone()>{format!("{} · {}", p.name, crate::words::number(p.price_cents as f64 / 100.0, 2))}</option>
                }).collect_view()}
            </select>
            <button type="button" class="btn btn-small" on:click=add>{tr("drawer-add")}</button>
        </div>
    }
}

/// The lines as edited: each with its quantity and Remove; the line a refusal names marked.
fn line_rows(lines: RwSignal<Vec<(String, String, i64)>>, bad: Option<usize>) -> impl IntoView {
    lines.get().into_iter().enumerate().map(|(i, (sku, name, q))| view! {
        <li class:line-bad=bad == Some(i)>
            <span class="items-name">{name.clone()}</span>
            <input type="number" min="1" max="99" aria-label=tr_with("drawer-quantity-of", &[("name", name.clone())]) prop:value=q.to_string()
                on:change=move |e| {
                    let v = event_target_value(&e).parse::<i64>().unwrap_or(q);
                    lines.update(|ls| if let Some(l) = ls.get_mut(i) { l.2 = v });
                }/>
            <button type="button" class="btn btn-small btn-ghost" aria-label=tr_with("drawer-remove-item", &[("name", name.clone())])
                on:click=move |_| lines.update(|ls| ls.retain(|l| l.0 != sku))>{tr("drawer-remove")}</button>
        </li>
    }).collect_view()
}

/// Change the delivery address and drag the door's pin on a small map (or type its
/// coordinates: the keyboard way), before the order leaves the kitchen.
#[component]
pub(super) fn AddressEditor(
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
