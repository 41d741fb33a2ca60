//! The "Plan the fortnight" card of the planning page.
use leptos::prelude::*;

use super::{AcceptSuggestions, PlanProgress, PlanStatus, StartPlan, StopPlan};
use crate::money::format_cents;
use crate::ui::ErrorNotice;

/// The "Plan the fortnight" card of the planning page.
#[component]
pub fn SuggestCard() -> impl IntoView {
    let start = ServerAction::<StartPlan>::new();
    let poll = ServerAction::<PlanProgress>::new();
    let stop = ServerAction::<StopPlan>::new();
    let accept = ServerAction::<AcceptSuggestions>::new();
    // The search as last polled; polling runs while it does (and once on opening the page, so
    // a plan worked out before a reload is still there).
    let status = RwSignal::new(None::<PlanStatus>);
    let polling = RwSignal::new(true);
    // Orders moved from this card (and not moved back).
    let accepted = RwSignal::new(Vec::<i64>::new());
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
        accepted.set(Vec::new());
        status.set(None);
        start.dispatch(StartPlan {});
    };
    let label = |d: &str| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|x| x.format("%a %-d").to_string())
            .unwrap_or_else(|_| d.to_string())
    };
    // A move is shown done once the server said yes; a refusal puts the button back.
    let pending_ids = RwSignal::new(Vec::<i64>::new());
    Effect::new(move |_| {
        if let Some(r) = accept.value().get() {
            let ids = pending_ids.get_untracked();
            if r.is_err() {
                accepted.update(|a| a.retain(|x| !ids.contains(x)));
            }
        }
    });
    let send = move |ids: Vec<i64>, days: Vec<String>, moving: bool| {
        pending_ids.set(ids.clone());
        accepted.update(|a| {
            if moving {
                a.extend(
                    ids.iter()
                        .copied()
                        .filter(|i| !a.contains(i))
                        .collect::<Vec<_>>(),
                );
            } else {
                a.retain(|x| !ids.contains(x));
            }
        });
        accept.dispatch(AcceptSuggestions {
            order_ids: ids,
            days,
        });
    };
    view! {
        <section class="card suggest" data-testid="suggest">
            <h2>"Plan the fortnight"</h2>
            <p class="muted small">"Chooses the day of every order whose customer accepts a range of days, the weekdays of each standing order's week among those its customer accepts, and every day's routes, together: within each district's served days and capacity, the kitchen's days, the vans, their shift and every delivery window. Orders already in the kitchen or on a published run keep their day."</p>
            <button class="btn btn-primary" on:click=run disabled=running>
                {move || if running() { "Working it out…" } else { "Plan the fortnight" }}
            </button>
            {move || status.get().filter(|s| s.running).map(|p| view! {
                <div class="plan-progress" data-testid="plan-progress">
                    <progress max="100" value=p.percent aria-label="Planning the fortnight">{format!("{}%", p.percent)}</progress>
                    <span class="small">{match (p.booked_km, p.best_km) {
                        (Some(b), Some(k)) => format!("As booked {b:.1} km · best plan so far {k:.1} km"),
                        (Some(b), None) => format!("Planning the days as booked: {b:.1} km"),
                        _ => "Reading the fortnight…".to_string(),
                    }}</span>
                    <button class="btn btn-small" on:click=move |_| { stop.dispatch(StopPlan {}); } disabled=p.stopping>
                        {if p.stopping { "Stopping…" } else { "Stop" }}
                    </button>
                </div>
            })}
            {move || start.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            {move || status.get().filter(|s| !s.running).and_then(|st| match (st.result, st.error) {
                (_, Some(error)) => Some(view! { <ErrorNotice error/> }.into_any()),
                (None, None) => None,
                (Some(s), None) => Some({
                    let saved_km = s.fixed_km - s.suggested_km;
                    let all_ids: Vec<i64> = s.moves.iter().map(|m| m.order_id).collect();
                    let all_days: Vec<String> = s.moves.iter().map(|m| m.to_day.clone()).collect();
                    let back_days: std::collections::HashMap<i64, String> =
                        s.moves.iter().map(|m| (m.order_id, m.from_day.clone())).collect();
                    let ids_for_all = all_ids.clone();
                    let accept_all = move |_| {
                        let todo: Vec<usize> = (0..ids_for_all.len())
                            .filter(|&i| !accepted.with(|a| a.contains(&ids_for_all[i])))
                            .collect();
                        send(
                            todo.iter().map(|&i| ids_for_all[i]).collect(),
                            todo.iter().map(|&i| all_days[i].clone()).collect(),
                            true,
                        );
                    };
                    let undo_all = move |_| {
                        let ids = accepted.get_untracked();
                        let days = ids.iter().map(|i| back_days[i].clone()).collect();
                        send(ids, days, false);
                    };
                    let all_moves = s.moves.clone();
                    let rows = s.moves.iter().map(|m| {
                        let id = m.order_id;
                        let (to_attr, from_attr) = (m.to_day.clone(), m.from_day.clone());
                        // A standing order's week moves as one: its moves go, and come back, together.
                        let together: Vec<(i64, String, String)> = all_moves
                            .iter()
                            .filter(|o| o.order_id == id || (m.group.is_some() && o.group == m.group))
                            .map(|o| (o.order_id, o.to_day.clone(), o.from_day.clone()))
                            .collect();
                        let ids: Vec<i64> = together.iter().map(|t| t.0).collect();
                        let tos: Vec<String> = together.iter().map(|t| t.1.clone()).collect();
                        let froms: Vec<String> = together.iter().map(|t| t.2.clone()).collect();
                        let group_attr = m.group.clone();
                        view! {
                            <li class="move" data-order=id data-to=to_attr data-from=from_attr data-district=m.district_id data-group=group_attr>
                                <span><strong>{format!("#{}", m.number)}</strong>" "{m.customer.clone()}<small class="muted">{format!(" · {}", m.district)}</small>
                                    <br/><small class="muted">{m.why.clone()}</small></span>
                                <span class="move-days">{label(&m.from_day)}" → "<strong>{label(&m.to_day)}</strong></span>
                                {move || if accepted.with(|a| a.contains(&id)) {
                                    let (ids, froms) = (ids.clone(), froms.clone());
                                    view! {
                                        <span class="pill pill-ok">"moved"</span>
                                        <button class="btn btn-small" on:click=move |_| send(ids.clone(), froms.clone(), false)>"Undo"</button>
                                    }.into_any()
                                } else {
                                    let (ids, tos) = (ids.clone(), tos.clone());
                                    view! { <button class="btn btn-small" on:click=move |_| send(ids.clone(), tos.clone(), true)>"Accept"</button> }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view();
                    let days = s.per_day.iter().filter(|d| d.stops_before + d.stops_after > 0).map(|d| {
                        let changed = d.stops_before != d.stops_after || (d.km_before - d.km_after).abs() >= 0.05;
                        view! {
                            <tr class:changed=changed>
                                <th scope="row">{label(&d.day)}</th>
                                <td class="num">{d.stops_before}" → "{d.stops_after}</td>
                                <td class="num">{d.vans_before}" → "{d.vans_after}</td>
                                <td class="num">{format!("{:.1} → {:.1}", d.km_before, d.km_after)}</td>
                            </tr>
                        }
                    }).collect_view();
                    let none = s.moves.is_empty();
                    let unplaced = (s.unplaced_after > 0).then(|| view! {
                        <p class="notice small">{format!("{} stop(s) fit no van on their day (window, load or shift); counted as a trip out and back.", s.unplaced_after)}</p>
                    });
                    view! {
                        <p class="suggest-figures" data-testid="suggest-figures">
                            {format!("{} deliveries over {} days, {} flexible · as booked {:.1} km, {:.1} h → planned {:.1} km, {:.1} h", s.orders, s.days, s.flexible, s.fixed_km, s.fixed_hours, s.suggested_km, s.suggested_hours)}
                            {(saved_km > 0.0).then(|| view! { <span class="pill pill-ok">{format!("saves {:.1} km · {}", saved_km, format_cents(s.saved_cents, &s.currency))}</span> })}
                        </p>
                        {unplaced}
                        <details class="plan-days">
                            <summary>"Day by day"</summary>
                            <table class="table table-compact" data-testid="plan-days">
                                <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">"Stops"</th><th scope="col" class="num">"Vans"</th><th scope="col" class="num">"km"</th></tr></thead>
                                <tbody>{days}</tbody>
                            </table>
                        </details>
                        {if none {
                            view! { <p class="muted">"Every flexible order is already on its best day."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="moves">{rows}</ul>
                                <div class="actions">
                                    <button class="btn" on:click=accept_all>"Accept all"</button>
                                    {move || (!accepted.with(Vec::is_empty)).then(|| view! {
                                        <button class="btn" on:click=undo_all.clone()>"Undo accepted moves"</button>
                                    })}
                                </div>
                            }.into_any()
                        }}
                    }.into_any()
                }),
            })}
            {move || accept.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        </section>
    }
}
