//! The "Plan the fortnight" card of the planning page: start the search, watch its progress
//! (stop it to keep the best plan so far), read the plan against the fortnight as booked, and
//! accept its moves one by one or all together, with undo.
use leptos::prelude::*;

use super::{
    AcceptSuggestions, DayFigures, Move, PlanProgress, PlanStatus, StartPlan, StopPlan, Suggestion,
};
use crate::ui::ErrorNotice;
use crate::words::{money, number, tr, tr_count, tr_with};

/// A day of the fortnight, short: "Tue 8".
fn label(day: &str) -> String {
    crate::words::day(day, "date-weekday-day")
}

/// The moves accepted from this card (and not moved back), and the one request that changes
/// them: a move is shown done at once, and put back if the server refuses it.
#[derive(Clone, Copy)]
struct Accepting {
    accepted: RwSignal<Vec<i64>>,
    sending: RwSignal<Vec<i64>>,
    accept: ServerAction<AcceptSuggestions>,
}

impl Accepting {
    fn new() -> Accepting {
        let me = Accepting {
            accepted: RwSignal::new(Vec::new()),
            sending: RwSignal::new(Vec::new()),
            accept: ServerAction::new(),
        };
        Effect::new(move |_| {
            if let Some(Err(_)) = me.accept.value().get() {
                let ids = me.sending.get_untracked();
                me.accepted.update(|a| a.retain(|x| !ids.contains(x)));
            }
        });
        me
    }

    fn done(self, id: i64) -> bool {
        self.accepted.with(|a| a.contains(&id))
    }

    /// Moves orders `ids` to `days` (`moving`), or back to theirs (undo).
    fn send(self, ids: Vec<i64>, days: Vec<String>, moving: bool) {
        self.sending.set(ids.clone());
        self.accepted.update(|a| {
            a.retain(|x| !ids.contains(x));
            if moving {
                a.extend(ids.iter().copied());
            }
        });
        self.accept.dispatch(AcceptSuggestions {
            order_ids: ids,
            days,
        });
    }
}

