//! Delivery districts: boundaries, served weekdays, fee, minimum order, daily capacity.
//! Owns the `districts` table; the owner draws and edits them on `/planning/districts`.
#[cfg(feature = "ssr")]
pub mod check;
pub mod edit;
#[cfg(feature = "ssr")]
pub mod geojson;
#[cfg(feature = "ssr")]
pub mod locate;
#[cfg(feature = "hydrate")]
pub mod map;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod relocate;
#[cfg(feature = "ssr")]
pub mod repo;

pub use model::District;
pub use page::DistrictsPage;
