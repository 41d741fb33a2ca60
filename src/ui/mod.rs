//! Domain-free building blocks: the app shell, page headers, loading and error states.
pub mod layout;
#[cfg(feature = "hydrate")]
pub mod map;
pub mod states;
pub mod text;

pub use layout::{AppShell, PageHeader, Protected};
pub use states::{ErrorNotice, Loading, NotFound};
