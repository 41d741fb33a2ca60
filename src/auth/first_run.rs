//! `/setup`: the first visit to a Hearth with no accounts. On this machine (not production)
//! the new owner creates their account in the browser and lands on the dashboard's checklist;
//! a Hearth served publicly (`HEARTH_ENV=production`) says the command to run instead, so that
//! nobody on the internet can claim it first.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

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
#[server(endpoint = "create_first_owner")]
pub async fn create_first_owner(
    name: String,
    email: String,
    password: String,
    #[server(default)] business_name: String,
    #[server(default)] currency: String,
    #[server(default)] timezone: String,
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
            &now.language,
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
            .ok_or_else(|| AppError::NotFound("The new owner".into()))?;
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
    let zones = Resource::new(|| (), |_| crate::settings::business::list_time_zones());
    let create = ServerAction::<CreateFirstOwner>::new();
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
        <Title text="Set up Hearth"/>
        <leptos_meta::Html attr:lang="en"/>
        <main class="login-page">
            <section class="login-hero" aria-hidden="true">
                <div class="login-hero-inner">
                    <span class="brand-mark brand-mark-lg">"H"</span>
                    <h2>"Your bakery's back office."</h2>
                    <p>"Create your account, then Hearth walks you through your menu, hours and delivery districts before your website sends its first order."</p>
                </div>
            </section>
            <section class="login-panel">
                <div class="login-card">
                    <Suspense>
                        {move || Suspend::new(async move {
                            match state.await {
                                Ok(Opening::Done) => view! { <Redirect path="/login"/> }.into_any(),
                                Ok(Opening::Command) => view! {
                                    <h1>"Set up Hearth"</h1>
                                    <p>"This Hearth has no accounts yet. Because it is served publicly, create the owner on the server:"</p>
                                    <pre class="command">"hearth user add --role owner --email you@bakery.com --name \"Your Name\""</pre>
                                    <p class="muted small">"It asks for the password. Then come back and sign in."</p>
                                }.into_any(),
                                Ok(Opening::Here) => view! {
                                    <h1>"Set up Hearth"</h1>
                                    <p class="muted">"Create the owner's account. You can add your team later in Settings."</p>
                                    <ActionForm action=create attr:class="form" attr:novalidate=true>
                                        <label class="field"><span>"Your name"</span><input name="name" autocomplete="name" required=true/></label>
                                        <label class="field"><span>"Email"</span><input type="email" name="email" autocomplete="username" required=true placeholder="you@bakery.com"/></label>
                                        <label class="field"><span>"Password (at least 10 characters)"</span><input type="password" name="password" autocomplete="new-password" required=true minlength="10"/></label>
                                        <label class="field"><span>"Your bakery's name"</span><input name="business_name" autocomplete="organization" maxlength="80" placeholder="As customers know it"/></label>
                                        <div class="form-row">
                                            <label class="field"><span>"Currency"</span><input name="currency" value="EUR" maxlength="3"/></label>
                                            <label class="field"><span>"Time zone"</span><input name="timezone" list="time-zones" value="Europe/Madrid" autocomplete="off"/></label>
                                        </div>
                                        <Suspense>{move || Suspend::new(async move {
                                            view! { <crate::settings::business::ZoneList zones=zones.await.unwrap_or_default()/> }
                                        })}</Suspense>
                                        <fieldset class="checks photo-field">
                                            <legend>"Logo (optional)"</legend>
                                            {move || logo.with(|l| (!l.is_empty()).then(|| format!("data:image/jpeg;base64,{l}"))).map(|src| view! {
                                                <img class="logo-preview" src=src alt="Your logo"/>
                                            })}
                                            <label class="btn btn-small file-button">
                                                "Choose a logo"
                                                <input type="file" accept="image/*" aria-label="Logo" on:change=on_logo/>
                                            </label>
                                            <input type="hidden" name="logo" prop:value=logo/>
                                            {move || logo_problem.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                                        </fieldset>
                                        {move || error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                                        <button type="submit" class="btn btn-primary btn-block" disabled=move || create.pending().get()>"Create my account"</button>
                                    </ActionForm>
                                }.into_any(),
                                Err(error) => view! { <crate::ui::ErrorNotice error/> }.into_any(),
                            }
                        })}
                    </Suspense>
                </div>
            </section>
        </main>
    }
}
