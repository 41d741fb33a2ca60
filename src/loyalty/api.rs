//! Server functions (owner only): the programme's figures and settings, and adjusting a
//! customer's points by hand with a reason.
use leptos::prelude::*;

use super::Summary;
use crate::error::AppError;

#[cfg(feature = "ssr")]
const OWNER: &[crate::auth::Role] = &[crate::auth::Role::Owner];

/// The programme and its figures.
#[server(endpoint = "get_loyalty")]
pub async fn get_loyalty() -> Result<Summary, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        super::read::summary(&mut conn, cx.config().today(), &cx.config().currency()).await
    })
    .await
}

/// A whole number from `range` typed into `field`, labelled by the words under `label_key`.
#[cfg(feature = "ssr")]
fn whole(
    raw: &str,
    field: &str,
    label_key: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, AppError> {
    crate::field::parse_whole(raw, field, &crate::said::said(label_key), range)
}

/// Saves the programme: on or off, points per unit of the currency, what 100 points are
/// worth (an amount, e.g. "5.00"), the fewest points an order may redeem, how long points last
/// (days; 0: for ever) and the referral reward. The first bad field is named; nothing is saved.
#[server(endpoint = "save_loyalty")]
pub async fn save_loyalty(
    #[server(default)] enabled: bool,
    points_per_unit: String,
    value_per_100: String,
    min_redeem: String,
    expiry_days: String,
    referral_points: String,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let value = crate::field::parse_cents(
            &value_per_100,
            "value_per_100",
            &crate::said::said("loyalty-value-per-100"),
        )?;
        if !(1..=10_000).contains(&value) {
            return Err(AppError::invalid(
                "value_per_100",
                crate::said::said("refuse-loyalty-value"),
            ));
        }
        let program = super::Program {
            enabled,
            points_per_unit: whole(
                &points_per_unit,
                "points_per_unit",
                "loyalty-per-unit",
                1..=100,
            )?,
            value_per_100: value,
            min_redeem: whole(&min_redeem, "min_redeem", "loyalty-min-redeem", 1..=100_000)?,
            expiry_days: whole(&expiry_days, "expiry_days", "loyalty-expiry-days", 0..=3650)?,
            referral_points: whole(
                &referral_points,
                "referral_points",
                "loyalty-referral-points",
                0..=100_000,
            )?,
        };
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        super::store::save_program(&mut tx, &program).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "loyalty.saved",
            "Loyalty and referral",
            serde_json::to_value(&program).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Adds (e.g. "50") or takes ("-50") points from customer `customer_id`, with a reason.
#[server(endpoint = "adjust_points")]
pub async fn adjust_points(
    customer_id: i64,
    points: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let n = whole(&points, "points", "loyalty-points", -100_000..=100_000)?;
        if n == 0 {
            return Err(AppError::invalid(
                "points",
                crate::said::said("refuse-loyalty-zero"),
            ));
        }
        let reason = reason.trim().to_string();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(AppError::invalid(
                "reason",
                crate::said::said("refuse-loyalty-reason"),
            ));
        }
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let name = sqlx::query_scalar!(
            "SELECT name FROM customers WHERE id = ? AND erased_at IS NULL",
            customer_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-customer")))?;
        let today = cx.config().today();
        super::store::adjust(&mut tx, customer_id, n, &reason, me.id, today).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "loyalty.adjusted",
            &name,
            serde_json::json!({"customer": customer_id, "points": n, "reason": reason}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
