//! What promotions and loyalty points did to an order, in the API's answers (quote and order).
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A promotion applied to the order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DiscountOut {
    pub promotion: String,
    /// Taken off the items.
    pub items_cents: i64,
    /// Taken off the delivery fee.
    pub delivery_cents: i64,
    /// The SKU of a product added free, when that is the offer (its line is in the order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_sku: Option<String>,
}

/// The promotion code sent, and whether it applies.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PromoCodeOut {
    pub code: String,
    pub applied: bool,
    /// Why not, when it does not apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<crate::promotions::rules::Refusal>,
    /// The rule, in words (e.g. "promo_code: \"Spring\" needs items worth at least €20.00.").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The customer's loyalty points, in a quote and an order's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoyaltyOut {
    /// Points the customer can spend today (before this order), and what they are worth.
    pub available_points: i64,
    pub available_cents: i64,
    /// The points this order spends and what they take off (part of `discount_cents`).
    pub redeemed_points: i64,
    pub redeemed_cents: i64,
    /// The fewest points one order may spend.
    pub min_redeem: i64,
    /// The referral code sent was taken: the reward follows the first delivery.
    pub referral_taken: bool,
}
