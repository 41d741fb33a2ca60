//! `/account`: the signed-in person's own settings — the language of their pages, and
//! two-factor sign-in with an authenticator app, its recovery codes, turning it off.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::two_factor::{
    two_factor_status, ConfirmTwoFactor, DisableTwoFactor, StartTwoFactor, TwoFactor,
};
use crate::error::AppError;
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_count};

/// A person's language choice: their own (None: the business's), and what there is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LanguageChoice {
    pub own: Option<String>,
    /// The business's language's own name ("Español").
    pub business: String,
    /// Every language Hearth speaks, as (code, its own name).
    pub languages: Vec<(String, String)>,
}

#[server(endpoint = "my_language")]
pub async fn my_language() -> Result<LanguageChoice, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve_enrolling(move |cx, me| async move {
        let business = crate::i18n::Lang::pick(&[Some(&cx.config().language())]);
        Ok(LanguageChoice {
            own: me.language,
            business: business.t("language-name"),
            languages: crate::i18n::Lang::all(),
        })
    })
    .await
}

/// Sets the signed-in person's language ("" for the business's).
#[server(endpoint = "set_my_language")]
pub async fn set_my_language(language: String) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve_enrolling(move |cx, me| async move {
        let language = match language.trim() {
            "" => None,
            code => Some(crate::field::language_code(code, "language")?),
        };
        super::repo::set_language(cx.db(), me.id, language.as_deref()).await
    })
    .await
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let start = ServerAction::<StartTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    // Read again when two-factor was turned on or off, not after a refused code: that would
    // redraw the card, and the code being typed again would vanish under the reader's fingers.
    let changed = RwSignal::new(0u32);
    Effect::new(move |_| {
        let on = confirm.value().with(|v| matches!(v, Some(Ok(_))));
        let off = disable.value().with(|v| matches!(v, Some(Ok(_))));
        if on || off {
            changed.update(|n| *n += 1);
        }
    });
    let status = Resource::new(move || changed.get(), |_| two_factor_status());
    view! {
        <PageHeader title=tr("account-title") subtitle=tr("account-subtitle")/>
        <LanguageCard/>
        <section class="card" id="two-factor" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">{tr("tfa-title")}</h2>
            <p class="muted small">{tr("tfa-help")}</p>
            <Transition fallback=|| view! { <Loading label=tr("account-loading")/> }>
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
            <p><span class="pill pill-paid">{tr("tfa-on")}</span>" "{tr_count("tfa-codes-left", s.recovery_left as usize)}</p>
            {move || codes().filter(|_| !saved.get()).map(|codes| view! { <RecoveryCodes codes saved/> })}
            {if s.required {
                view! { <p class="muted small">{tr("tfa-required-help")}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=disable attr:class="form inline-form">
                        <label class="field"><span>{tr("tfa-code-off")}</span>
                            <input name="code" inputmode="numeric" autocomplete="one-time-code" placeholder="123 456"/></label>
                        <button type="submit" class="btn btn-ghost">{tr("tfa-turn-off")}</button>
                    </ActionForm>
                }.into_any()
            }}
        }.into_any()
    } else {
        view! {
            {s.required.then(|| view! {
                <p class="pill pill-warn" role="alert">{tr("tfa-required")}</p>
            })}
            {move || match enrolment() {
                None => view! {
                    <button class="btn btn-primary" disabled=move || start.pending().get()
                        on:click=move |_| { start.dispatch(StartTwoFactor {}); }>
                        {tr("tfa-set-up")}
                    </button>
                }.into_any(),
                Some(e) => view! {
                    <ol class="steps">
                        <li>{tr("tfa-scan")}
                            <img class="qr" src=e.qr_data_url alt=tr("tfa-qr")/>
                            <span class="muted small">{format!("{} ", tr("tfa-type-key"))}<code data-testid="totp-secret">{e.secret}</code></span>
                        </li>
                        <li>{tr("tfa-type-code")}
                            <ActionForm action=confirm attr:class="form inline-form">
                                <label class="field"><span>{tr("tfa-code")}</span>
                                    <input name="code" inputmode="numeric" autocomplete="one-time-code" placeholder="123 456"/></label>
                                <button type="submit" class="btn btn-primary">{tr("tfa-turn-on")}</button>
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

/// The person's own language; saving it redraws every page in it.
#[component]
fn LanguageCard() -> impl IntoView {
    let save = ServerAction::<SetMyLanguage>::new();
    let choice = Resource::new(move || save.version().get(), |_| my_language());
    let auth = expect_context::<crate::auth::Auth>();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            auth.me.refetch();
        }
    });
    view! {
        <section class="card" id="language" aria-labelledby="language-title">
            <h2 id="language-title">{tr("account-language")}</h2>
            <Transition fallback=|| view! { <Loading label=tr("account-loading")/> }>
                {move || Suspend::new(async move {
                    match choice.await {
                        Ok(c) => {
                            let own = c.own.clone().unwrap_or_default();
                            let options = c.languages.into_iter().map(|(code, name)| {
                                let selected = code == own;
                                view! { <option value=code selected=selected>{name}</option> }
                            }).collect_view();
                            view! {
                                <ActionForm action=save attr:class="form inline-form">
                                    <label class="field"><span>{tr("account-language-label")}</span>
                                        <select name="language" data-testid="my-language">
                                            <option value="" selected=own.is_empty()>
                                                {crate::words::tr_with("account-language-business", &[("name", c.business.clone())])}
                                            </option>
                                            {options}
                                        </select>
                                    </label>
                                    <button type="submit" class="btn btn-primary">{tr("save")}</button>
                                </ActionForm>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            {move || save.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        </section>
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
            <strong>{tr("tfa-codes-title")}</strong>
            <p class="muted small">{tr("tfa-codes-help")}</p>
            <ul class="recovery-codes" aria-label=tr("tfa-codes")>
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <div class="form-actions">
                <button class="btn" on:click=download>{tr("tfa-download")}</button>
                <button class="btn btn-primary" on:click=move |_| saved.set(true)>{tr("tfa-saved")}</button>
            </div>
        </div>
    }
}
