//! The form for a new promotion: the offer, its code (or automatic), when, what and whom it
//! applies to, its limits and hold-out group; it warns while typing when it would sell below
//! cost, and names the field a refusal is about.
use leptos::prelude::*;

use super::super::api::{check_promotion, CreatePromotion};
use super::super::{Choices, Draft};
use crate::ui::bound_text;
use crate::words::{tr, tr_with};

/// The new promotion's form.
#[component]
pub(super) fn NewPromotion(
    choices: Choices,
    create: ServerAction<CreatePromotion>,
) -> impl IntoView {
    let draft = RwSignal::new(Draft::default());
    // Re-read after a promotion is created: the form starts again.
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(_))) {
            draft.set(Draft::default());
        }
    });
    let warnings = Resource::new(move || draft.get(), check_promotion);
    let kind = move || draft.with(|d| d.kind.clone());
    let (name, set_name) = bound_text(draft, |d| &d.name, |d, v| d.name = v);
    let (code, set_code) = bound_text(draft, |d| &d.code, |d, v| d.code = v);
    let (starts, set_starts) = bound_text(draft, |d| &d.starts, |d, v| d.starts = v);
    let (ends, set_ends) = bound_text(draft, |d| &d.ends, |d, v| d.ends = v);
    let (min_order, set_min_order) = bound_text(draft, |d| &d.min_order, |d, v| d.min_order = v);
    let (total, set_total) = bound_text(draft, |d| &d.total_limit, |d, v| d.total_limit = v);
    let (per, set_per) = bound_text(
        draft,
        |d| &d.per_customer_limit,
        |d, v| d.per_customer_limit = v,
    );
    let (holdout, set_holdout) =
        bound_text(draft, |d| &d.holdout_percent, |d, v| d.holdout_percent = v);
    let products = choices.products.clone();
    let districts = choices.districts.clone();
    let field_error = move |field: &'static str| field_error(create, field);
    view! {
        <section class="card" aria-labelledby="promo-new">
            <h2 id="promo-new">{tr("promo-new")}</h2>
            <form class="form" aria-label=tr("promo-new") on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(CreatePromotion { draft: draft.get_untracked() });
            }>
                <div class="form-row">
                    <label class="field"><span>{tr("promo-name")}</span>
                        <input name="name" required maxlength="80" prop:value=name on:input=set_name placeholder=tr("promo-name-hint")/>
                        {field_error("name")}</label>
                    <label class="field"><span>{tr("promo-offer")}</span>
                        <select name="kind" prop:value=kind on:change=move |ev| draft.update(|d| d.kind = event_target_value(&ev))>
                            <option value="percent">{tr("promo-kind-percent")}</option>
                            <option value="amount">{tr("promo-kind-amount")}</option>
                            <option value="free_delivery">{tr("promo-kind-free_delivery")}</option>
                            <option value="free_item">{tr("promo-kind-free_item")}</option>
                            <option value="buy_get">{tr("promo-kind-buy_get")}</option>
                        </select></label>
                </div>
                <OfferFields draft products=choices.products.clone() create/>
                <div class="form-row">
                    <label class="field"><span>{tr("promo-code")}</span>
                        <input name="code" maxlength="32" autocomplete="off" prop:value=code on:input=set_code
                            prop:disabled=move || draft.with(|d| d.automatic) placeholder="WINTER10"/>{field_error("code")}</label>
                    <label class="check"><input type="checkbox" name="automatic" prop:checked=move || draft.with(|d| d.automatic)
                        on:change=move |ev| draft.update(|d| { d.automatic = event_target_checked(&ev); if d.automatic { d.code.clear() } })/>
                        {tr("promo-automatic")}</label>
                </div>
                <div class="form-row">
                    <label class="field"><span>{tr("promo-from")}</span><input type="date" name="starts" prop:value=starts on:input=set_starts/>{field_error("starts")}</label>
                    <label class="field"><span>{tr("promo-until")}</span><input type="date" name="ends" prop:value=ends on:input=set_ends/>{field_error("ends")}</label>
                    <label class="field"><span>{tr("promo-min")}</span><input name="min_order" inputmode="decimal" prop:value=min_order on:input=set_min_order placeholder="0.00"/>{field_error("min_order")}</label>
                </div>
                <Scope draft products districts create/>
                <div class="form-row">
                    <label class="field"><span>{tr("promo-total")}</span><input name="total_limit" inputmode="numeric" prop:value=total on:input=set_total placeholder=tr("promo-no-limit")/>{field_error("total_limit")}</label>
                    <label class="field"><span>{tr("promo-per-customer")}</span><input name="per_customer_limit" inputmode="numeric" prop:value=per on:input=set_per placeholder=tr("promo-no-limit")/>{field_error("per_customer_limit")}</label>
                    <label class="field"><span>{tr("promo-holdout")}</span><input name="holdout_percent" inputmode="numeric" prop:value=holdout on:input=set_holdout/>{field_error("holdout_percent")}</label>
                </div>
                <label class="check"><input type="checkbox" name="first_order_only" prop:checked=move || draft.with(|d| d.first_order_only)
                    on:change=move |ev| draft.update(|d| d.first_order_only = event_target_checked(&ev))/>{tr("promo-first")}</label>
                <Outcome warnings create/>
            </form>
        </section>
    }
}

