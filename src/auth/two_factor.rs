//! Two-factor sign-in: a TOTP app (RFC 6238, 6 digits, 30 s; `totp-rs`), ten single-use
//! recovery codes, and "remember this device for 30 days". Optional for everyone; in
//! production the owner must set it up before doing anything else. The owner can turn it off
//! for a team member who lost their phone; `hearth user reset-2fa` does it for an owner.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// How long a remembered device skips the code.
pub const TRUSTED_DAYS: i64 = 30;
/// The remembered-device cookie.
pub const DEVICE_COOKIE: &str = "hearth_device";

/// Where the signed-in person stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoFactor {
    pub enabled: bool,
    /// The owner of a production Hearth must have it.
    pub required: bool,
    pub recovery_left: i64,
}

/// What setting it up shows: the QR code to scan and the secret to type instead.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The `otpauth://` link as a QR code: an SVG drawn by the server, as a `data:` URL for an
    /// `<img>` (never put into the page as markup).
    pub qr_data_url: String,
    /// The secret in groups of four, for typing.
    pub secret: String,
}

#[cfg(feature = "ssr")]
mod totp_core {
    use totp_rs::{Algorithm, Secret, TOTP};

    use crate::error::AppError;

    const STEP: u64 = 30;
    const PENDING: &str = "totp_pending";

    pub fn totp(secret_b32: &str, email: &str) -> Result<TOTP, AppError> {
        let bytes = Secret::Encoded(secret_b32.to_string())
            .to_bytes()
            .map_err(|e| AppError::internal("totp secret", format!("{e:?}")))?;
        TOTP::new(
            Algorithm::SHA1,
            6,
            1,
            STEP,
            bytes,
            Some("Hearth".into()),
            email.to_string(),
        )
        .map_err(|e| AppError::internal("totp", e))
    }

    /// 160 random bits, base32.
    pub fn new_secret() -> Result<String, AppError> {
        let mut bytes = [0u8; 20];
        getrandom::fill(&mut bytes).map_err(|e| AppError::internal("random bytes", e))?;
        Ok(Secret::Raw(bytes.to_vec()).to_encoded().to_string())
    }

    pub fn now_step() -> u64 {
        chrono::Utc::now().timestamp().max(0) as u64 / STEP
    }

    /// The step (within one step either side of now) at which `code` is right, or None.
    pub fn matching_step(t: &TOTP, code: &str, now: u64) -> Option<u64> {
        [now.saturating_sub(1), now, now + 1]
            .into_iter()
            .find(|s| t.generate(s * STEP) == code)
    }

    /// Digits only, spaces and dashes dropped ("123 456" → "123456").
    pub fn digits(code: &str) -> String {
        code.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect()
    }

    pub async fn pending(session: &tower_sessions::Session) -> Result<Option<String>, AppError> {
        session
            .get(PENDING)
            .await
            .map_err(|e| AppError::internal("session read", e))
    }

    pub async fn set_pending(
        session: &tower_sessions::Session,
        secret: Option<&str>,
    ) -> Result<(), AppError> {
        match secret {
            Some(s) => session.insert(PENDING, s).await.map(|_| ()),
            None => session.remove::<String>(PENDING).await.map(|_| ()),
        }
        .map_err(|e| AppError::internal("session write", e))
    }

    /// Ten codes like `k7mq-2xwp`, from an alphabet without look-alikes.
    pub fn recovery_codes() -> Result<Vec<String>, AppError> {
        const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
        let mut bytes = [0u8; 80];
        getrandom::fill(&mut bytes).map_err(|e| AppError::internal("random bytes", e))?;
        Ok(bytes
            .chunks(8)
            .map(|c| {
                let s: String = c
                    .iter()
                    .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                    .collect();
                format!("{}-{}", &s[..4], &s[4..])
            })
            .collect())
    }

    /// A recovery code as typed, in its stored form: lower case, no spaces or dashes, hashed.
    pub fn recovery_hash(code: &str) -> String {
        crate::server::tokens::sha256_hex(digits(code).to_lowercase().as_bytes())
    }
}

#[cfg(feature = "ssr")]
pub use totp_core::{new_secret, now_step, totp};

