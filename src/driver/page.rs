//! `/driver`: the driver's run on a phone. Big one-handed cards per stop with Arrived,
//! Delivered (recipient, cash) and Failed (reason). Updates go through an outbox kept on the
//! phone, so a driver without signal keeps working; they are sent in order, exactly once
//! (each carries a key made on the phone), and refusals are shown, never dropped.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::actions::{DriverUpdate, FAIL_REASONS};
use super::api::{get_driver_day, DriverDay, Stop};
use crate::orders::model::OrderStatus;
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{money, tr, tr_count, tr_with};

/// An update waiting to be sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub key: String,
    pub order_id: i64,
    pub number: i64,
    pub action: String,
    pub recipient: Option<String>,
    pub cash_cents: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    /// Proof of delivery, a JPEG already shrunk on the phone (base64).
    #[serde(default)]
    pub photo: Option<String>,
}

impl Pending {
    fn to_call(&self) -> DriverUpdate {
        DriverUpdate {
            key: self.key.clone(),
            order_id: self.order_id,
            action: self.action.clone(),
            recipient: self.recipient.clone(),
            cash_cents: self.cash_cents,
            reason: self.reason.clone(),
            note: self.note.clone(),
            photo: self.photo.clone(),
        }
    }
}

#[cfg(feature = "hydrate")]
const OUTBOX: &str = "hearth.driver.outbox";

/// The outbox in the phone's local storage (empty on the server).
fn load_outbox() -> Vec<Pending> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::get(OUTBOX).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

fn save_outbox(items: &[Pending]) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        let _ = gloo_storage::LocalStorage::set(OUTBOX, items);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = items;
}

/// Asks the service worker to keep a fresh copy of this page for offline use (public/pwa.js);
/// `ready` turns true once the copy is stored.
fn keep_page(ready: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let w = js_sys::global();
        let promise = js_sys::Reflect::get(&w, &"hearthKeepPage".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call0(&w).ok())
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
        if let Some(promise) = promise {
            leptos::task::spawn_local(async move {
                if let Ok(v) = wasm_bindgen_futures::JsFuture::from(promise).await {
                    if v.as_bool() == Some(true) {
                        ready.set(true);
                    }
                }
            });
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ready;
}

/// Outbox state shared by the page.
#[derive(Clone, Copy)]
struct Outbox {
    items: RwSignal<Vec<Pending>>,
    /// Updates the server accepted since the page loaded (photos dropped): the page shows
    /// them at once, without waiting for a reload to bring the server's copy.
    confirmed: RwSignal<Vec<Pending>>,
    /// A fresh copy of the page is stored on the phone for offline use.
    offline_ready: RwSignal<bool>,
    /// Refusals from the server, shown until dismissed.
    refused: RwSignal<Vec<String>>,
    sending: RwSignal<bool>,
    online: RwSignal<bool>,
}

impl Outbox {
    /// The phone's latest word on an order: waiting to be sent, else accepted by the server.
    fn latest(self, order_id: i64, action: Option<&str>) -> Option<Pending> {
        let pick = |v: &Vec<Pending>| {
            v.iter()
                .rev()
                .find(|p| p.order_id == order_id && action.is_none_or(|a| p.action == a))
                .cloned()
        };
        self.items.with(pick).or_else(|| self.confirmed.with(pick))
    }

    fn push(self, p: Pending) {
        self.items.update(|v| v.push(p));
        save_outbox(&self.items.get_untracked());
        self.flush();
    }

    /// Sends waiting updates in order until one can't be sent.
    fn flush(self) {
        if self.sending.get_untracked() || self.items.with_untracked(Vec::is_empty) {
            return;
        }
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let mut sent = false;
            while let Some(next) = self.items.with_untracked(|v| v.first().cloned()) {
                let call = next.to_call();
                let result = super::actions::driver_update(
                    call.key,
                    call.order_id,
                    call.action,
                    call.recipient,
                    call.cash_cents,
                    call.reason,
                    call.note,
                    call.photo,
                )
                .await;
                match result {
                    Ok(_) => self.confirmed.update(|c| {
                        c.push(Pending {
                            photo: None,
                            ..next.clone()
                        })
                    }),
                    Err(crate::error::AppError::Transport(_)) => {
                        self.online.set(false);
                        break;
                    }
                    Err(e) => self
                        .refused
                        .update(|r| r.push(format!("#{}: {e}", next.number))),
                }
                self.online.set(true);
                sent = true;
                self.items.update(|v| {
                    v.retain(|p| p.key != next.key);
                });
                save_outbox(&self.items.get_untracked());
            }
            if sent {
                keep_page(self.offline_ready);
            }
            self.sending.set(false);
        });
    }
}

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

