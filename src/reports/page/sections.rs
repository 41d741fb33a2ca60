//! The report's sections on products, arrival times, customers and problems.

use leptos::prelude::*;

use super::super::api::ReportCsv;
use super::super::charts::HeatMap;
use super::super::Report;
use super::{CsvButton, Period};
use crate::words::{tr, tr_with};

#[component]
pub(super) fn Products(
    r: Report,
    period: Period,
    export: ServerAction<ReportCsv>,
) -> impl IntoView {
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
            <WhereSold by_district=r.by_district.clone() period export/>
        </div>
    }
}

/// Where each product sells: its best three districts (units) and its units in all.
#[component]
fn WhereSold(
    by_district: Vec<super::super::ProductByDistrict>,
    period: Period,
    export: ServerAction<ReportCsv>,
) -> impl IntoView {
    let where_rows = by_district
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
    }
}

#[component]
pub(super) fn Arrivals(
    r: Report,
    period: Period,
    export: ServerAction<ReportCsv>,
) -> impl IntoView {
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
pub(super) fn CustomersAndProblems(
    r: Report,
    period: Period,
    export: ServerAction<ReportCsv>,
) -> impl IntoView {
    let cur = r.currency.clone();
    let money = move |c: i64| crate::words::money(c, &cur);
    let c = r.customers.clone();
    let reasons = |list: &[super::super::ReasonRow]| {
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
