//! `/orders`: the day's orders as a board, one column per stage.
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::list_board;
use super::model::{Board, Fulfilment, OrderCard};
use crate::money::format_cents;
use crate::ui::{ErrorNotice, Loading, PageHeader};

fn day_label(day: &str, today: &str) -> String {
    let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
        return day.to_string();
    };
    let t = NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap_or(d);
    let rel = match (d - t).num_days() {
        0 => "Today · ",
        1 => "Tomorrow · ",
        -1 => "Yesterday · ",
        _ => "",
    };
    format!("{rel}{}", d.format("%A %-d %B"))
}

fn shift(day: &str, days: i64) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| (d + Duration::days(days)).to_string())
        .unwrap_or_default()
}

/// The orders board page.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let board = Resource::new(move || query.with(|q| q.get("day")), list_board);
    view! {
        <Transition fallback=|| view! { <Loading label="Loading orders"/> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <BoardView board=b/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BoardView(board: Board) -> impl IntoView {
    let total: usize = board.columns.iter().map(|c| c.cards.len()).sum();
    let subtitle = format!(
        "{} · {} order{}",
        day_label(&board.day, &board.today),
        total,
        if total == 1 { "" } else { "s" }
    );
    let prev = format!("/orders?day={}", shift(&board.day, -1));
    let next = format!("/orders?day={}", shift(&board.day, 1));
    let currency = board.currency.clone();
    let cancelled = board.cancelled.len();
    view! {
        <PageHeader title="Orders" subtitle=subtitle>
            <div class="day-nav">
                <A href=prev attr:class="btn btn-ghost" attr:aria-label="Previous day">"‹"</A>
                <A href="/orders" attr:class="btn btn-ghost">"Today"</A>
                <A href=next attr:class="btn btn-ghost" attr:aria-label="Next day">"›"</A>
            </div>
        </PageHeader>
        <div class="board" role="list" aria-label="Order stages">
            {board
                .columns
                .into_iter()
                .map(|col| {
                    let currency = currency.clone();
                    let count = col.cards.len();
                    view! {
                        <section class="board-column" role="listitem" aria-label=col.status.label()>
                            <header class="column-head">
                                <span class=format!("dot status-{}", col.status.as_str())></span>
                                <h2>{col.status.label()}</h2>
                                <span class="count">{count}</span>
                            </header>
                            <div class="column-cards">
                                {if col.cards.is_empty() {
                                    view! { <p class="empty">"Nothing here"</p> }.into_any()
                                } else {
                                    col.cards
                                        .into_iter()
                                        .map(|card| view! { <Card card currency=currency.clone()/> })
                                        .collect_view()
                                        .into_any()
                                }}
                            </div>
                        </section>
                    }
                })
                .collect_view()}
        </div>
        {(cancelled > 0).then(|| view! {
            <p class="muted board-foot">{format!("{cancelled} cancelled order(s) hidden on this day.")}</p>
        })}
    }
}

/// One order card.
#[component]
fn Card(
    /// The order.
    card: OrderCard,
    /// Currency for amounts.
    currency: String,
) -> impl IntoView {
    let pay = match card.cash_to_collect() {
        Some(c) => view! { <span class="pill pill-cash">{format!("Collect {}", format_cents(c, &currency))}</span> }.into_any(),
        None if card.paid => view! { <span class="pill pill-paid">"Paid"</span> }.into_any(),
        None => view! { <span class="pill">"Pay at pickup"</span> }.into_any(),
    };
    let place = match card.fulfilment {
        Fulfilment::Pickup => "Pickup".to_string(),
        Fulfilment::Delivery => card
            .district
            .clone()
            .unwrap_or_else(|| "Needs location".into()),
    };
    let colour = card
        .district_colour
        .clone()
        .unwrap_or_else(|| "#b9a48f".into());
    view! {
        <article class="order-card" style=format!("--district: {colour}")>
            <div class="card-top">
                <span class="order-number">{format!("#{}", card.number)}</span>
                <span class="card-name">{card.customer_first_name.clone()}</span>
                {card.has_notes.then(|| view! { <span class="flag" title="Has notes">"✎"</span> })}
            </div>
            <div class="card-meta">
                <span class="district-tag">{place}</span>
                {card.window.clone().map(|w| view! { <span>{w}</span> })}
            </div>
            <div class="card-bottom">
                <span class="muted">{format!("{} item{}", card.item_count, if card.item_count == 1 { "" } else { "s" })}</span>
                {pay}
            </div>
        </article>
    }
}
