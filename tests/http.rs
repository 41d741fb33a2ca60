//! HTTP-level tests against a real server on loopback: sign-in, sessions, throttling,
//! cross-site protection, redirects, 404s and bad input.
mod common;

use common::*;
use hearth::error::AppError;

#[tokio::test]
async fn a_form_sign_in_sets_a_safe_cookie_and_lands_on_the_role_page() {
    let s = spawn().await;
    for (email, landing) in [(OWNER, "/"), (STAFF, "/orders"), (DRIVER, "/driver")] {
        let c = client();
        // A plain HTML form post (no WebAssembly yet) gets a real redirect.
        let res = c
            .post(s.url("/api/login"))
            .header("accept", "text/html")
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], landing);
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("hearth_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(
            !cookie.contains("Secure"),
            "plain http on loopback: {cookie}"
        );
        let page = c.get(s.url(landing)).send().await.unwrap();
        assert_eq!(page.status(), 200);
    }
}

#[tokio::test]
async fn cookies_are_secure_when_configured_for_https() {
    let s = spawn_with(|c| c.secure_cookies = true).await;
    let c = client();
    let res = s
        .call(
            &c,
            "/api/login",
            &format!("email={OWNER}&password={PASSWORD}"),
        )
        .await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn pages_show_each_role_its_own_shell() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let html = s.page(&owner, "/").await;
    assert!(html.contains("Good day") && html.contains("Open orders today"));
    for link in ["/planning", "/customers", "/settings"] {
        assert!(
            html.contains(&format!("href=\"{link}\"")),
            "owner nav lacks {link}"
        );
    }
    let staff = s.signed_in(STAFF).await;
    let html = s.page(&staff, "/orders").await;
    assert!(html.contains("Out for delivery"));
    assert!(
        !html.contains("href=\"/settings\""),
        "staff must not see Settings"
    );
    // The owner's pages redirect staff to their board.
    let res = staff.get(s.url("/settings")).send().await.unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/orders");
}

