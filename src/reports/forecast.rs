//! The kitchen's forecast: how many of each product a bake day will end up with, from what is
//! already booked and how a day of that weekday usually fills up (its booking curve), and a
//! backtest against the seasonal naive forecast (the same weekday last week). Pure: the store
//! loads the bookings, this module only counts.
use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate};

/// Bookings made this many days ahead or more count as made `MAX_LEAD` days ahead.
pub const MAX_LEAD: usize = 14;
/// Past days of the same weekday a forecast learns from.
pub const WEEKS: i64 = 8;

/// Units of each product on each day, by how many days before the day they were booked.
#[derive(Clone, Debug, Default)]
pub struct Bookings {
    units: HashMap<(i64, NaiveDate), [f64; MAX_LEAD + 1]>,
    /// Every product's units per day, by lead (the booking curve is learnt from these).
    days: HashMap<NaiveDate, [f64; MAX_LEAD + 1]>,
    /// Days the bakery took orders for: a day with none (a Sunday, a holiday) teaches nothing.
    open: BTreeSet<NaiveDate>,
}

impl Bookings {
    /// `units` of `product` for `day`, booked `lead` days before it.
    pub fn add(&mut self, product: i64, day: NaiveDate, lead: i64, units: f64) {
        let k = lead.clamp(0, MAX_LEAD as i64) as usize;
        self.units
            .entry((product, day))
            .or_insert([0.0; MAX_LEAD + 1])[k] += units;
        self.days.entry(day).or_insert([0.0; MAX_LEAD + 1])[k] += units;
        self.open.insert(day);
    }

    /// Units of `product` that `day` ended with.
    pub fn actual(&self, product: i64, day: NaiveDate) -> f64 {
        self.units
            .get(&(product, day))
            .map_or(0.0, |u| u.iter().sum())
    }

    /// Units of `product` on `day` booked at least `ahead` days before it.
    fn booked(&self, product: i64, day: NaiveDate, ahead: i64) -> f64 {
        let from = ahead.clamp(0, MAX_LEAD as i64) as usize;
        self.units
            .get(&(product, day))
            .map_or(0.0, |u| u[from..].iter().sum())
    }

    /// The open days of `day`'s weekday before `as_of` (latest first), at most `WEEKS`.
    fn same_weekdays(&self, day: NaiveDate, as_of: NaiveDate) -> Vec<NaiveDate> {
        let mut past = Vec::new();
        let mut d = day - Duration::days(7);
        // Far enough back to skip a few closed weeks, never unbounded.
        for _ in 0..(WEEKS * 3) {
            if d < as_of && self.open.contains(&d) {
                past.push(d);
                if past.len() as i64 == WEEKS {
                    break;
                }
            }
            d -= Duration::days(7);
        }
        past
    }

    /// Share of a day's final units that is usually booked `ahead` days before it, learnt from
    /// `past` days (all products together, so a rarely sold product still has a curve).
    fn curve(&self, past: &[NaiveDate], ahead: i64) -> f64 {
        let from = ahead.clamp(0, MAX_LEAD as i64) as usize;
        let (mut early, mut all) = (0.0, 0.0);
        for d in past {
            if let Some(u) = self.days.get(d) {
                early += u[from..].iter().sum::<f64>();
                all += u.iter().sum::<f64>();
            }
        }
        if all > 0.0 {
            early / all
        } else {
            0.0
        }
    }
}

/// One product on one day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Already booked.
    pub booked: f64,
    /// What the day is expected to end with.
    pub expected: f64,
    /// The likely range (the 10th to the 90th percentile of the past days, scaled to what is
    /// still to come).
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    /// Whether the day is likely to sell out: the top of its likely range reaches `capacity`
    /// (a product with none to sell, 0, is not "selling out").
    pub fn may_sell_out(&self, capacity: i64) -> bool {
        capacity > 0 && self.high >= capacity as f64
    }
}

/// `product` on `day`, as known at the end of `as_of` (bookings made up to that day).
pub fn estimate(b: &Bookings, product: i64, day: NaiveDate, as_of: NaiveDate) -> Estimate {
    let ahead = (day - as_of).num_days().max(0);
    let booked = b.booked(product, day, ahead);
    let past = b.same_weekdays(day, as_of);
    if past.is_empty() {
        return Estimate {
            booked,
            expected: booked,
            low: booked,
            high: booked,
        };
    }
    let mut finals: Vec<f64> = past.iter().map(|d| b.actual(product, *d)).collect();
    let level = finals.iter().sum::<f64>() / finals.len() as f64;
    // What is usually still to come at this distance from the day.
    let to_come = 1.0 - b.curve(&past, ahead);
    finals.sort_by(|a, b| a.total_cmp(b));
    Estimate {
        booked,
        expected: booked + to_come * level,
        low: booked + to_come * percentile(&finals, 0.1),
        high: booked + to_come * percentile(&finals, 0.9),
    }
}

/// The seasonal naive forecast: what the latest open day of the same weekday before `as_of`
/// ended with (nothing booked is looked at).
pub fn naive(b: &Bookings, product: i64, day: NaiveDate, as_of: NaiveDate) -> f64 {
    b.same_weekdays(day, as_of)
        .first()
        .map_or(0.0, |d| b.actual(product, *d))
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// How the forecast did on days that are over, next to the naive forecast.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Score {
    /// Product-days × horizons compared (every product on every open day).
    pub points: usize,
    /// Mean absolute percentage error, over the product-days that sold something (a day
    /// without sales has no percentage).
    pub mape: f64,
    /// Σ|forecast − actual| / Σ actual over every product-day: the error in units baked.
    pub wape: f64,
    /// Σ(forecast − actual) / Σ actual: above 0 bakes too much.
    pub bias: f64,
    pub naive_mape: f64,
    pub naive_wape: f64,
    pub naive_bias: f64,
}

