//! Standing orders as everyone sees them: weekday patterns, the schedule's dates, and the
//! view the customer page and the API show.
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::districts::model::WEEKDAYS;
use crate::said::{said, said_with};

/// "There is no standing order S-`id`." (404).
#[cfg(feature = "ssr")]
pub fn unknown(id: i64) -> crate::error::AppError {
    crate::error::AppError::NotFound(said_with("refuse-what-standing-order", &[("id", &id)]))
}

/// Days Hearth creates a standing order's orders ahead (the fortnight the planner sees).
pub const AHEAD_DAYS: i64 = 14;

/// A set of weekdays, bit 0 = Monday.
pub type Pattern = u8;

/// A pattern in the reader's language, for pages ("mar + vie"); `pattern_label` is the stable
/// English the API and the audit log carry.
pub fn pattern_words(mask: Pattern) -> String {
    let names = crate::words::day_names("days-short");
    (0..7)
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| names[i].as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A standing order's state in the reader's language: "Paused until Tue 8 Dec", "Active".
pub fn state_words(status: &str, paused_until: Option<&str>) -> String {
    use crate::words::{tr, tr_with};
    match (status, paused_until) {
        ("paused", Some(u)) => tr_with("standing-paused-until", &[("day", day_words(u))]),
        ("paused", None) => tr("standing-paused"),
        ("ended", _) => tr("standing-ended"),
        _ => tr("standing-active"),
    }
}

/// A day ("YYYY-MM-DD") for pages, short: "Tue 8 Dec", "mar 8 dic".
pub fn day_words(day: &str) -> String {
    crate::words::day(day, "date-short")
}

/// "Tue + Fri".
pub fn pattern_label(mask: Pattern) -> String {
    let days: Vec<&str> = (0..7)
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| WEEKDAYS[i])
        .collect();
    days.join(" + ")
}

/// Whether `day` falls on one of the pattern's weekdays.
pub fn on_pattern(mask: Pattern, day: NaiveDate) -> bool {
    mask & (1 << day.weekday().num_days_from_monday()) != 0
}

/// The Monday of `day`'s week: a standing order's visits of one week may move within it.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// A weekday by its English name or first three letters ("tue", "Tuesday").
pub fn parse_weekday(text: &str) -> Option<u8> {
    let t = text.trim().to_ascii_lowercase();
    if t.len() < 3 {
        return None;
    }
    const FULL: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    (0..7)
        .find(|&i| t == WEEKDAYS[i].to_ascii_lowercase() || t == FULL[i])
        .map(|i| i as u8)
}

/// Patterns as stored ("18,9").
pub fn patterns_to_text(patterns: &[Pattern]) -> String {
    patterns
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn patterns_from_text(text: &str) -> Vec<Pattern> {
    text.split(',')
        .filter_map(|p| p.trim().parse::<u8>().ok())
        .filter(|&p| p != 0 && p < 128)
        .collect()
}

/// Checks a schedule: every pattern has `per_week` days, none twice. The problem names the
/// field (`prefix` + `weekdays[i]`).
pub fn check_patterns(
    per_week: i64,
    patterns: &[Vec<String>],
    prefix: &str,
) -> Result<Vec<Pattern>, (String, String)> {
    if !(1..=7).contains(&per_week) {
        return Err((
            format!("{prefix}visits_per_week"),
            format!("{prefix}visits_per_week {}.", said("refuse-one-to-seven")),
        ));
    }
    if patterns.is_empty() || patterns.len() > 10 {
        return Err((
            format!("{prefix}weekdays"),
            format!("{prefix}weekdays: {}.", said("refuse-patterns-count")),
        ));
    }
    let mut out: Vec<Pattern> = Vec::new();
    for (i, days) in patterns.iter().enumerate() {
        let field = format!("{prefix}weekdays[{i}]");
        let mut mask: Pattern = 0;
        for d in days {
            let Some(w) = parse_weekday(d) else {
                return Err((
                    field.clone(),
                    format!(
                        "{field}: {}.",
                        said_with(
                            "refuse-not-weekday",
                            &[("day", &d.chars().take(20).collect::<String>())]
                        )
                    ),
                ));
            };
            if mask & (1 << w) != 0 {
                return Err((
                    field.clone(),
                    format!(
                        "{field} {}.",
                        said_with("refuse-day-twice", &[("day", &WEEKDAYS[w as usize])])
                    ),
                ));
            }
            mask |= 1 << w;
        }
        if mask.count_ones() as i64 != per_week {
            return Err((
                field.clone(),
                format!(
                    "{field} {}.",
                    said_with(
                        "refuse-pattern-size",
                        &[("days", &mask.count_ones()), ("per_week", &per_week)]
                    )
                ),
            ));
        }
        if out.contains(&mask) {
            return Err((
                field.clone(),
                format!(
                    "{field} {}.",
                    said_with(
                        "refuse-pattern-repeat",
                        &[("pattern", &pattern_label(mask))]
                    )
                ),
            ));
        }
        out.push(mask);
    }
    Ok(out)
}

/// The booked dates in `[from, to]`: the first pattern's weekdays.
pub fn dates(mask: Pattern, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| on_pattern(mask, *d))
        .collect()
}