#[tokio::test]
async fn visitors_are_sent_to_sign_in_and_unknown_pages_get_a_404() {
    let s = spawn().await;
    let c = client();
    let res = c.get(s.url("/orders")).send().await.unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/login?next=/orders");
    let res = c.get(s.url("/no/such/page")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("isn't on the menu"));
    assert!(s.me(&c).await.is_none());
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_message_and_no_session() {
    let s = spawn().await;
    let c = client();
    let res = s
        .call(
            &c,
            "/api/login",
            &format!("email={OWNER}&password=wrong-password"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let err: AppError = res.json().await.unwrap();
    assert_eq!(err.field(), Some("password"));
    assert!(err.to_string().contains("don't match"));
    assert!(s.me(&c).await.is_none());
    let logged = s
        .count("SELECT COUNT(*) FROM login_attempts WHERE success = 0")
        .await;
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_account() {
    let s = spawn().await;
    let c = client();
    for _ in 0..5 {
        let res = s
            .call(&c, "/api/login", &format!("email={STAFF}&password=guess"))
            .await;
        assert_eq!(res.status(), 422);
    }
    // Now even the right password is refused for a while, with a clear message...
    let res = s
        .call(
            &c,
            "/api/login",
            &format!("email={STAFF}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(res.status(), 429);
    let err: AppError = res.json().await.unwrap();
    assert!(err
        .to_string()
        .contains("Too many failed sign-ins for this account"));
    assert!(s.me(&c).await.is_none());
    // ...while other accounts still sign in.
    s.signed_in(OWNER).await;
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_address() {
    let s = spawn().await;
    let c = client();
    for i in 0..20 {
        let res = s
            .call(
                &c,
                "/api/login",
                &format!("email=nobody{i}@example.com&password=x"),
            )
            .await;
        assert_eq!(res.status(), 422);
    }
    let res = s
        .call(
            &c,
            "/api/login",
            &format!("email={OWNER}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(res.status(), 429);
    let err: AppError = res.json().await.unwrap();
    assert!(err.to_string().contains("from this network"));
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in_and_the_old_one_dies() {
    let s = spawn().await;
    let c = s.signed_in(OWNER).await;
    let first = s.state.pool.clone();
    let ids_before: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions")
        .fetch_all(&first)
        .await
        .unwrap();
    assert_eq!(ids_before.len(), 1);
    // Sign in again on the same browser: a new id replaces the old one.
    let res = s
        .call(
            &c,
            "/api/login",
            &format!("email={OWNER}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let ids_after: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions")
        .fetch_all(&first)
        .await
        .unwrap();
    assert_eq!(ids_after.len(), 1);
    assert_ne!(ids_before, ids_after);
    // The old id no longer works.
    let stale = client();
    let res = stale
        .post(s.url("/api/me"))
        .header("cookie", format!("hearth_session={}", ids_before[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "null");
    assert_eq!(s.me(&c).await.as_deref(), Some(OWNER));
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let s = spawn().await;
    let c = s.signed_in(STAFF).await;
    assert_eq!(s.me(&c).await.as_deref(), Some(STAFF));
    let res = s.call(&c, "/api/logout", "").await;
    assert_eq!(res.status(), 200);
    assert!(s.me(&c).await.is_none());
    assert_eq!(s.call(&c, "/api/list_board", "").await.status(), 401);
    assert_eq!(s.count("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn disabling_or_re_roling_a_user_ends_their_sessions() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let staff = s.signed_in(STAFF).await;
    let driver = s.signed_in(DRIVER).await;
    assert_eq!(s.call(&staff, "/api/list_board", "").await.status(), 200);
    let staff_id = s
        .count("SELECT id FROM users WHERE email = 'staff@hearth.demo'")
        .await;
    let driver_id = s
        .count("SELECT id FROM users WHERE email = 'driver@hearth.demo'")
        .await;

    let res = s
        .call(
            &owner,
            "/api/set_user_active",
            &format!("user_id={staff_id}&active=false"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(s.call(&staff, "/api/list_board", "").await.status(), 401);
    // A disabled account can't sign back in.
    let res = s
        .call(
            &client(),
            "/api/login",
            &format!("email={STAFF}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(res.status(), 422);

    let res = s
        .call(
            &owner,
            "/api/set_user_role",
            &format!("user_id={driver_id}&role=staff"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        s.me(&driver).await.is_none(),
        "re-roling ends the old session"
    );
    // Signing in again gives the new role's rights.
    let again = s.signed_in(DRIVER).await;
    assert_eq!(s.call(&again, "/api/list_board", "").await.status(), 200);
}

#[tokio::test]
async fn sessions_have_an_absolute_lifetime() {
    let s = spawn_with(|c| c.session_max_hours = 0).await;
    let c = s.signed_in(OWNER).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(s.me(&c).await.is_none());
    assert_eq!(s.call(&c, "/api/get_dashboard", "").await.status(), 401);
}

#[tokio::test]
async fn sessions_end_after_being_idle_but_not_while_used() {
    let s = spawn_with(|c| c.session_idle_secs = 2).await;
    let c = s.signed_in(STAFF).await;
    // Activity keeps it alive past the idle limit...
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        assert_eq!(s.me(&c).await.as_deref(), Some(STAFF));
    }
    // ...and silence ends it.
    tokio::time::sleep(std::time::Duration::from_millis(2600)).await;
    assert!(s.me(&c).await.is_none());
    assert_eq!(s.call(&c, "/api/list_board", "").await.status(), 401);
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let before = s.count("SELECT COUNT(*) FROM users").await;
    let res = owner
        .post(s.url("/api/add_user"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("email", "mallory@evil.example"),
            ("name", "M"),
            ("role", "owner"),
            ("password", "0123456789ab"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(s.count("SELECT COUNT(*) FROM users").await, before);
    // The same request from the app itself works.
    let res = owner
        .post(s.url("/api/add_user"))
        .header("origin", s.base.clone())
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", "nuria@hearth.demo"),
            ("name", "Nuria"),
            ("role", "staff"),
            ("password", "0123456789ab"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(s.count("SELECT COUNT(*) FROM users").await, before + 1);
}

#[tokio::test]
async fn bad_input_names_the_field_and_changes_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let before = s.count("SELECT COUNT(*) FROM users").await;
    for (body, field) in [
        (
            "email=not-an-email&name=Ana&role=staff&password=0123456789ab",
            "email",
        ),
        (
            "email=ana@x.es&name=%20&role=staff&password=0123456789ab",
            "name",
        ),
        (
            "email=ana@x.es&name=Ana&role=admin&password=0123456789ab",
            "role",
        ),
        (
            "email=ana@x.es&name=Ana&role=staff&password=short",
            "password",
        ),
        (
            "email=STAFF@hearth.demo&name=Ana&role=staff&password=0123456789ab",
            "email",
        ),
    ] {
        let res = s.call(&owner, "/api/add_user", body).await;
        assert_eq!(res.status(), 422, "{body}");
        let err: AppError = res.json().await.unwrap();
        assert_eq!(err.field(), Some(field), "{body}: {err}");
    }
    // A request missing an argument entirely is refused too.
    let res = s.call(&owner, "/api/add_user", "email=ana@x.es").await;
    assert_eq!(res.status(), 422);
    let err: AppError = res.json().await.unwrap();
    assert_eq!(err.field(), Some("name"), "{err}");
    assert_eq!(s.count("SELECT COUNT(*) FROM users").await, before);
    // The owner can't lock themselves out.
    let me = s
        .count("SELECT id FROM users WHERE email = 'owner@hearth.demo'")
        .await;
    let res = s
        .call(
            &owner,
            "/api/set_user_active",
            &format!("user_id={me}&active=false"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = s.call(&owner, "/api/list_board", "day=2026-02-30").await;
    assert_eq!(res.status(), 422);
    let err: AppError = res.json().await.unwrap();
    assert_eq!(err.field(), Some("day"));
}

#[tokio::test]
async fn every_request_gets_an_id_and_internal_errors_reveal_nothing() {
    let s = spawn().await;
    let res = client().get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));
    // Break the database under the server: the user sees a reference, not SQL.
    let owner = s.signed_in(OWNER).await;
    sqlx::query("DROP TABLE order_items")
        .execute(&s.state.pool)
        .await
        .unwrap();
    let res = s.call(&owner, "/api/list_board", "").await;
    assert_eq!(res.status(), 500);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let err: AppError = res.json().await.unwrap();
    match &err {
        AppError::Internal { reference } => assert_eq!(reference, &request_id),
        other => panic!("expected Internal, got {other:?}"),
    }
    let shown = err.to_string().to_lowercase();
    assert!(
        !shown.contains("order_items") && !shown.contains("sql"),
        "{shown}"
    );
}

#[tokio::test]
async fn the_planning_page_lists_deliveries_that_need_a_pin() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let unpinned: Vec<i64> = sqlx::query_scalar(
        "SELECT number FROM orders WHERE fulfilment = 'delivery' AND lat IS NULL AND status NOT IN ('delivered', 'cancelled')",
    )
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    assert!(!unpinned.is_empty());
    let html = s.page(&owner, "/planning").await;
    assert!(html.contains("Needs a location"));
    for n in unpinned {
        assert!(
            html.contains(&format!("#{n}")),
            "#{n} missing from the list"
        );
    }
}

/// The client's files never carry another request's redirect. (Seen in Chromium: while a
/// signed-out service worker loaded /driver and /pkg/hearth.js at once,
/// the script came back as a 302 to that page and the worker cached the HTML as the script.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_never_pick_up_a_redirect_from_a_page_served_meanwhile() {
    let s = spawn().await;
    let root = std::path::Path::new(&s.state.config.site_root).join("pkg");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("hearth.js"),
        "export default function init() {}\n",
    )
    .unwrap();
    // Signed out, /driver sends the visitor to sign in (the page sets a Location while it
    // renders), as it did for the service worker's install.
    let visitor = client();
    let res = visitor.get(s.url("/driver")).send().await.unwrap();
    assert_eq!(res.status(), 302);
    let mut tasks = Vec::new();
    for i in 0..400 {
        let c = visitor.clone();
        let url = s.url(if i % 2 == 0 {
            "/driver"
        } else {
            "/pkg/hearth.js"
        });
        tasks.push(tokio::spawn(async move {
            let res = c.get(&url).send().await.unwrap();
            (
                url,
                res.status().as_u16(),
                res.headers().get("location").cloned(),
            )
        }));
    }
    for t in tasks {
        let (url, status, location) = t.await.unwrap();
        if url.ends_with("/pkg/hearth.js") {
            assert_eq!((status, location), (200, None), "{url}");
        }
    }
}
