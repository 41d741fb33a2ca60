//! `/stock`: every ingredient's balance (low and expiring ones flagged), one form for what
//! happened (a delivery with its lot and best-before, waste with a reason, a count), the latest
//! moves of the ledger; the owner also adds and edits ingredients and suppliers.
use leptos::prelude::*;

use super::api::{get_stock, AddSupplier, ChangeStock, IngredientForm, SaveIngredient};
use super::purchase_page::{NewPurchase, PurchaseActions, Purchases};
use super::{IngredientRow, MoveRow, StockData, SupplierRow, Unit};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_count, tr_with};

#[component]
pub fn StockPage() -> impl IntoView {
    let change = ServerAction::<ChangeStock>::new();
    let save = ServerAction::<SaveIngredient>::new();
    let supplier = ServerAction::<AddSupplier>::new();
    let po = PurchaseActions {
        create: ServerAction::new(),
        receive: ServerAction::new(),
        cancel: ServerAction::new(),
    };
    // Read again after a change that went through (a refused one keeps the form as typed).
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        let ok = [
            change.value().with(|v| matches!(v, Some(Ok(_)))),
            save.value().with(|v| matches!(v, Some(Ok(_)))),
            supplier.value().with(|v| matches!(v, Some(Ok(_)))),
            po.create.value().with(|v| matches!(v, Some(Ok(_)))),
            po.receive.value().with(|v| matches!(v, Some(Ok(_)))),
            po.cancel.value().with(|v| matches!(v, Some(Ok(_)))),
        ];
        if ok.iter().any(|o| *o) {
            saved.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || saved.get(), |_| get_stock());
    // What the form is recording, kept across reloads of the page's data.
    let kind = RwSignal::new("Receive".to_string());
    let chosen = RwSignal::new(0i64);
    let csv_error = RwSignal::new(None::<String>);
    let download = move |what: &'static str| {
        move |_| {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                match super::api::stock_csv(what.to_string()).await {
                    Ok(text) => crate::ui::files::download(
                        &format!("stock-{what}.csv"),
                        "text/csv;charset=utf-8",
                        &text,
                    ),
                    Err(e) => csv_error.set(Some(e.to_string())),
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = (what, csv_error);
        }
    };
    view! {
        <PageHeader title=tr("nav-stock") subtitle=tr("stock-subtitle")>
            <button class="btn" on:click=download("balances")>{tr("stock-balances-csv")}</button>
            <button class="btn" on:click=download("moves")>{tr("stock-moves-csv")}</button>
        </PageHeader>
        {move || csv_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <Transition fallback=|| view! { <Loading label=tr("stock-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Stock data=d change save supplier po kind chosen/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Stock(
    data: StockData,
    change: ServerAction<ChangeStock>,
    save: ServerAction<SaveIngredient>,
    supplier: ServerAction<AddSupplier>,
    po: PurchaseActions,
    kind: RwSignal<String>,
    chosen: RwSignal<i64>,
) -> impl IntoView {
    let StockData {
        ingredients,
        suppliers,
        moves,
        can_edit,
        purchases,
        check_pantry,
    } = data;
    let editing = RwSignal::new(None::<IngredientRow>);
    view! {
        <Purchases rows=purchases can_edit check_pantry po/>
        <div class="stock-grid">
            // The forms in one column beside the (long) balances.
            <div class="stock-side">
                <ChangeForm ingredients=ingredients.clone() change kind chosen/>
                {can_edit.then(|| view! {
                    <NewPurchase suppliers=suppliers.clone() ingredients=ingredients.clone() action=po.create/>
                })}
            </div>
            <Balances rows=ingredients.clone() can_edit editing/>
        </div>
        {can_edit.then(|| view! {
            <div class="stock-grid">
                <IngredientEditor suppliers=suppliers.clone() save editing/>
                <SupplierForm suppliers supplier/>
            </div>
        })}
        <Moves rows=moves/>
    }
}

#[component]
fn ChangeForm(
    ingredients: Vec<IngredientRow>,
    change: ServerAction<ChangeStock>,
    kind: RwSignal<String>,
    chosen: RwSignal<i64>,
) -> impl IntoView {
    let units: Vec<(i64, Unit)> = ingredients.iter().map(|i| (i.id, i.unit)).collect();
    if !units.iter().any(|(id, _)| *id == chosen.get_untracked()) {
        chosen.set(units.first().map_or(0, |u| u.0));
    }
    let unit = move || {
        let id = chosen.get();
        units
            .iter()
            .find(|(i, _)| *i == id)
            .map_or("", |(_, u)| u.code())
    };
    view! {
        <section class="card" aria-labelledby="stock-change">
            <h2 id="stock-change">{tr("stock-record-title")}</h2>
            <ActionForm action=change attr:class="form" attr:aria-label=tr("stock-record-title")>
                <div class="form-row">
                    <label class="field"><span>{tr("stock-what-happened")}</span>
                        <select name="change" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="Receive" selected=move || kind.get() == "Receive">{tr("stock-kind-receive")}</option>
                            <option value="Waste" selected=move || kind.get() == "Waste">{tr("stock-kind-waste")}</option>
                            <option value="Count" selected=move || kind.get() == "Count">{tr("stock-kind-count")}</option>
                        </select></label>
                    <label class="field"><span>{tr("kitchen-ingredient")}</span>
                        <select name="ingredient_id" prop:value=move || chosen.get().to_string() on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                            {ingredients.iter().map(|i| {
                                let id = i.id;
                                view! { <option value=id.to_string() selected=move || chosen.get() == id>{i.name.clone()}</option> }
                            }).collect_view()}
                        </select></label>
                    <label class="field"><span>{move || if kind.get() == "Count" { tr("stock-counted") } else { tr("kitchen-quantity") }}" ("{unit}")"</span>
                        <input name="quantity" inputmode="decimal" required/></label>
                </div>
                <div class="form-row" hidden=move || kind.get() != "Receive">
                    <label class="field"><span>{tr("stock-lot")}</span><input name="lot" placeholder=tr("stock-lot-hint")/></label>
                    <label class="field"><span>{tr("stock-best-before")}</span><input name="best_before" type="date"/></label>
                </div>
                <div class="form-row" hidden=move || kind.get() != "Waste">
                    <label class="field field-wide"><span>{tr("stock-reason")}</span><input name="reason" placeholder=tr("stock-reason-hint")/></label>
                </div>
                <button type="submit" class="btn btn-primary">{tr("stock-record")}</button>
                {move || change.value().get().map(|r| match r {
                    Ok(said) => view! { <p class="form-ok" role="status">{said}</p> }.into_any(),
                    Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </ActionForm>
        </section>
    }
}

#[component]
fn Balances(
    rows: Vec<IngredientRow>,
    can_edit: bool,
    editing: RwSignal<Option<IngredientRow>>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="stock-balances">
            <h2 id="stock-balances">{tr("kitchen-in-stock")}</h2>
            {if rows.is_empty() {
                view! { <p class="muted">{tr("stock-none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table balances">
                            <thead><tr><th>{tr("kitchen-ingredient")}</th><th class="num">{tr("kitchen-in-stock")}</th><th class="num">{tr("stock-reorder-at")}</th><th>{tr("stock-next-best-before")}</th><th>{tr("kitchen-supplier")}</th><th class="num">{tr("kitchen-cost")}</th>{can_edit.then(|| view! { <th><span class="sr-only">{tr("edit")}</span></th> })}</tr></thead>
                            <tbody>{rows.into_iter().map(|r| {
                                let row = r.clone();
                                view! {
                                    <tr class:shortfall=r.low>
                                        <th scope="row">{r.name.clone()}
                                            {r.low.then(|| view! { <span class="pill pill-warn">{tr("stock-low")}</span> })}
                                            {r.expiring.then(|| view! { <span class="pill pill-warn">{tr("alerts-soon")}</span> })}</th>
                                        <td class="num">{r.balance_text.clone()}</td>
                                        <td class="num">{r.reorder_text.clone()}</td>
                                        <td>{r.next_best_before.clone().map(|d| crate::words::day(&d, "date-short-year")).unwrap_or_default()}</td>
                                        <td>{r.supplier.clone()}</td>
                                        <td class="num">{r.cost.clone()}</td>
                                        {can_edit.then(|| view! { <td><button class="btn btn-small" on:click=move |_| editing.set(Some(row.clone()))>{tr("edit")}</button></td> })}
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn IngredientEditor(
    suppliers: Vec<SupplierRow>,
    save: ServerAction<SaveIngredient>,
    editing: RwSignal<Option<IngredientRow>>,
) -> impl IntoView {
    let form = RwSignal::new(IngredientForm {
        unit: "kg".into(),
        ..Default::default()
    });
    Effect::new(move |_| {
        if let Some(r) = editing.get() {
            form.set(IngredientForm {
                name: r.name.clone(),
                unit: r.unit.code().into(),
                cost: format!("{:.2}", r.cost_cents / 100.0),
                supplier_id: r.supplier_id,
                reorder_level: r
                    .unit
                    .show(r.reorder_level)
                    .split(' ')
                    .next()
                    .unwrap_or("0")
                    .to_string(),
            });
        }
    });
    let field = move |f: fn(&mut IngredientForm, String)| {
        move |ev: leptos::ev::Event| form.update(|x| f(x, event_target_value(&ev)))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = editing.get_untracked().map(|r| r.id);
        save.dispatch(SaveIngredient {
            id,
            form: form.get_untracked(),
        });
    };
    view! {
        <section class="card" aria-labelledby="ingredient-editor">
            <h2 id="ingredient-editor">{move || editing.with(|e| e.as_ref().map_or_else(|| tr("stock-new-ingredient"), |r| tr_with("stock-edit-ingredient", &[("name", r.name.clone())])))}</h2>
            <form class="form" on:submit=submit aria-label=tr("kitchen-ingredient")>
                <div class="form-row">
                    <label class="field field-wide"><span>{tr("stock-name")}</span><input prop:value=move || form.with(|f| f.name.clone()) on:input=field(|f, v| f.name = v)/></label>
                    <label class="field"><span>{tr("stock-unit")}</span>
                        <select prop:value=move || form.with(|f| f.unit.clone()) on:change=field(|f, v| f.unit = v)>
                            {Unit::ALL.into_iter().map(|u| view! { <option value=u.code()>{u.code()}</option> }).collect_view()}
                        </select></label>
                </div>
                <div class="form-row">
                    <label class="field"><span>{tr("stock-cost-per-unit")}</span><input inputmode="decimal" prop:value=move || form.with(|f| f.cost.clone()) on:input=field(|f, v| f.cost = v)/></label>
                    <label class="field"><span>{tr("stock-reorder-in-unit")}</span><input inputmode="decimal" prop:value=move || form.with(|f| f.reorder_level.clone()) on:input=field(|f, v| f.reorder_level = v)/></label>
                    <label class="field"><span>{tr("kitchen-supplier")}</span>
                        <select prop:value=move || form.with(|f| f.supplier_id.map(|s| s.to_string()).unwrap_or_default())
                            on:change=move |ev| form.update(|f| f.supplier_id = event_target_value(&ev).parse().ok())>
                            <option value="">{tr("stock-no-supplier")}</option>
                            {suppliers.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                        </select></label>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">{tr("stock-save-ingredient")}</button>
                    <button type="button" class="btn" on:click=move |_| { editing.set(None); form.set(IngredientForm { unit: "kg".into(), ..Default::default() }); }>{tr("stock-new")}</button>
                </div>
                {move || save.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="form-ok" role="status">{tr("saved")}</p> }.into_any(),
                    Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </form>
        </section>
    }
}

#[component]
fn SupplierForm(suppliers: Vec<SupplierRow>, supplier: ServerAction<AddSupplier>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="suppliers">
            <h2 id="suppliers">{tr("stock-suppliers")}</h2>
            <ul class="plain">{suppliers.into_iter().map(|s| view! {
                <li><strong>{s.name}</strong>" · "{tr_count("stock-lead-days", s.lead_days as usize)}
                    {(!s.email.is_empty()).then(|| view! { " · " {s.email.clone()} })}{(!s.phone.is_empty()).then(|| view! { " · " {s.phone.clone()} })}</li>
            }).collect_view()}</ul>
            <ActionForm action=supplier attr:class="form" attr:aria-label=tr("stock-add-supplier")>
                <div class="form-row">
                    <label class="field"><span>{tr("stock-name")}</span><input name="name"/></label>
                    <label class="field"><span>{tr("login-email")}</span><input name="email" type="email"/></label>
                    <label class="field"><span>{tr("stock-phone")}</span><input name="phone"/></label>
                    <label class="field"><span>{tr("stock-lead-days-label")}</span><input name="lead_days" inputmode="numeric" value="1"/></label>
                </div>
                <button type="submit" class="btn">{tr("stock-add-supplier")}</button>
                {move || supplier.value().get().and_then(Result::err).map(|error| view! { <p class="form-error" role="alert">{error.to_string()}</p> })}
            </ActionForm>
        </section>
    }
}

#[component]
fn Moves(rows: Vec<MoveRow>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="stock-moves">
            <h2 id="stock-moves">{tr("stock-moves")}</h2>
            <div class="table-scroll" tabindex="0">
                <table class="table ledger">
                    <thead><tr><th>{tr("stock-when-utc")}</th><th>{tr("kitchen-ingredient")}</th><th>{tr("stock-what")}</th><th class="num">{tr("kitchen-quantity")}</th><th>{tr("stock-lot")}</th><th>{tr("stock-reason")}</th><th>{tr("stock-by")}</th></tr></thead>
                    <tbody>{rows.into_iter().map(|m| view! {
                        <tr><td class="nowrap">{m.at}</td><th scope="row">{m.ingredient}</th><td>{m.kind}</td><td class="num">{m.quantity}</td><td>{m.lot}</td><td>{m.reason}</td><td>{m.by}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            </div>
        </section>
    }
}
