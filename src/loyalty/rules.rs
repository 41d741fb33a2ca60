//! The rules of the points, pure: what an order earns, what points are worth, and the ledger
//! replayed into lots, first to expire first used, so that a balance, the points about to
//! expire and the expiries due are all read from the same history.
use chrono::NaiveDate;

use super::Program;

/// One ledger line as the rules need it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub points: i64,
    /// A credit's last day of use (None: never expires).
    pub expires_on: Option<NaiveDate>,
    /// An expiry or a reversal: the credit it takes from first. A refund: the redemption it
    /// gives back (the points return to the lots that redemption took them from).
    pub lot_id: Option<i64>,
}

/// What is left of one credit.
#[derive(Clone, Debug, PartialEq)]
pub struct Lot {
    pub id: i64,
    pub remaining: i64,
    pub expires_on: Option<NaiveDate>,
}

/// The ledger replayed: what is left of each credit, and points owed (debits that found no
/// credit, e.g. an earning reversed after the points were spent).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lots {
    pub lots: Vec<Lot>,
    pub owed: i64,
}

impl Lots {
    /// Replays `entries` in ledger order. A debit takes from the lot it names first, then from
    /// the lots that expire first (never-expiring last, older first among equals). A credit
    /// that names a debit gives it back: its points return to the lots that debit took them
    /// from, keeping their last day (a refund never makes points last longer); what is left
    /// over is a credit like any other.
    pub fn replay(entries: &[Entry]) -> Lots {
        let mut out = Lots::default();
        let mut sorted: Vec<&Entry> = entries.iter().collect();
        sorted.sort_by_key(|e| e.id);
        // What each debit took: (lot index, points).
        let mut took: std::collections::HashMap<i64, Vec<(usize, i64)>> = Default::default();
        for e in sorted {
            if e.points > 0 {
                let mut points = e.points;
                if let Some(taken) = e.lot_id.and_then(|debit| took.get_mut(&debit)) {
                    for (i, t) in taken.iter_mut() {
                        let back = points.min(*t);
                        out.lots[*i].remaining += back;
                        (*t, points) = (*t - back, points - back);
                    }
                }
                if points == 0 {
                    continue;
                }
                // A credit first pays back what is owed.
                let paid = points.min(out.owed);
                out.owed -= paid;
                out.lots.push(Lot {
                    id: e.id,
                    remaining: points - paid,
                    expires_on: e.expires_on,
                });
                continue;
            }
            let mut need = -e.points;
            let mut taken = Vec::new();
            if let Some(i) = e
                .lot_id
                .and_then(|id| out.lots.iter().position(|l| l.id == id))
            {
                let take = need.min(out.lots[i].remaining);
                out.lots[i].remaining -= take;
                need -= take;
                taken.push((i, take));
            }
            let mut order: Vec<usize> = (0..out.lots.len())
                .filter(|&i| out.lots[i].remaining > 0)
                .collect();
            order.sort_by_key(|&i| {
                let l = &out.lots[i];
                (l.expires_on.is_none(), l.expires_on, l.id)
            });
            for i in order {
                if need == 0 {
                    break;
                }
                let take = need.min(out.lots[i].remaining);
                out.lots[i].remaining -= take;
                need -= take;
                taken.push((i, take));
            }
            out.owed += need;
            took.insert(e.id, taken);
        }
        out
    }

    /// Points that can be used on `today` (lots not past their last day, less what is owed).
    pub fn available(&self, today: NaiveDate) -> i64 {
        let live: i64 = self
            .lots
            .iter()
            .filter(|l| l.expires_on.is_none_or(|d| d >= today))
            .map(|l| l.remaining)
            .sum();
        live - self.owed
    }

    /// Lots past their last day with points left: `(lot, points)` each expiry must take.
    pub fn due(&self, today: NaiveDate) -> Vec<(i64, i64)> {
        self.lots
            .iter()
            .filter(|l| l.remaining > 0 && l.expires_on.is_some_and(|d| d < today))
            .map(|l| (l.id, l.remaining))
            .collect()
    }

    /// The next points to expire from `today` on: `(day, points)`.
    pub fn next_expiry(&self, today: NaiveDate) -> Option<(NaiveDate, i64)> {
        let day = self
            .lots
            .iter()
            .filter(|l| l.remaining > 0)
            .filter_map(|l| l.expires_on)
            .filter(|d| *d >= today)
            .min()?;
        let points = self
            .lots
            .iter()
            .filter(|l| l.expires_on == Some(day))
            .map(|l| l.remaining)
            .sum();
        Some((day, points))
    }
}

