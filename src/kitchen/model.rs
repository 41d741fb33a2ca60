//! The kitchen's arithmetic, shared by the server and the pages: units and their conversions,
//! whole batches, first-expired-first-out lot choice and cost of goods. No I/O.
use serde::{Deserialize, Serialize};

/// The unit an ingredient is bought, priced and counted in. Quantities are stored as whole
/// numbers of the unit's base (grams, millilitres, pieces).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    G,
    Kg,
    Ml,
    L,
    Piece,
}

impl Unit {
    pub const ALL: [Unit; 5] = [Unit::G, Unit::Kg, Unit::Ml, Unit::L, Unit::Piece];

    pub fn code(self) -> &'static str {
        match self {
            Unit::G => "g",
            Unit::Kg => "kg",
            Unit::Ml => "ml",
            Unit::L => "l",
            Unit::Piece => "piece",
        }
    }

    pub fn parse(s: &str) -> Option<Unit> {
        Unit::ALL
            .into_iter()
            .find(|u| u.code().eq_ignore_ascii_case(s.trim()))
            .or(match s.trim().to_ascii_lowercase().as_str() {
                "pieces" | "pc" | "pcs" | "unit" | "units" => Some(Unit::Piece),
                _ => None,
            })
    }

    /// How many base units one of this unit is.
    pub fn factor(self) -> i64 {
        match self {
            Unit::Kg | Unit::L => 1000,
            _ => 1,
        }
    }

    /// The base unit's short name (recipes are written in it).
    pub fn base(self) -> &'static str {
        match self {
            Unit::G | Unit::Kg => "g",
            Unit::Ml | Unit::L => "ml",
            Unit::Piece => "pc",
        }
    }

    /// Whether quantities in `self` and `other` can be converted into each other.
    pub fn same_kind(self, other: Unit) -> bool {
        self.base() == other.base()
    }

    /// `base` base units shown in this unit: "1.25 kg", "300 g", "12 pc".
    pub fn show(self, base: i64) -> String {
        let f = self.factor();
        let text = if f == 1 {
            base.to_string()
        } else {
            let whole = base / f;
            let rest = (base % f).abs();
            if rest == 0 {
                whole.to_string()
            } else {
                let sign = if base < 0 && whole == 0 { "-" } else { "" };
                let frac = format!("{rest:03}");
                format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
            }
        };
        let name = if self == Unit::Piece {
            "pc"
        } else {
            self.code()
        };
        format!("{text} {name}")
    }

    /// A typed quantity of this unit ("1.5", "1,5", "250") in base units; at most as many
    /// decimals as the base can hold.
    pub fn to_base(self, typed: &str) -> Result<i64, String> {
        let t = typed.trim().replace(',', ".");
        if t.is_empty() {
            return Err(crate::said::said("refuse-quantity-needed"));
        }
        let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let number = digits(whole) || whole.is_empty() && digits(frac);
        if !number || !frac.is_empty() && !digits(frac) {
            return Err(crate::said::said_with(
                "refuse-not-a-number",
                &[("typed", &typed.trim())],
            ));
        }
        let places = self.factor().to_string().len() - 1;
        if frac.len() > places {
            return Err(if places == 0 {
                crate::said::said_with("refuse-whole-units", &[("unit", &self.base())])
            } else {
                crate::said::said_with("refuse-decimals", &[("places", &places)])
            });
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .map_err(|_| crate::said::said("refuse-too-large"))?
        };
        let frac_val: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<places$}").parse().unwrap_or(0)
        };
        whole
            .checked_mul(self.factor())
            .and_then(|w| w.checked_add(frac_val))
            .filter(|v| *v <= 100_000_000_000)
            .ok_or_else(|| "too large".to_string())
    }

    /// Cost in cents of `base` base units at `cost_cents` per unit.
    pub fn cost(self, base: i64, cost_cents: f64) -> f64 {
        base as f64 * cost_cents / self.factor() as f64
    }
}

/// Whole batches needed for `units` at `batch_yield` per batch.
pub fn batches_for(units: i64, batch_yield: i64) -> i64 {
    if units <= 0 || batch_yield <= 0 {
        return 0;
    }
    (units + batch_yield - 1) / batch_yield
}

