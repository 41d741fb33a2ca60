//! The rules every change to an order obeys, as pure functions of what the change finds. Each
//! page that changes an order asks the core, and the core asks these: one rule per change,
//! whichever page it came from.
use chrono::{Datelike, NaiveDate};

use crate::orders::model::{Fulfilment, OrderStatus};
use crate::said::said_with;

/// Whether the kitchen has not started on the order: its day, items and place may still
/// change freely.
pub fn before_baking(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Received | OrderStatus::Confirmed)
}

/// Whether the order is still in the kitchen (its address and pin may change).
pub fn in_kitchen(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::Received | OrderStatus::Confirmed | OrderStatus::Baking | OrderStatus::Ready
    )
}

/// What a change of delivery day finds.
#[derive(Clone, Debug)]
pub struct DayChange<'a> {
    pub number: i64,
    pub status: OrderStatus,
    pub fulfilment: Fulfilment,
    /// The range of days the customer accepts, when they left one open.
    pub flexible: Option<(&'a str, &'a str)>,
    /// Only within a range the customer left open (a suggested plan moves no one else).
    pub consented_only: bool,
    /// A standing order's visit: every weekday of the patterns its customer accepts (bit 0 =
    /// Monday), and the Monday of the visit's week (a week's visits move within it).
    pub standing: Option<(u8, NaiveDate)>,
    pub to: NaiveDate,
    pub today: NaiveDate,
}

/// Why an order can't move to `c.to`, or None when it may (capacity is checked apart, by
/// `capacity::delivery_refusal`).
pub fn day_refusal(c: &DayChange) -> Option<String> {
    let n = c.number;
    if c.fulfilment != Fulfilment::Delivery {
        return Some(said_with("refuse-move-pickup", &[("number", &n)]));
    }
    match c.status {
        OrderStatus::Cancelled => {
            return Some(said_with("refuse-move-cancelled", &[("number", &n)]))
        }
        OrderStatus::OutForDelivery | OrderStatus::Delivered | OrderStatus::Collected => {
            return Some(said_with("refuse-move-left", &[("number", &n)]))
        }
        OrderStatus::Baking | OrderStatus::Ready => {
            return Some(said_with(
                "refuse-move-baked",
                &[("number", &n), ("status", &c.status.in_refusal())],
            ))
        }
        OrderStatus::Received | OrderStatus::Confirmed => {}
    }
    if c.to < c.today {
        return Some(said_with("refuse-day-past", &[("day", &c.to)]));
    }
    if c.consented_only && c.flexible.is_none() {
        let Some((days, monday)) = c.standing else {
            return Some(said_with("refuse-move-not-open", &[("number", &n)]));
        };
        let weekday = c.to.weekday().num_days_from_monday();
        let week = (c.to - monday).num_days();
        if !(0..7).contains(&week) || days & (1 << weekday) == 0 {
            return Some(said_with(
                "refuse-move-standing",
                &[
                    ("number", &n),
                    ("days", &crate::said::weekdays(days)),
                    ("monday", &monday),
                ],
            ));
        }
    }
    if let Some((a, b)) = c.flexible {
        let to = c.to.to_string();
        if to.as_str() < a || to.as_str() > b {
            return Some(said_with(
                "refuse-move-range",
                &[("number", &n), ("from", &a), ("to", &b)],
            ));
        }
    }
    None
}

/// Why an order's address or pin can't change now, or None.
pub fn place_refusal(number: i64, fulfilment: Fulfilment, status: OrderStatus) -> Option<String> {
    if fulfilment != Fulfilment::Delivery {
        return Some(said_with("refuse-place-pickup", &[("number", &number)]));
    }
    (!in_kitchen(status)).then(|| {
        said_with(
            "refuse-place-left",
            &[("number", &number), ("status", &status.in_refusal())],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(status: OrderStatus, to: &str) -> DayChange<'static> {
        DayChange {
            number: 7,
            status,
            fulfilment: Fulfilment::Delivery,
            flexible: None,
            consented_only: false,
            standing: None,
            to: NaiveDate::parse_from_str(to, "%Y-%m-%d").unwrap(),
            today: NaiveDate::parse_from_str("2026-11-25", "%Y-%m-%d").unwrap(),
        }
    }

    #[test]
    fn a_day_changes_only_before_baking_and_within_what_the_customer_accepts() {
        use OrderStatus::*;
        assert_eq!(day_refusal(&change(Received, "2026-11-27")), None);
        assert_eq!(day_refusal(&change(Confirmed, "2026-11-27")), None);
        for (status, why) in [
            (Baking, "already baking"),
            (Ready, "already ready"),
            (OutForDelivery, "out for delivery"),
            (Delivered, "out for delivery"),
            (Cancelled, "cancelled"),
        ] {
            let r = day_refusal(&change(status, "2026-11-27")).unwrap();
            assert!(r.contains(why), "{status:?}: {r}");
        }
        assert!(day_refusal(&change(Confirmed, "2026-11-20"))
            .unwrap()
            .contains("past"));
        let mut c = change(Confirmed, "2026-11-30");
        c.flexible = Some(("2026-11-26", "2026-11-28"));
        assert!(day_refusal(&c).unwrap().contains("asked for"));
        c.to = NaiveDate::parse_from_str("2026-11-28", "%Y-%m-%d").unwrap();
        assert_eq!(day_refusal(&c), None);
        let mut fixed = change(Confirmed, "2026-11-27");
        fixed.consented_only = true;
        assert!(day_refusal(&fixed).unwrap().contains("didn't leave"));
        // A standing order's visit moves within its week, onto a weekday its customer accepts
        // (2026-11-23 is a Monday; Tue + Fri or Mon + Thu accepted).
        let monday = NaiveDate::parse_from_str("2026-11-23", "%Y-%m-%d").unwrap();
        let mut s = change(Confirmed, "2026-11-26");
        s.consented_only = true;
        s.standing = Some((0b11011, monday));
        assert_eq!(day_refusal(&s), None, "Thursday is accepted");
        s.to = NaiveDate::parse_from_str("2026-11-25", "%Y-%m-%d").unwrap();
        assert!(day_refusal(&s).unwrap().contains("Mon, Tue, Thu, Fri"));
        s.to = NaiveDate::parse_from_str("2026-11-30", "%Y-%m-%d").unwrap();
        assert!(
            day_refusal(&s).unwrap().contains("week of 2026-11-23"),
            "next week's Monday"
        );
        let mut p = change(Confirmed, "2026-11-27");
        p.fulfilment = Fulfilment::Pickup;
        assert!(day_refusal(&p).unwrap().contains("pickup"));
    }

    #[test]
    fn a_place_changes_only_while_the_order_is_in_the_kitchen() {
        use OrderStatus::*;
        for s in [Received, Confirmed, Baking, Ready] {
            assert_eq!(place_refusal(7, Fulfilment::Delivery, s), None);
        }
        for s in [OutForDelivery, Delivered, Cancelled] {
            assert!(place_refusal(7, Fulfilment::Delivery, s).is_some());
        }
        assert!(place_refusal(7, Fulfilment::Pickup, Received).is_some());
    }
}
