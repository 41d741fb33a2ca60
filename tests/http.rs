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

/// The owner's email with a wrong password, from `c`: refused (422) naming `password`.
async fn wrong_password(s: &TestServer, c: &reqwest::Client) -> AppError {
    let res = s
        .call(
            c,
            "/api/login",
            &format!("email={OWNER}&password=wrong-password"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let err: AppError = res.json().await.unwrap();
    assert_eq!(err.field(), Some("password"));
    err
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_message_and_no_session() {
    let s = spawn().await;
    let c = client();
    let err = wrong_password(&s, &c).await;
    assert!(err.to_string().contains("don't match"));
    assert!(s.me(&c).await.is_none());
    let logged = s
        .count("SELECT COUNT(*) FROM login_attempts WHERE success = 0")
        .await;
    assert_eq!(logged, 1);
    // A browser that asks for Spanish is told in Spanish, the field named the same.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        "es-ES,es;q=0.9".parse().unwrap(),
    );
    let spanish = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap();
    assert_eq!(
        wrong_password(&s, &spanish).await.to_string(),
        "Ese correo y esa contraseña no coinciden con ninguna cuenta activa."
    );
}

/// A client whose requests come from another loopback address (Linux routes all of 127/8).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn failed_sign_ins_back_off_per_account_and_address() {
    let s = spawn().await;
    let c = client();
    for _ in 0..3 {
        let res = s
            .call(&c, "/api/login", &format!("email={STAFF}&password=guess"))
            .await;
        assert_eq!(res.status(), 422);
    }
    // Now even the right password waits a while from here, with a clear message...
    let res = s
        .call(
            &c,
            "/api/login",
            &format!("email={STAFF}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(res.status(), 429);
    let err: AppError = res.json().await.unwrap();
    assert!(
        err.to_string().contains(
            "Too many failed sign-ins for this account from here. Try again in 15 seconds"
        ),
        "{err}"
    );
    assert!(s.me(&c).await.is_none());
    // ...while other accounts still sign in, and so does this one from its own network.
    s.signed_in(OWNER).await;
    let home = client_from("127.0.0.2");
    let res = s
        .call(
            &home,
            "/api/login",
            &format!("email={STAFF}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
}

#[tokio::test]
async fn thirty_guesses_at_once_are_counted_before_any_is_checked() {
    let s = spawn().await;
    let attacker = client_from("127.0.0.3");
    let guesses = (0..30).map(|i| {
        let (s, c) = (&s, attacker.clone());
        async move {
            s.call(
                &c,
                "/api/login",
                &format!("email={OWNER}&password=guess-{i}"),
            )
            .await
            .status()
            .as_u16()
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|&&st| st == 422).count();
    let refused = statuses.iter().filter(|&&st| st == 429).count();
    assert_eq!((checked, refused), (3, 27), "{statuses:?}");
    assert_eq!(
        s.count("SELECT COUNT(*) FROM login_attempts").await,
        3,
        "only the checked guesses are recorded"
    );
    // The owner, from their own address, is not locked out by the attack.
    s.signed_in(OWNER).await;
}

#[tokio::test]
async fn only_same_origin_paths_are_followed_after_sign_in() {
    let s = spawn().await;
    for next in [
        "//evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/%09/evil.example",
        "https://evil.example",
        "/login",
    ] {
        let c = client();
        let res = c
            .post(s.url("/api/login"))
            .header("accept", "text/html")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "email={OWNER}&password={PASSWORD}&next={}",
                enc(&next.replace("%09", "\t"))
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302, "{next}");
        assert_eq!(res.headers()["location"], "/", "{next}");
    }
    let c = client();
    let res = c
        .post(s.url("/api/login"))
        .header("accept", "text/html")
        .form(&[
            ("email", OWNER),
            ("password", PASSWORD),
            ("next", "/runs?date=2026-12-02"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/runs?date=2026-12-02");
}

/// Reads `res`'s event stream in the background: what has arrived so far, and whether it ended.
fn read_stream(
    res: reqwest::Response,
) -> (
    std::sync::Arc<std::sync::Mutex<String>>,
    tokio::task::JoinHandle<()>,
) {
    use futures::StreamExt;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = seen.clone();
    let task = tokio::spawn(async move {
        let mut body = res.bytes_stream();
        while let Some(Ok(bytes)) = body.next().await {
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&bytes));
        }
    });
    (seen, task)
}

fn announce(s: &TestServer, number: i64) {
    use hearth::orders::model::{OrderChange, OrderStatus};
    let _ = s.state.events.send(OrderChange {
        order_id: 1,
        number,
        from: OrderStatus::Received,
        status: OrderStatus::Confirmed,
        version: 2,
        by: "a test".into(),
    });
}

#[tokio::test]
async fn order_streams_end_when_access_does() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let staff_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
        .bind(STAFF)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    for (round, how) in ["disabled", "re-roled", "signed out"]
        .into_iter()
        .enumerate()
    {
        let staff = s.signed_in(STAFF).await;
        let res = staff.get(s.url("/events/orders")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let (seen, task) = read_stream(res);
        // While access lasts, the stream stays open past its access checks and carries events.
        let open_for = if round == 0 { 6500 } else { 300 };
        tokio::time::sleep(std::time::Duration::from_millis(open_for)).await;
        announce(&s, 9000 + round as i64);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(
            seen.lock()
                .unwrap()
                .contains(&format!("\"number\":{}", 9000 + round)),
            "{how}: the open stream missed an event: {}",
            seen.lock().unwrap()
        );
        assert!(
            !task.is_finished(),
            "{how}: the stream ended while access lasted"
        );
        let done = match how {
            "disabled" => {
                s.call(
                    &owner,
                    "/api/set_user_active",
                    &format!("user_id={staff_id}&active=false"),
                )
                .await
            }
            "re-roled" => {
                s.call(
                    &owner,
                    "/api/set_user_role",
                    &format!("user_id={staff_id}&role=driver"),
                )
                .await
            }
            _ => s.call(&staff, "/api/logout", "").await,
        };
        assert!(done.status().is_success(), "{how}: {:?}", done.text().await);
        // An order change right after: the old session must not receive it, and the stream ends.
        announce(&s, 8000 + round as i64);
        tokio::time::timeout(std::time::Duration::from_secs(10), task)
            .await
            .unwrap_or_else(|_| panic!("{how}: the stream stayed open"))
            .unwrap();
        let seen = seen.lock().unwrap().clone();
        assert!(
            !seen.contains(&format!("\"number\":{}", 8000 + round)),
            "{how}: {seen}"
        );
        // Give the account back for the next round.
        sqlx::query("UPDATE users SET active = 1, role = 'staff' WHERE id = ?")
            .bind(staff_id)
            .execute(&s.state.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn every_route_class_carries_the_security_headers() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let visitor = client();
    let routes: [(&reqwest::Client, &str, &str); 8] = [
        (&visitor, "GET", "/login"),
        (&owner, "GET", "/orders"),
        (&visitor, "GET", "/no/such/page"),
        (&owner, "POST", "/api/me"),
        (&visitor, "GET", "/api/v1/catalog"),
        (&visitor, "GET", "/api/v1/openapi.json"),
        (&visitor, "GET", "/healthz"),
        (&visitor, "GET", "/sw.js"),
    ];
    for (c, method, path) in routes {
        let req = if method == "GET" {
            c.get(s.url(path))
        } else {
            c.post(s.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
        };
        let res = req.send().await.unwrap();
        let h = res.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{path}: {csp}");
        let script = csp
            .split("; ")
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert!(!script.contains("unsafe-inline"), "{path}: {script}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        let cache = h["cache-control"].to_str().unwrap();
        if path == "/sw.js" {
            assert_eq!(cache, "no-cache");
        } else {
            assert_eq!(cache, "no-store", "{path}");
        }
        // Pages: every inline script carries this response's nonce, and only it.
        if h["content-type"].to_str().unwrap().starts_with("text/html") {
            let nonce = script
                .split_whitespace()
                .find_map(|t| t.strip_prefix("'nonce-")?.strip_suffix('\''))
                .unwrap()
                .to_string();
            let html = res.text().await.unwrap();
            let inline: Vec<&str> = html
                .split("<script")
                .skip(1)
                .filter(|tag| !tag.split('>').next().unwrap_or("").contains("src="))
                .collect();
            assert!(
                !inline.is_empty(),
                "{path}: the page has its hydration script"
            );
            for tag in inline {
                let open = tag.split('>').next().unwrap();
                assert!(
                    open.contains(&format!("nonce=\"{nonce}\"")),
                    "{path}: <script{open}>"
                );
            }
        }
    }
    // A fresh nonce per response.
    let a = visitor.get(s.url("/login")).send().await.unwrap();
    let b = visitor.get(s.url("/login")).send().await.unwrap();
    assert_ne!(
        a.headers()["content-security-policy"],
        b.headers()["content-security-policy"]
    );
}

/// A page's opening `<html …>` tag.
fn html_tag(page: &str) -> &str {
    let start = page.find("<html").expect("a page has <html");
    let end = start + page[start..].find('>').expect("<html is closed");
    &page[start..=end]
}

/// A person's own language: a code Hearth doesn't speak is refused naming the field and changes
/// nothing; Spanish makes their pages Spanish (and only theirs); empty goes back to the bakery's.
#[tokio::test]
async fn a_person_picks_their_own_language_and_only_their_pages_follow() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let owner = s.signed_in(OWNER).await;
    let lang_of = |email: &'static str| {
        let pool = s.state.pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<String>>("SELECT language FROM users WHERE email = ?")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let res = s.call(&staff, "/api/set_my_language", "language=xx").await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("language must be one of en, es"), "{body}");
    assert_eq!(lang_of(STAFF).await, None);

    let res = s.call(&staff, "/api/set_my_language", "language=es").await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(lang_of(STAFF).await.as_deref(), Some("es"));
    let me: serde_json::Value = s.call(&staff, "/api/me", "").await.json().await.unwrap();
    assert_eq!(me["words"]["lang"], "es");
    let page = s.page(&staff, "/orders").await;
    // One `lang`, the reader's (a second one, which the page once had, is ignored by browsers).
    assert_eq!(html_tag(&page), r#"<html lang="es">"#);
    assert!(page.contains("Pedidos"));
    // The owner's pages stay in the bakery's language.
    let page = s.page(&owner, "/orders").await;
    assert_eq!(html_tag(&page), r#"<html lang="en">"#);
    assert!(!page.contains("Pedidos"));
    let login = s.page(&reqwest::Client::new(), "/login").await;
    assert_eq!(html_tag(&login), r#"<html lang="en">"#);
    // The sign-in page speaks the first language the browser asks for that Hearth speaks.
    let mut asks = reqwest::header::HeaderMap::new();
    asks.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        "fr-FR, es-ES;q=0.8, en;q=0.5".parse().unwrap(),
    );
    let spanish_browser = reqwest::Client::builder()
        .default_headers(asks)
        .build()
        .unwrap();
    let login = s.page(&spanish_browser, "/login").await;
    assert_eq!(html_tag(&login), r#"<html lang="es">"#);
    assert!(login.contains("Entrar en Hearth"), "{login}");

    let res = s.call(&staff, "/api/set_my_language", "language=").await;
    assert_eq!(res.status(), 200);
    assert_eq!(lang_of(STAFF).await, None);
}
