//! Available-to-promise from the pantry: can the ingredients in stock, plus what is on order
//! and arrives before the bake day, cover the batches an order adds, after every batch already
//! booked from today on? Only when the owner switched the check on (`kitchen_rules`).
//!
//! Stock is used up day by day: an order on Tuesday must not take flour that Wednesday's
//! booked bread needs when nothing arrives in between. So for each ingredient the check walks
//! the days from the order's bake day to the last day anything is booked or due, and asks that
//! what is free on each of them (stock + arrivals before that day − booked use up to that day)
//! still covers the order. Whole batches, like the ovens: an order that fits into a batch
//! already booked (the rest of a tray) takes nothing more.
use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};

use super::capacity::{Line, Refusal};
use crate::kitchen::model::Unit;

#[cfg(feature = "ssr")]
fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// What the pantry holds and owes, loaded once per write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pantry {
    pub today: NaiveDate,
    /// Product → (units a batch makes, [(ingredient, base units a batch takes)]).
    pub recipes: HashMap<i64, (i64, Vec<(i64, i64)>)>,
    /// Ingredient → (name, unit).
    pub ingredients: HashMap<i64, (String, Unit)>,
    /// Ingredient → base units in stock now.
    pub stock: HashMap<i64, i64>,
    /// (ingredient, day it arrives) → base units on open purchase orders. A late order counts
    /// as arriving today.
    pub arriving: BTreeMap<(i64, NaiveDate), i64>,
    /// (product, bake day) → units booked, from today on.
    pub units: HashMap<(i64, NaiveDate), i64>,
    /// (product, bake day) → batches baked already (their ingredients left stock then).
    pub baked: HashMap<(i64, NaiveDate), i64>,
}

impl Pantry {
    /// Loads it, for a caller that has read that booking checks the pantry (`Booked::load_for`
    /// reads the switch with the counters). With `products` (an order's own), only what their
    /// ingredients need: those ingredients' stock and arrivals, and the bookings of every
    /// product that uses any of them. None loads every recipe.
    #[cfg(feature = "ssr")]
    pub async fn load(
        conn: &mut sqlx::SqliteConnection,
        today: NaiveDate,
        products: Option<&[i64]>,
    ) -> Result<Pantry, crate::error::AppError> {
        let mut p = Pantry {
            today,
            ..Pantry::default()
        };
        p.read_recipes(conn, products).await?;
        if !p.ingredients.is_empty() {
            p.read_stock(conn).await?;
            p.read_booked(conn).await?;
        }
        Ok(p)
    }

