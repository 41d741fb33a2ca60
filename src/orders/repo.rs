//! Queries on orders.
use sqlx::SqlitePool;

use super::model::{first_name, Fulfilment, OrderCard, OrderStatus, PaymentMethod};
use crate::error::AppError;

/// Narrows the board; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub district: String,
    pub fulfilment: String,
    pub payment: String,
    /// Order number, or part of the customer's name or phone.
    pub search: String,
}

/// Every order to be fulfilled on `day`, as board cards, earliest window first.
pub async fn cards_for_day(pool: &SqlitePool, day: &str) -> Result<Vec<OrderCard>, AppError> {
    cards_filtered(pool, day, &BoardFilter::default()).await
}

/// `cards_for_day` narrowed by `f`.
pub async fn cards_filtered(
    pool: &SqlitePool,
    day: &str,
    f: &BoardFilter,
) -> Result<Vec<OrderCard>, AppError> {
    let search = f.search.trim();
    let like = format!(
        "%{}%",
        search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let digits: String = search.chars().filter(|c| c.is_ascii_digit()).collect();
    let phone_like = if digits.len() >= 3 {
        format!("%{digits}%")
    } else {
        "\u{1}".to_string()
    };
    let number: i64 = search.trim_start_matches('#').parse().unwrap_or(-1);
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id!", o.version, o.number, c.name AS customer_name, d.name AS "district?", d.colour AS "district_colour?",
                  o.fulfilment, o.fulfil_on, o.window_from, o.window_to, o.total_cents,
                  o.payment_method, o.paid AS "paid: bool", o.status,
                  (o.notes IS NOT NULL AND o.notes <> '') AS "has_notes!: bool",
                  (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS "item_count!: i64"
           FROM orders o
           JOIN customers c ON c.id = o.customer_id
           LEFT JOIN districts d ON d.id = o.district_id
           WHERE o.fulfil_on = ?1
             AND (?2 = '' OR d.name = ?2)
             AND (?3 = '' OR o.fulfilment = ?3)
             AND (?4 = '' OR o.payment_method = ?4)
             AND (?5 = '' OR o.number = ?6 OR c.name LIKE ?7 ESCAPE '\' OR c.phone LIKE ?8)
           ORDER BY COALESCE(o.window_from, '99:99'), o.number"#,
        day,
        f.district,
        f.fulfilment,
        f.payment,
        search,
        number,
        like,
        phone_like
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let bad = |what: &str, v: &str| AppError::internal(what, v);
            Ok(OrderCard {
                id: r.id,
                version: r.version,
                number: r.number,
                customer_first_name: first_name(&r.customer_name),
                district: r.district,
                district_colour: r.district_colour,
                fulfilment: Fulfilment::parse(&r.fulfilment)
                    .map_err(|_| bad("orders.fulfilment", &r.fulfilment))?,
                fulfil_on: r.fulfil_on,
                window: super::model::window_label(r.window_from, r.window_to),
                item_count: r.item_count,
                total_cents: r.total_cents,
                payment_method: PaymentMethod::parse(&r.payment_method)
                    .map_err(|_| bad("orders.payment_method", &r.payment_method))?,
                paid: r.paid,
                status: OrderStatus::parse(&r.status)
                    .map_err(|_| bad("orders.status", &r.status))?,
                has_notes: r.has_notes,
            })
        })
        .collect()
}

/// One "edited" line of an order's history (who, what, when), inside the caller's write.
pub async fn record_edit(
    conn: &mut sqlx::SqliteConnection,
    order_id: i64,
    actor: impl Into<Option<i64>>,
    detail: &str,
    now: &str,
) -> Result<(), AppError> {
    let actor = actor.into();
    sqlx::query!(
        "INSERT INTO order_events (order_id, actor_user_id, kind, detail, created_at) VALUES (?, ?, 'edited', ?, ?)",
        order_id,
        actor,
        detail,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The order as a change finds it, checked to still be at `version`.
struct Current {
    number: i64,
    status: OrderStatus,
    fulfilment: Fulfilment,
    pinned: bool,
    paid: bool,
    window: Option<(String, String)>,
    notes: Option<String>,
}

/// Loads the order inside the change's transaction: `NotFound`, or `Conflict` naming who
/// changed it since `version`.
async fn current(
    conn: &mut sqlx::SqliteConnection,
    order_id: i64,
    version: i64,
) -> Result<Current, AppError> {
    let row = sqlx::query!(
        r#"SELECT number, status, fulfilment, version, lat IS NOT NULL AS "pinned!: bool", paid AS "paid: bool",
                  window_from, window_to, notes,
                  (SELECT u.name FROM order_events e JOIN users u ON u.id = e.actor_user_id
                   WHERE e.order_id = orders.id ORDER BY e.id DESC LIMIT 1) AS "last_by?: String"
           FROM orders WHERE id = ?"#,
        order_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::NotFound("That order".into()))?;
    let status = OrderStatus::parse(&row.status)
        .map_err(|_| AppError::internal("orders.status", &row.status))?;
    if row.version != version {
        let who = row.last_by.unwrap_or_else(|| "someone else".into());
        return Err(AppError::Conflict(format!(
            "Order #{} was changed by {who} (now {}) — refreshed.",
            row.number,
            status.label().to_lowercase()
        )));
    }
    Ok(Current {
        number: row.number,
        status,
        fulfilment: Fulfilment::parse(&row.fulfilment)
            .map_err(|_| AppError::internal("orders.fulfilment", &row.fulfilment))?,
        pinned: row.pinned,
        paid: row.paid,
        window: row.window_from.zip(row.window_to),
        notes: row.notes,
    })
}

/// Moves an order to `to` if it is still at `version`; returns the change. Refusals name why.
pub async fn move_status(
    pool: &SqlitePool,
    order_id: i64,
    to: OrderStatus,
    version: i64,
    actor: (i64, &str),
) -> Result<super::model::OrderChange, AppError> {
    let mut tx = crate::server::db::begin_write(pool).await?;
    let row = current(&mut tx, order_id, version).await?;
    let from = row.status;
    if let Some(reason) = super::model::move_refusal(row.fulfilment, from, to, row.pinned) {
        return Err(AppError::invalid("status", reason));
    }
    let now = crate::server::db::now();
    let to_str = to.as_str();
    let from_str = from.as_str();
    let done = sqlx::query!(
        "UPDATE orders SET status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        to_str,
        now,
        order_id,
        version
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "The order changed meanwhile — refreshed.".into(),
        ));
    }
    sqlx::query!(
        "INSERT INTO order_events (order_id, actor_user_id, kind, from_status, to_status, created_at)
         VALUES (?, ?, 'status', ?, ?, ?)",
        order_id,
        actor.0,
        from_str,
        to_str,
        now
    )
    .execute(&mut *tx)
    .await?;
    super::notify::enqueue(&mut tx, order_id, "order.status_changed").await?;
    tx.commit().await?;
    Ok(super::model::OrderChange {
        order_id,
        number: row.number,
        from,
        status: to,
        version: version + 1,
        by: crate::orders::model::first_name(actor.1),
    })
}

/// One order with its lines and history; times shown in `tz`.
pub async fn detail(
    pool: &SqlitePool,
    id: i64,
    config: &crate::server::config::Config,
) -> Result<super::model::OrderDetail, AppError> {
    let (tz, currency) = (config.timezone, config.currency.as_str());
    let o = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, o.version, o.status, o.fulfilment, o.fulfil_on, o.window_from, o.window_to,
                  c.name AS customer_name, c.phone, o.address, d.name AS "district?", o.lat, o.lng,
                  o.payment_method, o.paid AS "paid: bool", o.subtotal_cents, o.delivery_fee_cents, o.total_cents,
                  o.notes, o.tracking_token
           FROM orders o JOIN customers c ON c.id = o.customer_id LEFT JOIN districts d ON d.id = o.district_id
           WHERE o.id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound("That order".into()))?;
    let rows = sqlx::query!(
        "SELECT p.sku, p.name, i.quantity, i.unit_price_cents FROM order_items i JOIN products p ON p.id = i.product_id
         WHERE i.order_id = ? ORDER BY i.id",
        id
    )
    .fetch_all(pool)
    .await?;
    let skus = rows.iter().map(|r| r.sku.clone()).collect();
    let items = rows
        .into_iter()
        .map(|r| (r.name, r.quantity, r.unit_price_cents))
        .collect();
    let history = sqlx::query!(
        r#"SELECT e.created_at, u.name AS "who?", e.kind, e.from_status, e.to_status, e.detail
           FROM order_events e LEFT JOIN users u ON u.id = e.actor_user_id
           WHERE e.order_id = ? ORDER BY e.id"#,
        id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|e| {
        let when = chrono::DateTime::parse_from_rfc3339(&e.created_at)
            .map(|t| t.with_timezone(&tz).format("%a %-d %b %H:%M").to_string())
            .unwrap_or(e.created_at.clone());
        let label = |s: &Option<String>| {
            s.as_deref()
                .and_then(|s| OrderStatus::parse(s).ok())
                .map(|s| s.label())
                .unwrap_or("?")
        };
        let what = match e.kind.as_str() {
            "created" => e.detail.clone().unwrap_or_else(|| "Order placed".into()),
            "status" => format!(
                "{} → {}{}",
                label(&e.from_status),
                label(&e.to_status),
                e.detail
                    .as_deref()
                    .map(|d| format!(" · {d}"))
                    .unwrap_or_default()
            ),
            "delivery_failed" => {
                format!("Delivery failed: {}", e.detail.clone().unwrap_or_default())
            }
            "cancelled" => format!("Cancelled: {}", e.detail.clone().unwrap_or_default()),
            "paid" => "Marked paid".into(),
            "edited" => format!("Edited: {}", e.detail.clone().unwrap_or_default()),
            other => format!("{other} {}", e.detail.clone().unwrap_or_default()),
        };
        // No person: the storefront created it, or Hearth itself changed it (e.g. districts
        // redrawn).
        let who = e.who.unwrap_or_else(|| {
            if e.kind == "created" {
                "Storefront"
            } else {
                "Hearth"
            }
            .into()
        });
        (when, who, what)
    })
    .collect();
    let photo = sqlx::query!(
        r#"SELECT width AS "width!: i64", height AS "height!: i64" FROM delivery_photos WHERE order_id = ?"#,
        o.id
    )
    .fetch_optional(pool)
    .await?
    .map(|p| (p.width, p.height));
    let districts = if o.fulfilment == "delivery" {
        crate::districts::repo::list(pool).await?
    } else {
        Vec::new()
    };
    Ok(super::model::OrderDetail {
        districts,
        photo,
        skus,
        id: o.id,
        number: o.number,
        version: o.version,
        status: OrderStatus::parse(&o.status)
            .map_err(|_| AppError::internal("orders.status", &o.status))?,
        fulfilment: Fulfilment::parse(&o.fulfilment)
            .map_err(|_| AppError::internal("orders.fulfilment", &o.fulfilment))?,
        fulfil_on: o.fulfil_on,
        window: super::model::window_label(o.window_from, o.window_to),
        customer_name: o.customer_name,
        phone: o.phone,
        address: o.address,
        district: o.district,
        pin: o.lat.zip(o.lng),
        tiles: (config.tile_url.clone(), config.tile_attribution.clone()),
        payment_method: PaymentMethod::parse(&o.payment_method)
            .map_err(|_| AppError::internal("orders.payment_method", &o.payment_method))?,
        paid: o.paid,
        items,
        subtotal_cents: o.subtotal_cents,
        delivery_fee_cents: o.delivery_fee_cents,
        total_cents: o.total_cents,
        notes: o.notes,
        tracking_token: o.tracking_token,
        history,
        currency: currency.to_string(),
    })
}

