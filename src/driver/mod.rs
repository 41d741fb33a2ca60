//! The driver's phone view of the day's deliveries.
pub mod actions;
pub mod api;
pub mod page;

pub use page::DriverPage;
