//! The customer card's reads, one part of the card each.
use sqlx::SqliteConnection;

use crate::customers::{Channel, ConsentLine, CustomerOrder, Duplicate};
use crate::error::AppError;

/// Every order, the latest first; the status as its code (the page words it).
pub async fn orders(conn: &mut SqliteConnection, id: i64) -> Result<Vec<CustomerOrder>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", number, fulfil_on, status, total_cents, promo_code FROM orders
           WHERE customer_id = ? ORDER BY fulfil_on DESC, id DESC"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|o| CustomerOrder {
            id: o.id,
            number: o.number,
            day: o.fulfil_on,
            status: o.status,
            total_cents: o.total_cents,
            promo: o.promo_code,
        })
        .collect())
}

/// The three products they buy most, with the units.
pub async fn favourites(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Vec<(String, i64)>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT p.name, SUM(i.quantity) AS "units!: i64" FROM order_items i
           JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id
           WHERE o.customer_id = ? AND o.status <> 'cancelled'
           GROUP BY p.id ORDER BY 2 DESC, p.name LIMIT 3"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.name, r.units)).collect())
}

pub async fn tags(conn: &mut SqliteConnection, id: i64) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag",
        id
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Every consent given or withdrawn, the latest first, at the bakery's local time.
pub async fn consent_history(
    conn: &mut SqliteConnection,
    id: i64,
    tz: chrono_tz::Tz,
) -> Result<Vec<ConsentLine>, AppError> {
    let rows = sqlx::query!(
        "SELECT channel, granted AS \"granted: bool\", source, created_at FROM consents
         WHERE customer_id = ? ORDER BY id DESC",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(ConsentLine {
                at: chrono::DateTime::parse_from_rfc3339(&r.created_at)
                    .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or(r.created_at),
                channel: Channel::parse(&r.channel)?,
                granted: r.granted,
                source: source_words(&r.source),
            })
        })
        .collect())
}

/// How consent was given or withdrawn, as Hearth stores it ("Website checkout", "Told the
/// bakery (Lucía Navarro)", "Unsubscribe link", "Spreadsheet import"), in the reader's
/// language; what the owner typed as how they heard it stays as typed.
pub fn source_words(stored: &str) -> String {
    use crate::said::{said, said_with};
    let fixed = [
        ("Website checkout", "consent-source-checkout"),
        ("Unsubscribe link", "consent-source-unsubscribe"),
        ("Spreadsheet import", "consent-source-import"),
        ("Told the bakery", "consent-source-told"),
    ];
    if let Some((_, key)) = fixed.iter().find(|(text, _)| *text == stored) {
        return said(key);
    }
    match stored
        .strip_prefix("Told the bakery (")
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(who) => said_with("consent-source-told-by", &[("who", &who)]),
        None => stored.to_string(),
    }
}

/// The same person under another record: the same email, or the same last nine digits of
/// the phone number; why in the reader's language.
pub async fn duplicates(
    conn: &mut SqliteConnection,
    id: i64,
    phone: &str,
    email: Option<&str>,
) -> Result<Vec<Duplicate>, AppError> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let tail = format!("%{}", &digits[digits.len().saturating_sub(9)..]);
    let email = email.unwrap_or_default().to_lowercase();
    let rows = sqlx::query!(
        r#"SELECT c.id AS "id!", c.name, c.phone, lower(COALESCE(c.email, '')) = ?2 AND ?2 <> '' AS "same_email!: bool",
                  (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS "orders!: i64"
           FROM customers c
           WHERE c.id <> ?1 AND c.erased_at IS NULL
             AND ((?2 <> '' AND lower(c.email) = ?2) OR replace(replace(c.phone, '+', ''), ' ', '') LIKE ?3)
           LIMIT 10"#,
        id,
        email,
        tail
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|d| Duplicate {
            id: d.id,
            name: d.name,
            phone: d.phone,
            why: crate::said::said(if d.same_email {
                "card-same-email"
            } else {
                "card-same-phone"
            }),
            orders: d.orders,
        })
        .collect())
}
