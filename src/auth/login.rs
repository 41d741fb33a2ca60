//! The sign-in page. A plain form that works before (or without) WebAssembly.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::words::tr;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::auth::Auth;

/// `/login`: email and password; errors name what is wrong.
#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let first = Resource::new(|| (), |_| super::first_run::first_run());
    let words = Resource::new(|| (), |_| super::api::sign_in_words());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                // A Hearth with no account yet starts at its setup page.
                match first.await {
                    Ok(super::first_run::Opening::Done) | Err(_) => None,
                    Ok(_) => Some(view! { <Redirect path="/setup"/> }),
                }
            })}
        </Suspense>
        <Suspense>
            {move || Suspend::new(async move {
                // Already signed in: go straight to work.
                match auth.me.await {
                    Ok(Some(user)) => Some(view! { <Redirect path=user.role.landing()/> }),
                    _ => None,
                }
            })}
        </Suspense>
        <Suspense>
            {move || Suspend::new(async move {
                // In the visitor's language (their browser's, else the bakery's).
                let words = words.await.unwrap_or_default();
                let lang = crate::words::provide_for_visitor(words);
                view! {
                    <Title text=tr("login-title")/>
                    <leptos_meta::Html attr:lang=lang/>
                    <main class="login-page">
                        <section class="login-hero" aria-hidden="true">
                            <div class="login-hero-inner">
                                <span class="brand-mark brand-mark-lg">"H"</span>
                                <h2>{tr("login-hero-title")}</h2>
                                <p>{tr("login-hero-text")}</p>
                            </div>
                        </section>
                        <section class="login-panel">
                            <div class="login-card">
                                <h1>{tr("login-heading")}</h1>
                                <p class="muted">{tr("login-hint")}</p>
                                <SignInForm auth/>
                            </div>
                        </section>
                    </main>
                }
            })}
        </Suspense>
    }
}

/// Email and password, then the two-factor code when the server asks for it (the field
/// stays while the code is wrong); after signing in, on to `?next=`.
#[component]
fn SignInForm(auth: Auth) -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let error = move || auth.login.value().get().and_then(|r| r.err());
    // Two-factor sign-in: once the server asks for the code, the form shows its field (and
    // keeps it while the code is wrong).
    let asked = RwSignal::new(false);
    Effect::new(move |_| {
        if error().is_some_and(|e| e.field() == Some("code")) {
            asked.set(true);
        }
    });
    let pending = auth.login.pending();
    view! {
    <ActionForm action=auth.login attr:class="form" attr:novalidate=true>
        <input type="hidden" name="next" value=next/>
        <label class="field">
            <span>{tr("login-email")}</span>
            <input type="email" name="email" autocomplete="username" required=true
                placeholder="you@bakery.com"/>
        </label>
        <label class="field">
            <span>{tr("login-password")}</span>
            <input type="password" name="password" autocomplete="current-password" required=true/>
        </label>
        {move || asked.get().then(|| view! {
            <label class="field">
                <span>{tr("login-code")}</span>
                <input name="code" inputmode="numeric" autocomplete="one-time-code" autofocus=true
                    placeholder="123 456" aria-describedby="code-help"/>
            </label>
            <p class="muted small" id="code-help">{tr("login-code-help")}</p>
            <label class="check">
                <input type="checkbox" name="remember" value="on"/>
                <span>{tr("login-remember")}</span>
            </label>
        })}
        {move || error().map(|e| view! {
            <p class="form-error" role="alert">{e.to_string()}</p>
        })}
        <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
            {move || if pending.get() { tr("login-signing-in") } else { tr("login-sign-in") }}
        </button>
    </ActionForm>
    }
}
