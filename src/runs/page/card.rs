//! One run's card on the runs page: totals and cost against the platform, its stops in order
//! (drag to reorder or move between runs, lock), cash handed over, and a sign-in link for
//! its driver.
use leptos::prelude::*;

use super::Actions;
use crate::runs::api::{LockStop, MarkCashHanded, ReorderRun};
use crate::runs::model::{Run, RunStop};
use crate::words::{money, number, tr, tr_count, tr_with};

/// The (order id, run id) a dragged stop carries.
#[cfg(feature = "hydrate")]
fn dragged(ev: &leptos::ev::DragEvent) -> Option<(i64, i64)> {
    let data = ev.data_transfer()?.get_data("text/plain").ok()?;
    let (order, run) = data.split_once(':')?;
    Some((order.parse().ok()?, run.parse().ok()?))
}

/// Where a stop dropped on the stop `on` goes: before it (it takes that place) unless dropped
/// on its lower third, then after it (before `next`, or last).
#[cfg(feature = "hydrate")]
fn drop_before(ev: &leptos::ev::DragEvent, on: i64, next: Option<i64>) -> Option<i64> {
    use wasm_bindgen::JsCast;
    let upper = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| {
            let r = el.get_bounding_client_rect();
            (ev.client_y() as f64) < r.top() + r.height() * 2.0 / 3.0
        })
        .unwrap_or(true);
    if upper {
        Some(on)
    } else {
        next
    }
}

/// A run's stops in order, and the two ways to change it: place a (dragged) stop before
/// another, or swap neighbours. Each asks the server to store the new order.
#[derive(Clone, Copy)]
struct Order {
    run_id: i64,
    ids: StoredValue<Vec<i64>>,
    actions: Actions,
}

impl Order {
    /// This run's stops with `order` placed before the stop `before` (or last); `order` may
    /// come from another run.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn place(self, order: i64, before: Option<i64>) {
        let mut list = self.ids.get_value();
        list.retain(|&x| x != order);
        let at = before
            .and_then(|b| list.iter().position(|&x| x == b))
            .unwrap_or(list.len());
        list.insert(at, order);
        self.store(list);
    }

    /// Swaps stop `i` with stop `j` (the ↑ and ↓ buttons).
    fn shift(self, i: usize, j: usize) {
        let mut list = self.ids.get_value();
        if i < list.len() && j < list.len() {
            list.swap(i, j);
            self.store(list);
        }
    }

    fn store(self, order_ids: Vec<i64>) {
        self.actions.reorder.dispatch(ReorderRun {
            run_id: self.run_id,
            order_ids,
        });
    }
}

/// One run: totals, cost against the platform, and its stops in order.
#[component]
pub(super) fn RunCard(
    run: Run,
    colour: &'static str,
    currency: String,
    actions: Actions,
) -> impl IntoView {
    let run_id = run.id;
    let order = Order {
        run_id,
        ids: StoredValue::new(run.stops.iter().map(|s| s.order_id).collect()),
        actions,
    };
    let stops = run
        .stops
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let next = run.stops.get(i + 1).map(|n| n.order_id);
            view! { <StopRow stop=s.clone() i next last=next.is_none() colour currency=currency.clone() order/> }
        })
        .collect_view();
    let on_drop_end = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some((dropped, from_run)) = dragged(&ev) {
            if from_run != run_id || order.ids.with_value(|l| l.last() != Some(&dropped)) {
                order.place(dropped, None);
            }
        }
    };
    let per_order = run.cost_per_order_cents();
    let third_avg = if run.stops.is_empty() {
        0
    } else {
        run.third_party_cents() / run.stops.len() as i64
    };
    let cod_run = run.stops.iter().any(|s| s.cod_cents > 0);
    let cash_line = (run.published && cod_run)
        .then(|| view! { <CashLine run=run.clone() currency=currency.clone() actions/> });
    let hm = |m: i64| format!("{} h {:02} min", m / 60, m % 60);
    let hours = tr_with(
        "runs-hours",
        &[
            ("working", hm(run.working_min)),
            ("out", hm(run.duration_min)),
        ],
    );
    view! {
        <section class="card run-card" data-testid="run" data-run=run.id.to_string()>
            <header class="run-head">
                <span class="run-chip" style=format!("background:{colour}")></span>
                <h2>{run.driver.clone()}</h2>
                <span class={if run.published { "pill pill-ok" } else { "pill" }}>{if run.published { tr("runs-published") } else { tr("runs-draft") }}</span>
                <a class="btn btn-small btn-ghost" href=format!("/runs/{}/sheet", run.id) target="_blank" rel="noopener">{tr("runs-run-sheet")}</a>
            </header>
            {run.published.then(|| view! { <SignInLinkButton run_id=run.id/> })}
            <p class="run-facts">
                <span>{tr_count("runs-stops", run.stops.len())}</span>
                <span>{format!("{} km", number(run.distance_km, 1))}</span>
                <span>{hours}</span>
                <span>{tr_with("runs-leaves", &[("depart", run.depart.clone()), ("back", run.back.clone())])}</span>
                <span>{tr_with("runs-load", &[("load", run.load.to_string()), ("capacity", run.capacity.to_string())])}</span>
            </p>
            <p class="run-cost">
                {tr_with("runs-cost", &[("own", money(run.cost_cents, &currency)), ("per_order", money(per_order, &currency)), ("platform", money(third_avg, &currency))])}
            </p>
            {cash_line}
            <ol class="run-stops" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop_end>
                {stops}
            </ol>
        </section>
    }
}

