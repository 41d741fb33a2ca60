//! A promotion code or loyalty points added from the order's drawer to an order already placed,
//! on a real server: through the order core (history, version, totals, the promotion's ledger
//! and the points' ledger in one transaction), refusals naming the field with nothing changed,
//! a promotion's limit holding when staff add codes to many orders at once, and a cancellation
//! giving the points back.
mod common;

use common::*;
use hearth::promotions::Draft;
use serde_json::{json, Value};

struct Shop {
    s: TestServer,
    shop: Storefront,
    staff: reqwest::Client,
}

async fn shop() -> Shop {
    let s = spawn().await;
    // Room for every order below; no automatic promotion, so the sums are the code's alone.
    for sql in [
        "UPDATE products SET daily_capacity = 100000",
        "UPDATE promotions SET active = 0",
        "UPDATE loyalty_program SET expiry_days = 365",
    ] {
        sqlx::query(sql).execute(&s.state.pool).await.unwrap();
    }
    let shop = Storefront::new(&s).await;
    let staff = s.signed_in(STAFF).await;
    Shop { s, shop, staff }
}

impl Shop {
    /// A new customer's pickup of `loaves` sourdough loaves (€6.50 each) paid how `payment`
    /// says: (order id, version).
    async fn order(&self, phone: &str, loaves: i64, payment: &str) -> (i64, i64) {
        self.order_keyed(phone, phone, loaves, payment).await
    }

    /// The same with its own Idempotency-Key (a customer's second order).
    async fn order_keyed(&self, phone: &str, key: &str, loaves: i64, payment: &str) -> (i64, i64) {
        let body = json!({
            "customer": {"name": "Drawer Tester", "phone": phone},
            "fulfilment": {"type": "pickup", "date": next_saturday(&self.s), "time": "10:30"},
            "items": [{"sku": "BRD-SOUR", "quantity": loaves}],
            "payment": {"method": payment}
        });
        let (status, out) = self
            .shop
            .post(&self.s, "/api/v1/orders", Some(key), &body)
            .await;
        assert_eq!(status, 201, "{out}");
        let number = out["order_number"].as_i64().unwrap();
        sqlx::query_as("SELECT id, version FROM orders WHERE number = ?")
            .bind(number)
            .fetch_one(&self.s.state.pool)
            .await
            .unwrap()
    }

    async fn promotion(&self, tweak: impl FnOnce(&mut Draft)) -> i64 {
        promotion(&self.s, "Phone offer", tweak).await
    }

