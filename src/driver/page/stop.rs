//! One stop's card on the driver's phone: Arrived, Delivered (recipient, cash, photo) and
//! Failed (reason), each through the outbox.
use leptos::prelude::*;

use super::outbox::{Outbox, Pending};
use super::{local_outcome, Heard};
use crate::driver::actions::FAIL_REASONS;
use crate::driver::api::Stop;
use crate::orders::model::OrderStatus;
use crate::words::{money, tr, tr_count, tr_with};

/// What the driver fills in on a stop's forms: who took it, the cash, a photo (and how its
/// shrinking goes), or why it failed and a note.
#[derive(Clone, Copy)]
struct Report {
    recipient: RwSignal<String>,
    cash: RwSignal<String>,
    reason: RwSignal<String>,
    note: RwSignal<String>,
    photo: RwSignal<Option<Photo>>,
    photo_note: RwSignal<Option<String>>,
}

impl Report {
    fn new(cash_cents: i64) -> Report {
        Report {
            recipient: RwSignal::new(String::new()),
            cash: RwSignal::new(if cash_cents > 0 {
                format!("{:.2}", cash_cents as f64 / 100.0)
            } else {
                String::new()
            }),
            reason: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            photo: RwSignal::new(None),
            photo_note: RwSignal::new(None),
        }
    }

    /// The update for `action` on stop `st`, carrying only that action's fields.
    fn pending(self, st: &Stop, action: &str) -> Pending {
        let text = |v: RwSignal<String>| Some(v.get_untracked()).filter(|x| !x.trim().is_empty());
        let (delivered, failed) = (action == "delivered", action == "failed");
        let cash_cents = (delivered && st.cash_cents > 0).then(|| {
            self.cash
                .get_untracked()
                .trim()
                .replace(',', ".")
                .parse::<f64>()
                .map(|v| (v * 100.0).round() as i64)
                .unwrap_or(0)
        });
        Pending {
            key: crate::ui::browser_key(""),
            order_id: st.order_id,
            number: st.number,
            action: action.to_string(),
            recipient: text(self.recipient).filter(|_| delivered),
            cash_cents,
            reason: text(self.reason).filter(|_| failed),
            note: text(self.note).filter(|_| failed),
            photo: self
                .photo
                .get_untracked()
                .map(|p| p.base64)
                .filter(|_| delivered),
        }
    }
}

/// One stop: who, where, what to collect; call, navigate, and the delivery actions.
#[component]
pub(super) fn StopCard(
    index: usize,
    stop: Stop,
    currency: String,
    outbox: Outbox,
) -> impl IntoView {
    let nav = nav_link(&stop);
    let tel = format!("tel:{}", stop.phone);
    let s = StoredValue::new(stop.clone());
    let outcome = move || s.with_value(|st| local_outcome(st, outbox));
    let finished = move || {
        matches!(outcome().as_deref(), Some("delivered" | "failed"))
            || s.with_value(|st| st.status == OrderStatus::Delivered)
    };
    // Which form is open: none, "delivered" or "failed".
    let open = RwSignal::new(None::<&'static str>);
    let report = Report::new(stop.cash_cents);
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
    let send = sender(index, s, outbox, (report, open), card);
    let cur = StoredValue::new(currency.clone());
    let label = move || match outcome().as_deref() {
        Some("delivered") => tr("status-delivered"),
        Some("failed") => tr("driver-not-delivered"),
        Some("arrived") => tr("driver-at-the-door"),
        _ => s.with_value(|st| st.status.word()),
    };
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
                    <button class="btn btn-lg" disabled=move || outcome().is_some() on:click=move |_| send.run("arrived")>{tr("driver-arrived")}</button>
                    <button class="btn btn-lg btn-ok" on:click=move |_| show_form("delivered")>{tr("status-delivered")}</button>
                    <button class="btn btn-lg btn-danger" on:click=move |_| show_form("failed")>{tr("driver-failed")}</button>
                </div>
                <Show when=move || open.get() == Some("delivered")>
                    <DeliveredForm report send first_field cash_due=stop.cash_cents currency=cur.get_value()/>
                </Show>
                <Show when=move || open.get() == Some("failed")>
                    <FailedForm report send why/>
                </Show>
            </Show>
        </li>
    }
}

/// The phone's maps app at the stop (its pin, else its address).
fn nav_link(stop: &Stop) -> String {
    match (stop.lat, stop.lng) {
        (Some(lat), Some(lng)) => format!("geo:{lat:.6},{lng:.6}?q={lat:.6},{lng:.6}"),
        _ => format!("geo:0,0?q={}", stop.address.replace(' ', "+")),
    }
}

/// What marking the stop does (`arrived`, `delivered` or `failed`): the report goes to the
/// outbox (sent when there is signal), the form closes, the reader hears what was done, and
/// the focus stays on the stop once its buttons are gone.
fn sender(
    index: usize,
    s: StoredValue<Stop>,
    outbox: Outbox,
    (report, open): (Report, RwSignal<Option<&'static str>>),
    card: NodeRef<leptos::html::Li>,
) -> Callback<&'static str> {
    let heard = use_context::<Heard>();
    Callback::new(move |action: &'static str| {
        let st = s.get_value();
        outbox.push(report.pending(&st, action));
        report.photo.set(None);
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
    })
}

/// "Delivered": who took it, the cash collected when there is some to collect, a photo.
#[component]
fn DeliveredForm(
    report: Report,
    send: Callback<&'static str>,
    first_field: NodeRef<leptos::html::Input>,
    cash_due: i64,
    currency: String,
) -> impl IntoView {
    let Report {
        recipient,
        cash,
        photo,
        photo_note,
        ..
    } = report;
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
    view! {
        <div class="stop-form">
            <label class="field"><span>{tr("driver-received-by")}</span>
                <input node_ref=first_field autocomplete="off" placeholder=tr("driver-received-by-hint") prop:value=move || recipient.get() on:input=move |e| recipient.set(event_target_value(&e))/>
            </label>
            {(cash_due > 0).then(|| view! {
                <label class="field"><span>{tr_with("driver-cash-collected", &[("amount", money(cash_due, &currency))])}</span>
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
            <button class="btn btn-lg btn-primary" on:click=move |_| send.run("delivered")>{tr("driver-confirm-delivery")}</button>
        </div>
    }
}

/// "Failed": why (one of the reasons every report reads alike) and a note.
#[component]
fn FailedForm(
    report: Report,
    send: Callback<&'static str>,
    why: NodeRef<leptos::html::Select>,
) -> impl IntoView {
    let Report { reason, note, .. } = report;
    view! {
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
            <button class="btn btn-lg btn-danger" disabled=move || reason.get().is_empty() on:click=move |_| send.run("failed")>{tr("driver-confirm-failed")}</button>
        </div>
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
