//! The storefront API (`/api/v1`): how the bakery's website reads the catalog and delivery
//! calendar, quotes and places orders, and how customers track them. Bearer keys, idempotent
//! order creation, capacity checked in the same transaction as the insert. Server only.
pub mod calendar;
pub mod catalog;
pub mod handlers;
pub mod intake;
pub mod keys;
pub mod model;
pub mod offers;
pub mod openapi;
pub mod privacy;
pub mod quote;
pub mod standing;
pub mod tracking;
pub mod validate;
