//! One writer per aggregate: SQL that writes `orders` or `order_items` appears only in the
//! order core (`src/orders/core/`); `products` only in the menu's writer (`src/menu/repo.rs`);
//! the booking rules (`pickup_hours`, `closed_dates`) only in `src/settings/hours.rs`;
//! `districts` only in `src/districts/repo.rs`.
//! Everything else asks them.
//!
//! Allowed elsewhere, with the reason: test modules (`#[cfg(test)] mod …` to the end of a
//! file, or a whole file declared as one), which set up cases directly. (The demo seed writes
//! its past orders through `orders::core::as_written`.)
use std::path::{Path, PathBuf};

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

/// The statements in `code` that write orders or order_items (case-insensitive).
fn order_writes(code: &str) -> Vec<String> {
    writes(code, &["orders", "order_items"])
}

/// The statements in `code` that write any of `tables` (case-insensitive).
fn writes(code: &str, tables: &[&str]) -> Vec<String> {
    let flat = code
        .to_ascii_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut found = Vec::new();
    for verb in [
        "update ",
        "insert into ",
        "delete from ",
        "replace into ",
        "insert or replace into ",
    ] {
        for table in tables {
            let needle = format!("{verb}{table}");
            let mut at = 0;
            while let Some(i) = flat[at..].find(&needle) {
                let end = at + i + needle.len();
                // `orders` must end there (not `orders_archive`, not `order_items` for `order`).
                let next = flat[end..].chars().next().unwrap_or(' ');
                if !(next.is_ascii_alphanumeric() || next == '_') {
                    found.push(needle.clone());
                }
                at = end;
            }
        }
    }
    found
}

/// The part of a file that is not its test module: the code before `#[cfg(test)] mod … {`.
/// A test module in a file of its own (`#[cfg(test)] mod tests;`) ends nothing: the code
/// after that line is production code (it once hid the demo's reset from this check).
fn production_part(code: &str) -> &str {
    code.match_indices("#[cfg(test)]\nmod ")
        .find(|(i, m)| {
            let line = code[i + m.len()..].lines().next().unwrap_or("");
            line.trim_end().ends_with('{')
        })
        .map_or(code, |(i, _)| &code[..i])
}

/// Whether `file` is a test module of its own: its folder's `mod.rs` declares it under
/// `#[cfg(test)]`.
fn is_test_module_file(file: &Path) -> bool {
    let (Some(dir), Some(stem)) = (file.parent(), file.file_stem()) else {
        return false;
    };
    let stem = stem.to_string_lossy();
    std::fs::read_to_string(dir.join("mod.rs"))
        .is_ok_and(|m| m.contains(&format!("#[cfg(test)]\nmod {stem};")))
}

/// The production code of `file`: nothing for a test module's own file.
fn production_code(file: &Path) -> String {
    if is_test_module_file(file) {
        return String::new();
    }
    production_part(&std::fs::read_to_string(file).unwrap()).to_string()
}

#[test]
fn the_finder_sees_every_spelling_of_a_write() {
    assert_eq!(
        order_writes("sqlx::query!(\"UPDATE orders SET x = 1\")").len(),
        1
    );
    assert_eq!(order_writes("\"update\n   ORDERS set\"").len(), 1);
    assert_eq!(
        order_writes("INSERT INTO order_items (a) VALUES (1)").len(),
        1
    );
    assert_eq!(order_writes("DELETE FROM order_items WHERE").len(), 1);
    assert!(order_writes("UPDATE orders_archive SET").is_empty());
    assert!(order_writes("SELECT * FROM orders").is_empty());
    assert!(order_writes("UPDATE run_stops SET").is_empty());
    // A test module declared in a file of its own hides nothing after it.
    let code = "#[cfg(test)]\nmod tests;\nfn wipe() { q(\"DELETE FROM orders\") }\n";
    assert_eq!(order_writes(production_part(code)).len(), 1);
    let code = "fn a() {}\n#[cfg(test)]\nmod tests {\n  q(\"DELETE FROM orders\")\n}\n";
    assert!(order_writes(production_part(code)).is_empty());
}

