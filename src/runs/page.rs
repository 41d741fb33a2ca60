//! `/runs?day=YYYY-MM-DD`: the owner plans a day's delivery runs. Choose drivers, optimise,
//! drag stops to reorder or move them between runs, lock stops, compare own cost with a
//! delivery platform's price, print run sheets and publish.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    get_day_plan, LockStop, MarkCashHanded, OptimiseRuns, PublishRuns, ReorderRun, SaveDriverVan,
};
use super::model::{DayPlan, Run};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{money, number, tr, tr_count, tr_with};

/// Run colours, in order (also used by the map).
pub const RUN_COLOURS: [&str; 6] = [
    "#c2410c", "#1d4ed8", "#15803d", "#7e22ce", "#b45309", "#0f766e",
];

/// The runs page.
#[component]
pub fn RunsPage() -> impl IntoView {
    let query = use_query_map();
    let day = move || query.with(|q| q.get("day").filter(|d| !d.is_empty()));
    let optimise = ServerAction::<OptimiseRuns>::new();
    let reorder = ServerAction::<ReorderRun>::new();
    let lock = ServerAction::<LockStop>::new();
    let publish = ServerAction::<PublishRuns>::new();
    let cash = ServerAction::<MarkCashHanded>::new();
    let van = ServerAction::<SaveDriverVan>::new();
    let searched = RwSignal::new(0u64);
    let search_result = RwSignal::new(None::<super::model::Optimised>);
    provide_context(Searched(searched, search_result));
    let data = Resource::new(
        move || {
            (
                day(),
                optimise.version().get(),
                reorder.version().get(),
                lock.version().get(),
                publish.version().get(),
                cash.version().get(),
                van.version().get(),
                searched.get(),
            )
        },
        |(day, ..)| get_day_plan(day),
    );
    let actions = Actions {
        optimise,
        reorder,
        lock,
        publish,
        cash,
        van,
    };
    // One message at a time: a finished longer search replaces the last optimisation's.
    Effect::new(move |_| {
        if search_result.with(Option::is_some) {
            optimise.value().set(None);
        }
    });
    Effect::new(move |_| {
        if optimise.pending().get() {
            search_result.set(None);
        }
    });
    view! {
        <PageHeader title=tr("runs-title") subtitle=tr("runs-subtitle")/>
        <Transition fallback=|| view! { <Loading label=tr("runs-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(plan) => view! { <DayView plan actions/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <Feedback actions/>
        {move || search_result.get().map(|o| view! {
            <div class="toast" role="status">
                <span>{tr_with("runs-longer-found", &[("planned", o.planned.to_string()), ("runs", tr_count("runs-count", o.runs)), ("km", number(o.distance_km, 1))])}</span>
            </div>
        })}
    }
}

/// Bumped when a background search finishes, to reload the day; and what it found.
#[derive(Clone, Copy)]
struct Searched(RwSignal<u64>, RwSignal<Option<super::model::Optimised>>);

#[derive(Clone, Copy)]
struct Actions {
    optimise: ServerAction<OptimiseRuns>,
    reorder: ServerAction<ReorderRun>,
    lock: ServerAction<LockStop>,
    publish: ServerAction<PublishRuns>,
    cash: ServerAction<MarkCashHanded>,
    van: ServerAction<SaveDriverVan>,
}

/// What the last action did, or why it was refused.
#[component]
fn Feedback(actions: Actions) -> impl IntoView {
    let message = move || -> Option<Result<String, String>> {
        if let Some(r) = actions.optimise.value().get() {
            return Some(
                r.map(|o| {
                    let mut parts = vec![tr_with(
                        "runs-planned",
                        &[
                            ("planned", o.planned.to_string()),
                            ("runs", tr_count("runs-count", o.runs)),
                            ("km", number(o.distance_km, 1)),
                            ("ms", o.millis.to_string()),
                        ],
                    )];
                    if o.unplanned > 0 {
                        parts.push(tr_with(
                            "runs-unplaced",
                            &[("count", o.unplanned.to_string())],
                        ));
                    }
                    if !o.kept.is_empty() {
                        parts.push(tr_with("runs-kept", &[("list", o.kept.join(", "))]));
                    }
                    if o.republished {
                        parts.push(tr("runs-still-published"));
                    }
                    parts.join(" · ")
                })
                .map_err(|e| e.to_string()),
            );
        }
        None
    };
    let refused = move || {
        [
            actions.reorder.value().get().and_then(Result::err),
            actions.lock.value().get().and_then(Result::err),
            actions.publish.value().get().and_then(Result::err),
            actions.cash.value().get().and_then(Result::err),
            actions.van.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        {move || refused().map(|e| view! { <div class="toast toast-error" role="alert"><span>{e.to_string()}</span></div> })}
        {move || match (refused(), message()) {
            (None, Some(Ok(m))) => Some(view! { <div class="toast" role="status"><span>{m}</span></div> }.into_any()),
            (None, Some(Err(e))) => Some(view! { <div class="toast toast-error" role="alert"><span>{e}</span></div> }.into_any()),
            _ => None,
        }}
        {move || actions.publish.value().get().and_then(Result::ok).map(|n| view! {
            <div class="toast" role="status"><span>{tr_with("runs-published-toast", &[("count", n.to_string())])}</span></div>
        })}
    }
}

#[component]
fn DayView(plan: DayPlan, actions: Actions) -> impl IntoView {
    let currency = plan.currency.clone();
    let tabs = plan
        .days
        .iter()
        .map(|d| {
            let current = d.day == plan.day;
            let label = crate::words::day(&d.day, "date-short");
            view! {
                <a class="day-tab" class:current=current aria-current=current.then_some("page") href=format!("/runs?day={}", d.day)>
                    <strong>{label}</strong>
                    <small>{tr_with("runs-tab-planned", &[("planned", d.planned.to_string()), ("total", d.deliveries.to_string())])}</small>
                </a>
            }
        })
        .collect_view();
    // Drivers chosen for optimising: those with a run, or all when there are none yet.
    let any_run = plan.drivers.iter().any(|d| d.on_run);
    let chosen = RwSignal::new(
        plan.drivers
            .iter()
            .filter(|d| d.on_run || !any_run)
            .map(|d| d.id)
            .collect::<Vec<i64>>(),
    );
    let driver_boxes = plan
        .drivers
        .iter()
        .map(|d| {
            let id = d.id;
            view! {
                <div class="driver-choice">
                    <label class="check">
                        <input
                            type="checkbox"
                            name="drivers"
                            value=id.to_string()
                            prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|x| *x != id);
                                    if on {
                                        c.push(id);
                                    }
                                });
                            }
                        />
                        {d.name.clone()}
                    </label>
                    <DriverVan driver=d.clone() save=actions.van/>
                </div>
            }
        })
        .collect_view();
    let day = plan.day.clone();
    let day2 = plan.day.clone();
    let any_published = plan.runs.iter().any(|r| r.published);
    // Re-planning a published day changes what drivers are working from: ask first.
    let confirming = RwSignal::new(false);
    let day = StoredValue::new(day);
    let run_optimise = move || {
        confirming.set(false);
        actions.optimise.dispatch(OptimiseRuns {
            day: day.get_value(),
            drivers: chosen.get_untracked(),
        });
    };
    let on_optimise = move |_| {
        if any_published {
            confirming.set(true);
        } else {
            run_optimise();
        }
    };
    let on_publish = move |_| {
        actions.publish.dispatch(PublishRuns { day: day2.clone() });
    };
    let planned: usize = plan.runs.iter().map(|r| r.stops.len()).sum();
    let total = planned + plan.unplanned.len();
    let all_published = !plan.runs.is_empty() && plan.runs.iter().all(|r| r.published);
    let summary = tr_with(
        "runs-day-summary",
        &[
            ("planned", planned.to_string()),
            ("total", total.to_string()),
            ("runs", tr_count("runs-count", plan.runs.len())),
            ("km", number(plan.total_km(), 1)),
        ],
    );
    let own = plan.own_cost_cents();
    let third = plan.third_party_cents();
    let compare = (!plan.runs.is_empty()).then(|| {
        let saving = third - own;
        view! {
            <p class="cost-compare">
                <span>{format!("{} ", tr("runs-own-delivery"))}<strong>{money(own, &currency)}</strong></span>
                <span>{format!("{} ", tr("runs-platform"))}<strong>{money(third, &currency)}</strong></span>
                <span class={if saving >= 0 { "pill pill-ok" } else { "pill pill-warn" }}>
                    {if saving >= 0 { tr_with("runs-you-save", &[("amount", money(saving, &currency))]) } else { tr_with("runs-costs-more", &[("amount", money(-saving, &currency))]) }}
                </span>
            </p>
        }
    });
    let runs_view = plan
        .runs
        .iter()
        .enumerate()
        .map(|(i, run)| view! { <RunCard run=run.clone() colour=RUN_COLOURS[i % RUN_COLOURS.len()] currency=currency.clone() actions/> })
        .collect_view();
    let unplanned = plan
        .unplanned
        .iter()
        .map(|u| {
            view! {
                <li>
                    <strong>{format!("#{}", u.number)}</strong>" "{u.customer.clone()}
                    {u.window.clone().map(|w| view! { <span class="muted small">" · "{w}</span> })}
                    <div class="muted small">{u.reason.clone()}</div>
                </li>
            }
        })
        .collect_view();
    let has_unplanned = !plan.unplanned.is_empty();
    let no_kitchen = plan.kitchen.is_none();
    let pending = actions.optimise.pending();
    view! {
        <nav class="day-tabs" aria-label=tr("runs-days")>{tabs}</nav>
        <div class="runs-layout">
            <div class="card runs-map">
                <super::map::RunsMap plan=plan.clone()/>
            </div>
            <div class="runs-side">
                <section class="card runs-controls" aria-label=tr("runs-optimise-label")>
                    <p class="runs-summary">{summary}</p>
                    {compare}
                    {no_kitchen.then(|| view! { <p class="pill pill-warn">{tr("runs-no-kitchen")}</p> })}
                    <fieldset class="drivers">
                        <legend>{tr("runs-drivers")}</legend>
                        {driver_boxes}
                    </fieldset>
                    <div class="runs-buttons">
                        <button class="btn btn-primary" on:click=on_optimise disabled=move || pending.get() data-testid="optimise">
                            {move || if pending.get() { tr("runs-optimising") } else { tr("runs-optimise") }}
                        </button>
                        <button class="btn" on:click=on_publish disabled=plan.runs.is_empty() data-testid="publish">
                            {if all_published { tr("runs-publish-again") } else { tr("runs-publish") }}
                        </button>
                    </div>
                    <Show when=move || confirming.get()>
                        <div class="confirm-box" role="alertdialog" aria-label=tr("runs-replan-label")>
                            <p>{tr("runs-replan-text")}</p>
                            <div class="runs-buttons">
                                <button class="btn btn-primary" on:click=move |_| run_optimise()>{tr("runs-replan-yes")}</button>
                                <button class="btn" on:click=move |_| confirming.set(false)>{tr("runs-replan-no")}</button>
                            </div>
                        </div>
                    </Show>
                    <LongerSearch day=plan.day.clone() chosen/>
                    <p class="muted small">{tr("runs-hint")}</p>
                </section>
                {runs_view}
                {has_unplanned.then(|| view! {
                    <section class="card">
                        <h2>{tr("runs-not-on-run")}</h2>
                        <ul class="attention-list" data-testid="unplanned">{unplanned}</ul>
                    </section>
                })}
            </div>
        </div>
    }
}

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

