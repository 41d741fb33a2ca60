//! Order statuses, fulfilment and payment kinds, and the card shown on the board.
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Where an order is in its day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Received,
    Confirmed,
    Baking,
    Ready,
    OutForDelivery,
    Delivered,
    Collected,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::Received,
        OrderStatus::Confirmed,
        OrderStatus::Baking,
        OrderStatus::Ready,
        OrderStatus::OutForDelivery,
        OrderStatus::Delivered,
        OrderStatus::Collected,
        OrderStatus::Cancelled,
    ];

    /// The board's columns, in working order.
    pub const BOARD: [OrderStatus; 6] = [
        OrderStatus::Received,
        OrderStatus::Confirmed,
        OrderStatus::Baking,
        OrderStatus::Ready,
        OrderStatus::OutForDelivery,
        OrderStatus::Delivered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Received => "received",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Baking => "baking",
            OrderStatus::Ready => "ready",
            OrderStatus::OutForDelivery => "out_for_delivery",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Collected => "collected",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// Its name in the signed-in person's language ("En el horno").
    pub fn word(self) -> String {
        crate::words::tr(&format!("status-{}", self.as_str()))
    }

    /// Its name in lower case, as the server words a refusal for whoever reads it ("baking",
    /// "en el horno"; see `crate::said`).
    pub fn in_refusal(self) -> String {
        crate::said::said(&format!("status-{}", self.as_str())).to_lowercase()
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Received => "Received",
            OrderStatus::Confirmed => "Confirmed",
            OrderStatus::Baking => "Baking",
            OrderStatus::Ready => "Ready",
            OrderStatus::OutForDelivery => "Out for delivery",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Collected => "Collected",
            OrderStatus::Cancelled => "Cancelled",
        }
    }

    pub fn parse(raw: &str) -> Result<OrderStatus, AppError> {
        OrderStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                AppError::invalid(
                    "status",
                    crate::said::said_with("refuse-status", &[("typed", &format!("{raw:?}"))]),
                )
            })
    }

    /// Finished orders (nothing more to do).
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            OrderStatus::Delivered | OrderStatus::Collected | OrderStatus::Cancelled
        )
    }
}

/// Delivered by the bakery, or picked up by the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fulfilment {
    Delivery,
    Pickup,
}

impl Fulfilment {
    /// As stored and as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Fulfilment::Delivery => "delivery",
            Fulfilment::Pickup => "pickup",
        }
    }

    pub fn parse(raw: &str) -> Result<Fulfilment, AppError> {
        match raw {
            "delivery" => Ok(Fulfilment::Delivery),
            "pickup" => Ok(Fulfilment::Pickup),
            _ => Err(AppError::invalid(
                "fulfilment",
                crate::said::said("refuse-fulfilment"),
            )),
        }
    }
}

/// How the customer pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cod,
    Prepaid,
    PayAtPickup,
}

impl PaymentMethod {
    /// As stored and as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cod => "cod",
            PaymentMethod::Prepaid => "prepaid",
            PaymentMethod::PayAtPickup => "pay_at_pickup",
        }
    }

    pub fn parse(raw: &str) -> Result<PaymentMethod, AppError> {
        match raw {
            "cod" => Ok(PaymentMethod::Cod),
            "prepaid" => Ok(PaymentMethod::Prepaid),
            "pay_at_pickup" => Ok(PaymentMethod::PayAtPickup),
            _ => Err(AppError::invalid(
                "payment.method",
                crate::said::said("refuse-payment"),
            )),
        }
    }
}

/// An order as a card on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderCard {
    pub id: i64,
    /// Bumped by every change; moves name the version they saw.
    pub version: i64,
    pub number: i64,
    pub customer_first_name: String,
    pub district: Option<String>,
    pub district_colour: Option<String>,
    pub fulfilment: Fulfilment,
    pub fulfil_on: String,
    pub window: Option<String>,
    pub item_count: i64,
    pub total_cents: i64,
    pub payment_method: PaymentMethod,
    pub paid: bool,
    pub status: OrderStatus,
    pub has_notes: bool,
    /// Allergen codes of everything in the order, in the EU list's order.
    #[serde(default)]
    pub allergens: Vec<String>,
    /// The customer's allergies, as the bakery recorded them.
    #[serde(default)]
    pub customer_allergies: Option<String>,
    /// A standing order's delivery: its number (`S-3`).
    #[serde(default)]
    pub standing_order_id: Option<i64>,
}

impl OrderCard {
    /// Cash the driver must collect at the door, if any.
    pub fn cash_to_collect(&self) -> Option<i64> {
        (self.payment_method == PaymentMethod::Cod && !self.paid).then_some(self.total_cents)
    }
}

/// Cards a board column shows at first; "Show more" adds as many again.
pub const BOARD_PAGE: usize = 40;

/// One board column: its first cards (in window order) and how many it holds in all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub status: OrderStatus,
    pub cards: Vec<OrderCard>,
    /// Orders in this column, shown or not.
    pub total: usize,
}

