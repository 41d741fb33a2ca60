//! `/planning/districts`: draw and edit delivery districts on the map (Leaflet-Geoman), set
//! their days, fee, minimum and capacity, and move them in and out as GeoJSON.
use leptos::prelude::*;
use leptos_router::components::A;

use super::edit::{
    get_districts, DeleteDistrict, DistrictChange, DistrictsData, ImportDistricts, SaveDistrict,
};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_count, tr_with};

mod form;
use form::DistrictForm;

/// A district's outline being drawn or changed, not saved yet: (district id or 0 for a new one,
/// corners as `[lat, lng]`).
type Draft = Option<(i64, Vec<[f64; 2]>)>;

/// The district editor.
#[component]
pub fn DistrictsPage() -> impl IntoView {
    let save = ServerAction::<SaveDistrict>::new();
    let remove = ServerAction::<DeleteDistrict>::new();
    let import = ServerAction::<ImportDistricts>::new();
    // Read again after a change that took; a refused one keeps the form as typed.
    let changed = RwSignal::new(0u32);
    let data = Resource::new(move || changed.get(), |_| get_districts());
    let selected = RwSignal::new(None::<i64>);
    let draft = RwSignal::new(None as Draft);
    // One message at a time: the latest save, import or delete.
    let toast = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(change)) => {
            draft.set(None);
            selected.set(Some(change.id));
            toast.set(Some((true, summary(&change))));
            changed.update(|n| *n += 1);
        }
        Some(Err(e)) => toast.set(Some((false, e.to_string()))),
        None => {}
    });
    Effect::new(move |_| match import.value().get() {
        Some(Ok(change)) => {
            toast.set(Some((true, summary(&change))));
            changed.update(|n| *n += 1);
        }
        Some(Err(e)) => toast.set(Some((false, e.to_string()))),
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(name)) => {
            draft.set(None);
            selected.set(None);
            toast.set(Some((
                true,
                tr_with("districts-deleted", &[("name", name.clone())]),
            )));
            changed.update(|n| *n += 1);
        }
        Some(Err(e)) => toast.set(Some((false, e.to_string()))),
        None => {}
    });
    view! {
        <PageHeader title=tr("audit-kind-districts") subtitle=tr("districts-subtitle")>
            <A href="/planning" attr:class="btn btn-ghost">{tr("districts-back")}</A>
        </PageHeader>
        <Transition fallback=|| view! { <Loading label=tr("districts-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <DistrictsView data=d selected draft save remove import/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        {move || toast.get().map(|(ok, text)| if ok {
            view! { <div class="toast" role="status"><span>{text}</span></div> }.into_any()
        } else {
            view! { <div class="toast toast-error" role="alert"><span>{text}</span></div> }.into_any()
        })}
    }
}

/// What a save or import did.
fn summary(c: &DistrictChange) -> String {
    let moved = match c.moved {
        0 => String::new(),
        n => format!(" · {}", tr_count("districts-moved", n)),
    };
    format!("{}{moved}", c.summary)
}

#[component]
fn DistrictsView(
    data: DistrictsData,
    selected: RwSignal<Option<i64>>,
    draft: RwSignal<Draft>,
    save: ServerAction<SaveDistrict>,
    remove: ServerAction<DeleteDistrict>,
    import: ServerAction<ImportDistricts>,
) -> impl IntoView {
    let draw = RwSignal::new(0u32);
    let rows = StoredValue::new(data.districts.clone());
    let count = data.districts.len();
    let list = data
        .districts
        .iter()
        .map(|r| {
            let id = r.district.id;
            let d = &r.district;
            view! {
                <li>
                    <button class="district-row" class:active=move || selected.get() == Some(id)
                        on:click=move |_| { selected.set(Some(id)); }>
                        <span class="swatch" style=format!("background:{}", d.colour)></span>
                        <span class="district-row-name">{d.name.clone()}</span>
                        <small class="muted">{format!("{} · {}", crate::words::weekdays(d.served_weekdays), tr_with("districts-stops-day", &[("count", d.capacity_per_day.to_string())]))}</small>
                        <small class="muted">{match r.upcoming { 0 => tr("districts-no-upcoming"), n => tr_count("districts-upcoming", n as usize) }}</small>
                    </button>
                </li>
            }
        })
        .collect_view();
    let needs = data.needs_location;
    view! {
        <div class="districts-layout">
            <div class="card planning-map districts-map">
                <DistrictEditorMap data=data.clone() selected draft draw/>
                <div class="map-legend">
                    <button class="btn btn-primary btn-small" on:click=move |_| draw.update(|n| *n += 1)>{tr("districts-draw")}</button>
                    <span>{tr("districts-draw-hint")}</span>
                </div>
            </div>
            <div class="districts-side">
                {move || selected.get().map(|id| {
                    let row = rows.with_value(|rs| rs.iter().find(|r| r.district.id == id).cloned());
                    view! { <DistrictForm id row draft selected save remove/> }
                })}
                <section class="card">
                    <h2>{tr_count("districts-count", count)}</h2>
                    {(needs > 0).then(|| view! {
                        <p class="pill pill-warn">{tr_with("districts-outside", &[("count", needs.to_string())])}</p>
                    })}
                    <ul class="district-list">{list}</ul>
                </section>
                <GeoJsonCard import/>
            </div>
        </div>
    }
}

