//! The customer's public order tracker (`/t/{token}`): stages like a pizza tracker, the ETA
//! window, readable without JavaScript, refreshed live with it.
pub mod api;
pub mod page;
pub mod receipt;
#[cfg(feature = "ssr")]
mod receipt_read;

pub use page::TrackerPage;
