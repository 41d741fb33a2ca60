//! Loading, error and not-found states shared by every page.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::error::AppError;
use crate::words::tr;

/// A quiet skeleton shown while a page's data loads.
#[component]
pub fn Loading(
    /// What is loading, for screen readers.
    #[prop(into, default = "Loading".to_string())]
    label: String,
) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}"…"</span>
        </div>
    }
}

/// A polite live region, on the page from the start (so screen readers follow it): it says
/// `said` each time it changes, without moving the focus.
#[component]
pub fn LiveRegion(
    /// The latest sentence.
    said: RwSignal<String>,
    /// For the tests.
    testid: &'static str,
) -> impl IntoView {
    view! { <p class="sr-only" aria-live="polite" aria-atomic="true" data-testid=testid>{move || said.get()}</p> }
}

/// A friendly error box; internals never reach it, only the message and reference.
#[component]
pub fn ErrorNotice(
    /// The error to explain.
    error: AppError,
) -> impl IntoView {
    let title = match &error {
        AppError::Unauthorized => "Signed out",
        AppError::Forbidden => "Not available",
        AppError::NotFound(_) => "Not found",
        AppError::Transport(_) => "Connection problem",
        _ => "Something went wrong",
    };
    view! {
        <div class="notice notice-error" role="alert">
            <strong>{title}</strong>
            <p>{error.to_string()}</p>
        </div>
    }
}

/// The 404 page.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    // Outside every page, so no words came with it: the signed-in person's, else the
    // visitor's (the title is set again in the browser, which has no words of its own).
    let auth = expect_context::<crate::auth::Auth>();
    let visitor = Resource::new(|| (), |_| crate::auth::api::visitor_words());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let words = match auth.me.await {
                    Ok(Some(user)) => user.words,
                    _ => visitor.await.unwrap_or_default(),
                };
                let lang = crate::words::provide_for_visitor(words);
                view! {
                    <leptos_meta::Title text=tr("not-found-title")/>
                    <leptos_meta::Html attr:lang=lang/>
                    <main class="not-found">
                        <div class="not-found-card">
                            <div class="not-found-art" aria-hidden="true">"🥐"</div>
                            <h1>{tr("not-found-heading")}</h1>
                            <p>{tr("not-found-text")}</p>
                            <A href="/" attr:class="btn btn-primary">{tr("not-found-back")}</A>
                        </div>
                    </main>
                }
            })}
        </Suspense>
    }
}

/// Why a spreadsheet can't be imported (the file, or every bad row), with a button that closes
/// the preview. Shared by every import's preview.
#[component]
pub fn ImportProblems(
    /// The problems, each "Row 4, unit: …" (or one for the whole file).
    errors: Vec<String>,
    /// Closes the preview.
    close: Callback<()>,
) -> impl IntoView {
    let n = errors.len();
    view! {
        <p class="form-error" role="alert">{crate::words::tr_count("csv-problems", n)}</p>
        <ul class="csv-errors">{errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
        <button class="btn btn-ghost" on:click=move |_| close.run(())>{crate::words::tr("close")}</button>
    }
}