    /// Staff's "Apply code" or "Spend points": the status and the answer's text.
    async fn add(&self, id: i64, version: i64, field: &str, value: &str) -> (u16, String) {
        let body = format!("order_id={id}&version={version}&{field}={}", enc(value));
        let res = self.s.call(&self.staff, "/api/add_discount", &body).await;
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// Staff's "Take code off" (`code`) or "Give the points back" (`points`).
    async fn remove(&self, id: i64, version: i64, what: &str) -> (u16, String) {
        let body = format!("order_id={id}&version={version}&what={what}");
        let res = self
            .s
            .call(&self.staff, "/api/remove_discount", &body)
            .await;
        (res.status().as_u16(), res.text().await.unwrap())
    }

    async fn held(&self, customer: i64) -> i64 {
        let mut conn = self.s.state.pool.acquire().await.unwrap();
        let today = self.s.state.config.today();
        hearth::loyalty::store::available(&mut conn, customer, today)
            .await
            .unwrap()
    }

    async fn detail(&self, id: i64) -> Value {
        self.s
            .call(&self.staff, "/api/get_order", &format!("order_id={id}"))
            .await
            .json()
            .await
            .unwrap()
    }

    /// What a refusal must leave as it was: totals, version, promotion uses, ledger lines.
    async fn state(&self, id: i64) -> (i64, i64, i64, i64, i64) {
        let (total, discount, version): (i64, i64, i64) =
            sqlx::query_as("SELECT total_cents, discount_cents, version FROM orders WHERE id = ?")
                .bind(id)
                .fetch_one(&self.s.state.pool)
                .await
                .unwrap();
        let uses = self.s.count("SELECT COUNT(*) FROM promotion_uses").await;
        let ledger = self.s.count("SELECT COUNT(*) FROM loyalty_ledger").await;
        (total, discount, version, uses, ledger)
    }

    async fn give(&self, phone: &str, points: i64) -> i64 {
        let c: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE phone = ?")
            .bind(format!("+34{phone}"))
            .fetch_one(&self.s.state.pool)
            .await
            .unwrap();
        let mut tx = hearth::server::db::begin_write(&self.s.state.pool)
            .await
            .unwrap();
        let today = self.s.state.config.today();
        hearth::loyalty::store::adjust(&mut tx, c, points, "Test", 1, today)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        c
    }
}

#[tokio::test]
async fn staff_add_a_code_then_points_to_a_placed_order_and_refusals_change_nothing() {
    let a = shop().await;
    a.promotion(|d| {
        d.code = "CALLED10".into();
        d.percent = "10".into();
    })
    .await;
    let (id, v) = a.order("622000001", 3, "pay_at_pickup").await;
    let d = a.detail(id).await;
    assert_eq!(d["total_cents"], json!(1950), "{d}");
    assert_eq!(d["code_open"], json!(true));
    let before = a.state(id).await;
    // Nothing typed, an unknown code, points as words, a stale version: named, nothing changed.
    for (field, value, why) in [
        ("promo_code", "  ", "one at a time"),
        ("promo_code", "NOPE", "promo_code: "),
        ("redeem_points", "lots", "Points to spend"),
    ] {
        let (status, text) = a.add(id, v, field, value).await;
        assert_eq!(status, 422, "{field}={value}: {text}");
        assert!(text.contains(why), "{field}={value}: {text}");
        assert_eq!(a.state(id).await, before, "{field}={value} changed nothing");
    }
    let (status, text) = a.add(id, v + 5, "promo_code", "CALLED10").await;
    assert_eq!(status, 409, "{text}");

    // The code, typed in lower case: 10 % of €19.50 off, shown in the drawer and its history.
    let (status, text) = a.add(id, v, "promo_code", " called10 ").await;
    assert_eq!(status, 200, "{text}");
    let d = a.detail(id).await;
    assert_eq!(d["total_cents"], json!(1755), "{d}");
    assert_eq!(d["discounts"], json!([["Phone offer", "CALLED10", 195]]));
    assert_eq!(d["code_open"], json!(false), "one code per order");
    assert_eq!(d["version"], json!(v + 1));
    assert!(
        d["history"]
            .to_string()
            .contains("Edited: code CALLED10 applied: −€1.95"),
        "{}",
        d["history"]
    );
    // A second code is refused by name.
    let before = a.state(id).await;
    let (status, text) = a.add(id, v + 1, "promo_code", "CALLED10").await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("already has the code CALLED10"), "{text}");
    assert_eq!(a.state(id).await, before);

    // Points: the drawer shows what the customer holds; more than they have, or worth more
    // than is left to pay, is refused by name; 200 points take €10.00 off.
    let c = a.give("622000001", 400).await;
    let d = a.detail(id).await;
    assert_eq!(d["points_open"], json!([400, 2000]), "{d}");
    let before = a.state(id).await;
    for (asked, why) in [
        ("500", "the customer has 400 points, not 500"),
        ("400", "use at most 351"),
        ("50", "at least 100"),
    ] {
        let (status, text) = a.add(id, v + 1, "redeem_points", asked).await;
        assert_eq!(status, 422, "{asked}: {text}");
        assert!(
            text.contains("redeem_points") && text.contains(why),
            "{asked}: {text}"
        );
        assert_eq!(a.state(id).await, before, "{asked} changed nothing");
    }
    let (status, text) = a.add(id, v + 1, "redeem_points", "200").await;
    assert_eq!(status, 200, "{text}");
    let d = a.detail(id).await;
    assert_eq!(d["total_cents"], json!(755), "{d}");
    assert_eq!(
        d["discounts"][1],
        json!(["Loyalty points (200)", null, 1000])
    );
    assert_eq!(
        d["points_open"],
        json!(null),
        "points are spent once per order"
    );
    assert!(d["history"]
        .to_string()
        .contains("200 points spent: −€10.00"));
    let mut conn = a.s.state.pool.acquire().await.unwrap();
    let today = a.s.state.config.today();
    let held = hearth::loyalty::store::available(&mut conn, c, today).await;
    assert_eq!(held.unwrap(), 200);
    drop(conn);
    let (status, text) = a.add(id, v + 2, "redeem_points", "100").await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("has spent 200 points already"), "{text}");

    // Cancelled, the points come back and the code's use no longer counts.
    let body = format!("order_id={id}&version={}&reason=Away", v + 2);
    let res = a.s.call(&a.staff, "/api/cancel_order", &body).await;
    assert_eq!(res.status().as_u16(), 200);
    let mut conn = a.s.state.pool.acquire().await.unwrap();
    let held = hearth::loyalty::store::available(&mut conn, c, today).await;
    assert_eq!(held.unwrap(), 400);
    let (status, text) = a.add(id, v + 3, "promo_code", "CALLED10").await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("no longer changes"), "{text}");
}

