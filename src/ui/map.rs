//! Every Leaflet map in Hearth is a [`LeafletMap`]: it makes the map on its element (loading any
//! plugins first), hands it to the page's draw callback, and removes it when the component
//! goes away. The pages (planning, districts, runs, the drawer's door pin, the driver's run)
//! only say what to draw, with the helpers below; Leaflet interop lives in this file and in
//! `frame` (which keeps a map framed while its element settles).
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
pub use glue::*;

#[cfg(feature = "hydrate")]
mod frame;
#[cfg(feature = "hydrate")]
pub use frame::give_way;

/// Leaflet plugins a map needs before it is drawn: scripts (loaded in order) and styles.
#[derive(Clone, Copy, Default)]
pub struct Plugins {
    pub scripts: &'static [&'static str],
    pub styles: &'static [&'static str],
}

/// What a page draws on its new map: called once the map (and its plugins) exist, with the map
/// and its element. Whatever the page keeps for later updates it stores itself.
#[derive(Clone, Default)]
pub struct Draw {
    #[cfg(feature = "hydrate")]
    f: Option<std::rc::Rc<dyn Fn(&leaflet::Map, &web_sys::HtmlDivElement)>>,
}

impl Draw {
    /// The draw callback (browser only; the server renders the empty element).
    #[cfg(feature = "hydrate")]
    pub fn new(f: impl Fn(&leaflet::Map, &web_sys::HtmlDivElement) + 'static) -> Draw {
        Draw {
            f: Some(std::rc::Rc::new(f)),
        }
    }
}

/// `Draw::new(closure)` in the browser, nothing on the server (where the closure, which names
/// Leaflet types, is not compiled).
#[macro_export]
macro_rules! map_draw {
    ($f:expr) => {{
        #[cfg(feature = "hydrate")]
        let d = $crate::ui::map::Draw::new($f);
        #[cfg(not(feature = "hydrate"))]
        let d = $crate::ui::map::Draw::default();
        d
    }};
}

