//! The "New phone order" drawer on the board: look the caller up, read them the running total
//! and their district's delivery days, pin the door, take the order once.
use leptos::prelude::*;
use leptos_router::components::A;

use super::phone::{
    phone_order_setup, CreatePhoneOrder, FindCustomer, PhoneFields, PhoneItem, PhoneQuote,
    PhoneSetup, QuotePhoneOrder,
};
use crate::ui::{ErrorNotice, Loading};
use crate::words::{money as format_cents, tr, tr_with};

/// Lines offered in the form; empty ones are ignored.
const ROWS: usize = 5;

/// Fields that show their own problems beside them.
const FORM_FIELDS: [&str; 10] = [
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

/// The windows offered when the district's day sets none.
const COMMON_WINDOWS: [&str; 4] = ["09:00-11:00", "11:00-13:00", "16:00-18:00", "18:00-20:00"];

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
    let create = ServerAction::<CreatePhoneOrder>::new();
    let lookup = ServerAction::<FindCustomer>::new();
    let quote = ServerAction::<QuotePhoneOrder>::new();
    let fields = RwSignal::new(empty_fields(&day));
    let key = RwSignal::new(crate::ui::browser_key("phone-"));
    // Fields the caller has answered: their problems show as they type; all show once
    // "Take order" was pressed.
    let touched = RwSignal::new(Vec::<String>::new());
    let tried = RwSignal::new(false);
    let pin = RwSignal::new(None::<(f64, f64)>);
    let cur = StoredValue::new(setup.currency.clone());
    let products = StoredValue::new(setup.products.clone());
    let day = StoredValue::new(day);
    // The order taken by this form: the form is locked until "Take another order".
    let taken = move || create.value().get().and_then(Result::ok);
    let set = move |f: fn(&mut PhoneFields, String), name: &'static str| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            fields.update(|x| f(x, v));
            touched.update(|t| {
                if !t.iter().any(|x| x == name) {
                    t.push(name.to_string())
                }
            });
        }
    };
    // The pin writes the coordinates the order is priced and taken with.
    Effect::new(move |_| {
        let p = pin.get();
        fields.update(|f| {
            f.lat = p.map(|p| format!("{:.6}", p.0));
            f.lng = p.map(|p| format!("{:.6}", p.1));
        });
    });
    // A found customer fills in the form.
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
    // The running total and the problems, asked afresh as the form changes.
    Effect::new(move |_| {
        let f = fields.get();
        // A refusal is about the form as it was: once it changes, the quote speaks.
        if create.value().with_untracked(|v| matches!(v, Some(Err(_)))) {
            create.value().set(None);
        }
        if taken().is_none() {
            quote.dispatch(QuotePhoneOrder { fields: f });
        }
    });
    let last_quote = RwSignal::new(PhoneQuote::default());
    Effect::new(move |_| {
        if let Some(Ok(q)) = quote.value().get() {
            last_quote.set(q);
        }
    });
    let problem = move |field: &'static str| {
        move || {
            let shown = tried.get() || touched.with(|t| t.iter().any(|x| x == field));
            let submit_error = create.value().with(|v| match v {
                Some(Err(crate::error::AppError::Validation { field: f, message }))
                    if f == field =>
                {
                    Some(message.clone())
                }
                _ => None,
            });
            submit_error
                .or_else(|| {
                    shown
                        .then(|| {
                            last_quote.with(|q| {
                                q.problems
                                    .iter()
                                    .filter(|(f, _)| {
                                        f == field || (field == "items" && f.starts_with("items"))
                                    })
                                    .map(|(_, m)| m.clone())
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                        })
                        .filter(|m| !m.is_empty())
                })
                .map(|m| view! { <span class="field-error" role="alert">{m}</span> })
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if create.pending().get_untracked() || taken().is_some() {
            return;
        }
        create.dispatch(CreatePhoneOrder {
            fields: fields.get_untracked(),
            key: key.get_untracked(),
        });
    };
    let another = move |_| {
        fields.set(empty_fields(&day.get_value()));
        key.set(crate::ui::browser_key("phone-"));
        touched.set(Vec::new());
        tried.set(false);
        pin.set(None);
        create.value().set(None);
        lookup.value().set(None);
    };
    let success = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if taken().is_some() {
            if let Some(el) = success.get() {
                let _ = el.focus();
            }
        }
    });
    let found = move || {
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
    };
    let money = move |c: i64| cur.with_value(|cur| format_cents(c, cur));
    let total_line = move || {
        let q = last_quote.get();
        let delivery = fields.with(|f| f.fulfilment == "delivery");
        view! {
            <div class="phone-total" data-testid="phone-total" aria-live="polite">
                <span>{format!("{} {}", tr("phone-items"), money(q.subtotal_cents))}</span>
                {delivery.then(|| view! { <span>{format!("{} {}", tr("delivery"), money(q.fee_cents))}</span> })}
                {q.discounts.iter().map(|(name, cents)| view! {
                    <span class="discount">{format!("{name} −{}", money(*cents))}</span>
                }).collect_view()}
                <strong>{format!("{} {}", tr("total"), money(q.total_cents))}</strong>
                {q.district.clone().map(|d| view! { <span class="muted small">{d}</span> })}
                {(!q.next_dates.is_empty()).then(|| view! {
                    <span class="muted small next-dates">{format!("{} ", tr("phone-next-possible"))}
                        {q.next_dates.iter().map(|d| {
                            let day = d.clone();
                            view! {
                                <button type="button" class="btn btn-small btn-ghost"
                                    on:click=move |_| fields.update(|f| f.date = day.clone())>
                                    {crate::words::day(d, "date-short-year")}
                                </button>
                            }
                        }).collect_view()}
                    </span>
                })}
            </div>
        }
    };
    // The district's windows for the day once the pin and day are known; until then (or on a
    // day that offers none) the usual two-hour windows. A chosen window stays listed so its
    // refusal can be read.
    let window_options = move || {
        let offered = last_quote.with(|q| q.windows.clone());
        let mut list = if offered.is_empty() {
            COMMON_WINDOWS.iter().map(|w| w.to_string()).collect()
        } else {
            offered
        };
        if let Some(w) = fields.with(|f| f.window.clone()) {
            if !list.contains(&w) {
                list.push(w);
            }
        }
        let chosen = fields.with(|f| f.window.clone().unwrap_or_default());
        std::iter::once(
            view! { <option value="" selected=chosen.is_empty()>{tr("phone-any-time")}</option> }
                .into_any(),
        )
        .chain(list.into_iter().map(|w| {
            let label = w.replace('-', "–");
            let selected = w == chosen;
            view! { <option value=w selected=selected>{label}</option> }.into_any()
        }))
        .collect_view()
    };
    let tiles = StoredValue::new(setup.tiles.clone());
    let districts = StoredValue::new(setup.districts.clone());
    view! {
        <div class="phone-taken" node_ref=success tabindex="-1">
            {move || taken().map(|n| view! {
                <div class="form-ok phone-done" role="status">
                    <strong>{tr_with("phone-taken", &[("number", n.to_string())])}</strong>
                    <span>{fields.with(|f| format!("{} · {} · {}", f.name,
                        if f.fulfilment == "pickup" { tr("pickup").to_lowercase() } else { tr("delivery").to_lowercase() },
                        crate::words::day(&f.date, "date-short-year")))}</span>
                    <span>{move || format!("{} {}", tr("total"), money(last_quote.with(|q| q.total_cents)))}</span>
                    <div class="runs-buttons">
                        <button type="button" class="btn btn-primary" on:click=another>{tr("phone-another")}</button>
                        <a class="btn" href=fields.with(|f| format!("/orders?day={}&q=%23{n}", f.date))>{tr("phone-show-on-board")}</a>
                    </div>
                </div>
            })}
        </div>
        <Show when=move || taken().is_none()>
            <div class="inline-form">
                <input class="grow" type="tel" placeholder=tr("phone-caller") aria-label=tr("phone-caller")
                    prop:value=move || fields.with(|f| f.phone.clone()) on:input=set(|f, v| f.phone = v, "phone")/>
                <button type="button" class="btn" on:click=move |_| { lookup.dispatch(FindCustomer { phone: fields.with_untracked(|f| f.phone.clone()) }); }>
                    {tr("phone-look-up")}
                </button>
            </div>
            {problem("phone")}
            {found}
            <form class="form" on:submit=submit aria-label=tr("phone-order")>
                <label class="field"><span>{tr("stock-name")}</span>
                    <input required=true prop:value=move || fields.with(|f| f.name.clone()) on:input=set(|f, v| f.name = v, "name")/>
                    {problem("name")}
                </label>
                <div class="form-row">
                    <label class="field"><span>{tr("fulfilment")}</span>
                        <select prop:value=move || fields.with(|f| f.fulfilment.clone()) on:change=set(|f, v| f.fulfilment = v, "fulfilment")>
                            <option value="delivery">{tr("delivery")}</option><option value="pickup">{tr("pickup")}</option>
                        </select>
                    </label>
                    <label class="field"><span>{tr("phone-date")}</span>
                        <input type="date" required=true prop:value=move || fields.with(|f| f.date.clone()) on:change=set(|f, v| f.date = v, "date")/>
                        {problem("date")}
                    </label>
                    <label class="field"><span>{tr("phone-flex-to")}</span>
                        <input type="date" aria-describedby="flex-help" prop:value=move || fields.with(|f| f.flex_to.clone().unwrap_or_default())
                            on:change=set(|f, v| f.flex_to = Some(v).filter(|v| !v.is_empty()), "flex_to")/>
                        {problem("flex_to")}
                    </label>
                </div>
                <p class="muted small" id="flex-help">{tr("phone-flex-help")}</p>
                <div class="form-row">
                    <label class="field"><span>{tr("drawer-window")}</span>
                        <select prop:value=move || fields.with(|f| f.window.clone().unwrap_or_default()) on:change=set(|f, v| f.window = Some(v).filter(|v| !v.is_empty()), "window")>
                            {window_options}
                        </select>
                        {problem("window")}
                    </label>
                    <label class="field"><span>{tr("payment")}</span>
                        <select prop:value=move || fields.with(|f| f.payment.clone()) on:change=set(|f, v| f.payment = v, "payment")>
                            <option value="cod">{tr("payment-cod")}</option>
                            <option value="prepaid">{tr("payment-prepaid")}</option>
                            <option value="pay_at_pickup">{tr("payment-pay_at_pickup")}</option>
                        </select>
                        {problem("payment")}
                    </label>
                </div>
                <Show when=move || fields.with(|f| f.fulfilment == "delivery")>
                    <label class="field"><span>{tr("sheet-address")}</span>
                        <input autocomplete="street-address" prop:value=move || fields.with(|f| f.address.clone().unwrap_or_default())
                            on:input=set(|f, v| f.address = Some(v), "address")/>
                        {problem("address")}
                    </label>
                    <super::drawer::DoorPin pin tiles=tiles.get_value() districts=districts.get_value()/>
                    {problem("pin")}
                </Show>
                <fieldset class="lines">
                    <legend>{tr("phone-items")}</legend>
                    {(0..ROWS).map(|i| {
                        let options = products.with_value(|ps| ps.iter().map(|p| view! {
                            <option value=p.sku.clone()>{format!("{} · {}", p.name, cur.with_value(|c| format_cents(p.price_cents, c)))}</option>
                        }).collect_view());
                        let row_problem = move || {
                            let field = format!("items[{i}]");
                            let shown = tried.get() || touched.with(|t| t.contains(&field));
                            let refused = create.value().with(|v| match v {
                                Some(Err(e)) if e.field() == Some(field.as_str()) => Some(e.to_string()),
                                _ => None,
                            });
                            refused.or_else(|| shown.then(|| last_quote.with(|q| q.problems.iter().filter(|(f, _)| *f == field).map(|(_, m)| m.clone()).collect::<Vec<_>>().join(" ")))
                                .filter(|m| !m.is_empty()))
                                .map(|m| view! { <span class="field-error" role="alert">{m}</span> })
                        };
                        let touch = move || touched.update(|t| { let f = format!("items[{i}]"); if !t.contains(&f) { t.push(f) } });
                        view! {
                            <div class="line">
                                <select aria-label=tr_with("phone-product-n", &[("n", (i + 1).to_string())])
                                    prop:value=move || fields.with(|f| f.items[i].sku.clone())
                                    on:change=move |ev| { let v = event_target_value(&ev); fields.update(|f| f.items[i].sku = v); touch(); }>
                                    <option value="">"—"</option>
                                    {options}
                                </select>
                                <input type="number" min="1" max="99" aria-label=tr_with("phone-quantity-n", &[("n", (i + 1).to_string())])
                                    prop:value=move || fields.with(|f| f.items[i].quantity.clone())
                                    on:input=move |ev| { let v = event_target_value(&ev); fields.update(|f| f.items[i].quantity = v); touch(); }/>
                                {row_problem}
                            </div>
                        }
                    }).collect_view()}
                    {problem("items")}
                </fieldset>
                <label class="field"><span>{tr("drawer-notes")}</span>
                    <input prop:value=move || fields.with(|f| f.notes.clone().unwrap_or_default()) on:input=set(|f, v| f.notes = Some(v).filter(|v| !v.is_empty()), "notes")/>
                </label>
                <label class="field"><span>{tr("phone-promo-code")}</span>
                    <input name="promo_code" autocomplete="off" prop:value=move || fields.with(|f| f.promo_code.clone().unwrap_or_default()) on:input=set(|f, v| f.promo_code = Some(v).filter(|v| !v.trim().is_empty()), "promo_code")/>
                    {problem("promo_code")}
                </label>
                {total_line}
                // Beside the button too, where the eye is after pressing it: the full reason
                // when no field shows it, else a pointer to the field that does.
                {move || create.value().get().and_then(Result::err).map(|e| {
                    let text = match e.field() {
                        Some(f) if FORM_FIELDS.iter().any(|x| f == *x || f.starts_with("items[")) => {
                            tr_with("phone-not-taken", &[("field", field_label(f))])
                        }
                        _ => e.to_string(),
                    };
                    view! { <p class="form-error" role="status">{text}</p> }
                })}
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { tr("phone-taking") } else { tr("phone-take") }}
                </button>
            </form>
        </Show>
    }
}
