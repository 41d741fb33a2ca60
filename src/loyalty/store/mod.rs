//! The one writer of points and referrals. Every function runs inside the caller's write
//! transaction: the order core's (an order created, delivered, moved back or cancelled), the
//! storefront's (a referral code with a first order), or the owner's (the programme, an
//! adjustment). Reads replay the ledger with [`rules::Lots`].
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::rules::{Entry, Lots};
use super::Program;
use crate::error::AppError;

mod held;
mod referral;

pub use held::{fill_balances, held_by, held_by_all};
pub use referral::{
    refer, referral_code, referral_open, referrer_for_order, referrer_of, ReferralRefusal,
};

/// The programme's settings.
pub async fn program(conn: &mut SqliteConnection) -> Result<Program, AppError> {
    let r = sqlx::query!(
        r#"SELECT enabled AS "enabled: bool", points_per_unit, value_per_100, min_redeem, expiry_days,
                  referral_points
           FROM loyalty_program WHERE id = 1"#
    )
    .fetch_one(conn)
    .await?;
    Ok(Program {
        enabled: r.enabled,
        points_per_unit: r.points_per_unit,
        value_per_100: r.value_per_100,
        min_redeem: r.min_redeem,
        expiry_days: r.expiry_days,
        referral_points: r.referral_points,
    })
}

/// Saves the programme (checked by the caller).
pub async fn save_program(conn: &mut SqliteConnection, p: &Program) -> Result<(), AppError> {
    let now = crate::server::db::now();
    sqlx::query!(
        "UPDATE loyalty_program SET enabled = ?, points_per_unit = ?, value_per_100 = ?, min_redeem = ?,
                expiry_days = ?, referral_points = ?, updated_at = ? WHERE id = 1",
        p.enabled,
        p.points_per_unit,
        p.value_per_100,
        p.min_redeem,
        p.expiry_days,
        p.referral_points,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A customer's ledger replayed into lots.
pub async fn lots(conn: &mut SqliteConnection, customer_id: i64) -> Result<Lots, AppError> {
    Ok(lots_and_last_day(conn, customer_id).await?.0)
}

/// A customer's ledger replayed into lots, and the day of their latest line.
pub(super) async fn lots_and_last_day(
    conn: &mut SqliteConnection,
    customer_id: i64,
) -> Result<(Lots, Option<NaiveDate>), AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", points, expires_on, lot_id, on_day FROM loyalty_ledger
           WHERE customer_id = ? ORDER BY id"#,
        customer_id
    )
    .fetch_all(conn)
    .await?;
    let last = rows.iter().filter_map(|r| r.on_day.parse().ok()).max();
    let entries: Vec<Entry> = rows
        .into_iter()
        .map(|r| Entry {
            id: r.id,
            points: r.points,
            expires_on: r.expires_on.and_then(|d| d.parse().ok()),
            lot_id: r.lot_id,
        })
        .collect();
    Ok((Lots::replay(&entries), last))
}

/// Points customer `customer_id` can use on `today`.
pub async fn available(
    conn: &mut SqliteConnection,
    customer_id: i64,
    today: NaiveDate,
) -> Result<i64, AppError> {
    Ok(lots(conn, customer_id).await?.available(today))
}

/// The customer with this phone number, when there is one.
pub async fn customer_by_phone(
    conn: &mut SqliteConnection,
    phone: &str,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id!: i64" FROM customers WHERE phone = ? AND erased_at IS NULL"#,
        phone
    )
    .fetch_optional(conn)
    .await?)
}

/// One ledger line to write.
struct Line<'a> {
    customer_id: i64,
    kind: &'static str,
    points: i64,
    cents: i64,
    order_id: Option<i64>,
    expires_on: Option<NaiveDate>,
    lot_id: Option<i64>,
    note: Option<&'a str>,
    user_id: Option<i64>,
}

impl Line<'_> {
    fn new(customer_id: i64, kind: &'static str, points: i64) -> Line<'static> {
        Line {
            customer_id,
            kind,
            points,
            cents: 0,
            order_id: None,
            expires_on: None,
            lot_id: None,
            note: None,
            user_id: None,
        }
    }
}

async fn write(conn: &mut SqliteConnection, l: Line<'_>, today: NaiveDate) -> Result<(), AppError> {
    let (expires, day) = (l.expires_on.map(|d| d.to_string()), today.to_string());
    sqlx::query!(
        "INSERT INTO loyalty_ledger (customer_id, kind, points, cents, order_id, expires_on, lot_id, note, user_id, on_day)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        l.customer_id,
        l.kind,
        l.points,
        l.cents,
        l.order_id,
        expires,
        l.lot_id,
        l.note,
        l.user_id,
        day
    )
    .execute(&mut *conn)
    .await?;
    held::refresh(conn, l.customer_id, today).await
}

