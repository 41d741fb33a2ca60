//! `/t/{token}`: mobile-first progress track.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{get_tracking, TrackView};
use crate::error::AppError;
use crate::ui::{ErrorNotice, Loading, NotFound};

/// Seconds between fallback refreshes (changes are pushed; this covers a dropped stream).
#[cfg(feature = "hydrate")]
const REFRESH_SECS: u64 = 30;

/// The public tracker page.
#[component]
pub fn TrackerPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let view_data = Resource::new(token, get_tracking);
    // Live: the server pushes a signal when this order changes, and we refetch quietly
    // (the page is fully readable without any of this).
    #[cfg(feature = "hydrate")]
    {
        if let Ok(source) = web_sys::EventSource::new(&format!("/events/track/{}", token())) {
            let listener =
                gloo_events::EventListener::new(&source, "changed", move |_| view_data.refetch());
            let keep = send_wrapper::SendWrapper::new((source, listener));
            on_cleanup(move || keep.0.close());
        }
        if let Ok(handle) = set_interval_with_handle(
            move || view_data.refetch(),
            std::time::Duration::from_secs(REFRESH_SECS),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    view! {
        <main class="tracker">
            <Transition fallback=|| view! { <Loading label="Finding your order"/> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(t) => view! { <Track t token=token()/> }.into_any(),
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
