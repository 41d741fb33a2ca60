//! The `hearth` binary: help for every subcommand, migrate, demo, user add, backup, and the
//! production refusal of demo passwords.
use std::io::Write;
use std::process::{Command, Stdio};

fn hearth(db: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("HEARTH_LOG", "warn")
        .env_remove("HEARTH_ENV")
        .env_remove("HEARTH_DEMO");
    cmd
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().expect("run hearth");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn every_subcommand_has_help() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "passwd", "--help"],
        vec!["demo", "--help"],
        vec!["backup", "--help"],
        vec!["districts", "import", "--help"],
        vec!["api-key", "create", "--help"],
    ] {
        let (ok, text) = run(hearth(&db).args(&args));
        assert!(ok, "{args:?}: {text}");
        assert!(text.contains("Usage:"), "{args:?}: {text}");
    }
    let (_, text) = run(hearth(&db).arg("--help"));
    assert!(
        text.contains("DATABASE_URL"),
        "help documents the environment"
    );
    assert!(!db.exists(), "help touches no database");
}

#[test]
fn migrate_demo_user_add_and_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/h.db");
    let (ok, text) = run(hearth(&db).arg("migrate"));
    assert!(ok, "{text}");
    assert!(db.exists(), "migrate creates the database and its folder");

    let (ok, text) = run(hearth(&db).arg("demo"));
    assert!(ok, "{text}");
    assert!(text.contains("owner@hearth.demo"), "{text}");
    // A second load is refused; --if-empty is a quiet no-op; --reset reloads.
    let (ok, text) = run(hearth(&db).arg("demo"));
    assert!(!ok && text.contains("--reset"), "{text}");
    let (ok, _) = run(hearth(&db).args(["demo", "--if-empty"]));
    assert!(ok);
    let (ok, text) = run(hearth(&db).args(["demo", "--reset"]));
    assert!(ok, "{text}");

    // The password comes from standard input, never from the arguments.
    let mut child = hearth(&db)
        .args([
            "user",
            "add",
            "--email",
            "Rosa@Example.com",
            "--name",
            "Rosa",
            "--role",
            "driver",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (ok, text) = run(hearth(&db)
        .args([
            "user",
            "add",
            "--email",
            "x@example.com",
            "--name",
            "X",
            "--role",
            "boss",
        ])
        .stdin(Stdio::null()));
    assert!(
        !ok && text.contains("Role must be owner, staff or driver"),
        "{text}"
    );

    // Districts round-trip through GeoJSON.
    let geo = dir.path().join("districts.geojson");
    let (ok, text) = run(hearth(&db).args(["districts", "export", geo.to_str().unwrap()]));
    assert!(ok && text.contains("Wrote 11 districts"), "{text}");
    let (ok, text) = run(hearth(&db).args(["districts", "import", geo.to_str().unwrap()]));
    assert!(ok && text.contains("11 updated, 0 added"), "{text}");

    let copy = dir.path().join("copy.db");
    let (ok, text) = run(hearth(&db).args(["backup", copy.to_str().unwrap()]));
    assert!(ok, "{text}");
    let (ok, text) = run(hearth(&db).args(["backup", copy.to_str().unwrap()]));
    assert!(!ok && text.contains("already exists"), "{text}");
    // The copy is a complete, consistent database with the new account in it.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", copy.display()))
            .await
            .unwrap();
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(check, "ok");
        let rosa: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE email = 'rosa@example.com' AND role = 'driver'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(rosa, 1);
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(orders >= 140, "{orders}");
    });
}

#[test]
fn production_refuses_demo_passwords_and_bad_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    assert!(run(hearth(&db).arg("demo")).0);
    let (ok, text) = run(hearth(&db)
        .arg("serve")
        .env("HEARTH_ENV", "production")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0"));
    assert!(!ok, "{text}");
    assert!(
        text.contains("demo password") && text.contains("owner@hearth.demo"),
        "{text}"
    );
    let (ok, text) = run(hearth(&db)
        .arg("migrate")
        .env("HEARTH_TIMEZONE", "Mars/Olympus"));
    assert!(!ok && text.contains("HEARTH_TIMEZONE"), "{text}");
}
