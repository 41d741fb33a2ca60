//! Loyalty points and referrals on a real server: earned when an order is collected (through
//! the order core), spent through the storefront API with named refusals, given back on a
//! cancellation, taken back when a delivery is undone, never spent twice under concurrency,
//! expired first-earned-first; a referral code rewarding both sides once; the owner's
//! adjustment; the demo's year of points.
mod common;

use common::*;
use hearth::orders::core::{Actor, Command, Core};
use hearth::orders::model::OrderStatus;
use serde_json::{json, Value};

struct Api {
    s: TestServer,
    shop: Storefront,
}

async fn api() -> Api {
    let s = spawn().await;
    let shop = Storefront::new(&s).await;
    sqlx::query("UPDATE products SET daily_capacity = 100000")
        .execute(&s.state.pool)
        .await
        .unwrap();
    // Points last a year here (the demo's last six months).
    sqlx::query("UPDATE loyalty_program SET expiry_days = 365")
        .execute(&s.state.pool)
        .await
        .unwrap();
    // No automatic promotion: the sums below are the points' alone.
    sqlx::query("UPDATE promotions SET active = 0")
        .execute(&s.state.pool)
        .await
        .unwrap();
    Api { s, shop }
}

impl Api {
    async fn post(&self, path: &str, idem: Option<&str>, body: &Value) -> (u16, Value) {
        self.shop.post(&self.s, path, idem, body).await
    }

    async fn order_id(&self, number: i64) -> i64 {
        sqlx::query_scalar("SELECT id FROM orders WHERE number = ?")
            .bind(number)
            .fetch_one(&self.s.state.pool)
            .await
            .unwrap()
    }

    async fn customer(&self, phone: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM customers WHERE phone = ?")
            .bind(phone)
            .fetch_one(&self.s.state.pool)
            .await
            .unwrap()
    }

    async fn available(&self, customer: i64) -> i64 {
        let mut conn = self.s.state.pool.acquire().await.unwrap();
        hearth::loyalty::store::available(&mut conn, customer, self.s.state.config.today())
            .await
            .unwrap()
    }

    async fn apply(&self, order_id: i64, command: Command) {
        Core::of(&self.s.state)
            .apply(&Actor::hearth(None), order_id, None, command)
            .await
            .unwrap();
    }

    async fn orders(&self) -> i64 {
        self.s.count("SELECT COUNT(*) FROM orders").await
    }

