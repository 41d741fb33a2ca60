//! Orders: their statuses and the staff board. Owns `orders`, `order_items`, `order_events`.
pub mod api;
pub mod board;
pub mod core;
pub mod drawer;
#[cfg(feature = "ssr")]
pub mod email;
#[cfg(feature = "ssr")]
pub mod history;
pub mod model;
#[cfg(feature = "ssr")]
pub mod notify;
pub mod phone;
pub mod phone_form;
#[cfg(feature = "ssr")]
pub mod repo;
