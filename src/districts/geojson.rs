//! Districts as a GeoJSON FeatureCollection: export, and import with validation (every bad
//! feature named, overlapping districts refused, all or nothing).
use crate::said::{said, said_with};
use chrono::Weekday;
use geo::{Area, BooleanOps, Polygon};
use serde_json::{json, Value};
use sqlx::SqlitePool;

use super::locate::polygon;
use super::model::{mask_of, polygon_to_geojson, rings_from_geojson, District};
use crate::error::AppError;

const DAYS: [(&str, Weekday); 7] = [
    ("Mon", Weekday::Mon),
    ("Tue", Weekday::Tue),
    ("Wed", Weekday::Wed),
    ("Thu", Weekday::Thu),
    ("Fri", Weekday::Fri),
    ("Sat", Weekday::Sat),
    ("Sun", Weekday::Sun),
];

/// Shared area above ~10 m² (in degrees², at these latitudes) counts as overlapping; less is
/// floating-point noise along a shared border.
pub(crate) fn overlaps(a: &Polygon<f64>, b: &Polygon<f64>) -> bool {
    a.intersection(b).unsigned_area() > 1e-9
}

/// All districts as a FeatureCollection (positions `[lng, lat]`).
pub async fn export(pool: &SqlitePool) -> Result<Value, AppError> {
    let features: Vec<Value> = super::repo::list(pool)
        .await?
        .into_iter()
        .map(|d| {
            let days: Vec<&str> =
                DAYS.iter().filter(|(_, w)| super::model::serves(d.served_weekdays, *w)).map(|(n, _)| *n).collect();
            let geometry: Value = serde_json::from_str(&polygon_to_geojson(&d.ring, &d.holes)).unwrap_or(Value::Null);
            json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "name": d.name, "colour": d.colour, "served_weekdays": days,
                    "delivery_fee_cents": d.delivery_fee_cents, "min_order_cents": d.min_order_cents,
                    "capacity_per_day": d.capacity_per_day,
                    "delivery_windows": windows_property(&d),
                }
            })
        })
        .collect();
    Ok(json!({"type": "FeatureCollection", "features": features}))
}

/// `{"Mon": ["09:00-11:00", ...], ...}` for the days that offer windows.
fn windows_property(d: &District) -> Value {
    let days: serde_json::Map<String, Value> = DAYS
        .iter()
        .zip(&d.windows)
        .filter(|(_, slots)| !slots.is_empty())
        .map(|((n, _), slots)| {
            let list: Vec<String> = slots
                .iter()
                .map(|s| format!("{}-{}", s.from, s.to))
                .collect();
            (n.to_string(), json!(list))
        })
        .collect();
    Value::Object(days)
}

/// A district read from a file, and whether the file gave its delivery windows (when it
/// doesn't, an import keeps the ones the district has).
pub type Parsed = (District, bool);

