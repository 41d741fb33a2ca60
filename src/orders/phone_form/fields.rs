//! The phone-order form's groups of fields: when and how it is fulfilled and paid; notes,
//! codes and points; and why the order was not taken.
use leptos::prelude::*;

use super::parts::{window_options, Form};
use super::{field_label, FORM_FIELDS};
use crate::orders::phone::CreatePhoneOrder;
use crate::words::{tr, tr_with};

/// Delivery or pickup, the day (and the latest day the customer would accept), the window
/// and how it is paid.
#[component]
pub(super) fn WhenAndPayment(form: Form) -> impl IntoView {
    let fields = form.fields;
    view! {
        <div class="form-row">
            <label class="field"><span>{tr("fulfilment")}</span>
                <select prop:value=move || fields.with(|f| f.fulfilment.clone()) on:change=form.set(|f, v| f.fulfilment = v, "fulfilment")>
                    <option value="delivery">{tr("delivery")}</option><option value="pickup">{tr("pickup")}</option>
                </select>
            </label>
            <label class="field"><span>{tr("phone-date")}</span>
                <input type="date" required=true prop:value=move || fields.with(|f| f.date.clone()) on:change=form.set(|f, v| f.date = v, "date")/>
                {form.problem("date".into())}
            </label>
            <label class="field"><span>{tr("phone-flex-to")}</span>
                <input type="date" aria-describedby="flex-help" prop:value=move || fields.with(|f| f.flex_to.clone().unwrap_or_default())
                    on:change=form.set(|f, v| f.flex_to = Some(v).filter(|v| !v.is_empty()), "flex_to")/>
                {form.problem("flex_to".into())}
            </label>
        </div>
        <p class="muted small" id="flex-help">{tr("phone-flex-help")}</p>
        <div class="form-row">
            <label class="field"><span>{tr("drawer-window")}</span>
                <select prop:value=move || fields.with(|f| f.window.clone().unwrap_or_default()) on:change=form.set(|f, v| f.window = Some(v).filter(|v| !v.is_empty()), "window")>
                    {move || window_options(form)}
                </select>
                {form.problem("window".into())}
            </label>
            <label class="field"><span>{tr("payment")}</span>
                <select prop:value=move || fields.with(|f| f.payment.clone()) on:change=form.set(|f, v| f.payment = v, "payment")>
                    <option value="cod">{tr("payment-cod")}</option>
                    <option value="prepaid">{tr("payment-prepaid")}</option>
                    <option value="pay_at_pickup">{tr("payment-pay_at_pickup")}</option>
                </select>
                {form.problem("payment".into())}
            </label>
        </div>
    }
}

/// Notes, a promotion code, points to spend (with the customer's balance) and a referral code.
#[component]
pub(super) fn NotesCodesPoints(form: Form) -> impl IntoView {
    let fields = form.fields;
    view! {
        <label class="field"><span>{tr("drawer-notes")}</span>
            <input prop:value=move || fields.with(|f| f.notes.clone().unwrap_or_default()) on:input=form.set(|f, v| f.notes = Some(v).filter(|v| !v.is_empty()), "notes")/>
        </label>
        <label class="field"><span>{tr("phone-promo-code")}</span>
            <input name="promo_code" autocomplete="off" prop:value=move || fields.with(|f| f.promo_code.clone().unwrap_or_default()) on:input=form.set(|f, v| f.promo_code = Some(v).filter(|v| !v.trim().is_empty()), "promo_code")/>
            {form.problem("promo_code".into())}
        </label>
        <label class="field"><span>{tr("phone-redeem-points")}</span>
            <input name="redeem_points" inputmode="numeric" autocomplete="off" prop:value=move || fields.with(|f| f.redeem_points.clone().unwrap_or_default()) on:input=form.set(|f, v| f.redeem_points = Some(v).filter(|v| !v.trim().is_empty()), "redeem_points")/>
            {move || form.last_quote.with(|q| q.points).map(|(points, cents)| view! {
                <small class="muted" data-testid="phone-points">{tr_with("phone-has-points", &[("points", points.to_string()), ("amount", form.money(cents))])}</small>
            })}
            {form.problem("redeem_points".into())}
        </label>
        <label class="field"><span>{tr("phone-referral-code")}</span>
            <input name="referral_code" autocomplete="off" maxlength="20" prop:value=move || fields.with(|f| f.referral_code.clone().unwrap_or_default()) on:input=form.set(|f, v| f.referral_code = Some(v).filter(|v| !v.trim().is_empty()), "referral_code")/>
            {form.problem("referral_code".into())}
        </label>
    }
}

/// Why the order was not taken, beside the button: the full reason when no field shows it,
/// else a pointer to the field that does.
pub(super) fn not_taken(create: ServerAction<CreatePhoneOrder>) -> Option<impl IntoView> {
    create.value().get().and_then(Result::err).map(|e| {
        let text = match e.field() {
            Some(f)
                if FORM_FIELDS
                    .iter()
                    .any(|x| f == *x || f.starts_with("items[")) =>
            {
                tr_with("phone-not-taken", &[("field", field_label(f))])
            }
            _ => e.to_string(),
        };
        view! { <p class="form-error" role="status">{text}</p> }
    })
}
