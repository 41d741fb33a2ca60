//! Security headers on every response: a strict Content-Security-Policy (scripts only from
//! this site, plus the inline hydration scripts carrying this response's nonce; images also
//! from the configured tile host), no framing, no MIME sniffing, a referrer that never carries
//! a tracking token off-site, and no caching of pages or data (they are per user).
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::state::AppState;

/// The nonce of one response, put in the request's extensions for the page shell, which hands
/// it to Leptos so that its inline scripts carry it.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn fresh() -> CspNonce {
        use base64::Engine;
        let mut bytes = [0u8; 16];
        // A nonce only has to be unguessable for this response; if the system's randomness
        // failed, a zero nonce still carries no script past the policy that it doesn't name.
        getrandom::fill(&mut bytes).ok();
        CspNonce(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

/// The origin that map tiles come from, as a CSP source: `https://{s}.tile.example.org/{z}/..`
/// gives `https://*.tile.example.org`. None for a template that isn't an absolute http(s) URL.
pub fn tile_source(template: &str) -> Option<String> {
    let (scheme, rest) = template.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.replace("{s}", "*");
    let clean = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*'));
    clean.then(|| format!("{scheme}://{host}"))
}

/// The policy of a response with `nonce`. `style-src` allows inline styles: pages set
/// `style=` attributes (bar widths, map heights), which cannot carry a nonce; no script can.
pub fn policy(nonce: &str, tiles: Option<&str>) -> String {
    let tiles = tiles.map(|t| format!(" {t}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{tiles}; \
         connect-src 'self'; font-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Adds the headers (see the module comment). Pages and server-function answers get
/// `Cache-Control: no-store` unless they set their own; the client's files keep theirs.
pub async fn security_headers(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::fresh();
    req.extensions_mut().insert(nonce.clone());
    let versioned = req.method() == axum::http::Method::GET
        && super::static_files::is_versioned(req.uri().path(), req.uri().query());
    let mut res = next.run(req).await;
    let tiles = tile_source(&state.config.tile_url);
    let ok = res.status() == axum::http::StatusCode::OK;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&policy(&nonce.0, tiles.as_deref())) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if state.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    let per_user = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| {
            t.starts_with("text/html")
                || t.starts_with("application/json")
                || t.starts_with("text/event-stream")
                || t.starts_with("text/plain")
        });
    if versioned && ok && !per_user {
        // A file whose name changes with its content (static_files): never ask again. Pages
        // and answers never get this, whatever their address.
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(super::static_files::IMMUTABLE),
        );
    } else if per_user && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_hosts_become_sources_and_odd_templates_none() {
        assert_eq!(
            tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://tile.openstreetmap.org")
        );
        assert_eq!(
            tile_source("https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tiles.example.org:8443")
        );
        assert_eq!(tile_source("/tiles/{z}/{x}/{y}.png"), None);
        assert_eq!(tile_source("javascript:alert(1)"), None);
        assert_eq!(tile_source("https://a b;script-src *"), None);
    }

    #[test]
    fn the_policy_allows_no_inline_script_without_the_nonce() {
        let p = policy("abc", Some("https://tile.openstreetmap.org"));
        let script = p.split("; ").find(|d| d.starts_with("script-src")).unwrap();
        assert_eq!(script, "script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'");
        assert!(p.contains("img-src 'self' data: blob: https://tile.openstreetmap.org;"));
        assert!(p.contains("frame-ancestors 'none'"));
    }
}
