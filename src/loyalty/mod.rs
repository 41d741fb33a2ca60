//! Loyalty and referral: points earned on delivered orders, redeemed as a discount, expiring
//! after the time the owner sets, kept as a ledger per customer; and a referral code per
//! customer that rewards both sides on the new customer's first delivered order.
//!
//! Owns `loyalty_program`, `loyalty_ledger`, `referral_codes` and `referrals`;
//! [`store`] is their one writer. The order core calls it in the transaction that creates,
//! delivers or cancels an order (a redemption, an earning, a refund), so points and orders can
//! never disagree; the storefront checks a redemption inside the order's write transaction, so
//! two orders cannot spend the same points.
pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod page;
#[cfg(feature = "ssr")]
pub mod read;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

pub use page::{LoyaltyPanel, ProgramCard};

/// The bakery's programme (Promotions → Loyalty and referral).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Program {
    pub enabled: bool,
    /// Points per whole unit of the currency paid for the items.
    pub points_per_unit: i64,
    /// What 100 points take off, in cents.
    pub value_per_100: i64,
    /// The fewest points one order may redeem.
    pub min_redeem: i64,
    /// Days points last (0: they never expire).
    pub expiry_days: i64,
    /// Points each side gets for a referral (0: none).
    pub referral_points: i64,
}

impl Default for Program {
    fn default() -> Self {
        Program {
            enabled: false,
            points_per_unit: 1,
            value_per_100: 500,
            min_redeem: 100,
            expiry_days: 365,
            referral_points: 200,
        }
    }
}

/// Points spent on a new order: how many, what they take off, and the bakery's day.
#[derive(Clone, Debug, PartialEq)]
pub struct Redemption {
    pub points: i64,
    pub cents: i64,
    pub on: chrono::NaiveDate,
}

/// One line of a customer's points, with the balance after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerLine {
    /// The bakery's local day, `YYYY-MM-DD`.
    pub day: String,
    /// earned, redeemed, refunded, expired, reversed, referral, adjusted.
    pub kind: String,
    pub points: i64,
    /// For a redemption or its refund: the discount.
    pub cents: i64,
    /// The order it is about: (id, number, its day).
    pub order: Option<(i64, i64, String)>,
    /// The owner's reason for an adjustment.
    pub note: Option<String>,
    /// The ledger's sum after this line.
    pub balance: i64,
}

/// A customer's points and referrals, for their page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub customer_id: i64,
    pub program: Program,
    /// Points that can be used today.
    pub available: i64,
    /// What they would take off.
    pub value_cents: i64,
    /// The next points to expire: (day, points).
    pub next_expiry: Option<(String, i64)>,
    pub referral_code: String,
    /// Who referred this customer: (id, name, rewarded).
    pub referred_by: Option<(i64, String, bool)>,
    /// Whom this customer referred: (id, name, rewarded).
    pub referred: Vec<(i64, String, bool)>,
    /// Newest first (the last 100).
    pub lines: Vec<LedgerLine>,
}

/// How points moved over some days: credits (earned on orders, referral rewards), what was
/// spent (net of refunds) and what it took off orders, what lapsed or was taken back, and the
/// owner's adjustments (net).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    pub earned: i64,
    pub referral: i64,
    pub redeemed: i64,
    pub redeemed_cents: i64,
    pub expired: i64,
    pub reversed: i64,
    pub adjusted: i64,
    /// Customers who spent points.
    pub spenders: i64,
}

/// The programme's figures for the owner.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub program: Program,
    /// Points customers hold today, and what they would take off (the bakery's liability).
    pub outstanding: i64,
    pub outstanding_cents: i64,
    /// Customers holding points.
    pub members: i64,
    /// In the last 30 days.
    pub earned_30: i64,
    pub redeemed_30: i64,
    pub redeemed_cents_30: i64,
    pub expired_30: i64,
    /// Referrals made, and rewarded (the new customer's first order was delivered).
    pub referrals: i64,
    pub referrals_rewarded: i64,
    pub currency: String,
}

/// Why a referral code is refused, in the reader's words (after the field's name).
#[cfg(feature = "ssr")]
pub fn referral_words(r: &store::ReferralRefusal, code: &str) -> String {
    use crate::said::{said, said_with};
    match r {
        store::ReferralRefusal::Off => said("refuse-referral-off"),
        store::ReferralRefusal::Unknown => said_with("refuse-referral-unknown", &[("code", &code)]),
        store::ReferralRefusal::Own => said("refuse-referral-own"),
        store::ReferralRefusal::NotFirstOrder => said("refuse-referral-not-first"),
    }
}

/// Why points may not be spent, in the reader's words (after the field's name).
#[cfg(feature = "ssr")]
pub fn redeem_words(r: &rules::RedeemRefusal, asked: i64) -> String {
    match r {
        rules::RedeemRefusal::Off => crate::said::said("refuse-points-off"),
        rules::RedeemRefusal::BelowMinimum { min } => {
            crate::said::said_with("refuse-points-minimum", &[("min", min), ("asked", &asked)])
        }
        rules::RedeemRefusal::NotEnough { available } => crate::said::said_with(
            "refuse-points-not-enough",
            &[("available", available), ("asked", &asked)],
        ),
        rules::RedeemRefusal::MoreThanTheOrder { max } => crate::said::said_with(
            "refuse-points-more-than-order",
            &[("max", max), ("asked", &asked)],
        ),
    }
}
