//! The demo bakery's kitchen: four suppliers, 32 ingredients, a recipe for each of the 15
//! products, deliveries in lots (a few ingredients low, some dairy near its best-before), and a
//! week of baking history with waste, all through the kitchen's own writers. (Most of its length
//! is the demo's tables, one entry per line.)
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::api::{IngredientForm, LineForm, RecipeForm};
use super::stock::{self, MoveBy};
use crate::error::AppError;

const SUPPLIERS: [(&str, &str, &str, i64); 4] = [
    (
        "Harinera La Meta",
        "pedidos@harinera.example",
        "+34 910 000 101",
        2,
    ),
    (
        "Lácteos Guadarrama",
        "ventas@lacteos.example",
        "+34 910 000 202",
        1,
    ),
    ("Mercado de Chamberí", "", "+34 910 000 303", 0),
    (
        "Makro Cash & Carry",
        "madrid@makro.example",
        "+34 910 000 404",
        1,
    ),
];

/// (name, unit, cost per unit, supplier index, reorder level in the unit, stock left after the
/// week, in reorder levels: below 1 is low).
const INGREDIENTS: [(&str, &str, &str, usize, &str, f64); 32] = [
    ("Bread flour T65", "kg", "0.95", 0, "25", 3.0),
    ("Whole spelt flour", "kg", "2.40", 0, "5", 2.5),
    ("Rye flour", "kg", "1.60", 0, "5", 0.4),
    ("Pastry flour T45", "kg", "1.10", 0, "15", 3.0),
    ("Sea salt", "kg", "0.80", 3, "1", 4.0),
    ("Fresh yeast", "kg", "4.00", 3, "0.5", 2.0),
    ("Butter 82%", "kg", "9.50", 1, "10", 2.0),
    ("Whole milk", "l", "1.10", 1, "5", 2.0),
    ("Cream 35%", "l", "4.20", 1, "2", 2.0),
    ("Cream cheese", "kg", "7.80", 1, "3", 2.0),
    ("Eggs", "piece", "0.28", 2, "60", 2.0),
    ("Sugar", "kg", "1.20", 3, "10", 2.5),
    ("Brown sugar", "kg", "1.90", 3, "3", 2.0),
    ("Icing sugar", "kg", "1.70", 3, "2", 2.0),
    ("Dark chocolate 70%", "kg", "14.00", 3, "3", 0.5),
    ("Chocolate batons", "kg", "12.50", 3, "1", 2.0),
    ("Ground almonds", "kg", "11.00", 3, "2", 2.0),
    ("Flaked almonds", "kg", "12.00", 3, "1", 2.0),
    ("Ground cinnamon", "kg", "18.00", 3, "0.2", 3.0),
    ("Ground cardamom", "kg", "60.00", 3, "0.1", 0.6),
    ("Sunflower seeds", "kg", "2.80", 3, "1", 2.0),
    ("Pumpkin seeds", "kg", "6.50", 3, "1", 2.0),
    ("Linseed", "kg", "3.20", 3, "1", 2.0),
    ("Olive oil, extra virgin", "l", "8.50", 2, "3", 2.0),
    ("Fresh rosemary", "kg", "12.00", 2, "0.2", 2.0),
    ("Flaky salt", "kg", "9.00", 3, "0.3", 2.0),
    ("Carrots", "kg", "1.20", 2, "2", 2.0),
    ("Walnuts", "kg", "10.50", 3, "1", 2.0),
    ("Lemons", "piece", "0.35", 2, "10", 2.0),
    ("Vanilla extract", "l", "90.00", 3, "0.1", 3.0),
    ("Cocoa powder", "kg", "9.00", 3, "1", 2.0),
    ("Honey", "kg", "8.00", 2, "1", 2.0),
];

/// (sku, batch yield, prep, bake, station, lines: (ingredient, base units per batch)).
type DemoRecipe = (
    &'static str,
    i64,
    i64,
    i64,
    &'static str,
    &'static [(&'static str, i64)],
);

