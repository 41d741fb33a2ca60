//! Drivers reporting from their run over HTTP: arrived / delivered / failed reach the order,
//! the tracker's "stops before you" and the cash-up; retries apply once; a driver can touch
//! only their own published run; a cancelled order is refused with a reason.
mod common;

use common::*;

async fn update(s: &TestServer, c: &reqwest::Client, body: &str) -> reqwest::Response {
    s.call(c, "/api/driver_update", body).await
}

async fn token(s: &TestServer, order: i64) -> String {
    sqlx::query_scalar("SELECT tracking_token FROM orders WHERE id = ?")
        .bind(order)
        .fetch_one(&s.state.pool)
        .await
        .unwrap()
}

async fn tracker(s: &TestServer, order: i64) -> serde_json::Value {
    let t = token(s, order).await;
    client()
        .get(s.url(&format!("/api/v1/orders/{t}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn stop_updates_reach_the_order_tracker_and_cash_up_exactly_once() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let stops = publish_today_for(&s, &owner, DRIVER).await;
    assert!(
        stops.len() >= 3,
        "the demo has at least three deliveries today"
    );
    let marta = s.signed_in(DRIVER).await;
    let (first, second, third) = (stops[0].0, stops[1].0, stops[2].0);
    // Make the first stop cash on delivery so the cash-up has something to count.
    sqlx::query("UPDATE orders SET payment_method = 'cod', paid = 0 WHERE id = ?")
        .bind(first)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let total: i64 = sqlx::query_scalar("SELECT total_cents FROM orders WHERE id = ?")
        .bind(first)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();

    // At the third door: the customer sees they are next-but-two.
    let res = update(
        &s,
        &marta,
        &format!("key=k-arrive-0003&order_id={third}&action=arrived"),
    )
    .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let t = tracker(&s, third).await;
    assert_eq!(t["status"], "out_for_delivery");
    assert_eq!(t["stops_before"], 2);

    // Deliver the first with less cash than due; the retry (same key) changes nothing.
    let body = format!(
        "key=k-deliver-0001&order_id={first}&action=delivered&recipient=Ana&cash_cents={}",
        total - 100
    );
    let a: serde_json::Value = update(&s, &marta, &body).await.json().await.unwrap();
    assert_eq!(a["applied"], true);
    let b: serde_json::Value = update(&s, &marta, &body).await.json().await.unwrap();
    assert_eq!(b["applied"], false);
    // Another driver replaying Marta's key learns nothing: the answer for a stop not theirs.
    let javier = s.signed_in(DRIVER2).await;
    let replay = update(&s, &javier, &body).await;
    assert_eq!(replay.status(), 404);
    assert!(!replay.text().await.unwrap().contains("applied"));
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_events WHERE order_id = ? AND to_status = 'delivered'",
    )
    .bind(first)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(events, 1, "applied once");
    let (status, paid): (String, bool) =
        sqlx::query_as("SELECT status, paid FROM orders WHERE id = ?")
            .bind(first)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), paid),
        ("delivered", false),
        "short cash leaves it unpaid"
    );

    // Fail the second, with a reason from the list.
    let res = update(
        &s,
        &marta,
        &format!(
            "key=k-fail-00002&order_id={second}&action=failed&reason=Nobody+home&note=Rang+twice"
        ),
    )
    .await;
    assert_eq!(res.status(), 200);
    let t = tracker(&s, third).await;
    assert_eq!(
        t["stops_before"], 0,
        "done and failed stops no longer count"
    );
    let st: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = ?")
        .bind(second)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(st, "ready", "a failed delivery goes back to the kitchen");
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM order_events WHERE order_id = ? AND kind = 'delivery_failed'",
    )
    .bind(second)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(detail, "Nobody home: Rang twice");

    // The owner's cash-up shows the difference; handing over is recorded once.
    let day = s.state.config.today().to_string();
    let p: serde_json::Value = s
        .call(&owner, "/api/get_day_plan", &format!("day={day}"))
        .await
        .json()
        .await
        .unwrap();
    let run = &p["runs"][0];
    let stop = run["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["order_id"] == first)
        .unwrap();
    assert_eq!(stop["cod_cents"], total);
    assert_eq!(stop["cash_collected_cents"], total - 100);
    let run_id = run["id"].as_i64().unwrap();
    assert_eq!(
        s.call(&owner, "/api/mark_cash_handed", &format!("run_id={run_id}"))
            .await
            .status(),
        200
    );
    assert_eq!(
        s.call(&owner, "/api/mark_cash_handed", &format!("run_id={run_id}"))
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn a_driver_reaches_only_their_own_published_run() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let stops = publish_today_for(&s, &owner, DRIVER).await;
    let javier = s.signed_in("driver2@hearth.demo").await;
    let res = update(
        &s,
        &javier,
        &format!("key=k-other-0001&order_id={}&action=arrived", stops[0].0),
    )
    .await;
    assert_eq!(
        res.status(),
        404,
        "another driver's stop looks like no stop at all"
    );
    let day: serde_json::Value = s
        .call(&javier, "/api/get_driver_day", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(day["stops"].as_array().unwrap().len(), 0);
    let run: i64 = sqlx::query_scalar("SELECT run_id FROM run_stops WHERE order_id = ?")
        .bind(stops[0].0)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(
        s.call(&javier, "/api/get_run_sheet", &format!("run_id={run}"))
            .await
            .status(),
        403
    );
    // An order on no run at all is refused too.
    let off: i64 = sqlx::query_scalar(
        "SELECT id FROM orders WHERE id NOT IN (SELECT order_id FROM run_stops) LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let marta = s.signed_in(DRIVER).await;
    assert_eq!(
        update(
            &s,
            &marta,
            &format!("key=k-off-00001&order_id={off}&action=arrived")
        )
        .await
        .status(),
        404
    );
    // Bad input is named.
    let res = update(
        &s,
        &marta,
        &format!("key=k-bad-00001&order_id={}&action=failed", stops[0].0),
    )
    .await;
    assert_eq!(res.status(), 422);
    let e: serde_json::Value = res.json().await.unwrap();
    assert_eq!(e["Validation"]["field"], "reason");
    assert_eq!(
        s.count("SELECT COUNT(*) FROM driver_updates").await,
        0,
        "nothing was recorded"
    );
}

#[tokio::test]
async fn an_order_cancelled_meanwhile_is_refused_with_a_reason() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let stops = publish_today_for(&s, &owner, DRIVER).await;
    let order = stops[0].0;
    let version: i64 = sqlx::query_scalar("SELECT version FROM orders WHERE id = ?")
        .bind(order)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let res = s
        .call(
            &owner,
            "/api/cancel_order",
            &format!("order_id={order}&version={version}&reason=Customer+called"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let marta = s.signed_in(DRIVER).await;
    let res = update(
        &s,
        &marta,
        &format!("key=k-cancel-001&order_id={order}&action=delivered"),
    )
    .await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("cancelled"));
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = ?")
        .bind(order)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
}

/// A driver's stops in order: (run, order, outcome, cash collected).
async fn run_of(s: &TestServer, driver: i64) -> Vec<(i64, i64, Option<String>, Option<i64>)> {
    sqlx::query_as(
        "SELECT s.run_id, s.order_id, s.outcome, s.cash_collected_cents FROM run_stops s
           JOIN runs r ON r.id = s.run_id WHERE r.driver_id = ? ORDER BY s.seq",
    )
    .bind(driver)
    .fetch_all(&s.state.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn re_planning_a_day_keeps_a_run_under_way_with_what_the_driver_reported() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let stops = publish_today_for(&s, &owner, DRIVER).await;
    let first = stops[0].0;
    sqlx::query("UPDATE orders SET payment_method = 'cod', paid = 0 WHERE id = ?")
        .bind(first)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let marta = s.signed_in(DRIVER).await;
    let res = update(
        &s,
        &marta,
        &format!(
            "key=k-keep-00001&order_id={first}&action=delivered&recipient=Ana&cash_cents=1234"
        ),
    )
    .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let day = s.state.config.today().to_string();
    // Marta (who is out) first, then Javier.
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE email IN (?, 'driver2@hearth.demo') ORDER BY email = ? DESC",
    )
    .bind(DRIVER)
    .bind(DRIVER)
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    let run_before = run_of(&s, ids[0]).await;

    // Only Marta, who is out: refused, and nothing changes.
    let res = s
        .call(
            &owner,
            "/api/optimise_runs",
            &format!("day={day}&drivers[0]={}", ids[0]),
        )
        .await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("under way"));

    // Both drivers: Marta's run is kept as it is (outcome and cash included).
    let res = s
        .call(
            &owner,
            "/api/optimise_runs",
            &format!("day={day}&{}", indexed("drivers", &ids)),
        )
        .await;
    assert_eq!(res.status(), 200);
    let o: serde_json::Value = res.json().await.unwrap();
    assert_eq!(o["kept"].as_array().unwrap().len(), 1, "{o}");
    let run_after = run_of(&s, ids[0]).await;
    assert_eq!(run_after, run_before);
    assert_eq!(run_after[0].2.as_deref(), Some("delivered"));
    assert_eq!(run_after[0].3, Some(1234));

    // Reordering keeps the record; dropping or moving the reported stop is refused.
    let run_id = run_after[0].0;
    let mut order: Vec<i64> = run_after.iter().map(|r| r.1).collect();
    order.reverse();
    let res = s
        .call(
            &owner,
            "/api/reorder_run",
            &format!("run_id={run_id}&{}", indexed("order_ids", &order)),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let kept: (Option<String>, Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT outcome, cash_collected_cents, recipient FROM run_stops WHERE order_id = ?",
    )
    .bind(first)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(
        kept,
        (Some("delivered".into()), Some(1234), Some("Ana".into()))
    );
    let without: Vec<i64> = order.iter().copied().filter(|&o| o != first).collect();
    let res = s
        .call(
            &owner,
            "/api/reorder_run",
            &format!("run_id={run_id}&{}", indexed("order_ids", &without)),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("already reported"));
    assert_eq!(
        s.count("SELECT COUNT(*) FROM run_stops WHERE outcome = 'delivered'")
            .await,
        1
    );
}
