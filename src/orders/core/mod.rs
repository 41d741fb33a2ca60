//! The order core: the one writer of `orders` and `order_items`.
//!
//! Every change to an order, from any page or API (board move, drawer edit, day assignment,
//! suggestions, pinning, district redraw, driver outcome, cancellation, payment, creation), is a
//! [`Command`] applied here. `apply` loads the order once, checks the command's rule (the pure
//! functions in [`rules`] and [`capacity`]), writes the change, bumps the version, writes one
//! history line and the webhook and email outbox rows, all in one `BEGIN IMMEDIATE`
//! transaction; the live event goes out after commit. Entry points ask; they do not write.
//!
//! A test (`tests/one_writer.rs`) fails if SQL writing `orders` or `order_items` appears
//! anywhere else in `src/`.
#[cfg(feature = "ssr")]
pub mod booking;
pub mod calendar;
pub mod capacity;
pub mod pantry;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod as_written;
#[cfg(feature = "ssr")]
mod create;
#[cfg(feature = "ssr")]
mod discount;
#[cfg(feature = "ssr")]
mod edit;
#[cfg(feature = "ssr")]
mod found;
#[cfg(feature = "ssr")]
mod items;
#[cfg(feature = "ssr")]
mod line;
#[cfg(feature = "ssr")]
mod status;
#[cfg(feature = "ssr")]
mod undiscount;

#[cfg(feature = "ssr")]
pub use create::{create, Contact, Created, NewLine, NewOrder};
#[cfg(feature = "ssr")]
pub use engine::*;

/// Who asks for a change: a signed-in person, or Hearth itself (`user_id` None).
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn user(id: i64, name: &str) -> Actor {
        Actor {
            user_id: Some(id),
            name: name.to_string(),
        }
    }

    /// Hearth acting on its own (e.g. districts redrawn by the owner move orders).
    pub fn hearth(on_behalf_of: Option<i64>) -> Actor {
        Actor {
            user_id: on_behalf_of,
            name: "Hearth".into(),
        }
    }
}

/// What happened at the door, as the driver reported it.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub to: crate::orders::model::OrderStatus,
    /// The cash collected covers the total.
    pub paid: bool,
    /// A failed attempt (recorded even when the status does not change).
    pub failed: bool,
    pub detail: Option<String>,
}

/// One change to one order.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A board move to another stage.
    Move(crate::orders::model::OrderStatus),
    Cancel {
        reason: String,
    },
    MarkPaid,
    EditDetails {
        window: Option<(String, String)>,
        notes: Option<String>,
    },
    /// New item lines `(sku, quantity)`.
    EditItems(Vec<(String, i64)>),
    /// A new address and/or door pin; the district follows the pin.
    SetPlace {
        address: Option<String>,
        pin: Option<(f64, f64)>,
    },
    /// Another delivery day in the order's district; `why` ends the history line. A
    /// suggested plan moves only orders whose customer left a range of days open.
    ChangeDay {
        day: chrono::NaiveDate,
        why: Option<String>,
        consented_only: bool,
    },
    /// The district boundaries changed: the order's pin is now in `district` (or none).
    Relocate {
        district: Option<(i64, String)>,
    },
    /// A driver's report from the door.
    Outcome(Outcome),
    /// The customer's personal data leaves a finished order (a GDPR erasure): address, pin,
    /// notes, item notes, the delivery photo and the messages about it; totals, tax, items,
    /// day and district stay for the accounts.
    Anonymise,
    /// Two customer records were the same person: the order moves to `customer_id` (named
    /// `name` in the history line).
    ChangeCustomer {
        customer_id: i64,
        name: String,
    },
    /// A discount added to an order already placed (from its drawer).
    Discount(Discount),
}

/// What `Command::Discount` adds or takes off.
#[derive(Clone, Debug, PartialEq)]
pub enum Discount {
    /// A promotion code, checked like the storefront checks one (the order has none yet).
    Code(String),
    /// Loyalty points to spend (the order has spent none yet).
    Points(i64),
    /// The order's code comes off (with its free item, if it gave one): the code counts as
    /// unused again.
    RemoveCode,
    /// The points the order spent go back to the customer.
    RemovePoints,
    /// The referral code of the customer who brought this one (the order is their first):
    /// both get the reward when it is delivered, as when given on the website.
    Referral(String),
}

#[cfg(feature = "ssr")]
mod engine {
    use sqlx::{SqliteConnection, SqlitePool};

