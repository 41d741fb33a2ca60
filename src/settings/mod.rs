//! The owner's settings: the team (add, disable, re-role) and the business details.
pub mod api_keys;
pub mod backups;
pub mod business;
pub mod delivery;
pub mod hours;
pub mod logo;
pub mod page;
pub mod team;

pub use page::SettingsPage;
