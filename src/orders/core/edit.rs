//! Edits: window and notes, items, place (address and pin), day, and the district that a
//! boundary redraw gives an order. Each checks its rule before writing anything, so a refusal
//! leaves the order as it was.
use chrono::{Datelike, NaiveDate};
use sqlx::SqliteConnection;

use super::capacity::{self, Booked, Line};
use super::engine::Written;
use super::found::Found;
use super::rules;
use crate::error::AppError;
use crate::orders::history::make as line;
use crate::said::{said, said_with};
use crate::server::config::Config;

pub(super) async fn details(
    conn: &mut SqliteConnection,
    f: &Found,
    window: Option<(String, String)>,
    notes: Option<String>,
) -> Result<Written, AppError> {
    if f.status.is_closed() {
        return Err(AppError::invalid(
            "status",
            said_with("refuse-edit-closed", &[("status", &f.status.in_refusal())]),
        ));
    }
    let mut changes = Vec::new();
    if window != f.window {
        changes.push(line::window(&f.window, &window));
    }
    if notes != f.notes {
        changes.push(line::notes());
    }
    if changes.is_empty() {
        return Err(AppError::invalid(
            "window",
            said("refuse-nothing-to-change"),
        ));
    }
    let (from, to) = window.unzip();
    sqlx::query!(
        "UPDATE orders SET window_from = ?, window_to = ?, notes = ? WHERE id = ?",
        from,
        to,
        notes,
        f.id
    )
    .execute(conn)
    .await?;
    Ok(Written::edit(line::joined(&changes), f.status))
}

/// A new address and/or door pin while the order is in the kitchen. The district follows the
/// pin; a new district must serve the order's day, have a stop left and reach its minimum
/// order — the storefront's own checks and words — and its fee replaces the old one.
pub(super) async fn place(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
    address: Option<String>,
    pin: Option<(f64, f64)>,
) -> Result<Written, AppError> {
    let field = if address.is_some() { "address" } else { "lat" };
    if let Some(why) = rules::place_refusal(f.number, f.fulfilment, f.status) {
        return Err(AppError::invalid(field, why));
    }
    let districts = crate::districts::repo::list(&mut *conn).await?;
    let district = match pin {
        Some((lat, lng)) => Some(
            crate::districts::locate::locate(&districts, lat, lng)
                .ok_or_else(|| AppError::invalid("lat", said("refuse-pin-outside")))?
                .clone(),
        ),
        None => None,
    };
    let address = address.or_else(|| f.address.clone());
    let pin_moved = pin.is_some() && pin != f.pin;
    if !pin_moved && address == f.address {
        return Err(AppError::invalid(field, said("refuse-nothing-to-change")));
    }
    let mut changes = Vec::new();
    if address != f.address {
        changes.push(line::address(f.address.as_deref(), address.as_deref()));
    }
    let new_district = district.as_ref().filter(|d| Some(d.id) != f.district_id);
    if let Some(d) = district.as_ref().filter(|_| pin_moved) {
        changes.push(line::pin_moved(&d.name));
    }
    let fee = match new_district {
        Some(d) => moved_in(conn, config, f, d, &mut changes).await?,
        None => f.delivery_fee_cents,
    };
    let district_id = district.as_ref().map_or(f.district_id, |d| Some(d.id));
    let total = f.total(f.subtotal_cents, fee);
    let (lat, lng) = pin.or(f.pin).unzip();
    sqlx::query!(
        "UPDATE orders SET address = ?, lat = ?, lng = ?, district_id = ?, delivery_fee_cents = ?, total_cents = ?
         WHERE id = ?",
        address,
        lat,
        lng,
        district_id,
        fee,
        total,
        f.id
    )
    .execute(conn)
    .await?;
    // The log keeps that the address changed, not the address.
    let public: Vec<String> = changes
        .iter()
        .map(|c| {
            if line::is_address(c) {
                line::ADDRESS_CHANGED.to_string()
            } else {
                c.clone()
            }
        })
        .collect();
    let mut written = Written::edit(line::joined(&changes), f.status);
    written.audit_detail = Some(line::joined(&public));
    written.pin_moved = pin_moved;
    written.district = Some(district.map(|d| d.name).or(f.district_name.clone()));
    Ok(written)
}

/// The order's fee in district `d`, which its pin moved it into: refused (naming why) when
/// that district does not serve its day, has no stop left or misses its minimum order.
async fn moved_in(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
    d: &crate::districts::model::District,
    changes: &mut Vec<String>,
) -> Result<i64, AppError> {
    let day = f.day()?;
    // Only the district's counters matter here: the pantry for no product.
    let booked = Booked::load_for(conn, day, day, config.today(), Some(&[])).await?;
    if let Some(r) =
        capacity::delivery_refusal(&booked, d, &[], f.subtotal_cents, day, &config.currency())
    {
        let why = r.message.trim_end_matches('.');
        let message = if crate::districts::model::serves(d.served_weekdays, day.weekday()) {
            said_with("refuse-pin", &[("why", &why)])
        } else {
            said_with("refuse-pin-other-day", &[("why", &why)])
        };
        return Err(AppError::invalid("lat", message));
    }
    changes.push(line::district(f.district_name.as_deref(), &d.name));
    let fee = d.delivery_fee_cents;
    if fee != f.delivery_fee_cents {
        changes.push(line::fee(f.delivery_fee_cents, fee, &config.currency()));
    }
    Ok(fee)
}

