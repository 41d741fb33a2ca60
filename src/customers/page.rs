//! `/customers`: searchable list.
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::list_customers;
use crate::money::format_cents;
use crate::ui::{ErrorNotice, Loading, PageHeader};

/// The customers page; the search box keeps its text in the URL (`?q=`).
#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q")).unwrap_or_default();
    let data = Resource::new(q, list_customers);
    view! {
        <PageHeader title="Customers" subtitle="Everyone who has ordered, best customers first"/>
        <Form method="GET" action="" attr:class="search-bar">
            <input type="search" name="q" value=q placeholder="Search name, phone or street" aria-label="Search customers"/>
            <button type="submit" class="btn">"Search"</button>
        </Form>
        <Transition fallback=|| view! { <Loading label="Loading customers"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((rows, cur)) => {
                        let n = rows.len();
                        let body = rows
                            .into_iter()
                            .map(|c| {
                                let tel = format!("tel:{}", c.phone);
                                view! {
                                    <tr>
                                        <td><strong>{c.name}</strong><div class="muted small">{c.address.unwrap_or_default()}</div></td>
                                        <td><a href=tel>{c.phone}</a></td>
                                        <td>{c.district.unwrap_or_else(|| "—".into())}</td>
                                        <td class="num">{c.orders}</td>
                                        <td class="num">{format_cents(c.spent_cents, &cur)}</td>
                                        <td>{c.last_order.unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }
                            })
                            .collect_view();
                        view! {
                            <div class="card">
                                <p class="muted">{format!("{n} customer{}", if n == 1 { "" } else { "s" })}</p>
                                <div class="table-scroll">
                                    <table class="table">
                                        <thead><tr><th>"Name"</th><th>"Phone"</th><th>"District"</th><th class="num">"Orders"</th><th class="num">"Spent"</th><th>"Last order"</th></tr></thead>
                                        <tbody>{body}</tbody>
                                    </table>
                                </div>
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