/// Cancels an order (giving its stop and its products' capacity back) or marks it paid, if it
/// is still at `version`. `reason` is required for a cancellation.
pub async fn cancel_or_pay(
    pool: &SqlitePool,
    order_id: i64,
    version: i64,
    cancel_reason: Option<&str>,
    actor: (i64, &str),
) -> Result<super::model::OrderChange, AppError> {
    let mut tx = crate::server::db::begin_write(pool).await?;
    let row = current(&mut tx, order_id, version).await?;
    let from = row.status;
    let now = crate::server::db::now();
    let to = match cancel_reason {
        Some(reason) => {
            if matches!(
                from,
                OrderStatus::Cancelled | OrderStatus::Delivered | OrderStatus::Collected
            ) {
                return Err(AppError::invalid(
                    "status",
                    format!(
                        "A {} order can't be cancelled.",
                        from.label().to_lowercase()
                    ),
                ));
            }
            sqlx::query!("UPDATE orders SET status = 'cancelled', version = version + 1, updated_at = ? WHERE id = ?", now, order_id)
                .execute(&mut *tx)
                .await?;
            let from_str = from.as_str();
            sqlx::query!(
                "INSERT INTO order_events (order_id, actor_user_id, kind, from_status, to_status, detail, created_at)
                 VALUES (?, ?, 'cancelled', ?, 'cancelled', ?, ?)",
                order_id, actor.0, from_str, reason, now
            )
            .execute(&mut *tx)
            .await?;
            super::notify::enqueue(&mut tx, order_id, "order.cancelled").await?;
            OrderStatus::Cancelled
        }
        None => {
            if row.paid {
                return Err(AppError::invalid("paid", "This order is already paid."));
            }
            sqlx::query!(
                "UPDATE orders SET paid = 1, version = version + 1, updated_at = ? WHERE id = ?",
                now,
                order_id
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "INSERT INTO order_events (order_id, actor_user_id, kind, created_at) VALUES (?, ?, 'paid', ?)",
                order_id, actor.0, now
            )
            .execute(&mut *tx)
            .await?;
            from
        }
    };
    tx.commit().await?;
    Ok(super::model::OrderChange {
        order_id,
        number: row.number,
        from,
        status: to,
        version: version + 1,
        by: first_name(actor.1),
    })
}