    /// The owner's adjustment of `points` for customer `c`, dated `on`.
    async fn give(&self, c: i64, points: i64, on: chrono::NaiveDate) {
        let mut tx = hearth::server::db::begin_write(&self.s.state.pool)
            .await
            .unwrap();
        hearth::loyalty::store::adjust(&mut tx, c, points, "Test", 1, on)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    /// A customer who ordered one loaf (Idempotency-Key `key`) and was given `points` today.
    async fn customer_with(&self, phone: &str, key: &str, points: i64) -> i64 {
        let day = pickup_day(&self.s);
        let (status, body) = self
            .post("/api/v1/orders", Some(key), &order(phone, &day, 1))
            .await;
        assert_eq!(status, 201, "{body}");
        let c = self.customer(&format!("+34{phone}")).await;
        if points != 0 {
            self.give(c, points, self.s.state.config.today()).await;
        }
        c
    }
}

/// A pickup on the next Saturday at least two days away.
fn pickup_day(s: &TestServer) -> String {
    next_saturday(s)
}

/// `loaves` sourdough loaves (€6.50 each), picked up.
fn order(phone: &str, day: &str, loaves: i64) -> Value {
    json!({
        "customer": {"name": "Points Tester", "phone": phone},
        "fulfilment": {"type": "pickup", "date": day, "time": "10:30"},
        "items": [{"sku": "BRD-SOUR", "quantity": loaves}],
        "payment": {"method": "pay_at_pickup"}
    })
}

fn message(body: &Value, field: &str) -> String {
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["field"], json!(field), "{body}");
    errors[0]["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn points_are_earned_on_collection_spent_at_the_storefront_and_given_back() {
    let a = api().await;
    let day = pickup_day(&a.s);
    // Ten loaves, €65.00: collected, they earn 65 points lasting a year.
    let (status, first) = a
        .post("/api/v1/orders", Some("p1"), &order("611000001", &day, 10))
        .await;
    assert_eq!(status, 201, "{first}");
    // An order that neither spends points nor brings a code reads none (the quote shows them).
    assert!(first.get("loyalty").is_none(), "{first}");
    let first_id = a.order_id(first["order_number"].as_i64().unwrap()).await;
    let c = a.customer("+34611000001").await;
    assert_eq!(
        a.available(c).await,
        0,
        "nothing is earned before collection"
    );
    a.apply(first_id, Command::Move(OrderStatus::Collected))
        .await;
    assert_eq!(a.available(c).await, 65);
    let expires: String = sqlx::query_scalar(
        "SELECT expires_on FROM loyalty_ledger WHERE order_id = ? AND kind = 'earned'",
    )
    .bind(first_id)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    let today = a.s.state.config.today();
    assert_eq!(expires, (today + chrono::Duration::days(365)).to_string());
    // Moved back, the collection's points go; collected again, they come back (once).
    a.apply(first_id, Command::Move(OrderStatus::Ready)).await;
    assert_eq!(
        a.available(c).await,
        0,
        "an undone collection takes its points back"
    );
    a.apply(first_id, Command::Move(OrderStatus::Collected))
        .await;
    assert_eq!(a.available(c).await, 65);

    // The owner adds 100 with a reason; a bad figure is named and changes nothing.
    let owner = a.s.signed_in(OWNER).await;
    let (status, body) =
        a.s.json(
            &owner,
            "/api/adjust_points",
            &format!("customer_id={c}&points=lots&reason=Welcome"),
        )
        .await;
    assert!(status >= 400, "{body}");
    assert!(body.to_string().contains("points"), "{body}");
    let (status, body) =
        a.s.json(
            &owner,
            "/api/adjust_points",
            &format!("customer_id={c}&points=100&reason="),
        )
        .await;
    assert!(
        status >= 400 && body.to_string().contains("reason"),
        "{body}"
    );
    assert_eq!(a.available(c).await, 65);
    let (status, body) =
        a.s.json(
            &owner,
            "/api/adjust_points",
            &format!("customer_id={c}&points=100&reason=Welcome+back"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(a.available(c).await, 165);

    // Refusals name redeem_points and take nothing.
    let orders = a.orders().await;
    for (loaves, points, words) in [
        (2, 200, "has 165 points, not 200"),
        (2, 50, "at least 100 points"),
        // One loaf (€6.50) is worth 130 points.
        (1, 165, "use at most 130"),
    ] {
        let mut asked = order("611000001", &day, loaves);
        asked["redeem_points"] = json!(points);
        let (status, body) = a
            .post("/api/v1/orders", Some(&format!("r{points}")), &asked)
            .await;
        assert_eq!(status, 422, "{body}");
        let m = message(&body, "redeem_points");
        assert!(m.starts_with("redeem_points: ") && m.contains(words), "{m}");
    }
    assert_eq!(a.orders().await, orders);
    assert_eq!(a.available(c).await, 165);

    // The quote shows the points and the discount; the order spends them.
    let mut two = order("611000001", &day, 2);
    two["redeem_points"] = json!(150);
    let (status, quote) = a.post("/api/v1/quote", None, &two).await;
    assert_eq!(status, 200, "{quote}");
    assert_eq!(quote["problems"], json!([]), "{quote}");
    assert_eq!(quote["loyalty"]["available_points"], json!(165));
    assert_eq!(quote["loyalty"]["redeemed_cents"], json!(750));
    assert_eq!(quote["total_cents"], json!(1300 - 750));
    let (status, spent) = a.post("/api/v1/orders", Some("spend"), &two).await;
    assert_eq!(status, 201, "{spent}");
    assert_eq!(spent["discount_cents"], json!(750));
    assert_eq!(spent["total_cents"], json!(550));
    assert_eq!(spent["loyalty"]["redeemed_points"], json!(150));
    assert_eq!(a.available(c).await, 15);
    // The same request again is the same order (the Idempotency-Key), not a second spend.
    let (status, again) = a.post("/api/v1/orders", Some("spend"), &two).await;
    assert_eq!(
        (status, &again["order_number"]),
        (201, &spent["order_number"])
    );
    assert_eq!(a.available(c).await, 15);
    // The drawer and the tracker name the discount.
    let spent_id = a.order_id(spent["order_number"].as_i64().unwrap()).await;
    let mut conn = a.s.state.pool.acquire().await.unwrap();
    let lines = hearth::orders::repo::discounts_of(&mut conn, spent_id)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(lines, vec![("Loyalty points (150)".to_string(), None, 750)]);
    let token = spent["tracking_token"].as_str().unwrap();
    let page = a.s.page(&client(), &format!("/t/{token}")).await;
    assert!(
        page.contains("Loyalty points (150)"),
        "the tracker shows it"
    );

    // Cancelled: the 150 come back.
    a.apply(
        spent_id,
        Command::Cancel {
            reason: "Customer changed their mind".into(),
        },
    )
    .await;
    assert_eq!(a.available(c).await, 165);
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM loyalty_ledger WHERE customer_id = ? ORDER BY id")
            .bind(c)
            .fetch_all(&a.s.state.pool)
            .await
            .unwrap();
    assert_eq!(
        kinds,
        ["earned", "reversed", "earned", "adjusted", "redeemed", "refunded"]
    );
    // The refund names the redemption it gives back, so the points return to their lots
    // (with their last days) rather than starting a new one.
    let (redeemed, refund_of): (i64, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT id FROM loyalty_ledger WHERE customer_id = ?1 AND kind = 'redeemed'),
                (SELECT lot_id FROM loyalty_ledger WHERE customer_id = ?1 AND kind = 'refunded')",
    )
    .bind(c)
    .fetch_one(&a.s.state.pool)
    .await
    .unwrap();
    assert_eq!(refund_of, Some(redeemed));
}

#[tokio::test]
async fn twenty_concurrent_orders_cannot_spend_the_same_points_twice() {
    let a = std::sync::Arc::new(api().await);
    let day = pickup_day(&a.s);
    let c = a.customer_with("622000001", "seed", 500).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let a = a.clone();
        let mut body = order("622000001", &day, 2);
        body["redeem_points"] = json!(100);
        tasks.push(tokio::spawn(async move {
            a.post("/api/v1/orders", Some(&format!("c{i}")), &body)
                .await
        }));
    }
    let (mut taken, mut refused) = (0, 0);
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            201 => {
                assert_eq!(body["discount_cents"], json!(500), "{body}");
                taken += 1;
            }
            422 => {
                assert!(
                    message(&body, "redeem_points").contains("not 100"),
                    "{body}"
                );
                refused += 1;
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!((taken, refused), (5, 15));
    assert_eq!(a.available(c).await, 0);
    assert_eq!(
        a.s.count("SELECT COUNT(*) FROM loyalty_ledger WHERE kind = 'redeemed' AND points = -100 AND order_id IS NOT NULL
                   AND customer_id = (SELECT id FROM customers WHERE phone = '+34622000001')")
            .await,
        5
    );
}

#[tokio::test]
async fn points_expire_first_earned_first_and_expired_points_cannot_be_spent() {
    let a = api().await;
    let day = pickup_day(&a.s);
    let c = a.customer_with("633000001", "seed", 0).await;
    let today = a.s.state.config.today();
    let ago = |days| today - chrono::Duration::days(days);
    // 300 credited 400 days ago (gone 35 days ago), of which 120 were spent before then;
    // 100 credited 200 days ago (good for 165 more days).
    a.give(c, 300, ago(400)).await;
    a.give(c, 100, ago(200)).await;
    a.give(c, -120, ago(100)).await;
    // The 120 came from the lot that expired first: 180 of it lapsed, the newer 100 stay.
    assert_eq!(a.available(c).await, 100);
    let mut body = order("633000001", &day, 4);
    body["redeem_points"] = json!(150);
    let (status, refused) = a.post("/api/v1/orders", Some("too-many"), &body).await;
    assert_eq!(status, 422, "{refused}");
    assert!(message(&refused, "redeem_points").contains("has 100 points"));
    // The sweep writes the expiry, once.
    let mut tx = hearth::server::db::begin_write(&a.s.state.pool)
        .await
        .unwrap();
    assert_eq!(
        hearth::loyalty::store::sweep(&mut tx, today).await.unwrap(),
        180
    );
    assert_eq!(
        hearth::loyalty::store::sweep(&mut tx, today).await.unwrap(),
        0
    );
    tx.commit().await.unwrap();
    assert_eq!(a.available(c).await, 100);
    let owner = a.s.signed_in(OWNER).await;
    let (status, card) =
        a.s.json(&owner, "/api/get_customer", &format!("id={c}"))
            .await;
    assert_eq!(status, 200, "{card}");
    let l = &card["loyalty"];
    assert_eq!(l["available"], json!(100));
    assert_eq!(l["value_cents"], json!(500));
    assert_eq!(
        l["next_expiry"],
        json!([(ago(200) + chrono::Duration::days(365)).to_string(), 100])
    );
    let kinds: Vec<&str> = l["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["expired", "adjusted", "adjusted", "adjusted"]);
    assert_eq!(l["lines"][0]["balance"], json!(100));
    // The expiry is dated the day the points lapsed, not the day the sweep ran.
    assert_eq!(l["lines"][0]["day"], json!(ago(34).to_string()));
    // The customer's privacy export holds every line and their referral code.
    let res =
        a.s.call(&owner, "/api/export_customer", &format!("id={c}"))
            .await;
    assert_eq!(res.status(), 200);
    let e: Value = res.json().await.unwrap();
    let doc: Value = serde_json::from_str(e["json"].as_str().unwrap()).unwrap();
    let held = &doc["loyalty"];
    assert_eq!(held["points"].as_array().unwrap().len(), 4, "{held}");
    assert_eq!(held["points"][3]["kind"], json!("expired"));
    assert_eq!(held["referral_code"], l["referral_code"]);
}

#[tokio::test]
async fn a_referral_rewards_both_sides_once_at_the_first_collection_and_an_undo_takes_it_back() {
    let a = api().await;
    let day = pickup_day(&a.s);
    let (_, first) = a
        .post(
            "/api/v1/orders",
            Some("r-first"),
            &order("644000001", &day, 1),
        )
        .await;
    let referrer = a.customer("+34644000001").await;
    let code = {
        let mut tx = hearth::server::db::begin_write(&a.s.state.pool)
            .await
            .unwrap();
        let code = hearth::loyalty::store::referral_code(&mut tx, referrer)
            .await
            .unwrap();
        assert_eq!(
            hearth::loyalty::store::referral_code(&mut tx, referrer)
                .await
                .unwrap(),
            code,
            "one code per customer"
        );
        tx.commit().await.unwrap();
        code
    };
    let orders = a.orders().await;
    let with = |phone: &str, code: &str, loaves: i64| {
        let mut o = order(phone, &day, loaves);
        o["referral_code"] = json!(code);
        o
    };
    // Refused, naming referral_code: unknown, their own, not a first order.
    let (status, body) = a
        .post(
            "/api/v1/orders",
            Some("x1"),
            &with("644000002", "NOSUCHCODE", 1),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body, "referral_code").contains("\"NOSUCHCODE\""));
    let (status, body) = a
        .post("/api/v1/orders", Some("x2"), &with("644000001", &code, 1))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body, "referral_code").contains("own"));
    assert_eq!(a.orders().await, orders, "a refused order changes nothing");
    // With promo_fallback full_price the order is taken without the referral.
    let mut lenient = with("644000003", "NOSUCHCODE", 1);
    lenient["promo_fallback"] = json!("full_price");
    let (status, body) = a.post("/api/v1/orders", Some("x3"), &lenient).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["loyalty"]["referral_taken"], json!(false));

