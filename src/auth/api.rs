//! Server functions for signing in and out and for the owner's team settings.
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::model::Role;
use super::model::{CurrentUser, TeamMember};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::server::ctx::Ctx;

/// Who is signed in (None for visitors), with the business name and currency.
#[server(endpoint = "me")]
pub async fn get_me() -> Result<Option<CurrentUser>, AppError> {
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let user = super::session::current_user(&cx).await?;
            let (logo, must_enrol) = match &user {
                Some(u) => (
                    crate::settings::logo::path(cx.db()).await?,
                    super::session::must_enrol(&cx, u).await?,
                ),
                None => (None, false),
            };
            Ok(user.map(|u| CurrentUser {
                logo,
                must_enrol,
                words: {
                    let lang = crate::i18n::Lang::pick(&[
                        u.language.as_deref(),
                        Some(&cx.config().language()),
                    ]);
                    // A driver opens only their run, its sheet and their account.
                    match u.role {
                        Role::Driver => crate::i18n::drivers_words(&lang),
                        Role::Owner | Role::Staff => crate::i18n::words(&lang),
                    }
                },
                id: u.id,
                name: u.name,
                email: u.email,
                role: u.role,
                business_name: cx.config().business_name(),
                currency: cx.config().currency(),
            }))
        }
        .await,
    )
}

/// The words of the sign-in page: the visitor's browser language when Hearth speaks it, else
/// the bakery's.
#[server(endpoint = "sign_in_words")]
pub async fn sign_in_words() -> Result<crate::words::Words, AppError> {
    let cx = Ctx::get()?;
    Ok(crate::i18n::words(&cx.visitor_lang()))
}

/// The words of a page drawn outside every signed-in page (the 404) for a visitor: none for a
/// signed-in person, whose words came with `get_me`, so that the page does not carry them twice.
/// In the browser the page has them from the server; a move there asks `sign_in_words`.
pub async fn visitor_words() -> Result<crate::words::Words, AppError> {
    #[cfg(feature = "ssr")]
    if super::session::current_user(&Ctx::get()?).await?.is_some() {
        return Ok(crate::words::Words::default());
    }
    sign_in_words().await
}

/// Signs in with email and password, then sends the person to their role's start page (or to
/// `next`, when it is a local path).
/// With two-factor sign-in on, the first try (no `code`) is answered with a `code` error and
/// the page asks for the code; the next try sends email, password and code together.
/// `remember` ("on") keeps this device from asking again for 30 days.
#[server(endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
    #[server(default)] code: Option<String>,
    #[server(default)] remember: Option<String>,
) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    // Whoever signs in reads the sign-in page's language: their browser's, else the bakery's.
    let answer = crate::i18n::reading(
        cx.visitor_lang(),
        login_inner(&cx, email, password, next, code, remember),
    )
    .await;
    cx.respond(answer)
}

#[cfg(feature = "ssr")]
async fn login_inner(
    cx: &Ctx,
    email: String,
    password: String,
    next: Option<String>,
    code: Option<String>,
    remember: Option<String>,
) -> Result<(), AppError> {
    use super::two_factor::{self as tf, DEVICE_COOKIE, TRUSTED_DAYS};
    use super::{password as pw, repo, session};

    let email = super::model::validate_email(&email)?;
    if password.is_empty() {
        return Err(AppError::invalid(
            "password",
            crate::said::said("refuse-password-empty"),
        ));
    }
    let pool = cx.db();
    let ip = cx.client_ip();
    // Counted before the (slow) password check, so parallel guesses meet the limit too.
    let attempt = super::throttle::enter(pool, &email, &ip).await?;
    let user = repo::find_by_email(pool, &email).await?;
    let ok = pw::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await
        && user.as_ref().is_some_and(|u| u.active);
    let code = code.filter(|c| !c.trim().is_empty());
    let second = match user.as_ref().filter(|_| ok) {
        Some(u) => second_factor(cx, u.id, code.as_deref(), attempt).await?,
        None => None,
    };
    let ok = ok && second != Some(false);
    super::throttle::settle(pool, attempt, ok).await?;
    if second == Some(false) && user.as_ref().is_some_and(|u| u.active) {
        tracing::warn!(%email, %ip, "sign-in failed: wrong second-factor code");
        return Err(refused(pool, &email, "wrong code", ("code", "refuse-code-wrong")).await);
    }
    let Some(user) = user.filter(|_| ok) else {
        tracing::warn!(%email, %ip, "sign-in failed");
        let field = ("password", "refuse-sign-in");
        return Err(refused(pool, &email, "email or password", field).await);
    };
    session::sign_in(cx, &user).await?;
    crate::audit::record(
        pool,
        &crate::audit::Who::user(user.id, &user.name),
        "sign_in",
        &user.email,
        serde_json::json!({"second_factor": match second { Some(true) if code.is_some() => "code", Some(true) => "remembered device", _ => "off" }}),
    )
    .await?;
    if second == Some(true) && code.is_some() && remember.as_deref() == Some("on") {
        let token = tf::remember(pool, user.id).await?;
        cx.set_cookie(DEVICE_COOKIE, &token, TRUSTED_DAYS * 86_400);
    }
    tracing::info!(user_id = user.id, role = user.role.as_str(), %ip, "signed in");
    let target = next
        .as_deref()
        .and_then(super::model::safe_next)
        .unwrap_or(user.role.landing())
        .to_string();
    cx.redirect(&target);
    Ok(())
}

