//! A driver's van and shift on the runs page, with an inline editor.
use leptos::prelude::*;

use crate::runs::api::SaveDriverVan;
use crate::words::{tr, tr_count, tr_with};

/// A driver's van and shift, with an inline editor (empty fields: the business defaults).
#[component]
pub(super) fn DriverVan(
    driver: crate::runs::model::DriverChoice,
    save: ServerAction<SaveDriverVan>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let d = driver.clone();
    let summary = format!(
        "{} · {}–{}{}",
        tr_count("driver-items", d.van_capacity as usize),
        d.shift_start,
        d.shift_end,
        if d.own_van {
            String::new()
        } else {
            format!(" ({})", tr("runs-default"))
        }
    );
    let (capacity, start, end) = (
        RwSignal::new(if d.own_van {
            d.van_capacity.to_string()
        } else {
            String::new()
        }),
        RwSignal::new(if d.own_van {
            d.shift_start.clone()
        } else {
            String::new()
        }),
        RwSignal::new(if d.own_van {
            d.shift_end.clone()
        } else {
            String::new()
        }),
    );
    let id = d.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveDriverVan {
            driver_id: id,
            van_capacity: capacity.get_untracked(),
            shift_start: start.get_untracked(),
            shift_end: end.get_untracked(),
        });
        open.set(false);
    };
    view! {
        <span class="driver-van muted small" data-testid="driver-van">{summary}</span>
        <button type="button" class="btn btn-small btn-ghost" aria-expanded=move || open.get().to_string()
            aria-label=tr_with("runs-van-of", &[("name", driver.name.clone())])
            on:click=move |_| open.update(|o| *o = !*o)>{tr("edit")}</button>
        <Show when=move || open.get()>
            <form class="van-form" on:submit=submit>
                <label class="field"><span>{tr("runs-van-items")}</span>
                    <input inputmode="numeric" placeholder=tr("runs-default") prop:value=capacity on:input=move |e| capacity.set(event_target_value(&e))/></label>
                <label class="field"><span>{tr("runs-shift-starts")}</span>
                    <input type="time" prop:value=start on:input=move |e| start.set(event_target_value(&e))/></label>
                <label class="field"><span>{tr("runs-shift-ends")}</span>
                    <input type="time" prop:value=end on:input=move |e| end.set(event_target_value(&e))/></label>
                <button type="submit" class="btn btn-small btn-primary">{tr("save")}</button>
            </form>
        </Show>
    }
}
