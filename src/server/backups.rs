//! Backups you can restore: `serve` writes a consistent online copy of the database on a
//! schedule (`VACUUM INTO`, checked with `PRAGMA quick_check` before it counts) and keeps the
//! newest few; `hearth backup FILE` writes one by hand; `hearth restore FILE` checks a copy,
//! puts it in place of the database (the old file is kept aside, never deleted) and migrates
//! it. A lock file held by `serve` keeps a restore from pulling the database out from under a
//! running server.
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant, SystemTime};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqlitePool};

/// Scheduled backups' file names: `hearth-YYYYMMDD-HHMMSS.db` (UTC), so name order is age.
const PREFIX: &str = "hearth-";
const SUFFIX: &str = ".db";

/// `backups/` next to the database file of `url`.
pub fn default_dir(url: &str) -> PathBuf {
    db_path(url)
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("backups")))
        .unwrap_or_else(|| PathBuf::from("backups"))
}

/// The file behind a `sqlite://` URL.
pub fn db_path(url: &str) -> Result<PathBuf, String> {
    SqliteConnectOptions::from_str(url)
        .map(|o| o.get_filename().to_path_buf())
        .map_err(|e| format!("not a SQLite URL {url:?}: {e}"))
}

/// One backup file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    pub modified: SystemTime,
}

/// Writes a checked copy of the live database into `dir` and returns it. The copy is written
/// under a temporary name and renamed only once `quick_check` passed, so a file named like a
/// backup is always a whole one.
pub async fn take(pool: &SqlitePool, dir: &Path) -> Result<Backup, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let name = format!(
        "{PREFIX}{}{SUFFIX}",
        chrono::Utc::now().format("%Y%m%d-%H%M%S-%3f")
    );
    let path = dir.join(name);
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    super::db::backup(pool, &partial)
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
    if let Err(e) = check(&partial, false).await {
        let _ = std::fs::remove_file(&partial);
        return Err(format!("the new backup failed its check: {e}"));
    }
    std::fs::rename(&partial, &path).map_err(|e| format!("cannot name the backup: {e}"))?;
    describe(&path)
}

fn describe(path: &Path) -> Result<Backup, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Backup {
        path: path.to_path_buf(),
        bytes: meta.len(),
        modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
    })
}

/// The scheduled backups in `dir`, newest first.
pub fn list(dir: &Path) -> Vec<Backup> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut found: Vec<Backup> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            n.starts_with(PREFIX) && n.ends_with(SUFFIX)
        })
        .filter_map(|e| describe(&e.path()).ok())
        .collect();
    found.sort_by(|a, b| b.path.cmp(&a.path));
    found
}

/// Deletes all but the newest `keep` scheduled backups; returns how many went.
pub fn prune(dir: &Path, keep: usize) -> usize {
    list(dir)
        .into_iter()
        .skip(keep.max(1))
        .filter(|b| std::fs::remove_file(&b.path).is_ok())
        .count()
}

