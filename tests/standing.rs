//! Standing orders on a real server: created through the storefront API (idempotent, every
//! bad field named, nothing written), their visits created ahead through the order core
//! (refusals name the date and are tried again), skip, pause, resume and end cancelling or
//! re-creating visits through the core, notifications, and a standing order's week moved as
//! a whole onto another accepted pattern by "Plan the fortnight".
mod common;

use chrono::{Datelike, NaiveDate};
use common::*;
use hearth::orders::core::Core;
use hearth::standing::ahead;
use serde_json::{json, Value};

struct Api {
    s: TestServer,
    key: String,
    http: reqwest::Client,
}

async fn api() -> Api {
    let s = spawn().await;
    let (_, key) = hearth::storefront::keys::create(&s.state.pool, "Website", None)
        .await
        .unwrap();
    Api {
        s,
        key,
        http: reqwest::Client::new(),
    }
}

impl Api {
    async fn send(
        &self,
        method: &str,
        path: &str,
        idem: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let url = self.s.url(path);
        let mut req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            "PUT" => self.http.put(url),
            "PATCH" => self.http.patch(url),
            _ => self.http.post(url),
        }
        .bearer_auth(&self.key);
        if let Some(k) = idem {
            req = req.header("Idempotency-Key", k);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    fn today(&self) -> NaiveDate {
        self.s.state.config.today()
    }

    async fn count(&self, sql: &'static str) -> i64 {
        self.s.count(sql).await
    }
}

/// A café in Centro (served Mon–Sat): two sourdough loaves on Tuesdays and Fridays, or on
/// Mondays and Thursdays if that suits the runs.
fn cafe(phone: &str, starts: NaiveDate) -> Value {
    json!({
        "customer": {"name": "Café Luna", "phone": phone, "email": "luna@example.com"},
        "fulfilment": {"type": "delivery", "address": "Calle de Atocha 20, Madrid",
                       "lat": 40.4128, "lng": -3.7010, "window": {"from": "09:00", "to": "11:00"}},
        "items": [{"sku": "BRD-SOUR", "quantity": 2}],
        "payment": {"method": "cod"},
        "schedule": {"visits_per_week": 2, "weekdays": [["tue", "fri"], ["mon", "thu"]],
                     "starts_on": starts.to_string()}
    })
}

fn errors(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

/// The Tuesdays and Fridays from `starts` within the fortnight and the booking horizon.
async fn expected_days(a: &Api, starts: NaiveDate) -> Vec<String> {
    let horizon: i64 = a
        .count("SELECT booking_horizon_days FROM business_settings")
        .await;
    let today = a.today();
    let last = today + chrono::Duration::days(14.min(horizon - 1));
    (1..=14)
        .map(|i| today + chrono::Duration::days(i))
        .filter(|d| *d <= last && *d >= starts)
        .filter(|d| matches!(d.weekday(), chrono::Weekday::Tue | chrono::Weekday::Fri))
        .map(|d| d.to_string())
        .collect()
}

#[tokio::test]
async fn a_standing_order_is_created_through_the_api_and_its_visits_through_the_core() {
    let a = api().await;
    // From the day after tomorrow: tomorrow's orders may already be closed (the cut-off).
    let tomorrow = a.today() + chrono::Duration::days(2);
    let orders_before = a.count("SELECT COUNT(*) FROM orders").await;
    // The demo bakery has two standing orders of its own.
    let standing_before = a.count("SELECT COUNT(*) FROM standing_orders").await;
    let visits_before = a
        .count("SELECT COUNT(*) FROM orders WHERE standing_order_id IS NOT NULL")
        .await;

    // Bad input: every problem named, nothing written.
    let mut bad = cafe("+34600111222", tomorrow);
    bad["schedule"]["weekdays"] = json!([["tue"], ["someday", "thu"]]);
    bad["schedule"]["starts_on"] = json!("2020-01-01");
    bad["items"][0]["sku"] = json!("NOPE");
    bad["fulfilment"]["lat"] = Value::Null;
    let (status, body) = a
        .send("POST", "/api/v1/standing-orders", Some("bad-1"), Some(&bad))
        .await;
    assert_eq!(status, 422, "{body}");
    let named = errors(&body);
    for f in [
        "schedule.starts_on",
        "schedule.weekdays[0]",
        "items[0].sku",
        "fulfilment.lat",
    ] {
        assert!(named.iter().any(|n| n == f), "{f} named in {named:?}");
    }
    let (status, body) = a
        .send(
            "POST",
            "/api/v1/standing-orders",
            None,
            Some(&cafe("+34600111222", tomorrow)),
        )
        .await;
    assert_eq!(
        (status, errors(&body)),
        (400, vec!["Idempotency-Key".to_string()])
    );
    assert_eq!(
        a.count("SELECT COUNT(*) FROM standing_orders").await,
        standing_before
    );
    assert_eq!(a.count("SELECT COUNT(*) FROM orders").await, orders_before);

    // Created: one order per Tuesday and Friday of the fortnight, each through the intake.
    let body = cafe("+34600111222", tomorrow);
    let (status, made) = a
        .send(
            "POST",
            "/api/v1/standing-orders",
            Some("luna-1"),
            Some(&body),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["schedule"], "Twice a week, Tue + Fri (or Mon + Thu)");
    assert_eq!(made["weekdays"], json!([["tue", "fri"], ["mon", "thu"]]));
    let want = expected_days(&a, tomorrow).await;
    assert!(!want.is_empty());
    let visits = made["visits"].as_array().unwrap();
    let days: Vec<&str> = visits.iter().map(|v| v["date"].as_str().unwrap()).collect();
    assert_eq!(days, want);
    for v in visits {
        assert!(v["refused"].is_null(), "{v}");
        assert_eq!(v["delivery_date"], v["date"]);
        assert_eq!(v["status"], "received");
    }
    let id = made["id"].as_i64().unwrap();
    let (n, source, total): (i64, String, i64) = sqlx::query_as(
        "SELECT COUNT(*), MIN(source), SUM(total_cents) FROM orders WHERE standing_order_id = ?",
    )
    .bind(id)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!((n as usize, source.as_str()), (want.len(), "standing"));
    assert!(total > 0);
    let history: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_events e JOIN orders o ON o.id = e.order_id
         WHERE o.standing_order_id = ? AND e.detail = 'Created ahead from a standing order'",
    )
    .bind(id)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!(history as usize, want.len());
    let told: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM webhook_outbox w JOIN orders o ON o.id = w.order_id
         WHERE o.standing_order_id = ? AND w.event = 'order.created'",
    )
    .bind(id)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!(
        told as usize,
        want.len(),
        "the customer hears of each visit"
    );

