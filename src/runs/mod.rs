//! Delivery runs: one per driver per day, planned by the route solver (crates/routing).
#[cfg(feature = "ssr")]
pub mod bench;
#[cfg(feature = "ssr")]
pub mod matrix;
