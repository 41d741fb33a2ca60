//! `/account`: the signed-in person's own sign-in settings — two-factor sign-in with an
//! authenticator app, its recovery codes, turning it off.
use leptos::prelude::*;

use super::two_factor::{
    two_factor_status, ConfirmTwoFactor, DisableTwoFactor, StartTwoFactor, TwoFactor,
};
use crate::ui::{ErrorNotice, Loading, PageHeader};

#[component]
pub fn AccountPage() -> impl IntoView {
    let start = ServerAction::<StartTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let status = Resource::new(
        move || (confirm.version().get(), disable.version().get()),
        |_| two_factor_status(),
    );
    view! {
        <PageHeader title="Your account" subtitle="How you sign in to Hearth"/>
        <section class="card" id="two-factor" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">"Two-factor sign-in"</h2>
            <p class="muted small">"After your password, Hearth asks for a 6-digit code from an authenticator app on your phone (Google Authenticator, Aegis, 1Password…), so a stolen password alone can't open the bakery's data."</p>
            <Transition fallback=|| view! { <Loading label="Loading"/> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => view! { <TwoFactorCard s start confirm disable/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TwoFactorCard(
    s: TwoFactor,
    start: ServerAction<StartTwoFactor>,
    confirm: ServerAction<ConfirmTwoFactor>,
    disable: ServerAction<DisableTwoFactor>,
) -> impl IntoView {
    let codes = move || confirm.value().get().and_then(Result::ok);
    let error = move || {
        start
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| confirm.value().get().and_then(Result::err))
            .or_else(|| disable.value().get().and_then(Result::err))
    };
    let enrolment = move || start.value().get().and_then(Result::ok);
    let saved = RwSignal::new(false);
    let body = if s.enabled {
        view! {
            <p><span class="pill pill-paid">"On"</span>" "{format!("{} recovery codes left.", s.recovery_left)}</p>
            {move || codes().filter(|_| !saved.get()).map(|codes| view! { <RecoveryCodes codes saved/> })}
            {if s.required {
                view! { <p class="muted small">"The owner of a Hearth on the internet keeps it on. Lost your phone? Use a recovery code to sign in; on the server, hearth user reset-2fa turns it off."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=disable attr:class="form inline-form">
                        <label class="field"><span>"Code to turn it off"</span>
                            <input name="code" inputmode="numeric" autocomplete="one-time-code" placeholder="123 456"/></label>
                        <button type="submit" class="btn btn-ghost">"Turn off"</button>
                    </ActionForm>
                }.into_any()
            }}
        }.into_any()
    } else {
        view! {
            {s.required.then(|| view! {
                <p class="pill pill-warn" role="alert">"Required: set it up to keep using Hearth."</p>
            })}
            {move || match enrolment() {
                None => view! {
                    <button class="btn btn-primary" disabled=move || start.pending().get()
                        on:click=move |_| { start.dispatch(StartTwoFactor {}); }>
                        "Set up two-factor sign-in"
                    </button>
                }.into_any(),
                Some(e) => view! {
                    <ol class="steps">
                        <li>"Scan this code with your authenticator app:"
                            <img class="qr" src=e.qr_data_url alt="QR code for your authenticator app"/>
                            <span class="muted small">"Can't scan? Type this key: "<code data-testid="totp-secret">{e.secret}</code></span>
                        </li>
                        <li>"Type the 6-digit code the app shows:"
                            <ActionForm action=confirm attr:class="form inline-form">
                                <label class="field"><span>"Code"</span>
                                    <input name="code" inputmode="numeric" autocomplete="one-time-code" placeholder="123 456"/></label>
                                <button type="submit" class="btn btn-primary">"Turn on"</button>
                            </ActionForm>
                        </li>
                    </ol>
                }.into_any(),
            }}
        }.into_any()
    };
    view! {
        {body}
        {move || error().map(|error| view! { <ErrorNotice error/> })}
    }
}

/// The ten recovery codes, shown once, with a download.
#[component]
fn RecoveryCodes(codes: Vec<String>, saved: RwSignal<bool>) -> impl IntoView {
    let text = codes.join("\n");
    let download = move |_| {
        #[cfg(feature = "hydrate")]
        crate::ui::files::download("hearth-recovery-codes.txt", "text/plain", &text);
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <div class="form-ok recovery" role="status">
            <strong>"Two-factor sign-in is on. Keep these recovery codes somewhere safe:"</strong>
            <p class="muted small">"Each one signs you in once if you lose your phone. They are shown only now."</p>
            <ul class="recovery-codes" aria-label="Recovery codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <div class="form-actions">
                <button class="btn" on:click=download>"Download"</button>
                <button class="btn btn-primary" on:click=move |_| saved.set(true)>"I have saved them"</button>
            </div>
        </div>
    }
}
