//! Promotions on a real server: the quote and the order through the storefront API, limits
//! under concurrency, personal codes, the owner's form, the API document.
mod common;

use common::*;
use hearth::promotions::{write, Draft};
use serde_json::{json, Value};

struct Api {
    s: TestServer,
    shop: Storefront,
}

async fn api() -> Api {
    let s = spawn().await;
    let shop = Storefront::new(&s).await;
    Api { s, shop }
}

impl Api {
    async fn post(&self, path: &str, idem: Option<&str>, body: &Value) -> (u16, Value) {
        self.shop.post(&self.s, path, idem, body).await
    }

    async fn promotion(&self, tweak: impl FnOnce(&mut Draft)) -> i64 {
        promotion(&self.s, "Test promotion", tweak).await
    }

    async fn product_id(&self, sku: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM products WHERE sku = ?")
            .bind(sku)
            .fetch_one(&self.s.state.pool)
            .await
            .unwrap()
    }
}

/// A pickup on the next Saturday at least two days away.
fn pickup_day(s: &TestServer) -> String {
    next_saturday(s)
}

/// 2 sourdough loaves, picked up; with `code` when given.
fn order(phone: &str, day: &str, code: Option<&str>) -> Value {
    let mut o = json!({
        "customer": {"name": "Promo Tester", "phone": phone},
        "fulfilment": {"type": "pickup", "date": day, "time": "10:30"},
        "items": [{"sku": "BRD-SOUR", "quantity": 2}],
        "payment": {"method": "pay_at_pickup"}
    });
    if let Some(c) = code {
        o["promo_code"] = json!(c);
    }
    o
}

#[tokio::test]
async fn the_quote_shows_the_discount_and_names_the_rule_that_refuses_a_code() {
    let a = api().await;
    let day = pickup_day(&a.s);
    a.promotion(|d| {
        d.code = "TENOFF".into();
        d.percent = "10".into();
    })
    .await;
    a.promotion(|d| {
        d.name = "Big baskets".into();
        d.code = "BIG20".into();
        d.kind = "amount".into();
        d.amount = "5".into();
        d.min_order = "100".into();
    })
    .await;
    let (status, q) = a
        .post(
            "/api/v1/quote",
            None,
            &order("611000001", &day, Some("tenoff")),
        )
        .await;
    assert_eq!(status, 200, "{q}");
    let subtotal = q["subtotal_cents"].as_i64().unwrap();
    assert_eq!(q["promo_code"]["applied"], json!(true), "{q}");
    assert_eq!(q["promo_code"]["code"], json!("TENOFF"));
    assert_eq!(q["discount_cents"].as_i64().unwrap(), (subtotal + 5) / 10);
    assert_eq!(
        q["total_cents"].as_i64().unwrap(),
        subtotal - (subtotal + 5) / 10
    );
    assert_eq!(q["discounts"][0]["promotion"], json!("Test promotion"));
    assert!(q["problems"].as_array().unwrap().is_empty(), "{q}");
    // Below the minimum: the rule is named, and the order would be refused.
    let (_, q) = a
        .post(
            "/api/v1/quote",
            None,
            &order("611000001", &day, Some("BIG20")),
        )
        .await;
    assert_eq!(q["promo_code"]["applied"], json!(false), "{q}");
    assert_eq!(q["promo_code"]["refusal"], json!("below_minimum"));
    let message = q["promo_code"]["message"].as_str().unwrap();
    assert!(
        message.contains("Big baskets") && message.contains("100.00"),
        "{message}"
    );
    assert_eq!(q["problems"][0]["field"], json!("promo_code"));
    assert_eq!(q["discount_cents"], json!(0));
    // An unknown code.
    let (_, q) = a
        .post(
            "/api/v1/quote",
            None,
            &order("611000001", &day, Some("NOPE99")),
        )
        .await;
    assert_eq!(q["promo_code"]["refusal"], json!("unknown_code"));
    // A malformed one is a field error, not a refusal.
    let (status, q) = a
        .post(
            "/api/v1/quote",
            None,
            &order("611000001", &day, Some("no spaces!")),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(q["errors"][0]["field"], json!("promo_code"));
}

#[tokio::test]
async fn an_order_records_its_promotion_and_a_refused_code_changes_nothing() {
    let a = api().await;
    let day = pickup_day(&a.s);
    let orders_before = a.s.count("SELECT COUNT(*) FROM orders").await;
    a.promotion(|d| {
        d.code = "WEEKEND".into();
        d.weekdays = [true, true, true, true, true, false, false];
    })
    .await;
    // Saturday is not a weekday of this promotion: refused by default, naming the rule.
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("k1"),
            &order("611000002", &day, Some("WEEKEND")),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["promo_refusal"], json!("day_not_included"));
    assert_eq!(body["errors"][0]["field"], json!("promo_code"));
    assert_eq!(
        a.s.count("SELECT COUNT(*) FROM orders").await,
        orders_before,
        "nothing written"
    );
    // The same order at full price when the request says so.
    let mut full = order("611000002", &day, Some("WEEKEND"));
    full["promo_fallback"] = json!("full_price");
    let (status, body) = a.post("/api/v1/orders", Some("k2"), &full).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["discount_cents"], json!(0));
    assert_eq!(body["promo_code"]["refusal"], json!("day_not_included"));
    // A code that applies: recorded on the order and in the ledger.
    let id = a
        .promotion(|d| {
            d.name = "Five off".into();
            d.code = "FIVE".into();
            d.kind = "amount".into();
            d.amount = "5.00".into();
        })
        .await;
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("k3"),
            &order("611000002", &day, Some("five")),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["discount_cents"], json!(500));
    let (discount, total, subtotal, code): (i64, i64, i64, Option<String>) = sqlx::query_as(
        "SELECT discount_cents, total_cents, subtotal_cents, promo_code FROM orders WHERE number = ?",
    )
    .bind(body["order_number"].as_i64().unwrap())
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!((discount, total), (500, subtotal - 500));
    assert_eq!(code.as_deref(), Some("FIVE"));
    let uses: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM promotion_uses WHERE promotion_id = ? AND items_cents = 500",
    )
    .bind(id)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!(uses, 1);
    // The same key again replays the same answer, not a second use.
    let (status, again) = a
        .post(
            "/api/v1/orders",
            Some("k3"),
            &order("611000002", &day, Some("five")),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(again["order_number"], body["order_number"]);
    assert_eq!(
        a.s.count("SELECT COUNT(*) FROM promotion_uses WHERE code = 'FIVE'")
            .await,
        1,
        "one use however often it is retried"
    );
}

