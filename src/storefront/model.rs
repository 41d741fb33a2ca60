//! The storefront API's JSON shapes (documented in the OpenAPI document).
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::offers::{DiscountOut, LoyaltyOut, PromoCodeOut};

/// The customer placing the order.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct CustomerIn {
    /// Full name.
    #[schema(required = true, nullable = false, min_length = 1, max_length = 80)]
    pub name: Option<String>,
    /// Phone number; normalised to E.164 (e.g. +34600123456). Customers are matched by it.
    #[schema(required = true, nullable = false, min_length = 1)]
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The customer agreed to offers and news by email (same as `consent.email`).
    pub marketing_opt_in: Option<bool>,
    /// What the customer agreed to be sent offers and news on, as ticked at checkout. A channel
    /// sent `true` is recorded as given ("Website checkout"); `false` or absent changes nothing
    /// (withdrawing is the customer's unsubscribe link, or the bakery's record).
    pub consent: Option<ConsentIn>,
}

/// Consent per channel.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct ConsentIn {
    pub email: Option<bool>,
    pub sms: Option<bool>,
    pub whatsapp: Option<bool>,
}

/// A delivery window in the business's local time.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct WindowIn {
    /// `HH:MM`
    #[schema(required = true, nullable = false)]
    pub from: Option<String>,
    /// `HH:MM`, after `from`.
    #[schema(required = true, nullable = false)]
    pub to: Option<String>,
}

/// Delivery to an address, or pickup at the bakery.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct FulfilmentIn {
    /// `delivery` or `pickup`.
    #[serde(rename = "type")]
    #[schema(required = true, nullable = false, pattern = "^(delivery|pickup)$")]
    pub kind: Option<String>,
    /// Street address (required for delivery).
    #[schema(max_length = 300)]
    pub address: Option<String>,
    /// Latitude, with `lng`: skips geocoding.
    #[schema(minimum = -90.0, maximum = 90.0)]
    pub lat: Option<f64>,
    #[schema(minimum = -180.0, maximum = 180.0)]
    pub lng: Option<f64>,
    /// `YYYY-MM-DD`, in the business's time zone.
    #[schema(required = true, nullable = false, format = Date)]
    pub date: Option<String>,
    pub window: Option<WindowIn>,
    /// Pickup time, `HH:MM`.
    pub time: Option<String>,
    /// Delivery only: the customer also accepts any other day in this range (which must
    /// include `date`, at most 14 days long). The bakery may then move the order to the day
    /// that suits its runs best ("Suggest a plan"); the customer is told by the usual
    /// notifications when it does.
    #[serde(default)]
    pub flexible: Option<DateRangeIn>,
}

/// A range of days, both ends included.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct DateRangeIn {
    /// `YYYY-MM-DD`
    #[schema(required = true, nullable = false, format = Date)]
    pub from: Option<String>,
    /// `YYYY-MM-DD`
    #[schema(required = true, nullable = false, format = Date)]
    pub to: Option<String>,
}

/// One line of the order.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ItemIn {
    #[schema(required = true, nullable = false, min_length = 1)]
    pub sku: Option<String>,
    #[schema(required = true, nullable = false, minimum = 1, maximum = 99)]
    pub quantity: Option<i64>,
    #[schema(max_length = 200)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct PaymentIn {
    /// `cod` (cash on delivery), `prepaid` or `pay_at_pickup`.
    #[schema(
        required = true,
        nullable = false,
        pattern = "^(cod|prepaid|pay_at_pickup)$"
    )]
    pub method: Option<String>,
    /// The storefront's payment reference, for prepaid orders.
    #[schema(max_length = 100)]
    pub reference: Option<String>,
}

