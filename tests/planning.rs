//! Assigning orders to district-days from the planning page over HTTP: every refused drop
//! with its reason and nothing changed; a good drop moves the order, its counters and its
//! history; Undo (assigning back) restores it.
mod common;

use chrono::Datelike;
use common::*;

/// An upcoming, not yet out, non-flexible delivery order with a district: (id, day, district, mask).
async fn movable(s: &TestServer) -> (i64, String, i64, i64) {
    let today = s.state.config.today().to_string();
    sqlx::query_as(
        "SELECT o.id, o.fulfil_on, o.district_id, d.served_weekdays FROM orders o JOIN districts d ON d.id = o.district_id
         WHERE o.fulfilment = 'delivery' AND o.status IN ('received', 'confirmed') AND o.flex_from IS NULL
           AND o.fulfil_on > ? ORDER BY o.id LIMIT 1",
    )
    .bind(today)
    .fetch_one(&s.state.pool)
    .await
    .unwrap()
}

/// The next day after `from` that `mask` serves (or doesn't), within two weeks.
fn next_day(s: &TestServer, from: &str, mask: i64, served: bool) -> String {
    next_day_where(s, from, mask, served, |_| true)
}

/// `next_day`, among the days `ok` accepts ("YYYY-MM-DD").
fn next_day_where(
    s: &TestServer,
    from: &str,
    mask: i64,
    served: bool,
    ok: impl Fn(&str) -> bool,
) -> String {
    let today = s.state.config.today();
    (1..14)
        .map(|i| today + chrono::Duration::days(i))
        .find(|d| {
            d.to_string() != from
                && ((mask >> d.weekday().num_days_from_monday()) & 1 == 1) == served
                && ok(&d.to_string())
        })
        .unwrap()
        .to_string()
}

async fn day_of(s: &TestServer, id: i64) -> String {
    sqlx::query_scalar("SELECT fulfil_on FROM orders WHERE id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap()
}

async fn assign(s: &TestServer, c: &reqwest::Client, ids: &[i64], day: &str) -> reqwest::Response {
    let list = indexed("order_ids", ids);
    s.call(c, "/api/assign_day", &format!("{}&day={day}", list))
        .await
}

#[tokio::test]
async fn a_drop_moves_the_order_and_undo_puts_it_back() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let (id, from, district, mask) = movable(&s).await;
    let to = next_day(&s, &from, mask, true);
    let used = |day: String| {
        let pool = s.state.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'stops' AND ref_id = ? AND day = ?")
                .bind(district)
                .bind(day)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (before_from, before_to) = (used(from.clone()).await, used(to.clone()).await);
    let res = assign(&s, &owner, &[id], &to).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let done: serde_json::Value = res.json().await.unwrap();
    assert_eq!(done[0]["from_day"], from.as_str());
    assert_eq!(day_of(&s, id).await, to);
    assert_eq!(used(from.clone()).await, before_from - 1);
    assert_eq!(used(to.clone()).await, before_to + 1);
    let history: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_events WHERE order_id = ? AND detail LIKE 'Delivery day %'",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(history, 1);
    // Undo = assign back to the day it came from.
    assert_eq!(assign(&s, &owner, &[id], &from).await.status(), 200);
    assert_eq!(day_of(&s, id).await, from);
    assert_eq!(used(to).await, before_to);
}

#[tokio::test]
async fn refused_drops_say_why_and_change_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let (id, from, district, mask) = movable(&s).await;
    let expect = |res: reqwest::Response, words: &'static str| async move {
        assert_eq!(res.status(), 409);
        let text = res.text().await.unwrap();
        assert!(text.contains(words), "{text} should say {words}");
    };
    // Not served that day.
    expect(
        assign(&s, &owner, &[id], &next_day(&s, &from, mask, false)).await,
        "not on",
    )
    .await;
    // Full.
    let to = next_day(&s, &from, mask, true);
    sqlx::query("UPDATE districts SET capacity_per_day = 0 WHERE id = ?")
        .bind(district)
        .execute(&s.state.pool)
        .await
        .unwrap();
    expect(
        assign(&s, &owner, &[id], &to).await,
        "no delivery slots left",
    )
    .await;
    sqlx::query("UPDATE districts SET capacity_per_day = 50 WHERE id = ?")
        .bind(district)
        .execute(&s.state.pool)
        .await
        .unwrap();
    // Outside the customer's dates.
    sqlx::query("UPDATE orders SET flex_from = fulfil_on, flex_to = fulfil_on WHERE id = ?")
        .bind(id)
        .execute(&s.state.pool)
        .await
        .unwrap();
    expect(assign(&s, &owner, &[id], &to).await, "asked for").await;
    sqlx::query("UPDATE orders SET flex_from = NULL, flex_to = NULL WHERE id = ?")
        .bind(id)
        .execute(&s.state.pool)
        .await
        .unwrap();
    // Already out for delivery: and with it in the same drop, the good order stays too.
    let out: i64 = sqlx::query_scalar("SELECT id FROM orders WHERE status = 'out_for_delivery' AND district_id IS NOT NULL LIMIT 1")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    expect(
        assign(&s, &owner, &[id, out], &to).await,
        "already out for delivery",
    )
    .await;
    assert_eq!(day_of(&s, id).await, from, "all or nothing");
    // In the past.
    expect(assign(&s, &owner, &[id], "2020-01-06").await, "past").await;
    assert_eq!(day_of(&s, id).await, from);
}

