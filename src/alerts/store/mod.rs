//! The one writer of `alerts`, `alert_settings` and `alert_reads`, and their reads. The order
//! core and the stock writer call the `raise_*` functions (here) inside their own
//! transactions; `bell` serves the owner's bell and switches, `sending` the emails and pushes.
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

use crate::error::AppError;
use crate::i18n::{FluentValue, Lang};

mod bell;
mod sending;

pub use bell::{inbox, mark_read, set, settings};
pub use sending::{
    any_push_pending, drop_stale_emails, drop_stale_pushes, emailed,
    nothing_to_send_for_what_is_pending, owner_emails, pushed,
};

/// An alert to store, unless the owner switched its kind off entirely, or one with its
/// `once_key` was raised before.
struct Alert<'a> {
    kind: &'a str,
    order_id: Option<i64>,
    args: &'a [(&'a str, String)],
    link: &'a str,
    once_key: Option<String>,
    caused_by: Option<i64>,
}

impl Alert<'_> {
    /// Stores it.
    async fn raise(self, conn: &mut SqliteConnection) -> Result<(), AppError> {
        let mut batch = crate::server::db::Batch::default();
        self.add_to(&mut batch);
        batch.run(conn).await?;
        Ok(())
    }

    /// `raise`, added to the caller's batch of writes. One statement: the owner's switches
    /// for the kind are read in the insert (none stored: in the app only).
    fn add_to(self, batch: &mut crate::server::db::Batch) {
        let Alert {
            kind,
            order_id,
            args,
            link,
            once_key,
            caused_by,
        } = self;
        let args: Map<String, Value> = args
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
            .collect();
        batch.push(
        "INSERT INTO alerts (kind, order_id, args, link, once_key, caused_by, in_app, email_status, email_next_at,
                             push_status, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, w.in_app, CASE WHEN w.email THEN 'pending' END, ?7,
                CASE WHEN w.push THEN 'pending' END, ?7
         FROM (SELECT COALESCE(s.in_app, 1) AS in_app, COALESCE(s.email, 0) AS email,
                      COALESCE(s.push AND EXISTS (SELECT 1 FROM push_subscriptions), 0) AS push
               FROM (SELECT 1) LEFT JOIN alert_settings s ON s.kind = ?1) w
         WHERE w.in_app OR w.email OR w.push
         ON CONFLICT (once_key) DO NOTHING",
        vec![
            kind.into(),
            order_id.into(),
            Value::Object(args).to_string().into(),
            link.into(),
            once_key.into(),
            caused_by.into(),
            crate::server::db::now().into(),
        ],
    );
    }
}

/// A new order, as the order core just wrote it.
pub struct Created<'a> {
    pub order_id: i64,
    pub number: i64,
    /// The customer's name.
    pub name: &'a str,
    pub day: &'a str,
    pub total_cents: i64,
    /// The district of a delivery (None for a pickup, or a delivery without a pin yet).
    pub delivery_district: Option<i64>,
    /// That district-day with this order, as the order core's caller read it under the write
    /// lock: (the district's name, its stops per day, the stops booked).
    pub district_day: Option<(&'a str, i64, i64)>,
}

/// A new order (any source): its alert, and the district-day's if it is now nearly full,
/// added to the order core's batch of writes (no read: the count came with the order).
pub fn raise_created(
    batch: &mut crate::server::db::Batch,
    o: &Created<'_>,
    caused_by: Option<i64>,
) {
    Alert {
        kind: "new_order",
        order_id: Some(o.order_id),
        args: &[
            ("number", o.number.to_string()),
            ("name", o.name.to_string()),
            ("day", o.day.to_string()),
            ("total_cents", o.total_cents.to_string()),
        ],
        link: &format!("/orders?order={}", o.order_id),
        once_key: None,
        caused_by,
    }
    .add_to(batch);
    if let (Some(district), Some((name, capacity, booked))) = (o.delivery_district, o.district_day)
    {
        full_in(batch, o.day, district, name, (booked, capacity));
    }
}

