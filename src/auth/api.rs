//! Server functions for signing in and out and for the owner's team settings.
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::model::Role;
use super::model::{CurrentUser, TeamMember};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::server::ctx::Ctx;

/// Failed sign-ins allowed per account within `THROTTLE_MINUTES` before it is paused.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins allowed per address within `THROTTLE_MINUTES`.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const THROTTLE_MINUTES: i64 = 15;

/// Who is signed in (None for visitors), with the business name and currency.
#[server(endpoint = "me")]
pub async fn get_me() -> Result<Option<CurrentUser>, AppError> {
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let user = super::session::current_user(&cx).await?;
            Ok(user.map(|u| CurrentUser {
                id: u.id,
                name: u.name,
                email: u.email,
                role: u.role,
                business_name: cx.config().business_name.clone(),
                currency: cx.config().currency.clone(),
            }))
        }
        .await,
    )
}

/// Signs in with email and password, then sends the person to their role's start page (or to
/// `next`, when it is a local path).
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    cx.respond(login_inner(&cx, email, password, next).await)
}

#[cfg(feature = "ssr")]
async fn login_inner(
    cx: &Ctx,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::{password as pw, repo, session};

    let email = super::model::validate_email(&email)?;
    if password.is_empty() {
        return Err(AppError::invalid(
            "password",
            "Password: enter your password.",
        ));
    }
    let pool = cx.db();
    let ip = cx.client_ip();
    let since = crate::server::db::timestamp(
        chrono::Utc::now() - chrono::Duration::minutes(THROTTLE_MINUTES),
    );
    if repo::failures_for_email(pool, &email, &since).await? >= MAX_FAILURES_PER_ACCOUNT {
        tracing::warn!(%email, %ip, "sign-in refused: account throttled");
        return Err(AppError::TooManyRequests(format!(
            "Too many failed sign-ins for this account. Wait {THROTTLE_MINUTES} minutes, or ask the owner to reset your password."
        )));
    }
    if repo::failures_for_ip(pool, &ip, &since).await? >= MAX_FAILURES_PER_ADDRESS {
        tracing::warn!(%email, %ip, "sign-in refused: address throttled");
        return Err(AppError::TooManyRequests(format!(
            "Too many failed sign-ins from this network. Wait {THROTTLE_MINUTES} minutes and try again."
        )));
    }

    let user = repo::find_by_email(pool, &email).await?;
    let ok = pw::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await
        && user.as_ref().is_some_and(|u| u.active);
    repo::record_attempt(pool, &email, &ip, ok).await?;
    let Some(user) = user.filter(|_| ok) else {
        tracing::warn!(%email, %ip, "sign-in failed");
        return Err(AppError::invalid(
            "password",
            "That email and password don't match an active account.",
        ));
    };
    session::sign_in(cx, &user).await?;
    tracing::info!(user_id = user.id, role = user.role.as_str(), %ip, "signed in");
    let target = next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && n != "/login")
        .unwrap_or_else(|| user.role.landing().to_string());
    cx.redirect(&target);
    Ok(())
}

/// Signs out and returns to the sign-in page.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let cx = Ctx::get()?;
    cx.respond(
        async {
            if let Some(user) = super::session::current_user(&cx).await? {
                tracing::info!(user_id = user.id, "signed out");
            }
            super::session::sign_out(&cx).await?;
            cx.redirect("/login");
            Ok(())
        }
        .await,
    )
}

/// The whole team (owner only).
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<TeamMember>, AppError> {
    let cx = Ctx::get()?;
    cx.respond(
        async {
            super::session::require(&cx, &[Role::Owner]).await?;
            super::repo::list(cx.db()).await
        }
        .await,
    )
}

/// Adds a staff member, driver or co-owner (owner only).
#[server(endpoint = "add_user")]
pub async fn add_user(
    email: String,
    name: String,
    role: String,
    password: String,
) -> Result<TeamMember, AppError> {
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let me = super::session::require(&cx, &[Role::Owner]).await?;
            let name = super::model::validate_name(&name)?;
            let email = super::model::validate_email(&email)?;
            let role = Role::parse(&role, "role")?;
            super::model::validate_new_password(&password)?;
            let hash = super::password::hash(password).await?;
            let id = super::repo::insert(cx.db(), &email, &name, role, &hash).await?;
            tracing::info!(by = me.id, user_id = id, role = role.as_str(), "user added");
            Ok(TeamMember {
                id,
                name,
                email,
                role,
                active: true,
            })
        }
        .await,
    )
}

/// Changes someone's role (owner only; not your own, so a business always keeps an owner).
#[server(endpoint = "set_user_role")]
pub async fn set_user_role(user_id: i64, role: String) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let me = super::session::require(&cx, &[Role::Owner]).await?;
            let role = Role::parse(&role, "role")?;
            if me.id == user_id {
                return Err(AppError::invalid("role", "You can't change your own role."));
            }
            super::repo::set_role(cx.db(), user_id, role).await?;
            tracing::info!(by = me.id, user_id, role = role.as_str(), "user re-roled");
            Ok(())
        }
        .await,
    )
}

/// Disables or re-enables an account (owner only; not your own). Disabling ends its sessions.
#[server(endpoint = "set_user_active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let me = super::session::require(&cx, &[Role::Owner]).await?;
            if me.id == user_id {
                return Err(AppError::invalid(
                    "active",
                    "You can't disable your own account.",
                ));
            }
            super::repo::set_active(cx.db(), user_id, active).await?;
            tracing::info!(by = me.id, user_id, active, "user access changed");
            Ok(())
        }
        .await,
    )
}
