//! `/planning`: the map beside the district-day loads of the coming fortnight. The page loads
//! once; after a move, a pin or a live change elsewhere it fetches what changed since and
//! updates the map's markers, the calendar and the list in place.
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;

use super::api::get_planning;
use super::assign::{AssignDay, PinOrder};
use super::map::PlanningMap;
use super::model::{Filter, MapOrder, PlanningData, DAY_COLOURS};
use crate::districts::model::serves;
use crate::orders::model::OrderStatus;
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_count, tr_with};

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
                <PlanningMap data=data.clone() orders filter=filter.into() selected select_mode on_assign pinning on_pin runs=day_runs.into()/>
                <div class="map-legend">{legend}</div>
                <RunsLegend runs=day_runs/>
                <SelectionBar current selected on_assign/>
            </div>
            <div class="planning-side">
                <Calendar current on_assign/>
                <OrderList current filter selected refusals on_assign/>
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

/// The district-day calendar: stops/capacity and the estimated driving of each served day;
/// a drop target for dots and list rows.
#[component]
fn Calendar(
    current: RwSignal<PlanningData>,
    on_assign: Callback<(Vec<i64>, String)>,
) -> impl IntoView {
    // Why the last drop on a day that is not served moved nothing (closes by itself).
    let refused_drop = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(m) = refused_drop.get() {
            set_timeout(
                move || {
                    if refused_drop.get_untracked().as_ref() == Some(&m) {
                        refused_drop.set(None);
                    }
                },
                std::time::Duration::from_secs(8),
            );
        }
    });
    let head = move || {
        current.with(|d| {
            let today = NaiveDate::parse_from_str(&d.today, "%Y-%m-%d").unwrap_or_default();
            (0..14)
                .map(|i| {
                    let day = today + Duration::days(i);
                    view! {
                        <th scope="col" style=format!("border-bottom: 3px solid {}", DAY_COLOURS[i as usize])>
                            {crate::words::date(day, "date-weekday")}<small>{day.format("%-d").to_string()}</small>
                        </th>
                    }
                })
                .collect_view()
        })
    };
    let rows = move || {
        current.with(|data| {
            let today = NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
            data.districts
                .iter()
                .map(|district| {
                    let cells = (0..14)
                        .map(|i| {
                            let day = today + Duration::days(i);
                            let key = day.to_string();
                            if !serves(district.served_weekdays, day.weekday()) {
                                // Still a drop target: a drop here says why nothing moved.
                                let weekday = crate::words::date(day, "date-weekday-long");
                                let why = tr_with("planning-not-served-why", &[
                                    ("district", district.name.clone()),
                                    ("weekday", weekday.clone()),
                                    ("days", crate::words::weekdays(district.served_weekdays)),
                                ]);
                                let title = tr_with("planning-not-served", &[("district", district.name.clone()), ("weekday", weekday)]);
                                let on_drop_off = move |ev: leptos::ev::DragEvent| {
                                    ev.prevent_default();
                                    refused_drop.set(Some(why.clone()));
                                };
                                return view! {
                                    <td class="cell-off" title=title.clone() aria-label=title
                                        on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop_off>"·"</td>
                                }.into_any();
                            }
                            let load = data.loads.iter().find(|l| l.district_id == district.id && l.day == key);
                            let stops = load.map_or(0, |l| l.stops);
                            let cap = district.capacity_per_day.max(1);
                            let class = if stops >= cap { "cell-full" } else if stops * 4 >= cap * 3 { "cell-busy" } else { "cell-open" };
                            let drive = load.filter(|l| l.km > 0.0).map(|l| (l.km, l.minutes));
                            // Standing orders' deliveries among the stops.
                            let standing = data
                                .orders
                                .iter()
                                .filter(|o| o.district_id == Some(district.id) && o.fulfil_on == key && o.standing.is_some())
                                .count();
                            let of_standing = if standing > 0 { format!(" {}", tr_with("planning-from-standing", &[("count", standing.to_string())])) } else { String::new() };
                            let load_text = format!("{}{of_standing}", tr_with("planning-stops-of", &[("stops", stops.to_string()), ("cap", cap.to_string())]));
                            let title = match drive {
                                Some((km, min)) => format!("{} · {load_text} · {} · {}", district.name, tr_with("planning-drive", &[("km", format!("{km:.1}")), ("time", duration(min))]), tr("planning-drop-here")),
                                None => format!("{} · {load_text} · {}", district.name, tr("planning-drop-here")),
                            };
                            let day_key = key.clone();
                            let on_drop = move |ev: leptos::ev::DragEvent| {
                                ev.prevent_default();
                                #[cfg(feature = "hydrate")]
                                if let Some(id) = ev.data_transfer().and_then(|d| d.get_data("text/plain").ok()).and_then(|t| t.parse::<i64>().ok()) {
                                    on_assign.run((vec![id], day_key.clone()));
                                }
                                #[cfg(not(feature = "hydrate"))]
                                let _ = (&day_key, on_assign);
                            };
                            view! {
                                <td class=class title=title.clone() aria-label=title
                                    data-district=district.id.to_string() data-day=key
                                    on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
                                    <b class="cell-count">{format!("{stops}/{cap}")}</b>
                                    <small class="cell-km">{drive.map(|(km, _)| format!("{km:.0} km"))}</small>
                                    <small class="cell-standing" aria-hidden="true">{(standing > 0).then(|| format!("↻{standing}"))}</small>
                                </td>
                            }.into_any()
                        })
                        .collect_view();
                    view! {
                        <tr>
                            <th scope="row">
                                <span class="swatch" style=format!("background:{}", district.colour)></span>
                                <span class="district-name">{district.name.clone()}</span>
                                <small class="muted">{crate::words::weekdays(district.served_weekdays)}</small>
                            </th>
                            {cells}
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        {move || refused_drop.get().map(|m| view! { <div class="toast toast-error" role="alert"><span>{m}</span></div> })}
        <div class="card planning-loads">
            <h2>{tr("planning-loads-title")}</h2>
            <p class="muted small">{tr("planning-loads-hint")}</p>
            <div class="table-scroll" tabindex="0">
                <table class="loads">
                    <thead><tr><th scope="col">{tr("district")}</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// "1 h 25 min" or "40 min".
fn duration(minutes: i64) -> String {
    if minutes >= 60 {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    }
}

/// Deliveries without a usable pin: drop one on the map for each.
#[component]
fn Unpinned(
    current: RwSignal<PlanningData>,
    pinning: RwSignal<Option<(i64, String)>>,
) -> impl IntoView {
    move || {
        current.with(|data| {
            (!data.unpinned.is_empty()).then(|| {
                let items = data
                    .unpinned
                    .iter()
                    .map(|u| {
                        let href = format!("/orders?day={}&order={}", u.fulfil_on, u.id);
                        let label = format!("#{} {}", u.number, u.customer);
                        let id = u.id;
                        view! {
                            <li>
                                <button class="btn btn-small pin-button" on:click=move |_| pinning.set(Some((id, label.clone())))>{tr("planning-pin-on-map")}</button>
                                <a href=href><strong>{format!("#{}", u.number)}</strong>" "{u.customer.clone()}</a>
                                <span class="muted small">{format!("{} · {}", u.fulfil_on, if u.address.is_empty() { tr("planning-no-address") } else { u.address.clone() })}</span>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="card needs-attention">
                        <h2>{tr("planning-needs-location")}</h2>
                        <p class="muted small">{tr("planning-needs-location-hint")}</p>
                        <ul class="attention-list">{items}</ul>
                    </div>
                }
            })
        })
    }
}

/// The fortnight's orders as a list: filter (the map follows), drag a row onto a calendar
/// day, or use its menu.
#[component]
fn OrderList(
    current: RwSignal<PlanningData>,
    filter: RwSignal<Filter>,
    selected: RwSignal<Vec<i64>>,
    refusals: RwSignal<u64>,
    on_assign: Callback<(Vec<i64>, String)>,
) -> impl IntoView {
    let data = current.get_untracked();
    let today = NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
    let days: Vec<String> = (0..14)
        .map(|i| (today + Duration::days(i)).to_string())
        .collect();
    let district_options = data
        .districts
        .iter()
        .map(|d| view! { <option value=d.id.to_string()>{d.name.clone()}</option> })
        .collect_view();
    let range_options = [
        ("planning-next-3", 0, 2),
        ("planning-next-7", 0, 6),
        ("planning-week-after", 7, 13),
    ]
    .into_iter()
    .map(|(label, a, b)| {
        view! { <option value=format!("{}..{}", days[a], days[b])>{tr(label)}</option> }
    })
    .collect_view();
    let day_options = days
        .iter()
        .map(|d| view! { <option value=d.clone()>{day_label(d)}</option> })
        .collect_view();
    let status_options = OrderStatus::ALL
        .into_iter()
        .filter(|s| {
            !matches!(
                s,
                OrderStatus::Delivered | OrderStatus::Cancelled | OrderStatus::Collected
            )
        })
        .map(|s| view! { <option value=s.as_str()>{s.word()}</option> })
        .collect_view();
    let days = StoredValue::new(days);
    let rows = move || {
        let f = filter.get();
        current.with(|d| {
            d.orders
                .iter()
                .filter(|o| f.matches(o))
                .map(|o| {
                    let name = d
                        .districts
                        .iter()
                        .find(|x| Some(x.id) == o.district_id)
                        .map(|x| x.name.clone())
                        .unwrap_or_default();
                    (o.clone(), name)
                })
                .collect::<Vec<_>>()
        })
    };
    let pick = |v: String| (!v.is_empty()).then_some(v);
    view! {
        <section class="card order-list" aria-label=tr("planning-orders-of-fortnight")>
            <h2>{tr("nav-orders")}</h2>
            <div class="filters">
                <select aria-label=tr("district") on:change=move |e| filter.update(|f| f.district = event_target_value(&e).parse().ok())>
                    <option value="">{tr("board-all-districts")}</option>
                    {district_options}
                </select>
                <select aria-label=tr("planning-day") on:change=move |e| filter.update(|f| f.set_days(&event_target_value(&e)))>
                    <option value="">{tr("planning-all-days")}</option>
                    <optgroup label=tr("planning-ranges")>{range_options}</optgroup>
                    <optgroup label=tr("planning-days")>{day_options}</optgroup>
                </select>
                <select aria-label=tr("planning-status") on:change=move |e| filter.update(|f| f.status = pick(event_target_value(&e)))>
                    <option value="">{tr("planning-any-status")}</option>
                    {status_options}
                </select>
                <label class="check"><input type="checkbox" on:change=move |e| filter.update(|f| f.flexible_only = event_target_checked(&e))/>{tr("planning-flexible-only")}</label>
                <label class="check"><input type="checkbox" on:change=move |e| filter.update(|f| f.not_in_run = event_target_checked(&e))/>{tr("planning-not-in-run")}</label>
            </div>
            <ul class="plan-orders">
                <For each=rows key=|(o, name)| (o.id, o.fulfil_on.clone(), o.status.as_str(), o.in_run, o.flexible.clone(), name.clone()) let:((o, district_name))>
                    <OrderRow o district_name days selected refusals on_assign/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn OrderRow(
    o: MapOrder,
    district_name: String,
    days: StoredValue<Vec<String>>,
    selected: RwSignal<Vec<i64>>,
    refusals: RwSignal<u64>,
    on_assign: Callback<(Vec<i64>, String)>,
) -> impl IntoView {
    let id = o.id;
    let target = RwSignal::new(o.fulfil_on.clone());
    let booked = o.fulfil_on.clone();
    Effect::new(move |prev: Option<()>| {
        refusals.track();
        if prev.is_some() {
            target.set(booked.clone());
        }
    });
    let on_drag = move |ev: leptos::ev::DragEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(dt) = ev.data_transfer() {
            let _ = dt.set_data("text/plain", &id.to_string());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &ev;
    };
    let options = days.with_value(|ds| {
        ds.iter()
            .map(|d| view! { <option value=d.clone() selected=*d == o.fulfil_on>{day_label(d)}</option> })
            .collect_view()
    });
    let is_selected = move || selected.with(|s| s.contains(&id));
    // The order core's rule, said before anyone tries: once baking starts the day stays.
    let fixed = !crate::orders::core::rules::before_baking(o.status);
    let fixed_why = fixed.then(|| {
        tr_with(
            "planning-fixed",
            &[
                ("number", o.number.to_string()),
                ("status", o.status.word().to_lowercase()),
            ],
        )
    });
    view! {
        <li class="plan-order" class:plan-order-selected=is_selected draggable="true" on:dragstart=on_drag data-order=id.to_string()>
            <input type="checkbox" class="plan-order-pick" aria-label=tr_with("planning-select", &[("number", o.number.to_string())]) prop:checked=is_selected
                on:change=move |e| { let on = event_target_checked(&e); selected.update(|s| { s.retain(|x| *x != id); if on { s.push(id) } }) }/>
            <span class="plan-order-who">
                <strong>{format!("#{}", o.number)}</strong>" "{o.customer.clone()}
                <small class="muted">{format!(" · {district_name} · {}", o.status.word())}{o.flexible.as_ref().map(|_| format!(" · {}", tr("planning-flexible")))}{o.standing.as_ref().map(|s| format!(" · ↻ {}", tr_with("planning-standing", &[("id", s.to_string())])))}{o.in_run.then(|| format!(" · {}", tr("planning-in-a-run")))}</small>
            </span>
            <select aria-label=tr_with("planning-day-of", &[("number", o.number.to_string())]) prop:value=move || target.get() on:change=move |e| target.set(event_target_value(&e)) disabled=fixed title=fixed_why>{options}</select>
            <button class="btn btn-small" on:click=move |_| on_assign.run((vec![id], target.get_untracked())) disabled=fixed>{tr("move")}</button>
        </li>
    }
}
