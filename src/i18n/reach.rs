//! Proves `DRIVER_FAMILIES` complete: walks the code a driver's pages are drawn with and
//! finds every message they can ask for.
//!
//! The walk starts at the driver's module, the account page (with two-factor sign-in), the
//! run's sheet and the shell around every page, and follows each `crate::…` and `super::…`
//! path (and a module's own children named in its code) to the file that defines it, at file
//! level, so it reaches more than the pages use, never less. It does not follow into modules
//! compiled only for the server (`#[cfg(feature = "ssr")] mod …;`): their messages are the
//! server's refusals and e-mails, never a page's words. The router (`app.rs`, `pages.rs`)
//! names every page, so its own messages count but its paths are not followed: a driver's
//! `Protected` pages draw nothing of the pages they may not open.
//!
//! A message is asked for by a string literal that is its id (handed to `tr`, in a table of
//! nav items, a key handed to a helper) or by a format string that starts with its family
//! (`format!("fail-reason-{i}")`).
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file of module `dir/name`, if there is one.
fn module_file(dir: &Path, name: &str) -> Option<PathBuf> {
    [
        dir.join(format!("{name}.rs")),
        dir.join(name).join("mod.rs"),
    ]
    .into_iter()
    .find(|f| f.is_file())
}

/// The file defining the longest prefix of `path` (module names under `src`) that is a file.
fn resolve(path: &[&str]) -> Option<PathBuf> {
    (1..=path.len()).rev().find_map(|n| {
        let (parents, name) = path[..n].split_at(n - 1);
        let dir = parents.iter().fold(src(), |d, p| d.join(p));
        module_file(&dir, name[0])
    })
}

/// The module path of a file (`src/orders/model.rs` → `["orders", "model"]`).
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The directory a file's child modules live in.
fn children_dir(file: &Path) -> PathBuf {
    let name = file.file_name().unwrap_or_default();
    if ["mod.rs", "lib.rs", "main.rs"].iter().any(|n| name == *n) {
        file.parent().unwrap().to_path_buf()
    } else {
        file.with_extension("")
    }
}

fn ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The `a::b::c` path that starts at byte `at` of `code`, and a `{ … }` list after it, if any.
fn path_at(code: &str, at: usize) -> (Vec<&str>, Option<&str>) {
    let rest = &code[at..];
    let end = rest
        .find(|c: char| !(ident(c) || c == ':'))
        .unwrap_or(rest.len());
    let path: Vec<&str> = rest[..end].split("::").filter(|p| !p.is_empty()).collect();
    let list = rest[end..]
        .starts_with('{')
        .then(|| &rest[end + 1..end + rest[end..].find('}').unwrap_or(1)]);
    (path, list)
}

/// The files `file` refers to.
fn refers_to(file: &Path) -> BTreeSet<PathBuf> {
    let code = std::fs::read_to_string(file).unwrap();
    let here = module_path(file);
    let mut out = BTreeSet::new();
    let mut add = |base: Vec<String>, path: &[&str], list: Option<&str>| {
        let mut whole: Vec<&str> = base.iter().map(String::as_str).collect();
        whole.extend(path);
        if !path.is_empty() {
            out.extend(resolve(&whole));
        }
        for item in list.unwrap_or("").split([',', ' ', '\n']) {
            let item: Vec<&str> = item.split("::").filter(|p| !p.is_empty()).collect();
            if !item.is_empty() {
                out.extend(resolve(&[whole.clone(), item].concat()));
            }
        }
    };
    for (at, _) in code.match_indices("crate::") {
        let (path, list) = path_at(&code, at + "crate::".len());
        add(Vec::new(), &path, list);
    }
    for (at, _) in code.match_indices("super::") {
        if code[..at].ends_with("super::") {
            continue;
        }
        let mut ups = 0;
        while code[at + ups * "super::".len()..].starts_with("super::") {
            ups += 1;
        }
        let (path, list) = path_at(&code, at + ups * "super::".len());
        let base = here[..here.len().saturating_sub(ups)].to_vec();
        add(base, &path, list);
    }
    // A child module, when the file names it (`use model::…`, `stop::Stop`).
    let dir = children_dir(file);
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let Some(child) = module_file(&dir, &name) else {
            continue;
        };
        let named = code
            .match_indices(&format!("{name}::"))
            .any(|(at, _)| !code[..at].ends_with(|c: char| ident(c) || c == ':'));
        if named {
            out.insert(child);
        }
    }
    out
}

/// Files of modules compiled only for the server (`#[cfg(feature = "ssr")]` before `mod x;`).
fn server_only() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut out = Vec::new();
    for file in files {
        let code = std::fs::read_to_string(&file).unwrap();
        for (at, m) in code.match_indices("#[cfg(feature = \"ssr\")]") {
            let next = code[at + m.len()..].trim_start();
            let next = next.strip_prefix("pub(crate) ").unwrap_or(next);
            let next = next.strip_prefix("pub ").unwrap_or(next);
            let Some(rest) = next.strip_prefix("mod ") else {
                continue;
            };
            let name: String = rest.chars().take_while(|c| ident(*c)).collect();
            if rest[name.len()..].starts_with(';') {
                let child = module_file(&children_dir(&file), &name)
                    .unwrap_or_else(|| panic!("{}: no file for mod {name}", file.display()));
                out.push(if child.ends_with("mod.rs") {
                    child.parent().unwrap().to_path_buf()
                } else {
                    child
                });
            }
        }
    }
    out
}

