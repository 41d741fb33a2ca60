//! `/setup`: the first visit to a Hearth with no accounts. On this machine (not production)
//! the new owner creates their account in the browser and lands on the dashboard's checklist;
//! a Hearth served publicly (`HEARTH_ENV=production`) says the command to run instead, so that
//! nobody on the internet can claim it first.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::words::tr;

/// What the first visit finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Opening {
    /// Accounts exist: sign in.
    Done,
    /// No account yet: create the owner here.
    Here,
    /// No account yet, served publicly: create the owner with the command line.
    Command,
}

#[server(endpoint = "first_run")]
pub async fn first_run() -> Result<Opening, AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    let users = super::repo::count(cx.db()).await?;
    Ok(match (users, cx.config().production) {
        (n, _) if n > 0 => Opening::Done,
        (_, false) => Opening::Here,
        (_, true) => Opening::Command,
    })
}

/// Creates the first owner and signs them in (only while there is no account, never in
/// production).
/// What the setup page says, in the visitor's language (their browser's first that Hearth
/// speaks, else the bakery's), and the languages the new owner may choose for the bakery.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetupText {
    pub words: crate::words::Words,
    /// (code, name in its own language).
    pub languages: Vec<(String, String)>,
}

#[server(endpoint = "setup_words")]
pub async fn setup_words() -> Result<SetupText, AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    Ok(SetupText {
        words: crate::i18n::words(&cx.visitor_lang()),
        languages: crate::i18n::Lang::all(),
    })
}

#[server(endpoint = "create_first_owner")]
#[allow(clippy::too_many_arguments)]
pub async fn create_first_owner(
    name: String,
    email: String,
    password: String,
    #[server(default)] business_name: String,
    #[server(default)] currency: String,
    #[server(default)] timezone: String,
    #[server(default)] language: String,
    /// The logo as the page shrank it (base64 JPEG); empty: none yet.
    #[server(default)]
    logo: String,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    let result = async {
        if cx.config().production {
            return Err(AppError::Forbidden);
        }
        let name = super::model::validate_name(&name)?;
        let email = super::model::validate_email(&email)?;
        super::model::validate_new_password(&password)?;
        // The business, when given (each field left empty keeps today's value).
        let now = cx.config().profile();
        let or = |v: &str, default: String| {
            if v.trim().is_empty() {
                default
            } else {
                v.to_string()
            }
        };
        let profile = crate::settings::business::validate(
            &or(&business_name, now.business_name.clone()),
            &or(&currency, now.currency.clone()),
            &or(&timezone, now.timezone.name().to_string()),
            &or(&language, now.language.clone()),
        )?;
        let logo = match logo.trim() {
            "" => None,
            b64 => Some(crate::settings::logo::check(b64)?),
        };
        let hash = super::password::hash(password).await?;
        let id = super::repo::insert_first_owner(cx.db(), &email, &name, &hash).await?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        crate::settings::business::save_in(&mut tx, &profile).await?;
        if let Some(logo) = &logo {
            crate::settings::logo::save_in(&mut tx, logo).await?;
        }
        tx.commit().await?;
        cx.config().set_profile(profile);
        let user = super::repo::find_by_email(cx.db(), &email)
            .await?
            .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-the-new-owner")))?;
        super::session::sign_in(&cx, &user).await?;
        tracing::info!(user_id = id, "first owner created");
        crate::audit::record(
            cx.db(),
            &crate::audit::Who::user(id, &user.name),
            "user.add",
            &user.email,
            serde_json::json!({"after": {"role": "owner", "first": true, "business": cx.config().business_name()}}),
        )
        .await?;
        cx.redirect("/");
        Ok(())
    }
    .await;
    cx.respond(result)
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let state = Resource::new(|| (), |_| first_run());
    let words = Resource::new(|| (), |_| setup_words());
    let zones = Resource::new(|| (), |_| crate::settings::business::list_time_zones());
    let create = ServerAction::<CreateFirstOwner>::new();
    // Signed in: a full load of the dashboard, so that the app reads the new session.
    Effect::new(move |_| {
        if let Some(Ok(())) = create.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign("/");
            }
        }
    });
    view! {
        <Suspense>
        {move || Suspend::new(async move {
        let SetupText { words, languages } = words.await.unwrap_or_default();
        let lang = crate::words::provide_for_visitor(words);
        view! {
        <Title text=tr("setup-title")/>
        <leptos_meta::Html attr:lang=lang.clone()/>
        <main class="login-page">
            <section class="login-hero" aria-hidden="true">
                <div class="login-hero-inner">
                    <span class="brand-mark brand-mark-lg">"H"</span>
                    <h2>{tr("login-hero-title")}</h2>
                    <p>{tr("setup-hero-text")}</p>
                </div>
            </section>
            <section class="login-panel">
                <div class="login-card">
                    <Suspense>
                        {move || {
                            let (languages, lang) = (languages.clone(), lang.clone());
                            Suspend::new(async move {
                            match state.await {
                                Ok(Opening::Done) => view! { <Redirect path="/login"/> }.into_any(),
                                Ok(Opening::Command) => view! {
                                    <h1>{tr("setup-title")}</h1>
                                    <p>{tr("setup-command")}</p>
                                    <pre class="command">"hearth user add --role owner --email you@bakery.com --name \"Your Name\""</pre>
                                    <p class="muted small">{tr("setup-command-then")}</p>
                                }.into_any(),
                                Ok(Opening::Here) => view! {
                                    <h1>{tr("setup-title")}</h1>
                                    <p class="muted">{tr("setup-hint")}</p>
                                    <OwnerForm create zones languages lang/>
                                }.into_any(),
                                Err(error) => view! { <crate::ui::ErrorNotice error/> }.into_any(),
                            }
                        })}}
                    </Suspense>
                </div>
            </section>
        </main>
        }
        })}
        </Suspense>
    }
}

