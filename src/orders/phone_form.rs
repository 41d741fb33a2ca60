//! The "New phone order" drawer on the board.
use leptos::prelude::*;
use leptos_router::components::A;

use super::phone::{list_products, CreatePhoneOrder, FindCustomer};
use crate::money::format_cents;
use crate::ui::ErrorNotice;

/// Lines offered in the form; empty ones are ignored.
const ROWS: usize = 5;

/// The phone-order form; `close` is the board URL without it; `day` the preselected date.
#[component]
pub fn PhoneOrderDrawer(
    /// Where "Close" goes.
    close: String,
    /// Preselected fulfilment date.
    day: String,
) -> impl IntoView {
    let create = ServerAction::<CreatePhoneOrder>::new();
    let lookup = ServerAction::<FindCustomer>::new();
    let phone = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    // Fill the form from a found customer.
    Effect::new(move |_| {
        if let Some(Ok(Some(c))) = lookup.value().get() {
            name.set(c.name);
            address.set(c.address.unwrap_or_default());
        }
    });
    let products = Resource::new(|| (), |_| list_products());
    let found = move || {
        match lookup.value().get() {
        Some(Ok(Some(c))) => Some(view! {
            <p class="form-ok" role="status">{format!("Known customer: {}{}", c.name, c.district.map(|d| format!(" · {d}")).unwrap_or_default())}</p>
        }.into_any()),
        Some(Ok(None)) => Some(view! { <p class="muted small" role="status">"New customer: enter their details."</p> }.into_any()),
        Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
        None => None,
    }
    };
    view! {
        <aside class="drawer" aria-label="New phone order">
            <div class="drawer-head">
                <A href=close attr:class="btn btn-ghost btn-small" attr:aria-label="Close the phone order">"✕ Close"</A>
            </div>
            <h2 class="drawer-title">"New phone order"</h2>
            <div class="inline-form">
                <input class="grow" type="tel" placeholder="Caller's phone" aria-label="Caller's phone"
                    prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev))/>
                <button type="button" class="btn" on:click=move |_| { lookup.dispatch(FindCustomer { phone: phone.get_untracked() }); }>
                    "Look up"
                </button>
            </div>
            {found}
            <ActionForm action=create attr:class="form">
                <input type="hidden" name="phone" prop:value=move || phone.get()/>
                <label class="field"><span>"Name"</span>
                    <input name="name" required=true prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <div class="form-row">
                    <label class="field"><span>"Fulfilment"</span>
                        <select name="fulfilment"><option value="delivery">"Delivery"</option><option value="pickup">"Pickup"</option></select>
                    </label>
                    <label class="field"><span>"Date"</span><input name="date" type="date" value=day required=true/></label>
                    <label class="field"><span>"Or any day until"</span><input name="flex_to" type="date" aria-describedby="flex-help"/></label>
                </div>
                <p class="muted small" id="flex-help">"Delivery: if the customer doesn't mind the day, the planner may move the order to a cheaper day up to this date."</p>
                <div class="form-row">
                    <label class="field"><span>"Window"</span>
                        <select name="window">
                            <option value="">"Any time"</option>
                            <option value="09:00-11:00">"09:00–11:00"</option>
                            <option value="11:00-13:00">"11:00–13:00"</option>
                            <option value="16:00-18:00">"16:00–18:00"</option>
                            <option value="18:00-20:00">"18:00–20:00"</option>
                        </select>
                    </label>
                    <label class="field"><span>"Payment"</span>
                        <select name="payment">
                            <option value="cod">"Cash on delivery"</option>
                            <option value="prepaid">"Prepaid"</option>
                            <option value="pay_at_pickup">"Pay at pickup"</option>
                        </select>
                    </label>
                </div>
                <label class="field"><span>"Address"</span>
                    <input name="address" prop:value=move || address.get() on:input=move |ev| address.set(event_target_value(&ev))/>
                </label>
                <fieldset class="lines">
                    <legend>"Items"</legend>
                    <Suspense fallback=|| view! { <p class="muted">"Loading products…"</p> }>
                        {move || Suspend::new(async move {
                            match products.await {
                                Ok(list) => (0..ROWS).map(|i| {
                                    let options = list.iter().map(|p| view! {
                                        <option value=p.sku.clone()>{format!("{} · {}", p.name, format_cents(p.price_cents, "EUR"))}</option>
                                    }).collect_view();
                                    view! {
                                        <div class="line">
                                            <select name=format!("items[{i}][sku]") aria-label=format!("Product {}", i + 1)>
                                                <option value="">"—"</option>
                                                {options}
                                            </select>
                                            <input name=format!("items[{i}][quantity]") type="number" min="1" max="99" value="1" aria-label=format!("Quantity {}", i + 1)/>
                                        </div>
                                    }
                                }).collect_view().into_any(),
                                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            }
                        })}
                    </Suspense>
                </fieldset>
                <label class="field"><span>"Notes"</span><input name="notes"/></label>
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>"Take order"</button>
            </ActionForm>
            {move || create.value().get().map(|r| match r {
                Ok(n) => view! { <p class="form-ok" role="status">{format!("Order #{n} taken.")}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </aside>
    }
}