/// One run: totals, cost against the platform, and its stops in order.
#[component]
fn RunCard(run: Run, colour: &'static str, currency: String, actions: Actions) -> impl IntoView {
    let ids: Vec<i64> = run.stops.iter().map(|s| s.order_id).collect();
    let run_id = run.id;
    let ids = StoredValue::new(ids);
    // This run's stops with `order` placed before the stop `before` (or last); `order` may
    // come from another run.
    let place = move |order: i64, before: Option<i64>| {
        let mut list = ids.get_value();
        list.retain(|&x| x != order);
        let at = before
            .and_then(|b| list.iter().position(|&x| x == b))
            .unwrap_or(list.len());
        list.insert(at, order);
        actions.reorder.dispatch(ReorderRun {
            run_id,
            order_ids: list,
        });
    };
    #[cfg(not(feature = "hydrate"))]
    let _ = place;
    // Swap a stop with its neighbour (the buttons).
    let shift = move |i: usize, j: usize| {
        let mut list = ids.get_value();
        if i < list.len() && j < list.len() {
            list.swap(i, j);
            actions.reorder.dispatch(ReorderRun {
                run_id,
                order_ids: list,
            });
        }
    };
    let stops = run
        .stops
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let order_id = s.order_id;
            let locked = s.locked;
            let last = i + 1 == run.stops.len();
            let drag = format!("{order_id}:{run_id}");
            let on_drag = move |ev: leptos::ev::DragEvent| {
                #[cfg(feature = "hydrate")]
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &drag);
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = (&ev, &drag);
            };
            let next_id = run.stops.get(i + 1).map(|n| n.order_id);
            let on_drop = move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                // The list's own drop handler puts a stop last: this drop is handled here.
                ev.stop_propagation();
                #[cfg(feature = "hydrate")]
                if let Some((order, _)) = dragged(&ev) {
                    if order != order_id {
                        place(order, drop_before(&ev, order_id, next_id));
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = next_id;
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
                    <div class="run-stop-tools">
                        <button
                            class="icon-btn"
                            title=tr("runs-earlier")
                            aria-label=tr_with("runs-move-earlier", &[("number", s.number.to_string())])
                            disabled=i == 0
                            on:click=move |_| shift(i, i.saturating_sub(1))
                        >"↑"</button>
                        <button
                            class="icon-btn"
                            title=tr("runs-later")
                            aria-label=tr_with("runs-move-later", &[("number", s.number.to_string())])
                            disabled=last
                            on:click=move |_| shift(i, i + 1)
                        >"↓"</button>
                        <button
                            class="icon-btn"
                            class:on=locked
                            title={if locked { tr("runs-locked") } else { tr("runs-lock-title") }}
                            aria-pressed=locked.to_string()
                            aria-label=tr_with("runs-lock", &[("number", s.number.to_string())])
                            on:click=move |_| { actions.lock.dispatch(LockStop { order_id, locked: !locked }); }
                        >
                            <svg viewBox="0 0 24 24" width="15" height="15" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
                                <rect x="5" y="11" width="14" height="10" rx="2"/>
                                <path d=if locked { "M8 11V7a4 4 0 0 1 8 0v4" } else { "M8 11V7a4 4 0 0 1 7.7-1.5" }/>
                            </svg>
                        </button>
                    </div>
                </li>
            }
        })
        .collect_view();
    let on_drop_end = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some((order, from_run)) = dragged(&ev) {
            if from_run != run_id || ids.with_value(|l| l.last() != Some(&order)) {
                place(order, None);
            }
        }
    };
    let per_order = run.cost_per_order_cents();
    let third_avg = if run.stops.is_empty() {
        0
    } else {
        run.third_party_cents() / run.stops.len() as i64
    };
    let (expected, due_now, collected) = (
        run.cash_expected_cents(),
        run.cash_due_now_cents(),
        run.cash_collected_cents(),
    );
    let cod_run = run.stops.iter().any(|s| s.cod_cents > 0);
    let handed = run.cash_handed.clone();
    let cash_line = (run.published && cod_run).then(|| {
        // Off when what was collected differs from what the delivered stops owed.
        let off = due_now != collected;
        view! {
            <p class="run-cash" data-testid="run-cash">
                <span>{tr_with("runs-cash-expected", &[("amount", money(expected, &currency))])}</span>
                <span class={if off { "pill pill-warn" } else { "pill pill-ok" }}>{tr_with("runs-cash-collected", &[("collected", money(collected, &currency)), ("due", money(due_now, &currency))])}</span>
                {match handed {
                    Some(h) => view! { <span class="muted">{tr_with("runs-cash-handed-at", &[("when", h)])}</span> }.into_any(),
                    None => view! {
                        <button class="btn btn-small" on:click=move |_| { actions.cash.dispatch(MarkCashHanded { run_id }); }>{tr("runs-cash-handed")}</button>
                    }.into_any(),
                }}
            </p>
        }
    });
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

