//! `/driver`: the driver's run on a phone. Big one-handed cards per stop with Arrived,
//! Delivered (recipient, cash) and Failed (reason). Updates go through an outbox kept on the
//! phone, so a driver without signal keeps working; they are sent in order, exactly once
//! (each carries a key made on the phone), and refusals are shown, never dropped.
use leptos::prelude::*;

use super::api::{get_driver_day, DriverDay, Stop};
use crate::orders::model::OrderStatus;
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{money, tr, tr_count};

mod map;
mod outbox;
mod stop;

use map::RunMap;
#[cfg(feature = "hydrate")]
use outbox::keep_page;
pub use outbox::Pending;
use outbox::{load_outbox, Outbox};
use stop::StopCard;

/// The driver's page.
#[component]
pub fn DriverPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_driver_day());
    let outbox = Outbox {
        items: RwSignal::new(Vec::new()),
        confirmed: RwSignal::new(Vec::new()),
        offline_ready: RwSignal::new(false),
        refused: RwSignal::new(Vec::new()),
        sending: RwSignal::new(false),
        online: RwSignal::new(true),
    };
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            outbox.items.set(load_outbox());
            outbox.flush();
            // Right after the first signed-in load the page must already open offline.
            keep_page(outbox.offline_ready);
        });
        if let Some(w) = web_sys::window() {
            // Listeners that go away with the page (dropped on cleanup).
            let online = gloo_events::EventListener::new(&w, "online", move |_| outbox.flush());
            let offline =
                gloo_events::EventListener::new(&w, "offline", move |_| outbox.online.set(false));
            let keep = send_wrapper::SendWrapper::new((online, offline));
            on_cleanup(move || drop(keep));
            // Also retry every 15 s: "online" events are not reliable on every phone.
            if let Ok(tick) =
                set_interval_with_handle(move || outbox.flush(), std::time::Duration::from_secs(15))
            {
                on_cleanup(move || tick.clear());
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = load_outbox;
    // What a screen reader says when a stop is marked (a live region there from the start).
    let heard = RwSignal::new(String::new());
    provide_context(Heard(heard));
    view! {
        <crate::ui::LiveRegion said=heard testid="driver-heard"/>
        <OutboxBanner outbox/>
        <Suspense fallback=|| view! { <Loading label=tr("driver-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(day) => view! { <DriverView day outbox/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The driver page's polite live region.
#[derive(Clone, Copy)]
struct Heard(RwSignal<String>);

#[component]
fn OutboxBanner(outbox: Outbox) -> impl IntoView {
    let waiting = move || outbox.items.with(Vec::len);
    view! {
        {move || (waiting() > 0).then(|| {
            let n = waiting();
            let text = if outbox.online.get() {
                tr_count("driver-outbox-sending", n)
            } else {
                tr_count("driver-outbox-offline", n)
            };
            view! { <div class="outbox-banner" role="status" data-testid="outbox">{text}</div> }
        })}
        {move || outbox.refused.with(|r| r.clone()).into_iter().map(|m| view! {
            <div class="outbox-refused" role="alert">
                <span>{m.clone()}</span>
                <button class="btn btn-small" on:click=move |_| outbox.refused.update(|r| r.retain(|x| *x != m))>{tr("ok")}</button>
            </div>
        }).collect_view()}
    }
}

/// The stop's state as the phone knows it: updates waiting or accepted, else the server's
/// copy from when the page loaded.
fn local_outcome(stop: &Stop, outbox: Outbox) -> Option<String> {
    outbox
        .latest(stop.order_id, None)
        .map(|p| p.action)
        .or_else(|| stop.outcome.clone())
}

#[component]
fn DriverView(day: DriverDay, outbox: Outbox) -> impl IntoView {
    let cur = day.currency.clone();
    let stops = StoredValue::new(day.stops.clone());
    let done = move |s: &Stop| {
        matches!(
            local_outcome(s, outbox).as_deref(),
            Some("delivered" | "failed")
        ) || s.status == OrderStatus::Delivered
    };
    let remaining = move || stops.with_value(|v| v.iter().filter(|s| !done(s)).count());
    let cash_left = move || {
        stops.with_value(|v| {
            v.iter()
                .filter(|s| !done(s))
                .map(|s| s.cash_cents)
                .sum::<i64>()
        })
    };
    let subtitle = match &day.run {
        Some(run) => run.clone(),
        None => tr("driver-no-run-published"),
    };
    let cur2 = cur.clone();
    let cur3 = cur.clone();
    let empty = day.stops.is_empty();
    view! {
        <PageHeader title=tr("driver-title") subtitle=subtitle/>
        <div class="driver-summary card">
            <div><span class="kpi-label">{tr("driver-stops-left")}</span><span class="kpi-value">{remaining}</span></div>
            <div><span class="kpi-label">{tr("driver-cash-to-collect")}</span><span class="kpi-value">{move || money(cash_left(), &cur2)}</span></div>
            {move || outbox.offline_ready.get().then(|| view! {
                <p class="offline-ready muted small" data-testid="offline-ready">{tr("driver-offline-ready")}</p>
            })}
        </div>
        {(!empty && day.stops.iter().any(|s| s.lat.is_some())).then(|| view! {
            <div class="card driver-map"><RunMap day=day.clone()/></div>
        })}
        {if empty {
            view! { <div class="card empty-state"><h2>{tr("driver-no-run")}</h2><p class="muted">{tr("driver-no-run-hint")}</p></div> }.into_any()
        } else {
            view! {
                <ol class="stops">
                    {day.stops.into_iter().enumerate().map(|(i, stop)| view! { <StopCard index=i + 1 stop currency=cur.clone() outbox/> }).collect_view()}
                </ol>
                <CashUp stops outbox currency=cur3/>
            }.into_any()
        }}
    }
}

/// End of run: cash on delivery expected against collected, per order and in total.
#[component]
fn CashUp(stops: StoredValue<Vec<Stop>>, outbox: Outbox, currency: String) -> impl IntoView {
    let rows = move || {
        stops.with_value(|v| {
            v.iter()
                .filter(|s| s.cod_cents > 0)
                .map(|s| {
                    let pending = outbox.latest(s.order_id, Some("delivered"));
                    let collected = pending
                        .as_ref()
                        .and_then(|p| p.cash_cents)
                        .or(s.cash_collected_cents);
                    let delivered = pending.is_some() || s.outcome.as_deref() == Some("delivered");
                    (
                        s.number,
                        s.first_name.clone(),
                        s.cod_cents,
                        delivered,
                        collected,
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let cur = StoredValue::new(currency);
    view! {
        <section class="card cash-up" data-testid="cash-up">
            <h2>{tr("driver-cash-up")}</h2>
            <table class="cash-table">
                <thead><tr><th>{tr("driver-order")}</th><th class="num">{tr("driver-expected")}</th><th class="num">{tr("driver-collected")}</th></tr></thead>
                <tbody>
                    {move || rows().into_iter().map(|(number, name, expected, delivered, collected)| {
                        let expected_now = if delivered { expected } else { 0 };
                        let got = collected.unwrap_or(0);
                        let off = delivered && got != expected;
                        view! {
                            <tr class:cash-off=off>
                                <td>{format!("#{number} {name}")}{(!delivered).then(|| view! { <small class="muted">{format!(" · {}", tr("driver-not-delivered-yet"))}</small> })}</td>
                                <td class="num">{cur.with_value(|c| money(expected_now, c))}</td>
                                <td class="num">{cur.with_value(|c| money(got, c))}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    {move || {
                        let r = rows();
                        let expected: i64 = r.iter().filter(|x| x.3).map(|x| x.2).sum();
                        let got: i64 = r.iter().map(|x| x.4.unwrap_or(0)).sum();
                        view! {
                            <tr class:cash-off=expected != got>
                                <th>{tr("total")}</th>
                                <th class="num" data-testid="cash-expected">{cur.with_value(|c| money(expected, c))}</th>
                                <th class="num" data-testid="cash-collected">{cur.with_value(|c| money(got, c))}</th>
                            </tr>
                        }
                    }}
                </tfoot>
            </table>
        </section>
    }
}
