//! Files a newcomer can read: no file under `src/` has more than ~400 lines of production code
//! (its test module left out) unless its opening comment says why it is longer ("Most of its
//! length is …"). A file that grows past the limit fails here and is split by what it does.
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

/// Lines before the file's test module (`#[cfg(test)]` then `mod …`), if it has one.
fn production_lines(code: &str) -> usize {
    let end = code.find("#[cfg(test)]\nmod ").unwrap_or(code.len());
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
    assert!(says_why(code));
    assert!(!says_why("//! A file.\nfn a() {} // Most of its length\n"));
}