    #[cfg(feature = "ssr")]
    async fn read_recipes(
        &mut self,
        conn: &mut sqlx::SqliteConnection,
        products: Option<&[i64]>,
    ) -> Result<(), crate::error::AppError> {
        // Every recipe line of an ingredient the order's products use (all when None), with
        // the ingredient: the products that share them, and their names and units.
        let products = products.map(|p| serde_json::to_string(p).unwrap_or_else(|_| "[]".into()));
        for r in sqlx::query!(
            r#"WITH wanted(id) AS (SELECT DISTINCT ingredient_id FROM recipe_lines
                                   WHERE ?1 IS NULL OR product_id IN (SELECT value FROM json_each(?1)))
               SELECT r.product_id, r.batch_yield, l.ingredient_id, l.quantity, i.name, i.unit
               FROM recipe_lines l JOIN recipes r ON r.product_id = l.product_id
               JOIN ingredients i ON i.id = l.ingredient_id
               WHERE l.ingredient_id IN wanted"#,
            products
        )
        .fetch_all(&mut *conn)
        .await?
        {
            self.recipes
                .entry(r.product_id)
                .or_insert((r.batch_yield, Vec::new()))
                .1
                .push((r.ingredient_id, r.quantity));
            let unit = Unit::parse(&r.unit).unwrap_or(Unit::G);
            self.ingredients.insert(r.ingredient_id, (r.name, unit));
        }
        Ok(())
    }

    #[cfg(feature = "ssr")]
    async fn read_stock(
        &mut self,
        conn: &mut sqlx::SqliteConnection,
    ) -> Result<(), crate::error::AppError> {
        let ings = serde_json::to_string(&self.ingredients.keys().collect::<Vec<_>>())
            .unwrap_or_else(|_| "[]".into());
        // Stock now (no day) and open purchase orders by the day they arrive, in one read.
        for r in sqlx::query!(
            r#"SELECT ingredient_id AS "ingredient_id!: i64", NULL AS "day?: String", SUM(quantity) AS "quantity!: i64"
               FROM stock_moves WHERE ingredient_id IN (SELECT value FROM json_each(?1)) GROUP BY ingredient_id
               UNION ALL
               SELECT l.ingredient_id, o.arrives_on, SUM(l.quantity)
               FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
               WHERE o.status = 'open' AND l.ingredient_id IN (SELECT value FROM json_each(?1))
               GROUP BY l.ingredient_id, o.arrives_on"#,
            ings
        )
        .fetch_all(&mut *conn)
        .await?
        {
            match r.day.as_deref() {
                None => {
                    self.stock.insert(r.ingredient_id, r.quantity);
                }
                Some(raw) => {
                    if let Some(d) = day(raw) {
                        *self.arriving
                            .entry((r.ingredient_id, d.max(self.today)))
                            .or_default() += r.quantity;
                    }
                }
            }
        }
        Ok(())
    }

    #[cfg(feature = "ssr")]
    async fn read_booked(
        &mut self,
        conn: &mut sqlx::SqliteConnection,
    ) -> Result<(), crate::error::AppError> {
        let users = serde_json::to_string(&self.recipes.keys().collect::<Vec<_>>())
            .unwrap_or_else(|_| "[]".into());
        let t = self.today.to_string();
        // Units booked and batches baked of those products from today on, in one read.
        for r in sqlx::query!(
            r#"SELECT 'units' AS "what!: String", ref_id AS "product!: i64", day AS "day!: String", used AS "n!: i64"
               FROM capacity_used
               WHERE kind = 'units' AND ref_id IN (SELECT value FROM json_each(?1)) AND day >= ?2
               UNION ALL
               SELECT 'baked', product_id, bake_day, SUM(batches) FROM bake_batches
               WHERE bake_day >= ?2 AND product_id IN (SELECT value FROM json_each(?1))
               GROUP BY product_id, bake_day"#,
            users,
            t
        )
        .fetch_all(&mut *conn)
        .await?
        {
            if let Some(d) = day(&r.day) {
                let into = if r.what == "units" { &mut self.units } else { &mut self.baked };
                into.insert((r.product, d), r.n);
            }
        }
        Ok(())
    }

    /// Batches of `product` still to bake on `day` when `units` are booked.
    fn to_bake(&self, product: i64, day: NaiveDate, units: i64) -> i64 {
        let Some((batch, _)) = self.recipes.get(&product) else {
            return 0;
        };
        let batch = (*batch).max(1);
        let baked = self.baked.get(&(product, day)).copied().unwrap_or(0);
        ((units.max(0) + batch - 1) / batch - baked).max(0)
    }

    /// Takes an order's own units off `day` (see `Booked::release`).
    pub fn release(&mut self, lines: &[Line], day: NaiveDate) {
        for l in lines {
            if let Some(n) = self.units.get_mut(&(l.product_id, day)) {
                *n = (*n - l.quantity).max(0);
            }
        }
    }

    /// What `lines` add on `day`: per ingredient, the base units of the new batches; per
    /// product, how many batches are new.
    fn adds(&self, lines: &[Line], day: NaiveDate) -> (BTreeMap<i64, i64>, HashMap<i64, i64>) {
        // What the order adds, per product, then per ingredient.
        let mut extra: BTreeMap<i64, i64> = BTreeMap::new();
        for l in lines {
            *extra.entry(l.product_id).or_default() += l.quantity;
        }
        let mut adds: BTreeMap<i64, i64> = BTreeMap::new();
        let mut adding: HashMap<i64, i64> = HashMap::new();
        for (product, q) in &extra {
            let units = self.units.get(&(*product, day)).copied().unwrap_or(0);
            let more = self.to_bake(*product, day, units + q) - self.to_bake(*product, day, units);
            adding.insert(*product, more);
            if let Some((_, recipe)) = self.recipes.get(product).filter(|_| more > 0) {
                for (ing, per_batch) in recipe {
                    *adds.entry(*ing).or_default() += per_batch * more;
                }
            }
        }
        (adds, adding)
    }

    /// The least of each ingredient in `adds` free on any day from `day` on (stock, plus what
    /// arrives before each day, minus what the batches booked up to it take).
    fn least_free(&self, adds: &BTreeMap<i64, i64>, day: NaiveDate) -> HashMap<i64, i64> {
        // Stock only falls on days something is booked: the last of those (or the order's own
        // day) ends the walk.
        let last = self
            .units
            .keys()
            .map(|(_, d)| *d)
            .max()
            .unwrap_or(day)
            .max(day);
        // What the batches booked on each day take of the ingredients in question (one pass).
        let mut used_on: HashMap<NaiveDate, HashMap<i64, i64>> = HashMap::new();
        for ((product, d), units) in &self.units {
            let batches = self.to_bake(*product, *d, *units);
            let Some((_, recipe)) = self.recipes.get(product).filter(|_| batches > 0) else {
                continue;
            };
            for (ing, q) in recipe.iter().filter(|(i, _)| adds.contains_key(i)) {
                *used_on.entry(*d).or_default().entry(*ing).or_default() += q * batches;
            }
        }
        let nothing = HashMap::new();
        // Free on each day from today: stock + what arrived before that day − booked use so far.
        let mut free: HashMap<i64, i64> = adds
            .keys()
            .map(|i| (*i, self.stock.get(i).copied().unwrap_or(0)))
            .collect();
        let mut least: HashMap<i64, i64> = HashMap::new();
        let mut d = self.today;
        while d <= last {
            let used = used_on.get(&d).unwrap_or(&nothing);
            for (ing, have) in free.iter_mut() {
                if d > self.today {
                    *have += self
                        .arriving
                        .get(&(*ing, d - Duration::days(1)))
                        .copied()
                        .unwrap_or(0);
                }
                *have -= used.get(ing).copied().unwrap_or(0);
                if d >= day {
                    let l = least.entry(*ing).or_insert(*have);
                    *l = (*l).min(*have);
                }
            }
            d += Duration::days(1);
        }
        least
    }

    /// Why the pantry can't cover what `lines` add on `day`, or None. The line named is the
    /// first whose new batches need the ingredient that runs short.
    pub fn refusal(&self, lines: &[Line], day: NaiveDate) -> Option<Refusal> {
        if day < self.today {
            return None;
        }
        let (adds, adding) = self.adds(lines, day);
        if adds.is_empty() {
            return None;
        }
        let least = self.least_free(&adds, day);
        let (ing, need, left) = adds.iter().find_map(|(ing, need)| {
            let left = least.get(ing).copied().unwrap_or(0);
            (left < *need).then_some((*ing, *need, left.max(0)))
        })?;
        let (name, unit) = self
            .ingredients
            .get(&ing)
            .cloned()
            .unwrap_or_else(|| (format!("Ingredient {ing}"), Unit::G));
        // The first line whose new batches take it (not one that only fills a booked tray).
        let index = lines.iter().position(|l| {
            adding.get(&l.product_id).is_some_and(|more| *more > 0)
                && self
                    .recipes
                    .get(&l.product_id)
                    .is_some_and(|(_, r)| r.iter().any(|(i, _)| *i == ing))
        })?;
        Some(Refusal {
            field: format!("items[{index}].quantity"),
            message: crate::said::said_with(
                "refuse-pantry",
                &[
                    ("ingredient", &name),
                    ("product", &lines[index].name),
                    ("day", &day),
                    ("needs", &unit.show(need)),
                    ("free", &unit.show(left)),
                ],
            ),
            next: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLOUR: i64 = 7;
    const BREAD: i64 = 1;

    fn d(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap() + Duration::days(n)
    }

    /// Bread: 10 loaves a batch, 500 g of flour a batch; `stock` g of flour in stock.
    fn pantry(stock: i64) -> Pantry {
        Pantry {
            today: d(0),
            recipes: [(BREAD, (10, vec![(FLOUR, 500)]))].into(),
            ingredients: [(FLOUR, ("Rye flour".to_string(), Unit::Kg))].into(),
            stock: [(FLOUR, stock)].into(),
            ..Pantry::default()
        }
    }

    fn bread(quantity: i64) -> Vec<Line> {
        vec![Line {
            product_id: BREAD,
            name: "Rye bread".into(),
            quantity,
            capacity: 1000,
            offered: 0b111_1111,
            lead_days: 0,
        }]
    }

    #[test]
    fn stock_covers_whole_batches_and_a_shortfall_names_the_ingredient_and_the_line() {
        let p = pantry(1000);
        assert_eq!(p.refusal(&bread(20), d(1)), None, "two batches, 1 kg: fits");
        let r = p
            .refusal(&bread(21), d(1))
            .expect("three batches need 1.5 kg");
        assert_eq!(r.field, "items[0].quantity");
        assert!(r.message.contains("Rye flour"), "{}", r.message);
        assert!(r.message.contains("Rye bread"), "{}", r.message);
        assert!(
            r.message.contains("1.5 kg") && r.message.contains("1 kg"),
            "{}",
            r.message
        );
    }

    #[test]
    fn the_line_named_is_the_first_whose_new_batches_take_the_short_ingredient() {
        // Rolls (batches of 10, 100 g of flour) have a booked tray with room for 5 more;
        // bread needs a new batch. The order lists rolls first, but only bread takes flour.
        const ROLLS: i64 = 2;
        let mut p = pantry(400);
        p.recipes.insert(ROLLS, (10, vec![(FLOUR, 100)]));
        p.units.insert((ROLLS, d(1)), 5);
        let mut lines = vec![Line {
            product_id: ROLLS,
            name: "Rye rolls".into(),
            quantity: 5,
            capacity: 1000,
            offered: 0b111_1111,
            lead_days: 0,
        }];
        lines.extend(bread(10));
        let r = p.refusal(&lines, d(1)).expect("500 g needed, 300 g free");
        assert_eq!(r.field, "items[1].quantity", "{}", r.message);
        assert!(r.message.contains("Rye bread"), "{}", r.message);
    }

    #[test]
    fn an_order_may_not_take_what_a_later_booked_day_needs() {
        let mut p = pantry(1000);
        p.units.insert((BREAD, d(3)), 10);
        // Two batches today-plus-one would leave Thursday's batch without flour.
        assert!(p.refusal(&bread(15), d(1)).is_some());
        assert_eq!(p.refusal(&bread(10), d(1)), None);
        // After Thursday, only what Thursday left is free.
        assert!(p.refusal(&bread(11), d(4)).is_some());
        assert_eq!(p.refusal(&bread(10), d(4)), None);
    }

    #[test]
    fn a_purchase_order_counts_from_the_day_after_it_arrives() {
        let mut p = pantry(0);
        p.arriving.insert((FLOUR, d(2)), 1000);
        assert!(
            p.refusal(&bread(10), d(2)).is_some(),
            "arrives that day: too late"
        );
        assert_eq!(p.refusal(&bread(20), d(3)), None);
        assert!(p.refusal(&bread(21), d(3)).is_some());
    }

    #[test]
    fn the_rest_of_a_booked_tray_and_batches_baked_take_nothing_more() {
        let mut p = pantry(0);
        p.units.insert((BREAD, d(1)), 5);
        assert_eq!(p.refusal(&bread(5), d(1)), None, "fills the batch booked");
        assert!(p.refusal(&bread(6), d(1)).is_some(), "needs a second batch");
        // Today's batch is baked (its flour left stock then): what is left of it is free.
        let mut p = pantry(500);
        p.units.insert((BREAD, d(0)), 10);
        p.baked.insert((BREAD, d(0)), 1);
        assert_eq!(p.refusal(&bread(10), d(1)), None);
    }

    #[test]
    fn releasing_an_order_gives_its_batches_back_and_past_days_are_not_checked() {
        let mut p = pantry(500);
        p.units.insert((BREAD, d(1)), 10);
        assert!(p.refusal(&bread(10), d(1)).is_some());
        p.release(&bread(10), d(1));
        assert_eq!(p.refusal(&bread(10), d(1)), None);
        assert_eq!(p.refusal(&bread(999), d(-1)), None);
    }

    #[test]
    fn products_without_a_recipe_never_wait_for_the_pantry() {
        let mut lines = bread(1);
        lines[0].product_id = 99;
        assert_eq!(pantry(0).refusal(&lines, d(1)), None);
    }
}
