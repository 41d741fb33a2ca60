//! A district and its served weekdays, with GeoJSON conversion of its boundary.
use chrono::Weekday;
use serde::{Deserialize, Serialize};

/// A delivery district.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct District {
    pub id: i64,
    pub name: String,
    pub colour: String,
    /// Outer ring as `[lat, lng]` pairs (not closed).
    pub ring: Vec<[f64; 2]>,
    /// Holes: areas inside the outline that the district does not cover (a park, or another
    /// district inside it), each a ring like `ring`.
    #[serde(default)]
    pub holes: Vec<Vec<[f64; 2]>>,
    /// Bit 0 = Monday ... bit 6 = Sunday.
    pub served_weekdays: u8,
    pub delivery_fee_cents: i64,
    pub min_order_cents: i64,
    pub capacity_per_day: i64,
    /// Delivery windows offered per weekday, Monday first; an empty day lets the customer name
    /// any window.
    #[serde(default)]
    pub windows: Windows,
}

/// The delivery windows of each weekday, Monday first.
pub type Windows = [Vec<Slot>; 7];

/// A delivery window, local `HH:MM` to `HH:MM`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Slot {
    pub from: String,
    pub to: String,
}

impl District {
    /// The windows offered on `day` (empty: any window).
    pub fn windows_on(&self, day: Weekday) -> &[Slot] {
        &self.windows[day.num_days_from_monday() as usize]
    }
}

/// "09:00–11:00, 11:00–13:00".
pub fn slots_text(slots: &[Slot]) -> String {
    slots
        .iter()
        .map(|s| format!("{}–{}", s.from, s.to))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a day's windows as an owner types them ("9-11, 11:00–13:00"; commas or semicolons
/// between windows): sorted, each start before its end, none overlapping, at most 12. The
/// error names `field` and the window at fault.
pub fn parse_slots(raw: &str, field: &str, day: &str) -> Result<Vec<Slot>, crate::error::AppError> {
    use crate::error::AppError;
    let bad = |why: String| {
        AppError::invalid(
            field,
            crate::said::said_with("refuse-windows", &[("day", &day), ("why", &why)]),
        )
    };
    let clock = |t: &str| {
        let t = t.trim();
        // "9" or "14" alone is read as a whole hour.
        let t = if t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty() {
            format!("{t}:00")
        } else {
            t.to_string()
        };
        crate::field::clock(&t, field, "time").map_err(|_| {
            bad(crate::said::said_with(
                "refuse-window-time",
                &[("typed", &format!("{t:?}"))],
            ))
        })
    };
    let mut slots = Vec::new();
    for part in raw
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (a, b) = part.split_once(['-', '–', '—']).ok_or_else(|| {
            bad(crate::said::said_with(
                "refuse-window-range",
                &[("typed", &format!("{part:?}"))],
            ))
        })?;
        let (from, to) = (clock(a)?, clock(b)?);
        if from >= to {
            return Err(bad(crate::said::said_with(
                "refuse-window-backwards",
                &[("window", &format!("{from}–{to}"))],
            )));
        }
        slots.push(Slot { from, to });
    }
    slots.sort();
    if let Some(w) = slots.windows(2).find(|w| w[1].from < w[0].to) {
        let (a, b) = (
            format!("{}–{}", w[0].from, w[0].to),
            format!("{}–{}", w[1].from, w[1].to),
        );
        return Err(bad(crate::said::said_with(
            "refuse-window-overlap",
            &[("a", &a), ("b", &b)],
        )));
    }
    if slots.len() > 12 {
        return Err(bad(crate::said::said("refuse-window-many")));
    }
    Ok(slots)
}

/// Whether `mask` includes `day`.
pub fn serves(mask: u8, day: Weekday) -> bool {
    mask & (1 << day.num_days_from_monday()) != 0
}

/// The mask of the given weekdays.
pub fn mask_of(days: &[Weekday]) -> u8 {
    days.iter()
        .fold(0, |m, d| m | (1 << d.num_days_from_monday()))
}

pub use crate::words::{weekday_summary, WEEKDAYS};

/// A GeoJSON Polygon geometry (`[lng, lat]` positions, closed rings) for a ring of `[lat, lng]`.
pub fn ring_to_geojson(ring: &[[f64; 2]]) -> String {
    polygon_to_geojson(ring, &[])
}

