//! The Recipes page's spreadsheet card: ingredients and recipes out as CSV, and in with a
//! preview that says what each row will do, or every problem (then nothing can be imported).
use leptos::prelude::*;

use super::csv::KitchenImport;
use super::csv_api::ImportKitchenCsv;
use crate::ui::ImportProblems;
use crate::words::{tr, tr_count, tr_with};

/// A chosen file: which sheet, its text, and what importing it would do.
type Chosen = (&'static str, String, Result<KitchenImport, String>);

#[component]
pub fn KitchenSheets(import: ServerAction<ImportKitchenCsv>) -> impl IntoView {
    let chosen = RwSignal::new(None::<Chosen>);
    let export_error = RwSignal::new(None::<String>);
    let on_export = move |what: &'static str| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let text = if what == "recipes" {
                super::csv_api::recipes_csv().await
            } else {
                super::api::stock_csv("balances".into()).await
            };
            match text {
                Ok(text) => crate::ui::files::download(
                    &format!("{what}.csv"),
                    "text/csv;charset=utf-8",
                    &text,
                ),
                Err(e) => export_error.set(Some(e.to_string())),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (what, export_error);
    };
    let on_file = move |what: &'static str, ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Some(text) = crate::ui::files::chosen_text(&ev).await {
                let answer = super::csv_api::preview_kitchen_csv(what.into(), text.clone())
                    .await
                    .map_err(|e| e.to_string());
                chosen.set(Some((what, text, answer)));
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (what, &ev, chosen);
    };
    let sheet = move |what: &'static str| {
        view! {
            <div class="sheet-row">
                <h3>{tr(&format!("kitchen-csv-{what}"))}</h3>
                <button class="btn btn-small" on:click=move |_| on_export(what)>{tr("kitchen-csv-download")}</button>
                <label class="btn btn-small file-button">
                    {tr("kitchen-csv-import")}
                    <input type="file" accept=".csv,text/csv" aria-label=tr(&format!("kitchen-csv-import-{what}")) on:change=move |ev| on_file(what, ev)/>
                </label>
            </div>
        }
    };
    view! {
        <section class="card kitchen-sheets" aria-labelledby="kitchen-sheets-h">
            <h2 id="kitchen-sheets-h">{tr("kitchen-csv-title")}</h2>
            <p class="muted small">{tr("kitchen-csv-hint")}</p>
            {sheet("ingredients")}
            {sheet("recipes")}
            {move || export_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || import.value().get().map(|r| match r {
                Ok(done) => view! { <p class="form-ok" role="status">{tr_with("kitchen-csv-imported", &[("added", done.added().to_string()), ("updated", done.updated().to_string())])}</p> }.into_any(),
                Err(e) => view! { <p class="form-error csv-errors" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            {move || chosen.get().map(|(what, text, answer)| view! { <Preview what text answer chosen import/> })}
        </section>
    }
}

/// What importing the chosen file would do, and the button that does it.
#[component]
fn Preview(
    what: &'static str,
    text: String,
    answer: Result<KitchenImport, String>,
    chosen: RwSignal<Option<Chosen>>,
    import: ServerAction<ImportKitchenCsv>,
) -> impl IntoView {
    let close = move |_| chosen.set(None);
    let problems = move |errors: Vec<String>| {
        view! { <ImportProblems errors close=Callback::new(move |_| chosen.set(None))/> }.into_any()
    };
    let body = match answer {
        Err(e) => problems(vec![e]),
        Ok(p) if !p.errors.is_empty() => problems(p.errors),
        Ok(p) => {
            let n = p.rows.len();
            let rows = p
                .rows
                .into_iter()
                .map(|r| view! {
                    <tr>
                        <td class="num">{r.line}</td>
                        <td>{if r.new { tr("kitchen-csv-new") } else { tr("kitchen-csv-update") }}</td>
                        <th scope="row">{r.name}</th>
                        <td>{r.detail}</td>
                    </tr>
                })
                .collect_view();
            view! {
                <div class="table-scroll" tabindex="0">
                    <table class="table">
                        <thead><tr><th class="num">{tr("menu-row")}</th><th>{tr("menu-action")}</th><th>{tr("stock-name")}</th><th>{tr("kitchen-csv-becomes")}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <div class="form-actions">
                    <button class="btn btn-primary" disabled=move || import.pending().get() on:click=move |_| {
                        import.dispatch(ImportKitchenCsv { what: what.into(), text: text.clone() });
                        chosen.set(None);
                    }>{tr_count(&format!("kitchen-csv-import-{what}-n"), n)}</button>
                    <button class="btn btn-ghost" on:click=close>{tr("cancel")}</button>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <div class="csv-preview" role="region" aria-label=tr("menu-preview")>
            <h3>{tr("menu-preview")}</h3>
            <p class="muted small">{tr(&format!("kitchen-csv-preview-{what}"))}</p>
            {body}
        </div>
    }
}
