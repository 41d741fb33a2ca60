//! The `hearth` subcommands that administer a bakery from the server: accounts, the demo,
//! districts as GeoJSON, storefront API keys, backup and restore.
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::super::config::Config;
use super::super::state::AppState;
use super::super::{backups, db, demo};
use super::prepare;
use crate::auth::{password, repo as users, Role};

#[derive(Subcommand)]
pub(super) enum DistrictsCommand {
    /// Write every district to FILE as a GeoJSON FeatureCollection.
    Export { file: PathBuf },
    /// Read districts from a GeoJSON FeatureCollection: same name updates, new names are added;
    /// overlapping or broken features are refused and nothing changes.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
pub(super) enum ApiKeyCommand {
    /// Create a key and print it once (only its hash is stored).
    Create {
        /// What the key is for, e.g. "Website".
        #[arg(long)]
        name: String,
    },
    /// List keys (never the keys themselves).
    List,
    /// Revoke a key by its id; requests with it are refused from then on.
    Revoke {
        /// The key's id, from `api-key list`.
        id: i64,
    },
}

#[derive(Subcommand)]
pub(super) enum UserCommand {
    /// Add an account. The password is read from standard input, never from arguments.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// owner, staff or driver.
        #[arg(long)]
        role: String,
    },
    /// Set a new password (read from standard input); ends the account's sessions.
    Passwd {
        #[arg(long)]
        email: String,
    },
    /// Turn two-factor sign-in off for an account (a lost phone, no recovery code left); they
    /// set it up again after signing in.
    Reset2fa {
        #[arg(long)]
        email: String,
    },
}

/// `hearth demo`: loads the demo bakery (`reset`: over what is there; `if_empty`: only into a
/// database without accounts).
pub(super) async fn load_demo(config: Config, reset: bool, if_empty: bool) -> Result<(), String> {
    let state = prepare(config).await?;
    if if_empty && users::count(&state.pool).await.map_err(|e| e.to_string())? > 0 {
        println!("The database already has accounts; demo data not loaded.");
        return Ok(());
    }
    let counts = demo::load(&state.pool, &state.config, reset)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Loaded the demo bakery: {} districts, {} customers, {} products, {} orders, {} accounts.",
        counts.districts, counts.customers, counts.products, counts.orders, counts.users
    );
    print_demo_logins();
    Ok(())
}

/// `hearth districts export|import`.
pub(super) async fn districts(config: Config, command: DistrictsCommand) -> Result<(), String> {
    let state = prepare(config).await?;
    match command {
        DistrictsCommand::Export { file } => {
            let doc = crate::districts::geojson::export(&state.pool)
                .await
                .map_err(|e| e.to_string())?;
            let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            std::fs::write(&file, text)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            println!(
                "Wrote {} districts to {}.",
                doc["features"].as_array().map_or(0, Vec::len),
                file.display()
            );
        }
        DistrictsCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let today = state.config.today().to_string();
            let (done, _) = crate::districts::geojson::import(&state.pool, &text, &today, None)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Imported districts: {} updated, {} added; {} upcoming orders changed district.",
                done.updated, done.added, done.moved
            );
        }
    }
    Ok(())
}

/// `hearth api-key create|list|revoke`.
pub(super) async fn api_key(config: Config, command: ApiKeyCommand) -> Result<(), String> {
    let state = prepare(config).await?;
    let pool = &state.pool;
    use crate::storefront::keys;
    match command {
        ApiKeyCommand::Create { name } => {
            let (id, key) = keys::create(pool, &name, None)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Created API key {id} ({}). Store it now; it is not shown again:",
                name.trim()
            );
            println!("{key}");
        }
        ApiKeyCommand::List => {
            for k in keys::list(pool).await.map_err(|e| e.to_string())? {
                let state = k
                    .revoked_at
                    .map_or("active".to_string(), |t| format!("revoked {t}"));
                let used = k.last_used_at.unwrap_or_else(|| "never".into());
                println!(
                    "{:>4}  {:<24} {}…  {state}, last used {used}",
                    k.id, k.name, k.prefix
                );
            }
        }
        ApiKeyCommand::Revoke { id } => {
            keys::revoke(pool, id).await.map_err(|e| e.to_string())?;
            println!("API key {id} revoked.");
        }
    }
    Ok(())
}

/// `hearth backup FILE`: a checked copy of the live database.
pub(super) async fn backup(config: Config, file: &Path) -> Result<(), String> {
    if file.exists() {
        return Err(format!(
            "{} already exists; choose a new file name.",
            file.display()
        ));
    }
    let state = prepare(config).await?;
    db::backup(&state.pool, file)
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
    backups::check(file, false).await?;
    println!("Backup written to {} (checked).", file.display());
    Ok(())
}

/// `hearth restore FILE`: replaces the database (not while it is served).
pub(super) async fn restore(config: Config, file: &Path) -> Result<(), String> {
    let done = backups::restore(file, &config.database_url).await?;
    println!(
        "Restored {} into {}: integrity ok, schema {} → {}, {} orders, {:.1} s.",
        file.display(),
        config.database_url,
        done.from_version,
        done.to_version,
        done.orders,
        done.seconds
    );
    if let Some(kept) = done.kept {
        println!("The database that was there is kept as {}.", kept.display());
    }
    Ok(())
}

pub(super) fn print_demo_logins() {
    println!(
        "Demo sign-ins (password for all: {}):",
        password::DEMO_PASSWORD
    );
    for (email, name, role) in demo::DEMO_USERS {
        println!("  {role:<7} {email:<22} ({name})");
    }
}

fn read_password() -> Result<String, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (at least 10 characters): ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    let pw = line.trim_end_matches(['\r', '\n']).to_string();
    crate::auth::model::validate_new_password(&pw).map_err(|e| e.to_string())?;
    Ok(pw)
}

pub(super) async fn user_command(state: &AppState, command: UserCommand) -> Result<(), String> {
    match command {
        UserCommand::Add { email, name, role } => {
            let email = crate::auth::model::validate_email(&email).map_err(|e| e.to_string())?;
            let name = crate::auth::model::validate_name(&name).map_err(|e| e.to_string())?;
            let role = Role::parse(&role, "role").map_err(|e| e.to_string())?;
            let pw = read_password()?;
            let hash = password::hash(pw).await.map_err(|e| e.to_string())?;
            users::insert(&state.pool, &email, &name, role, &hash)
                .await
                .map_err(|e| e.to_string())?;
            println!("Added {name} <{email}> as {}.", role.as_str());
            Ok(())
        }
        UserCommand::Passwd { email } => {
            let email = crate::auth::model::validate_email(&email).map_err(|e| e.to_string())?;
            let user = users::find_by_email(&state.pool, &email)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("No account with email {email}."))?;
            let pw = read_password()?;
            let hash = password::hash(pw).await.map_err(|e| e.to_string())?;
            users::set_password(&state.pool, user.id, &hash)
                .await
                .map_err(|e| e.to_string())?;
            println!("Password changed for {email}; their sessions have ended.");
            Ok(())
        }
        UserCommand::Reset2fa { email } => {
            let email = crate::auth::model::validate_email(&email).map_err(|e| e.to_string())?;
            let user = users::find_by_email(&state.pool, &email)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("No account with email {email}."))?;
            crate::auth::two_factor::turn_off(&state.pool, user.id)
                .await
                .map_err(|e| e.to_string())?;
            println!("Two-factor sign-in is off for {email}; they can set it up again under Your account.");
            Ok(())
        }
    }
}
