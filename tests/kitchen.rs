//! The kitchen on a real server and database with the demo bakery: the production plan counts
//! the day's orders; marking batches baked takes the ingredients first-expired-first-out,
//! moves the orders on (through the order core, with their history lines) and is not counted
//! twice on a retry; a shortage is refused naming the ingredient and changes nothing; stock
//! changes name their bad fields; the ledger refuses edits, deletes and negative balances.
mod common;

use common::*;
use serde_json::Value;

async fn post(s: &TestServer, c: &reqwest::Client, endpoint: &str, body: &str) -> (u16, Value) {
    s.json(c, endpoint, body).await
}

async fn plan(s: &TestServer, c: &reqwest::Client, day: &str) -> Value {
    let (status, p) = post(s, c, "/api/get_production_plan", &format!("day={day}")).await;
    assert_eq!(status, 200, "{p}");
    p
}

fn tomorrow(s: &TestServer) -> String {
    (s.state.config.today() + chrono::Duration::days(1)).to_string()
}

async fn scalar(s: &TestServer, sql: &str, bind: &[&str]) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for b in bind {
        q = q.bind(*b);
    }
    q.fetch_one(&s.state.pool).await.unwrap()
}

/// Base units `base` typed in `unit` ("1.25" for 1250 g in kg).
fn typed(base: i64, unit: &str) -> String {
    match unit {
        "kg" | "l" => format!("{}.{:03}", base / 1000, base % 1000),
        _ => base.to_string(),
    }
}

/// A recipe's lines: (ingredient id, its unit, base units per batch).
async fn recipe(s: &TestServer, product: i64) -> Vec<(i64, String, i64)> {
    sqlx::query_as(
        "SELECT l.ingredient_id, i.unit, l.quantity FROM recipe_lines l JOIN ingredients i ON i.id = l.ingredient_id
         WHERE l.product_id = ? ORDER BY l.ingredient_id",
    )
    .bind(product)
    .fetch_all(&s.state.pool)
    .await
    .unwrap()
}

