//! The owner's menu: products, their prices, baking days, notice, limits and allergens.
pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod media;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;

pub use page::MenuPage;
