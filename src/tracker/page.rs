//! `/t/{token}`: mobile-first progress track. Only the server draws it: pages under `/t/` carry
//! no app (see `app::shell`; public/tracker.js keeps the page live), so the browser's build has
//! nothing of it and the driver's core wasm stays small.
#[cfg(feature = "ssr")]
pub use drawn::TrackerPage;

/// In the browser's build: never drawn there (a `/t/` page is not hydrated).
#[cfg(not(feature = "ssr"))]
#[leptos::component]
pub fn TrackerPage() -> impl leptos::IntoView {}

#[cfg(feature = "ssr")]
mod drawn {
    use leptos::prelude::*;
    use leptos_meta::Title;
    use leptos_router::hooks::use_params_map;

    use super::super::api::{get_tracking, TrackView};
    use crate::error::AppError;
    use crate::ui::{ErrorNotice, Loading, NotFound};

    /// The public tracker page.
    #[component]
    pub fn TrackerPage() -> impl IntoView {
        let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
        // Awaited as it is, not through a resource: a resource's value is also written into
        // the page for a browser app to pick up, and this page has none (public/tracker.js
        // fetches the page again instead).
        view! {
            <main class="tracker">
                <Transition fallback=|| view! { <Loading label="Finding your order"/> }>
                    {Suspend::new(async move {
                        match get_tracking(token.clone()).await {
                            Ok(t) => view! { <Track t token/> }.into_any(),
                            Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                            Err(error) => view! { <leptos_meta::Html attr:lang="en"/><ErrorNotice error/> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        }
    }

    #[component]
    fn Track(t: TrackView, token: String) -> impl IntoView {
        let stages = t
            .stages
            .iter()
            .map(|s| {
                let class = if s.current {
                    "stage-step current"
                } else if s.done {
                    "stage-step done"
                } else {
                    "stage-step"
                };
                view! {
                    <li class=class aria-current=s.current.then_some("step")>
                        <span class="step-dot" aria-hidden="true"></span>
                        <span class="step-label">{s.label.clone()}</span>
                        <span class="step-time">{s.at.clone().unwrap_or_default()}</span>
                    </li>
                }
            })
            .collect_view();
        let items = t
            .items
            .iter()
            .map(|(name, q)| view! { <li><span>{name.clone()}</span><span class="muted">{format!("× {q}")}</span></li> })
            .collect_view();
        let words = t.words.clone();
        // Everything below is in the customer's language; the document's `lang` says which.
        view! {
            <Title text=t.title.clone()/>
            <leptos_meta::Html attr:lang=t.lang.clone()/>
            <div class="tracker-page">
                <header class="tracker-head">
                    <crate::ui::layout::BrandMark logo=t.logo.clone()/>
                    <span class="tracker-business">{t.business.clone()}</span>
                </header>
                <section class="tracker-card">
                    <p class="muted">{t.order_label.clone()}</p>
                    <h1>{t.headline.clone()}</h1>
                    <p class="tracker-when">
                        {t.when.clone()}
                        {t.eta.clone().map(|e| view! { <strong>{format!(" · {e}")}</strong> })}
                    </p>
                    {t.stops_before.clone().map(|line| view! {
                        <p class="tracker-stops" data-testid="stops-before">{line}</p>
                    })}
                    {(!t.cancelled).then(|| view! { <ol class="progress" aria-label=words.progress.clone()>{stages}</ol> })}
                </section>
                <section class="tracker-card">
                    <h2>{words.ordered.clone()}</h2>
                    <ul class="tracker-items">{items}</ul>
                    {t.discount.clone().map(|d| view! { <p class="tracker-discount" data-testid="tracker-discount">{d}</p> })}
                    <p class="tracker-total"><span>{words.total.clone()}</span><strong>{t.total.clone()}</strong></p>
                    <p class="tracker-receipt"><a href=format!("/t/{token}/receipt")>{words.receipt.clone()}</a></p>
                </section>
                <p class="tracker-foot muted">{words.updates.clone()}</p>
            </div>
        }
    }
}
