//! The district editor over HTTP: drawing a district, redrawing one (upcoming orders follow
//! their pins in and out), every refused shape or field named with nothing changed, deleting,
//! and GeoJSON export then import giving the same districts.
mod common;

use common::*;
use serde_json::Value;

/// A square `[lat, lng]` ring with its south-west corner at (lat, lng), `size` degrees wide.
fn square(lat: f64, lng: f64, size: f64) -> Vec<[f64; 2]> {
    vec![
        [lat, lng],
        [lat, lng + size],
        [lat + size, lng + size],
        [lat + size, lng],
    ]
}

struct Form<'a> {
    id: Option<i64>,
    name: &'a str,
    colour: &'a str,
    fee: &'a str,
    min: &'a str,
    capacity: &'a str,
    ring: String,
}

impl<'a> Form<'a> {
    fn new(name: &'a str, ring: &[[f64; 2]]) -> Self {
        Form {
            id: None,
            name,
            colour: "#0f766e",
            fee: "3.50",
            min: "15.00",
            capacity: "12",
            ring: serde_json::to_string(ring).unwrap(),
        }
    }

    fn body(&self) -> String {
        let mut b = format!(
            "name={}&colour={}&served_weekdays=127&delivery_fee={}&min_order={}&capacity_per_day={}&ring={}",
            enc(self.name),
            enc(self.colour),
            enc(self.fee),
            enc(self.min),
            enc(self.capacity),
            enc(&self.ring)
        );
        if let Some(id) = self.id {
            b.push_str(&format!("&id={id}"));
        }
        b
    }
}