const RECIPES: [DemoRecipe; 15] = [
    (
        "BRD-SOUR",
        10,
        30,
        45,
        "Deck oven",
        &[
            ("Bread flour T65", 4500),
            ("Rye flour", 500),
            ("Sea salt", 100),
        ],
    ),
    (
        "BRD-SEED",
        8,
        25,
        55,
        "Deck oven",
        &[
            ("Rye flour", 2400),
            ("Bread flour T65", 800),
            ("Sunflower seeds", 300),
            ("Pumpkin seeds", 200),
            ("Linseed", 200),
            ("Sea salt", 70),
            ("Honey", 100),
        ],
    ),
    (
        "BRD-BAG",
        20,
        20,
        25,
        "Deck oven",
        &[
            ("Bread flour T65", 5000),
            ("Sea salt", 100),
            ("Fresh yeast", 50),
        ],
    ),
    (
        "BRD-FOC",
        6,
        20,
        25,
        "Deck oven",
        &[
            ("Bread flour T65", 3000),
            ("Olive oil, extra virgin", 400),
            ("Fresh rosemary", 60),
            ("Flaky salt", 40),
            ("Fresh yeast", 30),
            ("Sea salt", 60),
        ],
    ),
    (
        "BRD-BRIO",
        8,
        30,
        35,
        "Convection oven",
        &[
            ("Pastry flour T45", 2000),
            ("Butter 82%", 1000),
            ("Eggs", 20),
            ("Sugar", 250),
            ("Whole milk", 300),
            ("Fresh yeast", 80),
            ("Sea salt", 40),
        ],
    ),
    (
        "BRD-SPELT",
        8,
        20,
        45,
        "Deck oven",
        &[
            ("Whole spelt flour", 4000),
            ("Sea salt", 80),
            ("Honey", 120),
            ("Fresh yeast", 40),
        ],
    ),
    (
        "PAS-CROI",
        48,
        45,
        18,
        "Convection oven",
        &[
            ("Pastry flour T45", 4000),
            ("Butter 82%", 2300),
            ("Whole milk", 1000),
            ("Sugar", 450),
            ("Eggs", 8),
            ("Fresh yeast", 160),
            ("Sea salt", 80),
        ],
    ),
    (
        "PAS-PAC",
        40,
        45,
        18,
        "Convection oven",
        &[
            ("Pastry flour T45", 3300),
            ("Butter 82%", 1900),
            ("Whole milk", 800),
            ("Sugar", 380),
            ("Eggs", 6),
            ("Fresh yeast", 130),
            ("Chocolate batons", 480),
            ("Sea salt", 65),
        ],
    ),
    (
        "PAS-ALM",
        24,
        40,
        20,
        "Convection oven",
        &[
            ("Pastry flour T45", 2000),
            ("Butter 82%", 1300),
            ("Whole milk", 500),
            ("Sugar", 400),
            ("Eggs", 10),
            ("Ground almonds", 700),
            ("Flaked almonds", 150),
            ("Icing sugar", 100),
            ("Fresh yeast", 80),
            ("Sea salt", 40),
        ],
    ),
    (
        "PAS-CIN",
        24,
        40,
        22,
        "Convection oven",
        &[
            ("Pastry flour T45", 2400),
            ("Butter 82%", 700),
            ("Whole milk", 900),
            ("Brown sugar", 500),
            ("Ground cinnamon", 40),
            ("Eggs", 6),
            ("Fresh yeast", 90),
            ("Icing sugar", 200),
            ("Cream cheese", 200),
            ("Sea salt", 40),
        ],
    ),
    (
        "PAS-CARD",
        24,
        40,
        20,
        "Convection oven",
        &[
            ("Pastry flour T45", 2400),
            ("Butter 82%", 700),
            ("Whole milk", 900),
            ("Sugar", 400),
            ("Ground cardamom", 30),
            ("Eggs", 6),
            ("Fresh yeast", 90),
            ("Sea salt", 40),
        ],
    ),
    (
        "CAK-BASQ",
        2,
        20,
        60,
        "Convection oven",
        &[
            ("Cream cheese", 2000),
            ("Cream 35%", 1000),
            ("Sugar", 600),
            ("Eggs", 10),
            ("Pastry flour T45", 60),
            ("Vanilla extract", 10),
        ],
    ),
    (
        "CAK-CARR",
        2,
        40,
        50,
        "Convection oven",
        &[
            ("Carrots", 1200),
            ("Pastry flour T45", 800),
            ("Brown sugar", 700),
            ("Eggs", 8),
            ("Olive oil, extra virgin", 500),
            ("Walnuts", 300),
            ("Ground cinnamon", 20),
            ("Cream cheese", 800),
            ("Icing sugar", 300),
        ],
    ),
    (
        "CAK-CHOC",
        2,
        30,
        45,
        "Convection oven",
        &[
            ("Dark chocolate 70%", 800),
            ("Olive oil, extra virgin", 400),
            ("Eggs", 10),
            ("Sugar", 600),
            ("Ground almonds", 300),
            ("Cocoa powder", 100),
            ("Pastry flour T45", 300),
        ],
    ),
    (
        "CAK-LEMT",
        2,
        40,
        35,
        "Convection oven",
        &[
            ("Pastry flour T45", 500),
            ("Butter 82%", 300),
            ("Icing sugar", 200),
            ("Eggs", 14),
            ("Lemons", 10),
            ("Sugar", 500),
            ("Cream 35%", 200),
        ],
    ),
];

