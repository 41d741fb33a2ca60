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

/// A draggable door pin: a teardrop whose tip marks the spot (an SVG, so it draws the same on
/// every device, emoji font or not).
pub fn door_pin_icon() -> Option<leaflet::Icon> {
    use wasm_bindgen::JsCast;
    const SVG: &str = r##"<svg viewBox="0 0 24 36" width="28" height="42" aria-hidden="true"><path d="M12 35C12 35 23 20.5 23 12A11 11 0 0 0 1 12c0 8.5 11 23 11 23z" fill="#b4232a" stroke="#fff" stroke-width="2"/><circle cx="12" cy="12" r="4.2" fill="#fff"/></svg>"##;
    let l = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("L")).ok()?;
    let f = js_sys::Reflect::get(&l, &JsValue::from_str("divIcon")).ok()?;
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"html".into(), &SVG.into());
    let _ = js_sys::Reflect::set(&opts, &"className".into(), &"pin-new".into());
    let size = js_sys::Array::of2(&28.into(), &42.into());
    let _ = js_sys::Reflect::set(&opts, &"iconSize".into(), &size);
    let anchor = js_sys::Array::of2(&14.into(), &41.into());
    let _ = js_sys::Reflect::set(&opts, &"iconAnchor".into(), &anchor);
    f.dyn_ref::<js_sys::Function>()?
        .call1(&l, &opts)
        .ok()
        .map(|v| v.unchecked_into())
}

/// A district's outline for `L.polygon`: its corners, or, when it has holes, the outline then
/// each hole. The outline's corners are also added to `all` (for framing).
pub fn district_latlngs(
    ring: &[[f64; 2]],
    holes: &[Vec<[f64; 2]>],
    all: &js_sys::Array,
) -> js_sys::Array {
    let line = |r: &[[f64; 2]], frame: bool| {
        let out = js_sys::Array::new();
        for [lat, lng] in r {
            let p = LatLng::new(*lat, *lng);
            out.push(&p);
            if frame {
                all.push(&p);
            }
        }
        out
    };
    let outline = line(ring, true);
    if holes.is_empty() {
        return outline;
    }
    let rings = js_sys::Array::new();
    rings.push(&outline);
    for h in holes {
        rings.push(&line(h, false));
    }
    rings
}
