//! The Leaflet map of districts and orders. Leaflet runs only in the browser, in an effect on
//! the map's element, and is removed when the component goes away.
use leptos::prelude::*;

use super::model::{Filter, MapOrder, PlanningData};

/// Districts as coloured polygons and orders as dots coloured by delivery day, clustered when
/// dense. Orders are updated in place when `orders` changes (no redraw of the map); `filter`
/// shows and hides them. Dragging a dot onto a district-day of the calendar calls
/// `on_assign(orders, day)`: the whole selection when the dot is selected. Shift-drag (or drag in
/// "select area" mode) draws a box that selects the dots inside it.
#[component]
pub fn PlanningMap(
    /// Districts, tiles and the first orders.
    data: PlanningData,
    /// The current orders.
    orders: Signal<Vec<MapOrder>>,
    /// Which orders show.
    filter: Signal<Filter>,
    /// Orders selected with a box.
    selected: RwSignal<Vec<i64>>,
    /// Plain dragging draws a selection box (for pointers without a Shift key).
    select_mode: RwSignal<bool>,
    /// Orders dropped on a calendar day.
    on_assign: Callback<(Vec<i64>, String)>,
    /// An order being placed by hand: a draggable pin appears for it.
    pinning: RwSignal<Option<(i64, String)>>,
    /// Where that pin was dropped.
    on_pin: Callback<(i64, f64, f64)>,
    /// The runs of the day the filter shows, drawn as numbered lines.
    runs: Signal<Option<crate::runs::model::DayPlan>>,
    /// An order to show: the map zooms to its dot (spreading out a cluster it is in) and opens
    /// its popup, then sets this back to None (once the map is drawn, if it is not yet).
    focus: RwSignal<Option<i64>>,
) -> impl IntoView {
    let tiles = (data.tile_url.clone(), data.tile_attribution.clone());
    #[cfg(feature = "hydrate")]
    let handle = StoredValue::new_local(None::<std::rc::Rc<pins::Pins>>);
    let draw = crate::map_draw!(move |map: &leaflet::Map, el: &web_sys::HtmlDivElement| {
        let p = draw(map, el, &data, selected, select_mode, on_assign);
        p.sync(
            &orders.get_untracked(),
            &filter.get_untracked(),
            &selected.get_untracked(),
        );
        p.show_runs(runs.get_untracked().as_ref());
        // An order asked for before the map was ready (its scripts still loading).
        if let Some(id) = focus.get_untracked() {
            show(&p, id, focus);
        }
        handle.try_update_value(|h| *h = Some(std::rc::Rc::new(p)));
    });
    #[cfg(feature = "hydrate")]
    follow(
        handle,
        (orders, filter, selected),
        runs,
        (pinning, on_pin),
        focus,
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = (
        data, orders, filter, selected, on_assign, pinning, on_pin, runs, focus,
    );
    let class = Signal::derive(move || {
        if select_mode.get() {
            "map selecting"
        } else {
            "map"
        }
        .to_string()
    });
    let plugins = crate::ui::map::Plugins {
        scripts: crate::ui::vendor::CLUSTER_SCRIPTS,
        styles: crate::ui::vendor::CLUSTER_STYLES,
    };
    view! { <crate::ui::map::LeafletMap tiles draw plugins class label=crate::words::tr("planning-map-label")/> }
}

/// Keeps the drawn map in step: the dots with the orders, filter and selection; the runs
/// with the day shown; a pin to drop when an order is being placed by hand; an order to show.
#[cfg(feature = "hydrate")]
fn follow(
    handle: StoredValue<Option<std::rc::Rc<pins::Pins>>, LocalStorage>,
    (orders, filter, selected): (Signal<Vec<MapOrder>>, Signal<Filter>, RwSignal<Vec<i64>>),
    runs: Signal<Option<crate::runs::model::DayPlan>>,
    (pinning, on_pin): (RwSignal<Option<(i64, String)>>, Callback<(i64, f64, f64)>),
    focus: RwSignal<Option<i64>>,
) {
    Effect::new(move |_| {
        if let Some(id) = focus.get() {
            // Without a map yet, the order waits for it (see the draw above).
            handle.with_value(|h| {
                if let Some(p) = h {
                    show(p, id, focus);
                }
            });
        }
    });
    Effect::new(move |_| {
        let (o, f, s) = (orders.get(), filter.get(), selected.get());
        handle.with_value(|h| {
            if let Some(p) = h {
                p.sync(&o, &f, &s);
            }
        });
    });
    Effect::new(move |_| {
        let plan = runs.get();
        handle.with_value(|h| {
            if let Some(p) = h {
                p.show_runs(plan.as_ref());
            }
        });
    });
    Effect::new(move |_| {
        if let Some((id, label)) = pinning.get() {
            handle.with_value(|h| {
                if let Some(p) = h {
                    drop_pin(&p.map, id, &label, on_pin);
                }
            });
        }
    });
}

/// Shows order `id` on the map, then clears `focus`; while the map is still zooming (its first
/// frame settling as the page loads), once that zoom ends: Leaflet drops a new view asked for
/// in the middle of a zoom.
#[cfg(feature = "hydrate")]
fn show(p: &pins::Pins, id: i64, focus: RwSignal<Option<i64>>) {
    use wasm_bindgen::JsValue;
    let zooming = js_sys::Reflect::get(&p.map, &"_animatingZoom".into())
        .map(|v| v.is_truthy())
        .unwrap_or(false);
    if zooming {
        let again = wasm_bindgen::closure::Closure::once_into_js(move || {
            focus.try_set(Some(id));
        });
        crate::ui::map::call(&p.map, "once", &[&JsValue::from_str("zoomend"), &again]);
    } else {
        p.show(id);
        focus.set(None);
    }
}

/// A draggable pin at the centre of the map for order `id`; where it is dropped is reported.
#[cfg(feature = "hydrate")]
fn drop_pin(map: &leaflet::Map, id: i64, label: &str, on_pin: Callback<(i64, f64, f64)>) {
    use crate::ui::map::{call, object, on};
    use leaflet::{Marker, MarkerOptions};
    use wasm_bindgen::JsValue;
    let opts = MarkerOptions::new();
    opts.set_draggable(true);
    // Leaflet makes a marker a button: its title is the button's name.
    opts.set_title(crate::words::tr_with(
        "planning-door-pin",
        &[("label", label.to_string())],
    ));
    if let Some(icon) = crate::ui::map::door_pin_icon() {
        opts.set_icon(icon);
    }
    // The list is below the map: bring the map into view, then drop the pin in its middle.
    map.get_container().scroll_into_view();
    let marker = Marker::new_with_options(&map.get_center(), &opts);
    marker.add_to(map);
    let tip = object(&[("permanent", JsValue::TRUE), ("direction", "top".into())]);
    call(
        &marker,
        "bindTooltip",
        &[
            &JsValue::from_str(&crate::ui::text::escape_html(&crate::words::tr_with(
                "planning-door-pin",
                &[("label", label.to_string())],
            ))),
            &tip,
        ],
    );
    let m2 = marker.clone();
    on(&marker, "dragend", move |_| {
        let at = m2.get_lat_lng();
        m2.remove();
        on_pin.run((id, at.lat(), at.lng()));
    });
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

/// A marker let go over a day its district is not served: that cell is told (a `drop` event),
/// so it says why nothing moved, as it does for a dragged list row.
#[cfg(feature = "hydrate")]
pub(crate) fn tell_off_cell(x: f64, y: f64) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let off = doc
        .elements_from_point(x as f32, y as f32)
        .iter()
        .find_map(|el| {
            let el: web_sys::Element = el.dyn_into().ok()?;
            el.closest("td.cell-off").ok()?
        });
    if let (Some(cell), Ok(ev)) = (off, web_sys::Event::new("drop")) {
        let _ = cell.dispatch_event(&ev);
    }
}

#[cfg(feature = "hydrate")]
fn draw(
    map: &leaflet::Map,
    el: &web_sys::HtmlDivElement,
    data: &PlanningData,
    selected: RwSignal<Vec<i64>>,
    select_mode: RwSignal<bool>,
    on_assign: Callback<(Vec<i64>, String)>,
) -> pins::Pins {
    let all = js_sys::Array::new();
    for d in &data.districts {
        // The class names the area in the page (tests and styles find a district's shape by it).
        crate::ui::map::district_polygon(
            map,
            (&d.ring, &d.holes, &d.colour, &d.name),
            Some(format!("district-area district-{}", d.id)),
            &all,
        );
    }
    crate::ui::map::frame(map, &all);
    let today = chrono::NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
    let pins = pins::Pins::new(map.clone(), el.clone(), today, selected, on_assign);
    pins.box_select(select_mode);
    pins
}

#[cfg(feature = "hydrate")]
mod cluster;
#[cfg(feature = "hydrate")]
mod pins;
