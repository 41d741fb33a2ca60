//! An order request's fulfilment, checked on its own: delivery or pickup, the day, and the
//! address, pin and window of a delivery or the time of a pickup; the flexible range apart.
//! Every bad field is pushed to `errors` with its JSON path.
use chrono::NaiveDate;

use super::super::model::{DateRangeIn, FieldError, OrderIn, WindowIn};
use super::{err, parse_time, text, MAX_DAYS_AHEAD, MAX_FLEXIBLE_DAYS};
use crate::orders::model::Fulfilment;
use crate::said::{said, said_with};

/// A request's fulfilment as far as it is valid.
pub(super) struct Fulfilled {
    pub(super) kind: Option<Fulfilment>,
    pub(super) address: Option<String>,
    pub(super) coords: Option<(f64, f64)>,
    pub(super) date: Option<NaiveDate>,
    pub(super) window: Option<(String, String)>,
}

/// `fulfilment`: delivery or pickup, its date (not past, not too far ahead), and for a
/// delivery its address, pin and window, for a pickup its time.
pub(super) fn fulfilment(
    input: &OrderIn,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Fulfilled {
    let (mut kind, mut address, mut coords, mut date, mut window) = (None, None, None, None, None);
    match &input.fulfilment {
        None => errors.push(err("fulfilment", &said("refuse-required"))),
        Some(f) => {
            match f.kind.as_deref() {
                Some("delivery") => kind = Some(Fulfilment::Delivery),
                Some("pickup") => kind = Some(Fulfilment::Pickup),
                None => errors.push(err("fulfilment.type", &said("refuse-required"))),
                Some(_) => errors.push(err("fulfilment.type", &said("refuse-fulfilment-type"))),
            }
            date = day_of(f.date.as_deref(), today, errors);
            if kind == Some(Fulfilment::Delivery) {
                address =
                    text(&f.address, "fulfilment.address", 300, true, errors).map(str::to_string);
                coords = pin_of(f.lat, f.lng, errors);
                window = f.window.as_ref().and_then(|w| window_of(w, errors));
            } else if kind == Some(Fulfilment::Pickup) {
                if f.flexible.is_some() {
                    errors.push(err("fulfilment.flexible", &said("refuse-flex-pickup")));
                }
                window = pickup_slot(f.time.as_deref(), errors);
            }
        }
    }
    Fulfilled {
        kind,
        address,
        coords,
        date,
        window,
    }
}

/// `fulfilment.date`: a day from today to [`MAX_DAYS_AHEAD`] ahead.
fn day_of(raw: Option<&str>, today: NaiveDate, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match raw.map(str::trim) {
        None | Some("") => errors.push(err("fulfilment.date", &said("refuse-required"))),
        Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Err(_) => errors.push(err("fulfilment.date", &said("refuse-date-format"))),
            Ok(d) if d < today => errors.push(err("fulfilment.date", &said("refuse-in-past"))),
            Ok(d) if (d - today).num_days() > MAX_DAYS_AHEAD => errors.push(err(
                "fulfilment.date",
                &said_with("refuse-too-far-ahead", &[("days", &MAX_DAYS_AHEAD)]),
            )),
            Ok(d) => return Some(d),
        },
    }
    None
}

/// `fulfilment.lat` and `lng`: both or neither, each in range.
fn pin_of(lat: Option<f64>, lng: Option<f64>, errors: &mut Vec<FieldError>) -> Option<(f64, f64)> {
    match (lat, lng) {
        (None, None) => {}
        (Some(lat), Some(lng)) => {
            if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
                errors.push(err("fulfilment.lat", &said("refuse-lat")));
            } else if !(-180.0..=180.0).contains(&lng) || !lng.is_finite() {
                errors.push(err("fulfilment.lng", &said("refuse-lng")));
            } else {
                return Some((lat, lng));
            }
        }
        (Some(_), None) => errors.push(err("fulfilment.lng", &said("refuse-lng-with-lat"))),
        (None, Some(_)) => errors.push(err("fulfilment.lat", &said("refuse-lat-with-lng"))),
    }
    None
}

/// `fulfilment.window`: two times, the first earlier, as "HH:MM".
fn window_of(w: &WindowIn, errors: &mut Vec<FieldError>) -> Option<(String, String)> {
    match (
        w.from.as_deref().and_then(parse_time),
        w.to.as_deref().and_then(parse_time),
    ) {
        (Some(a), Some(b)) if a < b => {
            return Some((a.format("%H:%M").to_string(), b.format("%H:%M").to_string()))
        }
        (Some(_), Some(_)) => {
            errors.push(err("fulfilment.window.to", &said("refuse-window-order")))
        }
        (None, _) => errors.push(err("fulfilment.window.from", &said("refuse-time-from"))),
        (_, None) => errors.push(err("fulfilment.window.to", &said("refuse-time-to"))),
    }
    None
}

/// `fulfilment.time` of a pickup: its half hour, when one is given.
fn pickup_slot(time: Option<&str>, errors: &mut Vec<FieldError>) -> Option<(String, String)> {
    let t = time.filter(|t| !t.trim().is_empty())?;
    match parse_time(t) {
        Some(t) => {
            let end = t + chrono::Duration::minutes(30);
            Some((
                t.format("%H:%M").to_string(),
                end.format("%H:%M").to_string(),
            ))
        }
        None => {
            errors.push(err("fulfilment.time", &said("refuse-time-pickup")));
            None
        }
    }
}

/// `fulfilment.flexible`: both ends dates, not in the past, around `date`, at most
/// [`MAX_FLEXIBLE_DAYS`] long.
pub(super) fn flexible_range(
    r: &DateRangeIn,
    date: Option<NaiveDate>,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut end = |v: &Option<String>, field: &str| match v.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(err(field, &said("refuse-required")));
            None
        }
        Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Err(_) => {
                errors.push(err(field, &said("refuse-date-format")));
                None
            }
            Ok(d) if d < today => {
                errors.push(err(field, &said("refuse-in-past")));
                None
            }
            Ok(d) => Some(d),
        },
    };
    let (from, to) = (
        end(&r.from, "fulfilment.flexible.from"),
        end(&r.to, "fulfilment.flexible.to"),
    );
    let (from, to) = (from?, to?);
    if to < from {
        errors.push(err("fulfilment.flexible.to", &said("refuse-flex-before")));
        return None;
    }
    if (to - from).num_days() >= MAX_FLEXIBLE_DAYS {
        errors.push(err(
            "fulfilment.flexible.to",
            &said_with("refuse-flex-too-long", &[("days", &MAX_FLEXIBLE_DAYS)]),
        ));
        return None;
    }
    let date = date?;
    if date < from || date > to {
        errors.push(err("fulfilment.flexible", &said("refuse-flex-include")));
        return None;
    }
    (from != to).then_some((from, to))
}
