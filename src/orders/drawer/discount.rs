//! The drawer's discount: a promotion code the customer gives on the phone, or their loyalty
//! points to spend, added to an order already placed (while it is open and not paid), and taken
//! off again; and the referral code a new customer forgot to give. The order core checks them as the storefront would; a refusal shows beside the
//! field it names.
use leptos::prelude::*;

use super::super::api::{AddDiscount, RemoveDiscount};
use crate::words::{money, tr, tr_with};

/// Adding a discount and taking one off.
#[derive(Clone, Copy)]
pub(super) struct DiscountActions {
    pub add: ServerAction<AddDiscount>,
    pub remove: ServerAction<RemoveDiscount>,
}

impl DiscountActions {
    pub fn new() -> Self {
        DiscountActions {
            add: ServerAction::new(),
            remove: ServerAction::new(),
        }
    }

    /// Changes whenever either has answered (the order is read again).
    pub fn version(&self) -> usize {
        self.add.version().get() + self.remove.version().get()
    }
}

/// What the order has on it now, and what may still go on.
#[derive(Clone)]
pub(super) struct DiscountState {
    /// A code may be added (none yet).
    pub code_open: bool,
    /// The customer's points and their worth, when they may spend some.
    pub points_open: Option<(i64, i64)>,
    /// The code applied, which may come off.
    pub code_on: Option<String>,
    /// The points spent and their worth, which may go back.
    pub points_on: Option<(i64, i64)>,
    /// A referral code may be recorded (the customer's first order).
    pub referral_open: bool,
}

/// A code form (when the order has none) or the button taking it off, and a points form (when
/// the customer may spend some) or the button giving them back.
#[component]
pub(super) fn DiscountEditor(
    order_id: i64,
    version: i64,
    state: DiscountState,
    currency: String,
    actions: DiscountActions,
) -> impl IntoView {
    let DiscountState {
        code_open,
        points_open,
        code_on,
        points_on,
        referral_open,
    } = state;
    let (save, remove) = (actions.add, actions.remove);
    let refusal = move |field: &'static str| {
        move || {
            save.value()
                .get()
                .and_then(Result::err)
                .or_else(|| remove.value().get().and_then(Result::err))
                .filter(|e| e.field() == Some(field))
                .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
        }
    };
    let busy = Signal::derive(move || save.pending().get() || remove.pending().get());
    let take_off = move |what: &'static str, label: String| {
        view! {
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="order_id" value=order_id.to_string()/>
                <input type="hidden" name="version" value=version.to_string()/>
                <input type="hidden" name="what" value=what/>
                <button type="submit" class="btn btn-small btn-ghost" disabled=busy>{label}</button>
            </ActionForm>
        }
    };
    let code_off =
        code_on.map(|code| take_off("code", tr_with("drawer-remove-code", &[("code", code)])));
    let points_back = points_on.map(|(points, cents)| {
        take_off(
            "points",
            points_words("drawer-give-points-back", (points, cents), &currency),
        )
    });
    let held = points_open.map(|p| points_words("drawer-points-held", p, &currency));
    // A one-field form (a code typed in): its label names it, `name` is the field sent.
    let typed = move |label: &'static str, name: &'static str, max: u32, button: &'static str| {
        view! {
            <ActionForm action=save attr:class="inline-form" attr:aria-label=tr(label)>
                <input type="hidden" name="order_id" value=order_id.to_string()/>
                <input type="hidden" name="version" value=version.to_string()/>
                <label class="field"><span>{tr(label)}</span>
                    <input name=name autocomplete="off" maxlength=max.to_string() required=true/></label>
                <button type="submit" class="btn btn-small" disabled=busy>{tr(button)}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="discount-editor" aria-label=tr("drawer-discount")>
            {code_open.then(|| typed("drawer-promo-code", "promo_code", 40, "drawer-apply-code"))}
            {code_off}
            {refusal("promo_code")}
            {held.map(|held| view! { <SpendPoints order_id version held save busy/> })}
            {points_back}
            {refusal("redeem_points")}
            {referral_open.then(|| typed("phone-referral-code", "referral_code", 20, "drawer-record-referral"))}
            {refusal("referral_code")}
        </section>
    }
}

/// Points spent on the order: how many the customer holds (`held`) and how many to spend.
#[component]
fn SpendPoints(
    order_id: i64,
    version: i64,
    held: String,
    save: ServerAction<AddDiscount>,
    busy: Signal<bool>,
) -> impl IntoView {
    view! {
        <ActionForm action=save attr:class="inline-form" attr:aria-label=tr("drawer-points-to-spend")>
            <input type="hidden" name="order_id" value=order_id.to_string()/>
            <input type="hidden" name="version" value=version.to_string()/>
            <p class="muted small points-held">{held}</p>
            <label class="field"><span>{tr("drawer-points-to-spend")}</span>
                <input name="redeem_points" inputmode="numeric" required=true/></label>
            <button type="submit" class="btn btn-small" disabled=busy>{tr("drawer-spend-points")}</button>
        </ActionForm>
    }
}

/// `key`'s words for (points, their value in cents).
fn points_words(key: &str, (points, cents): (i64, i64), currency: &str) -> String {
    tr_with(
        key,
        &[
            ("points", points.to_string()),
            ("amount", money(cents, currency)),
        ],
    )
}