/// Every file the driver's pages can be drawn with, by the walk the module's comment tells.
fn drivers_files() -> BTreeSet<PathBuf> {
    let server = server_only();
    let mut start = Vec::new();
    rust_files(&src().join("driver"), &mut start);
    for f in [
        "auth/account.rs",
        "runs/sheet.rs",
        "ui/layout.rs",
        "ui/states.rs",
        "words.rs",
        "error.rs",
    ] {
        start.push(src().join(f));
    }
    // The router's own messages count; the pages it names are not followed.
    let router = ["app.rs", "pages.rs"].map(|f| src().join(f));
    let mut seen = BTreeSet::from(router.clone());
    while let Some(file) = start.pop() {
        if server.iter().any(|s| file.starts_with(s)) || !seen.insert(file.clone()) {
            continue;
        }
        start.extend(refers_to(&file));
    }
    seen
}

/// The message ids a file asks for, and the families its format strings start with.
fn asks_for(code: &str, ids: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices('"') {
        let rest = &code[at + 1..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        let after = rest[word.len()..].chars().next();
        let family = word.split('-').next().unwrap_or("").to_string();
        match after {
            Some('"') if ids.contains(&word) => {
                out.insert(word);
            }
            Some('{')
                if word.contains('-') && family.starts_with(|c: char| c.is_ascii_lowercase()) =>
            {
                out.insert(format!("{family}-{{…}}"));
            }
            _ => {}
        }
    }
    out
}

fn english_ids() -> BTreeSet<String> {
    super::message_arguments()
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| !super::server_only(id))
        .collect()
}

#[test]
fn a_drivers_pages_ask_only_for_the_families_a_driver_gets() {
    let ids = english_ids();
    let files = drivers_files();
    // The walk reached the pages it is about, and the shell's states.
    for must in [
        "driver/page/stop.rs",
        "auth/two_factor.rs",
        "runs/sheet.rs",
        "ui/states.rs",
    ] {
        assert!(files.contains(&src().join(must)), "the walk missed {must}");
    }
    let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let code = std::fs::read_to_string(file).unwrap();
        for key in asks_for(&code, &ids) {
            let family = key.split('-').next().unwrap().to_string();
            if !super::DRIVER_FAMILIES.contains(&family.as_str()) {
                let name = file.strip_prefix(src()).unwrap().display().to_string();
                missing
                    .entry(family)
                    .or_default()
                    .insert(format!("{name}: {key}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "add these families to DRIVER_FAMILIES (a driver's page asks for them): {missing:#?}"
    );
}

/// The walk is not vacuous: it finds the messages a driver's stop and account ask for, and a
/// page a driver cannot open stays out of it.
#[test]
fn the_walk_finds_what_it_is_shown() {
    let ids = english_ids();
    let asked = asks_for(
        r#"tr("driver-call"); format!("fail-reason-{i}"); "nav-my-run"; "not-an-id""#,
        &ids,
    );
    assert!(asked.contains("driver-call"), "{asked:?}");
    assert!(asked.contains("nav-my-run"), "{asked:?}");
    assert!(asked.contains("fail-{…}"), "{asked:?}");
    assert!(!asked.contains("not-an-id"), "{asked:?}");
    let files = drivers_files();
    assert!(!files.contains(&src().join("promotions/page/mod.rs")));
    assert!(!files.contains(&src().join("kitchen/page.rs")));
    let every: Vec<_> = files
        .iter()
        .flat_map(|f| asks_for(&std::fs::read_to_string(f).unwrap(), &ids))
        .collect();
    for id in [
        "nav-my-run",
        "tfa-title",
        "not-found-title",
        "sheet-print",
        "driver-call",
    ] {
        assert!(every.iter().any(|k| k == id), "{id} not found");
    }
}

/// A driver's words are the families' messages, every one of them, in every language, and
/// far fewer than everyone else's.
#[test]
fn a_driver_gets_the_families_and_nothing_else() {
    for (code, _) in super::Lang::all() {
        let lang = super::Lang::parse(&code).unwrap();
        let all = super::words(&lang);
        let driver = super::drivers_words(&lang);
        assert_eq!(driver.lang, code);
        let mut kept = 0;
        for id in english_ids() {
            let family = id.split('-').next().unwrap();
            if super::DRIVER_FAMILIES.contains(&family) {
                assert_eq!(driver.get(&id), all.get(&id), "{code} {id}");
                kept += 1;
            } else {
                // A missing key reads as itself.
                assert_eq!(driver.get(&id), id, "{code}: a driver got {id}");
            }
        }
        assert!(
            kept > 100 && kept < english_ids().len() / 2,
            "{code}: {kept}"
        );
        let driver_bytes = serde_json::to_string(&driver).unwrap().len();
        let all_bytes = serde_json::to_string(&all).unwrap().len();
        assert!(
            driver_bytes * 3 < all_bytes,
            "{code}: {driver_bytes} of {all_bytes}"
        );
    }
    for family in super::DRIVER_FAMILIES {
        let prefix = format!("{family}-");
        let any = english_ids()
            .iter()
            .any(|id| id == family || id.starts_with(&prefix));
        assert!(any, "no message is of the family {family}");
    }
}
