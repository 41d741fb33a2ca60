//! Accounts, roles, sign-in and sessions. Owns the `users` and `login_attempts` tables.
pub mod account;
pub mod api;
pub mod first_run;
pub mod link;
pub mod login;
pub mod model;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;
pub mod two_factor;

pub use model::{CurrentUser, Role};
