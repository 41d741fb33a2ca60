//! The planning page's lists: deliveries still without a pin, and the fortnight's orders (filter,
//! drag a row onto a calendar day, or use its menu).
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

use super::day_label;
use crate::orders::model::OrderStatus;
use crate::planning::model::{Filter, MapOrder, PlanningData};
use crate::words::{tr, tr_with};

/// Deliveries without a usable pin: drop one on the map for each.
#[component]
pub(super) fn Unpinned(
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
                            <li data-day=u.fulfil_on.clone()>
                                <button class="btn btn-small pin-button" on:click=move |_| pinning.set(Some((id, label.clone())))>{tr("planning-pin-on-map")}</button>
                                <a href=href><strong>{format!("#{}", u.number)}</strong>" "{u.customer.clone()}</a>
                                <span class="muted small">{format!("{} · {}", crate::words::day(&u.fulfil_on, "date-short"), if u.address.is_empty() { tr("planning-no-address") } else { u.address.clone() })}</span>
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
pub(super) fn OrderList(
    current: RwSignal<PlanningData>,
    filter: RwSignal<Filter>,
    selected: RwSignal<Vec<i64>>,
    refusals: RwSignal<u64>,
    on_assign: Callback<(Vec<i64>, String)>,
    focus: RwSignal<Option<i64>>,
) -> impl IntoView {
    let data = current.get_untracked();
    let today = NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
    let days: Vec<String> = (0..14)
        .map(|i| (today + Duration::days(i)).to_string())
        .collect();
    let districts: Vec<(i64, String)> = data
        .districts
        .iter()
        .map(|d| (d.id, d.name.clone()))
        .collect();
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
    view! {
        <section class="card order-list" aria-label=tr("planning-orders-of-fortnight")>
            <h2>{tr("nav-orders")}</h2>
            <Filters districts=districts days=days.get_value() filter/>
            <ul class="plan-orders">
                <For each=rows key=|(o, name)| (o.id, o.fulfil_on.clone(), o.status.as_str(), o.in_run, o.flexible.clone(), name.clone()) let:((o, district_name))>
                    <OrderRow o district_name days selected refusals on_assign focus/>
                </For>
            </ul>
        </section>
    }
}

/// The list's filters: district, day or range of days, status, flexible only, not in a run.
#[component]
fn Filters(
    districts: Vec<(i64, String)>,
    days: Vec<String>,
    filter: RwSignal<Filter>,
) -> impl IntoView {
    let district_options = districts
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
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
    let pick = |v: String| (!v.is_empty()).then_some(v);
    view! {
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
    focus: RwSignal<Option<i64>>,
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
    let show_on_map = tr_with("planning-show-on-map", &[("number", o.number.to_string())]);
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
            <button class="btn btn-small btn-ghost plan-order-locate" title=show_on_map.clone() aria-label=show_on_map on:click=move |_| focus.set(Some(id))>
                <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M12 22s7-7.2 7-12.5A7 7 0 0 0 5 9.5C5 14.8 12 22 12 22zm0-10a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z" fill="currentColor"></path></svg>
            </button>
        </li>
    }
}
