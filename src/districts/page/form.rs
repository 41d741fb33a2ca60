//! The district editor's form: the selected district's settings (or a new one's) — name,
//! colour, stops a day, fee, minimum, the days it is served and each day's delivery windows —
//! saved together with its outline.
use leptos::prelude::*;

use super::super::edit::{DeleteDistrict, DistrictRow, SaveDistrict};
use super::super::model::{slots_text, WEEKDAYS};
use super::Draft;
use crate::words::{tr, tr_count, tr_with};

fn euros(cents: i64) -> String {
    format!("{:.2}", cents as f64 / 100.0)
}

/// Colours offered to new districts in turn.
const NEW_COLOURS: [&str; 6] = [
    "#0f766e", "#b45309", "#7e22ce", "#be185d", "#1d4ed8", "#15803d",
];

/// The selected district's settings (or a new one's), saved together with its outline.
#[component]
pub(super) fn DistrictForm(
    id: i64,
    row: Option<DistrictRow>,
    draft: RwSignal<Draft>,
    selected: RwSignal<Option<i64>>,
    save: ServerAction<SaveDistrict>,
    remove: ServerAction<DeleteDistrict>,
) -> impl IntoView {
    let d = row.as_ref().map(|r| r.district.clone());
    let f = Fields::of(d.as_ref());
    let Fields {
        name,
        colour,
        mask,
        fee,
        min,
        capacity,
        windows,
    } = f;
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
        save.dispatch(f.to_save(id, &outline));
    };
    let title = d
        .as_ref()
        .map_or_else(|| tr("districts-new"), |d| d.name.clone());
    let days = day_toggles(mask);
    let window_rows = move || window_rows(mask, windows, save);
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
                    {(id > 0).then(|| delete_button(id, on_record, remove))}
                </div>
            </form>
        </section>
    }
}

/// Delete, for a district no order has ever used (otherwise disabled, saying why).
fn delete_button(id: i64, on_record: i64, remove: ServerAction<DeleteDistrict>) -> impl IntoView {
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
}

/// The district form's fields as typed.
#[derive(Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    colour: RwSignal<String>,
    /// Served weekdays, bit 0 = Monday.
    mask: RwSignal<u8>,
    fee: RwSignal<String>,
    min: RwSignal<String>,
    capacity: RwSignal<String>,
    /// Each weekday's delivery windows as typed ("09:00-11:00, 17:00-19:00").
    windows: RwSignal<Vec<String>>,
}

impl Fields {
    /// What saving district `id` (0: a new one) with `outline` sends.
    fn to_save(self, id: i64, outline: &[[f64; 2]]) -> SaveDistrict {
        SaveDistrict {
            id: (id > 0).then_some(id),
            name: self.name.get_untracked(),
            colour: self.colour.get_untracked(),
            served_weekdays: self.mask.get_untracked(),
            delivery_fee: self.fee.get_untracked(),
            min_order: self.min.get_untracked(),
            capacity_per_day: self.capacity.get_untracked(),
            ring: serde_json::to_string(outline).unwrap_or_default(),
            windows: self.windows.get_untracked(),
        }
    }

    /// District `d`'s settings, or a new district's defaults.
    fn of(d: Option<&crate::districts::District>) -> Fields {
        Fields {
            name: RwSignal::new(d.map(|d| d.name.clone()).unwrap_or_default()),
            colour: RwSignal::new(
                d.map(|d| d.colour.clone())
                    .unwrap_or_else(|| NEW_COLOURS[0].to_string()),
            ),
            mask: RwSignal::new(d.map_or(0b0011111, |d| d.served_weekdays)),
            fee: RwSignal::new(d.map_or("3.50".into(), |d| euros(d.delivery_fee_cents))),
            min: RwSignal::new(d.map_or("15.00".into(), |d| euros(d.min_order_cents))),
            capacity: RwSignal::new(d.map_or("20".into(), |d| d.capacity_per_day.to_string())),
            windows: RwSignal::new(d.map_or_else(
                || vec![String::new(); 7],
                |d| d.windows.iter().map(|w| slots_text(w)).collect(),
            )),
        }
    }
}

/// A toggle per weekday: is the district served that day.
fn day_toggles(mask: RwSignal<u8>) -> impl IntoView {
    crate::words::day_names("days-short")
        .into_iter()
        .enumerate()
        .map(|(i, day)| {
            let bit = 1u8 << i;
            view! {
                <label class="day-toggle">
                    <input type="checkbox" prop:checked=move || mask.get() & bit != 0
                        on:change=move |e| mask.update(|m| if event_target_checked(&e) { *m |= bit } else { *m &= !bit })/>
                    <span>{day}</span>
                </label>
            }
        })
        .collect_view()
}

/// One line of windows per delivery day, shown while the day is ticked; a line the save
/// refused is marked invalid.
fn window_rows(
    mask: RwSignal<u8>,
    windows: RwSignal<Vec<String>>,
    save: ServerAction<SaveDistrict>,
) -> impl IntoView {
    let day_names = crate::words::day_names("days-short");
    WEEKDAYS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask.get() & (1u8 << i) != 0)
        .map(|(i, day)| {
            let field = format!("windows_{}", day.to_lowercase());
            let shown = day_names[i].clone();
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
}
