//! The `hearth` command line: serve (default), migrate, user, demo, backup, restore.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use leptos::config::LeptosOptions;

use super::config::Config;
use super::state::AppState;
use super::{backups, db, demo, http};

mod admin;

use crate::auth::{password, repo as users};
use admin::{ApiKeyCommand, DistrictsCommand, UserCommand};

#[derive(Parser)]
#[command(
    name = "hearth",
    version,
    about = "Hearth: the back office of a home bakery",
    after_help = "Configuration comes from the environment: DATABASE_URL (default sqlite://data/hearth.db), \
LEPTOS_SITE_ADDR (127.0.0.1:3000), LEPTOS_SITE_ROOT (target/site), HEARTH_TIMEZONE (Europe/Madrid), \
HEARTH_CURRENCY (EUR), HEARTH_BUSINESS_NAME, HEARTH_ENV=production, HEARTH_SECURE_COOKIES, \
HEARTH_SESSION_IDLE_MINUTES (720), HEARTH_SESSION_MAX_HOURS (168), HEARTH_TILE_URL, HEARTH_DEMO=if-empty, HEARTH_DEMO_RUN=publish, \
HEARTH_PUBLIC_URL, HEARTH_PHONE_COUNTRY (34), HEARTH_TRACKER_RATE_PER_MINUTE (60). \
See README.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Hearth over HTTP (the default when no command is given).
    Serve,
    /// Create the database if needed, apply migrations, and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load the demo bakery into an empty database (or replace everything with --reset).
    Demo {
        /// Delete all accounts and business data first.
        #[arg(long)]
        reset: bool,
        /// Do nothing (successfully) when the database already has accounts.
        #[arg(long, conflicts_with = "reset")]
        if_empty: bool,
    },
    /// Export or import delivery districts as GeoJSON.
    Districts {
        #[command(subcommand)]
        command: DistrictsCommand,
    },
    /// Manage the storefront's API keys.
    ApiKey {
        #[command(subcommand)]
        command: ApiKeyCommand,
    },
    /// Write a consistent copy of the live database to FILE (safe while the server runs).
    Backup {
        /// Where to write the copy; must not exist yet.
        file: PathBuf,
    },
    /// Put a backup in place of the database (stop the server first): checks its integrity,
    /// keeps the current database aside as `<db>.before-restore-<time>`, migrates the copy.
    Restore {
        /// A backup written by `hearth backup` or by the server's schedule.
        file: PathBuf,
    },
    /// Choosing delivery days on generated weeks (60 orders over 5 days, 500 over 14): km and
    /// broken rules as booked, with the former one-tour-per-day suggestion, and with the joint
    /// search of "Plan the fortnight"; one JSON line per case.
    SuggestBench {
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Run the route solver on benchmark instances: Solomon VRPTW (.txt) and TSPLIB CVRP (.vrp).
    /// Prints one JSON line per instance: instance, vehicles, distance, seconds, feasible, routes.
    PlanBench(BenchArgs),
    /// Run the periodic solver on Cordeau's PVRP instances: each customer's visit days (one of
    /// its calendars) and every day's routes chosen together. Prints one JSON line per instance:
    /// instance, distance, seconds, feasible, calendars, routes (per day).
    PvrpBench(BenchArgs),
}

