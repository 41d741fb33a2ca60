//! A bake day's production plan, made from its orders: what to bake and by when, what each van
//! takes, the ingredients against stock and the shopping list; and marking batches baked
//! (ingredients leave stock first-expired-first-out; the orders move on through the order core).
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::model::batches_for;
use super::recipes::{recipes, Recipe};
use super::{NeedRow, PackGroup, PlanLine, ProductionPlan, ShopRow};
use crate::error::AppError;
use crate::server::config::Config;

/// Units marked baked per product on `day`.
async fn baked(conn: &mut SqliteConnection, day: &str) -> Result<HashMap<i64, i64>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT product_id, SUM(units) AS "units!: i64" FROM bake_batches WHERE bake_day = ? GROUP BY product_id"#,
        day
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.product_id, r.units))
    .collect())
}

/// One packing group's orders and products.
type Pack = (std::collections::HashSet<i64>, BTreeMap<String, i64>);

/// An order's id, status and (product, quantity) lines.
type OrderLines = (i64, String, Vec<(i64, i64)>);

/// The production plan of `day`.
pub async fn plan(
    conn: &mut SqliteConnection,
    config: &Config,
    lang: &crate::i18n::Lang,
    day: NaiveDate,
) -> Result<ProductionPlan, AppError> {
    let d = day.format("%Y-%m-%d").to_string();
    let items = sqlx::query!(
        r#"SELECT o.id AS "order_id!", o.fulfilment, o.window_from, o.district_id, COALESCE(dd.name, '') AS "district!: String",
                  r.id AS run_id, r.depart_at AS "depart_at?", COALESCE(u.name, '') AS "driver!: String",
                  p.id AS "product_id!", p.sku, p.name, i.quantity
           FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id
           LEFT JOIN districts dd ON dd.id = o.district_id
           LEFT JOIN run_stops s ON s.order_id = o.id LEFT JOIN runs r ON r.id = s.run_id
           LEFT JOIN users u ON u.id = r.driver_id
           WHERE o.fulfil_on = ? AND o.status <> 'cancelled'
           ORDER BY p.sort_order, p.name"#,
        d
    )
    .fetch_all(&mut *conn)
    .await?;
    let shift_start = sqlx::query_scalar!("SELECT shift_start FROM business_settings WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let recipes = recipes(conn).await?;
    let baked = baked(conn, &d).await?;
    let wasted = super::waste::per_product(conn, &d).await?;

    // Per product: units, and the earliest moment it is needed.
    let mut order_of_products: Vec<i64> = Vec::new();
    let mut ordered: HashMap<i64, (String, String, i64, (String, String))> = HashMap::new();
    let mut packing: BTreeMap<(u8, String), Pack> = BTreeMap::new();
    let mut orders = std::collections::HashSet::new();
    for it in &items {
        orders.insert(it.order_id);
        let need = match (&it.fulfilment[..], &it.depart_at) {
            ("delivery", Some(dep)) if !dep.is_empty() => (
                crate::runs::plan::local_clock(config, dep),
                lang.t_with(
                    "kitchen-van-leaves",
                    &[("name", crate::orders::model::first_name(&it.driver).into())],
                ),
            ),
            ("pickup", _) => (
                it.window_from
                    .clone()
                    .unwrap_or_else(|| shift_start.clone()),
                lang.t("kitchen-first-pickup"),
            ),
            _ => (shift_start.clone(), lang.t("kitchen-shift-starts")),
        };
        let e = ordered.entry(it.product_id).or_insert_with(|| {
            order_of_products.push(it.product_id);
            (it.sku.clone(), it.name.clone(), 0, need.clone())
        });
        e.2 += it.quantity;
        if need.0 < e.3 .0 {
            e.3 = need;
        }
        let group = match (&it.fulfilment[..], it.run_id) {
            ("pickup", _) => (2, lang.t("kitchen-pickup-counter")),
            (_, Some(run)) => (
                0,
                lang.t_with(
                    "kitchen-run-group",
                    &[("run", run.into()), ("driver", it.driver.clone().into())],
                ),
            ),
            _ if !it.district.is_empty() => (
                1,
                lang.t_with(
                    "kitchen-no-run-yet",
                    &[("district", it.district.clone().into())],
                ),
            ),
            _ => (1, lang.t("kitchen-no-district")),
        };
        let g = packing.entry(group).or_default();
        g.0.insert(it.order_id);
        *g.1.entry(it.name.clone()).or_default() += it.quantity;
    }

    let mut lines: Vec<PlanLine> = order_of_products
        .iter()
        .map(|pid| {
            let (sku, name, units, (by_when, by_what)) = ordered[pid].clone();
            let done = baked.get(pid).copied().unwrap_or(0);
            let to_bake = (units - done).max(0);
            let r = recipes.get(pid);
            PlanLine {
                product_id: *pid,
                sku,
                name,
                station: r.map_or_else(|| lang.t("kitchen-no-recipe"), |r| r.station.clone()),
                ordered: units,
                baked: done,
                wasted: wasted.get(pid).copied().unwrap_or(0),
                to_bake,
                batch_yield: r.map(|r| r.batch_yield),
                batches: r.map_or(0, |r| batches_for(to_bake, r.batch_yield)),
                by_when,
                by_what,
                prep_minutes: r.map_or(0, |r| r.prep),
                bake_minutes: r.map_or(0, |r| r.bake),
                expected: None,
            }
        })
        .collect();
    // What the day is likely to end with, for baking extra (walk-ins, late orders).
    let today = config.today();
    if day >= today {
        let b = crate::reports::store::recent_bookings(conn, today).await?;
        for l in &mut lines {
            l.expected =
                Some(crate::reports::forecast::estimate(&b, l.product_id, day, today).expected);
        }
    }
    // The way the kitchen works: by station, then what is needed first.
    lines.sort_by(|a, b| {
        (a.batch_yield.is_none(), &a.station, &a.by_when).cmp(&(
            b.batch_yield.is_none(),
            &b.station,
            &b.by_when,
        ))
    });

    let (needs, shopping) = needs(conn, config, lang, &lines, &recipes, &d).await?;
    // Each station's batches for the whole day (what is baked counts too) against its limit.
    let limits: HashMap<String, Option<i64>> = super::recipes::stations(conn)
        .await?
        .into_iter()
        .map(|(s, n)| (s.to_lowercase(), n))
        .collect();
    let mut stations: BTreeMap<String, i64> = BTreeMap::new();
    for l in &lines {
        if let Some(y) = l.batch_yield {
            *stations.entry(l.station.clone()).or_default() +=
                batches_for(l.ordered.max(l.baked), y);
        }
    }
    let allergies = sqlx::query!(
        r#"SELECT o.number, c.name, c.allergies AS "allergies!: String" FROM orders o JOIN customers c ON c.id = o.customer_id
           WHERE o.fulfil_on = ? AND o.status <> 'cancelled' AND c.allergies IS NOT NULL AND c.allergies <> ''
           ORDER BY o.number"#,
        d
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.number, crate::orders::model::first_name(&r.name), r.allergies))
    .collect();
    let waste = super::waste::entries(conn, &d).await?;
    Ok(ProductionPlan {
        allergies,
        waste,
        day_label: lang.day(&d, "date-short-year"),
        day: d,
        today: config.today().format("%Y-%m-%d").to_string(),
        owner: false,
        lines,
        packing: packing
            .into_iter()
            .map(|((_, label), (orders, items))| PackGroup {
                label,
                orders: orders.len() as i64,
                items: items.into_iter().collect(),
            })
            .collect(),
        stations: stations
            .into_iter()
            .map(|(s, n)| {
                let cap = limits.get(&s.to_lowercase()).copied().flatten();
                (s, n, cap)
            })
            .collect(),
        needs,
        shopping,
        orders: orders.len() as i64,
    })
}