/// One booked date of a standing order, as the customer page shows it.
/// An address the customer has had delivered to, with its pin and district: what a standing
/// order may move to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub district: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitView {
    /// The booked date (`YYYY-MM-DD`).
    pub day: String,
    /// The order created for it: number, its day now (the plan may have moved it within the
    /// week), its status.
    pub order: Option<(i64, i64, String, String)>,
    /// Why the order core refused it (names the date).
    pub refusal: Option<String>,
    pub skipped: bool,
}

/// A standing order with its next visits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StandingView {
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub fulfilment: String,
    pub address: Option<String>,
    /// The door's pin.
    #[serde(default)]
    pub pin: Option<(f64, f64)>,
    /// "09:00–11:00" (or the pickup time).
    pub window: Option<String>,
    /// The window as stored (`HH:MM`, `HH:MM`).
    #[serde(default)]
    pub window_times: Option<(String, String)>,
    /// (product name, quantity).
    pub items: Vec<(String, i64)>,
    /// The items' SKUs, in the same order.
    #[serde(default)]
    pub skus: Vec<String>,
    pub per_week: i64,
    pub patterns: Vec<Pattern>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// `active`, `paused` or `ended`.
    pub status: String,
    pub paused_until: Option<String>,
    pub skips: Vec<String>,
    pub visits: Vec<VisitView>,
    pub subtotal_cents: i64,
    pub version: i64,
}

impl StandingView {
    /// "Twice a week, Tue + Fri (or Mon + Thu)".
    /// Its schedule in the reader's language, for pages (`schedule` is the API's English).
    pub fn schedule_words(&self) -> String {
        use crate::words::{tr, tr_with};
        let times = match self.per_week {
            1 => tr("standing-weekly"),
            2 => tr("standing-twice"),
            n => tr_with("standing-times", &[("count", n.to_string())]),
        };
        let mut labels = self.patterns.iter().map(|&p| pattern_words(p));
        let first = labels.next().unwrap_or_default();
        let others: Vec<String> = labels.collect();
        if others.is_empty() {
            format!("{times}, {first}")
        } else {
            let or = format!(", {} ", tr("standing-or"));
            format!(
                "{times}, {first} ({} {})",
                tr("standing-or"),
                others.join(&or)
            )
        }
    }

    pub fn schedule(&self) -> String {
        let times = match self.per_week {
            1 => "Weekly".to_string(),
            2 => "Twice a week".to_string(),
            n => format!("{n} times a week"),
        };
        format!("{times}, {}", patterns_label(&self.patterns))
    }
}

/// The booked pattern, and the others accepted: "Tue + Fri (or Mon + Thu)".
pub fn patterns_label(patterns: &[Pattern]) -> String {
    let mut labels = patterns.iter().map(|&p| pattern_label(p));
    let first = labels.next().unwrap_or_default();
    let others: Vec<String> = labels.collect();
    if others.is_empty() {
        first
    } else {
        format!("{first} (or {})", others.join(", or "))
    }
}

/// A `YYYY-MM-DD` date as "Tue 8 Dec" (the text itself when it is not a date).
pub fn day_text(day: &str) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.format("%a %-d %b").to_string())
        .unwrap_or_else(|_| day.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_and_name_the_field() {
        let p = check_patterns(
            2,
            &[
                vec!["tue".into(), "Friday".into()],
                vec!["mon".into(), "thu".into()],
            ],
            "schedule.",
        )
        .unwrap();
        assert_eq!(p, vec![0b10010, 0b01001]);
        assert_eq!(pattern_label(p[0]), "Tue + Fri");
        let e = check_patterns(2, &[vec!["tue".into()]], "schedule.").unwrap_err();
        assert_eq!(e.0, "schedule.weekdays[0]");
        assert!(e.1.contains("1 day(s)"), "{}", e.1);
        let e = check_patterns(1, &[vec!["tue".into()], vec!["xx".into()]], "").unwrap_err();
        assert_eq!(e.0, "weekdays[1]");
        let e = check_patterns(1, &[vec!["tue".into()], vec!["tuesday".into()]], "").unwrap_err();
        assert!(e.1.contains("repeats"), "{}", e.1);
        assert!(check_patterns(0, &[vec!["tue".into()]], "").is_err());
        assert_eq!(patterns_from_text(&patterns_to_text(&p)), p);
    }

    #[test]
    fn dates_follow_the_first_pattern() {
        let mon = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let d = dates(0b10010, mon, mon + chrono::Duration::days(13));
        let s: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(s, ["2026-12-08", "2026-12-11", "2026-12-15", "2026-12-18"]);
        assert_eq!(monday_of(mon + chrono::Duration::days(6)), mon);
    }
}
