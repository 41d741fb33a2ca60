//! Code a newcomer can read. No file under `src/` has more than ~400 lines of production code
//! (its test module left out) unless its opening comment says why it is longer ("Most of its
//! length is …"): a file that grows past the limit fails here and is split by what it does. And
//! modules import one way: no module imports one that imports it back, directly or round a
//! longer circle (a module is a file's path to two levels, `orders::core`), but for the pairs
//! `CIRCLES_ALLOWED` names with their reason.
use std::path::{Path, PathBuf};

/// The most production lines a file may have without a reason at its top.
const LIMIT: usize = 440;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines before the file's test module (`#[cfg(test)]` then `mod … {`), if it has one. A test
/// module in a file of its own (`mod tests;`) ends nothing: the lines after it are counted.
fn production_lines(code: &str) -> usize {
    let end = code
        .match_indices("#[cfg(test)]\nmod ")
        .find(|(i, m)| {
            let rest = &code[i + m.len()..];
            let line = rest.lines().next().unwrap_or("");
            line.trim_end().ends_with('{')
        })
        .map_or(code.len(), |(i, _)| i);
    code[..end].lines().count()
}

/// Whether the file's opening `//!` comment gives a reason for its length.
fn says_why(code: &str) -> bool {
    code.lines()
        .take_while(|l| l.starts_with("//!"))
        .any(|l| l.contains("Most of its length"))
}

#[test]
fn no_source_file_is_longer_than_the_limit_without_saying_why() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 100, "the sources were found");
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let code = std::fs::read_to_string(f).unwrap();
            let n = production_lines(&code);
            (n > LIMIT && !says_why(&code))
                .then(|| format!("{} ({n} lines)", f.strip_prefix(root).unwrap().display()))
        })
        .collect();
    long.sort();
    assert!(long.is_empty(), "split these by what they do: {long:?}");
}

#[test]
fn the_count_leaves_test_modules_out_and_reads_the_reason() {
    let code =
        "//! A file.\n//! Most of its length is data.\nfn a() {}\n#[cfg(test)]\nmod tests {\n}\n";
    assert_eq!(production_lines(code), 3);
    let outside = "//! A file.\n#[cfg(test)]\nmod tests;\nfn a() {}\nfn b() {}\n";
    assert_eq!(
        production_lines(outside),
        5,
        "a `mod tests;` line ends nothing"
    );
    assert!(says_why(code));
    assert!(!says_why("//! A file.\nfn a() {} // Most of its length\n"));
}

/// The module a file is, as imports name it: its path under `src/` to two levels
/// (`orders::core` for `src/orders/core/edit.rs`, `said` for `src/said.rs`).
fn module_of(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if matches!(parts.first().map(String::as_str), Some("lib" | "main")) {
        return "crate".into();
    }
    parts.truncate(2);
    parts.join("::")
}

/// Every `crate::…` path the code names, groups spelled out: `use crate::{a::b, c::{d, e}}`
/// gives `a::b`, `c::d` and `c::e`. Line comments are left out.
fn crate_paths(code: &str) -> Vec<String> {
    let code: String = code
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let (paths, used) = path_tree(rest);
        out.extend(paths);
        rest = &rest[used..];
    }
    out
}

/// The paths at the start of `s` (`a::b`, or `a::{b, c::d}`), and how much of `s` they took.
fn path_tree(s: &str) -> (Vec<String>, usize) {
    let ident = |s: &str| {
        s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(s.len())
    };
    let mut prefix = String::new();
    let mut at = 0;
    loop {
        if s[at..].starts_with('{') {
            at += 1;
            let mut paths = Vec::new();
            loop {
                at += s[at..].len() - s[at..].trim_start().len();
                if s[at..].starts_with('}') {
                    return (paths, at + 1);
                }
                let (inner, used) = path_tree(&s[at..]);
                paths.extend(inner.into_iter().map(|p| format!("{prefix}{p}")));
                at += used;
                // ` as name`, then the comma
                at += s[at..].find([',', '}']).unwrap_or(s.len() - at);
                if s[at..].starts_with(',') {
                    at += 1;
                }
            }
        }
        let n = ident(&s[at..]);
        prefix.push_str(&s[at..at + n]);
        at += n;
        if !s[at..].starts_with("::") {
            return (vec![prefix], at);
        }
        at += 2;
        prefix.push_str("::");
    }
}

/// Pairs of modules that import each other, directly or round a longer circle, that are
/// allowed with their reason.
const CIRCLES_ALLOWED: &[(&str, &str, &str)] = &[(
    "i18n",
    "words",
    "the server's Fluent files build a page's words, and a page's words fall back to English \
     from those files",
)];

