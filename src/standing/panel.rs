//! The customer page's "Standing orders" card: each standing order with its next visits
//! (order, moved day, refusal or skip), skip/unskip a date, pause/resume, change its items,
//! end; and the form for a new one at the customer's address.
use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{day_words as day_text, pattern_words, state_words, Place, StandingView};
use super::terms_panel::{Schedule, TermsEditor};
use super::{ChangeStandingOrder, ChangeStandingTerms, CreateStandingOrder, StandingForm};
use crate::orders::phone::{PhoneItem, ProductChoice};
use crate::ui::ErrorNotice;
use crate::words::{money as format_cents, tr, tr_with};

const ROWS: usize = 4;

#[component]
pub fn StandingPanel(
    customer_id: i64,
    standing: Vec<StandingView>,
    products: Vec<ProductChoice>,
    currency: String,
    create: ServerAction<CreateStandingOrder>,
    change: ServerAction<ChangeStandingOrder>,
    terms: ServerAction<ChangeStandingTerms>,
    places: Vec<Place>,
) -> impl IntoView {
    let cur = currency.clone();
    let choices = StoredValue::new(products.clone());
    let places = StoredValue::new(places);
    let list = if standing.is_empty() {
        view! { <p class="muted">{tr("standing-none")}</p> }.into_any()
    } else {
        standing
            .into_iter()
            .map(|s| view! { <StandingItem s currency=cur.clone() change terms products=choices places/> })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card" aria-labelledby="cust-standing">
            <h2 id="cust-standing">{tr("cust-standing")}</h2>
            {list}
            {move || change.value().get().map(|r| match r {
                Ok(said) => view! { <p class="notice" role="status">{said}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || terms.value().get().and_then(Result::ok).map(|said| view! { <p class="notice" role="status">{said}</p> })}
            <NewStanding customer_id products create/>
        </section>
    }
}

#[component]
fn StandingItem(
    s: StandingView,
    currency: String,
    change: ServerAction<ChangeStandingOrder>,
    terms: ServerAction<ChangeStandingTerms>,
    products: StoredValue<Vec<ProductChoice>>,
    places: StoredValue<Vec<Place>>,
) -> impl IntoView {
    let id = s.id;
    let editable = s.clone();
    let items = s
        .items
        .iter()
        .map(|(n, q)| format!("{q} × {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let state = state_words(&s.status, s.paused_until.as_deref());
    let span = match &s.ends_on {
        Some(e) => tr_with(
            "standing-from-to",
            &[("from", day_text(&s.starts_on)), ("to", day_text(e))],
        ),
        None => tr_with("standing-from", &[("from", day_text(&s.starts_on))]),
    };
    let alternatives = s.patterns.len() > 1;
    let live = s.status != "ended";
    let paused = s.status == "paused";
    let visits = s.visits.clone();
    let lines: Vec<PhoneItem> = s
        .skus
        .iter()
        .zip(&s.items)
        .map(|(sku, (_, q))| PhoneItem {
            sku: sku.clone(),
            quantity: q.to_string(),
        })
        .collect();
    view! {
        <article class="standing" data-standing=id data-status=s.status.clone()>
            <h3>{format!("S-{id} · {}", s.schedule_words())} " " <span class="pill pill-info badge">{state}</span></h3>
            <p class="muted small">
                {format!("{items} · {} · {span} · {}", tr_with("standing-a-visit", &[("amount", format_cents(s.subtotal_cents, &currency))]),
                    if s.fulfilment == "pickup" { tr("pickup").to_lowercase() } else { s.address.clone().unwrap_or_default() })}
                {s.window.clone().map(|w| format!(" · {w}"))}
            </p>
            {alternatives.then(|| view! {
                <p class="muted small">{tr_with("standing-also-accepts", &[("days",
                    s.patterns.iter().skip(1).map(|&p| pattern_words(p)).collect::<Vec<_>>().join(&format!(" {} ", tr("standing-or"))))])}</p>
            })}
            <Visits visits id live change/>
            {live.then(|| view! { <ItemsEditor id lines=lines.clone() products change/> })}
            {live.then(|| view! { <TermsEditor s=editable.clone() places terms/> })}
            {live.then(|| view! { <PauseResumeEnd id paused change/> })}
        </article>
    }
}

/// What the panel's buttons call: one change of standing order `id` (an action, with a date
/// for those that take one).
fn sender(
    id: i64,
    change: ServerAction<ChangeStandingOrder>,
) -> impl Fn(&str, Option<String>) + Copy + Send + Sync + 'static {
    move |action: &str, date: Option<String>| {
        change.dispatch(ChangeStandingOrder {
            id,
            action: action.to_string(),
            date,
            items: Vec::new(),
        });
    }
}

/// Pause until a date or resume, and end (asked first).
#[component]
fn PauseResumeEnd(
    id: i64,
    paused: bool,
    change: ServerAction<ChangeStandingOrder>,
) -> impl IntoView {
    let until = RwSignal::new(String::new());
    let send = sender(id, change);
    view! {
        <div class="row-actions">
            {if paused {
                view! { <button class="btn" on:click=move |_| send("resume", None)>{tr("standing-resume")}</button> }.into_any()
            } else {
                view! {
                    <label class="check">{format!("{} ", tr("standing-pause-until"))}
                        <input type="date" class="date-input" aria-label=tr("standing-pause-until-label")
                            prop:value=move || until.get() on:change=move |ev| until.set(event_target_value(&ev))/>
                    </label>
                    <button class="btn" on:click=move |_| send("pause", Some(until.get_untracked()))>{tr("standing-pause")}</button>
                }.into_any()
            }}
            <button class="btn btn-danger" on:click=move |_| {
                #[cfg(feature = "hydrate")]
                {
                    let ok = web_sys::window().and_then(|w| w.confirm_with_message(&tr("standing-end-confirm")).ok()).unwrap_or(false);
                    if ok { send("end", None) }
                }
            }>{tr("standing-end")}</button>
        </div>
    }
}

/// Item rows: a product and its quantity each ("—" leaves a row out).
#[component]
fn ItemRows(
    items: RwSignal<Vec<PhoneItem>>,
    products: StoredValue<Vec<ProductChoice>>,
) -> impl IntoView {
    let rows = items.with_untracked(Vec::len);
    (0..rows)
        .map(|i| view! {
            <div class="form-row">
                <select aria-label=tr_with("standing-item-n", &[("n", (i + 1).to_string())]) name=format!("sku{i}")
                    prop:value=move || items.with(|f| f[i].sku.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); items.update(|f| f[i].sku = v); }>
                    <option value="">"—"</option>
                    {products.with_value(|ps| ps.iter().map(|p| view! { <option value=p.sku.clone()>{p.name.clone()}</option> }).collect_view())}
                </select>
                <input type="number" min="1" max="99" aria-label=tr_with("phone-quantity-n", &[("n", (i + 1).to_string())]) name=format!("qty{i}")
                    prop:value=move || items.with(|f| f[i].quantity.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); items.update(|f| f[i].quantity = v); }/>
            </div>
        })
        .collect_view()
}

/// "Change items": the standing order's lines (and empty rows to add more), saved for every
/// delivery from tomorrow.
#[component]
fn ItemsEditor(
    id: i64,
    lines: Vec<PhoneItem>,
    products: StoredValue<Vec<ProductChoice>>,
    change: ServerAction<ChangeStandingOrder>,
) -> impl IntoView {
    let rows = lines.len().max(ROWS);
    let mut start = lines;
    start.resize(
        rows,
        PhoneItem {
            sku: String::new(),
            quantity: "1".into(),
        },
    );
    let form = RwSignal::new(start);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(ChangeStandingOrder {
            id,
            action: "items".into(),
            date: None,
            items: form.get_untracked(),
        });
    };
    let label = tr_with("standing-change-items-of", &[("id", id.to_string())]);
    view! {
        <details class="standing-edit">
            <summary class="btn btn-small">{tr("standing-change-items")}</summary>
            <form class="form" aria-label=label on:submit=submit>
                <fieldset class="standing-items">
                    <legend>{tr("standing-items")}</legend>
                    <p class="muted small">{tr("standing-items-help")}</p>
                    <ItemRows items=form products/>
                </fieldset>
                <div class="form-actions"><button class="btn btn-primary" type="submit" disabled=move || change.pending().get()>{tr("standing-save-items")}</button></div>
            </form>
        </details>
    }
}

/// The next visits: the day, its order (or why none was made, or skipped), its stage, and
/// Skip / Book again.
#[component]
fn Visits(
    visits: Vec<super::model::VisitView>,
    id: i64,
    live: bool,
    change: ServerAction<ChangeStandingOrder>,
) -> impl IntoView {
    let send = sender(id, change);
    view! {
    {if visits.is_empty() {
        view! { <p class="muted small">{tr("standing-no-delivery")}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="table standing-visits">
                    <thead><tr><th>{tr("standing-booked-for")}</th><th>{tr("driver-order")}</th><th>{tr("card-stage")}</th><th></th></tr></thead>
                    <tbody>{visits.into_iter().map(|v| {
                        let day = v.day.clone();
                        let skippable = live && !v.skipped && v.order.as_ref().is_none_or(|o| o.3 == "received" || o.3 == "confirmed");
                        let (order, stage) = match (&v.order, &v.refusal, v.skipped) {
                            (_, _, true) => (view! { <span class="muted">{tr("standing-skipped")}</span> }.into_any(), String::new()),
                            (Some((oid, n, d, st)), _, _) => {
                                let moved = (*d != v.day).then(|| format!(" ({})", tr_with("standing-moved-to", &[("day", day_text(d))])));
                                (view! { <span><A href=format!("/orders?day={d}&order={oid}")>{format!("#{n}")}</A>{moved}</span> }.into_any(),
                                    crate::orders::model::OrderStatus::parse(st).map(|s| s.word()).unwrap_or_else(|_| st.clone()))
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
                                    {skippable.then(|| view! { <button class="btn btn-small" on:click=move |_| send("skip", Some(d1.clone()))>{tr("standing-skip")}</button> })}
                                    {(live && skipped).then(|| view! { <button class="btn btn-small" on:click=move |_| send("unskip", Some(d2.clone()))>{tr("standing-unskip")}</button> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            </div>
        }.into_any()
    }}
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
    let lines = RwSignal::new(blank().items);
    let (days, alt_days) = (RwSignal::new(Vec::new()), RwSignal::new(Vec::new()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            form.set(blank());
            lines.set(blank().items);
            days.set(Vec::new());
            alt_days.set(Vec::new());
        }
    });
    let products = StoredValue::new(products);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut form = form.get_untracked();
        form.items = lines.get_untracked();
        form.days = days.get_untracked();
        form.alt_days = alt_days.get_untracked();
        create.dispatch(CreateStandingOrder { customer_id, form });
    };
    view! {
        <details class="new-standing">
            <summary class="btn">{tr("standing-new")}</summary>
            <form class="form" aria-label=tr("standing-new") on:submit=submit>
                <fieldset class="standing-items">
                    <legend>{tr("standing-items")}</legend>
                    <ItemRows items=lines products/>
                </fieldset>
                <Schedule days alt_days/>
                <div class="form-row">
                    <label class="field"><span>{tr("standing-starts-on")}</span><input type="date" name="starts_on" required=true prop:value=move || form.with(|f| f.starts_on.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.starts_on = v); }/></label>
                    <label class="field"><span>{tr("standing-ends-on")}</span><input type="date" name="ends_on" prop:value=move || form.with(|f| f.ends_on.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.ends_on = v); }/></label>
                </div>
                <div class="form-grid form">
                    <label class="field"><span>{tr("standing-delivery-or-pickup")}</span>
                        <select prop:value=move || form.with(|f| f.fulfilment.clone()) on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.fulfilment = v); }>
                            <option value="delivery">{tr("standing-to-address")}</option>
                            <option value="pickup">{tr("drawer-pickup")}</option>
                        </select>
                    </label>
                    <label class="field"><span>{tr("standing-window")}</span><input name="window" placeholder="08:00-10:00" prop:value=move || form.with(|f| f.window.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.window = v); }/></label>
                    <label class="field"><span>{tr("payment")}</span>
                        <select prop:value=move || form.with(|f| f.payment.clone()) on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.payment = v); }>
                            <option value="cod">{tr("payment-cod")}</option>
                            <option value="prepaid">{tr("payment-prepaid")}</option>
                            <option value="pay_at_pickup">{tr("payment-pay_at_pickup")}</option>
                        </select>
                    </label>
                </div>
                <label class="field"><span>{tr("standing-notes")}</span><input name="notes" prop:value=move || form.with(|f| f.notes.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.notes = v); }/></label>
                {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                <div class="form-actions"><button class="btn btn-primary" type="submit" disabled=move || create.pending().get()>{tr("standing-book")}</button></div>
            </form>
        </details>
    }
}
