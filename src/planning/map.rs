//! The Leaflet map of districts and orders. Leaflet runs only in the browser, in an effect on
//! the map's element, and is removed when the component goes away.
use leptos::html::Div;
use leptos::prelude::*;

use super::model::PlanningData;

/// Districts as coloured polygons and orders as dots in their district's colour.
#[component]
pub fn PlanningMap(
    /// Districts, orders and tile settings.
    data: PlanningData,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let data = StoredValue::new(data);
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                let map = data.with_value(|d| draw(&el, d));
                if let Ok(map) = map {
                    let map = send_wrapper::SendWrapper::new(map);
                    on_cleanup(move || {
                        map.remove();
                    });
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = data;
    view! {
        <div class="map" node_ref=node role="region" aria-label="Map of districts and orders">
            <noscript>"The map needs JavaScript."</noscript>
        </div>
    }
}

/// A small inner margin for `fitBounds`.
#[cfg(feature = "hydrate")]
pub(crate) fn padding() -> wasm_bindgen::JsValue {
    let opts = js_sys::Object::new();
    let pad = js_sys::Array::of2(&12.0.into(), &12.0.into());
    let _ = js_sys::Reflect::set(&opts, &"padding".into(), &pad);
    opts.into()
}

/// `layer.bindTooltip(text)`. (leaflet-rs 0.5 binds this under a name Leaflet doesn't have.)
#[cfg(feature = "hydrate")]
pub(crate) fn bind_tooltip(layer: &wasm_bindgen::JsValue, text: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    if let Ok(f) = js_sys::Reflect::get(layer, &JsValue::from_str("bindTooltip")) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call1(layer, &JsValue::from_str(text));
        }
    }
}

#[cfg(feature = "hydrate")]
fn draw(
    el: &web_sys::HtmlDivElement,
    data: &PlanningData,
) -> Result<leaflet::Map, wasm_bindgen::JsValue> {
    use js_sys::Array;
    use leaflet::{
        CircleMarker, LatLng, LatLngBounds, Map, MapOptions, Polygon, PolylineOptions, TileLayer,
        TileLayerOptions,
    };
    use wasm_bindgen::JsValue;

    let options = MapOptions::default();
    // Quarter-step zoom so that the districts fill the frame instead of snapping a level out.
    options.set_zoom_snap(0.25);
    let map = Map::new_with_element(el, &options)?;
    let tiles = TileLayerOptions::new();
    tiles.set_attribution(data.tile_attribution.clone());
    tiles.set_max_zoom(19.0);
    TileLayer::new_options(&data.tile_url, &tiles).add_to(&map);

    let all = Array::new();
    for d in &data.districts {
        let ring = Array::new();
        for [lat, lng] in &d.ring {
            let p = LatLng::new(*lat, *lng);
            ring.push(&p);
            all.push(&p);
        }
        let opts = PolylineOptions::new();
        opts.set_color(d.colour.clone());
        opts.set_weight(2.0);
        opts.set_fill_color(d.colour.clone());
        opts.set_fill_opacity(0.12);
        let poly = Polygon::new_with_options(&ring, &opts);
        bind_tooltip(&poly, &d.name);
        poly.add_to(&map);
    }
    for o in &data.orders {
        let colour = data
            .districts
            .iter()
            .find(|d| Some(d.id) == o.district_id)
            .map(|d| d.colour.clone())
            .unwrap_or_else(|| "#6b5a4a".into());
        let opts = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&opts, &JsValue::from_str(k), &v);
        };
        set("radius", 6.0.into());
        set("color", "#ffffff".into());
        set("weight", 1.5.into());
        set("fillColor", colour.into());
        set("fillOpacity", 0.95.into());
        let marker = CircleMarker::new_with_options(&LatLng::new(o.lat, o.lng), &opts);
        let label = format!(
            "#{} · {} · {} · {}",
            o.number,
            o.customer,
            o.fulfil_on,
            o.status.label()
        );
        bind_tooltip(&marker, &label);
        marker.add_to(&map);
    }
    // Centre on the districts straight away, then frame them exactly once the element has
    // its final size (hydration can create the map before layout settles).
    let (mut south, mut west, mut north, mut east) = (90.0f64, 180.0f64, -90.0f64, -180.0f64);
    for [lat, lng] in data.districts.iter().flat_map(|d| d.ring.iter()) {
        south = south.min(*lat);
        north = north.max(*lat);
        west = west.min(*lng);
        east = east.max(*lng);
    }
    if all.length() > 0 {
        map.set_view(
            &LatLng::new((south + north) / 2.0, (west + east) / 2.0),
            13.0,
        );
        let bounds = LatLngBounds::new_from_list(&all);
        let later = map.clone();
        leptos::prelude::set_timeout(
            move || {
                later.invalidate_size(false);
                later.fit_bounds_with_options(&bounds, &padding());
            },
            std::time::Duration::from_millis(250),
        );
    } else {
        map.set_view(&LatLng::new(40.4168, -3.7038), 12.0);
    }
    Ok(map)
}
