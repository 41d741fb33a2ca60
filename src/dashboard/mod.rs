//! The owner's dashboard: today at a glance, the week's takings, what is coming.
pub mod api;
pub mod page;
pub mod ready;

pub use page::DashboardPage;
