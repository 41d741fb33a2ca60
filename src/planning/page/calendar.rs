//! The planning page's district-day calendar: stops against capacity and the estimated driving
//! of each served day; a drop target for the map's dots and the list's rows.
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;

use crate::districts::model::serves;
use crate::districts::District;
use crate::planning::model::{PlanningData, DAY_COLOURS};
use crate::words::{number, tr, tr_with};

/// The district-day calendar: stops/capacity and the estimated driving of each served day;
/// a drop target for dots and list rows.
#[component]
pub(super) fn Calendar(
    current: RwSignal<PlanningData>,
    on_assign: Callback<(Vec<i64>, String)>,
) -> impl IntoView {
    // Why the last drop on a day that is not served moved nothing (closes by itself).
    let refused_drop = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(m) = refused_drop.get() {
            set_timeout(
                move || {
                    if refused_drop.get_untracked().as_ref() == Some(&m) {
                        refused_drop.set(None);
                    }
                },
                std::time::Duration::from_secs(8),
            );
        }
    });
    let head = move || {
        current.with(|d| {
            let today = NaiveDate::parse_from_str(&d.today, "%Y-%m-%d").unwrap_or_default();
            (0..14)
                .map(|i| {
                    let day = today + Duration::days(i);
                    view! {
                        <th scope="col" style=format!("border-bottom: 3px solid {}", DAY_COLOURS[i as usize])>
                            {crate::words::date(day, "date-weekday")}<small>{day.format("%-d").to_string()}</small>
                        </th>
                    }
                })
                .collect_view()
        })
    };
    let rows = move || {
        current.with(|data| {
            let today = NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
            data.districts
                .iter()
                .map(|district| {
                    let cells = (0..14)
                        .map(|i| {
                            let day = today + Duration::days(i);
                            if serves(district.served_weekdays, day.weekday()) {
                                day_cell(data, district, day, on_assign)
                            } else {
                                off_cell(district, day, refused_drop)
                            }
                        })
                        .collect_view();
                    view! {
                        <tr>
                            <th scope="row">
                                <span class="swatch" style=format!("background:{}", district.colour)></span>
                                <span class="district-name">{district.name.clone()}</span>
                                <small class="muted">{crate::words::weekdays(district.served_weekdays)}</small>
                            </th>
                            {cells}
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        {move || refused_drop.get().map(|m| view! { <div class="toast toast-error" role="alert"><span>{m}</span></div> })}
        <div class="card planning-loads">
            <h2>{tr("planning-loads-title")}</h2>
            <p class="muted small">{tr("planning-loads-hint")}</p>
            <div class="table-scroll" tabindex="0">
                <table class="loads">
                    <thead><tr><th scope="col">{tr("district")}</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// A day the district is not served: still a drop target, where a drop says why nothing moved.
fn off_cell(
    district: &District,
    day: NaiveDate,
    refused_drop: RwSignal<Option<String>>,
) -> AnyView {
    let weekday = crate::words::date(day, "date-weekday-long");
    let why = tr_with(
        "planning-not-served-why",
        &[
            ("district", district.name.clone()),
            ("weekday", weekday.clone()),
            ("days", crate::words::weekdays(district.served_weekdays)),
        ],
    );
    let title = tr_with(
        "planning-not-served",
        &[("district", district.name.clone()), ("weekday", weekday)],
    );
    let on_drop_off = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        refused_drop.set(Some(why.clone()));
    };
    view! {
        <td class="cell-off" title=title.clone() aria-label=title
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop_off>"·"</td>
    }
    .into_any()
}

/// A served day: its stops against capacity (coloured by how full), the standing orders among
/// them and the estimated driving; dropping an order here moves it to that day.
fn day_cell(
    data: &PlanningData,
    district: &District,
    day: NaiveDate,
    on_assign: Callback<(Vec<i64>, String)>,
) -> AnyView {
    let key = day.to_string();
    let load = data
        .loads
        .iter()
        .find(|l| l.district_id == district.id && l.day == key);
    let stops = load.map_or(0, |l| l.stops);
    let cap = district.capacity_per_day.max(1);
    let class = if stops >= cap {
        "cell-full"
    } else if stops * 4 >= cap * 3 {
        "cell-busy"
    } else {
        "cell-open"
    };
    let drive = load.filter(|l| l.km > 0.0).map(|l| (l.km, l.minutes));
    // Standing orders' deliveries among the stops.
    let standing = data
        .orders
        .iter()
        .filter(|o| {
            o.district_id == Some(district.id) && o.fulfil_on == key && o.standing.is_some()
        })
        .count();
    let title = cell_title(&district.name, (stops, cap), standing, drive);
    let day_key = key.clone();
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(id) = ev
            .data_transfer()
            .and_then(|d| d.get_data("text/plain").ok())
            .and_then(|t| t.parse::<i64>().ok())
        {
            on_assign.run((vec![id], day_key.clone()));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&day_key, on_assign);
    };
    view! {
        <td class=class title=title.clone() aria-label=title
            data-district=district.id.to_string() data-day=key
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
            <b class="cell-count">{format!("{stops}/{cap}")}</b>
            <small class="cell-km">{drive.map(|(km, _)| format!("{km:.0} km"))}</small>
            <small class="cell-standing" aria-hidden="true">{(standing > 0).then(|| format!("↻{standing}"))}</small>
        </td>
    }
    .into_any()
}

/// What a calendar cell says (its tooltip and its name for screen readers): the district,
/// stops of capacity, the standing orders' among them, the driving when known.
fn cell_title(
    name: &str,
    (stops, cap): (i64, i64),
    standing: usize,
    drive: Option<(f64, i64)>,
) -> String {
    let of_standing = if standing > 0 {
        format!(
            " {}",
            tr_with("planning-from-standing", &[("count", standing.to_string())])
        )
    } else {
        String::new()
    };
    let load_text = format!(
        "{}{of_standing}",
        tr_with(
            "planning-stops-of",
            &[("stops", stops.to_string()), ("cap", cap.to_string())]
        )
    );
    match drive {
        Some((km, min)) => format!(
            "{} · {load_text} · {} · {}",
            name,
            tr_with(
                "planning-drive",
                &[("km", number(km, 1)), ("time", duration(min))]
            ),
            tr("planning-drop-here")
        ),
        None => format!("{} · {load_text} · {}", name, tr("planning-drop-here")),
    }
}

/// "1 h 25 min" or "40 min".
fn duration(minutes: i64) -> String {
    if minutes >= 60 {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    }
}
