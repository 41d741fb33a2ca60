//! The drawer's discount: a promotion code the customer gives on the phone, or their loyalty
//! points to spend, added to an order already placed (while it is open and not paid). The order
//! core checks them as the storefront would; a refusal shows beside the field it names.
use leptos::prelude::*;

use super::super::api::AddDiscount;
use crate::words::{money, tr, tr_with};

/// A code form (when the order has none) and a points form (when the customer may spend some).
#[component]
pub(super) fn DiscountEditor(
    order_id: i64,
    version: i64,
    code_open: bool,
    /// The customer's points and their worth.
    points_open: Option<(i64, i64)>,
    currency: String,
    save: ServerAction<AddDiscount>,
) -> impl IntoView {
    let refusal = move |field: &'static str| {
        move || {
            save.value()
                .get()
                .and_then(Result::err)
                .filter(|e| e.field() == Some(field))
                .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
        }
    };
    let held = points_open.map(|(points, cents)| {
        tr_with(
            "drawer-points-held",
            &[
                ("points", points.to_string()),
                ("amount", money(cents, &currency)),
            ],
        )
    });
    view! {
        <section class="discount-editor" aria-label=tr("drawer-discount")>
            {code_open.then(|| view! {
                <ActionForm action=save attr:class="inline-form" attr:aria-label=tr("drawer-promo-code")>
                    <input type="hidden" name="order_id" value=order_id.to_string()/>
                    <input type="hidden" name="version" value=version.to_string()/>
                    <label class="field"><span>{tr("drawer-promo-code")}</span>
                        <input name="promo_code" autocomplete="off" maxlength="40" required=true/></label>
                    <button type="submit" class="btn btn-small" disabled=move || save.pending().get()>{tr("drawer-apply-code")}</button>
                </ActionForm>
            })}
            {refusal("promo_code")}
            {held.map(|held| view! {
                <ActionForm action=save attr:class="inline-form" attr:aria-label=tr("drawer-points-to-spend")>
                    <input type="hidden" name="order_id" value=order_id.to_string()/>
                    <input type="hidden" name="version" value=version.to_string()/>
                    <p class="muted small points-held">{held}</p>
                    <label class="field"><span>{tr("drawer-points-to-spend")}</span>
                        <input name="redeem_points" inputmode="numeric" required=true/></label>
                    <button type="submit" class="btn btn-small" disabled=move || save.pending().get()>{tr("drawer-spend-points")}</button>
                </ActionForm>
            })}
            {refusal("redeem_points")}
        </section>
    }
}