/// One stop: who, where, what to collect; call, navigate, and the delivery actions.
#[component]
fn StopCard(index: usize, stop: Stop, currency: String, outbox: Outbox) -> impl IntoView {
    let nav = match (stop.lat, stop.lng) {
        (Some(lat), Some(lng)) => format!("geo:{lat:.6},{lng:.6}?q={lat:.6},{lng:.6}"),
        _ => format!("geo:0,0?q={}", stop.address.replace(' ', "+")),
    };
    let tel = format!("tel:{}", stop.phone);
    let s = StoredValue::new(stop.clone());
    let outcome = move || s.with_value(|st| local_outcome(st, outbox));
    let finished = move || {
        matches!(outcome().as_deref(), Some("delivered" | "failed"))
            || s.with_value(|st| st.status == OrderStatus::Delivered)
    };
    // Which form is open: none, "delivered" or "failed".
    let open = RwSignal::new(None::<&'static str>);
    let recipient = RwSignal::new(String::new());
    let cash = RwSignal::new(if stop.cash_cents > 0 {
        format!("{:.2}", stop.cash_cents as f64 / 100.0)
    } else {
        String::new()
    });
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let photo = RwSignal::new(None::<Photo>);
    let photo_note = RwSignal::new(None::<String>);
    let on_photo = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                photo_note.set(Some(tr("driver-photo-shrinking")));
                leptos::task::spawn_local(async move {
                    match shrink(file).await {
                        Ok(p) => {
                            photo_note.set(None);
                            photo.set(Some(p));
                        }
                        Err(e) => photo_note.set(Some(e)),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, photo, photo_note);
    };
    let card = NodeRef::<leptos::html::Li>::new();
    // Opening a form moves the focus to its first field (the form appears below the buttons).
    let first_field = NodeRef::<leptos::html::Input>::new();
    let why = NodeRef::<leptos::html::Select>::new();
    let show_form = move |which: &'static str| {
        open.set(Some(which));
        request_animation_frame(move || {
            let _ = match which {
                "delivered" => first_field.get_untracked().map(|el| el.focus()),
                _ => why.get_untracked().map(|el| el.focus()),
            };
        });
    };
    let heard = use_context::<Heard>();
    let send = move |action: &str| {
        let st = s.get_value();
        let cash_cents = (action == "delivered" && st.cash_cents > 0).then(|| {
            cash.get_untracked()
                .trim()
                .replace(',', ".")
                .parse::<f64>()
                .map(|v| (v * 100.0).round() as i64)
                .unwrap_or(0)
        });
        let text = |v: RwSignal<String>| Some(v.get_untracked()).filter(|x| !x.trim().is_empty());
        outbox.push(Pending {
            key: crate::ui::browser_key(""),
            order_id: st.order_id,
            number: st.number,
            action: action.to_string(),
            recipient: if action == "delivered" {
                text(recipient)
            } else {
                None
            },
            cash_cents,
            reason: if action == "failed" {
                text(reason)
            } else {
                None
            },
            note: if action == "failed" { text(note) } else { None },
            photo: if action == "delivered" {
                photo.get_untracked().map(|p| p.base64)
            } else {
                None
            },
        });
        photo.set(None);
        open.set(None);
        let said = match action {
            "delivered" => "driver-heard-delivered",
            "failed" => "driver-heard-failed",
            _ => "driver-heard-arrived",
        };
        if let Some(Heard(heard)) = heard {
            heard.set(tr_with(
                said,
                &[
                    ("index", index.to_string()),
                    ("name", st.first_name.clone()),
                ],
            ));
        }
        // The buttons that had focus are gone once the stop is done: focus stays on the stop.
        if action != "arrived" {
            if let Some(card) = card.get_untracked() {
                let _ = card.focus();
            }
        }
    };
    let label = move || match outcome().as_deref() {
        Some("delivered") => tr("status-delivered"),
        Some("failed") => tr("driver-not-delivered"),
        Some("arrived") => tr("driver-at-the-door"),
        _ => s.with_value(|st| st.status.word()),
    };
    let cash_due = stop.cash_cents;
    let cur = StoredValue::new(currency.clone());
    view! {
        <li class="stop card" class:stop-done=finished data-order=stop.order_id.to_string() node_ref=card tabindex="-1"
            aria-label=tr_with("driver-stop", &[("index", index.to_string()), ("name", stop.first_name.clone())])>
            <div class="stop-head">
                <span class="stop-index">{index}</span>
                <div class="stop-who">
                    <strong>{stop.first_name.clone()}</strong>
                    <span class="muted">{format!("#{}", stop.number)}{stop.window.clone().map(|w| format!(" · {w}"))}</span>
                    {stop.eta.clone().map(|e| view! { <span class="stop-eta">{tr_with("driver-eta", &[("time", e)])}</span> })}
                </div>
                <span class="pill stop-state" data-testid="stop-state">{label}</span>
            </div>
            <p class="stop-address">{stop.address.clone()}</p>
            <div class="stop-facts">
                <span>{tr_count("driver-items", stop.items as usize)}</span>
                {(stop.cash_cents > 0).then(|| view! { <span class="pill pill-cash">{tr_with("driver-collect", &[("amount", money(stop.cash_cents, &currency))])}</span> })}
                {stop.district.clone().map(|d| view! { <span class="muted">{d}</span> })}
            </div>
            {stop.notes.clone().map(|n| view! { <p class="stop-notes">"📝 "{n}</p> })}
            {stop.allergies.clone().map(|a| view! { <p class="stop-allergies">{format!("⚠ {}: ", tr("allergies"))}{a}</p> })}
            <Show when=move || !finished()>
                <div class="stop-actions">
                    <a class="btn btn-lg" href=tel.clone()>{tr("driver-call")}</a>
                    <a class="btn btn-lg btn-primary" href=nav.clone()>{tr("driver-navigate")}</a>
                </div>
                <div class="stop-actions">
                    <button class="btn btn-lg" disabled=move || outcome().is_some() on:click=move |_| send("arrived")>{tr("driver-arrived")}</button>
                    <button class="btn btn-lg btn-ok" on:click=move |_| show_form("delivered")>{tr("status-delivered")}</button>
                    <button class="btn btn-lg btn-danger" on:click=move |_| show_form("failed")>{tr("driver-failed")}</button>
                </div>
                <Show when=move || open.get() == Some("delivered")>
                    <div class="stop-form">
                        <label class="field"><span>{tr("driver-received-by")}</span>
                            <input node_ref=first_field autocomplete="off" placeholder=tr("driver-received-by-hint") prop:value=move || recipient.get() on:input=move |e| recipient.set(event_target_value(&e))/>
                        </label>
                        {(cash_due > 0).then(|| view! {
                            <label class="field"><span>{tr_with("driver-cash-collected", &[("amount", cur.with_value(|c| money(cash_due, c)))])}</span>
                                <input inputmode="decimal" prop:value=move || cash.get() on:input=move |e| cash.set(event_target_value(&e))/>
                            </label>
                        })}
                        <label class="field"><span>{tr("driver-photo")}</span>
                            <input type="file" accept="image/*" capture="environment" aria-label=tr("driver-photo-label") on:change=on_photo/>
                        </label>
                        {move || photo_note.get().map(|n| view! { <p class="muted small" role="status">{n}</p> })}
                        {move || photo.get().map(|p| view! {
                            <div class="photo-preview">
                                <img src=format!("data:image/jpeg;base64,{}", p.base64) alt=tr("driver-photo-alt")/>
                                <span class="muted small" data-testid="photo-size">{tr_with("driver-photo-size", &[("width", p.width.to_string()), ("height", p.height.to_string()), ("kb", (p.bytes / 1024).to_string())])}</span>
                            </div>
                        })}
                        <button class="btn btn-lg btn-primary" on:click=move |_| send("delivered")>{tr("driver-confirm-delivery")}</button>
                    </div>
                </Show>
                <Show when=move || open.get() == Some("failed")>
                    <div class="stop-form">
                        <label class="field"><span>{tr("driver-why")}</span>
                            <select node_ref=why prop:value=move || reason.get() on:change=move |e| reason.set(event_target_value(&e))>
                                <option value="">{tr("driver-choose-reason")}</option>
                                {FAIL_REASONS.iter().enumerate().map(|(i, r)| view! { <option value=*r>{tr(&format!("fail-reason-{}", i + 1))}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="field"><span>{tr("note")}</span>
                            <input autocomplete="off" prop:value=move || note.get() on:input=move |e| note.set(event_target_value(&e))/>
                        </label>
                        <button class="btn btn-lg btn-danger" disabled=move || reason.get().is_empty() on:click=move |_| send("failed")>{tr("driver-confirm-failed")}</button>
                    </div>
                </Show>
            </Show>
        </li>
    }
}

/// A photo shrunk on the phone, ready to send.
#[derive(Clone, Debug, PartialEq)]
struct Photo {
    base64: String,
    width: u32,
    height: u32,
    bytes: usize,
}

/// Longest side of a photo as sent.
#[cfg(feature = "hydrate")]
const PHOTO_SIDE: f64 = 1280.0;

/// Shrinks a camera photo on the phone (longest side 1280 px, JPEG at 72 %): a 12-megapixel
/// shot of several MB becomes ~150–300 KB, small enough for a weak signal and the outbox.
#[cfg(feature = "hydrate")]
async fn shrink(file: web_sys::File) -> Result<Photo, String> {
    let (base64, width, height) = crate::ui::files::shrink_jpeg(file, PHOTO_SIDE).await?;
    Ok(Photo {
        bytes: base64.len() * 3 / 4,
        base64,
        width,
        height,
    })
}

/// A small map of the run: the kitchen, the line through the stops, numbered pins.
#[component]
fn RunMap(day: DriverDay) -> impl IntoView {
    let tiles = (day.tile_url.clone(), day.tile_attribution.clone());
    let draw = crate::map_draw!(move |map: &leaflet::Map, _: &web_sys::HtmlDivElement| {
        draw_run(map, &day)
    });
    view! { <crate::ui::map::LeafletMap tiles draw class="map map-small" label=tr("driver-map")/> }
}

#[cfg(feature = "hydrate")]
fn draw_run(map: &leaflet::Map, day: &DriverDay) {
    use crate::ui::map::div_icon;
    use leaflet::{LatLng, Marker, MarkerOptions, Polyline, PolylineOptions};
    let line = js_sys::Array::new();
    if let Some([lat, lng]) = day.kitchen {
        line.push(&LatLng::new(lat, lng));
        let opts = MarkerOptions::new();
        // A picture of the run: the stops' list below is what the driver works with.
        opts.set_interactive(false);
        opts.set_keyboard(false);
        if let Some(icon) = div_icon("⌂", "kitchen-pin", 26.0) {
            opts.set_icon(icon);
        }
        Marker::new_with_options(&LatLng::new(lat, lng), &opts).add_to(map);
    }
    for (i, s) in day.stops.iter().enumerate() {
        let (Some(lat), Some(lng)) = (s.lat, s.lng) else {
            continue;
        };
        let p = LatLng::new(lat, lng);
        line.push(&p);
        let opts = MarkerOptions::new();
        opts.set_interactive(false);
        opts.set_keyboard(false);
        let done = s.status == OrderStatus::Delivered || s.outcome.is_some();
        let colour = if done { "#a89c91" } else { "#7a3e12" };
        if let Some(icon) = div_icon(
            &format!("<span style=\"background:{colour}\">{}</span>", i + 1),
            "stop-pin",
            24.0,
        ) {
            opts.set_icon(icon);
        }
        Marker::new_with_options(&p, &opts).add_to(map);
    }
    if let Some([lat, lng]) = day.kitchen {
        line.push(&LatLng::new(lat, lng));
    }
    let opts = PolylineOptions::new();
    opts.set_color("#7a3e12".to_string());
    opts.set_weight(4.0);
    opts.set_opacity(0.75);
    Polyline::new_with_options(&line, &opts).add_to(map);
    crate::ui::map::frame(map, &line);
}
