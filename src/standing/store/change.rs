//! Changing a standing order: pause, resume, skip a date, book it again, change its items, end.
//! The visits' orders are cancelled or re-itemed by the order core in the same transaction.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use crate::error::AppError;
use crate::orders::core::{apply_in, Actor, Command, Core};
use crate::orders::model::OrderChange;
use crate::server::config::Config;
use crate::standing::model::{on_pattern, pattern_label, patterns_from_text, Pattern};

/// A change to a standing order.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// No visits from tomorrow until `until` (None: until resumed); the visits already created
    /// in that time are cancelled while still before baking.
    Pause {
        until: Option<NaiveDate>,
    },
    Resume,
    /// No visit on this date (its order, if created, is cancelled).
    Skip(NaiveDate),
    Unskip(NaiveDate),
    /// No more visits; those created ahead are cancelled while still before baking.
    End,
    /// New items `(sku, quantity)` from tomorrow: the visits already created get them through
    /// the order core while still before baking (prices, capacity and minimum checked there).
    Items(Vec<(String, i64)>),
    /// New days, place or window from tomorrow (checked by the caller as a new standing
    /// order's are): visits off the new days are cancelled, the others moved or re-timed
    /// through the order core, the new days booked.
    Terms(super::Terms),
}

/// What a change did: the orders it cancelled, and those it had to leave (already baking).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changed {
    pub cancelled: Vec<i64>,
    /// Orders whose items changed.
    pub edited: Vec<i64>,
    pub kept: Vec<String>,
    /// Deliveries booked after the change (new days), and those refused (the date and why).
    pub booked: usize,
    pub refused: Vec<String>,
    /// For the open boards, after commit.
    pub(super) events: Vec<OrderChange>,
}

/// A day as its reader writes it short: "Tue 8 Dec", "mar 8 dic".
pub fn day_label(d: NaiveDate) -> String {
    crate::i18n::reader().day(&d.to_string(), "date-short")
}

/// "#1042 for Tue 8 Dec is already baking and stays." in the reader's language.
pub(super) fn kept(number: i64, day: &str, status: &str, today: NaiveDate) -> String {
    let status = crate::orders::model::OrderStatus::parse(status)
        .map(|s| s.in_refusal())
        .unwrap_or_else(|_| status.replace('_', " "));
    crate::said::said_with(
        "standing-kept",
        &[
            ("number", &number),
            ("day", &day_label(day.parse().unwrap_or(today))),
            ("status", &status),
        ],
    )
}

/// A change under way, inside its write transaction.
pub(super) struct Doing<'a> {
    pub(super) conn: &'a mut SqliteConnection,
    pub(super) config: &'a Config,
    pub(super) actor: &'a Actor,
    pub(super) id: i64,
    status: String,
    patterns: Vec<Pattern>,
    starts_on: String,
    ends_on: Option<String>,
    pub(super) today: NaiveDate,
    pub(super) now: String,
    pub(super) done: Changed,
}

