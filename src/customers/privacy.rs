//! GDPR requests: everything Hearth holds about a customer, exported (JSON and CSV); their
//! erasure, which keeps the accounts (the customer row and their orders stay, anonymous:
//! totals, tax, items, days and districts remain; names, phone, email, addresses, pins,
//! notes, delivery photos and messages go, each order through the order core); retention that
//! anonymises customers with no order for N months; and the requests the bakery's website
//! passes on (`POST /api/v1/privacy-requests`), which wait for the owner. All logged.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

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

/// Everything held about customer `id` as JSON: the customer, every order with its lines and
/// history, and their privacy requests.
#[cfg(feature = "ssr")]
pub async fn export(pool: &sqlx::SqlitePool, id: i64) -> Result<serde_json::Value, AppError> {
    use serde_json::json;
    let c = sqlx::query!(
        r#"SELECT name, phone, email, address, lat, lng, marketing_opt_in AS "opt_in: bool", notes,
                  created_at, erased_at FROM customers WHERE id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-customer")))?;
    let orders = sqlx::query!(
        r#"SELECT id AS "id!", number, status, fulfilment, fulfil_on, window_from, window_to, address, lat, lng,
                  payment_method, paid AS "paid: bool", subtotal_cents, delivery_fee_cents, total_cents, notes,
                  source, created_at
           FROM orders WHERE customer_id = ? ORDER BY fulfil_on, number"#,
        id
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for o in orders {
        let items = sqlx::query!(
            r#"SELECT p.name, i.quantity, i.unit_price_cents, i.note FROM order_items i
               JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id"#,
            o.id
        )
        .fetch_all(pool)
        .await?;
        let history = sqlx::query!(
            "SELECT created_at, kind, from_status, to_status, detail FROM order_events WHERE order_id = ? ORDER BY id",
            o.id
        )
        .fetch_all(pool)
        .await?;
        let photo = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM delivery_photos WHERE order_id = ?"#,
            o.id
        )
        .fetch_one(pool)
        .await?;
        out.push(json!({
            "number": o.number, "status": o.status, "fulfilment": o.fulfilment, "day": o.fulfil_on,
            "window": o.window_from.zip(o.window_to).map(|(a, b)| format!("{a}-{b}")),
            "address": o.address, "pin": o.lat.zip(o.lng).map(|(a, b)| [a, b]),
            "payment": o.payment_method, "paid": o.paid,
            "subtotal_cents": o.subtotal_cents, "delivery_fee_cents": o.delivery_fee_cents,
            "total_cents": o.total_cents, "notes": o.notes, "source": o.source, "placed_at": o.created_at,
            "delivery_photo_held": photo > 0,
            "items": items.iter().map(|i| json!({
                "product": i.name, "quantity": i.quantity, "unit_price_cents": i.unit_price_cents, "note": i.note
            })).collect::<Vec<_>>(),
            "history": history.iter().map(|h| json!({
                "at": h.created_at, "kind": h.kind, "from": h.from_status, "to": h.to_status, "detail": h.detail
            })).collect::<Vec<_>>(),
        }));
    }
    let requests = sqlx::query!(
        "SELECT kind, status, created_at, done_at FROM privacy_requests WHERE customer_id = ? ORDER BY id",
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(json!({
        "customer": {
            "name": c.name, "phone": c.phone, "email": c.email, "address": c.address,
            "pin": c.lat.zip(c.lng).map(|(a, b)| [a, b]), "marketing_opt_in": c.opt_in,
            "notes": c.notes, "since": c.created_at, "erased_at": c.erased_at,
        },
        "orders": out,
        "privacy_requests": requests.iter().map(|r| json!({
            "kind": r.kind, "status": r.status, "received": r.created_at, "done": r.done_at
        })).collect::<Vec<_>>(),
        "exported_at": crate::server::db::now(),
    }))
}

/// The export's orders as CSV, one row per order line (UTF-8 with BOM, for spreadsheets).
#[cfg(feature = "ssr")]
pub fn export_csv(doc: &serde_json::Value) -> Result<String, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let bad = |e: csv::Error| AppError::internal("customer csv", e);
    w.write_record([
        "order",
        "day",
        "status",
        "fulfilment",
        "address",
        "product",
        "quantity",
        "unit_price_cents",
        "total_cents",
        "notes",
    ])
    .map_err(bad)?;
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    for o in doc["orders"].as_array().into_iter().flatten() {
        for i in o["items"].as_array().into_iter().flatten() {
            w.write_record([
                text(&o["number"]),
                text(&o["day"]),
                text(&o["status"]),
                text(&o["fulfilment"]),
                text(&o["address"]),
                text(&i["product"]),
                text(&i["quantity"]),
                text(&i["unit_price_cents"]),
                text(&o["total_cents"]),
                text(&o["notes"]),
            ])
            .map_err(bad)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::internal("customer csv", e))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

/// Erases customer `id`'s personal data (see the module): refused while an order of theirs is
/// not finished. Returns how many orders were anonymised. `why` is logged.
#[cfg(feature = "ssr")]
pub async fn erase(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
    who: &crate::audit::Who,
    id: i64,
    why: &str,
) -> Result<usize, AppError> {
    use crate::orders::core::{Actor, Command};
    let mut tx = crate::server::db::begin_write(pool).await?;
    let erased = sqlx::query_scalar!("SELECT erased_at FROM customers WHERE id = ?", id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-customer")))?;
    if erased.is_some() {
        return Err(AppError::Conflict(crate::said::said(
            "refuse-already-erased",
        )));
    }
    let open = sqlx::query_scalar!(
        "SELECT number FROM orders WHERE customer_id = ? AND status NOT IN ('delivered', 'collected', 'cancelled')
         ORDER BY number",
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    if !open.is_empty() {
        let list: Vec<String> = open.iter().map(|n| format!("#{n}")).collect();
        return Err(AppError::Conflict(crate::said::said_count(
            "refuse-erase-orders",
            open.len() as i64,
            &[("list", &list.join(", "))],
        )));
    }
    let standing = sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM standing_orders WHERE customer_id = ? AND status != 'ended' ORDER BY id"#,
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    if !standing.is_empty() {
        let list: Vec<String> = standing.iter().map(|n| format!("S-{n}")).collect();
        return Err(AppError::Conflict(crate::said::said_with(
            "refuse-erase-standing",
            &[("list", &list.join(", "))],
        )));
    }
    crate::standing::store::anonymise(&mut tx, id).await?;
    let orders = sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM orders WHERE customer_id = ? ORDER BY id"#,
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    let actor = Actor {
        user_id: who.id,
        name: who.name.clone(),
    };
    for order in &orders {
        crate::orders::core::apply_in(&mut tx, config, &actor, *order, None, Command::Anonymise)
            .await?;
    }
    let now = crate::server::db::now();
    let phone = format!("erased-{id}");
    let name = format!("Erased customer #{id}");
    sqlx::query!(
        "UPDATE customers SET name = ?, phone = ?, email = NULL, address = NULL, lat = NULL, lng = NULL,
                district_id = NULL, marketing_opt_in = 0, notes = NULL, erased_at = ?, updated_at = ?,
                email_ok = 0, sms_ok = 0, whatsapp_ok = 0, preferences = NULL, allergies = NULL,
                unsubscribe_token = NULL
         WHERE id = ?",
        name,
        phone,
        now,
        now,
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM customer_tags WHERE customer_id = ?", id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "UPDATE privacy_requests SET phone = ?, email = NULL, note = NULL WHERE customer_id = ?",
        phone,
        id
    )
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut *tx,
        who,
        "customer.erase",
        &name,
        serde_json::json!({"orders_anonymised": orders.len(), "why": why}),
    )
    .await?;
    tx.commit().await?;
    Ok(orders.len())
}

/// Erases every customer whose last order (or whose record, without orders) is older than the
/// retention and who has no unfinished order. Returns how many.
#[cfg(feature = "ssr")]
pub async fn apply_retention(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
) -> Result<usize, AppError> {
    let Some(months) =
        sqlx::query_scalar!("SELECT customer_retention_months FROM business_settings WHERE id = 1")
            .fetch_one(pool)
            .await?
    else {
        return Ok(0);
    };
    let cutoff = (config.today() - chrono::Months::new(months as u32)).to_string();
    let due = sqlx::query_scalar!(
        r#"SELECT c.id AS "id!" FROM customers c
           WHERE c.erased_at IS NULL
             AND COALESCE((SELECT MAX(o.fulfil_on) FROM orders o WHERE o.customer_id = c.id), substr(c.created_at, 1, 10)) < ?
             AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id
                             AND o.status NOT IN ('delivered', 'collected', 'cancelled'))"#,
        cutoff
    )
    .fetch_all(pool)
    .await?;
    let who = crate::audit::Who::named("Hearth (retention)");
    for id in &due {
        erase(
            pool,
            config,
            &who,
            *id,
            &format!("no order for {months} months"),
        )
        .await?;
    }
    Ok(due.len())
}

/// Runs the retention at start and daily.
#[cfg(feature = "ssr")]
pub fn schedule_retention(
    pool: sqlx::SqlitePool,
    config: std::sync::Arc<crate::server::config::Config>,
) {
    tokio::spawn(async move {
        loop {
            match apply_retention(&pool, &config).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(customers = n, "retention: customers anonymised"),
                Err(e) => tracing::error!(error = %e, "retention failed"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(86_400)).await;
        }
    });
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
