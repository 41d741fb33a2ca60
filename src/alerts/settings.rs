//! Settings → Alerts: each kind in the bell, by email and as a notification, saved as soon as
//! a box changes; and the devices that get notifications (this one switched on or off here).
use leptos::prelude::*;

use super::api::{get_alert_settings, ForgetPushDevice, SavePushDevice, SetAlertSetting};
use super::{Device, Setting};
use crate::ui::{ErrorNotice, Loading};
use crate::words::{tr, tr_with};

#[component]
pub fn AlertsSection() -> impl IntoView {
    let save = ServerAction::<SetAlertSetting>::new();
    let add = ServerAction::<SavePushDevice>::new();
    let forget = ServerAction::<ForgetPushDevice>::new();
    let data = Resource::new(
        move || {
            (
                save.version().get(),
                add.version().get(),
                forget.version().get(),
            )
        },
        |_| get_alert_settings(),
    );
    view! {
        <section class="card" id="alerts">
            <h2>{tr("alerts-settings-title")}</h2>
            <p class="muted small">{tr("alerts-settings-hint")}</p>
            <Transition fallback=|| view! { <Loading label=tr("alerts-settings-title")/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(s) => {
                            let note = if s.can_email {
                                tr_with("alerts-email-to", &[("emails", s.recipients.join(", "))])
                            } else {
                                tr("alerts-email-off")
                            };
                            view! {
                                <table class="table alert-kinds">
                                    <thead><tr>
                                        <th scope="col">{tr("alerts-kind")}</th>
                                        <th scope="col">{tr("alerts-in-app")}</th>
                                        <th scope="col">{tr("alerts-by-email")}</th>
                                        <th scope="col">{tr("alerts-by-push")}</th>
                                    </tr></thead>
                                    <tbody>{s.kinds.into_iter().map(|k| view! { <KindRow k save/> }).collect_view()}</tbody>
                                </table>
                                <p class="muted small">{note}</p>
                                <Devices key=s.push_key devices=s.devices add forget/>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            {move || save.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            {move || forget.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
        </section>
    }
}

#[component]
fn KindRow(k: Setting, save: ServerAction<SetAlertSetting>) -> impl IntoView {
    let in_app = RwSignal::new(k.in_app);
    let email = RwSignal::new(k.email);
    let push = RwSignal::new(k.push);
    let kind = k.kind.clone();
    let send = move || {
        save.dispatch(SetAlertSetting {
            kind: kind.clone(),
            in_app: in_app.get_untracked(),
            email: email.get_untracked(),
            push: push.get_untracked(),
        });
    };
    let send2 = send.clone();
    let send3 = send.clone();
    let name = tr(&format!("alerts-kind-{}", k.kind));
    view! {
        <tr>
            <th scope="row">{name.clone()}</th>
            <td><label class="check"><input type="checkbox" name=format!("{}-in-app", k.kind) prop:checked=move || in_app.get()
                on:change=move |ev| { in_app.set(event_target_checked(&ev)); send(); }/>
                <span class="sr-only">{format!("{name}: {}", tr("alerts-in-app"))}</span></label></td>
            <td><label class="check"><input type="checkbox" name=format!("{}-email", k.kind) prop:checked=move || email.get()
                on:change=move |ev| { email.set(event_target_checked(&ev)); send2(); }/>
                <span class="sr-only">{format!("{name}: {}", tr("alerts-by-email"))}</span></label></td>
            <td><label class="check"><input type="checkbox" name=format!("{}-push", k.kind) prop:checked=move || push.get()
                on:change=move |ev| { push.set(event_target_checked(&ev)); send3(); }/>
                <span class="sr-only">{format!("{name}: {}", tr("alerts-by-push"))}</span></label></td>
        </tr>
    }
}

/// The devices that get notifications, and switching this one on.
#[component]
fn Devices(
    key: Option<String>,
    devices: Vec<Device>,
    add: ServerAction<SavePushDevice>,
    forget: ServerAction<ForgetPushDevice>,
) -> impl IntoView {
    // What switching on said (unsupported, refused, failed), and this browser's own push
    // address once known (to mark it in the list).
    let said = RwSignal::new(None::<String>);
    let mine = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| own_endpoint(mine));
    let switch_on = move |_| {
        let Some(key) = key.clone() else {
            return;
        };
        busy.set(true);
        said.set(None);
        subscribe(key, move |r| {
            busy.set(false);
            match r {
                Ok(sub) => {
                    mine.set(Some(sub.endpoint.clone()));
                    add.dispatch(sub);
                }
                Err(e) => said.set(Some(e)),
            }
        });
    };
    let empty = devices.is_empty();
    view! {
        <h3 class="subhead">{tr("push-title")}</h3>
        <p class="muted small">{tr("push-hint")}</p>
        <ul class="push-devices" data-testid="push-devices">
            {devices.into_iter().map(|d| {
                let id = d.id;
                let endpoint = d.endpoint.clone();
                let this = move || mine.get().as_deref() == Some(endpoint.as_str());
                let label = if d.device.is_empty() { tr("push-device-unnamed") } else { d.device.clone() };
                let remove_label = tr_with("push-remove-named", &[("device", label.clone())]);
                view! {
                    <li>
                        <span>{label}</span>
                        <span class="muted small">{tr_with("push-device-of", &[("owner", d.owner), ("since", d.since)])}</span>
                        {move || this().then(|| view! { <span class="pill pill-info">{tr("push-this-device")}</span> })}
                        {d.last_error.map(|e| view! { <span class="form-error small">{tr_with("push-device-error", &[("error", e)])}</span> })}
                        <button type="button" class="btn btn-small" aria-label=remove_label
                            on:click=move |_| { forget.dispatch(ForgetPushDevice { id }); }>{tr("push-remove")}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        {empty.then(|| view! { <p class="muted small">{tr("push-none")}</p> })}
        <button type="button" class="btn" data-testid="push-on" disabled=move || busy.get() on:click=switch_on>{tr("push-switch-on")}</button>
        {move || said.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || add.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
    }
}

/// This browser's push address, if it has subscribed (to mark "this device").
fn own_endpoint(mine: RwSignal<Option<String>>) {
    #[cfg(feature = "hydrate")]
    call_js("hearthPushEndpoint", None, move |r| {
        if let Ok(v) = r {
            mine.set(v.as_string().filter(|s| !s.is_empty()));
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = mine;
}

/// Asks the browser for permission and a push subscription with the server's `key`; `done`
/// gets the subscription to save, or what went wrong in the reader's words.
fn subscribe(key: String, done: impl FnOnce(Result<SavePushDevice, String>) + 'static) {
    #[cfg(feature = "hydrate")]
    call_js("hearthPushSubscribe", Some(key), move |r| {
        let parsed = r
            .map_err(|e| e.as_string().unwrap_or_default())
            .and_then(|v| {
                let text = v.as_string().unwrap_or_default();
                let json: serde_json::Value =
                    serde_json::from_str(&text).map_err(|e| e.to_string())?;
                let field = |p: &str| {
                    json.pointer(p)
                        .and_then(|x| x.as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                Ok(SavePushDevice {
                    endpoint: field("/endpoint"),
                    p256dh: field("/keys/p256dh"),
                    auth: field("/keys/auth"),
                    device: field("/device"),
                })
            });
        done(parsed.map_err(|e| match e.as_str() {
            "unsupported" => tr("push-unsupported"),
            "denied" => tr("push-denied"),
            other => tr_with("push-failed", &[("error", other.to_string())]),
        }));
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, done);
}

/// Calls `window[name](arg)` (from /pwa.js), which returns a promise; `done` gets what it
/// resolved or rejected with (a missing function rejects with "unsupported").
#[cfg(feature = "hydrate")]
fn call_js(
    name: &str,
    arg: Option<String>,
    done: impl FnOnce(Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>) + 'static,
) {
    use wasm_bindgen::JsCast;
    let w = js_sys::global();
    let promise = js_sys::Reflect::get(&w, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| match &arg {
            Some(a) => f.call1(&w, &a.into()).ok(),
            None => f.call0(&w).ok(),
        })
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    let Some(promise) = promise else {
        done(Err("unsupported".into()));
        return;
    };
    leptos::task::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await);
    });
}
