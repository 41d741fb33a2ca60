//! The owner's planning map: districts, undelivered orders of the coming days, and the load of
//! each district-day. (Drag-and-drop assignment and runs build on this.)
pub mod api;
pub mod assign;
pub mod map;
pub mod model;
pub mod page;
pub mod suggest;

pub use page::PlanningPage;