    // A new customer with the code (lower case does too).
    let (status, new) = a
        .post(
            "/api/v1/orders",
            Some("n1"),
            &with("644000004", &code.to_lowercase(), 4),
        )
        .await;
    assert_eq!(status, 201, "{new}");
    assert_eq!(new["loyalty"]["referral_taken"], json!(true));
    let newcomer = a.customer("+34644000004").await;
    let (status, body) = a
        .post("/api/v1/orders", Some("n2"), &with("644000004", &code, 1))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body, "referral_code").contains("first order"));
    let (status, second) = a
        .post("/api/v1/orders", Some("n3"), &order("644000004", &day, 2))
        .await;
    assert_eq!(status, 201, "{second}");

    // Their first collection rewards both sides (200 each) and earns the newcomer 26 points.
    let new_id = a.order_id(new["order_number"].as_i64().unwrap()).await;
    a.apply(new_id, Command::Move(OrderStatus::Collected)).await;
    assert_eq!(a.available(newcomer).await, 200 + 26);
    assert_eq!(a.available(referrer).await, 200);
    // Moved back (a mistake on the board): the earning and both rewards are taken back, and the
    // referral waits again; collected again, they come back once.
    a.apply(new_id, Command::Move(OrderStatus::Ready)).await;
    assert_eq!(a.available(newcomer).await, 0);
    assert_eq!(a.available(referrer).await, 0);
    let waiting: Option<i64> =
        sqlx::query_scalar("SELECT rewarded_order_id FROM referrals WHERE customer_id = ?")
            .bind(newcomer)
            .fetch_one(&a.s.state.pool)
            .await
            .unwrap();
    assert_eq!(waiting, None);
    a.apply(new_id, Command::Move(OrderStatus::Collected)).await;
    assert_eq!(a.available(newcomer).await, 200 + 26);
    assert_eq!(a.available(referrer).await, 200);
    // A second collection earns, but rewards nobody again.
    let second_id = a.order_id(second["order_number"].as_i64().unwrap()).await;
    a.apply(second_id, Command::Move(OrderStatus::Collected))
        .await;
    assert_eq!(a.available(newcomer).await, 200 + 26 + 13);
    assert_eq!(a.available(referrer).await, 200);
    let rewarded: Option<i64> =
        sqlx::query_scalar("SELECT rewarded_order_id FROM referrals WHERE customer_id = ?")
            .bind(newcomer)
            .fetch_one(&a.s.state.pool)
            .await
            .unwrap();
    assert_eq!(rewarded, Some(new_id));
    // The referrer's page names whom they brought.
    let owner = a.s.signed_in(OWNER).await;
    let (_, card) =
        a.s.json(&owner, "/api/get_customer", &format!("id={referrer}"))
            .await;
    assert_eq!(card["loyalty"]["referral_code"], json!(code));
    assert_eq!(card["loyalty"]["referred"][0][0], json!(newcomer));
    assert_eq!(card["loyalty"]["referred"][0][2], json!(true));
    let _ = first;
}

