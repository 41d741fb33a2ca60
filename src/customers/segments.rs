//! Segments: saved rules over what is known of each customer (district, spend, orders, last
//! order, products bought, tags, consent, RFM scores), evaluated afresh each time, so a
//! segment updates itself. The rules and the scoring are pure; `segments_store` loads the facts.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Channel;

/// A segment's rules as the owner types them (empty: any).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    pub district_id: Option<i64>,
    /// Spent at least (typed amount).
    pub min_spend: String,
    pub min_orders: String,
    pub max_orders: String,
    /// Last order on or before / on or after (`YYYY-MM-DD`).
    pub last_order_before: String,
    pub last_order_after: String,
    /// Has bought this product.
    pub product_id: Option<i64>,
    pub tag: String,
    /// `email`, `sms`, `whatsapp` or empty.
    pub consent: String,
    /// Holds at least this many loyalty points (typed).
    pub min_points: String,
    /// Lowest RFM scores (1–5; 0: any).
    pub min_recency: u8,
    pub min_frequency: u8,
    pub min_monetary: u8,
}

/// Rules read and checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub district_id: Option<i64>,
    pub min_spend_cents: Option<i64>,
    pub min_orders: Option<i64>,
    pub max_orders: Option<i64>,
    pub last_before: Option<NaiveDate>,
    pub last_after: Option<NaiveDate>,
    pub product_id: Option<i64>,
    pub tag: Option<String>,
    pub consent: Option<Channel>,
    pub min_rfm: (u8, u8, u8),
    pub min_points: Option<i64>,
}

impl Rules {
    /// The rules as a filter; a bad one is named by its field.
    pub fn filter(&self) -> Result<Filter, (String, String)> {
        use crate::said::said;
        let min_spend_cents = amount(&self.min_spend, "min_spend", &said("segments-spent"))?;
        let consent = match self.consent.as_str() {
            "" => None,
            c => Some(
                Channel::parse(c).ok_or_else(|| bad("consent", &said("refuse-segment-consent")))?,
            ),
        };
        for (v, f) in [
            (self.min_recency, "min_recency"),
            (self.min_frequency, "min_frequency"),
            (self.min_monetary, "min_monetary"),
        ] {
            if v > 5 {
                return Err(bad(f, &said("refuse-segment-rfm")));
            }
        }
        let tag = self.tag.trim();
        if tag.chars().count() > 40 {
            return Err(bad("tag", &said("refuse-segment-tag")));
        }
        Ok(Filter {
            district_id: self.district_id,
            min_spend_cents,
            min_orders: count(
                &self.min_orders,
                "min_orders",
                &said("refuse-label-min-orders"),
            )?,
            max_orders: count(
                &self.max_orders,
                "max_orders",
                &said("refuse-label-max-orders"),
            )?,
            last_before: date(
                &self.last_order_before,
                "last_order_before",
                &said("segments-before"),
            )?,
            last_after: date(
                &self.last_order_after,
                "last_order_after",
                &said("segments-after"),
            )?,
            product_id: self.product_id,
            tag: (!tag.is_empty()).then(|| tag.to_lowercase()),
            consent,
            min_rfm: (self.min_recency, self.min_frequency, self.min_monetary),
            min_points: count(&self.min_points, "min_points", &said("segments-points"))?,
        })
    }
}

/// A refusal of the rule `field`.
fn bad(field: &str, message: &str) -> (String, String) {
    (field.to_string(), message.to_string())
}

/// A whole number 0–100,000 typed into `field` (shown as `label`); blank is no rule.
fn count(raw: &str, field: &str, label: &str) -> Result<Option<i64>, (String, String)> {
    use crate::said::said_with;
    match raw.trim() {
        "" => Ok(None),
        t => t
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=100_000).contains(n))
            .map(Some)
            .ok_or_else(|| {
                let args: [(&str, &dyn std::fmt::Display); 4] = [
                    ("label", &label),
                    ("lo", &0),
                    ("hi", &100_000),
                    ("typed", &format!("{t:?}")),
                ];
                bad(field, &said_with("refuse-label-whole", &args))
            }),
    }
}

/// A date typed into `field` (shown as `label`); blank is no rule.
fn date(raw: &str, field: &str, label: &str) -> Result<Option<NaiveDate>, (String, String)> {
    use crate::said::said_with;
    match raw.trim() {
        "" => Ok(None),
        t => t.parse::<NaiveDate>().map(Some).map_err(|_| {
            bad(
                field,
                &said_with(
                    "refuse-label-date",
                    &[("label", &label), ("typed", &format!("{t:?}"))],
                ),
            )
        }),
    }
}

