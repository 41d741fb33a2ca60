//! `/calendar`: the month grid (a table: a screen reader reads it by weekday and week) and the
//! chosen day's panel, where the owner closes or opens the day.
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::get_calendar;
use super::{Day, DistrictDay, Fill, Month};
use crate::settings::hours::SetClosedDate;
use crate::ui::{ErrorNotice, LiveRegion, Loading, PageHeader};
use crate::words::{tr, tr_count, tr_with};

#[component]
pub fn CalendarPage() -> impl IntoView {
    let query = use_query_map();
    let month = move || query.with(|q| q.get("month").unwrap_or_default());
    let closing = ServerAction::<SetClosedDate>::new();
    let data = Resource::new(
        move || (month(), closing.version().get()),
        |(m, _)| get_calendar(m),
    );
    // The day whose panel is open ("YYYY-MM-DD"): today's at first.
    let chosen = RwSignal::new(String::new());
    let said = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(())) = closing.value().get() {
            said.set(tr("calendar-saved"));
        }
    });
    view! {
        <PageHeader title=tr("calendar-title") subtitle=tr("calendar-subtitle")>
            <button type="button" class="btn no-print" on:click=move |_| crate::ui::print_page()>{tr("print")}</button>
        </PageHeader>
        <LiveRegion said testid="calendar-said"/>
        <Transition fallback=|| view! { <Loading label=tr("calendar-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(m) => view! { <MonthView m chosen closing/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn parse(day: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

#[component]
fn MonthView(
    m: Month,
    chosen: RwSignal<String>,
    closing: ServerAction<SetClosedDate>,
) -> impl IntoView {
    let first = parse(&format!("{}-01", m.month)).unwrap_or_default();
    let prev = (first - Duration::days(1)).format("%Y-%m").to_string();
    let next = (first + Duration::days(32)).format("%Y-%m").to_string();
    let this_month = parse(&m.today)
        .map(|t| t.format("%Y-%m").to_string())
        .unwrap_or_default();
    // The panel shows today in this month, else the month's first day, until a day is chosen.
    let in_month = |d: &str| d.starts_with(&m.month);
    if !in_month(&chosen.get_untracked()) {
        chosen.set(if m.today.starts_with(&m.month) {
            m.today.clone()
        } else {
            first.to_string()
        });
    }
    let head = weekday_heads();
    let weeks = weeks_of(&m, first, chosen);
    let currency = m.currency.clone();
    let days = m.days.clone();
    let panel_today = m.today.clone();
    let panel = move || {
        let c = chosen.get();
        days.iter().find(|d| d.date == c).cloned().map(|day| {
            view! { <DayPanel day today=panel_today.clone() currency=currency.clone() closing/> }
        })
    };
    let title = crate::words::date(first, "date-month");
    view! {
        <div class="calendar-layout">
            <section class="card calendar-month" aria-labelledby="calendar-month-title">
                <div class="calendar-nav no-print">
                    <A href=format!("/calendar?month={prev}") attr:class="btn" attr:rel="prev">{format!("‹ {}", tr("calendar-previous"))}</A>
                    <h2 id="calendar-month-title">{title.clone()}</h2>
                    <A href=format!("/calendar?month={next}") attr:class="btn" attr:rel="next">{format!("{} ›", tr("calendar-next"))}</A>
                    {(m.month != this_month).then(|| view! { <A href="/calendar" attr:class="btn btn-ghost">{tr("calendar-this-month")}</A> })}
                </div>
                <h2 class="print-only">{title.clone()}</h2>
                <p class="calendar-legend muted small">
                    <span class="fill-chip fill-open">{tr("calendar-fill-open")}</span>
                    <span class="fill-chip fill-nearly">{tr("calendar-fill-nearly")}</span>
                    <span class="fill-chip fill-full">{tr("calendar-fill-full")}</span>
                    {tr("calendar-legend")}
                </p>
                <table class="month-grid">
                    <caption class="sr-only">{title}</caption>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{weeks}</tbody>
                </table>
            </section>
            {panel}
        </div>
    }
}

/// The weekdays' heads, Monday first (short, with the long name for screen readers).
fn weekday_heads() -> impl IntoView {
    let names = crate::words::day_names("days-short");
    let long_names = crate::words::day_names("days-long");
    names
        .iter()
        .zip(long_names.iter())
        .map(|(short, long)| view! { <th scope="col"><abbr title=long.clone()>{short.clone()}</abbr></th> })
        .collect_view()
}

/// The month's weeks of seven cells, Monday first, blank before the 1st and after the last
/// day.
fn weeks_of(m: &Month, first: NaiveDate, chosen: RwSignal<String>) -> impl IntoView {
    let offset = first.weekday().num_days_from_monday() as usize;
    let mut cells: Vec<Option<Day>> = vec![None; offset];
    cells.extend(m.days.iter().cloned().map(Some));
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    cells
        .chunks(7)
        .map(|week| {
            let row = week
                .iter()
                .map(|cell| match cell {
                    None => view! { <td class="cal-blank"></td> }.into_any(),
                    Some(day) => {
                        view! { <DayCell day=day.clone() today=m.today.clone() chosen/> }.into_any()
                    }
                })
                .collect_view();
            view! { <tr>{row}</tr> }
        })
        .collect_view()
}

/// Closing a day that is not past (with a note, warning of its orders), or opening a closed one
/// again, and why it failed.
#[component]
fn CloseOrOpen(
    date: String,
    closed: Option<String>,
    past: bool,
    orders: i64,
    closing: ServerAction<SetClosedDate>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let (d_close, d_open) = (date.clone(), date);
    let error = move || {
        closing
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
    };
    let state = match closed {
        Some(n) => view! {
            <p class="cal-closed">{tr("calendar-closed")}{(!n.is_empty()).then(|| format!(" · {n}"))}</p>
            {(!past).then(|| view! {
                <button type="button" class="btn" disabled=move || closing.pending().get()
                    on:click=move |_| { closing.dispatch(SetClosedDate { day: d_open.clone(), note: String::new(), open: true }); }>
                    {tr("calendar-open-again")}
                </button>
            })}
        }
        .into_any(),
        None if past => ().into_any(),
        None => view! {
            <form class="calendar-close" on:submit=move |ev| {
                ev.prevent_default();
                closing.dispatch(SetClosedDate { day: d_close.clone(), note: note.get_untracked(), open: false });
            }>
                <label class="field"><span>{tr("hours-note")}</span>
                    <input name="note" maxlength="80" placeholder=tr("calendar-note-hint")
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></label>
                {(orders > 0).then(|| view! { <p class="muted small">{tr_count("calendar-close-warning", orders as usize)}</p> })}
                <button type="submit" class="btn" disabled=move || closing.pending().get()>{tr("calendar-close-day")}</button>
            </form>
        }
        .into_any(),
    };
    view! { <div class="no-print">{state}{error}</div> }
}

fn fill_class(d: &DistrictDay) -> &'static str {
    match d.fill() {
        Fill::Open => "fill-open",
        Fill::NearlyFull => "fill-nearly",
        Fill::Full => "fill-full",
    }
}

fn fill_word(d: &DistrictDay) -> Option<String> {
    match d.fill() {
        Fill::Open => None,
        Fill::NearlyFull => Some(tr("calendar-fill-nearly")),
        Fill::Full => Some(tr("calendar-fill-full")),
    }
}

#[component]
fn DayCell(day: Day, today: String, chosen: RwSignal<String>) -> impl IntoView {
    let date = parse(&day.date).unwrap_or_default();
    let is_today = day.date == today;
    let past = day.date < today;
    let d = day.date.clone();
    let selected = Memo::new(move |_| chosen.with(|c| *c == d));
    let pick = {
        let d = day.date.clone();
        move |_| chosen.set(d.clone())
    };
    let districts = day
        .districts
        .iter()
        .map(|x| {
            let mark = fill_word(x);
            view! {
                <li class=format!("cal-district {}", fill_class(x)) class:unserved=!x.served>
                    <span class="swatch" style=format!("background:{}", x.colour) aria-hidden="true"></span>
                    <span class="cal-district-name" title=x.name.clone()>{x.name.clone()}</span>
                    " "<span class="cal-load">{format!("{}/{}", x.orders, x.capacity)}</span>
                    {mark.map(|m| view! { <span class="fill-word">{m}</span> })}
                </li>
            }
        })
        .collect_view();
    let label = crate::words::date(date, "date-long");
    view! {
        <td class="cal-day" class:today=is_today class:past=past class:closed=day.closed.is_some() class:chosen=move || selected.get()>
            <button type="button" class="cal-pick" aria-pressed=move || selected.get().to_string() on:click=pick aria-label=label>
                <span class="cal-num">{date.day()}</span>
                <span class="cal-weekday">{crate::words::date(date, "date-weekday")}</span>
                {is_today.then(|| view! { <span class="cal-today">{tr("today")}</span> })}
            </button>
            {day.closed.clone().map(|note| view! {
                <p class="cal-closed">{tr("calendar-closed")}{(!note.is_empty()).then(|| format!(" · {note}"))}</p>
            })}
            <ul class="cal-lines">
                {districts}
                {(day.unplaced > 0).then(|| view! { <li class="cal-unplaced">{tr_count("calendar-unplaced", day.unplaced as usize)}</li> })}
                {(day.pickups > 0).then(|| view! { <li class="cal-pickups">{tr_count("calendar-pickups", day.pickups as usize)}</li> })}
                {(day.units > 0).then(|| view! { <li class="cal-units">{tr_count("calendar-units", day.units as usize)}</li> })}
                {day.promotions.iter().map(|p| {
                    let text = tr_with("calendar-promo", &[("name", p.clone())]);
                    let tip = text.clone();
                    view! { <li class="cal-promo" title=tip>{text}</li> }
                }).collect_view()}
            </ul>
        </td>
    }
}

#[component]
fn DayPanel(
    day: Day,
    today: String,
    currency: String,
    closing: ServerAction<SetClosedDate>,
) -> impl IntoView {
    let date = parse(&day.date).unwrap_or_default();
    let past = day.date < today;
    let rows = day
        .districts
        .iter()
        .map(|x| {
            view! {
                <tr>
                    <th scope="row"><span class="swatch" style=format!("background:{}", x.colour) aria-hidden="true"></span>" "{x.name.clone()}
                        {(!x.served).then(|| view! { <span class="muted small">" · "{tr("calendar-not-served")}</span> })}</th>
                    <td class="num">{x.orders}</td>
                    <td class="num">{x.capacity}</td>
                    <td class=fill_class(x)>{fill_word(x).unwrap_or_else(|| tr("calendar-fill-open"))}</td>
                </tr>
            }
        })
        .collect_view();
    let has_districts = !day.districts.is_empty();
    view! {
        <section class="card calendar-day" aria-labelledby="calendar-day-title" data-day=day.date.clone()>
            <h2 id="calendar-day-title">{crate::words::date(date, "date-long")}</h2>
            <dl class="calendar-figures">
                <div><dt>{tr("calendar-orders")}</dt><dd>{day.orders}</dd></div>
                <div><dt>{tr("calendar-pickups-label")}</dt><dd>{day.pickups}</dd></div>
                <div><dt>{tr("calendar-units-label")}</dt><dd>{day.units}</dd></div>
                <div><dt>{tr("calendar-takings")}</dt><dd>{crate::words::money(day.revenue_cents, &currency)}</dd></div>
            </dl>
            {has_districts.then(|| view! {
                <table class="table calendar-districts">
                    <caption class="sr-only">{tr("calendar-deliveries")}</caption>
                    <thead><tr>
                        <th scope="col">{tr("calendar-district")}</th>
                        <th scope="col" class="num">{tr("calendar-booked")}</th>
                        <th scope="col" class="num">{tr("districts-stops-per-day")}</th>
                        <th scope="col">{tr("calendar-room")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            })}
            {(!has_districts).then(|| view! { <p class="muted">{tr("calendar-no-deliveries")}</p> })}
            {(day.unplaced > 0).then(|| view! {
                <p class="cal-unplaced">{tr_count("calendar-unplaced", day.unplaced as usize)}" · "<a href="/planning">{tr("calendar-place-them")}</a></p>
            })}
            {(!day.promotions.is_empty()).then(|| view! {
                <p>{tr("calendar-promotions")}": "{day.promotions.join(", ")}</p>
            })}
            <p class="calendar-links no-print">
                <a href=format!("/orders?day={}", day.date)>{tr("calendar-open-board")}</a>" · "
                <a href=format!("/kitchen?day={}", day.date)>{tr("calendar-open-kitchen")}</a>" · "
                <a href="/planning">{tr("nav-planning")}</a>
            </p>
            <CloseOrOpen date=day.date.clone() closed=day.closed.clone() past orders=day.orders closing/>
        </section>
    }
}