/// Writes the expiries due for `customer_id` on `today` (each ends its own lot, dated the day
/// after the lot's last day: when the points lapsed, however late the sweep); answers the
/// points expired. Every debit calls it first, so that a debit never takes expired points.
pub async fn expire_due(
    conn: &mut SqliteConnection,
    customer_id: i64,
    today: NaiveDate,
) -> Result<i64, AppError> {
    let lots = lots(conn, customer_id).await?;
    let mut total = 0;
    for (lot, points) in lots.due(today) {
        let lapsed = lots
            .lots
            .iter()
            .find(|l| l.id == lot)
            .and_then(|l| l.expires_on)
            .map_or(today, |d| (d + chrono::Duration::days(1)).min(today));
        let mut l = Line::new(customer_id, "expired", -points);
        l.lot_id = Some(lot);
        write(conn, l, lapsed).await?;
        total += points;
    }
    Ok(total)
}

/// Expires every lot past its last day (the hourly sweep). Lots that ended more than 60 days
/// ago were swept then; any left are expired before the customer's next debit anyway.
pub async fn sweep(conn: &mut SqliteConnection, today: NaiveDate) -> Result<i64, AppError> {
    sweep_since(conn, today, today - chrono::Duration::days(60)).await
}

/// Expires every lot past its last day, however long ago (the demo's year of history).
pub async fn sweep_all(conn: &mut SqliteConnection, today: NaiveDate) -> Result<i64, AppError> {
    sweep_since(conn, today, NaiveDate::MIN).await
}

