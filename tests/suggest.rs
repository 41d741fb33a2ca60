//! "Suggest a plan" on the demo bakery: only flexible orders move, only to days they accept
//! and their district is served; accepting moves them (all or nothing) and keeps the capacity
//! counters right.
mod common;

use common::*;

#[tokio::test]
async fn suggestions_respect_ranges_and_accepting_moves_orders_all_or_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let res = s.call(&owner, "/api/suggest_plan", "").await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let plan: serde_json::Value = res.json().await.unwrap();
    assert!(
        plan["flexible"].as_u64().unwrap() > 0,
        "the demo has flexible orders"
    );
    let fixed = plan["fixed_km"].as_f64().unwrap();
    let suggested = plan["suggested_km"].as_f64().unwrap();
    eprintln!(
        "demo: {} deliveries, {} flexible or standing; as booked {fixed} km, {} h, suggested {suggested} km, {} h, saved {} cents, {} moves ({} of standing orders' weeks), {} stops left out",
        plan["orders"],
        plan["flexible"],
        plan["fixed_hours"],
        plan["suggested_hours"],
        plan["saved_cents"],
        plan["moves"].as_array().unwrap().len(),
        plan["moves"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| !m["group"].is_null())
            .count(),
        plan["unplaced_after"],
    );
    assert!(
        suggested <= fixed * 1.02,
        "the suggestion is no worse: {suggested} vs {fixed}"
    );
    let moves = plan["moves"].as_array().unwrap();
    assert!(
        !moves.is_empty(),
        "something is worth moving in the demo week"
    );
    for m in moves {
        let (from, to, standing): (Option<String>, Option<String>, Option<i64>) =
            sqlx::query_as("SELECT flex_from, flex_to, standing_order_id FROM orders WHERE id = ?")
                .bind(m["order_id"].as_i64().unwrap())
                .fetch_one(&s.state.pool)
                .await
                .unwrap();
        let day = m["to_day"].as_str().unwrap();
        if m["group"].is_null() {
            // A flexible order moves within the days its customer accepts.
            assert!(
                from.as_deref().unwrap() <= day && day <= to.as_deref().unwrap(),
                "{m} within {from:?}..{to:?}"
            );
        } else {
            // A standing order's week moves as a whole: its visits have no range of their own.
            assert!(standing.is_some(), "{m} is a visit of a standing order");
        }
    }

    // Mixing in an order that accepts no other day refuses the whole batch.
    let fixed_order: i64 = sqlx::query_scalar(
        "SELECT id FROM orders WHERE flex_from IS NULL AND fulfilment = 'delivery' AND status = 'received' LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let first = &moves[0];
    let body = format!(
        "order_ids[0]={}&days[0]={}&order_ids[1]={fixed_order}&days[1]={}",
        first["order_id"],
        first["to_day"].as_str().unwrap(),
        first["to_day"].as_str().unwrap()
    );
    let res = s.call(&owner, "/api/accept_suggestions", &body).await;
    assert_eq!(res.status(), 409);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("didn't leave other days open"));
    let still: String = sqlx::query_scalar("SELECT fulfil_on FROM orders WHERE id = ?")
        .bind(first["order_id"].as_i64().unwrap())
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(still, first["from_day"].as_str().unwrap(), "nothing moved");

    // Accept all: every order is on its new day, with a history line, and counters follow.
    let ids: Vec<String> = moves
        .iter()
        .enumerate()
        .map(|(i, m)| {
            format!(
                "order_ids[{i}]={}&days[{i}]={}",
                m["order_id"],
                m["to_day"].as_str().unwrap()
            )
        })
        .collect();
    let res = s
        .call(&owner, "/api/accept_suggestions", &ids.join("&"))
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    for m in moves {
        let (day, events): (String, i64) = sqlx::query_as(
            "SELECT fulfil_on, (SELECT COUNT(*) FROM order_events WHERE order_id = o.id AND detail LIKE 'Delivery day % (suggested plan)') FROM orders o WHERE id = ?",
        )
        .bind(m["order_id"].as_i64().unwrap())
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
        assert_eq!(day, m["to_day"].as_str().unwrap());
        assert_eq!(events, 1);
        // The customer is told (the outbox feeds the webhook and the email).
        let told: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM webhook_outbox WHERE order_id = ? AND event = 'order.updated'
               AND payload LIKE '%' || ? || '%'",
        )
        .bind(m["order_id"].as_i64().unwrap())
        .bind(m["to_day"].as_str().unwrap())
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
        assert_eq!(told, 1, "one notification with the new day");
    }
    let drift: i64 = s
        .count(
            "SELECT COUNT(*) FROM (SELECT district_id, fulfil_on, COUNT(*) AS n FROM orders
               WHERE fulfilment = 'delivery' AND status <> 'cancelled' AND district_id IS NOT NULL
               GROUP BY district_id, fulfil_on) o
             LEFT JOIN capacity_used c ON c.kind = 'stops' AND c.ref_id = o.district_id AND c.day = o.fulfil_on
             WHERE c.used IS NOT o.n",
        )
        .await;
    assert_eq!(drift, 0, "capacity counters match the orders");
    // Asked again, the accepted plan has nothing left to gain from those moves.
    let again: serde_json::Value = s
        .call(&owner, "/api/suggest_plan", "")
        .await
        .json()
        .await
        .unwrap();
    assert!(again["suggested_km"].as_f64().unwrap() <= again["fixed_km"].as_f64().unwrap() * 1.02);
}

