//! "Search longer" on the runs page: a background search with its best plan so far, and Stop.
use leptos::prelude::*;

use super::Searched;
use crate::words::{number, tr, tr_count, tr_with};

/// "Search longer": a 30 s search in the background with its best plan so far, and Stop.
#[component]
pub(super) fn LongerSearch(day: String, chosen: RwSignal<Vec<i64>>) -> impl IntoView {
    use crate::runs::search::{search_status, start_search, stop_search, SearchState};
    let job = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<SearchState>);
    let failed = RwSignal::new(None::<String>);
    let searched = use_context::<Searched>();
    let day = StoredValue::new(day);
    let poll = move || {
        leptos::task::spawn_local(async move {
            while let Some(id) = job.get_untracked() {
                sleep_ms(500).await;
                match search_status(id).await {
                    Ok(s) => {
                        let done = s.done;
                        let s_outcome = s.outcome.clone();
                        if let Some(e) = s.error.clone() {
                            failed.set(Some(e));
                        }
                        status.set(Some(s));
                        if done {
                            job.set(None);
                            if let Some(Searched(n, found)) = searched {
                                found.set(s_outcome);
                                n.update(|n| *n += 1);
                            }
                        }
                    }
                    Err(e) => {
                        failed.set(Some(e.to_string()));
                        job.set(None);
                    }
                }
            }
        });
    };
    let start = move |_| {
        failed.set(None);
        status.set(None);
        let (d, drivers) = (day.get_value(), chosen.get_untracked());
        leptos::task::spawn_local(async move {
            match start_search(d, drivers, 30.0).await {
                Ok(id) => {
                    job.set(Some(id));
                    poll();
                }
                Err(e) => failed.set(Some(e.to_string())),
            }
        });
    };
    let stop = move |_| {
        if let Some(id) = job.get_untracked() {
            leptos::task::spawn_local(async move {
                let _ = stop_search(id).await;
            });
        }
    };
    view! {
        <div class="longer-search">
            {move || if job.get().is_some() {
                let s = status.get();
                let pct = s.as_ref().map_or(0.0, |s| (s.elapsed_s / s.seconds * 100.0).min(100.0));
                view! {
                    <div class="search-progress" role="status" data-testid="search-progress">
                        <div class="bar"><span style=format!("width:{pct:.0}%")></span></div>
                        <span>{s.map(|s| tr_with("runs-search-progress", &[("secs", number(s.elapsed_s, 0)), ("vans", tr_count("runs-vans", s.vehicles)), ("km", number(s.km, 1))])).unwrap_or_else(|| tr("runs-starting"))}</span>
                        <button class="btn btn-small" on:click=stop>{tr("runs-stop-search")}</button>
                    </div>
                }.into_any()
            } else {
                view! { <button class="btn btn-ghost btn-small" on:click=start data-testid="search-longer">{tr("runs-search-longer")}</button> }.into_any()
            }}
            {move || failed.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}

/// Waits `ms` milliseconds (browser timer; returns at once on the server).
async fn sleep_ms(ms: u32) {
    #[cfg(feature = "hydrate")]
    {
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        leptos::prelude::set_timeout(
            move || {
                let _ = tx.send(());
            },
            std::time::Duration::from_millis(ms as u64),
        );
        let _ = rx.await;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ms;
}
