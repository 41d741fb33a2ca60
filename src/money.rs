//! Money is integer cents everywhere; this formats it for people and reads what they type.

/// "3.90", "3,90" or " 12 " → cents (0 to 100,000.00, at most two decimals); otherwise an error
/// on `field` saying "{label}: an amount like 4.50, not …" (in the reader's language; `label`
/// as the reader reads it). The one reader of typed amounts.
pub fn parse_cents(raw: &str, field: &str, label: &str) -> Result<i64, crate::error::AppError> {
    let t = raw.trim().replace(',', ".");
    let bad = || {
        crate::error::AppError::invalid(
            field,
            crate::said::said_with(
                "refuse-label-amount",
                &[("label", &label), ("typed", &format!("{:?}", raw.trim()))],
            ),
        )
    };
    let v: f64 = t.parse().map_err(|_| bad())?;
    if !v.is_finite()
        || !(0.0..=100_000.0).contains(&v)
        || t.split('.').nth(1).is_some_and(|d| d.len() > 2)
    {
        return Err(bad());
    }
    Ok((v * 100.0).round() as i64)
}

/// The currency's symbol, or "" when it is written by its code.
pub fn symbol(currency: &str) -> &'static str {
    match currency {
        "EUR" => "€",
        "GBP" => "£",
        "USD" | "AUD" | "CAD" | "NZD" => "$",
        _ => "",
    }
}

/// The size of an amount, digits grouped in threes: `amount(123450, ",", ".")` → "1,234.50"
/// (the sign is the caller's, written before the symbol).
pub fn amount(cents: i64, group: &str, decimal: &str) -> String {
    let abs = cents.unsigned_abs();
    let digits = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push_str(group);
        }
        grouped.push(ch);
    }
    format!("{grouped}{decimal}{:02}", abs % 100)
}

/// Formats cents with the currency's symbol, e.g. `format_cents(1250, "EUR")` → "€12.50".
pub fn format_cents(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let amount = amount(cents, ",", ".");
    match symbol(currency) {
        "" => format!("{sign}{amount} {currency}"),
        symbol => format!("{sign}{symbol}{amount}"),
    }
}

#[cfg(test)]
mod tests {
    use super::format_cents;

    #[test]
    fn formats_cents_with_symbol_and_grouping() {
        assert_eq!(format_cents(1250, "EUR"), "€12.50");
        assert_eq!(format_cents(5, "GBP"), "£0.05");
        assert_eq!(format_cents(123456789, "USD"), "$1,234,567.89");
        assert_eq!(format_cents(-990, "EUR"), "-€9.90");
        assert_eq!(format_cents(1000, "CHF"), "10.00 CHF");
    }
}
