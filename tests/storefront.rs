//! The storefront API on a real server: keys, catalog, quote, orders with idempotency and
//! capacity under concurrency, validation, tracking, the OpenAPI document.
mod common;

use common::*;
use hearth::storefront::keys;
use serde_json::{json, Value};

struct Api {
    s: TestServer,
    key: String,
    http: reqwest::Client,
}

async fn api() -> Api {
    api_with(|_| {}).await
}

async fn api_with(tweak: impl FnOnce(&mut hearth::server::config::Config)) -> Api {
    let s = spawn_with(tweak).await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    Api {
        s,
        key,
        http: reqwest::Client::new(),
    }
}

/// The next date (from tomorrow) on which Centro (Mon–Sat) is served.
fn centro_day(s: &TestServer) -> String {
    use chrono::Datelike;
    let mut d = s.state.config.today() + chrono::Duration::days(1);
    while d.weekday() == chrono::Weekday::Sun {
        d += chrono::Duration::days(1);
    }
    d.to_string()
}

fn order_body(phone: &str, date: &str) -> Value {
    json!({
        "customer": {"name": "Ana García", "phone": phone, "email": "ana@example.com"},
        "fulfilment": {"type": "delivery", "address": "Calle Mayor 10, 28013 Madrid",
                       "lat": 40.4170, "lng": -3.7040, "date": date,
                       "window": {"from": "09:00", "to": "11:00"}},
        "items": [{"sku": "BRD-SOUR", "quantity": 2}],
        "payment": {"method": "cod"}
    })
}

