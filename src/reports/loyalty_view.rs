//! The report's "Loyalty points" section: how points moved in the period against the one
//! before (earned, referral rewards, spent and the discount it gave, lapsed, taken back,
//! adjusted) and what customers held at its end — what the bakery still owes as discounts.
use leptos::prelude::*;

use super::api::ReportCsv;
use super::page::{CsvButton, Period};
use super::Report;
use crate::words::{money, tr, tr_with};

#[component]
pub fn Loyalty(r: Report, period: Period, export: ServerAction<ReportCsv>) -> impl IntoView {
    let Some(l) = r.loyalty.clone() else {
        return ().into_any();
    };
    let cur = r.currency.clone();
    let (m, p) = (l.movement.clone(), l.previous.clone());
    let rows = l
        .rows()
        .into_iter()
        .map(|(code, now, before)| {
            view! {
                <tr><th scope="row">{tr(&format!("rep-points-{code}"))}</th><td class="num">{now}</td><td class="num">{before}</td></tr>
            }
        })
        .collect_view();
    view! {
        <section class="card report-section" aria-labelledby="r-loyalty" data-testid="report-loyalty">
            <div class="section-head"><h2 id="r-loyalty">{tr("rep-loyalty")}</h2>
                <CsvButton table="loyalty" period export/></div>
            <p>{tr_with("rep-loyalty-discount", &[
                ("amount", money(m.redeemed_cents, &cur)),
                ("customers", m.spenders.to_string()),
                ("before", money(p.redeemed_cents, &cur)),
            ])}</p>
            <p>{tr_with("rep-loyalty-held", &[
                ("points", l.held.to_string()),
                ("amount", money(l.held_cents, &cur)),
                ("customers", l.holders.to_string()),
            ])}</p>
            <div class="table-scroll" tabindex="0">
                <table class="table">
                    <thead><tr><th>{tr("rep-points")}</th><th class="num">{tr("rep-this-period")}</th><th class="num">{tr("rep-previous-period")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
