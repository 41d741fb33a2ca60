//! Two-factor sign-in on a real server: setting it up with a code from the secret, signing in
//! with the code (each code once), a recovery code (once), a remembered device (30 days,
//! this browser only); wrong codes are throttled like wrong passwords; the owner of a
//! production Hearth must set it up before anything else and can't turn it off; the owner
//! resets a team member's two-factor and password.
mod common;

use common::*;
use hearth::auth::two_factor::{now_step, totp};
use serde_json::Value;

/// The code an authenticator app shows `steps` 30-second steps from now.
fn code(secret: &str, email: &str, steps: i64) -> String {
    totp(secret, email)
        .unwrap()
        .generate(((now_step() as i64 + steps) * 30) as u64)
}

async fn login(
    s: &TestServer,
    c: &reqwest::Client,
    email: &str,
    code: &str,
    remember: bool,
) -> (u16, Value) {
    let mut body = format!("email={email}&password={PASSWORD}&code={code}");
    if remember {
        body.push_str("&remember=on");
    }
    let res = s.call(c, "/api/login", &body).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Turns two-factor on for the signed-in `c`; returns the secret and the recovery codes.
async fn enrol(s: &TestServer, c: &reqwest::Client, email: &str) -> (String, Vec<String>) {
    let res = s.call(c, "/api/start_two_factor", "").await;
    assert_eq!(res.status(), 200);
    let e: Value = res.json().await.unwrap();
    assert!(e["qr_data_url"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    let secret = e["secret"].as_str().unwrap().replace(' ', "");
    // A code that isn't the app's is named, and nothing is turned on.
    let res = s.call(c, "/api/confirm_two_factor", "code=000000").await;
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["Validation"]["field"], "code");
    let res = s
        .call(
            c,
            "/api/confirm_two_factor",
            &format!("code={}", code(&secret, email, 0)),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let codes: Vec<String> = res.json().await.unwrap();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

fn field(v: &Value) -> &str {
    v["Validation"]["field"].as_str().unwrap_or("")
}

#[tokio::test]
async fn staff_turn_it_on_and_sign_in_with_a_code_a_recovery_code_or_a_remembered_device() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (secret, recovery) = enrol(&s, &staff, STAFF).await;
    let status: Value = s
        .call(&staff, "/api/two_factor_status", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            status["enabled"].as_bool(),
            status["recovery_left"].as_i64()
        ),
        (Some(true), Some(10))
    );

    // The password alone no longer signs in: the page is asked for the code.
    let c = client();
    let (st, v) = login(&s, &c, STAFF, "", false).await;
    assert_eq!((st, field(&v)), (422, "code"));
    assert!(s.me(&c).await.is_none());
    // A wrong code: refused, not signed in.
    let (st, v) = login(&s, &c, STAFF, "123456", false).await;
    assert_eq!((st, field(&v)), (422, "code"));
    assert!(s.me(&c).await.is_none());
    // The app's next code: in. The same code again: refused (a code works once).
    let next = code(&secret, STAFF, 1);
    let (st, _) = login(&s, &c, STAFF, &next, false).await;
    assert_eq!(st, 200);
    assert_eq!(s.me(&c).await.as_deref(), Some(STAFF));
    let again = client();
    let (st, v) = login(&s, &again, STAFF, &next, false).await;
    assert_eq!((st, field(&v)), (422, "code"), "a used code is refused");

    // A recovery code, typed in capitals with a space: in, once.
    let typed = recovery[3].to_uppercase().replace('-', " ");
    let r = client();
    assert_eq!(login(&s, &r, STAFF, &typed, false).await.0, 200);
    let r2 = client();
    assert_eq!(login(&s, &r2, STAFF, &typed, false).await.0, 422);
    let status: Value = s
        .call(&r, "/api/two_factor_status", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["recovery_left"], 9);

    // "Remember this device": the same browser signs in with the password alone next time;
    // another browser still needs the code.
    let phone = client();
    let res = s
        .call(
            &phone,
            "/api/login",
            &format!(
                "email={STAFF}&password={PASSWORD}&code={}&remember=on",
                recovery[0]
            ),
        )
        .await;
    assert_eq!(res.status(), 200);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("hearth_device="))
        .expect("the device cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Max-Age=2592000"),
        "{cookie}"
    );
    assert_eq!(s.call(&phone, "/api/logout", "").await.status(), 200);
    assert_eq!(login(&s, &phone, STAFF, "", false).await.0, 200);
    assert_eq!(s.me(&phone).await.as_deref(), Some(STAFF));
    let other = client();
    assert_eq!(login(&s, &other, STAFF, "", false).await.0, 422);

    // Turning it off takes a current code; then the password alone signs in everywhere.
    assert_eq!(
        s.call(&staff, "/api/disable_two_factor", "code=000000")
            .await
            .status(),
        422
    );
    let res = s
        .call(
            &staff,
            "/api/disable_two_factor",
            &format!("code={}", recovery[5]),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(login(&s, &client(), STAFF, "", false).await.0, 200);
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (secret, _) = enrol(&s, &staff, STAFF).await;
    let c = client();
    // Asking for the code is neither a failure nor a success: it can't clear the failures of
    // the code guesses around it.
    let attempts = || s.count("SELECT COUNT(*) FROM login_attempts");
    let before = attempts().await;
    assert_eq!(field(&login(&s, &c, STAFF, "", false).await.1), "code");
    assert_eq!(attempts().await, before);
    let mut statuses = Vec::new();
    for guess in ["111111", "222222", "333333", "444444", "555555"] {
        statuses.push(login(&s, &c, STAFF, guess, false).await.0);
    }
    assert_eq!(statuses[..3], [422, 422, 422]);
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    // Even the right code waits out the backoff.
    assert_eq!(
        login(&s, &c, STAFF, &code(&secret, STAFF, 1), false)
            .await
            .0,
        429
    );
}

#[tokio::test]
async fn the_owner_of_a_public_hearth_sets_it_up_first_and_keeps_it() {
    let s = spawn_with(|c| {
        c.production = true;
        c.secure_cookies = false;
    })
    .await;
    let owner = s.signed_in(OWNER).await;
    let me: Value = s.call(&owner, "/api/me", "").await.json().await.unwrap();
    assert_eq!(me["must_enrol"], true);
    let res = s.call(&owner, "/api/list_board", "").await;
    assert_eq!(res.status(), 409);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Set up two-factor sign-in first"));
    // An owner who reads Spanish is told in Spanish.
    s.reads(OWNER, Some("es")).await;
    let res = s.call(&owner, "/api/list_board", "").await;
    assert_eq!(res.status(), 409);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("Activa primero el inicio de sesión en dos pasos"),
        "{text}"
    );
    s.reads(OWNER, None).await;
    let status: Value = s
        .call(&owner, "/api/two_factor_status", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["required"], true);
    // Staff are not held up.
    let staff = s.signed_in(STAFF).await;
    assert_eq!(s.call(&staff, "/api/list_board", "").await.status(), 200);

    let (_, recovery) = enrol(&s, &owner, OWNER).await;
    assert_eq!(s.call(&owner, "/api/list_board", "").await.status(), 200);
    let me: Value = s.call(&owner, "/api/me", "").await.json().await.unwrap();
    assert_eq!(me["must_enrol"], false);
    let res = s
        .call(
            &owner,
            "/api/disable_two_factor",
            &format!("code={}", recovery[0]),
        )
        .await;
    assert_eq!(res.status(), 409, "the owner keeps it on in production");
}

