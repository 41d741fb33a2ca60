//! From an empty database to the first storefront order, over HTTP on a real server: the
//! first owner is created once (never twice, never in production), the dashboard's checklist
//! follows what exists, and with a product, pickup hours, a kitchen and a key the storefront
//! takes an order. No demo data.
mod common;

use common::*;
use serde_json::{json, Value};

async fn readiness(s: &TestServer, c: &reqwest::Client) -> Vec<bool> {
    let steps: Value = s
        .call(c, "/api/get_readiness", "")
        .await
        .json()
        .await
        .unwrap();
    steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["done"].as_bool().unwrap())
        .collect()
}

#[tokio::test]
async fn a_new_owner_sets_up_an_empty_hearth_and_takes_a_storefront_order() {
    let s = spawn_empty(|_| {}).await;
    let anon = client();
    let first: Value = s
        .call(&anon, "/api/first_run", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first, "Here");

    // A short password is named; nothing is created.
    let res = s
        .call(
            &anon,
            "/api/create_first_owner",
            "name=Marisa&email=marisa%40horno.example&password=short",
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(s.count("SELECT COUNT(*) FROM users").await, 0);

    // Five people submitting at once: one owner.
    let tries = (0..5).map(|i| {
        let s = &s;
        async move {
            let c = client();
            let body = format!(
                "name=Owner+{i}&email=o{i}%40horno.example&password=long-enough-{i}&business_name=Horno+{i}&currency=eur&timezone=Atlantic%2FCanary"
            );
            let res = s.call(&c, "/api/create_first_owner", &body).await;
            (res.status().as_u16(), c)
        }
    });
    let results = futures::future::join_all(tries).await;
    let made: Vec<&(u16, reqwest::Client)> = results.iter().filter(|r| r.0 == 200).collect();
    assert_eq!(
        made.len(),
        1,
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert!(results.iter().filter(|r| r.0 != 200).all(|r| r.0 == 409));
    assert_eq!(
        s.count("SELECT COUNT(*) FROM users WHERE role = 'owner'")
            .await,
        1
    );
    let owner = &made[0].1;
    assert!(s.me(owner).await.is_some(), "the new owner is signed in");
    let first: Value = s
        .call(&anon, "/api/first_run", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first, "Done");
    // The business as the owner named it, in effect at once and kept for the next start.
    let profile = s.state.config.profile();
    assert!(profile.business_name.starts_with("Horno "), "{profile:?}");
    assert_eq!(
        (profile.currency.as_str(), profile.timezone.name()),
        ("EUR", "Atlantic/Canary")
    );
    let stored: (String, String) =
        sqlx::query_as("SELECT business_name, timezone FROM business_settings")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (profile.business_name.clone(), "Atlantic/Canary".into())
    );
    // A bad time zone in Settings is named and changes nothing.
    let res = s
        .call(
            owner,
            "/api/save_business",
            "business_name=Horno&currency=EUR&timezone=Mars%2FOlympus",
        )
        .await;
    assert_eq!(res.status(), 422);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["Validation"]["field"], "timezone");
    assert_eq!(s.state.config.timezone().name(), "Atlantic/Canary");

    // The checklist: nothing done yet.
    assert_eq!(readiness(&s, owner).await, [false, false, false, false]);
    let res = s
        .call(
            owner,
            "/api/save_delivery_settings",
            "kitchen_address=Calle+Real+3&kitchen_lat=40.42&kitchen_lng=-3.70&detour_factor=1.35&avg_speed_kmh=22&service_minutes=4&shift_start=08%3A30&shift_end=20%3A30&van_capacity=150&cost_per_km=0.30&driver_cost_per_hour=15&third_party_base=3.90&third_party_per_km=0.80",
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let res = s
        .call(
            owner,
            "/api/save_product",
            "form[sku]=PAN-1&form[name]=Pan+de+pueblo&form[category]=Panes&form[price]=3.20&form[daily_capacity]=30&form[lead_days]=0&form[min_quantity]=1&form[max_quantity]=99&form[weekdays][0]=0&form[weekdays][1]=1&form[weekdays][2]=2&form[weekdays][3]=3&form[weekdays][4]=4&form[weekdays][5]=5&form[weekdays][6]=6&form[allergens][0]=gluten",
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(readiness(&s, owner).await, [true, true, false, false]);
    let mut hours = vec!["form[horizon_days]=14".to_string(), "form[cutoff]=".into()];
    for i in 0..7 {
        hours.push(format!(
            "form[days][{i}][open]=true&form[days][{i}][opens]=09%3A00&form[days][{i}][closes]=14%3A00"
        ));
    }
    let res = s
        .call(owner, "/api/save_booking_rules", &hours.join("&"))
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let res = s.call(owner, "/api/create_api_key", "name=Website").await;
    assert_eq!(res.status(), 200);
    let key: String = res.json().await.unwrap();
    assert_eq!(readiness(&s, owner).await, [true, true, true, true]);

    // The website's first order.
    let day = s.state.config.today() + chrono::Duration::days(1);
    let catalog: Value = reqwest::Client::new()
        .get(s.url("/api/v1/catalog"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        catalog["business"].as_str().unwrap().starts_with("Horno "),
        "{} / {}",
        catalog["business"],
        s.state.config.business_name()
    );
    let res = reqwest::Client::new()
        .post(s.url("/api/v1/orders"))
        .bearer_auth(&key)
        .header("Idempotency-Key", "first-order")
        .json(&json!({
            "customer": {"name": "Lucía", "phone": "655111222"},
            "fulfilment": {"type": "pickup", "date": day.to_string(), "time": "10:00"},
            "items": [{"sku": "PAN-1", "quantity": 2}],
            "payment": {"method": "pay_at_pickup"}
        }))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["total_cents"], 640);
    let board: Value = s
        .call(owner, "/api/list_board", &format!("day={day}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(board.to_string().contains("Lucía"), "{board}");
}

#[tokio::test]
async fn a_public_hearth_is_never_claimed_from_the_browser() {
    let s = spawn_empty(|c| c.production = true).await;
    let anon = client();
    let first: Value = s
        .call(&anon, "/api/first_run", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first, "Command");
    let res = s
        .call(
            &anon,
            "/api/create_first_owner",
            "name=Eve&email=eve%40evil.example&password=long-enough-1",
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(s.count("SELECT COUNT(*) FROM users").await, 0);
}

#[tokio::test]
async fn the_logo_chosen_at_setup_is_checked_served_and_changed_in_settings() {
    use base64::Engine;
    let b64 = |bytes: &[u8]| enc(&base64::engine::general_purpose::STANDARD.encode(bytes));
    let s = spawn_empty(|_| {}).await;
    let c = client();
    let form = |logo: &str| {
        format!("name=Marisa&email=marisa%40horno.example&password=long-enough-1&business_name=Horno&logo={logo}")
    };
    // Not a JPEG: named, and no account is made.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0";
    let res = s
        .call(&c, "/api/create_first_owner", &form(&b64(png)))
        .await;
    assert_eq!(res.status(), 422);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["Validation"]["field"], "logo");
    assert_eq!(e["Validation"]["message"], "Logo: must be a JPEG image.");
    assert_eq!(s.count("SELECT COUNT(*) FROM users").await, 0);
    // A JPEG: stored with the account, served publicly, shown to the signed-in owner.
    let jpeg = tiny_jpeg(64, 32);
    let res = s
        .call(&c, "/api/create_first_owner", &form(&b64(&jpeg)))
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let me: Value = s.call(&c, "/api/me", "").await.json().await.unwrap();
    let path = me["logo"].as_str().expect("the header's logo").to_string();
    assert!(path.starts_with("/media/logo?v="), "{path}");
    let res = reqwest::get(s.url(&path)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.bytes().await.unwrap().as_ref(), jpeg.as_slice());
    // The website's catalog links it.
    let res = s.call(&c, "/api/create_api_key", "name=Website").await;
    let key: String = res.json().await.unwrap();
    let catalog: Value = reqwest::Client::new()
        .get(s.url("/api/v1/catalog"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        catalog["logo_url"].as_str().unwrap().ends_with(&path),
        "{}",
        catalog["logo_url"]
    );
    // Settings: a new one gets a new version; removing it leaves the "H" and a 404.
    let bigger = tiny_jpeg(128, 64);
    let res = s
        .call(&c, "/api/set_logo", &format!("jpeg={}", b64(&bigger)))
        .await;
    assert_eq!(res.status(), 200);
    let res = reqwest::get(s.url("/media/logo")).await.unwrap();
    assert_eq!(res.bytes().await.unwrap().as_ref(), bigger.as_slice());
    let res = s.call(&c, "/api/set_logo", "jpeg=").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), Value::Null);
    assert_eq!(
        reqwest::get(s.url("/media/logo")).await.unwrap().status(),
        404
    );
    let me: Value = s.call(&c, "/api/me", "").await.json().await.unwrap();
    assert_eq!(me["logo"], Value::Null);
}