/// The save body for district `id` as it stands, with outline `ring` and weekdays `mask`
/// (its own when None); and its own weekdays.
async fn resave(s: &TestServer, id: i64, ring: &[[f64; 2]], mask: Option<i64>) -> (String, i64) {
    let row: (String, String, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT name, colour, served_weekdays, delivery_fee_cents, min_order_cents, capacity_per_day FROM districts WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let f = Form {
        id: Some(id),
        name: &row.0,
        colour: &row.1,
        fee: &format!("{:.2}", row.3 as f64 / 100.0),
        min: &format!("{:.2}", row.4 as f64 / 100.0),
        capacity: &row.5.to_string(),
        ring: serde_json::to_string(ring).unwrap(),
    };
    let body = f.body().replace(
        "served_weekdays=127",
        &format!("served_weekdays={}", mask.unwrap_or(row.2)),
    );
    (body, row.2)
}

async fn save(s: &TestServer, c: &reqwest::Client, f: &Form<'_>) -> (u16, String) {
    let res = s.call(c, "/api/save_district", &f.body()).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Every district row as text, to prove a refusal changed nothing.
async fn snapshot(s: &TestServer) -> Vec<(String, String, i64, i64)> {
    sqlx::query_as(
        "SELECT name, boundary, capacity_per_day, delivery_fee_cents FROM districts ORDER BY id",
    )
    .fetch_all(&s.state.pool)
    .await
    .unwrap()
}

/// An upcoming undelivered delivery order with a district: (id, lat, lng, district).
async fn upcoming_order(s: &TestServer) -> (i64, f64, f64, i64) {
    let today = s.state.config.today().to_string();
    sqlx::query_as(
        "SELECT id, lat, lng, district_id FROM orders WHERE fulfilment = 'delivery' AND district_id IS NOT NULL
           AND lat IS NOT NULL AND status IN ('received', 'confirmed') AND fulfil_on >= ? ORDER BY id LIMIT 1",
    )
    .bind(today)
    .fetch_one(&s.state.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_new_district_claims_the_orders_whose_pins_fall_in_it() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let before = s.count("SELECT COUNT(*) FROM districts").await;
    // An order whose pin is outside every district (south of the demo's), as after a redraw.
    let (order, _, _, _) = upcoming_order(&s).await;
    sqlx::query("UPDATE orders SET lat = 40.3655, lng = -3.7455, district_id = NULL WHERE id = ?")
        .bind(order)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let (status, text) = save(
        &s,
        &owner,
        &Form::new("Usera Sur", &square(40.36, -3.75, 0.01)),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let change: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(change["moved"], 1, "{text}");
    assert_eq!(s.count("SELECT COUNT(*) FROM districts").await, before + 1);
    let id = change["id"].as_i64().unwrap();
    let got: Option<i64> = sqlx::query_scalar("SELECT district_id FROM orders WHERE id = ?")
        .bind(order)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(got, Some(id));
    let history: String = sqlx::query_scalar(
        "SELECT detail FROM order_events WHERE order_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(order)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert!(history.contains("Now in district Usera Sur"), "{history}");
    // The editor lists it with its upcoming order.
    let res = s.call(&owner, "/api/get_districts", "").await;
    let data: Value = res.json().await.unwrap();
    let row = data["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["district"]["name"] == "Usera Sur")
        .cloned()
        .unwrap();
    assert_eq!(row["upcoming"], 1);
    assert_eq!(row["district"]["capacity_per_day"], 12);
    assert_eq!(row["district"]["delivery_fee_cents"], 350);
}

#[tokio::test]
async fn bad_shapes_and_fields_are_refused_by_name_and_change_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let before = snapshot(&s).await;
    // Over the middle of an existing district.
    let (name, boundary): (String, String) =
        sqlx::query_as("SELECT name, boundary FROM districts ORDER BY id LIMIT 1")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let geo: Value = serde_json::from_str(&boundary).unwrap();
    let ring: Vec<[f64; 2]> = geo["coordinates"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| [p[1].as_f64().unwrap(), p[0].as_f64().unwrap()])
        .collect();
    let (lat, lng) = (
        ring.iter().map(|p| p[0]).sum::<f64>() / ring.len() as f64,
        ring.iter().map(|p| p[1]).sum::<f64>() / ring.len() as f64,
    );
    let (status, text) = save(
        &s,
        &owner,
        &Form::new("Overlapper", &square(lat - 0.001, lng - 0.001, 0.002)),
    )
    .await;
    assert_eq!(status, 422, "{text}");
    assert!(
        text.contains("boundary") && text.contains(&format!("overlaps {name}")),
        "{text}"
    );
    // An outline that crosses itself (a bow tie).
    let bow = vec![
        [40.36, -3.75],
        [40.37, -3.74],
        [40.36, -3.74],
        [40.37, -3.75],
    ];
    let (status, text) = save(&s, &owner, &Form::new("Bow tie", &bow)).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("crosses itself"), "{text}");
    // Too few corners; no outline at all.
    let (status, text) = save(
        &s,
        &owner,
        &Form::new("Line", &[[40.36, -3.75], [40.37, -3.74]]),
    )
    .await;
    assert!(
        status == 422 && text.contains("at least 3 corners"),
        "{text}"
    );
    let mut f = Form::new("Nowhere", &square(40.36, -3.75, 0.01));
    f.ring = "not json".into();
    let (status, text) = save(&s, &owner, &f).await;
    assert!(status == 422 && text.contains("boundary"), "{text}");
    // Each bad field is named.
    let ok = square(40.36, -3.75, 0.01);
    for (field, tweak) in [
        (
            "name",
            Box::new(|f: &mut Form| f.name = "  ") as Box<dyn Fn(&mut Form)>,
        ),
        ("colour", Box::new(|f: &mut Form| f.colour = "red")),
        ("delivery_fee", Box::new(|f: &mut Form| f.fee = "abc")),
        ("min_order", Box::new(|f: &mut Form| f.min = "-1")),
        (
            "capacity_per_day",
            Box::new(|f: &mut Form| f.capacity = "2.5"),
        ),
    ] {
        let mut f = Form::new("Usera Sur", &ok);
        tweak(&mut f);
        let (status, text) = save(&s, &owner, &f).await;
        assert_eq!(status, 422, "{field}: {text}");
        assert!(text.contains(field), "{field}: {text}");
    }
    // A name already taken (in any case).
    let (status, text) = save(&s, &owner, &Form::new(&name.to_uppercase(), &ok)).await;
    assert!(status == 422 && text.contains("already called"), "{text}");
    assert_eq!(snapshot(&s).await, before);
}

#[tokio::test]
async fn shrinking_a_district_sends_orders_outside_it_to_needs_a_location() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let today = s.state.config.today().to_string();
    // An upcoming order whose tiny triangle below lies wholly in its own district (the demo's
    // orders move with the date: the first one may sit on a border with another district).
    let triangle = |lat: f64, lng: f64| {
        vec![
            [lat - 0.0002, lng - 0.0002],
            [lat - 0.0002, lng + 0.0002],
            [lat + 0.0002, lng],
        ]
    };
    let districts = hearth::districts::repo::list(&s.state.pool).await.unwrap();
    let candidates: Vec<(i64, f64, f64, i64)> = sqlx::query_as(
        "SELECT id, lat, lng, district_id FROM orders WHERE fulfilment = 'delivery' AND district_id IS NOT NULL
           AND lat IS NOT NULL AND status IN ('received', 'confirmed') AND fulfil_on >= ? ORDER BY id",
    )
    .bind(&today)
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    let (order, lat, lng, district) = candidates
        .into_iter()
        .find(|(_, lat, lng, d)| {
            triangle(*lat, *lng).iter().all(|[a, b]| {
                hearth::districts::locate::locate(&districts, *a, *b).map(|x| x.id) == Some(*d)
            })
        })
        .expect("an order well inside its district");
    let upcoming: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE district_id = ? AND fulfil_on >= ? AND status NOT IN ('delivered', 'cancelled')",
    )
    .bind(district)
    .bind(&today)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let used_before: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'stops' AND ref_id = ? AND day >= ?",
    )
    .bind(district)
    .bind(&today)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    // A tiny triangle around one order only (other orders at the same address stay too).
    let ring = triangle(lat, lng);
    let same_spot: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE district_id = ? AND fulfil_on >= ? AND status NOT IN ('delivered', 'cancelled')
           AND abs(lat - ?) < 0.0001 AND abs(lng - ?) < 0.0001",
    )
    .bind(district)
    .bind(&today)
    .bind(lat)
    .bind(lng)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let (body, _) = resave(&s, district, &ring, None).await;
    let res = s.call(&owner, "/api/save_district", &body).await;
    assert_eq!(res.status(), 200);
    let change: Value = res.json().await.unwrap();
    assert_eq!(change["moved"].as_i64().unwrap(), upcoming - same_spot);
    let kept: Option<i64> = sqlx::query_scalar("SELECT district_id FROM orders WHERE id = ?")
        .bind(order)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(kept, Some(district));
    // The others need a location now, and the district's counters gave their stops back.
    let used_after: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'stops' AND ref_id = ? AND day >= ?",
    )
    .bind(district)
    .bind(&today)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(used_before - used_after, upcoming - same_spot);
    let res = s.call(&owner, "/api/get_districts", "").await;
    let data: Value = res.json().await.unwrap();
    assert!(data["needs_location"].as_i64().unwrap() >= upcoming - same_spot);
}