/// A Leaflet map with the configured tiles: `draw` runs once it exists; it is removed (with
/// everything drawn on it) when the component is.
#[component]
pub fn LeafletMap(
    /// Tile URL template and attribution.
    tiles: (String, String),
    /// What the page draws.
    draw: Draw,
    /// What the map shows, said to screen readers.
    #[prop(into)]
    label: String,
    /// The element's classes.
    #[prop(into, default = Signal::stored("map".to_string()))]
    class: Signal<String>,
    /// Plugins loaded before drawing.
    #[prop(optional)]
    plugins: Plugins,
    /// Said when scripts don't run.
    #[prop(default = "The map needs JavaScript.")]
    no_script: &'static str,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let tiles = StoredValue::new(tiles);
        let draw = StoredValue::new_local(draw);
        Effect::new(move |_| {
            let Some(el) = node.get() else { return };
            // The map exists once the plugins have loaded; it is removed whenever that was.
            let slot = std::rc::Rc::new(std::cell::RefCell::new(None::<leaflet::Map>));
            let later = slot.clone();
            // Leaflet is fetched once the page is interactive, so on a slow link it never
            // competes with the page's own code (the driver's stops come first, issue 17).
            after_hydration(move || {
                with_plugins(plugins.scripts, plugins.styles, move || {
                    let Some(Ok(map)) = tiles.try_with_value(|t| base_map(&el, &t.0, &t.1)) else {
                        return;
                    };
                    if let Some(Some(f)) = draw.try_with_value(|d| d.f.clone()) {
                        f(&map, &el);
                    }
                    *later.borrow_mut() = Some(map);
                })
            });
            let slot = send_wrapper::SendWrapper::new(slot);
            on_cleanup(move || {
                if let Some(map) = slot.borrow_mut().take() {
                    map.remove();
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (tiles, draw, plugins);
    view! {
        <div class=move || class.get() node_ref=node role="region" aria-label=label>
            <noscript>{no_script}</noscript>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod glue {
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

    /// Frames `points` (an array of LatLng), and keeps them framed while the map's element
    /// settles (`frame`); central Madrid when empty.
    pub fn frame(map: &Map, points: &js_sys::Array) {
        if points.length() == 0 {
            map.set_view(&LatLng::new(40.4168, -3.7038), 12.0);
            super::frame::keep(map, None);
            return;
        }
        let bounds = LatLngBounds::new_from_list(points);
        map.fit_bounds_with_options(&bounds, &fit_options());
        super::frame::keep(map, Some(&bounds));
    }

    /// The document's `<meta name="hearth-leaflet">` (`app::shell`), which names Leaflet's
    /// files and its plugins' by content.
    fn leaflet_meta() -> Option<web_sys::Element> {
        web_sys::window().and_then(|w| w.document()).and_then(|d| {
            d.query_selector("meta[name=\"hearth-leaflet\"]")
                .ok()
                .flatten()
        })
    }

    /// Leaflet's own script and style as the page links them (by content, so the browser and
    /// the service worker keep them): the document names them in `leaflet_meta`; the plain
    /// paths when it does not.
    fn leaflet_files() -> (String, String) {
        let meta = leaflet_meta();
        let named = |attr: &str, plain: &str| {
            meta.as_ref()
                .and_then(|m| m.get_attribute(attr))
                .unwrap_or_else(|| plain.to_string())
        };
        (
            named("content", "/vendor/leaflet/leaflet.js"),
            named("data-css", "/vendor/leaflet/leaflet.css"),
        )
    }

    /// A plugin's file (one of `PLUGIN_FILES`) as the page links it: by content when the
    /// document names it, so a returning visit asks the network for nothing.
    fn plugin_file(plain: &str) -> String {
        leaflet_meta()
            .and_then(|m| m.get_attribute("data-plugins"))
            .and_then(|named| {
                named
                    .split_whitespace()
                    .find(|n| n.split('?').next() == Some(plain))
                    .map(str::to_string)
            })
            .unwrap_or_else(|| plain.to_string())
    }

    /// Runs `then` once the page is hydrated: at once when it already is (a map opened later),
    /// else when `crate::hydrate` announces it (`hearth-hydrated` on the window).
    pub fn after_hydration(then: impl FnOnce() + 'static) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let hydrated = window
            .document()
            .and_then(|d| d.body())
            .is_some_and(|b| b.has_attribute("data-hydrated"));
        if hydrated {
            then();
        } else {
            // Fires once, with the page's lifetime.
            gloo_events::EventListener::once(&window, crate::HYDRATED, move |_| then()).forget();
        }
    }

    /// Loads Leaflet itself and the page's vendored plugins (scripts and their styles), each
    /// once per page, then runs `then`. Only pages with a map download Leaflet (a sign-in never
    /// does; the driver's run list is usable before its map arrives), and only pages that need
    /// a plugin download it (the driver's phone needs none). The files download side by side
    /// and the scripts run in order (`async = false`); `then` waits for the scripts and
    /// Leaflet's style. When one fails (offline and never cached) there is no map, and the
    /// next map on the page tries again.
    pub fn with_plugins(
        scripts: &'static [&'static str],
        styles: &'static [&'static str],
        then: impl FnOnce() + 'static,
    ) {
        let (leaflet_js, leaflet_css) = leaflet_files();
        let mut waiting = Vec::new();
        waiting.extend(file("link", &leaflet_css));
        for href in styles {
            // The plugins' styles are not waited for: nothing is laid out by them at once.
            let _ = file("link", &plugin_file(href));
        }
        let scripts = scripts.iter().map(|s| plugin_file(s));
        for src in std::iter::once(leaflet_js).chain(scripts) {
            waiting.extend(file("script", &src));
        }
        let left = std::rc::Rc::new(std::cell::Cell::new(waiting.len()));
        let then = std::rc::Rc::new(std::cell::RefCell::new(Some(
            Box::new(then) as Box<dyn FnOnce()>
        )));
        if waiting.is_empty() {
            if let Some(f) = then.borrow_mut().take() {
                f();
            }
            return;
        }
        for el in waiting {
            let (left, then, marker) = (left.clone(), then.clone(), el.clone());
            gloo_events::EventListener::once(&el, "load", move |_| {
                let _ = marker.set_attribute("data-loaded", "");
                left.set(left.get() - 1);
                if left.get() == 0 {
                    if let Some(f) = then.borrow_mut().take() {
                        f();
                    }
                }
            })
            // Each fires once, with the page's lifetime.
            .forget();
            let failed = el.clone();
            gloo_events::EventListener::once(&el, "error", move |_| failed.remove()).forget();
        }
    }

    /// The page's `<link>` (a stylesheet) or `<script>` for `url`, added when missing; `None`
    /// once it has loaded.
    fn file(tag: &str, url: &str) -> Option<web_sys::Element> {
        let doc = web_sys::window().and_then(|w| w.document())?;
        let attr = if tag == "link" { "href" } else { "src" };
        let found = doc
            .query_selector(&format!("{tag}[{attr}=\"{url}\"]"))
            .ok()
            .flatten();
        if let Some(el) = found {
            return (!el.has_attribute("data-loaded")).then_some(el);
        }
        let el = doc.create_element(tag).ok()?;
        if tag == "link" {
            let _ = el.set_attribute("rel", "stylesheet");
        } else {
            // Added scripts run as they arrive unless told otherwise: these run in order.
            let _ = js_sys::Reflect::set(&el, &"async".into(), &false.into());
        }
        let _ = el.set_attribute(attr, url);
        doc.head()?.append_child(&el).ok()?;
        Some(el)
    }

    /// A draggable door pin: a teardrop whose tip marks the spot (an SVG, so it draws the same on
    /// every device, emoji font or not).
    pub fn door_pin_icon() -> Option<leaflet::Icon> {
        use wasm_bindgen::JsCast;
        const SVG: &str = r##"<svg viewBox="0 0 24 36" width="28" height="42" aria-hidden="true"><path d="M12 35C12 35 23 20.5 23 12A11 11 0 0 0 1 12c0 8.5 11 23 11 23z" fill="#b4232a" stroke="#fff" stroke-width="2"/><circle cx="12" cy="12" r="4.2" fill="#fff"/></svg>"##;
        let opts = object(&[
            ("html", SVG.into()),
            ("className", "pin-new".into()),
            (
                "iconSize",
                js_sys::Array::of2(&28.into(), &42.into()).into(),
            ),
            (
                "iconAnchor",
                js_sys::Array::of2(&14.into(), &41.into()).into(),
            ),
        ]);
        leaflet_fn("divIcon")?
            .call1(&JsValue::NULL, &opts)
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

    /// A small inner margin for `fitBounds`, and how close it may come: a day with one order
    /// (or orders at one address) shows its street and the streets around, not one building
    /// at Leaflet's closest zoom.
    pub fn fit_options() -> JsValue {
        // Markers are drawn centred on their point (24 px numbered pins): keep half a marker and a
        // margin clear on every side, and the attribution strip clear at the bottom.
        let opts = js_sys::Object::new();
        let top_left = js_sys::Array::of2(&24.0.into(), &24.0.into());
        let bottom_right = js_sys::Array::of2(&24.0.into(), &36.0.into());
        let _ = js_sys::Reflect::set(&opts, &"paddingTopLeft".into(), &top_left);
        let _ = js_sys::Reflect::set(&opts, &"paddingBottomRight".into(), &bottom_right);
        let _ = js_sys::Reflect::set(&opts, &"maxZoom".into(), &16.0.into());
        opts.into()
    }

    /// `layer.bindTooltip(text)` with `text` shown as text (Leaflet would read it as HTML).
    /// (leaflet-rs 0.5 binds this under a name Leaflet doesn't have.)
    pub fn bind_tooltip(layer: &JsValue, text: &str) {
        call(
            layer,
            "bindTooltip",
            &[&JsValue::from_str(&crate::ui::text::escape_html(text))],
        );
    }

    /// `obj.method(args...)` through reflection (for Leaflet calls leaflet-rs binds wrongly or not).
    pub fn call(obj: &JsValue, method: &str, args: &[&JsValue]) -> Option<JsValue> {
        use wasm_bindgen::JsCast;
        let f = js_sys::Reflect::get(obj, &method.into()).ok()?;
        let f = f.dyn_ref::<js_sys::Function>()?;
        let list = js_sys::Array::new();
        for a in args {
            list.push(a);
        }
        f.apply(obj, &list).ok()
    }

    /// `target.on(event, f)`; the listener lives as long as the page's map.
    pub fn on(target: &JsValue, event: &str, f: impl FnMut(JsValue) + 'static) {
        let cb = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(f);
        call(target, "on", &[&event.into(), cb.as_ref()]);
        cb.forget();
    }

    /// A plain options object from pairs.
    pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
        let o = js_sys::Object::new();
        for (k, v) in pairs {
            let _ = js_sys::Reflect::set(&o, &(*k).into(), v);
        }
        o.into()
    }

    /// `L.<name>` (a factory such as `layerGroup` or a plugin's `markerClusterGroup`), if loaded.
    pub fn leaflet_fn(name: &str) -> Option<js_sys::Function> {
        use wasm_bindgen::JsCast;
        let l = js_sys::Reflect::get(&js_sys::global(), &"L".into()).ok()?;
        js_sys::Reflect::get(&l, &name.into()).ok()?.dyn_into().ok()
    }

    /// `L.divIcon({html, className, iconSize})` (leaflet-rs 0.5 binds DivIcon to `L.Icon`).
    pub fn div_icon(html: &str, class: &str, size: f64) -> Option<leaflet::Icon> {
        use wasm_bindgen::JsCast;
        let sz = js_sys::Array::of2(&size.into(), &size.into());
        let opts = object(&[
            ("html", html.into()),
            ("className", class.into()),
            ("iconSize", sz.into()),
        ]);
        leaflet_fn("divIcon")?
            .call1(&JsValue::NULL, &opts)
            .ok()
            .map(|v| v.unchecked_into())
    }

    /// A district's outline drawn on `target` in its colour, its name as the tooltip; `class`
    /// names the shape in the page when given. The outline's corners are added to `all`.
    pub fn district_polygon(
        target: &Map,
        d: (&[[f64; 2]], &[Vec<[f64; 2]>], &str, &str),
        class: Option<String>,
        all: &js_sys::Array,
    ) -> leaflet::Polygon {
        let (ring, holes, colour, name) = d;
        let opts = leaflet::PolylineOptions::new();
        opts.set_color(colour.to_string());
        opts.set_weight(2.0);
        opts.set_fill_color(colour.to_string());
        opts.set_fill_opacity(0.12);
        if let Some(c) = class {
            let _ = js_sys::Reflect::set(&opts, &"className".into(), &c.into());
        }
        let poly = leaflet::Polygon::new_with_options(&district_latlngs(ring, holes, all), &opts);
        bind_tooltip(&poly, name);
        poly.add_to(target);
        poly
    }
}
