//! Which district a point is in (point-in-polygon with the `geo` crate).
use geo::{Contains, Coord, LineString, Point, Polygon};

use super::model::District;

/// A district's boundary as a `geo` polygon (x = lng, y = lat).
pub fn polygon(d: &District) -> Polygon<f64> {
    let line = |r: &[[f64; 2]]| {
        LineString::from(
            r.iter()
                .map(|[lat, lng]| Coord { x: *lng, y: *lat })
                .collect::<Vec<_>>(),
        )
    };
    Polygon::new(line(&d.ring), d.holes.iter().map(|h| line(h)).collect())
}

/// The district containing (lat, lng). A point inside a hole is not in the district (it may be
/// in the district the hole leaves room for). Points exactly on a border, the outline's or a
/// hole's, count as inside; on a border shared by two districts they go to the one listed
/// first (districts are listed by name), so every point has one answer.
pub fn locate(districts: &[District], lat: f64, lng: f64) -> Option<&District> {
    let p = Point::new(lng, lat);
    districts.iter().find(|d| {
        let poly = polygon(d);
        poly.contains(&p) || geo::Intersects::intersects(&poly, &p)
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
            holes: vec![],
            served_weekdays: 127,
            delivery_fee_cents: 0,
            min_order_cents: 0,
            capacity_per_day: 10,
            windows: Default::default(),
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

    #[test]
    fn holes_leave_room_for_what_is_inside_them() {
        // A 3×3 district with a 1×1 hole in the middle, and (listed second) a small district
        // that fills the hole exactly.
        let mut ring = square(1, "A", 0.0, 0.0);
        ring.ring = vec![[0.0, 0.0], [0.0, 3.0], [3.0, 3.0], [3.0, 0.0]];
        ring.holes = vec![vec![[1.0, 1.0], [1.0, 2.0], [2.0, 2.0], [2.0, 1.0]]];
        let inner = square(2, "B", 1.0, 1.0);
        let alone = vec![ring.clone()];
        assert!(
            locate(&alone, 1.5, 1.5).is_none(),
            "inside the hole: outside A"
        );
        assert_eq!(locate(&alone, 0.5, 1.5).map(|d| d.id), Some(1));
        assert_eq!(
            locate(&alone, 1.0, 1.5).map(|d| d.id),
            Some(1),
            "on the hole's border counts as A"
        );
        let both = vec![ring, inner];
        assert_eq!(
            locate(&both, 1.5, 1.5).map(|d| d.id),
            Some(2),
            "the enclave"
        );
        assert_eq!(
            locate(&both, 2.0, 1.5).map(|d| d.id),
            Some(1),
            "a border shared with the enclave: first listed"
        );
        // The enclave and the district around it share borders but no area.
        assert!(!crate::districts::geojson::overlaps(
            &polygon(&both[0]),
            &polygon(&both[1])
        ));
        let mut bigger = both[1].clone();
        bigger.ring = vec![[0.5, 0.5], [0.5, 2.0], [2.0, 2.0], [2.0, 0.5]];
        assert!(crate::districts::geojson::overlaps(
            &polygon(&both[0]),
            &polygon(&bigger)
        ));
    }
}
