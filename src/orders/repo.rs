//! Reads of orders for the board and the drawer (the order core writes them).
use sqlx::SqlitePool;

use super::model::{first_name, Fulfilment, OrderCard, OrderStatus, PaymentMethod};
use crate::error::AppError;

/// Narrows the board; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub district: String,
    pub fulfilment: String,
    pub payment: String,
    /// Order number, or part of the customer's name or phone.
    pub search: String,
}

/// Every order to be fulfilled on `day`, as board cards, earliest window first.
pub async fn cards_for_day(pool: &SqlitePool, day: &str) -> Result<Vec<OrderCard>, AppError> {
    cards_filtered(pool, day, &BoardFilter::default()).await
}

/// `cards_for_day` narrowed by `f`.
pub async fn cards_filtered(
    pool: &SqlitePool,
    day: &str,
    f: &BoardFilter,
) -> Result<Vec<OrderCard>, AppError> {
    let search = f.search.trim();
    let like = crate::server::db::contains_pattern(search);
    let digits: String = search.chars().filter(|c| c.is_ascii_digit()).collect();
    let phone_like = if digits.len() >= 3 {
        format!("%{digits}%")
    } else {
        "\u{1}".to_string()
    };
    let number: i64 = search.trim_start_matches('#').parse().unwrap_or(-1);
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id!", o.version, o.number, c.name AS customer_name, d.name AS "district?", d.colour AS "district_colour?",
                  o.fulfilment, o.fulfil_on, o.window_from, o.window_to, o.total_cents,
                  o.payment_method, o.paid AS "paid: bool", o.status,
                  (o.notes IS NOT NULL AND o.notes <> '') AS "has_notes!: bool", c.allergies AS customer_allergies,
                  o.standing_order_id,
                  (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS "item_count!: i64",
                  (SELECT COALESCE(GROUP_CONCAT(p.allergens, ','), '') FROM order_items i JOIN products p ON p.id = i.product_id
                   WHERE i.order_id = o.id) AS "allergens!: String"
           FROM orders o
           JOIN customers c ON c.id = o.customer_id
           LEFT JOIN districts d ON d.id = o.district_id
           WHERE o.fulfil_on = ?1
             AND (?2 = '' OR d.name = ?2)
             AND (?3 = '' OR o.fulfilment = ?3)
             AND (?4 = '' OR o.payment_method = ?4)
             AND (?5 = '' OR o.number = ?6 OR c.name LIKE ?7 ESCAPE '\' OR c.phone LIKE ?8)
           ORDER BY COALESCE(o.window_from, '99:99'), o.number"#,
        day,
        f.district,
        f.fulfilment,
        f.payment,
        search,
        number,
        like,
        phone_like
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let bad = |what: &str, v: &str| AppError::internal(what, v);
            Ok(OrderCard {
                id: r.id,
                version: r.version,
                number: r.number,
                customer_first_name: first_name(&r.customer_name),
                district: r.district,
                district_colour: r.district_colour,
                fulfilment: Fulfilment::parse(&r.fulfilment)
                    .map_err(|_| bad("orders.fulfilment", &r.fulfilment))?,
                fulfil_on: r.fulfil_on,
                window: super::model::window_label(r.window_from, r.window_to),
                item_count: r.item_count,
                total_cents: r.total_cents,
                payment_method: PaymentMethod::parse(&r.payment_method)
                    .map_err(|_| bad("orders.payment_method", &r.payment_method))?,
                paid: r.paid,
                status: OrderStatus::parse(&r.status)
                    .map_err(|_| bad("orders.status", &r.status))?,
                has_notes: r.has_notes,
                allergens: crate::menu::model::in_list_order(&r.allergens),
                customer_allergies: r.customer_allergies.filter(|a| !a.is_empty()),
                standing_order_id: r.standing_order_id,
            })
        })
        .collect()
}

