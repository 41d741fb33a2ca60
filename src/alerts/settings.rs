//! Settings → Alerts: each kind in the bell and by email, saved as soon as a box changes.
use leptos::prelude::*;

use super::api::{get_alert_settings, SetAlertSetting};
use super::Setting;
use crate::ui::{ErrorNotice, Loading};
use crate::words::{tr, tr_with};

#[component]
pub fn AlertsSection() -> impl IntoView {
    let save = ServerAction::<SetAlertSetting>::new();
    let data = Resource::new(move || save.version().get(), |_| get_alert_settings());
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
                                    </tr></thead>
                                    <tbody>{s.kinds.into_iter().map(|k| view! { <KindRow k save/> }).collect_view()}</tbody>
                                </table>
                                <p class="muted small">{note}</p>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            {move || save.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
        </section>
    }
}

#[component]
fn KindRow(k: Setting, save: ServerAction<SetAlertSetting>) -> impl IntoView {
    let in_app = RwSignal::new(k.in_app);
    let email = RwSignal::new(k.email);
    let kind = k.kind.clone();
    let send = move || {
        save.dispatch(SetAlertSetting {
            kind: kind.clone(),
            in_app: in_app.get_untracked(),
            email: email.get_untracked(),
        });
    };
    let send2 = send.clone();
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
        </tr>
    }
}
