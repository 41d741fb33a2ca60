//! The privacy work itself (server side): a customer's export, their erasure and the retention
//! sweep that anonymises customers with no order for the set months.
use crate::error::AppError;

/// Everything held about customer `id` as JSON: the customer, every order with its lines and
/// history, their loyalty points and referral code, and their privacy requests.
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
    let loyalty = crate::loyalty::read::held(&mut *pool.acquire().await?, id).await?;
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
        "loyalty": loyalty,
        "privacy_requests": requests.iter().map(|r| json!({
            "kind": r.kind, "status": r.status, "received": r.created_at, "done": r.done_at
        })).collect::<Vec<_>>(),
        "exported_at": crate::server::db::now(),
    }))
}

/// The export's orders as CSV, one row per order line (UTF-8 with BOM, for spreadsheets).
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
pub async fn erase(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
    who: &crate::audit::Who,
    id: i64,
    why: &str,
) -> Result<usize, AppError> {
    use crate::orders::core::{Actor, Command};
    let mut tx = crate::server::db::begin_write(pool).await?;
    refuse_if_busy(&mut tx, id).await?;
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
    let name = blank_record(&mut tx, id).await?;
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

/// Refuses to erase customer `id` when there is no such customer, they are erased already, or
/// an order or standing order of theirs is not finished (each named).
async fn refuse_if_busy(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<(), AppError> {
    let erased = sqlx::query_scalar!("SELECT erased_at FROM customers WHERE id = ?", id)
        .fetch_optional(&mut *conn)
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
    .fetch_all(&mut *conn)
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
    .fetch_all(&mut *conn)
    .await?;
    if !standing.is_empty() {
        let list: Vec<String> = standing.iter().map(|n| format!("S-{n}")).collect();
        return Err(AppError::Conflict(crate::said::said_with(
            "refuse-erase-standing",
            &[("list", &list.join(", "))],
        )));
    }
    Ok(())
}

/// Blanks customer `id`'s record, tags and privacy requests; answers the name it now has.
async fn blank_record(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<String, AppError> {
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
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM customer_tags WHERE customer_id = ?", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "UPDATE privacy_requests SET phone = ?, email = NULL, note = NULL WHERE customer_id = ?",
        phone,
        id
    )
    .execute(&mut *conn)
    .await?;
    Ok(name)
}

/// Erases every customer whose last order (or whose record, without orders) is older than the
/// retention and who has no unfinished order. Returns how many.
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