/// Stop `i` of the run: its ETA, who, its outcome and whether it is worth handing off; drag
/// it, move it up or down, lock it in place. `next` is the stop after it.
#[component]
fn StopRow(
    stop: RunStop,
    i: usize,
    next: Option<i64>,
    last: bool,
    colour: &'static str,
    currency: String,
    order: Order,
) -> impl IntoView {
    let s = stop;
    let (order_id, locked, run_id) = (s.order_id, s.locked, order.run_id);
    let drag = format!("{order_id}:{run_id}");
    let on_drag = move |ev: leptos::ev::DragEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(dt) = ev.data_transfer() {
            let _ = dt.set_data("text/plain", &drag);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &drag);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        // The list's own drop handler puts a stop last: this drop is handled here.
        ev.stop_propagation();
        #[cfg(feature = "hydrate")]
        if let Some((dropped, _)) = dragged(&ev) {
            if dropped != order_id {
                order.place(dropped, drop_before(&ev, order_id, next));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = next;
    };
    let hand_off = s.hand_off();
    let title = tr_with(
        "runs-hand-off-title",
        &[
            ("own", money(s.own_cost_cents, &currency)),
            ("platform", money(s.third_party_cents, &currency)),
        ],
    );
    view! {
        <li
            class="run-stop"
            class:late=s.late
            class:locked=locked
            draggable="true"
            on:dragstart=on_drag
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop
            data-order=order_id.to_string()
        >
            <span class="run-seq" style=format!("background:{colour}")>{s.seq}</span>
            <div class="run-stop-main">
                <div class="run-stop-line">
                    <strong class="run-eta">{s.eta.clone()}</strong>
                    <span>{format!("#{} {}", s.number, s.customer)}</span>
                    {s.late.then(|| view! { <span class="pill pill-warn">{tr("runs-late")}</span> })}
                    {match s.outcome.as_deref() {
                        Some("delivered") => Some(view! { <span class="pill pill-ok">{tr("runs-delivered")}</span> }.into_any()),
                        Some("failed") => Some(view! { <span class="pill pill-warn">{tr("runs-failed")}</span> }.into_any()),
                        Some("arrived") => Some(view! { <span class="pill pill-info">{tr("runs-at-door")}</span> }.into_any()),
                        _ => None,
                    }}
                    {hand_off.then(|| view! { <span class="pill pill-info" title=title.clone()>{tr("runs-hand-off")}</span> })}
                </div>
                <div class="muted small">
                    {s.address.clone()}
                    {s.window.clone().map(|w| format!(" · {}", tr_with("runs-window", &[("window", w)])))}
                    {format!(" · {} · {} km", tr_count("driver-items", s.items as usize), number(s.leg_km, 1))}
                </div>
            </div>
            <StopTools number=s.number i last locked order_id order/>
        </li>
    }
}

/// Move a stop earlier or later, and lock it where it is (optimising keeps it there).
#[component]
fn StopTools(
    number: i64,
    i: usize,
    last: bool,
    locked: bool,
    order_id: i64,
    order: Order,
) -> impl IntoView {
    let lock = order.actions.lock;
    view! {
        <div class="run-stop-tools">
            <button
                class="icon-btn"
                title=tr("runs-earlier")
                aria-label=tr_with("runs-move-earlier", &[("number", number.to_string())])
                disabled=i == 0
                on:click=move |_| order.shift(i, i.saturating_sub(1))
            >"↑"</button>
            <button
                class="icon-btn"
                title=tr("runs-later")
                aria-label=tr_with("runs-move-later", &[("number", number.to_string())])
                disabled=last
                on:click=move |_| order.shift(i, i + 1)
            >"↓"</button>
            <button
                class="icon-btn"
                class:on=locked
                title={if locked { tr("runs-locked") } else { tr("runs-lock-title") }}
                aria-pressed=locked.to_string()
                aria-label=tr_with("runs-lock", &[("number", number.to_string())])
                on:click=move |_| { lock.dispatch(LockStop { order_id, locked: !locked }); }
            >
                <svg viewBox="0 0 24 24" width="15" height="15" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
                    <rect x="5" y="11" width="14" height="10" rx="2"/>
                    <path d=if locked { "M8 11V7a4 4 0 0 1 8 0v4" } else { "M8 11V7a4 4 0 0 1 7.7-1.5" }/>
                </svg>
            </button>
        </div>
    }
}

/// Cash on a published run: expected, collected against what the delivered stops owed, and
/// when it was handed over (or the button that says it was).
#[component]
fn CashLine(run: Run, currency: String, actions: Actions) -> impl IntoView {
    let run_id = run.id;
    let (expected, due_now, collected) = (
        run.cash_expected_cents(),
        run.cash_due_now_cents(),
        run.cash_collected_cents(),
    );
    // Off when what was collected differs from what the delivered stops owed.
    let off = due_now != collected;
    view! {
        <p class="run-cash" data-testid="run-cash">
            <span>{tr_with("runs-cash-expected", &[("amount", money(expected, &currency))])}</span>
            <span class={if off { "pill pill-warn" } else { "pill pill-ok" }}>{tr_with("runs-cash-collected", &[("collected", money(collected, &currency)), ("due", money(due_now, &currency))])}</span>
            {match run.cash_handed {
                Some(h) => view! { <span class="muted">{tr_with("runs-cash-handed-at", &[("when", h)])}</span> }.into_any(),
                None => view! {
                    <button class="btn btn-small" on:click=move |_| { actions.cash.dispatch(MarkCashHanded { run_id }); }>{tr("runs-cash-handed")}</button>
                }.into_any(),
            }}
        </p>
    }
}

/// Makes a one-time sign-in link for the run's driver, to send by chat or SMS.
#[component]
fn SignInLinkButton(run_id: i64) -> impl IntoView {
    use crate::auth::link::CreateSignInLink;
    let make = ServerAction::<CreateSignInLink>::new();
    view! {
        <div class="sign-in-link">
            {move || match make.value().get() {
                Some(Ok(link)) => {
                    let text = tr_with("runs-link-text", &[("name", crate::orders::model::first_name(&link.driver)), ("url", link.url.clone())]);
                    let share = format!("https://wa.me/?text={}", percent(&text));
                    view! {
                        <label class="field"><span>{tr_with("runs-link-for", &[("driver", link.driver.clone()), ("until", link.expires.clone())])}</span>
                            <input readonly value=link.url.clone() aria-label=tr("runs-link") on:focus=|e| {
                                #[cfg(feature = "hydrate")]
                                {
                                    use wasm_bindgen::JsCast;
                                    if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); }
                                }
                                #[cfg(not(feature = "hydrate"))]
                                let _ = e;
                            }/>
                        </label>
                        <a class="btn btn-small" href=share target="_blank" rel="noopener">{tr("runs-link-whatsapp")}</a>
                    }.into_any()
                }
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                None => view! {
                    <button class="btn btn-small btn-ghost" disabled=move || make.pending().get()
                        on:click=move |_| { make.dispatch(CreateSignInLink { run_id }); }>{tr("runs-link-make")}</button>
                }.into_any(),
            }}
        </div>
    }
}

/// Percent-encodes text for a URL query.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
