//! The bakery's calendar: which days an order may be for. The owner sets the rules (Settings →
//! Opening hours and booking; Menu → each product's days and notice); these pure functions
//! answer for the storefront, phone orders, the catalog and the order core alike.
//!
//! Two kinds of rule:
//! - **kitchen days** (closed dates, the weekdays a product is baked): no order is on such a
//!   day, whoever asks;
//! - **booking terms** (the past, the horizon, the cut-off, a product's notice): what a
//!   customer may book. Staff moving an order in the back office may bend these.
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::capacity::{Line, Refusal};
use crate::districts::model::{serves, slots_text, District};
use crate::said::{said_with, weekday, weekdays};

/// The counter's hours on one weekday, `HH:MM`, with an optional break.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hours {
    pub opens: String,
    pub closes: String,
    pub break_from: Option<String>,
    pub break_to: Option<String>,
}

impl Hours {
    /// Whether a pickup at `time` (`HH:MM`) falls within the hours and outside the break.
    pub fn admits(&self, time: &str) -> bool {
        let open = time >= self.opens.as_str() && time < self.closes.as_str();
        let on_break = match (&self.break_from, &self.break_to) {
            (Some(a), Some(b)) => time >= a.as_str() && time < b.as_str(),
            _ => false,
        };
        open && !on_break
    }

    /// "08:00–14:00" or "08:00–13:00, 16:00–19:00".
    pub fn summary(&self) -> String {
        match (&self.break_from, &self.break_to) {
            (Some(a), Some(b)) => format!("{}–{a}, {b}–{}", self.opens, self.closes),
            _ => format!("{}–{}", self.opens, self.closes),
        }
    }
}

/// What the owner set: how far ahead, until when, which days closed, when the counter opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRules {
    /// Days ahead the calendar offers, today included.
    pub horizon_days: i64,
    /// `HH:MM`: orders for a day close at this time the day before (None: same-day orders).
    pub cutoff: Option<String>,
    /// Days the bakery takes no orders at all, with the owner's note.
    pub closed: BTreeMap<NaiveDate, String>,
    /// Pickup hours, Monday first; None: no pickups that day.
    pub pickup: [Option<Hours>; 7],
}

impl Default for BookingRules {
    fn default() -> Self {
        BookingRules {
            horizon_days: 14,
            cutoff: None,
            closed: BTreeMap::new(),
            pickup: Default::default(),
        }
    }
}

/// How an order reaches the customer, as the calendar sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    Delivery,
    Pickup,
}

impl BookingRules {
    /// The days the calendar offers: today and the horizon after it.
    pub fn days(&self, today: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        (0..self.horizon_days).map(move |i| today + Duration::days(i))
    }

    pub fn last_day(&self, today: NaiveDate) -> NaiveDate {
        today + Duration::days(self.horizon_days.max(1) - 1)
    }

    pub fn pickup_on(&self, day: NaiveDate) -> Option<&Hours> {
        self.pickup[day.weekday().num_days_from_monday() as usize].as_ref()
    }

    /// The earliest day a product with `lead_days` of notice can be ordered for at `now`.
    pub fn earliest(&self, now: NaiveDateTime, lead_days: i64) -> NaiveDate {
        let today = now.date();
        match &self.cutoff {
            None => today + Duration::days(lead_days),
            Some(cut) => {
                let late = now.format("%H:%M").to_string() >= *cut;
                today + Duration::days(1 + lead_days + i64::from(late))
            }
        }
    }

    /// Why nothing can be made on `day` whoever asks (closed, or a product not baked that
    /// weekday), or None.
    pub fn kitchen_refusal(&self, lines: &[Line], day: NaiveDate) -> Option<Refusal> {
        if let Some(note) = self.closed.get(&day) {
            let message = if note.is_empty() {
                said_with("refuse-closed", &[("day", &day)])
            } else {
                said_with("refuse-closed-because", &[("day", &day), ("note", note)])
            };
            return Some(refusal("fulfilment.date", message));
        }
        lines.iter().enumerate().find_map(|(i, l)| {
            (!serves(l.offered as u8, day.weekday())).then(|| {
                refusal(
                    &format!("items[{i}].sku"),
                    said_with(
                        "refuse-not-baked",
                        &[
                            ("product", &l.name),
                            ("days", &weekdays(l.offered as u8)),
                            ("weekday", &weekday(day)),
                        ],
                    ),
                )
            })
        })
    }