    use super::found::Found;
    use super::{Actor, Command};
    use crate::error::AppError;
    use crate::orders::model::{first_name, OrderChange, OrderStatus};
    use crate::server::config::Config;
    use crate::server::state::AppState;

    /// What an applied command did.
    #[derive(Clone, Debug)]
    pub struct Applied {
        pub change: OrderChange,
        pub from_day: String,
        pub to_day: String,
        /// The door pin moved: a run holding the stop should be re-timed (by the caller).
        pub pin_moved: bool,
        /// The order's district after the change.
        pub district: Option<String>,
    }

    /// What a command's writer hands back for the history line and the outbox.
    pub(super) struct Written {
        pub kind: &'static str,
        pub to: OrderStatus,
        pub detail: Option<String>,
        /// The webhook and email event, when the customer hears of this change.
        pub notify: Option<&'static str>,
        pub to_day: Option<String>,
        pub pin_moved: bool,
        pub district: Option<Option<String>>,
        /// What the append-only audit log keeps instead of `detail`, when `detail` holds the
        /// customer's personal data (an address), which an erasure must be able to remove.
        pub audit_detail: Option<String>,
    }

    impl Written {
        pub fn edit(detail: String, to: OrderStatus) -> Written {
            Written {
                kind: "edited",
                to,
                detail: Some(detail),
                notify: Some("order.updated"),
                to_day: None,
                pin_moved: false,
                district: None,
                audit_detail: None,
            }
        }
    }

    /// The core's handle: the database, the settings and the live-event channel.
    #[derive(Clone)]
    pub struct Core {
        pub pool: SqlitePool,
        pub config: std::sync::Arc<Config>,
        events: tokio::sync::broadcast::Sender<OrderChange>,
    }

    impl Core {
        pub fn of(state: &AppState) -> Core {
            Core {
                pool: state.pool.clone(),
                config: state.config.clone(),
                events: state.events.clone(),
            }
        }

        /// A core whose changes no open page hears of (the demo seed, before the server runs).
        pub fn unheard(pool: SqlitePool, config: std::sync::Arc<Config>) -> Core {
            Core {
                pool,
                config,
                events: tokio::sync::broadcast::channel(1).0,
            }
        }

        /// Applies `command` to order `order_id` (checked to still be at `version` when given)
        /// in its own write transaction, then tells every open board.
        pub async fn apply(
            &self,
            actor: &Actor,
            order_id: i64,
            version: Option<i64>,
            command: Command,
        ) -> Result<Applied, AppError> {
            let mut all = self
                .apply_all(actor, vec![(order_id, version, command)])
                .await?;
            all.pop()
                .ok_or_else(|| AppError::internal("order core", "no change applied"))
        }

        /// Applies every change or none (one transaction): a refusal names the order.
        pub async fn apply_all(
            &self,
            actor: &Actor,
            changes: Vec<(i64, Option<i64>, Command)>,
        ) -> Result<Vec<Applied>, AppError> {
            let mut tx = crate::server::db::begin_write(&self.pool).await?;
            let mut done = Vec::with_capacity(changes.len());
            for (order_id, version, command) in changes {
                done.push(
                    apply_in(&mut tx, &self.config, actor, order_id, version, command).await?,
                );
            }
            tx.commit().await?;
            self.announce(done.iter().map(|a| a.change.clone()));
            Ok(done)
        }

        /// Tells every open board and tracker (after commit).
        pub fn announce(&self, changes: impl IntoIterator<Item = OrderChange>) {
            for c in changes {
                let _ = self.events.send(c);
            }
        }
    }