/// An amount of money typed into `field` (shown as `label`), "12.50" or "12,50", in cents;
/// blank is no rule.
fn amount(raw: &str, field: &str, label: &str) -> Result<Option<i64>, (String, String)> {
    use crate::said::said_with;
    match raw.trim() {
        "" => Ok(None),
        t => {
            let v: f64 = t
                .replace(',', ".")
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0 && *v <= 10_000_000.0)
                .ok_or_else(|| {
                    bad(
                        field,
                        &said_with(
                            "refuse-label-amount",
                            &[("label", &label), ("typed", &format!("{t:?}"))],
                        ),
                    )
                })?;
            Ok(Some((v * 100.0).round() as i64))
        }
    }
}

/// What is known of one customer, for the rules.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub id: i64,
    pub district_id: Option<i64>,
    /// Orders not cancelled, and what they came to.
    pub orders: i64,
    pub spend_cents: i64,
    pub last_order: Option<NaiveDate>,
    pub email_ok: bool,
    pub sms_ok: bool,
    pub whatsapp_ok: bool,
}

impl Facts {
    pub fn consents(&self, c: Channel) -> bool {
        match c {
            Channel::Email => self.email_ok,
            Channel::Sms => self.sms_ok,
            Channel::Whatsapp => self.whatsapp_ok,
        }
    }
}

/// Recency, frequency and monetary scores, 1 (lowest fifth) to 5 (highest), for the customers
/// who have ordered; equal values share a score. Recency is better the more recent.
pub fn rfm(customers: &[Facts]) -> HashMap<i64, (u8, u8, u8)> {
    let with: Vec<&Facts> = customers.iter().filter(|c| c.orders > 0).collect();
    let n = with.len();
    let mut out: HashMap<i64, (u8, u8, u8)> = HashMap::with_capacity(n);
    if n == 0 {
        return out;
    }
    // Score of each customer for a metric where larger is better.
    let score = |key: &dyn Fn(&Facts) -> i64| -> HashMap<i64, u8> {
        let mut v: Vec<(i64, i64)> = with.iter().map(|c| (key(c), c.id)).collect();
        v.sort_unstable();
        let mut scores = HashMap::with_capacity(n);
        let mut first_rank = 0;
        for (i, (value, id)) in v.iter().enumerate() {
            if i > 0 && v[i - 1].0 != *value {
                first_rank = i;
            }
            scores.insert(*id, (1 + first_rank * 5 / n) as u8);
        }
        scores
    };
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let r = score(&|c| c.last_order.map_or(0, |d| (d - epoch).num_days()));
    let f = score(&|c| c.orders);
    let m = score(&|c| c.spend_cents);
    for c in with {
        out.insert(c.id, (r[&c.id], f[&c.id], m[&c.id]));
    }
    out
}

/// What only some rules ask, loaded for one filter when it asks: the customers who bought its
/// product, those with its tag, and the points customers hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras {
    pub buyers: HashSet<i64>,
    pub tagged: HashSet<i64>,
    /// Loyalty points each customer holds (those holding none left out).
    pub points: HashMap<i64, i64>,
}

/// Every customer's facts and RFM scores: loaded once, then any number of segments are picked
/// from them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Population {
    pub facts: Vec<Facts>,
    pub scores: HashMap<i64, (u8, u8, u8)>,
}

impl Population {
    pub fn new(facts: Vec<Facts>) -> Population {
        let scores = rfm(&facts);
        Population { facts, scores }
    }

    /// The customers `f` (with its `extras`) selects.
    pub fn members<'a>(
        &'a self,
        f: &'a Filter,
        extras: &'a Extras,
    ) -> impl Iterator<Item = &'a Facts> + 'a {
        self.facts
            .iter()
            .filter(move |c| matches(f, c, self.scores.get(&c.id).copied(), extras))
    }
}