#[test]
fn modules_import_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let modules: std::collections::BTreeSet<String> =
        files.iter().map(|f| module_of(&root, f)).collect();
    let mut imports: std::collections::BTreeMap<(String, String), String> = Default::default();
    for f in &files {
        let from = module_of(&root, f);
        let code = std::fs::read_to_string(f).unwrap();
        let code = &code[..code.find("#[cfg(test)]\nmod ").unwrap_or(code.len())];
        for path in crate_paths(code) {
            let segs: Vec<&str> = path.split("::").collect();
            let to = (1..=segs.len().min(2))
                .rev()
                .map(|k| segs[..k].join("::"))
                .find(|m| modules.contains(m));
            if let Some(to) = to.filter(|t| *t != from && !from.starts_with(&format!("{t}::"))) {
                let file = f.strip_prefix(&root).unwrap().display().to_string();
                imports.entry((from.clone(), to)).or_insert(file);
            }
        }
    }
    assert!(
        imports.len() > 500,
        "the imports were found ({})",
        imports.len()
    );
    let reaches = |from: &str, to: &str| {
        let mut seen = std::collections::BTreeSet::from([from.to_string()]);
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for (a, b) in imports.keys().filter(|(a, _)| *a == m) {
                let _ = a;
                if b == to {
                    return true;
                }
                if seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        false
    };
    let allowed = |a: &str, b: &str| {
        CIRCLES_ALLOWED
            .iter()
            .any(|(x, y, _)| (a, b) == (*x, *y) || (a, b) == (*y, *x))
    };
    let back: Vec<String> = imports
        .iter()
        .filter(|((a, b), _)| !allowed(a, b) && reaches(b, a))
        .map(|((a, b), file)| format!("{a} → {b} ({file})"))
        .collect();
    assert!(
        back.is_empty(),
        "these imports close a circle (the module imported also reaches the importer): {back:#?}"
    );
}

#[test]
fn imports_are_read_with_their_groups() {
    let code = "use crate::{a::b, c::{d, e as f}};\nlet x = crate::g::h(1); // crate::no\n";
    assert_eq!(crate_paths(code), ["a::b", "c::d", "c::e", "g::h"]);
    let root = Path::new("/s");
    assert_eq!(
        module_of(root, Path::new("/s/orders/core/edit.rs")),
        "orders::core"
    );
    assert_eq!(module_of(root, Path::new("/s/orders/mod.rs")), "orders");
    assert_eq!(module_of(root, Path::new("/s/said.rs")), "said");
}

/// The most lines a function may have without a reason at its top.
const FUNCTION_LIMIT: usize = 80;

/// The functions of `code` (its test module left out) longer than [`FUNCTION_LIMIT`] lines,
/// signature to closing brace, that do not say why at their top: a comment or doc line above
/// them that begins "Long because".
fn long_functions(code: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = code.lines().take(production_lines(code)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let indent = line.len() - line.trim_start().len();
        let mut rest = line.trim_start();
        for prefix in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "async ",
            "const ",
            "unsafe ",
        ] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        let Some(name) = rest.strip_prefix("fn ") else {
            i += 1;
            continue;
        };
        let name: String = name
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{}}}", " ".repeat(indent));
        let Some(end) = (i + 1..lines.len()).find(|&j| lines[j].trim_end() == close) else {
            i += 1;
            continue;
        };
        // A declaration without a body (`;`), or a body on the signature's line (`{}`).
        if line.trim_end().ends_with(';') || line.trim_end().ends_with('}') {
            i += 1;
            continue;
        }
        let says_why = lines[..i]
            .iter()
            .rev()
            .take_while(|l| {
                let t = l.trim_start();
                t.starts_with("//") || t.starts_with("#[")
            })
            .any(|l| {
                let t = l.trim_start().trim_start_matches('/').trim_start();
                t.starts_with("Long because")
            });
        let n = end - i + 1;
        if n > FUNCTION_LIMIT && !says_why {
            out.push((name, n));
        }
        i = end + 1;
    }
    out
}

/// No function over ~80 lines without a reason at its top ("Long because …"). The 89 that
/// were already longer when the rule came (issue 12) were split by 2026-12-06, and the list
/// that excused them is gone.
#[test]
fn no_function_is_longer_than_the_limit_without_saying_why() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut found: Vec<String> = Vec::new();
    for f in &files {
        let code = std::fs::read_to_string(f).unwrap();
        let path = f.strip_prefix(root).unwrap().display().to_string();
        for (name, lines) in long_functions(&code) {
            found.push(format!("{path}::{name} ({lines} lines)"));
        }
    }
    found.sort();
    assert!(
        found.is_empty(),
        "split these by what they do, or say why at their top (\"Long because …\"): {found:?}"
    );
}

#[test]
fn a_long_function_is_counted_from_its_signature_to_its_brace_and_may_say_why() {
    let body = "    let x = 1;\n".repeat(80);
    let code = format!(
        "fn short() {{\n}}\n\npub async fn long(\n    a: i64,\n) {{\n{body}}}\n\n/// Long because it is data.\nfn data() {{\n{body}}}\n\nimpl A {{\n    pub(super) fn inner() {{\n{body}    }}\n}}\nfn empty() {{}}\nmod m {{\n{body}}}\n#[cfg(test)]\nmod tests {{\n    fn test_long() {{\n{body}    }}\n}}\n"
    );
    let found: Vec<String> = long_functions(&code).into_iter().map(|(n, _)| n).collect();
    assert_eq!(found, ["long", "inner"]);
}
