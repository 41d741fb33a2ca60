//! `/`: the owner's dashboard.
use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{get_dashboard, Dashboard};
use crate::orders::model::OrderStatus;
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{day, money, tr, tr_count};

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_dashboard());
    let alerts = Resource::new(|| (), |_| crate::kitchen::api::get_stock_alerts());
    view! {
        <super::ready::ReadyChecklist/>
        <Suspense fallback=|| view! { <Loading label=tr("dash-loading")/> }>
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
                    <span class="stage-label">{s.word()}</span>
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
                    <td><A href=href>{day(&l.day, "date-long")}</A></td>
                    <td class="num">{l.deliveries}</td>
                    <td class="num">{l.pickups}</td>
                    <td class="num">{money(l.total_cents, &cur)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PageHeader title=tr("dash-title") subtitle=day(&d.today, "date-long")>
            <A href="/orders" attr:class="btn btn-primary">{tr("dash-open-board")}</A>
        </PageHeader>
        <div class="kpis">
            <div class="kpi card">
                <span class="kpi-label">{tr("dash-open-today")}</span>
                <span class="kpi-value">{open}</span>
            </div>
            <div class="kpi card">
                <span class="kpi-label">{tr("dash-booked-today")}</span>
                <span class="kpi-value">{money(d.today_total_cents, &d.currency)}</span>
            </div>
            <div class="kpi card">
                <span class="kpi-label">{tr("dash-cash-today")}</span>
                <span class="kpi-value">{money(d.cash_to_collect_today_cents, &d.currency)}</span>
            </div>
            <div class="kpi card">
                <span class="kpi-label">{tr("dash-last-7")}</span>
                <span class="kpi-value">{money(d.week_revenue_cents, &d.currency)}</span>
                <span class="kpi-foot">{format!("{} · {}", tr_count("dash-fulfilled", d.week_orders as usize), tr_count("dash-customers", d.customers as usize))}</span>
            </div>
        </div>
        <div class="grid-2">
            <section class="card">
                <h2>{tr("dash-by-stage")}</h2>
                <ul class="stages">{stages}</ul>
            </section>
            <section class="card">
                <h2>{tr("dash-coming-up")}</h2>
                <div class="table-scroll" tabindex="0">
                    <table class="table">
                        <thead><tr><th>{tr("dash-day")}</th><th class="num">{tr("dash-deliveries")}</th><th class="num">{tr("dash-pickups")}</th><th class="num">{tr("dash-booked")}</th></tr></thead>
                        <tbody>{upcoming}</tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}
