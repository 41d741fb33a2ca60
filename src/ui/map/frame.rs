//! A map's automatic frame (the view showing what it draws) kept while its element settles.
//!
//! Hydration can make a map before its element has its final size, and a loaded page can still
//! resize it (a panel filling in, the window narrowed); Leaflet notices only the window's own
//! resizing. A map framed for a size it no longer has shows the wrong piece of the city: the
//! planning map of a busy page was once left at its closest zoom over a few streets with no
//! order in view (seen under load, reproduced with the CPU slowed 8 times). So every framed
//! map watches its element: on each change of size it measures again and, when the element is
//! a tenth or more wider, narrower, taller or shorter than the size its frame was made for (not
//! for a scroll bar appearing) and the user has not moved or zoomed the map since, frames again
//! what the page last asked to frame.
use js_sys::Reflect;
use leaflet::{LatLngBounds, Map};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::{call, fit_options, on};

/// The map's properties holding the frame, the size Leaflet made it for, whether the user
/// moved the map since, and whether it is watched.
const FRAME: &str = "hearthFrame";
const FRAMED_AT: &str = "hearthFramedAt";
const MOVED: &str = "hearthMoved";
const WATCHED: &str = "hearthWatched";

/// Keeps `bounds` (just framed; None: the page set a view of its own) framed until the user
/// moves the map.
pub fn keep(map: &Map, bounds: Option<&LatLngBounds>) {
    let bounds = bounds.map_or(JsValue::UNDEFINED, JsValue::from);
    let _ = Reflect::set(map, &FRAME.into(), &bounds);
    framed_at(map);
    let _ = Reflect::set(map, &MOVED.into(), &JsValue::FALSE);
    if Reflect::has(map, &WATCHED.into()).unwrap_or(true) {
        return;
    }
    let _ = Reflect::set(map, &WATCHED.into(), &JsValue::TRUE);
    let el = map.get_container();
    for event in ["mousedown", "touchstart", "wheel", "keydown"] {
        let moved = map.clone();
        gloo_events::EventListener::new(&el, event, move |_| {
            let _ = Reflect::set(&moved, &MOVED.into(), &JsValue::TRUE);
        })
        .forget();
    }
    let watched = map.clone();
    let resized = Closure::<dyn FnMut()>::new(move || reframe(&watched));
    let observer = Reflect::get(&js_sys::global(), &"ResizeObserver".into())
        .ok()
        .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
        .and_then(|c| Reflect::construct(&c, &js_sys::Array::of1(resized.as_ref())).ok());
    let Some(observer) = observer else { return };
    call(&observer, "observe", &[&el]);
    // The observer (and the callback it holds) goes with the map.
    on(map, "unload", move |_| {
        call(&observer, "disconnect", &[]);
    });
    resized.forget();
}

/// The page moved the map for the user (an order shown from a list): the frame gives way to
/// that as it does to the user's own moves, and a later change of size keeps the view.
pub fn give_way(map: &Map) {
    let _ = Reflect::set(map, &MOVED.into(), &JsValue::TRUE);
}

/// The map's element changed size: measure it again, and frame again when it is a tenth or more
/// off the size the last frame was made for and the user has not moved the map.
fn reframe(map: &Map) {
    let el = map.get_container();
    let (w, h) = (el.client_width() as f64, el.client_height() as f64);
    if !el.is_connected() || w == 0.0 || h == 0.0 {
        return;
    }
    map.invalidate_size(false);
    let moved = Reflect::get(map, &MOVED.into()).map_or(true, |m| m.is_truthy());
    let bounds = Reflect::get(map, &FRAME.into()).unwrap_or(JsValue::UNDEFINED);
    let was = Reflect::get(map, &FRAMED_AT.into())
        .ok()
        .map(|v| js_sys::Array::from(&v))
        .map(|a| {
            (
                a.get(0).as_f64().unwrap_or(0.0),
                a.get(1).as_f64().unwrap_or(0.0),
            )
        })
        .unwrap_or((0.0, 0.0));
    let far = |now: f64, then: f64| (now - then).abs() >= then / 10.0;
    if !moved && !bounds.is_undefined() && (far(w, was.0) || far(h, was.1)) {
        map.fit_bounds_with_options(bounds.unchecked_ref(), &fit_options());
        framed_at(map);
    }
}

/// Notes the size Leaflet framed for: its own measure of the element, which is stale when the
/// element changed size since the map was made (the frame that went wrong).
fn framed_at(map: &Map) {
    let size = map.get_size();
    let _ = Reflect::set(
        map,
        &FRAMED_AT.into(),
        &js_sys::Array::of2(&size.x().into(), &size.y().into()),
    );
}
