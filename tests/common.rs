//! A real Hearth server on a loopback port over a fresh SQLite file, for the HTTP tests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use hearth::server::config::Config;
use hearth::server::state::AppState;
use hearth::server::{cli, demo, http};

pub const PASSWORD: &str = "demo-bakery";
pub const OWNER: &str = "owner@hearth.demo";
pub const STAFF: &str = "staff@hearth.demo";
pub const DRIVER: &str = "driver@hearth.demo";
pub const DRIVER2: &str = "driver2@hearth.demo";

pub struct TestServer {
    pub base: String,
    pub state: AppState,
    _dir: tempfile::TempDir,
}

/// Starts a server with the demo bakery; `tweak` adjusts the configuration first.
pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestServer {
    spawn_inner(tweak, true).await
}

/// Starts a server on an empty database (migrated, no demo, no accounts).
#[allow(dead_code)]
pub async fn spawn_empty(tweak: impl FnOnce(&mut Config)) -> TestServer {
    spawn_inner(tweak, false).await
}

async fn spawn_inner(tweak: impl FnOnce(&mut Config), with_demo: bool) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::from_env().expect("config");
    config.database_url = format!("sqlite://{}/hearth.db", dir.path().display());
    config.production = false;
    config.secure_cookies = false;
    config.site_root = dir.path().display().to_string();
    config.backup_dir = Some(dir.path().join("backups"));
    tweak(&mut config);
    let state = cli::prepare(config).await.expect("prepare");
    if with_demo {
        demo::load(&state.pool, &state.config, false)
            .await
            .expect("demo data");
    }
    let app = http::router(state.clone()).await.expect("router");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .ok();
    });
    TestServer {
        base: format!("http://{addr}"),
        state,
        _dir: dir,
    }
}

impl TestServer {
    /// Sets the language `email` reads Hearth in (`None`: the bakery's), as Your account does.
    pub async fn reads(&self, email: &str, language: Option<&str>) {
        sqlx::query("UPDATE users SET language = ? WHERE email = ?")
            .bind(language)
            .bind(email)
            .execute(&self.state.pool)
            .await
            .unwrap();
    }

    /// The folder the test server's database lives in.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}

pub async fn spawn() -> TestServer {
    spawn_with(|_| {}).await
}

/// `name[0]=a&name[1]=b...`: a list argument of a server function, as the form encoding wants it.
pub fn indexed<T: std::fmt::Display>(name: &str, items: &[T]) -> String {
    items
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{name}[{i}]={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A browser-like client that keeps cookies and does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GETs `path` as `c` and returns the body (a server-rendered page's HTML).
    pub async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        c.get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Calls a server function with a form body, as the hydrated app does.
    pub async fn call(&self, c: &reqwest::Client, endpoint: &str, body: &str) -> reqwest::Response {
        c.post(self.url(endpoint))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    }

    /// A server function's status and answer (JSON, or the text when it isn't JSON).
    #[allow(dead_code)]
    pub async fn json(
        &self,
        c: &reqwest::Client,
        endpoint: &str,
        body: &str,
    ) -> (u16, serde_json::Value) {
        let res = self.call(c, endpoint, body).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let v = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, v)
    }

    /// A client signed in as `email` (demo password).
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let c = client();
        let res = self
            .call(
                &c,
                "/api/login",
                &format!("email={email}&password={PASSWORD}"),
            )
            .await;
        assert_eq!(
            res.status(),
            200,
            "sign-in of {email} failed: {:?}",
            res.text().await
        );
        c
    }

    /// Who the server thinks `c` is (None when signed out).
    pub async fn me(&self, c: &reqwest::Client) -> Option<String> {
        let res = self.call(c, "/api/me", "").await;
        assert_eq!(res.status(), 200);
        let v: serde_json::Value = res.json().await.unwrap();
        v.get("email").and_then(|e| e.as_str()).map(str::to_string)
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.state.pool)
            .await
            .unwrap()
    }

