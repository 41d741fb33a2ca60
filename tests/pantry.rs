//! Available-to-promise from the pantry, on a real server and database: with the check on,
//! the storefront refuses an order whose batches the ingredients in stock and on order can't
//! cover (naming the ingredient, with the next days a purchase order makes possible), a
//! hundred concurrent orders take exactly what the flour allows, and purchase orders are
//! placed, checked, received once into stock and cancelled through the owner's and staff's
//! calls. With the check off, nothing of it binds.
mod common;

use chrono::{Datelike, NaiveDate};
use common::*;
use hearth::storefront::keys;
use serde_json::{json, Value};

struct Kitchen {
    s: TestServer,
    key: String,
    http: reqwest::Client,
    owner: reqwest::Client,
    staff: reqwest::Client,
    /// The test's own ingredient ("Test rye", in kg) and its supplier.
    rye: i64,
    supplier: i64,
}

async fn call(s: &TestServer, c: &reqwest::Client, endpoint: &str, body: &str) -> (u16, Value) {
    s.json(c, endpoint, body).await
}

/// The demo bakery with a product of its own, "Pantry loaf" (T-PAN, one loaf a batch, 100 g
/// of Test rye a batch, 1,000 a day), and 1 kg of Test rye in stock: room for 10 loaves.
async fn kitchen() -> Kitchen {
    let s = spawn().await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    let owner = s.signed_in(OWNER).await;
    let staff = s.signed_in(STAFF).await;
    let mut product = vec![
        "form[sku]=T-PAN".to_string(),
        "form[name]=Pantry+loaf".into(),
        "form[description]=".into(),
        "form[category]=Breads".into(),
        "form[price]=4.00".into(),
        "form[tax_rate]=".into(),
        "form[daily_capacity]=1000".into(),
        "form[lead_days]=0".into(),
        "form[min_quantity]=1".into(),
        "form[max_quantity]=99".into(),
    ];
    product.extend((0..7).map(|d| format!("form[weekdays][{d}]={d}")));
    let (status, v) = call(&s, &owner, "/api/save_product", &product.join("&")).await;
    assert_eq!(status, 200, "{v}");
    let supplier: i64 = sqlx::query_scalar("SELECT MIN(id) FROM suppliers")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let (status, rye) = call(
        &s,
        &owner,
        "/api/save_ingredient",
        &format!("form[name]=Test+rye&form[unit]=kg&form[cost]=2.00&form[supplier_id]={supplier}&form[reorder_level]=0"),
    )
    .await;
    assert_eq!(status, 200, "{rye}");
    let rye = rye.as_i64().unwrap();
    let pan: i64 = sqlx::query_scalar("SELECT id FROM products WHERE sku = 'T-PAN'")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let (status, v) = call(
        &s,
        &owner,
        "/api/save_recipe",
        &format!("product_id={pan}&form[batch_yield]=1&form[prep_minutes]=0&form[bake_minutes]=0&form[station]=Oven&form[lines][0][ingredient_id]={rye}&form[lines][0][quantity]=100"),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (status, v) = call(
        &s,
        &staff,
        "/api/change_stock",
        &format!("change=Receive&ingredient_id={rye}&quantity=1"),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    Kitchen {
        s,
        key,
        http: reqwest::Client::new(),
        owner,
        staff,
        rye,
        supplier,
    }
}

/// The first day from tomorrow that the counter opens (not a Sunday).
fn bake_day(s: &TestServer) -> NaiveDate {
    let mut d = s.state.config.today() + chrono::Duration::days(1);
    while d.weekday() == chrono::Weekday::Sun {
        d += chrono::Duration::days(1);
    }
    d
}

fn pickup(phone: &str, day: NaiveDate, loaves: i64) -> Value {
    json!({
        "customer": {"name": "Pantry Test", "phone": phone},
        "fulfilment": {"type": "pickup", "date": day.to_string(), "time": "10:30"},
        "items": [{"sku": "T-PAN", "quantity": loaves}],
        "payment": {"method": "pay_at_pickup"}
    })
}

impl Kitchen {
    async fn post(&self, path: &str, key: Option<&str>, body: &Value) -> (u16, Value) {
        let mut req = self
            .http
            .post(self.s.url(path))
            .bearer_auth(&self.key)
            .json(body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// A quote: its problems (empty when the order would be taken) and its earliest dates.
    async fn quote(&self, day: NaiveDate, loaves: i64) -> (Vec<Value>, Vec<NaiveDate>) {
        let (status, v) = self
            .post("/api/v1/quote", None, &pickup("655000001", day, loaves))
            .await;
        assert_eq!(status, 200, "{v}");
        let earliest = v["earliest_dates"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|d| d.as_str().unwrap().parse().unwrap())
            .collect();
        (v["problems"].as_array().unwrap().clone(), earliest)
    }

    async fn pantry_check(&self, on: bool) {
        let (status, v) = call(
            &self.s,
            &self.owner,
            "/api/save_pantry_check",
            &format!("on={on}"),
        )
        .await;
        assert_eq!(status, 200, "{v}");
    }

    async fn rye_in_stock(&self) -> i64 {
        sqlx::query_scalar(
            "SELECT COALESCE(SUM(quantity), 0) FROM stock_moves WHERE ingredient_id = ?",
        )
        .bind(self.rye)
        .fetch_one(&self.s.state.pool)
        .await
        .unwrap()
    }

    async fn purchase_orders(&self) -> i64 {
        self.s.count("SELECT COUNT(*) FROM purchase_orders").await
    }
}

fn refusal(v: &Value) -> (String, String) {
    (
        v["errors"][0]["field"].as_str().unwrap_or("").to_string(),
        v["errors"][0]["message"].as_str().unwrap_or("").to_string(),
    )
}

fn dates(v: &Value) -> Vec<NaiveDate> {
    // Left out of the answer when no day works.
    v["next_possible_dates"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|d| d.as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn the_pantry_refuses_what_stock_and_purchase_orders_cannot_cover() {
    let k = kitchen().await;
    let day = bake_day(&k.s);
    // Off (the default): the pantry doesn't bind.
    let (problems, _) = k.quote(day, 11).await;
    assert_eq!(problems, Vec::<Value>::new());

    k.pantry_check(true).await;
    let (problems, _) = k.quote(day, 10).await;
    assert_eq!(
        problems,
        Vec::<Value>::new(),
        "ten loaves take the whole kilo"
    );
    let (problems, _) = k.quote(day, 11).await;
    assert_eq!(problems[0]["field"], "items[0].quantity", "{problems:?}");
    let before = k.s.count("SELECT COUNT(*) FROM orders").await;
    let (status, v) = k
        .post(
            "/api/v1/orders",
            Some("pan-11"),
            &pickup("655000002", day, 11),
        )
        .await;
    assert_eq!(status, 422, "{v}");
    let (field, message) = refusal(&v);
    assert_eq!(field, "items[0].quantity", "{v}");
    assert!(
        message.contains("Test rye") && message.contains("1.1 kg") && message.contains("1 kg"),
        "{message}"
    );
    assert!(dates(&v).is_empty(), "no day has 1.1 kg: {v}");
    assert_eq!(k.s.count("SELECT COUNT(*) FROM orders").await, before);

    // Half a kilo ordered, arriving the day after: usable from the day after that.
    let arrives = day + chrono::Duration::days(1);
    let (status, said) = call(
        &k.s,
        &k.owner,
        "/api/create_purchase_order",
        &format!(
            "form[supplier_id]={}&form[arrives_on]={arrives}&form[note]=&form[lines][0][ingredient_id]={}&form[lines][0][quantity]=0%2C5",
            k.supplier, k.rye
        ),
    )
    .await;
    assert_eq!(status, 200, "{said}");
    assert!(said.as_str().unwrap().contains("PO-"), "{said}");
    let (problems, next) = k.quote(day, 11).await;
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("Test rye"),
        "arrives too late for {day}: {problems:?}"
    );
    assert!(!next.is_empty());
    assert!(
        next.iter().all(|d| *d >= day + chrono::Duration::days(2)),
        "{next:?}"
    );
    let (problems, _) = k.quote(next[0], 11).await;
    assert_eq!(problems, Vec::<Value>::new());
    let (status, v) = k
        .post(
            "/api/v1/orders",
            Some("pan-11"),
            &pickup("655000002", day, 11),
        )
        .await;
    assert_eq!(status, 422, "still too late: {v}");
    assert_eq!(dates(&v), next);

    // Off again: nothing binds.
    k.pantry_check(false).await;
    let (problems, _) = k.quote(day, 11).await;
    assert_eq!(problems, Vec::<Value>::new());
}

#[tokio::test]
async fn a_hundred_concurrent_orders_take_exactly_what_the_flour_allows() {
    let k = std::sync::Arc::new(kitchen().await);
    k.pantry_check(true).await;
    let day = bake_day(&k.s);
    let before = k.s.count("SELECT COUNT(*) FROM orders").await;
    let mut tasks = Vec::new();
    for i in 0..100 {
        let k = k.clone();
        tasks.push(tokio::spawn(async move {
            k.post(
                "/api/v1/orders",
                Some(&format!("pan-{i}")),
                &pickup(&format!("6552{i:05}"), day, 1),
            )
            .await
        }));
    }
    let mut created = 0;
    for t in tasks {
        let (status, v) = t.await.unwrap();
        match status {
            201 => created += 1,
            422 => {
                let (field, message) = refusal(&v);
                assert_eq!(field, "items[0].quantity", "{v}");
                assert!(message.contains("Test rye"), "{message}");
            }
            other => panic!("unexpected {other}: {v}"),
        }
    }
    assert_eq!(created, 10);
    assert_eq!(k.s.count("SELECT COUNT(*) FROM orders").await, before + 10);
    // The catalog stops offering the loaf (on that day and after: the kilo is gone).
    let catalog: Value = k
        .http
        .get(k.s.url("/api/v1/catalog"))
        .bearer_auth(&k.key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pan = catalog["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["sku"] == "T-PAN")
        .unwrap();
    let days = pan["days_available"].as_array().unwrap();
    assert!(
        days.iter()
            .all(|d| d.as_str().unwrap() < day.to_string().as_str()),
        "{pan}"
    );
}

#[tokio::test]
async fn purchase_orders_are_checked_received_once_and_cancelled() {
    let k = kitchen().await;
    let before = k.purchase_orders().await;
    let today = k.s.state.config.today();
    let base = format!(
        "form[supplier_id]={}&form[note]=&form[lines][0][ingredient_id]={}",
        k.supplier, k.rye
    );
    for (body, field) in [
        (
            format!("form[arrives_on]=&form[note]=&form[lines][0][ingredient_id]={}&form[lines][0][quantity]=1", k.rye),
            "supplier_id",
        ),
        (format!("{base}&form[arrives_on]=&form[lines][0][quantity]=lots"), "lines[0].quantity"),
        (format!("{base}&form[arrives_on]=&form[lines][0][quantity]=0"), "lines[0].quantity"),
        (
            format!("{base}&form[arrives_on]={}&form[lines][0][quantity]=1", today - chrono::Duration::days(1)),
            "arrives_on",
        ),
        (format!("{base}&form[arrives_on]=soon&form[lines][0][quantity]=1"), "arrives_on"),
        (format!("{base}&form[arrives_on]=&form[lines][0][quantity]="), "lines"),
        (
            format!("{base}&form[arrives_on]=&form[lines][0][quantity]=1&form[lines][1][ingredient_id]={}&form[lines][1][quantity]=2", k.rye),
            "lines[1].ingredient_id",
        ),
        (
            format!("form[supplier_id]={}&form[arrives_on]=&form[note]=&form[lines][0][ingredient_id]=999999&form[lines][0][quantity]=1", k.supplier),
            "lines[0].ingredient_id",
        ),
    ] {
        let (status, v) = call(&k.s, &k.owner, "/api/create_purchase_order", &body).await;
        assert_eq!(status, 422, "{field}: {v}");
        assert_eq!(v["Validation"]["field"], field, "{v}");
    }
    assert_eq!(k.purchase_orders().await, before, "nothing written");
    // Staff receive but don't order.
    let order = format!("{base}&form[arrives_on]=&form[lines][0][quantity]=2.5");
    let (status, _) = call(&k.s, &k.staff, "/api/create_purchase_order", &order).await;
    assert_eq!(status, 403);
    let (status, said) = call(&k.s, &k.owner, "/api/create_purchase_order", &order).await;
    assert_eq!(status, 200, "{said}");
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM purchase_orders")
        .fetch_one(&k.s.state.pool)
        .await
        .unwrap();
    // Empty arrival day: after the supplier's lead time.
    let (arrives, lead): (String, i64) = sqlx::query_as(
        "SELECT o.arrives_on, s.lead_days FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id WHERE o.id = ?",
    )
    .bind(id)
    .fetch_one(&k.s.state.pool)
    .await
    .unwrap();
    assert_eq!(arrives, (today + chrono::Duration::days(lead)).to_string());
    // The stock page lists it as open, with its line in the ingredient's unit.
    let (_, stock) = call(&k.s, &k.staff, "/api/get_stock", "").await;
    let row = stock["purchases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(row["status"], "open", "{row}");
    assert_eq!(row["lines"][0]["name"], "Test rye", "{row}");
    assert_eq!(row["lines"][0]["ordered_shown"], "2.5 kg", "{row}");
    assert_eq!(row["lines"][0]["received"], Value::Null, "{row}");
    assert_eq!(row["cost"], "€5.00", "{row}");

    let had = k.rye_in_stock().await;
    let (status, said) = call(
        &k.s,
        &k.staff,
        "/api/receive_purchase_order",
        &format!("id={id}"),
    )
    .await;
    assert_eq!(status, 200, "{said}");
    assert_eq!(k.rye_in_stock().await, had + 2500);
    let lot: String = sqlx::query_scalar(
        "SELECT l.code FROM stock_lots l WHERE l.ingredient_id = ? ORDER BY l.id DESC LIMIT 1",
    )
    .bind(k.rye)
    .fetch_one(&k.s.state.pool)
    .await
    .unwrap();
    assert_eq!(lot, format!("PO-{id}"));
    // Received once: a second click, and a cancel, are refused and add nothing.
    let (status, _) = call(
        &k.s,
        &k.staff,
        "/api/receive_purchase_order",
        &format!("id={id}"),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = call(
        &k.s,
        &k.owner,
        "/api/cancel_purchase_order",
        &format!("id={id}"),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(k.rye_in_stock().await, had + 2500);

    // Cancelled: it no longer counts as coming, and can't be received.
    let (status, _) = call(&k.s, &k.owner, "/api/create_purchase_order", &order).await;
    assert_eq!(status, 200);
    let second = id + 1;
    let (status, _) = call(
        &k.s,
        &k.staff,
        "/api/cancel_purchase_order",
        &format!("id={second}"),
    )
    .await;
    assert_eq!(status, 403, "only the owner cancels");
    let (status, _) = call(
        &k.s,
        &k.owner,
        "/api/cancel_purchase_order",
        &format!("id={second}"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        &k.s,
        &k.staff,
        "/api/receive_purchase_order",
        &format!("id={second}"),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(k.rye_in_stock().await, had + 2500);
    let (status, _) = call(&k.s, &k.staff, "/api/receive_purchase_order", "id=999999").await;
    assert_eq!(status, 404);

    // A delivery that came short, with a best-before: bad lines are named and change nothing;
    // then 2 of the 2.5 kg go into stock as a dated lot, and the order says so.
    let (status, _) = call(&k.s, &k.owner, "/api/create_purchase_order", &order).await;
    assert_eq!(status, 200);
    let third = second + 1;
    let rye = k.rye;
    let best = (today + chrono::Duration::days(20)).to_string();
    for (got, field) in [
        (
            format!("got[0][ingredient_id]={rye}&got[0][quantity]=lots"),
            "got[0].quantity",
        ),
        (
            format!("got[0][ingredient_id]={rye}&got[0][quantity]=2&got[0][best_before]=soon"),
            "got[0].best_before",
        ),
        (
            "got[0][ingredient_id]=999999&got[0][quantity]=2".to_string(),
            "got[0].ingredient_id",
        ),
        (
            format!("got[0][ingredient_id]={rye}&got[0][quantity]=0"),
            "got",
        ),
    ] {
        let (status, v) = call(
            &k.s,
            &k.staff,
            "/api/receive_purchase_order",
            &format!("id={third}&{got}"),
        )
        .await;
        assert_eq!(status, 422, "{field}: {v}");
        assert_eq!(v["Validation"]["field"], field, "{v}");
    }
    assert_eq!(k.rye_in_stock().await, had + 2500, "nothing received");
    let (status, said) = call(
        &k.s,
        &k.staff,
        "/api/receive_purchase_order",
        &format!(
            "id={third}&got[0][ingredient_id]={rye}&got[0][quantity]=2&got[0][best_before]={best}"
        ),
    )
    .await;
    assert_eq!(status, 200, "{said}");
    assert_eq!(k.rye_in_stock().await, had + 4500);
    let dated: Option<String> =
        sqlx::query_scalar("SELECT best_before FROM stock_lots WHERE code = ?")
            .bind(format!("PO-{third}"))
            .fetch_one(&k.s.state.pool)
            .await
            .unwrap();
    assert_eq!(dated, Some(best));
    let (_, stock) = call(&k.s, &k.staff, "/api/get_stock", "").await;
    let row = stock["purchases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == third)
        .unwrap()
        .clone();
    assert_eq!(row["status"], "received", "{row}");
    assert_eq!(row["lines"][0]["received"], "2 kg", "{row}");
    assert_eq!(row["cost"], "€4.00", "what came is what it cost: {row}");
}

#[tokio::test]
async fn the_shopping_list_counts_what_is_on_order_and_the_owner_orders_it_in_one_click() {
    let k = kitchen().await;
    let day = bake_day(&k.s) + chrono::Duration::days(3);
    // Twenty loaves that day need 2 kg; 1 kg is in stock.
    let (status, v) = k
        .post(
            "/api/v1/orders",
            Some("pan-shop"),
            &pickup("655000003", day, 20),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let shopping = |plan: &Value| -> Option<Value> {
        plan["shopping"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ingredient"] == "Test rye")
            .cloned()
    };
    let (_, plan) = call(
        &k.s,
        &k.owner,
        "/api/get_production_plan",
        &format!("day={day}"),
    )
    .await;
    let row = shopping(&plan).expect("Test rye to buy");
    assert_eq!(row["base"], 1000, "{row}");
    let need = plan["needs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "Test rye")
        .unwrap()
        .clone();
    assert_eq!(need["short"], "1 kg", "{need}");
    // The owner orders the supplier's lines; the list then counts them as coming.
    let (status, said) = call(
        &k.s,
        &k.owner,
        "/api/order_shopping_list",
        &format!("day={day}&supplier_id={}", k.supplier),
    )
    .await;
    assert_eq!(status, 200, "{said}");
    let (_, plan) = call(
        &k.s,
        &k.owner,
        "/api/get_production_plan",
        &format!("day={day}"),
    )
    .await;
    assert_eq!(shopping(&plan), None, "{plan}");
    let need = plan["needs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "Test rye")
        .unwrap()
        .clone();
    assert_eq!(need["short"], "", "{need}");
    assert!(
        need["have"].as_str().unwrap().contains("on order"),
        "{need}"
    );
    // A supplier with nothing on the list: the call says so and orders nothing.
    let other: i64 = sqlx::query_scalar("SELECT MAX(id) FROM suppliers")
        .fetch_one(&k.s.state.pool)
        .await
        .unwrap();
    let placed = k.purchase_orders().await;
    let (status, v) = call(
        &k.s,
        &k.owner,
        "/api/order_shopping_list",
        &format!("day={day}&supplier_id={}", other + 1),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["Validation"]["field"], "supplier_id", "{v}");
    assert_eq!(k.purchase_orders().await, placed);
    let (status, _) = call(
        &k.s,
        &k.staff,
        "/api/order_shopping_list",
        &format!("day={day}&supplier_id={}", k.supplier),
    )
    .await;
    assert_eq!(status, 403);
}
