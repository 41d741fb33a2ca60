//! The owner's alerts on a real server: new orders from the website, cancellations by staff,
//! failed deliveries, low stock and nearly full district-days reach the owner's bell (worded
//! in the owner's language, never for what the owner did), are marked read, follow the
//! owner's settings, and go out by email for the kinds switched on. Also the calendar's month.
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Datelike;
use common::*;
use hearth::storefront::keys;
use serde_json::{json, Value};

async fn post(s: &TestServer, c: &reqwest::Client, endpoint: &str, body: &str) -> (u16, Value) {
    s.json(c, endpoint, body).await
}

async fn bell(s: &TestServer, c: &reqwest::Client) -> Value {
    let (status, b) = post(s, c, "/api/get_alerts", "").await;
    assert_eq!(status, 200, "{b}");
    b
}

/// Marks everything in `c`'s bell read.
async fn read_all(s: &TestServer, c: &reqwest::Client) {
    let start = bell(s, c).await;
    if let Some(newest) = start["items"][0]["id"].as_i64() {
        let (status, _) = post(s, c, "/api/read_alerts", &format!("up_to={newest}")).await;
        assert_eq!(status, 200);
    }
}

fn texts(b: &Value) -> Vec<String> {
    b["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["text"].as_str().unwrap().to_string())
        .collect()
}

/// The next date (from tomorrow) on which Centro (Mon–Sat) is served.
fn centro_day(s: &TestServer) -> String {
    let mut d = s.state.config.today() + chrono::Duration::days(1);
    while d.weekday() == chrono::Weekday::Sun {
        d += chrono::Duration::days(1);
    }
    d.to_string()
}

/// Posts a website order for Centro on `day`; returns its number.
async fn website_order(s: &TestServer, key: &str, phone: &str, day: &str) -> i64 {
    let body = json!({
        "customer": {"name": "Ana García", "phone": phone},
        "fulfilment": {"type": "delivery", "address": "Calle Mayor 10, 28013 Madrid",
                       "lat": 40.4170, "lng": -3.7040, "date": day,
                       "window": {"from": "09:00", "to": "11:00"}},
        // Two loaves: over Centro's minimum order.
        "items": [{"sku": "BRD-SOUR", "quantity": 2}],
        "payment": {"method": "cod"}
    });
    let res = reqwest::Client::new()
        .post(s.url("/api/v1/orders"))
        .bearer_auth(key)
        .header("Idempotency-Key", format!("alert-{phone}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{v}");
    v["order_number"].as_i64().unwrap()
}

/// `who` cancels order `number` through the order door, giving `reason`.
async fn cancel(s: &TestServer, who: &reqwest::Client, number: i64, reason: &str) {
    let (id, version): (i64, i64) =
        sqlx::query_as("SELECT id, version FROM orders WHERE number = ?")
            .bind(number)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let (status, e) = post(
        s,
        who,
        "/api/cancel_order",
        &format!("order_id={id}&version={version}&reason={}", enc(reason)),
    )
    .await;
    assert_eq!(status, 200, "{e}");
}

#[tokio::test]
async fn orders_stock_and_full_days_reach_the_owners_bell_once_in_their_language() {
    let s = spawn().await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    let owner = s.signed_in(OWNER).await;
    let staff = s.signed_in(STAFF).await;
    // Whatever the demo's seeding raised is read first.
    read_all(&s, &owner).await;
    assert_eq!(bell(&s, &owner).await["unread"], 0);

    // A website order: one unread alert naming it.
    let day = centro_day(&s);
    let number = website_order(&s, &key, "+34600000001", &day).await;
    let b = bell(&s, &owner).await;
    assert_eq!(b["unread"], 1, "{b}");
    let first = &texts(&b)[0];
    assert!(
        first.starts_with(&format!("New order #{number} from Ana García for ")),
        "{first}"
    );
    assert_eq!(b["items"][0]["unread"], true);
    assert!(b["items"][0]["link"]
        .as_str()
        .unwrap()
        .starts_with("/orders?order="));
    // Staff have no bell.
    let (status, _) = post(&s, &staff, "/api/get_alerts", "").await;
    assert_eq!(status, 403);

    // Read: nothing unread, the alert still listed.
    let newest = b["items"][0]["id"].as_i64().unwrap();
    post(&s, &owner, "/api/read_alerts", &format!("up_to={newest}")).await;
    let b = bell(&s, &owner).await;
    assert_eq!(b["unread"], 0);
    assert_eq!(b["items"][0]["unread"], false);

    // Staff cancel it: the owner hears, in Spanish once they read Hearth in Spanish.
    s.reads(OWNER, Some("es")).await;
    cancel(&s, &staff, number, "Customer called").await;
    let b = bell(&s, &owner).await;
    assert_eq!(b["unread"], 1);
    let said = &texts(&b)[0];
    assert!(
        said.starts_with(&format!("Se canceló el pedido n.º {number} (Ana García, "))
            && said.ends_with("): Customer called"),
        "{said}"
    );

    // What the owner does themselves is not news to them.
    let (id2, v2): (i64, i64) = sqlx::query_as(
        "SELECT id, version FROM orders WHERE status = 'received' AND fulfil_on >= ? LIMIT 1",
    )
    .bind(&day)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let (status, e) = post(
        &s,
        &owner,
        "/api/cancel_order",
        &format!("order_id={id2}&version={v2}&reason=Duplicate"),
    )
    .await;
    assert_eq!(status, 200, "{e}");
    assert_eq!(bell(&s, &owner).await["unread"], 1);

    // Low stock: counted below its reorder level once → one alert; counted again → none.
    let (ing, name): (i64, String) = sqlx::query_as(
        "SELECT i.id, i.name FROM ingredients i WHERE i.reorder_level > 0
           AND (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves m WHERE m.ingredient_id = i.id) >= i.reorder_level
         ORDER BY i.id LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    // (The demo's own kitchen left some ingredients low already.)
    let low_before = s
        .count("SELECT COUNT(*) FROM alerts WHERE kind = 'low_stock'")
        .await;
    for _ in 0..2 {
        let (status, e) = post(
            &s,
            &staff,
            "/api/change_stock",
            &format!("change=Count&ingredient_id={ing}&quantity=0"),
        )
        .await;
        assert_eq!(status, 200, "{e}");
    }
    let b = bell(&s, &owner).await;
    assert_eq!(b["unread"], 2, "{b}");
    let said = &texts(&b)[0];
    assert!(
        said.starts_with(&format!("{name} se acaba: quedan 0")),
        "{said}"
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM alerts WHERE kind = 'low_stock'")
            .await,
        low_before + 1
    );

    // A district-day filling up: the alert comes when 90 % of its stops are booked, once.
    let centro: i64 = sqlx::query_scalar("SELECT id FROM districts WHERE name = 'Centro'")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let booked = |s: &TestServer| {
        let pool = s.state.pool.clone();
        let day = day.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM orders WHERE fulfil_on = ? AND district_id = ? AND status <> 'cancelled' AND fulfilment = 'delivery'",
            )
            .bind(day)
            .bind(centro)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let capacity = booked(&s).await + 10;
    // The kitchen could bake it all: only the district's stops limit the day.
    sqlx::query("UPDATE products SET daily_capacity = 10000")
        .execute(&s.state.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE stations SET batches_per_day = NULL")
        .execute(&s.state.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE districts SET capacity_per_day = ? WHERE id = ?")
        .bind(capacity)
        .bind(centro)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let full_alerts = || s.count("SELECT COUNT(*) FROM alerts WHERE kind = 'nearly_full'");
    let mut i = 10;
    while booked(&s).await < capacity {
        let n = booked(&s).await;
        let expected = i64::from((n as f64) >= 0.9 * capacity as f64);
        assert_eq!(full_alerts().await, expected, "{n} of {capacity} booked");
        website_order(&s, &key, &format!("+346000000{i}"), &day).await;
        i += 1;
    }
    assert_eq!(full_alerts().await, 1, "once, however full it gets");
    let b = bell(&s, &owner).await;
    let full = texts(&b)
        .into_iter()
        .find(|t| t.contains("casi lleno"))
        .expect("the nearly full alert in the bell");
    let threshold = (0.9 * capacity as f64).ceil() as i64;
    assert!(
        full.starts_with("Centro el ")
            && full.ends_with(&format!(
                "está casi lleno: {threshold} de {capacity} paradas reservadas"
            )),
        "{full}"
    );
}

#[tokio::test]
async fn a_failed_delivery_is_an_alert_and_settings_switch_kinds_off() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let stops = publish_today_for(&s, &owner, DRIVER).await;
    let marta = s.signed_in(DRIVER).await;
    let (status, e) = post(
        &s,
        &marta,
        "/api/driver_update",
        &format!(
            "key=k-fail-00001&order_id={}&action=failed&reason=Nobody+home&note=Rang+twice",
            stops[0].0
        ),
    )
    .await;
    assert_eq!(status, 200, "{e}");
    let number: i64 = sqlx::query_scalar("SELECT number FROM orders WHERE id = ?")
        .bind(stops[0].0)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let b = bell(&s, &owner).await;
    let said = &texts(&b)[0];
    assert!(
        said.starts_with(&format!("Delivery of order #{number} to "))
            && said.ends_with("failed: Nobody home: Rang twice"),
        "{said}"
    );

    // A kind that isn't one: refused, naming the field, nothing changed.
    let before = s
        .count("SELECT COUNT(*) FROM alert_settings WHERE in_app = 1")
        .await;
    let (status, e) = post(
        &s,
        &owner,
        "/api/set_alert_setting",
        "kind=everything&in_app=false&email=false",
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("kind"), "{e}");
    assert_eq!(
        s.count("SELECT COUNT(*) FROM alert_settings WHERE in_app = 1")
            .await,
        before
    );
    // Failed deliveries switched off entirely: the next one raises nothing.
    let (status, e) = post(
        &s,
        &owner,
        "/api/set_alert_setting",
        "kind=failed&in_app=false&email=false",
    )
    .await;
    assert_eq!(status, 200, "{e}");
    let (_, settings) = post(&s, &owner, "/api/get_alert_settings", "").await;
    let failed = settings["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "failed")
        .unwrap()
        .clone();
    assert_eq!(
        failed,
        json!({"kind": "failed", "in_app": false, "email": false, "push": false})
    );
    assert_eq!(settings["can_email"], false);
    let alerts = s.count("SELECT COUNT(*) FROM alerts").await;
    let (status, e) = post(
        &s,
        &marta,
        "/api/driver_update",
        &format!(
            "key=k-fail-00002&order_id={}&action=failed&reason=Nobody+home",
            stops[1].0
        ),
    )
    .await;
    assert_eq!(status, 200, "{e}");
    assert_eq!(s.count("SELECT COUNT(*) FROM alerts").await, alerts);
    // And the setting is in the audit log.
    assert_eq!(
        s.count("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.alerts'")
            .await,
        1
    );
}

#[tokio::test]
async fn alerts_switched_on_for_email_reach_the_owners_inbox() {
    let inbox = Arc::new(Mutex::new(Inbox::default()));
    let url = smtp_receiver(inbox.clone()).await;
    let s = spawn_with(|c| {
        c.smtp_url = Some(url.clone());
        c.smtp_from = "Hearth <alerts@obrador.example>".into();
        c.webhook_retry_base_ms = 50;
    })
    .await;
    let owner = s.signed_in(OWNER).await;
    let staff = s.signed_in(STAFF).await;
    let (_, settings) = post(&s, &owner, "/api/get_alert_settings", "").await;
    assert_eq!(settings["can_email"], true);
    assert_eq!(settings["recipients"], json!([OWNER]));
    // The demo's kitchen left some ingredients low while it was being made: in the bell, not
    // emailed (nothing pending once the demo is loaded).
    assert!(
        s.count("SELECT COUNT(*) FROM alerts WHERE kind = 'low_stock'")
            .await
            > 0
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM alerts WHERE email_status IS NOT NULL")
            .await,
        0
    );
    // Customers' status emails go to the same receiver: only the owner's count here.
    let to_owner = |inbox: &Arc<Mutex<Inbox>>| {
        inbox
            .lock()
            .unwrap()
            .accepted
            .iter()
            .filter(|(to, _)| to == OWNER)
            .cloned()
            .collect::<Vec<_>>()
    };
    let (id, version, number): (i64, i64, i64) =
        sqlx::query_as("SELECT id, version, number FROM orders WHERE status = 'received' LIMIT 1")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let (status, e) = post(
        &s,
        &staff,
        "/api/cancel_order",
        &format!("order_id={id}&version={version}&reason=Customer%20called"),
    )
    .await;
    assert_eq!(status, 200, "{e}");
    let mut got = Vec::new();
    for _ in 0..100 {
        got = to_owner(&inbox);
        if !got.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(got.len(), 1, "{got:?}");
    // Unfolded and decoded: long header lines continue after "\n ", long body lines after a
    // soft "=\n", and quoted-printable writes "=" as "=3D".
    let text = &got[0]
        .1
        .replace("=\n", "")
        .replace("\n ", " ")
        .replace("=3D", "=");
    assert!(text.contains(&format!("Order #{number} (")), "{text}");
    assert!(text.contains("was cancelled: Customer called"), "{text}");
    assert!(text.contains(&format!("/orders?order={id}")), "{text}");
    assert_eq!(
        s.count_settles(
            "SELECT COUNT(*) FROM alerts WHERE email_status = 'sent' AND kind = 'cancelled'",
            1
        )
        .await,
        1
    );
    // New orders are in the bell only (email off by default): a website order sends nothing
    // to the owner.
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    let day = centro_day(&s);
    let quiet = "SELECT COUNT(*) FROM alerts WHERE kind = 'new_order' AND email_status IS NULL";
    let before = s.count(quiet).await;
    website_order(&s, &key, "+34600000099", &day).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(to_owner(&inbox).len(), 1);
    assert_eq!(s.count(quiet).await, before + 1);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM alerts WHERE kind = 'new_order' AND email_status IS NOT NULL"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_calendar_counts_a_month_and_closes_a_day() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let today = s.state.config.today();
    let (status, m) = post(&s, &owner, "/api/get_calendar", "month=").await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(m["month"], today.format("%Y-%m").to_string());
    let days = m["days"].as_array().unwrap();
    assert_eq!(
        days.len() as u32,
        hearth::calendar::last_of(today.with_day0(0).unwrap())
            .format("%d")
            .to_string()
            .parse::<u32>()
            .unwrap()
    );
    // Each day's figures are what the orders hold.
    for d in days {
        let date = d["date"].as_str().unwrap();
        let (orders, units, revenue): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE((SELECT SUM(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
                                          WHERE o.fulfil_on = ?1 AND o.status <> 'cancelled'), 0),
                    COALESCE(SUM(total_cents), 0)
             FROM orders WHERE fulfil_on = ?1 AND status <> 'cancelled'",
        )
        .bind(date)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
        assert_eq!(d["orders"], orders, "{date}");
        assert_eq!(d["units"], units, "{date}");
        assert_eq!(d["revenue_cents"], revenue, "{date}");
        let by_district: i64 = d["districts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["orders"].as_i64().unwrap())
            .sum();
        assert_eq!(
            by_district + d["pickups"].as_i64().unwrap() + d["unplaced"].as_i64().unwrap(),
            orders,
            "{date}: every order is a district's delivery, a pickup or a delivery in no district"
        );
    }
    // A bad month: refused, naming the field.
    let (status, e) = post(&s, &owner, "/api/get_calendar", "month=2026-13").await;
    assert_eq!(status, 422);
    assert!(e.to_string().contains("month"), "{e}");
    // Closing a day shows on the calendar with its note; opening it again clears it.
    let day = today + chrono::Duration::days(3);
    let month = day.format("%Y-%m").to_string();
    let (status, _) = post(
        &s,
        &owner,
        "/api/set_closed_date",
        &format!("day={day}&note=Inventory"),
    )
    .await;
    assert_eq!(status, 200);
    let closed = |m: &Value| {
        m["days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["date"] == day.to_string())
            .unwrap()["closed"]
            .clone()
    };
    let (_, m) = post(&s, &owner, "/api/get_calendar", &format!("month={month}")).await;
    assert_eq!(closed(&m), "Inventory");
    post(
        &s,
        &owner,
        "/api/set_closed_date",
        &format!("day={day}&open=true"),
    )
    .await;
    let (_, m) = post(&s, &owner, "/api/get_calendar", &format!("month={month}")).await;
    assert_eq!(closed(&m), Value::Null);
}

/// What a push service received: the path, the headers that matter, the encrypted body.
#[derive(Clone, Debug)]
struct Pushed {
    path: String,
    authorization: String,
    encoding: String,
    ttl: String,
    body: Vec<u8>,
}

/// A push service on loopback: `/gone/…` answers 410 (the device unsubscribed), anything else
/// 201 Created. Returns its base address.
async fn push_service(got: Arc<Mutex<Vec<Pushed>>>) -> String {
    use axum::{body::Bytes, extract::State, http::HeaderMap, http::StatusCode, http::Uri};
    async fn take(
        State(got): State<Arc<Mutex<Vec<Pushed>>>>,
        uri: Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        let h = |n: &str| {
            headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let path = uri.path().to_string();
        let gone = path.starts_with("/gone/");
        got.lock().unwrap().push(Pushed {
            path,
            authorization: h("authorization"),
            encoding: h("content-encoding"),
            ttl: h("ttl"),
            body: body.to_vec(),
        });
        if gone {
            StatusCode::GONE
        } else {
            StatusCode::CREATED
        }
    }
    let app = axum::Router::new()
        .fallback(axum::routing::post(take))
        .with_state(got);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// A device switched on in Settings gets each alert as a web push: encrypted for that device
/// alone (RFC 8291: only its private key opens it), signed with the server's VAPID key (the one
/// Settings hands the browser), in the owner's words; never for what the owner did, not for a
/// kind switched off, and a device its push service no longer knows is forgotten. Bad
/// subscriptions are refused naming the field and store nothing.
#[tokio::test]
async fn alerts_reach_the_owners_devices_as_web_push() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use web_push_native::p256::{self, elliptic_curve::sec1::ToEncodedPoint};

    let got = Arc::new(Mutex::new(Vec::<Pushed>::new()));
    let service = push_service(got.clone()).await;
    let s = spawn().await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    let owner = s.signed_in(OWNER).await;
    let (status, settings) = post(&s, &owner, "/api/get_alert_settings", "").await;
    assert_eq!(status, 200, "{settings}");
    let vapid = settings["push_key"].as_str().unwrap().to_string();
    assert_eq!(
        URL_SAFE_NO_PAD.decode(&vapid).unwrap().len(),
        65,
        "an uncompressed P-256 point"
    );
    assert_eq!(settings["devices"], json!([]));
    assert!(settings["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["push"] == true));

    // The phone's own keys, as its browser would make them.
    let phone = p256::SecretKey::from_slice(&[7u8; 32]).unwrap();
    let p256dh = URL_SAFE_NO_PAD.encode(phone.public_key().to_encoded_point(false).as_bytes());
    let secret = [9u8; 16];
    let auth = URL_SAFE_NO_PAD.encode(secret);
    // Bad subscriptions: refused, naming the field; nothing stored.
    for (body, field) in [
        (
            format!("endpoint=ftp%3A%2F%2Fx.example%2F1&p256dh={p256dh}&auth={auth}"),
            "endpoint",
        ),
        (
            format!("endpoint=http%3A%2F%2Fpush.example%2F1&p256dh={p256dh}&auth={auth}"),
            "endpoint",
        ),
        (
            format!(
                "endpoint={}&p256dh=AAAA&auth={auth}",
                enc(&format!("{service}/phone"))
            ),
            "p256dh",
        ),
        (
            format!(
                "endpoint={}&p256dh={p256dh}&auth=AAAA",
                enc(&format!("{service}/phone"))
            ),
            "auth",
        ),
    ] {
        let (status, e) = post(&s, &owner, "/api/save_push_device", &body).await;
        assert!(status == 400 || status == 422, "{status} {e}");
        assert!(e.to_string().contains(field), "{field}: {e}");
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM push_subscriptions").await, 0);
    // Two devices: the phone, and an old laptop whose browser has since unsubscribed.
    for (path, name) in [
        ("/phone", "Chrome · Android"),
        ("/gone/laptop", "Firefox · Linux"),
    ] {
        let (status, e) = post(
            &s,
            &owner,
            "/api/save_push_device",
            &format!(
                "endpoint={}&p256dh={p256dh}&auth={auth}&device={}",
                enc(&format!("{service}{path}")),
                enc(name)
            ),
        )
        .await;
        assert_eq!(status, 200, "{e}");
    }
    let (_, settings) = post(&s, &owner, "/api/get_alert_settings", "").await;
    assert_eq!(
        settings["devices"].as_array().unwrap().len(),
        2,
        "{settings}"
    );

    let to_phone = |got: &Arc<Mutex<Vec<Pushed>>>| {
        got.lock()
            .unwrap()
            .iter()
            .filter(|p| p.path == "/phone")
            .cloned()
            .collect::<Vec<_>>()
    };
    let open = |p: &Pushed| -> Value {
        let plain = web_push_native::decrypt(
            p.body.clone(),
            &phone,
            &web_push_native::Auth::clone_from_slice(&secret),
        )
        .expect("encrypted for the phone's keys");
        serde_json::from_slice(&plain).unwrap()
    };
    let body_of = |m: &Value| m["body"].as_str().unwrap_or_default().to_string();
    // Waits until the phone got a message whose text starts with `start`; returns its request
    // and every message so far.
    let wait_for = |start: String| {
        let got = got.clone();
        async move {
            for _ in 0..100 {
                let all = to_phone(&got);
                if let Some(p) = all.iter().find(|p| body_of(&open(p)).starts_with(&start)) {
                    return (p.clone(), all.iter().map(open).collect::<Vec<_>>());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("no notification starting {start:?}: {:?}", to_phone(&got));
        }
    };

    // A website order: pushed to the phone, in the owner's words.
    let day = centro_day(&s);
    let first = website_order(&s, &key, "+34600000011", &day).await;
    let (p, _) = wait_for(format!("New order #{first} from Ana García for ")).await;
    let p = &p;
    assert_eq!(p.encoding, "aes128gcm");
    assert_eq!(p.ttl, "3600");
    assert!(
        p.authorization.starts_with("vapid t="),
        "{}",
        p.authorization
    );
    assert!(
        p.authorization.contains(&format!("k={vapid}")),
        "{}",
        p.authorization
    );
    let message = open(p);
    assert_eq!(message["title"], s.state.config.business_name());
    assert!(
        message["url"]
            .as_str()
            .unwrap()
            .starts_with("/orders?order="),
        "{message}"
    );
    // Someone else's key opens nothing.
    let stranger = p256::SecretKey::from_slice(&[8u8; 32]).unwrap();
    assert!(web_push_native::decrypt(
        p.body.clone(),
        &stranger,
        &web_push_native::Auth::clone_from_slice(&secret)
    )
    .is_err());
    // The laptop's push service said 410: the laptop is forgotten.
    let mut left = 2;
    for _ in 0..100 {
        left = s.count("SELECT COUNT(*) FROM push_subscriptions").await;
        if left == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 1);

    // The owner cancels an order themselves (not pushed: they know), then switches new
    // orders off for notifications (the next is not pushed), and a staff cancellation is.
    cancel(&s, &owner, first, "Mine").await;
    let (status, e) = post(
        &s,
        &owner,
        "/api/set_alert_setting",
        "kind=new_order&in_app=true&email=false&push=false",
    )
    .await;
    assert_eq!(status, 200, "{e}");
    let second = website_order(&s, &key, "+34600000012", &day).await;
    let staff = s.signed_in(STAFF).await;
    cancel(&s, &staff, second, "Customer called").await;
    // Alerts go out in the order they were raised: once the staff's cancellation (raised
    // last) is in, whatever the owner's cancellation or the second order would have sent is too.
    let (_, all) = wait_for(format!("Order #{second} (Ana García, ")).await;
    let said: Vec<String> = all.iter().map(body_of).collect();
    assert!(
        said.iter()
            .any(|t| t.ends_with("was cancelled: Customer called")),
        "{said:?}"
    );
    assert!(
        !said.iter().any(|t| t.ends_with(": Mine")),
        "the owner's own doing: {said:?}"
    );
    assert!(
        !said
            .iter()
            .any(|t| t.starts_with(&format!("New order #{second} "))),
        "new orders switched off: {said:?}"
    );

    // Switched off from Settings: no device left.
    let device = settings["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["device"] == "Chrome · Android")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, e) = post(
        &s,
        &owner,
        "/api/forget_push_device",
        &format!("id={device}"),
    )
    .await;
    assert_eq!(status, 200, "{e}");
    let (status, _) = post(
        &s,
        &owner,
        "/api/forget_push_device",
        &format!("id={device}"),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(s.count("SELECT COUNT(*) FROM push_subscriptions").await, 0);
}

#[tokio::test]
async fn lots_near_their_best_before_reach_the_owner_once_in_their_language() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let staff = s.signed_in(STAFF).await;
    // What the demo raised (its own lots near their best-before among it) is read first.
    read_all(&s, &owner).await;
    assert_eq!(
        hearth::alerts::watch::look(&s.state).await.unwrap(),
        0,
        "nothing new"
    );
    let flour: i64 =
        sqlx::query_scalar("SELECT id FROM ingredients WHERE name = 'Bread flour T65'")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let today = s.state.config.today();
    let receive = |lot: &'static str, days: i64| {
        let (s, staff) = (&s, &staff);
        async move {
            let best_before = today + chrono::Duration::days(days);
            let (status, v) = post(
                s,
                staff,
                "/api/change_stock",
                &format!("change=Receive&ingredient_id={flour}&quantity=2&lot={lot}&best_before={best_before}"),
            )
            .await;
            assert_eq!(status, 200, "{v}");
        }
    };
    // Staff receive two lots: one good for two more days, one for a month.
    receive("SOON-1", 2).await;
    receive("LATER-1", 30).await;
    assert_eq!(hearth::alerts::watch::look(&s.state).await.unwrap(), 1);
    let b = bell(&s, &owner).await;
    assert_eq!(b["unread"], 1, "{b}");
    let text = texts(&b)[0].clone();
    assert!(
        text.starts_with("Bread flour T65 (lot SOON-1): 2 kg to use by "),
        "{text}"
    );
    assert_eq!(b["items"][0]["link"], "/stock");
    assert!(!texts(&b).iter().any(|t| t.contains("LATER-1")), "{b}");
    // However often the watcher looks, once; and by email, as the default says.
    assert_eq!(hearth::alerts::watch::look(&s.state).await.unwrap(), 0);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM alerts WHERE kind = 'best_before' AND args LIKE '%SOON-1%' AND email_status = 'pending'")
            .await,
        1
    );
    // In Spanish for a Spanish reader.
    let (status, v) = post(&s, &owner, "/api/set_my_language", "language=es").await;
    assert_eq!(status, 200, "{v}");
    let b = bell(&s, &owner).await;
    assert!(
        texts(&b)[0].starts_with("Bread flour T65 (lote SOON-1): 2 kg por usar antes del "),
        "{b}"
    );
    // Switched off: a lot near its date raises nothing.
    let (status, v) = post(&s, &owner, "/api/set_alert_setting", "kind=best_before").await;
    assert_eq!(status, 200, "{v}");
    receive("SOON-2", 1).await;
    assert_eq!(
        hearth::alerts::watch::look(&s.state).await.unwrap(),
        0,
        "switched off"
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM alerts WHERE args LIKE '%SOON-2%'")
            .await,
        0
    );
}
