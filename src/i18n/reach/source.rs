//! Hearth's own Rust source, read well enough to follow its paths from file to file: each
//! file's `use` trees (nested braces, `self`, `as`, globs), which names it re-exports, and the
//! paths its code names. Comments, string contents and `#[cfg(test)]` items are not code here.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A path of module and item names from the crate's root (`["orders", "model", "Order"]`).
pub type Names = Vec<String>;

pub fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The file of module `dir/name`, if there is one.
pub fn module_file(dir: &Path, name: &str) -> Option<PathBuf> {
    [
        dir.join(format!("{name}.rs")),
        dir.join(name).join("mod.rs"),
    ]
    .into_iter()
    .find(|f| f.is_file())
}

/// The directory a file's child modules live in.
pub fn children_dir(file: &Path) -> PathBuf {
    let name = file.file_name().unwrap_or_default();
    if ["mod.rs", "lib.rs", "main.rs"].iter().any(|n| name == *n) {
        file.parent().unwrap().to_path_buf()
    } else {
        file.with_extension("")
    }
}

/// The module path of a file (`src/orders/model.rs` → `["orders", "model"]`).
fn module_path(file: &Path) -> Names {
    let rel = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Names = rel.iter().map(|p| p.to_string_lossy().into()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The byte after the literal that opens at `i` (`"…"`, `r#"…"#`), with its contents.
fn string_end(b: &[u8], i: usize) -> (usize, std::ops::Range<usize>) {
    if b[i] == b'r' {
        let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
        let open = i + 1 + hashes + 1;
        let close = (open..b.len())
            .find(|&j| b[j] == b'"' && b[j + 1..].iter().take(hashes).all(|c| *c == b'#'))
            .unwrap_or(b.len());
        return ((close + 1 + hashes).min(b.len()), open..close);
    }
    let mut j = i + 1;
    while j < b.len() && b[j] != b'"' {
        j += if b[j] == b'\\' { 2 } else { 1 };
    }
    (j.min(b.len()) + 1, i + 1..j.min(b.len()))
}

/// `code` without comments and with character literals blanked. A string literal made of
/// letters, digits, `-` and `_` is kept (`"driver-call"`); one that starts so and then has a
/// `{` (a format string) keeps that start, marked `%` (`"fail-reason-%"`); any other is
/// emptied, so that what is left of a string can be neither a path nor a brace.
pub fn strip(code: &str) -> String {
    let b = code.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).copied();
        let raw = b[i] == b'r'
            && (i == 0 || !ident(b[i - 1]))
            && b[i + 1..].iter().find(|c| **c != b'#') == Some(&b'"');
        if b[i] == b'/' && next == Some(b'/') {
            i += b[i..]
                .iter()
                .position(|c| *c == b'\n')
                .unwrap_or(b.len() - i);
        } else if b[i] == b'/' && next == Some(b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'"' || raw {
            let (end, inside) = string_end(b, i);
            let word = &b[inside];
            let start = word
                .iter()
                .take_while(|c| ident(**c) || **c == b'-')
                .count();
            out.push(b'"');
            if start == word.len() {
                out.extend_from_slice(word);
            } else if start > 0 && word[start] == b'{' {
                out.extend_from_slice(&word[..start]);
                out.push(b'%');
            }
            out.push(b'"');
            i = end;
        } else if b[i] == b'\'' {
            // A character literal ('x', '\n', '\u{…}', 'é') or a lifetime ('a).
            let len = match next {
                Some(b'\\') => b
                    .get(i + 3..)
                    .and_then(|r| r.iter().position(|c| *c == b'\''))
                    .map(|p| p + 3),
                Some(c) => {
                    let width = code[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (b.get(i + 1 + width) == Some(&b'\'') && c != b'\'').then_some(1 + width)
                }
                None => None,
            };
            match len {
                Some(len) => {
                    out.extend_from_slice(b"' '");
                    i += len + 1;
                }
                None => {
                    out.push(b'\'');
                    i += 1;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("cut only at ASCII")
}

/// The byte after the item that starts at `at`: through its `;`, or its first `{…}` block.
fn item_end(code: &str, at: usize) -> usize {
    let b = code.as_bytes();
    let mut depth = 0;
    for (j, &c) in b.iter().enumerate().skip(at) {
        match c {
            b';' if depth == 0 => return j + 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    b.len()
}

/// `code` (stripped) without the items marked `#[cfg(test)]`: no page is drawn with them.
fn without_tests(code: &str) -> String {
    let mut code = code.to_string();
    while let Some(at) = code.find("#[cfg(test)]") {
        let end = item_end(&code, at);
        code.replace_range(at..end, " ");
    }
    code
}

/// Where the `}` matching the `{` at `open` is.
fn closing(text: &str, open: usize) -> usize {
    let mut depth = 0;
    for (j, c) in text.char_indices().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// The paths a `use` tree brings in, each with the name it is bound to here (`*` for a glob):
/// `a::{b, c::{self, d as e}}` → `a::b` as `b`, `a::c` as `c`, `a::c::d` as `e`.
pub fn use_tree(prefix: &[String], tree: &str, out: &mut Vec<(Names, String)>) {
    let tree = tree.trim();
    let mut path = prefix.to_vec();
    let mut rest = tree;
    while let Some(sep) = rest.find("::").filter(|s| !rest[..*s].contains('{')) {
        path.push(rest[..sep].trim().to_string());
        rest = rest[sep + 2..].trim_start();
    }
    if let Some(inner) = rest.strip_prefix('{') {
        let inner = &inner[..closing(rest, 0).saturating_sub(1)];
        let (mut depth, mut start) = (0, 0);
        for (j, c) in inner.char_indices().chain([(inner.len(), ',')]) {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    let part = inner[start..j].trim();
                    if part == "self" {
                        out.push((path.clone(), path.last().cloned().unwrap_or_default()));
                    } else if !part.is_empty() {
                        use_tree(&path, part, out);
                    }
                    start = j + 1;
                }
                _ => {}
            }
        }
    } else if rest == "*" {
        out.push((path, "*".into()));
    } else {
        let mut words = rest.split_whitespace();
        let name = words.next().unwrap_or_default().to_string();
        let bound = match (words.next(), words.next()) {
            (Some("as"), Some(alias)) => alias.to_string(),
            _ => name.clone(),
        };
        path.push(name);
        out.push((path, bound));
    }
}

/// A file as the walk reads it.
#[derive(Default)]
pub struct File {
    /// Its code without comments, tests and `use` statements.
    pub code: String,
    /// Its module path.
    here: Names,
    /// What each name brought in by a `use` stands for (a re-export's too).
    names: BTreeMap<String, Names>,
    /// Modules whose every name it brings in (`use super::*`).
    globs: Vec<Names>,
    /// The names it re-exports (`pub use`), and the modules it re-exports whole.
    exports: BTreeMap<String, Names>,
    export_globs: Vec<Names>,
}

impl File {
    pub fn read(file: &Path) -> File {
        let mut code = without_tests(&strip(&std::fs::read_to_string(file).unwrap()));
        let here = module_path(file);
        let children = children_dir(file);
        let mut read = File {
            here: here.clone(),
            ..File::default()
        };
        let mut at = 0;
        while let Some(found) = code[at..].find("use ").map(|f| f + at) {
            at = found + 4;
            if found > 0 && ident(code.as_bytes()[found - 1]) {
                continue;
            }
            let before = code[..found].trim_end();
            // `pub use …` or `pub(crate) use …`: a re-export.
            let public = before.ends_with("pub")
                || (before.ends_with(')') && {
                    let open = before.rfind('(').unwrap_or(0);
                    before[..open].trim_end().ends_with("pub")
                });
            let end = found + code[found..].find(';').unwrap_or(code.len() - found);
            let mut trees = Vec::new();
            use_tree(&[], &code[found + 4..end], &mut trees);
            for (path, bound) in trees {
                let Some(path) = absolute(&here, &children, &path) else {
                    continue;
                };
                match (bound.as_str(), public) {
                    ("*", true) => read.export_globs.push(path),
                    ("*", false) => read.globs.push(path),
                    (_, true) => {
                        read.exports.insert(bound.clone(), path.clone());
                        read.names.insert(bound, path);
                    }
                    (_, false) => {
                        read.names.insert(bound, path);
                    }
                }
            }
            code.replace_range(found..end, &" ".repeat(end - found));
        }
        read.code = code;
        read
    }
}

/// A path written in the file of module `here` (whose children live in `children`), from the
/// crate's root; `None` for another crate's.
fn absolute(here: &[String], children: &Path, path: &[String]) -> Option<Names> {
    let first = path.first()?;
    match first.as_str() {
        "crate" => Some(path[1..].to_vec()),
        "super" | "self" => {
            let mut base = here.to_vec();
            let mut rest = path;
            while let Some(step) = rest.first().filter(|s| *s == "super" || *s == "self") {
                if step == "super" {
                    base.pop();
                }
                rest = &rest[1..];
            }
            base.extend_from_slice(rest);
            Some(base)
        }
        _ => module_file(children, first).map(|_| [here, path].concat()),
    }
}

/// Every file of `src`, read once.
#[derive(Default)]
pub struct Crate {
    files: BTreeMap<PathBuf, File>,
}

impl Crate {
    pub fn file(&mut self, path: &Path) -> &File {
        self.files
            .entry(path.to_path_buf())
            .or_insert_with(|| File::read(path))
    }

    /// The files an item at `path` can be defined in: the file of the longest prefix that is a
    /// module, or, when that module re-exports the name, the file it comes from.
    pub fn lookup(&mut self, path: &[String]) -> BTreeSet<PathBuf> {
        let mut out = BTreeSet::new();
        self.lookup_into(path, &mut out, 0);
        out
    }

    fn lookup_into(&mut self, path: &[String], out: &mut BTreeSet<PathBuf>, depth: usize) {
        let found = (1..=path.len()).rev().find_map(|n| {
            let dir = path[..n - 1].iter().fold(src(), |d, p| d.join(p));
            module_file(&dir, &path[n - 1]).map(|f| (f, n))
        });
        let Some((file, n)) = found else {
            return;
        };
        let rest = &path[n..];
        let read = self.file(&file);
        let export = rest.first().and_then(|r| read.exports.get(r)).cloned();
        let globs = read.export_globs.clone();
        match export.filter(|_| depth < 16) {
            Some(to) => self.lookup_into(&[to, rest[1..].to_vec()].concat(), out, depth + 1),
            None => {
                out.insert(file);
                for glob in globs.into_iter().filter(|_| depth < 16 && !rest.is_empty()) {
                    self.lookup_into(&[glob, rest.to_vec()].concat(), out, depth + 1);
                }
            }
        }
    }

    /// The files `path`'s code refers to: the paths it writes (`crate::…`, `super::…`, a
    /// child module's, one through a name it brought in) and every module it globs.
    pub fn refers_to(&mut self, path: &Path) -> BTreeSet<PathBuf> {
        let children = children_dir(path);
        let read = self.file(path);
        let (here, names, globs) = (read.here.clone(), read.names.clone(), read.globs.clone());
        let mut wanted: Vec<Names> = globs.clone();
        let code = read.code.clone();
        let b = code.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let starts = ident(b[i])
                && !b[i].is_ascii_digit()
                && (i == 0 || !(ident(b[i - 1]) || matches!(b[i - 1], b':' | b'.' | b'\'' | b'"')));
            if !starts {
                i += 1;
                continue;
            }
            let (written, end) = path_at(&code, i);
            // `mod page;` declares a module; only what names something in it reaches it.
            let declared = code[..i].ends_with("mod ");
            i = end;
            if declared {
                continue;
            }
            let first = written[0].as_str();
            let whole = match names.get(first) {
                Some(to) if !matches!(first, "crate" | "super" | "self") => {
                    Some([to.clone(), written[1..].to_vec()].concat())
                }
                _ if written.len() > 1 => absolute(&here, &children, &written),
                _ => None,
            };
            wanted.extend(whole);
            // A name a globbed module re-exports.
            for glob in &globs {
                wanted.push([glob.clone(), written.clone()].concat());
            }
        }
        let mut out = BTreeSet::new();
        for path in wanted {
            // A glob's name that is no module's and no re-export's stays in the glob's file,
            // which its own entry reached.
            out.extend(self.lookup(&path));
        }
        out
    }
}

/// The `a::b::c` path whose first name starts at byte `at`, and the byte after it.
fn path_at(code: &str, at: usize) -> (Names, usize) {
    let b = code.as_bytes();
    let mut names = Vec::new();
    let mut i = at;
    loop {
        let start = i;
        while i < b.len() && ident(b[i]) {
            i += 1;
        }
        names.push(code[start..i].to_string());
        let after = code[i..].trim_start();
        let Some(next) = after.strip_prefix("::") else {
            return (names, i);
        };
        let next_at = code.len() - next.trim_start().len();
        if !next
            .trim_start()
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        {
            return (names, i);
        }
        i = next_at;
    }
}
