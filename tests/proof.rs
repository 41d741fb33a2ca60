//! Proof of delivery and driver sign-in over HTTP: a photo sent with a delivery is kept once and
//! shown to owner and staff only; photos that aren't small JPEGs are refused with nothing
//! changed; one-time sign-in links work once, before they expire, and never from a preview.
mod common;

use base64::Engine;
use common::*;

fn b64(bytes: &[u8]) -> String {
    enc(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[tokio::test]
async fn a_delivery_photo_is_kept_once_and_only_owner_and_staff_see_it() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let stops = publish_today_for(&s, &owner, DRIVER).await;
    let driver = s.signed_in(DRIVER).await;
    let order = stops[0].0;
    let photo = tiny_jpeg(1280, 960);
    let body = format!(
        "key=k-photo-0001&order_id={order}&action=delivered&recipient=Ana&photo={}",
        b64(&photo)
    );
    for _ in 0..2 {
        let res = s.call(&driver, "/api/driver_update", &body).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM delivery_photos").await, 1);
    for (who, client, want) in [
        ("owner", s.signed_in(OWNER).await, 200),
        ("staff", s.signed_in(STAFF).await, 200),
        ("driver", driver.clone(), 403),
        ("nobody", client(), 401),
    ] {
        let res = client
            .get(s.url(&format!("/photos/{order}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), want, "{who}");
        if want == 200 {
            assert_eq!(res.headers()["content-type"], "image/jpeg");
            assert_eq!(
                res.bytes().await.unwrap().as_ref(),
                photo.as_slice(),
                "{who}"
            );
        }
    }
    // The order drawer knows there is one, and its history says so.
    let detail: serde_json::Value = s
        .call(&owner, "/api/get_order", &format!("order_id={order}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["photo"], serde_json::json!([1280, 960]));
    let said = detail["history"].to_string();
    assert!(said.contains("with a photo"), "{said}");
    // An order without one has none.
    let res = owner
        .get(s.url(&format!("/photos/{}", stops[1].0)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn photos_that_are_not_small_jpegs_are_refused_and_change_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let stops = publish_today_for(&s, &owner, DRIVER).await;
    let driver = s.signed_in(DRIVER).await;
    let order = stops[0].0;
    let status = |s: &TestServer| {
        let pool = s.state.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT status FROM orders WHERE id = ?")
                .bind(order)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = status(&s).await;
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
    let cases = [
        ("delivered", b64(&png), "must be a JPEG"),
        ("delivered", b64(&tiny_jpeg(4000, 3000)), "longest side"),
        ("delivered", enc("not base64 at all!"), "bad encoding"),
        ("delivered", b64(&vec![0u8; 1_600_000]), "at most 1.5 MB"),
        (
            "failed",
            b64(&tiny_jpeg(640, 480)),
            "only a delivery has a photo",
        ),
    ];
    for (i, (action, photo, why)) in cases.iter().enumerate() {
        let body = format!(
            "key=k-bad-photo-{i:04}&order_id={order}&action={action}&reason=Nobody+home&photo={photo}"
        );
        let res = s.call(&driver, "/api/driver_update", &body).await;
        assert_eq!(res.status(), 422, "{why}");
        let text = res.text().await.unwrap();
        assert!(
            text.contains("photo") && text.contains(why),
            "{why}: {text}"
        );
    }
    assert_eq!(status(&s).await, before);
    assert_eq!(s.count("SELECT COUNT(*) FROM delivery_photos").await, 0);
    assert_eq!(s.count("SELECT COUNT(*) FROM driver_updates").await, 0);
}

/// The token at the end of a sign-in link.
fn token_of(url: &str) -> String {
    url.rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn a_sign_in_link_works_once_before_it_expires_and_not_by_being_opened() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    publish_today_for(&s, &owner, DRIVER).await;
    let run: i64 = sqlx::query_scalar(
        "SELECT r.id FROM runs r JOIN users u ON u.id = r.driver_id WHERE u.email = ?",
    )
    .bind(DRIVER)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let make = |run: i64| {
        let (s, owner) = (&s, owner.clone());
        async move {
            let res = s
                .call(&owner, "/api/create_sign_in_link", &format!("run_id={run}"))
                .await;
            (
                res.status().as_u16(),
                res.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    let (status, link) = make(run).await;
    assert_eq!(status, 200, "{link}");
    let url = link["url"].as_str().unwrap().to_string();
    assert!(url.contains("/login/link/"), "{url}");
    let token = token_of(&url);
    assert_eq!(token.len(), 32);
    // Only the hash is stored.
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM sign_in_links")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_ne!(stored, token);

    // Opening the link (as a chat app's preview would) signs nobody in and uses nothing.
    let phone = client();
    for _ in 0..2 {
        let res = phone
            .get(s.url(&format!("/login/link/{token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("Sign in as"));
    }
    assert_eq!(s.me(&phone).await, None);
    // Confirming signs the driver in and opens their run.
    let res = phone
        .post(s.url(&format!("/login/link/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/driver");
    assert_eq!(s.me(&phone).await.as_deref(), Some(DRIVER));
    let day: serde_json::Value = s
        .call(&phone, "/api/get_driver_day", "")
        .await
        .json()
        .await
        .unwrap();
    assert!(!day["stops"].as_array().unwrap().is_empty());

    // Used: a second phone gets "expired", signed out.
    let other = client();
    let res = other
        .post(s.url(&format!("/login/link/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410);
    assert_eq!(s.me(&other).await, None);
    let res = other
        .get(s.url(&format!("/login/link/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410);

    // Expired before use: refused too. Unknown or malformed tokens likewise.
    let (_, late) = make(run).await;
    sqlx::query(
        "UPDATE sign_in_links SET expires_at = '2000-01-01T00:00:00.000Z' WHERE used_at IS NULL",
    )
    .execute(&s.state.pool)
    .await
    .unwrap();
    for t in [
        token_of(late["url"].as_str().unwrap()),
        "0".repeat(32),
        "x".into(),
    ] {
        let res = other
            .post(s.url(&format!("/login/link/{t}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 410, "{t}");
    }
    assert_eq!(s.me(&other).await, None);
    // No such run.
    let (status, _) = make(999_999).await;
    assert_eq!(status, 404);
}
