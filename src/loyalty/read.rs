//! Reading points: a customer's card (balance, next expiry, referrals, the ledger with its
//! running balance) and the programme's figures (every customer's ledger replayed at once).
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::{Card, LedgerLine, Movement, Summary};
use crate::error::AppError;

/// Customer `customer_id`'s points and referrals; `referral_code` is empty when they have
/// none yet (the caller makes one in a write). The ledger reads in the order things happened
/// (an expiry written by a late sweep sits on the day the points lapsed).
pub async fn card(
    conn: &mut SqliteConnection,
    customer_id: i64,
    today: NaiveDate,
) -> Result<Card, AppError> {
    let program = super::store::program(conn).await?;
    let lots = super::store::lots(conn, customer_id).await?;
    let available = lots.available(today);
    let rows = sqlx::query!(
        r#"SELECT l.on_day, l.kind, l.points, l.cents, l.note, o.id AS "order_id?", o.number AS "number?",
                  o.fulfil_on AS "fulfil_on?"
           FROM loyalty_ledger l LEFT JOIN orders o ON o.id = l.order_id
           WHERE l.customer_id = ? ORDER BY l.on_day, l.id"#,
        customer_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut balance = 0;
    let mut lines: Vec<LedgerLine> = rows
        .into_iter()
        .map(|r| {
            balance += r.points;
            LedgerLine {
                day: r.on_day,
                kind: r.kind,
                points: r.points,
                cents: r.cents,
                order: match (r.order_id, r.number, r.fulfil_on) {
                    (Some(id), Some(n), Some(day)) => Some((id, n, day)),
                    _ => None,
                },
                note: r.note,
                balance,
            }
        })
        .collect();
    lines.reverse();
    lines.truncate(100);
    let referral_code = sqlx::query_scalar!(
        "SELECT code FROM referral_codes WHERE customer_id = ?",
        customer_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or_default();
    let referred_by = sqlx::query!(
        r#"SELECT c.id AS "id!", c.name, r.rewarded_order_id IS NOT NULL AS "rewarded!: bool"
           FROM referrals r JOIN customers c ON c.id = r.referrer_id WHERE r.customer_id = ?"#,
        customer_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.id, r.name, r.rewarded));
    let referred = sqlx::query!(
        r#"SELECT c.id AS "id!", c.name, r.rewarded_order_id IS NOT NULL AS "rewarded!: bool"
           FROM referrals r JOIN customers c ON c.id = r.customer_id WHERE r.referrer_id = ?
           ORDER BY r.created_at DESC"#,
        customer_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name, r.rewarded))
    .collect();
    Ok(Card {
        customer_id,
        value_cents: program.value_cents(available),
        program,
        available,
        next_expiry: lots.next_expiry(today).map(|(d, p)| (d.to_string(), p)),
        referral_code,
        referred_by,
        referred,
        lines,
    })
}

/// The programme's figures on `today`: every ledger replayed (one query), and the last 30
/// days' earnings, redemptions and expiries.
pub async fn summary(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    currency: &str,
) -> Result<Summary, AppError> {
    let program = super::store::program(conn).await?;
    let (outstanding, members) = holding(conn, today).await?;
    let m = movement(conn, today - chrono::Duration::days(30), today).await?;
    let referrals = sqlx::query!(
        r#"SELECT COUNT(*) AS "n!: i64", COUNT(rewarded_order_id) AS "rewarded!: i64" FROM referrals"#
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Summary {
        outstanding_cents: program.value_cents(outstanding),
        program,
        outstanding,
        members,
        earned_30: m.earned + m.referral,
        redeemed_30: m.redeemed,
        redeemed_cents_30: m.redeemed_cents,
        expired_30: m.expired,
        referrals: referrals.n,
        referrals_rewarded: referrals.rewarded,
        currency: currency.to_string(),
    })
}

/// The points customers hold at the end of `day`, and how many customers hold some.
pub async fn holding(conn: &mut SqliteConnection, day: NaiveDate) -> Result<(i64, i64), AppError> {
    let held = super::store::held_by_all(conn, day).await?;
    let holding = held.values().filter(|p| **p > 0);
    Ok((holding.clone().sum(), holding.count() as i64))
}

/// How points moved on the days `from..=to` (the ledger's local days).
pub async fn movement(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Movement, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    let r = sqlx::query!(
        r#"SELECT COALESCE(SUM(CASE WHEN kind = 'earned' THEN points END), 0) AS "earned!: i64",
                  COALESCE(SUM(CASE WHEN kind = 'referral' THEN points END), 0) AS "referral!: i64",
                  COALESCE(SUM(CASE WHEN kind IN ('redeemed', 'refunded') THEN -points END), 0) AS "redeemed!: i64",
                  COALESCE(SUM(CASE WHEN kind = 'redeemed' THEN cents WHEN kind = 'refunded' THEN -cents END), 0) AS "redeemed_cents!: i64",
                  COALESCE(SUM(CASE WHEN kind = 'expired' THEN -points END), 0) AS "expired!: i64",
                  COALESCE(SUM(CASE WHEN kind = 'reversed' THEN -points END), 0) AS "reversed!: i64",
                  COALESCE(SUM(CASE WHEN kind = 'adjusted' THEN points END), 0) AS "adjusted!: i64",
                  COUNT(DISTINCT CASE WHEN kind = 'redeemed' THEN customer_id END) AS "spenders!: i64"
           FROM loyalty_ledger WHERE on_day BETWEEN ? AND ?"#,
        f,
        t
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Movement {
        earned: r.earned,
        referral: r.referral,
        redeemed: r.redeemed,
        redeemed_cents: r.redeemed_cents,
        expired: r.expired,
        reversed: r.reversed,
        adjusted: r.adjusted,
        spenders: r.spenders,
    })
}

/// What the bakery holds of a customer's points, for their privacy export: their referral
/// code, whether they came through someone's, and every ledger line.
pub async fn held(
    conn: &mut SqliteConnection,
    customer_id: i64,
) -> Result<serde_json::Value, AppError> {
    let code = sqlx::query_scalar!(
        "SELECT code FROM referral_codes WHERE customer_id = ?",
        customer_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let referred = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM referrals WHERE customer_id = ?"#,
        customer_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let lines = sqlx::query!(
        r#"SELECT l.on_day, l.kind, l.points, l.cents, l.expires_on, l.note, o.number AS "number?"
           FROM loyalty_ledger l LEFT JOIN orders o ON o.id = l.order_id
           WHERE l.customer_id = ? ORDER BY l.on_day, l.id"#,
        customer_id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(serde_json::json!({
        "referral_code": code,
        "came_through_a_referral": referred > 0,
        "points": lines.iter().map(|l| serde_json::json!({
            "day": l.on_day, "kind": l.kind, "points": l.points, "discount_cents": l.cents,
            "expires_on": l.expires_on, "order": l.number, "note": l.note,
        })).collect::<Vec<_>>(),
    }))
}