/// One lot with stock: its id, best-before (None: keeps), the day it arrived, its balance.
#[derive(Clone, Debug, PartialEq)]
pub struct LotBalance {
    pub lot_id: i64,
    pub best_before: Option<String>,
    pub received_on: String,
    pub balance: i64,
}

/// First expired, first out: the lots (and how much of each) that give `need` base units,
/// earliest best-before first (lots that keep come last, then oldest received). `Err(short)`
/// says how much is missing; nothing is chosen then.
pub fn fefo(lots: &[LotBalance], need: i64) -> Result<Vec<(i64, i64)>, i64> {
    let mut order: Vec<&LotBalance> = lots.iter().filter(|l| l.balance > 0).collect();
    order.sort_by(|a, b| {
        let key = |l: &LotBalance| (l.best_before.is_none(), l.best_before.clone());
        key(a)
            .cmp(&key(b))
            .then_with(|| a.received_on.cmp(&b.received_on))
            .then(a.lot_id.cmp(&b.lot_id))
    });
    let mut left = need;
    let mut taken = Vec::new();
    for l in order {
        if left <= 0 {
            break;
        }
        let take = l.balance.min(left);
        taken.push((l.lot_id, take));
        left -= take;
    }
    if left > 0 {
        Err(left)
    } else {
        Ok(taken)
    }
}

/// One recipe line for costing: base units per batch, the ingredient's unit and its cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    pub quantity: i64,
    pub unit: Unit,
    pub cost_cents: f64,
}

/// Cost of goods of one unit of a product (cents, unrounded): a batch's ingredients over
/// its yield.
pub fn unit_cost(lines: &[CostLine], batch_yield: i64) -> f64 {
    if batch_yield <= 0 {
        return 0.0;
    }
    let batch: f64 = lines
        .iter()
        .map(|l| l.unit.cost(l.quantity, l.cost_cents))
        .sum();
    batch / batch_yield as f64
}

