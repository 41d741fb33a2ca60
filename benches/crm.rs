//! Customers and promotions at size (run: `./hearth.sh bench`): 50,000 customers and 500,000
//! orders on top of the demo bakery. Prints the time of segment evaluation (every customer's
//! facts, RFM scores, the rules) for a few segments, of one promotion's report (20,000 uses,
//! 10,000 personal codes with a held-back group), and the query plans of both, to show the
//! indexes are used.
use std::time::Instant;

use hearth::customers::segments::Rules;
use hearth::server::config::Config;
use hearth::server::{cli, demo};

const CUSTOMERS: i64 = 50_000;
const ORDERS: i64 = 500_000;

fn p50(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn plan(pool: &sqlx::SqlitePool, sql: &str) -> Vec<String> {
    sqlx::query_as::<_, (i64, i64, i64, String)>(&format!("EXPLAIN QUERY PLAN {sql}"))
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.3)
        .collect()
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::from_env().unwrap();
    config.database_url = format!("sqlite://{}/crm.db", dir.path().display());
    config.site_root = dir.path().display().to_string();
    let state = cli::prepare(config).await.unwrap();
    demo::load(&state.pool, &state.config, false).await.unwrap();
    let pool = &state.pool;
    let t = Instant::now();
    let today = state.config.today();
    for sql in [
        // Customers: a third email, a fifth SMS, a quarter WhatsApp; twelve districts.
        format!(
            "INSERT INTO customers (name, phone, district_id, email_ok, sms_ok, whatsapp_ok, marketing_opt_in)
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CUSTOMERS})
             SELECT 'Bench ' || i, '+3490' || printf('%07d', i), 1 + (i % 11), i % 3 = 0, i % 5 = 0, i % 4 = 0,
                    i % 3 = 0 OR i % 5 = 0 OR i % 4 = 0 FROM n"
        ),
        // Orders over the last 400 days, ten per customer on average, skewed towards the first.
        format!(
            "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, payment_method,
                                 subtotal_cents, total_cents, district_id, created_at)
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ORDERS})
             SELECT 2000000 + i, 'crm' || i,
                    (SELECT MIN(id) FROM customers WHERE phone LIKE '+3490%') + ((i * i) % {CUSTOMERS}),
                    CASE WHEN i % 20 = 0 THEN 'cancelled' ELSE 'delivered' END, 'pickup',
                    date('{today}', '-' || (i % 400) || ' day'), 'cod', 1000 + (i % 37) * 100, 1000 + (i % 37) * 100,
                    1 + (i % 11), strftime('%Y-%m-%dT%H:%M:%fZ', date('{today}', '-' || (i % 400) || ' day'))
             FROM n"
        ),
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
         SELECT id, 1 + (id % 15), 1 + (id % 3), 650 FROM orders WHERE number > 2000000"
            .to_string(),
        // Loyalty: every delivered order earned its points (lasting 182 days); one in eight
        // of them was followed by 100 points spent on the same day.
        "INSERT INTO loyalty_ledger (customer_id, kind, points, order_id, expires_on, on_day)
         SELECT customer_id, 'earned', total_cents / 100, id, date(fulfil_on, '+182 day'), fulfil_on
         FROM orders WHERE number > 2000000 AND status = 'delivered'"
            .to_string(),
        "INSERT INTO loyalty_ledger (customer_id, kind, points, cents, order_id, on_day)
         SELECT customer_id, 'redeemed', -100, 500, id, fulfil_on
         FROM orders WHERE number > 2000000 AND status = 'delivered' AND id % 8 = 0"
            .to_string(),
    ] {
        sqlx::query(&sql).execute(pool).await.unwrap();
    }
    // A promotion used on 20,000 of those orders, with 10,000 personal codes (20 % held back).
    let promotion = {
        let mut tx = hearth::server::db::begin_write(pool).await.unwrap();
        let draft = hearth::promotions::Draft {
            name: "Bench report".into(),
            kind: "amount".into(),
            amount: "2.00".into(),
            holdout_percent: "20".into(),
            per_customer_limit: String::new(),
            ..Default::default()
        };
        let checked = hearth::promotions::write::check(&mut tx, &draft)
            .await
            .unwrap();
        let id = hearth::promotions::write::create(&mut tx, &checked, 1)
            .await
            .unwrap();
        let customers: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM customers WHERE phone LIKE '+3490%' ORDER BY id LIMIT 10000",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        hearth::promotions::write::issue_codes(&mut tx, id, &customers)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO promotion_uses (promotion_id, order_id, customer_id, items_cents, delivery_cents, created_at)
             SELECT ?, id, customer_id, 200, 0, created_at FROM orders WHERE number > 2000000 AND number % 25 = 0",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query("UPDATE promotion_codes SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-60 days') WHERE promotion_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(pool)
        .await
        .unwrap();
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(pool)
        .await
        .unwrap();
    println!(
        "crm      {customers} customers, {orders} orders loaded in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let segments = [
        ("everyone", Rules::default()),
        (
            "spent ≥ 100.00, WhatsApp",
            Rules {
                min_spend: "100".into(),
                consent: "whatsapp".into(),
                ..Rules::default()
            },
        ),
        (
            "RFM ≥ 4/4/4 in one district",
            Rules {
                district_id: Some(3),
                min_recency: 4,
                min_frequency: 4,
                min_monetary: 4,
                ..Rules::default()
            },
        ),
        (
            "holds ≥ 200 loyalty points",
            Rules {
                min_points: "200".into(),
                ..Rules::default()
            },
        ),
        (
            "bought product 5, last order before 90 days ago",
            Rules {
                product_id: Some(5),
                last_order_before: (today - chrono::Duration::days(90)).to_string(),
                ..Rules::default()
            },
        ),
    ];
    // The points segment as a first start finds the ledger (no balance rows yet: every
    // customer's ledger replayed), then the rows written as the server's worker writes them
    // at start; the segments below read them.
    {
        let points = Rules {
            min_points: "200".into(),
            ..Rules::default()
        }
        .filter()
        .unwrap();
        let mut times = Vec::new();
        for _ in 0..3 {
            let mut conn = pool.acquire().await.unwrap();
            let t = Instant::now();
            hearth::customers::segments_store::members(&mut conn, &points, today)
                .await
                .unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!(
            "segment  holds ≥ 200 loyalty points, every ledger replayed (no balance rows): p50 {:.0} ms (3 runs)",
            p50(times)
        );
        let t = Instant::now();
        let mut tx = hearth::server::db::begin_write(pool).await.unwrap();
        let n = hearth::loyalty::store::fill_balances(&mut tx, today)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        println!(
            "balances {n} rows written (once, at start) in {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    for (name, rules) in segments {
        let filter = rules.filter().unwrap();
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..5 {
            let mut conn = pool.acquire().await.unwrap();
            let t = Instant::now();
            n = hearth::customers::segments_store::members(&mut conn, &filter, today)
                .await
                .unwrap()
                .len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!(
            "segment  {name}: {n} customers, p50 {:.0} ms (5 runs)",
            p50(times)
        );
    }
    let costs = {
        let mut conn = pool.acquire().await.unwrap();
        hearth::kitchen::recipes::unit_costs(&mut conn)
            .await
            .unwrap()
    };
    let mut times = Vec::new();
    let mut figures = None;
    for _ in 0..5 {
        let mut conn = pool.acquire().await.unwrap();
        let t = Instant::now();
        figures = Some(
            hearth::promotions::store::figures(&mut conn, promotion, None, &costs)
                .await
                .unwrap(),
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let f = figures.unwrap();
    println!(
        "report   one promotion ({} orders, {} codes, {} held back): p50 {:.0} ms (5 runs)",
        f.orders,
        f.codes_issued,
        f.held_back,
        p50(times)
    );
    for (what, sql) in [
        (
            "segment facts",
            "SELECT c.id, COUNT(o.id), COALESCE(SUM(o.total_cents), 0), MAX(o.fulfil_on) FROM customers c
             LEFT JOIN orders o ON o.customer_id = c.id AND o.status <> 'cancelled'
             WHERE c.erased_at IS NULL GROUP BY c.id ORDER BY c.id",
        ),
        (
            "report: uses",
            "SELECT o.id FROM promotion_uses u JOIN orders o ON o.id = u.order_id
             WHERE u.promotion_id = 1 AND o.status <> 'cancelled'
               AND EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id AND e.created_at < o.created_at)",
        ),
        (
            "report: held back",
            "SELECT c.customer_id FROM promotion_codes c
             LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.status <> 'cancelled' AND o.created_at >= c.created_at
             LEFT JOIN order_items i ON i.order_id = o.id WHERE c.promotion_id = 1",
        ),
        (
            "limit check",
            "SELECT COUNT(*) FROM (SELECT 1 FROM promotion_uses u JOIN orders o ON o.id = u.order_id
             WHERE u.promotion_id = 1 AND u.customer_id = 5 AND o.status <> 'cancelled' LIMIT 3)",
        ),
    ] {
        println!("plan     {what}: {}", plan(pool, sql).await.join(" | "));
    }
}
