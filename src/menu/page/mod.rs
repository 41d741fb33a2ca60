//! `/menu`: what the website sells. The owner adds, edits, orders and archives products; the
//! storefront's catalog shows exactly this.
use leptos::prelude::*;

use super::api::{
    ChangeProduct, CsvPreview, ImportMenuCsv, MenuChange, SaveProduct, SetProductPhoto,
};
use super::model::{tag_name, Product};
use crate::auth::Auth;
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{money as format_cents, tr, tr_count, tr_with};

mod editor;

use editor::Editor;

/// Which product the editor is open on.
#[derive(Clone, Debug, PartialEq)]
enum Editing {
    Closed,
    New,
    Product(Box<Product>),
}

#[component]
pub fn MenuPage() -> impl IntoView {
    let save = ServerAction::<SaveProduct>::new();
    let change = ServerAction::<ChangeProduct>::new();
    let import = ServerAction::<ImportMenuCsv>::new();
    let photo = ServerAction::<SetProductPhoto>::new();
    let products = Resource::new(
        move || {
            (
                save.version().get(),
                change.version().get(),
                import.version().get(),
                photo.version().get(),
            )
        },
        |_| super::api::list_menu(),
    );
    // The file chosen for import and what importing it would do.
    let preview = RwSignal::new(None::<(String, Result<CsvPreview, String>)>);
    let export_error = RwSignal::new(None::<String>);
    let editing = RwSignal::new(Editing::Closed);
    let auth = expect_context::<Auth>();
    let currency = Resource::new(
        || (),
        move |_| async move {
            auth.me
                .await
                .ok()
                .flatten()
                .map(|m| m.currency)
                .unwrap_or_else(|| "EUR".into())
        },
    );
    view! {
        <PageHeader title=tr("nav-menu") subtitle=tr("menu-subtitle")>
            <SpreadsheetButtons preview export_error/>
            <button class="btn btn-primary" on:click=move |_| editing.set(Editing::New)>{tr("menu-new-product")}</button>
        </PageHeader>
        {move || export_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || import.value().get().map(|r| match r {
            Ok((added, updated)) => view! { <p class="form-ok" role="status">{tr_with("menu-imported", &[("added", added.to_string()), ("updated", updated.to_string())])}</p> }.into_any(),
            Err(e) => view! { <p class="form-error csv-errors" role="alert">{e.to_string()}</p> }.into_any(),
        })}
        {move || preview.get().map(|(text, answer)| view! { <ImportPreview text answer preview import/> })}
        {move || change.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="form-error" role="alert">{e.to_string()}</p>
        })}
        <Transition fallback=|| view! { <Loading label=tr("menu-loading")/> }>
            {move || Suspend::new(async move {
                let cur = currency.await;
                match products.await {
                    Ok(list) => view! { <MenuList list cur editing change/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        {move || match editing.get() {
            Editing::Closed => None,
            Editing::New => Some(view! { <Editor product=None save photo editing/> }.into_any()),
            Editing::Product(p) => Some(view! { <Editor product=Some(*p) save photo editing/> }.into_any()),
        }}
    }
}

/// The menu as a spreadsheet: export it (commas, or semicolons for a spreadsheet set to a
/// decimal comma) and choose a file to import (previewed first, into `preview`).
#[component]
fn SpreadsheetButtons(
    preview: RwSignal<Option<(String, Result<CsvPreview, String>)>>,
    export_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let on_export = move |semicolon: bool| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match super::api::export_menu_csv(semicolon).await {
                Ok(text) => crate::ui::files::download("menu.csv", "text/csv;charset=utf-8", &text),
                Err(e) => export_error.set(Some(e.to_string())),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (semicolon, export_error);
    };
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Some(text) = crate::ui::files::chosen_text(&ev).await {
                let answer = super::api::preview_menu_csv(text.clone())
                    .await
                    .map_err(|e| e.to_string());
                preview.set(Some((text, answer)));
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, preview);
    };
    view! {
        <button class="btn" on:click=move |_| on_export(false)>{tr("menu-export")}</button>
        <button class="btn" title=tr("menu-export-semicolon-hint") on:click=move |_| on_export(true)>{tr("menu-export-semicolon")}</button>
        <label class="btn file-button">
            {tr("menu-import")}
            <input type="file" accept=".csv,text/csv" aria-label=tr("menu-import-label") on:change=on_file/>
        </label>
    }
}

#[component]
fn MenuList(
    list: Vec<Product>,
    cur: String,
    editing: RwSignal<Editing>,
    change: ServerAction<ChangeProduct>,
) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <section class="card empty-state">
                <h2>{tr("menu-empty")}</h2>
                <p class="muted">{tr("menu-empty-hint")}</p>
                <button class="btn btn-primary" on:click=move |_| editing.set(Editing::New)>{tr("menu-add-first")}</button>
            </section>
        }
        .into_any();
    }
    // Categories in menu order, archived products apart.
    let mut groups: Vec<(String, Vec<Product>)> = Vec::new();
    let mut archived = Vec::new();
    for p in list {
        if !p.active {
            archived.push(p);
        } else if let Some(g) = groups.iter_mut().find(|g| g.0 == p.category) {
            g.1.push(p);
        } else {
            groups.push((p.category.clone(), vec![p]));
        }
    }
    let sections = groups
        .into_iter()
        .map(|(category, items)| {
            let n = items.len();
            view! {
                <section class="card menu-group">
                    <h2>{category}<span class="count">{n}</span></h2>
                    <ProductTable items cur=cur.clone() editing change/>
                </section>
            }
        })
        .collect_view();
    let archive = (!archived.is_empty()).then(|| {
        view! {
            <section class="card menu-group menu-archived">
                <h2>{tr("menu-archived")}</h2>
                <p class="muted small">{tr("menu-archived-hint")}</p>
                <ProductTable items=archived cur=cur.clone() editing change/>
            </section>
        }
    });
    view! { {sections} {archive} }.into_any()
}