/// Orders in the kitchen or on a published run are never moved; an accepted move can be undone
/// (back through the same door, the customer told again).
#[tokio::test]
async fn locked_orders_keep_their_day_and_an_accepted_move_can_be_undone() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let plan: serde_json::Value = s
        .call(&owner, "/api/suggest_plan", "")
        .await
        .json()
        .await
        .unwrap();
    let moves = plan["moves"].as_array().unwrap().clone();
    assert!(moves.len() >= 2, "the demo has moves to lock: {plan}");
    // Lock the first two movers: one goes into the oven, one onto a published run.
    let (a, b) = (
        moves[0]["order_id"].as_i64().unwrap(),
        moves[1]["order_id"].as_i64().unwrap(),
    );
    sqlx::query("UPDATE orders SET status = 'baking' WHERE id = ?")
        .bind(a)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let day: String = sqlx::query_scalar("SELECT fulfil_on FROM orders WHERE id = ?")
        .bind(b)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let run: i64 = sqlx::query_scalar(
        "INSERT INTO runs (day, driver_id, status, published_at, shift_start, shift_end, capacity)
         VALUES (?, (SELECT id FROM users WHERE role = 'driver' LIMIT 1), 'published', '2026-01-01T00:00:00Z', '09:00', '17:00', 40)
         RETURNING id",
    )
    .bind(&day)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO run_stops (run_id, order_id, seq, eta) VALUES (?, ?, 1, '2026-01-01T10:00:00Z')")
        .bind(run)
        .bind(b)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let again: serde_json::Value = s
        .call(&owner, "/api/suggest_plan", "")
        .await
        .json()
        .await
        .unwrap();
    let moved: Vec<i64> = again["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["order_id"].as_i64().unwrap())
        .collect();
    assert!(!moved.contains(&a), "an order in the oven stays: {again}");
    assert!(
        !moved.contains(&b),
        "an order on a published run stays: {again}"
    );
    for m in again["moves"].as_array().unwrap() {
        assert!(
            !m["why"].as_str().unwrap().is_empty(),
            "each move says why: {m}"
        );
    }
    // Accept one move (in part), then undo it.
    let m = again["moves"]
        .as_array()
        .unwrap()
        .first()
        .cloned()
        .expect("moves are left to accept once two are locked");
    let (id, from, to) = (
        m["order_id"].as_i64().unwrap(),
        m["from_day"].as_str().unwrap().to_string(),
        m["to_day"].as_str().unwrap().to_string(),
    );
    let res = s
        .call(
            &owner,
            "/api/accept_suggestions",
            &format!("order_ids[0]={id}&days[0]={to}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let others_moved: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_events WHERE detail LIKE '%(suggested plan)' AND order_id <> ?",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(others_moved, 0, "accepting one move moves only that order");
    let res = s
        .call(
            &owner,
            "/api/accept_suggestions",
            &format!("order_ids[0]={id}&days[0]={from}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let (day, told): (String, i64) = sqlx::query_as(
        "SELECT fulfil_on, (SELECT COUNT(*) FROM webhook_outbox WHERE order_id = o.id AND event = 'order.updated') FROM orders o WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(day, from, "undone: back on its booked day");
    assert_eq!(told, 2, "told of the move and of the move back");
}

async fn progress(s: &TestServer, c: &reqwest::Client) -> serde_json::Value {
    let res = s.call(c, "/api/plan_progress", "").await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// The page's way: start in the background, poll the progress, stop early and still get the
/// best plan so far.
#[tokio::test]
async fn planning_runs_in_the_background_and_can_be_stopped() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    assert!(progress(&s, &owner).await.is_null(), "nothing started yet");
    assert_eq!(s.call(&owner, "/api/start_plan", "").await.status(), 200);
    let mut seen_running = false;
    let done = loop {
        let p = progress(&s, &owner).await;
        if p["running"] == true {
            seen_running = true;
            assert!(p["percent"].as_u64().unwrap() < 100);
        } else {
            break p;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(seen_running, "the search was seen running");
    assert_eq!(done["percent"], 100);
    let full = &done["result"];
    assert!(full["suggested_km"].as_f64().unwrap() <= full["fixed_km"].as_f64().unwrap());
    assert!(!full["per_day"].as_array().unwrap().is_empty());

    // Stopped at once, it still finishes with a plan, well before its full time (4 s).
    let started = std::time::Instant::now();
    assert_eq!(s.call(&owner, "/api/start_plan", "").await.status(), 200);
    assert_eq!(
        s.call(&owner, "/api/stop_plan", "")
            .await
            .text()
            .await
            .unwrap(),
        "true"
    );
    let stopped = loop {
        let p = progress(&s, &owner).await;
        if p["running"] == false {
            break p;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(
        started.elapsed().as_secs_f64() < 3.5,
        "stopping ends the search: {:?}",
        started.elapsed()
    );
    let plan = &stopped["result"];
    assert!(plan["suggested_km"].as_f64().unwrap() <= plan["fixed_km"].as_f64().unwrap());
}
