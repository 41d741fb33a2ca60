//! The keys of an open drawer or dialog (WCAG 2.1.2, 2.4.3): Tab and Shift+Tab go round its own
//! controls, and Escape closes it, as its Close button does.
use leptos::prelude::*;

/// What Tab stops at: links, enabled form controls and anything with a non-negative tabindex.
#[cfg(feature = "hydrate")]
const FOCUSABLE: &str =
    "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), \
     select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

/// While `root` is on the page: Escape calls `close`; Tab from its last control goes to its
/// first, Shift+Tab from its first goes to its last, and a Tab pressed with the focus outside
/// it brings it back in.
pub fn dialog_keys(root: NodeRef<leptos::html::Aside>, close: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" {
                close();
                return;
            }
            if ev.key() != "Tab" {
                return;
            }
            let Some(root) = root.get_untracked() else {
                return;
            };
            let Ok(list) = root.query_selector_all(FOCUSABLE) else {
                return;
            };
            // Only what is shown (a closed <details> or a hidden form has no offset parent).
            let items: Vec<web_sys::HtmlElement> = (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                .filter(|e| e.offset_parent().is_some())
                .collect();
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                return;
            };
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            let is = |e: &web_sys::HtmlElement| {
                let e: &web_sys::Element = e.as_ref();
                active.as_ref() == Some(e)
            };
            let inside = active
                .as_ref()
                .is_some_and(|a| root.contains(Some(a.as_ref())));
            let to = match (inside, ev.shift_key()) {
                (false, false) => Some(first),
                (false, true) => Some(last),
                (true, true) if is(first) => Some(last),
                (true, false) if is(last) => Some(first),
                _ => None,
            };
            if let Some(to) = to {
                ev.prevent_default();
                let _ = to.focus();
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (root, close);
}
