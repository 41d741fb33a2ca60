//! The audit log on a real server: sign-ins (and failures), team, settings, menu, API keys,
//! exports and order changes are recorded with who, when, the client's address and
//! before/after; the owner searches it by words, kind and paging; the database refuses to
//! change or delete an entry younger than the retention, and the purge removes older ones.
mod common;

use common::*;
use serde_json::Value;

async fn search(s: &TestServer, c: &reqwest::Client, body: &str) -> Value {
    let res = s.call(c, "/api/list_audit", body).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn actions(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn changes_sign_ins_and_exports_are_recorded_with_who_where_and_before_after() {
    let s = spawn().await;
    // A failed sign-in, then the owner's.
    let res = s
        .call(
            &client(),
            "/api/login",
            &format!("email={OWNER}&password=wrong-one"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let owner = s.signed_in(OWNER).await;
    // The owner renames the bakery, adds a person, makes a key, changes a price, exports the
    // menu; staff move an order.
    let res = s
        .call(
            &owner,
            "/api/save_business",
            "business_name=Horno+Nuevo&currency=EUR&timezone=Europe%2FMadrid",
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = s
        .call(
            &owner,
            "/api/add_user",
            "email=paco%40hearth.demo&name=Paco&role=driver&password=0123456789ab",
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        s.call(&owner, "/api/create_api_key", "name=Web")
            .await
            .status(),
        200
    );
    let menu: Value = s
        .call(&owner, "/api/list_menu", "")
        .await
        .json()
        .await
        .unwrap();
    let bread = menu
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["sku"] == "BRD-SOUR")
        .unwrap()
        .clone();
    let old_price = bread["price_cents"].as_i64().unwrap();
    let mut body = vec![
        format!("id={}", bread["id"]),
        format!("form[sku]=BRD-SOUR&form[name]={}", enc(bread["name"].as_str().unwrap())),
        format!("form[category]={}", enc(bread["category"].as_str().unwrap())),
        "form[price]=9.99&form[daily_capacity]=40&form[lead_days]=0&form[min_quantity]=1&form[max_quantity]=99".into(),
    ];
    for d in 0..7 {
        body.push(format!("form[weekdays][{d}]={d}"));
    }
    let res = s.call(&owner, "/api/save_product", &body.join("&")).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(
        s.call(&owner, "/api/export_menu_csv", "").await.status(),
        200
    );
    let staff = s.signed_in(STAFF).await;
    let (id, version, number): (i64, i64, i64) = sqlx::query_as(
        "SELECT id, version, number FROM orders WHERE status = 'received' ORDER BY id LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let res = s
        .call(
            &staff,
            "/api/move_order",
            &format!("order_id={id}&to=confirmed&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 200);

    let page = search(&s, &owner, "").await;
    let got = actions(&page);
    for want in [
        "sign_in.failed",
        "sign_in",
        "settings.business",
        "user.add",
        "api_key.create",
        "menu.product",
        "export.menu_csv",
        "order.status",
    ] {
        assert!(got.iter().any(|a| a == want), "{want} missing from {got:?}");
    }
    let row = |action: &str| {
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["action"] == action)
            .unwrap()
            .clone()
    };
    // Who and from where.
    let moved = row("order.status");
    assert_eq!(moved["actor"], "Pablo Ortega");
    assert_eq!(moved["ip"], "127.0.0.1");
    assert_eq!(moved["subject"], format!("Order #{number}"));
    let detail: Value = serde_json::from_str(moved["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["before"]["status"], "received");
    assert_eq!(detail["after"]["status"], "confirmed");
    assert_eq!(detail["after"]["version"], version + 1);
    // Before and after of a setting and of a price.
    let renamed: Value =
        serde_json::from_str(row("settings.business")["detail"].as_str().unwrap()).unwrap();
    assert_eq!(renamed["before"]["name"], "Obrador Hearth");
    assert_eq!(renamed["after"]["name"], "Horno Nuevo");
    let priced: Value =
        serde_json::from_str(row("menu.product")["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        priced["before"]["price"],
        format!("{}.{:02}", old_price / 100, old_price % 100)
    );
    assert_eq!(priced["after"]["price"], "9.99");
    let failed = row("sign_in.failed");
    assert_eq!(failed["actor"], OWNER);
    assert!(failed["detail"]
        .as_str()
        .unwrap()
        .contains("email or password"));

    // Search: words, kind, paging.
    let found = search(&s, &owner, "q=Horno+Nuevo").await;
    assert_eq!(actions(&found), ["settings.business"]);
    let orders = search(&s, &owner, "kind=order.").await;
    assert!(actions(&orders).iter().all(|a| a.starts_with("order.")));
    assert!(!actions(&orders).is_empty());
    let first = page["rows"][0]["id"].as_i64().unwrap();
    let older = search(&s, &owner, &format!("before={first}")).await;
    assert!(older["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"].as_i64().unwrap() < first));
    let none = search(&s, &owner, "from=2000-01-01&to=2000-01-02").await;
    assert_eq!(none["rows"], Value::Array(vec![]));
    let bad = s.call(&owner, "/api/list_audit", "from=yesterday").await;
    assert_eq!(bad.status(), 422);
    // Staff may not read it.
    assert_eq!(s.call(&staff, "/api/list_audit", "").await.status(), 403);
}

#[tokio::test]
async fn the_log_is_append_only_and_kept_for_the_retention() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let pool = &s.state.pool;
    let n = s.count("SELECT COUNT(*) FROM audit_log").await;
    assert!(n >= 1, "the sign-in is recorded");
    // Nobody rewrites or deletes a recent entry, not even with SQL.
    let e = sqlx::query("UPDATE audit_log SET actor = 'someone else'")
        .execute(pool)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = sqlx::query("DELETE FROM audit_log")
        .execute(pool)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("retention"), "{e}");
    assert_eq!(s.count("SELECT COUNT(*) FROM audit_log").await, n);
    // An entry older than the retention (two years by default) goes with the purge.
    sqlx::query("INSERT INTO audit_log (at, actor, action) VALUES ('2020-01-01T00:00:00.000Z', 'old', 'sign_in')")
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(hearth::audit::purge(pool).await.unwrap(), 1);
    assert_eq!(s.count("SELECT COUNT(*) FROM audit_log").await, n);
    // The retention: a bad number is named; a good one is recorded.
    let res = s.call(&owner, "/api/set_audit_retention", "days=7").await;
    assert_eq!(res.status(), 422);
    let res = s.call(&owner, "/api/set_audit_retention", "days=400").await;
    assert_eq!(res.status(), 200);
    let page = search(&s, &owner, "kind=settings.audit").await;
    assert_eq!(page["retention_days"], 400);
    let d: Value = serde_json::from_str(page["rows"][0]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        (d["before"].as_i64(), d["after"].as_i64()),
        (Some(730), Some(400))
    );
}