/// Dairy that keeps a few days (their lots get a near best-before).
const FRESH: [&str; 4] = ["Whole milk", "Cream 35%", "Cream cheese", "Fresh rosemary"];

/// Empties the kitchen (for `hearth demo --reset`), each part by its writer.
pub async fn clear_in(conn: &mut SqliteConnection) -> Result<(), AppError> {
    super::purchase::clear(conn).await?;
    super::waste::clear(conn).await?;
    stock::clear_moves(conn).await?;
    super::plan::clear_batches(conn).await?;
    super::recipes::clear(conn).await?;
    stock::clear(conn).await
}

/// Seeds the kitchen (products and orders exist already). `owner` signs the moves.
pub async fn seed(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    owner: i64,
) -> Result<(), AppError> {
    let ids = ingredients(conn).await?;
    recipes(conn, &ids).await?;
    // The ovens are left without a limit of batches a day (the owner sets them on the Recipes
    // page): tests and benchmarks that raise every product's capacity expect no other limit.
    let recipes = super::recipes::recipes(conn).await?;
    let (used, bakes) = past_week(conn, &recipes, today).await?;
    deliveries(conn, &ids, &used, today, owner).await?;
    // What a real week leaves on the shelf: some of every third bake before today, unsold.
    let today_text = day_of(today, 0);
    let leftovers: Vec<(String, i64, i64)> = bakes
        .iter()
        .enumerate()
        .filter(|(i, (d, ..))| i % 3 == 0 && *d < today_text)
        .map(|(_, (d, p, _, u))| (d.clone(), *p, (*u / 8).max(1)))
        .collect();
    for (bake_day, product, batches, units) in bakes {
        let batch =
            super::plan::record_batch(conn, &bake_day, product, (batches, units), owner, &bake_day)
                .await?;
        let by = MoveBy {
            user_id: Some(owner),
            reason: "baked",
            batch_id: Some(batch),
        };
        for (ing, q) in &recipes[&product].lines {
            stock::take(conn, *ing, q * batches, "use", &by).await?;
        }
    }
    waste(conn, &ids, today, owner, leftovers).await?;
    rye_on_order(conn, &ids, today, owner).await
}

/// `today` moved by `n` days, as the kitchen's tables write a day.
fn day_of(today: NaiveDate, n: i64) -> String {
    (today + chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

/// The stock entries made by `owner` for `reason`.
fn by_owner(owner: i64, reason: &str) -> MoveBy<'_> {
    MoveBy {
        user_id: Some(owner),
        reason,
        batch_id: None,
    }
}

/// The suppliers and the ingredients, through the pantry's own forms. Returns the
/// ingredients' ids by name.
async fn ingredients(conn: &mut SqliteConnection) -> Result<HashMap<&'static str, i64>, AppError> {
    let mut suppliers = Vec::new();
    for (name, email, phone, lead) in SUPPLIERS {
        suppliers.push(stock::add_supplier(conn, name, email, phone, lead).await?);
    }
    let mut ids = HashMap::new();
    for (name, unit, cost, sup, reorder, _) in INGREDIENTS {
        let form = IngredientForm {
            name: name.into(),
            unit: unit.into(),
            cost: cost.into(),
            supplier_id: Some(suppliers[sup]),
            reorder_level: reorder.into(),
        };
        let (id, _) = stock::save_ingredient(conn, None, &form).await?;
        ids.insert(name, id);
    }
    Ok(ids)
}