/// Whether `code` (from the app, or a recovery code) proves the second factor for `user_id`
/// now. An app code is accepted once (the step is remembered); a recovery code is used up.
#[cfg(feature = "ssr")]
pub async fn verify(pool: &sqlx::SqlitePool, user_id: i64, code: &str) -> Result<bool, AppError> {
    let Some(row) = sqlx::query!("SELECT email, totp_secret FROM users WHERE id = ?", user_id)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(false);
    };
    let Some(secret) = row.totp_secret else {
        return Ok(false);
    };
    let typed = totp_core::digits(code);
    if typed.len() == 6 && typed.chars().all(|c| c.is_ascii_digit()) {
        let t = totp_core::totp(&secret, &row.email)?;
        let Some(step) = totp_core::matching_step(&t, &typed, totp_core::now_step()) else {
            return Ok(false);
        };
        let step = step as i64;
        // Only a step after the last one used: the same code (or an older one) works once.
        let done = sqlx::query!(
            "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
            step,
            user_id,
            step
        )
        .execute(pool)
        .await?;
        return Ok(done.rows_affected() == 1);
    }
    let hash = totp_core::recovery_hash(code);
    let now = crate::server::db::now();
    let used = sqlx::query!(
        "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
        now,
        user_id,
        hash
    )
    .execute(pool)
    .await?;
    if used.rows_affected() == 1 {
        tracing::warn!(user_id, "signed in with a recovery code");
    }
    Ok(used.rows_affected() == 1)
}

/// Whether the user has two-factor sign-in on.
#[cfg(feature = "ssr")]
pub async fn enabled(pool: &sqlx::SqlitePool, user_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT totp_secret IS NOT NULL AS "on!: bool" FROM users WHERE id = ?"#,
        user_id
    )
    .fetch_optional(pool)
    .await?
    .unwrap_or(false))
}

/// Whether `token` (the device cookie) is a remembered device of `user_id`, not expired.
#[cfg(feature = "ssr")]
pub async fn trusted(pool: &sqlx::SqlitePool, user_id: i64, token: &str) -> Result<bool, AppError> {
    let hash = crate::server::tokens::sha256_hex(token.as_bytes());
    let now = crate::server::db::now();
    Ok(sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM trusted_devices WHERE token_hash = ? AND user_id = ? AND expires_at > ?"#,
        hash,
        user_id,
        now
    )
    .fetch_one(pool)
    .await?
        == 1)
}

/// Remembers this device for `user_id`; returns the cookie's token.
#[cfg(feature = "ssr")]
pub async fn remember(pool: &sqlx::SqlitePool, user_id: i64) -> Result<String, AppError> {
    let token = crate::server::tokens::random_hex::<32>()?;
    let hash = crate::server::tokens::sha256_hex(token.as_bytes());
    let now = chrono::Utc::now();
    let (created, expires) = (
        crate::server::db::timestamp(now),
        crate::server::db::timestamp(now + chrono::Duration::days(TRUSTED_DAYS)),
    );
    sqlx::query!(
        "INSERT INTO trusted_devices (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        hash,
        user_id,
        created,
        expires
    )
    .execute(pool)
    .await?;
    Ok(token)
}

/// Turns two-factor sign-in off for `user_id`: secret, recovery codes and remembered devices
/// go. (The owner for a team member; `hearth user reset-2fa` for anyone.)
#[cfg(feature = "ssr")]
pub async fn turn_off(pool: &sqlx::SqlitePool, user_id: i64) -> Result<(), AppError> {
    let mut tx = crate::server::db::begin_write(pool).await?;
    sqlx::query!(
        "UPDATE users SET totp_secret = NULL, totp_last_step = 0 WHERE id = ?",
        user_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM recovery_codes WHERE user_id = ?", user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM trusted_devices WHERE user_id = ?", user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "two_factor_status")]
pub async fn two_factor_status() -> Result<TwoFactor, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve_enrolling(move |cx, me| async move {
        let left = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM recovery_codes WHERE user_id = ? AND used_at IS NULL"#,
            me.id
        )
        .fetch_one(cx.db())
        .await?;
        Ok(TwoFactor {
            enabled: enabled(cx.db(), me.id).await?,
            required: cx.config().production && me.role == super::Role::Owner,
            recovery_left: left,
        })
    })
    .await
}

