//! The demo's menu terms, its standing orders, and today's run published for the driver.
//! (The orders themselves are written as they were by `orders::core::as_written`.)
use sqlx::SqlitePool;

use super::*;

/// The demo menu's category, tax (Spain: 4 % on bread, 10 % on the rest), allergens and
/// dietary tags.
pub(super) fn demo_terms(
    sku: &str,
    cat: &str,
) -> (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
) {
    let category = match cat {
        "bread" => "Breads",
        "pastry" => "Pastries",
        _ => "Cakes",
    };
    let tax = if cat == "bread" { "4" } else { "10" };
    let (allergens, dietary): (&[&str], &[&str]) = match sku {
        "BRD-SOUR" | "BRD-BAG" | "BRD-SPELT" => (&["gluten"], &["vegan"]),
        "BRD-SEED" => (&["gluten", "sesame"], &["vegan"]),
        "BRD-FOC" => (&["gluten"], &["vegan"]),
        "BRD-BRIO" | "PAS-CROI" | "PAS-PAC" | "PAS-CIN" | "PAS-CARD" => {
            (&["gluten", "eggs", "milk"], &["vegetarian"])
        }
        "PAS-ALM" => (&["gluten", "eggs", "milk", "nuts"], &["vegetarian"]),
        "CAK-CARR" => (&["gluten", "eggs", "milk", "nuts"], &["vegetarian"]),
        "CAK-CHOC" => (&["gluten", "eggs"], &["vegetarian", "lactose_free"]),
        _ => (&["gluten", "eggs", "milk"], &["vegetarian"]),
    };
    (category, tax, allergens, dietary)
}

/// Two regular customers in Centro: a café's sourdough on Tuesdays and Fridays (or Mondays and
/// Thursdays, if that suits the runs) and a family's Saturday bread box, booked from next week
/// through the standing orders' own writer; their visits are created at once, through the
/// order core, as the worker would. Returns the orders created.
pub(super) async fn standing_orders(pool: &SqlitePool, config: &Config) -> Result<usize, AppError> {
    let customers = sqlx::query!(
        r#"SELECT c.name, c.phone, c.address, c.lat AS "lat!: f64", c.lng AS "lng!: f64"
           FROM customers c JOIN districts d ON d.id = c.district_id
           WHERE d.name = 'Centro' AND c.lat IS NOT NULL ORDER BY c.id LIMIT 2"#
    )
    .fetch_all(pool)
    .await?;
    let today = config.today();
    let monday = crate::standing::model::monday_of(today) + chrono::Duration::days(7);
    type Plan = (
        &'static [(&'static str, i64)],
        &'static [&'static [&'static str]],
    );
    let plans: [Plan; 2] = [
        (
            &[("BRD-SOUR", 3), ("BRD-BAG", 4)],
            &[&["tue", "fri"], &["mon", "thu"]],
        ),
        (&[("BRD-SOUR", 1), ("PAS-CROI", 4)], &[&["sat"]]),
    ];
    let products = crate::storefront::intake::products(pool).await?;
    let core =
        crate::orders::core::Core::unheard(pool.clone(), std::sync::Arc::new(config.clone()));
    let mut made = 0;
    for (c, (items, weekdays)) in customers.into_iter().zip(plans) {
        let who = (c.name, c.phone, c.address, (c.lat, c.lng));
        let input = standing_input(who, items, weekdays, monday);
        let (order, schedule) =
            crate::storefront::standing::validate(&input, today, &products, &config.phone_country)
                .map_err(|e| AppError::internal("demo standing order", format!("{e:?}")))?;
        let who = crate::audit::Who {
            id: None,
            name: "Demo".into(),
        };
        let id = crate::standing::store::create(pool, &order, &schedule, "staff", None, &who)
            .await?
            .id;
        let created = crate::standing::ahead::make(&core, Some(id)).await?.created;
        // Seeded, like the demo's other orders: nobody is told of them.
        for order in &created {
            sqlx::query!("DELETE FROM webhook_outbox WHERE order_id = ?", order)
                .execute(pool)
                .await?;
            sqlx::query!("DELETE FROM email_outbox WHERE order_id = ?", order)
                .execute(pool)
                .await?;
        }
        made += created.len();
    }
    Ok(made)
}

/// A demo standing order as the storefront would send it: `items` (sku, quantity) on each
/// week's `weekdays`, delivered in the first window and paid cash, from `monday`.
fn standing_input(
    (name, phone, address, (lat, lng)): (String, String, Option<String>, (f64, f64)),
    items: &[(&str, i64)],
    weekdays: &[&[&str]],
    monday: chrono::NaiveDate,
) -> crate::storefront::standing::StandingOrderIn {
    use crate::storefront::model::{CustomerIn, ItemIn, PaymentIn, WindowIn};
    use crate::storefront::standing::{ScheduleIn, StandingFulfilmentIn, StandingOrderIn};
    StandingOrderIn {
        customer: Some(CustomerIn {
            name: Some(name),
            phone: Some(phone),
            email: None,
            marketing_opt_in: None,
            consent: None,
        }),
        fulfilment: Some(StandingFulfilmentIn {
            kind: Some("delivery".into()),
            address,
            lat: Some(lat),
            lng: Some(lng),
            window: Some(WindowIn {
                from: Some(WINDOWS[0].0.into()),
                to: Some(WINDOWS[0].1.into()),
            }),
            time: None,
        }),
        items: Some(
            items
                .iter()
                .map(|(sku, q)| ItemIn {
                    sku: Some(sku.to_string()),
                    quantity: Some(*q),
                    note: None,
                })
                .collect(),
        ),
        payment: Some(PaymentIn {
            method: Some("cod".into()),
            reference: None,
        }),
        schedule: Some(ScheduleIn {
            visits_per_week: Some(weekdays[0].len() as i64),
            weekdays: Some(
                weekdays
                    .iter()
                    .map(|p| p.iter().map(|d| d.to_string()).collect())
                    .collect(),
            ),
            starts_on: Some(monday.to_string()),
            ends_on: None,
        }),
        notes: None,
    }
}

/// Plans today's deliveries of the demo bakery onto a run for its first driver (Marta) and
/// publishes it, so that `/driver` and the trackers show a run from the first start
/// (`HEARTH_DEMO_RUN=publish`, which `./hearth.sh run` sets). Returns the stops planned and
/// left out; nothing is planned on a day without deliveries (Sundays in the demo).
pub async fn publish_today(pool: &SqlitePool, config: &Config) -> Result<(usize, usize), AppError> {
    let email = DEMO_USERS.iter().find(|u| u.2 == "driver").map(|u| u.0);
    let driver = sqlx::query_scalar!(
        r#"SELECT id AS "id!: i64" FROM users WHERE email = ? AND role = 'driver'"#,
        email
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| {
        AppError::invalid(
            "HEARTH_DEMO_RUN",
            "The demo driver is not in this database.",
        )
    })?;
    let today = config.today();
    let plan = crate::runs::plan::optimise(pool, config, today, &[driver]).await?;
    // A day without open deliveries gives no run, and there is nothing to publish.
    if plan.planned > 0 {
        crate::runs::read::publish(pool, today, "Demo").await?;
    }
    Ok((plan.planned, plan.unplanned))
}
