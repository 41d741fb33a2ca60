//! The Leaflet map of districts and orders. Leaflet runs only in the browser, in an effect on
//! the map's element, and is removed when the component goes away.
use leptos::html::Div;
use leptos::prelude::*;

use super::model::PlanningData;

/// Districts as coloured polygons and orders as dots coloured by delivery day. Dragging a dot
/// onto a district-day of the calendar calls `on_assign(order id, day)`.
#[component]
pub fn PlanningMap(
    /// Districts, orders and tile settings.
    data: PlanningData,
    /// An order dropped on a calendar day.
    on_assign: Callback<(i64, String)>,
    /// An order being placed by hand: a draggable pin appears for it.
    pinning: RwSignal<Option<(i64, String)>>,
    /// Where that pin was dropped.
    on_pin: Callback<(i64, f64, f64)>,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let data = StoredValue::new(data);
        let handle = StoredValue::new_local(None::<leaflet::Map>);
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                let map = data.with_value(|d| draw(&el, d, on_assign));
                if let Ok(map) = map {
                    handle.set_value(Some(map.0.clone()));
                    let map = send_wrapper::SendWrapper::new(map);
                    on_cleanup(move || {
                        map.0.remove();
                    });
                }
            }
        });
        Effect::new(move |_| {
            if let Some((id, label)) = pinning.get() {
                handle.with_value(|h| {
                    if let Some(map) = h {
                        drop_pin(map, id, &label, on_pin);
                    }
                });
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (data, on_assign, pinning, on_pin);
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

/// `obj.method(args...)` through reflection (for Leaflet calls leaflet-rs binds wrongly or not).
#[cfg(feature = "hydrate")]
pub(crate) fn call(
    obj: &wasm_bindgen::JsValue,
    method: &str,
    args: &[&wasm_bindgen::JsValue],
) -> Option<wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let f = js_sys::Reflect::get(obj, &method.into()).ok()?;
    let f = f.dyn_ref::<js_sys::Function>()?;
    let list = js_sys::Array::new();
    for a in args {
        list.push(a);
    }
    f.apply(obj, &list).ok()
}

/// A draggable pin at the centre of the map for order `id`; where it is dropped is reported.
#[cfg(feature = "hydrate")]
fn drop_pin(map: &leaflet::Map, id: i64, label: &str, on_pin: Callback<(i64, f64, f64)>) {
    use leaflet::{Marker, MarkerOptions};
    use wasm_bindgen::JsValue;
    let opts = MarkerOptions::new();
    opts.set_draggable(true);
    if let Some(icon) = crate::runs::map::div_icon("<span>📍</span>", "pin-new", 30.0) {
        opts.set_icon(icon);
    }
    // The list is below the map: bring the map into view, then drop the pin in its middle.
    map.get_container().scroll_into_view();
    let marker = Marker::new_with_options(&map.get_center(), &opts);
    marker.add_to(map);
    let tip = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&tip, &"permanent".into(), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&tip, &"direction".into(), &"top".into());
    call(
        &marker,
        "bindTooltip",
        &[&JsValue::from_str(&format!("Drag to {label}'s door")), &tip],
    );
    let m2 = marker.clone();
    let on_end = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
        let at = m2.get_lat_lng();
        m2.remove();
        on_pin.run((id, at.lat(), at.lng()));
    });
    call(&marker, "on", &[&"dragend".into(), on_end.as_ref()]);
    on_end.forget();
}

/// The calendar cell (`td[data-day]`) under the pointer, if any: (district id, day). Looks
/// through everything stacked there, so the dragged marker itself doesn't hide the cell.
#[cfg(feature = "hydrate")]
fn cell_at(x: f64, y: f64) -> Option<(String, String)> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?.document()?;
    let stack = doc.elements_from_point(x as f32, y as f32);
    stack.iter().find_map(|el| {
        let el: web_sys::Element = el.dyn_into().ok()?;
        let cell = el.closest("td[data-day]").ok()??;
        Some((
            cell.get_attribute("data-district")?,
            cell.get_attribute("data-day")?,
        ))
    })
}

