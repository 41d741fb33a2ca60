//! The rules of a promotion, pure: whether it applies to a basket, and what it takes off.
//!
//! Several promotions can apply to one order: every automatic promotion that qualifies, and at
//! most one code. They are applied in a fixed order — buy X get Y, free item, percent off,
//! amount off, then free delivery — each on what the ones before left to pay for the items, so
//! an order's items can never cost less than nothing and delivery is only ever waived once.
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

mod explain;

pub use explain::explain;

/// Why a promotion does not apply. The storefront API names these in `promo_code.refusal`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// No promotion or personal code has this code.
    UnknownCode,
    /// The owner paused or ended it.
    Paused,
    /// Before its first day.
    NotStarted,
    /// After its last day.
    Ended,
    /// Not valid for the order's delivery or pickup weekday.
    DayNotIncluded,
    /// The items come to less than its minimum order.
    BelowMinimum,
    /// None of the products it is for are in the order.
    NoEligibleProduct,
    /// Buy X get Y: fewer than X + Y of the product.
    NotEnoughItems,
    /// Not valid in the order's delivery district (or for pickups, when limited to districts).
    DistrictNotIncluded,
    /// For a customer's first order only.
    FirstOrderOnly,
    /// Its total number of uses is reached.
    UsedUp,
    /// This customer has used it as often as it allows.
    CustomerLimitReached,
    /// A single-use code that was already used.
    CodeAlreadyUsed,
    /// A personal code given to another customer.
    CodeForAnotherCustomer,
    /// It would take nothing off (e.g. free delivery on a pickup).
    NothingToDiscount,
}

impl Refusal {
    pub const ALL: [Refusal; 15] = [
        Refusal::UnknownCode,
        Refusal::Paused,
        Refusal::NotStarted,
        Refusal::Ended,
        Refusal::DayNotIncluded,
        Refusal::BelowMinimum,
        Refusal::NoEligibleProduct,
        Refusal::NotEnoughItems,
        Refusal::DistrictNotIncluded,
        Refusal::FirstOrderOnly,
        Refusal::UsedUp,
        Refusal::CustomerLimitReached,
        Refusal::CodeAlreadyUsed,
        Refusal::CodeForAnotherCustomer,
        Refusal::NothingToDiscount,
    ];

    /// The API's name of the reason.
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// What a promotion gives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Offer {
    /// Percent off the items it is for (1–100).
    Percent {
        percent: i64,
    },
    /// An amount off the items it is for.
    Amount {
        cents: i64,
    },
    FreeDelivery,
    /// One of a product added free.
    FreeItem {
        product_id: i64,
        price_cents: i64,
    },
    /// For every `buy` of the product, `get` more free (the cheapest are the free ones: all
    /// cost the same here).
    BuyGet {
        product_id: i64,
        buy: i64,
        get: i64,
    },
}

impl Offer {
    /// Its place in the order of application.
    fn rank(&self) -> u8 {
        match self {
            Offer::BuyGet { .. } => 0,
            Offer::FreeItem { .. } => 1,
            Offer::Percent { .. } => 2,
            Offer::Amount { .. } => 3,
            Offer::FreeDelivery => 4,
        }
    }

    /// The kind as stored and shown: percent, amount, free_delivery, free_item, buy_get.
    pub fn kind(&self) -> &'static str {
        match self {
            Offer::Percent { .. } => "percent",
            Offer::Amount { .. } => "amount",
            Offer::FreeDelivery => "free_delivery",
            Offer::FreeItem { .. } => "free_item",
            Offer::BuyGet { .. } => "buy_get",
        }
    }
}