/// Margin of a price over a cost, as a share of the price (0.62 = 62 %).
pub fn margin(price_cents: i64, cost_cents: f64) -> Option<f64> {
    (price_cents > 0).then(|| (price_cents as f64 - cost_cents) / price_cents as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_both_ways() {
        assert_eq!(Unit::Kg.to_base("1.5"), Ok(1500));
        assert_eq!(Unit::Kg.to_base("1,25"), Ok(1250));
        assert_eq!(Unit::Kg.to_base(".5"), Ok(500));
        assert_eq!(Unit::L.to_base("2"), Ok(2000));
        assert_eq!(Unit::G.to_base("250"), Ok(250));
        assert_eq!(Unit::Piece.to_base("12"), Ok(12));
        assert!(Unit::Piece.to_base("1.5").is_err());
        assert!(Unit::Kg.to_base("1.2345").is_err());
        assert!(Unit::Kg.to_base("abc").is_err());
        assert!(Unit::Kg.to_base("-1").is_err());
        assert!(Unit::Kg.to_base("").is_err());
        assert_eq!(Unit::Kg.show(1500), "1.5 kg");
        assert_eq!(Unit::Kg.show(2000), "2 kg");
        assert_eq!(Unit::Kg.show(1005), "1.005 kg");
        assert_eq!(Unit::Kg.show(-250), "-0.25 kg");
        assert_eq!(Unit::Piece.show(6), "6 pc");
        for u in Unit::ALL {
            for v in [0, 1, 999, 1000, 1001, 123_456] {
                let shown = u.show(v);
                let number = shown.split(' ').next().unwrap();
                assert_eq!(u.to_base(number), Ok(v), "{u:?} {v}");
            }
            assert_eq!(Unit::parse(u.code()), Some(u));
        }
        assert!(Unit::Kg.same_kind(Unit::G) && !Unit::Kg.same_kind(Unit::Ml));
    }

    #[test]
    fn batches_round_up_to_whole_batches() {
        assert_eq!(batches_for(0, 12), 0);
        assert_eq!(batches_for(1, 12), 1);
        assert_eq!(batches_for(12, 12), 1);
        assert_eq!(batches_for(13, 12), 2);
        assert_eq!(batches_for(5, 0), 0);
    }

    fn lot(id: i64, bb: Option<&str>, rec: &str, balance: i64) -> LotBalance {
        LotBalance {
            lot_id: id,
            best_before: bb.map(str::to_string),
            received_on: rec.into(),
            balance,
        }
    }

    #[test]
    fn fefo_takes_the_lot_that_expires_first() {
        let lots = [
            lot(1, None, "2026-11-01", 1000),
            lot(2, Some("2026-12-20"), "2026-11-20", 500),
            lot(3, Some("2026-12-05"), "2026-11-28", 300),
            lot(4, Some("2026-12-01"), "2026-11-10", 0),
        ];
        assert_eq!(fefo(&lots, 200), Ok(vec![(3, 200)]));
        assert_eq!(fefo(&lots, 900), Ok(vec![(3, 300), (2, 500), (1, 100)]));
        assert_eq!(fefo(&lots, 1900), Err(100));
        assert_eq!(fefo(&lots, 0), Ok(vec![]));
        // Same best-before: the older delivery first.
        let tie = [
            lot(7, Some("2026-12-09"), "2026-11-30", 10),
            lot(8, Some("2026-12-09"), "2026-11-29", 10),
        ];
        assert_eq!(fefo(&tie, 15), Ok(vec![(8, 10), (7, 5)]));
    }

    #[test]
    fn cost_of_goods_per_unit_and_margin() {
        // 1 kg flour at 0.90 €/kg, 20 g salt at 0.60 €/kg, 700 ml water free; 2 loaves.
        let lines = [
            CostLine {
                quantity: 1000,
                unit: Unit::Kg,
                cost_cents: 90.0,
            },
            CostLine {
                quantity: 20,
                unit: Unit::Kg,
                cost_cents: 60.0,
            },
            CostLine {
                quantity: 700,
                unit: Unit::L,
                cost_cents: 0.0,
            },
            CostLine {
                quantity: 2,
                unit: Unit::Piece,
                cost_cents: 25.0,
            },
        ];
        let c = unit_cost(&lines, 2);
        assert!((c - (90.0 + 1.2 + 50.0) / 2.0).abs() < 1e-9, "{c}");
        let m = margin(650, c).unwrap();
        assert!((m - (650.0 - c) / 650.0).abs() < 1e-12);
        assert_eq!(margin(0, c), None);
        assert_eq!(unit_cost(&lines, 0), 0.0);
    }

    /// Random receipts, uses, waste and counts on a few lots, applied as the server applies
    /// them (a use takes lots first-expired-first-out and is refused whole when short): every
    /// balance is the sum of its moves and never below zero.
    #[test]
    fn the_ledger_balances_and_never_goes_negative() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..200 {
            let mut lots: Vec<LotBalance> = Vec::new();
            let mut moves: Vec<(i64, i64)> = Vec::new();
            for step in 0..60 {
                match next(4) {
                    0 => {
                        let id = lots.len() as i64 + 1;
                        let q = 1 + next(2000) as i64;
                        lots.push(lot(
                            id,
                            Some(&format!("2026-12-{:02}", 1 + next(28))),
                            &format!("2026-11-{:02}", 1 + step % 28),
                            q,
                        ));
                        moves.push((id, q));
                    }
                    1 | 2 => {
                        let need = 1 + next(1500) as i64;
                        let before: i64 = lots.iter().map(|l| l.balance).sum();
                        match fefo(&lots, need) {
                            Ok(taken) => {
                                assert_eq!(taken.iter().map(|t| t.1).sum::<i64>(), need);
                                for (id, q) in taken {
                                    let l = lots.iter_mut().find(|l| l.lot_id == id).unwrap();
                                    l.balance -= q;
                                    moves.push((id, -q));
                                }
                            }
                            Err(short) => assert_eq!(short, need - before),
                        }
                    }
                    _ => {
                        // A count sets one lot to what is on the shelf.
                        let pick = next(lots.len().max(1) as u64) as usize;
                        if let Some(l) = lots.get_mut(pick) {
                            let counted = next(1000) as i64;
                            if counted != l.balance {
                                moves.push((l.lot_id, counted - l.balance));
                                l.balance = counted;
                            }
                        }
                    }
                }
                for l in &lots {
                    let sum: i64 = moves.iter().filter(|m| m.0 == l.lot_id).map(|m| m.1).sum();
                    assert_eq!(sum, l.balance);
                    assert!(l.balance >= 0);
                }
            }
        }
    }
}