#[cfg(feature = "hydrate")]
type Listeners = Vec<wasm_bindgen::closure::Closure<dyn FnMut(wasm_bindgen::JsValue)>>;

#[cfg(feature = "hydrate")]
fn draw(
    el: &web_sys::HtmlDivElement,
    data: &PlanningData,
    on_assign: Callback<(i64, String)>,
) -> Result<(leaflet::Map, Listeners), wasm_bindgen::JsValue> {
    use js_sys::Array;
    use leaflet::{LatLng, LatLngBounds, Marker, MarkerOptions, Polygon, PolylineOptions};
    use wasm_bindgen::JsValue;

    let map = crate::ui::map::base_map(el, &data.tile_url, &data.tile_attribution)?;

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
    let mut listeners: Listeners = Vec::new();
    let today = chrono::NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
    for o in &data.orders {
        let offset = chrono::NaiveDate::parse_from_str(&o.fulfil_on, "%Y-%m-%d")
            .map(|d| (d - today).num_days().clamp(0, 13) as usize)
            .unwrap_or(0);
        let colour = super::model::DAY_COLOURS[offset];
        let opts = MarkerOptions::new();
        opts.set_draggable(true);
        if let Some(icon) = crate::runs::map::div_icon(
            &format!(
                "<span style=\"background:{colour}\" data-order=\"{}\" data-district=\"{}\" data-booked=\"{}\"></span>",
                o.id,
                o.district_id.unwrap_or(0),
                o.fulfil_on
            ),
            "order-pin",
            16.0,
        ) {
            opts.set_icon(icon);
        }
        let home = LatLng::new(o.lat, o.lng);
        let marker = Marker::new_with_options(&home, &opts);
        let _ = js_sys::Reflect::set(
            &marker,
            &"hearthOrder".into(),
            &JsValue::from_f64(o.id as f64),
        );
        let popup = format!(
            "<strong>#{}</strong> {}<br>{} · {}{}<br>{} item{} · {}{}<br><small>Drag onto a day in the calendar to move it.</small>",
            o.number,
            o.customer,
            o.fulfil_on,
            o.status.label(),
            o.window.as_deref().map(|w| format!(" · {w}")).unwrap_or_default(),
            o.items,
            if o.items == 1 { "" } else { "s" },
            o.payment,
            o.flexible.as_deref().map(|f| format!("<br>Accepts {f}")).unwrap_or_default(),
        );
        call(&marker, "bindPopup", &[&JsValue::from_str(&popup)]);
        bind_tooltip(&marker, &format!("#{} · {}", o.number, o.fulfil_on));
        // Remember where the pointer is while dragging; on release, a calendar cell under it
        // takes the order; the dot always goes back to the customer's address.
        let pointer = std::rc::Rc::new(std::cell::Cell::new((0.0f64, 0.0f64)));
        let p2 = pointer.clone();
        let on_drag =
            wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                if let Ok(ev) = js_sys::Reflect::get(&e, &"originalEvent".into()) {
                    let x = js_sys::Reflect::get(&ev, &"clientX".into())
                        .ok()
                        .and_then(|v| v.as_f64());
                    let y = js_sys::Reflect::get(&ev, &"clientY".into())
                        .ok()
                        .and_then(|v| v.as_f64());
                    if let (Some(x), Some(y)) = (x, y) {
                        p2.set((x, y));
                    }
                }
            });
        let (id, m2) = (o.id, marker.clone());
        let on_end =
            wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |_e: JsValue| {
                let (x, y) = pointer.get();
                m2.set_lat_lng(&home);
                if let Some((_, day)) = cell_at(x, y) {
                    on_assign.run((id, day));
                }
            });
        call(&marker, "on", &[&"drag".into(), on_drag.as_ref()]);
        call(&marker, "on", &[&"dragend".into(), on_end.as_ref()]);
        listeners.push(on_drag);
        listeners.push(on_end);
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
    Ok((map, listeners))
}
