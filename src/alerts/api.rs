//! The alerts' server functions (owner only): the bell, marking it read, and Settings → Alerts.
use leptos::prelude::*;

use super::{Inbox, Settings};
use crate::error::AppError;

/// The signed-in owner's bell, in their language.
#[server(endpoint = "get_alerts")]
pub async fn get_alerts() -> Result<Inbox, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let lang = cx.lang(&me);
        let mut conn = cx.db().acquire().await?;
        super::store::inbox(&mut conn, me.id, &lang, cx.config()).await
    })
    .await
}

/// The signed-in owner has read every alert up to `up_to` (the newest the bell showed).
#[server(endpoint = "read_alerts")]
pub async fn read_alerts(up_to: i64) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        super::store::mark_read(&mut tx, me.id, up_to).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// What the owner wants of each kind, and whether emails can go out.
#[server(endpoint = "get_alert_settings")]
pub async fn get_alert_settings() -> Result<Settings, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        let kinds = super::store::settings(&mut conn).await?;
        let recipients = sqlx::query_scalar!(
            "SELECT email FROM users WHERE role = 'owner' AND active = 1 AND email LIKE '%@%' ORDER BY email"
        )
        .fetch_all(&mut *conn)
        .await?;
        Ok(Settings {
            kinds,
            can_email: cx.config().smtp_url.is_some(),
            recipients,
        })
    })
    .await
}

/// Switches `kind` in the bell and by email.
#[server(endpoint = "set_alert_setting")]
pub async fn set_alert_setting(
    kind: String,
    #[server(default)] in_app: bool,
    #[server(default)] email: bool,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        if !super::KINDS.contains(&kind.as_str()) {
            return Err(AppError::invalid(
                "kind",
                format!("kind: one of {}.", super::KINDS.join(", ")),
            ));
        }
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        super::store::set(&mut tx, &kind, in_app, email).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "settings.alerts",
            &kind,
            serde_json::json!({"in_app": in_app, "email": email}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
