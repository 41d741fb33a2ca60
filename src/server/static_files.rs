//! The client's files and their names. cargo-leptos names the wasm, its chunks, the JS and the
//! CSS by their content (`hash-files`); the few files in `public/` that a page links (the map
//! library, the service-worker registration, icons) get their content hash as `?v=`. Either
//! way a name never points at other bytes, so these files are served `immutable` for a year
//! and a returning visit asks for none of them; pages themselves stay `no-store`.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

/// `Cache-Control` for a file whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The hashed name of the site file `path`, from the site's files by their plain name, read
/// once per site root (the server serves one); looked up in place, as every page asks.
fn hashed_name(site_root: &str, path: &str) -> Option<String> {
    static NAMES: OnceLock<Mutex<HashMap<PathBuf, HashMap<String, String>>>> = OnceLock::new();
    let root = PathBuf::from(site_root);
    let mut all = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    all.entry(root.clone())
        .or_insert_with(|| hashed_pkg_names(&root.join("pkg")))
        .get(path)
        .cloned()
}

/// `/pkg/hearth.css` → `/pkg/hearth.3f…c1.css` for every file cargo-leptos named by hash.
fn hashed_pkg_names(pkg: &Path) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Ok(dir) = std::fs::read_dir(pkg) else {
        return map;
    };
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(plain) = unhashed(&name) {
            map.insert(format!("/pkg/{plain}"), format!("/pkg/{name}"));
        }
    }
    map
}

/// `hearth.<hash>.css` → `hearth.css`, where `<hash>` is cargo-leptos's content hash.
fn unhashed(name: &str) -> Option<String> {
    let mut parts: Vec<&str> = name.split('.').collect();
    if parts.len() < 3 {
        return None;
    }
    let hash = parts[parts.len() - 2];
    let looks_hashed = hash.len() >= 16
        && hash
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !looks_hashed {
        return None;
    }
    parts.remove(parts.len() - 2);
    Some(parts.join("."))
}

/// The address to link for the site file `path` (`/pkg/hearth.css`, `/pwa.js`): its hashed
/// name, or `path?v=<content hash>`, or `path` itself when the file is missing.
pub fn href(site_root: &str, path: &str) -> String {
    if let Some(hashed) = hashed_name(site_root, path) {
        return hashed;
    }
    static VERSIONS: OnceLock<Mutex<HashMap<PathBuf, String>>> = OnceLock::new();
    let file = Path::new(site_root).join(path.trim_start_matches('/'));
    let mut versions = VERSIONS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let version = versions
        .entry(file.clone())
        .or_insert_with(|| match std::fs::read(&file) {
            Ok(bytes) => Sha256::digest(&bytes)
                .iter()
                .take(6)
                .map(|b| format!("{b:02x}"))
                .collect(),
            Err(_) => String::new(),
        })
        .clone();
    if version.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?v={version}")
    }
}

/// Whether a request names a file by its content: `/pkg/…` with cargo-leptos's hash in the
/// name, or any path with a `v=` version in its query.
pub fn is_versioned(path: &str, query: Option<&str>) -> bool {
    let hashed_pkg = path
        .strip_prefix("/pkg/")
        .is_some_and(|name| !name.contains('/') && unhashed(name).is_some());
    hashed_pkg || query.is_some_and(|q| q.split('&').any(|kv| kv.starts_with("v=") && kv.len() > 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised_and_plain_ones_are_not() {
        assert_eq!(
            unhashed("hearth.Ab3dE_f9-hG7kLmNo.css").as_deref(),
            Some("hearth.css")
        );
        assert_eq!(
            unhashed("hearth_bg.0123456789abcdefXYZ.wasm").as_deref(),
            Some("hearth_bg.wasm")
        );
        assert_eq!(unhashed("hearth.css"), None);
        assert_eq!(unhashed("leaflet.min.js"), None);
        assert!(is_versioned("/pkg/hearth.0123456789abcdefXYZ.js", None));
        assert!(!is_versioned("/pkg/hearth.js", None));
        assert!(is_versioned("/pwa.js", Some("v=3f2a")));
        assert!(!is_versioned("/pwa.js", Some("v=")));
        assert!(!is_versioned("/driver", None));
    }
}