/// The ingredients the batches still to bake need, against stock; and what to buy: the
/// shortfall of the day, and anything that would be left below its reorder level.
async fn needs(
    conn: &mut SqliteConnection,
    config: &Config,
    lang: &crate::i18n::Lang,
    lines: &[PlanLine],
    recipes: &HashMap<i64, Recipe>,
    day: &str,
) -> Result<(Vec<NeedRow>, Vec<ShopRow>), AppError> {
    let mut need: BTreeMap<i64, i64> = BTreeMap::new();
    for l in lines {
        if let Some(r) = recipes.get(&l.product_id) {
            for (ing, q) in &r.lines {
                *need.entry(*ing).or_default() += q * l.batches;
            }
        }
    }
    let currency = config.currency();
    let stock = super::stock_read::ingredients(conn, &currency, config.today()).await?;
    // What is on order and arrives before the bake day counts as there for the day; everything
    // on order counts against the reorder level.
    let coming = super::purchase_read::arriving_before(conn, day).await?;
    let ordered = super::purchase_read::on_order(conn).await?;
    let mut rows = Vec::new();
    let mut shopping = Vec::new();
    for ing in &stock {
        let n = need.get(&ing.id).copied().unwrap_or(0);
        let on_order = coming.get(&ing.id).copied().unwrap_or(0);
        let short = (n - ing.balance - on_order).max(0);
        if n > 0 {
            rows.push(NeedRow {
                ingredient_id: ing.id,
                name: ing.name.clone(),
                need: ing.unit.show(n),
                have: if on_order > 0 {
                    lang.t_with(
                        "kitchen-have-on-order",
                        &[
                            ("have", ing.balance_text.clone().into()),
                            ("coming", ing.unit.show(on_order).into()),
                        ],
                    )
                } else {
                    ing.balance_text.clone()
                },
                short: if short > 0 {
                    ing.unit.show(short)
                } else {
                    String::new()
                },
                supplier: ing.supplier.clone(),
            });
        }
        // Back up to the reorder level counting everything on order, whenever it comes (or
        // at least what the day lacks), in whole units of purchase.
        let after = ing.balance + ordered.get(&ing.id).copied().unwrap_or(0) - n;
        let missing = (ing.reorder_level - after).max(short);
        let f = ing.unit.factor();
        let buy = if missing > 0 {
            ((missing + f - 1) / f) * f
        } else {
            0
        };
        if buy > 0 {
            shopping.push(ShopRow {
                supplier: if ing.supplier.is_empty() {
                    lang.t("kitchen-no-supplier")
                } else {
                    ing.supplier.clone()
                },
                ingredient: ing.name.clone(),
                quantity: ing.unit.show(buy),
                cost: lang.money(ing.unit.cost(buy, ing.cost_cents).round() as i64, &currency),
                why: if short > 0 {
                    lang.t_with(
                        "kitchen-short-day",
                        &[("short", ing.unit.show(short).into())],
                    )
                } else {
                    lang.t_with(
                        "kitchen-below-reorder",
                        &[("level", ing.reorder_text.clone().into())],
                    )
                },
                supplier_id: ing.supplier_id,
                ingredient_id: ing.id,
                base: buy,
            });
        }
    }
    shopping.sort_by(|a, b| (&a.supplier, &a.ingredient).cmp(&(&b.supplier, &b.ingredient)));
    Ok((rows, shopping))
}