/// Forecasts every open day in `from..=to` for each of `products` as it would have been made
/// 1 to `horizon` days before, and scores both forecasts against what the day ended with.
/// Days a product did not sell count too (for the weighted error and the bias): leaving them
/// out would only keep the days that happened to sell, and every forecast would look low.
pub fn backtest(
    b: &Bookings,
    products: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    horizon: i64,
) -> Score {
    let (mut n, mut sold, mut ape, mut napes) = (0usize, 0usize, 0.0, 0.0);
    let (mut abs, mut nabs, mut err, mut nerr, mut total) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut day = from;
    while day <= to {
        if b.open.contains(&day) {
            for &p in products {
                let actual = b.actual(p, day);
                for ahead in 1..=horizon {
                    let as_of = day - Duration::days(ahead);
                    let f = estimate(b, p, day, as_of).expected;
                    let g = naive(b, p, day, as_of);
                    n += 1;
                    if actual > 0.0 {
                        sold += 1;
                        ape += (f - actual).abs() / actual;
                        napes += (g - actual).abs() / actual;
                    }
                    abs += (f - actual).abs();
                    nabs += (g - actual).abs();
                    err += f - actual;
                    nerr += g - actual;
                    total += actual;
                }
            }
        }
        day += Duration::days(1);
    }
    if sold == 0 || total <= 0.0 {
        return Score::default();
    }
    Score {
        points: n,
        mape: ape / sold as f64,
        wape: abs / total,
        bias: err / total,
        naive_mape: napes / sold as f64,
        naive_wape: nabs / total,
        naive_bias: nerr / total,
    }
}

/// Monday = 0 … Sunday = 6.
pub fn weekday_index(d: NaiveDate) -> usize {
    d.weekday().num_days_from_monday() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_hand_checked_estimate() {
        // Two past Fridays ended with 10 and 20 loaves of product 1; on each, half the units
        // (all products) were booked 2 or more days ahead.
        let mut b = Bookings::default();
        for (d, units) in [("2026-11-20", 10.0), ("2026-11-13", 20.0)] {
            b.add(1, day(d), 3, units / 2.0);
            b.add(1, day(d), 0, units / 2.0);
        }
        // The next Friday has 4 booked 5 days ahead; as of 2 days before it:
        b.add(1, day("2026-11-27"), 5, 4.0);
        let e = estimate(&b, 1, day("2026-11-27"), day("2026-11-25"));
        assert_eq!(e.booked, 4.0);
        // 4 + (1 − 0.5) × mean(10, 20) = 4 + 7.5
        assert!((e.expected - 11.5).abs() < 1e-9, "{e:?}");
        // 10th and 90th percentiles of (10, 20): 11 and 19, halved.
        assert!(
            (e.low - 9.5).abs() < 1e-9 && (e.high - 13.5).abs() < 1e-9,
            "{e:?}"
        );
        // The naive forecast is last Friday's 10.
        assert_eq!(naive(&b, 1, day("2026-11-27"), day("2026-11-25")), 10.0);
        // Without history the forecast is what is booked.
        let e = estimate(&b, 2, day("2026-11-27"), day("2026-11-25"));
        assert_eq!((e.booked, e.expected), (0.0, 0.0));
    }

    /// A SplitMix64 stream, so the generated history is the same on every run.
    struct Rng(u64);
    impl Rng {
        fn unit(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
        /// Poisson by inversion (small means).
        fn poisson(&mut self, mean: f64) -> u32 {
            let (l, mut k, mut p) = ((-mean).exp(), 0, 1.0);
            loop {
                p *= self.unit();
                if p <= l {
                    return k;
                }
                k += 1;
            }
        }
    }

    #[test]
    fn it_learns_a_weekly_pattern_and_beats_the_naive_forecast() {
        // 40 weeks of two products with a known weekly pattern (closed on Sundays), each unit
        // booked 0–6 days ahead.
        let pattern = [
            [4.0, 5.0, 5.0, 6.0, 10.0, 14.0, 0.0],
            [1.0, 1.0, 2.0, 2.0, 3.0, 6.0, 0.0],
        ];
        let mut rng = Rng(7);
        let mut b = Bookings::default();
        let start = day("2026-01-05"); // a Monday
        for i in 0..280 {
            let d = start + Duration::days(i);
            for (p, means) in pattern.iter().enumerate() {
                let n = rng.poisson(means[weekday_index(d)]);
                for _ in 0..n {
                    let lead = (rng.unit() * 7.0) as i64;
                    b.add(p as i64, d, lead, 1.0);
                }
            }
        }
        let s = backtest(
            &b,
            &[0, 1],
            start + Duration::days(140),
            start + Duration::days(279),
            7,
        );
        assert!(s.points > 500, "{s:?}");
        assert!(s.mape < s.naive_mape, "{s:?}");
        assert!(s.wape < s.naive_wape, "{s:?}");
        assert!(s.bias.abs() < 0.1, "{s:?}");
        // The level of a Saturday, far ahead (nothing booked yet), is near the pattern's 14.
        let sat = start + Duration::days(279 - 1); // a Saturday
        assert_eq!(weekday_index(sat), 5);
        let e = estimate(&b, 0, sat + Duration::days(7), sat - Duration::days(20));
        assert_eq!(e.booked, 0.0);
        assert!((e.expected - 14.0).abs() < 3.0, "{e:?}");
        assert!(e.low < e.expected && e.expected < e.high, "{e:?}");
    }
}
