//! Configuration from the environment, with documented defaults (see README).
use std::net::SocketAddr;

/// Who the business is, as customers see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub business_name: String,
    /// ISO 4217, e.g. EUR.
    pub currency: String,
    pub timezone: chrono_tz::Tz,
    /// The business's language ("en", "es"): pages, and customers whose order names none.
    pub language: String,
}

/// A 3-letter ISO 4217 code in capitals, or the error naming `field`.
pub fn currency_code(raw: &str, field: &str) -> Result<String, String> {
    let c = raw.trim().to_uppercase();
    if c.len() != 3 || !c.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!(
            "{field} must be a 3-letter ISO code like EUR, not {raw:?}"
        ));
    }
    Ok(c)
}

/// Settings read once at start-up.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`, default `sqlite://data/hearth.db`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`, default `127.0.0.1:3000`.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`, where the built client (pkg/, CSS, public/) lives; default `target/site`.
    pub site_root: String,
    /// The business's name, currency and time zone: set by the owner (Settings → Business,
    /// or the setup page) and kept in the database; until then `HEARTH_BUSINESS_NAME`
    /// (default "Obrador Hearth"), `HEARTH_CURRENCY` (ISO 4217, default `EUR`) and
    /// `HEARTH_TIMEZONE` (IANA, default `Europe/Madrid`). Shared by every clone, so that a
    /// change shows at once.
    profile: std::sync::Arc<std::sync::RwLock<Profile>>,
    /// `HEARTH_ENV=production` makes `serve` refuse demo passwords and sets Secure cookies.
    pub production: bool,
    /// `HEARTH_SECURE_COOKIES` (true/false); default true in production, else false (plain http on loopback).
    pub secure_cookies: bool,
    /// `HEARTH_SESSION_IDLE_MINUTES` (default 720: 12 h without a request ends the session),
    /// held in seconds.
    pub session_idle_secs: i64,
    /// `HEARTH_SESSION_MAX_HOURS`, default 168 (a session never outlives 7 days).
    pub session_max_hours: i64,
    /// `HEARTH_TILE_URL`, the map tile template; default OpenStreetMap's public tiles.
    pub tile_url: String,
    /// `HEARTH_TILE_ATTRIBUTION`.
    pub tile_attribution: String,
    /// `HEARTH_DEMO=if-empty` loads the demo bakery at start when the database has no users.
    pub demo_if_empty: bool,
    /// `HEARTH_DEMO_RUN=publish`: after loading the demo at start, plan and publish today's run
    /// for its driver.
    pub demo_run: bool,
    /// `HEARTH_PUBLIC_URL`, how customers reach Hearth (tracking links); default `http://<site addr>`.
    pub public_url: String,
    /// `HEARTH_PHONE_COUNTRY`, the calling code given to numbers without one; default `34`.
    pub phone_country: String,
    /// `HEARTH_BACKUP_DIR`: where `serve` writes its scheduled backups; default `backups/` next
    /// to the database file; `off` turns them off.
    pub backup_dir: Option<std::path::PathBuf>,
    /// `HEARTH_BACKUP_EVERY_HOURS` (default 24) and `HEARTH_BACKUP_KEEP` (default 14 copies).
    pub backup_every_hours: i64,
    pub backup_keep: usize,
    /// `HEARTH_TRACKER_RATE_PER_MINUTE`, public tracking requests allowed per address; default 60.
    pub tracker_rate_per_minute: u32,
    /// `HEARTH_WEBHOOK_URL`: where order notifications are POSTed (unset: none are sent).
    pub webhook_url: Option<String>,
    /// `HEARTH_WEBHOOK_SECRET`: the HMAC-SHA256 key of the `X-Hearth-Signature` header.
    pub webhook_secret: String,
    /// `HEARTH_WEBHOOK_RETRY_BASE_MS`: first retry delay, doubling per attempt; default 2000.
    pub webhook_retry_base_ms: u64,
    /// `HEARTH_SMTP_URL`: the mail server for customers' status emails, e.g.
    /// `smtp://user:pass@mail.example.com:587?tls=required` or `smtps://…:465` (unset: no
    /// emails are sent; plain `smtp://host:port` only for a server on this machine).
    pub smtp_url: Option<String>,
    /// `HEARTH_SMTP_FROM`: the sender, e.g. `Obrador <orders@obrador.example>`.
    pub smtp_from: String,
    /// `HEARTH_OSRM_URL`: an OSRM-compatible server whose `/table` gives road distances and
    /// times (unset: straight line × detour factor at the average speed in Settings).
    pub osrm_url: Option<String>,
    /// `HEARTH_PLAN_SECONDS`: how long "Optimise" searches; default 0.8.
    pub plan_seconds: f64,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse_bool(name: &str, raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("{name} must be true or false, not {raw:?}")),
    }
}

/// `name` as a whole number above 0, else `default`; anything else is an error naming it.
fn positive(name: &str, default: i64) -> Result<i64, String> {
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{name} must be a positive whole number, not {v:?}")),
    }
}

/// `name` as a URL starting with one of `schemes` ("must be {what} URL"), or None when unset.
fn url(name: &str, schemes: &[&str], what: &str) -> Result<Option<String>, String> {
    match var(name) {
        Some(u) if schemes.iter().any(|s| u.starts_with(s)) => Ok(Some(u)),
        Some(u) => Err(format!("{name} must be {what} URL, not {u:?}")),
        None => Ok(None),
    }
}

/// The calling code phone numbers are read in (HEARTH_PHONE_COUNTRY, 34 by default).
fn phone_country() -> Result<String, String> {
    let cc = var("HEARTH_PHONE_COUNTRY").unwrap_or_else(|| "34".into());
    if cc.is_empty() || cc.len() > 3 || !cc.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "HEARTH_PHONE_COUNTRY must be a calling code like 34, not {cc:?}"
        ));
    }
    Ok(cc)
}