#[tokio::test]
async fn a_paid_order_is_refused_and_a_first_order_code_fits_the_first_order() {
    let a = shop().await;
    a.promotion(|d| {
        d.code = "WELCOME".into();
        d.kind = "amount".into();
        d.amount = "3".into();
        d.first_order_only = true;
    })
    .await;
    let (paid, v) = a.order("622000002", 1, "prepaid").await;
    let before = a.state(paid).await;
    let (status, text) = a.add(paid, v, "promo_code", "WELCOME").await;
    assert_eq!(status, 422, "{text}");
    assert!(
        text.contains("is paid: a discount now would be a refund"),
        "{text}"
    );
    assert_eq!(a.state(paid).await, before);
    assert_eq!(a.detail(paid).await["code_open"], json!(false));
    // A new customer's only order is their first: the code fits it.
    let (first, v) = a.order("622000003", 2, "pay_at_pickup").await;
    let (status, text) = a.add(first, v, "promo_code", "WELCOME").await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(a.detail(first).await["total_cents"], json!(1000));
    // Their second order is not.
    let body = json!({
        "customer": {"name": "Drawer Tester", "phone": "622000003"},
        "fulfilment": {"type": "pickup", "date": next_saturday(&a.s), "time": "11:30"},
        "items": [{"sku": "BRD-SOUR", "quantity": 1}],
        "payment": {"method": "pay_at_pickup"}
    });
    let (status, out) = a
        .shop
        .post(&a.s, "/api/v1/orders", Some("second"), &body)
        .await;
    assert_eq!(status, 201, "{out}");
    let second: (i64, i64) = sqlx::query_as("SELECT id, version FROM orders WHERE number = ?")
        .bind(out["order_number"].as_i64().unwrap())
        .fetch_one(&a.s.state.pool)
        .await
        .unwrap();
    let (status, text) = a.add(second.0, second.1, "promo_code", "WELCOME").await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("first order"), "{text}");
}

#[tokio::test]
async fn a_codes_limit_holds_when_staff_add_it_to_many_orders_at_once() {
    let a = shop().await;
    a.promotion(|d| {
        d.code = "THREE".into();
        d.percent = "20".into();
        d.total_limit = "3".into();
    })
    .await;
    let mut orders = Vec::new();
    for i in 0..10 {
        orders.push(a.order(&format!("6230000{i:02}"), 1, "pay_at_pickup").await);
    }
    let answers = futures::future::join_all(
        orders
            .iter()
            .map(|&(id, v)| a.add(id, v, "promo_code", "THREE")),
    )
    .await;
    let taken = answers.iter().filter(|(s, _)| *s == 200).count();
    let refused: Vec<&String> = answers
        .iter()
        .filter(|(s, _)| *s == 422)
        .map(|(_, t)| t)
        .collect();
    assert_eq!(taken, 3, "{answers:?}");
    assert_eq!(refused.len(), 7, "{answers:?}");
    assert!(
        refused.iter().all(|t| t.contains("promo_code")),
        "{refused:?}"
    );
    assert_eq!(
        a.s.count("SELECT COUNT(*) FROM promotion_uses WHERE code = 'THREE'")
            .await,
        3
    );
    assert_eq!(
        a.s.count(
            "SELECT COUNT(*) FROM orders WHERE promo_code = 'THREE' AND discount_cents = 130"
        )
        .await,
        3
    );
}