#[tokio::test]
async fn merged_records_keep_every_point_and_the_programme_is_the_owners_to_set() {
    let a = api().await;
    let day = pickup_day(&a.s);
    let one = a.customer_with("655000001", "m1", 120).await;
    let two = a.customer_with("655000002", "m2", 80).await;
    let owner = a.s.signed_in(OWNER).await;
    let (status, body) =
        a.s.json(
            &owner,
            "/api/merge_customers",
            &format!("from={two}&into={one}"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(a.available(one).await, 200);

    // The programme: a bad figure is named and nothing changes; off, nothing can be spent.
    let form = |enabled: &str, value: &str, expiry: &str| {
        format!("{enabled}points_per_unit=2&value_per_100={value}&min_redeem=50&expiry_days={expiry}&referral_points=0")
    };
    let (status, body) =
        a.s.json(
            &owner,
            "/api/save_loyalty",
            &form("enabled=true&", "5", "forever"),
        )
        .await;
    assert!(
        status >= 400 && body.to_string().contains("expiry_days"),
        "{body}"
    );
    let (status, summary) = a.s.json(&owner, "/api/get_loyalty", "").await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["program"]["points_per_unit"], json!(1));
    let (status, body) =
        a.s.json(&owner, "/api/save_loyalty", &form("", "5", "0"))
            .await;
    assert_eq!(status, 200, "{body}");
    let (_, summary) = a.s.json(&owner, "/api/get_loyalty", "").await;
    assert_eq!(summary["program"]["enabled"], json!(false));
    assert_eq!(summary["program"]["value_per_100"], json!(500));
    let mut spend = order("655000001", &day, 4);
    spend["redeem_points"] = json!(100);
    let (status, body) = a.post("/api/v1/orders", Some("off"), &spend).await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body, "redeem_points").contains("no loyalty programme"));
    spend["referral_code"] = json!("ABCDEFGH");
    spend.as_object_mut().unwrap().remove("redeem_points");
    let (status, body) = a.post("/api/v1/orders", Some("off2"), &spend).await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body, "referral_code").contains("no referral reward"));
}

