//! `/customers/standing`: every standing order at a glance — whose, how often, its state, the
//! next delivery, and the visits the order core refused (with why), so the owner sees this
//! week's problems without opening each customer.
use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{day_words as day_text, state_words, StandingView};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{money as format_cents, tr, tr_count, tr_with};

#[component]
pub fn StandingOrdersPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| super::list_standing_orders());
    view! {
        <PageHeader title=tr("cust-standing") subtitle=tr("standing-subtitle")/>
        <p class="page-links"><a class="btn btn-small" href="/customers">{tr("nav-customers")}</a></p>
        <Transition fallback=|| view! { <Loading label=tr("standing-loading")/> }>
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
            <section class="card"><p class="muted">{tr("standing-none-yet")}</p></section>
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
            <h2 id="standing-all">{format!("{} · {}", tr_count("standing-count", list.len()), tr_with("standing-active-count", &[("count", active.to_string())]))}</h2>
            {(refused > 0).then(|| view! {
                <p class="notice notice-error" role="status">{tr_with("standing-refused", &[("count", refused.to_string())])}</p>
            })}
            <div class="table-scroll" tabindex="0">
                <table class="table standing-list">
                    <thead><tr><th>{tr("standing-col-order")}</th><th>{tr("drawer-customer")}</th><th>{tr("standing-schedule")}</th><th>{tr("standing-state")}</th><th>{tr("standing-next")}</th><th class="num">{tr("standing-visit")}</th><th>{tr("standing-not-booked")}</th></tr></thead>
                    <tbody>{list.into_iter().map(|s| {
                        let next = s.visits.iter().find(|v| v.order.is_some()).and_then(|v| v.order.clone());
                        let problems: Vec<String> = s.visits.iter().filter_map(|v| v.refusal.clone()).collect();
                        let (schedule, customer) = (s.schedule_words(), s.customer.clone());
                        let state = state_words(&s.status, s.paused_until.as_deref());
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
