//! Hearth: the back office of a home bakery. One crate, two builds: the `ssr` server binary and
//! the `hydrate` WebAssembly client, sharing the types and components below.
#![recursion_limit = "256"]

pub mod alerts;
pub mod app;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod customers;
pub mod dashboard;
pub mod districts;
pub mod driver;
pub mod error;
pub mod field;
#[cfg(feature = "ssr")]
pub mod i18n;
pub mod kitchen;
pub mod loyalty;
pub mod menu;
pub mod money;
pub mod orders;
pub mod pages;
pub mod planning;
pub mod promotions;
pub mod reports;
pub mod runs;
pub mod said;
pub mod settings;
#[cfg(feature = "ssr")]
pub mod sheet;
pub mod standing;
#[cfg(feature = "ssr")]
pub mod storefront;
pub mod tracker;
pub mod ui;
pub mod words;

#[cfg(feature = "ssr")]
pub mod server;

/// The window's event once the page is hydrated (after `data-hydrated` is set on the body).
#[cfg(feature = "hydrate")]
pub const HYDRATED: &str = "hearth-hydrated";

/// Entry point of the WebAssembly client: hydrates the server-rendered page. Asynchronous
/// because the page's own code may be a lazily loaded chunk (`app::lazy_page!`): hydration
/// waits for it, and `data-hydrated` is set once the page is really interactive.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // wasm-bindgen's own spawner: Leptos's executor is set up by `hydrate_from_async` itself.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        // Lets tests and tools know the page is interactive, and what waited for it (a map's
        // library) go on.
        let _ = body.set_attribute("data-hydrated", "true");
        if let (Some(w), Ok(e)) = (web_sys::window(), web_sys::Event::new(HYDRATED)) {
            let _ = w.dispatch_event(&e);
        }
    });
}
