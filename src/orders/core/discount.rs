//! `Command::Discount`: a promotion code or loyalty points added to an order already placed (a
//! customer on the phone who forgot their code, or wants to spend their points). Part of the
//! order core: only while the order is open and not yet paid (a discount on a paid order would
//! be a refund), one code and one spending of points per order, each checked as the storefront
//! checks a new order — the promotion's rules and limits, the points held — inside the order's
//! write transaction, so limits and balances hold under concurrency.
use sqlx::SqliteConnection;

use super::capacity::Booked;
use super::engine::Written;
use super::found::Found;
use super::Discount;
use crate::error::AppError;
use crate::orders::history::make as line;
use crate::orders::model::{Fulfilment, OrderStatus};
use crate::promotions::rules::{Applied, Basket};
use crate::said::{said, said_with};
use crate::server::config::Config;

pub(super) async fn discount(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
    d: &Discount,
) -> Result<Written, AppError> {
    match d {
        Discount::Code(_) | Discount::RemoveCode => open_and_unpaid(f, "promo_code"),
        Discount::Points(_) | Discount::RemovePoints => open_and_unpaid(f, "redeem_points"),
        // No money changes hands: a paid order may take it too.
        Discount::Referral(_) => open(f, "referral_code"),
    }?;
    let detail = match d {
        Discount::Code(code) => with_code(conn, config, f, code).await?,
        Discount::Points(points) => with_points(conn, config, f, *points).await?,
        Discount::RemoveCode => super::undiscount::code_off(conn, config, f).await?,
        Discount::RemovePoints => super::undiscount::points_off(conn, config, f).await?,
        Discount::Referral(code) => with_referral(conn, f, code).await?,
    };
    Ok(Written::edit(detail, f.status))
}

pub(super) fn refuse(field: &str, message: String) -> AppError {
    AppError::invalid(field, format!("{field}: {message}"))
}

/// A finished order's price no longer changes.
fn open(f: &Found, field: &str) -> Result<(), AppError> {
    use OrderStatus::{Cancelled, Collected, Delivered};
    if matches!(f.status, Delivered | Collected | Cancelled) {
        return Err(refuse(
            field,
            said_with(
                "refuse-discount-closed",
                &[("number", &f.number), ("status", &f.status.in_refusal())],
            ),
        ));
    }
    Ok(())
}

/// An open order's price may change, but a paid one's would be a refund.
fn open_and_unpaid(f: &Found, field: &str) -> Result<(), AppError> {
    open(f, field)?;
    if f.paid {
        return Err(refuse(
            field,
            said_with("refuse-discount-paid", &[("number", &f.number)]),
        ));
    }
    Ok(())
}