/// Starts setting it up: a new secret (kept in the session until confirmed) as a QR code.
#[server(endpoint = "start_two_factor")]
pub async fn start_two_factor() -> Result<Enrolment, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve_enrolling(move |cx, me| async move {
        if enabled(cx.db(), me.id).await? {
            return Err(AppError::Conflict(crate::said::said("refuse-2fa-on")));
        }
        let secret = new_secret()?;
        totp_core::set_pending(&cx.session()?, Some(&secret)).await?;
        let url = totp(&secret, &me.email)?.get_url();
        let svg = qrcode::QrCode::new(url.as_bytes())
            .map_err(|e| AppError::internal("qr", e))?
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .build();
        use base64::Engine;
        let qr_data_url = format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        );
        let grouped = secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).to_string())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Enrolment {
            qr_data_url,
            secret: grouped,
        })
    })
    .await
}

/// Confirms the set-up with a code from the app; answers the ten recovery codes (shown once).
#[server(endpoint = "confirm_two_factor")]
pub async fn confirm_two_factor(code: String) -> Result<Vec<String>, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve_enrolling(move |cx, me| async move {
        let session = cx.session()?;
        let Some(secret) = totp_core::pending(&session).await? else {
            return Err(AppError::Conflict(crate::said::said("refuse-2fa-again")));
        };
        let t = totp(&secret, &me.email)?;
        let Some(step) = totp_core::matching_step(&t, &totp_core::digits(&code), now_step()) else {
            return Err(AppError::invalid(
                "code",
                crate::said::said("refuse-2fa-code"),
            ));
        };
        let codes = totp_core::recovery_codes()?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let step = step as i64;
        sqlx::query!(
            "UPDATE users SET totp_secret = ?, totp_last_step = ? WHERE id = ?",
            secret,
            step,
            me.id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("DELETE FROM recovery_codes WHERE user_id = ?", me.id)
            .execute(&mut *tx)
            .await?;
        for c in &codes {
            let hash = totp_core::recovery_hash(c);
            sqlx::query!(
                "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)",
                me.id,
                hash
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        totp_core::set_pending(&session, None).await?;
        tracing::info!(user_id = me.id, "two-factor sign-in turned on");
        cx.audit(&me, "user.two_factor_on", &me.email, serde_json::json!({}))
            .await?;
        Ok(codes)
    })
    .await
}

/// Turns it off, with a code from the app or a recovery code. Not for the owner of a
/// production Hearth.
#[server(endpoint = "disable_two_factor")]
pub async fn disable_two_factor(code: String) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve_enrolling(move |cx, me| async move {
        if cx.config().production && me.role == super::Role::Owner {
            return Err(AppError::Conflict(crate::said::said("refuse-2fa-keep")));
        }
        if !verify(cx.db(), me.id, &code).await? {
            return Err(AppError::invalid(
                "code",
                crate::said::said("refuse-2fa-code-any"),
            ));
        }
        turn_off(cx.db(), me.id).await?;
        tracing::info!(user_id = me.id, "two-factor sign-in turned off");
        cx.audit(&me, "user.two_factor_off", &me.email, serde_json::json!({}))
            .await?;
        Ok(())
    })
    .await
}

/// The owner turns it off for a team member who lost their phone (they set it up again).
#[server(endpoint = "reset_user_two_factor")]
pub async fn reset_user_two_factor(user_id: i64) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[super::Role::Owner], move |cx, me| async move {
        let user = super::repo::find_by_id(cx.db(), user_id)
            .await?
            .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-person")))?;
        if user.role == super::Role::Owner {
            return Err(AppError::Conflict(crate::said::said(
                "refuse-2fa-owner-reset",
            )));
        }
        turn_off(cx.db(), user_id).await?;
        tracing::info!(by = me.id, user_id, "two-factor sign-in reset by the owner");
        cx.audit(
            &me,
            "user.two_factor_reset",
            &user.email,
            serde_json::json!({}),
        )
        .await?;
        Ok(())
    })
    .await
}