/// Runs for as long as the server does: a backup when the newest is older than the interval
/// (so one at start when there is none), then pruning. A failure is logged and tried again
/// in an hour.
pub fn schedule(pool: SqlitePool, dir: PathBuf, every: Duration, keep: usize) {
    tokio::spawn(async move {
        loop {
            let age = list(&dir)
                .first()
                .and_then(|b| SystemTime::now().duration_since(b.modified).ok());
            if let Some(age) = age.filter(|a| *a < every) {
                tokio::time::sleep(every - age).await;
                continue;
            }
            let started = Instant::now();
            match take(&pool, &dir).await {
                Ok(b) => {
                    let pruned = prune(&dir, keep);
                    tracing::info!(
                        file = %b.path.display(),
                        bytes = b.bytes,
                        millis = started.elapsed().as_millis() as u64,
                        pruned,
                        "scheduled backup written"
                    );
                }
                Err(e) => {
                    tracing::error!(error = %e, dir = %dir.display(), "scheduled backup failed");
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
            }
        }
    });
}

/// Opens `file` read-only and checks it: SQLite's integrity check (`full`) or quick check,
/// and that it is a Hearth database no newer than this program. Returns its schema version.
pub async fn check(file: &Path, full: bool) -> Result<i64, String> {
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(|e| format!("{} cannot be opened as SQLite: {e}", file.display()))?;
    let pragma = if full {
        "PRAGMA integrity_check"
    } else {
        "PRAGMA quick_check"
    };
    let verdict: Vec<String> = sqlx::query_scalar(pragma)
        .fetch_all(&mut conn)
        .await
        .map_err(|e| format!("{} is not a readable database: {e}", file.display()))?;
    if verdict != ["ok"] {
        return Err(format!(
            "{} is damaged: {}",
            file.display(),
            verdict.into_iter().take(3).collect::<Vec<_>>().join("; ")
        ));
    }
    let version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
            .fetch_one(&mut conn)
            .await
            .map_err(|_| format!("{} is not a Hearth database", file.display()))?;
    let version = version.ok_or_else(|| format!("{} has no schema yet", file.display()))?;
    let known = sqlx::migrate!("./migrations")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0);
    if version > known {
        return Err(format!(
            "{} comes from a newer Hearth (schema {version}; this one knows up to {known}): restore it with that version",
            file.display()
        ));
    }
    let _ = conn.close().await;
    Ok(version)
}

/// The lock `serve` holds on its database while it runs.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the serve lock of the database at `db` (held until the file is dropped), or says
/// that another Hearth holds it.
pub fn hold(db: &Path) -> Result<std::fs::File, String> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let path = lock_path(db);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "a Hearth server is using {}; stop it first",
            db.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// The schema version of the copy, and after migrating it.
    pub from_version: i64,
    pub to_version: i64,
    pub orders: i64,
    /// Where the database that was there before now is (None when there was none).
    pub kept: Option<PathBuf>,
    pub seconds: f64,
}

/// Puts the backup `file` in place of the database at `url`: checks it in full, moves the
/// current database (and its WAL) aside, copies the backup in, migrates it. Refused while a
/// server holds the database.
pub async fn restore(file: &Path, url: &str) -> Result<Restored, String> {
    let started = Instant::now();
    let target = db_path(url)?;
    let from_version = check(file, true).await?;
    let _lock = hold(&target)?;
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let aside = |p: &Path| {
        let mut n = p.as_os_str().to_owned();
        n.push(format!(".before-restore-{stamp}"));
        PathBuf::from(n)
    };
    let sidecar = |ext: &str| {
        let mut n = target.as_os_str().to_owned();
        n.push(ext);
        PathBuf::from(n)
    };
    let kept = if target.exists() {
        let to = aside(&target);
        std::fs::rename(&target, &to)
            .map_err(|e| format!("cannot move the old database aside: {e}"))?;
        Some(to)
    } else {
        None
    };
    // The old database's WAL must not be replayed into the restored file.
    for ext in ["-wal", "-shm"] {
        let p = sidecar(ext);
        if p.exists() {
            std::fs::rename(&p, aside(&p))
                .map_err(|e| format!("cannot move {}: {e}", p.display()))?;
        }
    }
    let partial = sidecar(".restoring");
    std::fs::copy(file, &partial).map_err(|e| format!("cannot copy the backup: {e}"))?;
    std::fs::rename(&partial, &target)
        .map_err(|e| format!("cannot put the backup in place: {e}"))?;
    let pool = super::db::connect(url)
        .await
        .map_err(|e| format!("cannot open the restored database: {e}"))?;
    super::db::migrate(&pool)
        .await
        .map_err(|e| format!("migrating the restored database failed: {e}"))?;
    let to_version: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .map_err(|e| e.to_string())?;
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(&pool)
        .await
        .map_err(|e| e.to_string())?;
    pool.close().await;
    Ok(Restored {
        from_version,
        to_version,
        orders,
        kept,
        seconds: started.elapsed().as_secs_f64(),
    })
}