/// The board for one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// The day shown, `YYYY-MM-DD` in the business's time zone.
    pub day: String,
    pub today: String,
    pub currency: String,
    pub columns: Vec<BoardColumn>,
    /// Cards shown per column (the `show` parameter, or `BOARD_PAGE`).
    pub show: usize,
    /// Cancelled orders on the day (not shown).
    pub cancelled: usize,
    /// District names, for the filter.
    pub districts: Vec<String>,
}

/// A change to an order, announced to open boards and trackers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderChange {
    pub order_id: i64,
    pub number: i64,
    /// The status before the change (for Undo).
    pub from: OrderStatus,
    pub status: OrderStatus,
    pub version: i64,
    /// Who made it ("Pablo", "the storefront", "a driver").
    pub by: String,
}

/// Why a status move is not allowed, or None when it is. `pinned`: the order has a location.
pub fn move_refusal(
    fulfilment: Fulfilment,
    from: OrderStatus,
    to: OrderStatus,
    pinned: bool,
) -> Option<String> {
    use crate::said::{said, said_with};
    use OrderStatus::*;
    if from == to {
        return Some(said_with(
            "refuse-move-same",
            &[("status", &to.in_refusal())],
        ));
    }
    if from == Cancelled {
        return Some(said("refuse-move-from-cancelled"));
    }
    if to == Cancelled {
        return Some(said("refuse-move-to-cancelled"));
    }
    match (fulfilment, to) {
        (Fulfilment::Pickup, OutForDelivery | Delivered) => {
            return Some(said("refuse-move-pickup-delivered"))
        }
        (Fulfilment::Delivery, Collected) => return Some(said("refuse-move-delivery-collected")),
        (Fulfilment::Delivery, OutForDelivery | Delivered) if !pinned => {
            return Some(said("refuse-move-unpinned"))
        }
        _ => {}
    }
    None
}

/// A new delivery address and door pin for an order that has not left the kitchen yet.
pub struct NewAddress {
    pub address: String,
    /// (lat, lng) of the door; `None` keeps the pin it has (or leaves it waiting for one).
    pub pin: Option<(f64, f64)>,
}

impl NewAddress {
    /// Checks the fields as the form names them.
    pub fn parse(address: &str, lat: Option<f64>, lng: Option<f64>) -> Result<Self, AppError> {
        let address = address.trim();
        if address.is_empty() {
            return Err(AppError::invalid(
                "address",
                crate::said::said("refuse-address-empty"),
            ));
        }
        if address.chars().count() > 200 {
            return Err(AppError::invalid(
                "address",
                crate::said::said("refuse-address-long"),
            ));
        }
        let pin = match (lat, lng) {
            (None, None) => None,
            (Some(lat), Some(lng))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng) =>
            {
                Some((lat, lng))
            }
            (Some(_), Some(_)) => {
                return Err(AppError::invalid(
                    "lat",
                    crate::said::said("refuse-pin-earth"),
                ))
            }
            _ => {
                return Err(AppError::invalid(
                    "lat",
                    crate::said::said("refuse-pin-both"),
                ))
            }
        };
        Ok(Self {
            address: address.to_string(),
            pin,
        })
    }
}

/// A local time window as people read it, e.g. "09:00–11:00"; None unless both ends are set.
/// What the customer pays: items plus delivery, less the promotions' discount (never below 0).
/// The one place the rule is written; orders, quotes and phone quotes all use it.
pub fn total_cents(subtotal: i64, fee: i64, discount: i64) -> i64 {
    (subtotal + fee - discount).max(0)
}

pub fn window_label(from: Option<String>, to: Option<String>) -> Option<String> {
    from.zip(to).map(|(a, b)| format!("{a}–{b}"))
}

/// The first word of a name, which is all the board and tracker show.
pub fn first_name(full: &str) -> String {
    full.split_whitespace().next().unwrap_or("").to_string()
}

/// Parses a `YYYY-MM-DD` date; the error names `field`.
pub fn parse_day(raw: &str, field: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid(
            field,
            format!("{field}: {}.", crate::said::said("refuse-use-date")),
        )
    })
}

/// Reasons a delivery can fail, as offered on the phone.
pub const FAIL_REASONS: [&str; 5] = [
    "Nobody home",
    "Wrong or incomplete address",
    "Refused by the customer",
    "Couldn't get access",
    "Damaged on the way",
];

