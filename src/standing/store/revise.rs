//! Changing what a standing order delivers from tomorrow: its items, or its terms (days,
//! place, window). The deliveries already created follow through the order core in the same
//! transaction; one the core refuses refuses the whole change.
use chrono::NaiveDate;

use super::change::{kept, Doing};
use super::Terms;
use crate::error::AppError;
use crate::orders::core::{apply_in, Command};
use crate::standing::model::{on_pattern, patterns_to_text};

impl Doing<'_> {
    /// Each line's product id, checked: on the menu, 1 to 99 of it, at least one line.
    async fn products_of(
        &mut self,
        lines: &[(String, i64)],
    ) -> Result<Vec<(Option<i64>, i64)>, AppError> {
        let refuse = |key: &str, args: &[(&str, &dyn std::fmt::Display)]| {
            let why = crate::said::said_with(key, args);
            AppError::invalid("items", format!("items: {why}"))
        };
        if lines.is_empty() {
            return Err(refuse("refuse-standing-no-items", &[]));
        }
        let mut products = Vec::with_capacity(lines.len());
        for (sku, quantity) in lines {
            let id =
                sqlx::query_scalar!("SELECT id FROM products WHERE sku = ? AND active = 1", sku)
                    .fetch_optional(&mut *self.conn)
                    .await?
                    .ok_or_else(|| refuse("refuse-standing-sku", &[("sku", sku)]))?;
            if !(1..=99).contains(quantity) {
                return Err(refuse("refuse-standing-quantity", &[("sku", sku)]));
            }
            products.push((id, *quantity));
        }
        Ok(products)
    }

    /// New items from tomorrow: every delivery already created gets them through the order
    /// core while not yet baking (one that has them already, in any order, is left alone).
    pub(super) async fn items(&mut self, lines: &[(String, i64)]) -> Result<(), AppError> {
        let products = self.products_of(lines).await?;
        sqlx::query!(
            "DELETE FROM standing_order_items WHERE standing_order_id = ?",
            self.id
        )
        .execute(&mut *self.conn)
        .await?;
        for (position, (product, quantity)) in products.iter().enumerate() {
            let position = position as i64;
            sqlx::query!(
                "INSERT INTO standing_order_items (standing_order_id, product_id, quantity, position) VALUES (?, ?, ?, ?)",
                self.id,
                product,
                quantity,
                position
            )
            .execute(&mut *self.conn)
            .await?;
        }
        let from = self.tomorrow().to_string();
        let visits = sqlx::query!(
            r#"SELECT o.id AS "order_id!", o.number, o.status, o.fulfil_on
               FROM standing_order_visits v JOIN orders o ON o.id = v.order_id
               WHERE v.standing_order_id = ? AND v.day >= ? AND o.status != 'cancelled' ORDER BY v.day"#,
            self.id,
            from
        )
        .fetch_all(&mut *self.conn)
        .await?;
        let mut wanted = lines.to_vec();
        wanted.sort();
        for v in visits {
            // A delivery that already has these items (in any order) is left alone.
            let mut has: Vec<(String, i64)> = sqlx::query!(
                "SELECT p.sku, i.quantity FROM order_items i JOIN products p ON p.id = i.product_id
                 WHERE i.order_id = ?",
                v.order_id
            )
            .fetch_all(&mut *self.conn)
            .await?
            .into_iter()
            .map(|l| (l.sku, l.quantity))
            .collect();
            has.sort();
            if has == wanted {
                continue;
            }
            if !matches!(v.status.as_str(), "received" | "confirmed") {
                self.done.kept.push(super::change::kept(
                    v.number,
                    &v.fulfil_on,
                    &v.status,
                    self.today,
                ));
                continue;
            }
            let command = Command::EditItems(lines.to_vec());
            let applied = apply_in(
                &mut *self.conn,
                self.config,
                self.actor,
                v.order_id,
                None,
                command,
            )
            .await?;
            self.done.events.push(applied.change);
            self.done.edited.push(v.number);
        }
        sqlx::query!(
            "UPDATE standing_orders SET version = version + 1, updated_at = ? WHERE id = ?",
            self.now,
            self.id
        )
        .execute(&mut *self.conn)
        .await?;
        Ok(())
    }

    /// Applies `command` to a delivery through the order core; a refusal names the delivery's
    /// date (and refuses the whole change).
    async fn follow(
        &mut self,
        order_id: i64,
        day: NaiveDate,
        command: Command,
    ) -> Result<(), AppError> {
        let dated = |message: String| format!("{}: {message}", super::day_label(day));
        let applied = apply_in(
            &mut *self.conn,
            self.config,
            self.actor,
            order_id,
            None,
            command,
        )
        .await
        .map_err(|e| match e {
            AppError::Validation { field, message } => AppError::Validation {
                field: if field == "lat" {
                    "fulfilment.lat".into()
                } else {
                    field
                },
                message: dated(message),
            },
            AppError::Conflict(message) => AppError::Conflict(dated(message)),
            other => other,
        })?;
        self.done.events.push(applied.change);
        Ok(())
    }

    /// New days, place or window from tomorrow. A delivery no longer on the booked days (or
    /// moved to a day no pattern accepts) is cancelled; one that stays gets the new place and
    /// window through the order core; a refusal (its date named) refuses the whole change.
    /// Deliveries already baking stay as they were. Refused visits are forgotten so that the
    /// next pass tries them on the new terms.
    pub(super) async fn terms(&mut self, t: &Terms) -> Result<(), AppError> {
        let booked = t.patterns.first().copied().unwrap_or(0);
        let accepted = t.patterns.iter().fold(0, |a, &p| a | p);
        let (id, from) = (self.id, self.tomorrow().to_string());
        let visits = sqlx::query!(
            r#"SELECT v.day, o.id AS "order_id!", o.number, o.status, o.fulfil_on, o.address, o.lat, o.lng,
                      o.window_from, o.window_to, o.notes
               FROM standing_order_visits v JOIN orders o ON o.id = v.order_id
               WHERE v.standing_order_id = ? AND v.day >= ? AND o.status != 'cancelled' ORDER BY v.day"#,
            id,
            from
        )
        .fetch_all(&mut *self.conn)
        .await?;
        for v in visits {
            let day: NaiveDate = v.day.parse().unwrap_or(self.today);
            let on: NaiveDate = v.fulfil_on.parse().unwrap_or(day);
            if !(on_pattern(booked, day) && on_pattern(accepted, on)) {
                let reason = format!("Standing order S-{id} no longer delivers on {on}");
                self.cancel_visits((day, Some(day)), &reason).await?;
                continue;
            }
            let place = t.address != v.address || t.pin != v.lat.zip(v.lng);
            let window = t.window != v.window_from.zip(v.window_to);
            if !place && !window {
                continue;
            }
            if !matches!(v.status.as_str(), "received" | "confirmed") {
                let k = kept(v.number, &v.fulfil_on, &v.status, self.today);
                self.done.kept.push(k);
                continue;
            }
            if place {
                let command = Command::SetPlace {
                    address: t.address.clone(),
                    pin: t.pin,
                };
                self.follow(v.order_id, on, command).await?;
            }
            if window {
                let command = Command::EditDetails {
                    window: t.window.clone(),
                    notes: v.notes,
                };
                self.follow(v.order_id, on, command).await?;
            }
            self.done.edited.push(v.number);
        }
        sqlx::query!(
            "DELETE FROM standing_order_visits WHERE standing_order_id = ? AND day >= ? AND order_id IS NULL",
            id,
            from
        )
        .execute(&mut *self.conn)
        .await?;
        let patterns = patterns_to_text(&t.patterns);
        let (lat, lng) = t.pin.unzip();
        let (wf, wt) = t.window.clone().unzip();
        sqlx::query!(
            "UPDATE standing_orders SET visits_per_week = ?, patterns = ?, address = ?, lat = ?, lng = ?, window_from = ?,
                                        window_to = ?, version = version + 1, updated_at = ?
             WHERE id = ?",
            t.per_week,
            patterns,
            t.address,
            lat,
            lng,
            wf,
            wt,
            self.now,
            id
        )
        .execute(&mut *self.conn)
        .await?;
        Ok(())
    }
}