/// Who emails come from (HEARTH_SMTP_FROM, else the business at orders@localhost).
fn smtp_from() -> Result<String, String> {
    let from = var("HEARTH_SMTP_FROM").unwrap_or_else(|| {
        format!(
            "{} <orders@localhost>",
            var("HEARTH_BUSINESS_NAME").unwrap_or_else(|| "Obrador Hearth".into())
        )
    });
    if !from.contains('@') {
        return Err(format!(
            "HEARTH_SMTP_FROM must be an email address, not {from:?}"
        ));
    }
    Ok(from)
}

/// How long a run's optimisation searches (HEARTH_PLAN_SECONDS, 0–600; 0.8 by default).
fn plan_seconds() -> Result<f64, String> {
    match var("HEARTH_PLAN_SECONDS") {
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|s| *s > 0.0 && *s <= 600.0)
            .ok_or(format!(
                "HEARTH_PLAN_SECONDS must be a number of seconds (0–600), not {v:?}"
            )),
        None => Ok(0.8),
    }
}

impl Config {
    /// Reads the environment; an unparsable value is an error naming the variable.
    pub fn from_env() -> Result<Self, String> {
        let production = var("HEARTH_ENV").is_some_and(|v| v.eq_ignore_ascii_case("production"));
        let site_addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let site_addr: SocketAddr = site_addr
            .parse()
            .map_err(|_| format!("LEPTOS_SITE_ADDR must be host:port, not {site_addr:?}"))?;
        let tz_name = var("HEARTH_TIMEZONE").unwrap_or_else(|| "Europe/Madrid".into());
        let timezone = tz_name.parse().map_err(|_| {
            format!("HEARTH_TIMEZONE must be an IANA zone like Europe/Madrid, not {tz_name:?}")
        })?;
        let currency = currency_code(
            &var("HEARTH_CURRENCY").unwrap_or_else(|| "EUR".into()),
            "HEARTH_CURRENCY",
        )?;
        let secure_cookies = match var("HEARTH_SECURE_COOKIES") {
            Some(v) => parse_bool("HEARTH_SECURE_COOKIES", &v)?,
            None => production,
        };
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/hearth.db".into()),
            site_addr,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            profile: std::sync::Arc::new(std::sync::RwLock::new(Profile {
                business_name: var("HEARTH_BUSINESS_NAME")
                    .unwrap_or_else(|| "Obrador Hearth".into()),
                currency,
                timezone,
                language: match var("HEARTH_LANGUAGE") {
                    Some(l) => crate::field::language_code(&l, "HEARTH_LANGUAGE")
                        .map_err(|e| e.to_string())?,
                    None => "en".into(),
                },
            })),
            production,
            secure_cookies,
            session_idle_secs: positive("HEARTH_SESSION_IDLE_MINUTES", 720)? * 60,
            session_max_hours: positive("HEARTH_SESSION_MAX_HOURS", 168)?,
            tile_url: var("HEARTH_TILE_URL")
                .unwrap_or_else(|| "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into()),
            tile_attribution: var("HEARTH_TILE_ATTRIBUTION")
                .unwrap_or_else(|| "© OpenStreetMap contributors".into()),
            demo_if_empty: var("HEARTH_DEMO").is_some_and(|v| v == "if-empty"),
            demo_run: var("HEARTH_DEMO_RUN").is_some_and(|v| v == "publish"),
            public_url: var("HEARTH_PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}")),
            phone_country: phone_country()?,
            backup_dir: match var("HEARTH_BACKUP_DIR") {
                Some(v) if v == "off" => None,
                Some(v) => Some(v.into()),
                None => Some(crate::server::backups::default_dir(
                    &var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/hearth.db".into()),
                )),
            },
            backup_every_hours: positive("HEARTH_BACKUP_EVERY_HOURS", 24)?,
            backup_keep: positive("HEARTH_BACKUP_KEEP", 14)? as usize,
            tracker_rate_per_minute: positive("HEARTH_TRACKER_RATE_PER_MINUTE", 60)? as u32,
            webhook_url: url("HEARTH_WEBHOOK_URL", &["http://", "https://"], "an http(s)")?,
            webhook_secret: var("HEARTH_WEBHOOK_SECRET").unwrap_or_default(),
            webhook_retry_base_ms: positive("HEARTH_WEBHOOK_RETRY_BASE_MS", 2000)? as u64,
            smtp_url: url(
                "HEARTH_SMTP_URL",
                &["smtp://", "smtps://"],
                "an smtp:// or smtps://",
            )?,
            smtp_from: smtp_from()?,
            osrm_url: url("HEARTH_OSRM_URL", &["http://", "https://"], "an http(s)")?,
            plan_seconds: plan_seconds()?,
        })
    }

    pub fn profile(&self) -> Profile {
        self.profile
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Replaces the profile for every holder of this configuration.
    pub fn set_profile(&self, p: Profile) {
        *self
            .profile
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = p;
    }

    pub fn business_name(&self) -> String {
        self.profile().business_name
    }

    pub fn currency(&self) -> String {
        self.profile().currency
    }

    pub fn timezone(&self) -> chrono_tz::Tz {
        self.profile().timezone
    }

    /// The business's language code.
    pub fn language(&self) -> String {
        self.profile().language
    }

    /// The wall-clock time in the business's time zone.
    pub fn now_local(&self) -> chrono::NaiveDateTime {
        chrono::Utc::now()
            .with_timezone(&self.timezone())
            .naive_local()
    }

    /// Today's date in the business's time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now()
            .with_timezone(&self.timezone())
            .date_naive()
    }
}