/// The "Plan the fortnight" card of the planning page.
#[component]
pub fn SuggestCard() -> impl IntoView {
    let start = ServerAction::<StartPlan>::new();
    let poll = ServerAction::<PlanProgress>::new();
    let acc = Accepting::new();
    // The search as last polled; polling runs while it does (and once on opening the page, so
    // a plan worked out before a reload is still there).
    let status = RwSignal::new(None::<PlanStatus>);
    let polling = RwSignal::new(true);
    Effect::new(move |_| {
        if let Some(Ok(found)) = poll.value().get() {
            let running = found.as_ref().is_some_and(|s| s.running);
            status.set(found);
            polling.set(running);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = start.value().get() {
            polling.set(true);
        }
    });
    #[cfg(feature = "hydrate")]
    {
        poll.dispatch(PlanProgress {});
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if polling.get_untracked() && !poll.pending().get_untracked() {
                    poll.dispatch(PlanProgress {});
                }
            },
            std::time::Duration::from_millis(300),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let running =
        move || status.with(|s| s.as_ref().is_some_and(|s| s.running)) || start.pending().get();
    let run = move |_| {
        acc.accepted.set(Vec::new());
        status.set(None);
        start.dispatch(StartPlan {});
    };
    view! {
        <section class="card suggest" data-testid="suggest">
            <h2>{tr("suggest-title")}</h2>
            <p class="muted small">{tr("suggest-help")}</p>
            <button class="btn btn-primary" on:click=run disabled=running>
                {move || if running() { tr("suggest-working") } else { tr("suggest-title") }}
            </button>
            {move || status.get().filter(|s| s.running).map(|p| view! { <Searching p/> })}
            {move || start.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            {move || status.get().filter(|s| !s.running).and_then(|st| match (st.result, st.error) {
                (_, Some(error)) => Some(view! { <ErrorNotice error/> }.into_any()),
                (None, None) => None,
                (Some(s), None) => Some(view! { <Plan s acc/> }.into_any()),
            })}
            {move || acc.accept.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        </section>
    }
}

/// The search under way: how far, the km as booked and of the best plan so far, and Stop.
#[component]
fn Searching(p: PlanStatus) -> impl IntoView {
    let stop = ServerAction::<StopPlan>::new();
    let km = |k: f64| number(k, 1);
    let said = match (p.booked_km, p.best_km) {
        (Some(b), Some(k)) => tr_with(
            "suggest-progress-both",
            &[("booked", km(b)), ("best", km(k))],
        ),
        (Some(b), None) => tr_with("suggest-progress-booked", &[("booked", km(b))]),
        _ => tr("suggest-progress-reading"),
    };
    view! {
        <div class="plan-progress" data-testid="plan-progress">
            <progress max="100" value=p.percent aria-label=tr("suggest-progress-label")>{format!("{}%", p.percent)}</progress>
            <span class="small">{said}</span>
            <button class="btn btn-small" on:click=move |_| { stop.dispatch(StopPlan {}); } disabled=p.stopping>
                {if p.stopping { tr("suggest-stopping") } else { tr("suggest-stop") }}
            </button>
        </div>
    }
}

/// The plan found: its figures against the fortnight as booked, day by day, and its moves.
#[component]
fn Plan(s: Suggestion, acc: Accepting) -> impl IntoView {
    let saved_km = s.fixed_km - s.suggested_km;
    let to_days: Vec<(i64, String)> = s
        .moves
        .iter()
        .map(|m| (m.order_id, m.to_day.clone()))
        .collect();
    let back_days: std::collections::HashMap<i64, String> = s
        .moves
        .iter()
        .map(|m| (m.order_id, m.from_day.clone()))
        .collect();
    let accept_all = move |_| {
        let todo: Vec<&(i64, String)> = to_days.iter().filter(|(id, _)| !acc.done(*id)).collect();
        let ids = todo.iter().map(|(id, _)| *id).collect();
        acc.send(ids, todo.iter().map(|(_, d)| d.clone()).collect(), true);
    };
    let undo_all = move |_| {
        let ids = acc.accepted.get_untracked();
        let days = ids.iter().map(|i| back_days[i].clone()).collect();
        acc.send(ids, days, false);
    };
    let all = StoredValue::new(s.moves.clone());
    let rows = s
        .moves
        .iter()
        .map(|m| view! { <MoveRow m=m.clone() all acc/> })
        .collect_view();
    let km = |k: f64| number(k, 1);
    let figures = tr_with(
        "suggest-figures",
        &[
            ("orders", s.orders.to_string()),
            ("days", s.days.to_string()),
            ("flexible", s.flexible.to_string()),
            ("fixed_km", km(s.fixed_km)),
            ("fixed_hours", km(s.fixed_hours)),
            ("km", km(s.suggested_km)),
            ("hours", km(s.suggested_hours)),
        ],
    );
    let saves = tr_with(
        "suggest-saves",
        &[
            ("km", km(saved_km)),
            ("amount", money(s.saved_cents, &s.currency)),
        ],
    );
    view! {
        <p class="suggest-figures" data-testid="suggest-figures">
            {figures}
            {(saved_km > 0.0).then(|| view! { <span class="pill pill-ok">{saves}</span> })}
        </p>
        {(s.unplaced_after > 0).then(|| view! {
            <p class="notice small">{tr_count("suggest-unplaced", s.unplaced_after)}</p>
        })}
        <Days per_day=s.per_day.clone()/>
        {if s.moves.is_empty() {
            view! { <p class="muted">{tr("suggest-none")}</p> }.into_any()
        } else {
            view! {
                <ul class="moves">{rows}</ul>
                <div class="actions">
                    <button class="btn" on:click=accept_all>{tr("suggest-accept-all")}</button>
                    {move || (!acc.accepted.with(Vec::is_empty)).then(|| view! {
                        <button class="btn" on:click=undo_all.clone()>{tr("suggest-undo-all")}</button>
                    })}
                </div>
            }.into_any()
        }}
    }
}

/// Day by day: stops, vans and km, as booked → planned (the days that change marked).
#[component]
fn Days(per_day: Vec<DayFigures>) -> impl IntoView {
    let days = per_day
        .into_iter()
        .filter(|d| d.stops_before + d.stops_after > 0)
        .map(|d| {
            let changed =
                d.stops_before != d.stops_after || (d.km_before - d.km_after).abs() >= 0.05;
            view! {
                <tr class:changed=changed>
                    <th scope="row">{label(&d.day)}</th>
                    <td class="num">{d.stops_before}" → "{d.stops_after}</td>
                    <td class="num">{d.vans_before}" → "{d.vans_after}</td>
                    <td class="num">{format!("{} → {}", number(d.km_before, 1), number(d.km_after, 1))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="plan-days">
            <summary>{tr("suggest-day-by-day")}</summary>
            <table class="table table-compact" data-testid="plan-days">
                <thead><tr>
                    <th scope="col">{tr("suggest-col-day")}</th>
                    <th scope="col" class="num">{tr("suggest-col-stops")}</th>
                    <th scope="col" class="num">{tr("suggest-col-vans")}</th>
                    <th scope="col" class="num">"km"</th>
                </tr></thead>
                <tbody>{days}</tbody>
            </table>
        </details>
    }
}

/// One move: the order, why, from → to, and Accept (or moved · Undo). A standing order's
/// week moves as one: its moves go, and come back, together.
#[component]
fn MoveRow(m: Move, all: StoredValue<Vec<Move>>, acc: Accepting) -> impl IntoView {
    let id = m.order_id;
    let together: Vec<(i64, String, String)> = all.with_value(|all| {
        all.iter()
            .filter(|o| o.order_id == id || (m.group.is_some() && o.group == m.group))
            .map(|o| (o.order_id, o.to_day.clone(), o.from_day.clone()))
            .collect()
    });
    let ids: Vec<i64> = together.iter().map(|t| t.0).collect();
    let tos: Vec<String> = together.iter().map(|t| t.1.clone()).collect();
    let froms: Vec<String> = together.iter().map(|t| t.2.clone()).collect();
    view! {
        <li class="move" data-order=id data-to=m.to_day.clone() data-from=m.from_day.clone() data-district=m.district_id data-group=m.group.clone()>
            <span><strong>{format!("#{}", m.number)}</strong>" "{m.customer.clone()}<small class="muted">{format!(" · {}", m.district)}</small>
                <br/><small class="muted">{m.why.clone()}</small></span>
            <span class="move-days">{label(&m.from_day)}" → "<strong>{label(&m.to_day)}</strong></span>
            {move || if acc.done(id) {
                let (ids, froms) = (ids.clone(), froms.clone());
                view! {
                    <span class="pill pill-ok">{tr("suggest-moved")}</span>
                    <button class="btn btn-small" on:click=move |_| acc.send(ids.clone(), froms.clone(), false)>{tr("suggest-undo")}</button>
                }.into_any()
            } else {
                let (ids, tos) = (ids.clone(), tos.clone());
                view! { <button class="btn btn-small" on:click=move |_| acc.send(ids.clone(), tos.clone(), true)>{tr("suggest-accept")}</button> }.into_any()
            }}
        </li>
    }
}
