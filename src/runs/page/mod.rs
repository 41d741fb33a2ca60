//! `/runs?day=YYYY-MM-DD`: the owner plans a day's delivery runs. Choose drivers, optimise,
//! drag stops to reorder or move them between runs, lock stops, compare own cost with a
//! delivery platform's price, print run sheets and publish.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    get_day_plan, LockStop, MarkCashHanded, OptimiseRuns, PublishRuns, ReorderRun, SaveDriverVan,
};
use super::model::DayPlan;
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{money, number, tr, tr_count, tr_with};

mod card;
mod search;
mod van;

use card::RunCard;
use search::LongerSearch;
use van::DriverVan;

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
        confirming: RwSignal::new(false),
    };
    // The question was about the day shown: another day closes it.
    Effect::new(move |_| {
        day();
        actions.confirming.set(false);
    });
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
    /// Whether "Re-plan published runs?" is open. Kept by the page, not by the day's view: the
    /// day's view is drawn again whenever an action's refetch lands (a publish a moment
    /// before), and a question kept there vanished under the owner's cursor.
    confirming: RwSignal<bool>,
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

/// One day: the day tabs, the map, the controls (drivers, optimise, publish), the runs and
/// the orders left off every run.
#[component]
fn DayView(plan: DayPlan, actions: Actions) -> impl IntoView {
    let currency = plan.currency.clone();
    // Drivers chosen for optimising: those with a run, or all when there are none yet.
    let any_run = plan.drivers.iter().any(|d| d.on_run);
    let chosen = RwSignal::new(
        plan.drivers
            .iter()
            .filter(|d| d.on_run || !any_run)
            .map(|d| d.id)
            .collect::<Vec<i64>>(),
    );
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
    let runs_view = plan
        .runs
        .iter()
        .enumerate()
        .map(|(i, run)| view! { <RunCard run=run.clone() colour=RUN_COLOURS[i % RUN_COLOURS.len()] currency=currency.clone() actions/> })
        .collect_view();
    let no_kitchen = plan.kitchen.is_none();
    view! {
        <DayTabs plan=plan.clone()/>
        <div class="runs-layout">
            <div class="card runs-map">
                <super::map::RunsMap plan=plan.clone()/>
            </div>
            <div class="runs-side">
                <section class="card runs-controls" aria-label=tr("runs-optimise-label")>
                    <p class="runs-summary">{summary}</p>
                    <CostCompare plan=plan.clone()/>
                    {no_kitchen.then(|| view! { <p class="pill pill-warn">{tr("runs-no-kitchen")}</p> })}
                    <Drivers plan=plan.clone() chosen actions/>
                    <PlanButtons plan=plan.clone() chosen all_published actions/>
                    <LongerSearch day=plan.day.clone() chosen/>
                    <p class="muted small">{tr("runs-hint")}</p>
                </section>
                {runs_view}
                <Unplanned plan/>
            </div>
        </div>
    }
}

/// Optimise the day's runs for the chosen drivers (asked first when a run is published, as
/// drivers work from it) and publish them.
#[component]
fn PlanButtons(
    plan: DayPlan,
    chosen: RwSignal<Vec<i64>>,
    all_published: bool,
    actions: Actions,
) -> impl IntoView {
    let any_published = plan.runs.iter().any(|r| r.published);
    // Re-planning a published day changes what drivers are working from: ask first.
    let confirming = actions.confirming;
    let day = StoredValue::new(plan.day.clone());
    let no_runs = plan.runs.is_empty();
    let pending = actions.optimise.pending();
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
        actions.publish.dispatch(PublishRuns {
            day: day.get_value(),
        });
    };
    view! {
        <div class="runs-buttons">
            <button class="btn btn-primary" on:click=on_optimise disabled=move || pending.get() data-testid="optimise">
                {move || if pending.get() { tr("runs-optimising") } else { tr("runs-optimise") }}
            </button>
            <button class="btn" on:click=on_publish disabled=no_runs data-testid="publish">
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
    }
}

/// The days with deliveries, each with how many are on a run.
#[component]
fn DayTabs(plan: DayPlan) -> impl IntoView {
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
    view! { <nav class="day-tabs" aria-label=tr("runs-days")>{tabs}</nav> }
}

/// The day's own delivery cost against what a delivery platform would charge.
#[component]
fn CostCompare(plan: DayPlan) -> impl IntoView {
    let currency = plan.currency.clone();
    let (own, third) = (plan.own_cost_cents(), plan.third_party_cents());
    (!plan.runs.is_empty()).then(|| {
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
    })
}

/// The drivers to plan with (ticked: `chosen`), each with their van.
#[component]
fn Drivers(plan: DayPlan, chosen: RwSignal<Vec<i64>>, actions: Actions) -> impl IntoView {
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
    view! {
        <fieldset class="drivers">
            <legend>{tr("runs-drivers")}</legend>
            {driver_boxes}
        </fieldset>
    }
}

/// The day's deliveries on no run, each with why.
#[component]
fn Unplanned(plan: DayPlan) -> impl IntoView {
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
    (!plan.unplanned.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>{tr("runs-not-on-run")}</h2>
                <ul class="attention-list" data-testid="unplanned">{unplanned}</ul>
            </section>
        }
    })
}
