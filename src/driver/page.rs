//! `/driver`: big, one-handed cards for each stop.
use leptos::prelude::*;

use super::api::{get_driver_day, DriverDay, Stop};
use crate::money::format_cents;
use crate::orders::model::OrderStatus;
use crate::ui::{ErrorNotice, Loading, PageHeader};

/// The driver's page.
#[component]
pub fn DriverPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_driver_day());
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading your stops"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(day) => view! { <DriverView day/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DriverView(day: DriverDay) -> impl IntoView {
    let remaining = day
        .stops
        .iter()
        .filter(|s| s.status != OrderStatus::Delivered)
        .count();
    let cash: i64 = day
        .stops
        .iter()
        .filter(|s| s.status != OrderStatus::Delivered)
        .map(|s| s.cash_cents)
        .sum();
    let cur = day.currency.clone();
    let subtitle = match &day.run {
        Some(run) => run.clone(),
        None => format!(
            "{remaining} stop{} to go",
            if remaining == 1 { "" } else { "s" }
        ),
    };
    view! {
        <PageHeader title="Today's deliveries" subtitle=subtitle/>
        <div class="driver-summary card">
            <div><span class="kpi-label">"Stops left"</span><span class="kpi-value">{remaining}</span></div>
            <div><span class="kpi-label">"Cash to collect"</span><span class="kpi-value">{format_cents(cash, &cur)}</span></div>
        </div>
        {if day.stops.is_empty() {
            view! { <div class="card empty-state"><h2>"No run for you today"</h2><p class="muted">"Your stops appear here once the owner publishes today's runs."</p></div> }.into_any()
        } else {
            view! {
                <ol class="stops">
                    {day.stops.into_iter().enumerate().map(|(i, stop)| view! { <StopCard index=i + 1 stop currency=cur.clone()/> }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

/// One stop: who, where, what to collect, and the call and navigate buttons.
#[component]
fn StopCard(
    /// Position in the day.
    index: usize,
    /// The stop.
    stop: Stop,
    /// Currency for cash.
    currency: String,
) -> impl IntoView {
    let done = stop.status == OrderStatus::Delivered;
    let nav = match (stop.lat, stop.lng) {
        (Some(lat), Some(lng)) => format!("geo:{lat:.6},{lng:.6}?q={lat:.6},{lng:.6}"),
        _ => format!("geo:0,0?q={}", stop.address.replace(' ', "+")),
    };
    let tel = format!("tel:{}", stop.phone);
    view! {
        <li class="stop card" class:stop-done=done>
            <div class="stop-head">
                <span class="stop-index">{index}</span>
                <div class="stop-who">
                    <strong>{stop.first_name.clone()}</strong>
                    <span class="muted">{format!("#{}", stop.number)}{stop.window.clone().map(|w| format!(" · {w}"))}</span>
                    {stop.eta.clone().map(|e| view! { <span class="stop-eta">"ETA "{e}</span> })}
                </div>
                <span class=format!("pill status-pill status-{}", stop.status.as_str())>{stop.status.label()}</span>
            </div>
            <p class="stop-address">{stop.address.clone()}</p>
            <div class="stop-facts">
                <span>{format!("{} item{}", stop.items, if stop.items == 1 { "" } else { "s" })}</span>
                {(stop.cash_cents > 0).then(|| view! { <span class="pill pill-cash">{format!("Collect {}", format_cents(stop.cash_cents, &currency))}</span> })}
                {stop.district.clone().map(|d| view! { <span class="muted">{d}</span> })}
            </div>
            {stop.notes.clone().map(|n| view! { <p class="stop-notes">"📝 "{n}</p> })}
            {(!done).then(|| view! {
                <div class="stop-actions">
                    <a class="btn btn-lg" href=tel>"Call"</a>
                    <a class="btn btn-lg btn-primary" href=nav>"Navigate"</a>
                </div>
            })}
        </li>
    }
}