#[test]
fn a_test_module_of_its_own_is_told_from_production_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(is_test_module_file(&root.join("src/server/demo/tests.rs")));
    assert!(!is_test_module_file(
        &root.join("src/server/demo/orders.rs")
    ));
    assert!(!is_test_module_file(
        &root.join("src/orders/core/create.rs")
    ));
}

#[test]
fn only_the_order_core_writes_orders() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let core = root.join("src/orders/core");
    let mut writers = std::collections::BTreeSet::new();
    let mut outside = Vec::new();
    for file in &files {
        let writes = order_writes(&production_code(file));
        if writes.is_empty() {
            continue;
        }
        let rel = file.strip_prefix(root).unwrap().display().to_string();
        writers.insert(rel.clone());
        if !file.starts_with(&core) {
            outside.push(format!("{rel}: {}", writes.join(", ")));
        }
    }
    println!("files writing orders: {writers:?}");
    assert!(
        outside.is_empty(),
        "orders written outside the order core:\n{}",
        outside.join("\n")
    );
    assert!(
        writers.iter().any(|w| w.starts_with("src/orders/core/")),
        "the finder found no writes at all: it is broken"
    );
}

/// Every file under `src/` (test modules left out) that writes one of `tables`, relative.
fn writers_of(tables: &[&str]) -> std::collections::BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files
        .iter()
        .filter(|f| !writes(&production_code(f), tables).is_empty())
        .map(|f| f.strip_prefix(root).unwrap().display().to_string())
        .collect()
}

#[test]
fn only_the_menu_writes_products_and_only_settings_write_the_booking_rules() {
    assert_eq!(
        writers_of(&["products"]).into_iter().collect::<Vec<_>>(),
        ["src/menu/repo.rs"]
    );
    assert_eq!(
        writers_of(&["pickup_hours", "closed_dates"])
            .into_iter()
            .collect::<Vec<_>>(),
        ["src/settings/hours.rs"]
    );
    assert_eq!(
        writers_of(&["districts"]).into_iter().collect::<Vec<_>>(),
        ["src/districts/repo.rs"]
    );
}

#[test]
fn each_kitchen_standing_order_and_alert_table_has_one_writer() {
    for (tables, writer) in [
        (
            &["stock_moves", "stock_lots", "ingredients", "suppliers"][..],
            "src/kitchen/stock.rs",
        ),
        (
            &["recipes", "recipe_lines", "stations"][..],
            "src/kitchen/recipes.rs",
        ),
        (&["bake_batches"][..], "src/kitchen/plan/bake.rs"),
        (
            &["purchase_orders", "purchase_order_lines", "kitchen_rules"][..],
            "src/kitchen/purchase.rs",
        ),
        (&["product_waste"][..], "src/kitchen/waste.rs"),
        (
            &["alerts", "alert_settings", "alert_reads"][..],
            "src/alerts/store/",
        ),
        (
            &["push_subscriptions", "push_key"][..],
            "src/alerts/push.rs",
        ),
        (
            &[
                "standing_orders",
                "standing_order_items",
                "standing_order_skips",
                "standing_order_visits",
            ][..],
            "src/standing/store/",
        ),
        (
            &[
                "loyalty_program",
                "loyalty_ledger",
                "loyalty_balances",
                "referral_codes",
                "referrals",
            ][..],
            "src/loyalty/store/",
        ),
        (
            &[
                "report_days",
                "report_day_items",
                "report_day_windows",
                "report_day_districts",
                "report_day_runs",
                "report_day_bookings",
                "report_day_arrivals",
                "report_day_cancellations",
                "report_day_failures",
                "report_day_cash",
            ][..],
            "src/reports/store/days/",
        ),
    ] {
        // A writer is one file, or one folder (`…/`) holding the aggregate's writer.
        let found = writers_of(tables);
        assert!(
            !found.is_empty() && found.iter().all(|w| w.starts_with(writer)),
            "{tables:?} written by {found:?}, not only {writer}"
        );
    }
}
