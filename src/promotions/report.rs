//! Did a promotion pay? The uplift of a promotion over the customers held back from it, pure.
use serde::{Deserialize, Serialize};

/// One customer of a segment over the promotion's period: did they order, and the margin of
/// what they ordered (cents).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    pub ordered: bool,
    pub margin_cents: f64,
}

/// A difference between those who got the promotion and those held back, with its 95 %
/// confidence interval (normal approximation, unequal variances).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub treated: f64,
    pub held_back: f64,
    pub difference: f64,
    pub low: f64,
    pub high: f64,
}

impl Difference {
    /// Whether the interval leaves out zero.
    pub fn is_clear(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The promotion's effect on the share of customers who ordered and on margin per customer.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Uplift {
    pub treated_customers: usize,
    pub held_back_customers: usize,
    /// Share who ordered (0–1).
    pub ordered: Difference,
    /// Margin per customer, cents.
    pub margin: Difference,
}

fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

fn difference(t: &[f64], c: &[f64]) -> Difference {
    let (mt, vt) = mean_var(t);
    let (mc, vc) = mean_var(c);
    let se = (vt / t.len() as f64 + vc / c.len() as f64).sqrt();
    let d = mt - mc;
    Difference {
        treated: mt,
        held_back: mc,
        difference: d,
        low: d - 1.96 * se,
        high: d + 1.96 * se,
    }
}

/// The uplift of `treated` over `held_back`; None with fewer than two customers in either.
pub fn uplift(treated: &[Observation], held_back: &[Observation]) -> Option<Uplift> {
    if treated.len() < 2 || held_back.len() < 2 {
        return None;
    }
    let ordered = |xs: &[Observation]| -> Vec<f64> {
        xs.iter().map(|o| f64::from(u8::from(o.ordered))).collect()
    };
    let margin = |xs: &[Observation]| -> Vec<f64> { xs.iter().map(|o| o.margin_cents).collect() };
    Some(Uplift {
        treated_customers: treated.len(),
        held_back_customers: held_back.len(),
        ordered: difference(&ordered(treated), &ordered(held_back)),
        margin: difference(&margin(treated), &margin(held_back)),
    })
}

/// Which customers of a segment are held back: a stable draw from the customer and promotion
/// ids, so the same customer stays in the same group however often codes are generated.
pub fn held_back(promotion_id: i64, customer_id: i64, percent: i64) -> bool {
    // SplitMix64 of the pair.
    let mut z = (promotion_id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(customer_id as u64);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z % 100) < percent.clamp(0, 100) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the dataset is the same every run.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// `n` customers who order with probability `p`, each order earning 8.00 ± 3.00.
    fn group(g: &mut Gen, n: usize, p: f64) -> Vec<Observation> {
        (0..n)
            .map(|_| {
                let ordered = g.next() < p;
                let margin = if ordered {
                    500.0 + 600.0 * g.next()
                } else {
                    0.0
                };
                Observation {
                    ordered,
                    margin_cents: margin,
                }
            })
            .collect()
    }

    #[test]
    fn finds_a_known_effect_and_its_interval_covers_it() {
        let mut g = Gen(0x5EED);
        // True effect: 30 % order with the promotion, 20 % without: +10 points; margin per
        // customer 0.30 × 8.00 − 0.20 × 8.00 = +0.80.
        let treated = group(&mut g, 4000, 0.30);
        let held = group(&mut g, 4000, 0.20);
        let u = uplift(&treated, &held).unwrap();
        assert!((u.ordered.difference - 0.10).abs() < 0.03, "{u:?}");
        assert!(u.ordered.low < 0.10 && 0.10 < u.ordered.high, "{u:?}");
        assert!(u.ordered.is_clear());
        assert!((u.margin.difference - 80.0).abs() < 25.0, "{u:?}");
        assert!(u.margin.low < 80.0 && 80.0 < u.margin.high, "{u:?}");
    }

    #[test]
    fn no_effect_gives_an_interval_around_zero() {
        let mut g = Gen(42);
        let treated = group(&mut g, 3000, 0.25);
        let held = group(&mut g, 3000, 0.25);
        let u = uplift(&treated, &held).unwrap();
        assert!(u.ordered.low < 0.0 && 0.0 < u.ordered.high, "{u:?}");
        assert!(!u.ordered.is_clear());
        // A small comparison group gives a wide interval.
        let small = uplift(&treated, &held[..20]).unwrap();
        assert!(small.ordered.high - small.ordered.low > u.ordered.high - u.ordered.low);
        assert_eq!(uplift(&treated, &held[..1]), None);
    }

    #[test]
    fn holdout_is_stable_and_close_to_its_share() {
        let held: usize = (1..=10_000).filter(|c| held_back(7, *c, 20)).count();
        assert!((1800..=2200).contains(&held), "{held}");
        assert_eq!(held_back(7, 123, 20), held_back(7, 123, 20));
        assert!(!(1..=1000).any(|c| held_back(7, c, 0)));
    }
}