/// What the offer takes, by its kind: a percentage, an amount, the product given, or how many
/// to buy and get.
#[component]
fn OfferFields(
    draft: RwSignal<Draft>,
    products: Vec<(i64, String)>,
    create: ServerAction<CreatePromotion>,
) -> impl IntoView {
    let kind = move || draft.with(|d| d.kind.clone());
    let (percent, set_percent) = bound_text(draft, |d| &d.percent, |d, v| d.percent = v);
    let (amount, set_amount) = bound_text(draft, |d| &d.amount, |d, v| d.amount = v);
    let (buy, set_buy) = bound_text(draft, |d| &d.buy, |d, v| d.buy = v);
    let (get, set_get) = bound_text(draft, |d| &d.get, |d, v| d.get = v);
    let field_error = move |field: &'static str| field_error(create, field);
    view! {
        <div class="form-row">
            <label class="field" hidden=move || kind() != "percent"><span>{tr("promo-kind-percent")}</span>
                <input name="percent" inputmode="numeric" prop:value=percent on:input=set_percent/>{field_error("percent")}</label>
            <label class="field" hidden=move || kind() != "amount"><span>{tr("promo-kind-amount")}</span>
                <input name="amount" inputmode="decimal" prop:value=amount on:input=set_amount placeholder="5.00"/>{field_error("amount")}</label>
            <label class="field" hidden=move || kind() != "free_item" && kind() != "buy_get"><span>{tr("promo-product")}</span>
                <select name="product_id" on:change=move |ev| draft.update(|d| d.product_id = event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || draft.with(|d| d.product_id.is_none())>"—"</option>
                    {products.into_iter().map(|(id, n)| view! {
                        <option value=id.to_string() selected=move || draft.with(|d| d.product_id == Some(id))>{n}</option>
                    }).collect_view()}
                </select>{field_error("product_id")}</label>
            <label class="field field-narrow" hidden=move || kind() != "buy_get"><span>{tr("promo-buy")}</span>
                <input name="buy" inputmode="numeric" prop:value=buy on:input=set_buy/>{field_error("buy")}</label>
            <label class="field field-narrow" hidden=move || kind() != "buy_get"><span>{tr("promo-get")}</span>
                <input name="get" inputmode="numeric" prop:value=get on:input=set_get/>{field_error("get")}</label>
        </div>
    }
}

/// The create action's refusal of `field`, beside it.
fn field_error(
    create: ServerAction<CreatePromotion>,
    field: &'static str,
) -> impl Fn() -> Option<AnyView> + Send + Sync + Copy {
    move || {
        create.value().get().and_then(|r| match r {
            Err(crate::error::AppError::Validation { field: f, message }) if f == field => {
                Some(view! { <span class="field-error" role="alert">{message}</span> }.into_any())
            }
            _ => None,
        })
    }
}

/// When and what it applies to: its weekdays, and (folded) only some products or districts.
#[component]
fn Scope(
    draft: RwSignal<Draft>,
    products: Vec<(i64, String)>,
    districts: Vec<(i64, String)>,
    create: ServerAction<CreatePromotion>,
) -> impl IntoView {
    view! {
        <fieldset class="weekdays"><legend>{tr("promo-days")}</legend>
            {crate::words::day_names("days-short").into_iter().enumerate().map(|(i, day)| view! {
                <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.weekdays[i])
                    on:change=move |ev| draft.update(|d| d.weekdays[i] = event_target_checked(&ev))/>{day}</label>
            }).collect_view()}
            {field_error(create, "weekdays")}
        </fieldset>
        <details>
            <summary>{tr("promo-only-some")}</summary>
            <fieldset><legend>{tr("promo-products")}</legend>
                {products.into_iter().map(|(id, n)| view! {
                    <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.products.contains(&id))
                        on:change=move |ev| draft.update(|d| { d.products.retain(|p| *p != id); if event_target_checked(&ev) { d.products.push(id) } })/>{n}</label>
                }).collect_view()}
            </fieldset>
            <fieldset><legend>{tr("promo-districts")}</legend>
                {districts.into_iter().map(|(id, n)| view! {
                    <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.districts.contains(&id))
                        on:change=move |ev| draft.update(|d| { d.districts.retain(|p| *p != id); if event_target_checked(&ev) { d.districts.push(id) } })/>{n}</label>
                }).collect_view()}
            </fieldset>
        </details>
    }
}

/// Below-cost warnings as the form changes, and what creating it did.
#[component]
fn Outcome(
    warnings: Resource<Result<Vec<String>, crate::error::AppError>>,
    create: ServerAction<CreatePromotion>,
) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                warnings.await.ok().filter(|w| !w.is_empty()).map(|w| view! {
                    <div class="warning" role="status" data-testid="below-cost">
                        <strong>{tr("promo-below-cost")}" "</strong>
                        <ul>{w.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    </div>
                })
            })}
        </Transition>
        <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{tr("promo-create")}</button>
        {move || create.value().get().map(|r| match r {
            Ok((_, w)) if w.is_empty() => view! { <p class="form-ok" role="status">{tr("promo-created")}</p> }.into_any(),
            Ok((_, w)) => view! { <p class="form-ok" role="status">{tr_with("promo-created-note", &[("note", w.join(" "))])}</p> }.into_any(),
            Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
        })}
    }
}