/// Whether customer `c` (with RFM scores `scores`, None when they never ordered) is in.
pub fn matches(f: &Filter, c: &Facts, scores: Option<(u8, u8, u8)>, extras: &Extras) -> bool {
    let (r, fr, m) = scores.unwrap_or((0, 0, 0));
    f.district_id.is_none_or(|d| c.district_id == Some(d))
        && f.min_spend_cents.is_none_or(|s| c.spend_cents >= s)
        && f.min_orders.is_none_or(|n| c.orders >= n)
        && f.max_orders.is_none_or(|n| c.orders <= n)
        && f.last_before
            .is_none_or(|d| c.last_order.is_some_and(|l| l <= d))
        && f.last_after
            .is_none_or(|d| c.last_order.is_some_and(|l| l >= d))
        && (f.product_id.is_none() || extras.buyers.contains(&c.id))
        && (f.tag.is_none() || extras.tagged.contains(&c.id))
        && f.consent.is_none_or(|ch| c.consents(ch))
        && f.min_points
            .is_none_or(|n| extras.points.get(&c.id).copied().unwrap_or(0) >= n)
        && r >= f.min_rfm.0
        && fr >= f.min_rfm.1
        && m >= f.min_rfm.2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Ten customers: customer i (1–10) has i orders, spent i × 10.00, last ordered i days
    /// before 2026-12-01; customer 11 never ordered.
    fn known() -> Vec<Facts> {
        let mut v: Vec<Facts> = (1..=10)
            .map(|i| Facts {
                id: i,
                district_id: Some(if i % 2 == 0 { 2 } else { 1 }),
                orders: i,
                spend_cents: i * 1000,
                last_order: Some(day("2026-12-01") - chrono::Duration::days(i)),
                email_ok: i % 3 == 0,
                sms_ok: false,
                whatsapp_ok: i <= 2,
            })
            .collect();
        v.push(Facts {
            id: 11,
            ..Facts::default()
        });
        v
    }

    #[test]
    fn rfm_scores_a_known_dataset_in_fifths() {
        let s = rfm(&known());
        assert_eq!(s.len(), 10, "only customers who ordered are scored");
        // Frequency and money grow with i: two customers per fifth.
        let f: Vec<u8> = (1..=10).map(|i| s[&i].1).collect();
        assert_eq!(f, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        let m: Vec<u8> = (1..=10).map(|i| s[&i].2).collect();
        assert_eq!(m, f);
        // Recency is the other way round: customer 1 ordered most recently.
        let r: Vec<u8> = (1..=10).map(|i| s[&i].0).collect();
        assert_eq!(r, vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    }

    #[test]
    fn equal_values_share_a_score() {
        let mut v = known();
        for c in v.iter_mut() {
            c.orders = 3;
        }
        let s = rfm(&v);
        assert!(
            (1..=10).all(|i| s[&i].1 == 1),
            "all tied: all in the first fifth's score"
        );
    }

    #[test]
    fn rules_filter_by_every_fact() {
        let all = Population::new(known());
        // Customers 6–10 bought product 7; customer 3 is tagged "wholesale".
        let count = |r: Rules| {
            let f = r.filter().unwrap();
            let extras = Extras {
                buyers: if f.product_id == Some(7) {
                    (6..=10).collect()
                } else {
                    HashSet::new()
                },
                tagged: if f.tag.as_deref() == Some("wholesale") {
                    HashSet::from([3])
                } else {
                    HashSet::new()
                },
                // Customer i holds i × 50 points; customer 11 holds none.
                points: (1..=10).map(|i| (i, i * 50)).collect(),
            };
            all.members(&f, &extras).count()
        };
        assert_eq!(count(Rules::default()), 11);
        assert_eq!(
            count(Rules {
                district_id: Some(2),
                ..Rules::default()
            }),
            5
        );
        assert_eq!(
            count(Rules {
                min_spend: "50".into(),
                ..Rules::default()
            }),
            6
        );
        assert_eq!(
            count(Rules {
                min_orders: "3".into(),
                max_orders: "4".into(),
                ..Rules::default()
            }),
            2
        );
        assert_eq!(
            count(Rules {
                last_order_before: "2026-11-25".into(),
                ..Rules::default()
            }),
            5,
            "customers 6–10; one who never ordered has no last order"
        );
        assert_eq!(
            count(Rules {
                last_order_after: "2026-11-29".into(),
                ..Rules::default()
            }),
            2
        );
        assert_eq!(
            count(Rules {
                product_id: Some(7),
                ..Rules::default()
            }),
            5
        );
        assert_eq!(
            count(Rules {
                tag: "Wholesale".into(),
                ..Rules::default()
            }),
            1
        );
        assert_eq!(
            count(Rules {
                consent: "whatsapp".into(),
                ..Rules::default()
            }),
            2
        );
        assert_eq!(
            count(Rules {
                min_points: "200".into(),
                ..Rules::default()
            }),
            7,
            "customers 4–10 hold 200 or more"
        );
        assert_eq!(
            count(Rules {
                consent: "email".into(),
                ..Rules::default()
            }),
            3
        );
        assert_eq!(
            count(Rules {
                min_recency: 4,
                ..Rules::default()
            }),
            4
        );
        assert_eq!(
            count(Rules {
                min_frequency: 5,
                min_recency: 1,
                ..Rules::default()
            }),
            2
        );
    }

    #[test]
    fn bad_rules_name_their_field() {
        let field = |r: Rules| r.filter().unwrap_err().0;
        assert_eq!(
            field(Rules {
                min_spend: "lots".into(),
                ..Rules::default()
            }),
            "min_spend"
        );
        assert_eq!(
            field(Rules {
                min_orders: "-1".into(),
                ..Rules::default()
            }),
            "min_orders"
        );
        assert_eq!(
            field(Rules {
                last_order_after: "30/11".into(),
                ..Rules::default()
            }),
            "last_order_after"
        );
        assert_eq!(
            field(Rules {
                consent: "pigeon".into(),
                ..Rules::default()
            }),
            "consent"
        );
        assert_eq!(
            field(Rules {
                min_monetary: 6,
                ..Rules::default()
            }),
            "min_monetary"
        );
    }
}
