//! A district's checks before it is saved: its fields as typed, its place among the other
//! districts (name, holes, overlaps), and the refusal of a change that strands booked orders.
use super::District;
use crate::error::AppError;

/// Checks a district's fields; every message names its field.
#[allow(clippy::too_many_arguments)]
pub fn validate(
    id: i64,
    name: &str,
    colour: &str,
    served_weekdays: u8,
    delivery_fee: &str,
    min_order: &str,
    capacity_per_day: &str,
    ring: &str,
    windows: &[String],
) -> Result<District, AppError> {
    use crate::settings::delivery::{parse_money, parse_whole};
    use geo::Validation;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::invalid(
            "name",
            crate::said::said("refuse-district-name"),
        ));
    }
    let colour = colour.trim().to_lowercase();
    let hex = colour.strip_prefix('#').unwrap_or("");
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::invalid(
            "colour",
            crate::said::said("refuse-district-colour"),
        ));
    }
    if served_weekdays > 127 {
        return Err(AppError::invalid(
            "served_weekdays",
            crate::said::said("refuse-district-weekdays"),
        ));
    }
    let fee = parse_money(delivery_fee, "delivery_fee")?;
    let min = parse_money(min_order, "min_order")?;
    let capacity = parse_whole(
        capacity_per_day,
        "capacity_per_day",
        0..=1000,
        &crate::said::said("refuse-hint-stops"),
    )?;
    let slots = windows_of(served_weekdays, windows)?;
    let ring = outline(ring)?;
    let district = District {
        id,
        name: name.to_string(),
        colour,
        ring,
        holes: vec![],
        served_weekdays,
        delivery_fee_cents: fee,
        min_order_cents: min,
        capacity_per_day: capacity,
        windows: slots,
    };
    let poly = super::locate::polygon(&district);
    if poly.check_validation().is_err() || geo::Area::unsigned_area(&poly) < 1e-8 {
        return Err(AppError::invalid(
            "boundary",
            crate::said::said("refuse-boundary-crosses"),
        ));
    }
    Ok(district)
}

/// The delivery windows typed for each weekday; they count on served days only (a day that is
/// not served offers none).
fn windows_of(served_weekdays: u8, windows: &[String]) -> Result<super::model::Windows, AppError> {
    let mut slots: super::model::Windows = Default::default();
    for (i, day) in slots.iter_mut().enumerate() {
        let raw = windows.get(i).map_or("", String::as_str);
        if served_weekdays & (1 << i) != 0 {
            let short = super::model::WEEKDAYS[i];
            *day = super::model::parse_slots(
                raw,
                &format!("windows_{}", short.to_lowercase()),
                &crate::said::weekdays(1 << i),
            )?;
        }
    }
    Ok(slots)
}

/// The drawn outline (JSON `[[lat, lng], …]`): 3 to 500 corners, each on the Earth.
fn outline(ring: &str) -> Result<Vec<[f64; 2]>, AppError> {
    let refuse = |key: &str| AppError::invalid("boundary", crate::said::said(key));
    let ring: Vec<[f64; 2]> =
        serde_json::from_str(ring).map_err(|_| refuse("refuse-boundary-draw"))?;
    if ring.len() < 3 {
        return Err(refuse("refuse-boundary-three"));
    }
    if ring.len() > 500 {
        return Err(refuse("refuse-boundary-many"));
    }
    if ring
        .iter()
        .any(|[lat, lng]| !(-90.0..=90.0).contains(lat) || !(-180.0..=180.0).contains(lng))
    {
        return Err(refuse("refuse-boundary-earth"));
    }
    Ok(ring)
}

/// Checks district `d` (new, or replacing `id`) among `all` the districts: `id` exists, the
/// holes it keeps still make a valid shape, its name is free, its outline overlaps no other.
pub fn fits_among(d: &mut District, id: Option<i64>, all: Vec<District>) -> Result<(), AppError> {
    if id.is_some_and(|id| !all.iter().any(|o| o.id == id)) {
        return Err(AppError::NotFound(crate::said::said(
            "refuse-what-that-district",
        )));
    }
    // The map edits the outline; holes (imported as GeoJSON) stay as they are.
    if let Some(old) = all.iter().find(|o| Some(o.id) == id) {
        d.holes = old.holes.clone();
        if !d.holes.is_empty()
            && geo::Validation::check_validation(&super::locate::polygon(d)).is_err()
        {
            return Err(AppError::invalid(
                "boundary",
                crate::said::said("refuse-boundary-holes"),
            ));
        }
    }
    let others: Vec<District> = all.into_iter().filter(|o| Some(o.id) != id).collect();
    if let Some(o) = others
        .iter()
        .find(|o| o.name.to_lowercase() == d.name.to_lowercase())
    {
        return Err(AppError::invalid(
            "name",
            crate::said::said_with("refuse-district-taken", &[("name", &o.name)]),
        ));
    }
    let shape = super::locate::polygon(d);
    if let Some(o) = others
        .iter()
        .find(|o| super::geojson::overlaps(&shape, &super::locate::polygon(o)))
    {
        return Err(AppError::invalid(
            "boundary",
            crate::said::said_with("refuse-boundary-overlaps", &[("name", &o.name)]),
        ));
    }
    Ok(())
}

/// The refusal of a change that stops serving days with orders booked on them, naming the
/// first twelve: the owner moves them first.
pub fn refuse_stranded(stranded: &[super::repo::Stranded], district: &str) -> AppError {
    let list = stranded
        .iter()
        .take(12)
        .map(|o| format!("#{} ({} {})", o.number, o.weekday, o.day))
        .collect::<Vec<_>>()
        .join(", ");
    let more = stranded.len().saturating_sub(12);
    let list = if more > 0 {
        crate::said::said_with("refuse-and-more", &[("list", &list), ("more", &more)])
    } else {
        list
    };
    AppError::invalid(
        "served_weekdays",
        crate::said::said_count(
            "refuse-stranded",
            stranded.len() as i64,
            &[("district", &district), ("list", &list)],
        ),
    )
}
