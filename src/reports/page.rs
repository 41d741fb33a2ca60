//! `/reports`: the owner's numbers for a chosen period against the one before it, each chart
//! with its numbers in a table and each table downloadable, and the kitchen's forecast.
use std::sync::Arc;

use leptos::prelude::*;

use super::api::{get_forecast, get_report, ReportCsv};
use super::charts::{BarChart, Fmt, HeatMap, ProfitMap};
use super::figures::{change_percent, WEEKDAYS};
use super::{Forecast, Report};
use crate::money::format_cents;
use crate::ui::{ErrorNotice, Loading, PageHeader};

type Period = (String, String, String);

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
        <PageHeader title="Reports" subtitle="Sales, customers, profit per district and the kitchen's forecast">
            <button type="button" class="btn no-print" on:click=move |_| print()>"Print"</button>
        </PageHeader>
        <form class="card report-filter no-print" on:submit=move |ev| { ev.prevent_default(); apply(); }>
            <label class="field">
                <span>"From"</span>
                <input type="date" name="from" prop:value=move || from.get()
                       on:input=move |ev| from.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>"To"</span>
                <input type="date" name="to" prop:value=move || to.get()
                       on:input=move |ev| to.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>"Show by"</span>
                <select name="grain" prop:value=move || grain.get()
                        on:change=move |ev| grain.set(event_target_value(&ev))>
                    <option value="">"Best fit"</option>
                    <option value="day">"Day"</option>
                    <option value="week">"Week"</option>
                    <option value="month">"Month"</option>
                </select>
            </label>
            <button type="submit" class="btn btn-primary">"Show"</button>
            <div class="presets" role="group" aria-label="Quick periods">
                <button type="button" class="btn btn-small" on:click=move |_| preset(7)>"Last 7 days"</button>
                <button type="button" class="btn btn-small" on:click=move |_| preset(30)>"Last 30 days"</button>
                <button type="button" class="btn btn-small" on:click=move |_| preset(90)>"Last 90 days"</button>
                <button type="button" class="btn btn-small" on:click=move |_| preset(365)>"Last 12 months"</button>
            </div>
        </form>
        <Transition fallback=|| view! { <Loading label="Adding up the numbers"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <ReportView r export/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=|| view! { <Loading label="Forecasting the next two weeks"/> }>
            {move || Suspend::new(async move {
                match forecast.await {
                    Ok(f) => view! { <ForecastView f export period=applied.get_untracked()/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn print() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
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
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.format("%-d %b %Y").to_string())
        .unwrap_or_else(|_| day.to_string())
}

/// A "Download CSV" button for one of the report's tables.
#[component]
fn CsvButton(
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
            "Download CSV"
        </button>
    }
}

/// "+12 % on 2 Nov – 1 Dec", or nothing to compare with.
fn delta(now: i64, before: i64) -> (String, &'static str) {
    match change_percent(now, before) {
        Some(p) if p.abs() < 0.5 => ("No change".into(), "delta-flat"),
        Some(p) if p > 0.0 => (format!("▲ {p:.0} %"), "delta-up"),
        Some(p) => (format!("▼ {:.0} %", p.abs()), "delta-down"),
        None => ("Nothing before".into(), "delta-flat"),
    }
}

#[component]
fn ReportView(r: Report, export: ServerAction<ReportCsv>) -> impl IntoView {
    let cur = r.currency.clone();
    let period: Period = (r.from.clone(), r.to.clone(), r.grain.as_str().to_string());
    let money = {
        let cur = cur.clone();
        move |c: i64| format_cents(c, &cur)
    };
    let money_fmt: Fmt = {
        let cur = cur.clone();
        Arc::new(move |v: f64| format_cents(v.round() as i64, &cur))
    };
    let before = format!(
        "vs {} – {}",
        pretty(&r.previous_from),
        pretty(&r.previous_to)
    );
    let kpi = |label: &'static str, value: String, now: i64, was: i64, before: String| {
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
    let bars: Vec<(String, f64)> = r
        .series
        .iter()
        .map(|s| (s.label.clone(), s.revenue_cents as f64))
        .collect();
    let series_rows = r
        .series
        .iter()
        .map(|s| {
            view! { <tr><td>{s.label.clone()}</td><td class="num">{s.orders}</td><td class="num">{money(s.revenue_cents)}</td></tr> }
        })
        .collect_view();
    let title = format!(
        "Revenue by {}, {} to {}",
        r.grain.as_str(),
        pretty(&r.from),
        pretty(&r.to)
    );
    view! {
        <p class="report-period">{format!("{} – {}", pretty(&r.from), pretty(&r.to))}</p>
        <div class="kpis">
            {kpi("Revenue", money(t.revenue_cents), t.revenue_cents, p.revenue_cents, before.clone())}
            {kpi("Orders", t.orders.to_string(), t.orders, p.orders, before.clone())}
            {kpi("Average order", money(t.average_cents), t.average_cents, p.average_cents, before.clone())}
            {kpi("Customers", t.customers.to_string(), t.customers, p.customers, before.clone())}
        </div>
        <section class="card report-section" aria-labelledby="r-sales">
            <div class="section-head"><h2 id="r-sales">"Sales"</h2><CsvButton table="sales" period=period.clone() export/></div>
            <div class="chart-with-table">
                <BarChart title=title bars fmt=money_fmt.clone()/>
                <div class="table-scroll chart-numbers" tabindex="0">
                    <table class="table">
                        <caption class="sr-only">"Orders and revenue per period"</caption>
                        <thead><tr><th>"Period"</th><th class="num">"Orders"</th><th class="num">"Revenue"</th></tr></thead>
                        <tbody>{series_rows}</tbody>
                    </table>
                </div>
            </div>
        </section>
        <Products r=r.clone() period=period.clone() export/>
        <Arrivals r=r.clone() period=period.clone() export/>
        <CustomersAndProblems r=r.clone() period=period.clone() export/>
        <Profit r=r.clone() period=period.clone() export money_fmt/>
    }
}

#[component]
fn Products(r: Report, period: Period, export: ServerAction<ReportCsv>) -> impl IntoView {
    let cur = r.currency.clone();
    let money = move |c: i64| format_cents(c, &cur);
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
                        <td class="num">{p.cogs_cents.map(&m).unwrap_or_else(|| "No recipe".into())}</td>
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
                    <h2 id="r-products">"Popular products"</h2>
                    <div class="segmented no-print" role="group" aria-label="Sort products">
                        <button type="button" class="btn btn-small" aria-pressed=move || (!by_margin.get()).to_string()
                                on:click=move |_| by_margin.set(false)>"By units"</button>
                        <button type="button" class="btn btn-small" aria-pressed=move || by_margin.get().to_string()
                                on:click=move |_| by_margin.set(true)>"By margin"</button>
                    </div>
                    <CsvButton table="products" period=period.clone() export/>
                </div>
                <div class="table-scroll" tabindex="0">
                    <table class="table report-products">
                        <thead><tr><th>"Product"</th><th class="num">"Units"</th><th class="num">"Revenue"</th>
                            <th class="num">"Cost of goods"</th><th class="num">"Margin"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {(r.units_without_cost > 0).then(|| view! {
                    <p class="muted small">{format!("{} units sold of products without a recipe: their cost of goods is not known.", r.units_without_cost)}</p>
                })}
            </section>
            <section class="card report-section" aria-labelledby="r-where">
                <div class="section-head"><h2 id="r-where">"Where each sells best"</h2>
                    <CsvButton table="products-by-district" period export/></div>
                <div class="table-scroll" tabindex="0">
                    <table class="table">
                        <thead><tr><th>"Product"</th><th>"Best districts (units)"</th><th class="num">"Units"</th></tr></thead>
                        <tbody>{where_rows}</tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}

#[component]
fn Arrivals(r: Report, period: Period, export: ServerAction<ReportCsv>) -> impl IntoView {
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
            view! { <tr><th scope="row">{WEEKDAYS[d]}</th>{cells}</tr> }
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
    let days = WEEKDAYS
        .iter()
        .map(|d| view! { <th class="num">{*d}</th> })
        .collect_view();
    view! {
        <section class="card report-section" aria-labelledby="r-peak">
            <div class="section-head"><h2 id="r-peak">"When orders arrive"</h2>
                <CsvButton table="arrivals" period=period.clone() export/></div>
            <HeatMap title="Orders arriving by weekday and hour (the bakery's time)".to_string()
                     cells=r.heat.cells.clone() max=r.heat.max/>
            <details class="chart-numbers-details">
                <summary>"The numbers"</summary>
                <div class="table-scroll" tabindex="0">
                    <table class="table table-compact">
                        <thead><tr><th>"Day"</th>{hours}</tr></thead>
                        <tbody>{heat_rows}</tbody>
                    </table>
                </div>
            </details>
        </section>
        <section class="card report-section" aria-labelledby="r-windows">
            <div class="section-head"><h2 id="r-windows">"Delivery windows asked for"</h2>
                <CsvButton table="windows" period export/></div>
            <div class="table-scroll" tabindex="0">
                <table class="table">
                    <thead><tr><th>"Window"</th>{days}<th class="num">"Total"</th></tr></thead>
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
    let money = move |c: i64| format_cents(c, &cur);
    let c = r.customers.clone();
    let reasons = |list: &[super::ReasonRow]| {
        if list.is_empty() {
            return view! { <p class="muted">"None in this period."</p> }.into_any();
        }
        let rows = list
            .iter()
            .map(|x| view! { <tr><td>{x.reason.clone()}</td><td class="num">{x.count}</td></tr> })
            .collect_view();
        view! {
            <table class="table"><thead><tr><th>"Reason"</th><th class="num">"Orders"</th></tr></thead>
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
                <h2 id="r-customers">"New and returning customers"</h2>
                <table class="table">
                    <thead><tr><th></th><th class="num">"Customers"</th><th class="num">"Orders"</th></tr></thead>
                    <tbody>
                        <tr><td>"New (first order ever)"</td><td class="num">{c.new_customers}</td><td class="num">{c.orders_new}</td></tr>
                        <tr><td>"Returning"</td><td class="num">{c.returning_customers}</td><td class="num">{c.orders_returning}</td></tr>
                    </tbody>
                </table>
            </section>
            <section class="card report-section" aria-labelledby="r-problems">
                <div class="section-head"><h2 id="r-problems">"Cancellations and failed deliveries"</h2>
                    <CsvButton table="reasons" period=period.clone() export/></div>
                <h3>{format!("{} cancelled", r.cancelled)}</h3>
                {reasons(&r.cancellations)}
                <h3>{format!("{} failed deliveries", r.failed)}</h3>
                {reasons(&r.failures)}
            </section>
        </div>
        <section class="card report-section" aria-labelledby="r-cash">
            <div class="section-head"><h2 id="r-cash">"Cash on delivery per driver"</h2>
                <CsvButton table="cash" period export/></div>
            {if cash_empty {
                view! { <p class="muted">"No runs in this period."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table">
                            <thead><tr><th>"Driver"</th><th class="num">"Stops"</th><th class="num">"Expected"</th>
                                <th class="num">"Collected"</th><th class="num">"Difference"</th></tr></thead>
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
    let money = move |c: i64| format_cents(c, &cur);
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
                    <td>{WEEKDAYS[d.weekday.min(6)]}</td>
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
            <div class="section-head"><h2 id="r-profit">"Profit per district"</h2>
                <CsvButton table="profit" period=period.clone() export/></div>
            <div class="chart-with-table profit-layout">
                <ProfitMap title="Profit per district over the period".to_string()
                           rows=r.profit.clone() fmt=money_fmt/>
                <div class="table-scroll" tabindex="0">
                    <table class="table report-profit">
                        <thead><tr><th>"District"</th><th class="num">"Orders"</th><th class="num">"Items + fees"</th>
                            <th class="num">"Discounts"</th><th class="num">"Goods"</th><th class="num">"Delivery"</th>
                            <th class="num">"Failed fees"</th><th class="num">"Profit"</th></tr></thead>
                        <tbody>{rows}{total}</tbody>
                    </table>
                </div>
            </div>
            <p class="muted small">
                "Goods at the recipes' cost; delivery is each run's km and driver time at the Settings rates, shared among its stops."
                {(estimated > 0).then(|| format!(" * {estimated} deliveries were on no run: their trips are estimated from the distance to the kitchen."))}
            </p>
        </section>
        <section class="card report-section" aria-labelledby="r-whatif">
            <div class="section-head"><h2 id="r-whatif">"What if we stopped serving a district on a weekday?"</h2>
                <CsvButton table="district-days" period export/></div>
            <p class="muted small">"What each district-weekday brought in this period: the orders and profit at stake. Least profitable first."</p>
            <div class="table-scroll table-tall" tabindex="0">
                <table class="table report-whatif">
                    <thead><tr><th>"District"</th><th>"Weekday"</th><th class="num">"Days"</th><th class="num">"Orders"</th>
                        <th class="num">"Revenue"</th><th class="num">"Profit at stake"</th></tr></thead>
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
                .map(|x| x.format("%a %-d").to_string())
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
                    let tip = format!(
                        "{} on {}: {} booked, expect {:.0} (likely {:.0}–{:.0}){}",
                        r.name,
                        c.day,
                        c.booked,
                        c.expected,
                        c.low,
                        c.high,
                        if c.sells_out { "; may sell out" } else { "" }
                    );
                    view! {
                        <td class=if c.sells_out { "num forecast-cell sells-out" } else { "num forecast-cell" } title=tip>
                            <strong>{units(c.expected)}</strong>
                            <small>{format!("{} in", c.booked)}</small>
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
        "Not enough history yet to test the forecast.".to_string()
    } else {
        format!(
            "Tested on {} – {} (1 to 7 days ahead, {} product-days): off by {} of the units sold (MAPE {}, bias {}), against {} (MAPE {}, bias {}) for \"same weekday last week\".",
            pretty(&f.backtest_from),
            pretty(&f.backtest_to),
            f.points,
            pct(f.wape),
            pct(f.mape),
            signed(f.bias),
            pct(f.naive_wape),
            pct(f.naive_mape),
            signed(f.naive_bias)
        )
    };
    view! {
        <section class="card report-section" aria-labelledby="r-forecast">
            <div class="section-head"><h2 id="r-forecast">"Forecast for the kitchen"</h2>
                <CsvButton table="forecast" period export/></div>
            <p class="muted small">"Expected units per bake day (and how many are booked already), from what is booked and how each weekday usually fills up. Highlighted: the likely high reaches the product's daily limit."</p>
            <div class="table-scroll" tabindex="0">
                <table class="table table-compact forecast">
                    <thead><tr><th>"Product"</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="forecast-backtest">{verdict}</p>
        </section>
    }
}
