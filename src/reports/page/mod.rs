//! `/reports`: the owner's numbers for a chosen period against the one before it, each chart
//! with its numbers in a table and each table downloadable, and the kitchen's forecast.
use std::sync::Arc;

use leptos::prelude::*;

use super::api::{get_forecast, get_report, ReportCsv};
use super::charts::{BarChart, Fmt};
use super::figures::change_percent;
use super::Report;
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_with};

mod profit;
mod sections;

use profit::{ForecastView, Profit};
use sections::{Arrivals, CustomersAndProblems, Products};

pub(super) type Period = (String, String, String);

#[component]
pub fn ReportsPage() -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let grain = RwSignal::new(String::new());
    let applied = RwSignal::new((String::new(), String::new(), String::new()));
    let data = Resource::new(move || applied.get(), |(f, t, g)| get_report(f, t, g));
    let forecast = Resource::new(|| (), |_| get_forecast());
    let export = ServerAction::<ReportCsv>::new();
    Effect::new(move |_| {
        if let Some(Ok(c)) = export.value().get() {
            crate::ui::save_csv(&c.file_name, &c.csv);
        }
    });
    // The bakery's today (from the first report) for the quick periods.
    let today = RwSignal::new(String::new());
    // The dates in the form show the period on screen (the last 30 days at first).
    Effect::new(move |_| {
        if let Some(Ok(r)) = data.get() {
            today.set(r.today.clone());
            if from.get_untracked().is_empty() && to.get_untracked().is_empty() {
                from.set(r.from.clone());
                to.set(r.to.clone());
            }
        }
    });
    view! {
        <PageHeader title=tr("nav-reports") subtitle=tr("rep-subtitle")>
            <button type="button" class="btn no-print" on:click=move |_| crate::ui::print_page()>{tr("print")}</button>
        </PageHeader>
        <PeriodForm from to grain today applied/>
        <Transition fallback=|| view! { <Loading label=tr("rep-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <ReportView r export/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=|| view! { <Loading label=tr("rep-forecasting")/> }>
            {move || Suspend::new(async move {
                match forecast.await {
                    Ok(f) => view! { <ForecastView f export period=applied.get_untracked()/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The period to report: from, to, by day / week / month (or the best fit), and the quick
/// periods ending today; shown, it becomes `applied`.
#[component]
fn PeriodForm(
    from: RwSignal<String>,
    to: RwSignal<String>,
    grain: RwSignal<String>,
    today: RwSignal<String>,
    applied: RwSignal<(String, String, String)>,
) -> impl IntoView {
    let apply = move || {
        applied.set((
            from.get_untracked(),
            to.get_untracked(),
            grain.get_untracked(),
        ))
    };
    let preset = move |days: i64| {
        if let Ok(t) = chrono::NaiveDate::parse_from_str(&today.get_untracked(), "%Y-%m-%d") {
            from.set((t - chrono::Duration::days(days - 1)).to_string());
            to.set(t.to_string());
            grain.set(String::new());
            apply();
        }
    };
    view! {
    <form class="card report-filter no-print" on:submit=move |ev| { ev.prevent_default(); apply(); }>
        <label class="field">
            <span>{tr("rep-from")}</span>
            <input type="date" name="from" prop:value=move || from.get()
                   on:input=move |ev| from.set(event_target_value(&ev))/>
        </label>
        <label class="field">
            <span>{tr("rep-to")}</span>
            <input type="date" name="to" prop:value=move || to.get()
                   on:input=move |ev| to.set(event_target_value(&ev))/>
        </label>
        <label class="field">
            <span>{tr("rep-show-by")}</span>
            <select name="grain" prop:value=move || grain.get()
                    on:change=move |ev| grain.set(event_target_value(&ev))>
                <option value="">{tr("rep-best-fit")}</option>
                <option value="day">{tr("rep-day")}</option>
                <option value="week">{tr("rep-week")}</option>
                <option value="month">{tr("rep-month")}</option>
            </select>
        </label>
        <button type="submit" class="btn btn-primary">{tr("rep-show")}</button>
        <div class="presets" role="group" aria-label=tr("rep-quick")>
            <button type="button" class="btn btn-small" on:click=move |_| preset(7)>{tr("rep-last-7")}</button>
            <button type="button" class="btn btn-small" on:click=move |_| preset(30)>{tr("rep-last-30")}</button>
            <button type="button" class="btn btn-small" on:click=move |_| preset(90)>{tr("rep-last-90")}</button>
            <button type="button" class="btn btn-small" on:click=move |_| preset(365)>{tr("rep-last-12-months")}</button>
        </div>
    </form>
    }
}

/// A sales bucket's name in the reader's language: "Fri 4 Dec", "Week of 30 Nov", "Dec 2026".
fn bucket(start: &str, grain: super::Grain) -> String {
    match grain {
        super::Grain::Day => crate::words::day(start, "date-short"),
        super::Grain::Week => tr_with(
            "rep-week-of",
            &[("day", crate::words::day(start, "date-day-month"))],
        ),
        super::Grain::Month => crate::words::day(start, "date-month-short"),
    }
}

/// Units to bake: whole numbers from 10 up, one decimal below (0.4 is not nothing).
fn units(x: f64) -> String {
    if x >= 9.95 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn pretty(day: &str) -> String {
    crate::words::day(day, "date-day-month-year")
}

/// A "Download CSV" button for one of the report's tables.
#[component]
pub(super) fn CsvButton(
    table: &'static str,
    period: Period,
    export: ServerAction<ReportCsv>,
) -> impl IntoView {
    view! {
        <button type="button" class="btn btn-small no-print" data-csv=table
                on:click=move |_| {
                    let (from, to, grain) = period.clone();
                    export.dispatch(ReportCsv { from, to, grain, table: table.to_string() });
                }>
            {tr("rep-csv")}
        </button>
    }
}

/// "+12 % on 2 Nov – 1 Dec", or nothing to compare with.
fn delta(now: i64, before: i64) -> (String, &'static str) {
    match change_percent(now, before) {
        Some(p) if p.abs() < 0.5 => (tr("rep-no-change"), "delta-flat"),
        Some(p) if p > 0.0 => (format!("▲ {} %", crate::words::number(p, 0)), "delta-up"),
        Some(p) => (
            format!("▼ {} %", crate::words::number(p.abs(), 0)),
            "delta-down",
        ),
        None => (tr("rep-nothing-before"), "delta-flat"),
    }
}

#[component]
fn ReportView(r: Report, export: ServerAction<ReportCsv>) -> impl IntoView {
    let cur = r.currency.clone();
    let period: Period = (r.from.clone(), r.to.clone(), r.grain.as_str().to_string());
    let money = {
        let cur = cur.clone();
        move |c: i64| crate::words::money(c, &cur)
    };
    let money_fmt: Fmt = {
        let cur = cur.clone();
        Arc::new(move |v: f64| crate::words::money(v.round() as i64, &cur))
    };
    let before = tr_with(
        "rep-versus",
        &[
            ("from", pretty(&r.previous_from)),
            ("to", pretty(&r.previous_to)),
        ],
    );
    let kpi = |label: String, value: String, now: i64, was: i64, before: String| {
        let (d, class) = delta(now, was);
        view! {
            <div class="kpi card">
                <span class="kpi-label">{label}</span>
                <span class="kpi-value">{value}</span>
                <span class=format!("kpi-foot {class}")>{d}" "<span class="muted">{before}</span></span>
            </div>
        }
    };
    let t = r.totals.clone();
    let p = r.previous.clone();
    let grain = r.grain;
    let bars: Vec<(String, f64)> = r
        .series
        .iter()
        .map(|s| (bucket(&s.start, grain), s.revenue_cents as f64))
        .collect();
    let series_rows = r
        .series
        .iter()
        .map(|s| {
            view! { <tr><td>{bucket(&s.start, grain)}</td><td class="num">{s.orders}</td><td class="num">{money(s.revenue_cents)}</td></tr> }
        })
        .collect_view();
    let title = tr_with(
        &format!("rep-chart-title-{}", r.grain.as_str()),
        &[("from", pretty(&r.from)), ("to", pretty(&r.to))],
    );
    view! {
        <p class="report-period">{format!("{} – {}", pretty(&r.from), pretty(&r.to))}</p>
        <div class="kpis">
            {kpi(tr("rep-revenue"), money(t.revenue_cents), t.revenue_cents, p.revenue_cents, before.clone())}
            {kpi(tr("rep-orders"), t.orders.to_string(), t.orders, p.orders, before.clone())}
            {kpi(tr("rep-average"), money(t.average_cents), t.average_cents, p.average_cents, before.clone())}
            {kpi(tr("rep-customers"), t.customers.to_string(), t.customers, p.customers, before.clone())}
        </div>
        <section class="card report-section" aria-labelledby="r-sales">
            <div class="section-head"><h2 id="r-sales">{tr("rep-sales")}</h2><CsvButton table="sales" period=period.clone() export/></div>
            <div class="chart-with-table">
                <BarChart title=title bars fmt=money_fmt.clone()/>
                <div class="table-scroll chart-numbers" tabindex="0">
                    <table class="table">
                        <caption class="sr-only">{tr("rep-orders-revenue")}</caption>
                        <thead><tr><th>{tr("rep-period")}</th><th class="num">{tr("rep-orders")}</th><th class="num">{tr("rep-revenue")}</th></tr></thead>
                        <tbody>{series_rows}</tbody>
                    </table>
                </div>
            </div>
        </section>
        <Products r=r.clone() period=period.clone() export/>
        <Arrivals r=r.clone() period=period.clone() export/>
        <CustomersAndProblems r=r.clone() period=period.clone() export/>
        <super::waste_view::Waste r=r.clone() period=period.clone() export/>
        <super::loyalty_view::Loyalty r=r.clone() period=period.clone() export/>
        <Profit r=r.clone() period=period.clone() export money_fmt/>
    }
}