    // The same key and body: the same standing order, nothing new. Another body: 422.
    let (status, again) = a
        .send(
            "POST",
            "/api/v1/standing-orders",
            Some("luna-1"),
            Some(&body),
        )
        .await;
    assert_eq!((status, again["id"].as_i64()), (201, Some(id)));
    let mut other = body.clone();
    other["items"][0]["quantity"] = json!(3);
    let (status, r) = a
        .send(
            "POST",
            "/api/v1/standing-orders",
            Some("luna-1"),
            Some(&other),
        )
        .await;
    assert_eq!(
        (status, errors(&r)),
        (422, vec!["Idempotency-Key".to_string()])
    );
    // Passes again (the worker's, or a retry) create nothing twice.
    let core = Core::of(&a.s.state);
    let pass = ahead::make(&core, None).await.unwrap();
    assert!(pass.created.is_empty(), "{pass:?}");
    assert_eq!(
        a.count("SELECT COUNT(*) FROM standing_orders").await,
        standing_before + 1
    );
    let visits_now: i64 = a
        .count("SELECT COUNT(*) FROM orders WHERE standing_order_id IS NOT NULL")
        .await;
    assert_eq!((visits_now - visits_before) as usize, want.len());

    // GET shows it; unknown ids are 404.
    let (status, shown) = a
        .send("GET", &format!("/api/v1/standing-orders/{id}"), None, None)
        .await;
    assert_eq!((status, shown["id"].as_i64()), (200, Some(id)));
    let (status, _) = a
        .send("GET", "/api/v1/standing-orders/999999", None, None)
        .await;
    assert_eq!(status, 404);
    let (status, _) = a
        .send("GET", "/api/v1/standing-orders/abc", None, None)
        .await;
    assert_eq!(status, 404);

