//! Moving orders on the board over HTTP: rules, optimistic versions, history, tracker, and
//! the live event stream every open board listens to.
mod common;

use common::*;
use hearth::error::AppError;

async fn an_order(s: &TestServer, status: &str, fulfilment: &str) -> (i64, i64, String) {
    sqlx::query_as::<_, (i64, i64, String)>(
        "SELECT id, version, tracking_token FROM orders WHERE status = ? AND fulfilment = ? AND lat IS NOT NULL ORDER BY id LIMIT 1",
    )
    .bind(status)
    .bind(fulfilment)
    .fetch_one(&s.state.pool)
    .await
    .unwrap()
}

/// The board as the page asks for it (`list_board` with a form body), as JSON.
async fn board_json(s: &TestServer, c: &reqwest::Client, body: &str) -> serde_json::Value {
    s.call(c, "/api/list_board", body)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn staff_move_an_order_and_the_history_and_tracker_show_it() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (id, version, token) = an_order(&s, "received", "delivery").await;
    let res = s
        .call(
            &staff,
            "/api/move_order",
            &format!("order_id={id}&to=confirmed&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let change: serde_json::Value = res.json().await.unwrap();
    assert_eq!(change["status"], "confirmed");
    assert_eq!(change["from"], "received");
    assert_eq!(change["version"], version + 1);
    let by: String = sqlx::query_scalar(
        "SELECT u.name FROM order_events e JOIN users u ON u.id = e.actor_user_id WHERE e.order_id = ? AND e.to_status = 'confirmed'",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(by, "Pablo Ortega");
    let t: serde_json::Value = client()
        .get(s.url(&format!("/api/v1/orders/{token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(t["status"], "confirmed");
    assert!(
        t["stages"][1]["at"].is_string(),
        "confirmed has a time: {t}"
    );
    // The public tracker page renders server-side (readable without JavaScript).
    let html = client()
        .get(s.url(&format!("/t/{token}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("your order is confirmed"), "{html}");
    // Without the app: no wasm, and no copy of the page's data written in for one (a
    // resolved resource holding a value: `{\"Ok\":{…`).
    for app in [".wasm", "modulepreload", r#"\"Ok\":{"#] {
        assert!(!html.contains(app), "{app} in {html}");
    }
    let res = client()
        .get(s.url("/t/00000000000000000000000000000000"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_stale_version_is_refused_naming_who_changed_it() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let owner = s.signed_in(OWNER).await;
    let (id, version, _) = an_order(&s, "received", "delivery").await;
    let res = s
        .call(
            &owner,
            "/api/move_order",
            &format!("order_id={id}&to=baking&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Staff still see the old version: their move is refused and nothing is lost.
    let res = s
        .call(
            &staff,
            "/api/move_order",
            &format!("order_id={id}&to=confirmed&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 409);
    let err: AppError = res.json().await.unwrap();
    assert!(
        err.to_string().contains("changed by Lucía Navarro"),
        "{err}"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(status, "baking");
}

#[tokio::test]
async fn moves_that_break_the_rules_are_refused_with_the_reason() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (id, version): (i64, i64) = sqlx::query_as("SELECT id, version FROM orders WHERE fulfilment = 'pickup' AND status = 'received' LIMIT 1")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let res = s
        .call(
            &staff,
            "/api/move_order",
            &format!("order_id={id}&to=out_for_delivery&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let err: AppError = res.json().await.unwrap();
    assert!(err.to_string().contains("pickup order"), "{err}");
    let res = s
        .call(
            &staff,
            "/api/move_order",
            &format!("order_id={id}&to=lost&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let v: i64 = sqlx::query_scalar("SELECT version FROM orders WHERE id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(v, version, "refused moves change nothing");
}

#[tokio::test]
async fn open_boards_hear_about_every_change_within_a_second() {
    use futures::StreamExt;
    let s = spawn().await;
    assert_eq!(
        client()
            .get(s.url("/events/orders"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let driver = s.signed_in(DRIVER).await;
    assert_eq!(
        driver
            .get(s.url("/events/orders"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    let watcher = s.signed_in(STAFF).await;
    let res = watcher.get(s.url("/events/orders")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let mut stream = res.bytes_stream();
    let owner = s.signed_in(OWNER).await;
    let (id, version, _) = an_order(&s, "received", "delivery").await;
    let started = std::time::Instant::now();
    let res = s
        .call(
            &owner,
            "/api/move_order",
            &format!("order_id={id}&to=confirmed&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut seen = String::new();
    while !seen.contains("\"status\":\"confirmed\"") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(1), stream.next())
            .await
            .expect("an event within a second")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: order"), "{seen}");
    assert!(seen.contains(&format!("\"order_id\":{id}")));
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

#[tokio::test]
async fn cancelling_needs_a_reason_gives_capacity_back_and_is_in_the_history() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (id, version, _) = an_order(&s, "received", "delivery").await;
    // Cash on delivery, not paid yet, whatever the demo gave it: it is marked paid below.
    sqlx::query("UPDATE orders SET payment_method = 'cod', paid = 0 WHERE id = ?")
        .bind(id)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let (district, day): (i64, String) =
        sqlx::query_as("SELECT district_id, fulfil_on FROM orders WHERE id = ?")
            .bind(id)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let booked = |pool: sqlx::SqlitePool, district: i64, day: String| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM orders WHERE district_id = ? AND fulfil_on = ? AND status <> 'cancelled'",
        )
        .bind(district)
        .bind(day)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = booked(s.state.pool.clone(), district, day.clone()).await;
    let res = s
        .call(
            &staff,
            "/api/cancel_order",
            &format!("order_id={id}&version={version}&reason=%20"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = s
        .call(
            &staff,
            "/api/cancel_order",
            &format!("order_id={id}&version={version}&reason=Customer%20called"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        booked(s.state.pool.clone(), district, day).await,
        before - 1,
        "the stop is free again"
    );
    let res = s
        .call(
            &staff,
            "/api/mark_paid",
            &format!("order_id={id}&version={version}"),
        )
        .await;
    assert_eq!(res.status(), 409, "stale version");
    let detail: serde_json::Value = order_of(&s, &staff, id).await;
    assert_eq!(detail["status"], "cancelled");
    let history = detail["history"].to_string();
    assert!(
        history.contains("Pablo Ortega") && history.contains("Cancelled: Customer called"),
        "{history}"
    );
    // A member of staff who reads Spanish reads the history in Spanish: the event, the
    // storefront as the one who placed it; what was typed stays as typed.
    s.reads(STAFF, Some("es")).await;
    let spanish: serde_json::Value = order_of(&s, &staff, id).await;
    let words = spanish["history"].to_string();
    assert!(words.contains("Cancelado: Customer called"), "{words}");
    assert!(!words.contains("Cancelled:"), "{words}");
    s.reads(STAFF, None).await;
    let v = detail["version"].as_i64().unwrap();
    let res = s
        .call(
            &staff,
            "/api/mark_paid",
            &format!("order_id={id}&version={v}"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = s
        .call(
            &staff,
            "/api/mark_paid",
            &format!("order_id={id}&version={}", v + 1),
        )
        .await;
    assert_eq!(res.status(), 422, "already paid");
}

#[tokio::test]
async fn the_board_filters_by_district_fulfilment_payment_and_search() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let day = s.state.config.today().to_string();
    let board = |body: String| {
        let s = &s;
        let staff = staff.clone();
        async move {
            let v = board_json(s, &staff, &body).await;
            v["columns"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|c| c["cards"].as_array().unwrap().clone())
                .collect::<Vec<_>>()
        }
    };
    let all = board(format!("day={day}")).await;
    let expected: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE fulfil_on = ? AND status <> 'cancelled'",
    )
    .bind(&day)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(all.len() as i64, expected);
    let pickups = board(format!("day={day}&fulfilment=pickup")).await;
    assert!(pickups.iter().all(|c| c["fulfilment"] == "pickup"));
    let cod = board(format!("day={day}&payment=cod")).await;
    assert!(!cod.is_empty() && cod.iter().all(|c| c["payment_method"] == "cod"));
    let first = &all[0];
    let district = all
        .iter()
        .find_map(|c| c["district"].as_str())
        .expect("today has a delivery with a district")
        .to_string();
    let in_district = board(format!("day={day}&district={district}")).await;
    let expected_in_district = all
        .iter()
        .filter(|c| c["district"] == district.as_str())
        .count();
    assert!(!in_district.is_empty());
    assert_eq!(in_district.len(), expected_in_district);
    assert!(in_district
        .iter()
        .all(|c| c["district"] == district.as_str()));
    let number = first["number"].as_i64().unwrap();
    let by_number = board(format!("day={day}&q=%23{number}")).await;
    assert_eq!(by_number.len(), 1);
    assert_eq!(by_number[0]["number"], number);
    let phone: String = sqlx::query_scalar(
        "SELECT c.phone FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = ?",
    )
    .bind(number)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let by_phone = board(format!("day={day}&q={}", &phone[phone.len() - 6..])).await;
    assert!(by_phone.iter().any(|c| c["number"] == number));
    assert!(board(format!("day={day}&q=zzzz-nobody")).await.is_empty());
}

#[tokio::test]
async fn staff_take_phone_orders_for_known_and_new_customers() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    // A known customer: found by phone in any notation, and their pin is reused.
    let (phone, address, district): (String, String, i64) =
        sqlx::query_as("SELECT phone, address, district_id FROM customers WHERE district_id = (SELECT id FROM districts WHERE name = 'Centro') LIMIT 1")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let local = phone.trim_start_matches("+34");
    let found: serde_json::Value = s
        .call(&staff, "/api/find_customer", &format!("phone={local}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["phone"], phone.as_str());
    use chrono::Datelike;
    let mut day = s.state.config.today() + chrono::Duration::days(1);
    while day.weekday() == chrono::Weekday::Sun {
        day += chrono::Duration::days(1);
    }
    let body = format!(
        "fields[phone]={local}&fields[name]=Known&fields[fulfilment]=delivery&fields[date]={day}&fields[window]=09:00-11:00&fields[address]={}&fields[payment]=cod&fields[items][0][sku]=BRD-SOUR&fields[items][0][quantity]=3&fields[items][1][sku]=&fields[items][1][quantity]=1",
        address.replace(' ', "%20").replace(',', "%2C")
    );
    let res = s
        .call(
            &staff,
            "/api/create_phone_order",
            &format!("{body}&key=form-key-0001"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let number: i64 = res.json().await.unwrap();
    let (source, got_district, lat): (String, Option<i64>, Option<f64>) =
        sqlx::query_as("SELECT source, district_id, lat FROM orders WHERE number = ?")
            .bind(number)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!((source.as_str(), got_district), ("phone", Some(district)));
    assert!(lat.is_some(), "the known pin is reused");
    // The same form sent again (a double click, a retry): the same order, not a second one.
    let orders = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM orders")
            .fetch_one(&s.state.pool)
            .await
            .unwrap()
    };
    let count = orders().await;
    let again = s
        .call(
            &staff,
            "/api/create_phone_order",
            &format!("{body}&key=form-key-0001"),
        )
        .await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<i64>().await.unwrap(), number);
    assert_eq!(orders().await, count);
    // The history names the staff member who took it.
    let who: Option<String> = sqlx::query_scalar(
        "SELECT u.name FROM order_events e JOIN orders o ON o.id = e.order_id LEFT JOIN users u ON u.id = e.actor_user_id
         WHERE o.number = ? AND e.kind = 'created'",
    )
    .bind(number)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(who.as_deref(), Some("Pablo Ortega"));
    // The same caller doesn't mind the day: any day up to four days later.
    let until = day + chrono::Duration::days(4);
    let res = s
        .call(
            &staff,
            "/api/create_phone_order",
            &format!("{body}&fields[flex_to]={until}&key=form-key-0002"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let flexible: i64 = res.json().await.unwrap();
    let range: (Option<String>, Option<String>) =
        sqlx::query_as("SELECT flex_from, flex_to FROM orders WHERE number = ?")
            .bind(flexible)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(range, (Some(day.to_string()), Some(until.to_string())));
    let res = s
        .call(
            &staff,
            "/api/create_phone_order",
            &format!("{body}&fields[flex_to]=2001-01-01&key=form-key-0003"),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("flex_to"));
    // A new customer with a new address: refused until the door is pinned, naming the pin.
    let count = orders().await;
    let body = format!("fields[phone]=699111222&fields[name]=Nueva%20Clienta&fields[fulfilment]=delivery&fields[date]={day}&fields[address]=Calle%20Nueva%201&fields[payment]=cod&fields[items][0][sku]=CAK-BASQ&fields[items][0][quantity]=1");
    let res = s
        .call(
            &staff,
            "/api/create_phone_order",
            &format!("{body}&key=form-key-0004"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let err: AppError = res.json().await.unwrap();
    assert_eq!(err.field(), Some("pin"), "{err}");
    assert_eq!(orders().await, count, "a refusal writes nothing");
    // The quote says the same before submitting, and prices the pinned order with its fee.
    let quote: serde_json::Value = s
        .call(&staff, "/api/quote_phone_order", &body)
        .await
        .json()
        .await
        .unwrap();
    assert!(quote["problems"].to_string().contains("pin"), "{quote}");
    let (lat, lng): (f64, f64) = sqlx::query_as("SELECT lat, lng FROM customers WHERE phone = ?")
        .bind(&phone)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let pinned = format!("{body}&fields[lat]={lat}&fields[lng]={lng}");
    let quote: serde_json::Value = s
        .call(&staff, "/api/quote_phone_order", &pinned)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(quote["problems"], serde_json::json!([]), "{quote}");
    let fee = quote["fee_cents"].as_i64().unwrap();
    assert!(fee > 0, "{quote}");
    assert_eq!(
        quote["total_cents"].as_i64().unwrap(),
        quote["subtotal_cents"].as_i64().unwrap() + fee
    );
    let number: i64 = s
        .call(
            &staff,
            "/api/create_phone_order",
            &format!("{pinned}&key=form-key-0005"),
        )
        .await
        .json()
        .await
        .unwrap();
    let (got, total): (Option<i64>, i64) =
        sqlx::query_as("SELECT district_id, total_cents FROM orders WHERE number = ?")
            .bind(number)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(
        (got, total),
        (Some(district), quote["total_cents"].as_i64().unwrap())
    );
    // Refusals explain themselves, naming the field.
    let res = s
        .call(
            &staff,
            "/api/create_phone_order",
            "fields[phone]=x&fields[name]=&fields[fulfilment]=pickup&fields[date]=2001-01-01&fields[payment]=prepaid&key=form-key-0006",
        )
        .await;
    assert_eq!(res.status(), 422);
    let err: AppError = res.json().await.unwrap();
    assert!(
        err.field() == Some("name")
            && err.to_string().contains("phone")
            && err.to_string().contains("in the past"),
        "{err}"
    );
}

#[tokio::test]
async fn staff_edit_the_window_and_notes_and_the_history_says_so() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (id, version, _) = an_order(&s, "received", "delivery").await;
    // The demo order may already have the window this test sets (it depends on the day).
    sqlx::query("UPDATE orders SET window_from = '09:00', window_to = '11:00' WHERE id = ?")
        .bind(id)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let res = s
        .call(
            &staff,
            "/api/edit_order",
            &format!("order_id={id}&version={version}&window=11-9"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = s
        .call(
            &staff,
            "/api/edit_order",
            &format!(
                "order_id={id}&version={version}&window=16:00-18:00&notes=Leave%20at%20the%20bar"
            ),
        )
        .await;
    assert_eq!(res.status(), 200);
    let d: serde_json::Value = order_of(&s, &staff, id).await;
    assert_eq!(d["window"], "16:00–18:00");
    assert_eq!(d["notes"], "Leave at the bar");
    assert!(
        d["history"].to_string().contains("Edited: window"),
        "{}",
        d["history"]
    );
    let res = s
        .call(
            &staff,
            "/api/edit_order",
            &format!("order_id={id}&version={version}&window=09:00-11:00"),
        )
        .await;
    assert_eq!(res.status(), 409, "stale version");
    // The same line read by a member of staff who reads Spanish: the order core's words on the
    // edit are worded for them (a change of those words in the core would show here in English).
    s.reads(STAFF, Some("es")).await;
    let d: serde_json::Value = order_of(&s, &staff, id).await;
    let history = d["history"].to_string();
    assert!(
        history.contains("Editado: franja 09:00–11:00 → 16:00–18:00; notas cambiadas"),
        "{history}"
    );
    s.reads(STAFF, None).await;
}

#[tokio::test]
async fn a_tracker_hears_about_its_own_order_only() {
    use futures::StreamExt;
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let (id, version, token) = an_order(&s, "received", "delivery").await;
    assert_eq!(
        client()
            .get(s.url("/events/track/00000000000000000000000000000000"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let mut stream = client()
        .get(s.url(&format!("/events/track/{token}")))
        .send()
        .await
        .unwrap()
        .bytes_stream();
    // Another order's change is not sent to this tracker...
    let other: (i64, i64) = sqlx::query_as(
        "SELECT id, version FROM orders WHERE status = 'received' AND id <> ? LIMIT 1",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    s.call(
        &owner,
        "/api/move_order",
        &format!("order_id={}&to=confirmed&version={}", other.0, other.1),
    )
    .await;
    let quiet = tokio::time::timeout(std::time::Duration::from_millis(300), stream.next()).await;
    assert!(quiet.is_err(), "nothing arrives for other orders");
    // ...its own is, within a second.
    s.call(
        &owner,
        "/api/move_order",
        &format!("order_id={id}&to=confirmed&version={version}"),
    )
    .await;
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(1), stream.next())
        .await
        .expect("pushed")
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&chunk);
    assert!(text.contains("event: changed"), "{text}");
    assert!(
        !text.contains("phone") && !text.contains("name"),
        "the signal carries no data: {text}"
    );
}

#[tokio::test]
async fn long_columns_show_a_page_of_cards_and_a_link_to_the_rest() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let day = (s.state.config.today() + chrono::Duration::days(2)).to_string();
    // Every open order of the demo lands in one column of one day.
    sqlx::query("UPDATE orders SET fulfil_on = ?, status = 'received' WHERE status <> 'cancelled'")
        .bind(&day)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let open = s
        .count("SELECT COUNT(*) FROM orders WHERE status = 'received'")
        .await as usize;
    let page = hearth::orders::model::BOARD_PAGE;
    assert!(
        open > page + 1,
        "the demo has {open} orders; the test needs more than {page}"
    );
    let received = |body: String| {
        let s = &s;
        let staff = staff.clone();
        async move {
            let v = board_json(s, &staff, &body).await;
            let col = v["columns"][0].clone();
            assert_eq!(col["status"], "received");
            (
                col["cards"].as_array().unwrap().len(),
                col["total"].as_u64().unwrap() as usize,
            )
        }
    };
    assert_eq!(received(format!("day={day}")).await, (page, open));
    assert_eq!(
        received(format!("day={day}&show={}", page + 1)).await,
        (page + 1, open)
    );
    assert_eq!(
        received(format!("day={day}&show=10000")).await,
        (open, open)
    );
    for bad in ["0", "lots", "10001"] {
        let res = s
            .call(&staff, "/api/list_board", &format!("day={day}&show={bad}"))
            .await;
        assert_eq!(res.status(), 422, "show={bad}");
        let e: serde_json::Value = res.json().await.unwrap();
        assert_eq!(e["Validation"]["field"], "show");
    }
    // The page itself (server-rendered) offers the next page, keeping the filters.
    let html = s
        .page(&staff, &format!("/orders?day={day}&fulfilment=delivery"))
        .await;
    let deliveries = s
        .count("SELECT COUNT(*) FROM orders WHERE status = 'received' AND fulfilment = 'delivery'")
        .await as usize;
    assert!(deliveries > page, "{deliveries} deliveries");
    assert_eq!(html.matches("class=\"order-card\"").count(), page);
    let hidden = deliveries - page;
    assert!(
        html.contains(&format!("{} not shown", hidden)),
        "no 'not shown' line for {hidden} hidden cards"
    );
    let link = html
        .split("<a ")
        .find(|a| a.contains("column-more"))
        .map(|a| a.split('>').next().unwrap().to_string())
        .expect("a 'show more' link");
    assert!(
        link.contains(&format!(
            "href=\"/orders?day={day}&amp;fulfilment=delivery&amp;show={}\"",
            2 * page
        )),
        "{link}"
    );
}

/// Order `id` as the drawer reads it (`/api/get_order`), for the person signed in on `c`.
async fn order_of(s: &TestServer, c: &reqwest::Client, id: i64) -> serde_json::Value {
    s.call(c, "/api/get_order", &format!("order_id={id}"))
        .await
        .json()
        .await
        .unwrap()
}
