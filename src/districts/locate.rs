//! Which district a point is in (point-in-polygon with the `geo` crate).
use geo::{Contains, Coord, LineString, Point, Polygon};

use super::model::District;

/// A district's boundary as a `geo` polygon (x = lng, y = lat).
pub fn polygon(d: &District) -> Polygon<f64> {
    let ring: Vec<Coord<f64>> = d
        .ring
        .iter()
        .map(|[lat, lng]| Coord { x: *lng, y: *lat })
        .collect();
    Polygon::new(LineString::from(ring), vec![])
}

/// The district containing (lat, lng). Points exactly on a border shared by two districts go
/// to the one listed first (districts are listed by name), so every point has one answer.
pub fn locate(districts: &[District], lat: f64, lng: f64) -> Option<&District> {
    let p = Point::new(lng, lat);
    districts.iter().find(|d| {
        let poly = polygon(d);
        poly.contains(&p) || geo::Intersects::intersects(&poly.exterior().clone(), &p)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(id: i64, name: &str, lat0: f64, lng0: f64) -> District {
        District {
            id,
            name: name.into(),
            colour: "#000".into(),
            ring: vec![
                [lat0, lng0],
                [lat0, lng0 + 1.0],
                [lat0 + 1.0, lng0 + 1.0],
                [lat0 + 1.0, lng0],
            ],
            served_weekdays: 127,
            delivery_fee_cents: 0,
            min_order_cents: 0,
            capacity_per_day: 10,
        }
    }

    #[test]
    fn inside_outside_and_on_shared_borders() {
        let ds = vec![square(1, "A", 0.0, 0.0), square(2, "B", 0.0, 1.0)];
        assert_eq!(locate(&ds, 0.5, 0.5).map(|d| d.id), Some(1));
        assert_eq!(locate(&ds, 0.5, 1.5).map(|d| d.id), Some(2));
        assert_eq!(
            locate(&ds, 0.5, 1.0).map(|d| d.id),
            Some(1),
            "shared border: first listed"
        );
        assert_eq!(
            locate(&ds, 0.0, 0.5).map(|d| d.id),
            Some(1),
            "outer border counts as inside"
        );
        assert!(locate(&ds, 2.0, 0.5).is_none());
        assert!(locate(&ds, 0.5, -0.0001).is_none());
    }
}
