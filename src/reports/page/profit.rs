//! The report's profit per district (map and table) and the kitchen's forecast with its backtest.

use leptos::prelude::*;

use super::super::api::ReportCsv;
use super::super::charts::{Fmt, ProfitMap};
use super::super::{Forecast, Report};
use super::{pretty, units, CsvButton, Period};
use crate::words::{tr, tr_with};

#[component]
pub(super) fn Profit(
    r: Report,
    period: Period,
    export: ServerAction<ReportCsv>,
    money_fmt: Fmt,
) -> impl IntoView {
    let cur = r.currency.clone();
    let money = move |c: i64| crate::words::money(c, &cur);
    let row = {
        let money = money.clone();
        move |p: &super::super::DistrictProfit, total: bool| {
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
        <WhatIf days=r.district_days.clone() currency=r.currency.clone() period export/>
    }
}

/// What if a district were not served on a weekday: its district-days, least profitable first.
#[component]
fn WhatIf(
    days: Vec<super::super::DistrictDay>,
    currency: String,
    period: Period,
    export: ServerAction<ReportCsv>,
) -> impl IntoView {
    let money = move |c: i64| crate::words::money(c, &currency);
    let names = crate::words::day_names("days-short");
    // Least profitable district-days first: the ones to think about.
    let mut days = days;
    days.reverse();
    let day_rows = days
        .iter()
        .map(|d| {
            view! {
                <tr>
                    <td>{d.district.clone()}</td>
                    <td>{names[d.weekday.min(6)].clone()}</td>
                    <td class="num">{d.days}</td>
                    <td class="num">{d.orders}</td>
                    <td class="num">{money(d.revenue_cents)}</td>
                    <td class=if d.profit_cents < 0 { "num text-err" } else { "num" }>{money(d.profit_cents)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
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
pub(super) fn ForecastView(
    f: Forecast,
    export: ServerAction<ReportCsv>,
    period: Period,
) -> impl IntoView {
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
    let verdict = backtest_verdict(&f);
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

/// How the forecast did on the weeks before (its errors against the naive forecast's).
fn backtest_verdict(f: &Forecast) -> String {
    let pct = |x: f64| format!("{:.0} %", x * 100.0);
    let signed = |x: f64| {
        if (x * 100.0).abs() < 0.5 {
            "0 %".to_string()
        } else {
            format!("{:+.0} %", x * 100.0)
        }
    };
    if f.points == 0 {
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
    }
}
