//! The planning map's clusters: numbered circles for dots close together. Zoomed out, dots
//! within 40 px make one circle; from street level on only dots that would cover each other
//! do (two orders to one building never part by zooming), and a click spreads them around
//! their address, each one to hover, open or drag. (Clustering used to stop at street level,
//! and the lower of two such dots could not be reached on the map.)
use js_sys::{Array, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

use crate::ui::map::{call, div_icon, leaflet_fn as leaflet, object};

/// The zoom from which a map shows streets; clusters then only hold dots that cover each other.
pub(super) const STREET_ZOOM: f64 = 15.0;
/// How close two 16 px dots' centres are when one mostly hides the other.
const COVERING_PX: f64 = 10.0;

/// A cluster's circle: its count, and as its name (a tooltip, and words for screen readers)
/// how many orders it holds and their numbers.
fn cluster_icon(cluster: JsValue) -> JsValue {
    let markers: Array = call(&cluster, "getAllChildMarkers", &[])
        .map(wasm_bindgen::JsCast::unchecked_into)
        .unwrap_or_default();
    let n = markers.length() as usize;
    let mut numbers: Vec<i64> = markers
        .iter()
        .filter_map(|m| Reflect::get(&m, &"hearthNumber".into()).ok()?.as_f64())
        .map(|number| number as i64)
        .collect();
    numbers.sort_unstable();
    let mut numbers: Vec<String> = numbers.iter().map(|n| format!("#{n}")).collect();
    if numbers.len() > 8 {
        numbers.truncate(8);
        numbers.push("…".into());
    }
    let label = format!(
        "{}: {}",
        crate::words::tr_count("planning-cluster", n),
        numbers.join(", ")
    );
    let size = match n {
        0..10 => "small",
        10..100 => "medium",
        _ => "large",
    };
    div_icon(
        &format!(
            "<div title=\"{label}\"><span aria-hidden=\"true\">{n}</span><span class=\"sr-only\">{label}</span></div>",
            label = crate::ui::text::escape_html(&label)
        ),
        &format!("marker-cluster marker-cluster-{size}"),
        40.0,
    )
    .map(JsValue::from)
    .unwrap_or(JsValue::NULL)
}

/// The layer the order dots go in: a marker-cluster group (a plain layer group if the plugin
/// is missing).
pub(super) fn group() -> JsValue {
    let radius = Closure::<dyn Fn(f64) -> f64>::new(|zoom: f64| {
        if zoom >= STREET_ZOOM {
            COVERING_PX
        } else {
            40.0
        }
    });
    let icon = Closure::<dyn Fn(JsValue) -> JsValue>::new(cluster_icon);
    let opts = object(&[
        ("maxClusterRadius", radius.into_js_value()),
        ("iconCreateFunction", icon.into_js_value()),
        ("showCoverageOnHover", JsValue::FALSE),
        ("spiderfyOnMaxZoom", JsValue::TRUE),
        ("chunkedLoading", JsValue::TRUE),
    ]);
    leaflet("markerClusterGroup")
        .or_else(|| leaflet("layerGroup"))
        .and_then(|f| f.call1(&JsValue::NULL, &opts).ok())
        .unwrap_or(JsValue::NULL)
}
