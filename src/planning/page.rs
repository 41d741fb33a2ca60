//! `/planning`: the map beside the district-day loads of the coming week.
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;

use super::api::get_planning;
use super::assign::{AssignDay, PinOrder};
use super::map::PlanningMap;
use super::model::{PlanningData, DAY_COLOURS};
use crate::districts::model::{serves, weekday_summary};
use crate::ui::{ErrorNotice, Loading, PageHeader};

/// The planning page.
#[component]
pub fn PlanningPage() -> impl IntoView {
    let assign = ServerAction::<AssignDay>::new();
    let pin = ServerAction::<PinOrder>::new();
    let live = RwSignal::new(0u64);
    #[cfg(feature = "hydrate")]
    crate::orders::board::listen_for_changes(live);
    let data = Resource::new(
        move || (assign.version().get(), pin.version().get(), live.get()),
        |_| get_planning(),
    );
    view! {
        <PageHeader title="Planning" subtitle="Districts, delivery days and what is booked on each"/>
        <Transition fallback=|| view! { <Loading label="Loading the map"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <PlanningView data=d assign pin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <AssignToast assign/>
        {move || match pin.value().get() {
            Some(Ok(district)) => Some(view! { <div class="toast" role="status"><span>{format!("Pinned in {district}")}</span></div> }.into_any()),
            Some(Err(e)) => Some(view! { <div class="toast toast-error" role="alert"><span>{e.to_string()}</span></div> }.into_any()),
            None => None,
        }}
    }
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
                    <span>{format!("#{} moved to {}", done[0].number, day_label(&done[0].to_day))}</span>
                    <button class="btn btn-small btn-ghost toast-action" on:click=undo>"Undo"</button>
                </div>
            }.into_any()),
            Some(Err(e)) => Some(view! { <div class="toast toast-error" role="alert"><span>{e.to_string()}</span></div> }.into_any()),
            _ => None,
        }}
    }
}

fn day_label(day: &str) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.format("%a %-d %b").to_string())
        .unwrap_or_else(|_| day.to_string())
}

