//! The Stock page's purchase orders: what is on order (staff receive a delivery as ordered in
//! one click, or as it came: other quantities, best-before dates), and the owner's form to
//! order from a supplier.
use leptos::prelude::*;

use super::purchase_api::{
    CancelPurchaseOrder, CreatePurchaseOrder, PurchaseForm, PurchaseLineForm, ReceivePurchaseOrder,
    ReceivedLine,
};
use super::{IngredientRow, PurchaseLine, PurchaseRow, SupplierRow, Unit};
use crate::words::{tr, tr_with};

/// The stock page's purchase-order actions (their results refresh the page).
#[derive(Clone, Copy)]
pub struct PurchaseActions {
    pub create: ServerAction<CreatePurchaseOrder>,
    pub receive: ServerAction<ReceivePurchaseOrder>,
    pub cancel: ServerAction<CancelPurchaseOrder>,
}

/// What is on order (and what came lately): staff receive a delivery with one click; the
/// owner may cancel.
#[component]
pub fn Purchases(
    rows: Vec<PurchaseRow>,
    can_edit: bool,
    check_pantry: bool,
    po: PurchaseActions,
) -> impl IntoView {
    // One status line, for whichever action was used last.
    let last_cancel = RwSignal::new(false);
    // The order whose cancelling waits for a second click.
    let asking = RwSignal::new(None::<i64>);
    // The order being received as it came (its form open).
    let differs = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if po.receive.value().with(|v| matches!(v, Some(Ok(_)))) {
            differs.set(None);
        }
    });
    let said = move || {
        let answer = if last_cancel.get() {
            po.cancel.value().get()
        } else {
            po.receive.value().get()
        };
        answer.map(|r| match r {
            Ok(said) => view! { <p class="form-ok" role="status">{said}</p> }.into_any(),
            Err(error) => {
                view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any()
            }
        })
    };
    view! {
        <section class="card" id="purchases" aria-labelledby="purchases-title">
            <h2 id="purchases-title">{tr("po-title")}</h2>
            <p class="muted small">{if check_pantry { tr("po-pantry-on") } else { tr("po-pantry-off") }}</p>
            {if rows.is_empty() {
                view! { <p class="muted">{tr("po-none")}</p> }.into_any()
            } else {
                view! {
                    // A list, not a table: it reads the same on a phone, buttons in reach.
                    <ul class="po-list">{rows.into_iter().map(|r| {
                        let id = r.id;
                        let open = r.status == "open";
                        let number = format!("PO-{id}");
                        let lines = lines_text(&r);
                        let items = r.lines.clone();
                        view! {
                            <li class="po" class:po-closed=!open aria-label=number.clone()>
                                <div class="po-main">
                                    <div><strong>{number.clone()}</strong>" · "{r.supplier.clone()}" · "
                                        {tr_with("po-arrives-on", &[("day", crate::words::day(&r.arrives_on, "date-short"))])}
                                        " · "{r.cost.clone()}</div>
                                    <div class="po-lines">{lines}</div>
                                    {(!r.note.is_empty()).then(|| view! { <div class="muted small">{r.note.clone()}</div> })}
                                </div>
                                <div class="po-actions">{if open {
                                    let n1 = number.clone();
                                    view! {
                                        <button class="btn btn-small btn-primary" disabled=move || po.receive.pending().get()
                                            aria-label=tr_with("po-receive-label", &[("number", n1)])
                                            on:click=move |_| { last_cancel.set(false); po.receive.dispatch(ReceivePurchaseOrder { id, got: vec![] }); }>{tr("po-receive")}</button>
                                        <button class="btn btn-small" aria-expanded=move || (differs.get() == Some(id)).to_string()
                                            aria-label=tr_with("po-differs-label", &[("number", number.clone())])
                                            on:click=move |_| differs.update(|d| *d = if *d == Some(id) { None } else { Some(id) })>{tr("po-differs")}</button>
                                        {can_edit.then(|| view! { <CancelPo id number=number.clone() po asking last_cancel/> })}
                                    }.into_any()
                                } else {
                                    view! { <span class="pill">{if r.status == "received" { tr("po-status-received") } else { tr("po-status-cancelled") }}</span> }.into_any()
                                }}</div>
                                {move || (open && differs.get() == Some(id)).then(|| view! {
                                    <AsItCame id lines=items.clone() po last_cancel/>
                                })}
                            </li>
                        }
                    }).collect_view()}</ul>
                }.into_any()
            }}
            {said}
        </section>
    }
}