/// After the order core changed an order (`kind` of its history line): a cancellation, a
/// failed delivery, or a day change that may fill a district-day.
pub async fn raise_changed(
    conn: &mut SqliteConnection,
    order_id: i64,
    kind: &str,
    detail: Option<&str>,
    day_changed: bool,
    caused_by: Option<i64>,
) -> Result<(), AppError> {
    let alert = match kind {
        "cancelled" => "cancelled",
        "delivery_failed" => "failed",
        _ if day_changed => return raise_if_nearly_full(conn, order_id).await,
        _ => return Ok(()),
    };
    let o = sqlx::query!(
        r#"SELECT o.number, o.fulfil_on, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?"#,
        order_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Alert {
        kind: alert,
        order_id: Some(order_id),
        args: &[
            ("number", o.number.to_string()),
            ("name", o.name),
            ("day", o.fulfil_on),
            ("reason", detail.unwrap_or_default().to_string()),
        ],
        link: &format!("/orders?order={order_id}"),
        once_key: None,
        caused_by,
    }
    .raise(conn)
    .await
}

/// Once per district-day: when its deliveries reach `NEARLY_FULL` of its stops per day.
async fn raise_if_nearly_full(conn: &mut SqliteConnection, order_id: i64) -> Result<(), AppError> {
    let Some(o) = sqlx::query!(
        r#"SELECT fulfil_on, district_id AS "district_id!" FROM orders
           WHERE id = ? AND fulfilment = 'delivery' AND status <> 'cancelled' AND district_id IS NOT NULL"#,
        order_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    raise_if_full(conn, &o.fulfil_on, o.district_id).await
}

/// `raise_if_nearly_full` for the deliveries of `district` on `day` (one read: the district
/// with its stops counter, which SQLite's triggers keep for every write to `orders` — a
/// one-row read, where counting the day's orders grew with the day).
async fn raise_if_full(
    conn: &mut SqliteConnection,
    day: &str,
    district: i64,
) -> Result<(), AppError> {
    let Some(d) = sqlx::query!(
        r#"SELECT d.name, d.capacity_per_day,
                  COALESCE((SELECT u.used FROM capacity_used u
                            WHERE u.kind = 'stops' AND u.ref_id = d.id AND u.day = ?1), 0) AS "booked!: i64"
           FROM districts d WHERE d.id = ?2"#,
        day,
        district
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    let mut batch = crate::server::db::Batch::default();
    full_in(
        &mut batch,
        day,
        district,
        &d.name,
        (d.booked, d.capacity_per_day),
    );
    batch.run(conn).await?;
    Ok(())
}

/// The nearly-full alert of `district` (`name`) on `day`, once, added to `batch` when `booked`
/// stops reach `NEARLY_FULL` of its `cap` per day.
fn full_in(
    batch: &mut crate::server::db::Batch,
    day: &str,
    district: i64,
    name: &str,
    (booked, cap): (i64, i64),
) {
    if cap <= 0 || (booked as f64) < crate::calendar::NEARLY_FULL * cap as f64 {
        return;
    }
    Alert {
        kind: "nearly_full",
        order_id: None,
        args: &[
            ("district", name.to_string()),
            ("day", day.to_string()),
            ("booked", booked.to_string()),
            ("capacity", cap.to_string()),
        ],
        link: &format!("/calendar?month={}", day.get(..7).unwrap_or_default()),
        once_key: Some(format!("nearly_full:{day}:{district}")),
        // News to everyone, whoever booked the order that tipped it.
        caused_by: None,
    }
    .add_to(batch);
}

/// After stock left an ingredient (use, waste, count): an alert when the balance went from at
/// or above its reorder level to below it.
pub async fn raise_if_low(
    conn: &mut SqliteConnection,
    ingredient_id: i64,
    before: i64,
    after: i64,
    caused_by: Option<i64>,
) -> Result<(), AppError> {
    let i = sqlx::query!(
        "SELECT name, unit, reorder_level FROM ingredients WHERE id = ?",
        ingredient_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let level = i.reorder_level;
    if level <= 0 || before < level || after >= level {
        return Ok(());
    }
    let unit =
        crate::kitchen::model::Unit::parse(&i.unit).unwrap_or(crate::kitchen::model::Unit::Piece);
    Alert {
        kind: "low_stock",
        order_id: None,
        args: &[
            ("name", i.name),
            ("left", unit.show(after)),
            ("level", unit.show(level)),
        ],
        link: "/stock",
        once_key: None,
        caused_by,
    }
    .raise(conn)
    .await
}

/// Lots still in stock whose best-before is within `kitchen::SOON_DAYS` of `today` (or passed
/// in the last week): one alert per lot and date, however often the watcher looks. Returns
/// how many were new.
pub async fn raise_best_before(
    conn: &mut SqliteConnection,
    today: chrono::NaiveDate,
) -> Result<usize, AppError> {
    let soon = (today + chrono::Duration::days(crate::kitchen::SOON_DAYS)).to_string();
    let since = (today - chrono::Duration::days(7)).to_string();
    let lots = sqlx::query!(
        r#"SELECT l.id AS "id!", l.code, l.best_before AS "best_before!: String", i.name, i.unit,
                  SUM(m.quantity) AS "left!: i64"
           FROM stock_lots l JOIN ingredients i ON i.id = l.ingredient_id
           JOIN stock_moves m ON m.lot_id = l.id
           WHERE l.best_before BETWEEN ? AND ?
           GROUP BY l.id HAVING SUM(m.quantity) > 0 ORDER BY l.best_before, l.id"#,
        since,
        soon
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut raised = 0;
    for l in lots {
        let key = format!("best_before:{}:{}", l.id, l.best_before);
        let known = sqlx::query_scalar!("SELECT id FROM alerts WHERE once_key = ?", key)
            .fetch_optional(&mut *conn)
            .await?;
        if known.is_some() {
            continue;
        }
        let unit = crate::kitchen::model::Unit::parse(&l.unit)
            .unwrap_or(crate::kitchen::model::Unit::Piece);
        let lot = if l.code.is_empty() {
            format!("#{}", l.id)
        } else {
            l.code
        };
        Alert {
            kind: "best_before",
            order_id: None,
            args: &[
                ("name", l.name),
                ("lot", lot),
                ("left", unit.show(l.left)),
                ("day", l.best_before),
            ],
            link: "/stock",
            once_key: Some(key.clone()),
            caused_by: None,
        }
        .raise(conn)
        .await?;
        // Not stored when the owner switched the kind off.
        let stored = sqlx::query_scalar!("SELECT id FROM alerts WHERE once_key = ?", key)
            .fetch_optional(&mut *conn)
            .await?;
        raised += usize::from(stored.is_some());
    }
    Ok(raised)
}

/// A customer asked to be forgotten: the alerts about this order (which name them) go.
pub async fn forget_order(conn: &mut SqliteConnection, order_id: i64) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM alerts WHERE order_id = ?", order_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Every alert and who read what (`hearth demo --reset`); the owner's settings stay.
pub async fn clear_in(conn: &mut SqliteConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM alert_reads")
        .execute(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM alerts")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The alert's message in `lang`: days and amounts written the reader's way, a driver's
/// failure reason in their words.
pub fn word(lang: &Lang, kind: &str, args: &str, currency: &str) -> String {
    let args: Map<String, Value> = serde_json::from_str(args).unwrap_or_default();
    let shown: Vec<(&str, FluentValue<'static>)> = args
        .iter()
        .map(|(k, v)| {
            let raw = v.as_str().unwrap_or_default();
            let (name, text) = match k.as_str() {
                "day" => ("day", lang.day(raw, "date-short")),
                "total_cents" => ("total", lang.money(raw.parse().unwrap_or(0), currency)),
                "reason" => ("reason", crate::orders::model::fail_reason_in(lang, raw)),
                other => (other, raw.to_string()),
            };
            (name, FluentValue::from(text))
        })
        .collect();
    lang.t_with(&format!("alert-{kind}"), &shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_are_worded_in_the_readers_language() {
        let en = Lang::english();
        let es = Lang::parse("es").unwrap();
        let args = r#"{"number":"1042","name":"Ana Ruiz","day":"2026-12-04","total_cents":"2180"}"#;
        assert_eq!(
            word(&en, "new_order", args, "EUR"),
            "New order #1042 from Ana Ruiz for Fri 4 Dec: €21.80"
        );
        assert_eq!(
            word(&es, "new_order", args, "EUR"),
            "Pedido nuevo n.º 1042 de Ana Ruiz para el vie 4 dic: 21,80 €"
        );
        let failed =
            r#"{"number":"7","name":"Ana","day":"2026-12-04","reason":"Nobody home: rang twice"}"#;
        assert_eq!(
            word(&es, "failed", failed, "EUR"),
            "No se pudo entregar el pedido n.º 7 a Ana: No había nadie: rang twice"
        );
        let cancelled = r#"{"number":"7","name":"Ana","day":"2026-12-04","reason":""}"#;
        assert_eq!(
            word(&en, "cancelled", cancelled, "EUR"),
            "Order #7 (Ana, Fri 4 Dec) was cancelled: no reason given"
        );
        let full = r#"{"district":"Chamberí","day":"2026-12-04","booked":"18","capacity":"20"}"#;
        assert_eq!(
            word(&en, "nearly_full", full, "EUR"),
            "Chamberí on Fri 4 Dec is nearly full: 18 of 20 stops booked"
        );
        let low = r#"{"name":"Rye flour","left":"4 kg","level":"5 kg"}"#;
        assert_eq!(
            word(&en, "low_stock", low, "EUR"),
            "Rye flour is running low: 4 kg left (reorder level 5 kg)"
        );
    }
}
