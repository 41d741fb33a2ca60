//! Customers: who orders, where they live, what they have spent, what they like, what they
//! agreed to hear about (consent per channel, as a ledger), the segments they fall in, and the
//! public link that withdraws their consent. Owns `customers`, `consents`, `customer_tags` and
//! `segments`; `customers::consent` is the one writer of consent.
pub mod api;
pub mod card;
pub mod card_page;
pub mod channel;
#[cfg(feature = "ssr")]
pub mod consent;
#[cfg(feature = "ssr")]
pub mod csv;
pub mod page;
pub mod privacy;
pub mod segments;
pub mod segments_api;
pub mod segments_page;
#[cfg(feature = "ssr")]
pub mod segments_store;
pub mod transfer;
pub mod unsubscribe;

use serde::{Deserialize, Serialize};

pub use card_page::CustomerPage;
pub use channel::Channel;
pub use page::CustomersPage;
pub use segments_page::SegmentsPage;
pub use unsubscribe::UnsubscribePage;

/// One line of a customer's consent history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentLine {
    /// Local time.
    pub at: String,
    pub channel: Channel,
    pub granted: bool,
    pub source: String,
}

/// One of a customer's orders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerOrder {
    pub id: i64,
    pub number: i64,
    pub day: String,
    /// The stage's code ("confirmed"); the page words it.
    pub status: String,
    pub total_cents: i64,
    pub promo: Option<String>,
}

/// Another record that may be the same person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Duplicate {
    pub id: i64,
    pub name: String,
    pub phone: String,
    /// "Same email", "Same phone number".
    pub why: String,
    pub orders: i64,
}

/// Everything the customer page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerCard {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub district: Option<String>,
    pub since: String,
    pub orders: Vec<CustomerOrder>,
    pub order_count: i64,
    pub spent_cents: i64,
    pub average_cents: i64,
    pub first_order: Option<String>,
    pub last_order: Option<String>,
    /// (product, units) most bought first.
    pub favourites: Vec<(String, i64)>,
    /// Recency, frequency, monetary, 1–5 (None: never ordered).
    pub rfm: Option<(u8, u8, u8)>,
    pub preferences: String,
    pub allergies: String,
    pub notes: String,
    pub tags: Vec<String>,
    /// (channel, agreed)
    pub consent: Vec<(Channel, bool)>,
    pub consent_history: Vec<ConsentLine>,
    pub duplicates: Vec<Duplicate>,
    pub unsubscribe_url: String,
    pub currency: String,
    /// Their standing orders, with the next fortnight's visits.
    pub standing: Vec<crate::standing::model::StandingView>,
    /// Where they have had orders delivered (a standing order may move there).
    #[serde(default)]
    pub places: Vec<crate::standing::model::Place>,
    /// Products on sale, for a new standing order.
    pub products: Vec<crate::orders::phone::ProductChoice>,
    /// Their loyalty points, referral code and referrals.
    pub loyalty: crate::loyalty::Card,
}
