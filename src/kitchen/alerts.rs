//! The dashboard's kitchen card: what tomorrow's bake is short of, low stock, lots to use soon.
//! (The dashboard loads the alerts with its own figures, in the same `<Suspense>`.)
use leptos::prelude::*;

use super::StockAlerts;

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
    let list = |title: &'static str, items: Vec<String>| {
        (!items.is_empty()).then(|| {
            view! {
                <h3>{title}</h3>
                <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            }
        })
    };
    Some(view! {
        <section class="card stock-alerts" aria-label="Kitchen alerts">
            <h2>"Kitchen"</h2>
            {list("Short for tomorrow's bake", short_tomorrow)}
            {list("Low stock", low)}
            {list("Use soon", expiring)}
            <p><a href="/kitchen">"Production plan"</a>" · "<a href="/stock">"Stock"</a></p>
        </section>
    })
}
