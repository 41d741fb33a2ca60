//! `/reports`: the owner's numbers for a chosen period against the one before it, each chart
//! with its numbers in a table and each table downloadable, and the kitchen's forecast.
use std::sync::Arc;

use leptos::prelude::*;

use super::api::{get_forecast, get_report, ReportCsv};
use super::charts::{BarChart, Fmt, HeatMap, ProfitMap};
use super::figures::change_percent;
use super::{Forecast, Report};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_with};

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
        <PageHeader title=tr("nav-reports") subtitle=tr("rep-subtitle")>
            <button type="button" class="btn no-print" on:click=move |_| crate::ui::print_page()>{tr("print")}</button>
        </PageHeader>
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
        <Profit r=r.clone() period=period.clone() export money_fmt/>
    }
}

#[component]
fn Products(r: Report, period: Period, export: ServerAction<ReportCsv>) -> impl IntoView {
    let cur = r.currency.clone();
    let money = move |c: i64| crate::words::money(c, &cur);
    let by_margin = RwSignal::new(false);
    let products = r.products.clone();
    let rows = move || {
        let mut list = products.clone();
        if by_margin.get() {
            list.sort_by_key(|p| std::cmp::Reverse(p.margin_cents.unwrap_or(i64::MIN)));
        }
        list.into_iter()
            .map(|p| {
                let m = money.clone();
                view! {
                    <tr>
                        <td>{p.name}</td>
                        <td class="num">{p.units}</td>
                        <td class="num">{m(p.revenue_cents)}</td>
                        <td class="num">{p.cogs_cents.map(&m).unwrap_or_else(|| tr("rep-no-recipe"))}</td>
                        <td class="num">{p.margin_cents.map(&m).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let where_rows = r
        .by_district
        .iter()
        .map(|p| {
            let best = p
                .districts
                .iter()
                .take(3)
                .map(|(d, u)| format!("{d} ({u})"))
                .collect::<Vec<_>>()
                .join(", ");
            let total: i64 = p.districts.iter().map(|d| d.1).sum();
            view! { <tr><td>{p.product.clone()}</td><td>{best}</td><td class="num">{total}</td></tr> }
        })
        .collect_view();
    view! {
        <div class="grid-2">
            <section class="card report-section" aria-labelledby="r-products">
                <div class="section-head">
                    <h2 id="r-products">{tr("rep-popular")}</h2>
                    <div class="segmented no-print" role="group" aria-label=tr("rep-sort-products")>
                        <button type="button" class="btn btn-small" aria-pressed=move || (!by_margin.get()).to_string()
                                on:click=move |_| by_margin.set(false)>{tr("rep-by-units")}</button>
                        <button type="button" class="btn btn-small" aria-pressed=move || by_margin.get().to_string()
                                on:click=move |_| by_margin.set(true)>{tr("rep-by-margin")}</button>
                    </div>
                    <CsvButton table="products" period=period.clone() export/>
                </div>
                <div class="table-scroll" tabindex="0">
                    <table class="table report-products">
                        <thead><tr><th>{tr("rep-product")}</th><th class="num">{tr("rep-units")}</th><th class="num">{tr("rep-revenue")}</th>
                            <th class="num">{tr("rep-cogs")}</th><th class="num">{tr("rep-margin")}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {(r.units_without_cost > 0).then(|| view! {
                    <p class="muted small">{tr_with("rep-units-without-cost", &[("count", r.units_without_cost.to_string())])}</p>
                })}
            </section>
            <section class="card report-section" aria-labelledby="r-where">
                <div class="section-head"><h2 id="r-where">{tr("rep-where")}</h2>
                    <CsvButton table="products-by-district" period export/></div>
                <div class="table-scroll" tabindex="0">
                    <table class="table">
                        <thead><tr><th>{tr("rep-product")}</th><th>{tr("rep-best-districts")}</th><th class="num">{tr("rep-units")}</th></tr></thead>
                        <tbody>{where_rows}</tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}

#[component]
fn Arrivals(r: Report, period: Period, export: ServerAction<ReportCsv>) -> impl IntoView {
    let names = crate::words::day_names("days-short");
    let heat_rows = r
        .heat
        .cells
        .iter()
        .enumerate()
        .map(|(d, row)| {
            let cells = row
                .iter()
                .map(|n| view! { <td class="num">{*n}</td> })
                .collect_view();
            view! { <tr><th scope="row">{names[d].clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let hours = (0..24)
        .map(|h| view! { <th class="num">{format!("{h:02}")}</th> })
        .collect_view();
    let window_rows = r
        .windows
        .iter()
        .map(|w| {
            let cells = w
                .by_weekday
                .iter()
                .map(|n| view! { <td class="num">{*n}</td> })
                .collect_view();
            view! { <tr><td>{w.window.clone()}</td>{cells}<td class="num">{w.total}</td></tr> }
        })
        .collect_view();
    let days = names
        .iter()
        .map(|d| view! { <th class="num">{d.clone()}</th> })
        .collect_view();
    view! {
        <section class="card report-section" aria-labelledby="r-peak">
            <div class="section-head"><h2 id="r-peak">{tr("rep-arrivals")}</h2>
                <CsvButton table="arrivals" period=period.clone() export/></div>
            <HeatMap title=tr("rep-heat-title")
                     cells=r.heat.cells.clone() max=r.heat.max/>
            <details class="chart-numbers-details">
                <summary>{tr("rep-the-numbers")}</summary>
                <div class="table-scroll" tabindex="0">
                    <table class="table table-compact">
                        <thead><tr><th>{tr("rep-day")}</th>{hours}</tr></thead>
                        <tbody>{heat_rows}</tbody>
                    </table>
                </div>
            </details>
        </section>
        <section class="card report-section" aria-labelledby="r-windows">
            <div class="section-head"><h2 id="r-windows">{tr("rep-windows")}</h2>
                <CsvButton table="windows" period export/></div>
            <div class="table-scroll" tabindex="0">
                <table class="table">
                    <thead><tr><th>{tr("rep-window")}</th>{days}<th class="num">{tr("rep-total")}</th></tr></thead>
                    <tbody>{window_rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn CustomersAndProblems(
    r: Report,
    period: Period,
    export: ServerAction<ReportCsv>,
) -> impl IntoView {
    let cur = r.currency.clone();
    let money = move |c: i64| crate::words::money(c, &cur);
    let c = r.customers.clone();
    let reasons = |list: &[super::ReasonRow]| {
        if list.is_empty() {
            return view! { <p class="muted">{tr("rep-none")}</p> }.into_any();
        }
        let rows = list
            .iter()
            .map(|x| view! { <tr><td>{x.reason.clone()}</td><td class="num">{x.count}</td></tr> })
            .collect_view();
        view! {
            <table class="table"><thead><tr><th>{tr("rep-reason")}</th><th class="num">{tr("rep-orders")}</th></tr></thead>
            <tbody>{rows}</tbody></table>
        }
        .into_any()
    };
    let cash_rows = r
        .cash
        .iter()
        .map(|x| {
            let diff = x.collected_cents - x.expected_cents;
            view! {
                <tr>
                    <td>{x.driver.clone()}</td>
                    <td class="num">{x.stops}</td>
                    <td class="num">{money(x.expected_cents)}</td>
                    <td class="num">{money(x.collected_cents)}</td>
                    <td class=if diff < 0 { "num text-err" } else { "num" }>{money(diff)}</td>
                </tr>
            }
        })
        .collect_view();
    let cash_empty = r.cash.is_empty();
    view! {
        <div class="grid-2">
            <section class="card report-section" aria-labelledby="r-customers">
                <h2 id="r-customers">{tr("rep-new-returning")}</h2>
                <table class="table">
                    <thead><tr><th></th><th class="num">{tr("rep-customers")}</th><th class="num">{tr("rep-orders")}</th></tr></thead>
                    <tbody>
                        <tr><td>{tr("rep-new")}</td><td class="num">{c.new_customers}</td><td class="num">{c.orders_new}</td></tr>
                        <tr><td>{tr("rep-returning")}</td><td class="num">{c.returning_customers}</td><td class="num">{c.orders_returning}</td></tr>
                    </tbody>
                </table>
            </section>
            <section class="card report-section" aria-labelledby="r-problems">
                <div class="section-head"><h2 id="r-problems">{tr("rep-problems")}</h2>
                    <CsvButton table="reasons" period=period.clone() export/></div>
                <h3>{tr_with("rep-cancelled", &[("count", r.cancelled.to_string())])}</h3>
                {reasons(&r.cancellations)}
                <h3>{tr_with("rep-failed", &[("count", r.failed.to_string())])}</h3>
                {reasons(&r.failures)}
            </section>
        </div>
        <section class="card report-section" aria-labelledby="r-cash">
            <div class="section-head"><h2 id="r-cash">{tr("rep-cash")}</h2>
                <CsvButton table="cash" period export/></div>
            {if cash_empty {
                view! { <p class="muted">{tr("rep-no-runs")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table">
                            <thead><tr><th>{tr("rep-driver")}</th><th class="num">{tr("rep-stops")}</th><th class="num">{tr("rep-expected")}</th>
                                <th class="num">{tr("rep-collected")}</th><th class="num">{tr("rep-difference")}</th></tr></thead>
                            <tbody>{cash_rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Profit(
    r: Report,
    period: Period,
    export: ServerAction<ReportCsv>,
    money_fmt: Fmt,
) -> impl IntoView {
    let cur = r.currency.clone();
    let money = move |c: i64| crate::words::money(c, &cur);
    let row = {
        let money = money.clone();
        move |p: &super::DistrictProfit, total: bool| {
            let name = p.name.clone();
            view! {
                <tr class=if total { "total-row" } else { "" }>
                    {if total { view! { <th scope="row">{name}</th> }.into_any() } else { view! { <td>{name}</td> }.into_any() }}
                    <td class="num">{p.orders}</td>
                    <td class="num">{money(p.gross_cents)}</td>
                    <td class="num">{money(-p.discount_cents)}</td>
                    <td class="num">{money(-p.cogs_cents)}</td>
                    <td class="num">{money(-p.delivery_cents)}{(p.estimated_stops > 0).then_some(" *")}</td>
                    <td class="num">{money(-p.failed_fees_cents)}</td>
                    <td class=if p.profit_cents < 0 { "num text-err strong" } else { "num strong" }>{money(p.profit_cents)}</td>
                </tr>
            }
        }
    };
    let rows = r.profit.iter().map(|p| row(p, false)).collect_view();
    let total = row(&r.profit_total, true);
    let estimated = r.profit_total.estimated_stops;
    let names = crate::words::day_names("days-short");
    // Least profitable district-days first: the ones to think about.
    let mut days = r.district_days.clone();
    days.reverse();
    let day_rows = days
        .iter()
        .map(|d| {
            let m = money.clone();
            view! {
                <tr>
                    <td>{d.district.clone()}</td>
                    <td>{names[d.weekday.min(6)].clone()}</td>
                    <td class="num">{d.days}</td>
                    <td class="num">{d.orders}</td>
                    <td class="num">{m(d.revenue_cents)}</td>
                    <td class=if d.profit_cents < 0 { "num text-err" } else { "num" }>{m(d.profit_cents)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card report-section" aria-labelledby="r-profit">
            <div class="section-head"><h2 id="r-profit">{tr("rep-profit-district")}</h2>
                <CsvButton table="profit" period=period.clone() export/></div>
            <div class="chart-with-table profit-layout">
                <ProfitMap title=tr("rep-profit-map")
                           rows=r.profit.clone() fmt=money_fmt/>
                <div class="table-scroll" tabindex="0">
                    <table class="table report-profit">
                        <thead><tr><th>{tr("rep-district")}</th><th class="num">{tr("rep-orders")}</th><th class="num">{tr("rep-items-fees")}</th>
                            <th class="num">{tr("rep-discounts")}</th><th class="num">{tr("rep-goods")}</th><th class="num">{tr("rep-delivery")}</th>
                            <th class="num">{tr("rep-failed-fees")}</th><th class="num">{tr("rep-profit")}</th></tr></thead>
                        <tbody>{rows}{total}</tbody>
                    </table>
                </div>
            </div>
            <p class="muted small">
                {tr("rep-profit-hint")}
                {(estimated > 0).then(|| format!(" * {}", tr_with("rep-estimated", &[("count", estimated.to_string())])))}
            </p>
        </section>
        <section class="card report-section" aria-labelledby="r-whatif">
            <div class="section-head"><h2 id="r-whatif">{tr("rep-whatif")}</h2>
                <CsvButton table="district-days" period export/></div>
            <p class="muted small">{tr("rep-whatif-hint")}</p>
            <div class="table-scroll table-tall" tabindex="0">
                <table class="table report-whatif">
                    <thead><tr><th>{tr("rep-district")}</th><th>{tr("rep-weekday")}</th><th class="num">{tr("rep-days")}</th><th class="num">{tr("rep-orders")}</th>
                        <th class="num">{tr("rep-revenue")}</th><th class="num">{tr("rep-profit-at-stake")}</th></tr></thead>
                    <tbody>{day_rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn ForecastView(f: Forecast, export: ServerAction<ReportCsv>, period: Period) -> impl IntoView {
    let heads = f
        .days
        .iter()
        .map(|d| {
            let label = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map(|x| crate::words::date(x, "date-weekday-day"))
                .unwrap_or_else(|_| d.clone());
            view! { <th class="num">{label}</th> }
        })
        .collect_view();
    let rows = f
        .rows
        .iter()
        .map(|r| {
            let cells = r
                .cells
                .iter()
                .map(|c| {
                    let tip = tr_with(
                        if c.sells_out { "rep-forecast-tip-out" } else { "rep-forecast-tip" },
                        &[
                            ("name", r.name.clone()),
                            ("day", crate::words::day(&c.day, "date-short")),
                            ("booked", c.booked.to_string()),
                            ("expected", format!("{:.0}", c.expected)),
                            ("low", format!("{:.0}", c.low)),
                            ("high", format!("{:.0}", c.high)),
                        ],
                    );
                    view! {
                        <td class=if c.sells_out { "num forecast-cell sells-out" } else { "num forecast-cell" } title=tip>
                            <strong>{units(c.expected)}</strong>
                            <small>{tr_with("rep-booked-in", &[("count", c.booked.to_string())])}</small>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{r.name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let pct = |x: f64| format!("{:.0} %", x * 100.0);
    let signed = |x: f64| {
        if (x * 100.0).abs() < 0.5 {
            "0 %".to_string()
        } else {
            format!("{:+.0} %", x * 100.0)
        }
    };
    let verdict = if f.points == 0 {
        tr("rep-backtest-none")
    } else {
        tr_with(
            "rep-backtest",
            &[
                ("from", pretty(&f.backtest_from)),
                ("to", pretty(&f.backtest_to)),
                ("points", f.points.to_string()),
                ("wape", pct(f.wape)),
                ("mape", pct(f.mape)),
                ("bias", signed(f.bias)),
                ("naive_wape", pct(f.naive_wape)),
                ("naive_mape", pct(f.naive_mape)),
                ("naive_bias", signed(f.naive_bias)),
            ],
        )
    };
    view! {
        <section class="card report-section" aria-labelledby="r-forecast">
            <div class="section-head"><h2 id="r-forecast">{tr("rep-forecast")}</h2>
                <CsvButton table="forecast" period export/></div>
            <p class="muted small">{tr("rep-forecast-hint")}</p>
            <div class="table-scroll" tabindex="0">
                <table class="table table-compact forecast">
                    <thead><tr><th>{tr("rep-product")}</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="forecast-backtest">{verdict}</p>
        </section>
    }
}
