//! Server-only code: configuration, the database, the HTTP router and its middleware, the
//! command line, and the demo bakery.
pub mod backups;
pub mod checkpoints;
pub mod cli;
pub mod config;
pub mod ctx;
pub mod db;
pub mod demo;
mod demo_history;
pub mod group;
pub mod headers;
pub mod http;
pub mod request_id;
pub mod state;
pub mod static_files;
pub mod tokens;
pub mod wakes;
