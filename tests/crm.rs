//! Customer records on a real server: consent from the checkout, exports that hold only the
//! customers who agreed to the channel (and are logged), the public unsubscribe link, merging
//! two records of one person, the customer page.
mod common;

use common::*;
use hearth::storefront::keys;
use serde_json::{json, Value};

async fn order(s: &TestServer, key: &str, idem: &str, customer: Value) -> Value {
    use chrono::Datelike;
    let mut day = s.state.config.today() + chrono::Duration::days(2);
    while day.weekday() != chrono::Weekday::Sat {
        day += chrono::Duration::days(1);
    }
    let res = reqwest::Client::new()
        .post(s.url("/api/v1/orders"))
        .bearer_auth(key)
        .header("Idempotency-Key", idem)
        .json(&json!({
            "customer": customer,
            "fulfilment": {"type": "pickup", "date": day.to_string(), "time": "10:30"},
            "items": [{"sku": "BRD-SOUR", "quantity": 1}],
            "payment": {"method": "pay_at_pickup"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

async fn flags(s: &TestServer, phone: &str) -> (i64, bool, bool, bool) {
    sqlx::query_as("SELECT id, email_ok, sms_ok, whatsapp_ok FROM customers WHERE phone = ?")
        .bind(phone)
        .fetch_one(&s.state.pool)
        .await
        .unwrap()
}

/// Exports the segment of everyone for `channel`; answers the CSV's rows (BOM checked).
async fn export(
    s: &TestServer,
    owner: &reqwest::Client,
    segment: i64,
    channel: &str,
) -> Vec<Vec<String>> {
    let res = s
        .call(
            owner,
            "/api/export_segment",
            &format!("id={segment}&channel={channel}"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let e: Value = res.json().await.unwrap();
    let csv = e["csv"].as_str().unwrap();
    assert!(csv.starts_with('\u{feff}'), "UTF-8 with a BOM");
    let rows: Vec<Vec<String>> = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows[0], ["name", "phone", "email", "unsubscribe_url"]);
    assert_eq!(rows.len() as i64 - 1, e["count"].as_i64().unwrap());
    rows[1..].to_vec()
}

#[tokio::test]
async fn exports_hold_only_customers_who_agreed_to_the_channel_and_unsubscribing_withdraws() {
    let s = spawn().await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    // Checkout consent: SMS and WhatsApp for one; email only (the old opt-in) for another.
    order(&s, &key, "a", json!({"name": "Chat Ana", "phone": "655100001", "consent": {"sms": true, "whatsapp": true}})).await;
    order(
        &s,
        &key,
        "b",
        json!({"name": "Mail Bea", "phone": "655100002", "marketing_opt_in": true}),
    )
    .await;
    order(
        &s,
        &key,
        "c",
        json!({"name": "Quiet Carla", "phone": "655100003"}),
    )
    .await;
    let (ana, email, sms, whatsapp) = flags(&s, "+34655100001").await;
    assert_eq!((email, sms, whatsapp), (false, true, true));
    let (_, email, sms, whatsapp) = flags(&s, "+34655100002").await;
    assert_eq!((email, sms, whatsapp), (true, false, false));
    let ledger: Vec<(String, String)> = sqlx::query_as(
        "SELECT channel, source FROM consents WHERE customer_id = ? ORDER BY channel",
    )
    .bind(ana)
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(
        ledger,
        vec![
            ("sms".to_string(), "Website checkout".to_string()),
            ("whatsapp".to_string(), "Website checkout".to_string())
        ]
    );
    // A segment of everyone; its WhatsApp export holds only those who agreed to WhatsApp.
    let owner = s.signed_in(OWNER).await;
    let res = s.call(&owner, "/api/save_segment", "name=Everyone").await;
    assert_eq!(res.status(), 200);
    let segment: i64 = res.json().await.unwrap();
    let rows = export(&s, &owner, segment, "whatsapp").await;
    let agreed: i64 = s
        .count("SELECT COUNT(*) FROM customers WHERE whatsapp_ok = 1 AND erased_at IS NULL")
        .await;
    assert_eq!(rows.len() as i64, agreed);
    let phones: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert!(phones.contains(&"+34655100001"));
    assert!(!phones.contains(&"+34655100002"), "email consent only");
    assert!(!phones.contains(&"+34655100003"), "no consent");
    for p in &phones {
        assert!(
            p.starts_with('+') && p[1..].chars().all(|c| c.is_ascii_digit()),
            "E.164: {p}"
        );
        let ok: i64 = sqlx::query_scalar("SELECT whatsapp_ok FROM customers WHERE phone = ?")
            .bind(p)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
        assert_eq!(
            ok, 1,
            "{p} is in the WhatsApp export without WhatsApp consent"
        );
    }
    let emails = export(&s, &owner, segment, "email").await;
    assert!(emails.iter().any(|r| r[1] == "+34655100002"));
    assert!(!emails.iter().any(|r| r[1] == "+34655100001"));
    // Every export is logged: who, which segment, which channel, how many.
    let logged: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT actor, subject, detail FROM audit_log WHERE action = 'segment.exported' ORDER BY id",
    )
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(logged.len(), 2);
    assert_eq!(logged[0].1, "Everyone");
    let detail: Value = serde_json::from_str(&logged[0].2).unwrap();
    assert_eq!(detail["channel"], json!("whatsapp"));
    assert_eq!(detail["count"], json!(rows.len()));

    // Ana's unsubscribe link: opening it changes nothing; the button withdraws everything.
    let url = rows.iter().find(|r| r[1] == "+34655100001").unwrap()[3].clone();
    let token = url.rsplit('/').next().unwrap().to_string();
    let visitor = client();
    let page = s.page(&visitor, &format!("/u/{token}")).await;
    assert!(page.contains("Unsubscribe from everything"), "{page}");
    assert!(
        flags(&s, "+34655100001").await.2,
        "opening the link changed nothing"
    );
    // A customer's page carries no app: no wasm, no script file, no copy of its data or words
    // for one; the button is a plain form.
    for app in [
        "<script src",
        ".wasm",
        "modulepreload",
        "unsub-done-text",
        r#"\"Ok\":{"#,
    ] {
        assert!(!page.contains(app), "{app} in {page}");
    }
    assert!(
        page.contains(r#"<form method="post" action="/api/unsubscribe">"#),
        "{page}"
    );
    // The browser posts the form (asking for a page, not JSON) and is sent back to the link,
    // which now says it is done.
    let link = s.url(&format!("/u/{token}"));
    let res = visitor
        .post(s.url("/api/unsubscribe"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", &link)
        .body(format!("token={token}"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    // (server_fn strips any earlier error from the address, leaving an empty query.)
    let back = res.headers()["location"].to_str().unwrap();
    assert_eq!(back.trim_end_matches('?'), link);
    let page = s.page(&visitor, &format!("/u/{token}")).await;
    assert!(page.contains(r#"data-testid="unsubscribed""#), "{page}");
    let (_, email, sms, whatsapp) = flags(&s, "+34655100001").await;
    assert_eq!((email, sms, whatsapp), (false, false, false));
    let withdrawn: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM consents WHERE customer_id = ? AND granted = 0 AND source = 'Unsubscribe link'",
    )
    .bind(ana)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(withdrawn, 2);
    let rows = export(&s, &owner, segment, "whatsapp").await;
    assert!(!rows.iter().any(|r| r[1] == "+34655100001"));
    // A made-up token is refused.
    let res = s
        .call(
            &visitor,
            "/api/unsubscribe",
            "token=0123456789abcdef0123456789abcdef",
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn merging_two_records_moves_every_order_through_the_order_core() {
    let s = spawn().await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    order(
        &s,
        &key,
        "m1",
        json!({"name": "Dora Old", "phone": "655200001", "email": "dora@example.com"}),
    )
    .await;
    order(&s, &key, "m2", json!({"name": "Dora New", "phone": "655200002", "email": "DORA@example.com", "consent": {"sms": true}})).await;
    order(
        &s,
        &key,
        "m3",
        json!({"name": "Dora New", "phone": "655200002"}),
    )
    .await;
    let (old, ..) = flags(&s, "+34655200001").await;
    let (new, ..) = flags(&s, "+34655200002").await;
    let owner = s.signed_in(OWNER).await;
    // The page of the old record names the new one as a possible duplicate.
    let res = s
        .call(&owner, "/api/get_customer", &format!("id={old}"))
        .await;
    assert_eq!(res.status(), 200);
    let card: Value = res.json().await.unwrap();
    assert_eq!(card["duplicates"][0]["id"], json!(new));
    assert_eq!(card["duplicates"][0]["why"], json!("Same email"));
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM orders WHERE customer_id = ? ORDER BY id")
            .bind(new)
            .fetch_all(&s.state.pool)
            .await
            .unwrap();
    let res = s
        .call(
            &owner,
            "/api/merge_customers",
            &format!("from={new}&into={old}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let moved: i64 = res.json().await.unwrap();
    assert_eq!(moved, 2);
    let orders: Vec<(i64, i64)> =
        sqlx::query_as("SELECT customer_id, version FROM orders WHERE id IN (SELECT order_id FROM order_events WHERE detail LIKE 'customer records merged%')")
            .fetch_all(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(orders.len(), 2);
    for (i, (customer, version)) in orders.iter().enumerate() {
        assert_eq!(*customer, old);
        assert_eq!(
            *version,
            versions[i] + 1,
            "a change through the core bumps the version"
        );
    }
    assert_eq!(
        s.count("SELECT COUNT(*) FROM customers WHERE phone = '+34655200002'")
            .await,
        0
    );
    // The kept record has every order and the consent given on the other.
    let res = s
        .call(&owner, "/api/get_customer", &format!("id={old}"))
        .await;
    let card: Value = res.json().await.unwrap();
    assert_eq!(card["order_count"], json!(3));
    assert_eq!(card["consent"][1], json!(["Sms", true]));
    assert_eq!(
        card["consent_history"][0]["source"],
        json!("Website checkout")
    );
    // Merging a record into itself is refused, naming the field.
    let res = s
        .call(
            &owner,
            "/api/merge_customers",
            &format!("from={old}&into={old}"),
        )
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn the_profile_keeps_allergies_and_tags_and_refuses_bad_input_changing_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    // A customer with an order still to come.
    let (id, day): (i64, String) = sqlx::query_as(
        "SELECT customer_id, fulfil_on FROM orders WHERE status <> 'cancelled' AND fulfil_on >= date('now')
         ORDER BY fulfil_on, id LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let res = s
        .call(
            &owner,
            "/api/save_customer_profile",
            &format!("id={id}&allergies=Sesame&tags=Regular,+office,+regular&notes=Ring+twice"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let card: Value = s
        .call(&owner, "/api/get_customer", &format!("id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["allergies"], json!("Sesame"));
    assert_eq!(card["tags"], json!(["office", "regular"]));
    // The allergy reaches the production sheet and the board card of the customer's order.
    let plan: Value = s
        .call(&owner, "/api/get_production_plan", &format!("day={day}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        plan["allergies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a[2] == json!("Sesame")),
        "{}",
        plan["allergies"]
    );
    let board: Value = s
        .call(&owner, "/api/list_board", &format!("day={day}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(board
        .to_string()
        .contains("\"customer_allergies\":\"Sesame\""));
    let long = "x".repeat(41);
    let res = s
        .call(
            &owner,
            "/api/save_customer_profile",
            &format!("id={id}&allergies=Nuts&tags={long}"),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Tags"));
    let card: Value = s
        .call(&owner, "/api/get_customer", &format!("id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["allergies"], json!("Sesame"), "nothing changed");
    // A tag segment counts it.
    let (n, _): (i64, [i64; 3]) = s
        .call(&owner, "/api/count_segment", "rules[tag]=office")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(n, 1);
    let res = s
        .call(&owner, "/api/count_segment", "rules[min_spend]=lots")
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Spent at least"));
}

#[tokio::test]
async fn consent_history_reads_in_the_readers_language_and_typed_words_stay() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    // A demo customer who agreed at the website's checkout.
    let id: i64 = sqlx::query_scalar(
        "SELECT customer_id FROM consents WHERE source = 'Website checkout' ORDER BY id LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let sms: bool = sqlx::query_scalar("SELECT sms_ok FROM customers WHERE id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    // SMS switched as told on the phone (no words typed), then back "at the market stall".
    for (granted, how) in [(!sms, ""), (sms, "At the market stall")] {
        let body = format!("id={id}&channel=sms&granted={granted}&how={}", enc(how));
        let res = s.call(&owner, "/api/set_consent", &body).await;
        assert_eq!(res.status(), 200, "{how}");
    }
    let history = |card: &Value| -> Vec<String> {
        card["consent_history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["source"].as_str().unwrap().to_string())
            .collect()
    };
    let card: Value = s
        .json(&owner, "/api/get_customer", &format!("id={id}"))
        .await
        .1;
    let english = history(&card);
    assert!(
        english.contains(&"Website checkout".to_string()),
        "{english:?}"
    );
    assert!(
        english.contains(&"Told the bakery (Lucía Navarro)".to_string()),
        "{english:?}"
    );
    s.reads(OWNER, Some("es")).await;
    let card: Value = s
        .json(&owner, "/api/get_customer", &format!("id={id}"))
        .await
        .1;
    let spanish = history(&card);
    assert!(
        spanish.contains(&"Pedido en la web".to_string()),
        "{spanish:?}"
    );
    assert!(
        spanish.contains(&"Se lo dijo al obrador (Lucía Navarro)".to_string()),
        "{spanish:?}"
    );
    assert!(
        spanish.contains(&"At the market stall (Lucía Navarro)".to_string()),
        "what the owner typed stays as typed: {spanish:?}"
    );
}
