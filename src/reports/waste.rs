//! What the kitchen threw away over a period (from `product_waste`, written by
//! `kitchen::waste`), per product: units by reason, against what was baked on those days, and
//! what it cost to bake at the recipes' costs.
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::WasteRow;
use crate::error::AppError;

/// Products with waste in `from..=to` (bake days), most thrown away first.
pub async fn waste(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
    names: &HashMap<i64, String>,
    unit_costs: &HashMap<i64, f64>,
) -> Result<Vec<WasteRow>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    let mut by_product: BTreeMap<i64, Vec<(String, i64)>> = BTreeMap::new();
    for r in sqlx::query!(
        r#"SELECT product_id, reason, SUM(units) AS "units!: i64" FROM product_waste
           WHERE bake_day BETWEEN ? AND ? GROUP BY product_id, reason"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    {
        by_product
            .entry(r.product_id)
            .or_default()
            .push((r.reason, r.units));
    }
    let baked: HashMap<i64, i64> = sqlx::query!(
        r#"SELECT product_id, SUM(units) AS "units!: i64" FROM bake_batches
           WHERE bake_day BETWEEN ? AND ? GROUP BY product_id"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.product_id, r.units))
    .collect();
    Ok(rows(by_product, &baked, names, unit_costs))
}

/// The rows from what was thrown away and baked per product (pure, for the tests).
pub fn rows(
    by_product: BTreeMap<i64, Vec<(String, i64)>>,
    baked: &HashMap<i64, i64>,
    names: &HashMap<i64, String>,
    unit_costs: &HashMap<i64, f64>,
) -> Vec<WasteRow> {
    let mut out: Vec<WasteRow> = by_product
        .into_iter()
        .map(|(product, mut reasons)| {
            reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let wasted = reasons.iter().map(|r| r.1).sum();
            WasteRow {
                product: names
                    .get(&product)
                    .cloned()
                    .unwrap_or_else(|| format!("#{product}")),
                baked: baked.get(&product).copied().unwrap_or(0),
                wasted,
                reasons,
                cost_cents: unit_costs
                    .get(&product)
                    .map(|c| (c * wasted as f64).round() as i64),
            }
        })
        .collect();
    out.sort_by(|a, b| b.wasted.cmp(&a.wasted).then(a.product.cmp(&b.product)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waste_is_summed_per_product_by_reason_and_costed_at_the_recipe() {
        let by: BTreeMap<i64, Vec<(String, i64)>> = [
            (1, vec![("burnt".into(), 1), ("unsold".into(), 3)]),
            (2, vec![("unsold".into(), 5)]),
        ]
        .into();
        let baked = [(1, 40), (2, 12)].into();
        let names = [(1, "Rye".to_string()), (2, "Cake".to_string())].into();
        let costs = [(1, 55.5)].into();
        let r = rows(by, &baked, &names, &costs);
        assert_eq!(r[0].product, "Cake", "most thrown away first");
        assert_eq!((r[0].wasted, r[0].baked, r[0].cost_cents), (5, 12, None));
        assert_eq!(
            r[1].reasons,
            vec![("unsold".into(), 3), ("burnt".into(), 1)]
        );
        assert_eq!((r[1].wasted, r[1].cost_cents), (4, Some(222)));
    }
}