#[tokio::test]
async fn a_free_item_code_adds_its_line() {
    let a = shop().await;
    let croissant: i64 = sqlx::query_scalar("SELECT id FROM products WHERE sku = 'PAS-CROI'")
        .fetch_one(&a.s.state.pool)
        .await
        .unwrap();
    a.promotion(|d| {
        d.code = "TREAT".into();
        d.kind = "free_item".into();
        d.product_id = Some(croissant);
    })
    .await;
    let (id, v) = a.order("624000001", 2, "pay_at_pickup").await;
    let (status, text) = a.add(id, v, "promo_code", "TREAT").await;
    assert_eq!(status, 200, "{text}");
    let d = a.detail(id).await;
    let items = d["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{d}");
    let price = items[1][2].as_i64().unwrap();
    assert_eq!(d["subtotal_cents"], json!(1300 + price));
    assert_eq!(d["total_cents"], json!(1300), "the croissant is free");
    let units: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'units' AND ref_id = ?",
    )
    .bind(croissant)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert!(units >= 1, "the free croissant is baked too");

    // The customer's receipt (public, by the tracking token): both lines, the code's
    // discount, the total, and the VAT the prices include adding up to it.
    let token: String = sqlx::query_scalar("SELECT tracking_token FROM orders WHERE id = ?")
        .bind(id)
        .fetch_one(&a.s.state.pool)
        .await
        .unwrap();
    let anyone = client();
    let (status, r) =
        a.s.json(&anyone, "/api/get_receipt", &format!("token={token}"))
            .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["lines"].as_array().unwrap().len(), 2, "{r}");
    assert_eq!(r["lines"][0][1], json!(2));
    assert_eq!(r["lines"][0][3], json!("€13.00"));
    assert_eq!(r["discounts"][0][0], json!("Phone offer (TREAT)"));
    assert_eq!(r["total"], json!("€13.00"));
    assert_eq!(r["fee"], json!(null), "a pickup has no delivery line");
    assert_eq!(r["payment"], json!("Pay at pickup · not paid yet"));
    let cents = |v: &Value| -> i64 {
        v.as_str()
            .unwrap()
            .trim_start_matches('€')
            .replace('.', "")
            .parse()
            .unwrap()
    };
    let vat: i64 = r["vat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| cents(&row[1]) + cents(&row[2]))
        .sum();
    assert_eq!(vat, 1300, "base + VAT per rate add up to what is paid: {r}");
    let (status, _) =
        a.s.json(
            &anyone,
            "/api/get_receipt",
            "token=0123456789abcdef0123456789abcdef",
        )
        .await;
    assert_eq!(status, 404);
    let page = a.s.page(&anyone, &format!("/t/{token}/receipt")).await;
    assert!(
        page.contains("Phone offer (TREAT)") && !page.contains(".wasm"),
        "{page}"
    );

    // The code taken off takes its free croissant with it, and the croissant's room.
    let (status, text) = a.remove(id, v + 1, "code").await;
    assert_eq!(status, 200, "{text}");
    let d = a.detail(id).await;
    assert_eq!(d["items"].as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d["subtotal_cents"], json!(1300));
    assert_eq!(d["total_cents"], json!(1300));
    let after: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'units' AND ref_id = ?",
    )
    .bind(croissant)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!(after, units - 1);
}

#[tokio::test]
async fn a_code_after_points_that_took_everything_is_refused_as_taking_nothing_off() {
    let a = shop().await;
    a.promotion(|d| {
        d.code = "LATE10".into();
        d.percent = "10".into();
    })
    .await;
    let (id, v) = a.order("625000001", 1, "pay_at_pickup").await;
    a.give("625000001", 200).await;
    // €6.50 to pay: 130 points (5 cents each) take all of it.
    let (status, text) = a.add(id, v, "redeem_points", "130").await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(a.detail(id).await["total_cents"], json!(0));
    let before = a.state(id).await;
    let (status, text) = a.add(id, v + 1, "promo_code", "LATE10").await;
    assert_eq!(status, 422, "{text}");
    assert!(
        text.contains("promo_code") && text.contains("nothing"),
        "{text}"
    );
    assert_eq!(a.state(id).await, before);
}

