//! The order markers: created once, then updated, shown and hidden in place.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Reflect};
use leaflet::{LatLng, Map, Marker, MarkerOptions};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::cell_at;
use crate::planning::model::{Filter, MapOrder, DAY_COLOURS};
use crate::ui::map::{bind_tooltip, call, div_icon, leaflet_fn as leaflet, object, on};

/// An order's delivery day as its popup and tooltip say it ("Tue 8 Dec 2026").
fn day_of(o: &MapOrder) -> String {
    crate::words::day(&o.fulfil_on, "date-short-year")
}

struct Pin {
    marker: Marker,
    order: MapOrder,
    selected: bool,
    shown: bool,
    home: Rc<std::cell::Cell<(f64, f64)>>,
}

pub struct Pins {
    pub map: Map,
    el: web_sys::HtmlDivElement,
    /// A marker-cluster group (or a plain layer group if the plugin is missing).
    group: JsValue,
    /// The shown day's runs.
    runs: JsValue,
    pins: Rc<RefCell<HashMap<i64, Pin>>>,
    today: chrono::NaiveDate,
    selected: RwSignal<Vec<i64>>,
    on_assign: Callback<(Vec<i64>, String)>,
}

impl Pins {
    pub fn new(
        map: Map,
        el: web_sys::HtmlDivElement,
        today: chrono::NaiveDate,
        selected: RwSignal<Vec<i64>>,
        on_assign: Callback<(Vec<i64>, String)>,
    ) -> Pins {
        let group = super::cluster::group();
        call(&group, "addTo", &[&map]);
        let runs = leaflet("layerGroup")
            .and_then(|f| f.call0(&JsValue::NULL).ok())
            .unwrap_or(JsValue::NULL);
        call(&runs, "addTo", &[&map]);
        Pins {
            map,
            el,
            group,
            runs,
            pins: Rc::new(RefCell::new(HashMap::new())),
            today,
            selected,
            on_assign,
        }
    }

