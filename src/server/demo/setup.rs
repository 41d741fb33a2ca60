//! The demo bakery's business as its owner would set it up (accounts, districts, hours, menu),
//! and the clean slate `hearth demo --reset` starts from.
use sqlx::SqliteConnection;

use super::catalog::*;
use super::customers::Cust;
use super::geo::*;
use super::orders::demo_terms;
use super::DEMO_USERS;
use crate::districts::model::mask_of;
use crate::error::AppError;

/// The demo accounts' password hashes (argon2, slow on purpose: made before the write lock).
pub(super) async fn hashed_passwords() -> Result<Vec<String>, AppError> {
    use crate::auth::password::{hash_blocking, DEMO_PASSWORD};
    tokio::task::spawn_blocking(|| {
        DEMO_USERS
            .iter()
            .map(|_| hash_blocking(DEMO_PASSWORD))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| AppError::internal("demo hashing", e))?
}

/// The kitchen (signed by the owner), then past promotions and the orders that used them:
/// their discounts and totals follow.
pub(super) async fn kitchen_and_promotions(
    conn: &mut SqliteConnection,
    today: chrono::NaiveDate,
) -> Result<(), AppError> {
    let owner = sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM users WHERE role = 'owner' ORDER BY id LIMIT 1"#
    )
    .fetch_one(&mut *conn)
    .await?;
    crate::kitchen::demo::seed(&mut *conn, today, owner).await?;
    crate::promotions::demo::seed(&mut *conn, today, owner).await?;
    crate::orders::core::as_written::discounts_as_used(&mut *conn).await?;
    Ok(())
}

/// Refuses a database that already has accounts unless `reset`, which first deletes
/// everything.
pub(super) async fn refuse_or_clear(
    conn: &mut SqliteConnection,
    reset: bool,
) -> Result<(), AppError> {
    let existing = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM users"#)
        .fetch_one(&mut *conn)
        .await?;
    if existing > 0 && !reset {
        return Err(AppError::Conflict(
            "The database already has accounts; use `hearth demo --reset` to replace everything with the demo bakery.".into(),
        ));
    }
    if reset {
        clear_everything(conn).await?;
    }
    Ok(())
}

