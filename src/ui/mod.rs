//! Domain-free building blocks: the app shell, page headers, loading and error states.
#[cfg(feature = "hydrate")]
pub mod files;
pub mod focus;

/// Saves an export's CSV through the browser (a no-op in the server's render, where effects
/// don't run): one call for every page that downloads a spreadsheet.
pub fn save_csv(file_name: &str, csv: &str) {
    #[cfg(feature = "hydrate")]
    files::download(&format!("{file_name}.csv"), "text/csv", csv);
    #[cfg(not(feature = "hydrate"))]
    let _ = (file_name, csv);
}
/// Opens the browser's print dialog (pages print without their controls: `.no-print`).
pub fn print_page() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}
/// A text field bound to one `String` of a form kept in `form`: its value as typed (for
/// `prop:value`) and what typing in it does (for `on:input`).
pub fn bound_text<T: Send + Sync + 'static>(
    form: leptos::prelude::RwSignal<T>,
    get: fn(&T) -> &String,
    set: fn(&mut T, String),
) -> (
    impl Fn() -> String + Copy + Send + Sync + 'static,
    impl Fn(leptos::ev::Event) + Copy + Send + Sync + 'static,
) {
    use leptos::prelude::*;
    (
        move || form.with(|f| get(f).clone()),
        move |ev: leptos::ev::Event| form.update(|f| set(f, event_target_value(&ev))),
    )
}
pub mod layout;
pub mod map;
pub mod picture;
pub mod states;
pub mod text;
pub mod vendor;

pub use layout::{AppShell, PageHeader, Protected};
pub use states::{ErrorNotice, ImportProblems, LiveRegion, Loading, NotFound};

/// A fresh idempotency key made in the browser (time plus randomness), for an action that may
/// be sent more than once (a driver's queued update, a phone-order form). Empty on the server.
pub fn browser_key(prefix: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        let r = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
        format!(
            "{prefix}{:x}-{:08x}{:08x}",
            js_sys::Date::now() as u64,
            r(),
            r()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = prefix;
        String::new()
    }
}
