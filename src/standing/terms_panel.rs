//! A standing order's "Change days, address or time" form on the customer page, and the
//! weekday checkboxes it shares with the new standing order's form.
use leptos::prelude::*;

use super::model::{pattern_words, Place, StandingView};
use super::{ChangeStandingTerms, TermsForm};
use crate::ui::ErrorNotice;
use crate::words::{tr, tr_with};

/// One checkbox per weekday (0 = Monday), named `name`.
#[component]
fn WeekdayChecks(days: RwSignal<Vec<u8>>, name: &'static str) -> impl IntoView {
    let toggle = move |d: u8| {
        days.update(|days| {
            if let Some(i) = days.iter().position(|&x| x == d) {
                days.remove(i);
            } else {
                days.push(d);
                days.sort();
            }
        })
    };
    (0..7u8)
        .map(|d| {
            view! {
                <label class="check">
                    <input type="checkbox" name=name value=d
                        prop:checked=move || days.with(|days| days.contains(&d))
                        on:change=move |_| toggle(d)/>
                    {pattern_words(1 << d)}
                </label>
            }
        })
        .collect_view()
}

/// The days delivered on each week, and the other days the customer accepts.
#[component]
pub fn Schedule(days: RwSignal<Vec<u8>>, alt_days: RwSignal<Vec<u8>>) -> impl IntoView {
    view! {
        <fieldset class="weekdays">
            <legend>{tr("standing-delivered-on")}</legend>
            <WeekdayChecks days name="days"/>
        </fieldset>
        <fieldset class="weekdays">
            <legend>{tr("standing-or-days")}</legend>
            <WeekdayChecks days=alt_days name="alt_days"/>
        </fieldset>
    }
}

/// The weekdays (0 = Monday) of a pattern.
fn days_of(pattern: u8) -> Vec<u8> {
    (0..7u8).filter(|d| pattern & (1 << d) != 0).collect()
}

/// Where a standing order may deliver: its own place first, then the customer's other
/// places (each once).
fn choices_of(s: &StandingView, places: StoredValue<Vec<Place>>) -> Vec<Place> {
    let mut choices: Vec<Place> = Vec::new();
    let same = |p: &Place, address: &str, lat: f64, lng: f64| {
        p.address == address && (p.lat, p.lng) == (lat, lng)
    };
    if let (Some(address), Some((lat, lng))) = (s.address.clone(), s.pin) {
        let district = places.with_value(|ps| {
            ps.iter()
                .find(|p| same(p, &address, lat, lng))
                .and_then(|p| p.district.clone())
        });
        choices.push(Place {
            address,
            lat,
            lng,
            district,
        });
    }
    places.with_value(|ps| {
        for p in ps {
            if !choices.iter().any(|c| same(c, &p.address, p.lat, p.lng)) {
                choices.push(p.clone());
            }
        }
    });
    choices
}

/// "Deliver to": one of `choices` (its index in `place`).
#[component]
fn PlaceSelect(choices: StoredValue<Vec<Place>>, place: RwSignal<usize>) -> impl IntoView {
    view! {
        <label class="field"><span>{tr("standing-deliver-to")}</span>
            <select name="place" on:change=move |ev| place.set(event_target_value(&ev).parse().unwrap_or(0))>
                {choices.with_value(|c| c.iter().enumerate().map(|(i, p)| {
                    let text = match &p.district {
                        Some(d) => format!("{} ({d})", p.address),
                        None => p.address.clone(),
                    };
                    view! { <option value=i selected=i == 0>{text}</option> }
                }).collect_view())}
            </select>
        </label>
    }
}

/// "Change days, address or time": the booked days and the other ones accepted, the place
/// (one of the customer's addresses with a pin) and the window, saved from tomorrow.
#[component]
pub fn TermsEditor(
    s: StandingView,
    places: StoredValue<Vec<Place>>,
    terms: ServerAction<ChangeStandingTerms>,
) -> impl IntoView {
    let id = s.id;
    let delivery = s.fulfilment == "delivery";
    let days = RwSignal::new(s.patterns.first().copied().map(days_of).unwrap_or_default());
    let alt_days = RwSignal::new(s.patterns.get(1).copied().map(days_of).unwrap_or_default());
    let window = RwSignal::new(match &s.window_times {
        Some((from, to)) if delivery => format!("{from}-{to}"),
        Some((from, _)) => from.clone(),
        None => String::new(),
    });
    let choices = StoredValue::new(choices_of(&s, places));
    let place = RwSignal::new(0usize);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = choices.with_value(|c| c.get(place.get_untracked()).cloned());
        terms.dispatch(ChangeStandingTerms {
            id,
            form: TermsForm {
                days: days.get_untracked(),
                alt_days: alt_days.get_untracked(),
                window: window.get_untracked(),
                address: chosen
                    .as_ref()
                    .map(|p| p.address.clone())
                    .unwrap_or_default(),
                lat: chosen.as_ref().map(|p| p.lat),
                lng: chosen.as_ref().map(|p| p.lng),
            },
        });
    };
    let label = tr_with("standing-change-terms-of", &[("id", id.to_string())]);
    let error = move || {
        terms.value().get().and_then(Result::err).filter(|_| {
            terms
                .input()
                .with(|i| i.as_ref().is_none_or(|i| i.id == id))
        })
    };
    view! {
        <details class="standing-edit">
            <summary class="btn btn-small">{tr("standing-change-terms")}</summary>
            <form class="form" aria-label=label on:submit=submit>
                <Schedule days alt_days/>
                <div class="form-grid form">
                    {delivery.then(|| view! { <PlaceSelect choices place/> })}
                    <label class="field"><span>{tr(if delivery { "standing-window" } else { "standing-pickup-time" })}</span>
                        <input name="window" placeholder=if delivery { "08:00-10:00" } else { "09:30" } prop:value=move || window.get()
                            on:input=move |ev| window.set(event_target_value(&ev))/></label>
                </div>
                <p class="muted small">{tr("standing-terms-help")}</p>
                {move || error().map(|error| view! { <ErrorNotice error/> })}
                <div class="form-actions"><button class="btn btn-primary" type="submit" disabled=move || terms.pending().get()>{tr("standing-save-terms")}</button></div>
            </form>
        </details>
    }
}