#[tokio::test]
async fn the_demo_bakery_has_a_year_of_points_and_a_segment_counts_who_holds_them() {
    let s = spawn().await;
    let count = |kind: &'static str| {
        let pool = s.state.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM loyalty_ledger WHERE kind = ?")
                .bind(kind)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert!(
        count("earned").await > 500,
        "points on the year's deliveries"
    );
    assert!(
        count("expired").await > 10,
        "the year-old points have lapsed"
    );
    assert!(
        count("referral").await >= 10,
        "referrals rewarded both sides"
    );
    assert!(count("redeemed").await > 20, "customers spent points");
    // Every order that spent points carries their value in its discount, and its total is
    // what is left.
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM orders o JOIN loyalty_ledger l ON l.order_id = o.id AND l.kind = 'redeemed'
             WHERE o.discount_cents < l.cents
                OR o.total_cents <> o.subtotal_cents + o.delivery_fee_cents - o.discount_cents"
        )
        .await,
        0
    );
    // No order earned twice.
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM (SELECT order_id FROM loyalty_ledger WHERE kind = 'earned'
             GROUP BY order_id HAVING COUNT(*) > 1)"
        )
        .await,
        0
    );
    let owner = s.signed_in(OWNER).await;
    let (status, summary) = s.json(&owner, "/api/get_loyalty", "").await;
    assert_eq!(status, 200, "{summary}");
    assert!(summary["members"].as_i64().unwrap() > 30, "{summary}");
    assert!(summary["outstanding"].as_i64().unwrap() > 0);
    assert_eq!(
        summary["outstanding_cents"].as_i64().unwrap(),
        summary["outstanding"].as_i64().unwrap() * 5
    );
    // A segment of the customers holding at least 100 points counts what each one's ledger
    // says; a bad figure is named.
    let today = s.state.config.today();
    let mut conn = s.state.pool.acquire().await.unwrap();
    let customers: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let mut holding = 0;
    for c in customers {
        let held = hearth::loyalty::store::available(&mut conn, c, today)
            .await
            .unwrap();
        holding += i64::from(held >= 100);
    }
    drop(conn);
    let (status, counted) = s
        .json(&owner, "/api/count_segment", "rules[min_points]=100")
        .await;
    assert_eq!(status, 200, "{counted}");
    assert_eq!(counted[0], json!(holding));
    assert!(holding > 5 && holding < 300, "{holding}");
    let (status, refused) = s
        .json(&owner, "/api/count_segment", "rules[min_points]=many")
        .await;
    assert_eq!(status, 422);
    assert!(
        refused.to_string().contains("Holds at least (points)"),
        "{refused}"
    );
}

