//! Customers and orders in and out as CSV (owner): customers exported and imported (preview
//! first, all or nothing, matched by phone), orders exported for a range of days. Every export
//! and import is in the audit log.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What an import would do: every row, or every problem.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerPreview {
    /// (row, name, phone, "New" or "Update").
    pub rows: Vec<(u64, String, String, String)>,
    pub errors: Vec<String>,
}

/// Every customer (not erased) as CSV: UTF-8 with BOM, `;` when `semicolon`.
#[server(endpoint = "export_customers_csv")]
pub async fn export_customers_csv(#[server(default)] semicolon: bool) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let rows = sqlx::query!(
            r#"SELECT c.name AS "name!", c.phone AS "phone!", c.email AS "email?", c.address AS "address?", c.lat AS "lat?: f64", c.lng AS "lng?: f64", c.marketing_opt_in AS "opt_in!: bool", c.notes AS "notes?",
                      d.name AS "district?", COUNT(o.id) AS "orders!: i64",
                      COALESCE(SUM(CASE WHEN o.status <> 'cancelled' THEN o.total_cents END), 0) AS "spent!: i64",
                      MAX(o.fulfil_on) AS "last?: String", substr(c.created_at, 1, 10) AS "since!: String"
               FROM customers c
               LEFT JOIN districts d ON d.id = c.district_id
               LEFT JOIN orders o ON o.customer_id = c.id
               WHERE c.erased_at IS NULL
               GROUP BY c.id ORDER BY c.name"#
        )
        .fetch_all(cx.db())
        .await?;
        let dec = |v: String| if semicolon { v.replace('.', ",") } else { v };
        let n = rows.len();
        let out = rows.into_iter().map(|r| {
            vec![
                r.name,
                r.phone,
                r.email.unwrap_or_default(),
                r.address.unwrap_or_default(),
                r.lat.map(|v| dec(v.to_string())).unwrap_or_default(),
                r.lng.map(|v| dec(v.to_string())).unwrap_or_default(),
                if r.opt_in { "yes" } else { "no" }.to_string(),
                r.notes.unwrap_or_default(),
                r.district.unwrap_or_default(),
                r.orders.to_string(),
                dec(format!("{}.{:02}", r.spent / 100, r.spent % 100)),
                r.last.unwrap_or_default(),
                r.since,
            ]
        });
        let text = crate::sheet::write(&super::csv::COLUMNS, out, semicolon)
            .map_err(|e| AppError::internal("customers csv", e))?;
        cx.audit(&me, "export.customers", "Customers", serde_json::json!({"customers": n}))
            .await?;
        Ok(text)
    })
    .await
}

/// Reads a customers CSV and says what importing it would do; changes nothing.
#[server(endpoint = "preview_customers_csv")]
pub async fn preview_customers_csv(text: String) -> Result<CustomerPreview, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let rows = match super::csv::parse(&text, &cx.config().phone_country) {
            Ok(rows) => rows,
            Err(errors) => {
                return Ok(CustomerPreview {
                    rows: vec![],
                    errors: errors.iter().map(ToString::to_string).collect(),
                })
            }
        };
        let known: Vec<String> =
            sqlx::query_scalar!("SELECT phone FROM customers WHERE erased_at IS NULL")
                .fetch_all(cx.db())
                .await?;
        Ok(CustomerPreview {
            rows: rows
                .into_iter()
                .map(|r| {
                    let action = if known.contains(&r.phone) {
                        "Update"
                    } else {
                        "New"
                    };
                    (r.line, r.name, r.phone, action.to_string())
                })
                .collect(),
            errors: vec![],
        })
    })
    .await
}

/// Imports a customers CSV, every row or none; returns (added, updated).
#[server(endpoint = "import_customers_csv")]
pub async fn import_customers_csv(text: String) -> Result<(usize, usize), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let rows = super::csv::parse(&text, &cx.config().phone_country)
            .map_err(|errors| crate::sheet::refused(&errors))?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let districts = crate::districts::repo::list(&mut *tx).await?;
        let (mut added, mut updated) = (0, 0);
        let now = crate::server::db::now();
        for r in &rows {
            let (lat, lng) = r.pin.unzip();
            let district = r
                .pin
                .and_then(|(a, b)| crate::districts::locate::locate(&districts, a, b))
                .map(|d| d.id);
            let existing = sqlx::query_scalar!(
                r#"SELECT id AS "id!" FROM customers WHERE phone = ? AND erased_at IS NULL"#,
                r.phone
            )
            .fetch_optional(&mut *tx)
            .await?;
            match existing {
                Some(id) => {
                    sqlx::query!(
                        "UPDATE customers SET name = ?, email = COALESCE(?, email), address = COALESCE(?, address),
                                lat = COALESCE(?, lat), lng = COALESCE(?, lng),
                                district_id = CASE WHEN ? IS NULL THEN district_id ELSE ? END,
                                marketing_opt_in = COALESCE(?, marketing_opt_in), notes = COALESCE(?, notes),
                                updated_at = ?
                         WHERE id = ?",
                        r.name, r.email, r.address, lat, lng, lat, district, r.opt_in, r.notes, now, id
                    )
                    .execute(&mut *tx)
                    .await?;
                    updated += 1;
                }
                None => {
                    let opt_in = r.opt_in.unwrap_or(false);
                    sqlx::query!(
                        "INSERT INTO customers (name, phone, email, address, lat, lng, district_id, marketing_opt_in,
                                                notes, created_at, updated_at)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        r.name, r.phone, r.email, r.address, lat, lng, district, opt_in, r.notes, now, now
                    )
                    .execute(&mut *tx)
                    .await?;
                    added += 1;
                }
            }
        }
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "customer.import_csv",
            "Customers",
            serde_json::json!({"added": added, "updated": updated}),
        )
        .await?;
        tx.commit().await?;
        Ok((added, updated))
    })
    .await
}