#[component]
fn ProductTable(
    items: Vec<Product>,
    cur: String,
    editing: RwSignal<Editing>,
    change: ServerAction<ChangeProduct>,
) -> impl IntoView {
    let last = items.len().saturating_sub(1);
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let id = p.id;
            let ask = move |c: MenuChange| {
                change.dispatch(ChangeProduct { id, change: c });
            };
            let (days, notice, per_order, phone_line) = terms_of(&p);
            let tags = p
                .allergens
                .iter()
                .map(|a| view! { <span class="tag tag-allergen">{tag_name(a)}</span> })
                .chain(p.dietary.iter().map(|d| view! { <span class="tag tag-diet">{tag_name(d)}</span> }))
                .collect_view();
            let active = p.active;
            let deletable = p.orders == 0;
            let name = p.name.clone();
            let edit = p.clone();
            view! {
                <tr data-sku=p.sku.clone()>
                    <td class="menu-name">
                        {p.photo.clone().map(|src| view! { <img class="menu-thumb" src=src alt="" loading="lazy"/> })}
                        <button class="link-button" on:click=move |_| editing.set(Editing::Product(Box::new(edit.clone())))>{name.clone()}</button>
                        <span class="muted small">{p.sku.clone()}</span>
                        // On a phone the columns fold into this line.
                        <span class="muted small phone-only">{phone_line}</span>
                        <span class="tags">{tags}</span>
                    </td>
                    <td class="num">{format_cents(p.price_cents, &cur)}</td>
                    <td class="num">{p.daily_capacity}</td>
                    <td>{days}</td>
                    <td>{notice}</td>
                    <td>{per_order}</td>
                    <td class="menu-actions">
                        {active.then(|| view! {
                            <button class="btn btn-small" aria-label=tr_with("menu-move-up", &[("name", name.clone())]) disabled=i == 0 on:click=move |_| ask(MenuChange::Up)>"↑"</button>
                            <button class="btn btn-small" aria-label=tr_with("menu-move-down", &[("name", name.clone())]) disabled=i == last on:click=move |_| ask(MenuChange::Down)>"↓"</button>
                            <button class="btn btn-small" on:click=move |_| ask(MenuChange::Archive)>{tr("menu-archive")}</button>
                        })}
                        {(!active).then(|| view! {
                            <button class="btn btn-small" on:click=move |_| ask(MenuChange::Restore)>{tr("menu-restore")}</button>
                        })}
                        {(!active && deletable).then(|| view! {
                            <button class="btn btn-small btn-danger" on:click=move |_| ask(MenuChange::Delete)>{tr("menu-delete")}</button>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="table menu-table">
                <thead><tr>
                    <th>{tr("kitchen-product")}</th><th class="num">{tr("recipes-price")}</th><th class="num">{tr("menu-per-day")}</th>
                    <th>{tr("menu-baked-on")}</th><th>{tr("menu-notice-head")}</th><th>{tr("menu-per-order")}</th><th><span class="sr-only">{tr("menu-actions")}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A product's terms in words: the days it is baked, the notice it needs, how many an order
/// may hold, and all of it in one line for a phone ("20 a day · Every day · 2 days' notice").
fn terms_of(p: &Product) -> (String, String, String, String) {
    let days = if p.offered_weekdays == 127 {
        tr("menu-every-day")
    } else {
        crate::words::weekdays(p.offered_weekdays as u8)
    };
    let notice = match p.lead_days {
        0 => "—".to_string(),
        n => tr_count("menu-days", n as usize),
    };
    let any_quantity = (p.min_quantity, p.max_quantity) == (1, 99);
    let per_order = if any_quantity {
        tr("menu-any")
    } else {
        format!("{}–{}", p.min_quantity, p.max_quantity)
    };
    let mut phone_line = format!(
        "{} · {days}",
        tr_with("menu-a-day", &[("count", p.daily_capacity.to_string())])
    );
    if p.lead_days > 0 {
        phone_line.push_str(&format!(
            " · {}",
            tr_count("menu-notice", p.lead_days as usize)
        ));
    }
    if !any_quantity {
        phone_line.push_str(&format!(
            " · {}",
            tr_with("menu-per-order-of", &[("range", per_order.clone())])
        ));
    }
    (days, notice, per_order, phone_line)
}

/// What importing the chosen file would do, and the button that does it.
#[component]
fn ImportPreview(
    text: String,
    answer: Result<CsvPreview, String>,
    preview: RwSignal<Option<(String, Result<CsvPreview, String>)>>,
    import: ServerAction<ImportMenuCsv>,
) -> impl IntoView {
    let close = move |_| preview.set(None);
    let problems = move |errors: Vec<String>| {
        view! { <crate::ui::ImportProblems errors close=Callback::new(move |_| preview.set(None))/> }
            .into_any()
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
                        <td class="num">{r.line}</td><td>{r.action}</td><td>{r.sku}</td><td>{r.name}</td>
                        <td>{r.category}</td><td class="num">{format_cents(r.price_cents, "")}</td><td>{r.allergens}</td>
                    </tr>
                })
                .collect_view();
            view! {
                <div class="table-scroll" tabindex="0">
                    <table class="table">
                        <thead><tr><th class="num">{tr("menu-row")}</th><th>{tr("menu-action")}</th><th>"SKU"</th><th>{tr("stock-name")}</th><th>{tr("menu-category")}</th><th class="num">{tr("recipes-price")}</th><th>{tr("allergens")}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <div class="form-actions">
                    <button class="btn btn-primary" disabled=move || import.pending().get() on:click=move |_| {
                        import.dispatch(ImportMenuCsv { text: text.clone() });
                        preview.set(None);
                    }>{tr_count("menu-import-n", n)}</button>
                    <button class="btn btn-ghost" on:click=close>{tr("cancel")}</button>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="card csv-preview" aria-label=tr("menu-preview")>
            <h2>{tr("menu-preview")}</h2>
            <p class="muted small">{tr("menu-preview-hint")}</p>
            {body}
        </section>
    }
}
