//! Customers: who orders, where they live, what they have spent. Owns `customers`.
pub mod api;
pub mod page;
pub mod privacy;

pub use page::CustomersPage;
