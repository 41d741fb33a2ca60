//! Order-intake and board benchmarks (run: `./hearth.sh bench`). Prints one line per figure.
//!
//! - raw: the same inserts an order makes (one BEGIN IMMEDIATE transaction: customer upsert,
//!   order, item, history) straight into SQLite, 32 concurrent writers, WAL + synchronous=NORMAL
//!   as the server uses; the ceiling the HTTP path is compared with.
//! - intake: `storefront::intake::create` (rules, capacity checks, inserts), 32 concurrent.
//! - board: server-side render of /orders for one day with 5,000 orders in the database, as
//!   it opens (a page of cards per column) and with every card.
//! - fan-out: one order move, delivered as an event to 50 open boards.
//! - kitchen: intake with the ovens' batch limits on (available-to-promise) against the same
//!   intake with them off, in one run; the production plan of a day with 500 orders; intake
//!   with the pantry check on (stock far above the load) against off, on adjacent fresh days;
//!   the storefront catalog's availability (every product × the booking horizon) with the
//!   pantry check off and on.
// The board's view types are deep; the bench links the whole app like src/lib.rs does.
#![recursion_limit = "256"]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures::StreamExt;
use hearth::server::config::Config;
use hearth::server::{cli, db, demo, http};
use hearth::storefront::{intake, validate};

const WRITERS: usize = 32;
const ORDERS: usize = 4000;

/// Counts the statements sqlx runs (its `sqlx::query` log lines; `BEGIN` and `COMMIT` are not
/// logged) while `ON` is set: the statements of one order, with nothing else running.
mod statements {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use tracing::subscriber::Interest;
    use tracing_subscriber::layer::{Context, Layer};

    static ON: AtomicBool = AtomicBool::new(false);
    static SEEN: AtomicUsize = AtomicUsize::new(0);
    /// The statements' first words, printed with `HEARTH_BENCH_QUICK`.
    static LIST: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

    /// While set, each statement's time on its SQLite thread is added up by statement
    /// (`HEARTH_BENCH_QUICK`'s breakdown): (summary → (count, seconds)).
    static TIMING: AtomicBool = AtomicBool::new(false);
    pub type Times = std::collections::BTreeMap<String, (usize, f64)>;
    static TIMES: std::sync::Mutex<Times> = std::sync::Mutex::new(Times::new());

    /// A statement's log line: its first words and how long SQLite's thread spent on it
    /// (sqlx starts the clock on that thread, so the round trip is not in it).
    struct Summary<'a>(&'a mut String, &'a mut f64);