/// Changes an order's window and notes if it is still at `version`, recording what changed.
pub async fn edit_details(
    pool: &SqlitePool,
    order_id: i64,
    version: i64,
    window: Option<(String, String)>,
    notes: Option<String>,
    actor: (i64, &str),
) -> Result<super::model::OrderChange, AppError> {
    let mut tx = crate::server::db::begin_write(pool).await?;
    let row = current(&mut tx, order_id, version).await?;
    let status = row.status;
    if status.is_closed() {
        return Err(AppError::invalid(
            "status",
            format!("A {} order can't be edited.", status.label().to_lowercase()),
        ));
    }
    let old_window = row.window.clone();
    let mut changes = Vec::new();
    if window != old_window {
        let show = |w: &Option<(String, String)>| {
            w.as_ref()
                .map_or("any time".to_string(), |(a, b)| format!("{a}–{b}"))
        };
        changes.push(format!("window {} → {}", show(&old_window), show(&window)));
    }
    if notes != row.notes {
        changes.push("notes changed".to_string());
    }
    if changes.is_empty() {
        return Err(AppError::invalid("window", "Nothing to change."));
    }
    let (from, to) = window.unzip();
    let now = crate::server::db::now();
    sqlx::query!(
        "UPDATE orders SET window_from = ?, window_to = ?, notes = ?, version = version + 1, updated_at = ? WHERE id = ?",
        from, to, notes, now, order_id
    )
    .execute(&mut *tx)
    .await?;
    let detail = changes.join("; ");
    record_edit(&mut tx, order_id, actor.0, &detail, &now).await?;
    super::notify::enqueue(&mut tx, order_id, "order.updated").await?;
    tx.commit().await?;
    Ok(super::model::OrderChange {
        order_id,
        number: row.number,
        from: status,
        status,
        version: version + 1,
        by: first_name(actor.1),
    })
}

