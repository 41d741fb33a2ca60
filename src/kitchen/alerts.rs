//! The dashboard's kitchen card: what tomorrow's bake is short of, low stock, lots to use soon.
use leptos::prelude::*;

use super::api::get_stock_alerts;

/// Shown only when there is something to say (and to the roles that run the kitchen).
#[component]
pub fn StockAlertsCard() -> impl IntoView {
    let alerts = Resource::new(|| (), |_| get_stock_alerts());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let a = alerts.await.ok()?;
                if a.low.is_empty() && a.expiring.is_empty() && a.short_tomorrow.is_empty() {
                    return None;
                }
                let list = |title: &'static str, items: Vec<String>| (!items.is_empty()).then(|| view! {
                    <h3>{title}</h3>
                    <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                });
                Some(view! {
                    <section class="card stock-alerts" aria-label="Kitchen alerts">
                        <h2>"Kitchen"</h2>
                        {list("Short for tomorrow's bake", a.short_tomorrow)}
                        {list("Low stock", a.low)}
                        {list("Use soon", a.expiring)}
                        <p><a href="/kitchen">"Production plan"</a>" · "<a href="/stock">"Stock"</a></p>
                    </section>
                })
            })}
        </Suspense>
    }
}
