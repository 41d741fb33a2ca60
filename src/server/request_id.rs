//! A request id per HTTP request: on the log line, in the `x-request-id` header, and in
//! `AppError::Internal` so a user can quote it.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

tokio::task_local! {
    static REQUEST_ID: String;
    static CLIENT_IP: Option<String>;
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The id of the request being handled, or "-" outside one.
pub fn current() -> String {
    REQUEST_ID
        .try_with(|id| id.clone())
        .unwrap_or_else(|_| "-".into())
}

/// The address of the client of the request being handled (for the audit log), if known.
pub fn client_ip() -> Option<String> {
    CLIENT_IP.try_with(|ip| ip.clone()).ok().flatten()
}

/// `work` with the id, client address and log span of the request being handled now, to be
/// run by another task (the group writer, `server::group`): its log lines, errors and audit
/// lines name the request as they would have.
pub fn carried<F: std::future::Future>(work: F) -> impl std::future::Future<Output = F::Output> {
    REQUEST_ID.scope(
        current(),
        CLIENT_IP.scope(client_ip(), work.instrument(tracing::Span::current())),
    )
}

fn new_id() -> String {
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:08x}-{n}", u32::from_le_bytes(bytes))
}

/// Logs one line per request (method, path, status, latency) inside a span carrying the id.
pub async fn middleware(req: Request, next: Next) -> Response {
    let id = new_id();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let span = tracing::info_span!("request", request_id = %id);
    let ip = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|axum::extract::ConnectInfo(a)| a.ip().to_string());
    let mut res = REQUEST_ID
        .scope(
            id.clone(),
            CLIENT_IP.scope(ip, next.run(req).instrument(span.clone())),
        )
        .await;
    let status = res.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(%method, %path, status, latency_ms, "request");
        } else {
            tracing::info!(%method, %path, status, latency_ms, "request");
        }
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}