impl Program {
    /// Points an order earns for `items_paid_cents` (what was paid for the items after every
    /// discount): whole units of the currency × points per unit.
    pub fn earned(&self, items_paid_cents: i64) -> i64 {
        if !self.enabled || items_paid_cents <= 0 {
            return 0;
        }
        items_paid_cents / 100 * self.points_per_unit
    }

    /// What `points` take off an order, in cents (rounded down).
    pub fn value_cents(&self, points: i64) -> i64 {
        points.max(0) * self.value_per_100 / 100
    }

    /// The last day of use of points credited on `day`.
    pub fn expiry_of(&self, day: NaiveDate) -> Option<NaiveDate> {
        (self.expiry_days > 0).then(|| day + chrono::Duration::days(self.expiry_days))
    }
}

/// Why `points` cannot be redeemed on an order that still costs `to_pay_cents`.
#[derive(Clone, Debug, PartialEq)]
pub enum RedeemRefusal {
    /// The bakery runs no loyalty programme.
    Off,
    /// Fewer than the programme's minimum.
    BelowMinimum { min: i64 },
    /// More than the customer has.
    NotEnough { available: i64 },
    /// Worth more than what is left to pay: at most `max` points.
    MoreThanTheOrder { max: i64 },
}

/// Checks a redemption of `points` by a customer with `available` points on an order that
/// still costs `to_pay_cents` (after promotions).
pub fn redeem_refusal(
    program: &Program,
    points: i64,
    available: i64,
    to_pay_cents: i64,
) -> Option<RedeemRefusal> {
    if !program.enabled {
        return Some(RedeemRefusal::Off);
    }
    if points < program.min_redeem {
        return Some(RedeemRefusal::BelowMinimum {
            min: program.min_redeem,
        });
    }
    if points > available {
        return Some(RedeemRefusal::NotEnough {
            available: available.max(0),
        });
    }
    if program.value_cents(points) > to_pay_cents {
        // The most points whose value fits in what is left to pay.
        let max = to_pay_cents * 100 / program.value_per_100;
        return Some(RedeemRefusal::MoreThanTheOrder { max });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn credit(id: i64, points: i64, expires: Option<&str>) -> Entry {
        Entry {
            id,
            points,
            expires_on: expires.map(d),
            lot_id: None,
        }
    }

    #[test]
    fn a_refund_gives_the_points_back_to_the_lots_they_came_from() {
        let debit = |id, points: i64| Entry {
            id,
            points: -points,
            expires_on: None,
            lot_id: None,
        };
        let refund = |id, points, of| Entry {
            id,
            points,
            expires_on: Some(d("2028-01-01")),
            lot_id: Some(of),
        };
        // 100 to 10 Jan, 100 to 1 Jun; 150 spent (100 of January's, 50 of June's), given back.
        let ledger = vec![
            credit(1, 100, Some("2027-01-10")),
            credit(2, 100, Some("2027-06-01")),
            debit(3, 150),
            refund(4, 150, 3),
        ];
        let lots = Lots::replay(&ledger);
        assert_eq!(lots.available(d("2027-01-05")), 200);
        assert_eq!(
            lots.available(d("2027-01-11")),
            100,
            "January's points still lapse in January"
        );
        assert_eq!(
            lots.next_expiry(d("2027-01-05")),
            Some((d("2027-01-10"), 100))
        );
        assert_eq!(lots.lots.len(), 2, "no new lot");
        // A refund of more than the redemption took (or of an unknown one) is a new lot for
        // the rest, and pays what is owed first.
        let mut more = ledger.clone();
        more.push(debit(5, 250));
        more.push(refund(6, 300, 5));
        let lots = Lots::replay(&more);
        assert_eq!(lots.available(d("2027-01-05")), 250);
        assert_eq!(lots.lots.last().map(|l| (l.id, l.remaining)), Some((6, 50)));
        let unknown = vec![credit(1, 100, None), refund(2, 40, 99)];
        assert_eq!(Lots::replay(&unknown).lots[1].remaining, 40);
    }

    fn debit(id: i64, points: i64, lot: Option<i64>) -> Entry {
        Entry {
            id,
            points: -points,
            expires_on: None,
            lot_id: lot,
        }
    }

    fn program() -> Program {
        Program {
            enabled: true,
            points_per_unit: 1,
            value_per_100: 500,
            min_redeem: 100,
            expiry_days: 365,
            referral_points: 200,
        }
    }

    #[test]
    fn a_redemption_takes_the_points_that_expire_first() {
        // 100 expiring in March, 50 in January (earned later but expiring sooner), 30 never.
        let lots = Lots::replay(&[
            credit(1, 100, Some("2027-03-01")),
            credit(2, 50, Some("2027-01-15")),
            credit(3, 30, None),
            debit(4, 120, None),
        ]);
        let left: Vec<i64> = lots.lots.iter().map(|l| l.remaining).collect();
        assert_eq!(left, vec![30, 0, 30]);
        assert_eq!(lots.available(d("2027-01-01")), 60);
        // After March the 30 left of the first lot are gone; the never-expiring 30 stay.
        assert_eq!(lots.available(d("2027-03-02")), 30);
        assert_eq!(lots.due(d("2027-03-02")), vec![(1, 30)]);
        assert_eq!(
            lots.next_expiry(d("2027-01-01")),
            Some((d("2027-03-01"), 30))
        );
    }

    #[test]
    fn an_expiry_ends_its_own_lot_and_leaves_nothing_due() {
        let lots = Lots::replay(&[
            credit(1, 80, Some("2026-12-01")),
            credit(2, 40, Some("2027-06-01")),
            debit(3, 80, Some(1)),
        ]);
        assert_eq!(lots.due(d("2026-12-10")), vec![]);
        assert_eq!(lots.available(d("2026-12-10")), 40);
    }

    #[test]
    fn points_spent_then_reversed_are_owed_and_paid_back_by_the_next_credit() {
        // 200 earned, 150 spent, then the earning reversed (the order was not delivered after
        // all): 150 owed; a later credit of 100 pays 100 of it.
        let lots = Lots::replay(&[
            credit(1, 200, Some("2027-12-01")),
            debit(2, 150, None),
            debit(3, 200, Some(1)),
        ]);
        assert_eq!(lots.owed, 150);
        assert_eq!(lots.available(d("2027-01-01")), -150);
        let lots = Lots::replay(&[
            credit(1, 200, Some("2027-12-01")),
            debit(2, 150, None),
            debit(3, 200, Some(1)),
            credit(4, 100, Some("2028-01-01")),
        ]);
        assert_eq!((lots.owed, lots.available(d("2027-01-01"))), (50, -50));
    }

    #[test]
    fn earning_and_value_round_down() {
        let p = program();
        assert_eq!(p.earned(1999), 19);
        assert_eq!(p.earned(0), 0);
        assert_eq!(p.earned(-500), 0);
        assert_eq!(p.value_cents(130), 650);
        let thirds = Program {
            value_per_100: 333,
            ..program()
        };
        assert_eq!(thirds.value_cents(100), 333);
        assert_eq!(thirds.value_cents(1), 3);
        let off = Program {
            enabled: false,
            ..program()
        };
        assert_eq!(off.earned(5000), 0);
        assert_eq!(p.expiry_of(d("2026-12-05")), Some(d("2027-12-05")));
        let never = Program {
            expiry_days: 0,
            ..program()
        };
        assert_eq!(never.expiry_of(d("2026-12-05")), None);
    }

    #[test]
    fn a_redemption_is_refused_with_its_reason() {
        let p = program();
        assert_eq!(redeem_refusal(&p, 100, 500, 1000), None);
        assert_eq!(
            redeem_refusal(&p, 50, 500, 1000),
            Some(RedeemRefusal::BelowMinimum { min: 100 })
        );
        assert_eq!(
            redeem_refusal(&p, 300, 250, 5000),
            Some(RedeemRefusal::NotEnough { available: 250 })
        );
        // 300 points are worth €15.00; only €12.40 is left to pay: at most 248 points.
        assert_eq!(
            redeem_refusal(&p, 300, 500, 1240),
            Some(RedeemRefusal::MoreThanTheOrder { max: 248 })
        );
        let off = Program {
            enabled: false,
            ..program()
        };
        assert_eq!(
            redeem_refusal(&off, 100, 500, 1000),
            Some(RedeemRefusal::Off)
        );
    }
}
