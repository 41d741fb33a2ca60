//! `/`: the owner's dashboard.
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{get_dashboard, Dashboard};
use crate::money::format_cents;
use crate::orders::model::OrderStatus;
use crate::ui::{ErrorNotice, Loading, PageHeader};

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_dashboard());
    let alerts = Resource::new(|| (), |_| crate::kitchen::api::get_stock_alerts());
    view! {
        <super::ready::ReadyChecklist/>
        <Suspense fallback=|| view! { <Loading label="Loading today's figures"/> }>
            {move || Suspend::new(async move {
                // Both awaited here, in one boundary: no third <Suspense> on the page.
                let kitchen = alerts.await.ok();
                match data.await {
                    Ok(d) => view! {
                        {kitchen.map(|alerts| view! { <crate::kitchen::alerts::StockAlertsCard alerts/> })}
                        <DashboardView d/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn pretty_day(day: &str) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.format("%A %-d %B").to_string())
        .unwrap_or_else(|_| day.to_string())
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let cur = d.currency.clone();
    let open: i64 = d
        .today_by_status
        .iter()
        .filter(|(s, _)| !s.is_closed())
        .map(|(_, n)| n)
        .sum();
    let stages = d
        .today_by_status
        .iter()
        .filter(|(s, _)| *s != OrderStatus::Cancelled && *s != OrderStatus::Collected)
        .map(|(s, n)| {
            view! {
                <li class="stage">
                    <span class=format!("dot status-{}", s.as_str())></span>
                    <span class="stage-label">{s.label()}</span>
                    <span class="stage-count">{*n}</span>
                </li>
            }
        })
        .collect_view();
    let upcoming = d
        .upcoming
        .clone()
        .into_iter()
        .map(|l| {
            let href = format!("/orders?day={}", l.day);
            view! {
                <tr>
                    <td><A href=href>{pretty_day(&l.day)}</A></td>
                    <td class="num">{l.deliveries}</td>
                    <td class="num">{l.pickups}</td>
                    <td class="num">{format_cents(l.total_cents, &cur)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PageHeader title="Good day" subtitle=pretty_day(&d.today)>
            <A href="/orders" attr:class="btn btn-primary">"Open today's board"</A>
        </PageHeader>
        <div class="kpis">
            <div class="kpi card">
                <span class="kpi-label">"Open orders today"</span>
                <span class="kpi-value">{open}</span>
            </div>
            <div class="kpi card">
                <span class="kpi-label">"Booked today"</span>
                <span class="kpi-value">{format_cents(d.today_total_cents, &d.currency)}</span>
            </div>
            <div class="kpi card">
                <span class="kpi-label">"Cash to collect today"</span>
                <span class="kpi-value">{format_cents(d.cash_to_collect_today_cents, &d.currency)}</span>
            </div>
            <div class="kpi card">
                <span class="kpi-label">"Last 7 days"</span>
                <span class="kpi-value">{format_cents(d.week_revenue_cents, &d.currency)}</span>
                <span class="kpi-foot">{format!("{} orders fulfilled · {} customers", d.week_orders, d.customers)}</span>
            </div>
        </div>
        <div class="grid-2">
            <section class="card">
                <h2>"Today by stage"</h2>
                <ul class="stages">{stages}</ul>
            </section>
            <section class="card">
                <h2>"Coming up"</h2>
                <div class="table-scroll" tabindex="0">
                    <table class="table">
                        <thead><tr><th>"Day"</th><th class="num">"Deliveries"</th><th class="num">"Pickups"</th><th class="num">"Booked"</th></tr></thead>
                        <tbody>{upcoming}</tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}
