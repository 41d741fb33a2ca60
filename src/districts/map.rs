//! The district editor's Leaflet map with Leaflet-Geoman (vendored from the npm registry by the
//! setup script): draw a new outline, move corners (snapping to neighbouring borders), drag a
//! whole district. Changes become a draft the form saves; nothing is written from here.
use js_sys::{Array, Reflect};
use leaflet::{Map, Polygon, PolylineOptions};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::edit::DistrictsData;
use crate::ui::map::{bind_tooltip, call, object, on};

/// Each district's polygon layer by id.
pub type Layers = Vec<(i64, JsValue)>;

/// The outline being drawn or redrawn: (district id, 0 for a new one; its corners).
type DraftSignal = RwSignal<Option<(i64, Vec<[f64; 2]>)>>;

/// The outer ring of a polygon layer as `[lat, lng]` corners.
fn ring_of(layer: &JsValue) -> Vec<[f64; 2]> {
    let Some(rings) = call(layer, "getLatLngs", &[]) else {
        return Vec::new();
    };
    let outer: Array = Reflect::get(&rings, &0.into())
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .unwrap_or_default();
    outer
        .iter()
        .filter_map(|p| {
            let lat = Reflect::get(&p, &"lat".into()).ok()?.as_f64()?;
            let lng = Reflect::get(&p, &"lng".into()).ok()?.as_f64()?;
            Some([lat, lng])
        })
        .collect()
}

/// Draws the districts with Geoman's toolbar; edits and new outlines go into `draft`.
pub fn draw(
    map: &Map,
    data: &DistrictsData,
    selected: RwSignal<Option<i64>>,
    draft: DraftSignal,
) -> Result<Layers, JsValue> {
    let pm = Reflect::get(map, &"pm".into())?;
    if pm.is_undefined() {
        return Err("Leaflet-Geoman did not load".into());
    }
    geoman_tools(map, &pm);
    let all = Array::new();
    let mut layers = Layers::new();
    // When an outline is finished by clicking its first corner, that click also reaches the
    // district underneath: it must not select it.
    let created_at = std::rc::Rc::new(std::cell::Cell::new(0.0f64));
    for row in &data.districts {
        let (id, layer) = district_layer(
            map,
            &row.district,
            &all,
            (selected, draft),
            created_at.clone(),
        );
        layers.push((id, layer));
    }
    // A newly drawn outline: one at a time (drawing another replaces it).
    let fresh = std::rc::Rc::new(std::cell::RefCell::new(None::<JsValue>));
    on(map, "pm:create", move |e| {
        created_at.set(js_sys::Date::now());
        let Ok(layer) = Reflect::get(&e, &"layer".into()) else {
            return;
        };
        if let Some(old) = fresh.borrow_mut().replace(layer.clone()) {
            call(&old, "remove", &[]);
        }
        draft.try_set(Some((0, ring_of(&layer))));
        selected.try_set(Some(0));
        for event in ["pm:edit", "pm:dragend"] {
            let l = layer.clone();
            on(&layer, event, move |_| {
                draft.try_set(Some((0, ring_of(&l))));
            });
        }
    });
    crate::ui::map::frame(map, &all);
    Ok(layers)
}

/// Geoman's toolbar with outlines only (no markers, lines, circles, text, cuts, removal or
/// rotation), named for screen readers; corners snap, outlines never cross themselves.
fn geoman_tools(map: &Map, pm: &JsValue) {
    let off = JsValue::FALSE;
    let controls = object(&[
        ("position", "topleft".into()),
        ("drawMarker", off.clone()),
        ("drawCircleMarker", off.clone()),
        ("drawPolyline", off.clone()),
        ("drawCircle", off.clone()),
        ("drawText", off.clone()),
        ("cutPolygon", off.clone()),
        ("removalMode", off.clone()),
        ("rotateMode", off.clone()),
    ]);
    call(pm, "addControls", &[&controls]);
    name_toolbar_buttons(map);
    let global = object(&[
        ("snappable", JsValue::TRUE),
        ("snapDistance", 20.into()),
        ("allowSelfIntersection", off.clone()),
    ]);
    call(pm, "setGlobalOptions", &[&global]);
}

/// One district's outline: its name as tooltip; a click selects it (not while drawing, nor
/// the click that finished a new outline at `created_at`); an edit or a drag goes to `draft`.
fn district_layer(
    map: &Map,
    d: &super::District,
    all: &Array,
    (selected, draft): (RwSignal<Option<i64>>, DraftSignal),
    just: std::rc::Rc<std::cell::Cell<f64>>,
) -> (i64, JsValue) {
    let ring = crate::ui::map::district_latlngs(&d.ring, &d.holes, all);
    let opts = PolylineOptions::new();
    opts.set_color(d.colour.clone());
    opts.set_weight(2.0);
    opts.set_fill_color(d.colour.clone());
    opts.set_fill_opacity(0.15);
    let poly = Polygon::new_with_options(&ring, &opts);
    bind_tooltip(&poly, &d.name);
    poly.add_to(map);
    let layer: JsValue = poly.into();
    let _ = Reflect::set(&layer, &"hearthDistrict".into(), &(d.id as f64).into());
    let id = d.id;
    let m = map.clone();
    on(&layer, "click", move |_| {
        let drawing = Reflect::get(&m, &"pm".into())
            .ok()
            .and_then(|pm| call(&pm, "globalDrawModeEnabled", &[]))
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if !drawing && js_sys::Date::now() - just.get() > 500.0 {
            selected.try_set(Some(id));
        }
    });
    for event in ["pm:edit", "pm:dragend"] {
        let l = layer.clone();
        on(&layer, event, move |_| {
            draft.try_set(Some((id, ring_of(&l))));
            selected.try_set(Some(id));
        });
    }
    (id, layer)
}

/// Thicker outline and stronger fill for the selected district.
pub fn highlight(_map: &Map, layers: &Layers, selected: Option<i64>) {
    for (id, layer) in layers {
        let on = selected == Some(*id);
        let style = object(&[
            ("weight", if on { 4.0 } else { 2.0 }.into()),
            ("fillOpacity", if on { 0.35 } else { 0.15 }.into()),
        ]);
        call(layer, "setStyle", &[&style]);
    }
}

/// Starts Geoman's polygon tool, as its toolbar button would.
pub fn start_drawing(map: &Map) {
    if let Ok(pm) = Reflect::get(map, &"pm".into()) {
        let opts = object(&[("snappable", JsValue::TRUE), ("snapDistance", 20.into())]);
        call(&pm, "enableDraw", &[&"Polygon".into(), &opts]);
    }
}

/// Geoman's toolbar buttons are links with an icon and no text; the title on their container
/// becomes each one's accessible name, so a screen reader says "Draw Polygons", not "link".
fn name_toolbar_buttons(map: &Map) {
    let Ok(buttons) = map
        .get_container()
        .query_selector_all(".leaflet-pm-toolbar .button-container")
    else {
        return;
    };
    for i in 0..buttons.length() {
        let Some(container) = buttons
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let (Some(title), Ok(Some(link))) = (
            container.get_attribute("title"),
            container.query_selector("a.leaflet-buttons-control-button"),
        ) else {
            continue;
        };
        let _ = link.set_attribute("aria-label", &title);
    }
}
