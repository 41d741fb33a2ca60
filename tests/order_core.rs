//! The order core's rules agree whichever page asks: a pin is refused exactly as the storefront
//! refuses the same place and day; a baking order keeps its day on the planning map and in
//! the suggested plan alike; a refused change leaves the database as it was.
mod common;

use chrono::Datelike;
use common::*;
use serde_json::{json, Value};

/// A confirmed, upcoming delivery with a district: (id, day, district id).
async fn upcoming(s: &TestServer) -> (i64, String, i64) {
    let today = s.state.config.today().to_string();
    sqlx::query_as(
        "SELECT o.id, o.fulfil_on, o.district_id FROM orders o
         WHERE o.fulfilment = 'delivery' AND o.status IN ('received', 'confirmed') AND o.district_id IS NOT NULL
           AND o.flex_from IS NULL AND o.fulfil_on > ? ORDER BY o.id LIMIT 1",
    )
    .bind(today)
    .fetch_one(&s.state.pool)
    .await
    .unwrap()
}

/// A customer's spot in another district than `not`, with that district's id and weekdays.
async fn spot_elsewhere(
    s: &TestServer,
    not: i64,
    served_on: Option<&str>,
    serves: bool,
) -> (f64, f64, i64) {
    let rows: Vec<(f64, f64, i64, i64)> = sqlx::query_as(
        "SELECT c.lat, c.lng, d.id, d.served_weekdays FROM customers c JOIN districts d ON d.id = c.district_id
         WHERE d.id <> ? ORDER BY c.id",
    )
    .bind(not)
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    rows.into_iter()
        .find(|(_, _, _, mask)| match served_on {
            None => true,
            Some(day) => {
                let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
                ((mask >> d.weekday().num_days_from_monday()) & 1 == 1) == serves
            }
        })
        .map(|(lat, lng, id, _)| (lat, lng, id))
        .expect("a district to pin into")
}

/// Everything a refused change must leave as it was.
async fn snapshot(s: &TestServer) -> String {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT json_group_array(json_array(id, version, status, fulfil_on, district_id, lat, lng, total_cents))
         FROM (SELECT * FROM orders ORDER BY id)
         UNION ALL SELECT CAST(COUNT(*) AS TEXT) FROM order_events
         UNION ALL SELECT CAST(COUNT(*) AS TEXT) FROM webhook_outbox
         UNION ALL SELECT json_group_array(json_array(kind, ref_id, day, used)) FROM capacity_used",
    )
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("|")
}

/// What the storefront says about a delivery to (lat, lng) on `day`.
async fn storefront_refusal(s: &TestServer, lat: f64, lng: f64, day: &str) -> String {
    let key = hearth::storefront::keys::create(&s.state.pool, "probe", None)
        .await
        .unwrap()
        .1;
    let res = client()
        .post(s.url("/api/v1/quote"))
        .bearer_auth(key)
        .json(&json!({
            "customer": {"name": "Probe", "phone": "600000001"},
            "fulfilment": {"type": "delivery", "address": "Calle 1", "lat": lat, "lng": lng, "date": day},
            "items": [{"sku": "CAK-BASQ", "quantity": 2}],
            "payment": {"method": "prepaid"}
        }))
        .send()
        .await
        .unwrap();
    let quote: Value = res.json().await.unwrap();
    quote["problems"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("the storefront took it: {quote}"))
        .to_string()
}

/// Pins order `id` at (lat, lng) on `day` and checks that it is refused with the storefront's
/// own sentence for that place and day (which must contain `words`), changing nothing.
async fn pin_refused_as_storefront(
    s: &TestServer,
    owner: &reqwest::Client,
    (id, day): (i64, &str),
    (lat, lng): (f64, f64),
    words: &str,
) {
    let before = snapshot(s).await;
    let res = s
        .call(
            owner,
            "/api/pin_order",
            &format!("order_id={id}&lat={lat}&lng={lng}"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let said = res.text().await.unwrap();
    let storefront = storefront_refusal(s, lat, lng, day).await;
    assert!(storefront.contains(words), "{storefront}");
    assert!(
        said.contains(storefront.trim_end_matches('.')),
        "pin: {said}\nstorefront: {storefront}"
    );
    assert_eq!(snapshot(s).await, before, "a refused pin changes nothing");
}

#[tokio::test]
async fn pinning_into_an_unserved_district_day_is_refused_as_the_storefront_refuses_it() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let (id, day, district) = upcoming(&s).await;
    let (lat, lng, _) = spot_elsewhere(&s, district, Some(&day), false).await;
    pin_refused_as_storefront(&s, &owner, (id, &day), (lat, lng), "is delivered on").await;
}

#[tokio::test]
async fn pinning_into_a_full_district_day_is_refused_as_the_storefront_refuses_it() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let (id, day, district) = upcoming(&s).await;
    let (lat, lng, other) = spot_elsewhere(&s, district, Some(&day), true).await;
    // Fill the other district's day exactly.
    sqlx::query(
        "UPDATE districts SET capacity_per_day =
           (SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'stops' AND ref_id = ?1 AND day = ?2)
         WHERE id = ?1",
    )
    .bind(other)
    .bind(&day)
    .execute(&s.state.pool)
    .await
    .unwrap();
    pin_refused_as_storefront(&s, &owner, (id, &day), (lat, lng), "no delivery slots left").await;
}