/// A promotion as the rules see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Promotion {
    pub id: i64,
    pub name: String,
    pub offer: Offer,
    /// Applies without a code.
    pub automatic: bool,
    pub active: bool,
    /// First and last day it can be used (the day the order is placed), both included.
    pub starts: Option<NaiveDate>,
    pub ends: Option<NaiveDate>,
    /// Delivery/pickup weekdays it is valid for, Monday = bit 0.
    pub weekdays: u8,
    /// Minimum of the items (before any discount).
    pub min_order_cents: i64,
    /// Products it is for (empty: all).
    pub products: Vec<i64>,
    /// Delivery districts it is valid in (empty: everywhere, pickups included).
    pub districts: Vec<i64>,
    pub total_limit: Option<i64>,
    pub per_customer_limit: Option<i64>,
    pub first_order_only: bool,
}

/// One line of the basket.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub product_id: i64,
    pub quantity: i64,
    pub unit_price_cents: i64,
}

/// What is being ordered, where and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Basket {
    pub lines: Vec<Line>,
    pub fee_cents: i64,
    /// The delivery district (None: pickup, or not located).
    pub district_id: Option<i64>,
    /// The delivery or pickup day.
    pub day: NaiveDate,
    /// The day the order is placed.
    pub today: NaiveDate,
}

impl Basket {
    fn items_cents(&self) -> i64 {
        self.lines
            .iter()
            .map(|l| l.quantity * l.unit_price_cents)
            .sum()
    }
}

/// How much a promotion has been used, as the order's transaction sees it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    /// Uses on orders that were not cancelled.
    pub total: i64,
    /// Of those, by this customer.
    pub by_customer: i64,
    /// The customer's earlier orders that were not cancelled.
    pub customer_orders: i64,
    /// For a personal single-use code: whether it is this customer's, and whether it is used.
    pub personal: Option<Personal>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Personal {
    pub for_this_customer: bool,
    pub used: bool,
}

/// A promotion that applies, and what it takes off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    pub promotion_id: i64,
    pub name: String,
    /// Taken off the items.
    pub items_cents: i64,
    /// Taken off the delivery fee.
    pub delivery_cents: i64,
    /// A product added free (its line is charged at its price and discounted here).
    pub free_product: Option<i64>,
}

impl Applied {
    pub fn discount_cents(&self) -> i64 {
        self.items_cents + self.delivery_cents
    }
}

/// Whether `p` may be used for `basket` by a customer with `usage` (everything but the amount).
pub fn refusal(p: &Promotion, basket: &Basket, usage: &Usage) -> Option<Refusal> {
    if let Some(personal) = usage.personal {
        if !personal.for_this_customer {
            return Some(Refusal::CodeForAnotherCustomer);
        }
        if personal.used {
            return Some(Refusal::CodeAlreadyUsed);
        }
    }
    if !p.active {
        return Some(Refusal::Paused);
    }
    if p.starts.is_some_and(|d| basket.today < d) {
        return Some(Refusal::NotStarted);
    }
    if p.ends.is_some_and(|d| basket.today > d) {
        return Some(Refusal::Ended);
    }
    if p.weekdays & (1 << basket.day.weekday().num_days_from_monday()) == 0 {
        return Some(Refusal::DayNotIncluded);
    }
    if !p.districts.is_empty() && !basket.district_id.is_some_and(|d| p.districts.contains(&d)) {
        return Some(Refusal::DistrictNotIncluded);
    }
    if basket.items_cents() < p.min_order_cents {
        return Some(Refusal::BelowMinimum);
    }
    let eligible = |id: i64| p.products.is_empty() || p.products.contains(&id);
    let needs_product = matches!(p.offer, Offer::Percent { .. } | Offer::Amount { .. });
    if needs_product && !basket.lines.iter().any(|l| eligible(l.product_id)) {
        return Some(Refusal::NoEligibleProduct);
    }
    if let Offer::BuyGet {
        product_id,
        buy,
        get,
    } = p.offer
    {
        let have: i64 = basket
            .lines
            .iter()
            .filter(|l| l.product_id == product_id)
            .map(|l| l.quantity)
            .sum();
        if have == 0 {
            return Some(Refusal::NoEligibleProduct);
        }
        if have < buy + get {
            return Some(Refusal::NotEnoughItems);
        }
    }
    if p.first_order_only && usage.customer_orders > 0 {
        return Some(Refusal::FirstOrderOnly);
    }
    if p.total_limit.is_some_and(|n| usage.total >= n) {
        return Some(Refusal::UsedUp);
    }
    if p.per_customer_limit.is_some_and(|n| usage.by_customer >= n) {
        return Some(Refusal::CustomerLimitReached);
    }
    None
}

