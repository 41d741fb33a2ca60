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
        "demo: as booked {fixed} km, suggested {suggested} km, {} moves",
        plan["moves"].as_array().unwrap().len()
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
        let (from, to): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT flex_from, flex_to FROM orders WHERE id = ?")
                .bind(m["order_id"].as_i64().unwrap())
                .fetch_one(&s.state.pool)
                .await
                .unwrap();
        let day = m["to_day"].as_str().unwrap();
        assert!(
            from.as_deref().unwrap() <= day && day <= to.as_deref().unwrap(),
            "{m} within {from:?}..{to:?}"
        );
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