#[tokio::test]
async fn a_pin_into_a_served_district_with_room_moves_the_fee_and_tells_the_customer() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let (id, day, district) = upcoming(&s).await;
    let (lat, lng, other) = spot_elsewhere(&s, district, Some(&day), true).await;
    sqlx::query("UPDATE districts SET capacity_per_day = 99, min_order_cents = 0, delivery_fee_cents = 777 WHERE id = ?")
        .bind(other)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let outbox = s.count("SELECT COUNT(*) FROM webhook_outbox").await;
    let res = s
        .call(
            &owner,
            "/api/pin_order",
            &format!("order_id={id}&lat={lat}&lng={lng}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let (got, fee, total, subtotal): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT district_id, delivery_fee_cents, total_cents, subtotal_cents FROM orders WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!((got, fee, total), (other, 777, subtotal + 777));
    // One history line, one webhook row for the customer's systems.
    let lines: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_events WHERE order_id = ? AND detail LIKE '%district%'",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(lines, 1);
    assert!(s.count("SELECT COUNT(*) FROM webhook_outbox").await > outbox);
}

#[tokio::test]
async fn a_baking_order_keeps_its_day_whichever_page_moves_it() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let (id, day, district) = upcoming(&s).await;
    let mask: i64 = sqlx::query_scalar("SELECT served_weekdays FROM districts WHERE id = ?")
        .bind(district)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let today = s.state.config.today();
    let to = (1..14)
        .map(|i| today + chrono::Duration::days(i))
        .find(|d| d.to_string() != day && (mask >> d.weekday().num_days_from_monday()) & 1 == 1)
        .unwrap()
        .to_string();
    // Flexible, so the suggestion's own condition holds too.
    sqlx::query("UPDATE orders SET flex_from = ?, flex_to = ? WHERE id = ?")
        .bind(today.to_string())
        .bind((today + chrono::Duration::days(13)).to_string())
        .bind(id)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let version: i64 = sqlx::query_scalar("SELECT version FROM orders WHERE id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let res = s
        .call(
            &owner,
            "/api/move_order",
            &format!("order_id={id}&to=baking&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let before = snapshot(&s).await;
    let map = s
        .call(
            &owner,
            "/api/assign_day",
            &format!("order_ids[0]={id}&day={to}"),
        )
        .await;
    let suggested = s
        .call(
            &owner,
            "/api/accept_suggestions",
            &format!("order_ids[0]={id}&days[0]={to}"),
        )
        .await;
    assert_eq!(
        (map.status().as_u16(), suggested.status().as_u16()),
        (409, 409)
    );
    let (a, b) = (map.text().await.unwrap(), suggested.text().await.unwrap());
    assert!(a.contains("already baking"), "{a}");
    assert_eq!(a, b, "one rule, one answer");
    assert_eq!(snapshot(&s).await, before);
}

/// The writes that follow a new order's row reach SQLite's thread together (`db::Batch`):
/// every statement runs with its own values, and one that fails fails them all — inside a
/// write transaction, nothing of the batch stays.
#[tokio::test]
async fn a_batch_of_writes_runs_every_statement_or_none() {
    use hearth::server::db;
    let dir = tempfile::tempdir().unwrap();
    let pool = db::connect(&format!("sqlite://{}/batch.db", dir.path().display()))
        .await
        .unwrap();
    db::migrate(&pool).await.unwrap();
    let audit_lines = || async {
        sqlx::query_scalar::<_, String>("SELECT action || ':' || subject || ':' || COALESCE(ip, '-') FROM audit_log ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap()
    };
    let add = |b: &mut db::Batch, action: &str, subject: Option<&str>| {
        b.push(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?2, ?1, ?3, ?4, '{}')",
            vec!["test".into(), db::now().into(), action.into(), subject.into()],
        )
    };

    let mut tx = db::begin_write(&pool).await.unwrap();
    let mut b = db::Batch::default();
    add(&mut b, "one", Some("first"));
    add(&mut b, "two", Some("second"));
    b.run(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(audit_lines().await, ["one:first:-", "two:second:-"]);

    // The second statement breaks a constraint (an audit line needs its subject): neither
    // the line before it nor the one after it is written.
    let mut tx = db::begin_write(&pool).await.unwrap();
    let mut b = db::Batch::default();
    add(&mut b, "three", Some("third"));
    add(&mut b, "four", None);
    add(&mut b, "five", Some("fifth"));
    let err = b
        .run(&mut *tx)
        .await
        .expect_err("a NOT NULL column left empty");
    assert!(err.to_string().contains("NOT NULL"), "{err}");
    drop(tx);
    assert_eq!(audit_lines().await, ["one:first:-", "two:second:-"]);
}
