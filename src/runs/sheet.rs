//! `/runs/:id/sheet`: a run sheet for the van, printable on A4 (15 stops to a page).
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::get_run_sheet;
use super::model::RunSheet;
use crate::ui::{ErrorNotice, Loading};
use crate::words::{money, tr, tr_with};

#[component]
pub fn RunSheetPage() -> impl IntoView {
    let params = use_params_map();
    let sheet = Resource::new(
        move || {
            params.with(|p| {
                p.get("id")
                    .and_then(|id| id.parse::<i64>().ok())
                    .unwrap_or(0)
            })
        },
        get_run_sheet,
    );
    view! {
        <Suspense fallback=|| view! { <Loading label=tr("sheet-loading")/> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(s) => view! { <Sheet sheet=s/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sheet(sheet: RunSheet) -> impl IntoView {
    let cur = sheet.currency.clone();
    let rows = sheet
        .stops
        .into_iter()
        .map(|s| {
            view! {
                <tr>
                    <td class="sheet-seq">{s.seq}</td>
                    <td class="sheet-time"><strong>{s.eta}</strong><br/><small>{s.window.unwrap_or_default()}</small></td>
                    <td>
                        <strong>{s.customer}</strong>{format!(" · #{}", s.number)}<br/>
                        <small>{s.phone}</small>
                    </td>
                    <td>{s.address}</td>
                    <td class="sheet-items">{s.items}{s.notes.map(|n| view! { <div class="sheet-note">{n}</div> })}</td>
                    <td class="sheet-cash">{(s.cash_cents > 0).then(|| money(s.cash_cents, &cur))}</td>
                    <td class="sheet-qr" inner_html=s.qr_svg></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <leptos_meta::Title text=tr_with("sheet-title", &[("driver", sheet.driver.clone()), ("day", sheet.day_label.clone())])/>
        <article class="run-sheet">
            <header class="sheet-head">
                <div>
                    <h1>{format!("{} — {}", sheet.driver, sheet.day_label)}</h1>
                    <p>{sheet.summary}</p>
                </div>
                <div class="sheet-brand">
                    <strong>{sheet.business}</strong>
                    <small>{tr_with("sheet-from-and-back", &[("address", sheet.kitchen_address.clone())])}</small>
                    <button class="btn btn-small no-print" onclick="window.print()">{tr("sheet-print")}</button>
                </div>
            </header>
            <table class="sheet-table">
                <thead>
                    <tr><th>"#"</th><th>{tr("sheet-eta")}</th><th>{tr("sheet-customer")}</th><th>{tr("sheet-address")}</th><th>{tr("sheet-items")}</th><th>{tr("sheet-collect")}</th><th>{tr("sheet-track")}</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </article>
    }
}