    fn colour(&self, o: &MapOrder) -> &'static str {
        let offset = chrono::NaiveDate::parse_from_str(&o.fulfil_on, "%Y-%m-%d")
            .map(|d| (d - self.today).num_days().clamp(0, 13) as usize)
            .unwrap_or(0);
        DAY_COLOURS[offset]
    }

    fn icon(&self, o: &MapOrder, selected: bool) -> Option<leaflet::Icon> {
        div_icon(
            &format!(
                "<span style=\"background:{}\" data-order=\"{}\" data-district=\"{}\" data-booked=\"{}\"{}></span>",
                self.colour(o),
                o.id,
                o.district_id.unwrap_or(0),
                o.fulfil_on,
                if selected { " data-selected=\"\"" } else { "" }
            ),
            if selected { "order-pin order-pin-selected" } else { "order-pin" },
            16.0,
        )
    }

    /// The order's popup, in the signed-in person's language; the customer's words as text.
    fn popup(o: &MapOrder) -> String {
        use crate::ui::text::escape_html;
        use crate::words::{tr, tr_count, tr_with};
        let line = |text: String| format!("<br>{}", escape_html(&text));
        format!(
            "<strong>#{}</strong> {}<br>{} · {}{}<br>{} · {}{}{}{}<br><small>{}</small>",
            o.number,
            escape_html(&o.customer),
            escape_html(&day_of(o)),
            escape_html(&o.status.word()),
            o.window
                .as_deref()
                .map(|w| format!(" · {}", escape_html(w)))
                .unwrap_or_default(),
            escape_html(&tr_count("planning-items", o.items as usize)),
            escape_html(&tr(&format!("planning-pay-{}", o.payment))),
            o.flexible
                .as_deref()
                .map(|f| line(tr_with("planning-accepts", &[("days", f.to_string())])))
                .unwrap_or_default(),
            if o.in_run {
                line(tr("planning-popup-in-run"))
            } else {
                String::new()
            },
            o.standing
                .as_deref()
                .map(|s| line(tr_with(
                    "planning-standing-order",
                    &[("label", s.to_string())]
                )))
                .unwrap_or_default(),
            escape_html(&tr("planning-popup-hint")),
        )
    }

    fn make(&self, o: &MapOrder, selected: bool) -> Pin {
        let opts = MarkerOptions::new();
        opts.set_draggable(true);
        opts.set_title(format!("#{} {}", o.number, o.customer));
        if let Some(icon) = self.icon(o, selected) {
            opts.set_icon(icon);
        }
        let home = Rc::new(std::cell::Cell::new((o.lat, o.lng)));
        let marker = Marker::new_with_options(&LatLng::new(o.lat, o.lng), &opts);
        let _ = Reflect::set(&marker, &"hearthOrder".into(), &(o.id as f64).into());
        let _ = Reflect::set(&marker, &"hearthNumber".into(), &(o.number as f64).into());
        call(&marker, "bindPopup", &[&JsValue::from_str(&Self::popup(o))]);
        bind_tooltip(&marker, &format!("#{} · {}", o.number, day_of(o)));
        // Remember where the pointer is while dragging; on release, a calendar cell under it
        // takes the order (or the whole selection it belongs to); the dot always goes back
        // to the customer's address.
        let pointer = Rc::new(std::cell::Cell::new((0.0f64, 0.0f64)));
        let p2 = pointer.clone();
        on(&marker, "drag", move |e: JsValue| {
            if let Ok(ev) = Reflect::get(&e, &"originalEvent".into()) {
                let x = Reflect::get(&ev, &"clientX".into())
                    .ok()
                    .and_then(|v| v.as_f64());
                let y = Reflect::get(&ev, &"clientY".into())
                    .ok()
                    .and_then(|v| v.as_f64());
                if let (Some(x), Some(y)) = (x, y) {
                    p2.set((x, y));
                }
            }
        });
        let (id, m2, h2) = (o.id, marker.clone(), home.clone());
        let (selection, on_assign) = (self.selected, self.on_assign);
        on(&marker, "dragend", move |_e: JsValue| {
            let (x, y) = pointer.get();
            let (lat, lng) = h2.get();
            m2.set_lat_lng(&LatLng::new(lat, lng));
            if let Some((_, day)) = cell_at(x, y) {
                let chosen = selection.try_get_untracked().unwrap_or_default();
                let ids = if chosen.contains(&id) {
                    chosen
                } else {
                    vec![id]
                };
                on_assign.run((ids, day));
            } else {
                super::tell_off_cell(x, y);
            }
        });
        Pin {
            marker,
            order: o.clone(),
            selected,
            shown: false,
            home,
        }
    }

    /// Brings the markers in line with `orders`, `filter` and `selected`.
    pub fn sync(&self, orders: &[MapOrder], filter: &Filter, selected: &[i64]) {
        let mut pins = self.pins.borrow_mut();
        let (show, hide) = (Array::new(), Array::new());
        let mut seen = std::collections::HashSet::with_capacity(orders.len());
        for o in orders {
            seen.insert(o.id);
            let is_selected = selected.contains(&o.id);
            let pin = pins
                .entry(o.id)
                .or_insert_with(|| self.make(o, is_selected));
            if pin.order != *o || pin.selected != is_selected {
                if let Some(icon) = self.icon(o, is_selected) {
                    pin.marker.set_icon(&icon);
                }
                if (pin.order.lat, pin.order.lng) != (o.lat, o.lng) {
                    pin.home.set((o.lat, o.lng));
                    pin.marker.set_lat_lng(&LatLng::new(o.lat, o.lng));
                }
                call(
                    &pin.marker,
                    "setPopupContent",
                    &[&JsValue::from_str(&Self::popup(o))],
                );
                call(
                    &pin.marker,
                    "setTooltipContent",
                    &[&JsValue::from_str(&format!(
                        "#{} · {}",
                        o.number,
                        day_of(o)
                    ))],
                );
                pin.order = o.clone();
                pin.selected = is_selected;
            }
            let want = filter.matches(o);
            if want != pin.shown {
                if want {
                    show.push(&pin.marker)
                } else {
                    hide.push(&pin.marker)
                };
                pin.shown = want;
            }
        }
        pins.retain(|id, pin| {
            let keep = seen.contains(id);
            if !keep && pin.shown {
                hide.push(&pin.marker);
            }
            keep
        });
        self.apply(&hide, "removeLayers", "removeLayer");
        self.apply(&show, "addLayers", "addLayer");
        let shown = pins.values().filter(|p| p.shown).count();
        let _ = self.el.set_attribute("data-orders", &shown.to_string());
    }

    /// Brings order `id`'s dot into view and opens its popup: the map is scrolled to and
    /// centred on it at street level (where no neighbour's circle covers it), zoomed further
    /// if its cluster needs, and a cluster that never parts (one address) is spread out.
    pub fn show(&self, id: i64) {
        let pins = self.pins.borrow();
        let Some(pin) = pins.get(&id).filter(|p| p.shown) else {
            return;
        };
        self.map.get_container().scroll_into_view();
        crate::ui::map::give_way(&self.map);
        let zoom = self.map.get_zoom().max(super::cluster::STREET_ZOOM + 1.0);
        let still = object(&[("animate", JsValue::FALSE)]);
        call(
            &self.map,
            "setView",
            &[&pin.marker.get_lat_lng(), &zoom.into(), &still],
        );
        let marker = pin.marker.clone();
        let open = wasm_bindgen::closure::Closure::once_into_js(move || {
            call(&marker, "openPopup", &[]);
        });
        if Reflect::has(&self.group, &"zoomToShowLayer".into()).unwrap_or(false) {
            call(&self.group, "zoomToShowLayer", &[&pin.marker, &open]);
        } else {
            call(&pin.marker, "openPopup", &[]);
        }
    }

    /// Replaces the runs drawn (none when `plan` is None).
    pub fn show_runs(&self, plan: Option<&crate::runs::model::DayPlan>) {
        call(&self.runs, "clearLayers", &[]);
        if let Some(plan) = plan {
            crate::runs::map::draw_runs(plan, &self.runs, &Array::new());
        }
    }

    /// `group.many(list)` when the group has it (marker clusters), else `one` per layer.
    fn apply(&self, list: &Array, many: &str, one: &str) {
        if list.length() == 0 {
            return;
        }
        if Reflect::has(&self.group, &many.into()).unwrap_or(false) {
            call(&self.group, many, &[list]);
        } else {
            for l in list.iter() {
                call(&self.group, one, &[&l]);
            }
        }
    }

    /// Shift-drag (or any drag in select mode) draws a box; the shown orders inside it
    /// become the selection (added to it with Shift).
    pub fn box_select(&self, select_mode: RwSignal<bool>) {
        if let Ok(bz) = Reflect::get(&self.map, &"boxZoom".into()) {
            call(&bz, "disable", &[]);
        }
        let state: Rc<RefCell<Option<(LatLng, JsValue, bool)>>> = Rc::new(RefCell::new(None));
        let (map, s1) = (self.map.clone(), state.clone());
        on(&self.map, "mousedown", move |e: JsValue| {
            let ev = Reflect::get(&e, &"originalEvent".into()).unwrap_or(JsValue::NULL);
            let shift = Reflect::get(&ev, &"shiftKey".into())
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if !shift && !select_mode.try_get_untracked().unwrap_or(false) {
                return;
            }
            let Ok(at) = Reflect::get(&e, &"latlng".into()) else {
                return;
            };
            let at: LatLng = wasm_bindgen::JsCast::unchecked_into(at);
            if let Ok(dragging) = Reflect::get(&map, &"dragging".into()) {
                call(&dragging, "disable", &[]);
            }
            let rect = selection_box(&at);
            call(&rect, "addTo", &[&map]);
            *s1.borrow_mut() = Some((at, rect, shift));
        });
        let s2 = state.clone();
        on(&self.map, "mousemove", move |e: JsValue| {
            if let Some((start, rect, _)) = s2.borrow().as_ref() {
                if let Ok(at) = Reflect::get(&e, &"latlng".into()) {
                    call(rect, "setBounds", &[&Array::of2(start, &at)]);
                }
            }
        });
        let (map, s3, pins) = (self.map.clone(), state, self.pins.clone());
        let selected = self.selected;
        on(&self.map, "mouseup", move |_e: JsValue| {
            let Some((_, rect, add)) = s3.borrow_mut().take() else {
                return;
            };
            if let Ok(dragging) = Reflect::get(&map, &"dragging".into()) {
                call(&dragging, "enable", &[]);
            }
            let bounds = call(&rect, "getBounds", &[]).unwrap_or(JsValue::NULL);
            call(&rect, "remove", &[]);
            let inside: Vec<i64> = pins
                .borrow()
                .values()
                .filter(|p| p.shown)
                .filter(|p| {
                    call(
                        &bounds,
                        "contains",
                        &[&LatLng::new(p.order.lat, p.order.lng)],
                    )
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false)
                })
                .map(|p| p.order.id)
                .collect();
            selected.try_update(|s| {
                if !add {
                    s.clear();
                }
                for id in inside {
                    if !s.contains(&id) {
                        s.push(id);
                    }
                }
            });
        });
    }
}

/// The dashed box a box selection draws, starting as a point at `at`.
fn selection_box(at: &LatLng) -> JsValue {
    let bounds = Array::of2(at, at);
    let style = object(&[
        ("color", "#c2410c".into()),
        ("weight", 1.5.into()),
        ("dashArray", "4 3".into()),
        ("fillOpacity", 0.08.into()),
    ]);
    leaflet("rectangle")
        .and_then(|f| f.call2(&JsValue::NULL, &bounds, &style).ok())
        .unwrap_or(JsValue::NULL)
}