/// Orders placed for `from`..=`to` (local dates) as CSV, one row per order.
#[server(endpoint = "export_orders_csv")]
pub async fn export_orders_csv(
    from: String,
    to: String,
    #[server(default)] semicolon: bool,
) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let parse = crate::orders::model::parse_day;
        let (a, b) = (parse(&from, "from")?, parse(&to, "to")?);
        if b < a {
            return Err(AppError::invalid("to", crate::said::said("refuse-to-after-from")));
        }
        let (a, b) = (a.to_string(), b.to_string());
        let rows = sqlx::query!(
            r#"SELECT o.number AS "number!", o.fulfil_on AS "fulfil_on!", o.status AS "status!", o.fulfilment AS "fulfilment!", c.name AS "customer!", c.phone AS "phone!", o.address AS "address?",
                      d.name AS "district?", o.window_from, o.window_to, o.subtotal_cents, o.delivery_fee_cents,
                      o.total_cents, o.paid AS "paid: bool", o.payment_method, o.source, o.created_at,
                      (SELECT group_concat(i.quantity || '× ' || p.name, '; ') FROM order_items i
                       JOIN products p ON p.id = i.product_id WHERE i.order_id = o.id) AS "items?: String"
               FROM orders o JOIN customers c ON c.id = o.customer_id
               LEFT JOIN districts d ON d.id = o.district_id
               WHERE o.fulfil_on BETWEEN ? AND ?
               ORDER BY o.fulfil_on, o.number"#,
            a,
            b
        )
        .fetch_all(cx.db())
        .await?;
        let money = |c: i64| {
            let t = format!("{}.{:02}", c / 100, c % 100);
            if semicolon { t.replace('.', ",") } else { t }
        };
        let n = rows.len();
        let out = rows.into_iter().map(|r| {
            vec![
                r.number.to_string(),
                r.fulfil_on,
                r.status,
                r.fulfilment,
                r.customer,
                r.phone,
                r.address.unwrap_or_default(),
                r.district.unwrap_or_default(),
                r.window_from.zip(r.window_to).map(|(x, y)| format!("{x}-{y}")).unwrap_or_default(),
                r.items.unwrap_or_default(),
                money(r.subtotal_cents),
                money(r.delivery_fee_cents),
                money(r.total_cents),
                if r.paid { "yes" } else { "no" }.to_string(),
                r.payment_method,
                r.source,
                r.created_at,
            ]
        });
        let header = [
            "order", "day", "status", "fulfilment", "customer", "phone", "address", "district", "window",
            "items", "subtotal", "delivery_fee", "total", "paid", "payment", "source", "placed_at",
        ];
        let text = crate::sheet::write(&header, out, semicolon)
            .map_err(|e| AppError::internal("orders csv", e))?;
        cx.audit(&me, "export.orders", &format!("{a} to {b}"), serde_json::json!({"orders": n}))
            .await?;
        Ok(text)
    })
    .await
}

/// What an orders import would do: every row, or every problem.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderPreview {
    /// (row, customer, day, what happens: "New order, €12.50" or "Already in Hearth: skipped").
    pub rows: Vec<(u64, String, String, String)>,
    pub errors: Vec<String>,
}

/// The rows of an orders file checked as the website's orders are (menu, quantities, booking
/// rules, capacity, districts): the storefront-shaped order of each new row, the rows already
/// in Hearth, and every problem by row and column.
#[cfg(feature = "ssr")]
struct CheckedOrders {
    new: Vec<(u64, crate::storefront::validate::ValidOrder)>,
    skipped: Vec<(u64, String, String)>,
    errors: Vec<crate::sheet::RowError>,
}