/// A new delivery address and door pin for an order that has not left the kitchen yet.
pub struct NewAddress {
    pub address: String,
    /// (lat, lng) of the door; `None` keeps the pin it has (or leaves it waiting for one).
    pub pin: Option<(f64, f64)>,
}

impl NewAddress {
    /// Checks the fields as the form names them.
    pub fn parse(address: &str, lat: Option<f64>, lng: Option<f64>) -> Result<Self, AppError> {
        let address = address.trim();
        if address.is_empty() {
            return Err(AppError::invalid(
                "address",
                "Address: the street and number, please.",
            ));
        }
        if address.chars().count() > 200 {
            return Err(AppError::invalid(
                "address",
                "Address: keep it under 200 characters.",
            ));
        }
        let pin = match (lat, lng) {
            (None, None) => None,
            (Some(lat), Some(lng))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng) =>
            {
                Some((lat, lng))
            }
            (Some(_), Some(_)) => {
                return Err(AppError::invalid(
                    "lat",
                    "Pin: that is not a place on Earth.",
                ))
            }
            _ => {
                return Err(AppError::invalid(
                    "lat",
                    "Pin: give both latitude and longitude.",
                ))
            }
        };
        Ok(Self {
            address: address.to_string(),
            pin,
        })
    }
}

