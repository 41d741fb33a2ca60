//! Server functions of the reports page (owner only): the report for a period, the kitchen's
//! forecast, and any of the report's tables as a spreadsheet.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Forecast, Report};
use crate::error::AppError;

/// A table of the report as CSV.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsvFile {
    pub file_name: String,
    pub csv: String,
}

/// The tables a report can export.
pub const TABLES: [&str; 12] = [
    "sales",
    "products",
    "products-by-district",
    "arrivals",
    "windows",
    "reasons",
    "cash",
    "waste",
    "loyalty",
    "profit",
    "district-days",
    "forecast",
];

/// The longest period a report covers.
pub const MAX_DAYS: i64 = 3 * 366;

/// Checks a period typed on the page: empty dates mean the last 30 days up to `today`.
pub fn period(
    from: &str,
    to: &str,
    grain: &str,
    today: chrono::NaiveDate,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate, super::Grain), AppError> {
    let parse = |raw: &str, field: &str, default: chrono::NaiveDate| {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(default);
        }
        chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
            AppError::invalid(
                field,
                crate::said::said_with("refuse-report-date", &[("field", &field), ("typed", &raw)]),
            )
        })
    };
    let to = parse(to, "to", today)?;
    let from = parse(from, "from", to - chrono::Duration::days(29))?;
    if from > to {
        return Err(AppError::invalid(
            "from",
            crate::said::said("refuse-report-order"),
        ));
    }
    if (to - from).num_days() + 1 > MAX_DAYS {
        return Err(AppError::invalid(
            "from",
            crate::said::said_with("refuse-report-days", &[("days", &MAX_DAYS)]),
        ));
    }
    let grain = match grain.trim() {
        "" => super::figures::default_grain(from, to),
        g => super::Grain::parse(g)
            .ok_or_else(|| AppError::invalid("grain", crate::said::said("refuse-report-grain")))?,
    };
    Ok((from, to, grain))
}

/// The report with the bakery's time zone and currency.
#[cfg(feature = "ssr")]
async fn report_in(
    conn: &mut sqlx::SqliteConnection,
    config: &crate::server::config::Config,
    today: chrono::NaiveDate,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    grain: super::Grain,
) -> Result<Report, AppError> {
    super::store::report(
        conn,
        today,
        from,
        to,
        grain,
        config.timezone(),
        config.currency(),
    )
    .await
}

/// The report for `from..=to` (empty: the last 30 days) by `grain` (empty: chosen by length).
#[server(endpoint = "get_report")]
pub async fn get_report(from: String, to: String, grain: String) -> Result<Report, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let today = cx.config().today();
        let (from, to, grain) = period(&from, &to, &grain, today)?;
        let mut conn = cx.db().acquire().await?;
        report_in(&mut conn, cx.config(), today, from, to, grain).await
    })
    .await
}

/// The next 14 bake days per product, and how the forecast did over the last 8 weeks.
#[server(endpoint = "get_forecast")]
pub async fn get_forecast() -> Result<Forecast, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        super::store::forecast(&mut conn, cx.config().today(), 14, 8).await
    })
    .await
}

/// One of the report's tables (`TABLES`) for the period, as CSV.
#[server(endpoint = "report_csv")]
pub async fn report_csv(
    from: String,
    to: String,
    grain: String,
    table: String,
) -> Result<CsvFile, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        if !TABLES.contains(&table.as_str()) {
            return Err(AppError::invalid(
                "table",
                crate::said::said_with("refuse-report-table", &[("list", &TABLES.join(", "))]),
            ));
        }
        let today = cx.config().today();
        let (from, to, grain) = period(&from, &to, &grain, today)?;
        let mut conn = cx.db().acquire().await?;
        let rows = if table == "forecast" {
            let f = super::store::forecast(&mut conn, today, 14, 8).await?;
            super::csv::forecast_rows(&f)
        } else {
            let r = report_in(&mut conn, cx.config(), today, from, to, grain).await?;
            super::csv::rows(&r, &table)
        };
        Ok(CsvFile {
            file_name: format!("hearth-{table}-{from}-{to}"),
            csv: super::csv::write(&rows)?,
        })
    })
    .await
}
