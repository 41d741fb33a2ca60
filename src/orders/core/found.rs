//! The order as a change finds it: loaded once, inside the change's transaction.
use sqlx::SqliteConnection;

use crate::error::AppError;
use crate::orders::model::{Fulfilment, OrderStatus};

pub(super) struct Found {
    pub id: i64,
    pub number: i64,
    pub customer_id: i64,
    /// The promotion code the order used, as stored.
    pub promo_code: Option<String>,
    pub version: i64,
    pub status: OrderStatus,
    pub fulfilment: Fulfilment,
    pub fulfil_on: String,
    pub flexible: Option<(String, String)>,
    pub address: Option<String>,
    pub pin: Option<(f64, f64)>,
    pub district_id: Option<i64>,
    pub district_name: Option<String>,
    pub paid: bool,
    pub subtotal_cents: i64,
    pub delivery_fee_cents: i64,
    /// Promotions' discount, kept as an amount when the order is edited.
    pub discount_cents: i64,
    pub window: Option<(String, String)>,
    pub notes: Option<String>,
    /// A standing order's visit: the weekday patterns its customer accepts (stored text).
    pub standing_patterns: Option<String>,
}

impl Found {
    /// `NotFound`, or `Conflict` naming who changed it since `version` (when one is given).
    pub async fn load(
        conn: &mut SqliteConnection,
        order_id: i64,
        version: Option<i64>,
    ) -> Result<Found, AppError> {
        let r = sqlx::query!(
            r#"SELECT o.number, o.customer_id, o.promo_code, o.version, o.status, o.fulfilment, o.fulfil_on, o.flex_from, o.flex_to,
                      o.address, o.lat, o.lng, o.district_id, d.name AS "district?", o.paid AS "paid: bool",
                      o.subtotal_cents, o.delivery_fee_cents, o.discount_cents, o.window_from, o.window_to, o.notes,
                      (SELECT u.name FROM order_events e JOIN users u ON u.id = e.actor_user_id
                       WHERE e.order_id = o.id ORDER BY e.id DESC LIMIT 1) AS "last_by?: String",
                      (SELECT s.patterns FROM standing_orders s WHERE s.id = o.standing_order_id) AS "standing_patterns?: String"
               FROM orders o LEFT JOIN districts d ON d.id = o.district_id WHERE o.id = ?"#,
            order_id
        )
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-order")))?;
        let status = OrderStatus::parse(&r.status)
            .map_err(|_| AppError::internal("orders.status", &r.status))?;
        if version.is_some_and(|v| v != r.version) {
            let who = r
                .last_by
                .unwrap_or_else(|| crate::said::said("refuse-someone-else"));
            return Err(AppError::Conflict(crate::said::said_with(
                "refuse-changed-meanwhile",
                &[
                    ("number", &r.number),
                    ("who", &who),
                    ("status", &status.in_refusal()),
                ],
            )));
        }
        Ok(Found {
            id: order_id,
            number: r.number,
            customer_id: r.customer_id,
            promo_code: r.promo_code,
            version: r.version,
            status,
            fulfilment: Fulfilment::parse(&r.fulfilment)
                .map_err(|_| AppError::internal("orders.fulfilment", &r.fulfilment))?,
            fulfil_on: r.fulfil_on,
            flexible: r.flex_from.zip(r.flex_to),
            address: r.address,
            pin: r.lat.zip(r.lng),
            district_id: r.district_id,
            district_name: r.district,
            paid: r.paid,
            subtotal_cents: r.subtotal_cents,
            delivery_fee_cents: r.delivery_fee_cents,
            discount_cents: r.discount_cents,
            window: r.window_from.zip(r.window_to),
            notes: r.notes,
            standing_patterns: r.standing_patterns,
        })
    }

    /// What the customer pays for `subtotal` and `fee`, after the order's discount.
    pub fn total(&self, subtotal: i64, fee: i64) -> i64 {
        crate::orders::model::total_cents(subtotal, fee, self.discount_cents)
    }

    pub fn day(&self) -> Result<chrono::NaiveDate, AppError> {
        crate::orders::model::parse_day(&self.fulfil_on, "date")
    }

    /// The order's lines as capacity sees them.
    pub async fn lines(
        &self,
        conn: &mut SqliteConnection,
    ) -> Result<Vec<super::capacity::Line>, AppError> {
        let rows = sqlx::query!(
            r#"SELECT i.product_id, p.name, i.quantity, p.daily_capacity, p.offered_weekdays, p.lead_days
               FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id"#,
            self.id
        )
        .fetch_all(conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| super::capacity::Line {
                product_id: r.product_id,
                name: r.name,
                quantity: r.quantity,
                capacity: r.daily_capacity,
                offered: r.offered_weekdays,
                lead_days: r.lead_days,
            })
            .collect())
    }
}