/// Changes a delivery's address and pin while it is still in the kitchen: the district comes
/// from the pin (point-in-polygon); a new district must serve the order's day and have room,
/// and its delivery fee replaces the old one (total recomputed). A run holding the stop is
/// re-timed in the same transaction.
pub async fn edit_address(
    pool: &SqlitePool,
    config: &crate::server::config::Config,
    order_id: i64,
    version: i64,
    new: &NewAddress,
    actor: (i64, &str),
) -> Result<super::model::OrderChange, AppError> {
    let districts = crate::districts::repo::list(pool).await?;
    let district = match new.pin {
        Some((lat, lng)) => Some(
            crate::districts::locate::locate(&districts, lat, lng).ok_or_else(|| {
                AppError::invalid(
                    "lat",
                    "Pin: that spot is outside every delivery district; drop it inside one.",
                )
            })?,
        ),
        None => None,
    };
    let mut tx = crate::server::db::begin_write(pool).await?;
    let row = current(&mut tx, order_id, version).await?;
    if row.fulfilment != Fulfilment::Delivery {
        return Err(AppError::invalid(
            "address",
            "Address: a pickup order has none.",
        ));
    }
    if !matches!(
        row.status,
        OrderStatus::Received | OrderStatus::Confirmed | OrderStatus::Baking | OrderStatus::Ready
    ) {
        return Err(AppError::invalid(
            "address",
            format!(
                "Address: the order is {}; it can change only before it leaves the kitchen.",
                row.status.label().to_lowercase()
            ),
        ));
    }
    let o = sqlx::query!(
        r#"SELECT o.address, o.lat, o.lng, o.fulfil_on, o.subtotal_cents, o.delivery_fee_cents,
                  o.district_id, d.name AS "district?"
           FROM orders o LEFT JOIN districts d ON d.id = o.district_id WHERE o.id = ?"#,
        order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let moved = new.pin.is_some() && new.pin != o.lat.zip(o.lng);
    if !moved && o.address.as_deref() == Some(new.address.as_str()) {
        return Err(AppError::invalid("address", "Nothing to change."));
    }
    let district_id = district.map_or(o.district_id, |d| Some(d.id));
    let fee = district.map_or(o.delivery_fee_cents, |d| d.delivery_fee_cents);
    let mut changes = Vec::new();
    if o.address.as_deref() != Some(new.address.as_str()) {
        changes.push(format!(
            "address {} → {}",
            o.address.as_deref().unwrap_or("none"),
            new.address
        ));
    }
    if let Some(d) = district.filter(|_| moved) {
        changes.push(format!("pin moved ({})", d.name));
    }
    if let Some(d) = district.filter(|d| Some(d.id) != o.district_id) {
        let day = super::model::parse_day(&o.fulfil_on, "date")?;
        if !crate::districts::model::serves(d.served_weekdays, chrono::Datelike::weekday(&day)) {
            return Err(AppError::invalid(
                "lat",
                format!(
                    "Pin: {} isn't served on {}s; move the order to one of its days first.",
                    d.name,
                    day.format("%A")
                ),
            ));
        }
        changes.push(format!(
            "district {} → {}",
            o.district.as_deref().unwrap_or("none"),
            d.name
        ));
        if fee != o.delivery_fee_cents {
            changes.push(format!(
                "delivery fee {:.2} → {:.2}",
                o.delivery_fee_cents as f64 / 100.0,
                fee as f64 / 100.0
            ));
        }
    }
    let total = o.subtotal_cents + fee;
    let (lat, lng) = new.pin.or(o.lat.zip(o.lng)).unzip();
    let now = crate::server::db::now();
    sqlx::query!(
        "UPDATE orders SET address = ?, lat = ?, lng = ?, district_id = ?, delivery_fee_cents = ?, total_cents = ?,
                version = version + 1, updated_at = ? WHERE id = ?",
        new.address,
        lat,
        lng,
        district_id,
        fee,
        total,
        now,
        order_id
    )
    .execute(&mut *tx)
    .await?;
    // The counters (kept by triggers) now include this order in its new district-day.
    if let Some(d) = district.filter(|d| Some(d.id) != o.district_id) {
        let used = sqlx::query_scalar!(
            r#"SELECT COALESCE(SUM(used), 0) AS "n!: i64" FROM capacity_used WHERE kind = 'stops' AND ref_id = ? AND day = ?"#,
            d.id,
            o.fulfil_on
        )
        .fetch_one(&mut *tx)
        .await?;
        if used > d.capacity_per_day {
            return Err(AppError::invalid(
                "lat",
                format!(
                    "Pin: {} is full on {} ({} stops); move the order to another day first.",
                    d.name, o.fulfil_on, d.capacity_per_day
                ),
            ));
        }
    }
    let detail = changes.join("; ");
    record_edit(&mut tx, order_id, actor.0, &detail, &now).await?;
    if moved {
        crate::runs::plan::retime_run_of(&mut tx, pool, config, order_id).await?;
    }
    super::notify::enqueue(&mut tx, order_id, "order.updated").await?;
    tx.commit().await?;
    Ok(super::model::OrderChange {
        order_id,
        number: row.number,
        from: row.status,
        status: row.status,
        version: version + 1,
        by: first_name(actor.1),
    })
}

/// Orders per status (all days), for the dashboard.
pub async fn count_by_status(
    pool: &SqlitePool,
    day: &str,
) -> Result<Vec<(OrderStatus, i64)>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT status, COUNT(*) AS "n!: i64" FROM orders WHERE fulfil_on = ? GROUP BY status"#,
        day
    )
    .fetch_all(pool)
    .await?;
    Ok(OrderStatus::ALL
        .into_iter()
        .map(|s| {
            let n = rows
                .iter()
                .find(|r| r.status == s.as_str())
                .map_or(0, |r| r.n);
            (s, n)
        })
        .collect())
}

