//! The small map of the driver's run: the kitchen, the line through the stops, numbered pins.
use leptos::prelude::*;

use crate::driver::api::DriverDay;
#[cfg(feature = "hydrate")]
use crate::orders::model::OrderStatus;
use crate::words::tr;

/// A small map of the run: the kitchen, the line through the stops, numbered pins.
#[component]
pub(super) fn RunMap(day: DriverDay) -> impl IntoView {
    let tiles = (day.tile_url.clone(), day.tile_attribution.clone());
    let draw = crate::map_draw!(move |map: &leaflet::Map, _: &web_sys::HtmlDivElement| {
        draw_run(map, &day)
    });
    view! { <crate::ui::map::LeafletMap tiles draw class="map map-small" label=tr("driver-map")/> }
}

#[cfg(feature = "hydrate")]
fn draw_run(map: &leaflet::Map, day: &DriverDay) {
    use crate::ui::map::div_icon;
    use leaflet::{LatLng, Marker, MarkerOptions, Polyline, PolylineOptions};
    let line = js_sys::Array::new();
    if let Some([lat, lng]) = day.kitchen {
        line.push(&LatLng::new(lat, lng));
        let opts = MarkerOptions::new();
        // A picture of the run: the stops' list below is what the driver works with.
        opts.set_interactive(false);
        opts.set_keyboard(false);
        if let Some(icon) = div_icon("⌂", "kitchen-pin", 26.0) {
            opts.set_icon(icon);
        }
        Marker::new_with_options(&LatLng::new(lat, lng), &opts).add_to(map);
    }
    for (i, s) in day.stops.iter().enumerate() {
        let (Some(lat), Some(lng)) = (s.lat, s.lng) else {
            continue;
        };
        let p = LatLng::new(lat, lng);
        line.push(&p);
        let opts = MarkerOptions::new();
        opts.set_interactive(false);
        opts.set_keyboard(false);
        let done = s.status == OrderStatus::Delivered || s.outcome.is_some();
        let colour = if done { "#a89c91" } else { "#7a3e12" };
        if let Some(icon) = div_icon(
            &format!("<span style=\"background:{colour}\">{}</span>", i + 1),
            "stop-pin",
            24.0,
        ) {
            opts.set_icon(icon);
        }
        Marker::new_with_options(&p, &opts).add_to(map);
    }
    if let Some([lat, lng]) = day.kitchen {
        line.push(&LatLng::new(lat, lng));
    }
    let opts = PolylineOptions::new();
    opts.set_color("#7a3e12".to_string());
    opts.set_weight(4.0);
    opts.set_opacity(0.75);
    Polyline::new_with_options(&line, &opts).add_to(map);
    crate::ui::map::frame(map, &line);
}