impl Api {
    async fn post(
        &self,
        path: &str,
        idem: Option<&str>,
        body: &Value,
    ) -> (u16, Value, reqwest::header::HeaderMap) {
        let mut req = self
            .http
            .post(self.s.url(path))
            .bearer_auth(&self.key)
            .json(body);
        if let Some(k) = idem {
            req = req.header("Idempotency-Key", k);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        (status, res.json().await.unwrap_or(Value::Null), headers)
    }

    async fn catalog(&self) -> Value {
        self.http
            .get(self.s.url("/api/v1/catalog"))
            .bearer_auth(&self.key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn orders(&self) -> i64 {
        self.s.count("SELECT COUNT(*) FROM orders").await
    }
}

fn fields(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn keys_are_required_and_revocable() {
    let a = api().await;
    let res = a.http.get(a.s.url("/api/v1/catalog")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(fields(&body), ["Authorization"]);
    let res = a
        .http
        .get(a.s.url("/api/v1/catalog"))
        .bearer_auth(&a.key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let id: i64 = a.s.count("SELECT id FROM api_keys").await;
    keys::revoke(&a.s.state.pool, id).await.unwrap();
    let res = a
        .http
        .get(a.s.url("/api/v1/catalog"))
        .bearer_auth(&a.key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn the_catalog_lists_products_and_the_delivery_calendar() {
    let a = api().await;
    let c = a.catalog().await;
    assert_eq!(c["products"].as_array().unwrap().len(), 15);
    let sour = c["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["sku"] == "BRD-SOUR")
        .unwrap();
    assert_eq!(sour["price_cents"], 650);
    assert!(!sour["days_available"].as_array().unwrap().is_empty());
    let districts = c["districts"].as_array().unwrap();
    assert_eq!(districts.len(), 11);
    let centro = districts.iter().find(|d| d["name"] == "Centro").unwrap();
    assert_eq!(centro["served_weekdays"].as_array().unwrap().len(), 6);
    assert!(centro["days"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["has_room"].is_boolean()));
    assert_eq!(c["pickup"]["opens"], "08:00");
}

#[tokio::test]
async fn a_quote_prices_the_order_and_stores_nothing() {
    let a = api().await;
    let before = a.orders().await;
    let day = centro_day(&a.s);
    let (status, q, _) = a
        .post("/api/v1/quote", None, &order_body("600111222", &day))
        .await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["subtotal_cents"], 1300);
    assert_eq!(q["delivery_fee_cents"], 200);
    assert_eq!(q["total_cents"], 1500);
    assert_eq!(q["district"], "Centro");
    assert!(!q["earliest_dates"].as_array().unwrap().is_empty());
    assert_eq!(q["problems"].as_array().unwrap().len(), 0);
    assert_eq!(a.orders().await, before);
    assert_eq!(a.s.count("SELECT COUNT(*) FROM idempotency_keys").await, 0);
}

#[tokio::test]
async fn an_order_is_created_tracked_and_its_customer_matched_by_phone() {
    let a = api().await;
    let day = centro_day(&a.s);
    let (status, o, _) = a
        .post(
            "/api/v1/orders",
            Some("k-1"),
            &order_body("600 111 222", &day),
        )
        .await;
    assert_eq!(status, 201, "{o}");
    assert_eq!(o["status"], "received");
    assert_eq!(o["total_cents"], 1500);
    assert_eq!(o["delivery"]["district"], "Centro");
    assert_eq!(o["delivery"]["date"], day.as_str());
    let token = o["tracking_token"].as_str().unwrap();
    assert_eq!(token.len(), 32, "128-bit token");
    assert!(o["tracking_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/t/{token}")));

    // The same phone written differently is the same customer.
    let (status, _, _) = a
        .post(
            "/api/v1/orders",
            Some("k-2"),
            &order_body("+34 600-111-222", &day),
        )
        .await;
    assert_eq!(status, 201);
    let customers =
        a.s.count("SELECT COUNT(*) FROM customers WHERE phone = '+34600111222'")
            .await;
    assert_eq!(customers, 1);

    let t: Value = a
        .http
        .get(a.s.url(&format!("/api/v1/orders/{token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(t["first_name"], "Ana");
    assert_eq!(t["status"], "received");
    assert_eq!(t["eta_from"], "09:00");
    assert_eq!(t["items"][0]["name"], "Country sourdough");
    assert!(t["stages"][0]["at"].is_string(), "received has a time");
    let text = t.to_string();
    assert!(
        !text.contains("600111222") && !text.contains("García") && !text.contains("Mayor"),
        "nothing personal: {text}"
    );
    let res = a
        .http
        .get(a.s.url("/api/v1/orders/0123456789abcdef0123456789abcdef"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn idempotency_keys_replay_refuse_changes_and_are_required() {
    let a = api().await;
    let day = centro_day(&a.s);
    let body = order_body("611000111", &day);
    let (status, e, _) = a.post("/api/v1/orders", None, &body).await;
    assert_eq!(status, 400);
    assert_eq!(fields(&e), ["Idempotency-Key"]);
    let before = a.orders().await;
    let (s1, first, _) = a.post("/api/v1/orders", Some("same"), &body).await;
    let (s2, second, h2) = a.post("/api/v1/orders", Some("same"), &body).await;
    assert_eq!((s1, s2), (201, 201));
    assert_eq!(first, second);
    assert_eq!(h2["idempotent-replayed"], "true");
    assert_eq!(a.orders().await, before + 1);
    let mut changed = body.clone();
    changed["items"][0]["quantity"] = json!(3);
    let (status, e, _) = a.post("/api/v1/orders", Some("same"), &changed).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&e), ["Idempotency-Key"]);
    assert_eq!(a.orders().await, before + 1);
}

/// Orders are checked against a copy of the menu and districts kept between orders
/// (`intake::known`): orders leave it alone, any change to the tables reaches the next order,
/// and a retry whose body no longer passes still gets its first answer.
#[tokio::test]
async fn the_next_order_sees_menu_and_district_changes_made_by_anyone() {
    let a = api().await;
    let day = centro_day(&a.s);
    let pool = &a.s.state.pool;
    let version = || async {
        sqlx::query_scalar::<_, i64>("SELECT n FROM catalog_version")
            .fetch_one(pool)
            .await
            .unwrap()
    };
    let body = order_body("611000301", &day);
    let (s1, first, _) = a.post("/api/v1/orders", Some("known-1"), &body).await;
    assert_eq!(s1, 201, "{first}");
    let before = version().await;
    let (s2, second, _) = a.post("/api/v1/orders", Some("known-2"), &body).await;
    assert_eq!(s2, 201, "{second}");
    assert_eq!(
        version().await,
        before,
        "an order changed the menu's number"
    );
    assert_eq!(first["total_cents"], second["total_cents"]);

    // Another writer than the server (a second process, say) raises the price and the fee.
    let file = (*pool.connect_options()).clone();
    let elsewhere = sqlx::SqlitePool::connect_with(file).await.unwrap();
    let change = |sql: &'static str| {
        let elsewhere = elsewhere.clone();
        async move {
            sqlx::query(sql).execute(&elsewhere).await.unwrap();
        }
    };
    change("UPDATE products SET price_cents = price_cents + 100 WHERE sku = 'BRD-SOUR'").await;
    change("UPDATE districts SET delivery_fee_cents = delivery_fee_cents + 50").await;
    let (s3, third, _) = a.post("/api/v1/orders", Some("known-3"), &body).await;
    assert_eq!(s3, 201, "{third}");
    let total = |v: &Value| v["total_cents"].as_i64().unwrap();
    assert_eq!(total(&third), total(&second) + 2 * 100 + 50);

    // Taken off the menu: a new order is refused, naming the item; the retry of the last one
    // still gets its first answer.
    change("UPDATE products SET active = 0 WHERE sku = 'BRD-SOUR'").await;
    let (s4, e, _) = a.post("/api/v1/orders", Some("known-4"), &body).await;
    assert_eq!(s4, 422, "{e}");
    assert_eq!(fields(&e), ["items[0].sku"]);
    let (s5, replay, h5) = a.post("/api/v1/orders", Some("known-3"), &body).await;
    assert_eq!((s5, &replay), (201, &third));
    assert_eq!(h5["idempotent-replayed"], "true");
}

#[tokio::test]
async fn fifty_concurrent_requests_with_one_key_create_one_order() {
    let a = std::sync::Arc::new(api().await);
    let day = centro_day(&a.s);
    let before = a.orders().await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let a = a.clone();
        let body = order_body("622000222", &day);
        tasks.push(tokio::spawn(async move {
            a.post("/api/v1/orders", Some("burst"), &body).await
        }));
    }
    let mut numbers = std::collections::BTreeSet::new();
    for t in tasks {
        let (status, body, _) = t.await.unwrap();
        // The key is checked inside the order's write transaction: the requests that lose
        // the race wait for the first and get its answer (no "still running" 409).
        assert_eq!(status, 201, "{body}");
        numbers.insert(body["order_number"].as_i64().unwrap());
    }
    assert_eq!(a.orders().await, before + 1, "exactly one order");
    assert_eq!(
        numbers.len(),
        1,
        "every 201 names the same order: {numbers:?}"
    );
}

#[tokio::test]
async fn a_hundred_concurrent_orders_never_exceed_capacity() {
    let a = std::sync::Arc::new(api().await);
    let day = centro_day(&a.s);
    let booked = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM orders o JOIN districts d ON d.id = o.district_id
         WHERE d.name = 'Centro' AND o.fulfil_on = ? AND o.status <> 'cancelled' AND o.fulfilment = 'delivery'",
    )
    .bind(&day)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE districts SET capacity_per_day = ? WHERE name = 'Centro'")
        .bind(booked + 10)
        .execute(&a.s.state.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE products SET daily_capacity = 10000")
        .execute(&a.s.state.pool)
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..100 {
        let a = a.clone();
        let body = order_body(&format!("6330{i:05}"), &day);
        tasks.push(tokio::spawn(async move {
            a.post("/api/v1/orders", Some(&format!("cap-{i}")), &body)
                .await
        }));
    }
    let (mut created, mut refused) = (0, Vec::new());
    for (i, t) in tasks.into_iter().enumerate() {
        let (status, body, _) = t.await.unwrap();
        match status {
            201 => created += 1,
            422 => {
                assert_eq!(fields(&body), ["fulfilment.date"], "{body}");
                assert!(body["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("no delivery slots left"));
                assert!(!body["next_possible_dates"].as_array().unwrap().is_empty());
                assert!(!body["next_possible_dates"]
                    .as_array()
                    .unwrap()
                    .contains(&json!(day)));
                refused.push(i);
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, refused.len()), (10, 90));
    // Cancelling gives the stop back; a refused key was released, so its retry now succeeds...
    sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = (SELECT MAX(id) FROM orders)")
        .execute(&a.s.state.pool)
        .await
        .unwrap();
    let i = refused[0];
    let (status, body, _) = a
        .post(
            "/api/v1/orders",
            Some(&format!("cap-{i}")),
            &order_body(&format!("6330{i:05}"), &day),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    // ...and the day is full again for everyone else.
    let (status, _, _) = a
        .post(
            "/api/v1/orders",
            Some("after-cancel"),
            &order_body("644000000", &day),
        )
        .await;
    assert_eq!(status, 422);
    let total = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM orders o JOIN districts d ON d.id = o.district_id
         WHERE d.name = 'Centro' AND o.fulfil_on = ? AND o.status <> 'cancelled'",
    )
    .bind(&day)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!(
        total,
        booked + 10,
        "cancelling gave one stop back and it was taken once"
    );
}

#[tokio::test]
async fn bad_requests_name_every_field_and_change_nothing() {
    let a = api().await;
    let before = (
        a.orders().await,
        a.s.count("SELECT COUNT(*) FROM customers").await,
    );
    let (status, e, _) = a
        .post(
            "/api/v1/orders",
            Some("bad-1"),
            &json!({"customer": {"phone": "x"}, "fulfilment": {"type": "boat"}, "items": [{"sku": "NOPE", "quantity": 0}], "payment": {}}),
        )
        .await;
    assert_eq!(status, 422);
    let f = fields(&e);
    for want in [
        "customer.name",
        "customer.phone",
        "fulfilment.type",
        "fulfilment.date",
        "items[0].sku",
        "items[0].quantity",
        "payment.method",
    ] {
        assert!(f.contains(&want.to_string()), "{want} not in {f:?}");
    }
    let res = a
        .http
        .post(a.s.url("/api/v1/orders"))
        .bearer_auth(&a.key)
        .header("Idempotency-Key", "bad-2")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(fields(&body), ["body"]);
    assert_eq!(
        (
            a.orders().await,
            a.s.count("SELECT COUNT(*) FROM customers").await
        ),
        before
    );
    assert_eq!(
        a.s.count("SELECT COUNT(*) FROM idempotency_keys").await,
        0,
        "refusals leave no claim"
    );
}

#[tokio::test]
async fn business_rules_explain_themselves_with_next_dates() {
    use chrono::Datelike;
    let a = api().await;
    let today = a.s.state.config.today();
    // Past date.
    let (status, e, _) = a
        .post(
            "/api/v1/orders",
            Some("r1"),
            &order_body("655000001", "2020-01-01"),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&e), ["fulfilment.date"]);
    assert!(e["errors"][0]["message"].as_str().unwrap().contains("past"));
    // A day Centro is not served (Sunday).
    let mut sunday = today + chrono::Duration::days(1);
    while sunday.weekday() != chrono::Weekday::Sun {
        sunday += chrono::Duration::days(1);
    }
    let (status, e, _) = a
        .post(
            "/api/v1/orders",
            Some("r2"),
            &order_body("655000002", &sunday.to_string()),
        )
        .await;
    assert_eq!(status, 422, "{e}");
    assert!(
        e["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not on Sunday"),
        "{e}"
    );
    assert!(!e["next_possible_dates"].as_array().unwrap().is_empty());
    // Outside every district.
    let mut far = order_body("655000003", &centro_day(&a.s));
    far["fulfilment"]["lat"] = json!(41.3851);
    far["fulfilment"]["lng"] = json!(2.1734);
    let (status, e, _) = a.post("/api/v1/orders", Some("r3"), &far).await;
    assert_eq!(status, 422);
    assert!(e["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("outside every delivery district"));
    // Under the district minimum (Centro: €10.00).
    let mut small = order_body("655000004", &centro_day(&a.s));
    small["items"] = json!([{"sku": "BRD-BAG", "quantity": 1}]);
    let (status, e, _) = a.post("/api/v1/orders", Some("r4"), &small).await;
    assert_eq!(status, 422);
    assert!(
        e["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("minimum order"),
        "{e}"
    );
    // More cakes than the kitchen can bake that day.
    let mut cakes = order_body("655000005", &centro_day(&a.s));
    cakes["items"] = json!([{"sku": "CAK-CHOC", "quantity": 50}]);
    let (status, e, _) = a.post("/api/v1/orders", Some("r5"), &cakes).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&e), ["items[0].quantity"]);
    // No coordinates: accepted, flagged for the owner to pin.
    let mut unpinned = order_body("655000006", &centro_day(&a.s));
    unpinned["fulfilment"]
        .as_object_mut()
        .unwrap()
        .remove("lat");
    unpinned["fulfilment"]
        .as_object_mut()
        .unwrap()
        .remove("lng");
    let (status, o, _) = a.post("/api/v1/orders", Some("r6"), &unpinned).await;
    assert_eq!(status, 201, "{o}");
    assert_eq!(o["needs_location"], true);
    assert!(o.get("delivery").is_none());
    // Pickup.
    let pickup = json!({
        "customer": {"name": "Leo", "phone": "655000007"},
        "fulfilment": {"type": "pickup", "date": centro_day(&a.s), "time": "10:30"},
        "items": [{"sku": "PAS-CROI", "quantity": 4}],
        "payment": {"method": "pay_at_pickup"}
    });
    let (status, o, _) = a.post("/api/v1/orders", Some("r7"), &pickup).await;
    assert_eq!(status, 201, "{o}");
    assert_eq!(o["total_cents"], 760);
}

#[tokio::test]
async fn every_route_that_takes_a_tracking_token_is_rate_limited_per_address() {
    let token = "0123456789abcdef0123456789abcdef";
    for route in ["api", "page", "events", "server_fn"] {
        // A fresh server per route: one limiter each, so each route is shown to count alone.
        let a = api_with(|c| c.tracker_rate_per_minute = 5).await;
        let mut statuses = Vec::new();
        for _ in 0..7 {
            let req = match route {
                "api" => a.http.get(a.s.url(&format!("/api/v1/orders/{token}"))),
                "page" => a.http.get(a.s.url(&format!("/t/{token}"))),
                "events" => a.http.get(a.s.url(&format!("/events/track/{token}"))),
                _ => a
                    .http
                    .post(a.s.url("/api/get_tracking"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("token={token}")),
            };
            statuses.push(req.send().await.unwrap().status().as_u16());
        }
        assert!(
            statuses[..5].iter().all(|&s| s != 429),
            "{route}: {statuses:?}"
        );
        assert_eq!(statuses[6], 429, "{route}: {statuses:?}");
    }
}

#[tokio::test]
async fn the_openapi_document_and_reference_page_are_served() {
    let a = api().await;
    let doc: Value = a
        .http
        .get(a.s.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/catalog",
        "/api/v1/quote",
        "/api/v1/orders",
        "/api/v1/orders/{tracking_token}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("OrderIn").is_some());
    assert!(doc["components"]["securitySchemes"]
        .get("storefront_key")
        .is_some());
    let page = a.s.page(&a.http, "/api/v1/docs").await;
    assert!(page.contains("/vendor/swagger-ui/swagger-ui-bundle.js") && !page.contains("https://"));
}

#[tokio::test]
async fn a_customer_may_leave_a_range_of_days_open() {
    let a = api().await;
    let day = centro_day(&a.s);
    let until = (chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap()
        + chrono::Duration::days(4))
    .to_string();
    let mut body = order_body("+34600777001", &day);
    body["fulfilment"]["flexible"] = json!({"from": day, "to": until});
    let (status, v, _) = a.post("/api/v1/orders", Some("flex-0001"), &body).await;
    assert_eq!(status, 201, "{v}");
    let stored: (Option<String>, Option<String>, String) =
        sqlx::query_as("SELECT flex_from, flex_to, fulfil_on FROM orders WHERE number = ?")
            .bind(v["order_number"].as_i64().unwrap())
            .fetch_one(&a.s.state.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (Some(day.clone()), Some(until.clone()), day.clone())
    );

    // A range that leaves out the chosen day is refused by name, and nothing is stored.
    let before = a.orders().await;
    body["fulfilment"]["flexible"] = json!({"from": until, "to": until});
    let (status, v, _) = a.post("/api/v1/orders", Some("flex-0002"), &body).await;
    assert_eq!(status, 422, "{v}");
    assert!(
        fields(&v).contains(&"fulfilment.flexible".to_string()),
        "{v}"
    );
    assert_eq!(a.orders().await, before);
}

#[tokio::test]
async fn a_full_oven_is_refused_with_next_dates_and_a_hundred_concurrent_orders_take_exactly_its_room(
) {
    let a = std::sync::Arc::new(api().await);
    let day = centro_day(&a.s);
    let pool = &a.s.state.pool;
    // Seeded rye, one loaf a batch, alone in a test oven with room for 10 more batches that day.
    let booked: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id
         JOIN products p ON p.id = i.product_id WHERE p.sku = 'BRD-SEED' AND o.fulfil_on = ? AND o.status <> 'cancelled'",
    )
    .bind(&day)
    .fetch_one(pool)
    .await
    .unwrap();
    for q in [
        "UPDATE products SET daily_capacity = 10000",
        "UPDATE recipes SET batch_yield = 1, station = 'Test oven' WHERE product_id = (SELECT id FROM products WHERE sku = 'BRD-SEED')",
    ] {
        sqlx::query(q).execute(pool).await.unwrap();
    }
    sqlx::query("INSERT INTO stations (name, batches_per_day) VALUES ('Test oven', ?)")
        .bind(booked + 10)
        .execute(pool)
        .await
        .unwrap();
    let body = |phone: String, quantity: i64| {
        json!({
            "customer": {"name": "Oven Test", "phone": phone},
            "fulfilment": {"type": "pickup", "date": day, "time": "10:30"},
            "items": [{"sku": "BRD-SEED", "quantity": quantity}],
            "payment": {"method": "pay_at_pickup"}
        })
    };
    let before = a.orders().await;
    let (status, e, _) = a
        .post(
            "/api/v1/orders",
            Some("oven-11"),
            &body("655100000".into(), 11),
        )
        .await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(fields(&e), ["items[0].quantity"], "{e}");
    let message = e["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("test oven has room for 10 more batches"),
        "{message}"
    );
    assert!(!e["next_possible_dates"].to_string().contains(&day), "{e}");
    assert_eq!(a.orders().await, before);

    let mut tasks = Vec::new();
    for i in 0..100 {
        let a = a.clone();
        let b = body(format!("6551{i:05}"), 1);
        tasks.push(tokio::spawn(async move {
            a.post("/api/v1/orders", Some(&format!("oven-{i}")), &b)
                .await
        }));
    }
    let mut created = 0;
    for t in tasks {
        let (status, b, _) = t.await.unwrap();
        match status {
            201 => created += 1,
            422 => {
                assert_eq!(fields(&b), ["items[0].quantity"], "{b}");
                assert!(
                    b["errors"][0]["message"]
                        .as_str()
                        .unwrap()
                        .contains("test oven is fully booked"),
                    "{b}"
                );
                // Other days still have room for one loaf.
                let next = b["next_possible_dates"].as_array().unwrap();
                assert!(!next.is_empty() && !next.contains(&json!(day)), "{b}");
            }
            other => panic!("unexpected {other}: {b}"),
        }
    }
    assert_eq!(created, 10);
    assert_eq!(a.orders().await, before + 10);
    // The catalog no longer offers seeded rye on that day.
    let catalog = a.catalog().await;
    let rye = catalog["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["sku"] == "BRD-SEED")
        .unwrap();
    let days = rye["days_available"].as_array().unwrap();
    assert!(!days.contains(&json!(day)), "{rye}");
    assert!(!days.is_empty(), "{rye}");
}

/// A day the kitchen's forecast expects to sell out is flagged in the catalog (the place for
/// an "order soon" hint): only when the orders booked plus what that weekday usually still
/// brings reach the product's daily limit.
#[tokio::test]
async fn the_catalog_flags_the_days_the_forecast_expects_to_sell_out() {
    let a = api().await;
    let pool = &a.s.state.pool;
    let rye = || async {
        a.catalog().await["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["sku"] == "BRD-SEED")
            .unwrap()
            .clone()
    };
    let limit = |n: i64| async move {
        sqlx::query("UPDATE products SET daily_capacity = ? WHERE sku = 'BRD-SEED'")
            .bind(n)
            .execute(pool)
            .await
            .unwrap();
    };
    // A limit no day comes near: nothing flagged.
    limit(100_000).await;
    let p = rye().await;
    assert_eq!(p["days_may_sell_out"], json!([]), "{p}");
    // A day booked ahead (on the day itself nothing more is expected to come).
    let today = a.s.state.config.today();
    let d = p["days_available"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| chrono::NaiveDate::parse_from_str(x.as_str().unwrap(), "%Y-%m-%d").unwrap())
        .find(|x| *x > today)
        .unwrap();
    let day = d.to_string();
    // The same weekday of the last eight weeks each ended with 400 more loaves, all ordered
    // on the day itself: much of such a day is still to come when it is booked ahead.
    let rye_id: i64 = sqlx::query_scalar("SELECT id FROM products WHERE sku = 'BRD-SEED'")
        .fetch_one(pool)
        .await
        .unwrap();
    for k in 1..=8 {
        let past = d - chrono::Duration::days(7 * k);
        let id = sqlx::query(
            "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on,
                 window_from, window_to, payment_method, paid, subtotal_cents, delivery_fee_cents,
                 discount_cents, total_cents, created_at)
             SELECT MAX(number) + 1, ?, (SELECT MIN(id) FROM customers), 'collected', 'pickup', ?,
                 '10:00', '10:30', 'prepaid', 1, 160000, 0, 0, 160000, ? FROM orders",
        )
        .bind(format!("history-{k}"))
        .bind(past.to_string())
        .bind(format!("{past}T07:00:00.000Z"))
        .execute(pool)
        .await
        .unwrap()
        .last_insert_rowid();
        sqlx::query(
            "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, 400, 400)",
        )
        .bind(id)
        .bind(rye_id)
        .execute(pool)
        .await
        .unwrap();
    }
    let booked: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.fulfil_on = ? AND o.status <> 'cancelled' AND i.product_id = ?",
    )
    .bind(&day)
    .bind(rye_id)
    .fetch_one(pool)
    .await
    .unwrap();
    // Room for 30 more: still on sale, and expected to sell out.
    limit(booked + 30).await;
    let p = rye().await;
    assert!(
        p["days_available"]
            .as_array()
            .unwrap()
            .contains(&json!(day)),
        "{p}"
    );
    assert!(
        p["days_may_sell_out"]
            .as_array()
            .unwrap()
            .contains(&json!(day)),
        "{p}"
    );
    let on_sale = p["days_available"].as_array().unwrap();
    assert!(
        p["days_may_sell_out"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| on_sale.contains(x)),
        "only days still on sale: {p}"
    );
    // A limit far above anything that weekday ever sold: not flagged.
    limit(booked + 100_000).await;
    let p = rye().await;
    assert!(
        !p["days_may_sell_out"]
            .as_array()
            .unwrap()
            .contains(&json!(day)),
        "{p}"
    );
}

/// The message of the error naming `field`.
fn message<'a>(v: &'a Value, field: &str) -> &'a str {
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("no error names {field}: {v}"))["message"]
        .as_str()
        .unwrap()
}

#[tokio::test]
async fn refusals_are_worded_in_the_customers_language_with_the_same_field_names() {
    use chrono::Datelike;
    let a = api().await;
    let before = a.orders().await;
    // The order's own language: the same fields named, in Spanish.
    let bad = json!({"customer": {"phone": "x"}, "fulfilment": {"type": "boat"},
                     "items": [{"sku": "NOPE", "quantity": 0}], "payment": {}});
    let mut bad_es = bad.clone();
    bad_es["language"] = json!("es");
    let (status, en, _) = a.post("/api/v1/orders", Some("words-1"), &bad).await;
    assert_eq!(status, 422);
    let (status, es, _) = a.post("/api/v1/orders", Some("words-2"), &bad_es).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&es), fields(&en));
    for (field, english, spanish) in [
        (
            "customer.name",
            "customer.name is required.",
            "customer.name es obligatorio.",
        ),
        (
            "customer.phone",
            "customer.phone is not a valid phone number.",
            "customer.phone no es un número de teléfono válido.",
        ),
        (
            "fulfilment.type",
            "fulfilment.type must be \"delivery\" or \"pickup\".",
            "fulfilment.type debe ser \"delivery\" o \"pickup\".",
        ),
        (
            "items[0].sku",
            "items[0].sku \"NOPE\" is not a product.",
            "items[0].sku \"NOPE\" no es un producto.",
        ),
    ] {
        assert_eq!(message(&en, field), english);
        assert_eq!(message(&es, field), spanish);
    }
    // A rule of the order core (Centro is not served on Sundays), with its next dates.
    let mut sunday = a.s.state.config.today() + chrono::Duration::days(1);
    while sunday.weekday() != chrono::Weekday::Sun {
        sunday += chrono::Duration::days(1);
    }
    let mut on_sunday = order_body("655000101", &sunday.to_string());
    on_sunday["language"] = json!("es");
    let (status, e, _) = a.post("/api/v1/orders", Some("words-3"), &on_sunday).await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(
        message(&e, "fulfilment.date"),
        "Centro se reparte lun, mar, mié, jue, vie, sáb, no el domingo."
    );
    assert!(!e["next_possible_dates"].as_array().unwrap().is_empty());
    // Without a language in the order, the request's Accept-Language; the order's comes first.
    let small = |language: Option<&str>| {
        let mut o = order_body("655000102", &centro_day(&a.s));
        o["items"] = json!([{"sku": "BRD-BAG", "quantity": 1}]);
        if let Some(l) = language {
            o["language"] = json!(l);
        }
        o
    };
    let api = &a;
    let first_problem = move |body: Value, accept: &'static str| async move {
        let quoted: Value = api
            .http
            .post(api.s.url("/api/v1/quote"))
            .bearer_auth(&api.key)
            .header("Accept-Language", accept)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        quoted["problems"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let problem = first_problem(small(None), "es-ES,es;q=0.9,en;q=0.5").await;
    assert!(
        problem.starts_with("El pedido mínimo para entregar en Centro es 10,00 €"),
        "{problem}"
    );
    let problem = first_problem(small(Some("en")), "es-ES").await;
    assert!(
        problem.starts_with("The minimum order for delivery to Centro is €10.00"),
        "{problem}"
    );
    // A promotion code that doesn't apply, and a key that isn't one, in Spanish too.
    let mut coded = order_body("655000103", &centro_day(&a.s));
    coded["promo_code"] = json!("NOSUCHCODE");
    coded["language"] = json!("es");
    let (_, q, _) = a.post("/api/v1/quote", None, &coded).await;
    assert!(
        q["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["message"] == "promo_code: no hay ninguna promoción con este código."),
        "{q}"
    );
    let res = a
        .http
        .get(a.s.url("/api/v1/catalog"))
        .bearer_auth("not-a-key")
        .header("Accept-Language", "es")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        message(&body, "Authorization"),
        "Esta clave de la tienda no existe o se ha revocado."
    );
    // Neither: the bakery's language.
    let mut profile = a.s.state.config.profile();
    profile.language = "es".into();
    a.s.state.config.set_profile(profile);
    let (_, e, _) = a.post("/api/v1/orders", Some("words-4"), &bad).await;
    assert_eq!(
        message(&e, "customer.name"),
        "customer.name es obligatorio."
    );
    assert_eq!(a.orders().await, before, "refusals write nothing");
}