/// A recipe for every product, through the recipe editor's form.
async fn recipes(
    conn: &mut SqliteConnection,
    ids: &HashMap<&'static str, i64>,
) -> Result<(), AppError> {
    let products: HashMap<String, i64> = sqlx::query!(r#"SELECT sku, id AS "id!" FROM products"#)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.sku, r.id))
        .collect();
    for (sku, yield_, prep, bake, station, lines) in RECIPES {
        let form = RecipeForm {
            batch_yield: yield_.to_string(),
            prep_minutes: prep.to_string(),
            bake_minutes: bake.to_string(),
            station: station.into(),
            lines: lines
                .iter()
                .map(|(ing, q)| LineForm {
                    ingredient_id: ids[ing],
                    quantity: q.to_string(),
                })
                .collect(),
        };
        super::recipes::save_recipe(conn, products[sku], &form).await?;
    }
    Ok(())
}

/// What the past week's baking took (and today's, for the orders already past the oven), so
/// the deliveries can cover it and leave what we want: the ingredients used and the bakes
/// (day, product, batches, units).
#[allow(clippy::type_complexity)]
async fn past_week(
    conn: &mut SqliteConnection,
    recipes: &HashMap<i64, super::recipes::Recipe>,
    today: NaiveDate,
) -> Result<(HashMap<i64, i64>, Vec<(String, i64, i64, i64)>), AppError> {
    let (from, to) = (day_of(today, -7), day_of(today, 1));
    let past = sqlx::query!(
        r#"SELECT o.fulfil_on, i.product_id, SUM(i.quantity) AS "units!: i64" FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.fulfil_on >= ? AND o.fulfil_on < ? AND o.status NOT IN ('cancelled', 'received', 'confirmed')
           GROUP BY o.fulfil_on, i.product_id"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut used: HashMap<i64, i64> = HashMap::new();
    let mut bakes = Vec::new();
    for p in &past {
        if let Some(r) = recipes.get(&p.product_id) {
            let batches = super::model::batches_for(p.units, r.batch_yield);
            for (ing, q) in &r.lines {
                *used.entry(*ing).or_default() += q * batches;
            }
            bakes.push((
                p.fulfil_on.clone(),
                p.product_id,
                batches,
                batches * r.batch_yield,
            ));
        }
    }
    Ok((used, bakes))
}

/// Deliveries ten days ago (what the week used and what is left), and a fresh lot of dairy.
async fn deliveries(
    conn: &mut SqliteConnection,
    ids: &HashMap<&'static str, i64>,
    used: &HashMap<i64, i64>,
    today: NaiveDate,
    owner: i64,
) -> Result<(), AppError> {
    let day = |n: i64| day_of(today, n);
    for (n, (name, unit, _, _, reorder, left)) in INGREDIENTS.iter().enumerate() {
        let unit = super::Unit::parse(unit).unwrap_or(super::Unit::G);
        let level = unit.to_base(reorder).unwrap_or(0);
        let want =
            used.get(&ids[name]).copied().unwrap_or(0) + (level as f64 * left).round() as i64;
        let fresh = FRESH.contains(name);
        let (first, second) = if fresh {
            (want * 2 / 3, want - want * 2 / 3)
        } else {
            (want, 0)
        };
        let bb = if fresh { day(2) } else { day(90 + n as i64) };
        stock::receive(
            conn,
            ids[name],
            first.max(1),
            &format!("L{}-{:03}", day(-10).replace('-', ""), n + 1),
            Some(&bb),
            &day(-10),
            &by_owner(owner, ""),
        )
        .await?;
        if second > 0 {
            stock::receive(
                conn,
                ids[name],
                second,
                &format!("L{}-{:03}", day(-2).replace('-', ""), n + 1),
                Some(&day(6)),
                &day(-2),
                &by_owner(owner, ""),
            )
            .await?;
        }
    }
    Ok(())
}

/// Some waste, as a real week has, and the `leftovers` (day, product, units) unsold.
async fn waste(
    conn: &mut SqliteConnection,
    ids: &HashMap<&'static str, i64>,
    today: NaiveDate,
    owner: i64,
    leftovers: Vec<(String, i64, i64)>,
) -> Result<(), AppError> {
    for (name, q, why) in [
        ("Whole milk", 1000, "Expired"),
        ("Eggs", 6, "Broken in delivery"),
        ("Butter 82%", 250, "Dropped"),
    ] {
        stock::take(conn, ids[name], q, "waste", &by_owner(owner, why)).await?;
    }
    for (bake_day, product, units) in leftovers {
        let day = NaiveDate::parse_from_str(&bake_day, "%Y-%m-%d").unwrap_or(today);
        let units = units.to_string();
        let waste = super::waste::Waste {
            day,
            product_id: product,
            units: &units,
            reason: "unsold",
            note: "",
            user_id: Some(owner),
        };
        super::waste::record(conn, today, &waste).await?;
    }
    Ok(())
}

/// Rye flour is low: the owner has ordered more, due in two days.
async fn rye_on_order(
    conn: &mut SqliteConnection,
    ids: &HashMap<&'static str, i64>,
    today: NaiveDate,
    owner: i64,
) -> Result<(), AppError> {
    let rye = ids["Rye flour"];
    let supplier = sqlx::query_scalar!("SELECT supplier_id FROM ingredients WHERE id = ?", rye)
        .fetch_one(&mut *conn)
        .await?;
    if let Some(supplier_id) = supplier {
        super::purchase::create(
            conn,
            today,
            &super::purchase::NewPurchase {
                supplier_id,
                arrives_on: today + chrono::Duration::days(2),
                lines: &[(rye, 10_000)],
                note: "",
                user_id: Some(owner),
            },
        )
        .await?;
    }
    Ok(())
}