/// "Search longer": a 30 s search in the background with its best plan so far, and Stop.
#[component]
fn LongerSearch(day: String, chosen: RwSignal<Vec<i64>>) -> impl IntoView {
    use super::search::{search_status, start_search, stop_search, SearchState};
    let job = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<SearchState>);
    let failed = RwSignal::new(None::<String>);
    let searched = use_context::<Searched>();
    let day = StoredValue::new(day);
    let poll = move || {
        leptos::task::spawn_local(async move {
            while let Some(id) = job.get_untracked() {
                sleep_ms(500).await;
                match search_status(id).await {
                    Ok(s) => {
                        let done = s.done;
                        let s_outcome = s.outcome.clone();
                        if let Some(e) = s.error.clone() {
                            failed.set(Some(e));
                        }
                        status.set(Some(s));
                        if done {
                            job.set(None);
                            if let Some(Searched(n, found)) = searched {
                                found.set(s_outcome);
                                n.update(|n| *n += 1);
                            }
                        }
                    }
                    Err(e) => {
                        failed.set(Some(e.to_string()));
                        job.set(None);
                    }
                }
            }
        });
    };
    let start = move |_| {
        failed.set(None);
        status.set(None);
        let (d, drivers) = (day.get_value(), chosen.get_untracked());
        leptos::task::spawn_local(async move {
            match start_search(d, drivers, 30.0).await {
                Ok(id) => {
                    job.set(Some(id));
                    poll();
                }
                Err(e) => failed.set(Some(e.to_string())),
            }
        });
    };
    let stop = move |_| {
        if let Some(id) = job.get_untracked() {
            leptos::task::spawn_local(async move {
                let _ = stop_search(id).await;
            });
        }
    };
    view! {
        <div class="longer-search">
            {move || if job.get().is_some() {
                let s = status.get();
                let pct = s.as_ref().map_or(0.0, |s| (s.elapsed_s / s.seconds * 100.0).min(100.0));
                view! {
                    <div class="search-progress" role="status" data-testid="search-progress">
                        <div class="bar"><span style=format!("width:{pct:.0}%")></span></div>
                        <span>{s.map(|s| tr_with("runs-search-progress", &[("secs", number(s.elapsed_s, 0)), ("vans", tr_count("runs-vans", s.vehicles)), ("km", number(s.km, 1))])).unwrap_or_else(|| tr("runs-starting"))}</span>
                        <button class="btn btn-small" on:click=stop>{tr("runs-stop-search")}</button>
                    </div>
                }.into_any()
            } else {
                view! { <button class="btn btn-ghost btn-small" on:click=start data-testid="search-longer">{tr("runs-search-longer")}</button> }.into_any()
            }}
            {move || failed.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}

/// Waits `ms` milliseconds (browser timer; returns at once on the server).
async fn sleep_ms(ms: u32) {
    #[cfg(feature = "hydrate")]
    {
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        leptos::prelude::set_timeout(
            move || {
                let _ = tx.send(());
            },
            std::time::Duration::from_millis(ms as u64),
        );
        let _ = rx.await;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ms;
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

/// A driver's van and shift, with an inline editor (empty fields: the business defaults).
#[component]
fn DriverVan(
    driver: super::model::DriverChoice,
    save: ServerAction<SaveDriverVan>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let d = driver.clone();
    let summary = format!(
        "{} · {}–{}{}",
        tr_count("driver-items", d.van_capacity as usize),
        d.shift_start,
        d.shift_end,
        if d.own_van {
            String::new()
        } else {
            format!(" ({})", tr("runs-default"))
        }
    );
    let (capacity, start, end) = (
        RwSignal::new(if d.own_van {
            d.van_capacity.to_string()
        } else {
            String::new()
        }),
        RwSignal::new(if d.own_van {
            d.shift_start.clone()
        } else {
            String::new()
        }),
        RwSignal::new(if d.own_van {
            d.shift_end.clone()
        } else {
            String::new()
        }),
    );
    let id = d.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveDriverVan {
            driver_id: id,
            van_capacity: capacity.get_untracked(),
            shift_start: start.get_untracked(),
            shift_end: end.get_untracked(),
        });
        open.set(false);
    };
    view! {
        <span class="driver-van muted small" data-testid="driver-van">{summary}</span>
        <button type="button" class="btn btn-small btn-ghost" aria-expanded=move || open.get().to_string()
            aria-label=tr_with("runs-van-of", &[("name", driver.name.clone())])
            on:click=move |_| open.update(|o| *o = !*o)>{tr("edit")}</button>
        <Show when=move || open.get()>
            <form class="van-form" on:submit=submit>
                <label class="field"><span>{tr("runs-van-items")}</span>
                    <input inputmode="numeric" placeholder=tr("runs-default") prop:value=capacity on:input=move |e| capacity.set(event_target_value(&e))/></label>
                <label class="field"><span>{tr("runs-shift-starts")}</span>
                    <input type="time" prop:value=start on:input=move |e| start.set(event_target_value(&e))/></label>
                <label class="field"><span>{tr("runs-shift-ends")}</span>
                    <input type="time" prop:value=end on:input=move |e| end.set(event_target_value(&e))/></label>
                <button type="submit" class="btn btn-small btn-primary">{tr("save")}</button>
            </form>
        </Show>
    }
}
