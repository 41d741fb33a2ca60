//! Money is integer cents everywhere; this formats it for people (`crate::field::parse_cents`
//! reads what they type).

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