/// Replaces an order's items (`(sku, quantity)` lines) while it is received or confirmed:
/// lines already on the order keep the price the customer was quoted, new ones take today's;
/// each product's daily capacity and the district's minimum order are checked after the change,
/// in the same transaction, so a refusal leaves everything as it was. Totals are recomputed.
pub async fn edit_items(
    pool: &SqlitePool,
    order_id: i64,
    version: i64,
    lines: &[(String, i64)],
    actor: (i64, &str),
) -> Result<super::model::OrderChange, AppError> {
    if lines.is_empty() {
        return Err(AppError::invalid(
            "items",
            "items: an order needs at least one item; cancel it instead.",
        ));
    }
    for (i, (sku, q)) in lines.iter().enumerate() {
        if !(1..=99).contains(q) {
            return Err(AppError::invalid(
                &format!("items[{i}].quantity"),
                format!("items[{i}].quantity: from 1 to 99."),
            ));
        }
        if lines[..i].iter().any(|(s, _)| s == sku) {
            return Err(AppError::invalid(
                &format!("items[{i}].sku"),
                format!("items[{i}].sku: {sku} is listed twice."),
            ));
        }
    }
    let mut tx = crate::server::db::begin_write(pool).await?;
    let row = current(&mut tx, order_id, version).await?;
    if !matches!(row.status, OrderStatus::Received | OrderStatus::Confirmed) {
        return Err(AppError::invalid(
            "items",
            format!(
                "items: the order is {} — items can change only before baking starts.",
                row.status.label().to_lowercase()
            ),
        ));
    }
    let old = sqlx::query!(
        r#"SELECT p.sku, p.name, i.quantity, i.unit_price_cents FROM order_items i JOIN products p ON p.id = i.product_id
           WHERE i.order_id = ? ORDER BY i.id"#,
        order_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let o = sqlx::query!(
        r#"SELECT o.fulfil_on, o.delivery_fee_cents, o.fulfilment, d.name AS "district?", d.min_order_cents AS "min_order?"
           FROM orders o LEFT JOIN districts d ON d.id = o.district_id WHERE o.id = ?"#,
        order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM order_items WHERE order_id = ?", order_id)
        .execute(&mut *tx)
        .await?;
    let mut subtotal = 0i64;
    let mut now_lines = Vec::new();
    for (i, (sku, q)) in lines.iter().enumerate() {
        let p = sqlx::query!(
            r#"SELECT id AS "id!", name, price_cents, daily_capacity FROM products WHERE sku = ? AND active = 1"#,
            sku
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::invalid(&format!("items[{i}].sku"), format!("items[{i}].sku: no product {sku} on sale.")))?;
        let price = old
            .iter()
            .find(|x| x.sku == *sku)
            .map_or(p.price_cents, |x| x.unit_price_cents);
        sqlx::query!(
            "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)",
            order_id,
            p.id,
            q,
            price
        )
        .execute(&mut *tx)
        .await?;
        // The counters (kept by triggers) now include this order's new quantities.
        let used = sqlx::query_scalar!(
            r#"SELECT COALESCE(SUM(used), 0) AS "n!: i64" FROM capacity_used WHERE kind = 'units' AND ref_id = ? AND day = ?"#,
            p.id,
            o.fulfil_on
        )
        .fetch_one(&mut *tx)
        .await?;
        // Only what this edit adds is checked: a day already over a product's capacity
        // (the capacity was lowered after booking) must not block edits that add none of it.
        let before_q = old.iter().find(|x| x.sku == *sku).map_or(0, |x| x.quantity);
        if *q > before_q && used > p.daily_capacity {
            let most = (p.daily_capacity - (used - q)).max(before_q);
            return Err(AppError::invalid(
                &format!("items[{i}].quantity"),
                format!(
                    "items[{i}].quantity: the kitchen can make at most {} {} for this order on {}.",
                    most, p.name, o.fulfil_on
                ),
            ));
        }
        subtotal += q * price;
        now_lines.push(format!("{q}× {}", p.name));
    }
    if o.fulfilment == "delivery" {
        if let (Some(min), Some(district)) = (o.min_order, o.district.as_deref()) {
            if subtotal < min {
                return Err(AppError::invalid(
                    "items",
                    format!(
                        "items: {district}'s minimum order is {:.2}; this would be {:.2}.",
                        min as f64 / 100.0,
                        subtotal as f64 / 100.0
                    ),
                ));
            }
        }
    }
    let before: Vec<String> = old
        .iter()
        .map(|x| format!("{}× {}", x.quantity, x.name))
        .collect();
    if before == now_lines {
        return Err(AppError::invalid("items", "items: nothing to change."));
    }
    let total = subtotal + o.delivery_fee_cents;
    let now = crate::server::db::now();
    sqlx::query!(
        "UPDATE orders SET subtotal_cents = ?, total_cents = ?, version = version + 1, updated_at = ? WHERE id = ?",
        subtotal,
        total,
        now,
        order_id
    )
    .execute(&mut *tx)
    .await?;
    let detail = format!("items {} → {}", before.join(", "), now_lines.join(", "));
    record_edit(&mut tx, order_id, actor.0, &detail, &now).await?;
    super::notify::enqueue(&mut tx, order_id, "order.updated").await?;
    tx.commit().await?;
    Ok(super::model::OrderChange {
        order_id,
        number: row.number,
        from: row.status,
        status: row.status,
        version: version + 1,
        by: first_name(actor.1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test(migrations = "./migrations")]
    async fn board_cards_carry_what_staff_need(pool: SqlitePool) {
        let cfg = crate::server::config::Config::from_env().unwrap();
        crate::server::demo::load(&pool, &cfg, false).await.unwrap();
        let today = cfg.today().to_string();
        let cards = cards_for_day(&pool, &today).await.unwrap();
        assert_eq!(cards.len(), 14);
        assert!(cards
            .iter()
            .all(|c| c.fulfil_on == today && c.item_count > 0));
        // Sorted by window, then number.
        let windows: Vec<String> = cards
            .iter()
            .map(|c| c.window.clone().unwrap_or_default())
            .collect();
        let mut sorted = windows.clone();
        sorted.sort();
        assert_eq!(windows, sorted);
        // Cash to collect matches unpaid cash-on-delivery totals in the database.
        let cash: i64 = cards.iter().filter_map(|c| c.cash_to_collect()).sum();
        let expected: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE fulfil_on = ? AND payment_method = 'cod' AND paid = 0",
        )
        .bind(&today)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(cash, expected);
        let counts = count_by_status(&pool, &today).await.unwrap();
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<i64>(), 14);
    }
}
