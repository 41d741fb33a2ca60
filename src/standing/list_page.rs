//! `/customers/standing`: every standing order at a glance — whose, how often, its state, the
//! next delivery, and the visits the order core refused (with why), so the owner sees this
//! week's problems without opening each customer.
use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{day_text, StandingView};
use crate::money::format_cents;
use crate::ui::{ErrorNotice, Loading, PageHeader};

#[component]
pub fn StandingOrdersPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| super::list_standing_orders());
    view! {
        <PageHeader title="Standing orders" subtitle="Customers' recurring orders; each delivery is created a fortnight ahead"/>
        <p class="page-links"><a class="btn btn-small" href="/customers">"Customers"</a></p>
        <Transition fallback=|| view! { <Loading label="Loading standing orders"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((list, currency)) => view! { <Table list currency/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Table(list: Vec<StandingView>, currency: String) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <section class="card"><p class="muted">"No standing order yet. Book one on a customer's page, or let the website create them through the API (POST /api/v1/standing-orders)."</p></section>
        }
        .into_any();
    }
    let active = list.iter().filter(|s| s.status == "active").count();
    let refused: usize = list
        .iter()
        .map(|s| s.visits.iter().filter(|v| v.refusal.is_some()).count())
        .sum();
    view! {
        <section class="card" aria-labelledby="standing-all">
            <h2 id="standing-all">{format!("{} standing orders · {active} active", list.len())}</h2>
            {(refused > 0).then(|| view! {
                <p class="notice notice-error" role="status">{format!("{refused} delivery(ies) in the next fortnight could not be booked: see why below; Hearth tries again every ten minutes.")}</p>
            })}
            <div class="table-scroll" tabindex="0">
                <table class="table standing-list">
                    <thead><tr><th>"Standing order"</th><th>"Customer"</th><th>"Schedule"</th><th>"State"</th><th>"Next delivery"</th><th class="num">"A visit"</th><th>"Not booked"</th></tr></thead>
                    <tbody>{list.into_iter().map(|s| {
                        let next = s.visits.iter().find(|v| v.order.is_some()).and_then(|v| v.order.clone());
                        let problems: Vec<String> = s.visits.iter().filter_map(|v| v.refusal.clone()).collect();
                        let (schedule, customer) = (s.schedule(), s.customer.clone());
                        let state = match (s.status.as_str(), &s.paused_until) {
                            ("paused", Some(u)) => format!("Paused until {}", day_text(u)),
                            ("paused", None) => "Paused".to_string(),
                            ("ended", _) => "Ended".to_string(),
                            _ => "Active".to_string(),
                        };
                        view! {
                            <tr data-standing=s.id>
                                <td><strong>{format!("S-{}", s.id)}</strong></td>
                                <td><A href=format!("/customers/{}", s.customer_id)>{customer}</A></td>
                                <td>{schedule}</td>
                                <td>{state}</td>
                                <td>{next.map(|(oid, n, d, _)| view! { <A href=format!("/orders?day={d}&order={oid}")>{format!("#{n} · {}", day_text(&d))}</A> })}</td>
                                <td class="num">{format_cents(s.subtotal_cents, &currency)}</td>
                                <td class="small">{if problems.is_empty() {
                                    view! { <span class="muted">"—"</span> }.into_any()
                                } else {
                                    view! { <ul class="plain">{problems.into_iter().map(|p| view! { <li class="form-error">{p}</li> }).collect_view()}</ul> }.into_any()
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