/// Parses and checks a FeatureCollection; errors name the feature and the property.
pub fn parse(text: &str) -> Result<Vec<Parsed>, Vec<String>> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| vec![said_with("refuse-geo-json", &[("error", &e)])])?;
    let Some(features) = doc.get("features").and_then(Value::as_array) else {
        return Err(vec![said("refuse-geo-collection")]);
    };
    let mut errors = Vec::new();
    let out: Vec<Parsed> = features
        .iter()
        .enumerate()
        .filter_map(|(i, f)| feature(&format!("features[{i}]"), f, &mut errors))
        .collect();
    // Together: each name once, no two outlines overlapping.
    for (i, (a, _)) in out.iter().enumerate() {
        if out[..i].iter().any(|(b, _)| b.name == a.name) {
            errors.push(said_with("refuse-geo-twice", &[("name", &a.name)]));
        }
        for (b, _) in &out[..i] {
            if overlaps(&polygon(a), &polygon(b)) {
                errors.push(said_with(
                    "refuse-geo-overlap",
                    &[("a", &a.name), ("b", &b.name)],
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// One feature (`at` in the file) as a district, its problems added to `errors`; None when it
/// has no usable outline.
fn feature(at: &str, f: &Value, errors: &mut Vec<String>) -> Option<Parsed> {
    let p = &f["properties"];
    let name = p["name"].as_str().map(str::trim).unwrap_or("");
    if name.is_empty() {
        errors.push(said_with("refuse-geo-name", &[("at", &at)]));
    }
    let ring = match rings_from_geojson(&f["geometry"].to_string()) {
        Ok(r) => Some(r),
        Err(e) => {
            errors.push(said_with(
                "refuse-geo-geometry",
                &[("at", &at), ("name", &name), ("error", &e)],
            ));
            None
        }
    };
    let mut days = Vec::new();
    for d in p["served_weekdays"].as_array().cloned().unwrap_or_default() {
        match DAYS.iter().find(|(n, _)| Some(*n) == d.as_str()) {
            Some((_, w)) => days.push(*w),
            None => errors.push(said_with(
                "refuse-geo-weekday",
                &[
                    ("at", &at),
                    ("key", &"served_weekdays"),
                    ("name", &name),
                    ("day", &d),
                ],
            )),
        }
    }
    let mut number = |key: &str, default: i64| match &p[key] {
        Value::Null => default,
        v => v.as_i64().filter(|n| *n >= 0).unwrap_or_else(|| {
            errors.push(said_with(
                "refuse-geo-number",
                &[("at", &at), ("key", &key), ("name", &name)],
            ));
            0
        }),
    };
    let fee = number("delivery_fee_cents", 0);
    let min = number("min_order_cents", 0);
    let cap = number("capacity_per_day", 20);
    let colour = p["colour"].as_str().unwrap_or("#7a3e12").to_string();
    let (windows, given) = windows(&p["delivery_windows"], &days, at, name, errors);
    let (ring, holes) = ring?;
    let d = District {
        id: 0,
        name: name.to_string(),
        colour,
        ring,
        holes,
        served_weekdays: mask_of(&days),
        delivery_fee_cents: fee,
        min_order_cents: min,
        capacity_per_day: cap,
        windows,
    };
    if geo::Validation::check_validation(&polygon(&d)).is_err() {
        errors.push(said_with(
            "refuse-geo-crosses",
            &[("at", &at), ("name", &name)],
        ));
    }
    Some((d, given))
}

/// A feature's `delivery_windows` (`{"Mon": ["09:00-11:00"]}`, a day's list or one text),
/// kept for its served `days`; and whether the file gave them.
fn windows(
    given: &Value,
    days: &[chrono::Weekday],
    at: &str,
    name: &str,
    errors: &mut Vec<String>,
) -> (super::model::Windows, bool) {
    let mut windows: super::model::Windows = Default::default();
    let Value::Object(by_day) = given else {
        if !given.is_null() {
            errors.push(said_with(
                "refuse-geo-windows-shape",
                &[
                    ("at", &at),
                    ("name", &name),
                    ("example", &r#"{"Mon": ["09:00-11:00"]}"#),
                ],
            ));
        }
        return (windows, false);
    };
    for (day, list) in by_day {
        let Some(i) = DAYS.iter().position(|(n, _)| n == day) else {
            errors.push(said_with(
                "refuse-geo-weekday",
                &[
                    ("at", &at),
                    ("key", &"delivery_windows"),
                    ("name", &name),
                    ("day", &day),
                ],
            ));
            continue;
        };
        let text = match list {
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            Value::String(t) => t.clone(),
            _ => String::new(),
        };
        match super::model::parse_slots(&text, "delivery_windows", day) {
            Ok(slots) if days.contains(&DAYS[i].1) => windows[i] = slots,
            Ok(_) => {}
            Err(e) => errors.push(said_with(
                "refuse-geo-windows",
                &[("at", &at), ("name", &name), ("error", &e)],
            )),
        }
    }
    (windows, true)
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub updated: usize,
    pub added: usize,
    /// Upcoming orders whose district changed with the new boundaries.
    pub moved: usize,
}

/// Imports districts: updates those with the same name, adds new ones, and gives upcoming
/// orders the district they now fall in, all in one transaction.
pub async fn import(
    pool: &SqlitePool,
    text: &str,
    today: &str,
    actor: Option<i64>,
) -> Result<(Imported, Vec<(i64, i64, String, i64)>), AppError> {
    let districts = parse(text).map_err(|e| AppError::invalid("districts", e.join("; ")))?;
    let mut tx = crate::server::db::begin_write(pool).await?;
    let (mut updated, mut added) = (0, 0);
    let existing = super::repo::list(&mut *tx).await?;
    for (d, windows_given) in &districts {
        let old = existing.iter().find(|o| o.name == d.name);
        let mut d = d.clone();
        if let (Some(old), false) = (old, windows_given) {
            d.windows = old.windows.clone();
        }
        super::repo::save_in(&mut tx, old.map(|o| o.id), &d).await?;
        if old.is_some() {
            updated += 1;
        } else {
            added += 1;
        }
    }
    // The new shapes must not overlap the districts the file did not mention either.
    let all = {
        let rows = sqlx::query!(r#"SELECT name, boundary FROM districts"#)
            .fetch_all(&mut *tx)
            .await?;
        rows.into_iter()
            .filter_map(|r| {
                rings_from_geojson(&r.boundary)
                    .ok()
                    .map(|rings| (r.name, rings))
            })
            .collect::<Vec<_>>()
    };
    for (i, (na, ra)) in all.iter().enumerate() {
        for (nb, rb) in &all[..i] {
            let pa = polygon(&District {
                ring: ra.0.clone(),
                holes: ra.1.clone(),
                ..districts[0].0.clone()
            });
            let pb = polygon(&District {
                ring: rb.0.clone(),
                holes: rb.1.clone(),
                ..districts[0].0.clone()
            });
            if overlaps(&pa, &pb) {
                return Err(AppError::invalid(
                    "districts",
                    crate::said::said_with("refuse-import-overlap", &[("a", &na), ("b", &nb)]),
                ));
            }
        }
    }
    let moved = super::relocate::relocate(&mut tx, today, actor).await?;
    tx.commit().await?;
    Ok((
        Imported {
            updated,
            added,
            moved: moved.len(),
        },
        moved,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_broken_file_is_refused_in_the_readers_language() {
        let file = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":""},"geometry":null}]}"#;
        assert!(parse(file).unwrap_err()[0].contains("features[0].properties.name is required"));
        let es = crate::i18n::Lang::parse("es").unwrap();
        let (errors, not_json) = crate::i18n::reading(es, async {
            (parse(file).unwrap_err(), parse("{").unwrap_err())
        })
        .await;
        assert_eq!(errors[0], "features[0].properties.name es obligatorio");
        assert!(not_json[0].starts_with("no es JSON: "), "{not_json:?}");
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn export_then_import_gives_the_same_districts(pool: SqlitePool) {
        let cfg = crate::server::config::Config::from_env().unwrap();
        crate::server::demo::load(&pool, &cfg, false).await.unwrap();
        let before = super::super::repo::list(&pool).await.unwrap();
        let doc = export(&pool).await.unwrap();
        assert_eq!(doc["features"].as_array().unwrap().len(), 11);
        // Re-import into the same database (all updated) and compare.
        let (done, _) = import(&pool, &doc.to_string(), "2000-01-01", None)
            .await
            .unwrap();
        assert_eq!((done.updated, done.added, done.moved), (11, 0, 0));
        let after = super::super::repo::list(&pool).await.unwrap();
        assert_eq!(before, after);
        // Parsing gives the same shapes and settings too.
        let parsed = parse(&doc.to_string()).unwrap();
        for ((p, given), b) in parsed.iter().zip(&before) {
            assert!(given, "the export carries {}'s windows", p.name);
            assert_eq!(p.windows, b.windows);
            assert_eq!(
                (&p.name, &p.ring, p.served_weekdays, p.capacity_per_day),
                (&b.name, &b.ring, b.served_weekdays, b.capacity_per_day)
            );
        }
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn a_district_with_a_hole_and_the_enclave_in_it_export_and_import_alike(
        pool: SqlitePool,
    ) {
        // Far from the demo's Madrid: a 3×3 square around a 1×1 enclave.
        let doc = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "Ring", "served_weekdays": ["Mon"]},
             "geometry": {"type": "Polygon", "coordinates": [
                 [[10.0, 10.0], [13.0, 10.0], [13.0, 13.0], [10.0, 13.0], [10.0, 10.0]],
                 [[11.0, 11.0], [12.0, 11.0], [12.0, 12.0], [11.0, 12.0], [11.0, 11.0]]]}},
            {"type": "Feature", "properties": {"name": "Enclave", "served_weekdays": ["Tue"]},
             "geometry": {"type": "Polygon", "coordinates": [
                 [[11.0, 11.0], [12.0, 11.0], [12.0, 12.0], [11.0, 12.0], [11.0, 11.0]]]}}
        ]});
        let (done, _) = import(&pool, &doc.to_string(), "2000-01-01", None)
            .await
            .unwrap();
        assert_eq!((done.added, done.updated), (2, 0));
        let stored = super::super::repo::list(&pool).await.unwrap();
        let ring = stored.iter().find(|d| d.name == "Ring").unwrap();
        assert_eq!(ring.holes.len(), 1);
        let at = |lat, lng| super::super::locate::locate(&stored, lat, lng).map(|d| d.name.clone());
        assert_eq!(at(11.5, 11.5).as_deref(), Some("Enclave"));
        assert_eq!(at(10.5, 11.5).as_deref(), Some("Ring"));
        // Export, then import again: the same districts, hole included.
        let again = export(&pool).await.unwrap();
        let (done, _) = import(&pool, &again.to_string(), "2000-01-01", None)
            .await
            .unwrap();
        assert_eq!((done.added, done.updated), (0, 2));
        assert_eq!(super::super::repo::list(&pool).await.unwrap(), stored);
        // A hole that sticks out of its outline is refused by name.
        let broken = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "Leaky"},
             "geometry": {"type": "Polygon", "coordinates": [
                 [[20.0, 20.0], [21.0, 20.0], [21.0, 21.0], [20.0, 21.0], [20.0, 20.0]],
                 [[20.5, 20.5], [22.0, 20.5], [22.0, 20.8], [20.5, 20.8], [20.5, 20.5]]]}}
        ]});
        let errors = parse(&broken.to_string()).unwrap_err().join("\n");
        assert!(errors.contains("features[0].geometry (Leaky)"), "{errors}");
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn overlapping_or_broken_districts_are_refused_and_change_nothing(pool: SqlitePool) {
        let cfg = crate::server::config::Config::from_env().unwrap();
        crate::server::demo::load(&pool, &cfg, false).await.unwrap();
        let before = super::super::repo::list(&pool).await.unwrap();
        // A new district laid over the middle of Madrid overlaps existing ones.
        let overlap = json!({"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"name": "Everywhere", "served_weekdays": ["Mon"]},
            "geometry": {"type": "Polygon", "coordinates": [[[-3.71, 40.41], [-3.69, 40.41], [-3.69, 40.43], [-3.71, 40.43], [-3.71, 40.41]]]}
        }]});
        let err = import(&pool, &overlap.to_string(), "2000-01-01", None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("would overlap"), "{err}");
        assert_eq!(super::super::repo::list(&pool).await.unwrap(), before);
        let broken = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "", "served_weekdays": ["Funday"]},
             "geometry": {"type": "Point", "coordinates": [0, 0]}}
        ]});
        let errors = parse(&broken.to_string()).unwrap_err().join("\n");
        assert!(
            errors.contains("features[0].properties.name is required"),
            "{errors}"
        );
        assert!(errors.contains("Funday"), "{errors}");
        assert!(errors.contains("features[0].geometry"), "{errors}");
        // Touching squares are fine; overlapping ones are named.
        let sq = |name: &str, x: f64| {
            json!({"type": "Feature", "properties": {"name": name},
            "geometry": {"type": "Polygon", "coordinates": [[[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]]]}})
        };
        assert!(parse(
            &json!({"type": "FeatureCollection", "features": [sq("A", 0.0), sq("B", 1.0)]})
                .to_string()
        )
        .is_ok());
        let errors = parse(
            &json!({"type": "FeatureCollection", "features": [sq("A", 0.0), sq("B", 0.5)]})
                .to_string(),
        )
        .unwrap_err();
        assert!(errors[0].contains("B overlaps A"), "{errors:?}");
    }
}