/// What the solver benchmarks take.
#[derive(clap::Args)]
struct BenchArgs {
    /// Search time per instance.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Search threads (independent searches; the best plan wins).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Random seed, for repeatable runs.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A best-known-solutions CSV (plan-bench: instance,kind,customers,bks_vehicles,
    /// bks_distance,...; pvrp-bench: instance,bks_cost): prints each instance's gap and the
    /// means on stderr at the end.
    #[arg(long)]
    bks: Option<PathBuf>,
    /// Instance files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// A solver benchmark: files, seconds, threads, seed, best-known CSV → all files solved.
type BenchFn = fn(&[PathBuf], f64, usize, u64, Option<&PathBuf>) -> bool;

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let bench = match &cli.command {
        Some(Command::PlanBench(a)) => Some((crate::runs::bench::run as BenchFn, a)),
        Some(Command::PvrpBench(a)) => Some((crate::runs::pvrp_bench::run as BenchFn, a)),
        _ => None,
    };
    if let Some((run, a)) = bench {
        // Needs neither the configuration nor a database.
        return if run(&a.files, a.seconds, a.threads, a.seed, a.bks.as_ref()) {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    if let Some(Command::SuggestBench { seed }) = &cli.command {
        crate::runs::suggest_bench::suggest_bench(*seed);
        return ExitCode::SUCCESS;
    }
    init_tracing();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hearth: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hearth: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hearth: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("HEARTH_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("HEARTH_LOG_FORMAT").is_ok_and(|f| f == "json") {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.compact().try_init();
    }
}

/// Opens the database (and starts copying its log off the write path: `checkpoints`), applies
/// migrations, and builds the shared state.
pub async fn prepare(config: Config) -> Result<AppState, String> {
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| format!("cannot open database {}: {e}", config.database_url))?;
    db::migrate(&pool)
        .await
        .map_err(|e| format!("migrations failed: {e}"))?;
    crate::server::checkpoints::start(&pool);
    crate::settings::business::load_into(&pool, &config).await?;
    let env = if config.production {
        leptos::config::Env::PROD
    } else {
        leptos::config::Env::DEV
    };
    let leptos_options = LeptosOptions::builder()
        .output_name("hearth")
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        // cargo-leptos names the client's files by their content (`hash-files`) and writes
        // the names to hash.txt beside the server; a server without one (the tests') serves
        // plain names.
        .hash_files(
            std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
                .unwrap_or(false),
        )
        .site_addr(config.site_addr)
        .env(env)
        .build();
    let per_minute = std::num::NonZeroU32::new(config.tracker_rate_per_minute.max(1))
        .unwrap_or(std::num::NonZeroU32::MIN);
    let tracker_limiter = Arc::new(governor::RateLimiter::keyed(governor::Quota::per_minute(
        per_minute,
    )));
    let (events, _) = tokio::sync::broadcast::channel(1024);
    Ok(AppState {
        pool,
        config: Arc::new(config),
        leptos_options,
        tracker_limiter,
        events,
    })
}

async fn run(command: Command, config: Config) -> Result<(), String> {
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let url = config.database_url.clone();
            prepare(config).await?;
            println!("Database {url} is up to date.");
            Ok(())
        }
        Command::User { command } => {
            let state = prepare(config).await?;
            admin::user_command(&state, command).await
        }
        Command::Demo { reset, if_empty } => admin::load_demo(config, reset, if_empty).await,
        Command::Districts { command } => admin::districts(config, command).await,
        Command::ApiKey { command } => admin::api_key(config, command).await,
        Command::PlanBench(_) | Command::PvrpBench(_) | Command::SuggestBench { .. } => {
            unreachable!("handled before the runtime starts")
        }
        Command::Backup { file } => admin::backup(config, &file).await,
        Command::Restore { file } => admin::restore(config, &file).await,
    }
}

/// In production, refuses to start while any active account still has the demo password.
async fn refuse_demo_passwords(state: &AppState) -> Result<(), String> {
    let accounts = users::active_hashes(&state.pool)
        .await
        .map_err(|e| e.to_string())?;
    let found = tokio::task::spawn_blocking(move || {
        accounts
            .into_iter()
            .filter(|(_, hash)| password::verify_blocking(password::DEMO_PASSWORD, hash))
            .map(|(email, _)| email)
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| e.to_string())?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "refusing to serve in production: {} still use the demo password. Change it with \
             `hearth user passwd --email ...` or disable those accounts.",
            found.join(", ")
        ))
    }
}

async fn serve(config: Config) -> Result<(), String> {
    // Held while serving: `hearth restore` refuses to replace a database in use.
    let _lock = backups::hold(&backups::db_path(&config.database_url)?)?;
    let state = prepare(config).await?;
    crate::audit::schedule_purge(state.pool.clone());
    crate::customers::privacy::schedule_retention(state.pool.clone(), state.config.clone());
    if let Some(dir) = state.config.backup_dir.clone() {
        backups::schedule(
            state.pool.clone(),
            dir,
            std::time::Duration::from_secs(state.config.backup_every_hours as u64 * 3600),
            state.config.backup_keep,
        );
    }
    if state.config.demo_if_empty
        && users::count(&state.pool).await.map_err(|e| e.to_string())? == 0
    {
        let counts = demo::load(&state.pool, &state.config, false)
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!(
            orders = counts.orders,
            customers = counts.customers,
            "demo bakery loaded"
        );
        if state.config.demo_run {
            let (stops, left_out) = demo::publish_today(&state.pool, &state.config)
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(
                stops,
                left_out,
                "today's demo run published for driver@hearth.demo"
            );
        }
    }
    if state.config.production {
        refuse_demo_passwords(&state).await?;
    }
    let addr = state.config.site_addr;
    let app = http::router(state.clone()).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!(%addr, "Hearth is serving");
    println!("Hearth is running at http://{addr}");
    let demo_owner = users::find_by_email(&state.pool, demo::DEMO_USERS[0].0)
        .await
        .ok()
        .flatten();
    if !state.config.production && demo_owner.is_some() {
        admin::print_demo_logins();
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
