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
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let lang = cx.lang(&me);
        let mut conn = cx.db().acquire().await?;
        let key = match super::push::stored_key(&mut conn).await? {
            Some(k) => k,
            None => {
                // Made on first use: a write.
                let mut tx = crate::server::db::begin_write(cx.db()).await?;
                let k = super::push::key_pair(&mut tx).await?;
                tx.commit().await?;
                k
            }
        };
        let push_key = Some(super::push::public_key(&key));
        let kinds = super::store::settings(&mut conn).await?;
        let devices = super::push::devices(&mut conn, &lang).await?;
        let mut recipients: Vec<String> = super::store::owner_emails(&mut conn)
            .await?
            .into_iter()
            .map(|(email, _)| email)
            .collect();
        recipients.sort();
        Ok(Settings {
            kinds,
            can_email: cx.config().smtp_url.is_some(),
            recipients,
            push_key,
            devices,
        })
    })
    .await
}

/// Switches `kind` in the bell, by email and as a notification.
#[server(endpoint = "set_alert_setting")]
pub async fn set_alert_setting(
    kind: String,
    #[server(default)] in_app: bool,
    #[server(default)] email: bool,
    #[server(default)] push: bool,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        if !super::KINDS.contains(&kind.as_str()) {
            return Err(AppError::invalid(
                "kind",
                crate::said::said_with("refuse-alert-kind", &[("list", &super::KINDS.join(", "))]),
            ));
        }
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        super::store::set(&mut tx, &kind, in_app, email, push).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "settings.alerts",
            &kind,
            serde_json::json!({"in_app": in_app, "email": email, "push": push}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Switches notifications on for the signed-in owner's device: the browser's push subscription
/// (`PushSubscription.toJSON()`: its endpoint and keys) and a name to tell it apart.
#[server(endpoint = "save_push_device")]
pub async fn save_push_device(
    endpoint: String,
    p256dh: String,
    auth: String,
    #[server(default)] device: String,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let sub = super::push::Subscription::check(&endpoint, &p256dh, &auth)?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        super::push::subscribe(&mut tx, me.id, &sub, device.trim()).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "settings.push_device",
            device.trim(),
            serde_json::json!({"on": true}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Switches notifications off for a device (any owner's: a lost phone is switched off from
/// another).
#[server(endpoint = "forget_push_device")]
pub async fn forget_push_device(id: i64) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        if !super::push::forget(&mut tx, id).await? {
            return Err(AppError::NotFound(crate::said::said(
                "refuse-what-that-device",
            )));
        }
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "settings.push_device",
            &id.to_string(),
            serde_json::json!({"on": false}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
