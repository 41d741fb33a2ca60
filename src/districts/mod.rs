//! Delivery districts: boundaries, served weekdays, fee, minimum order, daily capacity.
//! Owns the `districts` table.
#[cfg(feature = "ssr")]
pub mod geojson;
#[cfg(feature = "ssr")]
pub mod locate;
pub mod model;
#[cfg(feature = "ssr")]
pub mod repo;

pub use model::District;
