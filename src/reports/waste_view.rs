//! The report's "Thrown away" section: per product, units thrown away by reason against what
//! was baked on the period's bake days, and what they cost to bake.
use leptos::prelude::*;

use super::api::ReportCsv;
use super::page::{CsvButton, Period};
use super::Report;
use crate::words::{money, number, tr, tr_with};

#[component]
pub fn Waste(r: Report, period: Period, export: ServerAction<ReportCsv>) -> impl IntoView {
    let cur = r.currency.clone();
    let total_units: i64 = r.waste.iter().map(|w| w.wasted).sum();
    let total_cost: i64 = r.waste.iter().filter_map(|w| w.cost_cents).sum();
    let body = if r.waste.is_empty() {
        view! { <p class="muted">{tr("rep-none")}</p> }.into_any()
    } else {
        let rows = r
            .waste
            .iter()
            .map(|w| {
                let share = (w.baked > 0).then(|| {
                    format!("{} %", number(w.wasted as f64 * 100.0 / w.baked as f64, 0))
                });
                let why = w
                    .reasons
                    .iter()
                    .map(|(code, n)| format!("{n} {}", tr(&format!("waste-reason-{code}"))))
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <tr>
                        <th scope="row">{w.product.clone()}</th>
                        <td class="num">{w.wasted}</td>
                        <td class="num">{w.baked}</td>
                        <td class="num">{share.unwrap_or_else(|| "—".into())}</td>
                        <td>{why}</td>
                        <td class="num">{w.cost_cents.map(|c| money(c, &cur)).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p>{tr_with("rep-waste-total", &[("units", total_units.to_string()), ("cost", money(total_cost, &r.currency))])}</p>
            <div class="table-scroll" tabindex="0">
                <table class="table">
                    <thead><tr><th>{tr("kitchen-product")}</th><th class="num">{tr("rep-waste-units")}</th><th class="num">{tr("rep-waste-baked")}</th>
                        <th class="num">{tr("rep-waste-share")}</th><th>{tr("rep-reason")}</th><th class="num">{tr("rep-waste-cost")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card report-section" aria-labelledby="r-waste">
            <div class="section-head"><h2 id="r-waste">{tr("rep-waste")}</h2>
                <CsvButton table="waste" period export/></div>
            {body}
        </section>
    }
}
