//! `/planning`: the map beside the district-day loads of the coming week.
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;

use super::api::get_planning;
use super::map::PlanningMap;
use super::model::PlanningData;
use crate::districts::model::{serves, weekday_summary};
use crate::ui::{ErrorNotice, Loading, PageHeader};

/// The planning page.
#[component]
pub fn PlanningPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_planning());
    view! {
        <PageHeader title="Planning" subtitle="Districts, delivery days and what is booked on each"/>
        <Suspense fallback=|| view! { <Loading label="Loading the map"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <PlanningView data=d/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlanningView(data: PlanningData) -> impl IntoView {
    let today = NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
    let days: Vec<NaiveDate> = (0..7).map(|i| today + Duration::days(i)).collect();
    let head = days
        .iter()
        .map(|d| view! { <th scope="col">{d.format("%a").to_string()}<small>{d.format("%-d").to_string()}</small></th> })
        .collect_view();
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
                    view! { <td class=class title=format!("{stops} of {cap} stops")>{format!("{stops}/{cap}")}</td> }.into_any()
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
                <PlanningMap data=data.clone()/>
                <div class="map-legend">
                    <span>{format!("{orders} undelivered orders · next 14 days")}</span>
                    <span>{format!("{districts} districts")}</span>
                    {(needs > 0).then(|| view! { <span class="pill pill-warn">{format!("{needs} need a location")}</span> })}
                </div>
            </div>
            <div class="planning-side">
            <div class="card planning-loads">
                <h2>"Stops booked this week"</h2>
                <div class="table-scroll">
                    <table class="loads">
                        <thead><tr><th scope="col">"District"</th>{head}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
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
