//! The receipt's data: the order by its tracking token, worded in the order's language (else
//! the bakery's), the VAT the prices include shared out per rate (`receipt::vat_breakdown`).
use super::receipt::{vat_breakdown, ReceiptView};
use crate::error::AppError;
use crate::server::ctx::Ctx;

/// The receipt's fixed words, in the order `ReceiptView::words` holds them.
const WORDS: [&str; 11] = [
    "receipt-item",
    "receipt-quantity",
    "receipt-price",
    "receipt-amount",
    "delivery",
    "tracker-total",
    "receipt-vat-rate",
    "receipt-base",
    "receipt-vat",
    "receipt-vat-included",
    "receipt-cancelled",
];

pub async fn receipt(cx: &Ctx, token: &str) -> Result<ReceiptView, AppError> {
    let not_found = || AppError::NotFound(crate::said::said("refuse-what-this-order"));
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let mut conn = cx.db().acquire().await?;
    let o = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, o.status, o.fulfilment, o.fulfil_on, o.created_at, o.payment_method,
                  o.paid AS "paid: bool", o.delivery_fee_cents, o.discount_cents, o.total_cents, o.language,
                  (SELECT kitchen_address FROM business_settings WHERE id = 1) AS "address?: String",
                  (SELECT tax_id FROM business_settings WHERE id = 1) AS "tax_id?: String"
           FROM orders o WHERE o.tracking_token = ?"#,
        token
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(not_found)?;
    let items = sqlx::query!(
        r#"SELECT COALESCE(i.product_name, p.name) AS "name!: String", i.quantity, i.unit_price_cents, i.tax_rate_bp
           FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id"#,
        o.id
    )
    .fetch_all(&mut *conn)
    .await?;
    let discounts = crate::orders::repo::discounts_of(&mut conn, o.id).await?;
    let config = cx.config();
    let (currency, tz) = (config.currency(), config.timezone());
    let lang = crate::i18n::Lang::pick(&[o.language.as_deref(), Some(&config.language())]);
    let money = |c: i64| lang.money(c, &currency);
    let placed = chrono::DateTime::parse_from_rfc3339(&o.created_at)
        .map(|t| lang.date_time(t.with_timezone(&tz)))
        .unwrap_or(o.created_at.clone());
    let business = config.business_name();
    let amounts: Vec<_> = items
        .iter()
        .map(|i| (i.quantity * i.unit_price_cents, i.tax_rate_bp))
        .collect();
    let vat = vat_breakdown(&amounts, o.delivery_fee_cents, o.discount_cents);
    Ok(ReceiptView {
        title: lang.t_with(
            "receipt-title",
            &[
                ("number", o.number.into()),
                ("business", business.clone().into()),
            ],
        ),
        business,
        address: o.address.filter(|a| !a.trim().is_empty()),
        tax_id: o
            .tax_id
            .map(|id| lang.t_with("receipt-tax-id", &[("id", id.into())])),
        order_label: lang.t_with(
            "receipt-order",
            &[("number", o.number.into()), ("placed", placed.into())],
        ),
        when: when_words(&lang, &o.fulfilment, &o.fulfil_on),
        lines: items
            .iter()
            .map(|i| {
                (
                    i.name.clone(),
                    i.quantity,
                    money(i.unit_price_cents),
                    money(i.quantity * i.unit_price_cents),
                )
            })
            .collect(),
        fee: (o.fulfilment == "delivery").then(|| money(o.delivery_fee_cents)),
        discounts: discounts
            .into_iter()
            .map(|(name, code, cents)| (with_code(name, code), format!("−{}", money(cents))))
            .collect(),
        total: money(o.total_cents),
        payment: payment_words(&lang, &o.payment_method, o.paid),
        vat: vat_rows(&lang, vat, &money),
        cancelled: o.status == "cancelled",
        words: WORDS.iter().map(|k| lang.t(k)).collect(),
        lang: lang.code(),
    })
}

/// "Prepaid" says it all; cash and pay-at-pickup say whether it is in.
fn payment_words(lang: &crate::i18n::Lang, method: &str, paid: bool) -> String {
    match method {
        "prepaid" => lang.t("payment-prepaid"),
        other => format!(
            "{} · {}",
            lang.t(&format!("payment-{other}")),
            lang.t(if paid {
                "drawer-paid"
            } else {
                "drawer-not-paid"
            })
        ),
    }
}

/// A discount's name with its code, when it had one.
fn with_code(name: String, code: Option<String>) -> String {
    match code {
        Some(c) => format!("{name} ({c})"),
        None => name,
    }
}

/// Each VAT rate's line: the rate ("10 %", "5,5 %"; none given says so), base and tax.
fn vat_rows(
    lang: &crate::i18n::Lang,
    vat: Vec<(Option<i64>, i64, i64)>,
    money: &dyn Fn(i64) -> String,
) -> Vec<(String, String, String)> {
    vat.into_iter()
        .map(|(rate, base, tax)| {
            (
                rate.map_or_else(
                    || lang.t("receipt-no-rate"),
                    |bp| {
                        format!(
                            "{} %",
                            lang.number(bp as f64 / 100.0, usize::from(bp % 100 != 0))
                        )
                    },
                ),
                money(base),
                money(tax),
            )
        })
        .collect()
}

/// "Delivery on Tuesday 8 December" (or pickup), worded in `lang`.
pub(crate) fn when_words(lang: &crate::i18n::Lang, fulfilment: &str, day: &str) -> String {
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| lang.date_long(d))
        .unwrap_or(day.to_string());
    let key = if fulfilment == "pickup" {
        "tracker-pickup-on"
    } else {
        "tracker-delivery-on"
    };
    lang.t_with(key, &[("date", date.into())])
}