#[cfg(feature = "ssr")]
/// A failure reason the driver chose (stored in English, maybe with their note after ": "),
/// in `lang`; anything else as written.
pub fn fail_reason_in(lang: &crate::i18n::Lang, raw: &str) -> String {
    let reasons = FAIL_REASONS;
    for (i, r) in reasons.iter().enumerate() {
        if let Some(rest) = raw.strip_prefix(r) {
            return format!("{}{rest}", lang.t(&format!("fail-reason-{}", i + 1)));
        }
    }
    if raw.trim().is_empty() {
        lang.t("alert-no-reason")
    } else {
        raw.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_unknown_ones_name_the_field() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()).unwrap(), s);
        }
        assert_eq!(
            OrderStatus::parse("lost").unwrap_err().field(),
            Some("status")
        );
        assert!(OrderStatus::Collected.is_closed());
        assert!(!OrderStatus::OutForDelivery.is_closed());
    }

    #[test]
    fn cash_is_collected_only_for_unpaid_cod() {
        let mut card = OrderCard {
            customer_allergies: None,
            standing_order_id: None,
            id: 1,
            version: 1,
            number: 1001,
            customer_first_name: "Ana".into(),
            district: None,
            district_colour: None,
            fulfilment: Fulfilment::Delivery,
            fulfil_on: "2026-11-25".into(),
            window: None,
            item_count: 2,
            total_cents: 1850,
            payment_method: PaymentMethod::Cod,
            paid: false,
            status: OrderStatus::Ready,
            has_notes: false,
            allergens: vec![],
        };
        assert_eq!(card.cash_to_collect(), Some(1850));
        card.paid = true;
        assert_eq!(card.cash_to_collect(), None);
        card.paid = false;
        card.payment_method = PaymentMethod::Prepaid;
        assert_eq!(card.cash_to_collect(), None);
    }

    #[test]
    fn moves_follow_the_business_rules() {
        use OrderStatus::*;
        let d = Fulfilment::Delivery;
        let p = Fulfilment::Pickup;
        assert_eq!(move_refusal(d, Received, Confirmed, true), None);
        assert_eq!(
            move_refusal(d, Delivered, OutForDelivery, true),
            None,
            "undo is a move back"
        );
        assert!(move_refusal(p, Ready, OutForDelivery, true)
            .unwrap()
            .contains("pickup"));
        assert!(move_refusal(d, Ready, Collected, true).is_some());
        assert!(move_refusal(d, Ready, OutForDelivery, false)
            .unwrap()
            .contains("Pin"));
        assert!(move_refusal(d, Cancelled, Received, true).is_some());
        assert!(move_refusal(d, Ready, Cancelled, true).is_some());
        assert!(move_refusal(d, Ready, Ready, true).is_some());
        assert_eq!(move_refusal(p, Ready, Collected, false), None);
    }

    #[test]
    fn first_names_and_days() {
        assert_eq!(first_name("  María José García "), "María");
        assert_eq!(
            parse_day("2026-02-28", "date").unwrap().to_string(),
            "2026-02-28"
        );
        assert_eq!(
            parse_day("2026-02-30", "date").unwrap_err().field(),
            Some("date")
        );
    }
}

/// Everything about one order, for the drawer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub id: i64,
    pub number: i64,
    pub version: i64,
    pub status: OrderStatus,
    pub fulfilment: Fulfilment,
    pub fulfil_on: String,
    pub window: Option<String>,
    pub customer_name: String,
    pub phone: String,
    pub address: Option<String>,
    pub district: Option<String>,
    /// The door's (lat, lng), when pinned.
    pub pin: Option<(f64, f64)>,
    /// Map tile URL template and attribution, for the pin editor.
    pub tiles: (String, String),
    /// The delivery districts (deliveries only), drawn under the pin editor's pin.
    pub districts: Vec<crate::districts::District>,
    pub payment_method: PaymentMethod,
    pub paid: bool,
    pub items: Vec<(String, i64, i64)>,
    pub subtotal_cents: i64,
    pub delivery_fee_cents: i64,
    /// The promotions used: (name, code, amount off).
    pub discounts: Vec<(String, Option<String>, i64)>,
    pub total_cents: i64,
    pub notes: Option<String>,
    pub tracking_token: String,
    /// (local time, who, what)
    pub history: Vec<(String, String, String)>,
    pub currency: String,
    /// The proof-of-delivery photo's size (width, height), when the driver took one.
    pub photo: Option<(i64, i64)>,
    /// The products' SKUs, in the order of `items`.
    pub skus: Vec<String>,
    /// Allergen codes of everything in the order, in the EU list's order.
    pub allergens: Vec<String>,
    pub customer_id: i64,
    /// The caller may open the customer's page (the owner).
    #[serde(default)]
    pub customer_page: bool,
    /// A standing order's delivery: "S-3 · Tue + Fri or Mon + Thu".
    #[serde(default)]
    pub standing: Option<String>,
    /// A promotion code may still be added (open, unpaid, none yet).
    #[serde(default)]
    pub code_open: bool,
    /// Points may still be spent: the customer's points and their worth (open, unpaid, none
    /// spent yet, the bakery runs a programme).
    #[serde(default)]
    pub points_open: Option<(i64, i64)>,
    /// The code staff may take off again (open, unpaid, one applied).
    #[serde(default)]
    pub code_on: Option<String>,
    /// The points spent that staff may give back, and their worth (open, unpaid).
    #[serde(default)]
    pub points_on: Option<(i64, i64)>,
    /// A referral code may still be recorded (the customer's first order, still open).
    #[serde(default)]
    pub referral_open: bool,
}
