//! `/orders`: the day's orders as a board, one column per stage.
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

use super::api::{list_board, MoveOrder};
use super::model::{Board, BOARD_PAGE};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_count, tr_with};

mod card;

use card::Card;

fn day_label(day: &str, today: &str) -> String {
    let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
        return day.to_string();
    };
    let t = NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap_or(d);
    let rel = match (d - t).num_days() {
        0 => format!("{} · ", tr("today")),
        1 => format!("{} · ", tr("tomorrow")),
        -1 => format!("{} · ", tr("yesterday")),
        _ => String::new(),
    };
    format!("{rel}{}", crate::words::date(d, "date-long"))
}

/// `day` (`YYYY-MM-DD`) moved by `days` (empty when it doesn't read).
pub(crate) fn shift(day: &str, days: i64) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| (d + Duration::days(days)).to_string())
        .unwrap_or_default()
}

/// `k=v&k=v`, percent-encoding all but letters, digits and `-_.~` (as browsers' forms do,
/// so a day stays readable in the address bar).
fn query_string(pairs: &[(String, String)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The orders board page: live (server-sent events), with moves by drag, menu or keyboard.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let mover = ServerAction::<MoveOrder>::new();
    // The card whose Move button was used: focus returns to it once the board is redrawn.
    let refocus = RwSignal::new(None::<i64>);
    provide_context(Refocus(refocus));
    // Bumped by every change announced by the server (any board, a driver, the storefront).
    let live = RwSignal::new(0u64);
    let board = Resource::new(
        move || {
            let f = query.with(|q| {
                ["day", "district", "fulfilment", "payment", "q", "show"]
                    .map(|k| q.get(k).filter(|v| !v.is_empty()))
            });
            (f, mover.version().get(), live.get())
        },
        |([day, district, fulfilment, payment, q, show], _, _)| {
            list_board(day, district, fulfilment, payment, q, show)
        },
    );
    // Changes made elsewhere, said politely by a live region that is there from the start.
    let heard = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    listen_for_changes(live, Some(heard));
    let drawer = move || {
        query.with(|q| {
            if q.get("new").is_some() {
                let day = q.get("day").unwrap_or_default();
                let close = if day.is_empty() {
                    "/orders".to_string()
                } else {
                    format!("/orders?day={day}")
                };
                return Some(view! { <super::phone_form::PhoneOrderDrawer close day/> }.into_any());
            }
            let id = q.get("order").and_then(|v| v.parse::<i64>().ok())?;
            let close = match q.get("day") {
                Some(d) => format!("/orders?day={d}"),
                None => "/orders".to_string(),
            };
            Some(view! { <super::drawer::OrderDrawer id close live/> }.into_any())
        })
    };
    view! {
        <crate::ui::LiveRegion said=heard testid="board-heard"/>
        {drawer}
        <Transition fallback=|| view! { <Loading label=tr("board-loading")/> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <BoardView board=b mover/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <MoveToast mover/>
    }
}

/// The order whose Move control had focus before the board was redrawn.
#[derive(Clone, Copy)]
struct Refocus(RwSignal<Option<i64>>);

/// Puts the keyboard focus back on order `id`'s Move menu, wherever its card now is.
#[cfg(feature = "hydrate")]
fn focus_move_menu(id: i64) {
    use wasm_bindgen::JsCast;
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("article[data-order-id=\"{id}\"] select[name=to]"))
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// Subscribes to `/events/orders` while the board is open and bumps `live` on each change;
/// when `heard` is given, it also gets the sentence a screen reader says about the change.
#[cfg(feature = "hydrate")]
pub(crate) fn listen_for_changes(live: RwSignal<u64>, heard: Option<RwSignal<String>>) {
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new("/events/orders") else {
        return;
    };
    let listener = gloo_events::EventListener::new(&source, "order", move |ev| {
        live.update(|n| *n += 1);
        let data = ev
            .dyn_ref::<web_sys::MessageEvent>()
            .and_then(|m| m.data().as_string());
        let change = data.and_then(|d| serde_json::from_str::<super::model::OrderChange>(&d).ok());
        if let (Some(heard), Some(change)) = (heard, change) {
            heard.set(announcement(&change));
        }
    });
    let keep = send_wrapper::SendWrapper::new((source, listener));
    on_cleanup(move || keep.0.close());
}

/// What the board's live region says about a change another screen (the storefront, a driver,
/// a colleague) made: a new order, or where an order moved.
#[cfg(any(feature = "hydrate", test))]
pub(crate) fn announcement(change: &super::model::OrderChange) -> String {
    let number = ("number", change.number.to_string());
    let by = ("by", change.by.clone());
    if change.version == 1 && change.from == change.status {
        tr_with("board-heard-new", &[number, by])
    } else if change.from != change.status {
        tr_with(
            "board-heard-moved",
            &[number, ("status", change.status.word()), by],
        )
    } else {
        tr_with("board-heard-changed", &[number, by])
    }
}

/// The (order id, version) a drag carries.
#[cfg(feature = "hydrate")]
fn dragged(ev: &leptos::ev::DragEvent) -> Option<(i64, i64)> {
    let data = ev.data_transfer()?.get_data("text/plain").ok()?;
    let (id, version) = data.split_once(':')?;
    Some((id.parse().ok()?, version.parse().ok()?))
}

/// After a move: what happened, with Undo; or why it was refused.
#[component]
fn MoveToast(
    /// The move action.
    mover: ServerAction<MoveOrder>,
) -> impl IntoView {
    let undo = move |_| {
        if let Some(Ok(change)) = mover.value().get_untracked() {
            mover.dispatch(MoveOrder {
                order_id: change.order_id,
                to: change.from.as_str().to_string(),
                version: change.version,
            });
        }
    };
    // Closes by itself after a while (a newer move restarts the wait).
    let shown = RwSignal::new(0usize);
    Effect::new(move |_| {
        let v = mover.version().get();
        shown.set(v);
        set_timeout(
            move || {
                if mover.version().get_untracked() == v && shown.get_untracked() == v {
                    shown.set(usize::MAX);
                }
            },
            std::time::Duration::from_secs(8),
        );
    });
    view! {
        {move || match (shown.get() != usize::MAX).then(|| mover.value().get()).flatten() {
            Some(Ok(change)) => Some(view! {
                <div class="toast" role="status">
                    <span>{tr_with("board-moved", &[("number", change.number.to_string()), ("status", change.status.word())])}</span>
                    <button class="btn btn-small btn-ghost toast-action" on:click=undo>{tr("undo")}</button>
                </div>
            }.into_any()),
            Some(Err(e)) => Some(view! {
                <div class="toast toast-error" role="alert"><span>{e.to_string()}</span></div>
            }.into_any()),
            None => None,
        }}
    }
}

#[component]
fn BoardView(
    /// The day's orders by stage.
    board: Board,
    /// The move action (drag, menu and keyboard all use it).
    mover: ServerAction<MoveOrder>,
) -> impl IntoView {
    let total: usize = board.columns.iter().map(|c| c.total).sum();
    let subtitle = format!(
        "{} · {}",
        day_label(&board.day, &board.today),
        tr_count("board-orders", total)
    );
    let prev = format!("/orders?day={}", shift(&board.day, -1));
    let new_order = format!("/orders?day={}&new=1", board.day);
    let next = format!("/orders?day={}", shift(&board.day, 1));
    let currency = board.currency.clone();
    let cancelled = board.cancelled;
    // "Show more" keeps every filter in the URL and asks for another page per column.
    let query = use_query_map();
    let more_href = query.with_untracked(|q| {
        let mut pairs: Vec<(String, String)> = q
            .latest_values()
            .filter(|(k, _)| **k != "show")
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        pairs.push(("show".into(), (board.show + BOARD_PAGE).to_string()));
        format!("/orders?{}", query_string(&pairs))
    });
    view! {
        <PageHeader title=tr("nav-orders") subtitle=subtitle>
            <A href=new_order attr:class="btn btn-primary">{tr("board-new-phone-order")}</A>
            <div class="day-nav">
                <A href=prev attr:class="btn btn-ghost" attr:aria-label=tr("previous-day")>"‹"</A>
                <A href="/orders" attr:class="btn btn-ghost">{tr("today")}</A>
                <A href=next attr:class="btn btn-ghost" attr:aria-label=tr("next-day")>"›"</A>
            </div>
        </PageHeader>
        <BoardFilters day=board.day.clone() districts=board.districts.clone()/>
        <RestoreFocus/>
        <div class="board" role="list" aria-label=tr("board-stages")>
            {board
                .columns
                .into_iter()
                .map(|col| board_column(col, currency.clone(), more_href.clone(), mover))
                .collect_view()}
        </div>
        {(cancelled > 0).then(|| view! {
            <p class="muted board-foot">{tr_count("board-cancelled-hidden", cancelled)}</p>
        })}
    }
}

/// A stage's column: its cards (a page of them, with "Show more" for the rest); an order
/// dropped on it is moved to that stage.
fn board_column(
    col: crate::orders::model::BoardColumn,
    currency: String,
    more_href: String,
    mover: ServerAction<MoveOrder>,
) -> impl IntoView {
    let count = col.total;
    let hidden = col.total - col.cards.len();
    let target = col.status;
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some((order_id, version)) = dragged(&ev) {
            mover.dispatch(MoveOrder {
                order_id,
                to: target.as_str().to_string(),
                version,
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (target, mover);
    };
    view! {
        <section
            class="board-column"
            role="listitem"
            aria-label=col.status.word()
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop
        >
            <header class="column-head">
                <span class=format!("dot status-{}", col.status.as_str())></span>
                <h2>{col.status.word()}</h2>
                <span class="count">{count}</span>
            </header>
            <div class="column-cards">
                {if col.cards.is_empty() {
                    view! { <p class="empty">{tr("board-nothing-here")}</p> }.into_any()
                } else {
                    col.cards
                        .into_iter()
                        .map(|card| view! { <Card card currency=currency.clone() mover/> })
                        .collect_view()
                        .into_any()
                }}
                {(hidden > 0).then(|| view! {
                    <a href=more_href class="btn btn-ghost column-more">
                        {tr_with("board-show-more", &[("more", hidden.min(BOARD_PAGE).to_string()), ("hidden", hidden.to_string())])}
                    </a>
                })}
            </div>
        </section>
    }
}

/// After the board is redrawn, the keyboard focus goes back to the card that was moved.
#[component]
fn RestoreFocus() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(Refocus(refocus)) = use_context::<Refocus>() {
        Effect::new(move |_| {
            if let Some(id) = refocus.get_untracked() {
                // After this render is in the document.
                request_animation_frame(move || {
                    focus_move_menu(id);
                    refocus.set(None);
                });
            }
        });
    }
}

/// Filters for district, fulfilment, payment and a search box; they live in the URL.
#[component]
fn BoardFilters(
    /// The day shown (kept when filtering).
    day: String,
    /// District names.
    districts: Vec<String>,
) -> impl IntoView {
    let query = use_query_map();
    let current = move |k: &str| query.with(|q| q.get(k)).unwrap_or_default();
    let select = move |name: &'static str, label: String, options: Vec<(String, String)>| {
        let selected = current(name);
        view! {
            <select name=name aria-label=label>
                {options.into_iter().map(|(value, text)| {
                    let sel = value == selected;
                    view! { <option value=value selected=sel>{text}</option> }
                }).collect_view()}
            </select>
        }
    };
    let mut district_options = vec![(String::new(), tr("board-all-districts"))];
    district_options.extend(districts.into_iter().map(|d| (d.clone(), d)));
    let own = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), tr(b)))
            .collect::<Vec<_>>()
    };
    view! {
        <Form method="GET" action="" attr:class="filters">
            <input type="hidden" name="day" value=day/>
            {select("district", tr("district"), district_options)}
            {select("fulfilment", tr("fulfilment"), own(&[("", "fulfilment-any"), ("delivery", "delivery"), ("pickup", "pickup")]))}
            {select("payment", tr("payment"), own(&[("", "payment-any"), ("cod", "payment-cod"), ("prepaid", "payment-prepaid"), ("pay_at_pickup", "payment-pay_at_pickup")]))}
            <input type="search" name="q" value=move || current("q") placeholder=tr("board-search-hint") aria-label=tr("board-search")/>
            <button type="submit" class="btn">{tr("filter")}</button>
        </Form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::model::OrderChange;
    use crate::orders::model::OrderStatus;

    fn change(from: OrderStatus, status: OrderStatus, version: i64) -> OrderChange {
        OrderChange {
            order_id: 7,
            number: 1042,
            from,
            status,
            version,
            by: "the storefront".into(),
        }
    }

    #[test]
    fn the_live_region_says_what_changed_and_who_did_it() {
        use OrderStatus::*;
        assert_eq!(
            announcement(&change(Received, Received, 1)),
            "New order #1042 (the storefront)."
        );
        assert_eq!(
            announcement(&change(Confirmed, Baking, 4)),
            "#1042 moved to Baking by the storefront."
        );
        assert_eq!(
            announcement(&change(Confirmed, Confirmed, 5)),
            "#1042 changed by the storefront."
        );
    }
}