/// One order with its lines and history; times shown in `tz`.
pub async fn detail(
    pool: &SqlitePool,
    id: i64,
    config: &crate::server::config::Config,
) -> Result<super::model::OrderDetail, AppError> {
    let (tz, currency) = (config.timezone(), config.currency());
    let o = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, o.version, o.status, o.fulfilment, o.fulfil_on, o.window_from, o.window_to,
                  c.name AS customer_name, c.phone, o.address, d.name AS "district?", o.lat, o.lng,
                  o.payment_method, o.paid AS "paid: bool", o.subtotal_cents, o.delivery_fee_cents, o.total_cents,
                  o.notes, o.tracking_token, o.customer_id, o.standing_order_id, so.patterns AS "standing_patterns?",
                  o.promo_code
           FROM orders o JOIN customers c ON c.id = o.customer_id LEFT JOIN districts d ON d.id = o.district_id
                LEFT JOIN standing_orders so ON so.id = o.standing_order_id
           WHERE o.id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-order")))?;
    let (skus, allergens, items) = lines_of(pool, id).await?;
    let history = super::history::lines(pool, id, tz).await?;
    let districts = if o.fulfilment == "delivery" {
        crate::districts::repo::list(pool).await?
    } else {
        Vec::new()
    };
    let status = OrderStatus::parse(&o.status)
        .map_err(|_| AppError::internal("orders.status", &o.status))?;
    let unfinished = !matches!(
        status,
        OrderStatus::Delivered | OrderStatus::Collected | OrderStatus::Cancelled
    );
    let open = !o.paid && unfinished;
    let mut conn = pool.acquire().await?;
    let (points_on, points_open, referral_open) =
        offers(&mut conn, config, (o.id, o.customer_id), unfinished, open).await?;
    Ok(super::model::OrderDetail {
        code_open: open && o.promo_code.is_none(),
        code_on: o.promo_code.clone().filter(|_| open),
        points_open,
        points_on,
        referral_open,
        districts,
        photo: photo_of(&mut conn, o.id).await?,
        skus,
        allergens,
        id: o.id,
        number: o.number,
        version: o.version,
        status,
        fulfilment: Fulfilment::parse(&o.fulfilment)
            .map_err(|_| AppError::internal("orders.fulfilment", &o.fulfilment))?,
        fulfil_on: o.fulfil_on,
        window: super::model::window_label(o.window_from, o.window_to),
        customer_name: o.customer_name,
        phone: o.phone,
        address: o.address,
        district: o.district,
        pin: o.lat.zip(o.lng),
        tiles: (config.tile_url.clone(), config.tile_attribution.clone()),
        payment_method: PaymentMethod::parse(&o.payment_method)
            .map_err(|_| AppError::internal("orders.payment_method", &o.payment_method))?,
        paid: o.paid,
        items,
        subtotal_cents: o.subtotal_cents,
        delivery_fee_cents: o.delivery_fee_cents,
        discounts: discounts_of(&mut conn, o.id).await?,
        total_cents: o.total_cents,
        notes: o.notes,
        tracking_token: o.tracking_token,
        history,
        currency: currency.to_string(),
        customer_id: o.customer_id,
        customer_page: false,
        standing: o
            .standing_order_id
            .map(|id| standing_label(id, o.standing_patterns.as_deref())),
    })
}

/// The size of the photo taken at the door, if any.
async fn photo_of(
    conn: &mut sqlx::SqliteConnection,
    order_id: i64,
) -> Result<Option<(i64, i64)>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT width AS "width!: i64", height AS "height!: i64" FROM delivery_photos WHERE order_id = ?"#,
        order_id
    )
    .fetch_optional(conn)
    .await?
    .map(|p| (p.width, p.height)))
}

/// An order's lines (name, quantity, unit price), their SKUs and the allergens they carry.
async fn lines_of(
    pool: &SqlitePool,
    id: i64,
) -> Result<(Vec<String>, Vec<String>, Vec<(String, i64, i64)>), AppError> {
    let rows = sqlx::query!(
        "SELECT p.sku, p.name, i.quantity, i.unit_price_cents, p.allergens FROM order_items i JOIN products p ON p.id = i.product_id
         WHERE i.order_id = ? ORDER BY i.id",
        id
    )
    .fetch_all(pool)
    .await?;
    let skus = rows.iter().map(|r| r.sku.clone()).collect();
    let all: Vec<&str> = rows.iter().map(|r| r.allergens.as_str()).collect();
    let allergens = crate::menu::model::in_list_order(&all.join(","));
    let items = rows
        .into_iter()
        .map(|r| (r.name, r.quantity, r.unit_price_cents))
        .collect();
    Ok((skus, allergens, items))
}