async fn sweep_since(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    since: NaiveDate,
) -> Result<i64, AppError> {
    let (to, from) = (today.to_string(), since.to_string());
    let customers = sqlx::query_scalar!(
        r#"SELECT DISTINCT customer_id AS "c!: i64" FROM loyalty_ledger
           WHERE expires_on < ? AND expires_on >= ? AND points > 0"#,
        to,
        from
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut total = 0;
    for c in customers {
        total += expire_due(conn, c, today).await?;
    }
    Ok(total)
}

/// Runs for as long as the server does: the expiries due, every hour.
pub fn spawn_worker(state: crate::server::state::AppState) {
    tokio::spawn(async move {
        loop {
            let swept = async {
                let mut tx = crate::server::db::begin_write(&state.pool).await?;
                let today = state.config.today();
                let n = sweep(&mut tx, today).await?;
                fill_balances(&mut tx, today).await?;
                tx.commit().await?;
                Ok::<i64, AppError>(n)
            }
            .await;
            match swept {
                Ok(0) => {}
                Ok(n) => tracing::info!(points = n, "loyalty points expired"),
                Err(e) => tracing::error!(error = %e, "loyalty expiry"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}

/// Spends `points` worth `cents` on new order `order_id` (checked by the caller in the same
/// transaction; the order core calls this as it creates the order).
pub async fn redeem(
    conn: &mut SqliteConnection,
    customer_id: i64,
    order_id: i64,
    (points, cents): (i64, i64),
    today: NaiveDate,
) -> Result<(), AppError> {
    expire_due(conn, customer_id, today).await?;
    let mut l = Line::new(customer_id, "redeemed", -points);
    (l.cents, l.order_id) = (cents, Some(order_id));
    write(conn, l, today).await
}

/// The points and discount order `order_id` redeemed and has not been given back.
pub async fn redeemed_on(
    conn: &mut SqliteConnection,
    order_id: i64,
) -> Result<Option<(i64, i64)>, AppError> {
    let r = sqlx::query!(
        r#"SELECT COALESCE(SUM(-points), 0) AS "points!: i64",
                  COALESCE(SUM(CASE WHEN kind = 'redeemed' THEN cents ELSE -cents END), 0) AS "cents!: i64"
           FROM loyalty_ledger WHERE order_id = ? AND kind IN ('redeemed', 'refunded')"#,
        order_id
    )
    .fetch_one(conn)
    .await?;
    Ok((r.points > 0).then_some((r.points, r.cents)))
}

/// The order's customer, and what was paid for its items after every discount (the base of
/// what it earns).
async fn order_facts(conn: &mut SqliteConnection, order_id: i64) -> Result<(i64, i64), AppError> {
    let r = sqlx::query!(
        r#"SELECT o.customer_id, o.total_cents - o.delivery_fee_cents
                  + COALESCE((SELECT SUM(u.delivery_cents) FROM promotion_uses u WHERE u.order_id = o.id), 0)
                  AS "paid!: i64"
           FROM orders o WHERE o.id = ?"#,
        order_id
    )
    .fetch_one(conn)
    .await?;
    Ok((r.customer_id, r.paid))
}

/// Points order `order_id` has earned and not had reversed, with the lot of its last earning.
async fn earned_by(
    conn: &mut SqliteConnection,
    order_id: i64,
) -> Result<(i64, Option<i64>), AppError> {
    let r = sqlx::query!(
        r#"SELECT COALESCE(SUM(l.points), 0) AS "net!: i64",
                  MAX(CASE WHEN l.kind = 'earned' THEN l.id END) AS "lot?: i64"
           FROM loyalty_ledger l LEFT JOIN loyalty_ledger t ON t.id = l.lot_id
           WHERE l.order_id = ? AND (l.kind = 'earned' OR (l.kind = 'reversed' AND t.kind = 'earned'))"#,
        order_id
    )
    .fetch_one(conn)
    .await?;
    Ok((r.net, r.lot))
}

/// Order `order_id` was delivered or collected: it earns its points, and when it is the first
/// of a referred customer, both sides get the referral reward (once).
pub async fn on_fulfilled(
    conn: &mut SqliteConnection,
    order_id: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    let program = program(conn).await?;
    if !program.enabled {
        return Ok(());
    }
    let (customer_id, paid) = order_facts(conn, order_id).await?;
    let points = program.earned(paid);
    if points > 0 && earned_by(conn, order_id).await?.0 == 0 {
        let mut l = Line::new(customer_id, "earned", points);
        (l.order_id, l.expires_on) = (Some(order_id), program.expiry_of(today));
        write(conn, l, today).await?;
    }
    referral::reward(conn, &program, customer_id, order_id, today).await
}

/// A delivered order was moved back (a mistake corrected on the board): the points it earned
/// are taken back (from its own lot first; points already spent are owed), and so is the
/// referral reward it gave both sides.
pub async fn on_unfulfilled(
    conn: &mut SqliteConnection,
    order_id: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    let (net, lot) = earned_by(conn, order_id).await?;
    if net > 0 {
        let (customer_id, _) = order_facts(conn, order_id).await?;
        expire_due(conn, customer_id, today).await?;
        let mut l = Line::new(customer_id, "reversed", -net);
        (l.order_id, l.lot_id) = (Some(order_id), lot);
        write(conn, l, today).await?;
    }
    referral::take_back(conn, order_id, today).await
}

/// Order `order_id` was cancelled, or staff took its points off: the points it redeemed come
/// back to the lots they were taken from, with their last days (a points lot that lapsed in
/// the meantime lapses again at the next sweep). What that redemption did not take from a lot
/// comes back as a new lot lasting the programme's usual time.
pub async fn give_back(
    conn: &mut SqliteConnection,
    order_id: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    let Some((points, cents)) = redeemed_on(conn, order_id).await? else {
        return Ok(());
    };
    let (customer_id, _) = order_facts(conn, order_id).await?;
    let program = program(conn).await?;
    // The order's last redemption not given back yet.
    let redemption = sqlx::query_scalar!(
        r#"SELECT l.id AS "id!" FROM loyalty_ledger l
           WHERE l.order_id = ? AND l.kind = 'redeemed'
             AND NOT EXISTS (SELECT 1 FROM loyalty_ledger r WHERE r.lot_id = l.id AND r.kind = 'refunded')
           ORDER BY l.id DESC LIMIT 1"#,
        order_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let mut l = Line::new(customer_id, "refunded", points);
    (l.cents, l.order_id, l.expires_on) = (cents, Some(order_id), program.expiry_of(today));
    l.lot_id = redemption;
    write(conn, l, today).await
}

/// The owner adds (positive) or takes (negative) points, with a reason.
pub async fn adjust(
    conn: &mut SqliteConnection,
    customer_id: i64,
    points: i64,
    note: &str,
    user_id: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    let program = program(conn).await?;
    if points < 0 {
        expire_due(conn, customer_id, today).await?;
    }
    let mut l = Line::new(customer_id, "adjusted", points);
    (l.note, l.user_id) = (Some(note), Some(user_id));
    if points > 0 {
        l.expires_on = program.expiry_of(today);
    }
    write(conn, l, today).await
}

/// Removes every point and referral and turns the programme off (before the demo is loaded
/// again).
pub async fn clear_in(conn: &mut SqliteConnection) -> Result<(), AppError> {
    for q in [
        "DELETE FROM loyalty_balances",
        "DELETE FROM loyalty_ledger",
        "DELETE FROM referrals",
        "DELETE FROM referral_codes",
        "UPDATE loyalty_program SET enabled = 0 WHERE id = 1",
    ] {
        sqlx::query(q).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Two customer records were one person: points, referral code and referrals move to `into`
/// (a referral between the two is dropped; `into` keeps its own code when it has one).
pub async fn merge(conn: &mut SqliteConnection, from: i64, into: i64) -> Result<(), AppError> {
    for q in [
        "DELETE FROM loyalty_balances WHERE customer_id IN (?1, ?2)",
        "UPDATE loyalty_ledger SET customer_id = ?2 WHERE customer_id = ?1",
        "DELETE FROM referrals WHERE (customer_id = ?1 AND referrer_id = ?2) OR (customer_id = ?2 AND referrer_id = ?1)",
        "DELETE FROM referral_codes WHERE customer_id = ?1 AND EXISTS (SELECT 1 FROM referral_codes WHERE customer_id = ?2)",
        "UPDATE referral_codes SET customer_id = ?2 WHERE customer_id = ?1",
        "DELETE FROM referrals WHERE customer_id = ?1 AND EXISTS (SELECT 1 FROM referrals WHERE customer_id = ?2)",
        "UPDATE referrals SET customer_id = ?2 WHERE customer_id = ?1",
        "UPDATE referrals SET referrer_id = ?2 WHERE referrer_id = ?1",
    ] {
        sqlx::query(q).bind(from).bind(into).execute(&mut *conn).await?;
    }
    Ok(())
}