#[tokio::test]
async fn a_ten_use_code_discounts_exactly_ten_of_a_hundred_concurrent_orders() {
    let a = std::sync::Arc::new(api().await);
    let day = pickup_day(&a.s);
    sqlx::query("UPDATE products SET daily_capacity = 100000")
        .execute(&a.s.state.pool)
        .await
        .unwrap();
    a.promotion(|d| {
        d.code = "TEN".into();
        d.total_limit = "10".into();
    })
    .await;
    a.promotion(|d| {
        d.name = "Ten more".into();
        d.code = "TENMORE".into();
        d.total_limit = "10".into();
    })
    .await;
    // Half refuse when the code is used up, half take the order at full price.
    let mut tasks = Vec::new();
    for i in 0..100 {
        let a = a.clone();
        let mut body = order(
            &format!("6440{i:05}"),
            &day,
            Some(if i % 2 == 0 { "TEN" } else { "TENMORE" }),
        );
        if i % 2 == 1 {
            body["promo_fallback"] = json!("full_price");
        }
        tasks.push(tokio::spawn(async move {
            (
                i,
                a.post("/api/v1/orders", Some(&format!("c-{i}")), &body)
                    .await,
            )
        }));
    }
    let (mut discounted, mut full_price, mut refused) = (vec![0, 0], 0, 0);
    for t in tasks {
        let (i, (status, body)) = t.await.unwrap();
        match (i % 2, status) {
            (side, 201) if body["discount_cents"].as_i64().unwrap() > 0 => discounted[side] += 1,
            (1, 201) => {
                assert_eq!(body["promo_code"]["refusal"], json!("used_up"), "{body}");
                full_price += 1;
            }
            (0, 422) => {
                assert_eq!(body["promo_refusal"], json!("used_up"), "{body}");
                refused += 1;
            }
            other => panic!("unexpected {other:?}: {body}"),
        }
    }
    assert_eq!(discounted, vec![10, 10]);
    assert_eq!((refused, full_price), (40, 40));
    assert_eq!(
        a.s.count("SELECT COUNT(*) FROM promotion_uses WHERE code IN ('TEN', 'TENMORE')")
            .await,
        20
    );
    // A cancelled order gives its use back.
    sqlx::query(
        "UPDATE orders SET status = 'cancelled'
         WHERE id = (SELECT MIN(order_id) FROM promotion_uses WHERE code IN ('TEN', 'TENMORE'))",
    )
    .execute(&a.s.state.pool)
    .await
    .unwrap();
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT p.code FROM promotion_uses u JOIN promotions p ON p.id = u.promotion_id
         WHERE u.order_id = (SELECT MIN(order_id) FROM promotion_uses WHERE code IN ('TEN', 'TENMORE'))",
    )
    .fetch_all(&a.s.state.pool)
    .await
    .unwrap();
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("after-cancel"),
            &order("645000001", &day, Some(&codes[0])),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(body["discount_cents"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn personal_codes_belong_to_one_customer_and_are_used_once() {
    let a = api().await;
    let day = pickup_day(&a.s);
    // No product chosen for a free item: a refusal naming the field, nothing written.
    let before = a.s.count("SELECT COUNT(*) FROM promotions").await;
    let mut tx = a.s.state.pool.begin().await.unwrap();
    let bad = Draft {
        name: "No product".into(),
        kind: "free_item".into(),
        ..Draft::default()
    };
    let err = write::check(&mut tx, &bad).await.err().unwrap();
    assert_eq!(err.field(), Some("product_id"));
    drop(tx);
    assert_eq!(a.s.count("SELECT COUNT(*) FROM promotions").await, before);
    let croissant = a.product_id("PAS-CROI").await;
    let id = a
        .promotion(|d| {
            d.name = "Free croissant".into();
            d.kind = "free_item".into();
            d.product_id = Some(croissant);
        })
        .await;
    // Two known customers.
    for phone in ["611000010", "611000011"] {
        let (status, body) = a
            .post("/api/v1/orders", Some(phone), &order(phone, &day, None))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM customers WHERE phone IN ('+34611000010', '+34611000011') ORDER BY phone",
    )
    .fetch_all(&a.s.state.pool)
    .await
    .unwrap();
    let mut tx = a.s.state.pool.begin().await.unwrap();
    let rows = write::issue_codes(&mut tx, id, &ids).await.unwrap();
    tx.commit().await.unwrap();
    let code_of = |c: i64| rows.iter().find(|r| r.0 == c).unwrap().1.clone().unwrap();
    let (mine, theirs) = (code_of(ids[0]), code_of(ids[1]));
    assert_eq!(mine.len(), 8);
    // Someone else's code.
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("x1"),
            &order("611000010", &day, Some(&theirs)),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["promo_refusal"], json!("code_for_another_customer"));
    // One's own: the croissant is added free.
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("x2"),
            &order("611000010", &day, Some(&mine)),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["discounts"][0]["free_sku"], json!("PAS-CROI"));
    let price: i64 = sqlx::query_scalar("SELECT price_cents FROM products WHERE sku = 'PAS-CROI'")
        .fetch_one(&a.s.state.pool)
        .await
        .unwrap();
    assert_eq!(body["discount_cents"].as_i64().unwrap(), price);
    let lines: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.number = ? AND i.product_id = ?",
    )
    .bind(body["order_number"].as_i64().unwrap())
    .bind(croissant)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!(lines, 1, "the free croissant is a line of the order");
    // And only once.
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("x3"),
            &order("611000010", &day, Some(&mine)),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["promo_refusal"], json!("code_already_used"));
}

