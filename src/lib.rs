//! Hearth: the back office of a home bakery. One crate, two builds: the `ssr` server binary and
//! the `hydrate` WebAssembly client, sharing the types and components below.
#![recursion_limit = "256"]

pub mod app;
pub mod audit;
pub mod auth;
pub mod customers;
pub mod dashboard;
pub mod districts;
pub mod driver;
pub mod error;
pub mod kitchen;
pub mod menu;
pub mod money;
pub mod orders;
pub mod planning;
pub mod promotions;
pub mod reports;
pub mod runs;
pub mod settings;
#[cfg(feature = "ssr")]
pub mod sheet;
pub mod standing;
#[cfg(feature = "ssr")]
pub mod storefront;
pub mod tracker;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WebAssembly client: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets tests and tools know the page is interactive.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