/// What the promotions do to a basket.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub applied: Vec<Applied>,
    /// Promotions that did not apply, and why.
    pub refused: Vec<(i64, Refusal)>,
    /// Lines added free (charged at their price; the discount is in `applied`).
    pub free_lines: Vec<Line>,
}

impl Outcome {
    pub fn discount_cents(&self) -> i64 {
        self.applied.iter().map(Applied::discount_cents).sum()
    }

    pub fn refusal_of(&self, id: i64) -> Option<Refusal> {
        self.refused.iter().find(|(p, _)| *p == id).map(|(_, r)| *r)
    }
}

/// Applies every promotion of `offered` that may be used, in the fixed order (see the module);
/// a percentage is of what is still to pay for its products after the ones before it.
pub fn apply(offered: &[(Promotion, Usage)], basket: &Basket) -> Outcome {
    apply_after(offered, basket, (0, 0))
}

/// `apply` on a basket whose items and delivery already have `taken` (items, delivery cents)
/// off them: a code added to an order placed earlier comes after what it already had.
pub fn apply_after(offered: &[(Promotion, Usage)], basket: &Basket, taken: (i64, i64)) -> Outcome {
    let mut order: Vec<&(Promotion, Usage)> = offered.iter().collect();
    order.sort_by_key(|(p, _)| (p.offer.rank(), p.id));
    let mut out = Outcome::default();
    // What the items still cost after the discounts so far (free lines included).
    let mut left = (basket.items_cents() - taken.0).max(0);
    let mut fee_left = (basket.fee_cents - taken.1).max(0);
    for (p, usage) in order {
        if let Some(r) = refusal(p, basket, usage) {
            out.refused.push((p.id, r));
            continue;
        }
        let eligible_value: i64 = basket
            .lines
            .iter()
            .filter(|l| p.products.is_empty() || p.products.contains(&l.product_id))
            .map(|l| l.quantity * l.unit_price_cents)
            .sum();
        let mut applied = Applied {
            promotion_id: p.id,
            name: p.name.clone(),
            items_cents: 0,
            delivery_cents: 0,
            free_product: None,
        };
        match &p.offer {
            Offer::BuyGet {
                product_id,
                buy,
                get,
            } => {
                let (have, price) = basket
                    .lines
                    .iter()
                    .filter(|l| l.product_id == *product_id)
                    .fold((0, 0), |(q, _), l| (q + l.quantity, l.unit_price_cents));
                let free = have / (buy + get) * get;
                applied.items_cents = (free * price).min(left);
            }
            Offer::FreeItem {
                product_id,
                price_cents,
            } => {
                out.free_lines.push(Line {
                    product_id: *product_id,
                    quantity: 1,
                    unit_price_cents: *price_cents,
                });
                left += price_cents;
                applied.items_cents = *price_cents;
                applied.free_product = Some(*product_id);
            }
            Offer::Percent { percent } => {
                // Of what is still to pay for its products; rounded half up, to the cent.
                let base = eligible_value.min(left);
                applied.items_cents = (base * percent * 2 + 100) / 200;
            }
            Offer::Amount { cents } => {
                applied.items_cents = (*cents).min(eligible_value).min(left);
            }
            Offer::FreeDelivery => {
                applied.delivery_cents = fee_left;
            }
        }
        if applied.discount_cents() <= 0 {
            out.refused.push((p.id, Refusal::NothingToDiscount));
            continue;
        }
        left -= applied.items_cents;
        fee_left -= applied.delivery_cents;
        out.applied.push(applied);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn promo(id: i64, offer: Offer) -> Promotion {
        Promotion {
            id,
            name: format!("P{id}"),
            offer,
            automatic: false,
            active: true,
            starts: None,
            ends: None,
            weekdays: 127,
            min_order_cents: 0,
            products: vec![],
            districts: vec![],
            total_limit: None,
            per_customer_limit: None,
            first_order_only: false,
        }
    }

    /// 2 × bread at 4.00 (product 1), 1 × cake at 20.00 (product 2); fee 3.00; district 7;
    /// delivered Friday 2026-12-04, ordered Wednesday 2026-12-02.
    fn basket() -> Basket {
        Basket {
            lines: vec![
                Line {
                    product_id: 1,
                    quantity: 2,
                    unit_price_cents: 400,
                },
                Line {
                    product_id: 2,
                    quantity: 1,
                    unit_price_cents: 2000,
                },
            ],
            fee_cents: 300,
            district_id: Some(7),
            day: day("2026-12-04"),
            today: day("2026-12-02"),
        }
    }

    fn one(p: Promotion, usage: Usage) -> Outcome {
        apply(&[(p, usage)], &basket())
    }

    fn off(o: &Outcome) -> i64 {
        o.discount_cents()
    }

    #[test]
    fn percent_off_everything_or_only_its_products() {
        assert_eq!(
            off(&one(
                promo(1, Offer::Percent { percent: 10 }),
                Usage::default()
            )),
            280
        );
        let mut p = promo(1, Offer::Percent { percent: 15 });
        p.products = vec![1];
        // 15 % of 8.00 = 1.20.
        assert_eq!(off(&one(p.clone(), Usage::default())), 120);
        p.products = vec![99];
        let o = one(p, Usage::default());
        assert_eq!(o.refused, vec![(1, Refusal::NoEligibleProduct)]);
        assert_eq!(off(&o), 0);
    }

    #[test]
    fn a_code_added_later_comes_after_what_the_order_already_had() {
        let b = basket();
        // 28.00 of items with 8.00 already off: 10 % of the 20.00 left.
        let p = promo(1, Offer::Percent { percent: 10 });
        let o = apply_after(&[(p, Usage::default())], &b, (800, 0));
        assert_eq!(off(&o), 200);
        // A fixed amount takes at most what is left; free delivery only what is left of the fee.
        let o = apply_after(
            &[(promo(2, Offer::Amount { cents: 5000 }), Usage::default())],
            &b,
            (2500, 0),
        );
        assert_eq!(off(&o), 300);
        let o = apply_after(
            &[(promo(3, Offer::FreeDelivery), Usage::default())],
            &b,
            (0, 300),
        );
        assert_eq!(o.refused, vec![(3, Refusal::NothingToDiscount)]);
        let o = apply_after(
            &[(promo(3, Offer::FreeDelivery), Usage::default())],
            &b,
            (0, 100),
        );
        assert_eq!(off(&o), 200);
    }

    #[test]
    fn percent_rounds_half_up_to_the_cent() {
        let mut b = basket();
        b.lines = vec![Line {
            product_id: 1,
            quantity: 1,
            unit_price_cents: 5,
        }];
        // 10 % of 5 cents = 0.5 → 1.
        let o = apply(
            &[(promo(1, Offer::Percent { percent: 10 }), Usage::default())],
            &b,
        );
        assert_eq!(off(&o), 1);
    }

    #[test]
    fn amount_off_is_capped_by_what_it_is_for() {
        assert_eq!(
            off(&one(
                promo(1, Offer::Amount { cents: 500 }),
                Usage::default()
            )),
            500
        );
        assert_eq!(
            off(&one(
                promo(1, Offer::Amount { cents: 99_900 }),
                Usage::default()
            )),
            2800
        );
        let mut p = promo(1, Offer::Amount { cents: 1000 });
        p.products = vec![1];
        assert_eq!(off(&one(p, Usage::default())), 800);
    }

    #[test]
    fn free_delivery_takes_the_fee_and_nothing_on_a_pickup() {
        let o = one(promo(1, Offer::FreeDelivery), Usage::default());
        assert_eq!(o.applied[0].delivery_cents, 300);
        assert_eq!(o.applied[0].items_cents, 0);
        let mut b = basket();
        b.fee_cents = 0;
        b.district_id = None;
        let o = apply(&[(promo(1, Offer::FreeDelivery), Usage::default())], &b);
        assert_eq!(o.refused, vec![(1, Refusal::NothingToDiscount)]);
    }

    #[test]
    fn free_item_adds_a_line_and_discounts_it() {
        let o = one(
            promo(
                1,
                Offer::FreeItem {
                    product_id: 5,
                    price_cents: 250,
                },
            ),
            Usage::default(),
        );
        assert_eq!(
            o.free_lines,
            vec![Line {
                product_id: 5,
                quantity: 1,
                unit_price_cents: 250
            }]
        );
        assert_eq!(off(&o), 250);
        assert_eq!(o.applied[0].free_product, Some(5));
    }

    #[test]
    fn buy_x_get_y_counts_whole_groups() {
        let bxgy = |buy, get| {
            promo(
                1,
                Offer::BuyGet {
                    product_id: 1,
                    buy,
                    get,
                },
            )
        };
        // 2 breads, buy 1 get 1: one free.
        assert_eq!(off(&one(bxgy(1, 1), Usage::default())), 400);
        // buy 2 get 1 needs three.
        assert_eq!(
            one(bxgy(2, 1), Usage::default()).refused,
            vec![(1, Refusal::NotEnoughItems)]
        );
        let mut b = basket();
        b.lines[0].quantity = 7;
        // 7 breads, buy 2 get 1: two groups of three → two free.
        assert_eq!(off(&apply(&[(bxgy(2, 1), Usage::default())], &b)), 800);
        let mut p = bxgy(1, 1);
        p.offer = Offer::BuyGet {
            product_id: 9,
            buy: 1,
            get: 1,
        };
        assert_eq!(
            one(p, Usage::default()).refused,
            vec![(1, Refusal::NoEligibleProduct)]
        );
    }

    #[test]
    fn dates_weekdays_minimum_and_districts() {
        let base = promo(1, Offer::Percent { percent: 10 });
        let refused = |p: Promotion| one(p, Usage::default()).refusal_of(1);
        let mut p = base.clone();
        p.starts = Some(day("2026-12-03"));
        assert_eq!(refused(p), Some(Refusal::NotStarted));
        let mut p = base.clone();
        p.ends = Some(day("2026-12-01"));
        assert_eq!(refused(p), Some(Refusal::Ended));
        let mut p = base.clone();
        p.starts = Some(day("2026-12-02"));
        p.ends = Some(day("2026-12-02"));
        assert_eq!(refused(p), None, "both ends are included");
        let mut p = base.clone();
        p.weekdays = 0b001_1111; // Monday to Friday: the Friday delivery passes
        assert_eq!(refused(p.clone()), None);
        p.weekdays = 0b110_0000; // the weekend only
        assert_eq!(refused(p), Some(Refusal::DayNotIncluded));
        let mut p = base.clone();
        p.min_order_cents = 2801;
        assert_eq!(refused(p.clone()), Some(Refusal::BelowMinimum));
        p.min_order_cents = 2800;
        assert_eq!(refused(p), None);
        let mut p = base.clone();
        p.districts = vec![8];
        assert_eq!(refused(p.clone()), Some(Refusal::DistrictNotIncluded));
        p.districts = vec![7, 8];
        assert_eq!(refused(p.clone()), None);
        p.districts = vec![7];
        let mut pickup = basket();
        pickup.district_id = None;
        assert_eq!(
            apply(&[(p, Usage::default())], &pickup).refusal_of(1),
            Some(Refusal::DistrictNotIncluded)
        );
        let mut p = base;
        p.active = false;
        assert_eq!(refused(p), Some(Refusal::Paused));
    }

    #[test]
    fn limits_first_orders_and_personal_codes() {
        let base = promo(1, Offer::Percent { percent: 10 });
        let refused = |p: Promotion, u: Usage| one(p, u).refusal_of(1);
        let mut p = base.clone();
        p.total_limit = Some(10);
        let used = |n| Usage {
            total: n,
            ..Usage::default()
        };
        assert_eq!(refused(p.clone(), used(9)), None);
        assert_eq!(refused(p, used(10)), Some(Refusal::UsedUp));
        let mut p = base.clone();
        p.per_customer_limit = Some(2);
        let mine = |n| Usage {
            total: n,
            by_customer: n,
            ..Usage::default()
        };
        assert_eq!(refused(p.clone(), mine(1)), None);
        assert_eq!(refused(p, mine(2)), Some(Refusal::CustomerLimitReached));
        let mut p = base.clone();
        p.first_order_only = true;
        assert_eq!(refused(p.clone(), Usage::default()), None);
        let returning = Usage {
            customer_orders: 1,
            ..Usage::default()
        };
        assert_eq!(refused(p, returning), Some(Refusal::FirstOrderOnly));
        let personal = |for_this_customer, used| Usage {
            personal: Some(Personal {
                for_this_customer,
                used,
            }),
            ..Usage::default()
        };
        assert_eq!(refused(base.clone(), personal(true, false)), None);
        assert_eq!(
            refused(base.clone(), personal(true, true)),
            Some(Refusal::CodeAlreadyUsed)
        );
        assert_eq!(
            refused(base, personal(false, false)),
            Some(Refusal::CodeForAnotherCustomer)
        );
    }

    #[test]
    fn combined_in_the_fixed_order_and_never_below_zero() {
        // Given in the reverse order: free delivery, 5.00 off, 50 % off, buy 1 get 1 bread.
        let offered = vec![
            (promo(4, Offer::FreeDelivery), Usage::default()),
            (promo(3, Offer::Amount { cents: 500 }), Usage::default()),
            (promo(2, Offer::Percent { percent: 50 }), Usage::default()),
            (
                promo(
                    1,
                    Offer::BuyGet {
                        product_id: 1,
                        buy: 1,
                        get: 1,
                    },
                ),
                Usage::default(),
            ),
        ];
        let o = apply(&offered, &basket());
        let ids: Vec<i64> = o.applied.iter().map(|a| a.promotion_id).collect();
        assert_eq!(ids, vec![1, 2, 3, 4]);
        // Items 28.00: bread free 4.00 → 24.00 left; 50 % of that is 12.00 → 12.00 left;
        // 5.00 off → 7.00 left; the 3.00 fee waived.
        let each: Vec<i64> = o.applied.iter().map(Applied::discount_cents).collect();
        assert_eq!(each, vec![400, 1200, 500, 300]);
        assert_eq!(o.discount_cents(), 2400);
        // Two amounts that together exceed the items: the second takes only what is left.
        let offered = vec![
            (promo(1, Offer::Amount { cents: 2000 }), Usage::default()),
            (promo(2, Offer::Amount { cents: 2000 }), Usage::default()),
        ];
        let o = apply(&offered, &basket());
        assert_eq!(o.discount_cents(), 2800);
        let offered = vec![
            (promo(1, Offer::Percent { percent: 100 }), Usage::default()),
            (promo(2, Offer::Amount { cents: 100 }), Usage::default()),
        ];
        let o = apply(&offered, &basket());
        assert_eq!(o.discount_cents(), 2800);
        assert_eq!(o.refusal_of(2), Some(Refusal::NothingToDiscount));
    }

    #[test]
    fn every_refusal_has_a_name_and_words() {
        let p = promo(1, Offer::Percent { percent: 10 });
        for r in Refusal::ALL {
            assert!(!r.code().is_empty());
            let words = explain(r, Some(&p), "EUR");
            assert!(words.starts_with("promo_code: "), "{words}");
            assert!(!words.contains("()"), "{words}");
        }
    }
}
