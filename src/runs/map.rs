//! The runs map: the kitchen, and each run as a coloured line through numbered stops.
use leptos::prelude::*;

use super::model::DayPlan;
use crate::ui::map::LeafletMap;
use crate::words::tr;

#[component]
pub fn RunsMap(plan: DayPlan) -> impl IntoView {
    let tiles = (plan.tile_url.clone(), plan.tile_attribution.clone());
    let draw = crate::map_draw!(move |map: &leaflet::Map, _: &web_sys::HtmlDivElement| {
        let all = js_sys::Array::new();
        draw_runs(&plan, map, &all);
        crate::ui::map::frame(map, &all);
    });
    view! { <LeafletMap tiles draw label=tr("runs-map")/> }
}

/// The kitchen and each run of `plan` (a coloured line through numbered stops with their ETAs)
/// added to `target` (a map or a layer group); every point drawn is pushed to `all`.
#[cfg(feature = "hydrate")]
pub(crate) fn draw_runs(plan: &DayPlan, target: &wasm_bindgen::JsValue, all: &js_sys::Array) {
    use crate::ui::map::{bind_tooltip, call};
    use js_sys::Array;
    use leaflet::{LatLng, Polyline, PolylineOptions};
    let add = |layer: &wasm_bindgen::JsValue| {
        call(layer, "addTo", &[target]);
    };
    kitchen_marker(plan, &add, all);
    for (i, run) in plan.runs.iter().enumerate() {
        let colour = super::page::RUN_COLOURS[i % super::page::RUN_COLOURS.len()];
        let line = Array::new();
        if let Some([lat, lng]) = plan.kitchen {
            line.push(&LatLng::new(lat, lng));
        }
        for s in &run.stops {
            let p = LatLng::new(s.lat, s.lng);
            line.push(&p);
            all.push(&p);
        }
        if let Some([lat, lng]) = plan.kitchen {
            line.push(&LatLng::new(lat, lng));
        }
        let opts = PolylineOptions::new();
        opts.set_color(colour.to_string());
        opts.set_weight(4.0);
        opts.set_opacity(0.8);
        let poly = Polyline::new_with_options(&line, &opts);
        bind_tooltip(
            &poly,
            &format!(
                "{} · {} km · {}",
                run.driver,
                crate::words::number(run.distance_km, 1),
                crate::words::tr_count("runs-stops", run.stops.len())
            ),
        );
        add(&poly);
        for s in &run.stops {
            add(&stop_marker(s, colour));
        }
    }
}

/// The kitchen's pin, where every run starts and ends (when the bakery has placed it).
#[cfg(feature = "hydrate")]
fn kitchen_marker(plan: &DayPlan, add: &dyn Fn(&wasm_bindgen::JsValue), all: &js_sys::Array) {
    use crate::ui::map::{bind_tooltip, div_icon};
    use leaflet::{LatLng, Marker, MarkerOptions};
    if let Some([lat, lng]) = plan.kitchen {
        let p = LatLng::new(lat, lng);
        all.push(&p);
        let opts = MarkerOptions::new();
        opts.set_title(tr("runs-kitchen"));
        if let Some(icon) = div_icon("⌂", "kitchen-pin", 30.0) {
            opts.set_icon(icon);
        }
        let m = Marker::new_with_options(&p, &opts);
        bind_tooltip(
            &m,
            &format!("{} · {}", tr("runs-kitchen"), plan.kitchen_address),
        );
        add(&m);
    }
}

/// A stop's numbered pin in its run's colour, with its customer, order, ETA and window.
#[cfg(feature = "hydrate")]
fn stop_marker(s: &super::model::RunStop, colour: &str) -> wasm_bindgen::JsValue {
    use crate::ui::map::{bind_tooltip, div_icon};
    use leaflet::{LatLng, Marker, MarkerOptions};
    let opts = MarkerOptions::new();
    // Out of the keyboard's way: the list beside the map is where stops are worked on
    // (and pins this close together would be too small a target to tab or tap).
    opts.set_keyboard(false);
    let html = format!("<span style=\"background:{colour}\">{}</span>", s.seq);
    if let Some(icon) = div_icon(&html, "stop-pin", 24.0) {
        opts.set_icon(icon);
    }
    let m = Marker::new_with_options(&LatLng::new(s.lat, s.lng), &opts);
    let window = s
        .window
        .clone()
        .map(|w| {
            format!(
                " · {}",
                crate::words::tr_with("runs-window", &[("window", w)])
            )
        })
        .unwrap_or_default();
    bind_tooltip(
        &m,
        &format!(
            "{}. {} #{} · {}{}",
            s.seq,
            s.customer,
            s.number,
            crate::words::tr_with("driver-eta", &[("time", s.eta.clone())]),
            window
        ),
    );
    m.into()
}