    /// Applies `command` inside the caller's write transaction (for callers that write their
    /// own rows in the same transaction: the driver's report, a district redraw). The caller
    /// commits and announces.
    pub async fn apply_in(
        conn: &mut SqliteConnection,
        config: &Config,
        actor: &Actor,
        order_id: i64,
        version: Option<i64>,
        command: Command,
    ) -> Result<Applied, AppError> {
        let found = Found::load(conn, order_id, version).await?;
        let today = config.today();
        let written = match command {
            Command::Move(to) => super::status::move_to(conn, &found, to, today).await?,
            Command::Cancel { reason } => {
                super::status::cancel(conn, &found, &reason, today).await?
            }
            Command::MarkPaid => super::status::mark_paid(conn, &found).await?,
            Command::Outcome(o) => super::status::outcome(conn, &found, &o, today).await?,
            Command::EditDetails { window, notes } => {
                super::edit::details(conn, &found, window, notes).await?
            }
            Command::EditItems(lines) => super::items::items(conn, config, &found, &lines).await?,
            Command::SetPlace { address, pin } => {
                super::edit::place(conn, config, &found, address, pin).await?
            }
            Command::ChangeDay {
                day,
                why,
                consented_only,
            } => super::edit::day(conn, config, &found, day, why, consented_only).await?,
            Command::Relocate { district } => super::edit::relocate(conn, &found, district).await?,
            Command::Anonymise => super::edit::anonymise(conn, &found).await?,
            Command::ChangeCustomer { customer_id, name } => {
                super::edit::customer(conn, &found, customer_id, &name).await?
            }
            Command::Discount(d) => super::discount::discount(conn, config, &found, &d).await?,
        };
        finish(conn, actor, found, written).await
    }

    /// `Command::Relocate` inside the caller's transaction, for a district redraw (which
    /// needs no settings).
    pub async fn relocate_in(
        conn: &mut SqliteConnection,
        actor: &Actor,
        order_id: i64,
        district: Option<(i64, String)>,
    ) -> Result<Applied, AppError> {
        let found = Found::load(conn, order_id, None).await?;
        let written = super::edit::relocate(conn, &found, district).await?;
        finish(conn, actor, found, written).await
    }

    /// What every change ends with: the version, the history line, the outbox rows.
    async fn finish(
        conn: &mut SqliteConnection,
        actor: &Actor,
        found: Found,
        written: Written,
    ) -> Result<Applied, AppError> {
        let order_id = found.id;
        let now = crate::server::db::now();
        sqlx::query!(
            "UPDATE orders SET version = version + 1, updated_at = ? WHERE id = ?",
            now,
            order_id
        )
        .execute(&mut *conn)
        .await?;
        history_line(&mut *conn, actor, &found, &written, &now).await?;
        if let Some(event) = written.notify {
            crate::orders::notify::enqueue(&mut *conn, order_id, event).await?;
        }
        crate::alerts::store::raise_changed(
            &mut *conn,
            order_id,
            written.kind,
            written.detail.as_deref(),
            written.to_day.is_some(),
            actor.user_id,
        )
        .await?;
        audit_change(&mut *conn, actor, &found, &written).await?;
        Ok(Applied {
            change: OrderChange {
                order_id,
                number: found.number,
                from: found.status,
                status: written.to,
                version: found.version + 1,
                by: first_name(&actor.name),
            },
            to_day: written.to_day.unwrap_or_else(|| found.fulfil_on.clone()),
            from_day: found.fulfil_on,
            pin_moved: written.pin_moved,
            district: written.district.unwrap_or(found.district_name),
        })
    }

    /// The change's line in the order's history (a status line names both statuses).
    async fn history_line(
        conn: &mut SqliteConnection,
        actor: &Actor,
        found: &Found,
        written: &Written,
        now: &str,
    ) -> Result<(), AppError> {
        let status_line = written.kind != "edited" && written.kind != "paid";
        let (from_col, to_col) = if status_line {
            (Some(found.status.as_str()), Some(written.to.as_str()))
        } else {
            (None, None)
        };
        sqlx::query!(
            "INSERT INTO order_events (order_id, actor_user_id, kind, from_status, to_status, detail, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            found.id,
            actor.user_id,
            written.kind,
            from_col,
            to_col,
            written.detail,
            now
        )
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// The change in the audit log: status, day and version before and after.
    async fn audit_change(
        conn: &mut SqliteConnection,
        actor: &Actor,
        found: &Found,
        written: &Written,
    ) -> Result<(), AppError> {
        let to_day = written.to_day.as_ref().unwrap_or(&found.fulfil_on);
        crate::audit::record(
            &mut *conn,
            &crate::audit::Who {
                id: actor.user_id,
                name: actor.name.clone(),
            },
            &format!("order.{}", written.kind),
            &format!("Order #{}", found.number),
            serde_json::json!({
                "before": {"status": found.status.as_str(), "day": found.fulfil_on, "version": found.version},
                "after": {"status": written.to.as_str(), "day": to_day, "version": found.version + 1},
                "detail": written.audit_detail.as_ref().or(written.detail.as_ref()),
            }),
        )
        .await?;
        Ok(())
    }
}
