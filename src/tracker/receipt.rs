//! `/t/{token}/receipt`: the customer's receipt, public by the tracker's token and, like the
//! tracker, plain HTML in the order's language (no app, printable): the bakery, the order, each
//! line with its price, delivery, every discount (promotions and points), the total, how it is
//! paid, and the VAT the prices include per rate.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The receipt, already in the customer's language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub lang: String,
    pub title: String,
    pub business: String,
    pub address: Option<String>,
    /// "Tax id: B12345678", when the bakery gave one (Settings → Business).
    #[serde(default)]
    pub tax_id: Option<String>,
    /// "Order #1042 · placed Fri 4 Dec, 10:12".
    pub order_label: String,
    /// "Delivery on Saturday 5 December".
    pub when: String,
    /// (name, quantity, unit price, line total).
    pub lines: Vec<(String, i64, String, String)>,
    pub fee: Option<String>,
    /// (what, "−€1.95").
    pub discounts: Vec<(String, String)>,
    pub total: String,
    /// "Cash on delivery · not paid yet".
    pub payment: String,
    /// (rate "10 %", base, VAT) for each rate in the order.
    pub vat: Vec<(String, String, String)>,
    pub cancelled: bool,
    /// Headings: item, quantity, price, amount, delivery, total, VAT rate, base, VAT, the VAT
    /// table's caption, "this order was cancelled".
    pub words: Vec<String>,
}

/// The VAT in `lines` (gross cents, rate in basis points; None: no rate set) once delivery
/// (`fee`) and the order's `discount` are shared among the rates by their share of the items:
/// (rate, base, VAT) per rate, highest rate first; prices include VAT.
pub fn vat_breakdown(
    lines: &[(i64, Option<i64>)],
    fee: i64,
    discount: i64,
) -> Vec<(Option<i64>, i64, i64)> {
    let items: i64 = lines.iter().map(|l| l.0).sum();
    let mut by_rate: Vec<(Option<i64>, i64)> = Vec::new();
    for (gross, rate) in lines {
        match by_rate.iter_mut().find(|r| r.0 == *rate) {
            Some(r) => r.1 += gross,
            None => by_rate.push((*rate, *gross)),
        }
    }
    by_rate.sort_by_key(|r| std::cmp::Reverse(r.0));
    let to_share = fee - discount;
    let mut shared = 0;
    let n = by_rate.len();
    by_rate
        .into_iter()
        .enumerate()
        .map(|(i, (rate, gross))| {
            // The last rate takes what rounding left, so the rows add up to what is paid.
            let part = if i + 1 == n {
                to_share - shared
            } else if items > 0 {
                (to_share as f64 * gross as f64 / items as f64).round() as i64
            } else {
                0
            };
            shared += part;
            let paid = (gross + part).max(0);
            let base = match rate {
                Some(bp) => (paid as f64 * 10_000.0 / (10_000.0 + bp as f64)).round() as i64,
                None => paid,
            };
            (rate, base, paid - base)
        })
        .collect()
}

/// The receipt of the order with this token (`NotFound` for unknown tokens). Public.
#[server(endpoint = "get_receipt")]
pub async fn get_receipt(token: String) -> Result<ReceiptView, AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(async { super::receipt_read::receipt(&cx, &token).await }.await)
}