    /// Why a customer cannot book `lines` for `day` at `now` (past, beyond the horizon, after
    /// the cut-off, short notice, closed, not baked, counter shut), or None. Capacity is
    /// checked apart (`capacity`).
    pub fn booking_refusal(
        &self,
        now: NaiveDateTime,
        lines: &[Line],
        day: NaiveDate,
        way: Way,
    ) -> Option<Refusal> {
        let today = now.date();
        if day < today {
            return Some(refusal(
                "fulfilment.date",
                said_with("refuse-day-past", &[("day", &day)]),
            ));
        }
        if day > self.last_day(today) {
            return Some(refusal(
                "fulfilment.date",
                said_with(
                    "refuse-horizon",
                    &[
                        ("days", &self.horizon_days),
                        ("last", &self.last_day(today)),
                    ],
                ),
            ));
        }
        if let Some(r) = self.kitchen_refusal(lines, day) {
            return Some(r);
        }
        if let Some(cut) = self.cutoff.as_ref().filter(|_| day < self.earliest(now, 0)) {
            return Some(refusal(
                "fulfilment.date",
                said_with(
                    "refuse-cutoff",
                    &[
                        ("day", &day),
                        ("time", cut),
                        ("eve", &(day - Duration::days(1))),
                    ],
                ),
            ));
        }
        let short = lines
            .iter()
            .enumerate()
            .find(|(_, l)| l.lead_days > 0 && day < self.earliest(now, l.lead_days));
        if let Some((i, l)) = short {
            return Some(refusal(
                &format!("items[{i}].sku"),
                said_with(
                    "refuse-notice",
                    &[
                        ("product", &l.name),
                        ("days", &l.lead_days),
                        ("earliest", &self.earliest(now, l.lead_days)),
                    ],
                ),
            ));
        }
        if way == Way::Pickup && self.pickup_on(day).is_none() {
            return Some(refusal(
                "fulfilment.date",
                said_with("refuse-no-pickups", &[("weekday", &weekday(day))]),
            ));
        }
        None
    }

    /// Why a pickup at `time` on `day` is outside the counter's hours, or None.
    pub fn pickup_time_refusal(&self, day: NaiveDate, time: &str) -> Option<Refusal> {
        let hours = self.pickup_on(day)?;
        (!hours.admits(time)).then(|| {
            refusal(
                "fulfilment.time",
                said_with(
                    "refuse-pickup-hours",
                    &[("weekday", &weekday(day)), ("hours", &hours.summary())],
                ),
            )
        })
    }
}

/// Why a delivery window is not one `district` offers on `day`, or None. A day without
/// windows set takes any window; an order without a window takes any time of the day.
pub fn window_refusal(
    district: &District,
    day: NaiveDate,
    window: Option<&(String, String)>,
) -> Option<Refusal> {
    let offered = district.windows_on(day.weekday());
    let (from, to) = window?;
    if offered.is_empty() || offered.iter().any(|s| s.from == *from && s.to == *to) {
        return None;
    }
    Some(refusal(
        "fulfilment.window",
        said_with(
            "refuse-window",
            &[
                ("district", &district.name),
                ("weekday", &weekday(day)),
                ("windows", &slots_text(offered)),
                ("window", &format!("{from}–{to}")),
            ],
        ),
    ))
}

fn refusal(field: &str, message: String) -> Refusal {
    Refusal {
        field: field.to_string(),
        message,
        next: Vec::new(),
    }
}

#[cfg(feature = "ssr")]
impl BookingRules {
    /// The owner's rules, from `business_settings`, `pickup_hours` and `closed_dates` (read
    /// with what is booked, in one statement: `booking::read`).
    pub async fn load(
        conn: &mut sqlx::SqliteConnection,
    ) -> Result<BookingRules, crate::error::AppError> {
        let no_days = super::booking::NO_DAYS;
        Ok(super::booking::read_rows(conn, no_days, &[]).await?.0)
    }

