//! The owner's alerts: a new order, an order cancelled, a delivery that failed, an ingredient
//! below its reorder level, a lot near its best-before, a district-day nearly full. Raised by
//! `store` inside the transaction of the change that caused them (the order core, the stock
//! writer), so an alert exists exactly when its change does (only the best-before, which comes
//! with the calendar, is raised by `watch` looking every quarter of an hour); shown in the bell at the top of every owner page
//! (unread count, live with the board's event stream), and emailed to the owners for the kinds
//! switched on in Settings → Alerts (`mail`). Each alert is stored with its arguments and
//! worded when read, in the reader's language.
use serde::{Deserialize, Serialize};

pub mod api;
pub mod bell;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod push;
pub mod settings;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod watch;

pub use bell::Bell;

/// Every kind of alert, in the order Settings lists them.
pub const KINDS: [&str; 6] = [
    "new_order",
    "cancelled",
    "failed",
    "low_stock",
    "best_before",
    "nearly_full",
];

/// How many alerts the bell lists.
pub const SHOWN: i64 = 20;

/// What the bell shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub unread: i64,
    pub items: Vec<Item>,
}

/// One alert, worded for its reader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub kind: String,
    pub text: String,
    /// When it was raised, in the bakery's time zone and the reader's language.
    pub when: String,
    pub link: String,
    pub unread: bool,
}

/// What the owner wants of one kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Setting {
    pub kind: String,
    pub in_app: bool,
    pub email: bool,
    /// As a notification on the devices owners switched on.
    pub push: bool,
}

/// The Alerts card of Settings: each kind, and whether emails can be sent at all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub kinds: Vec<Setting>,
    /// An SMTP server is configured (`HEARTH_SMTP_URL`).
    pub can_email: bool,
    /// Owners who would get the emails.
    pub recipients: Vec<String>,
    /// The server's VAPID public key (base64url) a device subscribes with; None when this
    /// server cannot push (no key could be made).
    pub push_key: Option<String>,
    /// The devices switched on for notifications, each the owner's own or another's.
    pub devices: Vec<Device>,
}

/// A device that gets notifications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Device {
    pub id: i64,
    /// Its push address: how a browser recognises its own subscription.
    pub endpoint: String,
    pub device: String,
    pub owner: String,
    pub since: String,
    /// The last time a notification was refused by its push service, and why.
    pub last_error: Option<String>,
}
