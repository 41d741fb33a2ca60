//! Delivery runs over HTTP on the demo bakery: optimise a day, check every run against the
//! windows, capacities and the kitchen; locks survive re-optimising; manual reorders re-time;
//! publishing reaches the driver (only their own stops) and the customer's tracker; bad input
//! changes nothing; the OSRM travel model is used when configured (a local stub server).
mod common;

use std::collections::HashSet;

use common::*;

async fn driver_ids(s: &TestServer) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM users WHERE role = 'driver' ORDER BY id")
        .fetch_all(&s.state.pool)
        .await
        .unwrap()
}

/// The day's plannable deliveries: (id, window_from, window_to, items).
async fn deliveries(s: &TestServer, day: &str) -> Vec<(i64, Option<String>, Option<String>, i64)> {
    sqlx::query_as(
        "SELECT o.id, o.window_from, o.window_to, (SELECT SUM(quantity) FROM order_items WHERE order_id = o.id)
         FROM orders o WHERE o.fulfil_on = ? AND o.fulfilment = 'delivery' AND o.lat IS NOT NULL
           AND o.status NOT IN ('delivered', 'cancelled')",
    )
    .bind(day)
    .fetch_all(&s.state.pool)
    .await
    .unwrap()
}

/// The busiest upcoming delivery day of the demo.
async fn busy_day(s: &TestServer) -> String {
    let today = s.state.config.today().to_string();
    sqlx::query_scalar(
        "SELECT fulfil_on FROM orders WHERE fulfilment = 'delivery' AND lat IS NOT NULL AND fulfil_on >= ?
           AND status NOT IN ('delivered', 'cancelled')
         GROUP BY fulfil_on ORDER BY COUNT(*) DESC, fulfil_on LIMIT 1",
    )
    .bind(today)
    .fetch_one(&s.state.pool)
    .await
    .unwrap()
}

/// What the driver's phone is given: their published run's stops.
async fn driver_day(s: &TestServer, c: &reqwest::Client) -> serde_json::Value {
    let res = s.call(c, "/api/get_driver_day", "").await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn plan(s: &TestServer, c: &reqwest::Client, day: &str) -> serde_json::Value {
    let res = s.call(c, "/api/get_day_plan", &format!("day={day}")).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn optimise(
    s: &TestServer,
    c: &reqwest::Client,
    day: &str,
    drivers: &[i64],
) -> reqwest::Response {
    let list = indexed("drivers", drivers);
    s.call(c, "/api/optimise_runs", &format!("day={day}&{}", list))
        .await
}

fn minutes(hhmm: &str) -> i64 {
    let (h, m) = hhmm.split_once(':').unwrap();
    h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
}

/// Each delivery on exactly one run or listed with a reason; arrivals inside windows, in
/// order; loads within capacity.
fn check_plan(p: &serde_json::Value, expected: &[(i64, Option<String>, Option<String>, i64)]) {
    let mut seen = HashSet::new();
    for run in p["runs"].as_array().unwrap() {
        let stops = run["stops"].as_array().unwrap();
        assert!(!stops.is_empty());
        let mut last = 0;
        let mut load = 0;
        for (i, st) in stops.iter().enumerate() {
            assert_eq!(
                st["seq"].as_i64().unwrap(),
                i as i64 + 1,
                "stops numbered 1..n"
            );
            let id = st["order_id"].as_i64().unwrap();
            assert!(seen.insert(id), "order {id} on two runs");
            let eta = minutes(st["eta"].as_str().unwrap());
            assert!(eta >= last, "arrivals go forward in time");
            last = eta;
            let (_, from, to, items) = expected
                .iter()
                .find(|e| e.0 == id)
                .expect("a delivery of the day");
            if let (Some(f), Some(t)) = (from, to) {
                assert!(
                    eta >= minutes(f) && eta <= minutes(t),
                    "order {id} at {eta} outside {f}–{t}"
                );
            }
            assert_eq!(st["late"], false);
            load += items;
        }
        assert!(load <= run["capacity"].as_i64().unwrap());
        assert_eq!(load, run["load"].as_i64().unwrap());
        assert!(run["distance_km"].as_f64().unwrap() > 0.0);
    }
    for u in p["unplanned"].as_array().unwrap() {
        assert!(!u["reason"].as_str().unwrap().is_empty());
        assert!(seen.insert(u["order_id"].as_i64().unwrap()));
    }
    let all: HashSet<i64> = expected.iter().map(|e| e.0).collect();
    assert!(
        all.is_subset(&seen),
        "every delivery is planned or explained"
    );
}

#[tokio::test]
async fn optimising_a_day_plans_every_delivery_within_its_window() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let day = busy_day(&s).await;
    let expected = deliveries(&s, &day).await;
    assert!(expected.len() >= 5, "the demo has a busy day");
    let res = optimise(&s, &owner, &day, &driver_ids(&s).await).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let outcome: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        outcome["planned"].as_u64().unwrap() as usize,
        expected.len()
    );
    let p = plan(&s, &owner, &day).await;
    check_plan(&p, &expected);
    // Costs are worked out per stop, and the platform's price grows with distance.
    let stop = &p["runs"][0]["stops"][0];
    assert!(stop["own_cost_cents"].as_i64().unwrap() > 0);
    assert!(stop["third_party_cents"].as_i64().unwrap() >= 390);
}

