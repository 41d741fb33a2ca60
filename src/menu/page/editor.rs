//! The menu page's product editor (a drawer over the list).
use leptos::prelude::*;

use super::super::api::{SaveProduct, SetProductPhoto};
use super::super::model::{tag_name, Product, ProductForm, ALLERGENS, DIETARY};
use super::Editing;
use crate::words::{tr, tr_count, tr_with};

/// One text input bound to a field of the form.
fn field(
    form: RwSignal<ProductForm>,
    label: String,
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

/// The product editor: every field of the form, allergens and diets, the photo; saved through
/// the menu's writer, whose refusal names the field.
#[component]
pub(super) fn Editor(
    product: Option<Product>,
    save: ServerAction<SaveProduct>,
    photo: ServerAction<SetProductPhoto>,
    editing: RwSignal<Editing>,
) -> impl IntoView {
    let photo_field = product.as_ref().map(|p| {
        view! { <PhotoField id=p.id name=p.name.clone() src=p.photo.clone() photo/> }
    });
    let id = product.as_ref().map(|p| p.id);
    let title = product.as_ref().map_or_else(
        || tr("menu-new-product"),
        |p| tr_with("stock-edit-ingredient", &[("name", p.name.clone())]),
    );
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
    let days = day_checks(form);
    let root = NodeRef::<leptos::html::Aside>::new();
    crate::ui::focus::dialog_keys(root, move || editing.set(Editing::Closed));
    view! {
        <aside class="drawer product-editor" role="dialog" aria-modal="true" aria-label=title.clone() node_ref=root>
            <div class="drawer-head">
                <button class="btn btn-ghost btn-small" on:click=move |_| editing.set(Editing::Closed)>{tr("close")}</button>
            </div>
            <h2 class="drawer-title">{title.clone()}</h2>
            {(orders > 0).then(|| view! {
                <p class="muted small">{tr_count("menu-orders-have-it", orders as usize)}</p>
            })}
            <form class="form" on:submit=submit novalidate>
                <ProductFields form error_field/>
                <fieldset class="checks">
                    <legend>{tr("menu-baked-on")}</legend>
                    {days}
                </fieldset>
                {photo_field}
                <TagChecks form/>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{tr("menu-save")}</button>
                    <button type="button" class="btn btn-ghost" on:click=move |_| editing.set(Editing::Closed)>{tr("cancel")}</button>
                </div>
            </form>
        </aside>
    }
}

/// The product's words and numbers: name, SKU, category, description, price, tax, how many
/// are made a day, days of notice, and the least and most an order may hold.
#[component]
fn ProductFields(
    form: RwSignal<ProductForm>,
    error_field: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        {field(form, tr("stock-name"), "name", |f| f.name.clone(), |f, v| f.name = v, error_field, "text")}
        <div class="form-row">
            {field(form, "SKU".into(), "sku", |f| f.sku.clone(), |f, v| f.sku = v, error_field, "text")}
            {field(form, tr("menu-category"), "category", |f| f.category.clone(), |f, v| f.category = v, error_field, "text")}
        </div>
        <label class="field">
            <span>{tr("menu-description")}</span>
            <textarea
                name="description"
                rows="3"
                prop:value=move || form.with(|f| f.description.clone())
                on:input=move |ev| form.update(|f| f.description = event_target_value(&ev))
            ></textarea>
        </label>
        <div class="form-row">
            {field(form, tr("recipes-price"), "price", |f| f.price.clone(), |f, v| f.price = v, error_field, "decimal")}
            {field(form, tr("menu-tax"), "tax_rate", |f| f.tax_rate.clone(), |f, v| f.tax_rate = v, error_field, "decimal")}
        </div>
        <div class="form-row">
            {field(form, tr("menu-made-per-day"), "daily_capacity", |f| f.daily_capacity.clone(), |f, v| f.daily_capacity = v, error_field, "numeric")}
            {field(form, tr("menu-days-notice"), "lead_days", |f| f.lead_days.clone(), |f, v| f.lead_days = v, error_field, "numeric")}
        </div>
        <div class="form-row">
            {field(form, tr("menu-min"), "min_quantity", |f| f.min_quantity.clone(), |f, v| f.min_quantity = v, error_field, "numeric")}
            {field(form, tr("menu-max"), "max_quantity", |f| f.max_quantity.clone(), |f, v| f.max_quantity = v, error_field, "numeric")}
        </div>
    }
}

/// The allergens and diets a product is marked with, as tick boxes.
#[component]
fn TagChecks(form: RwSignal<ProductForm>) -> impl IntoView {
    let allergens = tag_checks(
        form,
        &ALLERGENS,
        "allergens",
        |f| &f.allergens,
        |f| &mut f.allergens,
    );
    let dietary = tag_checks(
        form,
        &DIETARY,
        "dietary",
        |f| &f.dietary,
        |f| &mut f.dietary,
    );
    view! {
        <fieldset class="checks">
            <legend>{tr("allergens")}</legend>
            {allergens}
        </fieldset>
        <fieldset class="checks">
            <legend>{tr("menu-dietary")}</legend>
            {dietary}
        </fieldset>
    }
}

/// One tick box per code of `list` (allergens or diets), kept in the form's list (`of`, and
/// `of_mut` to change it).
fn tag_checks(
    form: RwSignal<ProductForm>,
    list: &'static [(&'static str, &'static str)],
    name: &'static str,
    of: fn(&ProductForm) -> &Vec<String>,
    of_mut: fn(&mut ProductForm) -> &mut Vec<String>,
) -> impl IntoView {
    list.iter()
        .map(move |(code, _)| {
            let code = *code;
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name=name
                        value=code
                        prop:checked=move || form.with(|f| of(f).iter().any(|c| c == code))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            form.update(|f| toggle(of_mut(f), code, on));
                        }
                    />
                    <span>{tag_name(code)}</span>
                </label>
            }
        })
        .collect_view()
}

/// One tick box per weekday the product is baked on.
fn day_checks(form: RwSignal<ProductForm>) -> impl IntoView {
    crate::words::day_names("days-short")
        .into_iter()
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
                    <span>{d}</span>
                </label>
            }
        })
        .collect_view()
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
    let words = PictureWords { key: "menu-photo" };
    let send = Callback::new(move |jpeg: String| {
        photo.dispatch(SetProductPhoto { id, jpeg });
    });
    let pending = Signal::derive(move || photo.pending().get());
    let outcome = Signal::derive(move || photo.value().get().map(|r| r.map_err(|e| e.to_string())));
    view! {
        <PictureField words src alt=tr_with("menu-photo-of", &[("name", name.clone())]) side=1200.0 send pending outcome/>
    }
}

fn toggle(list: &mut Vec<String>, code: &str, on: bool) {
    list.retain(|c| c != code);
    if on {
        list.push(code.to_string());
    }
}
