//! What a driver reports from a stop: arrived, delivered (recipient, cash), failed (reason).
//! Exactly once per key made on the phone, so the offline outbox can retry freely.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::said::{said, said_with};

#[cfg(feature = "ssr")]
mod apply;
#[cfg(feature = "ssr")]
pub use apply::apply;

pub use crate::orders::model::FAIL_REASONS;

/// The answer to an update (the same for a retried key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpdateResult {
    pub order_id: i64,
    pub number: i64,
    pub outcome: String,
    /// False when this key was already applied: nothing changed the second time.
    pub applied: bool,
}

/// Records what happened at a stop of the driver's own published run.
#[server(endpoint = "driver_update")]
#[allow(clippy::too_many_arguments)]
pub async fn driver_update(
    key: String,
    order_id: i64,
    action: String,
    #[server(default)] recipient: Option<String>,
    #[server(default)] cash_cents: Option<i64>,
    #[server(default)] reason: Option<String>,
    #[server(default)] note: Option<String>,
    /// Proof of delivery: a JPEG resized on the phone, base64.
    #[server(default)]
    photo: Option<String>,
) -> Result<UpdateResult, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Driver], move |cx, me| async move {
        let input = Input {
            key,
            order_id,
            action,
            recipient,
            cash_cents,
            reason,
            note,
            photo,
        };
        let (result, change) =
            apply(&cx.state.pool, &cx.state.config, (me.id, &me.name), input).await?;
        if let Some(change) = change {
            let _ = cx.state.events.send(change);
        }
        Ok(result)
    })
    .await
}

#[cfg(feature = "ssr")]
pub struct Input {
    pub key: String,
    pub order_id: i64,
    pub action: String,
    pub recipient: Option<String>,
    pub cash_cents: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub photo: Option<String>,
}

/// Largest photo accepted, in bytes (the phone sends ~100–300 KB at 1280 px).
pub const PHOTO_MAX_BYTES: usize = 1_500_000;
/// Longest side accepted, in pixels.
pub const PHOTO_MAX_SIDE: usize = 2048;

/// A checked proof-of-delivery photo: (JPEG bytes, width, height).
#[cfg(feature = "ssr")]
pub fn check_photo(b64: &str) -> Result<(Vec<u8>, i64, i64), AppError> {
    use base64::Engine;
    let raw = b64.trim();
    let raw = raw.strip_prefix("data:image/jpeg;base64,").unwrap_or(raw);
    if raw.len() > PHOTO_MAX_BYTES * 4 / 3 + 4 {
        return Err(AppError::invalid("photo", said("refuse-photo-size")));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(raw)
        .map_err(|_| AppError::invalid("photo", said("refuse-photo-encoding")))?;
    let is_jpeg = matches!(
        imagesize::image_type(&bytes),
        Ok(imagesize::ImageType::Jpeg)
    );
    let size = imagesize::blob_size(&bytes)
        .ok()
        .filter(|_| is_jpeg)
        .ok_or_else(|| AppError::invalid("photo", said("refuse-photo-jpeg")))?;
    if size.width == 0 || size.height == 0 || size.width.max(size.height) > PHOTO_MAX_SIDE {
        return Err(AppError::invalid(
            "photo",
            said_with("refuse-photo-side", &[("max", &PHOTO_MAX_SIDE)]),
        ));
    }
    Ok((bytes, size.width as i64, size.height as i64))
}