/// Body of `POST /api/v1/orders` and `POST /api/v1/quote`. The Rust fields are optional so
/// that a missing one is reported by name with the others, not as a parse error; the schema
/// says what the server requires.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct OrderIn {
    #[schema(required = true, nullable = false)]
    pub customer: Option<CustomerIn>,
    #[schema(required = true, nullable = false)]
    pub fulfilment: Option<FulfilmentIn>,
    #[schema(required = true, nullable = false, min_items = 1, max_items = 50)]
    pub items: Option<Vec<ItemIn>>,
    #[schema(required = true, nullable = false)]
    pub payment: Option<PaymentIn>,
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
    /// A promotion code (shared, or a customer's personal single-use code); letters, digits,
    /// `-` and `_`, case does not matter. Automatic promotions apply without one. Several
    /// promotions combine in a fixed order: buy X get Y, free item, percent off (of what is
    /// still to pay for its products), amount off, free delivery.
    #[schema(min_length = 3, max_length = 32, pattern = "^[A-Za-z0-9_-]+$")]
    pub promo_code: Option<String>,
    /// What to do when `promo_code` does not apply: `refuse` the order (422 naming the reason;
    /// the default) or take it at `full_price`.
    #[schema(pattern = "^(refuse|full_price)$")]
    pub promo_fallback: Option<String>,
    /// The language the customer reads, as a code: `en` or `es`. Their tracking page and
    /// messages use it; without it, the bakery's language (Settings → Business). Another code is
    /// refused (422 naming `language`).
    #[schema(example = "es", min_length = 2, max_length = 8)]
    #[serde(default)]
    pub language: Option<String>,
    /// Loyalty points to spend on this order (the customer is the one with `customer.phone`).
    /// Their value comes off what is left to pay after the promotions and is part of
    /// `discount_cents`. Refused (422 naming `redeem_points`) when the bakery runs no loyalty
    /// programme, below its minimum, more than the customer has, or worth more than is left to
    /// pay (the message says how many would do). `POST /quote` shows the customer's points.
    #[schema(minimum = 1, maximum = 1000000)]
    #[serde(default)]
    pub redeem_points: Option<i64>,
    /// Another customer's referral code, on a new customer's first order: both get the
    /// bakery's referral points when this customer's first order is delivered. Refused (422
    /// naming `referral_code`) when unknown, the customer's own, not a first order, or the bakery
    /// gives no referral reward; with `promo_fallback: full_price` the order is taken without it.
    #[schema(min_length = 4, max_length = 20, pattern = "^[A-Za-z0-9]+$")]
    #[serde(default)]
    pub referral_code: Option<String>,
}

/// One problem with the request, named by its JSON path (e.g. `items[0].sku`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// The JSON path of the field at fault: the same in every language.
    pub field: String,
    /// What is wrong, for a person: in the order's `language`, else the request's
    /// `Accept-Language` (the first Hearth speaks), else the bakery's language.
    pub message: String,
}

/// A 4xx answer: every bad field, and for capacity or calendar refusals the next dates that
/// would work.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub next_possible_dates: Vec<String>,
    /// Why `promo_code` does not apply, when that is the refusal.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub promo_refusal: Option<crate::promotions::rules::Refusal>,
}

/// The district and day an order is delivered.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeliveryOut {
    pub district: String,
    pub date: String,
}

/// `201` answer of `POST /api/v1/orders`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderCreated {
    pub order_number: i64,
    pub tracking_token: String,
    pub tracking_url: String,
    pub status: String,
    /// What the customer pays: items + delivery fee − discount.
    pub total_cents: i64,
    pub discount_cents: i64,
    /// The promotions applied.
    pub discounts: Vec<DiscountOut>,
    /// What became of `promo_code`, when one was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promo_code: Option<PromoCodeOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<DeliveryOut>,
    /// The customer's points, when the bakery runs a loyalty programme and the order spent
    /// points or brought a referral code (`POST /quote` always shows them).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub loyalty: Option<LoyaltyOut>,
    /// True when the order came without coordinates and waits for the owner to pin it.
    pub needs_location: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuoteLine {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub line_total_cents: i64,
}

