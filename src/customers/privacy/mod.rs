//! GDPR requests: everything Hearth holds about a customer, exported (JSON and CSV); their
//! erasure, which keeps the accounts (the customer row and their orders stay, anonymous:
//! totals, tax, items, days and districts remain; names, phone, email, addresses, pins,
//! notes, delivery photos and messages go, each order through the order core); retention that
//! anonymises customers with no order for N months; and the requests the bakery's website
//! passes on (`POST /api/v1/privacy-requests`), which wait for the owner. All logged.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub use store::{apply_retention, erase, export, export_csv, schedule_retention};

/// A request the website passed on, as the owner sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivacyRequest {
    pub id: i64,
    /// "export" or "erase".
    pub kind: String,
    pub phone: String,
    pub email: Option<String>,
    pub note: Option<String>,
    /// The customer with that phone, when there is one: (id, name).
    pub customer: Option<(i64, String)>,
    pub status: String,
    /// Local time.
    pub received: String,
}

/// The customers page's privacy card: open requests and the retention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Privacy {
    pub requests: Vec<PrivacyRequest>,
    /// None: customers are never anonymised for lack of orders.
    pub retention_months: Option<i64>,
}

/// What an export holds, in both forms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerExport {
    pub file_name: String,
    pub json: String,
    pub csv: String,
}

/// Everything held about a customer, as JSON and CSV files to download. Owner; logged.
#[server(endpoint = "export_customer")]
pub async fn export_customer(id: i64) -> Result<CustomerExport, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let doc = export(cx.db(), id).await?;
        cx.audit(
            &me,
            "export.customer",
            &format!("Customer #{id}"),
            serde_json::json!({"orders": doc["orders"].as_array().map_or(0, Vec::len)}),
        )
        .await?;
        Ok(CustomerExport {
            file_name: format!("customer-{id}"),
            csv: export_csv(&doc)?,
            json: serde_json::to_string_pretty(&doc)
                .map_err(|e| AppError::internal("export", e))?,
        })
    })
    .await
}

/// Erases a customer (see `erase`). Owner; logged.
#[server(endpoint = "erase_customer")]
pub async fn erase_customer(id: i64) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let who = crate::audit::Who::user(me.id, &me.name);
        let n = erase(cx.db(), cx.config(), &who, id, "the owner, on request").await?;
        Ok(format!(
            "Erased. {n} order{} kept for the accounts, without personal data.",
            if n == 1 { "" } else { "s" }
        ))
    })
    .await
}

/// Open requests and the retention. Owner.
#[server(endpoint = "get_privacy")]
pub async fn get_privacy() -> Result<Privacy, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let tz = cx.config().timezone();
        let rows = sqlx::query!(
            r#"SELECT r.id AS "id!", r.kind, r.phone, r.email, r.note, r.status, r.created_at,
                      c.id AS "customer_id?", c.name AS "customer_name?"
               FROM privacy_requests r LEFT JOIN customers c ON c.id = r.customer_id
               WHERE r.status = 'open' ORDER BY r.id"#
        )
        .fetch_all(cx.db())
        .await?;
        let months = sqlx::query_scalar!(
            "SELECT customer_retention_months FROM business_settings WHERE id = 1"
        )
        .fetch_one(cx.db())
        .await?;
        Ok(Privacy {
            requests: rows
                .into_iter()
                .map(|r| PrivacyRequest {
                    id: r.id,
                    kind: r.kind,
                    phone: r.phone,
                    email: r.email,
                    note: r.note,
                    customer: r.customer_id.zip(r.customer_name),
                    status: r.status,
                    received: chrono::DateTime::parse_from_rfc3339(&r.created_at)
                        .map(|t| t.with_timezone(&tz).format("%-d %b %Y %H:%M").to_string())
                        .unwrap_or(r.created_at),
                })
                .collect(),
            retention_months: months,
        })
    })
    .await
}

/// Closes a request: `done` (after exporting or erasing) or refused. Owner; logged.
#[server(endpoint = "close_privacy_request")]
pub async fn close_privacy_request(id: i64, done: bool) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let status = if done { "done" } else { "refused" };
        let now = crate::server::db::now();
        let changed = sqlx::query!(
            "UPDATE privacy_requests SET status = ?, done_at = ? WHERE id = ? AND status = 'open'",
            status,
            now,
            id
        )
        .execute(cx.db())
        .await?;
        if changed.rows_affected() == 0 {
            return Err(AppError::NotFound(crate::said::said(
                "refuse-what-that-open-request",
            )));
        }
        cx.audit(
            &me,
            &format!("customer.request_{status}"),
            &format!("Request {id}"),
            serde_json::json!({}),
        )
        .await
    })
    .await
}

/// Sets the retention: anonymise customers with no order for `months` (6 to 120), or never
/// (empty). Owner; logged.
#[server(endpoint = "set_customer_retention")]
pub async fn set_customer_retention(#[server(default)] months: String) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let months: Option<i64> = match months.trim() {
            "" => None,
            m => Some(
                m.parse()
                    .ok()
                    .filter(|m| (6..=120).contains(m))
                    .ok_or_else(|| {
                        AppError::invalid("months", crate::said::said("refuse-retention-months"))
                    })?,
            ),
        };
        let before = sqlx::query_scalar!(
            "SELECT customer_retention_months FROM business_settings WHERE id = 1"
        )
        .fetch_one(cx.db())
        .await?;
        sqlx::query!(
            "UPDATE business_settings SET customer_retention_months = ? WHERE id = 1",
            months
        )
        .execute(cx.db())
        .await?;
        cx.audit(
            &me,
            "settings.customer_retention",
            "Customers",
            crate::audit::change(&before, &months),
        )
        .await?;
        let n = apply_retention(cx.db(), cx.config()).await?;
        if n > 0 {
            tracing::info!(customers = n, "retention applied after a change");
        }
        Ok(())
    })
    .await
}