    impl tracing::field::Visit for Summary<'_> {
        fn record_debug(&mut self, f: &tracing::field::Field, v: &dyn std::fmt::Debug) {
            if f.name() == "summary" {
                *self.0 = format!("{v:?}");
            }
        }
        fn record_f64(&mut self, f: &tracing::field::Field, v: f64) {
            if f.name() == "elapsed_secs" {
                *self.1 = v;
            }
        }
    }

    struct Count;

    impl<S: tracing::Subscriber> Layer<S> for Count {
        fn register_callsite(&self, m: &'static tracing::Metadata<'static>) -> Interest {
            if m.target() == "sqlx::query" || m.target() == "hearth::group" {
                Interest::sometimes()
            } else {
                Interest::never()
            }
        }
        fn enabled(&self, m: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
            (m.target() == "sqlx::query"
                && (ON.load(Ordering::SeqCst) || TIMING.load(Ordering::SeqCst)))
                || (m.target() == "hearth::group" && GROUPING.load(Ordering::SeqCst))
        }
        fn on_event(&self, e: &tracing::Event<'_>, _: Context<'_, S>) {
            if e.metadata().target() == "hearth::group" {
                let mut g = (0, 0, 0);
                e.record(&mut Group(&mut g));
                GROUPS.lock().unwrap().push(g);
                return;
            }
            let (mut summary, mut secs) = (String::new(), 0.0);
            e.record(&mut Summary(&mut summary, &mut secs));
            if TIMING.load(Ordering::SeqCst) {
                let mut times = TIMES.lock().unwrap();
                let t = times.entry(summary.clone()).or_default();
                t.0 += 1;
                t.1 += secs;
            }
            if ON.load(Ordering::SeqCst) {
                SEEN.fetch_add(1, Ordering::SeqCst);
                LIST.lock().unwrap().push(summary);
            }
        }
    }

    /// Groups of writes committed while `GROUPING` is set: (writes, held µs, commit µs).
    pub static GROUPING: AtomicBool = AtomicBool::new(false);
    pub static GROUPS: std::sync::Mutex<Vec<(u64, u64, u64)>> = std::sync::Mutex::new(Vec::new());

    struct Group<'a>(&'a mut (u64, u64, u64));

    impl tracing::field::Visit for Group<'_> {
        fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
        fn record_u64(&mut self, f: &tracing::field::Field, v: u64) {
            match f.name() {
                "writes" => self.0 .0 = v,
                "held_us" => self.0 .1 = v,
                "commit_us" => self.0 .2 = v,
                _ => {}
            }
        }
    }

    pub fn install() {
        use tracing_subscriber::layer::SubscriberExt;
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Count))
            .unwrap();
    }

    /// Starts adding up the time SQLite's threads spend on each statement.
    pub fn start_timing() {
        TIMES.lock().unwrap().clear();
        TIMING.store(true, Ordering::SeqCst);
    }

    /// Stops, and returns the times added up since `start_timing`.
    pub fn stop_timing() -> Times {
        TIMING.store(false, Ordering::SeqCst);
        std::mem::take(&mut *TIMES.lock().unwrap())
    }

    /// Prints, per statement of an order, SQLite's time on it alone and under the queue (µs
    /// an order), and their sums against the wall time an order took (`per_order_ms`).
    pub fn print(alone: &Times, queued: &Times, orders: (usize, usize), per_order_ms: (f64, f64)) {
        let per = |t: &Times, k: &str, n: usize| t.get(k).map_or(0.0, |(_, s)| s * 1e6 / n as f64);
        println!("  SQLite's time per order (µs), alone | under 32 writers, by statement:");
        let mut sums = (0.0, 0.0);
        for k in alone
            .keys()
            .chain(queued.keys().filter(|k| !alone.contains_key(*k)))
        {
            let (a, q) = (per(alone, k, orders.0), per(queued, k, orders.1));
            sums = (sums.0 + a, sums.1 + q);
            let calls = queued.get(k).map_or(0, |c| c.0) as f64 / orders.1 as f64;
            println!(
                "  {a:>7.1} | {q:>7.1}  ({calls:.1}×) {}",
                k.chars().take(90).collect::<String>()
            );
        }
        println!(
            "  {:>7.1} | {:>7.1}  SQLite's time in all; an order's wall time {:.0} | {:.0} µs",
            sums.0,
            sums.1,
            per_order_ms.0 * 1000.0,
            per_order_ms.1 * 1000.0
        );
    }

    /// The statements `f` runs.
    pub async fn of<T>(f: impl std::future::Future<Output = T>) -> usize {
        SEEN.store(0, Ordering::SeqCst);
        LIST.lock().unwrap().clear();
        ON.store(true, Ordering::SeqCst);
        f.await;
        ON.store(false, Ordering::SeqCst);
        if std::env::var_os("HEARTH_BENCH_QUICK").is_some() {
            for (i, s) in LIST.lock().unwrap().iter().enumerate() {
                println!("  {:>2}. {s}", i + 1);
            }
        }
        SEEN.load(Ordering::SeqCst)
    }
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn fresh(dir: &std::path::Path) -> hearth::server::state::AppState {
    let mut config = Config::from_env().unwrap();
    config.database_url = format!("sqlite://{}/bench.db", dir.display());
    config.site_root = dir.display().to_string();
    let state = cli::prepare(config).await.unwrap();
    demo::load(&state.pool, &state.config, false).await.unwrap();
    sqlx::query("UPDATE districts SET capacity_per_day = 1000000, served_weekdays = 127, min_order_cents = 0")
        .execute(&state.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE products SET daily_capacity = 1000000")
        .execute(&state.pool)
        .await
        .unwrap();
    state
}

/// One order's rows straight into SQLite, in one `BEGIN IMMEDIATE` transaction, each row one
/// `INSERT` with values already at hand: what a storefront order writes (the customer matched
/// by phone, the order numbered in its own statement, its line, its history line, the webhook
/// outbox row, the owner's alert, the audit line) — 7 statements; the tables, their indexes
/// and the capacity triggers are the server's. No reads of settings, no rules. `batched`: the
/// five rows after the order's (which need nothing read back) go to SQLite's thread as one
/// `db::Batch`, as the order core sends them — the fastest way this code has to write them.
async fn raw_order(pool: &sqlx::SqlitePool, day: &str, phone: &str, token: &str, batched: bool) {
    let mut tx = db::begin_write(pool).await.unwrap();
    let now = db::now();
    let cid: i64 = sqlx::query_scalar(
        "INSERT INTO customers (name, phone, address, lat, lng, district_id, marketing_opt_in, created_at, updated_at)
         VALUES ('Raw', ?, 'Calle Mayor 1', 40.417, -3.704, 1, 0, ?, ?)
         ON CONFLICT (phone) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at RETURNING id",
    )
    .bind(phone)
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let (oid, number): (i64, i64) = sqlx::query_as(
        "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, window_from, window_to,
                             address, lat, lng, district_id, payment_method, paid, subtotal_cents, delivery_fee_cents,
                             total_cents, source, created_at, updated_at)
         VALUES ((SELECT COALESCE(MAX(number), 1000) + 1 FROM orders), ?, ?, 'received', 'delivery', ?, '09:00', '12:00',
                 'Calle Mayor 1', 40.417, -3.704, 1, 'prepaid', 1, 1300, 250, 1550, 'storefront', ?, ?)
         RETURNING id, number",
    )
    .bind(token)
    .bind(cid)
    .bind(day)
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let payload = serde_json::json!({
        "event": "order.created", "order_number": number, "status": "received", "fulfilment": "delivery",
        "date": day, "window": {"from": "09:00", "to": "12:00"}, "tracking_token": token,
        "customer": {"first_name": "Raw", "phone": phone},
    })
    .to_string();
    let args = serde_json::json!({"number": number.to_string(), "name": "Raw", "day": day, "total_cents": "1550"}).to_string();
    let detail = serde_json::json!({"after": {"day": day, "fulfilment": "delivery", "total_cents": 1550, "discount_cents": 0, "lines": 1}}).to_string();
    let tail: [(&str, Vec<db::Value>); 5] = [
        (
            "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?1, 1, 2, 650)",
            vec![oid.into()],
        ),
        (
            "INSERT INTO order_events (order_id, kind, to_status, detail, created_at) VALUES (?1, 'created', 'received', 'Website checkout', ?2)",
            vec![oid.into(), now.as_str().into()],
        ),
        (
            "INSERT INTO webhook_outbox (event, order_id, payload, next_attempt_at, created_at, updated_at) VALUES ('order.created', ?1, ?2, ?3, ?3, ?3)",
            vec![oid.into(), payload.into(), now.as_str().into()],
        ),
        (
            "INSERT INTO alerts (kind, order_id, args, link, in_app, created_at) VALUES ('new_order', ?1, ?2, ?3, 1, ?4)",
            vec![oid.into(), args.into(), format!("/orders?order={oid}").into(), now.as_str().into()],
        ),
        (
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?1, 'Website', 'order.created', ?2, ?3)",
            vec![now.as_str().into(), format!("Order #{number}").into(), detail.into()],
        ),
    ];
    // Each row its own statement and round trip, or (`batched`) the five rows that need
    // nothing back sent together, as the order core sends them.
    let mut batch = db::Batch::default();
    for (sql, values) in tail {
        batch.push(sql, values);
        if !batched {
            std::mem::take(&mut batch).run(&mut *tx).await.unwrap();
        }
    }
    batch.run(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// `ORDERS` raw orders on `day` by `WRITERS` writers (`batched`: see `raw_order`).
async fn raw_inserts(pool: &sqlx::SqlitePool, day: &str, batched: bool) -> (f64, Vec<f64>) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let pool = pool.clone();
        let day = day.to_string();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            for i in 0..ORDERS / WRITERS {
                let t = Instant::now();
                raw_order(
                    &pool,
                    &day,
                    &format!("+3471{w:02}{i:05}"),
                    &format!("raw{w}-{i}-{day}-{batched}"),
                    batched,
                )
                .await;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    (ORDERS as f64 / started.elapsed().as_secs_f64(), all)
}

/// One storefront order through `intake::create` (validation, rules, capacity, the order core),
/// with the request field `extra` (name, value) when given.
async fn intake_order(
    state: &hearth::server::state::AppState,
    products: &std::collections::HashMap<String, validate::ProductRef>,
    day: &str,
    phone: &str,
    extra: &Option<(&'static str, serde_json::Value)>,
) {
    let mut json = serde_json::json!({
        "customer": {"name": "Bench", "phone": phone},
        "fulfilment": {"type": "delivery", "address": "Calle Mayor 1", "lat": 40.417, "lng": -3.704, "date": day},
        "items": [{"sku": "BRD-SOUR", "quantity": 2}],
        "payment": {"method": "prepaid"}
    });
    if let Some((field, value)) = extra {
        json[*field] = value.clone();
    }
    let body: hearth::storefront::model::OrderIn = serde_json::from_value(json).unwrap();
    let order = validate::order(&body, state.config.today(), products, "34").unwrap();
    intake::create(
        &state.pool,
        &state.config,
        &order,
        intake::Source::Storefront,
        "http://x",
    )
    .await
    .map_err(|e| format!("{e:?}"))
    .unwrap();
}

async fn via_intake(state: &hearth::server::state::AppState, day: &str) -> (f64, Vec<f64>) {
    via_intake_with(state, day, None).await
}

/// Intake of `ORDERS` orders on `day`, each with the request field `extra` (name, value) when
/// given: a promotion code, points to spend.
async fn via_intake_with(
    state: &hearth::server::state::AppState,
    day: &str,
    extra: Option<(&'static str, serde_json::Value)>,
) -> (f64, Vec<f64>) {
    let products = intake::products(&state.pool).await.unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let state = state.clone();
        let products = products.clone();
        let day = day.to_string();
        let extra = extra.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            for i in 0..ORDERS / WRITERS {
                let t = Instant::now();
                intake_order(
                    &state,
                    &products,
                    &day,
                    &format!("+3472{w:02}{i:05}"),
                    &extra,
                )
                .await;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    (ORDERS as f64 / started.elapsed().as_secs_f64(), all)
}

/// The latencies' tail, and the groups of writes committed since the last call (the group
/// writer's debug events, collected while `statements::GROUPING` is set): their sizes, how long
/// each took until its commit, and the commits (a commit that checkpoints is the slow one).
fn tail(lat: &[f64]) {
    let mut sorted = lat.to_vec();
    sorted.sort_by(f64::total_cmp);
    println!(
        "  tail: p50 {:.1} p75 {:.1} p90 {:.1} p95 {:.1} p99 {:.1} p99.9 {:.1} max {:.1} ms",
        pct(&sorted, 0.5),
        pct(&sorted, 0.75),
        pct(&sorted, 0.9),
        pct(&sorted, 0.95),
        pct(&sorted, 0.99),
        pct(&sorted, 0.999),
        pct(&sorted, 1.0)
    );
    let groups = std::mem::take(&mut *statements::GROUPS.lock().unwrap());
    if groups.is_empty() {
        return;
    }
    let mut sizes: Vec<u64> = groups.iter().map(|g| g.0).collect();
    let mut held: Vec<f64> = groups.iter().map(|g| g.1 as f64 / 1000.0).collect();
    let mut commit: Vec<f64> = groups.iter().map(|g| g.2 as f64 / 1000.0).collect();
    sizes.sort();
    held.sort_by(f64::total_cmp);
    commit.sort_by(f64::total_cmp);
    let n = sizes.len();
    println!(
        "  groups: {n}, writes p10/p50/p90/max {}/{}/{}/{}; held p50 {:.1} p99 {:.1} max {:.1} ms; commit p50 {:.2} p99 {:.2} max {:.2} ms ({} commits over 5 ms)",
        sizes[n / 10], sizes[n / 2], sizes[n * 9 / 10], sizes[n - 1],
        pct(&held, 0.5), pct(&held, 0.99), pct(&held, 1.0),
        pct(&commit, 0.5), pct(&commit, 0.99), pct(&commit, 1.0),
        commit.iter().filter(|c| **c > 5.0).count()
    );
}

fn report(name: &str, rate: f64, mut lat: Vec<f64>) {
    lat.sort_by(f64::total_cmp);
    println!(
        "{name:<8} {rate:>8.0} orders/s   p50 {:>6.2} ms   p99 {:>6.2} ms   ({ORDERS} orders, {WRITERS} writers)",
        pct(&lat, 0.5),
        pct(&lat, 0.99)
    );
}

/// The production plan of a day with 500 orders of mixed products (50 runs of it).
async fn kitchen_plan(state: &hearth::server::state::AppState) {
    let day = state.config.today() + chrono::Duration::days(6);
    sqlx::query(
        "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, payment_method,
                             subtotal_cents, total_cents, window_from, window_to)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
         SELECT 800000 + i, 'kitchen' || i, 1 + (i % 80), 'received', 'pickup', ?, 'cod', 1300, 1300, '10:00', '10:30' FROM n",
    )
    .bind(day.to_string())
    .execute(&state.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
         SELECT o.id, p.id, 1 + (o.id + p.id) % 3, p.price_cents FROM orders o JOIN products p ON (o.id + p.id) % 4 = 0
         WHERE o.number > 800000 AND o.number <= 800500",
    )
    .execute(&state.pool)
    .await
    .unwrap();
    let mut times = Vec::new();
    let (mut lines, mut orders) = (0, 0);
    for _ in 0..50 {
        let mut conn = state.pool.acquire().await.unwrap();
        let t = Instant::now();
        let plan = hearth::kitchen::plan::plan(
            &mut conn,
            &state.config,
            &hearth::i18n::Lang::english(),
            day,
        )
        .await
        .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        lines = plan.lines.len();
        orders = plan.orders;
        // The 500 and the demo's own orders for that day.
        assert!(plan.orders >= 500);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "kitchen  production plan of a day with {orders} orders ({lines} products): p50 {:.1} ms, max {:.1} ms",
        pct(&times, 0.5),
        times[times.len() - 1]
    );
}

/// Switches booking's pantry check; on, first stocks every ingredient far above any load.
async fn pantry(state: &hearth::server::state::AppState, on: bool) {
    let mut tx = db::begin_write(&state.pool).await.unwrap();
    if on {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM ingredients")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        let by = hearth::kitchen::stock::MoveBy {
            user_id: None,
            reason: "bench",
            batch_id: None,
        };
        let today = state.config.today().to_string();
        for id in ids {
            hearth::kitchen::stock::receive(&mut tx, id, 1_000_000_000, "bench", None, &today, &by)
                .await
                .unwrap();
        }
    }
    hearth::kitchen::purchase::set_check_pantry(&mut tx, on)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The storefront catalog (each product's days available over the horizon), pantry off and on.
async fn catalog(state: &hearth::server::state::AppState, base: &str) {
    let (_, key) = hearth::storefront::keys::create(&state.pool, "bench", None)
        .await
        .unwrap();
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE fulfil_on >= ? AND status NOT IN ('cancelled', 'delivered', 'failed', 'collected')",
    )
    .bind(state.config.today().to_string())
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let http = reqwest::Client::new();
    for on in [false, true] {
        pantry(state, on).await;
        let mut times = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let res = http
                .get(format!("{base}/api/v1/catalog"))
                .bearer_auth(&key)
                .send()
                .await
                .unwrap();
            assert!(res.status().is_success());
            res.bytes().await.unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "kitchen  catalog availability, pantry check {}: p50 {:.1} ms, max {:.1} ms ({open} open orders)",
            if on { "on" } else { "off" },
            pct(&times, 0.5),
            times[times.len() - 1]
        );
    }
    pantry(state, false).await;
}

/// The loyalty programme off or on; on, every bench customer gets 10,000 points to spend.
async fn loyalty(state: &hearth::server::state::AppState, on: bool) {
    let mut tx = hearth::server::db::begin_write(&state.pool).await.unwrap();
    let program = hearth::loyalty::Program {
        enabled: on,
        ..Default::default()
    };
    hearth::loyalty::store::save_program(&mut tx, &program)
        .await
        .unwrap();
    if on {
        let customers: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM customers WHERE phone LIKE '+3472%'")
                .fetch_all(&mut *tx)
                .await
                .unwrap();
        for c in customers {
            hearth::loyalty::store::adjust(&mut tx, c, 10_000, "Bench", 1, state.config.today())
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

async fn serve(state: hearth::server::state::AppState) -> String {
    let app = http::router(state).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .ok();
    });
    format!("http://{addr}")
}

async fn sign_in(base: &str, email: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let res = c
        .post(format!("{base}/api/login"))
        .header("accept", "application/json")
        .form(&[("email", email), ("password", "demo-bakery")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    c
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let state = fresh(dir.path()).await;
    let day = (state.config.today() + chrono::Duration::days(3)).to_string();

    statements::install();
    let products = intake::products(&state.pool).await.unwrap();
    let raw_n = statements::of(raw_order(
        &state.pool,
        &day,
        "+34700000001",
        "count-raw",
        false,
    ))
    .await;
    // The first order on a file reads the menu and districts into memory (`intake::known`);
    // the count is of an order after it, as every order under load is.
    intake_order(&state, &products, &day, "+34700000003", &None).await;
    let intake_n =
        statements::of(intake_order(&state, &products, &day, "+34700000002", &None)).await;
    println!("round trips to SQLite's thread per order (a statement or a batch of them; BEGIN and COMMIT not counted): raw {raw_n}, intake {intake_n}");
    let (rate, lat) = raw_inserts(&state.pool, &day, false).await;
    report("raw", rate, lat);
    let (rate, lat) = via_intake(&state, &day).await;
    report("intake", rate, lat);
    if std::env::var_os("HEARTH_BENCH_QUICK").is_some() {
        // One writer alone: how long an order takes with nobody queueing (300 of each).
        let day = (state.config.today() + chrono::Duration::days(8)).to_string();
        let (mut raw, mut took) = (Vec::new(), Vec::new());
        let mut alone = statements::Times::new();
        for i in 0..300 {
            let t = Instant::now();
            raw_order(
                &state.pool,
                &day,
                &format!("+3473{i:05}"),
                &format!("alone{i}"),
                false,
            )
            .await;
            raw.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            statements::start_timing();
            intake_order(&state, &products, &day, &format!("+3474{i:05}"), &None).await;
            for (k, (n, secs)) in statements::stop_timing() {
                let a = alone.entry(k).or_default();
                a.0 += n;
                a.1 += secs;
            }
            took.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        raw.sort_by(f64::total_cmp);
        took.sort_by(f64::total_cmp);
        println!(
            "alone    one writer, p50: raw {:.2} ms, intake {:.2} ms",
            pct(&raw, 0.5),
            pct(&took, 0.5)
        );
        // Where an order's time goes: SQLite's own time per statement, alone and queued.
        let day = (state.config.today() + chrono::Duration::days(9)).to_string();
        statements::start_timing();
        let (rate, _) = via_intake(&state, &day).await;
        let queued = statements::stop_timing();
        let alone_ms = took.iter().sum::<f64>() / took.len() as f64;
        statements::print(&alone, &queued, (300, ORDERS), (alone_ms, 1000.0 / rate));
        // The ratio, measured twice more alternately on fresh days (for changes to the
        // intake: a few minutes instead of the whole run).
        for d in [6, 7] {
            let day = (state.config.today() + chrono::Duration::days(d)).to_string();
            let (raw, lat) = raw_inserts(&state.pool, &day, false).await;
            tail(&lat);
            report("raw", raw, lat);
            let (batched, lat) = raw_inserts(&state.pool, &day, true).await;
            report("raw, 5 rows batched", batched, lat);
            statements::GROUPING.store(true, std::sync::atomic::Ordering::SeqCst);
            let (rate, lat) = via_intake(&state, &day).await;
            statements::GROUPING.store(false, std::sync::atomic::Ordering::SeqCst);
            tail(&lat);
            report("intake", rate, lat);
            println!(
                "ratio    intake / raw: {:.2}; intake / raw with 5 rows batched: {:.2}",
                rate / raw,
                rate / batched
            );
        }
        return;
    }
    let off = rate;
    // The same intake with every oven limited (limits far above the load: each order is
    // checked against the station's batches, none refused).
    sqlx::query("INSERT INTO stations (name, batches_per_day) SELECT DISTINCT station, 10000 FROM recipes WHERE true ON CONFLICT (name) DO UPDATE SET batches_per_day = 10000")
        .execute(&state.pool)
        .await
        .unwrap();
    let atp_day = (state.config.today() + chrono::Duration::days(5)).to_string();
    let (rate, lat) = via_intake(&state, &atp_day).await;
    report("atp", rate, lat);
    println!(
        "kitchen  intake with oven limits on / off: {:.2}",
        rate / off
    );
    kitchen_plan(&state).await;

    // Intake with a promotion code (10 % off, no limits) against the same intake without one,
    // on two fresh days, one after the other.
    {
        let mut tx = hearth::server::db::begin_write(&state.pool).await.unwrap();
        let draft = hearth::promotions::Draft {
            name: "Bench".into(),
            code: "BENCH10".into(),
            per_customer_limit: String::new(),
            ..Default::default()
        };
        let checked = hearth::promotions::write::check(&mut tx, &draft)
            .await
            .unwrap();
        hearth::promotions::write::create(&mut tx, &checked, 1)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let plain_day = (state.config.today() + chrono::Duration::days(8)).to_string();
    let promo_day = (state.config.today() + chrono::Duration::days(9)).to_string();
    let (plain, lat) = via_intake_with(&state, &plain_day, None).await;
    report("no code", plain, lat);
    let (promo, lat) = via_intake_with(
        &state,
        &promo_day,
        Some(("promo_code", serde_json::json!("BENCH10"))),
    )
    .await;
    report("code", promo, lat);
    println!(
        "promo    intake with a code / without: {:.2}",
        promo / plain
    );

    // Loyalty: the programme off, then on (each order reads its customer's points for the
    // answer), then on with every order spending 100 points (its customer given 10,000 first),
    // on three fresh days, one after the other.
    loyalty(&state, false).await;
    let days: Vec<String> = [12, 13, 7]
        .iter()
        .map(|d| (state.config.today() + chrono::Duration::days(*d)).to_string())
        .collect();
    let (off, lat) = via_intake(&state, &days[0]).await;
    report("points off", off, lat);
    loyalty(&state, true).await;
    let (on, lat) = via_intake(&state, &days[1]).await;
    report("points on", on, lat);
    let (spend, lat) = via_intake_with(
        &state,
        &days[2],
        Some(("redeem_points", serde_json::json!(100))),
    )
    .await;
    report("spending", spend, lat);
    println!(
        "loyalty  intake with the programme on / off: {:.2}",
        on / off
    );
    println!(
        "loyalty  intake spending 100 points / programme off: {:.2}",
        spend / off
    );

    // The pantry check: off, then on with every ingredient stocked far above the load (each
    // order walks its ingredients over the booked days; none refused), on two fresh days.
    let (off_day, on_day) = (
        (state.config.today() + chrono::Duration::days(10)).to_string(),
        (state.config.today() + chrono::Duration::days(11)).to_string(),
    );
    let (pantry_off, lat) = via_intake(&state, &off_day).await;
    report("no pantry", pantry_off, lat);
    pantry(&state, true).await;
    let (pantry_on, lat) = via_intake(&state, &on_day).await;
    report("pantry", pantry_on, lat);
    println!(
        "kitchen  intake with the pantry check on / off: {:.2}",
        pantry_on / pantry_off
    );
    pantry(&state, false).await;

    // Board: 5,000 orders on one day (the raw and intake runs already put 8,000 on `day`; use a
    // fresh day with exactly 5,000).
    let board_day = (state.config.today() + chrono::Duration::days(4)).to_string();
    sqlx::query(
        "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, payment_method,
                             subtotal_cents, total_cents, district_id, lat, lng, window_from, window_to)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
         SELECT 900000 + i, 'board' || i, 1 + (i % 80),
                CASE i % 5 WHEN 0 THEN 'received' WHEN 1 THEN 'confirmed' WHEN 2 THEN 'baking' WHEN 3 THEN 'ready' ELSE 'out_for_delivery' END,
                'delivery', ?, 'cod', 1300, 1500, 1 + (i % 11), 40.41, -3.70, '09:00', '11:00' FROM n",
    )
    .bind(&board_day)
    .execute(&state.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) SELECT id, 1, 2, 650 FROM orders WHERE number > 900000")
        .execute(&state.pool)
        .await
        .unwrap();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let base = serve(state.clone()).await;
    let owner = sign_in(&base, "owner@hearth.demo").await;
    catalog(&state, &base).await;
    // As the board opens (a page of cards per column), and with every card asked for.
    for (what, query) in [
        (
            "first render (40 cards a column) of a day of 5,000",
            String::new(),
        ),
        (
            "render of all 5,000 cards (show=10000)",
            "&show=10000".to_string(),
        ),
    ] {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..10 {
            let t = Instant::now();
            let html = owner
                .get(format!("{base}/orders?day={board_day}{query}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            bytes = html.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "board    {what}: p50 {:.0} ms, max {:.0} ms, {:.2} MB HTML ({total} orders in the database)",
            pct(&times, 0.5),
            times[times.len() - 1],
            bytes as f64 / 1e6
        );
    }

    // Fan-out: 50 open boards (SSE), one move.
    let mut streams = Vec::new();
    for _ in 0..50 {
        let c = sign_in(&base, "staff@hearth.demo").await;
        let res = c.get(format!("{base}/events/orders")).send().await.unwrap();
        streams.push(res.bytes_stream());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (id, version): (i64, i64) = sqlx::query_as(
        "SELECT id, version FROM orders WHERE status = 'received' AND lat IS NOT NULL LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let started = Instant::now();
    let res = owner
        .post(format!("{base}/api/move_order"))
        .header("accept", "application/json")
        .form(&[
            ("order_id", id.to_string()),
            ("to", "confirmed".into()),
            ("version", version.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let mut arrivals = Vec::new();
    let waits = streams.into_iter().map(|mut s| async move {
        let mut seen = String::new();
        while !seen.contains("confirmed") {
            let chunk = s.next().await.unwrap().unwrap();
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        started.elapsed().as_secs_f64() * 1000.0
    });
    for t in futures::future::join_all(waits).await {
        arrivals.push(t);
    }
    arrivals.sort_by(f64::total_cmp);
    println!(
        "fan-out  one move reached 50 open boards: p50 {:.1} ms, last {:.1} ms (from the request's start)",
        pct(&arrivals, 0.5),
        arrivals[arrivals.len() - 1]
    );
}