    // Skip the first date: its order is cancelled through the core, and not made again.
    let first = want[0].clone();
    let first_order: i64 = sqlx::query_scalar(
        "SELECT o.id FROM orders o WHERE o.standing_order_id = ? AND o.fulfil_on = ?",
    )
    .bind(id)
    .bind(&first)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    let path = format!("/api/v1/standing-orders/{id}/skips");
    let (status, r) = a
        .send("POST", &path, None, Some(&json!({"date": "2026-13-01"})))
        .await;
    assert_eq!((status, errors(&r)), (422, vec!["date".to_string()]));
    let wednesday = (1..=7)
        .map(|i| a.today() + chrono::Duration::days(i))
        .find(|d| d.weekday() == chrono::Weekday::Wed)
        .unwrap();
    let (status, r) = a
        .send(
            "POST",
            &path,
            None,
            Some(&json!({"date": wednesday.to_string()})),
        )
        .await;
    assert_eq!(status, 422, "not one of its days: {r}");
    assert!(r.to_string().contains("Tue + Fri"), "{r}");
    let (status, r) = a
        .send("POST", &path, None, Some(&json!({"date": first})))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["skips"], json!([first]));
    let (st, why): (String, String) = sqlx::query_as(
        "SELECT o.status, e.detail FROM orders o JOIN order_events e ON e.order_id = o.id
         WHERE o.id = ? ORDER BY e.id DESC LIMIT 1",
    )
    .bind(first_order)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!(st, "cancelled");
    assert!(why.starts_with("Skipped ("), "{why}");
    assert!(ahead::make(&core, None).await.unwrap().created.is_empty());
    // Booked again: a new order for that date.
    let (status, r) = a
        .send(
            "DELETE",
            &format!("/api/v1/standing-orders/{id}/skips/{first}"),
            None,
            None,
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let v = &r["visits"][0];
    assert_eq!(
        (v["date"].as_str(), v["status"].as_str()),
        (Some(first.as_str()), Some("received"))
    );
    assert_ne!(v["order_number"], Value::Null);

    // An order already baking can no longer be skipped: 409 naming it; nothing changes.
    let baking: i64 = sqlx::query_scalar(
        "SELECT o.id FROM orders o WHERE o.standing_order_id = ? AND o.status = 'received' AND o.fulfil_on = ?",
    )
    .bind(id)
    .bind(&want[1])
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    let actor = hearth::orders::core::Actor::hearth(None);
    for to in [
        hearth::orders::model::OrderStatus::Confirmed,
        hearth::orders::model::OrderStatus::Baking,
    ] {
        core.apply(
            &actor,
            baking,
            None,
            hearth::orders::core::Command::Move(to),
        )
        .await
        .unwrap();
    }
    let (status, r) = a
        .send("POST", &path, None, Some(&json!({"date": want[1]})))
        .await;
    assert_eq!(status, 409, "{r}");
    assert!(r.to_string().contains("already baking"), "{r}");
    assert_eq!(
        a.count("SELECT COUNT(*) FROM standing_order_skips").await,
        0
    );

    // Pause (no end): the visits not yet baking are cancelled, the baking one stays.
    let live = |a: &Api| {
        let pool = a.s.state.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM orders WHERE standing_order_id = ? AND status != 'cancelled'",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (status, r) = a
        .send(
            "POST",
            &format!("/api/v1/standing-orders/{id}/pause"),
            None,
            Some(&json!({})),
        )
        .await;
    assert_eq!((status, r["status"].as_str()), (200, Some("paused")), "{r}");
    assert_eq!(live(&a).await, 1, "only the baking visit stays");
    assert!(
        ahead::make(&core, None).await.unwrap().created.is_empty(),
        "paused: nothing made"
    );
    let (status, r) = a
        .send(
            "POST",
            &format!("/api/v1/standing-orders/{id}/resume"),
            None,
            None,
        )
        .await;
    assert_eq!((status, r["status"].as_str()), (200, Some("active")), "{r}");
    assert_eq!(
        live(&a).await as usize,
        want.len(),
        "resumed: every visit again"
    );

    // End: every visit not yet baking is cancelled; an ended standing order changes no more.
    let (status, r) = a
        .send(
            "DELETE",
            &format!("/api/v1/standing-orders/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!((status, r["status"].as_str()), (200, Some("ended")), "{r}");
    assert_eq!(live(&a).await, 1);
    let (status, _) = a
        .send(
            "POST",
            &format!("/api/v1/standing-orders/{id}/resume"),
            None,
            None,
        )
        .await;
    assert_eq!(status, 409);
    let cancelled_told: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM webhook_outbox w JOIN orders o ON o.id = w.order_id
         WHERE o.standing_order_id = ? AND w.event = 'order.cancelled'",
    )
    .bind(id)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert!(
        cancelled_told as usize >= want.len(),
        "each cancellation is told"
    );
}

#[tokio::test]
async fn a_refused_visit_names_its_date_and_is_tried_again() {
    let a = api().await;
    let tomorrow = a.today() + chrono::Duration::days(2);
    // Sourdough can't be baked that much: every visit is refused by the core's capacity check.
    let old: i64 = a
        .count("SELECT daily_capacity FROM products WHERE sku = 'BRD-SOUR'")
        .await;
    sqlx::query("UPDATE products SET daily_capacity = 1 WHERE sku = 'BRD-SOUR'")
        .execute(&a.s.state.pool)
        .await
        .unwrap();
    let (status, made) = a
        .send(
            "POST",
            "/api/v1/standing-orders",
            Some("luna-2"),
            Some(&cafe("+34600333444", tomorrow)),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let want = expected_days(&a, tomorrow).await;
    for (v, day) in made["visits"].as_array().unwrap().iter().zip(&want) {
        let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        let why = v["refused"].as_str().unwrap_or_default();
        assert!(
            why.starts_with(&d.format("%a %-d %b: ").to_string()),
            "the refusal names the date: {v}"
        );
        assert!(v["order_number"].is_null());
    }
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE standing_order_id = ?")
        .bind(id)
        .fetch_one(&a.s.state.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0, "nothing of a refused visit is kept");
    // The kitchen can bake it again: the next pass creates every visit and clears the reasons.
    sqlx::query("UPDATE products SET daily_capacity = ? WHERE sku = 'BRD-SOUR'")
        .bind(old)
        .execute(&a.s.state.pool)
        .await
        .unwrap();
    let pass = ahead::make(&Core::of(&a.s.state), Some(id)).await.unwrap();
    assert_eq!(pass.created.len(), want.len(), "{pass:?}");
    let (_, shown) = a
        .send("GET", &format!("/api/v1/standing-orders/{id}"), None, None)
        .await;
    assert!(
        shown["visits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["refused"].is_null()),
        "{shown}"
    );
}

#[tokio::test]
async fn the_owner_books_a_standing_order_on_the_customer_page() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let staff = s.signed_in(STAFF).await;
    let customer: i64 = s
        .count(
            "SELECT c.id FROM customers c JOIN districts d ON d.id = c.district_id
             WHERE d.name = 'Centro' AND c.lat IS NOT NULL ORDER BY c.id LIMIT 1",
        )
        .await;
    let tomorrow = s.state.config.today() + chrono::Duration::days(2);
    let form = |days: &str| {
        format!(
            "customer_id={customer}&form[items][0][sku]=BRD-SOUR&form[items][0][quantity]=2&{days}&form[starts_on]={tomorrow}&form[ends_on]=&form[window]=&form[fulfilment]=delivery&form[payment]=cod&form[notes]="
        )
    };
    // Staff may not; a pattern of the wrong size is named.
    let res = s
        .call(
            &staff,
            "/api/create_standing_order",
            &form("form[days][0]=1"),
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = s
        .call(
            &owner,
            "/api/create_standing_order",
            &form("form[days][0]=1&form[alt_days][0]=0&form[alt_days][1]=3"),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("schedule.weekdays[1]"));
    assert_eq!(
        s.count("SELECT COUNT(*) FROM standing_orders").await,
        2,
        "the demo's two"
    );
    let res = s
        .call(
            &owner,
            "/api/create_standing_order",
            &form("form[days][0]=1"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let id: i64 = res.json().await.unwrap();
    let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE standing_order_id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert!(made >= 1, "the fortnight's Tuesdays are booked");
    let page = s.page(&owner, &format!("/customers/{customer}")).await;
    assert!(
        page.contains("Standing orders") && page.contains(&format!("S-{id}")),
        "the customer page shows it"
    );
    // Skipping from the page answers what happened to the order.
    let day: String = sqlx::query_scalar("SELECT MIN(day) FROM standing_order_visits WHERE standing_order_id = ? AND order_id IS NOT NULL")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let res = s
        .call(
            &owner,
            "/api/change_standing_order",
            &format!("id={id}&action=skip&date={day}"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("is cancelled"));

    // Two records of one person merged: the standing order goes with the orders.
    let other: i64 =
        sqlx::query_scalar("SELECT id FROM customers WHERE id != ? ORDER BY id LIMIT 1")
            .bind(customer)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let res = s
        .call(
            &owner,
            "/api/merge_customers",
            &format!("from={customer}&into={other}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let owner_now: i64 = sqlx::query_scalar("SELECT customer_id FROM standing_orders WHERE id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(owner_now, other);
    let page = s.page(&owner, &format!("/customers/{other}")).await;
    assert!(page.contains(&format!("S-{id}")));
    // Every standing order at a glance, owner only.
    let page = s.page(&owner, "/customers/standing").await;
    assert!(
        page.contains(&format!("S-{id}"))
            && page.contains("Twice a week, Tue + Fri (or Mon + Thu)")
    );
    let res = s.call(&staff, "/api/list_standing_orders", "").await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn plan_the_fortnight_moves_a_standing_week_onto_another_accepted_pattern() {
    let a = api().await;
    // Next Monday, so that the whole week is in the fortnight.
    let today = a.today();
    let monday = (1..=7)
        .map(|i| today + chrono::Duration::days(i))
        .find(|d| d.weekday() == chrono::Weekday::Mon)
        .unwrap();
    let (status, made) = a
        .send(
            "POST",
            "/api/v1/standing-orders",
            Some("luna-3"),
            Some(&cafe("+34600555666", monday)),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    // Next door, other customers already take deliveries that week on Monday and Thursday.
    for (i, offset) in [0i64, 3].iter().enumerate() {
        let day = monday + chrono::Duration::days(*offset);
        let order = json!({
            "customer": {"name": "Vecina", "phone": format!("+3460077788{i}")},
            "fulfilment": {"type": "delivery", "address": "Calle de Atocha 22, Madrid",
                           "lat": 40.41281, "lng": -3.70101, "date": day.to_string(),
                           "window": {"from": "09:00", "to": "11:00"}},
            "items": [{"sku": "BRD-SOUR", "quantity": 2}],
            "payment": {"method": "cod"}
        });
        let (status, r) = a
            .send(
                "POST",
                "/api/v1/orders",
                Some(&format!("vecina-{i}")),
                Some(&order),
            )
            .await;
        assert_eq!(status, 201, "{r}");
    }
    let owner = a.s.signed_in(OWNER).await;
    let res = a.s.call(&owner, "/api/suggest_plan", "").await;
    assert_eq!(res.status(), 200);
    let plan: Value = res.json().await.unwrap();
    let week = format!("S-{id}/{monday}");
    let ours: Vec<&Value> = plan["moves"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["group"] == json!(week))
        .collect();
    assert_eq!(ours.len(), 2, "the week's two visits move together: {plan}");
    let to: Vec<&str> = ours.iter().map(|m| m["to_day"].as_str().unwrap()).collect();
    let want = [
        monday.to_string(),
        (monday + chrono::Duration::days(3)).to_string(),
    ];
    assert_eq!(to, want, "onto Mon + Thu, next to the neighbours");
    assert!(ours[0]["why"]
        .as_str()
        .unwrap()
        .contains("Mon + Thu this week instead of Tue + Fri (both accepted)"));
    // An owner who reads Spanish reads why in Spanish: the pattern's days, the stops joined.
    a.s.reads(OWNER, Some("es")).await;
    let res = a.s.call(&owner, "/api/suggest_plan", "").await;
    let spanish: Value = res.json().await.unwrap();
    let why = spanish["moves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["group"] == json!(week))
        .map(|m| m["why"].as_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        why.starts_with(&format!(
            "Pedido fijo S-{id}: lun + jue esta semana en lugar de mar + vie"
        )),
        "{why}"
    );
    assert!(
        why.contains("Se une a") || why.contains("En la ruta del"),
        "{why}"
    );
    a.s.reads(OWNER, None).await;
    // Every standing move in the plan keeps whole weeks on an accepted pattern.
    for m in plan["moves"].as_array().unwrap() {
        if let Some(g) = m["group"].as_str() {
            let n = plan["moves"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| o["group"] == json!(g))
                .count();
            assert_eq!(n, 2, "{g}");
        }
    }
    // Accepted through the core (its own check: the customer's weekdays, the same week).
    let ids: Vec<i64> = ours
        .iter()
        .map(|m| m["order_id"].as_i64().unwrap())
        .collect();
    let body = format!("{}&{}", indexed("order_ids", &ids), indexed("days", &to));
    let res = a.s.call(&owner, "/api/accept_suggestions", &body).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let (_, shown) = a
        .send("GET", &format!("/api/v1/standing-orders/{id}"), None, None)
        .await;
    let moved: Vec<(String, String)> = shown["visits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| {
            v["date"].as_str().unwrap() < (monday + chrono::Duration::days(7)).to_string().as_str()
        })
        .map(|v| {
            (
                v["date"].as_str().unwrap().to_string(),
                v["delivery_date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        moved,
        vec![
            (
                (monday + chrono::Duration::days(1)).to_string(),
                want[0].clone()
            ),
            (
                (monday + chrono::Duration::days(4)).to_string(),
                want[1].clone()
            ),
        ]
    );
    // The core refuses a weekday the customer never accepted (Wednesday), even for the plan.
    let res =
        a.s.call(
            &owner,
            "/api/accept_suggestions",
            &format!(
                "order_ids[0]={}&days[0]={}",
                ids[0],
                monday + chrono::Duration::days(2)
            ),
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("standing order's delivery"));
}

/// The customer page's "Change items" for standing order `id`: the status and the answer.
async fn change_items(
    s: &TestServer,
    owner: &reqwest::Client,
    id: i64,
    items: String,
) -> (u16, String) {
    let body = format!("id={id}&action=items&{items}");
    let res = s.call(owner, "/api/change_standing_order", &body).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_owner_changes_the_items_and_the_deliveries_ahead_follow_through_the_core() {
    let a = api().await;
    let starts = a.today() + chrono::Duration::days(2);
    let (status, made) = a
        .send(
            "POST",
            "/api/v1/standing-orders",
            Some("items-1"),
            Some(&cafe("+34600333444", starts)),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let owner = a.s.signed_in(OWNER).await;
    let pool = &a.s.state.pool;
    let orders = || async move {
        sqlx::query_as::<_, (i64, i64, String, i64, i64)>(
            "SELECT o.id, o.number, o.status, o.subtotal_cents, o.version FROM orders o
             WHERE o.standing_order_id = ? AND o.status != 'cancelled' ORDER BY o.fulfil_on",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap()
    };
    let before = orders().await;
    assert!(before.len() >= 2, "{before:?}");
    let change = |items: &str| change_items(&a.s, &owner, id, items.to_string());
    // Bad lines are named and change nothing.
    for (items, why) in [
        ("", "at least one product"),
        (
            "items[0][sku]=NOPE&items[0][quantity]=1",
            "NOPE\\\" is not a product",
        ),
        (
            "items[0][sku]=BRD-SOUR&items[0][quantity]=two",
            "whole number",
        ),
        (
            "items[0][sku]=BRD-SOUR&items[0][quantity]=0",
            "whole number",
        ),
    ] {
        let (status, text) = change(items).await;
        assert_eq!(status, 422, "{items}: {text}");
        assert!(
            text.contains("items") && text.contains(why),
            "{items}: {text}"
        );
        assert_eq!(orders().await, before, "{items} changed nothing");
    }
    // The first delivery is already baking: it stays as it was.
    let baking = before[0].0;
    sqlx::query("UPDATE products SET daily_capacity = 1000")
        .execute(pool)
        .await
        .unwrap();
    for (to, version) in [("confirmed", before[0].4), ("baking", before[0].4 + 1)] {
        let body = format!("order_id={baking}&to={to}&version={version}");
        let res = a.s.call(&owner, "/api/move_order", &body).await;
        assert_eq!(res.status(), 200, "{to}");
    }
    let before = orders().await;

    // Three loaves and two croissants from now on.
    let items = "items[0][sku]=BRD-SOUR&items[0][quantity]=3&items[1][sku]=PAS-CROI&items[1][quantity]=2&items[2][sku]=&items[2][quantity]=1";
    let (status, text) = change(items).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        text.contains("have the new items") || text.contains("has the new items"),
        "{text}"
    );
    assert!(text.contains("is already baking and stays"), "{text}");
    let lines: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.sku, i.quantity FROM standing_order_items i JOIN products p ON p.id = i.product_id
         WHERE i.standing_order_id = ? ORDER BY i.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        lines,
        [("BRD-SOUR".to_string(), 3), ("PAS-CROI".to_string(), 2)]
    );
    let after = orders().await;
    assert_eq!(after.len(), before.len(), "no delivery lost or added");
    assert_eq!(after[0], before[0], "the baking one stays");
    for (o, was) in after.iter().zip(&before).skip(1) {
        assert_eq!(o.4, was.4 + 1, "changed once, through the core: {o:?}");
        let got: Vec<(String, i64)> = sqlx::query_as(
            "SELECT p.sku, i.quantity FROM order_items i JOIN products p ON p.id = i.product_id
             WHERE i.order_id = ? ORDER BY i.id",
        )
        .bind(o.0)
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(got, lines, "order #{}", o.1);
        let history: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM order_events WHERE order_id = ? AND detail LIKE 'items %'",
        )
        .bind(o.0)
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(history, 1, "order #{}", o.1);
    }
    // The same items again, listed the other way round, change no order.
    let (status, text) = change(
        "items[0][sku]=PAS-CROI&items[0][quantity]=2&items[1][sku]=BRD-SOUR&items[1][quantity]=3",
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains("new items"), "{text}");
    assert_eq!(orders().await, after);
    // And the page shows them.
    let customer: i64 = sqlx::query_scalar("SELECT customer_id FROM standing_orders WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    let page = a.s.page(&owner, &format!("/customers/{customer}")).await;
    assert!(
        page.contains("3 × ") && page.contains("Change items"),
        "the card shows the new items"
    );

    // The website changes them too (PUT …/items): bad bodies named, nothing changed.
    let path = format!("/api/v1/standing-orders/{id}/items");
    for (body, field) in [
        (json!({"items": []}), "items"),
        (json!({"items": [{"quantity": 1}]}), "items[0].sku"),
        (
            json!({"items": [{"sku": "BRD-SOUR", "quantity": 120}]}),
            "items",
        ),
        (json!({"items": [{"sku": "NOPE", "quantity": 1}]}), "items"),
    ] {
        let (status, out) = a.send("PUT", &path, None, Some(&body)).await;
        assert_eq!(status, 422, "{body}: {out}");
        assert_eq!(errors(&out), [field], "{body}: {out}");
        assert_eq!(orders().await, after);
    }
    // One loaf is under Centro's €10.00 minimum: the order core says so for every delivery.
    let one = json!({"items": [{"sku": "BRD-SOUR", "quantity": 1}]});
    let (status, out) = a.send("PUT", &path, None, Some(&one)).await;
    assert_eq!(status, 422, "{out}");
    assert!(out.to_string().contains("minimum order"), "{out}");
    assert_eq!(orders().await, after);
    let two = json!({"items": [{"sku": "BRD-SOUR", "quantity": 2}]});
    let unknown = "/api/v1/standing-orders/999999/items";
    assert_eq!(a.send("PUT", unknown, None, Some(&two)).await.0, 404);
    let (status, out) = a.send("PUT", &path, None, Some(&two)).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["subtotal_cents"], json!(1300), "{out}");
    let now = orders().await;
    assert_eq!(now[0], after[0], "the baking one still stays");
    assert!(now.iter().skip(1).all(|o| o.3 == 1300), "{now:?}");
}

/// The customer page's "Change days, address or time" for standing order `id`.
async fn change_terms(
    s: &TestServer,
    owner: &reqwest::Client,
    id: i64,
    form: &str,
) -> (u16, String) {
    let body = format!("id={id}&{form}");
    let res = s.call(owner, "/api/change_standing_terms", &body).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// (order id, number, status, fulfil_on, district, fee, window_from, version) of a standing
/// order's orders not cancelled, by day.
type Delivery = (i64, i64, String, String, String, i64, Option<String>, i64);

async fn deliveries(pool: &sqlx::SqlitePool, id: i64) -> Vec<Delivery> {
    sqlx::query_as(
        "SELECT o.id, o.number, o.status, o.fulfil_on, d.name, o.delivery_fee_cents, o.window_from, o.version
         FROM orders o JOIN districts d ON d.id = o.district_id
         WHERE o.standing_order_id = ? AND o.status != 'cancelled' ORDER BY o.fulfil_on",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_owner_changes_days_place_and_time_and_the_deliveries_ahead_follow() {
    let a = api().await;
    let starts = a.today() + chrono::Duration::days(2);
    let mut body = cafe("+34600555666", starts);
    // Three loaves: over Chamberí's €15.00 minimum too.
    body["items"][0]["quantity"] = json!(3);
    let (status, made) = a
        .send(
            "POST",
            "/api/v1/standing-orders",
            Some("terms-1"),
            Some(&body),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let pool = &a.s.state.pool;
    let owner = a.s.signed_in(OWNER).await;
    let before = deliveries(pool, id).await;
    assert!(before.len() >= 3, "{before:?}");
    // The first delivery is already baking.
    sqlx::query("UPDATE products SET daily_capacity = 1000")
        .execute(pool)
        .await
        .unwrap();
    for (to, version) in [("confirmed", before[0].7), ("baking", before[0].7 + 1)] {
        let body = format!("order_id={}&to={to}&version={version}", before[0].0);
        let res = a.s.call(&owner, "/api/move_order", &body).await;
        assert_eq!(res.status(), 200, "{to}");
    }
    let before = deliveries(pool, id).await;
    let version = || async move {
        sqlx::query_scalar::<_, i64>("SELECT version FROM standing_orders WHERE id = ?")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    let v0 = version().await;
    let chamberi = "form[address]=Calle de Olid 5, Madrid&form[lat]=40.4365&form[lng]=-3.7030";
    // Bad changes are named and change nothing.
    for (form, field) in [
        (
            format!("form[window]=11:00-13:00&{chamberi}"),
            "at least one weekday",
        ),
        (
            format!("form[days][0]=6&form[window]=11:00-13:00&{chamberi}"),
            "schedule.weekdays[0]",
        ),
        (
            format!("form[days][0]=2&form[days][1]=4&form[window]=25:00-26:00&{chamberi}"),
            "fulfilment.window",
        ),
        (
            "form[days][0]=2&form[days][1]=4&form[address]=Far away&form[lat]=40.0&form[lng]=-3.0"
                .into(),
            "fulfilment.lat",
        ),
    ] {
        let (status, text) = change_terms(&a.s, &owner, id, &form).await;
        assert_eq!(status, 422, "{form}: {text}");
        assert!(text.contains(field), "{form}: {field} in {text}");
        assert_eq!(deliveries(pool, id).await, before, "{form} changed nothing");
        assert_eq!(version().await, v0);
    }
    // Wednesdays and Fridays (or Mondays and Fridays) in Chamberí, 11:00–13:00.
    let form = format!(
        "form[days][0]=2&form[days][1]=4&form[alt_days][0]=0&form[alt_days][1]=4&form[window]=11:00-13:00&{chamberi}"
    );
    let (status, text) = change_terms(&a.s, &owner, id, &form).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("is already baking and stays"), "{text}");
    assert!(text.contains("cancelled"), "{text}");
    assert!(text.contains("new address or time"), "{text}");
    assert!(text.contains("new deliver"), "{text}");
    let after = deliveries(pool, id).await;
    let weekday = |d: &str| d.parse::<NaiveDate>().unwrap().weekday();
    assert!(after.contains(&before[0]), "the baking one stays as it was");
    for o in after.iter().filter(|o| o.0 != before[0].0) {
        assert!(
            matches!(weekday(&o.3), chrono::Weekday::Wed | chrono::Weekday::Fri),
            "{o:?}"
        );
        assert_eq!(
            (o.4.as_str(), o.5, o.6.as_deref()),
            ("Chamberí", 300, Some("11:00")),
            "{o:?}"
        );
        if let Some(was) = before.iter().find(|b| b.0 == o.0) {
            assert_eq!(o.7, was.7 + 2, "moved and re-timed through the core: {o:?}");
        }
    }
    for was in before.iter().skip(1) {
        let kept = after.iter().any(|o| o.0 == was.0);
        assert_eq!(kept, weekday(&was.3) == chrono::Weekday::Fri, "{was:?}");
    }
    let wednesdays = after
        .iter()
        .filter(|o| weekday(&o.3) == chrono::Weekday::Wed)
        .count();
    assert!(wednesdays >= 1, "{after:?}");
    let row: (String, String, Option<String>, i64) = sqlx::query_as(
        "SELECT patterns, address, window_from, version FROM standing_orders WHERE id = ?",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "20,17".into(),
            "Calle de Olid 5, Madrid".into(),
            Some("11:00".into()),
            v0 + 1
        )
    );
    // Each cancelled delivery tells the customer.
    let told: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM email_outbox x JOIN orders o ON o.id = x.order_id
         WHERE o.standing_order_id = ? AND o.status = 'cancelled'",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(told >= 1);
    // The card shows the new days.
    let customer: i64 = sqlx::query_scalar("SELECT customer_id FROM standing_orders WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    let page = a.s.page(&owner, &format!("/customers/{customer}")).await;
    assert!(
        page.contains("Twice a week, Wed + Fri (or Mon + Fri)"),
        "the card"
    );
    assert!(page.contains("Change days, address or time"));
    // The card lists the addresses delivered to, with their districts.
    assert!(
        page.contains("Delivered to") && page.contains("Calle de Olid 5, Madrid · Chamberí"),
        "the customer's places"
    );

    // The website: PATCH with bad bodies, each named, nothing changed.
    let path = format!("/api/v1/standing-orders/{id}");
    for (body, field) in [
        (json!({}), "body"),
        (
            json!({"fulfilment": {"type": "pickup", "time": "09:30"}}),
            "fulfilment.type",
        ),
        (
            json!({"schedule": {"visits_per_week": 2, "weekdays": [["wed"]]}}),
            "schedule.weekdays[0]",
        ),
        (
            json!({"schedule": {"weekdays": [["wed"]]}}),
            "schedule.visits_per_week",
        ),
        (
            json!({"fulfilment": {"address": "Calle Mayor 3", "lat": 40.417, "lng": -3.704,
                                  "window": {"from": "10:00"}}}),
            "fulfilment.window.to",
        ),
    ] {
        let (status, out) = a.send("PATCH", &path, None, Some(&body)).await;
        assert_eq!(status, 422, "{body}: {out}");
        assert_eq!(errors(&out), [field], "{body}: {out}");
        assert_eq!(deliveries(pool, id).await, after);
    }
    let back = json!({"fulfilment": {"address": "Calle Mayor 3, Madrid", "lat": 40.4170, "lng": -3.7040,
                                     "window": {"from": "09:00", "to": "11:00"}}});
    assert_eq!(
        a.send("PATCH", "/api/v1/standing-orders/999999", None, Some(&back))
            .await
            .0,
        404
    );
    let (status, out) = a.send("PATCH", &path, None, Some(&back)).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        out["fulfilment"]["address"],
        json!("Calle Mayor 3, Madrid"),
        "{out}"
    );
    assert_eq!(out["fulfilment"]["window"]["from"], json!("09:00"), "{out}");
    assert_eq!(
        out["weekdays"],
        json!([["wed", "fri"], ["mon", "fri"]]),
        "{out}"
    );
    let now = deliveries(pool, id).await;
    assert!(now.contains(&before[0]));
    assert!(now
        .iter()
        .filter(|o| o.0 != before[0].0)
        .all(|o| o.4 == "Centro" && o.5 == 200 && o.6.as_deref() == Some("09:00")));

    // Listing: by the customer's phone (as they gave it), by status, a page at a time.
    let (status, out) = a
        .send(
            "GET",
            "/api/v1/standing-orders?phone=600%20555%20666",
            None,
            None,
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let ids: Vec<i64> = out["standing_orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [id]);
    let (_, out) = a
        .send("GET", "/api/v1/standing-orders?limit=1", None, None)
        .await;
    assert_eq!(out["standing_orders"].as_array().unwrap().len(), 1);
    let next = out["next_after"].as_i64().unwrap();
    let (_, out) = a
        .send(
            "GET",
            &format!("/api/v1/standing-orders?limit=200&after={next}"),
            None,
            None,
        )
        .await;
    let rest: Vec<i64> = out["standing_orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert!(
        rest.iter().all(|&r| r > next) && rest.contains(&id),
        "{rest:?}"
    );
    assert!(out.get("next_after").is_none(), "the last page");
    for (query, field) in [
        ("status=gone", "status"),
        ("limit=0", "limit"),
        ("after=x", "after"),
        ("phone=abc", "phone"),
        ("status=", "status"),
        ("limit=", "limit"),
        ("status=active&status=paused", "status"),
    ] {
        let (status, out) = a
            .send(
                "GET",
                &format!("/api/v1/standing-orders?{query}"),
                None,
                None,
            )
            .await;
        assert_eq!(status, 422, "{query}: {out}");
        assert_eq!(errors(&out), [field], "{query}: {out}");
    }
    // Ended: no more changes.
    assert_eq!(a.send("DELETE", &path, None, None).await.0, 200);
    assert_eq!(a.send("PATCH", &path, None, Some(&back)).await.0, 409);
    let (_, out) = a
        .send(
            "GET",
            "/api/v1/standing-orders?status=ended&phone=%2B34600555666",
            None,
            None,
        )
        .await;
    assert_eq!(out["standing_orders"][0]["status"], json!("ended"), "{out}");
}