/// The first owner's account and the bakery's own settings (name, currency, time zone,
/// language, logo — shrunk in the browser and sent in a hidden field).
#[component]
fn OwnerForm(
    create: ServerAction<CreateFirstOwner>,
    zones: Resource<Result<Vec<String>, AppError>>,
    languages: Vec<(String, String)>,
    lang: String,
) -> impl IntoView {
    let error = move || create.value().get().and_then(|r| r.err());
    // The logo is shrunk in the browser and sent with the form (a hidden field).
    let logo = RwSignal::new(String::new());
    let logo_problem = RwSignal::new(None::<String>);
    let on_logo = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(file) = crate::ui::files::chosen_file(&ev) {
            leptos::task::spawn_local(async move {
                match crate::ui::files::shrink_jpeg(file, crate::settings::logo::LOGO_SIDE).await {
                    Ok((jpeg, _, _)) => {
                        logo.set(jpeg);
                        logo_problem.set(None);
                    }
                    Err(e) => logo_problem.set(Some(e)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, logo, logo_problem);
    };
    view! {
        <ActionForm action=create attr:class="form" attr:novalidate=true>
            <label class="field"><span>{tr("setup-your-name")}</span><input name="name" autocomplete="name" required=true/></label>
            <label class="field"><span>{tr("login-email")}</span><input type="email" name="email" autocomplete="username" required=true placeholder="you@bakery.com"/></label>
            <label class="field"><span>{tr("setup-password")}</span><input type="password" name="password" autocomplete="new-password" required=true minlength="10"/></label>
            <label class="field"><span>{tr("setup-business")}</span><input name="business_name" autocomplete="organization" maxlength="80" placeholder=tr("setup-business-hint")/></label>
            <div class="form-row">
                <label class="field"><span>{tr("settings-currency")}</span><input name="currency" value="EUR" maxlength="3"/></label>
                <label class="field"><span>{tr("settings-time-zone")}</span><input name="timezone" list="time-zones" value="Europe/Madrid" autocomplete="off"/></label>
            </div>
            <Suspense>{move || Suspend::new(async move {
                view! { <crate::settings::business::ZoneList zones=zones.await.unwrap_or_default()/> }
            })}</Suspense>
            <label class="field"><span>{tr("setup-language")}</span>
                <select name="language">
                    {languages.iter().map(|(code, name)| view! {
                        <option value=code.clone() selected=*code == lang>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <fieldset class="checks photo-field">
                <legend>{tr("setup-logo")}</legend>
                {move || logo.with(|l| (!l.is_empty()).then(|| format!("data:image/jpeg;base64,{l}"))).map(|src| view! {
                    <img class="logo-preview" src=src alt=tr("setup-your-logo")/>
                })}
                <label class="btn btn-small file-button">
                    {tr("setup-choose-logo")}
                    <input type="file" accept="image/*" aria-label=tr("setup-logo-label") on:change=on_logo/>
                </label>
                <input type="hidden" name="logo" prop:value=logo/>
                {move || logo_problem.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            </fieldset>
            {move || error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <button type="submit" class="btn btn-primary btn-block" disabled=move || create.pending().get()>{tr("setup-create")}</button>
        </ActionForm>
    }
}