#[tokio::test]
async fn only_a_district_without_orders_can_be_deleted() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let (_, _, _, used) = upcoming_order(&s).await;
    let res = s
        .call(&owner, "/api/delete_district", &format!("id={used}"))
        .await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("can't be deleted"));
    let (status, text) = save(&s, &owner, &Form::new("Spare", &square(40.36, -3.75, 0.01))).await;
    assert_eq!(status, 200, "{text}");
    let id = serde_json::from_str::<Value>(&text).unwrap()["id"]
        .as_i64()
        .unwrap();
    let res = s
        .call(&owner, "/api/delete_district", &format!("id={id}"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "\"Spare\"");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM districts WHERE id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn exported_geojson_imports_back_to_the_same_districts() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let before = snapshot(&s).await;
    let res = s.call(&owner, "/api/export_districts", "").await;
    assert_eq!(res.status(), 200);
    let text: String = res.json().await.unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    assert_eq!(doc["features"].as_array().unwrap().len(), before.len());
    let res = s
        .call(
            &owner,
            "/api/import_districts",
            &format!("geojson={}", enc(&text)),
        )
        .await;
    assert_eq!(res.status(), 200);
    let change: Value = res.json().await.unwrap();
    assert_eq!(
        change["summary"],
        format!(
            "Imported {} districts (0 new, {} updated)",
            before.len(),
            before.len()
        )
    );
    assert_eq!(change["moved"], 0);
    assert_eq!(snapshot(&s).await, before);
    // A broken file is refused with the feature named, and changes nothing.
    let res = s
        .call(
            &owner,
            "/api/import_districts",
            &format!("geojson={}", enc(r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":""},"geometry":null}]}"#)),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("features[0].properties.name is required"));
    assert_eq!(snapshot(&s).await, before);
}

#[tokio::test]
async fn unticking_a_day_with_booked_orders_names_them_and_saves_nothing() {
    use chrono::Datelike;
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let (order, _, _, district) = upcoming_order(&s).await;
    let (number, day): (i64, String) =
        sqlx::query_as("SELECT number, fulfil_on FROM orders WHERE id = ?")
            .bind(order)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let weekday = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .unwrap()
        .weekday()
        .num_days_from_monday();
    let ring: Vec<[f64; 2]> = serde_json::from_value(
        s.call(&owner, "/api/get_districts", "")
            .await
            .json::<Value>()
            .await
            .unwrap()["districts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["district"]["id"] == district)
            .map(|d| d["district"]["ring"].clone())
            .unwrap(),
    )
    .unwrap();
    let (_, served) = resave(&s, district, &ring, None).await;
    assert!(served & (1 << weekday) != 0, "the order's day is served");
    let before = snapshot(&s).await;
    let (body, _) = resave(&s, district, &ring, Some(served & !(1 << weekday))).await;
    let res = s.call(&owner, "/api/save_district", &body).await;
    assert_eq!(res.status(), 422);
    let text = res.text().await.unwrap();
    assert!(text.contains("served_weekdays"), "{text}");
    assert!(text.contains(&format!("#{number}")), "{text}");
    assert_eq!(snapshot(&s).await, before);
    let mask: i64 = sqlx::query_scalar("SELECT served_weekdays FROM districts WHERE id = ?")
        .bind(district)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(mask, served, "nothing saved");
    // Unchanged days save as before.
    let (body, _) = resave(&s, district, &ring, None).await;
    assert_eq!(
        s.call(&owner, "/api/save_district", &body).await.status(),
        200
    );
}