    /// `count(sql)` once it equals `want`, or what it is after five seconds: for what a
    /// background sender writes down just after the receiver already has the message.
    pub async fn count_settles(&self, sql: &'static str, want: i64) -> i64 {
        let mut n = self.count(sql).await;
        for _ in 0..50 {
            if n == want {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            n = self.count(sql).await;
        }
        n
    }
}

/// Form-encodes one value.
pub fn enc(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// As the owner: optimises today's deliveries into one run for the driver `email` and
/// publishes it. Returns the run's (order id, seq) in order.
pub async fn publish_today_for(
    s: &TestServer,
    owner: &reqwest::Client,
    email: &str,
) -> Vec<(i64, i64)> {
    let driver: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
        .bind(email)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let day = s.state.config.today().to_string();
    let res = s
        .call(
            owner,
            "/api/optimise_runs",
            &format!("day={day}&drivers[0]={driver}"),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(
        s.call(owner, "/api/publish_runs", &format!("day={day}"))
            .await
            .status(),
        200
    );
    // (order id, seq) of the run, in order.
    sqlx::query_as("SELECT s.order_id, s.seq FROM run_stops s JOIN runs r ON r.id = s.run_id WHERE r.driver_id = ? ORDER BY s.seq")
        .bind(driver)
        .fetch_all(&s.state.pool)
        .await
        .unwrap()
}

/// The header of a baseline JPEG of `w`×`h` (SOI, JFIF, SOF0, EOI): what the server reads to
/// check a photo's type and size without decoding it.
#[allow(dead_code)]
pub fn tiny_jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    b.extend([
        0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ]);
    b.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
    b.extend(h.to_be_bytes());
    b.extend(w.to_be_bytes());
    b.extend([0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    b.extend(vec![0u8; 2000]);
    b.extend([0xFF, 0xD9]);
    b
}

/// A local SMTP server for the email tests.
#[derive(Default)]
pub struct Inbox {
    /// Answer the first message's DATA with "451 try again".
    pub refuse_first: bool,
    /// Messages whose DATA was answered "451 try again".
    pub refused: usize,
    /// (RCPT TO, message text) of each accepted message.
    pub accepted: Vec<(String, String)>,
}

/// A minimal SMTP server (RFC 5321 happy path): greets, accepts EHLO/MAIL/RCPT/DATA/QUIT,
/// answers the first DATA with a temporary failure when asked to, stores the rest.
pub async fn smtp_receiver(inbox: Arc<Mutex<Inbox>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let inbox = inbox.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = tokio::io::BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.ok();
                let mut rcpt = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        write.write_all(b"250-test\r\n250 8BITMIME\r\n").await.ok();
                    } else if upper.starts_with("MAIL FROM")
                        || upper.starts_with("RSET")
                        || upper.starts_with("NOOP")
                    {
                        write.write_all(b"250 OK\r\n").await.ok();
                    } else if upper.starts_with("RCPT TO") {
                        rcpt = line[8..]
                            .trim()
                            .trim_matches(|c| c == '<' || c == '>' || c == ':')
                            .to_string();
                        write.write_all(b"250 OK\r\n").await.ok();
                    } else if upper == "DATA" {
                        write.write_all(b"354 go ahead\r\n").await.ok();
                        let mut text = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            text.push_str(&l);
                            text.push('\n');
                        }
                        let first = {
                            let mut i = inbox.lock().unwrap();
                            if i.refuse_first && i.refused == 0 {
                                i.refused += 1;
                                true
                            } else {
                                i.accepted.push((rcpt.clone(), text));
                                false
                            }
                        };
                        let reply: &[u8] = if first {
                            b"451 try again later\r\n"
                        } else {
                            b"250 queued\r\n"
                        };
                        write.write_all(reply).await.ok();
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        return;
                    } else {
                        write.write_all(b"502 not here\r\n").await.ok();
                    }
                }
            });
        }
    });
    format!("smtp://{addr}")
}

/// The storefront's side of a test: an API key of its own and a client posting JSON with it.
pub struct Storefront {
    pub key: String,
    http: reqwest::Client,
}

impl Storefront {
    pub async fn new(s: &TestServer) -> Storefront {
        let (_, key) = hearth::storefront::keys::create(&s.state.pool, "Website", None)
            .await
            .unwrap();
        Storefront {
            key,
            http: reqwest::Client::new(),
        }
    }

    /// POSTs `body` to `path` (with an Idempotency-Key when given): the status and the answer.
    pub async fn post(
        &self,
        s: &TestServer,
        path: &str,
        idem: Option<&str>,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let mut req = self
            .http
            .post(s.url(path))
            .bearer_auth(&self.key)
            .json(body);
        if let Some(k) = idem {
            req = req.header("Idempotency-Key", k);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }
}

/// The next Saturday at least two days away (every demo product is baked then; pickup open).
pub fn next_saturday(s: &TestServer) -> String {
    use chrono::Datelike;
    let mut d = s.state.config.today() + chrono::Duration::days(2);
    while d.weekday() != chrono::Weekday::Sat {
        d += chrono::Duration::days(1);
    }
    d.to_string()
}

/// Creates a promotion named `name` as the owner would type it (`tweak` fills the form).
pub async fn promotion(
    s: &TestServer,
    name: &str,
    tweak: impl FnOnce(&mut hearth::promotions::Draft),
) -> i64 {
    let mut d = hearth::promotions::Draft {
        name: name.into(),
        ..Default::default()
    };
    tweak(&mut d);
    let mut tx = hearth::server::db::begin_write(&s.state.pool)
        .await
        .unwrap();
    let checked = hearth::promotions::write::check(&mut tx, &d).await.unwrap();
    let id = hearth::promotions::write::create(&mut tx, &checked, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A tiny OSRM stand-in (a test's road server): distance = Manhattan distance of the
/// coordinates in metres-ish units.
pub async fn osrm_stub() -> String {
    slow_osrm_stub(std::sync::Arc::default()).await
}

/// The same stand-in, answering two seconds late while `slow` is set.
pub async fn slow_osrm_stub(slow: std::sync::Arc<std::sync::atomic::AtomicBool>) -> String {
    async fn table(
        axum::extract::State(slow): axum::extract::State<
            std::sync::Arc<std::sync::atomic::AtomicBool>,
        >,
        axum::extract::Path((_, coords)): axum::extract::Path<(String, String)>,
    ) -> axum::Json<serde_json::Value> {
        if slow.load(std::sync::atomic::Ordering::SeqCst) {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
        let pts: Vec<(f64, f64)> = coords
            .split(';')
            .map(|p| {
                let (lng, lat) = p.split_once(',').unwrap();
                (lat.parse().unwrap(), lng.parse().unwrap())
            })
            .collect();
        let d = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).abs() + (a.1 - b.1).abs()) * 100_000.0;
        let dist: Vec<Vec<f64>> = pts
            .iter()
            .map(|&a| pts.iter().map(|&b| d(a, b)).collect())
            .collect();
        let dur: Vec<Vec<f64>> = dist
            .iter()
            .map(|r| r.iter().map(|m| m / 8.0).collect())
            .collect();
        axum::Json(serde_json::json!({"code": "Ok", "distances": dist, "durations": dur}))
    }
    let app = axum::Router::new()
        .route("/table/v1/{profile}/{coords}", axum::routing::get(table))
        .with_state(slow);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    format!("http://{addr}")
}