/// Another delivery day: before baking, within what the customer accepts, on a day the
/// district serves and has a stop left, with every product's units free. A run planned for
/// the old day no longer holds the stop.
pub(super) async fn day(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
    to: NaiveDate,
    why: Option<String>,
    consented_only: bool,
) -> Result<Written, AppError> {
    let to_str = to.to_string();
    if to_str == f.fulfil_on {
        return Err(AppError::invalid(
            "day",
            crate::said::said_with(
                "refuse-already-on",
                &[("number", &f.number), ("day", &to_str)],
            ),
        ));
    }
    let change = rules::DayChange {
        number: f.number,
        status: f.status,
        fulfilment: f.fulfilment,
        flexible: f.flexible.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
        consented_only,
        standing: f.standing_patterns.as_deref().map(|p| {
            let days = crate::standing::model::patterns_from_text(p)
                .into_iter()
                .fold(0u8, |a, b| a | b);
            let monday = f.day().map(crate::standing::model::monday_of).unwrap_or(to);
            (days, monday)
        }),
        to,
        today: config.today(),
    };
    if let Some(why) = rules::day_refusal(&change) {
        return Err(AppError::Conflict(why));
    }
    let lines: Vec<Line> = f.lines(conn).await?;
    let products: Vec<i64> = lines.iter().map(|l| l.product_id).collect();
    // The calendar and what is booked on `to`, in one statement.
    let (calendar, _, mut booked) =
        super::booking::read(conn, (to, to), config.today(), &[], Some(&products)).await?;
    // Its batches leave the old day (the pantry counts every day; the stops and units of
    // `to` never held this order).
    booked.release(None, &lines, f.day()?);
    let district = district_of(conn, f.district_id).await?;
    let refusal = calendar
        .kitchen_refusal(&lines, to)
        .or_else(|| {
            district
                .as_ref()
                .and_then(|d| capacity::stop_refusal(&booked, d, to))
        })
        .or_else(|| capacity::units_refusal(&booked, &lines, to));
    if let Some(r) = refusal {
        return Err(AppError::Conflict(crate::said::said_with(
            "refuse-numbered",
            &[("number", &f.number), ("why", &r.message)],
        )));
    }
    sqlx::query!("UPDATE orders SET fulfil_on = ? WHERE id = ?", to_str, f.id)
        .execute(&mut *conn)
        .await?;
    // The stop leaves a run planned for the old day (the runs page re-plans that day).
    sqlx::query!("DELETE FROM run_stops WHERE order_id = ?", f.id)
        .execute(conn)
        .await?;
    let detail = line::day(&f.fulfil_on, &to_str, why.as_deref());
    let mut written = Written::edit(detail, f.status);
    written.to_day = Some(to_str);
    Ok(written)
}

/// The order's pin is in `district` after the boundaries changed (None: outside them all).
pub(super) async fn relocate(
    conn: &mut SqliteConnection,
    f: &Found,
    district: Option<(i64, String)>,
) -> Result<Written, AppError> {
    let id = district.as_ref().map(|d| d.0);
    sqlx::query!("UPDATE orders SET district_id = ? WHERE id = ?", id, f.id)
        .execute(conn)
        .await?;
    let detail = line::redrawn(district.as_ref().map(|d| d.1.as_str()));
    let mut written = Written::edit(detail, f.status);
    written.notify = None;
    written.district = Some(district.map(|d| d.1));
    Ok(written)
}

pub(super) async fn district_of(
    conn: &mut SqliteConnection,
    id: Option<i64>,
) -> Result<Option<crate::districts::model::District>, AppError> {
    let Some(id) = id else { return Ok(None) };
    crate::districts::repo::get(conn, id).await
}

/// `Command::Anonymise`: only a finished order (delivered, collected or cancelled).
pub(super) async fn anonymise(conn: &mut SqliteConnection, f: &Found) -> Result<Written, AppError> {
    use crate::orders::model::OrderStatus;
    if !matches!(
        f.status,
        OrderStatus::Delivered | OrderStatus::Collected | OrderStatus::Cancelled
    ) {
        return Err(AppError::Conflict(crate::said::said_with(
            "refuse-erase-open",
            &[("number", &f.number), ("status", &f.status.in_refusal())],
        )));
    }
    sqlx::query!(
        "UPDATE orders SET address = NULL, lat = NULL, lng = NULL, notes = NULL, window_from = NULL,
                window_to = NULL, client_key = NULL WHERE id = ?",
        f.id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE order_items SET note = NULL WHERE order_id = ?",
        f.id
    )
    .execute(&mut *conn)
    .await?;
    // History lines that quote an old or new address.
    sqlx::query!(
        "UPDATE order_events SET detail = ? WHERE order_id = ? AND detail LIKE '%address %→%'",
        line::ADDRESS_ERASED,
        f.id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM delivery_photos WHERE order_id = ?", f.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM email_outbox WHERE order_id = ?", f.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM webhook_outbox WHERE order_id = ?", f.id)
        .execute(&mut *conn)
        .await?;
    crate::alerts::store::forget_order(conn, f.id).await?;
    let mut written = Written::edit(line::erased(), f.status);
    written.notify = None;
    Ok(written)
}

/// `Command::ChangeCustomer`: the order belongs to another customer record (a merge of two
/// records of one person). Any stage; the customer is not told.
pub(super) async fn customer(
    conn: &mut SqliteConnection,
    f: &Found,
    customer_id: i64,
    name: &str,
) -> Result<Written, AppError> {
    sqlx::query!(
        "UPDATE orders SET customer_id = ? WHERE id = ?",
        customer_id,
        f.id
    )
    .execute(&mut *conn)
    .await?;
    let mut written = Written::edit(line::merged(name), f.status);
    written.notify = None;
    written.audit_detail = Some(format!("customer records merged into #{customer_id}"));
    Ok(written)
}
