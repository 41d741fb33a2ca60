//! Leaflet helpers shared by the planning, runs and driver maps (browser only).
use leaflet::{LatLng, LatLngBounds, Map, MapOptions, TileLayer, TileLayerOptions};
use wasm_bindgen::JsValue;

/// A map on `el` with the configured tiles; quarter-step zoom so frames fit snugly.
pub fn base_map(
    el: &web_sys::HtmlDivElement,
    tile_url: &str,
    attribution: &str,
) -> Result<Map, JsValue> {
    let options = MapOptions::default();
    options.set_zoom_snap(0.25);
    let map = Map::new_with_element(el, &options)?;
    let tiles = TileLayerOptions::new();
    tiles.set_attribution(attribution.to_string());
    tiles.set_max_zoom(19.0);
    TileLayer::new_options(tile_url, &tiles).add_to(&map);
    Ok(map)
}

/// Frames `points` (an array of LatLng) now and again once layout has settled (hydration can
/// create the map before its element has its final size); central Madrid when empty.
pub fn frame(map: &Map, points: &js_sys::Array) {
    if points.length() == 0 {
        map.set_view(&LatLng::new(40.4168, -3.7038), 12.0);
        return;
    }
    let bounds = LatLngBounds::new_from_list(points);
    map.fit_bounds_with_options(&bounds, &crate::planning::map::padding());
    let later = map.clone();
    leptos::prelude::set_timeout(
        move || {
            // The page may have moved on and removed the map meanwhile.
            if later.get_container().is_connected() {
                later.invalidate_size(false);
                later.fit_bounds_with_options(&bounds, &crate::planning::map::padding());
            }
        },
        std::time::Duration::from_millis(250),
    );
}

/// Loads vendored Leaflet plugins (scripts in order, and their styles) once per page, then runs
/// `then`. Pages that don't need a plugin never download it (the driver's phone among them).
pub fn with_plugins(
    scripts: &'static [&'static str],
    styles: &'static [&'static str],
    then: impl FnOnce() + 'static,
) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(head) = doc.head() else { return };
    for href in styles {
        if doc
            .query_selector(&format!("link[href=\"{href}\"]"))
            .ok()
            .flatten()
            .is_none()
        {
            if let Ok(link) = doc.create_element("link") {
                let _ = link.set_attribute("rel", "stylesheet");
                let _ = link.set_attribute("href", href);
                let _ = head.append_child(&link);
            }
        }
    }
    load_in_order(scripts, Box::new(then));
}

fn load_in_order(scripts: &'static [&'static str], then: Box<dyn FnOnce()>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some((src, rest)) = scripts.split_first() else {
        then();
        return;
    };
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let existing = doc
        .query_selector(&format!("script[src=\"{src}\"]"))
        .ok()
        .flatten();
    if existing
        .as_ref()
        .is_some_and(|el| el.has_attribute("data-loaded"))
    {
        load_in_order(rest, then);
        return;
    }
    let el = match existing {
        Some(el) => el,
        None => {
            let Ok(el) = doc.create_element("script") else {
                return;
            };
            let _ = el.set_attribute("src", src);
            if let Some(head) = doc.head() {
                let _ = head.append_child(&el);
            }
            el
        }
    };
    let marker = el.clone();
    let done = Closure::once(move || {
        let _ = marker.set_attribute("data-loaded", "");
        load_in_order(rest, then);
    });
    let _ = el.add_event_listener_with_callback("load", done.as_ref().unchecked_ref());
    done.forget();
}
