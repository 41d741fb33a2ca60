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

pub use model::{CurrentUser, Role, DRIVING, KITCHEN, OWNER};

use leptos::prelude::*;

/// Who is signed in, and the sign-in/out actions that change it. Provided by `App`.
#[derive(Clone, Copy)]
pub struct Auth {
    pub me: Resource<Result<Option<CurrentUser>, crate::error::AppError>>,
    pub login: ServerAction<api::Login>,
    pub logout: ServerAction<api::Logout>,
}