/// What marking batches baked did.
pub struct Baked {
    pub units: i64,
    pub changes: Vec<crate::orders::model::OrderChange>,
}

/// Marks `batches` of `product_id` baked for `day`, if `baked_before` units were marked before
/// (a second click or a retry is refused, not counted twice). The batches' ingredients leave
/// stock first-expired-first-out (refused, naming the ingredient, when short); the day's
/// orders with the product move to Baking, and to Ready once all their products are baked.
pub async fn mark_baked(
    conn: &mut SqliteConnection,
    config: &Config,
    who: (i64, &str),
    day: NaiveDate,
    product_id: i64,
    batches: i64,
    baked_before: i64,
) -> Result<Baked, AppError> {
    let d = day.format("%Y-%m-%d").to_string();
    if !(1..=1000).contains(&batches) {
        return Err(AppError::invalid(
            "batches",
            crate::said::said("refuse-batches"),
        ));
    }
    let recipes = recipes(conn).await?;
    let r = recipes
        .get(&product_id)
        .ok_or_else(|| AppError::invalid("product_id", crate::said::said("refuse-no-recipe")))?;
    let done = baked(conn, &d).await?;
    if done.get(&product_id).copied().unwrap_or(0) != baked_before {
        return Err(AppError::Conflict(crate::said::said(
            "refuse-batches-meanwhile",
        )));
    }
    let units = batches * r.batch_yield;
    let now = crate::server::db::now();
    let batch_id = record_batch(conn, &d, product_id, (batches, units), who.0, &now).await?;
    let by = super::stock::MoveBy {
        user_id: Some(who.0),
        reason: "baked",
        batch_id: Some(batch_id),
    };
    for (ing, q) in &r.lines {
        super::stock::take(conn, *ing, q * batches, "use", &by).await?;
    }
    let changes = advance_orders(conn, config, who, &d).await?;
    Ok(Baked { units, changes })
}