#[cfg(feature = "ssr")]
async fn check_orders(cx: &crate::server::ctx::Ctx, text: &str) -> Result<CheckedOrders, AppError> {
    use crate::sheet::RowError;
    let products = crate::storefront::intake::products(cx.db()).await?;
    let sku_of = |name: &str| {
        let up = name.trim().to_uppercase();
        products.get(&up).map(|_| up.clone()).or_else(|| {
            products
                .iter()
                .find(|(_, p)| p.name.eq_ignore_ascii_case(name.trim()))
                .map(|(sku, _)| sku.clone())
        })
    };
    let rows = match super::csv::parse_orders(text, sku_of) {
        Ok(rows) => rows,
        Err(errors) => {
            return Ok(CheckedOrders {
                new: vec![],
                skipped: vec![],
                errors,
            })
        }
    };
    let today = cx.config().today();
    let mut out = CheckedOrders {
        new: vec![],
        skipped: vec![],
        errors: vec![],
    };
    for r in rows {
        let who = r.body["customer"]["name"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let day = r.body["fulfilment"]["date"]
            .as_str()
            .unwrap_or("")
            .to_string();
        // Only the file's numbers are looked up (not every order the bakery ever had).
        let exists = match r.number {
            Some(n) => {
                sqlx::query_scalar!(
                    r#"SELECT COUNT(*) AS "n!: i64" FROM orders WHERE number = ?"#,
                    n
                )
                .fetch_one(cx.db())
                .await?
                    > 0
            }
            None => false,
        };
        if exists {
            out.skipped.push((r.line, who, day));
            continue;
        }
        let input: crate::storefront::model::OrderIn = match serde_json::from_value(r.body) {
            Ok(i) => i,
            Err(e) => {
                out.errors.push(RowError::at(r.line, "", e.to_string()));
                continue;
            }
        };
        match crate::storefront::validate::order(
            &input,
            today,
            &products,
            &cx.config().phone_country,
        ) {
            Ok(v) => out.new.push((r.line, v)),
            Err(errors) => out.errors.extend(
                errors
                    .into_iter()
                    .map(|e| RowError::at(r.line, super::csv::column_of(&e.field), e.message)),
            ),
        }
    }
    Ok(out)
}

/// Reads an orders CSV and says what importing it would do (the rules of each row checked on
/// its own; rows competing for the last places of a day are caught by the import); changes
/// nothing.
#[server(endpoint = "preview_orders_csv")]
pub async fn preview_orders_csv(text: String) -> Result<OrderPreview, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let mut checked = check_orders(&cx, &text).await?;
        let districts = crate::districts::repo::list(cx.db()).await?;
        let mut conn = cx.db().acquire().await?;
        let mut rows = Vec::new();
        let cur = cx.config().currency();
        for (line, v) in &checked.new {
            match crate::storefront::intake::check_rules(&mut conn, cx.config(), &districts, v)
                .await
            {
                Ok(p) => rows.push((
                    *line,
                    v.customer.name.clone(),
                    v.date.to_string(),
                    format!(
                        "New order, {}",
                        crate::money::format_cents(p.subtotal_cents + p.fee_cents, &cur)
                    ),
                )),
                Err(crate::storefront::intake::Refusal::Rules(body)) => {
                    checked.errors.extend(body.errors.into_iter().map(|e| {
                        crate::sheet::RowError::at(
                            *line,
                            super::csv::column_of(&e.field),
                            e.message,
                        )
                    }))
                }
                Err(crate::storefront::intake::Refusal::Internal(e)) => return Err(e),
            }
        }
        rows.extend(
            checked
                .skipped
                .into_iter()
                .map(|(l, who, day)| (l, who, day, "Already in Hearth: skipped".to_string())),
        );
        rows.sort_by_key(|r| r.0);
        checked.errors.sort_by_key(|e| e.line);
        Ok(OrderPreview {
            errors: checked.errors.iter().map(ToString::to_string).collect(),
            rows: if checked.errors.is_empty() {
                rows
            } else {
                vec![]
            },
        })
    })
    .await
}

/// Imports an orders CSV: every new row becomes an order as if the website had sent it (rules,
/// capacity, customers by phone), all in one transaction, or none. Returns (added, skipped).
#[server(endpoint = "import_orders_csv")]
pub async fn import_orders_csv(text: String) -> Result<(usize, usize), AppError> {
    use crate::server::ctx::Ctx;
    use crate::storefront::intake::{create_in, Refusal, Source};
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let checked = check_orders(&cx, &text).await?;
        let mut errors = checked.errors;
        let known = crate::storefront::intake::known::current(cx.db()).await?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let public = cx.config().public_url.clone();
        let mut created = Vec::new();
        for (line, v) in &checked.new {
            match create_in(
                &mut tx,
                &known,
                cx.config(),
                v,
                Source::Import { staff: me.id },
                None,
                &public,
            )
            .await
            {
                Ok((c, _)) => created.push(c.order_number),
                Err(Refusal::Rules(body)) => errors.extend(body.errors.into_iter().map(|e| {
                    crate::sheet::RowError::at(*line, super::csv::column_of(&e.field), e.message)
                })),
                Err(Refusal::Internal(e)) => return Err(e),
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(crate::sheet::refused(&errors));
        }
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "order.import_csv",
            "Orders",
            serde_json::json!({"added": created.len(), "skipped": checked.skipped.len()}),
        )
        .await?;
        tx.commit().await?;
        Ok((created.len(), checked.skipped.len()))
    })
    .await
}
