//! `/planning`: the map beside the district-day loads of the coming fortnight. The page loads
//! once; after a move, a pin or a live change elsewhere it fetches what changed since and
//! updates the map's markers, the calendar and the list in place.
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

use super::api::get_planning;
use super::assign::{AssignDay, PinOrder};
use super::map::PlanningMap;
use super::model::{Filter, PlanningData};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_count, tr_with};

mod calendar;
mod orders;

use calendar::Calendar;
use orders::{OrderList, Unpinned};

/// The planning page.
#[component]
pub fn PlanningPage() -> impl IntoView {
    let assign = ServerAction::<AssignDay>::new();
    let pin = ServerAction::<PinOrder>::new();
    let first = Resource::new(|| (), |_| get_planning());
    view! {
        <PageHeader title=tr("nav-planning") subtitle=tr("planning-subtitle")>
            <leptos_router::components::A href="/planning/districts" attr:class="btn btn-ghost">{tr("planning-edit-districts")}</leptos_router::components::A>
        </PageHeader>
        <Transition fallback=|| view! { <Loading label=tr("planning-loading")/> }>
            {move || Suspend::new(async move {
                match first.await {
                    Ok(d) => view! { <PlanningView data=d assign pin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <AssignToast assign/>
        {move || match pin.value().get() {
            Some(Ok(district)) => Some(view! { <div class="toast" role="status"><span>{tr_with("planning-pinned-in", &[("district", district)])}</span></div> }.into_any()),
            Some(Err(e)) => Some(view! { <div class="toast toast-error" role="alert"><span>{e.to_string()}</span></div> }.into_any()),
            None => None,
        }}
    }
}

/// Keeps `current` up to date: after each live change (ours come back as events too) fetches
/// what changed since the data we have (one fetch at a time; changes during a fetch cause one
/// more).
fn keep_fresh(current: RwSignal<PlanningData>) {
    let live = RwSignal::new(0u64);
    #[cfg(feature = "hydrate")]
    {
        crate::orders::board::listen_for_changes(live, None);
        let busy = StoredValue::new((false, false));
        fn fetch(current: RwSignal<PlanningData>, busy: StoredValue<(bool, bool)>) {
            leptos::task::spawn_local(async move {
                // Only what changed since the data we have (a few KB, not the fortnight).
                let since = current.with_untracked(|d| d.as_of.clone());
                if let Ok(delta) = super::api::get_planning_changes(since).await {
                    current.try_update(|d| d.merge(delta));
                }
                let again = busy
                    .try_update_value(|b| {
                        let again = b.1;
                        *b = (again, false);
                        again
                    })
                    .unwrap_or(false);
                if again {
                    fetch(current, busy);
                }
            });
        }
        // Our own moves and pins come back as live events too, like everyone else's; a move
        // is already shown (apply_moves) by the time its event arrives.
        Effect::new(move |prev: Option<()>| {
            live.track();
            if prev.is_none() {
                return;
            }
            let start = busy
                .try_update_value(|b| {
                    if b.0 {
                        b.1 = true;
                        false
                    } else {
                        b.0 = true;
                        true
                    }
                })
                .unwrap_or(false);
            if start {
                fetch(current, busy);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (current, live);
}

/// After a move: what happened, with Undo; or why it was refused.
#[component]
fn AssignToast(assign: ServerAction<AssignDay>) -> impl IntoView {
    let undo = move |_| {
        if let Some(Ok(done)) = assign.value().get_untracked() {
            if let Some(first) = done.first() {
                assign.dispatch(AssignDay {
                    order_ids: done.iter().map(|a| a.order_id).collect(),
                    day: first.from_day.clone(),
                });
            }
        }
    };
    view! {
        {move || match assign.value().get() {
            Some(Ok(done)) if !done.is_empty() => Some(view! {
                <div class="toast" role="status">
                    <span>{tr_with("board-moved", &[("number", done[0].number.to_string()), ("status", day_label(&done[0].to_day))])}</span>
                    <button class="btn btn-small btn-ghost toast-action" on:click=undo>{tr("undo")}</button>
                </div>
            }.into_any()),
            Some(Err(e)) => Some(view! { <div class="toast toast-error" role="alert"><span>{e.to_string()}</span></div> }.into_any()),
            _ => None,
        }}
    }
}

fn day_label(day: &str) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| crate::words::date(d, "date-short"))
        .unwrap_or_else(|_| day.to_string())
}

#[component]
fn PlanningView(
    data: PlanningData,
    assign: ServerAction<AssignDay>,
    pin: ServerAction<PinOrder>,
) -> impl IntoView {
    let current = RwSignal::new(data.clone());
    keep_fresh(current);
    let filter = RwSignal::new(Filter::default());
    let selected = RwSignal::new(Vec::<i64>::new());
    let select_mode = RwSignal::new(false);
    let pinning = RwSignal::new(None::<(i64, String)>);
    // An order whose dot the map is to show (the list's "show on map").
    let focus = RwSignal::new(None::<i64>);
    let on_pin = Callback::new(move |(order_id, lat, lng): (i64, f64, f64)| {
        pinning.set(None);
        pin.dispatch(PinOrder { order_id, lat, lng });
    });
    let on_assign = Callback::new(move |(order_ids, day): (Vec<i64>, String)| {
        assign.dispatch(AssignDay { order_ids, day });
    });
    // A selection is done with once it has moved; after a refusal the list's menus go back
    // to the days the orders are really on.
    let refusals = RwSignal::new(0u64);
    Effect::new(move |_| match assign.value().get() {
        Some(Ok(done)) => {
            let moved: Vec<i64> = done.iter().map(|a| a.order_id).collect();
            selected.update(|s| s.retain(|id| !moved.contains(id)));
            // Show the move now; the fetch that follows brings the new km estimates.
            let moves: Vec<(i64, String)> = done
                .iter()
                .map(|a| (a.order_id, a.to_day.clone()))
                .collect();
            current.update(|d| d.apply_moves(&moves));
        }
        Some(Err(_)) => refusals.update(|n| *n += 1),
        None => {}
    });
    let orders = Signal::derive(move || current.with(|d| d.orders.clone()));
    let day_runs = runs_of_filtered_day(filter, current);
    let legend = move || {
        current.with(|d| {
            let shown = filter.with(|f| d.orders.iter().filter(|o| f.matches(o)).count());
            let all = d.orders.len();
            let needs = d.needs_location;
            view! {
                <span>{if shown == all { tr_count("planning-undelivered", all) } else { tr_with("planning-shown", &[("shown", shown.to_string()), ("all", all.to_string())]) }}</span>
                <span>{tr_count("planning-districts", d.districts.len())}</span>
                {(needs > 0).then(|| view! { <span class="pill pill-warn">{tr_count("planning-need-location", needs as usize)}</span> })}
            }
        })
    };
    view! {
        <div class="planning">
            <div class="planning-map card">
                <MapTools select_mode selected/>
                <PlanningMap data=data.clone() orders filter=filter.into() selected select_mode on_assign pinning on_pin runs=day_runs.into() focus/>
                <div class="map-legend">{legend}</div>
                <RunsLegend runs=day_runs/>
                <SelectionBar current selected on_assign/>
            </div>
            <div class="planning-side">
                <Calendar current on_assign/>
                <OrderList current filter selected refusals on_assign focus/>
                <super::suggest::SuggestCard/>
                <Unpinned current pinning/>
            </div>
        </div>
    }
}

/// The runs of the day picked in the filter (None without a day, or with no runs planned);
/// fetched again whenever the planning data changes.
fn runs_of_filtered_day(
    filter: RwSignal<Filter>,
    current: RwSignal<PlanningData>,
) -> RwSignal<Option<crate::runs::model::DayPlan>> {
    let runs = RwSignal::new(None);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        current.track();
        match filter.with(|f| f.day.clone()) {
            None => runs.set(None),
            Some(day) => leptos::task::spawn_local(async move {
                let plan = crate::runs::api::get_day_plan(Some(day.clone())).await.ok();
                // Only if the filter still shows that day.
                if filter.with_untracked(|f| f.day.as_deref() == Some(day.as_str())) {
                    runs.try_set(plan.filter(|p| !p.runs.is_empty()));
                }
            }),
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (filter, current);
    runs
}

/// What the runs drawn on the map are, with a way to the runs page.
#[component]
fn RunsLegend(runs: RwSignal<Option<crate::runs::model::DayPlan>>) -> impl IntoView {
    move || {
        runs.get().map(|plan| {
            let items = plan
                .runs
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let colour = crate::runs::page::RUN_COLOURS[i % crate::runs::page::RUN_COLOURS.len()];
                    view! {
                        <span class="runs-legend-item">
                            <span class="run-chip" style=format!("background:{colour}")></span>
                            {format!("{} · {} · {} km{}", r.driver, tr_count("planning-stops", r.stops.len()), crate::words::number(r.distance_km, 1), if r.published { String::new() } else { format!(" · {}", tr("planning-draft")) })}
                        </span>
                    }
                })
                .collect_view();
            view! {
                <div class="runs-legend" data-testid="runs-legend">
                    <strong>{tr_with("planning-runs-of", &[("day", day_label(&plan.day))])}</strong>
                    {items}
                    <a class="btn btn-small btn-ghost" href=format!("/runs?day={}", plan.day)>{tr("planning-open-runs")}</a>
                </div>
            }
        })
    }
}

/// Above the map: how to select several orders, and the select-area switch for touch screens.
#[component]
fn MapTools(select_mode: RwSignal<bool>, selected: RwSignal<Vec<i64>>) -> impl IntoView {
    view! {
        <div class="map-tools">
            <span class="muted small">{tr("planning-map-hint")}</span>
            <button class="btn btn-small" class:btn-primary=move || select_mode.get() aria-pressed=move || select_mode.get().to_string()
                on:click=move |_| select_mode.update(|m| *m = !*m)>
                {move || if select_mode.get() { tr("planning-area-select-on") } else { tr("planning-area-select") }}
            </button>
            {move || (!selected.with(Vec::is_empty)).then(|| view! {
                <button class="btn btn-small btn-ghost" on:click=move |_| selected.set(Vec::new())>{tr("planning-clear-selection")}</button>
            })}
        </div>
    }
}

/// The selected orders and a menu to move them all (the keyboard equivalent of dragging them).
#[component]
fn SelectionBar(
    current: RwSignal<PlanningData>,
    selected: RwSignal<Vec<i64>>,
    on_assign: Callback<(Vec<i64>, String)>,
) -> impl IntoView {
    let target = RwSignal::new(String::new());
    let days = move || {
        current.with(|d| {
            let today = NaiveDate::parse_from_str(&d.today, "%Y-%m-%d").unwrap_or_default();
            (0..14)
                .map(|i| (today + Duration::days(i)).to_string())
                .collect::<Vec<_>>()
        })
    };
    move || {
        let ids = selected.get();
        (!ids.is_empty()).then(|| {
            let numbers = current.with(|d| {
                d.orders
                    .iter()
                    .filter(|o| ids.contains(&o.id))
                    .map(|o| format!("#{}", o.number))
                    .collect::<Vec<_>>()
            });
            let ds = days();
            if target.get_untracked().is_empty() {
                target.set(ds[0].clone());
            }
            let options = ds
                .into_iter()
                .map(|d| view! { <option value=d.clone() selected=move || target.get() == d>{day_label(&d)}</option> })
                .collect_view();
            let ids2 = ids.clone();
            view! {
                <div class="selection-bar" role="region" aria-label=tr("planning-selected-orders")>
                    <strong>{tr_with("planning-selected", &[("count", ids.len().to_string())])}</strong>
                    <span class="muted small selection-numbers">{numbers.join(" ")}</span>
                    <select aria-label=tr("planning-move-selected-to") on:change=move |e| target.set(event_target_value(&e))>{options}</select>
                    <button class="btn btn-primary btn-small" on:click=move |_| on_assign.run((ids2.clone(), target.get_untracked()))>{tr("planning-move-selected")}</button>
                </div>
            }
        })
    }
}
