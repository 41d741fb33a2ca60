//! Delivery runs: one per driver per day, planned by the route solver (crates/routing), shown
//! on the runs page with costs, printed as run sheets, published to drivers and trackers.
pub mod api;
#[cfg(feature = "ssr")]
pub mod bench;
pub mod map;
#[cfg(feature = "ssr")]
pub mod matrix;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod pvrp_bench;
#[cfg(feature = "ssr")]
pub mod read;
pub mod search;
pub mod sheet;
#[cfg(feature = "ssr")]
pub mod suggest_bench;

pub use page::RunsPage;
