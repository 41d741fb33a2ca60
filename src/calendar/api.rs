//! The calendar's server function (owner only). Closing and opening a day is
//! `crate::settings::hours::set_closed_date`.
use leptos::prelude::*;

use super::Month;
use crate::error::AppError;

/// The month `month` ("YYYY-MM"; empty: this month).
#[server(endpoint = "get_calendar")]
pub async fn get_calendar(month: String) -> Result<Month, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let today = cx.config().today();
        let first = super::first_of(&month, today)
            .ok_or_else(|| AppError::invalid("month", crate::said::said("refuse-month")))?;
        let mut conn = cx.db().acquire().await?;
        super::store::month(&mut conn, first, today, cx.config().currency()).await
    })
    .await
}
