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
            later.invalidate_size(false);
            later.fit_bounds_with_options(&bounds, &crate::planning::map::padding());
        },
        std::time::Duration::from_millis(250),
    );
}
