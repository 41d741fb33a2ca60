//! Server functions of the customer page (owner only): the record, its profile, consent, and
//! merging a duplicate record into it.
use leptos::prelude::*;

use super::CustomerCard;
use crate::error::AppError;

#[cfg(feature = "ssr")]
const OWNER: &[crate::auth::Role] = &[crate::auth::Role::Owner];

/// Everything about customer `id`.
#[server(endpoint = "get_customer")]
pub async fn get_customer(id: i64) -> Result<CustomerCard, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, _me| async move {
        // A read: the write lock is taken only to make a missing unsubscribe token.
        let mut conn = cx.db().acquire().await?;
        let c = sqlx::query!(
            r#"SELECT c.name, c.phone, c.email, c.address, d.name AS "district?", c.created_at, c.notes,
                      c.preferences, c.allergies, c.email_ok AS "email_ok: bool", c.sms_ok AS "sms_ok: bool",
                      c.whatsapp_ok AS "whatsapp_ok: bool", c.unsubscribe_token
               FROM customers c LEFT JOIN districts d ON d.id = c.district_id
               WHERE c.id = ? AND c.erased_at IS NULL"#,
            id
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-customer")))?;
        let orders = read::orders(&mut conn, id).await?;
        let (n, spent, first_order, last_order) = totals(&orders);
        let rfm = super::segments::rfm(&super::segments_store::facts(&mut conn).await?)
            .get(&id)
            .copied();
        let tz = cx.config().timezone();
        let (favourites, tags, consent_history, duplicates) = (
            read::favourites(&mut conn, id).await?,
            read::tags(&mut conn, id).await?,
            read::consent_history(&mut conn, id, tz).await?,
            read::duplicates(&mut conn, id, &c.phone, c.email.as_deref()).await?,
        );
        let mut loyalty = crate::loyalty::read::card(&mut conn, id, cx.config().today()).await?;
        drop(conn);
        let token = made_on_first_read(cx.db(), id, c.unsubscribe_token, &mut loyalty).await?;
        Ok(CustomerCard {
            id,
            name: c.name,
            phone: c.phone,
            email: c.email,
            address: c.address,
            district: c.district,
            since: c.created_at.chars().take(10).collect(),
            order_count: n,
            spent_cents: spent,
            average_cents: if n > 0 { spent / n } else { 0 },
            first_order,
            last_order,
            orders,
            favourites,
            rfm,
            preferences: c.preferences.unwrap_or_default(),
            allergies: c.allergies.unwrap_or_default(),
            notes: c.notes.unwrap_or_default(),
            tags,
            consent: vec![
                (super::Channel::Email, c.email_ok),
                (super::Channel::Sms, c.sms_ok),
                (super::Channel::Whatsapp, c.whatsapp_ok),
            ],
            consent_history,
            duplicates,
            unsubscribe_url: format!(
                "{}/u/{token}",
                cx.config().public_url.trim_end_matches('/')
            ),
            currency: cx.config().currency(),
            standing: crate::standing::read::list(cx.db(), Some(id), None, cx.config().today())
                .await?,
            products: crate::orders::phone::on_sale(cx.db()).await?,
            places: crate::standing::read::places(cx.db(), id).await?,
            loyalty,
        })
    })
    .await
}

/// Orders not cancelled, what they came to, and the first and last day (`orders` newest first).
#[cfg(feature = "ssr")]
fn totals(orders: &[super::CustomerOrder]) -> (i64, i64, Option<String>, Option<String>) {
    let counted: Vec<&super::CustomerOrder> =
        orders.iter().filter(|o| o.status != "cancelled").collect();
    (
        counted.len() as i64,
        counted.iter().map(|o| o.total_cents).sum(),
        counted.last().map(|o| o.day.clone()),
        counted.first().map(|o| o.day.clone()),
    )
}

/// The customer's unsubscribe token and referral code, made on the first reading of the card
/// that lacks them (the only write a card's reading takes the write lock for).
#[cfg(feature = "ssr")]
async fn made_on_first_read(
    pool: &sqlx::SqlitePool,
    id: i64,
    token: Option<String>,
    loyalty: &mut crate::loyalty::Card,
) -> Result<String, AppError> {
    match token {
        Some(t) if !loyalty.referral_code.is_empty() => Ok(t),
        token => {
            let mut tx = crate::server::db::begin_write(pool).await?;
            let t = match token {
                Some(t) => t,
                None => super::consent::token(&mut tx, id).await?,
            };
            loyalty.referral_code = crate::loyalty::store::referral_code(&mut tx, id).await?;
            tx.commit().await?;
            Ok(t)
        }
    }
}

