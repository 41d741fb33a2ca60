//! Customers: who orders, where they live, what they have spent. Owns `customers`.
pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
pub mod page;
pub mod privacy;
pub mod transfer;

pub use page::CustomersPage;
