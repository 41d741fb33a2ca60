//! The "New phone order" drawer on the board: look the caller up, read them the running total
//! and their district's delivery days, pin the door, take the order once.
use leptos::prelude::*;
use leptos_router::components::A;

use super::phone::{
    phone_order_setup, CreatePhoneOrder, FindCustomer, PhoneFields, PhoneItem, PhoneQuote,
    PhoneSetup, QuotePhoneOrder,
};
use crate::ui::{ErrorNotice, Loading};
use crate::words::{tr, tr_with};
use parts::{Form, ItemLines, Taken, Total};

mod fields;
mod parts;

/// Lines offered in the form; empty ones are ignored.
const ROWS: usize = 5;

/// Fields that show their own problems beside them.
const FORM_FIELDS: [&str; 12] = [
    "phone",
    "name",
    "date",
    "flex_to",
    "window",
    "payment",
    "address",
    "pin",
    "items",
    "promo_code",
    "redeem_points",
    "referral_code",
];

/// A label of the form in quotes: “Name”.
fn quoted(key: &str) -> String {
    format!("“{}”", tr(key))
}

/// How a field is called on the form.
fn field_label(field: &str) -> String {
    match field {
        "phone" => quoted("phone-caller"),
        "name" => quoted("stock-name"),
        "date" => quoted("phone-date"),
        "flex_to" => quoted("phone-flex-to"),
        "window" => quoted("drawer-window"),
        "payment" => quoted("payment"),
        "address" => quoted("sheet-address"),
        "pin" => tr("phone-the-pin"),
        "promo_code" => quoted("phone-promo-code"),
        "redeem_points" => quoted("phone-redeem-points"),
        "referral_code" => quoted("phone-referral-code"),
        f => match f
            .strip_prefix("items[")
            .and_then(|r| r.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
        {
            Some(i) => tr_with("phone-item-n", &[("n", (i + 1).to_string())]),
            None => quoted("phone-items"),
        },
    }
}

fn empty_fields(day: &str) -> PhoneFields {
    PhoneFields {
        fulfilment: "delivery".into(),
        date: day.to_string(),
        payment: "cod".into(),
        items: (0..ROWS)
            .map(|_| PhoneItem {
                sku: String::new(),
                quantity: "1".into(),
            })
            .collect(),
        ..Default::default()
    }
}

/// The phone-order form; `close` is the board URL without it; `day` the preselected date.
#[component]
pub fn PhoneOrderDrawer(
    /// Where "Close" goes.
    close: String,
    /// Preselected fulfilment date.
    day: String,
) -> impl IntoView {
    let setup = Resource::new(|| (), |_| phone_order_setup());
    let root = NodeRef::<leptos::html::Aside>::new();
    let navigate = leptos_router::hooks::use_navigate();
    let to = close.clone();
    crate::ui::focus::dialog_keys(root, move || navigate(&to, Default::default()));
    view! {
        <aside class="drawer" role="dialog" aria-modal="true" aria-label=tr("board-new-phone-order") node_ref=root>
            <div class="drawer-head">
                <A href=close attr:class="btn btn-ghost btn-small" attr:aria-label=tr("phone-close")>{format!("✕ {}", tr("close"))}</A>
            </div>
            <h2 class="drawer-title">{tr("board-new-phone-order")}</h2>
            <Suspense fallback=|| view! { <Loading label=tr("phone-loading")/> }>
                {move || {
                    let day = day.clone();
                    Suspend::new(async move {
                        match setup.await {
                            Ok(setup) => view! { <PhoneForm setup day/> }.into_any(),
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </aside>
    }
}

#[component]
fn PhoneForm(setup: PhoneSetup, day: String) -> impl IntoView {
    let lookup = ServerAction::<FindCustomer>::new();
    let quote = ServerAction::<QuotePhoneOrder>::new();
    let form = Form {
        fields: RwSignal::new(empty_fields(&day)),
        touched: RwSignal::new(Vec::new()),
        tried: RwSignal::new(false),
        create: ServerAction::<CreatePhoneOrder>::new(),
        last_quote: RwSignal::new(PhoneQuote::default()),
        cur: StoredValue::new(setup.currency.clone()),
    };
    let Form { fields, create, .. } = form;
    let key = RwSignal::new(crate::ui::browser_key("phone-"));
    let pin = RwSignal::new(None::<(f64, f64)>);
    let products = StoredValue::new(setup.products.clone());
    let day = StoredValue::new(day);
    follow_the_form(form, quote, lookup, pin);
    let problem = move |field: &'static str| form.problem(field.to_string());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.tried.set(true);
        if create.pending().get_untracked() || form.taken().is_some() {
            return;
        }
        create.dispatch(CreatePhoneOrder {
            fields: fields.get_untracked(),
            key: key.get_untracked(),
        });
    };
    let another = move || {
        fields.set(empty_fields(&day.get_value()));
        key.set(crate::ui::browser_key("phone-"));
        form.touched.set(Vec::new());
        form.tried.set(false);
        pin.set(None);
        create.value().set(None);
        lookup.value().set(None);
    };
    let tiles = StoredValue::new(setup.tiles.clone());
    let districts = StoredValue::new(setup.districts.clone());
    view! {
        <Taken form another/>
        <Show when=move || form.taken().is_none()>
            <div class="inline-form">
                <input class="grow" type="tel" placeholder=tr("phone-caller") aria-label=tr("phone-caller")
                    prop:value=move || fields.with(|f| f.phone.clone()) on:input=form.set(|f, v| f.phone = v, "phone")/>
                <button type="button" class="btn" on:click=move |_| { lookup.dispatch(FindCustomer { phone: fields.with_untracked(|f| f.phone.clone()) }); }>
                    {tr("phone-look-up")}
                </button>
            </div>
            {problem("phone")}
            {move || found(lookup)}
            <form class="form" on:submit=submit aria-label=tr("phone-order")>
                <label class="field"><span>{tr("stock-name")}</span>
                    <input required=true prop:value=move || fields.with(|f| f.name.clone()) on:input=form.set(|f, v| f.name = v, "name")/>
                    {problem("name")}
                </label>
                <fields::WhenAndPayment form/>
                <Show when=move || fields.with(|f| f.fulfilment == "delivery")>
                    <label class="field"><span>{tr("sheet-address")}</span>
                        <input autocomplete="street-address" prop:value=move || fields.with(|f| f.address.clone().unwrap_or_default())
                            on:input=form.set(|f, v| f.address = Some(v), "address")/>
                        {problem("address")}
                    </label>
                    <super::drawer::DoorPin pin tiles=tiles.get_value() districts=districts.get_value()/>
                    {problem("pin")}
                </Show>
                <ItemLines form products=products.get_value()/>
                <fields::NotesCodesPoints form/>
                <Total form/>
                // Beside the button too, where the eye is after pressing it.
                {move || fields::not_taken(create)}
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { tr("phone-taking") } else { tr("phone-take") }}
                </button>
            </form>
        </Show>
    }
}

/// What the form does as it changes: the pin writes the coordinates the order is priced and
/// taken with, a found customer fills in the form, and the running total and problems are
/// asked afresh.
fn follow_the_form(
    form: Form,
    quote: ServerAction<QuotePhoneOrder>,
    lookup: ServerAction<FindCustomer>,
    pin: RwSignal<Option<(f64, f64)>>,
) {
    let Form { fields, create, .. } = form;
    Effect::new(move |_| {
        let p = pin.get();
        fields.update(|f| {
            f.lat = p.map(|p| format!("{:.6}", p.0));
            f.lng = p.map(|p| format!("{:.6}", p.1));
        });
    });
    Effect::new(move |_| {
        if let Some(Ok(Some(c))) = lookup.value().get() {
            fields.update(|f| {
                f.name = c.name.clone();
                f.address = c.address.clone();
            });
            if c.pin.is_some() {
                pin.set(c.pin);
            }
        }
    });
    Effect::new(move |_| {
        let f = fields.get();
        // A refusal is about the form as it was: once it changes, the quote speaks.
        if create.value().with_untracked(|v| matches!(v, Some(Err(_)))) {
            create.value().set(None);
        }
        if form.taken().is_none() {
            quote.dispatch(QuotePhoneOrder { fields: f });
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(q)) = quote.value().get() {
            form.last_quote.set(q);
        }
    });
}

/// What the look-up found: a known customer with their district's days, a new one, or why
/// it failed.
fn found(lookup: ServerAction<FindCustomer>) -> Option<AnyView> {
    match lookup.value().get() {
        Some(Ok(Some(c))) => Some(view! {
            <div class="form-ok" role="status">
                <strong>{tr_with("phone-known", &[("name", c.name.clone())])}</strong>
                {c.district.clone().map(|d| view! { <div>{format!("{d} · {}", c.delivery_days.clone().unwrap_or_default())}</div> })}
            </div>
        }.into_any()),
        Some(Ok(None)) => Some(view! { <p class="muted small" role="status">{tr("phone-new-customer")}</p> }.into_any()),
        Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
        None => None,
    }
}