/// A customer's name, or `missing` (a refusal's key) when there is no such customer.
#[cfg(feature = "ssr")]
async fn name_of(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    missing: &str,
) -> Result<String, AppError> {
    sqlx::query_scalar!(
        "SELECT name FROM customers WHERE id = ? AND erased_at IS NULL",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(crate::said::said(missing)))
}

/// Moves what else hangs on customer `from` (?1) to `into` (?2), then removes `from`: consent
/// records, tags, promotion uses and personal codes (one per promotion), privacy requests; the
/// kept record gains the contact details it lacked and any consent either gave.
#[cfg(feature = "ssr")]
async fn move_records(
    conn: &mut sqlx::SqliteConnection,
    from: i64,
    into: i64,
) -> Result<(), AppError> {
    for q in [
        "UPDATE consents SET customer_id = ?2 WHERE customer_id = ?1",
        "INSERT OR IGNORE INTO customer_tags (customer_id, tag) SELECT ?2, tag FROM customer_tags WHERE customer_id = ?1",
        "DELETE FROM customer_tags WHERE customer_id = ?1",
        "UPDATE promotion_uses SET customer_id = ?2 WHERE customer_id = ?1",
        "DELETE FROM promotion_codes WHERE customer_id = ?1 AND promotion_id IN (SELECT promotion_id FROM promotion_codes WHERE customer_id = ?2)",
        "UPDATE promotion_codes SET customer_id = ?2 WHERE customer_id = ?1",
        "UPDATE privacy_requests SET customer_id = ?2 WHERE customer_id = ?1",
        // What the kept record lacks, and consent given on either record.
        "UPDATE customers SET
             email = COALESCE(email, (SELECT email FROM customers WHERE id = ?1)),
             address = COALESCE(address, (SELECT address FROM customers WHERE id = ?1)),
             lat = COALESCE(lat, (SELECT lat FROM customers WHERE id = ?1)),
             lng = COALESCE(lng, (SELECT lng FROM customers WHERE id = ?1)),
             district_id = COALESCE(district_id, (SELECT district_id FROM customers WHERE id = ?1)),
             preferences = COALESCE(preferences, (SELECT preferences FROM customers WHERE id = ?1)),
             allergies = COALESCE(allergies, (SELECT allergies FROM customers WHERE id = ?1)),
             notes = CASE WHEN (SELECT notes FROM customers WHERE id = ?1) IS NULL THEN notes
                          ELSE trim(COALESCE(notes, '') || char(10) || (SELECT notes FROM customers WHERE id = ?1)) END,
             email_ok = MAX(email_ok, (SELECT email_ok FROM customers WHERE id = ?1)),
             sms_ok = MAX(sms_ok, (SELECT sms_ok FROM customers WHERE id = ?1)),
             whatsapp_ok = MAX(whatsapp_ok, (SELECT whatsapp_ok FROM customers WHERE id = ?1)),
             marketing_opt_in = MAX(marketing_opt_in, (SELECT marketing_opt_in FROM customers WHERE id = ?1))
         WHERE id = ?2",
        "DELETE FROM customers WHERE id = ?1",
    ] {
        sqlx::query(q)
            .bind(from)
            .bind(into)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A free text field trimmed, None when empty; refused, naming it, over `max` characters.
#[cfg(feature = "ssr")]
fn bounded(v: &str, field: &str, label: &str, max: usize) -> Result<Option<String>, AppError> {
    let t = v.trim();
    if t.chars().count() > max {
        return Err(AppError::invalid(
            field,
            crate::said::said_with(
                "refuse-label-at-most",
                &[("label", &crate::said::said(label)), ("max", &max)],
            ),
        ));
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// Comma-separated tags, lower case, sorted, each once: at most 20 of at most 40 characters.
#[cfg(feature = "ssr")]
fn tag_list(tags: &str) -> Result<Vec<String>, AppError> {
    let mut list: Vec<String> = tags
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    list.sort();
    list.dedup();
    if let Some(t) = list.iter().find(|t| t.chars().count() > 40) {
        return Err(AppError::invalid(
            "tags",
            crate::said::said_with("refuse-tag-long", &[("tag", &t)]),
        ));
    }
    if list.len() > 20 {
        return Err(AppError::invalid(
            "tags",
            crate::said::said("refuse-tags-many"),
        ));
    }
    Ok(list)
}

/// The customer card's reads, one part of the card each.
#[cfg(feature = "ssr")]
mod read;

/// Saves what the bakery knows of a customer's tastes: preferences, allergies (shown to the
/// kitchen and the driver), notes and tags (comma-separated).
#[server(endpoint = "save_customer_profile")]
pub async fn save_customer_profile(
    id: i64,
    #[server(default)] preferences: String,
    #[server(default)] allergies: String,
    #[server(default)] notes: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let preferences = bounded(&preferences, "preferences", "refuse-label-preferences", 500)?;
        let allergies = bounded(&allergies, "allergies", "refuse-label-allergies", 300)?;
        let notes = bounded(&notes, "notes", "refuse-label-notes", 2000)?;
        let list = tag_list(&tags)?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let now = crate::server::db::now();
        let name = sqlx::query_scalar!(
            "UPDATE customers SET preferences = ?, allergies = ?, notes = ?, updated_at = ?
             WHERE id = ? AND erased_at IS NULL RETURNING name",
            preferences,
            allergies,
            notes,
            now,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-customer")))?;
        sqlx::query!("DELETE FROM customer_tags WHERE customer_id = ?", id)
            .execute(&mut *tx)
            .await?;
        for t in &list {
            sqlx::query!(
                "INSERT INTO customer_tags (customer_id, tag) VALUES (?, ?)",
                id,
                t
            )
            .execute(&mut *tx)
            .await?;
        }
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "customer.profile",
            &name,
            serde_json::json!({"tags": list, "allergies": allergies.is_some()}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Records that a customer gave or withdrew consent for `channel` (`how`: by phone, in
/// person, on paper…), as the owner heard it.
#[server(endpoint = "set_consent")]
pub async fn set_consent(
    id: i64,
    channel: String,
    granted: bool,
    #[server(default)] how: String,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let channel = super::Channel::parse(&channel)
            .ok_or_else(|| AppError::invalid("channel", crate::said::said("refuse-channel")))?;
        let how = match how.trim() {
            "" => "Told the bakery".to_string(),
            h if h.chars().count() > 60 => {
                return Err(AppError::invalid(
                    "how",
                    crate::said::said("refuse-how-long"),
                ))
            }
            h => h.to_string(),
        };
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let source = format!("{how} ({})", me.name);
        if super::consent::set(&mut tx, id, channel, granted, &source, Some(me.id)).await? {
            crate::audit::record(
                &mut *tx,
                &crate::audit::Who::user(me.id, &me.name),
                if granted {
                    "customer.consent_given"
                } else {
                    "customer.consent_withdrawn"
                },
                &format!("Customer #{id}"),
                serde_json::json!({"channel": channel.code(), "how": how}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Merges customer `from` into `into`: every order (through the order core), consent line,
/// tag, promotion use, loyalty point, referral and privacy request moves; `into` keeps its own contact details and gains
/// what it lacked; `from` is removed. Answers how many orders moved.
#[server(endpoint = "merge_customers")]
pub async fn merge_customers(from: i64, into: i64) -> Result<i64, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        if from == into {
            return Err(AppError::invalid("from", crate::said::said("refuse-merge-other")));
        }
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let from_name = name_of(&mut tx, from, "refuse-what-the-customer-to-merge").await?;
        let into_name = name_of(&mut tx, into, "refuse-what-the-customer-to-keep").await?;
        let orders = sqlx::query_scalar!(
            r#"SELECT id AS "id!: i64" FROM orders WHERE customer_id = ? ORDER BY id"#,
            from
        )
        .fetch_all(&mut *tx)
        .await?;
        let actor = crate::orders::core::Actor::user(me.id, &me.name);
        let mut changes = Vec::new();
        for order in &orders {
            let applied = crate::orders::core::apply_in(
                &mut tx,
                cx.config(),
                &actor,
                *order,
                None,
                crate::orders::core::Command::ChangeCustomer {
                    customer_id: into,
                    name: into_name.clone(),
                },
            )
            .await?;
            changes.push(applied.change);
        }
        crate::standing::store::change_customer(&mut tx, from, into).await?;
        crate::loyalty::store::merge(&mut tx, from, into).await?;
        move_records(&mut tx, from, into).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "customer.merged",
            &into_name,
            serde_json::json!({"from": from, "into": into, "orders": orders.len(), "merged_name": from_name}),
        )
        .await?;
        tx.commit().await?;
        crate::orders::core::Core::of(&cx.state).announce(changes);
        Ok(orders.len() as i64)
    })
    .await
}
