//! `/menu`: what the website sells. The owner adds, edits, orders and archives products; the
//! storefront's catalog shows exactly this.
use leptos::prelude::*;

use super::api::{
    ChangeProduct, CsvPreview, ImportMenuCsv, MenuChange, SaveProduct, SetProductPhoto,
};
use super::model::{label_of, Product, ProductForm, ALLERGENS, DIETARY, WEEKDAYS};
use crate::app::Auth;
use crate::money::format_cents;
use crate::ui::{ErrorNotice, Loading, PageHeader};

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
        <PageHeader title="Menu" subtitle="What your website sells: prices, baking days, notice and allergens">
            <button class="btn" on:click=move |_| on_export(false)>"Export CSV"</button>
            <button class="btn" title="Semicolons and decimal commas, as spreadsheets in much of Europe expect" on:click=move |_| on_export(true)>"Export CSV (;)"</button>
            <label class="btn file-button">
                "Import CSV"
                <input type="file" accept=".csv,text/csv" aria-label="Import products from a CSV file" on:change=on_file/>
            </label>
            <button class="btn btn-primary" on:click=move |_| editing.set(Editing::New)>"New product"</button>
        </PageHeader>
        {move || export_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || import.value().get().map(|r| match r {
            Ok((added, updated)) => view! { <p class="form-ok" role="status">{format!("Imported: {added} added, {updated} updated.")}</p> }.into_any(),
            Err(e) => view! { <p class="form-error csv-errors" role="alert">{e.to_string()}</p> }.into_any(),
        })}
        {move || preview.get().map(|(text, answer)| view! { <ImportPreview text answer preview import/> })}
        {move || change.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="form-error" role="alert">{e.to_string()}</p>
        })}
        <Transition fallback=|| view! { <Loading label="Loading the menu"/> }>
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
                <h2>"No products yet"</h2>
                <p class="muted">"Add what you bake: your website can take orders once the menu has a product."</p>
                <button class="btn btn-primary" on:click=move |_| editing.set(Editing::New)>"Add the first product"</button>
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
                <h2>"Archived"</h2>
                <p class="muted small">"Not on the website. Orders that have them keep them."</p>
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
            let days = crate::districts::model::weekday_summary(p.offered_weekdays as u8);
            let days = if p.offered_weekdays == 127 { "Every day".to_string() } else { days };
            let notice = match p.lead_days {
                0 => "—".to_string(),
                1 => "1 day".to_string(),
                n => format!("{n} days"),
            };
            let per_order = if (p.min_quantity, p.max_quantity) == (1, 99) {
                "Any".to_string()
            } else {
                format!("{}–{}", p.min_quantity, p.max_quantity)
            };
            // What the hidden columns say, for a phone: "20 a day · Every day · 2 days' notice".
            let mut phone_line = format!("{} a day · {days}", p.daily_capacity);
            match p.lead_days {
                0 => {}
                1 => phone_line.push_str(" · 1 day's notice"),
                n => phone_line.push_str(&format!(" · {n} days' notice")),
            }
            if per_order != "Any" {
                phone_line.push_str(&format!(" · {per_order} per order"));
            }
            let tags = p
                .allergens
                .iter()
                .map(|a| view! { <span class="tag tag-allergen">{label_of(a).to_string()}</span> })
                .chain(p.dietary.iter().map(|d| view! { <span class="tag tag-diet">{label_of(d).to_string()}</span> }))
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
                            <button class="btn btn-small" aria-label=format!("Move {name} up") disabled=i == 0 on:click=move |_| ask(MenuChange::Up)>"↑"</button>
                            <button class="btn btn-small" aria-label=format!("Move {name} down") disabled=i == last on:click=move |_| ask(MenuChange::Down)>"↓"</button>
                            <button class="btn btn-small" on:click=move |_| ask(MenuChange::Archive)>"Archive"</button>
                        })}
                        {(!active).then(|| view! {
                            <button class="btn btn-small" on:click=move |_| ask(MenuChange::Restore)>"Put back on the menu"</button>
                        })}
                        {(!active && deletable).then(|| view! {
                            <button class="btn btn-small btn-danger" on:click=move |_| ask(MenuChange::Delete)>"Delete"</button>
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
                    <th>"Product"</th><th class="num">"Price"</th><th class="num">"Per day"</th>
                    <th>"Baked on"</th><th>"Notice"</th><th>"Per order"</th><th><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
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
    let body = match answer {
        Err(e) => view! {
            <p class="form-error" role="alert">{e}</p>
            <button class="btn btn-ghost" on:click=close>"Close"</button>
        }
        .into_any(),
        Ok(p) if !p.errors.is_empty() => {
            let n = p.errors.len();
            let items = p
                .errors
                .into_iter()
                .map(|e| view! { <li>{e}</li> })
                .collect_view();
            view! {
                <p class="form-error" role="alert">{format!("Nothing can be imported until these {n} problems are fixed in the file:")}</p>
                <ul class="csv-errors">{items}</ul>
                <button class="btn btn-ghost" on:click=close>"Close"</button>
            }
            .into_any()
        }
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
                        <thead><tr><th class="num">"Row"</th><th>"Action"</th><th>"SKU"</th><th>"Name"</th><th>"Category"</th><th class="num">"Price"</th><th>"Allergens"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <div class="form-actions">
                    <button class="btn btn-primary" disabled=move || import.pending().get() on:click=move |_| {
                        import.dispatch(ImportMenuCsv { text: text.clone() });
                        preview.set(None);
                    }>{format!("Import {n} products")}</button>
                    <button class="btn btn-ghost" on:click=close>"Cancel"</button>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="card csv-preview" aria-label="Import preview">
            <h2>"Import preview"</h2>
            <p class="muted small">"Rows with a SKU already on the menu update that product (orders keep their prices); the others are added. All rows are imported, or none."</p>
            {body}
        </section>
    }
}

/// One text input bound to a field of the form.
fn field(
    form: RwSignal<ProductForm>,
    label: &'static str,
    name: &'static str,
    get: fn(&ProductForm) -> String,
    set: fn(&mut ProductForm, String),
    error_on: Signal<Option<String>>,
    mode: &'static str,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                name=name
                inputmode=mode
                prop:value=move || form.with(get)
                aria-invalid=move || (error_on.get().as_deref() == Some(name)).then_some("true")
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
            />
        </label>
    }
}

#[component]
fn Editor(
    product: Option<Product>,
    save: ServerAction<SaveProduct>,
    photo: ServerAction<SetProductPhoto>,
    editing: RwSignal<Editing>,
) -> impl IntoView {
    let photo_field = product.as_ref().map(|p| {
        view! { <PhotoField id=p.id name=p.name.clone() src=p.photo.clone() photo/> }
    });
    let id = product.as_ref().map(|p| p.id);
    let title = product
        .as_ref()
        .map_or("New product".to_string(), |p| format!("Edit {}", p.name));
    let orders = product.as_ref().map_or(0, |p| p.orders);
    let form = RwSignal::new(
        product
            .as_ref()
            .map_or_else(ProductForm::blank, ProductForm::of),
    );
    let started = RwSignal::new(false);
    // Close once this editor's own save succeeds.
    Effect::new(move |_| {
        if started.get() && !save.pending().get() {
            if let Some(Ok(_)) = save.value().get() {
                editing.set(Editing::Closed);
            }
        }
    });
    let error = Signal::derive(move || {
        if !started.get() {
            return None;
        }
        save.value().get().and_then(|r| r.err())
    });
    let error_field =
        Signal::derive(move || error.get().and_then(|e| e.field().map(str::to_string)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        started.set(true);
        save.dispatch(SaveProduct {
            id,
            form: form.get_untracked(),
        });
    };
    let checks = |list: &'static [(&'static str, &'static str)],
                  name: &'static str,
                  get: fn(&ProductForm) -> &Vec<String>,
                  toggle: fn(&mut ProductForm, &str, bool)| {
        list.iter()
            .map(move |(code, label)| {
                let code = *code;
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            name=name
                            value=code
                            prop:checked=move || form.with(|f| get(f).iter().any(|c| c == code))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                form.update(|f| toggle(f, code, on));
                            }
                        />
                        <span>{*label}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let allergens = checks(
        &ALLERGENS,
        "allergens",
        |f| &f.allergens,
        |f, c, on| toggle(&mut f.allergens, c, on),
    );
    let dietary = checks(
        &DIETARY,
        "dietary",
        |f| &f.dietary,
        |f, c, on| toggle(&mut f.dietary, c, on),
    );
    let days = WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let i = i as u8;
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name="weekdays"
                        value=i.to_string()
                        prop:checked=move || form.with(|f| f.weekdays.contains(&i))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            form.update(|f| {
                                f.weekdays.retain(|x| *x != i);
                                if on {
                                    f.weekdays.push(i);
                                    f.weekdays.sort();
                                }
                            });
                        }
                    />
                    <span>{*d}</span>
                </label>
            }
        })
        .collect_view();
    let root = NodeRef::<leptos::html::Aside>::new();
    crate::ui::focus::dialog_keys(root, move || editing.set(Editing::Closed));
    view! {
        <aside class="drawer product-editor" role="dialog" aria-modal="true" aria-label=title.clone() node_ref=root>
            <div class="drawer-head">
                <button class="btn btn-ghost btn-small" on:click=move |_| editing.set(Editing::Closed)>"Close"</button>
            </div>
            <h2 class="drawer-title">{title.clone()}</h2>
            {(orders > 0).then(|| view! {
                <p class="muted small">{format!("{orders} orders have it. They keep the price and items they were taken with.")}</p>
            })}
            <form class="form" on:submit=submit novalidate>
                {field(form, "Name", "name", |f| f.name.clone(), |f, v| f.name = v, error_field, "text")}
                <div class="form-row">
                    {field(form, "SKU", "sku", |f| f.sku.clone(), |f, v| f.sku = v, error_field, "text")}
                    {field(form, "Category", "category", |f| f.category.clone(), |f, v| f.category = v, error_field, "text")}
                </div>
                <label class="field">
                    <span>"Description"</span>
                    <textarea
                        name="description"
                        rows="3"
                        prop:value=move || form.with(|f| f.description.clone())
                        on:input=move |ev| form.update(|f| f.description = event_target_value(&ev))
                    ></textarea>
                </label>
                <div class="form-row">
                    {field(form, "Price", "price", |f| f.price.clone(), |f, v| f.price = v, error_field, "decimal")}
                    {field(form, "Tax included (%)", "tax_rate", |f| f.tax_rate.clone(), |f, v| f.tax_rate = v, error_field, "decimal")}
                </div>
                <div class="form-row">
                    {field(form, "Made per day", "daily_capacity", |f| f.daily_capacity.clone(), |f, v| f.daily_capacity = v, error_field, "numeric")}
                    {field(form, "Days of notice", "lead_days", |f| f.lead_days.clone(), |f, v| f.lead_days = v, error_field, "numeric")}
                </div>
                <div class="form-row">
                    {field(form, "Minimum per order", "min_quantity", |f| f.min_quantity.clone(), |f, v| f.min_quantity = v, error_field, "numeric")}
                    {field(form, "Maximum per order", "max_quantity", |f| f.max_quantity.clone(), |f, v| f.max_quantity = v, error_field, "numeric")}
                </div>
                <fieldset class="checks">
                    <legend>"Baked on"</legend>
                    {days}
                </fieldset>
                {photo_field}
                <fieldset class="checks">
                    <legend>"Allergens"</legend>
                    {allergens}
                </fieldset>
                <fieldset class="checks">
                    <legend>"Dietary"</legend>
                    {dietary}
                </fieldset>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>"Save product"</button>
                    <button type="button" class="btn btn-ghost" on:click=move |_| editing.set(Editing::Closed)>"Cancel"</button>
                </div>
            </form>
        </aside>
    }
}

/// A product's photo: shown, replaced (shrunk in the browser to 1200 px first) or removed.
#[component]
fn PhotoField(
    id: i64,
    name: String,
    src: Option<String>,
    photo: ServerAction<SetProductPhoto>,
) -> impl IntoView {
    use crate::ui::picture::{PictureField, PictureWords};
    let words = PictureWords {
        noun: "Photo",
        label: "Product photo",
        empty: "No photo yet: the website shows the name only.",
    };
    let send = Callback::new(move |jpeg: String| {
        photo.dispatch(SetProductPhoto { id, jpeg });
    });
    let pending = Signal::derive(move || photo.pending().get());
    let outcome = Signal::derive(move || photo.value().get().map(|r| r.map_err(|e| e.to_string())));
    view! {
        <PictureField words src alt=format!("Photo of {name}") side=1200.0 send pending outcome/>
    }
}

fn toggle(list: &mut Vec<String>, code: &str, on: bool) {
    list.retain(|c| c != code);
    if on {
        list.push(code.to_string());
    }
}
