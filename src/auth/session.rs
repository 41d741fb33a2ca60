//! Server-side sessions (tower-sessions, stored in SQLite) and the role check every server
//! function starts with.
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::model::Role;
use super::repo::{self, UserAuth};
use crate::error::AppError;
use crate::server::ctx::Ctx;

const KEY: &str = "auth";

/// What the session remembers: who, which epoch of their account, and when they signed in.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct AuthRecord {
    user_id: i64,
    epoch: i64,
    login_at: i64,
}

/// The signed-in user, or `None`. A session whose user was disabled, re-roled or whose absolute
/// lifetime ran out is ended here.
pub async fn current_user(cx: &Ctx) -> Result<Option<UserAuth>, AppError> {
    user_of_session(&cx.session()?, cx.db(), cx.config()).await
}

/// `current_user` for handlers outside Leptos (they hold the session and state themselves).
pub async fn user_of_session(
    session: &Session,
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
) -> Result<Option<UserAuth>, AppError> {
    let record: Option<AuthRecord> = session
        .get(KEY)
        .await
        .map_err(|e| AppError::internal("session read", e))?;
    let Some(record) = record else {
        return Ok(None);
    };
    let age = chrono::Utc::now().timestamp() - record.login_at;
    let user = repo::find_by_id(pool, record.user_id).await?;
    let valid = age <= config.session_max_hours * 3600
        && user
            .as_ref()
            .is_some_and(|u| u.active && u.session_epoch == record.epoch);
    if !valid {
        tracing::info!(
            user_id = record.user_id,
            "session ended (expired, disabled or re-roled)"
        );
        session
            .flush()
            .await
            .map_err(|e| AppError::internal("session flush", e))?;
        return Ok(None);
    }
    Ok(user)
}

/// The signed-in user if their role is one of `roles`: 401 when nobody is signed in, 403 when
/// the role is wrong.
pub async fn require(cx: &Ctx, roles: &[Role]) -> Result<UserAuth, AppError> {
    match current_user(cx).await? {
        None => Err(AppError::Unauthorized),
        Some(user) if roles.contains(&user.role) => {
            if must_enrol(cx, &user).await? {
                // Worded for this owner (the request's reader is set only after `require`).
                return Err(AppError::Conflict(cx.lang(&user).t(ENROL_FIRST)));
            }
            Ok(user)
        }
        Some(user) => {
            tracing::warn!(user_id = user.id, role = user.role.as_str(), "forbidden");
            Err(AppError::Forbidden)
        }
    }
}

/// What an owner of a production Hearth without two-factor sign-in is told everywhere else
/// (the key of the message).
pub const ENROL_FIRST: &str = "refuse-2fa-enrol-first";

/// Whether `user` must set up two-factor sign-in before anything else: the owner, in
/// production, while it is off.
pub async fn must_enrol(cx: &Ctx, user: &UserAuth) -> Result<bool, AppError> {
    Ok(cx.config().production
        && user.role == Role::Owner
        && !super::two_factor::enabled(cx.db(), user.id).await?)
}

/// The signed-in user whatever their role, without the two-factor requirement (the pages that
/// set it up). 401 when nobody is signed in.
pub async fn require_signed_in(cx: &Ctx) -> Result<UserAuth, AppError> {
    current_user(cx).await?.ok_or(AppError::Unauthorized)
}

/// Starts a session for `user` under a fresh id (no session fixation).
pub async fn sign_in(cx: &Ctx, user: &UserAuth) -> Result<(), AppError> {
    sign_in_session(&cx.session()?, user).await
}

/// `sign_in` for handlers outside Leptos.
pub async fn sign_in_session(session: &Session, user: &UserAuth) -> Result<(), AppError> {
    session
        .cycle_id()
        .await
        .map_err(|e| AppError::internal("session cycle", e))?;
    let record = AuthRecord {
        user_id: user.id,
        epoch: user.session_epoch,
        login_at: chrono::Utc::now().timestamp(),
    };
    session
        .insert(KEY, record)
        .await
        .map_err(|e| AppError::internal("session write", e))
}

/// Ends the current session and deletes it from the store.
pub async fn sign_out(cx: &Ctx) -> Result<(), AppError> {
    cx.session()?
        .flush()
        .await
        .map_err(|e| AppError::internal("session flush", e))
}

/// The role check every server function opens with, on the call's context.
impl Ctx {
    /// The opening and closing of every role-checked server function, in one place: captures
    /// the context (before any `.await`), checks that the caller has one of `roles` (401/403
    /// otherwise), runs `body` with the context and the caller, and answers with an honest
    /// status code.
    pub async fn serve<T, F, Fut>(roles: &[Role], body: F) -> Result<T, AppError>
    where
        F: FnOnce(Ctx, UserAuth) -> Fut,
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        let cx = Ctx::get()?;
        let result = async {
            let me = require(&cx, roles).await?;
            let lang = cx.lang(&me);
            crate::i18n::reading(lang, body(cx.clone(), me)).await
        }
        .await;
        cx.respond(result)
    }

    /// `serve` for anyone signed in, without the two-factor requirement: the calls that set
    /// it up (an owner who must enrol reaches only these).
    pub async fn serve_enrolling<T, F, Fut>(body: F) -> Result<T, AppError>
    where
        F: FnOnce(Ctx, UserAuth) -> Fut,
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        let cx = Ctx::get()?;
        let result = async {
            let me = require_signed_in(&cx).await?;
            let lang = cx.lang(&me);
            crate::i18n::reading(lang, body(cx.clone(), me)).await
        }
        .await;
        cx.respond(result)
    }

    /// The language `me` reads Hearth in: their own, else the business's.
    pub fn lang(&self, me: &UserAuth) -> crate::i18n::Lang {
        crate::i18n::Lang::pick(&[me.language.as_deref(), Some(&self.config().language())])
    }
}
