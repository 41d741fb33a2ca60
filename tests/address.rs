//! Changing a delivery's address and door pin from the drawer over HTTP: the district, fee and
//! total follow the pin; a run holding the stop is re-timed; refusals name the field and change
//! nothing.
mod common;

use common::*;
use hearth::districts::{locate::locate, model::District, repo};

/// A point inside `d` (the districts are convex, so the mean of the corners is inside).
fn inside(d: &District) -> (f64, f64) {
    let n = d.ring.len() as f64;
    let lat = d.ring.iter().map(|p| p[0]).sum::<f64>() / n;
    let lng = d.ring.iter().map(|p| p[1]).sum::<f64>() / n;
    (lat, lng)
}

/// What must not change when an edit is refused.
async fn state(s: &TestServer, id: i64) -> (String, Option<f64>, Option<i64>, i64, i64, i64) {
    let row: (Option<String>, Option<f64>, Option<i64>, i64, i64) = sqlx::query_as(
        "SELECT address, lat, district_id, total_cents, version FROM orders WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let stops = s
        .count("SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'stops'")
        .await;
    (row.0.unwrap_or_default(), row.1, row.2, row.3, row.4, stops)
}

async fn edit(
    s: &TestServer,
    c: &reqwest::Client,
    id: i64,
    version: i64,
    address: &str,
    pin: Option<(f64, f64)>,
) -> (u16, String) {
    let (lat, lng) = pin.map_or((String::new(), String::new()), |(a, b)| {
        (a.to_string(), b.to_string())
    });
    let body = format!(
        "order_id={id}&version={version}&address={}&lat={lat}&lng={lng}",
        enc(address)
    );
    let res = s.call(c, "/api/edit_address", &body).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// A received delivery order with a district: (id, version, district id, day).
async fn received(s: &TestServer) -> (i64, i64, i64, String) {
    sqlx::query_as(
        "SELECT id, version, district_id, fulfil_on FROM orders WHERE status = 'received'
           AND fulfilment = 'delivery' AND district_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_new_pin_in_another_district_moves_the_stop_fee_and_total() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (id, version, from_district, day) = received(&s).await;
    let districts = repo::list(&s.state.pool).await.unwrap();
    let other = districts.iter().find(|d| d.id != from_district).unwrap();
    // Make sure the other district serves that day, has room and charges a different fee.
    sqlx::query(
        "UPDATE districts SET served_weekdays = 127, capacity_per_day = 500, delivery_fee_cents = 777 WHERE id = ?",
    )
    .bind(other.id)
    .execute(&s.state.pool)
    .await
    .unwrap();
    let count = |d: i64| {
        let day = day.clone();
        let pool = s.state.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'stops' AND ref_id = ? AND day = ?",
            )
            .bind(d)
            .bind(day)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (old_count, new_count) = (count(from_district).await, count(other.id).await);
    let pin = inside(other);
    assert_eq!(
        locate(&districts, pin.0, pin.1).map(|d| d.id),
        Some(other.id)
    );
    let (status, text) = edit(&s, &staff, id, version, "Calle Nueva 7, 2ºB", Some(pin)).await;
    assert_eq!(status, 200, "{text}");
    let (address, lat, lng, district, fee, subtotal, total, v): (
        String,
        f64,
        f64,
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        "SELECT address, lat, lng, district_id, delivery_fee_cents, subtotal_cents, total_cents, version
           FROM orders WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(address, "Calle Nueva 7, 2ºB");
    assert_eq!((lat, lng), pin);
    assert_eq!(district, other.id);
    assert_eq!(fee, 777);
    assert_eq!(total, subtotal + 777);
    assert_eq!(v, version + 1);
    assert_eq!(count(from_district).await, old_count - 1);
    assert_eq!(count(other.id).await, new_count + 1);
    let history: String = sqlx::query_scalar(
        "SELECT detail FROM order_events WHERE order_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert!(
        history.contains("address") && history.contains(&other.name) && history.contains("7.77"),
        "{history}"
    );
    // The storefront (webhook outbox) hears of it.
    assert!(
        s.count("SELECT COUNT(*) FROM webhook_outbox WHERE event = 'order.updated'")
            .await
            >= 1
    );
    // The old version is stale now.
    let (status, text) = edit(&s, &staff, id, version, "Calle Vieja 1", None).await;
    assert_eq!(status, 409, "{text}");
}

#[tokio::test]
async fn a_moved_pin_re_times_the_run_that_holds_the_stop() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let stops = publish_today_for(&s, &owner, DRIVER).await;
    let ids: Vec<i64> = stops.iter().map(|s| s.0).collect();
    let (order, version, district): (i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT id, version, district_id FROM orders WHERE id IN ({}) AND status IN ('received', 'confirmed', 'baking', 'ready') LIMIT 1",
        ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
    ))
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let before: (i64, String) =
        sqlx::query_as("SELECT leg_m, eta FROM run_stops WHERE order_id = ?")
            .bind(order)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let districts = repo::list(&s.state.pool).await.unwrap();
    let d = districts.iter().find(|d| d.id == district).unwrap();
    // Another spot in the same district: the corner-most point still inside it.
    let c = inside(d);
    let far = (
        c.0 + (d.ring[0][0] - c.0) * 0.9,
        c.1 + (d.ring[0][1] - c.1) * 0.9,
    );
    assert_eq!(
        locate(&districts, far.0, far.1).map(|x| x.id),
        Some(district)
    );
    let (status, text) = edit(
        &s,
        &owner,
        order,
        version,
        "Same street, other door",
        Some(far),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let after: (i64, String) =
        sqlx::query_as("SELECT leg_m, eta FROM run_stops WHERE order_id = ?")
            .bind(order)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_ne!(
        after.0, before.0,
        "the leg to the new door is measured again"
    );
}

#[tokio::test]
async fn refused_addresses_name_the_field_and_change_nothing() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (id, version, from_district, day) = received(&s).await;
    let districts = repo::list(&s.state.pool).await.unwrap();
    let other = districts.iter().find(|d| d.id != from_district).unwrap();
    let pin = inside(other);
    let before = state(&s, id).await;
    let weekday = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .map(|d| chrono::Datelike::weekday(&d).num_days_from_monday())
        .unwrap();
    for (address, lat, lng, field, why) in [
        ("  ", "", "", "address", "street and number"),
        ("Calle 1", "40.4", "", "lat", "both latitude and longitude"),
        ("Calle 1", "north", "-3.7", "lat", "a number"),
        ("Calle 1", "95", "-3.7", "lat", "not a place on Earth"),
        // The middle of the Atlantic is in no district.
        (
            "Calle 1",
            "40.0",
            "-30.0",
            "lat",
            "outside every delivery district",
        ),
    ] {
        let body = format!(
            "order_id={id}&version={version}&address={}&lat={lat}&lng={lng}",
            enc(address)
        );
        let res = s.call(&staff, "/api/edit_address", &body).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(status, 422, "{why}: {text}");
        assert!(
            text.contains(&format!("\"field\":\"{field}\"")) && text.contains(why),
            "{why}: {text}"
        );
    }
    // Another district that doesn't serve that weekday.
    sqlx::query("UPDATE districts SET served_weekdays = ? WHERE id = ?")
        .bind(127 & !(1 << weekday))
        .bind(other.id)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let (status, text) = edit(&s, &staff, id, version, "Calle 1", Some(pin)).await;
    assert_eq!(status, 422, "{text}");
    assert!(
        text.contains("is delivered on") && text.contains("not on"),
        "{text}"
    );
    // Served, but full that day.
    sqlx::query("UPDATE districts SET served_weekdays = 127, capacity_per_day = 0 WHERE id = ?")
        .bind(other.id)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let (status, text) = edit(&s, &staff, id, version, "Calle 1", Some(pin)).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("no delivery slots left on"), "{text}");
    assert_eq!(state(&s, id).await, before);
    // Once out for delivery, the address is fixed; pickups have none.
    for (status_sql, why) in [
        (
            "fulfilment = 'delivery' AND status = 'out_for_delivery'",
            "before it leaves",
        ),
        ("fulfilment = 'pickup'", "pickup order has none"),
    ] {
        let sql = format!("SELECT id, version FROM orders WHERE {status_sql} LIMIT 1");
        let (oid, v): (i64, i64) = sqlx::query_as(&sql).fetch_one(&s.state.pool).await.unwrap();
        let (status, text) = edit(&s, &staff, oid, v, "Calle 1", None).await;
        assert_eq!(status, 422, "{text}");
        assert!(text.contains(why), "{text}");
    }
    // A member of staff who reads Spanish is told in Spanish, the field named the same.
    s.reads(STAFF, Some("es")).await;
    let (status, text) = edit(&s, &staff, id, version, "Calle 1", Some(pin)).await;
    assert_eq!(status, 422, "{text}");
    assert!(
        text.contains("no tiene huecos de reparto libres el"),
        "{text}"
    );
    let (oid, v): (i64, i64) = sqlx::query_as(
        "SELECT id, version FROM orders WHERE fulfilment = 'delivery' AND status = 'out_for_delivery' LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let (status, text) = edit(&s, &staff, oid, v, "Calle 1", None).await;
    assert_eq!(status, 422, "{text}");
    assert!(
        text.contains(
            "está en reparto; su dirección solo puede cambiar antes de que salga de la cocina"
        ),
        "{text}"
    );
    assert_eq!(state(&s, id).await, before);
    // Drivers can't.
    let driver = s.signed_in(DRIVER).await;
    let (status, _) = edit(&s, &driver, id, version, "Calle 1", None).await;
    assert_eq!(status, 403);
}