/// The order as a basket for the promotion rules, and what promotions already take off its
/// items and its delivery.
async fn basket_of(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
) -> Result<(Basket, (i64, i64)), AppError> {
    let lines = sqlx::query!(
        r#"SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = ? ORDER BY id"#,
        f.id
    )
    .fetch_all(&mut *conn)
    .await?;
    let delivery = f.fulfilment == Fulfilment::Delivery;
    let basket = Basket {
        lines: crate::promotions::store::basket_lines(
            lines
                .iter()
                .map(|l| (l.product_id, l.quantity, l.unit_price_cents)),
        ),
        fee_cents: f.delivery_fee_cents,
        district_id: f.district_id.filter(|_| delivery),
        day: f.day()?,
        today: config.today(),
    };
    let taken = sqlx::query!(
        r#"SELECT COALESCE(SUM(items_cents), 0) AS "items!: i64", COALESCE(SUM(delivery_cents), 0) AS "delivery!: i64"
           FROM promotion_uses WHERE order_id = ?"#,
        f.id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((basket, (taken.items, taken.delivery)))
}

/// The code's promotion on the order's basket, after what the order already has off.
async fn with_code(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
    code: &str,
) -> Result<String, AppError> {
    if let Some(had) = &f.promo_code {
        return Err(refuse(
            "promo_code",
            said_with(
                "refuse-discount-has-code",
                &[("number", &f.number), ("code", had)],
            ),
        ));
    }
    if code.trim().is_empty() {
        return Err(refuse("promo_code", said("refuse-discount-no-code")));
    }
    let (basket, taken) = basket_of(&mut *conn, config, f).await?;
    let later = crate::promotions::store::code_for_order(
        &mut *conn,
        code,
        (f.customer_id, f.id),
        &basket,
        taken,
    )
    .await?;
    let mut applied = later.result.map_err(|r| {
        AppError::invalid(
            "promo_code",
            crate::promotions::rules::explain(r, later.promotion.as_ref(), &config.currency()),
        )
    })?;
    let mut subtotal = f.subtotal_cents;
    if let Some(free) = &later.free {
        subtotal += free_line(conn, f, free, applied.items_cents).await?;
    }
    // Never more off than is left to pay (points spent already count).
    let room = (subtotal + f.delivery_fee_cents - f.discount_cents).max(0);
    cap(&mut applied, room);
    let off = applied.discount_cents();
    if off <= 0 {
        // Points already take off everything that is left to pay.
        return Err(AppError::invalid(
            "promo_code",
            crate::promotions::rules::explain(
                crate::promotions::rules::Refusal::NothingToDiscount,
                later.promotion.as_ref(),
                &config.currency(),
            ),
        ));
    }
    let discount = f.discount_cents + off;
    let total = crate::orders::model::total_cents(subtotal, f.delivery_fee_cents, discount);
    sqlx::query!(
        "UPDATE orders SET subtotal_cents = ?, discount_cents = ?, total_cents = ?, promo_code = ? WHERE id = ?",
        subtotal,
        discount,
        total,
        later.code,
        f.id
    )
    .execute(&mut *conn)
    .await?;
    crate::promotions::store::record_uses(
        &mut *conn,
        f.id,
        f.customer_id,
        Some((&later.code, applied.promotion_id)),
        std::slice::from_ref(&applied),
    )
    .await?;
    Ok(line::code(&later.code, off, &config.currency()))
}

/// The customer's first order, still open, came through another customer's referral code:
/// recorded as the website records it (the reward follows the delivery).
async fn with_referral(
    conn: &mut SqliteConnection,
    f: &Found,
    code: &str,
) -> Result<String, AppError> {
    if code.trim().is_empty() {
        return Err(refuse("referral_code", said("refuse-referral-none")));
    }
    let referrer = crate::loyalty::store::referrer_for_order(&mut *conn, f.customer_id, f.id, code)
        .await?
        .map_err(|r| refuse("referral_code", crate::loyalty::referral_words(&r, code)))?;
    crate::loyalty::store::refer(&mut *conn, f.customer_id, referrer, f.id).await?;
    let name = sqlx::query_scalar!("SELECT name FROM customers WHERE id = ?", referrer)
        .fetch_one(&mut *conn)
        .await?;
    let code = code.trim().to_uppercase();
    Ok(line::referral(&code, &name))
}

/// Takes at most `room` off: the items' part first, then the delivery's.
fn cap(a: &mut Applied, room: i64) {
    a.items_cents = a.items_cents.min(room);
    a.delivery_cents = a.delivery_cents.min(room - a.items_cents);
}

/// The free item's line (charged at `price`, discounted by the promotion), if the product is
/// baked that day and has room left. Returns what it adds to the subtotal.
async fn free_line(
    conn: &mut SqliteConnection,
    f: &Found,
    free: &crate::promotions::store::FreeProduct,
    price: i64,
) -> Result<i64, AppError> {
    let day = f.day()?;
    let p = sqlx::query!(
        r#"SELECT daily_capacity, offered_weekdays FROM products WHERE id = ? AND active = 1"#,
        free.product_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let booked = Booked::load(&mut *conn, day, day, day).await?;
    let baked = p.as_ref().is_some_and(|p| {
        crate::districts::model::serves(p.offered_weekdays as u8, chrono::Datelike::weekday(&day))
            && p.daily_capacity - booked.units(free.product_id, day) >= 1
    });
    if !baked {
        return Err(refuse(
            "promo_code",
            said_with(
                "refuse-discount-free-full",
                &[("product", &free.name), ("day", &f.fulfil_on)],
            ),
        ));
    }
    let note = format!("Free: {}", free.promotion);
    super::line::insert(&mut *conn, f.id, free.product_id, 1, price, Some(&note)).await?;
    Ok(price)
}

/// Points spent on the order, worth what the programme says, within what is left to pay.
async fn with_points(
    conn: &mut SqliteConnection,
    config: &Config,
    f: &Found,
    asked: i64,
) -> Result<String, AppError> {
    use crate::loyalty::store;
    if let Some((spent, _)) = store::redeemed_on(&mut *conn, f.id).await? {
        return Err(refuse(
            "redeem_points",
            said_with(
                "refuse-discount-has-points",
                &[("number", &f.number), ("points", &spent)],
            ),
        ));
    }
    let program = store::program(&mut *conn).await?;
    let today = config.today();
    let available = if program.enabled {
        store::available(&mut *conn, f.customer_id, today).await?
    } else {
        0
    };
    let to_pay = f.total(f.subtotal_cents, f.delivery_fee_cents);
    if let Some(r) = crate::loyalty::rules::redeem_refusal(&program, asked, available, to_pay) {
        return Err(refuse(
            "redeem_points",
            crate::loyalty::redeem_words(&r, asked),
        ));
    }
    let cents = program.value_cents(asked);
    store::redeem(&mut *conn, f.customer_id, f.id, (asked, cents), today).await?;
    write_discount(conn, f, f.discount_cents + cents).await?;
    Ok(line::points(asked, cents, &config.currency()))
}

/// The order's discount is now `discount` (its items unchanged): the total follows.
pub(super) async fn write_discount(
    conn: &mut SqliteConnection,
    f: &Found,
    discount: i64,
) -> Result<(), AppError> {
    let total = crate::orders::model::total_cents(f.subtotal_cents, f.delivery_fee_cents, discount);
    sqlx::query!(
        "UPDATE orders SET discount_cents = ?, total_cents = ? WHERE id = ?",
        discount,
        total,
        f.id
    )
    .execute(conn)
    .await?;
    Ok(())
}
