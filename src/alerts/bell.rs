//! The bell at the top of the owner's pages: the unread count (live: refetched on every order
//! change the server announces and every half minute for the rest), and a panel with the
//! latest alerts, each linking to what it is about. Opening the panel marks them read.
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
use super::api::get_alerts;
use super::api::ReadAlerts;
use crate::words::{tr, tr_count};

/// The alerts as last fetched (None until the browser fetched them).
type Inbox = RwSignal<Option<Result<super::Inbox, crate::error::AppError>>>;

const ICON_BELL: &str = "M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0";

#[component]
pub fn Bell() -> impl IntoView {
    let read = ServerAction::<ReadAlerts>::new();
    // Fetched by the browser once the page is live (not while the server renders it), so the
    // page hydrates with the same empty bell it was sent with, then shows the count.
    let inbox: Inbox = RwSignal::new(None);
    let open = RwSignal::new(false);
    let said = RwSignal::new(String::new());
    keep_fetched(inbox, read);
    announce_new(inbox, said);
    let unread = move || unread_of(inbox);
    let button = NodeRef::<leptos::html::Button>::new();
    // What was unread when the panel opened stays marked "New" while it is open (opening it
    // reads them, and the refetch would otherwise clear the marks under the reader's eyes).
    let fresh = RwSignal::new(Vec::<i64>::new());
    let toggle = move |_| {
        let now_open = !open.get_untracked();
        open.set(now_open);
        let (newest, unread_ids) = newest_and_unread(inbox);
        fresh.set(if now_open { unread_ids } else { Vec::new() });
        if now_open && unread() > 0 {
            if let Some(up_to) = newest {
                read.dispatch(ReadAlerts { up_to });
            }
        }
    };
    let close = move || {
        open.set(false);
        fresh.set(Vec::new());
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let items = move || items(inbox, fresh, open);
    view! {
        <div class="bell" on:keydown=move |ev| if ev.key() == "Escape" && open.get_untracked() { close() }>
            <button
                type="button"
                class="bell-button"
                node_ref=button
                aria-expanded=move || open.get().to_string()
                aria-controls="bell-panel"
                aria-label=move || match unread() {
                    0 => tr("bell-label"),
                    n => tr_count("bell-label-unread", n as usize),
                }
                on:click=toggle
            >
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d=ICON_BELL></path></svg>
                {move || (unread() > 0).then(|| view! {
                    <span class="bell-count" data-testid="bell-count" aria-hidden="true">
                        {match unread() { n if n > 99 => "99+".to_string(), n => n.to_string() }}
                    </span>
                })}
            </button>
            <div id="bell-panel" class="bell-panel" role="region" aria-label=tr("bell-title") hidden=move || !open.get()>
                <div class="bell-head">
                    <h2>{tr("bell-title")}</h2>
                    <a href="/settings#alerts" class="small" on:click=move |_| open.set(false)>{tr("bell-settings")}</a>
                </div>
                <ul class="bell-list">{items}</ul>
            </div>
            <crate::ui::LiveRegion said testid="bell-said"/>
        </div>
    }
}

/// How many alerts are unread (tracked).
fn unread_of(inbox: Inbox) -> i64 {
    inbox
        .get()
        .and_then(|r| r.ok())
        .map(|i| i.unread)
        .unwrap_or(0)
}

/// The newest alert's id and the unread ones' ids, as the inbox holds them now.
fn newest_and_unread(inbox: Inbox) -> (Option<i64>, Vec<i64>) {
    inbox
        .get_untracked()
        .and_then(|r| r.ok())
        .map(|i| {
            let newest = i.items.first().map(|a| a.id);
            (
                newest,
                i.items.iter().filter(|a| a.unread).map(|a| a.id).collect(),
            )
        })
        .unwrap_or_default()
}

/// Keeps `inbox` fetched in the browser: on every order change the server announces, after
/// alerts are read, and every half minute for the rest.
fn keep_fetched(inbox: Inbox, read: ServerAction<ReadAlerts>) {
    #[cfg(feature = "hydrate")]
    {
        let live = RwSignal::new(0u64);
        Effect::new(move |_| {
            live.track();
            read.version().track();
            leptos::task::spawn_local(async move {
                inbox.set(Some(get_alerts().await));
            });
        });
        crate::orders::board::listen_for_changes(live, None);
        if let Ok(handle) = set_interval_with_handle(
            move || live.update(|n| *n += 1),
            std::time::Duration::from_secs(30),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (inbox, read);
}

/// Says politely (in `said`) when more alerts arrive than were unread before.
fn announce_new(inbox: Inbox, said: RwSignal<String>) {
    let last_unread = StoredValue::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(Ok(i)) = inbox.get() {
            if let Some(before) = last_unread.get_value() {
                if i.unread > before {
                    if let Some(newest) = i.items.first() {
                        said.set(newest.text.clone());
                    }
                }
            }
            last_unread.set_value(Some(i.unread));
        }
    });
}

/// The panel's list: the latest alerts, each linking to what it is about; those unread when
/// the panel opened (`fresh`) marked New.
fn items(inbox: Inbox, fresh: RwSignal<Vec<i64>>, open: RwSignal<bool>) -> AnyView {
    let Some(Ok(i)) = inbox.get() else {
        return view! { <p class="muted small">{tr("bell-loading")}</p> }.into_any();
    };
    if i.items.is_empty() {
        return view! { <p class="muted">{tr("bell-empty")}</p> }.into_any();
    }
    i.items
        .into_iter()
        .map(|a| {
            let new = a.unread || fresh.with(|f| f.contains(&a.id));
            view! {
                <li class="bell-item" class:unread=new data-kind=a.kind.clone()>
                    <a href=a.link.clone() on:click=move |_| open.set(false)>
                        {new.then(|| view! { <span class="bell-new">{tr("bell-new")}</span>" " })}
                        <span class="bell-text">{a.text.clone()}</span>
                        <span class="bell-when muted small">{a.when.clone()}</span>
                    </a>
                </li>
            }
        })
        .collect_view()
        .into_any()
}
