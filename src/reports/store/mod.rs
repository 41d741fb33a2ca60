//! The report's queries. Each section groups in SQL (over the `orders_for_reports` and
//! `order_items_for_reports` covering indexes) and hands small grouped rows to `figures`;
//! products, delivery windows, profit and the forecast's history read past days from their
//! day summaries (`days`) and only the rest live. Orders count by their delivery or pickup day
//! (`fulfil_on`); cancelled ones count only as cancellations.
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, TimeZone, Timelike};
use sqlx::SqliteConnection;

use super::figures::{self, DistrictInfo};
use super::*;
use crate::error::AppError;

pub mod days;
mod history;
mod profit;

pub use history::{bookings, forecast, recent_bookings};
pub use profit::{district_info, profit_cells, rates};

fn day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

/// Orders and revenue per day, and the period's distinct customers.
pub async fn sales(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<(NaiveDate, i64, i64)>, i64), AppError> {
    let days = sales_by_day(conn, from, to).await?;
    let (f, t) = (from.to_string(), to.to_string());
    let customers = sqlx::query_scalar!(
        r#"SELECT COUNT(DISTINCT customer_id) AS "n!: i64" FROM orders INDEXED BY orders_for_reports
           WHERE fulfil_on BETWEEN ? AND ? AND status <> 'cancelled'"#,
        f,
        t
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((days, customers))
}

/// Orders and revenue (their totals) per day, from each district-day's figures.
pub async fn sales_by_day(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64, i64)>, AppError> {
    let mut by: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    for r in days::districts(conn, from, to).await? {
        let e = by.entry(r.day).or_default();
        e.0 += r.orders;
        e.1 += r.total_cents;
    }
    Ok(by.into_iter().map(|(d, (o, r))| (d, o, r)).collect())
}

/// Units and takings per (district, weekday Monday = 0, product) over the period.
pub async fn items(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(Option<i64>, usize, i64, i64, i64)>, AppError> {
    let mut by: BTreeMap<(Option<i64>, usize, i64), (i64, i64)> = BTreeMap::new();
    for r in days::items(conn, from, to).await? {
        let e = by
            .entry((r.district, super::forecast::weekday_index(r.day), r.product))
            .or_default();
        e.0 += r.units;
        e.1 += r.cents;
    }
    Ok(by
        .into_iter()
        .map(|((district, weekday, product), (units, cents))| {
            (district, weekday, product, units, cents)
        })
        .collect())
}

/// When the period's orders arrived, per local weekday and hour.
pub async fn arrivals(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
    tz: chrono_tz::Tz,
) -> Result<Heat, AppError> {
    let mut by: BTreeMap<String, i64> = BTreeMap::new();
    for r in days::arrivals(conn, from, to).await? {
        *by.entry(r.hour).or_default() += r.orders;
    }
    let hours: Vec<(chrono::NaiveDateTime, i64)> = by
        .into_iter()
        .filter_map(|(hour, n)| {
            let at = format!("{hour}:00");
            Some((
                chrono::NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M").ok()?,
                n,
            ))
        })
        .collect();
    Ok(figures::heat(&hours, |utc| {
        let l = tz.from_utc_datetime(&utc);
        (
            l.weekday().num_days_from_monday() as usize,
            l.hour() as usize,
        )
    }))
}

/// Deliveries per window and weekday.
pub async fn windows(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<WindowRow>, AppError> {
    let rows = days::windows(conn, from, to).await?;
    let mut by: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in rows {
        let w = if r.window == "–" {
            "Any time".to_string()
        } else {
            r.window
        };
        by.entry(w).or_insert_with(|| vec![0; 7])[super::forecast::weekday_index(r.day)] +=
            r.deliveries;
    }
    Ok(by
        .into_iter()
        .map(|(window, by_weekday)| WindowRow {
            total: by_weekday.iter().sum(),
            window,
            by_weekday,
        })
        .collect())
}

/// New customers (first order ever in the period) and returning ones, and their orders.
pub async fn customers(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<CustomerMix, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    // Each customer of the period once, then whether they had ordered before it (an index
    // probe each), rather than every customer's first order over the whole history.
    let rows = sqlx::query!(
        r#"WITH c AS (SELECT customer_id, COUNT(*) AS n FROM orders INDEXED BY orders_for_reports
                      WHERE fulfil_on BETWEEN ?1 AND ?2 AND status <> 'cancelled' GROUP BY customer_id)
           SELECT NOT EXISTS (SELECT 1 FROM orders p INDEXED BY orders_by_customer_time
                              WHERE p.customer_id = c.customer_id AND p.fulfil_on < ?1
                                AND p.status <> 'cancelled') AS "new!: bool",
                  COUNT(*) AS "customers!: i64", SUM(c.n) AS "orders!: i64"
           FROM c GROUP BY 1"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut mix = CustomerMix::default();
    for r in rows {
        if r.new {
            mix.new_customers = r.customers;
            mix.orders_new = r.orders;
        } else {
            mix.returning_customers = r.customers;
            mix.orders_returning = r.orders;
        }
    }
    Ok(mix)
}

/// Cancelled orders of the period, by the reason given.
pub async fn cancellations(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(i64, Vec<ReasonRow>), AppError> {
    let mut by: BTreeMap<String, i64> = BTreeMap::new();
    for r in days::cancellations(conn, from, to).await? {
        *by.entry(r.reason).or_default() += r.orders;
    }
    let raw: Vec<(String, i64)> = by.into_iter().collect();
    let total = raw.iter().map(|r| r.1).sum();
    Ok((total, figures::group_reasons(&raw, 8)))
}

/// The period's failed deliveries (a stop whose last report is "failed"), by reason, and the
/// delivery fees they cost per (district, weekday).
pub async fn failures(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<ReasonRow>, HashMap<(Option<i64>, usize), i64>), AppError> {
    let mut fees: HashMap<(Option<i64>, usize), i64> = HashMap::new();
    let mut by: BTreeMap<String, i64> = BTreeMap::new();
    for r in days::failures(conn, from, to).await? {
        *fees
            .entry((r.district, super::forecast::weekday_index(r.day)))
            .or_default() += r.fee_cents;
        *by.entry(figures::reason_of(&r.reason)).or_default() += r.stops;
    }
    let raw: Vec<(String, i64)> = by.into_iter().collect();
    Ok((figures::group_reasons(&raw, 8), fees))
}

/// Cash on delivery per driver over the period's runs: what was due at each delivered stop
/// (its order's total when paid cash, kept on the stop) and what was collected.
pub async fn cash(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<CashRow>, AppError> {
    let mut by: BTreeMap<i64, CashRow> = BTreeMap::new();
    for r in days::cash(conn, from, to).await? {
        let row = by.entry(r.driver_id).or_insert_with(|| CashRow {
            driver: String::new(),
            stops: 0,
            expected_cents: 0,
            collected_cents: 0,
        });
        row.stops += r.stops;
        row.expected_cents += r.expected_cents;
        row.collected_cents += r.collected_cents;
    }
    let names: HashMap<i64, String> = sqlx::query!(r#"SELECT id AS "id!", name FROM users"#)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut rows: Vec<(i64, CashRow)> = by.into_iter().collect();
    for (id, row) in &mut rows {
        row.driver = names.get(id).cloned().unwrap_or_default();
    }
    rows.sort_by(|a, b| a.1.driver.cmp(&b.1.driver).then(a.0.cmp(&b.0)));
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// The whole report for `from..=to` (the caller checks the dates).
pub async fn report(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    grain: Grain,
    tz: chrono_tz::Tz,
    currency: String,
) -> Result<Report, AppError> {
    let (pf, pt) = figures::previous_period(from, to);
    let days = sales_by_day(conn, from, to).await?;
    let (prev_days, customers_before) = sales(conn, pf, pt).await?;
    // The period's customers are its new ones and its returning ones.
    let mix = customers(conn, from, to).await?;
    let customers_now = mix.new_customers + mix.returning_customers;
    let sum = |d: &[(NaiveDate, i64, i64)]| {
        d.iter()
            .fold((0, 0), |(o, r), &(_, oo, rr)| (o + oo, r + rr))
    };
    let (orders, revenue) = sum(&days);
    let (p_orders, p_revenue) = sum(&prev_days);
    let items = items(conn, from, to).await?;
    let names: HashMap<i64, String> = crate::menu::repo::names(&mut *conn)
        .await?
        .into_iter()
        .collect();
    let unit_costs = crate::kitchen::recipes::unit_costs(&mut *conn).await?;
    let info = district_info(conn).await?;
    let (products, by_district, units_without_cost) =
        product_tables(&items, &names, &unit_costs, &info);
    let (cancelled, cancellations) = cancellations(conn, from, to).await?;
    let (failures, failed_fees) = failures(conn, from, to).await?;
    let rates = rates(conn).await?;
    let cells = profit_cells(conn, from, to, &items, &unit_costs, &failed_fees, &rates).await?;
    let (profit, profit_total, district_days) = figures::profit(&cells, &info);
    Ok(Report {
        today: today.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        previous_from: pf.to_string(),
        previous_to: pt.to_string(),
        grain,
        currency,
        totals: figures::totals(orders, revenue, customers_now),
        previous: figures::totals(p_orders, p_revenue, customers_before),
        series: figures::series(&days, from, to, grain),
        products,
        by_district,
        heat: arrivals(conn, from, to, tz).await?,
        windows: windows(conn, from, to).await?,
        customers: mix,
        cancelled,
        cancellations,
        failed: failures.iter().map(|r| r.count).sum(),
        failures,
        cash: cash(conn, from, to).await?,
        profit,
        profit_total,
        district_days,
        units_without_cost,
        waste: super::waste::waste(conn, from, to, &names, &unit_costs).await?,
        loyalty: loyalty(conn, (from, to), (pf, pt)).await?,
    })
}

/// The programme's points over the period and the one before, and what is held at its end;
/// None when the bakery has never run one.
async fn loyalty(
    conn: &mut SqliteConnection,
    (from, to): (NaiveDate, NaiveDate),
    (pf, pt): (NaiveDate, NaiveDate),
) -> Result<Option<super::LoyaltyRow>, AppError> {
    use crate::loyalty::{read, store};
    let program = store::program(&mut *conn).await?;
    let any =
        sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM loyalty_ledger) AS "any!: bool""#)
            .fetch_one(&mut *conn)
            .await?;
    if !program.enabled && !any {
        return Ok(None);
    }
    let (held, holders) = read::holding(&mut *conn, to).await?;
    Ok(Some(super::LoyaltyRow {
        movement: read::movement(&mut *conn, from, to).await?,
        previous: read::movement(&mut *conn, pf, pt).await?,
        held,
        held_cents: program.value_cents(held),
        holders,
    }))
}

/// Products by units (with their margin where a recipe gives the cost), and each product's
/// units per district.
pub fn product_tables(
    items: &[(Option<i64>, usize, i64, i64, i64)],
    names: &HashMap<i64, String>,
    unit_costs: &HashMap<i64, f64>,
    info: &BTreeMap<i64, DistrictInfo>,
) -> (Vec<ProductRow>, Vec<ProductByDistrict>, i64) {
    let mut by_product: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut where_sold: BTreeMap<i64, BTreeMap<Option<i64>, i64>> = BTreeMap::new();
    for &(district, _, product, units, cents) in items {
        let e = by_product.entry(product).or_default();
        e.0 += units;
        e.1 += cents;
        *where_sold
            .entry(product)
            .or_default()
            .entry(district)
            .or_default() += units;
    }
    let name = |p: &i64| names.get(p).cloned().unwrap_or_else(|| format!("#{p}"));
    let mut without = 0;
    let mut products: Vec<ProductRow> = by_product
        .iter()
        .map(|(p, &(units, cents))| {
            let cogs = unit_costs.get(p).map(|c| (c * units as f64).round() as i64);
            if cogs.is_none() {
                without += units;
            }
            ProductRow {
                product_id: *p,
                name: name(p),
                units,
                revenue_cents: cents,
                cogs_cents: cogs,
                margin_cents: cogs.map(|c| cents - c),
            }
        })
        .collect();
    products.sort_by(|a, b| b.units.cmp(&a.units).then(a.name.cmp(&b.name)));
    let mut by_district: Vec<ProductByDistrict> = where_sold
        .into_iter()
        .map(|(p, ds)| {
            let mut districts: Vec<(String, i64)> = ds
                .into_iter()
                .map(|(d, u)| {
                    let n = match d {
                        Some(id) => info
                            .get(&id)
                            .map(|i| i.name.clone())
                            .unwrap_or_else(|| format!("District {id}")),
                        None => "Pickup".into(),
                    };
                    (n, u)
                })
                .collect();
            districts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            ProductByDistrict {
                product: name(&p),
                districts,
            }
        })
        .collect();
    by_district.sort_by(|a, b| a.product.cmp(&b.product));
    (products, by_district, without)
}
