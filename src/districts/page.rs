//! `/planning/districts`: draw and edit delivery districts on the map (Leaflet-Geoman), set
//! their days, fee, minimum and capacity, and move them in and out as GeoJSON.
use leptos::prelude::*;
use leptos_router::components::A;

use super::edit::{
    get_districts, DeleteDistrict, DistrictChange, DistrictRow, DistrictsData, ImportDistricts,
    SaveDistrict,
};
use super::model::{slots_text, WEEKDAYS};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_count, tr_with};

/// A district's outline being drawn or changed, not saved yet: (district id or 0 for a new one,
/// corners as `[lat, lng]`).
type Draft = Option<(i64, Vec<[f64; 2]>)>;

fn euros(cents: i64) -> String {
    format!("{:.2}", cents as f64 / 100.0)
}

/// Colours offered to new districts in turn.
const NEW_COLOURS: [&str; 6] = [
    "#0f766e", "#b45309", "#7e22ce", "#be185d", "#1d4ed8", "#15803d",
];

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

/// The selected district's settings (or a new one's), saved together with its outline.
#[component]
fn DistrictForm(
    id: i64,
    row: Option<DistrictRow>,
    draft: RwSignal<Draft>,
    selected: RwSignal<Option<i64>>,
    save: ServerAction<SaveDistrict>,
    remove: ServerAction<DeleteDistrict>,
) -> impl IntoView {
    let d = row.as_ref().map(|r| r.district.clone());
    let name = RwSignal::new(d.as_ref().map(|d| d.name.clone()).unwrap_or_default());
    let colour = RwSignal::new(
        d.as_ref()
            .map(|d| d.colour.clone())
            .unwrap_or_else(|| NEW_COLOURS[0].to_string()),
    );
    let mask = RwSignal::new(d.as_ref().map_or(0b0011111, |d| d.served_weekdays));
    let fee = RwSignal::new(
        d.as_ref()
            .map_or("3.50".into(), |d| euros(d.delivery_fee_cents)),
    );
    let min = RwSignal::new(
        d.as_ref()
            .map_or("15.00".into(), |d| euros(d.min_order_cents)),
    );
    let capacity = RwSignal::new(
        d.as_ref()
            .map_or("20".into(), |d| d.capacity_per_day.to_string()),
    );
    let windows = RwSignal::new(d.as_ref().map_or_else(
        || vec![String::new(); 7],
        |d| d.windows.iter().map(|w| slots_text(w)).collect(),
    ));
    let ring = d.as_ref().map(|d| d.ring.clone()).unwrap_or_default();
    let upcoming = row.as_ref().map_or(0, |r| r.upcoming);
    let on_record = row.as_ref().map_or(0, |r| r.on_record);
    let changed_outline = move || draft.with(|d| d.as_ref().is_some_and(|(i, _)| *i == id));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let outline = draft
            .get_untracked()
            .filter(|(i, _)| *i == id)
            .map(|(_, r)| r)
            .unwrap_or_else(|| ring.clone());
        save.dispatch(SaveDistrict {
            id: (id > 0).then_some(id),
            name: name.get_untracked(),
            colour: colour.get_untracked(),
            served_weekdays: mask.get_untracked(),
            delivery_fee: fee.get_untracked(),
            min_order: min.get_untracked(),
            capacity_per_day: capacity.get_untracked(),
            ring: serde_json::to_string(&outline).unwrap_or_default(),
            windows: windows.get_untracked(),
        });
    };
    let title = d
        .as_ref()
        .map_or_else(|| tr("districts-new"), |d| d.name.clone());
    let day_names = crate::words::day_names("days-short");
    let day_name = move |i: usize| day_names[i].clone();
    let days = WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let day = day_name(i);
            let bit = 1u8 << i;
            view! {
                <label class="day-toggle">
                    <input type="checkbox" prop:checked=move || mask.get() & bit != 0
                        on:change=move |e| mask.update(|m| if event_target_checked(&e) { *m |= bit } else { *m &= !bit })/>
                    <span>{day}</span>
                </label>
            }
        })
        .collect_view();
    // One line of windows per delivery day, shown while the day is ticked.
    let window_rows = move || {
        WEEKDAYS
            .iter()
            .enumerate()
            .filter(|(i, _)| mask.get() & (1u8 << i) != 0)
            .map(|(i, day)| {
                let field = format!("windows_{}", day.to_lowercase());
                let shown = day_name(i);
                let invalid = {
                    let field = field.clone();
                    move || save.value().with(|v| matches!(v, Some(Err(e)) if e.field() == Some(field.as_str())))
                };
                view! {
                    <label class="field window-row">
                        <span>{shown}</span>
                        <input name=field placeholder=tr("districts-any-time") aria-invalid=move || invalid().to_string()
                            prop:value=move || windows.with(|w| w.get(i).cloned().unwrap_or_default())
                            on:input=move |e| windows.update(|w| if let Some(t) = w.get_mut(i) { *t = event_target_value(&e) })/>
                    </label>
                }
            })
            .collect_view()
    };
    let error = move || match save.value().get() {
        Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.to_string()}</p> }),
        _ => None,
    };
    view! {
        <section class="card district-form" aria-label=tr("districts-settings")>
            <div class="run-head">
                <span class="run-chip" style=move || format!("background:{}", colour.get())></span>
                <h2>{title}</h2>
                <button class="btn btn-small btn-ghost" on:click=move |_| { draft.set(None); selected.set(None); }>{tr("close")}</button>
            </div>
            <p class="muted small">
                {move || if changed_outline() {
                    tr("districts-new-outline")
                } else if id == 0 {
                    tr("districts-draw-first")
                } else {
                    format!("{} · {}", tr_count("districts-upcoming", upcoming as usize), tr_with("districts-on-record", &[("count", on_record.to_string())]))
                }}
            </p>
            <form class="form form-grid" on:submit=submit>
                <label class="field field-wide"><span>{tr("stock-name")}</span><input name="name" prop:value=name on:input=move |e| name.set(event_target_value(&e)) required/></label>
                <label class="field"><span>{tr("districts-colour")}</span><input name="colour" type="color" prop:value=colour on:input=move |e| colour.set(event_target_value(&e))/></label>
                <label class="field"><span>{tr("districts-stops-per-day")}</span><input name="capacity_per_day" inputmode="numeric" prop:value=capacity on:input=move |e| capacity.set(event_target_value(&e))/></label>
                <label class="field"><span>{tr("districts-fee")}</span><input name="delivery_fee" inputmode="decimal" prop:value=fee on:input=move |e| fee.set(event_target_value(&e))/></label>
                <label class="field"><span>{tr("districts-min")}</span><input name="min_order" inputmode="decimal" prop:value=min on:input=move |e| min.set(event_target_value(&e))/></label>
                <fieldset class="field-wide day-toggles"><legend>{tr("districts-days")}</legend>{days}</fieldset>
                <fieldset class="field-wide delivery-windows">
                    <legend>{tr("districts-windows")}</legend>
                    <p class="muted small">{tr("districts-windows-hint")}</p>
                    {window_rows}
                </fieldset>
                {error}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                        {if id == 0 { tr("districts-create") } else { tr("districts-save") }}
                    </button>
                    {(id > 0).then(|| {
                        let in_use = on_record > 0;
                        let hint = if in_use {
                            tr("districts-cant-delete")
                        } else {
                            tr("districts-delete-this")
                        };
                        let delete = move |_| {
                            remove.dispatch(DeleteDistrict { id });
                        };
                        view! { <button type="button" class="btn btn-ghost" disabled=in_use title=hint on:click=delete>{tr("menu-delete")}</button> }
                    })}
                </div>
            </form>
        </section>
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
