//! The customer page's "Standing orders" card: each standing order with its next visits
//! (order, moved day, refusal or skip), skip/unskip a date, pause/resume, end; and the form
//! for a new one at the customer's address.
use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{day_text, pattern_label, StandingView};
use super::{ChangeStandingOrder, CreateStandingOrder, StandingForm};
use crate::districts::model::WEEKDAYS;
use crate::money::format_cents;
use crate::orders::phone::{PhoneItem, ProductChoice};
use crate::ui::ErrorNotice;

const ROWS: usize = 4;

#[component]
pub fn StandingPanel(
    customer_id: i64,
    standing: Vec<StandingView>,
    products: Vec<ProductChoice>,
    currency: String,
    create: ServerAction<CreateStandingOrder>,
    change: ServerAction<ChangeStandingOrder>,
) -> impl IntoView {
    let cur = currency.clone();
    let list = if standing.is_empty() {
        view! { <p class="muted">"No standing order. A regular customer's weekly order can be booked here once, and Hearth creates each delivery a fortnight ahead."</p> }.into_any()
    } else {
        standing
            .into_iter()
            .map(|s| view! { <StandingItem s currency=cur.clone() change/> })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card" aria-labelledby="cust-standing">
            <h2 id="cust-standing">"Standing orders"</h2>
            {list}
            {move || change.value().get().map(|r| match r {
                Ok(said) => view! { <p class="notice" role="status">{said}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            <NewStanding customer_id products create/>
        </section>
    }
}

#[component]
fn StandingItem(
    s: StandingView,
    currency: String,
    change: ServerAction<ChangeStandingOrder>,
) -> impl IntoView {
    let id = s.id;
    let items = s
        .items
        .iter()
        .map(|(n, q)| format!("{q} × {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let state = match (s.status.as_str(), &s.paused_until) {
        ("paused", Some(u)) => format!("Paused until {}", day_text(u)),
        ("paused", None) => "Paused".to_string(),
        ("ended", _) => "Ended".to_string(),
        _ => "Active".to_string(),
    };
    let span = match &s.ends_on {
        Some(e) => format!("{} to {}", day_text(&s.starts_on), day_text(e)),
        None => format!("from {}", day_text(&s.starts_on)),
    };
    let alternatives = s.patterns.len() > 1;
    let live = s.status != "ended";
    let paused = s.status == "paused";
    let until = RwSignal::new(String::new());
    let send = move |action: &str, date: Option<String>| {
        change.dispatch(ChangeStandingOrder {
            id,
            action: action.to_string(),
            date,
        });
    };
    let visits = s.visits.clone();
    view! {
        <article class="standing" data-standing=id data-status=s.status.clone()>
            <h3>{format!("S-{id} · {}", s.schedule())} " " <span class="pill pill-info badge">{state}</span></h3>
            <p class="muted small">
                {format!("{items} · {} a visit · {span} · {}", format_cents(s.subtotal_cents, &currency),
                    if s.fulfilment == "pickup" { "pickup".to_string() } else { s.address.clone().unwrap_or_default() })}
                {s.window.clone().map(|w| format!(" · {w}"))}
            </p>
            {alternatives.then(|| view! {
                <p class="muted small">{format!("The customer also accepts {}; \"Plan the fortnight\" may move a week's deliveries there.",
                    s.patterns.iter().skip(1).map(|&p| pattern_label(p)).collect::<Vec<_>>().join(" or "))}</p>
            })}
            {if visits.is_empty() {
                view! { <p class="muted small">"No delivery in the next fortnight."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table standing-visits">
                            <thead><tr><th>"Booked for"</th><th>"Order"</th><th>"Stage"</th><th></th></tr></thead>
                            <tbody>{visits.into_iter().map(|v| {
                                let day = v.day.clone();
                                let skippable = live && !v.skipped && v.order.as_ref().is_none_or(|o| o.3 == "received" || o.3 == "confirmed");
                                let (order, stage) = match (&v.order, &v.refusal, v.skipped) {
                                    (_, _, true) => (view! { <span class="muted">"Skipped"</span> }.into_any(), String::new()),
                                    (Some((oid, n, d, st)), _, _) => {
                                        let moved = (*d != v.day).then(|| format!(" (moved to {})", day_text(d)));
                                        (view! { <span><A href=format!("/orders?day={d}&order={oid}")>{format!("#{n}")}</A>{moved}</span> }.into_any(),
                                            crate::orders::model::OrderStatus::parse(st).map(|s| s.label().to_string()).unwrap_or_else(|_| st.clone()))
                                    }
                                    (None, Some(r), _) => (view! { <span class="form-error">{r.clone()}</span> }.into_any(), String::new()),
                                    (None, None, _) => (view! { <span class="muted">"—"</span> }.into_any(), String::new()),
                                };
                                let skipped = v.skipped;
                                let (d1, d2) = (day.clone(), day.clone());
                                view! {
                                    <tr data-day=day.clone()>
                                        <td>{day_text(&day)}</td>
                                        <td>{order}</td>
                                        <td>{stage}</td>
                                        <td>
                                            {skippable.then(|| view! { <button class="btn btn-small" on:click=move |_| send("skip", Some(d1.clone()))>"Skip"</button> })}
                                            {(live && skipped).then(|| view! { <button class="btn btn-small" on:click=move |_| send("unskip", Some(d2.clone()))>"Deliver after all"</button> })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {live.then(|| view! {
                <div class="row-actions">
                    {if paused {
                        view! { <button class="btn" on:click=move |_| send("resume", None)>"Resume"</button> }.into_any()
                    } else {
                        view! {
                            <label class="check">"Pause until "
                                <input type="date" class="date-input" aria-label="First day it delivers again (empty: until resumed)"
                                    prop:value=move || until.get() on:change=move |ev| until.set(event_target_value(&ev))/>
                            </label>
                            <button class="btn" on:click=move |_| send("pause", Some(until.get_untracked()))>"Pause"</button>
                        }.into_any()
                    }}
                    <button class="btn btn-danger" on:click=move |_| {
                        #[cfg(feature = "hydrate")]
                        {
                            let ok = web_sys::window().and_then(|w| w.confirm_with_message("End this standing order? The deliveries created ahead are cancelled.").ok()).unwrap_or(false);
                            if ok { send("end", None) }
                        }
                    }>"End"</button>
                </div>
            })}
        </article>
    }
}

#[component]
fn NewStanding(
    customer_id: i64,
    products: Vec<ProductChoice>,
    create: ServerAction<CreateStandingOrder>,
) -> impl IntoView {
    let blank = || StandingForm {
        items: vec![
            PhoneItem {
                sku: String::new(),
                quantity: "1".into()
            };
            ROWS
        ],
        fulfilment: "delivery".into(),
        payment: "cod".into(),
        ..Default::default()
    };
    let form = RwSignal::new(blank());
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            form.set(blank());
        }
    });
    let toggle = move |alt: bool, d: u8| {
        form.update(|f| {
            let days = if alt { &mut f.alt_days } else { &mut f.days };
            if let Some(i) = days.iter().position(|&x| x == d) {
                days.remove(i);
            } else {
                days.push(d);
                days.sort();
            }
        })
    };
    let weekdays = move |alt: bool| {
        (0..7u8)
            .map(|d| {
                let name = WEEKDAYS[d as usize];
                view! {
                    <label class="check">
                        <input type="checkbox" name=if alt { "alt_days" } else { "days" } value=d
                            prop:checked=move || form.with(|f| if alt { f.alt_days.contains(&d) } else { f.days.contains(&d) })
                            on:change=move |_| toggle(alt, d)/>
                        {name}
                    </label>
                }
            })
            .collect_view()
    };
    let products = StoredValue::new(products);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateStandingOrder {
            customer_id,
            form: form.get_untracked(),
        });
    };
    view! {
        <details class="new-standing">
            <summary class="btn">"New standing order"</summary>
            <form class="form" aria-label="New standing order" on:submit=submit>
                <fieldset class="standing-items">
                    <legend>"Items, every delivery"</legend>
                    {(0..ROWS).map(|i| view! {
                        <div class="form-row">
                            <select aria-label=format!("Item {}", i + 1) name=format!("sku{i}")
                                prop:value=move || form.with(|f| f.items[i].sku.clone())
                                on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.items[i].sku = v); }>
                                <option value="">"—"</option>
                                {products.with_value(|ps| ps.iter().map(|p| view! { <option value=p.sku.clone()>{p.name.clone()}</option> }).collect_view())}
                            </select>
                            <input type="number" min="1" max="99" aria-label=format!("Quantity {}", i + 1) name=format!("qty{i}")
                                prop:value=move || form.with(|f| f.items[i].quantity.clone())
                                on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.items[i].quantity = v); }/>
                        </div>
                    }).collect_view()}
                </fieldset>
                <fieldset class="weekdays">
                    <legend>"Delivered on (each week)"</legend>
                    {weekdays(false)}
                </fieldset>
                <fieldset class="weekdays">
                    <legend>"Or, if it suits the runs better (optional, as many days)"</legend>
                    {weekdays(true)}
                </fieldset>
                <div class="form-row">
                    <label class="field"><span>"Starts on"</span><input type="date" name="starts_on" required=true prop:value=move || form.with(|f| f.starts_on.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.starts_on = v); }/></label>
                    <label class="field"><span>"Ends on (optional)"</span><input type="date" name="ends_on" prop:value=move || form.with(|f| f.ends_on.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.ends_on = v); }/></label>
                </div>
                <div class="form-grid form">
                    <label class="field"><span>"Delivery or pickup"</span>
                        <select prop:value=move || form.with(|f| f.fulfilment.clone()) on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.fulfilment = v); }>
                            <option value="delivery">"Delivery to their address"</option>
                            <option value="pickup">"Pickup at the bakery"</option>
                        </select>
                    </label>
                    <label class="field"><span>"Window or pickup time (optional)"</span><input name="window" placeholder="08:00-10:00" prop:value=move || form.with(|f| f.window.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.window = v); }/></label>
                    <label class="field"><span>"Payment"</span>
                        <select prop:value=move || form.with(|f| f.payment.clone()) on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.payment = v); }>
                            <option value="cod">"Cash on delivery"</option>
                            <option value="prepaid">"Prepaid"</option>
                            <option value="pay_at_pickup">"Pay at pickup"</option>
                        </select>
                    </label>
                </div>
                <label class="field"><span>"Notes for every delivery"</span><input name="notes" prop:value=move || form.with(|f| f.notes.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.notes = v); }/></label>
                {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                <div class="form-actions"><button class="btn btn-primary" type="submit" disabled=move || create.pending().get()>"Book the standing order"</button></div>
            </form>
        </details>
    }
}
