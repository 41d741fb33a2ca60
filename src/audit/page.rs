//! `/audit`: the owner searches the audit log by words, kind of action and dates, newest
//! first, a hundred at a time; and sets how long entries are kept.
use leptos::prelude::*;

use super::{list_audit, AuditPage, AuditRow, SetAuditRetention, KINDS};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::tr;

/// The filter as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct Filter {
    q: String,
    kind: String,
    from: String,
    to: String,
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let filter = RwSignal::new(Filter::default());
    // Pages loaded so far with "Older"; reset when the filter changes.
    let before = RwSignal::new(None::<i64>);
    let shown = RwSignal::new(Vec::<AuditRow>::new());
    let retention = ServerAction::<SetAuditRetention>::new();
    let page = Resource::new(
        move || (filter.get(), before.get(), retention.version().get()),
        |(f, before, _)| list_audit(f.q, f.kind, f.from, f.to, before),
    );
    let set = move |f: fn(&mut Filter, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            before.set(None);
            filter.update(|x| f(x, v));
        }
    };
    let kinds = KINDS
        .iter()
        .map(|(label, prefix)| view! { <option value=*prefix>{tr(label)}</option> })
        .collect_view();
    view! {
        <PageHeader title=tr("nav-audit") subtitle=tr("audit-subtitle")/>
        <section class="card audit-filter" aria-label=tr("audit-search-label")>
            <div class="form-row">
                <label class="field field-wide"><span>{tr("audit-search")}</span>
                    <input type="search" placeholder=tr("audit-search-hint") on:input=set(|f, v| f.q = v)/></label>
                <label class="field"><span>{tr("audit-kind")}</span><select on:change=set(|f, v| f.kind = v)>{kinds}</select></label>
                <label class="field"><span>{tr("audit-from")}</span><input type="date" on:change=set(|f, v| f.from = v)/></label>
                <label class="field"><span>{tr("audit-to")}</span><input type="date" on:change=set(|f, v| f.to = v)/></label>
            </div>
        </section>
        <Transition fallback=|| view! { <Loading label=tr("audit-loading")/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let AuditPage { rows, more, retention_days } = p;
                        let first_page = before.get_untracked().is_none();
                        shown.update(|s| {
                            if first_page {
                                s.clear();
                            }
                            s.extend(rows);
                        });
                        let oldest = shown.with_untracked(|s| s.last().map(|r| r.id));
                        view! {
                            <section class="card">
                                {move || shown.with(|s| if s.is_empty() {
                                    view! { <p class="muted">{tr("audit-nothing")}</p> }.into_any()
                                } else {
                                    view! { <AuditTable rows=s.clone()/> }.into_any()
                                })}
                                {more.then(|| view! {
                                    <button class="btn" on:click=move |_| before.set(oldest)>{tr("audit-older")}</button>
                                })}
                            </section>
                            <section class="card">
                                <h2>{tr("audit-retention")}</h2>
                                <ActionForm action=retention attr:class="form inline-form">
                                    <label class="field"><span>{tr("audit-days")}</span>
                                        <input name="days" inputmode="numeric" value=retention_days.to_string()/></label>
                                    <button type="submit" class="btn">{tr("save")}</button>
                                </ActionForm>
                                <p class="muted small">{tr("audit-retention-hint")}</p>
                                {move || retention.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AuditTable(rows: Vec<AuditRow>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="table audit">
                <thead><tr><th>{tr("audit-when")}</th><th>{tr("audit-who")}</th><th>{tr("stock-what")}</th><th>{tr("audit-subject")}</th><th>{tr("audit-details")}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td class="nowrap">{r.at}</td>
                            <td>{r.actor}<div class="muted small">{r.ip}</div></td>
                            <td><code>{r.action}</code></td>
                            <td>{r.subject}</td>
                            <td>{(!r.detail.is_empty()).then(|| view! {
                                <details><summary>{tr("audit-details")}</summary><pre class="audit-detail">{r.detail}</pre></details>
                            })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