/// What may still be taken off an order: the points it spent (while open), the points its
/// customer could spend (open, none spent yet), and whether a referral code may be added
/// (unfinished). The programme is read once for all three.
async fn offers(
    conn: &mut sqlx::SqliteConnection,
    config: &crate::server::config::Config,
    (order_id, customer_id): (i64, i64),
    unfinished: bool,
    open: bool,
) -> Result<(Option<(i64, i64)>, Option<(i64, i64)>, bool), AppError> {
    let points_on = match open {
        true => crate::loyalty::store::redeemed_on(&mut *conn, order_id).await?,
        false => None,
    };
    let program = match unfinished {
        true => Some(crate::loyalty::store::program(&mut *conn).await?),
        false => None,
    };
    let referral_open = match &program {
        Some(p) => {
            crate::loyalty::store::referral_open(&mut *conn, p, customer_id, order_id).await?
        }
        None => false,
    };
    let points_open = match program.as_ref().filter(|_| open && points_on.is_none()) {
        Some(p) => points_open(&mut *conn, config, p, customer_id).await?,
        None => None,
    };
    Ok((points_on, points_open, referral_open))
}

/// "S-12 · Tue + Fri or Mon + Thu": the standing order an order came from.
fn standing_label(id: i64, patterns: Option<&str>) -> String {
    let days = crate::standing::model::patterns_from_text(patterns.unwrap_or_default());
    format!(
        "S-{id} · {}",
        days.iter()
            .map(|&p| crate::standing::model::pattern_label(p))
            .collect::<Vec<_>>()
            .join(" or ")
    )
}

/// The customer's points and their worth, when an order (open, unpaid, none spent yet) may
/// still spend some: the bakery runs a programme and the customer holds at least what one order
/// may spend.
async fn points_open(
    conn: &mut sqlx::SqliteConnection,
    config: &crate::server::config::Config,
    program: &crate::loyalty::Program,
    customer_id: i64,
) -> Result<Option<(i64, i64)>, AppError> {
    use crate::loyalty::store;
    if !program.enabled {
        return Ok(None);
    }
    let held = store::available(&mut *conn, customer_id, config.today()).await?;
    // Fewer than one order may spend: nothing to offer.
    Ok((held >= program.min_redeem.max(1)).then(|| (held, program.value_cents(held))))
}

/// Orders per status (all days), for the dashboard.
pub async fn count_by_status(
    pool: &SqlitePool,
    day: &str,
) -> Result<Vec<(OrderStatus, i64)>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT status, COUNT(*) AS "n!: i64" FROM orders WHERE fulfil_on = ? GROUP BY status"#,
        day
    )
    .fetch_all(pool)
    .await?;
    Ok(OrderStatus::ALL
        .into_iter()
        .map(|s| {
            let n = rows
                .iter()
                .find(|r| r.status == s.as_str())
                .map_or(0, |r| r.n);
            (s, n)
        })
        .collect())
}

/// What came off order `order_id`: each promotion (name, code, amount), then the loyalty
/// points it spent ("Loyalty points (300)", in the reader's language).
pub async fn discounts_of(
    conn: &mut sqlx::SqliteConnection,
    order_id: i64,
) -> Result<Vec<(String, Option<String>, i64)>, AppError> {
    let mut lines = crate::promotions::store::uses_of(&mut *conn, order_id).await?;
    if let Some((points, cents)) = crate::loyalty::store::redeemed_on(conn, order_id).await? {
        lines.push((
            crate::said::said_with("loyalty-points-discount", &[("points", &points)]),
            None,
            cents,
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test(migrations = "./migrations")]
    async fn board_cards_carry_what_staff_need(pool: SqlitePool) {
        let cfg = crate::server::config::Config::from_env().unwrap();
        crate::server::demo::load(&pool, &cfg, false).await.unwrap();
        let today = cfg.today().to_string();
        let cards = cards_for_day(&pool, &today).await.unwrap();
        assert_eq!(cards.len(), 14);
        assert!(cards
            .iter()
            .all(|c| c.fulfil_on == today && c.item_count > 0));
        // Sorted by window, then number.
        let windows: Vec<String> = cards
            .iter()
            .map(|c| c.window.clone().unwrap_or_default())
            .collect();
        let mut sorted = windows.clone();
        sorted.sort();
        assert_eq!(windows, sorted);
        // Cash to collect matches unpaid cash-on-delivery totals in the database.
        let cash: i64 = cards.iter().filter_map(|c| c.cash_to_collect()).sum();
        let expected: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE fulfil_on = ? AND payment_method = 'cod' AND paid = 0",
        )
        .bind(&today)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(cash, expected);
        let counts = count_by_status(&pool, &today).await.unwrap();
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<i64>(), 14);
    }
}
