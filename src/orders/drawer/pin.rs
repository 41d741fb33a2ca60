//! The door's pin on a small map over the districts, or typed as coordinates.
use leptos::prelude::*;

/// The door's pin: drag it on a small map over the districts, or type its coordinates (the
/// keyboard way). The inputs are named `lat` and `lng` (or `names`) for the forms that post
/// them.
#[component]
pub(crate) fn DoorPin(
    /// Where the pin is (None until placed).
    pin: RwSignal<Option<(f64, f64)>>,
    /// Tile URL template and attribution.
    tiles: (String, String),
    /// District outlines under the pin.
    districts: Vec<crate::districts::District>,
    /// The names the two inputs post under.
    #[prop(default = ("lat", "lng"))]
    names: (&'static str, &'static str),
    /// What the map is for, said to screen readers (the key of its message).
    #[prop(default = "pin-map-door")]
    label: &'static str,
) -> impl IntoView {
    let label = crate::words::tr(label);
    let draw = crate::map_draw!(move |map: &leaflet::Map, _: &web_sys::HtmlDivElement| {
        pin_map(map, &districts, pin)
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = districts;
    // What is typed in the two fields; the pin moves once both read as numbers, and a dragged
    // pin rewrites them (never the other field while one is being typed).
    let fmt = |v: f64| format!("{v:.6}");
    let texts = RwSignal::new(
        pin.get_untracked()
            .map(|p| (fmt(p.0), fmt(p.1)))
            .unwrap_or_default(),
    );
    Effect::new(move |_| {
        if let Some((a, b)) = pin.get() {
            let (ta, tb) = texts.get_untracked();
            let same = |t: &str, v: f64| t.trim().parse::<f64>().ok() == Some(v);
            if !same(&ta, a) || !same(&tb, b) {
                texts.set((fmt(a), fmt(b)));
            }
        }
    });
    let coord =
        move |i: usize| move || texts.with(|t| if i == 0 { t.0.clone() } else { t.1.clone() });
    let set_coord = move |i: usize| {
        move |e: leptos::ev::Event| {
            let v = event_target_value(&e);
            texts.update(|t| if i == 0 { t.0 = v } else { t.1 = v });
            let (a, b) = texts.get_untracked();
            if let (Ok(a), Ok(b)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                pin.set(Some((a, b)));
            }
        }
    };
    view! {
        <crate::ui::map::LeafletMap tiles draw class="map pin-map" label/>
        <div class="form-row coords">
            <label class="field"><span>{crate::words::tr("pin-latitude")}</span>
                <input name=names.0 inputmode="decimal" prop:value=coord(0) on:change=set_coord(0) placeholder=crate::words::tr("pin-drag")/></label>
            <label class="field"><span>{crate::words::tr("pin-longitude")}</span>
                <input name=names.1 inputmode="decimal" prop:value=coord(1) on:change=set_coord(1) placeholder=crate::words::tr("pin-drag")/></label>
        </div>
    }
}

/// A small map with a draggable door pin that writes its place into `at` (and follows `at`
/// when the coordinates are typed).
#[cfg(feature = "hydrate")]
fn pin_map(
    map: &leaflet::Map,
    districts: &[crate::districts::District],
    at: RwSignal<Option<(f64, f64)>>,
) {
    use crate::ui::map::{district_polygon, on};
    use leaflet::{LatLng, Marker, MarkerOptions};
    // The districts under the pin, so the border is visible even without tiles (offline).
    let all = js_sys::Array::new();
    for d in districts {
        district_polygon(map, (&d.ring, &d.holes, &d.colour, &d.name), None, &all);
    }
    let start = at.get_untracked();
    match start {
        Some((lat, lng)) => {
            map.set_view(&LatLng::new(lat, lng), 15.0);
        }
        None => crate::ui::map::frame(map, &all),
    }
    let opts = MarkerOptions::new();
    opts.set_draggable(true);
    opts.set_title("The door: drag to where it is".to_string());
    if let Some(icon) = crate::ui::map::door_pin_icon() {
        opts.set_icon(icon);
    }
    let marker = Marker::new_with_options(&map.get_center(), &opts);
    marker.add_to(map);
    let m2 = marker.clone();
    on(&marker, "dragend", move |_| {
        let p = m2.get_lat_lng();
        at.set(Some((p.lat(), p.lng())));
    });
    let m3 = send_wrapper::SendWrapper::new(marker);
    let map2 = send_wrapper::SendWrapper::new(map.clone());
    Effect::new(move |_| {
        if let Some((lat, lng)) = at.get() {
            let p = m3.get_lat_lng();
            if (p.lat() - lat).abs() > 1e-9 || (p.lng() - lng).abs() > 1e-9 {
                m3.set_lat_lng(&LatLng::new(lat, lng));
                map2.pan_to(&LatLng::new(lat, lng));
            }
        }
    });
}
