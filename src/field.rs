//! Reading what a person typed into one field — an amount, a clock time, a language — or the
//! refusal naming that field, worded for whoever reads it (`crate::said`). The one reader of
//! each; the forms, the imports and the API all call these.

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

/// A whole number from `range` typed into `field` (called `label` in the refusal, which also
/// names the range and what was typed).
pub fn parse_whole(
    raw: &str,
    field: &str,
    label: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, crate::error::AppError> {
    let t = raw.trim();
    t.parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            crate::error::AppError::invalid(
                field,
                crate::said::said_with(
                    "refuse-label-whole",
                    &[
                        ("label", &label),
                        ("lo", range.start()),
                        ("hi", range.end()),
                        ("typed", &format!("{t:?}")),
                    ],
                ),
            )
        })
}

/// "HH:MM" → seconds since midnight; the error names `field`.
pub fn parse_clock(raw: &str, field: &str) -> Result<f64, crate::error::AppError> {
    let bad = || {
        crate::error::AppError::invalid(
            field,
            crate::said::said_with("refuse-time-like", &[("field", &field)]),
        )
    };
    let (h, m) = raw.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(f64::from(h * 3600 + m * 60))
}

/// `HH:MM` (a leading zero added), or the error naming `field` .
pub fn clock(raw: &str, field: &str, label: &str) -> Result<String, crate::error::AppError> {
    let secs = parse_clock(raw, field).map_err(|_| {
        crate::error::AppError::invalid(
            field,
            crate::said::said_with(
                "refuse-label-time",
                &[("label", &label), ("typed", &format!("{:?}", raw.trim()))],
            ),
        )
    })? as i64;
    Ok(format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60))
}

#[cfg(feature = "ssr")]
/// The language setting's check: a code Hearth speaks, else the error naming `field`.
pub fn language_code(raw: &str, field: &str) -> Result<String, crate::error::AppError> {
    crate::i18n::Lang::parse(raw)
        .map(|l| l.code())
        .ok_or_else(|| {
            crate::error::AppError::invalid(
                field,
                crate::said::said_with(
                    "refuse-language",
                    &[
                        ("field", &field),
                        ("known", &crate::i18n::Lang::codes().join(", ")),
                        ("typed", &format!("{:?}", raw.trim())),
                    ],
                ),
            )
        })
}
