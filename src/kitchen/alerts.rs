//! The dashboard's kitchen card: what tomorrow's bake is short of, low stock, lots to use soon.
//! (The dashboard loads the alerts with its own figures, in the same `<Suspense>`.)
use leptos::prelude::*;

use super::StockAlerts;
use crate::words::tr;

/// Shown only when there is something to say.
#[component]
pub fn StockAlertsCard(alerts: StockAlerts) -> impl IntoView {
    let StockAlerts {
        low,
        expiring,
        short_tomorrow,
        ..
    } = alerts;
    if low.is_empty() && expiring.is_empty() && short_tomorrow.is_empty() {
        return None;
    }
    let list = |title: String, items: Vec<String>| {
        (!items.is_empty()).then(|| {
            view! {
                <h3>{title}</h3>
                <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            }
        })
    };
    Some(view! {
        <section class="card stock-alerts" aria-label=tr("alerts-label")>
            <h2>{tr("nav-kitchen")}</h2>
            {list(tr("alerts-short"), short_tomorrow)}
            {list(tr("alerts-low"), low)}
            {list(tr("alerts-soon"), expiring)}
            <p><a href="/kitchen">{tr("alerts-plan")}</a>" · "<a href="/stock">{tr("nav-stock")}</a></p>
        </section>
    })
}