/// The demo's own making is not news: its alerts (with its lots near their best-before) are
/// in the bell, but nobody is emailed.
pub(super) async fn alerts_that_are_not_news(
    pool: &sqlx::SqlitePool,
    today: chrono::NaiveDate,
) -> Result<(), AppError> {
    let mut tx = crate::server::db::begin_write(pool).await?;
    crate::alerts::store::raise_best_before(&mut tx, today).await?;
    crate::alerts::store::nothing_to_send_for_what_is_pending(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes every business row and account (the demo's reset), children before parents.
pub(super) async fn clear_everything(conn: &mut SqliteConnection) -> Result<(), AppError> {
    // The kitchen's moves name their users and products: it goes first.
    crate::kitchen::demo::clear_in(&mut *conn).await?;
    crate::standing::store::clear_visits_in(&mut *conn).await?;
    crate::alerts::store::clear_in(&mut *conn).await?;
    crate::loyalty::store::clear_in(&mut *conn).await?;
    for table in [
        "DELETE FROM consents",
        "DELETE FROM customer_tags",
        "DELETE FROM segments",
        "DELETE FROM promotion_uses",
        "DELETE FROM promotion_codes",
        "DELETE FROM promotion_products",
        "DELETE FROM promotion_districts",
        "DELETE FROM promotions",
        "DELETE FROM idempotency_keys",
        "DELETE FROM webhook_outbox",
        "DELETE FROM run_exclusions",
        "DELETE FROM run_stops",
        "DELETE FROM runs",
        "DELETE FROM customers",
        "DELETE FROM capacity_used",
        "DELETE FROM login_attempts",
        "DELETE FROM api_keys",
        "DELETE FROM users",
    ] {
        if table == "DELETE FROM customers" {
            // The orders (by their one writer), then the standing orders, which name customers
            // and are named by orders, then the customers.
            crate::orders::core::as_written::clear_in(&mut *conn).await?;
            crate::standing::store::clear_in(&mut *conn).await?;
        }
        sqlx::query(table).execute(&mut *conn).await?;
    }
    crate::districts::repo::clear_in(&mut *conn).await?;
    crate::menu::repo::clear(&mut *conn).await?;
    crate::settings::hours::clear_in(&mut *conn).await?;
    // Sessions belong to the accounts just removed. The table exists once the server ran.
    let has_sessions = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM sqlite_master WHERE type = 'table' AND name = 'sessions'"#
    )
    .fetch_one(&mut *conn)
    .await?;
    if has_sessions > 0 {
        sqlx::query("DELETE FROM sessions")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The demo's accounts (with their password hashes, made before the write lock), districts,
/// opening hours and menu, each through its own editor's checks and writer. Returns the
/// districts' ids and the products' (id, price).
pub(super) async fn business(
    conn: &mut SqliteConnection,
    hashes: &[String],
) -> Result<(Vec<i64>, Vec<(i64, i64)>), AppError> {
    let now = crate::server::db::now();
    for ((email, name, role), hash) in DEMO_USERS.iter().zip(hashes) {
        sqlx::query!(
            "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            email, name, role, hash, now, now
        )
        .execute(&mut *conn)
        .await?;
    }

    // Through the district editor's own checks and writer, as an owner would type them; every
    // served day offers the demo's four delivery windows.
    let mut district_ids = Vec::new();
    let windows = vec![slots_text_of(&WINDOWS); 7];
    for (seed, ring) in DISTRICTS.iter().zip(district_rings()) {
        let money = |c: i64| format!("{}.{:02}", c / 100, c % 100);
        let d = crate::districts::check::validate(
            0,
            seed.name,
            seed.colour,
            mask_of(seed.days),
            &money(seed.fee),
            &money(seed.min),
            &seed.cap.to_string(),
            &serde_json::to_string(&ring).unwrap_or_default(),
            &windows,
        )?;
        district_ids.push(crate::districts::repo::save_in(&mut *conn, None, &d).await?);
    }

    let mut product_ids = Vec::new();
    // Pickup Monday to Saturday 08:00–14:00 and Sunday mornings 09:00–13:00; booking 14 days
    // ahead, same-day orders taken.
    let hours = crate::settings::hours::HoursForm {
        horizon_days: "14".into(),
        cutoff: String::new(),
        days: (0..7)
            .map(|i| crate::settings::hours::DayForm {
                open: true,
                opens: if i < 6 { "08:00" } else { "09:00" }.into(),
                closes: if i < 6 { "14:00" } else { "13:00" }.into(),
                ..Default::default()
            })
            .collect(),
    };
    crate::settings::hours::save_in(&mut *conn, &hours).await?;

    // Through the menu's own form and writer, as an owner would type them.
    for (sku, name, desc, cat, price, cap) in PRODUCTS {
        let (category, tax, allergens, dietary) = demo_terms(sku, cat);
        let form = crate::menu::model::ProductForm {
            sku: sku.into(),
            name: name.into(),
            description: desc.into(),
            category: category.into(),
            price: format!("{:.2}", price as f64 / 100.0),
            tax_rate: tax.into(),
            daily_capacity: cap.to_string(),
            allergens: allergens.iter().map(|a| a.to_string()).collect(),
            dietary: dietary.iter().map(|a| a.to_string()).collect(),
            ..crate::menu::model::ProductForm::blank()
        };
        let id = crate::menu::repo::create(&mut *conn, &form.validate()?).await?;
        product_ids.push((id, price));
    }

    // The kitchen, in Chamberí: every run starts and ends here.
    sqlx::query!(
        "UPDATE business_settings SET kitchen_address = 'Calle de Ponzano 39, Madrid', kitchen_lat = 40.4421, kitchen_lng = -3.7012
         WHERE id = 1"
    )
    .execute(&mut *conn)
    .await?;
    Ok((district_ids, product_ids))
}

/// The demo's customers as the year of history draws them (district, served days, fee, place).
pub(super) fn history_customers(
    customers: &[Cust],
    district_ids: &[i64],
) -> Vec<crate::server::demo_history::Customer> {
    customers
        .iter()
        .map(|c| crate::server::demo_history::Customer {
            id: c.id,
            district_id: district_ids[c.district],
            served: DISTRICTS[c.district].days,
            fee_cents: DISTRICTS[c.district].fee,
            lat: c.lat,
            lng: c.lng,
            address: c.address.clone(),
        })
        .collect()
}