impl Doing<'_> {
    pub(super) fn tomorrow(&self) -> NaiveDate {
        self.today + chrono::Duration::days(1)
    }

    /// Cancels the visits booked in `[from, to]` (None: onwards) through the order core, while
    /// their orders are still before baking; their visit rows go, so that resuming or
    /// unskipping creates them again.
    pub(super) async fn cancel_visits(
        &mut self,
        (from, to): (NaiveDate, Option<NaiveDate>),
        reason: &str,
    ) -> Result<(), AppError> {
        let id = self.id;
        let (from_s, to_s) = (
            from.to_string(),
            to.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string()),
        );
        let rows = sqlx::query!(
            r#"SELECT v.day, o.id AS "order_id!", o.number, o.status, o.fulfil_on
               FROM standing_order_visits v JOIN orders o ON o.id = v.order_id
               WHERE v.standing_order_id = ? AND v.day BETWEEN ? AND ? AND o.status != 'cancelled'"#,
            id,
            from_s,
            to_s
        )
        .fetch_all(&mut *self.conn)
        .await?;
        for r in rows {
            if !matches!(r.status.as_str(), "received" | "confirmed") {
                self.done
                    .kept
                    .push(kept(r.number, &r.fulfil_on, &r.status, self.today));
                continue;
            }
            let command = Command::Cancel {
                reason: reason.to_string(),
            };
            let applied = apply_in(
                &mut *self.conn,
                self.config,
                self.actor,
                r.order_id,
                None,
                command,
            )
            .await?;
            self.done.events.push(applied.change);
            sqlx::query!(
                "DELETE FROM standing_order_visits WHERE standing_order_id = ? AND day = ?",
                id,
                r.day
            )
            .execute(&mut *self.conn)
            .await?;
            self.done.cancelled.push(r.number);
        }
        Ok(())
    }

    async fn pause(&mut self, until: Option<NaiveDate>) -> Result<(), AppError> {
        let tomorrow = self.tomorrow();
        if until.is_some_and(|u| u <= tomorrow) {
            return Err(AppError::invalid(
                "until",
                crate::said::said_with("refuse-pause-until", &[("day", &tomorrow)]),
            ));
        }
        let last = until.map(|u| u - chrono::Duration::days(1));
        let reason = crate::orders::history::make::paused(until);
        self.cancel_visits((tomorrow, last), &reason).await?;
        let until_s = until.map(|u| u.to_string());
        sqlx::query!(
            "UPDATE standing_orders SET status = 'paused', paused_until = ?, version = version + 1, updated_at = ? WHERE id = ?",
            until_s,
            self.now,
            self.id
        )
        .execute(&mut *self.conn)
        .await?;
        Ok(())
    }

    async fn resume(&mut self) -> Result<(), AppError> {
        if self.status != "paused" {
            return Err(AppError::Conflict(crate::said::said_with(
                "refuse-not-paused",
                &[("id", &self.id)],
            )));
        }
        sqlx::query!(
            "UPDATE standing_orders SET status = 'active', paused_until = NULL, version = version + 1, updated_at = ? WHERE id = ?",
            self.now,
            self.id
        )
        .execute(&mut *self.conn)
        .await?;
        Ok(())
    }

    async fn skip(&mut self, d: NaiveDate) -> Result<(), AppError> {
        let id = self.id;
        if d <= self.today {
            return Err(AppError::invalid(
                "date",
                crate::said::said_with("refuse-skip-ahead", &[("day", &d)]),
            ));
        }
        let ds = d.to_string();
        let booked = sqlx::query_scalar!(
            "SELECT COUNT(*) FROM standing_order_visits WHERE standing_order_id = ? AND day = ?",
            id,
            ds
        )
        .fetch_one(&mut *self.conn)
        .await?
            > 0;
        let in_range = ds.as_str() >= self.starts_on.as_str()
            && self.ends_on.as_deref().is_none_or(|e| ds.as_str() <= e);
        let first = self.patterns.first().copied();
        let on_days = first.is_some_and(|p| on_pattern(p, d));
        if !(booked || in_range && on_days) {
            return Err(AppError::invalid(
                "date",
                crate::said::said_with(
                    "refuse-skip-days",
                    &[
                        ("day", &day_label(d)),
                        ("days", &first.map(pattern_label).unwrap_or_default()),
                    ],
                ),
            ));
        }
        let reason = crate::orders::history::make::skipped(d, id);
        self.cancel_visits((d, Some(d)), &reason).await?;
        if let Some(k) = self.done.kept.first() {
            return Err(AppError::Conflict(crate::said::said_with(
                "refuse-skip-late",
                &[("why", &k)],
            )));
        }
        sqlx::query!(
            "INSERT INTO standing_order_skips (standing_order_id, day, created_at) VALUES (?, ?, ?)
             ON CONFLICT DO NOTHING",
            id,
            ds,
            self.now
        )
        .execute(&mut *self.conn)
        .await?;
        // A refusal recorded for that date no longer matters.
        sqlx::query!(
            "DELETE FROM standing_order_visits WHERE standing_order_id = ? AND day = ? AND order_id IS NULL",
            id,
            ds
        )
        .execute(&mut *self.conn)
        .await?;
        Ok(())
    }

    async fn unskip(&mut self, day: NaiveDate) -> Result<(), AppError> {
        let ds = day.to_string();
        let n = sqlx::query!(
            "DELETE FROM standing_order_skips WHERE standing_order_id = ? AND day = ?",
            self.id,
            ds
        )
        .execute(&mut *self.conn)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(AppError::invalid(
                "date",
                crate::said::said_with("refuse-not-skipped", &[("day", &day_label(day))]),
            ));
        }
        Ok(())
    }

    async fn end(&mut self) -> Result<(), AppError> {
        self.cancel_visits((self.tomorrow(), None), "Standing order ended")
            .await?;
        let ends = self.today.to_string();
        sqlx::query!(
            "UPDATE standing_orders SET status = 'ended', ends_on = MIN(COALESCE(ends_on, ?), ?), version = version + 1, updated_at = ? WHERE id = ?",
            ends,
            ends,
            self.now,
            self.id
        )
        .execute(&mut *self.conn)
        .await?;
        Ok(())
    }
}

