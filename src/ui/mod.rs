//! Domain-free building blocks: the app shell, page headers, loading and error states.
pub mod layout;
pub mod states;

pub use layout::{AppShell, PageHeader, Protected};
pub use states::{ErrorNotice, Loading, NotFound};