#[tokio::test]
async fn the_owner_resets_a_team_members_two_factor_and_password() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    enrol(&s, &staff, STAFF).await;
    let owner = s.signed_in(OWNER).await;
    let team: Value = s
        .call(&owner, "/api/list_users", "")
        .await
        .json()
        .await
        .unwrap();
    let row = team
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == STAFF)
        .unwrap()
        .clone();
    assert_eq!(row["two_factor"], true);
    let id = row["id"].as_i64().unwrap();
    assert_eq!(
        s.call(
            &owner,
            "/api/reset_user_two_factor",
            &format!("user_id={id}")
        )
        .await
        .status(),
        200
    );
    assert_eq!(login(&s, &client(), STAFF, "", false).await.0, 200);

    // A new password: the old one stops working, their sessions end, the new one works.
    let res = s
        .call(
            &owner,
            "/api/reset_user_password",
            &format!("user_id={id}&password=short"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = s
        .call(
            &owner,
            "/api/reset_user_password",
            &format!("user_id={id}&password=a-new-long-one"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(s.me(&staff).await.is_none(), "their sessions ended");
    assert_eq!(login(&s, &client(), STAFF, "", false).await.0, 422);
    let res = s
        .call(
            &client(),
            "/api/login",
            &format!("email={STAFF}&password=a-new-long-one"),
        )
        .await;
    assert_eq!(res.status(), 200);
    // An owner's password is not reset from the browser.
    let me: Value = s.call(&owner, "/api/me", "").await.json().await.unwrap();
    let res = s
        .call(
            &owner,
            "/api/reset_user_password",
            &format!("user_id={}&password=0123456789ab", me["id"]),
        )
        .await;
    assert_eq!(res.status(), 409);
}
