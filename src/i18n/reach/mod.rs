//! Proves `DRIVER_FAMILIES` right: walks the code a driver's pages are drawn with and
//! finds every message they can ask for — every family in the list, and no other.
//!
//! The walk starts at the driver's module, the account page (with two-factor sign-in), the
//! run's sheet and the shell around every page, and follows each path a file's code writes
//! (`crate::…`, `super::…`, a child module's, one through a name its `use` brought in) to the
//! file that defines the item, through re-exports (`pub use page::RunsPage` leads to the
//! page's file, not to every module its parent declares), at file level, so it reaches more
//! than the pages use (`source` reads the Rust). What it cannot see without types: a method in
//! an `impl` block in a file no path of the walk names; `phone-words.spec.ts`, which walks
//! every page and form a driver can reach for message ids on screen, stands for that. It does
//! not follow into modules compiled only for the server (`#[cfg(feature = "ssr")] mod …;`):
//! their messages are the server's refusals and e-mails, never a page's words. The router
//! (`app.rs`, `pages.rs`) names every page, so its own messages count but its paths are not
//! followed: a driver's `Protected` pages draw nothing of the pages they may not open.
//!
//! A message is asked for by a string literal that is its id (handed to `tr`, in a table of
//! nav items, a key handed to a helper) or by a format string that starts with its family
//! (`format!("fail-reason-{i}")`).
mod source;

use source::{children_dir, module_file, src, Crate};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

fn ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
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
    let mut code = Crate::default();
    while let Some(file) = start.pop() {
        if server.iter().any(|s| file.starts_with(s)) || !seen.insert(file.clone()) {
            continue;
        }
        start.extend(code.refers_to(&file));
    }
    seen
}

/// The message ids a file's code (as `source` leaves it) asks for, and the families its
/// format strings start with.
fn asks_for(code: &str, ids: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices('"') {
        let rest = &code[at + 1..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        let after = rest[word.len()..].chars().next();
        let family = super::family(&word).to_string();
        match after {
            Some('"') if ids.contains(&word) => {
                out.insert(word);
            }
            // A count's message (`tr_count("csv-problems", n)` → `csv-problems-one`, `-other`).
            Some('"') if ids.contains(&format!("{word}-other")) => {
                out.insert(format!("{word}-{{count}}"));
            }
            Some('%')
                if word.contains('-') && family.starts_with(|c: char| c.is_ascii_lowercase()) =>
            {
                out.insert(format!("{family}-{{…}}"));
            }
            _ => {}
        }
    }
    out
}

/// What the code of `file` asks for.
fn file_asks_for(file: &std::path::Path, ids: &BTreeSet<String>) -> BTreeSet<String> {
    asks_for(&source::File::read(file).code, ids)
}

fn english_ids() -> BTreeSet<String> {
    super::message_arguments()
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| !super::server_only(id))
        .collect()
}

/// Each family the driver's pages ask for, with where (file: id).
fn asked_families(files: &BTreeSet<PathBuf>) -> BTreeMap<String, BTreeSet<String>> {
    let ids = english_ids();
    let mut asked: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        for key in file_asks_for(file, &ids) {
            let family = super::family(&key).to_string();
            let name = file.strip_prefix(src()).unwrap().display().to_string();
            asked
                .entry(family)
                .or_default()
                .insert(format!("{name}: {key}"));
        }
    }
    asked
}

#[test]
fn a_driver_gets_the_families_their_pages_ask_for_and_no_other() {
    let files = drivers_files();
    // The walk reached the pages it is about, and the shell's states.
    for must in [
        "driver/page/stop.rs",
        "driver/page/outbox.rs",
        "auth/two_factor.rs",
        "runs/sheet.rs",
        "ui/states.rs",
    ] {
        assert!(files.contains(&src().join(must)), "the walk missed {must}");
    }
    let asked = asked_families(&files);
    let missing: BTreeMap<_, _> = asked
        .iter()
        .filter(|(family, _)| !super::DRIVER_FAMILIES.contains(&family.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "add these families to DRIVER_FAMILIES (a driver's page asks for them): {missing:#?}"
    );
    let unasked: Vec<_> = super::DRIVER_FAMILIES
        .iter()
        .filter(|family| !asked.contains_key(**family))
        .collect();
    assert!(
        unasked.is_empty(),
        "no page of a driver's asks for these: take them out of DRIVER_FAMILIES: {unasked:?}"
    );
}

/// The walk is not vacuous: it reads `use` trees and literals as Rust does, finds the messages
/// a driver's stop and account ask for, and keeps out the pages a driver cannot open.
#[test]
fn the_walk_finds_what_it_is_shown() {
    let ids = english_ids();
    let code = source::strip(
        r#"tr("driver-call"); format!("fail-reason-{i}"); "nav-my-run"; "not-an-id"; // "tfa-title"
        let c = '"'; /* "sheet-print" */ r"{"; "a {b} c"; tr_count("csv-problems", n)"#,
    );
    let asked = asks_for(&code, &ids);
    let expected = [
        "csv-problems-{count}",
        "driver-call",
        "fail-{…}",
        "nav-my-run",
    ];
    assert_eq!(asked, BTreeSet::from(expected.map(String::from)), "{code}");
    let mut trees = Vec::new();
    source::use_tree(
        &[],
        "crate::ui::{map::{frame, Glue as G}, self, text::*}",
        &mut trees,
    );
    let trees: Vec<String> = trees
        .iter()
        .map(|(path, bound)| format!("{} as {bound}", path.join("::")))
        .collect();
    let expected = [
        "crate::ui::map::frame as frame",
        "crate::ui::map::Glue as G",
        "crate::ui as ui",
        "crate::ui::text as *",
    ];
    assert_eq!(trees, expected);
    let files = drivers_files();
    for page in [
        "promotions/page/mod.rs",
        "kitchen/page.rs",
        "runs/page/mod.rs",
        "settings/page.rs",
        "orders/board/mod.rs",
    ] {
        assert!(
            !files.contains(&src().join(page)),
            "the walk reached {page}"
        );
    }
    let every: Vec<_> = files.iter().flat_map(|f| file_asks_for(f, &ids)).collect();
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
            let family = super::family(&id);
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
