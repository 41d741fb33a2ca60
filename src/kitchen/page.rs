//! `/kitchen`: a bake day's production sheet (what to bake, in how many batches, by when, by
//! station), what each van takes, the ingredients against stock and the shopping list. Marking
//! batches baked takes their ingredients from stock and moves the orders on the board. Prints
//! on one A4 page.
use leptos::prelude::*;

use super::api::{get_production_plan, MarkBaked, RecordWaste};
use super::purchase_api::OrderShoppingList;
use super::{NeedRow, PackGroup, PlanLine, ProductionPlan, ShopRow, WasteRow, WASTE_REASONS};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_count, tr_with};

#[component]
pub fn KitchenPage() -> impl IntoView {
    // Empty: today (the server's day, in the bakery's time zone); `?day=` opens another
    // (the calendar links a day's production here).
    let asked =
        leptos_router::hooks::use_query_map().with_untracked(|q| q.get("day").unwrap_or_default());
    let day = RwSignal::new(asked);
    let mark = ServerAction::<MarkBaked>::new();
    let order = ServerAction::<OrderShoppingList>::new();
    let waste = ServerAction::<RecordWaste>::new();
    let plan = Resource::new(
        move || {
            let versions = (
                mark.version().get(),
                order.version().get(),
                waste.version().get(),
            );
            (day.get(), versions)
        },
        |(d, _)| get_production_plan(d),
    );
    let shop_error = RwSignal::new(None::<String>);
    let on_csv = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match super::api::shopping_csv(day.get_untracked()).await {
                Ok(text) => {
                    crate::ui::files::download("shopping-list.csv", "text/csv;charset=utf-8", &text)
                }
                Err(e) => shop_error.set(Some(e.to_string())),
            }
        });
    };
    let on_print = move |_| crate::ui::print_page();
    view! {
        <PageHeader title=tr("nav-kitchen") subtitle=tr("kitchen-subtitle")>
            <button class="btn" on:click=on_csv>{tr("kitchen-shopping-csv")}</button>
            <button class="btn" on:click=on_print>{tr("print")}</button>
        </PageHeader>
        {move || shop_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <Transition fallback=|| view! { <Loading label=tr("kitchen-loading")/> }>
            {move || Suspend::new(async move {
                match plan.await {
                    Ok(p) => view! { <Sheet plan=p day mark order waste/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Sheet(
    plan: ProductionPlan,
    day: RwSignal<String>,
    mark: ServerAction<MarkBaked>,
    order: ServerAction<OrderShoppingList>,
    waste: ServerAction<RecordWaste>,
) -> impl IntoView {
    let (t0, t1) = (
        plan.today.clone(),
        crate::orders::board::shift(&plan.today, 1),
    );
    let owner = plan.owner;
    let shown = plan.day.clone();
    let ProductionPlan {
        day: the_day,
        day_label,
        lines,
        packing,
        needs,
        shopping,
        orders,
        stations,
        allergies,
        waste: thrown,
        ..
    } = plan;
    let to_bake: i64 = lines.iter().map(|l| l.batches).sum();
    let products: Vec<(i64, String, i64)> = lines
        .iter()
        .map(|l| (l.product_id, l.name.clone(), l.baked))
        .collect();
    view! {
        <div class="card kitchen-days no-print" role="group" aria-label=tr("kitchen-bake-day")>
            <button class="btn" class:btn-primary=shown == t0 on:click={let t0 = t0.clone(); move |_| day.set(t0.clone())}>{tr("today")}</button>
            <button class="btn" class:btn-primary=shown == t1 on:click={let t1 = t1.clone(); move |_| day.set(t1.clone())}>{tr("tomorrow")}</button>
            <label class="field inline"><span>{tr("dash-day")}</span>
                <input type="date" value=shown.clone() on:change=move |ev| day.set(event_target_value(&ev))/></label>
            {owner.then(|| view! { <a class="btn kitchen-recipes" href="/kitchen/recipes">{tr("kitchen-recipes")}</a> })}
        </div>
        <section class="card production-sheet" aria-label=tr("kitchen-sheet")>
            <h2>{tr_with("kitchen-production", &[("day", day_label.clone())])}</h2>
            <p class="muted">{format!("{} · {}", tr_count("kitchen-orders", orders as usize), tr_count("kitchen-batches-to-bake", to_bake as usize))}</p>
            {move || mark.value().get().map(|r| match r {
                Ok(units) => view! { <p class="form-ok" role="status">{tr_with("kitchen-marked", &[("units", units.to_string())])}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {if lines.is_empty() {
                view! { <p class="muted">{tr("kitchen-no-orders")}</p> }.into_any()
            } else {
                view! { <ProductionTable lines stations day=the_day.clone() mark/> }.into_any()
            }}
            {(!allergies.is_empty()).then(|| view! {
                <div class="sheet-allergies" data-testid="sheet-allergies">
                    <strong>{format!("⚠ {}: ", tr("kitchen-allergies"))}</strong>
                    {allergies.into_iter().map(|(n, who, what)| format!("#{n} {who}: {what}")).collect::<Vec<_>>().join(" · ")}
                </div>
            })}
        </section>
        <div class="kitchen-grid">
            <Packing groups=packing/>
            <Needs rows=needs/>
        </div>
        <Shopping rows=shopping owner day=the_day.clone() order/>
        <Waste entries=thrown products day=the_day action=waste/>
    }
}

/// Baked goods thrown away on the day, against what was baked, and a form to record more.
#[component]
fn Waste(
    entries: Vec<WasteRow>,
    /// The day's products: (id, name, units baked).
    products: Vec<(i64, String, i64)>,
    day: String,
    action: ServerAction<RecordWaste>,
) -> impl IntoView {
    let baked: i64 = products.iter().map(|p| p.2).sum();
    let thrown: i64 = entries.iter().map(|e| e.units).sum();
    // On paper only when something was thrown away: an empty card would only take room.
    let class = if entries.is_empty() {
        "card waste no-print"
    } else {
        "card waste"
    };
    view! {
        <section class=class aria-labelledby="waste-title">
            <h2 id="waste-title">{tr("kitchen-waste")}</h2>
            {if entries.is_empty() {
                view! { <p class="muted">{tr("kitchen-waste-none")}</p> }.into_any()
            } else {
                view! {
                    <p class="muted">{tr_with("kitchen-waste-share", &[("wasted", thrown.to_string()), ("baked", baked.to_string())])}</p>
                    <ul class="plain">{entries.into_iter().map(|e| view! {
                        <li><span class="num strong">{e.units}</span>" × "{e.product}" · "{tr(&format!("waste-reason-{}", e.reason))}
                            {(!e.note.is_empty()).then(|| format!(" · {}", e.note))}
                            <span class="muted small">{format!(" · {}", e.by)}</span></li>
                    }).collect_view()}</ul>
                }.into_any()
            }}
            {(!products.is_empty()).then(|| view! {
                <ActionForm action attr:class="form no-print" attr:aria-label=tr("kitchen-waste-record")>
                    <input type="hidden" name="day" value=day/>
                    <div class="form-row">
                        <label class="field"><span>{tr("kitchen-product")}</span>
                            <select name="product_id">{products.into_iter().map(|(id, name, _)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}</select></label>
                        <label class="field"><span>{tr("kitchen-waste-units")}</span><input name="units" class="qty" inputmode="numeric" required/></label>
                        <label class="field"><span>{tr("kitchen-waste-reason")}</span>
                            <select name="reason">{WASTE_REASONS.into_iter().map(|r| view! { <option value=r>{tr(&format!("waste-reason-{r}"))}</option> }).collect_view()}</select></label>
                        <label class="field field-wide"><span>{tr("kitchen-waste-note")}</span><input name="note"/></label>
                    </div>
                    <button type="submit" class="btn">{tr("kitchen-waste-record")}</button>
                    {move || action.value().get().map(|r| match r {
                        Ok(said) => view! { <p class="form-ok" role="status">{said}</p> }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                    })}
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn ProductionTable(
    lines: Vec<PlanLine>,
    /// (station, the day's batches, its limit).
    stations: Vec<(String, i64, Option<i64>)>,
    day: String,
    mark: ServerAction<MarkBaked>,
) -> impl IntoView {
    let mut last_station = String::new();
    let rows = lines
        .into_iter()
        .map(|l| {
            let day = day.clone();
            let name = l.name.clone();
            let head = (l.station != last_station).then(|| {
                last_station = l.station.clone();
                let load = stations.iter().find(|s| s.0 == l.station).map(|(_, n, cap)| match cap {
                    Some(c) => format!(" · {}", tr_with("kitchen-batches-of", &[("count", n.to_string()), ("limit", c.to_string())])),
                    None => format!(" · {}", tr_count("kitchen-batches", *n as usize)),
                });
                view! { <tr class="station-row"><th colspan="7" scope="rowgroup">{l.station.clone()}<span class="station-load">{load}</span></th></tr> }
            });
            let batches_text = match l.batch_yield {
                Some(y) => format!("{} × {y}", l.batches),
                None => "—".into(),
            };
            let minutes = (l.prep_minutes + l.bake_minutes > 0)
                .then(|| tr_with("kitchen-minutes", &[("prep", l.prep_minutes.to_string()), ("bake", l.bake_minutes.to_string())]));
            let action = match l.batch_yield {
                Some(_) if l.batches > 0 => view! {
                    <ActionForm action=mark attr:class="inline-form mark-baked">
                        <input type="hidden" name="day" value=day/>
                        <input type="hidden" name="product_id" value=l.product_id.to_string()/>
                        <input type="hidden" name="baked_before" value=l.baked.to_string()/>
                        <label class="sr-only" for=format!("batches-{}", l.product_id)>{tr_with("kitchen-batches-baked", &[("name", name.clone())])}</label>
                        <input id=format!("batches-{}", l.product_id) name="batches" class="qty" inputmode="numeric" value=l.batches.to_string()/>
                        <button type="submit" class="btn btn-small">{tr("kitchen-mark-baked")}</button>
                    </ActionForm>
                }.into_any(),
                Some(_) => view! { <span class="pill pill-ok">{tr("kitchen-done")}</span> }.into_any(),
                None => view! { <a href="/kitchen/recipes">{tr("kitchen-add-recipe")}</a> }.into_any(),
            };
            view! {
                {head}
                <tr data-product=l.sku.clone()>
                    <th scope="row">{l.name.clone()}{minutes.map(|m| view! { <div class="muted small">{m}</div> })}</th>
                    <td class="num">{l.ordered}</td>
                    <td class="num">{l.baked}{(l.wasted > 0).then(|| view! { <div class="muted small">{tr_with("kitchen-wasted", &[("count", l.wasted.to_string())])}</div> })}</td>
                    <td class="num strong">{l.to_bake}</td>
                    <td class="num">{batches_text}</td>
                    <td>{l.by_when.clone()}<div class="muted small">{l.by_what.clone()}</div></td>
                    <td class="num" title=tr("kitchen-expected-title")>
                        {l.expected.map(|e| format!("{:.0}", e.ceil())).unwrap_or_else(|| "—".into())}
                    </td>
                    <td class="no-print">{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="table production">
                <thead><tr><th>{tr("kitchen-product")}</th><th class="num">{tr("kitchen-ordered")}</th><th class="num">{tr("kitchen-baked")}</th><th class="num">{tr("kitchen-to-bake")}</th><th class="num">{tr("kitchen-batches-head")}</th><th>{tr("kitchen-ready-by")}</th><th class="num">{tr("kitchen-expected")}</th><th class="no-print"><span class="sr-only">{tr("kitchen-mark-baked")}</span></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn Packing(groups: Vec<PackGroup>) -> impl IntoView {
    view! {
        <section class="card packing" aria-label=tr("kitchen-packing-label")>
            <h2>{tr("kitchen-packing")}</h2>
            {if groups.is_empty() { Some(view! { <p class="muted">{tr("kitchen-nothing-to-pack")}</p> }) } else { None }}
            {groups.into_iter().map(|g| view! {
                <div class="pack-group">
                    <h3>{g.label}<span class="muted small">{format!(" · {}", tr_count("kitchen-orders", g.orders as usize))}</span></h3>
                    <ul>{g.items.into_iter().map(|(name, n)| view! { <li><span class="num strong">{n}</span>" × "{name}</li> }).collect_view()}</ul>
                </div>
            }).collect_view()}
        </section>
    }
}

#[component]
fn Needs(rows: Vec<NeedRow>) -> impl IntoView {
    view! {
        <section class="card needs" aria-label=tr("kitchen-ingredients-label")>
            <h2>{tr("kitchen-ingredients")}</h2>
            {if rows.is_empty() {
                view! { <p class="muted">{tr("kitchen-nothing-left")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0"><table class="table">
                        <thead><tr><th>{tr("kitchen-ingredient")}</th><th class="num">{tr("kitchen-needed")}</th><th class="num">{tr("kitchen-in-stock")}</th><th class="num">{tr("kitchen-short")}</th></tr></thead>
                        <tbody>{rows.into_iter().map(|r| {
                            let short = !r.short.is_empty();
                            view! {
                                <tr class:shortfall=short>
                                    <th scope="row">{r.name}</th>
                                    <td class="num">{r.need}</td>
                                    <td class="num">{r.have}</td>
                                    <td class="num">{if short { format!("⚠ {}", r.short) } else { "—".into() }}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Shopping(
    rows: Vec<ShopRow>,
    owner: bool,
    day: String,
    order: ServerAction<OrderShoppingList>,
) -> impl IntoView {
    // Each supplier on the list once, in the list's order: the owner orders their lines.
    let mut suppliers: Vec<(i64, String)> = Vec::new();
    for r in &rows {
        if let Some(id) = r.supplier_id.filter(|_| r.base > 0) {
            if !suppliers.iter().any(|(s, _)| *s == id) {
                suppliers.push((id, r.supplier.clone()));
            }
        }
    }
    view! {
        <section class="card shopping" aria-label=tr("kitchen-shopping")>
            <h2>{tr("kitchen-shopping")}</h2>
            {if rows.is_empty() {
                view! { <p class="muted">{tr("kitchen-nothing-to-buy")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0"><table class="table">
                        <thead><tr><th>{tr("kitchen-supplier")}</th><th>{tr("kitchen-ingredient")}</th><th class="num">{tr("kitchen-quantity")}</th><th class="num">{tr("kitchen-cost")}</th><th>{tr("kitchen-why")}</th></tr></thead>
                        <tbody>{rows.into_iter().map(|r| view! {
                            <tr><td>{r.supplier}</td><th scope="row">{r.ingredient}</th><td class="num">{r.quantity}</td><td class="num">{r.cost}</td><td class="muted">{r.why}</td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
            {(owner && !suppliers.is_empty()).then(|| view! {
                <div class="form-actions no-print">
                    {suppliers.into_iter().map(|(id, name)| {
                        let day = day.clone();
                        view! {
                            <button class="btn" disabled=move || order.pending().get()
                                on:click=move |_| { order.dispatch(OrderShoppingList { day: day.clone(), supplier_id: id }); }>
                                {tr_with("kitchen-order-from", &[("supplier", name)])}
                            </button>
                        }
                    }).collect_view()}
                </div>
            })}
            {move || order.value().get().map(|r| match r {
                Ok(said) => view! { <p class="form-ok" role="status">{said}" "<a href="/stock#purchases">{tr("kitchen-see-purchases")}</a></p> }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}