/// The receipt page. Only the server draws it: pages under `/t/` carry no app (see
/// `app::shell`), so the browser's build has nothing of it (the driver's core wasm stays small).
#[component]
pub fn ReceiptPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use crate::ui::{Loading, NotFound};
        let token = leptos_router::hooks::use_params_map()
            .with_untracked(|p| p.get("token").unwrap_or_default());
        // Awaited as it is: no browser app reads a resource's copy on this page.
        view! {
            <main class="tracker receipt-page">
                <Transition fallback=|| view! { <Loading label="…"/> }>
                    {Suspend::new(async move {
                        match get_receipt(token).await {
                            Ok(r) => view! { <Receipt r/> }.into_any(),
                            Err(_) => view! { <NotFound/> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        }
    }
}

#[cfg(feature = "ssr")]
#[component]
fn Receipt(r: ReceiptView) -> impl IntoView {
    use leptos_meta::Title;
    let w = |i: usize| r.words.get(i).cloned().unwrap_or_default();
    let lines = r
        .lines
        .iter()
        .map(|(name, q, unit, total)| {
            view! { <tr><td>{name.clone()}</td><td class="num">{*q}</td><td class="num">{unit.clone()}</td><td class="num">{total.clone()}</td></tr> }
        })
        .collect_view();
    let discounts = r
        .discounts
        .iter()
        .map(|(what, off)| view! { <tr class="discount"><td colspan="3">{what.clone()}</td><td class="num">{off.clone()}</td></tr> })
        .collect_view();
    let vat = r
        .vat
        .iter()
        .map(|(rate, base, tax)| view! { <tr><td>{rate.clone()}</td><td class="num">{base.clone()}</td><td class="num">{tax.clone()}</td></tr> })
        .collect_view();
    view! {
        <Title text=r.title.clone()/>
        <leptos_meta::Html attr:lang=r.lang.clone()/>
        <article class="tracker-page receipt" data-testid="receipt">
            <header class="receipt-head">
                <h1>{r.business.clone()}</h1>
                {r.address.clone().map(|a| view! { <p class="muted">{a}</p> })}
                {r.tax_id.clone().map(|t| view! { <p class="muted">{t}</p> })}
                <p><strong>{r.order_label.clone()}</strong></p>
                <p>{r.when.clone()}</p>
            </header>
            <table class="table receipt-lines">
                <thead><tr><th>{w(0)}</th><th class="num">{w(1)}</th><th class="num">{w(2)}</th><th class="num">{w(3)}</th></tr></thead>
                <tbody>{lines}</tbody>
                <tfoot>
                    {r.fee.clone().map(|f| view! { <tr><td colspan="3">{w(4)}</td><td class="num">{f}</td></tr> })}
                    {discounts}
                    <tr class="receipt-total"><th colspan="3">{w(5)}</th><th class="num">{r.total.clone()}</th></tr>
                </tfoot>
            </table>
            <p>{r.payment.clone()}</p>
            {r.cancelled.then(|| view! { <p class="receipt-cancelled"><strong>{w(10)}</strong></p> })}
            <table class="table receipt-vat">
                <caption>{w(9)}</caption>
                <thead><tr><th>{w(6)}</th><th class="num">{w(7)}</th><th class="num">{w(8)}</th></tr></thead>
                <tbody>{vat}</tbody>
            </table>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::vat_breakdown;

    #[test]
    fn vat_is_shared_per_rate_with_delivery_and_discounts_and_adds_up() {
        // €20.00 of bread at 4 %, €10.00 of cake at 10 %; €3.00 delivery, €6.00 off:
        // €27.00 paid, shared 2 : 1 → €18.00 at 4 % and €9.00 at 10 %.
        let rows = vat_breakdown(&[(2000, Some(400)), (1000, Some(1000))], 300, 600);
        assert_eq!(rows, vec![(Some(1000), 818, 82), (Some(400), 1731, 69)]);
        let paid: i64 = rows.iter().map(|r| r.1 + r.2).sum();
        assert_eq!(paid, 2700);
        // Two lines of one rate are one row; no rate set: all of it is the base.
        let rows = vat_breakdown(&[(500, Some(1000)), (700, Some(1000)), (300, None)], 0, 0);
        assert_eq!(rows, vec![(Some(1000), 1091, 109), (None, 300, 0)]);
        // Everything taken off: nothing owed, no negative VAT.
        let rows = vat_breakdown(&[(650, Some(400))], 0, 650);
        assert_eq!(rows, vec![(Some(400), 0, 0)]);
    }
}
