//! GDPR on a real server: a customer's data exported as JSON and CSV; erased only once their
//! orders are finished, keeping the accounts (totals, items, days) but no name, phone, email,
//! address, notes, photo or messages; requests passed on by the website wait for the owner;
//! retention anonymises customers with no order for N months. Every step is in the audit log.
mod common;

use common::*;
use hearth::storefront::keys;
use serde_json::{json, Value};

async fn post(
    s: &TestServer,
    key: &str,
    path: &str,
    body: &Value,
    idem: Option<&str>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(s.url(path))
        .bearer_auth(key)
        .json(body);
    if let Some(k) = idem {
        req = req.header("Idempotency-Key", k);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_customer_is_exported_then_erased_once_their_orders_are_finished() {
    let s = spawn().await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    let owner = s.signed_in(OWNER).await;
    let mut day = s.state.config.today() + chrono::Duration::days(1);
    while chrono::Datelike::weekday(&day) == chrono::Weekday::Sun {
        day += chrono::Duration::days(1);
    }
    let (status, created) = post(
        &s,
        &key,
        "/api/v1/orders",
        &json!({
            "customer": {"name": "Inés Romero", "phone": "655 000 111", "email": "ines@example.com"},
            "fulfilment": {"type": "delivery", "address": "Calle del Pez 7, 2º", "lat": 40.4170, "lng": -3.7040,
                           "date": day.to_string(), "window": {"from": "09:00", "to": "11:00"}},
            "items": [{"sku": "BRD-SOUR", "quantity": 4, "note": "sliced, for Inés"}],
            "payment": {"method": "cod"},
            "notes": "Ring twice, ask for Inés"
        }),
        Some("gdpr-1"),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let number = created["order_number"].as_i64().unwrap();
    let total = created["total_cents"].as_i64().unwrap();
    let (cid, oid, version): (i64, i64, i64) =
        sqlx::query_as("SELECT customer_id, id, version FROM orders WHERE number = ?")
            .bind(number)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();

    // Export: everything held, in JSON and CSV.
    let res = s
        .call(&owner, "/api/export_customer", &format!("id={cid}"))
        .await;
    assert_eq!(res.status(), 200);
    let e: Value = res.json().await.unwrap();
    let doc: Value = serde_json::from_str(e["json"].as_str().unwrap()).unwrap();
    assert_eq!(doc["customer"]["name"], "Inés Romero");
    assert_eq!(doc["customer"]["email"], "ines@example.com");
    assert_eq!(doc["orders"][0]["number"], number);
    assert_eq!(doc["orders"][0]["address"], "Calle del Pez 7, 2º");
    assert_eq!(doc["orders"][0]["items"][0]["note"], "sliced, for Inés");
    assert!(!doc["orders"][0]["history"].as_array().unwrap().is_empty());
    let csv = e["csv"].as_str().unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(
        csv.lines().count(),
        2,
        "a header and the order's one line: {csv}"
    );
    assert!(csv.contains("Calle del Pez 7"));

    // Not while the order is open; nothing changes.
    let res = s
        .call(&owner, "/api/erase_customer", &format!("id={cid}"))
        .await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains(&format!("#{number}")));
    let name: String = sqlx::query_scalar("SELECT name FROM customers WHERE id = ?")
        .bind(cid)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(name, "Inés Romero");
    // She moved flat: the history and the log hear of it.
    let res = s
        .call(
            &owner,
            "/api/edit_address",
            &format!("order_id={oid}&version={version}&address=Calle%20Nueva%201"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    // Cancelled (or delivered), it can go.
    let res = s
        .call(
            &owner,
            "/api/cancel_order",
            &format!(
                "order_id={oid}&version={}&reason=Customer%20asked",
                version + 1
            ),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = s
        .call(&owner, "/api/erase_customer", &format!("id={cid}"))
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);

    // The accounts stay; the person is gone.
    let c: (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as("SELECT name, phone, email, address, erased_at FROM customers WHERE id = ?")
        .bind(cid)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(c.0, format!("Erased customer #{cid}"));
    assert_eq!(c.1, format!("erased-{cid}"));
    assert_eq!((c.2, c.3), (None, None));
    assert!(c.4.is_some());
    let o: (Option<String>, Option<f64>, Option<String>, i64, String) = sqlx::query_as(
        "SELECT address, lat, notes, total_cents, fulfil_on FROM orders WHERE id = ?",
    )
    .bind(oid)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!((o.0, o.1, o.2), (None, None, None));
    assert_eq!((o.3, o.4), (total, day.to_string()));
    let item: (i64, Option<String>) =
        sqlx::query_as("SELECT quantity, note FROM order_items WHERE order_id = ?")
            .bind(oid)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(item, (4, None));
    let mail: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE order_id = ?")
        .bind(oid)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(mail, 0, "the messages with her address went");
    let line: String = sqlx::query_scalar(
        "SELECT detail FROM order_events WHERE order_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(oid)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(line, "Personal data erased (privacy request)");
    let quoted: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM order_events WHERE order_id = ? AND (detail LIKE '%Calle%'))
              + (SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%Calle%' OR subject LIKE '%Calle%')",
    )
    .bind(oid)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(
        quoted, 0,
        "no address left in her order's history or in the audit log"
    );
    // Logged, without her data; a second erasure is refused.
    let log: Value = s
        .call(&owner, "/api/list_audit", "kind=customer.")
        .await
        .json()
        .await
        .unwrap();
    let text = log.to_string();
    assert!(text.contains("customer.erase"), "{text}");
    assert!(!text.contains("655") && !text.contains("Inés"), "{text}");
    assert_eq!(
        s.call(&owner, "/api/erase_customer", &format!("id={cid}"))
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn the_website_passes_requests_on_and_the_owner_closes_them() {
    let s = spawn().await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    let owner = s.signed_in(OWNER).await;
    let path = "/api/v1/privacy-requests";
    // Bad requests name their fields and store nothing.
    let (st, e) = post(
        &s,
        &key,
        path,
        &json!({"kind": "delete", "phone": "x"}),
        None,
    )
    .await;
    assert_eq!(st, 422);
    let fields: Vec<&str> = e["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["kind", "phone"]);
    let (st, _) = post(&s, &key, path, &json!({"kind": "erase"}), None).await;
    assert_eq!(st, 422);
    let res = reqwest::Client::new()
        .post(s.url(path))
        .json(&json!({"kind": "erase", "phone": "655000111"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(s.count("SELECT COUNT(*) FROM privacy_requests").await, 0);

    // A demo customer asks for their data.
    let phone: String = sqlx::query_scalar("SELECT phone FROM customers ORDER BY id LIMIT 1")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let (st, r) = post(
        &s,
        &key,
        path,
        &json!({"kind": "export", "phone": phone, "note": "Please email it"}),
        None,
    )
    .await;
    assert_eq!(st, 202, "{r}");
    assert_eq!(r["status"], "open");
    let p: Value = s
        .call(&owner, "/api/get_privacy", "")
        .await
        .json()
        .await
        .unwrap();
    let req = &p["requests"][0];
    assert_eq!(req["kind"], "export");
    assert_eq!(req["note"], "Please email it");
    assert!(
        req["customer"].is_array(),
        "matched to the customer by phone: {req}"
    );
    let id = req["id"].as_i64().unwrap();
    assert_eq!(
        s.call(
            &owner,
            "/api/close_privacy_request",
            &format!("id={id}&done=true")
        )
        .await
        .status(),
        200
    );
    let p: Value = s
        .call(&owner, "/api/get_privacy", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["requests"], json!([]));
    assert_eq!(
        s.call(
            &owner,
            "/api/close_privacy_request",
            &format!("id={id}&done=true")
        )
        .await
        .status(),
        404
    );
    let log: Value = s
        .call(&owner, "/api/list_audit", "kind=customer.request")
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = log["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["customer.request_done", "customer.request_export"]
    );
}

#[tokio::test]
async fn retention_anonymises_customers_with_no_recent_order() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let pool = &s.state.pool;
    // A customer whose last order, collected, was 8 months ago.
    let long_ago = (s.state.config.today() - chrono::Months::new(8)).to_string();
    let cid: i64 = sqlx::query_scalar(
        "INSERT INTO customers (name, phone, created_at, updated_at) VALUES ('Old Friend', '+34655999000', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, payment_method, paid,
                             subtotal_cents, total_cents, notes)
         VALUES (990001, 'old-token', ?, 'collected', 'pickup', ?, 'pay_at_pickup', 1, 900, 900, 'for the old friend')",
    )
    .bind(cid)
    .bind(&long_ago)
    .execute(pool)
    .await
    .unwrap();
    let before_erased = s
        .count("SELECT COUNT(*) FROM customers WHERE erased_at IS NOT NULL")
        .await;
    // A bad value is named; 6 months takes effect at once.
    assert_eq!(
        s.call(&owner, "/api/set_customer_retention", "months=3")
            .await
            .status(),
        422
    );
    assert_eq!(
        s.call(&owner, "/api/set_customer_retention", "months=6")
            .await
            .status(),
        200
    );
    let (name, notes): (String, Option<String>) = sqlx::query_as(
        "SELECT c.name, o.notes FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id = ?",
    )
    .bind(cid)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((name, notes), (format!("Erased customer #{cid}"), None));
    // Customers with recent or open orders are kept.
    let erased = s
        .count("SELECT COUNT(*) FROM customers WHERE erased_at IS NOT NULL")
        .await;
    let recent = s
        .count("SELECT COUNT(*) FROM customers c WHERE c.erased_at IS NOT NULL AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.fulfil_on >= date('now', '-5 months'))")
        .await;
    assert_eq!(recent, 0);
    assert!(erased > before_erased);
    let p: Value = s
        .call(&owner, "/api/get_privacy", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["retention_months"], 6);
}