#[tokio::test]
async fn staff_see_a_callers_points_spend_them_and_take_a_referral_code_on_a_phone_order() {
    let a = api().await;
    let day = pickup_day(&a.s);
    let c = a.customer_with("666000001", "ph", 240).await;
    let staff = a.s.signed_in("staff@hearth.demo").await;
    let form = |points: &str| {
        format!(
            "fields[phone]=666000001&fields[name]=Caller&fields[fulfilment]=pickup&fields[date]={day}&fields[window]=10:30&fields[payment]=pay_at_pickup&fields[items][0][sku]=BRD-SOUR&fields[items][0][quantity]=4&fields[redeem_points]={points}"
        )
    };
    // The quote tells staff what the caller has, and a bad figure names the field.
    let (status, quote) = a.s.json(&staff, "/api/quote_phone_order", &form("")).await;
    assert_eq!(status, 200, "{quote}");
    assert_eq!(quote["points"], json!([240, 1200]));
    let (_, quote) =
        a.s.json(&staff, "/api/quote_phone_order", &form("lots"))
            .await;
    let problems = quote["problems"].as_array().unwrap();
    assert!(problems.iter().any(|p| p[0] == "redeem_points"), "{quote}");
    let (_, quote) =
        a.s.json(&staff, "/api/quote_phone_order", &form("200"))
            .await;
    assert_eq!(quote["problems"], json!([]), "{quote}");
    assert_eq!(quote["discount_cents"], json!(1000));
    assert_eq!(quote["total_cents"], json!(2600 - 1000));
    assert_eq!(quote["discounts"][0], json!(["Loyalty points (200)", 1000]));
    let res =
        a.s.call(
            &staff,
            "/api/create_phone_order",
            &format!("{}&key=phone-points-1", form("200")),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(a.available(c).await, 40);
    // The same form again (a double click) is the same order: nothing spent twice.
    let res =
        a.s.call(
            &staff,
            "/api/create_phone_order",
            &format!("{}&key=phone-points-1", form("200")),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(a.available(c).await, 40);

    // A new caller brings that customer's referral code: a wrong one is named beside the field
    // and takes nothing; the right one is recorded with the order.
    let code = {
        let mut conn = a.s.state.pool.acquire().await.unwrap();
        hearth::loyalty::store::referral_code(&mut conn, c)
            .await
            .unwrap()
    };
    let referred = |code: &str| {
        format!(
            "fields[phone]=666000002&fields[name]=Friend&fields[fulfilment]=pickup&fields[date]={day}&fields[window]=11:00&fields[payment]=pay_at_pickup&fields[items][0][sku]=BRD-SOUR&fields[items][0][quantity]=1&fields[referral_code]={code}"
        )
    };
    let (_, quote) =
        a.s.json(&staff, "/api/quote_phone_order", &referred("NOSUCHCO"))
            .await;
    let problems = quote["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p[0] == "referral_code" && p[1].as_str().unwrap().contains("NOSUCHCO")),
        "{quote}"
    );
    let orders = a.orders().await;
    let res =
        a.s.call(
            &staff,
            "/api/create_phone_order",
            &format!("{}&key=phone-ref-1", referred("NOSUCHCO")),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("referral_code"));
    assert_eq!(a.orders().await, orders, "nothing taken");
    let (_, quote) =
        a.s.json(
            &staff,
            "/api/quote_phone_order",
            &referred(&code.to_lowercase()),
        )
        .await;
    assert_eq!(quote["problems"], json!([]), "{quote}");
    let res =
        a.s.call(
            &staff,
            "/api/create_phone_order",
            &format!("{}&key=phone-ref-2", referred(&code)),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let friend = a.customer("+34666000002").await;
    let referrer: i64 =
        sqlx::query_scalar("SELECT referrer_id FROM referrals WHERE customer_id = ?")
            .bind(friend)
            .fetch_one(&a.s.state.pool)
            .await
            .unwrap();
    assert_eq!(referrer, c);
}

#[test]
fn the_api_document_names_the_points_and_the_referral_code() {
    let doc = serde_json::to_value(hearth::storefront::openapi::document()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let order_in = &schemas["OrderIn"]["properties"];
    assert_eq!(order_in["redeem_points"]["minimum"], json!(1));
    assert_eq!(order_in["referral_code"]["maxLength"], json!(20));
    assert!(order_in["redeem_points"]["description"]
        .as_str()
        .unwrap()
        .contains("422 naming `redeem_points`"));
    for answer in ["Quote", "OrderCreated"] {
        assert!(
            schemas[answer]["properties"]["loyalty"].is_object(),
            "{answer}"
        );
    }
    assert!(schemas["LoyaltyOut"]["properties"]["redeemed_cents"].is_object());
}

#[tokio::test]
async fn the_report_counts_points_given_spent_and_given_back_and_what_is_held() {
    let a = api().await;
    let owner = a.s.signed_in(OWNER).await;
    let today = a.s.state.config.today();
    let report = || async {
        let body = format!("from={today}&to={today}&grain=day");
        let (status, r) = a.s.json(&owner, "/api/get_report", &body).await;
        assert_eq!(status, 200, "{r}");
        r["loyalty"].clone()
    };
    let before = report().await;
    assert!(before.is_object(), "the demo runs a programme: {before}");
    // 300 points given; an order spends 100 (€5.00), another spends 120 (€6.00) and is
    // cancelled, so those come back.
    let c = a.customer_with("667000001", "rep-1", 300).await;
    let day = pickup_day(&a.s);
    let mut spend = order("667000001", &day, 2);
    spend["redeem_points"] = json!(100);
    let (status, kept) = a.post("/api/v1/orders", Some("rep-2"), &spend).await;
    assert_eq!(status, 201, "{kept}");
    spend["redeem_points"] = json!(120);
    let (status, undone) = a.post("/api/v1/orders", Some("rep-3"), &spend).await;
    assert_eq!(status, 201, "{undone}");
    let undone_id = a.order_id(undone["order_number"].as_i64().unwrap()).await;
    a.apply(
        undone_id,
        Command::Cancel {
            reason: "Changed their mind".into(),
        },
    )
    .await;
    assert_eq!(a.available(c).await, 200);
    let after = report().await;
    let grew = |path: &[&str]| {
        let get = |v: &Value| path.iter().fold(v.clone(), |v, k| v[*k].clone());
        get(&after).as_i64().unwrap() - get(&before).as_i64().unwrap()
    };
    assert_eq!(grew(&["movement", "adjusted"]), 300);
    assert_eq!(
        grew(&["movement", "redeemed"]),
        100,
        "120 spent, 120 given back"
    );
    assert_eq!(grew(&["movement", "redeemed_cents"]), 500);
    assert_eq!(grew(&["movement", "spenders"]), 1);
    assert_eq!(grew(&["held"]), 200);
    assert_eq!(grew(&["held_cents"]), 1000);
    assert_eq!(grew(&["holders"]), 1);
    // The customers list shows what they hold.
    let (status, list) = a.s.json(&owner, "/api/list_customers", "q=667000001").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list[0][0]["points"], json!(200), "{list}");
    // The spreadsheet has the same figures.
    let body = format!("from={today}&to={today}&grain=day&table=loyalty");
    let (status, csv) = a.s.json(&owner, "/api/report_csv", &body).await;
    assert_eq!(status, 200, "{csv}");
    let text = csv["csv"].as_str().unwrap();
    let held = after["held"].as_i64().unwrap();
    assert!(text.contains(&format!("held_at_end,{held},")), "{text}");
    assert!(
        text.starts_with("\u{feff}movement,points,previous_period"),
        "{text}"
    );
}

#[tokio::test]
async fn balance_rows_agree_with_the_ledger_and_a_missing_or_stale_one_is_replayed() {
    let a = api().await;
    let pool = &a.s.state.pool;
    let today = a.s.state.config.today();
    let c = a.customer_with("644000001", "bal-1", 250).await;
    let d = a.customer_with("644000002", "bal-2", 0).await;
    let held = || async {
        let mut conn = pool.acquire().await.unwrap();
        hearth::loyalty::store::held_by_all(&mut conn, today)
            .await
            .unwrap()
    };
    let row = |id: i64| async move {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT points, as_of FROM loyalty_balances WHERE customer_id = ?",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
        .unwrap()
    };
    // The ledger's writer keeps c's row.
    assert_eq!(row(c).await, Some((250, today.to_string())));
    assert_eq!(held().await.get(&c), Some(&250));
    // A line written around the writer (as a ledger from before the rows existed): d has no
    // row, and is replayed.
    sqlx::query(
        "INSERT INTO loyalty_ledger (customer_id, kind, points, on_day) VALUES (?, 'adjusted', 70, ?)",
    )
    .bind(d)
    .bind(today.to_string())
    .execute(pool)
    .await
    .unwrap();
    assert_eq!(row(d).await, None);
    assert_eq!(held().await.get(&d), Some(&70));
    // A row out of date (a lot lapsed since) is replayed, not believed.
    sqlx::query(
        "UPDATE loyalty_balances SET points = 999, as_of = date(?1, '-1 day'), good_until = ?1
         WHERE customer_id = ?2",
    )
    .bind(today.to_string())
    .bind(c)
    .execute(pool)
    .await
    .unwrap();
    assert_eq!(held().await.get(&c), Some(&250));
    // The worker writes the missing and the stale rows again, and only those.
    let mut tx = hearth::server::db::begin_write(pool).await.unwrap();
    let n = hearth::loyalty::store::fill_balances(&mut tx, today)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(row(c).await.map(|r| r.0), Some(250));
    assert_eq!(row(d).await.map(|r| r.0), Some(70));
    // While it is good, the row is what is read (the replay is not what answers).
    sqlx::query("UPDATE loyalty_balances SET points = 999 WHERE customer_id = ?")
        .bind(c)
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(held().await.get(&c), Some(&999));
    sqlx::query("DELETE FROM loyalty_balances WHERE customer_id = ?")
        .bind(c)
        .execute(pool)
        .await
        .unwrap();
    // Spending and giving back keep the rows; for every customer the rows agree with their
    // ledgers replayed.
    let day = pickup_day(&a.s);
    let mut body = order("644000001", &day, 2);
    body["redeem_points"] = json!(200);
    let (status, spent) = a.post("/api/v1/orders", Some("bal-spend"), &body).await;
    assert_eq!(status, 201, "{spent}");
    assert_eq!(row(c).await.map(|r| r.0), Some(50));
    let spent_id = a.order_id(spent["order_number"].as_i64().unwrap()).await;
    a.apply(
        spent_id,
        Command::Cancel {
            reason: "Changed their mind".into(),
        },
    )
    .await;
    assert_eq!(row(c).await.map(|r| r.0), Some(250));
    let everyone: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let replayed = hearth::loyalty::store::held_by(&mut conn, today, Some(&everyone))
        .await
        .unwrap();
    drop(conn);
    assert_eq!(held().await, replayed);
}