/// Moves the day's open orders on: Ready when every product in them is covered by what was
/// baked (orders served first come first), Baking when some of it is.
async fn advance_orders(
    conn: &mut SqliteConnection,
    config: &Config,
    who: (i64, &str),
    day: &str,
) -> Result<Vec<crate::orders::model::OrderChange>, AppError> {
    use crate::orders::model::OrderStatus;
    let mut left = baked(conn, day).await?;
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id!", o.status, i.product_id, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id
           WHERE o.fulfil_on = ? AND o.status <> 'cancelled' ORDER BY o.created_at, o.id"#,
        day
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_order: Vec<OrderLines> = Vec::new();
    for r in rows {
        match by_order.last_mut() {
            Some(last) if last.0 == r.id => last.2.push((r.product_id, r.quantity)),
            _ => by_order.push((r.id, r.status, vec![(r.product_id, r.quantity)])),
        }
    }
    let actor = crate::orders::core::Actor::user(who.0, who.1);
    let mut changes = Vec::new();
    for (id, status, lines) in by_order {
        // Baked goods go to the orders in the order they came in.
        let mut all = true;
        let mut some = false;
        for (p, q) in &lines {
            let have = left.entry(*p).or_default();
            let give = (*have).min(*q);
            *have -= give;
            all &= give == *q;
            some |= give > 0;
        }
        let to = match (all, some) {
            (true, _) => OrderStatus::Ready,
            (false, true) => OrderStatus::Baking,
            _ => continue,
        };
        let moves = match OrderStatus::parse(&status)? {
            OrderStatus::Received | OrderStatus::Confirmed => true,
            OrderStatus::Baking => to == OrderStatus::Ready,
            _ => false,
        };
        if moves {
            let applied = crate::orders::core::apply_in(
                conn,
                config,
                &actor,
                id,
                None,
                crate::orders::core::Command::Move(to),
            )
            .await?;
            changes.push(applied.change);
        }
    }
    Ok(changes)
}

/// The plan's shopping list as CSV (supplier, ingredient, quantity, cost, why).
pub fn shopping_csv(plan: &ProductionPlan) -> Result<String, AppError> {
    crate::sheet::write(
        &["supplier", "ingredient", "quantity", "cost", "why"],
        plan.shopping.iter().map(|s| {
            use crate::customers::csv::safe_cell;
            vec![
                safe_cell(&s.supplier),
                safe_cell(&s.ingredient),
                s.quantity.clone(),
                s.cost.clone(),
                safe_cell(&s.why),
            ]
        }),
        false,
    )
    .map_err(|e| AppError::internal("shopping csv", e))
}

/// Records `(batches, units)` of `product_id` baked for `day` by `user` at `at`.
pub async fn record_batch(
    conn: &mut SqliteConnection,
    day: &str,
    product_id: i64,
    (batches, units): (i64, i64),
    user: i64,
    at: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO bake_batches (bake_day, product_id, batches, units, user_id, baked_at) VALUES (?, ?, ?, ?, ?, ?)
           RETURNING id AS "id!""#,
        day,
        product_id,
        batches,
        units,
        user,
        at
    )
    .fetch_one(conn)
    .await?)
}

/// Removes every batch record (the demo's reset).
pub async fn clear_batches(conn: &mut SqliteConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM bake_batches")
        .execute(conn)
        .await?;
    Ok(())
}