#[tokio::test]
async fn first_order_and_per_customer_limits_read_the_customers_history() {
    let a = api().await;
    let day = pickup_day(&a.s);
    a.promotion(|d| {
        d.code = "WELCOME".into();
        d.first_order_only = true;
    })
    .await;
    a.promotion(|d| {
        d.name = "Twice".into();
        d.code = "TWICE".into();
        d.per_customer_limit = "2".into();
    })
    .await;
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("w1"),
            &order("612000001", &day, Some("WELCOME")),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("w2"),
            &order("612000001", &day, Some("WELCOME")),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["promo_refusal"], json!("first_order_only"));
    for k in ["t1", "t2"] {
        let (status, body) = a
            .post(
                "/api/v1/orders",
                Some(k),
                &order("612000001", &day, Some("TWICE")),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("t3"),
            &order("612000001", &day, Some("TWICE")),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["promo_refusal"], json!("customer_limit_reached"));
    // Another customer still can.
    let (status, _) = a
        .post(
            "/api/v1/orders",
            Some("t4"),
            &order("612000002", &day, Some("TWICE")),
        )
        .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn the_owner_creates_promotions_with_named_field_errors_and_below_cost_warnings() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let before = s.count("SELECT COUNT(*) FROM promotions").await;
    let res = s
        .call(
            &owner,
            "/api/create_promotion",
            "draft[name]=Half+price&draft[kind]=percent&draft[percent]=150",
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Percent off"), "{body}");
    assert_eq!(s.count("SELECT COUNT(*) FROM promotions").await, before);
    // 90 % off sells recipe'd products below their cost of goods: the owner is warned.
    let res = s
        .call(
            &owner,
            "/api/check_promotion",
            "draft[kind]=percent&draft[percent]=90",
        )
        .await;
    assert_eq!(res.status(), 200);
    let warnings: Vec<String> = res.json().await.unwrap();
    assert!(
        warnings.iter().any(|w| w.contains("below its cost")),
        "{warnings:?}"
    );
    let res = s
        .call(
            &owner,
            "/api/check_promotion",
            "draft[kind]=percent&draft[percent]=5",
        )
        .await;
    let warnings: Vec<String> = res.json().await.unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let res = s
        .call(
            &owner,
            "/api/create_promotion",
            "draft[name]=Spring&draft[kind]=free_delivery&draft[code]=spring26",
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let code: String = sqlx::query_scalar("SELECT code FROM promotions WHERE name = 'Spring'")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(code, "SPRING26");
    // The same code twice is refused, naming the field.
    let res = s
        .call(
            &owner,
            "/api/create_promotion",
            "draft[name]=Again&draft[kind]=free_delivery&draft[code]=SPRING26",
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("already used"));
}

#[test]
fn the_api_document_names_the_code_and_every_refusal() {
    // The document `/api/v1/openapi.json` serves (its serving is tested with the storefront).
    let doc = serde_json::to_value(hearth::storefront::openapi::document()).unwrap();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["OrderIn"]["properties"]["promo_code"].is_object());
    assert!(schemas["Quote"]["properties"]["promo_code"].is_object());
    assert!(schemas["OrderCreated"]["properties"]["promo_code"].is_object());
    let listed: Vec<String> = schemas["Refusal"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let all: Vec<String> = hearth::promotions::rules::Refusal::ALL
        .iter()
        .map(|r| r.code())
        .collect();
    assert_eq!(listed, all);
}

#[tokio::test]
async fn customers_near_a_days_runs_are_ranked_by_the_extra_distance_and_get_codes() {
    let a = api().await;
    let owner = a.s.signed_in(OWNER).await;
    publish_today_for(&a.s, &owner, DRIVER).await;
    let day = a.s.state.config.today().to_string();
    let res =
        a.s.call(&owner, "/api/get_nearby", &format!("day={day}"))
            .await;
    assert_eq!(res.status(), 200);
    let (list, shown): (Vec<Value>, String) = res.json().await.unwrap();
    assert_eq!(shown, day);
    assert!(!list.is_empty(), "the demo has customers near today's run");
    let km: Vec<f64> = list
        .iter()
        .map(|n| n["extra_km"].as_f64().unwrap())
        .collect();
    assert!(
        km.windows(2).all(|w| w[0] <= w[1]),
        "cheapest first: {km:?}"
    );
    assert!(km.iter().all(|k| *k >= 0.0));
    // None of them has an order for that day.
    for n in &list {
        let orders: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders WHERE customer_id = ? AND fulfil_on = ? AND status <> 'cancelled'",
        )
        .bind(n["customer_id"].as_i64().unwrap())
        .bind(&day)
        .fetch_one(&a.s.state.pool)
        .await
        .unwrap();
        assert_eq!(orders, 0, "{n}");
    }
    // Codes for the three nearest who agreed to hear from the bakery.
    let id = a
        .promotion(|d| {
            d.name = "In your area".into();
            d.kind = "free_delivery".into();
        })
        .await;
    let res =
        a.s.call(
            &owner,
            "/api/issue_nearby_codes",
            &format!("id={id}&day={day}&limit=3"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let issued: Value = res.json().await.unwrap();
    let nearest: Vec<i64> = list
        .iter()
        .filter(|n| !n["channels"].as_array().unwrap().is_empty())
        .take(3)
        .map(|n| n["customer_id"].as_i64().unwrap())
        .collect();
    let coded: Vec<i64> = sqlx::query_scalar(
        "SELECT customer_id FROM promotion_codes WHERE promotion_id = ? ORDER BY customer_id",
    )
    .bind(id)
    .fetch_all(&a.s.state.pool)
    .await
    .unwrap();
    let mut want = nearest.clone();
    want.sort();
    assert_eq!(coded, want);
    assert_eq!(
        issued["issued"].as_i64().unwrap() + issued["held_back"].as_i64().unwrap(),
        3
    );
}

#[tokio::test]
async fn with_a_road_server_the_extra_distance_near_a_run_is_the_roads() {
    let url = osrm_stub().await;
    let s = spawn_with(|c| c.osrm_url = Some(url)).await;
    let owner = s.signed_in(OWNER).await;
    publish_today_for(&s, &owner, DRIVER).await;
    let day = s.state.config.today().to_string();
    let (status, got) = s
        .json(&owner, "/api/get_nearby", &format!("day={day}"))
        .await;
    assert_eq!(status, 200, "{got}");
    let list = got[0].as_array().unwrap().clone();
    assert!(!list.is_empty(), "the demo has customers near today's run");
    // Each run of the day, kitchen to kitchen.
    let pool = &s.state.pool;
    let (klat, klng, detour): (f64, f64, f64) =
        sqlx::query_as("SELECT kitchen_lat, kitchen_lng, detour_factor FROM business_settings")
            .fetch_one(pool)
            .await
            .unwrap();
    let kitchen = (klat, klng);
    let mut routes = Vec::new();
    let runs: Vec<i64> = sqlx::query_scalar("SELECT id FROM runs WHERE day = ?")
        .bind(&day)
        .fetch_all(pool)
        .await
        .unwrap();
    for id in runs {
        let stops: Vec<(f64, f64)> = sqlx::query_as(
            "SELECT o.lat, o.lng FROM run_stops s JOIN orders o ON o.id = s.order_id
             WHERE s.run_id = ? AND o.status <> 'cancelled' ORDER BY s.seq",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut route = vec![kitchen];
        route.extend(stops);
        route.push(kitchen);
        routes.push(route);
    }
    let road = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).abs() + (a.1 - b.1).abs()) * 100_000.0;
    let line = |a: (f64, f64), b: (f64, f64)| {
        let p = |(lat, lng)| hearth::runs::matrix::Point { lat, lng };
        hearth::runs::matrix::haversine_m(p(a), p(b))
    };
    // The cheapest insertion into the runs the customer lives within 1.5 km of, by `d`.
    let extra = |x: (f64, f64), d: &dyn Fn((f64, f64), (f64, f64)) -> f64| {
        let m = routes
            .iter()
            .filter(|r| r[1..r.len() - 1].iter().any(|&p| line(p, x) <= 1500.0))
            .flat_map(|r| {
                r.windows(2)
                    .map(|w| d(w[0], x) + d(x, w[1]) - d(w[0], w[1]))
            })
            .fold(f64::INFINITY, f64::min);
        (m.max(0.0) / 100.0).round() / 10.0
    };
    let mut unlike_the_line = 0;
    for n in &list {
        let x: (f64, f64) = sqlx::query_as("SELECT lat, lng FROM customers WHERE id = ?")
            .bind(n["customer_id"].as_i64().unwrap())
            .fetch_one(pool)
            .await
            .unwrap();
        let km = n["extra_km"].as_f64().unwrap();
        assert!(
            (km - extra(x, &road)).abs() < 0.051,
            "{n}: the road says {}",
            extra(x, &road)
        );
        if (km - extra(x, &|a, b| line(a, b) * detour)).abs() > 0.15 {
            unlike_the_line += 1;
        }
    }
    assert!(
        unlike_the_line > 0,
        "the road's figures, not the straight line's: {list:?}"
    );
}