#[tokio::test]
async fn a_code_and_points_come_off_again_and_the_code_counts_as_unused() {
    let a = shop().await;
    a.promotion(|d| {
        d.code = "ONCE10".into();
        d.percent = "10".into();
        d.total_limit = "1".into();
    })
    .await;
    let (id, v) = a.order("627000001", 2, "pay_at_pickup").await;
    let c = a.give("627000001", 400).await;
    // Nothing on it yet: nothing to take off, named; a made-up "what" too.
    let before = a.state(id).await;
    for (what, why) in [
        ("code", "has no promotion code"),
        ("points", "has spent no points"),
        ("both", "what: "),
    ] {
        let (status, text) = a.remove(id, v, what).await;
        assert_eq!(status, 422, "{what}: {text}");
        assert!(text.contains(why), "{what}: {text}");
        assert_eq!(a.state(id).await, before, "{what} changed nothing");
    }
    assert_eq!(a.add(id, v, "promo_code", "ONCE10").await.0, 200);
    assert_eq!(a.add(id, v + 1, "redeem_points", "100").await.0, 200);
    let d = a.detail(id).await;
    assert_eq!(d["total_cents"], json!(1300 - 130 - 500), "{d}");
    assert_eq!(d["code_on"], json!("ONCE10"));
    assert_eq!(d["points_on"], json!([100, 500]));
    assert_eq!(a.held(c).await, 300);
    // The code's one use is taken: another order is refused it.
    let (other, ov) = a.order("627000002", 1, "pay_at_pickup").await;
    assert_eq!(a.add(other, ov, "promo_code", "ONCE10").await.0, 422);

    // The code comes off: its €1.30 is charged again, the points stay, and the code is free
    // for the other order.
    let (status, text) = a.remove(id, v + 2, "code").await;
    assert_eq!(status, 200, "{text}");
    let d = a.detail(id).await;
    assert_eq!(d["total_cents"], json!(1300 - 500), "{d}");
    assert_eq!(d["discounts"], json!([["Loyalty points (100)", null, 500]]));
    assert_eq!(d["code_on"], json!(null));
    assert_eq!(d["code_open"], json!(true), "another code may go on");
    assert!(
        d["history"]
            .to_string()
            .contains("Edited: code ONCE10 removed: +€1.30"),
        "{}",
        d["history"]
    );
    let (status, text) = a.add(other, ov, "promo_code", "ONCE10").await;
    assert_eq!(status, 200, "the freed use goes to the other order: {text}");

    // The points go back to the customer.
    let (status, text) = a.remove(id, v + 3, "points").await;
    assert_eq!(status, 200, "{text}");
    let d = a.detail(id).await;
    assert_eq!(d["total_cents"], json!(1300), "{d}");
    assert_eq!(d["discounts"], json!([]));
    assert_eq!(d["points_on"], json!(null));
    assert_eq!(
        d["points_open"],
        json!([400, 2000]),
        "they may be spent again"
    );
    assert_eq!(a.held(c).await, 400);
    assert!(d["history"]
        .to_string()
        .contains("100 points given back: +€5.00"));
    // A stale drawer is refused; a paid order's discounts stay as they are.
    assert_eq!(a.remove(other, ov, "code").await.0, 409);
    let body = format!("order_id={other}&version={}", ov + 1);
    let res = a.s.call(&a.staff, "/api/mark_paid", &body).await;
    assert_eq!(res.status().as_u16(), 200);
    let before = a.state(other).await;
    let (status, text) = a.remove(other, ov + 2, "code").await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("promo_code"), "{text}");
    assert_eq!(a.state(other).await, before);
}

#[tokio::test]
async fn staff_record_the_referral_code_a_new_customer_forgot_on_their_first_order() {
    let a = shop().await;
    let (id, v) = a.order("628000001", 2, "pay_at_pickup").await;
    assert_eq!(a.detail(id).await["referral_open"], json!(true));
    let pool = &a.s.state.pool;
    let customer: i64 = sqlx::query_scalar("SELECT customer_id FROM orders WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    let (referrer, name): (i64, String) =
        sqlx::query_as("SELECT id, name FROM customers WHERE id <> ? ORDER BY id LIMIT 1")
            .bind(customer)
            .fetch_one(pool)
            .await
            .unwrap();
    let mut tx = hearth::server::db::begin_write(pool).await.unwrap();
    let code = hearth::loyalty::store::referral_code(&mut tx, referrer)
        .await
        .unwrap();
    let own = hearth::loyalty::store::referral_code(&mut tx, customer)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let referrals = || a.s.count("SELECT COUNT(*) FROM referrals");
    let before = (a.state(id).await, referrals().await);
    for (typed, why) in [
        ("  ", "type the referral code"),
        ("ZZZZZZZZ", "no customer has the referral code"),
        (own.as_str(), "the customer's own referral code"),
    ] {
        let (status, text) = a.add(id, v, "referral_code", typed).await;
        assert_eq!(status, 422, "{typed}: {text}");
        assert!(
            text.contains("referral_code") && text.contains(why),
            "{typed}: {text}"
        );
        assert_eq!((a.state(id).await, referrals().await), before, "{typed}");
    }
    let (status, text) = a.add(id, v, "referral_code", &code.to_lowercase()).await;
    assert_eq!(status, 200, "{text}");
    let row: (i64, i64) =
        sqlx::query_as("SELECT referrer_id, order_id FROM referrals WHERE customer_id = ?")
            .bind(customer)
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(row, (referrer, id));
    let d = a.detail(id).await;
    assert_eq!(d["referral_open"], json!(false), "recorded once");
    assert_eq!(
        d["total_cents"],
        json!(1300),
        "a referral takes nothing off"
    );
    let said = format!("referred by {name} (code {code})");
    assert!(d["history"].to_string().contains(&said), "{}", d["history"]);
    // Their second order is not a first order.
    let (second, v2) = a
        .order_keyed("628000001", "second", 1, "pay_at_pickup")
        .await;
    assert_eq!(a.detail(second).await["referral_open"], json!(false));
    let (status, text) = a.add(second, v2, "referral_code", &code).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("first order"), "{text}");
}