    /// The rules from their rows: the horizon, the cutoff, and the pickup hours and closed days
    /// as JSON arrays of rows.
    pub(super) fn from_rows(
        horizon_days: i64,
        cutoff: Option<String>,
        hours: &str,
        closed: &str,
    ) -> Result<BookingRules, crate::error::AppError> {
        let mut rules = BookingRules {
            horizon_days,
            cutoff,
            ..BookingRules::default()
        };
        type HoursRow = (i64, String, String, Option<String>, Option<String>);
        let hours: Vec<HoursRow> = crate::server::db::json_rows(hours)?;
        for (weekday, opens, closes, break_from, break_to) in hours {
            if let Some(slot) = rules.pickup.get_mut(weekday as usize) {
                *slot = Some(Hours {
                    opens,
                    closes,
                    break_from,
                    break_to,
                });
            }
        }
        let closed: Vec<(String, String)> = crate::server::db::json_rows(closed)?;
        for (day, note) in closed {
            if let Ok(day) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
                rules.closed.insert(day, note);
            }
        }
        Ok(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn line(name: &str, offered: i64, lead_days: i64) -> Line {
        Line {
            product_id: 1,
            name: name.into(),
            quantity: 1,
            capacity: 10,
            offered,
            lead_days,
        }
    }

    fn rules() -> BookingRules {
        let hours = Hours {
            opens: "08:00".into(),
            closes: "19:00".into(),
            break_from: Some("13:00".into()),
            break_to: Some("16:00".into()),
        };
        let mut r = BookingRules {
            horizon_days: 10,
            cutoff: Some("18:00".into()),
            ..BookingRules::default()
        };
        for i in 0..6 {
            r.pickup[i] = Some(hours.clone());
        }
        r.closed.insert(day("2026-12-08"), "Holiday".into());
        r
    }

    // 2026-12-07 is a Monday.
    #[test]
    fn the_cut_off_closes_tomorrow_at_its_hour_today() {
        let r = rules();
        let bread = [line("Sourdough", 127, 0)];
        let mon_noon = at("2026-12-07 12:00");
        let why = r
            .booking_refusal(mon_noon, &bread, day("2026-12-07"), Way::Delivery)
            .unwrap();
        assert_eq!(
            why.message,
            "Orders for 2026-12-07 closed at 18:00 on 2026-12-06."
        );
        // Tuesday is closed; Wednesday is fine at noon and after 18:00 (two days ahead).
        assert!(r
            .booking_refusal(mon_noon, &bread, day("2026-12-09"), Way::Delivery)
            .is_none());
        let tue_evening = at("2026-12-08 18:00");
        let why = r
            .booking_refusal(tue_evening, &bread, day("2026-12-09"), Way::Delivery)
            .unwrap();
        assert!(
            why.message.contains("closed at 18:00 on 2026-12-08"),
            "{}",
            why.message
        );
        let mut no_cut = rules();
        no_cut.cutoff = None;
        assert!(no_cut
            .booking_refusal(
                at("2026-12-07 20:00"),
                &bread,
                day("2026-12-07"),
                Way::Delivery
            )
            .is_none());
    }

    #[test]
    fn notice_weekdays_closed_dates_horizon_and_the_past_are_named() {
        let r = rules();
        let now = at("2026-12-07 09:00");
        let cake = [line("Sourdough", 127, 0), line("Tarta de Santiago", 127, 3)];
        let why = r
            .booking_refusal(now, &cake, day("2026-12-10"), Way::Delivery)
            .unwrap();
        assert_eq!(why.field, "items[1].sku");
        assert_eq!(
            why.message,
            "Tarta de Santiago needs 3 days' notice: the earliest day is 2026-12-11."
        );
        assert!(r
            .booking_refusal(now, &cake, day("2026-12-11"), Way::Delivery)
            .is_none());
        let weekend_only = [line("Roscón", 0b110_0000, 0)];
        let why = r
            .booking_refusal(now, &weekend_only, day("2026-12-11"), Way::Delivery)
            .unwrap();
        assert_eq!(why.message, "Roscón is baked on Sat, Sun, not on Friday.");
        let why = r
            .booking_refusal(now, &cake[..1], day("2026-12-08"), Way::Delivery)
            .unwrap();
        assert_eq!(why.message, "The bakery is closed on 2026-12-08 (Holiday).");
        let why = r
            .booking_refusal(now, &cake[..1], day("2026-12-17"), Way::Delivery)
            .unwrap();
        assert_eq!(
            why.message,
            "Orders are taken up to 10 days ahead (until 2026-12-16)."
        );
        let why = r
            .booking_refusal(now, &cake[..1], day("2026-12-01"), Way::Delivery)
            .unwrap();
        assert!(why.message.contains("in the past"));
    }

    #[test]
    fn pickups_need_the_counter_open_outside_its_break() {
        let r = rules();
        let now = at("2026-12-07 09:00");
        let bread = [line("Sourdough", 127, 0)];
        let sunday = day("2026-12-13");
        let why = r.booking_refusal(now, &bread, sunday, Way::Pickup).unwrap();
        assert_eq!(why.message, "The bakery is closed for pickups on Sunday.");
        assert!(r
            .booking_refusal(now, &bread, sunday, Way::Delivery)
            .is_none());
        let wed = day("2026-12-09");
        assert!(r.pickup_time_refusal(wed, "08:00").is_none());
        assert!(r.pickup_time_refusal(wed, "16:30").is_none());
        let why = r.pickup_time_refusal(wed, "13:30").unwrap();
        assert_eq!(why.field, "fulfilment.time");
        assert_eq!(
            why.message,
            "Pickups on Wednesday are 08:00–13:00, 16:00–19:00."
        );
        assert!(r.pickup_time_refusal(wed, "19:00").is_some());
        assert!(r.pickup_time_refusal(wed, "07:59").is_some());
    }

    #[test]
    fn kitchen_days_bind_everyone_but_notice_only_customers() {
        let r = rules();
        let cake = [line("Tarta", 127, 3)];
        // The back office may put a cake on tomorrow, but never on a closed day.
        assert!(r.kitchen_refusal(&cake, day("2026-12-09")).is_none());
        assert!(r.kitchen_refusal(&cake, day("2026-12-08")).is_some());
    }
}
