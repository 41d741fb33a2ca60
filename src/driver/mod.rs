//! The driver's phone view of the day's deliveries.
pub mod actions;
pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod photos;

pub use page::DriverPage;