/// Export every district as a `.geojson` file, or import one.
#[component]
fn GeoJsonCard(import: ServerAction<ImportDistricts>) -> impl IntoView {
    let export_error = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let input: Option<web_sys::HtmlInputElement> =
                ev.target().and_then(|t| t.dyn_into().ok());
            if let Some(file) = input
                .as_ref()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            {
                let input = input.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        import.dispatch(ImportDistricts {
                            geojson: text.as_string().unwrap_or_default(),
                        });
                    }
                    if let Some(i) = input {
                        i.set_value("");
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, import);
    };
    let on_export = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match super::edit::export_districts().await {
                Ok(text) => {
                    crate::ui::files::download("districts.geojson", "application/geo+json", &text)
                }
                Err(e) => export_error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="card">
            <h2>"GeoJSON"</h2>
            <p class="muted small">{tr("districts-geojson-hint")}</p>
            <div class="runs-buttons">
                <button class="btn" on:click=on_export>{tr("districts-export")}</button>
                <label class="btn file-button">
                    {tr("districts-import")}
                    <input type="file" accept=".geojson,.json,application/geo+json,application/json" on:change=on_file aria-label=tr("districts-import-label")/>
                </label>
            </div>
            {move || export_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </section>
    }
}

/// The districts on the map with Geoman's drawing and editing tools.
#[component]
fn DistrictEditorMap(
    data: DistrictsData,
    selected: RwSignal<Option<i64>>,
    draft: RwSignal<Draft>,
    /// Bumped to start drawing a new district.
    draw: RwSignal<u32>,
) -> impl IntoView {
    let start_drawing = draw;
    let tiles = (data.tile_url.clone(), data.tile_attribution.clone());
    #[cfg(feature = "hydrate")]
    let handle = StoredValue::new_local(None::<(leaflet::Map, super::map::Layers)>);
    let draw = crate::map_draw!(move |map: &leaflet::Map, _: &web_sys::HtmlDivElement| {
        if let Ok(layers) = super::map::draw(map, &data, selected, draft) {
            handle.try_update_value(|h| *h = Some((map.clone(), layers)));
        }
    });
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            let sel = selected.get();
            handle.with_value(|h| {
                if let Some((map, layers)) = h {
                    super::map::highlight(map, layers, sel);
                }
            });
        });
        Effect::new(move |prev: Option<u32>| {
            let n = start_drawing.get();
            if prev.is_some() {
                handle.with_value(|h| {
                    if let Some((map, _)) = h {
                        super::map::start_drawing(map);
                    }
                });
            }
            n
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (selected, draft, start_drawing);
    // Leaflet-Geoman, vendored from the npm registry by the setup script.
    let plugins = crate::ui::map::Plugins {
        scripts: &["/vendor/geoman/leaflet-geoman.min.js"],
        styles: &["/vendor/geoman/leaflet-geoman.css"],
    };
    view! {
        <crate::ui::map::LeafletMap tiles draw plugins label=tr("districts-map")
            no_script="Drawing districts needs JavaScript."/>
    }
}