async fn balance(s: &TestServer, ingredient: i64) -> i64 {
    sqlx::query_scalar("SELECT COALESCE(SUM(quantity), 0) FROM stock_moves WHERE ingredient_id = ?")
        .bind(ingredient)
        .fetch_one(&s.state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_plan_counts_the_orders_and_baking_takes_stock_first_expired_first_and_moves_the_orders(
) {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let day = tomorrow(&s);
    let p = plan(&s, &staff, &day).await;
    let lines = p["lines"].as_array().unwrap();
    assert!(!lines.is_empty(), "the demo has orders tomorrow");
    // Every product's count is the day's orders, cancelled ones left out.
    for l in lines {
        let units = scalar(
            &s,
            "SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id
             WHERE o.fulfil_on = ? AND o.status <> 'cancelled' AND i.product_id = ?",
            &[&day, &l["product_id"].to_string()],
        )
        .await;
        assert_eq!(l["ordered"].as_i64().unwrap(), units, "{l}");
        // Tomorrow's forecast holds at least what is booked (what may still come is on top).
        let expected = l["expected"]
            .as_f64()
            .expect("a forecast for a day to come");
        assert!(expected >= units as f64 - 1e-9, "{l}");
        let y = l["batch_yield"].as_i64().unwrap();
        let to_bake = l["to_bake"].as_i64().unwrap();
        assert_eq!(l["batches"].as_i64().unwrap(), (to_bake + y - 1) / y, "{l}");
    }
    let total: i64 = lines.iter().map(|l| l["ordered"].as_i64().unwrap()).sum();
    let all = scalar(
        &s,
        "SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.fulfil_on = ? AND o.status <> 'cancelled'",
        &[&day],
    )
    .await;
    assert_eq!(total, all);

    let line = &lines[0];
    let product = line["product_id"].as_i64().unwrap();
    let batches = line["batches"].as_i64().unwrap();
    assert!(batches > 0);
    let rec = recipe(&s, product).await;
    // Plenty of everything, in lots that keep; and for the first ingredient a small lot that
    // expires today: it must be used first, and used up.
    for (ing, unit, q) in &rec {
        let body = format!(
            "change=Receive&ingredient_id={ing}&quantity={}&lot=PLENTY&best_before=2099-01-01",
            typed(q * batches * 2, unit)
        );
        let (status, e) = post(&s, &staff, "/api/change_stock", &body).await;
        assert_eq!(status, 200, "{e}");
    }
    let (first, unit, q) = rec[0].clone();
    let small = (q * batches / 2).max(1);
    let today = s.state.config.today().to_string();
    let (status, e) = post(
        &s,
        &staff,
        "/api/change_stock",
        &format!(
            "change=Receive&ingredient_id={first}&quantity={}&lot=FIRST&best_before={today}",
            typed(small, &unit)
        ),
    )
    .await;
    assert_eq!(status, 200, "{e}");
    let before: Vec<i64> = {
        let mut v = Vec::new();
        for (ing, _, _) in &rec {
            v.push(balance(&s, *ing).await);
        }
        v
    };
    let open_with_product: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT o.id, o.status FROM orders o JOIN order_items i ON i.order_id = o.id
         WHERE o.fulfil_on = ? AND i.product_id = ? AND o.status IN ('received', 'confirmed')",
    )
    .bind(&day)
    .bind(product)
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    assert!(!open_with_product.is_empty());

    let body = format!(
        "day={day}&product_id={product}&batches={batches}&baked_before={}",
        line["baked"]
    );
    let (status, units) = post(&s, &staff, "/api/mark_baked", &body).await;
    assert_eq!(status, 200, "{units}");
    assert_eq!(
        units.as_i64().unwrap(),
        batches * line["batch_yield"].as_i64().unwrap()
    );
    for ((ing, _, q), b) in rec.iter().zip(&before) {
        assert_eq!(balance(&s, *ing).await, b - q * batches, "ingredient {ing}");
    }
    let first_lot_left = scalar(
        &s,
        "SELECT COALESCE(SUM(m.quantity), 0) FROM stock_moves m JOIN stock_lots l ON l.id = m.lot_id WHERE l.code = 'FIRST'",
        &[],
    )
    .await;
    assert_eq!(
        first_lot_left, 0,
        "the lot that expires first is used first"
    );
    // Each order with the product moved on, with a history line by the staff member.
    for (id, was) in &open_with_product {
        let now: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = ?")
            .bind(id)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
        assert!(
            now == "baking" || now == "ready",
            "order {id} was {was}, now {now}"
        );
        let by = scalar(
            &s,
            "SELECT COUNT(*) FROM order_events e JOIN users u ON u.id = e.actor_user_id
             WHERE e.order_id = ? AND e.to_status = ? AND u.email = ?",
            &[&id.to_string(), &now, STAFF],
        )
        .await;
        assert_eq!(by, 1, "order {id}");
    }
    // The same click again (a retry, a second tab) is refused and counts nothing twice.
    let batches_before = scalar(&s, "SELECT COUNT(*) FROM bake_batches", &[]).await;
    let moves_before = scalar(&s, "SELECT COUNT(*) FROM stock_moves", &[]).await;
    let (status, e) = post(&s, &staff, "/api/mark_baked", &body).await;
    assert_eq!(status, 409, "{e}");
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM bake_batches", &[]).await,
        batches_before
    );
    assert_eq!(
        scalar(&s, "SELECT COUNT(*) FROM stock_moves", &[]).await,
        moves_before
    );
    // The sheet now shows it baked.
    let p = plan(&s, &staff, &day).await;
    let again = p["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["product_id"] == product)
        .unwrap()
        .clone();
    assert_eq!(again["baked"], units);
    assert_eq!(again["batches"], 0);
}

#[tokio::test]
async fn a_shortage_is_refused_naming_the_ingredient_and_nothing_changes() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let day = tomorrow(&s);
    let p = plan(&s, &staff, &day).await;
    let line = p["lines"][0].clone();
    let product = line["product_id"].as_i64().unwrap();
    let (ing, _, _) = recipe(&s, product).await[0].clone();
    let name: String = sqlx::query_scalar("SELECT name FROM ingredients WHERE id = ?")
        .bind(ing)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    // The shelf is counted empty.
    let (status, e) = post(
        &s,
        &staff,
        "/api/change_stock",
        &format!("change=Count&ingredient_id={ing}&quantity=0"),
    )
    .await;
    assert_eq!(status, 200, "{e}");
    assert_eq!(balance(&s, ing).await, 0);
    // The dashboard's alert names it among what tomorrow is short of.
    let owner = s.signed_in(OWNER).await;
    let (_, alerts) = post(&s, &owner, "/api/get_stock_alerts", "").await;
    assert!(
        alerts["short_tomorrow"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().starts_with(&name)),
        "{alerts}"
    );
    let snapshot = |s: &TestServer| {
        let pool = s.state.pool.clone();
        async move {
            let q = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool);
            (
                q("SELECT COUNT(*) FROM stock_moves").await.unwrap(),
                q("SELECT COUNT(*) FROM bake_batches").await.unwrap(),
                q("SELECT COUNT(*) FROM order_events").await.unwrap(),
                q("SELECT SUM(version) FROM orders").await.unwrap(),
            )
        }
    };
    let before = snapshot(&s).await;
    let body = format!(
        "day={day}&product_id={product}&batches=1&baked_before={}",
        line["baked"]
    );
    let (status, e) = post(&s, &staff, "/api/mark_baked", &body).await;
    assert_eq!(status, 422, "{e}");
    assert!(
        e["Validation"]["message"]
            .as_str()
            .unwrap()
            .starts_with(&name),
        "{e}"
    );
    assert_eq!(snapshot(&s).await, before);
}