#[tokio::test]
async fn pinning_an_unpinned_order_gives_it_the_district_under_the_pin() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    // Moving it to a Malasaña day below stays inside the days its customer accepts, if a range.
    let (id, flex_from, flex_to): (i64, Option<String>, Option<String>) = sqlx::query_as("SELECT id, flex_from, flex_to FROM orders WHERE fulfilment = 'delivery' AND lat IS NULL AND status <> 'cancelled' LIMIT 1")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    // In the sea off Africa: refused, still unpinned.
    let res = s
        .call(
            &owner,
            "/api/pin_order",
            &format!("order_id={id}&lat=0&lng=0"),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("outside every delivery district"));
    let lat: Option<f64> = sqlx::query_scalar("SELECT lat FROM orders WHERE id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(lat, None);
    // At a customer's address in Malasaña: the order gets that district, on a day Malasaña
    // serves (an unpinned order can move to such a day first, as the refusal says).
    let (clat, clng, district, mask): (f64, f64, i64, i64) = sqlx::query_as(
        "SELECT c.lat, c.lng, c.district_id, d.served_weekdays FROM customers c JOIN districts d ON d.id = c.district_id WHERE d.name = 'Malasaña' LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let from = day_of(&s, id).await;
    let weekday = chrono::NaiveDate::parse_from_str(&from, "%Y-%m-%d")
        .unwrap()
        .weekday()
        .num_days_from_monday();
    if (mask >> weekday) & 1 == 0 {
        let res = s
            .call(
                &owner,
                "/api/pin_order",
                &format!("order_id={id}&lat={clat}&lng={clng}"),
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("one of those days first"));
        let to = next_day_where(&s, &from, mask, true, |d| {
            flex_from.as_deref().is_none_or(|f| d >= f) && flex_to.as_deref().is_none_or(|t| d <= t)
        });
        let res = assign(&s, &owner, &[id], &to).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
    }
    let res = s
        .call(
            &owner,
            "/api/pin_order",
            &format!("order_id={id}&lat={clat}&lng={clng}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let (lat, got): (Option<f64>, Option<i64>) =
        sqlx::query_as("SELECT lat, district_id FROM orders WHERE id = ?")
            .bind(id)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!((lat, got), (Some(clat), Some(district)));
}

#[tokio::test]
async fn the_page_catches_up_with_only_what_changed() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let full: serde_json::Value = s
        .call(&owner, "/api/get_planning", "")
        .await
        .json()
        .await
        .unwrap();
    let as_of = full["as_of"].as_str().unwrap().to_string();
    // Nothing else happens for longer than the overlap the server allows for.
    sqlx::query("UPDATE orders SET updated_at = '2000-01-01T00:00:00.000Z'")
        .execute(&s.state.pool)
        .await
        .unwrap();
    let (id, from, district, mask) = movable(&s).await;
    let to = next_day(&s, &from, mask, true);
    assert_eq!(assign(&s, &owner, &[id], &to).await.status(), 200);
    // Another order is cancelled: it leaves the map.
    let (other, version): (i64, i64) = sqlx::query_as(
        "SELECT id, version FROM orders WHERE fulfilment = 'delivery' AND status = 'confirmed'
           AND lat IS NOT NULL AND id <> ? ORDER BY id LIMIT 1",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let res = s
        .call(
            &owner,
            "/api/cancel_order",
            &format!("order_id={other}&version={version}&reason=Away"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let delta: serde_json::Value = s
        .call(
            &owner,
            "/api/get_planning_changes",
            &format!("since={}", enc(&as_of)),
        )
        .await
        .json()
        .await
        .unwrap();
    let orders = delta["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 1, "only the moved order: {delta}");
    assert_eq!(orders[0]["id"], id);
    assert_eq!(orders[0]["fulfil_on"], to.as_str());
    assert_eq!(delta["gone"], serde_json::json!([other]));
    let stops = |v: &serde_json::Value, day: &str| {
        v["loads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["district_id"] == district && l["day"] == day)
            .map_or(0, |l| l["stops"].as_i64().unwrap())
    };
    assert_eq!(stops(&delta, &to), stops(&full, &to) + 1);
    assert_eq!(stops(&delta, &from), stops(&full, &from) - 1);
    assert!(delta["as_of"].as_str().unwrap() > as_of.as_str());
    // A bad `since` is named.
    let res = s
        .call(&owner, "/api/get_planning_changes", "since=yesterday")
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("since"));
}