/// The second factor of user `id`, when it is on: Some(true) when this device is remembered
/// or `code` is right, Some(false) when it is wrong (a failed attempt, like a wrong password);
/// None when it is off. With no code and no remembered device, the attempt is taken back and
/// the page asks for the code.
#[cfg(feature = "ssr")]
async fn second_factor(
    cx: &Ctx,
    id: i64,
    code: Option<&str>,
    attempt: i64,
) -> Result<Option<bool>, AppError> {
    use super::two_factor::{self as tf, DEVICE_COOKIE};
    let pool = cx.db();
    if !tf::enabled(pool, id).await? {
        return Ok(None);
    }
    if let Some(t) = cx.cookie(DEVICE_COOKIE) {
        if tf::trusted(pool, id, &t).await? {
            return Ok(Some(true));
        }
    }
    match code {
        Some(c) => Ok(Some(tf::verify(pool, id, c).await?)),
        None => {
            // Neither a failure nor a success: the page now asks for the code.
            super::throttle::forget(pool, attempt).await?;
            Err(AppError::invalid(
                "code",
                crate::said::said("refuse-code-needed"),
            ))
        }
    }
}

/// A failed sign-in in the audit log, and the refusal the page shows (`field`, its message's
/// key). An error writing the log is the answer instead.
#[cfg(feature = "ssr")]
async fn refused(
    pool: &sqlx::SqlitePool,
    email: &str,
    reason: &str,
    (field, key): (&str, &str),
) -> AppError {
    let logged = crate::audit::record(
        pool,
        &crate::audit::Who::named(email),
        "sign_in.failed",
        email,
        serde_json::json!({ "reason": reason }),
    )
    .await;
    match logged {
        Ok(_) => AppError::invalid(field, crate::said::said(key)),
        Err(e) => e,
    }
}

/// Signs out and returns to the sign-in page.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let cx = Ctx::get()?;
    cx.respond(
        async {
            if let Some(user) = super::session::current_user(&cx).await? {
                tracing::info!(user_id = user.id, "signed out");
                cx.audit(&user, "sign_out", &user.email, serde_json::json!({}))
                    .await?;
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
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
        super::repo::list(cx.db()).await
    })
    .await
}

/// Adds a staff member, driver or co-owner (owner only).
#[server(endpoint = "add_user")]
pub async fn add_user(
    email: String,
    name: String,
    role: String,
    password: String,
) -> Result<TeamMember, AppError> {
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let name = super::model::validate_name(&name)?;
        let email = super::model::validate_email(&email)?;
        let role = Role::parse(&role, "role")?;
        super::model::validate_new_password(&password)?;
        let hash = super::password::hash(password).await?;
        let id = super::repo::insert(cx.db(), &email, &name, role, &hash).await?;
        tracing::info!(by = me.id, user_id = id, role = role.as_str(), "user added");
        cx.audit(
            &me,
            "user.add",
            &email,
            serde_json::json!({"after": {"name": name, "role": role.as_str()}}),
        )
        .await?;
        Ok(TeamMember {
            id,
            name,
            email,
            role,
            active: true,
            two_factor: false,
        })
    })
    .await
}

/// Changes someone's role (owner only; not your own, so a business always keeps an owner).
#[server(endpoint = "set_user_role")]
pub async fn set_user_role(user_id: i64, role: String) -> Result<(), AppError> {
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let role = Role::parse(&role, "role")?;
        if me.id == user_id {
            return Err(AppError::invalid(
                "role",
                crate::said::said("refuse-own-role"),
            ));
        }
        let before = super::repo::find_by_id(cx.db(), user_id).await?;
        super::repo::set_role(cx.db(), user_id, role).await?;
        tracing::info!(by = me.id, user_id, role = role.as_str(), "user re-roled");
        if let Some(b) = before {
            cx.audit(
                &me,
                "user.role",
                &b.email,
                crate::audit::change(&b.role.as_str(), &role.as_str()),
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// Disables or re-enables an account (owner only; not your own). Disabling ends its sessions.
#[server(endpoint = "set_user_active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<(), AppError> {
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        if me.id == user_id {
            return Err(AppError::invalid(
                "active",
                crate::said::said("refuse-own-account"),
            ));
        }
        let before = super::repo::find_by_id(cx.db(), user_id).await?;
        super::repo::set_active(cx.db(), user_id, active).await?;
        tracing::info!(by = me.id, user_id, active, "user access changed");
        if let Some(b) = before {
            cx.audit(
                &me,
                "user.active",
                &b.email,
                crate::audit::change(&b.active, &active),
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// The owner sets a new password for a staff member or driver (who forgot theirs); their
/// sessions end. An owner's own password is changed with `hearth user passwd`.
#[server(endpoint = "reset_user_password")]
pub async fn reset_user_password(user_id: i64, password: String) -> Result<(), AppError> {
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let user = super::repo::find_by_id(cx.db(), user_id)
            .await?
            .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-person")))?;
        if user.role == Role::Owner {
            return Err(AppError::Conflict(crate::said::said(
                "refuse-owner-password",
            )));
        }
        super::model::validate_new_password(&password)?;
        let hash = super::password::hash(password).await?;
        super::repo::set_password(cx.db(), user_id, &hash).await?;
        tracing::info!(by = me.id, user_id, "password reset by the owner");
        cx.audit(
            &me,
            "user.password_reset",
            &user.email,
            serde_json::json!({}),
        )
        .await?;
        Ok(())
    })
    .await
}
