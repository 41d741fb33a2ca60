//! `Command::EditItems`: new item lines while the order is received or confirmed. Part of the
//! order core: the lines are checked (shape, stage), priced and checked against the day's
//! capacity and the district's minimum before anything is written.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::capacity::Booked;
use super::edit::district_of;
use super::engine::Written;
use super::found::Found;
use super::rules;
use crate::error::AppError;
use crate::orders::model::Fulfilment;
use crate::said::{money, said, said_with};
use crate::server::config::Config;

/// A line as it will be written: product, quantity, unit price, and how history shows it.
type Row = (i64, i64, i64, String);

/// A line already on the order, as history shows it and as its price was quoted.
struct OldLine {
    sku: String,
    name: String,
    quantity: i64,
    unit_price_cents: i64,
}

/// New item lines while the order is received or confirmed: lines already on the order keep
/// the price the customer was quoted, new ones take today's; only what the edit adds is
/// checked against each product's capacity (a day already over a lowered capacity must not
/// block edits that add none of it); the district's minimum order still holds.
pub(super) async fn items(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
    lines: &[(String, i64)],
) -> Result<Written, AppError> {
    check_shape(f, lines)?;
    let old = sqlx::query!(
        r#"SELECT p.sku, p.name, i.quantity, i.unit_price_cents FROM order_items i JOIN products p ON p.id = i.product_id
           WHERE i.order_id = ? ORDER BY i.id"#,
        f.id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|x| OldLine {
        sku: x.sku,
        name: x.name,
        quantity: x.quantity,
        unit_price_cents: x.unit_price_cents,
    })
    .collect::<Vec<_>>();
    let day = f.day()?;
    let mut booked = Booked::load(conn, day, day, config.today()).await?;
    booked.release(None, &f.lines(conn).await?, day);
    let (subtotal, rows) = priced(conn, f, lines, &old, &booked, day).await?;
    check_minimum(conn, config, f, subtotal).await?;
    let before: Vec<String> = old
        .iter()
        .map(|x| format!("{}× {}", x.quantity, x.name))
        .collect();
    let after: Vec<String> = rows.iter().map(|r| r.3.clone()).collect();
    if before == after {
        return Err(AppError::invalid(
            "items",
            format!("items: {}", said("refuse-nothing-to-change")),
        ));
    }
    sqlx::query!("DELETE FROM order_items WHERE order_id = ?", f.id)
        .execute(&mut *conn)
        .await?;
    for (product, quantity, price, _) in &rows {
        super::line::insert(&mut *conn, f.id, *product, *quantity, *price, None).await?;
    }
    let total = f.total(subtotal, f.delivery_fee_cents);
    sqlx::query!(
        "UPDATE orders SET subtotal_cents = ?, total_cents = ? WHERE id = ?",
        subtotal,
        total,
        f.id
    )
    .execute(conn)
    .await?;
    let detail = crate::orders::history::make::items(&before, &after);
    Ok(Written::edit(detail, f.status))
}

/// At least one line, quantities 1–99, no product twice, and the order not yet baking.
fn check_shape(f: &Found, lines: &[(String, i64)]) -> Result<(), AppError> {
    if lines.is_empty() {
        return Err(AppError::invalid(
            "items",
            format!("items: {}", said("refuse-edit-no-items")),
        ));
    }
    for (i, (sku, q)) in lines.iter().enumerate() {
        if !(1..=99).contains(q) {
            return Err(AppError::invalid(
                &format!("items[{i}].quantity"),
                format!("items[{i}].quantity: {}", said("refuse-edit-quantity")),
            ));
        }
        if lines[..i].iter().any(|(s, _)| s == sku) {
            return Err(AppError::invalid(
                &format!("items[{i}].sku"),
                format!(
                    "items[{i}].sku: {}",
                    said_with("refuse-edit-twice", &[("sku", sku)])
                ),
            ));
        }
    }
    if !rules::before_baking(f.status) {
        return Err(AppError::invalid(
            "items",
            format!(
                "items: {}",
                said_with("refuse-edit-baking", &[("status", &f.status.in_refusal())])
            ),
        ));
    }
    Ok(())
}

/// Each line priced (the quoted price for a product already on the order, today's for a new
/// one) and checked: a new product must be baked that weekday, and what a line adds must fit
/// the day's capacity. The subtotal and the rows to write.
async fn priced(
    conn: &mut SqliteConnection,
    f: &Found,
    lines: &[(String, i64)],
    old: &[OldLine],
    booked: &Booked,
    day: NaiveDate,
) -> Result<(i64, Vec<Row>), AppError> {
    let mut subtotal = 0i64;
    let mut rows = Vec::new();
    for (i, (sku, q)) in lines.iter().enumerate() {
        let p = sqlx::query!(
            r#"SELECT id AS "id!", name, price_cents, daily_capacity, offered_weekdays FROM products WHERE sku = ? AND active = 1"#,
            sku
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                &format!("items[{i}].sku"),
                format!(
                    "items[{i}].sku: {}",
                    said_with("refuse-edit-unknown", &[("sku", sku)])
                ),
            )
        })?;
        let before = old.iter().find(|x| x.sku == *sku);
        let price = before.map_or(p.price_cents, |x| x.unit_price_cents);
        let before_q = before.map_or(0, |x| x.quantity);
        let weekday = chrono::Datelike::weekday(&day);
        if before.is_none() && !crate::districts::model::serves(p.offered_weekdays as u8, weekday) {
            return Err(AppError::invalid(
                &format!("items[{i}].sku"),
                format!(
                    "items[{i}].sku: {}",
                    said_with(
                        "refuse-not-baked",
                        &[
                            ("product", &p.name),
                            ("days", &crate::said::weekdays(p.offered_weekdays as u8)),
                            ("weekday", &crate::said::weekday(day)),
                        ],
                    )
                ),
            ));
        }
        let left = p.daily_capacity - booked.units(p.id, day);
        if *q > before_q && *q > left {
            return Err(AppError::invalid(
                &format!("items[{i}].quantity"),
                format!(
                    "items[{i}].quantity: {}",
                    said_with(
                        "refuse-edit-at-most",
                        &[
                            ("most", &left.max(before_q)),
                            ("product", &p.name),
                            ("day", &f.fulfil_on),
                        ],
                    )
                ),
            ));
        }
        subtotal += q * price;
        rows.push((p.id, *q, price, format!("{q}× {}", p.name)));
    }
    Ok((subtotal, rows))
}

/// A delivery still reaches its district's minimum order.
async fn check_minimum(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
    subtotal: i64,
) -> Result<(), AppError> {
    if f.fulfilment == Fulfilment::Delivery {
        if let Some(d) = district_of(conn, f.district_id).await? {
            if subtotal < d.min_order_cents {
                return Err(AppError::invalid(
                    "items",
                    format!(
                        "items: {}",
                        said_with(
                            "refuse-edit-minimum",
                            &[
                                ("district", &d.name),
                                ("minimum", &money(d.min_order_cents, &config.currency())),
                                ("total", &money(subtotal, &config.currency())),
                            ],
                        )
                    ),
                ));
            }
        }
    }
    Ok(())
}