/// Applies `change` to standing order `id` in one transaction; the visits' orders are
/// cancelled by the order core in it. Resuming and unskipping create the visits due at once.
pub async fn apply(
    core: &Core,
    actor: &Actor,
    id: i64,
    change: Change,
) -> Result<Changed, AppError> {
    let mut tx = crate::server::db::begin_write(&core.pool).await?;
    let h = sqlx::query!(
        "SELECT status, patterns, starts_on, ends_on FROM standing_orders WHERE id = ?",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| crate::standing::model::unknown(id))?;
    if h.status == "ended" {
        return Err(AppError::Conflict(crate::said::said_with(
            "refuse-standing-ended",
            &[("id", &id)],
        )));
    }
    let mut doing = Doing {
        conn: &mut tx,
        config: &core.config,
        actor,
        id,
        status: h.status,
        patterns: patterns_from_text(&h.patterns),
        starts_on: h.starts_on,
        ends_on: h.ends_on,
        today: core.config.today(),
        now: crate::server::db::now(),
        done: Changed::default(),
    };
    let action = match &change {
        Change::Pause { until } => doing.pause(*until).await.map(|_| "standing.paused"),
        Change::Resume => doing.resume().await.map(|_| "standing.resumed"),
        Change::Skip(d) => doing.skip(*d).await.map(|_| "standing.skipped"),
        Change::Unskip(d) => doing.unskip(*d).await.map(|_| "standing.unskipped"),
        Change::End => doing.end().await.map(|_| "standing.ended"),
        Change::Items(lines) => doing.items(lines).await.map(|_| "standing.items"),
        Change::Terms(terms) => doing.terms(terms).await.map(|_| "standing.terms"),
    }?;
    let mut done = std::mem::take(&mut doing.done);
    crate::audit::record(
        &mut *tx,
        &crate::audit::Who {
            id: actor.user_id,
            name: actor.name.clone(),
        },
        action,
        &format!("Standing order S-{id}"),
        serde_json::json!({"change": format!("{change:?}"), "cancelled": done.cancelled, "edited": done.edited, "kept": done.kept}),
    )
    .await?;
    tx.commit().await?;
    core.announce(std::mem::take(&mut done.events));
    if matches!(
        change,
        Change::Resume | Change::Unskip(_) | Change::Terms(_)
    ) {
        let pass = crate::standing::ahead::make(core, Some(id)).await?;
        done.booked = pass.created.len();
        done.refused = pass.refused.into_iter().map(|(_, _, why)| why).collect();
    }
    Ok(done)
}