/// A GeoJSON Polygon geometry: the outline, then its holes.
pub fn polygon_to_geojson(ring: &[[f64; 2]], holes: &[Vec<[f64; 2]>]) -> String {
    let closed = |r: &[[f64; 2]]| {
        let mut coords: Vec<[f64; 2]> = r.iter().map(|[lat, lng]| [*lng, *lat]).collect();
        if let Some(first) = coords.first().copied() {
            coords.push(first);
        }
        coords
    };
    let rings: Vec<Vec<[f64; 2]>> = std::iter::once(closed(ring))
        .chain(holes.iter().map(|h| closed(h)))
        .collect();
    serde_json::json!({ "type": "Polygon", "coordinates": rings }).to_string()
}

/// The outer ring (`[lat, lng]`, not closed) of a GeoJSON Polygon geometry.
pub fn ring_from_geojson(text: &str) -> Result<Vec<[f64; 2]>, String> {
    rings_from_geojson(text).map(|(ring, _)| ring)
}

/// A ring of `[lat, lng]` corners, not closed.
pub type Ring = Vec<[f64; 2]>;

/// The outer ring and the holes of a GeoJSON Polygon geometry.
pub fn rings_from_geojson(text: &str) -> Result<(Ring, Vec<Ring>), String> {
    #[derive(Deserialize)]
    struct Geometry {
        #[serde(rename = "type")]
        kind: String,
        coordinates: Vec<Vec<[f64; 2]>>,
    }
    let g: Geometry =
        serde_json::from_str(text).map_err(|e| format!("not a GeoJSON polygon: {e}"))?;
    if g.kind != "Polygon" {
        return Err(format!("expected a Polygon, got {}", g.kind));
    }
    let mut rings = Vec::with_capacity(g.coordinates.len());
    for (i, r) in g.coordinates.into_iter().enumerate() {
        let mut ring: Vec<[f64; 2]> = r.into_iter().map(|[lng, lat]| [lat, lng]).collect();
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        if ring.len() < 3 {
            return Err(if i == 0 {
                "a polygon needs at least 3 corners".into()
            } else {
                format!("hole {i} needs at least 3 corners")
            });
        }
        rings.push(ring);
    }
    let mut rings = rings.into_iter();
    let outer = rings.next().ok_or("polygon has no ring")?;
    Ok((outer, rings.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_read_as_owners_type_them() {
        let s = parse_slots(" 11:00–13:00; 9-11 ,", "windows", "Monday").unwrap();
        assert_eq!(slots_text(&s), "09:00–11:00, 11:00–13:00");
        assert!(parse_slots("", "windows", "Monday").unwrap().is_empty());
        let err = |t: &str| parse_slots(t, "windows", "Monday").unwrap_err().to_string();
        assert!(err("09:00-11:00, 10:00-12:00").contains("09:00–11:00 overlaps 10:00–12:00"));
        assert!(err("13-11").contains("13:00–11:00 ends before it starts"));
        assert!(err("morning").contains("like 09:00–11:00"));
        assert!(err("9-25").contains("\"25:00\" is not a time"));
        assert!(err("9-25").starts_with("Windows on Monday"));
    }

    #[test]
    fn weekday_masks() {
        let m = mask_of(&[Weekday::Mon, Weekday::Wed, Weekday::Sat]);
        assert!(serves(m, Weekday::Wed));
        assert!(!serves(m, Weekday::Tue));
        assert_eq!(weekday_summary(m), "Mon, Wed, Sat");
        assert_eq!(weekday_summary(0), "Not served");
    }

    #[test]
    fn geojson_round_trip_swaps_axes_and_closes_the_ring() {
        let ring = vec![[40.0, -3.7], [40.1, -3.7], [40.1, -3.6]];
        let text = ring_to_geojson(&ring);
        assert!(
            text.contains("[-3.7,40.0]"),
            "GeoJSON is [lng, lat]: {text}"
        );
        assert_eq!(ring_from_geojson(&text).unwrap(), ring);
        assert!(ring_from_geojson(r#"{"type":"Point","coordinates":[[[0,0]]]}"#).is_err());
        assert!(
            ring_from_geojson(r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}"#).is_err()
        );
    }

    #[test]
    fn holes_survive_the_round_trip() {
        let ring = vec![[0.0, 0.0], [0.0, 4.0], [4.0, 4.0], [4.0, 0.0]];
        let holes = vec![vec![[1.0, 1.0], [1.0, 2.0], [2.0, 2.0], [2.0, 1.0]]];
        let text = polygon_to_geojson(&ring, &holes);
        assert_eq!(rings_from_geojson(&text).unwrap(), (ring.clone(), holes));
        assert_eq!(ring_from_geojson(&text).unwrap(), ring);
        let bad =
            r#"{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,0]],[[1,1],[2,2],[1,1]]]}"#;
        assert_eq!(
            rings_from_geojson(bad).unwrap_err(),
            "hole 1 needs at least 3 corners"
        );
    }
}
