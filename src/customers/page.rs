//! `/customers`: searchable list.
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::list_customers;
use super::privacy::{
    get_privacy, ClosePrivacyRequest, EraseCustomer, ExportCustomer, SetCustomerRetention,
};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{money as format_cents, tr, tr_count, tr_with};

/// The customers page; the search box keeps its text in the URL (`?q=`).
#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q")).unwrap_or_default();
    let erase = ServerAction::<EraseCustomer>::new();
    let export = ServerAction::<ExportCustomer>::new();
    let data = Resource::new(
        move || (q(), erase.version().get()),
        |(q, _)| list_customers(q),
    );
    save_exports(export);
    view! {
        <PageHeader title=tr("nav-customers") subtitle=tr("cust-subtitle")/>
        <p class="page-links"><a class="btn btn-small" href="/customers/segments">{tr("cust-segments")}</a>" "<a class="btn btn-small" href="/customers/standing">{tr("cust-standing")}</a></p>
        <Form method="GET" action="" attr:class="search-bar">
            <input type="search" name="q" value=q placeholder=tr("cust-search-hint") aria-label=tr("cust-search-label")/>
            <button type="submit" class="btn">{tr("audit-search")}</button>
        </Form>
        <DataCard/>
        <PrivacyCard erase export/>
        {move || erase.value().get().map(|r| match r {
            Ok(m) => view! { <p class="form-ok" role="status">{m}</p> }.into_any(),
            Err(error) => view! { <ErrorNotice error/> }.into_any(),
        })}
        {move || export.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        <Transition fallback=|| view! { <Loading label=tr("cust-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((rows, cur)) => {
                        let n = rows.len();
                        let with_points = rows.iter().any(|r| r.points.is_some());
                        let body = rows
                            .into_iter()
                            .map(|c| customer_row(c, &cur, erase, export))
                            .collect_view();
                        view! {
                            <div class="card">
                                <p class="muted">{tr_count("dash-customers", n)}</p>
                                <div class="table-scroll" tabindex="0">
                                    <table class="table">
                                        <thead><tr><th>{tr("stock-name")}</th><th>{tr("stock-phone")}</th><th>{tr("district")}</th><th class="num">{tr("nav-orders")}</th><th class="num">{tr("cust-spent")}</th><th>{tr("cust-last-order")}</th>{with_points.then(|| view! { <th class="num">{tr("cust-points")}</th> })}<th><span class="sr-only">{tr("cust-privacy")}</span></th></tr></thead>
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

/// A finished export is saved as two files (JSON and CSV).
fn save_exports(export: ServerAction<ExportCustomer>) {
    Effect::new(move |_| {
        if let Some(Ok(e)) = export.value().get() {
            #[cfg(feature = "hydrate")]
            {
                crate::ui::files::download(
                    &format!("{}.json", e.file_name),
                    "application/json",
                    &e.json,
                );
                crate::ui::files::download(&format!("{}.csv", e.file_name), "text/csv", &e.csv);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = e;
        }
    });
}

/// A customer's row: name, address, phone, district, orders, spending, last order, points
/// (when the programme is on), and their data's export and erasure (asked first).
fn customer_row(
    c: super::api::CustomerRow,
    cur: &str,
    erase: ServerAction<EraseCustomer>,
    export: ServerAction<ExportCustomer>,
) -> AnyView {
    let tel = format!("tel:{}", c.phone);
    let id = c.id;
    let who = c.name.clone();
    let ask_erase = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let ok = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(&tr_with("cust-erase-confirm", &[("name", who.clone())]))
                        .ok()
                })
                .unwrap_or(false);
            if ok {
                erase.dispatch(EraseCustomer { id });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&who, erase);
    };
    view! {
        <tr>
            <td><a href=format!("/customers/{id}") class="customer-link"><strong>{c.name}</strong></a><div class="muted small">{c.address.unwrap_or_default()}</div></td>
            <td><a href=tel>{c.phone}</a></td>
            <td>{c.district.unwrap_or_else(|| "—".into())}</td>
            <td class="num">{c.orders}</td>
            <td class="num">{format_cents(c.spent_cents, cur)}</td>
            <td>{c.last_order.unwrap_or_else(|| "—".into())}</td>
            {c.points.map(|p| view! { <td class="num">{p}</td> })}
            <td>
                <div class="row-actions nowrap">
                    <button class="btn btn-small" on:click=move |_| { export.dispatch(ExportCustomer { id }); }>{tr("cust-export-data")}</button>
                    <button class="btn btn-small btn-ghost" on:click=ask_erase>{tr("cust-erase")}</button>
                </div>
            </td>
        </tr>
    }
    .into_any()
}

/// Requests passed on by the website, and how long customers without orders are kept.
#[component]
fn PrivacyCard(
    erase: ServerAction<EraseCustomer>,
    export: ServerAction<ExportCustomer>,
) -> impl IntoView {
    let close = ServerAction::<ClosePrivacyRequest>::new();
    let retention = ServerAction::<SetCustomerRetention>::new();
    let data = Resource::new(
        move || {
            (
                close.version().get(),
                retention.version().get(),
                erase.version().get(),
            )
        },
        |_| get_privacy(),
    );
    view! {
        <section class="card" aria-labelledby="privacy-title">
            <h2 id="privacy-title">{tr("cust-privacy-requests")}</h2>
            <Transition fallback=|| view! { <Loading label=tr("cust-loading-requests")/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => {
                            let months = p.retention_months.map(|m| m.to_string()).unwrap_or_default();
                            view! {
                                {if p.requests.is_empty() {
                                    view! { <p class="muted small">{tr("cust-no-requests")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="privacy-requests">
                                            {p.requests.into_iter().map(|r| {
                                                let id = r.id;
                                                let customer = r.customer.clone();
                                                let kind = if r.kind == "erase" { tr("cust-erase-my-data") } else { tr("cust-send-my-data") };
                                                view! {
                                                    <li>
                                                        <strong>{kind}</strong>" · "{r.phone.clone()}{r.email.clone().map(|e| format!(" · {e}"))}
                                                        <span class="muted small">{format!(" · {}", r.received)}</span>
                                                        {r.note.clone().map(|n| view! { <div class="muted small">{n}</div> })}
                                                        <div class="row-actions">
                                                            {match customer {
                                                                Some((cid, name)) => view! {
                                                                    <span class="small">{format!("{}: {name}", tr("drawer-customer"))}</span>
                                                                    <button class="btn btn-small" on:click=move |_| { export.dispatch(ExportCustomer { id: cid }); }>{tr("cust-export-data")}</button>
                                                                    <button class="btn btn-small" on:click=move |_| { erase.dispatch(EraseCustomer { id: cid }); }>{tr("cust-erase")}</button>
                                                                }.into_any(),
                                                                None => view! { <span class="small muted">{tr("cust-no-customer")}</span> }.into_any(),
                                                            }}
                                                            <button class="btn btn-small btn-ghost" on:click=move |_| { close.dispatch(ClosePrivacyRequest { id, done: true }); }>{tr("cust-mark-done")}</button>
                                                            <button class="btn btn-small btn-ghost" on:click=move |_| { close.dispatch(ClosePrivacyRequest { id, done: false }); }>{tr("cust-refuse")}</button>
                                                        </div>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <ActionForm action=retention attr:class="form inline-form">
                                    <label class="field"><span>{tr("cust-retention")}</span>
                                        <input name="months" inputmode="numeric" value=months placeholder=tr("cust-never")/></label>
                                    <button type="submit" class="btn">{tr("save")}</button>
                                </ActionForm>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            {move || retention.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        </section>
    }
}

/// Which file a preview is of.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Customers,
    Orders,
}

/// A preview as both imports answer it: (row, who, what, action) rows, or the problems.
type Preview = (Vec<(u64, String, String, String)>, Vec<String>);

/// The file being previewed: which import, its text, and the preview or why there is none.
type Previewing = Option<(Kind, String, Result<Preview, String>)>;

/// Customers and orders in and out as CSV for spreadsheets.
#[component]
fn DataCard() -> impl IntoView {
    use super::transfer::{ImportCustomersCsv, ImportOrdersCsv};
    let import_customers = ServerAction::<ImportCustomersCsv>::new();
    let import_orders = ServerAction::<ImportOrdersCsv>::new();
    let preview = RwSignal::new(None as Previewing);
    let problem = RwSignal::new(None::<String>);
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let save = move |what: Kind, semicolon: bool| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let range = (from.get_untracked(), to.get_untracked());
            match exported(what, semicolon, range).await {
                (name, Ok(text)) => {
                    problem.set(None);
                    crate::ui::files::download(&name, "text/csv;charset=utf-8", &text)
                }
                (_, Err(e)) => problem.set(Some(e)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (what, semicolon, problem, from, to);
    };
    let on_file = move |what: Kind| {
        move |ev: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                if let Some(text) = crate::ui::files::chosen_text(&ev).await {
                    let answer = previewed(what, text.clone()).await;
                    preview.set(Some((what, text, answer)));
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = (&ev, what, preview);
        }
    };
    let outcome = move || imported(import_customers, import_orders);
    view! {
        <section class="card" aria-labelledby="data-title">
            <h2 id="data-title">{tr("cust-spreadsheets")}</h2>
            <div class="row-actions">
                <button class="btn" on:click=move |_| save(Kind::Customers, false)>{tr("cust-export")}</button>
                <button class="btn btn-ghost" title=tr("cust-semicolon-hint") on:click=move |_| save(Kind::Customers, true)>{tr("cust-semicolon")}</button>
                <label class="btn file-button">{tr("cust-import")}
                    <input type="file" accept=".csv,text/csv" aria-label=tr("cust-import-label") on:change=on_file(Kind::Customers)/></label>
            </div>
            <div class="row-actions">
                <label class="field"><span>{tr("cust-orders-from")}</span><input type="date" on:change=move |e| from.set(event_target_value(&e))/></label>
                <label class="field"><span>{tr("cust-to")}</span><input type="date" on:change=move |e| to.set(event_target_value(&e))/></label>
                <button class="btn" on:click=move |_| save(Kind::Orders, false)>{tr("cust-export-orders")}</button>
                <label class="btn file-button">{tr("cust-import-orders")}
                    <input type="file" accept=".csv,text/csv" aria-label=tr("cust-import-orders-label") on:change=on_file(Kind::Orders)/></label>
            </div>
            <p class="muted small">{tr("cust-import-hint")}</p>
            {move || problem.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || outcome().map(|r| match r {
                Ok(m) => view! { <p class="form-ok" role="status">{m}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
            })}
            {move || preview.get().map(|(what, text, answer)| {
                view! { <ImportPreview what text answer preview import_customers import_orders/> }
            })}
        </section>
    }
}

/// The spreadsheet `what` from the server (orders of the days `from..=to`), with the name
/// to save it as, or why there is none.
#[cfg(feature = "hydrate")]
async fn exported(
    what: Kind,
    semicolon: bool,
    (from, to): (String, String),
) -> (String, Result<String, String>) {
    match what {
        Kind::Customers => (
            "customers.csv".to_string(),
            super::transfer::export_customers_csv(semicolon)
                .await
                .map_err(|e| e.to_string()),
        ),
        Kind::Orders => (
            format!("orders-{from}-{to}.csv"),
            super::transfer::export_orders_csv(from, to, semicolon)
                .await
                .map_err(|e| e.to_string()),
        ),
    }
}

/// What importing `text` as `what` would do, row by row, or why it cannot be read.
#[cfg(feature = "hydrate")]
async fn previewed(what: Kind, text: String) -> Result<Preview, String> {
    match what {
        Kind::Customers => super::transfer::preview_customers_csv(text)
            .await
            .map(|p| (p.rows, p.errors)),
        Kind::Orders => super::transfer::preview_orders_csv(text)
            .await
            .map(|p| (p.rows, p.errors)),
    }
    .map_err(|e| e.to_string())
}

/// What the last import did ("12 added, 3 updated"), or why it was refused.
fn imported(
    customers: ServerAction<super::transfer::ImportCustomersCsv>,
    orders: ServerAction<super::transfer::ImportOrdersCsv>,
) -> Option<Result<String, String>> {
    let said = |r: Result<(usize, usize), crate::error::AppError>, what: Kind| match (r, what) {
        (Ok((a, b)), Kind::Customers) => Ok(tr_with(
            "cust-imported",
            &[("added", a.to_string()), ("updated", b.to_string())],
        )),
        (Ok((a, b)), Kind::Orders) => Ok(tr_with(
            "cust-imported-orders",
            &[("added", a.to_string()), ("skipped", b.to_string())],
        )),
        (Err(e), _) => Err(e.to_string()),
    };
    orders
        .value()
        .get()
        .map(|r| said(r, Kind::Orders))
        .or_else(|| customers.value().get().map(|r| said(r, Kind::Customers)))
}

/// A file's preview before importing it: every row with what the import will do, or the
/// problems that stop it; Import sends the same text.
#[component]
fn ImportPreview(
    what: Kind,
    text: String,
    answer: Result<Preview, String>,
    preview: RwSignal<Previewing>,
    import_customers: ServerAction<super::transfer::ImportCustomersCsv>,
    import_orders: ServerAction<super::transfer::ImportOrdersCsv>,
) -> impl IntoView {
    use super::transfer::{ImportCustomersCsv, ImportOrdersCsv};
    let close = move |_| preview.set(None);
    match answer {
        Err(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
        Ok((_, errors)) if !errors.is_empty() => view! {
            <crate::ui::ImportProblems errors close=Callback::new(move |_| preview.set(None))/>
        }
        .into_any(),
        Ok((rows, _)) => {
            let n = rows.len();
            let (who, what_col, noun) = match what {
                Kind::Customers => (tr("stock-name"), tr("stock-phone"), "cust-import-customers"),
                Kind::Orders => (tr("drawer-customer"), tr("dash-day"), "cust-import-rows"),
            };
            view! {
                <div class="table-scroll" tabindex="0" aria-label=tr("menu-preview")>
                    <table class="table">
                        <thead><tr><th class="num">{tr("menu-row")}</th><th>{tr("menu-action")}</th><th>{who}</th><th>{what_col}</th></tr></thead>
                        <tbody>{rows.into_iter().map(|(line, a, b, action)| view! {
                            <tr><td class="num">{line}</td><td>{action}</td><td>{a}</td><td>{b}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                </div>
                <div class="form-actions">
                    <button class="btn btn-primary" on:click=move |_| {
                        match what {
                            Kind::Customers => { import_customers.dispatch(ImportCustomersCsv { text: text.clone() }); }
                            Kind::Orders => { import_orders.dispatch(ImportOrdersCsv { text: text.clone() }); }
                        }
                        preview.set(None);
                    }>{tr_with(noun, &[("count", n.to_string())])}</button>
                    <button class="btn btn-ghost" on:click=close>{tr("cancel")}</button>
                </div>
            }.into_any()
        }
    }
}