/// Cancelling an open order, asked for a second click ("Yes, cancel" or "Keep it").
#[component]
fn CancelPo(
    id: i64,
    number: String,
    po: PurchaseActions,
    asking: RwSignal<Option<i64>>,
    last_cancel: RwSignal<bool>,
) -> impl IntoView {
    move || {
        if asking.get() == Some(id) {
            view! {
                <span class="po-confirm" role="group" aria-label=tr_with("po-cancel-label", &[("number", number.clone())])>
                    <button class="btn btn-small btn-danger" disabled=move || po.cancel.pending().get()
                        on:click=move |_| { last_cancel.set(true); asking.set(None); po.cancel.dispatch(CancelPurchaseOrder { id }); }>{tr("po-cancel-yes")}</button>
                    <button class="btn btn-small btn-ghost" on:click=move |_| asking.set(None)>{tr("po-cancel-keep")}</button>
                </span>
            }.into_any()
        } else {
            view! {
                <button class="btn btn-small" aria-label=tr_with("po-cancel-label", &[("number", number.clone())])
                    on:click=move |_| asking.set(Some(id))>{tr("po-cancel")}</button>
            }.into_any()
        }
    }
}

/// An order's lines, "Rye flour 10 kg · …", with what came when it differed.
fn lines_text(r: &PurchaseRow) -> String {
    r.lines
        .iter()
        .map(|l| match &l.received {
            Some(came) if *came != l.ordered_shown => tr_with(
                "po-line-came",
                &[
                    ("name", l.name.clone()),
                    ("came", came.clone()),
                    ("ordered", l.ordered_shown.clone()),
                ],
            ),
            _ => format!("{} {}", l.name, l.ordered_shown),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Receiving a delivery that differs from the order: what came of each line (prefilled with
/// what was ordered; 0 for none) and its best-before.
#[component]
fn AsItCame(
    id: i64,
    lines: Vec<PurchaseLine>,
    po: PurchaseActions,
    last_cancel: RwSignal<bool>,
) -> impl IntoView {
    let got = RwSignal::new(
        lines
            .iter()
            .map(|l| ReceivedLine {
                ingredient_id: l.ingredient_id,
                quantity: l.ordered.clone(),
                best_before: String::new(),
            })
            .collect::<Vec<_>>(),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        last_cancel.set(false);
        po.receive.dispatch(ReceivePurchaseOrder {
            id,
            got: got.get_untracked(),
        });
    };
    let number = format!("PO-{id}");
    view! {
        <form class="po-came" on:submit=submit aria-label=tr_with("po-differs-label", &[("number", number)])>
            {lines.into_iter().enumerate().map(|(i, l)| view! {
                <div class="form-row" role="group" aria-label=l.name.clone()>
                    <label class="field"><span>{tr_with("po-came-quantity", &[("name", l.name.clone()), ("unit", l.unit.code().to_string()), ("ordered", l.ordered_shown.clone())])}</span>
                        <input inputmode="decimal" prop:value=move || got.with(|g| g[i].quantity.clone())
                            on:input=move |ev| got.update(|g| g[i].quantity = event_target_value(&ev))/></label>
                    <label class="field"><span>{tr("stock-best-before")}</span>
                        <input type="date" prop:value=move || got.with(|g| g[i].best_before.clone())
                            on:input=move |ev| got.update(|g| g[i].best_before = event_target_value(&ev))/></label>
                </div>
            }).collect_view()}
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-small" disabled=move || po.receive.pending().get()>{tr("po-came-save")}</button>
            </div>
        </form>
    }
}

/// The owner orders from a supplier: lines of an ingredient and a quantity in its unit.
#[component]
pub fn NewPurchase(
    suppliers: Vec<SupplierRow>,
    ingredients: Vec<IngredientRow>,
    action: ServerAction<CreatePurchaseOrder>,
) -> impl IntoView {
    let first = ingredients.first().map_or(0, |i| i.id);
    let blank = move || PurchaseLineForm {
        ingredient_id: first,
        quantity: String::new(),
    };
    let form = RwSignal::new(PurchaseForm {
        supplier_id: suppliers.first().map(|s| s.id),
        lines: vec![blank(), blank()],
        ..Default::default()
    });
    // A placed order starts a fresh form; a refused one keeps what was typed.
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            form.update(|f| {
                f.lines = vec![blank(), blank()];
                f.note.clear();
                f.arrives_on.clear();
            });
        }
    });
    let units: Vec<(i64, Unit)> = ingredients.iter().map(|i| (i.id, i.unit)).collect();
    let unit_of = move |id: i64| {
        units
            .iter()
            .find(|(i, _)| *i == id)
            .map_or("", |(_, u)| u.code())
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(CreatePurchaseOrder {
            form: form.get_untracked(),
        });
    };
    // Only a line added re-draws the lines (typing in one keeps its focus).
    let line_count = Memo::new(move |_| form.with(|f| f.lines.len()));
    view! {
        <section class="card" aria-labelledby="new-po">
            <h2 id="new-po">{tr("po-new")}</h2>
            <form class="form" on:submit=submit aria-label=tr("po-new")>
                <div class="form-row">
                    <label class="field"><span>{tr("kitchen-supplier")}</span>
                        <select on:change=move |ev| form.update(|f| f.supplier_id = event_target_value(&ev).parse().ok())>
                            {suppliers.iter().map(|s| {
                                let id = s.id;
                                view! { <option value=id.to_string() selected=move || form.with(|f| f.supplier_id == Some(id))>{s.name.clone()}</option> }
                            }).collect_view()}
                        </select></label>
                    <label class="field"><span>{tr("po-arrives")}</span>
                        <input type="date" prop:value=move || form.with(|f| f.arrives_on.clone())
                            on:input=move |ev| form.update(|f| f.arrives_on = event_target_value(&ev))/>
                        <small class="muted">{tr("po-arrives-hint")}</small></label>
                    <label class="field field-wide"><span>{tr("po-note")}</span>
                        <input prop:value=move || form.with(|f| f.note.clone()) on:input=move |ev| form.update(|f| f.note = event_target_value(&ev))/></label>
                </div>
                {move || (0..line_count.get()).map(|i| po_line(i, form, &ingredients, unit_of.clone())).collect_view()}
                <div class="form-actions">
                    <button type="button" class="btn" on:click=move |_| form.update(|f| f.lines.push(blank()))>{tr("po-add-line")}</button>
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{tr("po-place")}</button>
                </div>
                {move || action.value().get().map(|r| match r {
                    Ok(said) => view! { <p class="form-ok" role="status">{said}</p> }.into_any(),
                    Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </form>
        </section>
    }
}

/// One line of the order: an ingredient and its quantity in the ingredient's unit.
fn po_line(
    i: usize,
    form: RwSignal<PurchaseForm>,
    ingredients: &[IngredientRow],
    unit_of: impl Fn(i64) -> &'static str + Clone + Send + Sync + 'static,
) -> AnyView {
    let chosen = move || form.with(|f| f.lines.get(i).map_or(0, |l| l.ingredient_id));
    view! {
        <div class="form-row" role="group" aria-label=tr_with("po-line", &[("n", (i + 1).to_string())])>
            <label class="field"><span>{tr("kitchen-ingredient")}</span>
                <select on:change=move |ev| form.update(|f| if let Some(l) = f.lines.get_mut(i) { l.ingredient_id = event_target_value(&ev).parse().unwrap_or(0) })>
                    {ingredients.iter().map(|ing| {
                        let id = ing.id;
                        view! { <option value=id.to_string() selected=move || chosen() == id>{ing.name.clone()}</option> }
                    }).collect_view()}
                </select></label>
            <label class="field"><span>{move || format!("{} ({})", tr("kitchen-quantity"), unit_of(chosen()))}</span>
                <input inputmode="decimal" prop:value=move || form.with(|f| f.lines.get(i).map(|l| l.quantity.clone()).unwrap_or_default())
                    on:input=move |ev| form.update(|f| if let Some(l) = f.lines.get_mut(i) { l.quantity = event_target_value(&ev) })/></label>
        </div>
    }
    .into_any()
}