/// Answer of `POST /api/v1/quote`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Quote {
    pub lines: Vec<QuoteLine>,
    pub subtotal_cents: i64,
    pub delivery_fee_cents: i64,
    /// Taken off by the promotions in `discounts`.
    pub discount_cents: i64,
    pub discounts: Vec<DiscountOut>,
    /// What became of `promo_code`, when one was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promo_code: Option<PromoCodeOut>,
    /// subtotal + delivery fee − discount.
    pub total_cents: i64,
    /// The customer's points (found by `customer.phone`), when the bakery runs a loyalty
    /// programme.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub loyalty: Option<LoyaltyOut>,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// The earliest days this order could be fulfilled (delivery: served, with room).
    pub earliest_dates: Vec<String>,
    /// Problems that would make `POST /orders` refuse it (empty when it would be accepted).
    pub problems: Vec<FieldError>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CatalogProduct {
    pub sku: String,
    pub name: String,
    pub description: String,
    /// The bakery's own category, e.g. "Breads"; products come in the menu's order.
    pub category: String,
    /// Price of one, tax included, in minor units of `currency`.
    pub price_cents: i64,
    /// The tax included in the price, in percent (e.g. 10.0); absent when the bakery sets none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_rate_percent: Option<f64>,
    pub image_url: Option<String>,
    /// Codes of the EU's 14 allergens it contains: gluten, crustaceans, eggs, fish, peanuts,
    /// soy, milk, nuts, celery, mustard, sesame, sulphites, lupin, molluscs.
    pub allergens: Vec<String>,
    /// Dietary tags: vegetarian, vegan, gluten_free, lactose_free, organic, no_added_sugar.
    pub dietary: Vec<String>,
    /// Weekdays it is baked, e.g. ["Friday", "Saturday"].
    pub baked_on: Vec<String>,
    /// Days of notice: the earliest day it can be ordered for is in `days_available`.
    pub lead_days: i64,
    pub min_quantity: i64,
    pub max_quantity: i64,
    /// Of the days customers can book (see `booking`), those on which this product can still
    /// be ordered now: baked that weekday, with notice, before the cut-off, not sold out, its
    /// oven not fully booked that day and, when the bakery checks its pantry, the ingredients
    /// for another batch in stock or on order (available-to-promise for one).
    pub days_available: Vec<String>,
    /// Of `days_available`, those the kitchen's forecast expects to sell out (what is booked
    /// plus what usually still comes that weekday reaches the day's limit): the place for an
    /// "order soon" hint.
    pub days_may_sell_out: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarDay {
    pub date: String,
    pub has_room: bool,
    pub stops_left: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CatalogDistrict {
    pub name: String,
    pub delivery_fee_cents: i64,
    pub min_order_cents: i64,
    /// Weekday names served, e.g. ["Tuesday", "Friday"].
    pub served_weekdays: Vec<String>,
    /// The served days of the next 14 and whether each still has room.
    pub days: Vec<CalendarDay>,
    /// The delivery windows offered, per served weekday that has them; an order for such a day
    /// names one of them (or none: any time). Weekdays not listed take any window.
    pub windows: Vec<DeliveryWindows>,
}

/// The delivery windows of one weekday.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeliveryWindows {
    /// e.g. "Tuesday".
    pub weekday: String,
    pub windows: Vec<WindowOut>,
}

/// A delivery window offered, local `HH:MM`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WindowOut {
    pub from: String,
    pub to: String,
}

/// The counter's hours on one weekday.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PickupDay {
    pub weekday: String,
    /// `HH:MM`
    pub opens: String,
    pub closes: String,
    /// A break within the hours, `HH:MM`, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PickupInfo {
    /// Weekdays with pickups.
    pub days: Vec<String>,
    /// The earliest opening and latest closing of the week (see `hours` per day).
    pub opens: String,
    pub closes: String,
    pub hours: Vec<PickupDay>,
}

/// The bakery's booking rules.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BookingInfo {
    /// Days ahead customers can book, today included.
    pub horizon_days: i64,
    /// The last day that can be booked.
    pub last_day: String,
    /// `HH:MM`: orders for a day close at this time the day before. Absent: same-day orders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_cutoff: Option<String>,
    /// Days the bakery takes no orders (within the horizon).
    pub closed_dates: Vec<String>,
}

/// Answer of `GET /api/v1/catalog`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Catalog {
    pub business: String,
    /// The bakery's logo (JPEG), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    pub currency: String,
    pub products: Vec<CatalogProduct>,
    pub districts: Vec<CatalogDistrict>,
    pub pickup: PickupInfo,
    pub booking: BookingInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StageOut {
    pub status: String,
    pub label: String,
    /// When the order reached this stage (UTC, RFC 3339), if it has.
    pub at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrackedItem {
    pub name: String,
    pub quantity: i64,
}

/// Answer of `GET /api/v1/orders/{tracking_token}`: nothing personal beyond a first name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Tracking {
    pub order_number: i64,
    pub first_name: String,
    pub status: String,
    pub status_label: String,
    pub fulfilment: String,
    pub date: String,
    /// The expected arrival window, `HH:MM` local time: from the published delivery run when
    /// there is one (planned arrival −10/+20 minutes, within the promised window), else the
    /// promised window itself.
    pub eta_from: Option<String>,
    pub eta_to: Option<String>,
    /// While out for delivery: stops the driver makes before this one.
    pub stops_before: Option<i64>,
    pub stages: Vec<StageOut>,
    pub items: Vec<TrackedItem>,
    /// What the customer pays, after `discount_cents`.
    pub total_cents: i64,
    pub discount_cents: i64,
    /// The promotions applied, by name.
    pub discounts: Vec<String>,
    /// The language the order was placed in (`language` of the request), if one was given.
    pub language: Option<String>,
}