#[tokio::test]
async fn locked_stops_survive_re_optimising_and_reorders_re_time_the_run() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let day = busy_day(&s).await;
    let drivers = driver_ids(&s).await;
    assert_eq!(optimise(&s, &owner, &day, &drivers).await.status(), 200);
    let p = plan(&s, &owner, &day).await;
    let run = &p["runs"][0];
    let driver = run["driver_id"].as_i64().unwrap();
    let ids: Vec<i64> = run["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["order_id"].as_i64().unwrap())
        .collect();
    assert!(ids.len() >= 2);
    // Lock the last stop of this run and re-optimise: it stays on this driver's run.
    let locked = *ids.last().unwrap();
    let res = s
        .call(
            &owner,
            "/api/lock_stop",
            &format!("order_id={locked}&locked=true"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(optimise(&s, &owner, &day, &drivers).await.status(), 200);
    let p = plan(&s, &owner, &day).await;
    let again = p["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["driver_id"] == driver)
        .unwrap();
    let stop = again["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["order_id"] == locked)
        .expect("locked stop kept");
    assert_eq!(stop["locked"], true);

    // Reverse the run by hand: times are recomputed and arrivals after a window are flagged.
    let run_id2 = again["id"].as_i64().unwrap();
    let mut order: Vec<i64> = again["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["order_id"].as_i64().unwrap())
        .collect();
    order.reverse();
    let body = indexed("order_ids", &order);
    let res = s
        .call(
            &owner,
            "/api/reorder_run",
            &format!("run_id={run_id2}&{}", body),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let p = plan(&s, &owner, &day).await;
    let after = p["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == run_id2)
        .unwrap();
    let now: Vec<i64> = after["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["order_id"].as_i64().unwrap())
        .collect();
    assert_eq!(now, order);
    let mut last = 0;
    for st in after["stops"].as_array().unwrap() {
        let eta = minutes(st["eta"].as_str().unwrap());
        assert!(eta >= last);
        last = eta;
        let window = st["window"].as_str().unwrap_or("");
        if let Some((_, to)) = window.split_once('–') {
            assert_eq!(
                st["late"].as_bool().unwrap(),
                eta > minutes(to),
                "late flag of {st}"
            );
        }
    }
}

#[tokio::test]
async fn moving_a_stop_to_another_run_takes_it_off_the_first() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let day = busy_day(&s).await;
    // Vans small enough that the day needs both drivers.
    let items: Vec<i64> = deliveries(&s, &day).await.iter().map(|d| d.3).collect();
    let cap = items.iter().sum::<i64>() / 2 + items.iter().max().unwrap();
    sqlx::query("UPDATE business_settings SET van_capacity = ?")
        .bind(cap)
        .execute(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(
        optimise(&s, &owner, &day, &driver_ids(&s).await)
            .await
            .status(),
        200
    );
    let p = plan(&s, &owner, &day).await;
    let runs = p["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "two vans needed");
    let (a, b) = (&runs[0], &runs[1]);
    let take = a["stops"][0]["order_id"].as_i64().unwrap();
    let mut target: Vec<i64> = b["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["order_id"].as_i64().unwrap())
        .collect();
    target.insert(0, take);
    let body = indexed("order_ids", &target);
    let res = s
        .call(
            &owner,
            "/api/reorder_run",
            &format!("run_id={}&{}", b["id"], body),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let p = plan(&s, &owner, &day).await;
    let on: Vec<i64> = p["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["stops"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["order_id"] == take)
        })
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        on,
        vec![b["id"].as_i64().unwrap()],
        "the stop is on exactly the target run"
    );
    let a_after = p["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == a["id"]);
    let a_len = a["stops"].as_array().unwrap().len();
    match a_after {
        Some(r) => assert_eq!(r["stops"].as_array().unwrap().len(), a_len - 1),
        None => assert_eq!(a_len, 1, "a run left empty is removed"),
    }
}

#[tokio::test]
async fn publishing_shows_drivers_their_own_run_and_customers_their_eta() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let today = s.state.config.today().to_string();
    let expected = deliveries(&s, &today).await;
    assert!(!expected.is_empty(), "the demo has deliveries today");
    let drivers = driver_ids(&s).await;
    assert_eq!(optimise(&s, &owner, &today, &drivers).await.status(), 200);
    // Before publishing the driver sees nothing.
    let marta = s.signed_in(DRIVER).await;
    let day: serde_json::Value = driver_day(&s, &marta).await;
    assert_eq!(
        day["stops"].as_array().unwrap().len(),
        0,
        "drafts are not shown to drivers"
    );
    let res = s
        .call(&owner, "/api/publish_runs", &format!("day={today}"))
        .await;
    assert_eq!(res.status(), 200);
    let p = plan(&s, &owner, &today).await;
    let mine: Vec<i64> = p["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["driver_id"] == drivers[0])
        .flat_map(|r| {
            r["stops"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["number"].as_i64().unwrap())
        })
        .collect();
    let day: serde_json::Value = driver_day(&s, &marta).await;
    let seen: Vec<i64> = day["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, mine, "the driver sees exactly their run, in order");
    assert!(day["stops"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["eta"].is_string()));
    // The tracker of a planned order shows the run's arrival window within the promise.
    let (token, from, to): (String, String, String) = sqlx::query_as(
        "SELECT o.tracking_token, o.window_from, o.window_to FROM run_stops s JOIN orders o ON o.id = s.order_id
         WHERE o.status NOT IN ('delivered', 'cancelled') LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let t: serde_json::Value = client()
        .get(s.url(&format!("/api/v1/orders/{token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (a, b) = (
        t["eta_from"].as_str().unwrap(),
        t["eta_to"].as_str().unwrap(),
    );
    assert!(
        minutes(a) >= minutes(&from) && minutes(b) <= minutes(&to),
        "{a}–{b} within {from}–{to}"
    );
    assert!(
        minutes(b) - minutes(a) <= 30,
        "narrower than the promise: {a}–{b}"
    );
}

#[tokio::test]
async fn bad_requests_are_named_and_change_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let day = busy_day(&s).await;
    let res = optimise(&s, &owner, &day, &[]).await;
    assert_eq!(res.status(), 422);
    let e: serde_json::Value = res.json().await.unwrap();
    assert_eq!(e["Validation"]["field"], "drivers", "{e}");
    let staff: i64 = sqlx::query_scalar("SELECT id FROM users WHERE role = 'staff'")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let res = optimise(&s, &owner, &day, &[staff]).await;
    assert_eq!(res.status(), 422);
    let res = s
        .call(&owner, "/api/optimise_runs", "day=31-12-2026&drivers[0]=1")
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(s.count("SELECT COUNT(*) FROM runs").await, 0);
    // A reorder naming an order of another day is refused whole.
    assert_eq!(
        optimise(&s, &owner, &day, &driver_ids(&s).await)
            .await
            .status(),
        200
    );
    let before: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT run_id, order_id, seq FROM run_stops ORDER BY run_id, seq")
            .fetch_all(&s.state.pool)
            .await
            .unwrap();
    let other: i64 = sqlx::query_scalar(
        "SELECT id FROM orders WHERE fulfil_on <> ? AND fulfilment = 'delivery' LIMIT 1",
    )
    .bind(&day)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let (run, first): (i64, i64) = (before[0].0, before[0].1);
    let res = s
        .call(
            &owner,
            "/api/reorder_run",
            &format!("run_id={run}&order_ids[0]={first}&order_ids[1]={other}"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let after: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT run_id, order_id, seq FROM run_stops ORDER BY run_id, seq")
            .fetch_all(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn an_osrm_table_service_is_used_when_configured() {
    let url = osrm_stub().await;
    let s = spawn_with(|c| c.osrm_url = Some(url)).await;
    let owner = s.signed_in(OWNER).await;
    let day = busy_day(&s).await;
    assert_eq!(
        optimise(&s, &owner, &day, &driver_ids(&s).await)
            .await
            .status(),
        200
    );
    // The stored distance is the stub's metric along the run, not the straight line.
    let kitchen: (f64, f64) =
        sqlx::query_as("SELECT kitchen_lat, kitchen_lng FROM business_settings")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let runs: Vec<(i64, i64)> = sqlx::query_as("SELECT id, distance_m FROM runs")
        .fetch_all(&s.state.pool)
        .await
        .unwrap();
    assert!(!runs.is_empty());
    for (id, metres) in runs {
        let pts: Vec<(f64, f64)> = sqlx::query_as(
            "SELECT o.lat, o.lng FROM run_stops s JOIN orders o ON o.id = s.order_id WHERE s.run_id = ? ORDER BY s.seq",
        )
        .bind(id)
        .fetch_all(&s.state.pool)
        .await
        .unwrap();
        let mut path = vec![kitchen];
        path.extend(pts);
        path.push(kitchen);
        let expect: f64 = path
            .windows(2)
            .map(|w| ((w[0].0 - w[1].0).abs() + (w[0].1 - w[1].1).abs()) * 100_000.0)
            .sum();
        assert!(
            (metres as f64 - expect).abs() < 2.0 * path.len() as f64,
            "run {id}: {metres} vs {expect}"
        );
    }
}

#[tokio::test]
async fn a_slow_road_server_never_holds_other_writers_back_while_a_run_is_re_timed() {
    let slow = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let url = slow_osrm_stub(slow.clone()).await;
    let s = spawn_with(|c| c.osrm_url = Some(url)).await;
    let owner = s.signed_in(OWNER).await;
    let day = busy_day(&s).await;
    assert_eq!(
        optimise(&s, &owner, &day, &driver_ids(&s).await)
            .await
            .status(),
        200
    );
    let p = plan(&s, &owner, &day).await;
    let run = &p["runs"][0];
    let run_id = run["id"].as_i64().unwrap();
    let mut order: Vec<i64> = run["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["order_id"].as_i64().unwrap())
        .collect();
    order.reverse();
    // The road server now takes two seconds: the reorder waits for it, other writes do not.
    slow.store(true, std::sync::atomic::Ordering::SeqCst);
    let reorder = {
        let (url, owner) = (s.url("/api/reorder_run"), owner.clone());
        let body = format!("run_id={run_id}&{}", indexed("order_ids", &order));
        tokio::spawn(async move {
            owner
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap()
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let (id, version): (i64, i64) = sqlx::query_as(
        "SELECT id, version FROM orders WHERE status = 'received' ORDER BY id LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let started = std::time::Instant::now();
    let res = s
        .call(
            &owner,
            "/api/move_order",
            &format!("order_id={id}&to=confirmed&version={version}"),
        )
        .await;
    let waited = started.elapsed();
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert!(
        !reorder.is_finished(),
        "the reorder should still be waiting for the road server"
    );
    assert!(
        waited < std::time::Duration::from_millis(1200),
        "a board move waited {waited:?} behind the re-time"
    );
    let res = reorder.await.unwrap();
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let now: Vec<i64> =
        sqlx::query_scalar("SELECT order_id FROM run_stops WHERE run_id = ? ORDER BY seq")
            .bind(run_id)
            .fetch_all(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(now, order);
    let blank: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM run_stops WHERE run_id = ? AND eta = ''")
            .bind(run_id)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(blank, 0, "every stop has its new arrival time");
}

#[tokio::test]
async fn an_unreachable_routing_service_is_a_clear_error_and_nothing_changes() {
    let s = spawn_with(|c| c.osrm_url = Some("http://127.0.0.1:9".into())).await;
    let owner = s.signed_in(OWNER).await;
    let day = busy_day(&s).await;
    let res = optimise(&s, &owner, &day, &driver_ids(&s).await).await;
    assert_eq!(res.status(), 409);
    let text = res.text().await.unwrap();
    assert!(text.contains("Travel times are unavailable"), "{text}");
    assert_eq!(s.count("SELECT COUNT(*) FROM runs").await, 0);
}

#[tokio::test]
async fn delivery_settings_are_validated_field_by_field_and_priced_into_runs() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let good = "kitchen_address=Calle+Mayor+1&kitchen_lat=40.4168&kitchen_lng=-3.7038&detour_factor=1.4\
                &avg_speed_kmh=20&service_minutes=5&shift_start=09:00&shift_end=21:00&van_capacity=200\
                &cost_per_km=0.50&driver_cost_per_hour=18&third_party_base=4.50&third_party_per_km=1,10";
    let before: String = sqlx::query_scalar("SELECT kitchen_address FROM business_settings")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    for (bad, field) in [
        ("kitchen_lat=40.4168", "kitchen_lat=91"),
        ("detour_factor=1.4", "detour_factor=0.5"),
        ("shift_end=21:00", "shift_end=08:00"),
        ("cost_per_km=0.50", "cost_per_km=-2"),
        ("third_party_per_km=1,10", "third_party_per_km=lots"),
    ] {
        let body = good.replace(bad, field);
        let res = s.call(&owner, "/api/save_delivery_settings", &body).await;
        assert_eq!(res.status(), 422, "{field}");
        let e: serde_json::Value = res.json().await.unwrap();
        assert_eq!(e["Validation"]["field"], field.split('=').next().unwrap());
    }
    let now: String = sqlx::query_scalar("SELECT kitchen_address FROM business_settings")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(now, before, "refused saves change nothing");
    assert_eq!(
        s.call(&owner, "/api/save_delivery_settings", good)
            .await
            .status(),
        200
    );
    let row: (String, i64, i64, i64) = sqlx::query_as(
        "SELECT kitchen_address, cost_per_km_cents, third_party_base_cents, third_party_per_km_cents FROM business_settings",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(row, ("Calle Mayor 1".into(), 50, 450, 110));
    // The platform price of a stop is base + per km from the new kitchen.
    let day = busy_day(&s).await;
    assert_eq!(
        optimise(&s, &owner, &day, &driver_ids(&s).await)
            .await
            .status(),
        200
    );
    let p = plan(&s, &owner, &day).await;
    for st in p["runs"][0]["stops"].as_array().unwrap() {
        assert!(st["third_party_cents"].as_i64().unwrap() >= 450);
    }
}

async fn status(s: &TestServer, c: &reqwest::Client, job: &str) -> serde_json::Value {
    s.call(c, "/api/search_status", &format!("job={job}"))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_longer_search_reports_progress_and_can_be_stopped() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let day = busy_day(&s).await;
    let drivers = driver_ids(&s).await;
    let body = |secs: u32| {
        format!(
            "day={day}&drivers[0]={}&drivers[1]={}&seconds={secs}",
            drivers[0], drivers[1]
        )
    };
    // Refused input is named.
    let res = s
        .call(
            &owner,
            "/api/start_search",
            &format!("day={day}&drivers[0]=1&seconds=500"),
        )
        .await;
    assert_eq!(res.status(), 422);
    // A 60 s search, stopped after a moment: it ends at once and keeps its best plan.
    let job: String = s
        .call(&owner, "/api/start_search", &body(60))
        .await
        .json()
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let mid = status(&s, &owner, &job).await;
    assert_eq!(mid["done"], false);
    assert!(
        mid["km"].as_f64().unwrap() > 0.0,
        "a best plan so far: {mid}"
    );
    assert_eq!(
        s.call(&owner, "/api/stop_search", &format!("job={job}"))
            .await
            .status(),
        200
    );
    let started = std::time::Instant::now();
    let end = loop {
        let st = status(&s, &owner, &job).await;
        if st["done"] == true {
            break st;
        }
        assert!(
            started.elapsed().as_secs() < 20,
            "a stopped search ends (it was given 60 s)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(end["elapsed_s"].as_f64().unwrap() < 30.0);
    assert_eq!(
        end["outcome"]["planned"].as_u64().unwrap() as usize,
        deliveries(&s, &day).await.len()
    );
    check_plan(&plan(&s, &owner, &day).await, &deliveries(&s, &day).await);
}

#[tokio::test]
async fn each_driver_keeps_to_their_own_van_and_shift() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let day = busy_day(&s).await;
    let expected = deliveries(&s, &day).await;
    let drivers = driver_ids(&s).await;
    let (marta, javier) = (drivers[0], drivers[1]);
    let van = |driver: i64, body: &str| {
        let (s, owner) = (&s, owner.clone());
        let body = format!("driver_id={driver}&{body}");
        async move {
            let res = s.call(&owner, "/api/save_driver_van", &body).await;
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    // Bad fields are named and change nothing; only drivers have vans.
    for (body, field) in [
        ("van_capacity=0", "van_capacity"),
        ("van_capacity=lots", "van_capacity"),
        ("shift_start=25:00", "shift_start"),
        ("shift_start=14:00&shift_end=12:00", "shift_end"),
    ] {
        let (status, text) = van(javier, body).await;
        assert_eq!(status, 422, "{body}: {text}");
        assert!(text.contains(field), "{body}: {text}");
    }
    let owner_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
        .bind(OWNER)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    assert_eq!(van(owner_id, "van_capacity=10").await.0, 404);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM users WHERE van_capacity IS NOT NULL OR shift_start IS NOT NULL"
        )
        .await,
        0
    );

    // Javier: a small van and a short late-morning shift.
    let (status, text) = van(javier, "van_capacity=6&shift_start=10:00&shift_end=13:00").await;
    assert_eq!(status, 200, "{text}");
    let p = plan(&s, &owner, &day).await;
    let choice = p["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == javier)
        .unwrap()
        .clone();
    assert_eq!(choice["own_van"], true);
    assert_eq!(choice["van_capacity"], 6);
    assert_eq!(
        (choice["shift_start"].as_str(), choice["shift_end"].as_str()),
        (Some("10:00"), Some("13:00"))
    );

    // Javier alone: his van and shift bound the run; what doesn't fit is listed with a reason.
    let res = optimise(&s, &owner, &day, &[javier]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let p = plan(&s, &owner, &day).await;
    check_plan(&p, &expected);
    let runs = p["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["driver_id"], javier);
    assert_eq!(run["capacity"], 6);
    assert!(run["load"].as_i64().unwrap() <= 6);
    assert_eq!(run["shift"], "10:00–13:00");
    assert!(minutes(run["depart"].as_str().unwrap()) >= minutes("10:00"));
    assert!(minutes(run["back"].as_str().unwrap()) <= minutes("13:00"));
    for st in run["stops"].as_array().unwrap() {
        let eta = minutes(st["eta"].as_str().unwrap());
        assert!((minutes("10:00")..=minutes("13:00")).contains(&eta), "{st}");
    }
    let total: i64 = expected.iter().map(|e| e.3).sum();
    assert!(total > 6, "the busy day needs more than the small van");
    assert!(!p["unplanned"].as_array().unwrap().is_empty());
    // Why the solver left them off is stored as a code and worded for whoever reads the plan.
    let reasons = |p: &serde_json::Value| -> Vec<String> {
        p["unplanned"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["reason"].as_str().unwrap().to_string())
            .collect()
    };
    let english = reasons(&p);
    assert!(english.iter().any(|r| r.contains(" van")), "{english:?}");
    assert!(!english.iter().any(|r| r.contains('_')), "{english:?}");
    s.reads(OWNER, Some("es")).await;
    let spanish = reasons(&plan(&s, &owner, &day).await);
    assert!(
        spanish.iter().any(|r| r.contains("furgoneta")),
        "{spanish:?}"
    );
    s.reads(OWNER, None).await;

    // Both: everything fits again, each van within its own limits.
    let res = optimise(&s, &owner, &day, &[marta, javier]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let p = plan(&s, &owner, &day).await;
    check_plan(&p, &expected);
    assert!(p["unplanned"].as_array().unwrap().is_empty());
    let runs = p["runs"].as_array().unwrap();
    if let Some(run) = runs.iter().find(|r| r["driver_id"] == javier) {
        assert_eq!(run["capacity"], 6);
        assert!(run["load"].as_i64().unwrap() <= 6);
    }
    // Marta keeps the business defaults.
    let hers = runs.iter().find(|r| r["driver_id"] == marta).unwrap();
    let settings: (i64, String, String) =
        sqlx::query_as("SELECT van_capacity, shift_start, shift_end FROM business_settings")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(hers["capacity"], settings.0);
    assert_eq!(hers["shift"], format!("{}–{}", settings.1, settings.2));

    // Empty fields: back to the defaults.
    assert_eq!(
        van(javier, "van_capacity=&shift_start=&shift_end=").await.0,
        200
    );
    let p = plan(&s, &owner, &day).await;
    let choice = p["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == javier)
        .unwrap()
        .clone();
    assert_eq!(choice["own_van"], false);
    assert_eq!(choice["van_capacity"], settings.0);
}

#[tokio::test]
async fn re_optimising_a_published_day_keeps_it_published_for_its_drivers() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let today = s.state.config.today().to_string();
    let drivers = driver_ids(&s).await;
    // A draft day stays a draft when optimised.
    let res = optimise(&s, &owner, &today, &drivers).await;
    assert_eq!(res.status(), 200);
    let first: serde_json::Value = res.json().await.unwrap();
    assert_eq!(first["republished"], false);
    assert!(plan(&s, &owner, &today).await["runs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["published"] == false));
    assert_eq!(
        s.call(&owner, "/api/publish_runs", &format!("day={today}"))
            .await
            .status(),
        200
    );
    // Optimised again once published: still published, the drivers still have their stops.
    let res = optimise(&s, &owner, &today, &drivers).await;
    assert_eq!(res.status(), 200);
    let again: serde_json::Value = res.json().await.unwrap();
    assert_eq!(again["republished"], true);
    let p = plan(&s, &owner, &today).await;
    let runs = p["runs"].as_array().unwrap();
    assert!(!runs.is_empty());
    assert!(runs.iter().all(|r| r["published"] == true), "{p}");
    let marta = s.signed_in(DRIVER).await;
    let day: serde_json::Value = driver_day(&s, &marta).await;
    let on_marta = runs
        .iter()
        .filter(|r| r["driver"] == "Marta Ruiz")
        .map(|r| r["stops"].as_array().unwrap().len())
        .sum::<usize>();
    assert_eq!(day["stops"].as_array().unwrap().len(), on_marta);
}