#[component]
fn PlanningView(
    data: PlanningData,
    assign: ServerAction<AssignDay>,
    pin: ServerAction<PinOrder>,
) -> impl IntoView {
    let pinning = RwSignal::new(None::<(i64, String)>);
    let on_pin = Callback::new(move |(order_id, lat, lng): (i64, f64, f64)| {
        pinning.set(None);
        pin.dispatch(PinOrder { order_id, lat, lng });
    });
    let today = NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
    let days: Vec<NaiveDate> = (0..14).map(|i| today + Duration::days(i)).collect();
    let head = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            view! {
                <th scope="col" style=format!("border-bottom: 3px solid {}", DAY_COLOURS[i])>
                    {d.format("%a").to_string()}<small>{d.format("%-d").to_string()}</small>
                </th>
            }
        })
        .collect_view();
    let on_assign = Callback::new(move |(order, day): (i64, String)| {
        assign.dispatch(AssignDay {
            order_ids: vec![order],
            day,
        });
    });
    let rows = data
        .districts
        .iter()
        .map(|district| {
            let cells = days
                .iter()
                .map(|day| {
                    let key = day.to_string();
                    if !serves(district.served_weekdays, day.weekday()) {
                        return view! { <td class="cell-off" title="Not served">"·"</td> }.into_any();
                    }
                    let stops = data
                        .loads
                        .iter()
                        .find(|l| l.district_id == district.id && l.day == key)
                        .map_or(0, |l| l.stops);
                    let cap = district.capacity_per_day.max(1);
                    let class = if stops >= cap { "cell-full" } else if stops * 4 >= cap * 3 { "cell-busy" } else { "cell-open" };
                    let day = key.clone();
                    let on_drop = move |ev: leptos::ev::DragEvent| {
                        ev.prevent_default();
                        #[cfg(feature = "hydrate")]
                        if let Some(id) = ev.data_transfer().and_then(|d| d.get_data("text/plain").ok()).and_then(|t| t.parse::<i64>().ok()) {
                            on_assign.run((id, day.clone()));
                        }
                        #[cfg(not(feature = "hydrate"))]
                        let _ = &day;
                    };
                    view! {
                        <td class=class title=format!("{stops} of {cap} stops · drop orders here")
                            data-district=district.id.to_string() data-day=key
                            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
                            {format!("{stops}/{cap}")}
                        </td>
                    }.into_any()
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">
                        <span class="swatch" style=format!("background:{}", district.colour)></span>
                        <span class="district-name">{district.name.clone()}</span>
                        <small class="muted">{weekday_summary(district.served_weekdays)}</small>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let unpinned = data
        .unpinned
        .iter()
        .map(|u| {
            let href = format!("/orders?day={}&order={}", u.fulfil_on, u.id);
            view! {
                <li>
                    <button class="btn btn-small pin-button" on:click={
                        let label = format!("#{} {}", u.number, u.customer);
                        let id = u.id;
                        move |_| pinning.set(Some((id, label.clone())))
                    }>"Pin on map"</button>
                    <a href=href><strong>{format!("#{}", u.number)}</strong>" "{u.customer.clone()}</a>
                    <span class="muted small">{format!("{} · {}", u.fulfil_on, if u.address.is_empty() { "no address" } else { u.address.as_str() })}</span>
                </li>
            }
        })
        .collect_view();
    let has_unpinned = !data.unpinned.is_empty();
    let orders = data.orders.len();
    let districts = data.districts.len();
    let needs = data.needs_location;
    view! {
        <div class="planning">
            <div class="planning-map card">
                <PlanningMap data=data.clone() on_assign pinning on_pin/>
                <div class="map-legend">
                    <span>{format!("{orders} undelivered orders · next 14 days")}</span>
                    <span>{format!("{districts} districts")}</span>
                    {(needs > 0).then(|| view! { <span class="pill pill-warn">{format!("{needs} need a location")}</span> })}
                </div>
            </div>
            <div class="planning-side">
            <div class="card planning-loads">
                <h2>"Stops booked, next 14 days"</h2>
                <div class="table-scroll">
                    <table class="loads">
                        <thead><tr><th scope="col">"District"</th>{head}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
            <OrderList data=data.clone() on_assign/>
            <super::suggest::SuggestCard/>
            {has_unpinned.then(|| view! {
                <div class="card needs-attention">
                    <h2>"Needs a location"</h2>
                    <p class="muted small">"These deliveries came without a map pin; they can't be planned until they have one."</p>
                    <ul class="attention-list">{unpinned}</ul>
                </div>
            })}
            </div>
        </div>
    }
}

/// The fortnight's orders as a list: filter, drag a row onto a calendar day, or use its menu.
#[component]
fn OrderList(data: PlanningData, on_assign: Callback<(i64, String)>) -> impl IntoView {
    let district = RwSignal::new(String::new());
    let day = RwSignal::new(String::new());
    let flexible_only = RwSignal::new(false);
    let today = NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
    let days: Vec<String> = (0..14)
        .map(|i| (today + Duration::days(i)).to_string())
        .collect();
    let orders = StoredValue::new(data.orders.clone());
    let names = StoredValue::new(
        data.districts
            .iter()
            .map(|d| (d.id, d.name.clone()))
            .collect::<Vec<_>>(),
    );
    let district_options = data
        .districts
        .iter()
        .map(|d| view! { <option value=d.id.to_string()>{d.name.clone()}</option> })
        .collect_view();
    let day_options = days
        .iter()
        .map(|d| view! { <option value=d.clone()>{day_label(d)}</option> })
        .collect_view();
    let days = StoredValue::new(days);
    let rows = move || {
        let (dist, when, flex) = (district.get(), day.get(), flexible_only.get());
        orders.with_value(|all| {
            all.iter()
                .filter(|o| {
                    dist.is_empty() || o.district_id.map(|d| d.to_string()) == Some(dist.clone())
                })
                .filter(|o| when.is_empty() || o.fulfil_on == when)
                .filter(|o| !flex || o.flexible.is_some())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card order-list" aria-label="Orders of the fortnight">
            <h2>"Orders"</h2>
            <div class="filters">
                <select aria-label="District" on:change=move |e| district.set(event_target_value(&e))>
                    <option value="">"All districts"</option>
                    {district_options}
                </select>
                <select aria-label="Day" on:change=move |e| day.set(event_target_value(&e))>
                    <option value="">"All 14 days"</option>
                    {day_options}
                </select>
                <label class="check"><input type="checkbox" on:change=move |e| flexible_only.set(event_target_checked(&e))/>"Flexible only"</label>
            </div>
            <ul class="plan-orders">
                {move || rows().into_iter().map(|o| {
                    let id = o.id;
                    let target = RwSignal::new(o.fulfil_on.clone());
                    let district_name = names.with_value(|n| n.iter().find(|(d, _)| Some(*d) == o.district_id).map(|(_, n)| n.clone())).unwrap_or_default();
                    let on_drag = move |ev: leptos::ev::DragEvent| {
                        #[cfg(feature = "hydrate")]
                        if let Some(dt) = ev.data_transfer() {
                            let _ = dt.set_data("text/plain", &id.to_string());
                        }
                        #[cfg(not(feature = "hydrate"))]
                        let _ = &ev;
                    };
                    let options = days.with_value(|ds| ds.iter().map(|d| view! { <option value=d.clone() selected=*d == o.fulfil_on>{day_label(d)}</option> }).collect_view());
                    view! {
                        <li class="plan-order" draggable="true" on:dragstart=on_drag data-order=id.to_string()>
                            <span class="plan-order-who">
                                <strong>{format!("#{}", o.number)}</strong>" "{o.customer.clone()}
                                <small class="muted">{format!(" · {district_name} · {}", o.status.label())}{o.flexible.as_ref().map(|_| " · flexible")}</small>
                            </span>
                            <select aria-label=format!("Delivery day of #{}", o.number) on:change=move |e| target.set(event_target_value(&e))>{options}</select>
                            <button class="btn btn-small" on:click=move |_| on_assign.run((id, target.get_untracked()))>"Move"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
