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

mod bake;

use bake::baked;
pub use bake::{clear_batches, mark_baked, record_batch, Baked};

/// One packing group's orders and products.
type Pack = (std::collections::HashSet<i64>, BTreeMap<String, i64>);

/// A line of the day's orders as the plan reads it.
struct Item {
    order_id: i64,
    fulfilment: String,
    window_from: Option<String>,
    district: String,
    run_id: Option<i64>,
    depart_at: Option<String>,
    driver: String,
    product_id: i64,
    sku: String,
    name: String,
    quantity: i64,
}

/// Per product (in the order first met): sku, name, units, and the earliest moment it is
/// needed (clock, and what for).
type Ordered = HashMap<i64, (String, String, i64, (String, String))>;

/// The production plan of `day`.
pub async fn plan(
    conn: &mut SqliteConnection,
    config: &Config,
    lang: &crate::i18n::Lang,
    day: NaiveDate,
) -> Result<ProductionPlan, AppError> {
    let d = day.format("%Y-%m-%d").to_string();
    let items = day_items(conn, &d).await?;
    let shift_start = sqlx::query_scalar!("SELECT shift_start FROM business_settings WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let recipes = recipes(conn).await?;
    let (order_of_products, ordered, packing, orders) = gather(&items, config, lang, &shift_start);
    let mut lines = plan_lines(conn, &d, lang, &order_of_products, &ordered, &recipes).await?;
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
    let stations = station_load(conn, &lines).await?;
    let allergies = allergies(conn, &d).await?;
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
        stations,
        needs,
        shopping,
        orders: orders.len() as i64,
    })
}

/// Every line of the day's orders (cancelled ones left out), with its run and driver.
async fn day_items(conn: &mut SqliteConnection, d: &str) -> Result<Vec<Item>, AppError> {
    Ok(sqlx::query!(
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
    .await?
    .into_iter()
    .map(|it| Item {
        order_id: it.order_id,
        fulfilment: it.fulfilment,
        window_from: it.window_from,
        district: it.district,
        run_id: it.run_id,
        depart_at: it.depart_at,
        driver: it.driver,
        product_id: it.product_id,
        sku: it.sku,
        name: it.name,
        quantity: it.quantity,
    })
    .collect())
}

/// The day's lines gathered: the products in the order first met with their units and when
/// each is first needed, the packing groups (per run, district or the pickup counter), and
/// the orders.
#[allow(clippy::type_complexity)]
fn gather(
    items: &[Item],
    config: &Config,
    lang: &crate::i18n::Lang,
    shift_start: &str,
) -> (
    Vec<i64>,
    Ordered,
    BTreeMap<(u8, String), Pack>,
    std::collections::HashSet<i64>,
) {
    let shift_start = shift_start.to_string();
    // Per product: units, and the earliest moment it is needed.
    let mut order_of_products: Vec<i64> = Vec::new();
    let mut ordered: Ordered = HashMap::new();
    let mut packing: BTreeMap<(u8, String), Pack> = BTreeMap::new();
    let mut orders = std::collections::HashSet::new();
    for it in items {
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

    (order_of_products, ordered, packing, orders)
}

/// One plan line per product: ordered, baked, thrown away, still to bake in batches, by when.
async fn plan_lines(
    conn: &mut SqliteConnection,
    d: &str,
    lang: &crate::i18n::Lang,
    order_of_products: &[i64],
    ordered: &Ordered,
    recipes: &HashMap<i64, Recipe>,
) -> Result<Vec<PlanLine>, AppError> {
    let baked = baked(conn, d).await?;
    let wasted = super::waste::per_product(conn, d).await?;
    Ok(order_of_products
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
        .collect())
}

/// Each station's batches for the whole day (what is baked counts too), with its limit.
async fn station_load(
    conn: &mut SqliteConnection,
    lines: &[PlanLine],
) -> Result<Vec<(String, i64, Option<i64>)>, AppError> {
    let limits: HashMap<String, Option<i64>> = super::recipes::stations(conn)
        .await?
        .into_iter()
        .map(|(s, n)| (s.to_lowercase(), n))
        .collect();
    let mut stations: BTreeMap<String, i64> = BTreeMap::new();
    for l in lines {
        if let Some(y) = l.batch_yield {
            *stations.entry(l.station.clone()).or_default() +=
                batches_for(l.ordered.max(l.baked), y);
        }
    }
    Ok(stations
        .into_iter()
        .map(|(s, n)| {
            let cap = limits.get(&s.to_lowercase()).copied().flatten();
            (s, n, cap)
        })
        .collect())
}

/// The day's customers with allergies noted: (order number, first name, allergies).
async fn allergies(
    conn: &mut SqliteConnection,
    d: &str,
) -> Result<Vec<(i64, String, String)>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT o.number, c.name, c.allergies AS "allergies!: String" FROM orders o JOIN customers c ON c.id = o.customer_id
           WHERE o.fulfil_on = ? AND o.status <> 'cancelled' AND c.allergies IS NOT NULL AND c.allergies <> ''
           ORDER BY o.number"#,
        d
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.number, crate::orders::model::first_name(&r.name), r.allergies))
    .collect())
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
            rows.push(need_row(lang, ing, n, on_order, short));
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
            shopping.push(shop_row(lang, ing, buy, short, &currency));
        }
    }
    shopping.sort_by(|a, b| (&a.supplier, &a.ingredient).cmp(&(&b.supplier, &b.ingredient)));
    Ok((rows, shopping))
}

/// The line of the ingredients' table for `ing`: `n` needed, `on_order` arriving before the
/// bake day, `short` still missing.
fn need_row(
    lang: &crate::i18n::Lang,
    ing: &super::IngredientRow,
    n: i64,
    on_order: i64,
    short: i64,
) -> NeedRow {
    NeedRow {
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
    }
}

/// The shopping list's line for `ing`: `buy` (base units) because the day is `short` of it,
/// or else to be back at its reorder level.
fn shop_row(
    lang: &crate::i18n::Lang,
    ing: &super::IngredientRow,
    buy: i64,
    short: i64,
    currency: &str,
) -> ShopRow {
    ShopRow {
        supplier: if ing.supplier.is_empty() {
            lang.t("kitchen-no-supplier")
        } else {
            ing.supplier.clone()
        },
        ingredient: ing.name.clone(),
        quantity: ing.unit.show(buy),
        cost: lang.money(ing.unit.cost(buy, ing.cost_cents).round() as i64, currency),
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
    }
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