#[tokio::test]
async fn stock_changes_name_their_bad_fields_and_a_count_sets_the_balance() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (eggs, flour): (i64, i64) = (
        scalar(
            &s,
            "SELECT id FROM ingredients WHERE unit = 'piece' ORDER BY id LIMIT 1",
            &[],
        )
        .await,
        scalar(
            &s,
            "SELECT id FROM ingredients WHERE unit = 'kg' ORDER BY id LIMIT 1",
            &[],
        )
        .await,
    );
    let moves = s.count("SELECT COUNT(*) FROM stock_moves").await;
    for (body, field) in [
        (
            format!("change=Receive&ingredient_id={flour}&quantity=lots"),
            "quantity",
        ),
        (
            format!("change=Receive&ingredient_id={flour}&quantity=1.2345"),
            "quantity",
        ),
        (
            format!("change=Receive&ingredient_id={eggs}&quantity=1.5"),
            "quantity",
        ),
        (
            format!("change=Receive&ingredient_id={flour}&quantity=0"),
            "quantity",
        ),
        (
            format!("change=Receive&ingredient_id={flour}&quantity=2&best_before=soon"),
            "best_before",
        ),
        (
            format!("change=Waste&ingredient_id={flour}&quantity=1"),
            "reason",
        ),
        (
            format!("change=Waste&ingredient_id={flour}&quantity=100000&reason=Spilled"),
            "quantity",
        ),
        (
            "change=Count&ingredient_id=999999&quantity=1".to_string(),
            "ingredient_id",
        ),
    ] {
        let (status, e) = post(&s, &staff, "/api/change_stock", &body).await;
        assert_eq!(status, 422, "{body}: {e}");
        assert_eq!(e["Validation"]["field"], field, "{body}: {e}");
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM stock_moves").await, moves);
    // A delivery, some waste, then a count: the balance is what was counted.
    let start = balance(&s, flour).await;
    let (status, said) = post(
        &s,
        &staff,
        "/api/change_stock",
        &format!("change=Receive&ingredient_id={flour}&quantity=2,5&lot=B-7"),
    )
    .await;
    assert_eq!(status, 200, "{said}");
    assert_eq!(balance(&s, flour).await, start + 2500);
    let (status, _) = post(
        &s,
        &staff,
        "/api/change_stock",
        &format!("change=Waste&ingredient_id={flour}&quantity=0.5&reason=Damp"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(balance(&s, flour).await, start + 2000);
    for counted in ["3", "7.25", "0"] {
        let (status, _) = post(
            &s,
            &staff,
            "/api/change_stock",
            &format!("change=Count&ingredient_id={flour}&quantity={counted}"),
        )
        .await;
        assert_eq!(status, 200);
        let want = (counted.parse::<f64>().unwrap() * 1000.0).round() as i64;
        assert_eq!(balance(&s, flour).await, want, "counted {counted}");
    }
    // Every lot's balance is the sum of its moves and none is below zero.
    let negative = s
        .count("SELECT COUNT(*) FROM (SELECT lot_id FROM stock_moves GROUP BY lot_id HAVING SUM(quantity) < 0)")
        .await;
    assert_eq!(negative, 0);
}

#[tokio::test]
async fn the_ledger_refuses_edits_deletes_and_negative_balances() {
    let s = spawn().await;
    let pool = &s.state.pool;
    let (lot, ing): (i64, i64) =
        sqlx::query_as("SELECT id, ingredient_id FROM stock_lots ORDER BY id LIMIT 1")
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(
        sqlx::query("UPDATE stock_moves SET quantity = quantity + 1")
            .execute(pool)
            .await
            .is_err()
    );
    assert!(sqlx::query("DELETE FROM stock_moves")
        .execute(pool)
        .await
        .is_err());
    let left: i64 = sqlx::query_scalar("SELECT SUM(quantity) FROM stock_moves WHERE lot_id = ?")
        .bind(lot)
        .fetch_one(pool)
        .await
        .unwrap();
    let over = sqlx::query(
        "INSERT INTO stock_moves (ingredient_id, lot_id, kind, quantity) VALUES (?, ?, 'use', ?)",
    )
    .bind(ing)
    .bind(lot)
    .bind(-(left + 1))
    .execute(pool)
    .await;
    assert!(over.is_err(), "a move below zero must be refused");
    let exact = sqlx::query(
        "INSERT INTO stock_moves (ingredient_id, lot_id, kind, quantity) VALUES (?, ?, 'use', ?)",
    )
    .bind(ing)
    .bind(lot)
    .bind(-left)
    .execute(pool)
    .await;
    assert!(exact.is_ok() || left == 0, "{exact:?}");
}

#[tokio::test]
async fn recipes_name_their_bad_lines_and_drive_the_plan() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let day = tomorrow(&s);
    let p = plan(&s, &owner, &day).await;
    let line = p["lines"][0].clone();
    let product = line["product_id"].as_i64().unwrap();
    let ing = recipe(&s, product).await[0].0;
    for (body, field) in [
        (format!("product_id={product}&form[batch_yield]=0&form[station]=Oven&form[prep_minutes]=0&form[bake_minutes]=0"), "batch_yield"),
        (format!("product_id={product}&form[batch_yield]=5&form[station]=&form[prep_minutes]=0&form[bake_minutes]=0"), "station"),
        (format!("product_id={product}&form[batch_yield]=5&form[station]=Oven&form[prep_minutes]=0&form[bake_minutes]=0&form[lines][0][ingredient_id]={ing}&form[lines][0][quantity]=abc"), "lines[0].quantity"),
        (format!("product_id={product}&form[batch_yield]=5&form[station]=Oven&form[prep_minutes]=0&form[bake_minutes]=0&form[lines][0][ingredient_id]={ing}&form[lines][0][quantity]=10&form[lines][1][ingredient_id]={ing}&form[lines][1][quantity]=10"), "lines[1].ingredient_id"),
    ] {
        let (status, e) = post(&s, &owner, "/api/save_recipe", &body).await;
        assert_eq!(status, 422, "{body}: {e}");
        assert_eq!(e["Validation"]["field"], field, "{body}: {e}");
    }
    assert!(
        recipe(&s, product).await.len() > 1,
        "the recipe is unchanged"
    );
    // One item per batch: as many batches as items to bake.
    let body = format!("product_id={product}&form[batch_yield]=1&form[station]=Bench&form[prep_minutes]=5&form[bake_minutes]=0&form[lines][0][ingredient_id]={ing}&form[lines][0][quantity]=10");
    let (status, e) = post(&s, &owner, "/api/save_recipe", &body).await;
    assert_eq!(status, 200, "{e}");
    let p = plan(&s, &owner, &day).await;
    let again = p["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["product_id"] == product)
        .unwrap()
        .clone();
    assert_eq!(again["station"], "Bench");
    assert_eq!(again["batches"], again["to_bake"]);
    assert_eq!(
        recipe(&s, product).await,
        vec![(ing, recipe(&s, product).await[0].1.clone(), 10)]
    );
}

#[tokio::test]
async fn waste_is_recorded_against_what_was_baked_and_bad_entries_change_nothing() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let today = s.state.config.today().to_string();
    let p = plan(&s, &staff, &today).await;
    let line = p["lines"][0].clone();
    let (pid, name) = (
        line["product_id"].as_i64().unwrap(),
        line["name"].as_str().unwrap().to_string(),
    );
    assert_eq!(line["wasted"], 0, "{line}");
    let count = || async { scalar(&s, "SELECT COUNT(*) FROM product_waste", &[]).await };
    let before = count().await;
    for (body, field) in [
        (
            format!(
                "day={}&product_id={pid}&units=1&reason=unsold",
                tomorrow(&s)
            ),
            "day",
        ),
        (
            format!("day={today}&product_id={pid}&units=many&reason=unsold"),
            "units",
        ),
        (
            format!("day={today}&product_id={pid}&units=0&reason=unsold"),
            "units",
        ),
        (
            format!("day={today}&product_id={pid}&units=2&reason=eaten"),
            "reason",
        ),
        (
            format!("day={today}&product_id=999999&units=2&reason=unsold"),
            "product_id",
        ),
        (
            format!(
                "day={today}&product_id={pid}&units=2&reason=other&note={}",
                "x".repeat(201)
            ),
            "note",
        ),
    ] {
        let (status, v) = post(&s, &staff, "/api/record_waste", &body).await;
        assert_eq!(status, 422, "{field}: {v}");
        assert_eq!(v["Validation"]["field"], field, "{v}");
    }
    // Staff who read Spanish are told in Spanish, the field named the same.
    s.reads(STAFF, Some("es")).await;
    let (status, v) = post(
        &s,
        &staff,
        "/api/record_waste",
        &format!("day={today}&product_id={pid}&units=0&reason=unsold"),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["Validation"]["field"], "units");
    assert_eq!(
        v["Validation"]["message"],
        "Unidades: un número entero de 1 a 100000."
    );
    s.reads(STAFF, None).await;
    assert_eq!(count().await, before, "nothing written");

    let (status, said) = post(
        &s,
        &staff,
        "/api/record_waste",
        &format!("day={today}&product_id={pid}&units=3&reason=unsold"),
    )
    .await;
    assert_eq!(status, 200, "{said}");
    assert_eq!(said, format!("3 × {name} written off (unsold)."));
    let (status, _) = post(
        &s,
        &staff,
        "/api/record_waste",
        &format!("product_id={pid}&units=1&reason=burnt&note=Oven+too+hot"),
    )
    .await;
    assert_eq!(status, 200, "an empty day is today");
    let p = plan(&s, &staff, &today).await;
    let line = p["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["product_id"] == pid)
        .unwrap()
        .clone();
    assert_eq!(line["wasted"], 4, "{line}");
    let waste = p["waste"].as_array().unwrap();
    assert_eq!(waste.len(), 2, "{p}");
    assert_eq!(waste[0]["reason"], "unsold");
    assert_eq!(waste[1]["reason"], "burnt");
    assert_eq!(waste[1]["note"], "Oven too hot");
    assert_eq!(waste[1]["by"], "Pablo Ortega", "{waste:?}");
    // Another day's sheet doesn't count them.
    let p = plan(&s, &staff, &tomorrow(&s)).await;
    assert_eq!(p["waste"], serde_json::json!([]));

    // Past its shelf life is a reason of its own.
    let (status, said) = post(
        &s,
        &staff,
        "/api/record_waste",
        &format!("day={today}&product_id={pid}&units=2&reason=expired"),
    )
    .await;
    assert_eq!(status, 200, "{said}");
    // The owner's report for the day has the product's waste by reason, against what was
    // baked, as the ledger of waste and batches says; and as CSV.
    let owner = s.signed_in(OWNER).await;
    let (status, r) = post(
        &s,
        &owner,
        "/api/get_report",
        &format!("from={today}&to={today}&grain=day"),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    let row = r["waste"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["product"] == name.as_str())
        .unwrap_or_else(|| panic!("{name} in {}", r["waste"]))
        .clone();
    let p = pid.to_string();
    let wasted = scalar(
        &s,
        "SELECT SUM(units) FROM product_waste WHERE bake_day = ? AND product_id = ?",
        &[&today, &p],
    )
    .await;
    let baked = scalar(
        &s,
        "SELECT COALESCE(SUM(units), 0) FROM bake_batches WHERE bake_day = ? AND product_id = ?",
        &[&today, &p],
    )
    .await;
    assert_eq!(
        (
            row["wasted"].as_i64().unwrap(),
            row["baked"].as_i64().unwrap()
        ),
        (wasted, baked)
    );
    let reasons: Vec<(String, i64)> = serde_json::from_value(row["reasons"].clone()).unwrap();
    for (code, at_least) in [("unsold", 3), ("expired", 2), ("burnt", 1)] {
        assert!(
            reasons.iter().any(|(c, n)| c == code && *n >= at_least),
            "{code} in {reasons:?}"
        );
    }
    let (status, v) = post(
        &s,
        &owner,
        "/api/report_csv",
        &format!("from={today}&to={today}&grain=day&table=waste"),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let csv = v["csv"].as_str().unwrap();
    assert!(
        csv.starts_with(
            "\u{feff}product,thrown_away,baked,unsold,expired,burnt,damaged,other,cost"
        ),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("{name},{wasted},{baked},"))),
        "{csv}"
    );
}

#[tokio::test]
async fn stock_and_its_ledger_download_as_safe_spreadsheets() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let flour: i64 = scalar(
        &s,
        "SELECT id FROM ingredients WHERE name = 'Bread flour T65'",
        &[],
    )
    .await;
    let (status, v) = post(
        &s,
        &staff,
        "/api/change_stock",
        &format!("change=Waste&ingredient_id={flour}&quantity=1%2C5&reason=%3DHYPERLINK(%22x%22)"),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let csv = |v: &Value| v.as_str().unwrap().to_string();
    let (status, v) = post(&s, &staff, "/api/stock_csv", "what=balances").await;
    assert_eq!(status, 200, "{v}");
    let balances = csv(&v);
    assert!(
        balances.starts_with("\u{feff}ingredient,in_stock,unit,reorder_level,"),
        "{balances}"
    );
    let have = balance(&s, flour).await;
    let line = balances
        .lines()
        .find(|l| l.starts_with("Bread flour T65,"))
        .unwrap();
    assert!(
        line.starts_with(&format!(
            "Bread flour T65,{},kg,",
            typed(have, "kg")
                .trim_end_matches('0')
                .trim_end_matches('.')
        )),
        "{line} vs {have}"
    );
    let (status, v) = post(&s, &staff, "/api/stock_csv", "what=moves").await;
    assert_eq!(status, 200, "{v}");
    let moves = csv(&v);
    let rows = scalar(&s, "SELECT COUNT(*) FROM stock_moves", &[]).await;
    assert_eq!(
        moves.lines().count() as i64,
        rows + 1,
        "a header and every move"
    );
    let last = moves.lines().last().unwrap();
    assert!(last.contains(",Bread flour T65,waste,-1.5,kg,"), "{last}");
    assert!(last.contains("'=HYPERLINK"), "a formula is defused: {last}");
    let (status, v) = post(&s, &staff, "/api/stock_csv", "what=everything").await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["Validation"]["field"], "what");
}

#[tokio::test]
async fn ingredients_and_recipes_import_from_spreadsheets_all_or_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let staff = s.signed_in(STAFF).await;
    let count = |table: &'static str| {
        let s = &s;
        async move { scalar(s, &format!("SELECT COUNT(*) FROM {table}"), &[]).await }
    };
    let import = |what: &'static str, text: String, keep: bool| {
        let (s, owner) = (&s, &owner);
        async move {
            let endpoint = if keep {
                "/api/import_kitchen_csv"
            } else {
                "/api/preview_kitchen_csv"
            };
            post(
                s,
                owner,
                endpoint,
                &format!("what={what}&text={}", enc(&text)),
            )
            .await
        }
    };

    // Recipes out and straight back in: every recipe an update, nothing changes.
    let (product, sku): (i64, String) =
        sqlx::query_as("SELECT product_id, p.sku FROM recipes r JOIN products p ON p.id = r.product_id ORDER BY p.sku LIMIT 1")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let before = recipe(&s, product).await;
    let (status, v) = post(&s, &owner, "/api/recipes_csv", "").await;
    assert_eq!(status, 200, "{v}");
    let out = v.as_str().unwrap().to_string();
    assert!(
        out.starts_with("\u{feff}sku,ingredient,quantity,unit,batch_yield,station,"),
        "{out}"
    );
    let lines = scalar(&s, "SELECT COUNT(*) FROM recipe_lines", &[]).await;
    assert_eq!(
        out.lines().count() as i64,
        lines + 1,
        "a header and every line"
    );
    let (status, v) = import("recipes", out.clone(), true).await;
    assert_eq!(status, 200, "{v}");
    let recipes = count("recipes").await;
    assert_eq!(v["rows"].as_array().unwrap().len() as i64, recipes, "{v}");
    assert!(v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["new"] == false));
    assert_eq!(
        recipe(&s, product).await,
        before,
        "a round trip changes nothing"
    );

    // Ingredients the way a Spanish spreadsheet writes them: BOM, `;`, comma decimals.
    let (ingredients, suppliers) = (count("ingredients").await, count("suppliers").await);
    let file = "\u{feff}Ingredient;Unit;Cost per unit;Supplier;Reorder level\r\n\
                Chestnut flour;kg;7,40;Castañas del Bierzo;2\r\n\
                Bread flour T65;;1,10;;\r\n"
        .to_string();
    let (status, v) = import("ingredients", file.clone(), false).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{v}");
    assert_eq!(rows[0]["name"], "Chestnut flour");
    assert_eq!(rows[0]["new"], true);
    assert!(
        rows[0]["detail"]
            .as_str()
            .unwrap()
            .contains("Castañas del Bierzo (new supplier)"),
        "{v}"
    );
    assert_eq!(rows[1]["new"], false);
    assert_eq!(
        count("ingredients").await,
        ingredients,
        "a preview writes nothing"
    );
    assert_eq!(
        count("suppliers").await,
        suppliers,
        "a preview writes nothing"
    );
    let (status, v) = import("ingredients", file, true).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(count("ingredients").await, ingredients + 1);
    assert_eq!(count("suppliers").await, suppliers + 1);
    let chestnut = scalar(
        &s,
        "SELECT CAST(cost_cents AS INTEGER) * 100000 + reorder_level FROM ingredients i
         JOIN suppliers s ON s.id = i.supplier_id WHERE i.name = 'Chestnut flour' AND s.name = 'Castañas del Bierzo' AND i.unit = 'kg'",
        &[],
    )
    .await;
    assert_eq!(chestnut, 740 * 100000 + 2000, "7,40 a kg, reorder at 2 kg");
    let t65 = scalar(
        &s,
        "SELECT CAST(cost_cents AS INTEGER) FROM ingredients WHERE name = 'Bread flour T65' AND unit = 'kg' AND supplier_id IS NOT NULL",
        &[],
    )
    .await;
    assert_eq!(
        t65, 110,
        "the cost changed; the empty unit and supplier kept theirs"
    );

    // One file, four problems: each named by row and column, and nothing written.
    let bad = "ingredient,unit,cost_per_unit\n\
               Good new thing,kg,1\n\
               Stone thing,stone,1\n\
               Dear thing,kg,abc\n\
               good NEW thing,g,2\n"
        .to_string();
    let (status, v) = import("ingredients", bad.clone(), true).await;
    assert_eq!(status, 422, "{v}");
    let said = v["Validation"]["message"].as_str().unwrap().to_string();
    for want in [
        "Row 3, unit:",
        "Row 4, cost_per_unit:",
        "Row 5, ingredient: good NEW thing is also on row 2",
    ] {
        assert!(said.contains(want), "{want} in {said}");
    }
    assert!(!said.contains("Row 2"), "{said}");
    assert_eq!(
        count("ingredients").await,
        ingredients + 1,
        "nothing written"
    );
    let (status, v) = import("ingredients", bad, false).await;
    assert_eq!(status, 200);
    assert_eq!(
        v["rows"],
        serde_json::json!([]),
        "no row to import while any is bad"
    );
    assert_eq!(v["errors"].as_array().unwrap().len(), 3, "{v}");

    // A recipe in kg and in the base unit, its figures on the first row only.
    let file = format!(
        "sku,ingredient,quantity,unit,batch_yield,station\n\
         {sku},Chestnut flour,\"0,5\",kg,12,Deck oven\n\
         {sku},Bread flour T65,250,,,\n"
    );
    let (status, v) = import("recipes", file, true).await;
    assert_eq!(status, 200, "{v}");
    let chestnut_id = scalar(
        &s,
        "SELECT id FROM ingredients WHERE name = 'Chestnut flour'",
        &[],
    )
    .await;
    let t65_id = scalar(
        &s,
        "SELECT id FROM ingredients WHERE name = 'Bread flour T65'",
        &[],
    )
    .await;
    let mut want = vec![
        (chestnut_id, "kg".to_string(), 500),
        (t65_id, "kg".to_string(), 250),
    ];
    want.sort();
    assert_eq!(
        recipe(&s, product).await,
        want,
        "the product's whole recipe replaced"
    );
    let figures = scalar(
        &s,
        "SELECT batch_yield FROM recipes WHERE product_id = ? AND station = 'Deck oven'",
        &[&product.to_string()],
    )
    .await;
    assert_eq!(figures, 12);

    // Bad recipe rows: unknown product, unknown ingredient, a unit of the wrong kind, two
    // batch yields for one product, a quantity that is no number. Nothing changes.
    let bad = format!(
        "sku,ingredient,quantity,unit,batch_yield\n\
         NOPE-1,Chestnut flour,100,,\n\
         {sku},Moon dust,100,,\n\
         {sku},Chestnut flour,100,ml,\n\
         {sku},Bread flour T65,lots,,\n"
    );
    let (status, v) = import("recipes", bad, true).await;
    assert_eq!(status, 422, "{v}");
    let said = v["Validation"]["message"].as_str().unwrap().to_string();
    for want in [
        "Row 2, sku: No product has the SKU NOPE-1",
        "Row 3, ingredient: No ingredient is called Moon dust",
        "Row 4, unit: Chestnut flour is counted in g",
        "Row 5, quantity:",
    ] {
        assert!(said.contains(want), "{want} in {said}");
    }
    let clash = format!(
        "sku,ingredient,quantity,batch_yield\n{sku},Chestnut flour,100,12\n{sku},Bread flour T65,100,10\n"
    );
    let (status, v) = import("recipes", clash, true).await;
    assert_eq!(status, 422, "{v}");
    let said = v["Validation"]["message"].as_str().unwrap().to_string();
    assert!(
        said.contains("Row 3, batch_yield: 10 here, but 12 on row 2"),
        "{said}"
    );
    assert_eq!(recipe(&s, product).await, want, "nothing changed");

    // Files that are not the sheet, and staff.
    let (status, v) = import("recipes", "name,price\nx,1\n".into(), true).await;
    assert_eq!(status, 422, "{v}");
    assert!(
        v["Validation"]["message"]
            .as_str()
            .unwrap()
            .contains("Unknown column"),
        "{v}"
    );
    let (status, v) = import("recipes", "sku,ingredient,quantity\n".into(), true).await;
    assert_eq!(status, 422, "{v}");
    let (status, v) = post(&s, &owner, "/api/import_kitchen_csv", "what=menu&text=x").await;
    assert_eq!(
        (status, v["Validation"]["field"].clone()),
        (422, "what".into())
    );
    let (status, _) = post(&s, &staff, "/api/import_kitchen_csv", "what=recipes&text=x").await;
    assert_eq!(status, 403);
}
