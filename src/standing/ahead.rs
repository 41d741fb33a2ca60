//! Creating standing orders' visits ahead: every booked date in the next fortnight becomes an
//! order through the same intake as the storefront's (the catalogue's prices, promotions, the
//! district's days and capacity, the kitchen's bake capacity). A refusal is kept on the visit,
//! naming the date, and tried again on the next pass.
use std::time::Duration;

use chrono::NaiveDate;

use super::model::{dates, patterns_from_text, AHEAD_DAYS};
use super::store::day_label;
use crate::error::AppError;
use crate::orders::core::Core;
use crate::orders::model::{OrderChange, OrderStatus};
use crate::storefront::intake::{self, Refusal, Source};
use crate::storefront::model::{CustomerIn, FulfilmentIn, OrderIn, PaymentIn, WindowIn};

/// What a pass did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pass {
    /// Orders created.
    pub created: Vec<i64>,
    /// (standing order, date, why) for each visit refused.
    pub refused: Vec<(i64, NaiveDate, String)>,
}

/// A standing order as the intake's input for one date.
struct Template {
    id: i64,
    input: OrderIn,
    first: NaiveDate,
    last: Option<NaiveDate>,
    booked: u8,
    paused: Option<Option<NaiveDate>>,
}

async fn templates(core: &Core, only: Option<i64>) -> Result<Vec<Template>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT s.id AS "id!", c.name, c.phone, c.email, s.fulfilment, s.address, s.lat, s.lng, s.window_from,
                  s.window_to, s.payment_method, s.notes, s.patterns, s.starts_on, s.ends_on, s.status, s.paused_until
           FROM standing_orders s JOIN customers c ON c.id = s.customer_id
           WHERE s.status != 'ended' AND (? IS NULL OR s.id = ?) AND c.erased_at IS NULL
           ORDER BY s.id"#,
        only,
        only
    )
    .fetch_all(&core.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let parse = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
        let delivery = r.fulfilment == "delivery";
        let input = OrderIn {
            customer: Some(CustomerIn {
                name: Some(r.name),
                phone: Some(r.phone),
                email: r.email,
                marketing_opt_in: None,
                consent: None,
            }),
            fulfilment: Some(FulfilmentIn {
                kind: Some(r.fulfilment.clone()),
                address: r.address,
                lat: r.lat,
                lng: r.lng,
                date: None,
                window: (delivery && r.window_from.is_some()).then(|| WindowIn {
                    from: r.window_from.clone(),
                    to: r.window_to.clone(),
                }),
                time: (!delivery).then(|| r.window_from.clone()).flatten(),
                flexible: None,
            }),
            items: Some(super::read::items_in(&core.pool, r.id).await?),
            payment: Some(PaymentIn {
                method: Some(r.payment_method),
                reference: None,
            }),
            notes: r.notes,
            promo_code: None,
            promo_fallback: None,
            language: None,
            redeem_points: None,
            referral_code: None,
        };
        let Some(first) = parse(&r.starts_on) else {
            continue;
        };
        out.push(Template {
            id: r.id,
            input,
            first,
            last: r.ends_on.as_deref().and_then(parse),
            booked: patterns_from_text(&r.patterns)
                .first()
                .copied()
                .unwrap_or(0),
            paused: (r.status == "paused").then(|| r.paused_until.as_deref().and_then(parse)),
        });
    }
    Ok(out)
}

/// Creates every visit due in the next [`AHEAD_DAYS`] days (and bookable) that has no order yet (of one
/// standing order, or all), each in its own transaction.
pub async fn make(core: &Core, only: Option<i64>) -> Result<Pass, AppError> {
    let config = &core.config;
    let today = config.today();
    // Within the fortnight and the bakery's booking horizon (a later date is not refused:
    // its turn comes).
    let rules = {
        let mut conn = core.pool.acquire().await?;
        crate::orders::core::calendar::BookingRules::load(&mut conn).await?
    };
    let (from, to) = (
        today + chrono::Duration::days(1),
        (today + chrono::Duration::days(AHEAD_DAYS)).min(rules.last_day(today)),
    );
    let mut pass = Pass::default();
    let book = Book {
        core,
        today,
        known: intake::known::current(&core.pool).await?,
    };
    for t in templates(core, only).await? {
        // A pause with an end is over once that day comes.
        if let Some(Some(until)) = t.paused {
            if until <= from {
                super::store::pause_over(&core.pool, t.id).await?;
            }
        }
        let start = from.max(t.first);
        let end = t.last.map_or(to, |l| l.min(to));
        let settled = settled(&core.pool, t.id, start, end).await?;
        for day in dates(t.booked, start, end) {
            let paused = match t.paused {
                Some(None) => true,
                Some(Some(until)) => day < until,
                None => false,
            };
            if paused || settled.contains(&day.to_string()) {
                continue;
            }
            match book.visit(&t, day).await? {
                Visit::Made(order_id) => pass.created.push(order_id),
                Visit::Refused(why) => pass.refused.push((t.id, day, why)),
                Visit::Settled => {}
            }
        }
    }
    Ok(pass)
}

/// The dates of standing order `id` already settled between `start` and `end` (an order
/// made, or skipped), read without the write lock: a pass over a quiet fortnight takes no
/// write transaction at all.
async fn settled(
    pool: &sqlx::SqlitePool,
    id: i64,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<std::collections::HashSet<String>, AppError> {
    let (start, end) = (start.to_string(), end.to_string());
    Ok(sqlx::query_scalar!(
        r#"SELECT day AS "day!" FROM standing_order_skips WHERE standing_order_id = ?1 AND day BETWEEN ?2 AND ?3
           UNION
           SELECT day FROM standing_order_visits
           WHERE standing_order_id = ?1 AND order_id IS NOT NULL AND day BETWEEN ?2 AND ?3"#,
        id,
        start,
        end
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect())
}

/// What became of one visit.
enum Visit {
    Made(i64),
    /// Refused, with why (kept on the visit; nothing of the order is).
    Refused(String),
    /// Made or skipped meanwhile, by another pass.
    Settled,
}

/// What booking a visit needs, read once per pass.
struct Book<'a> {
    core: &'a Core,
    today: NaiveDate,
    /// The products, districts and automatic promotions, as the storefront's intake has them.
    known: std::sync::Arc<intake::known::Known>,
}

impl Book<'_> {
    /// Books standing order `t`'s visit on `day` through the storefront's own intake, in one
    /// write transaction.
    async fn visit(&self, t: &Template, day: NaiveDate) -> Result<Visit, AppError> {
        let (core, config) = (self.core, &self.core.config);
        let ds = day.to_string();
        let mut tx = crate::server::db::begin_write(&core.pool).await?;
        // Again inside the write transaction: two passes cannot both create the same visit.
        let state = sqlx::query!(
            r#"SELECT (SELECT COUNT(*) FROM standing_order_skips WHERE standing_order_id = ?1 AND day = ?2) AS "skipped!: i64",
                      (SELECT COUNT(*) FROM standing_order_visits WHERE standing_order_id = ?1 AND day = ?2
                                                                 AND order_id IS NOT NULL) AS "made!: i64""#,
            t.id,
            ds
        )
        .fetch_one(&mut *tx)
        .await?;
        if state.skipped > 0 || state.made > 0 {
            return Ok(Visit::Settled);
        }
        let mut input = t.input.clone();
        if let Some(f) = input.fulfilment.as_mut() {
            f.date = Some(ds.clone());
        }
        let joined = |messages: Vec<String>| messages.join(" ");
        let refused = match crate::storefront::validate::order(
            &input,
            self.today,
            &self.known.products,
            &config.phone_country,
        ) {
            Err(errors) => joined(errors.into_iter().map(|e| e.message).collect()),
            Ok(order) => {
                let source = Source::Standing {
                    standing_order_id: t.id,
                };
                let taken = intake::create_in(
                    &mut tx,
                    &self.known,
                    config,
                    &order,
                    source,
                    None,
                    &config.public_url,
                )
                .await;
                match taken {
                    Ok((created, order_id)) => {
                        super::store::visit_made(&mut tx, t.id, &ds, order_id).await?;
                        tx.commit().await?;
                        core.announce([OrderChange {
                            order_id,
                            number: created.order_number,
                            from: OrderStatus::Received,
                            status: OrderStatus::Received,
                            version: 1,
                            by: "a standing order".into(),
                        }]);
                        return Ok(Visit::Made(order_id));
                    }
                    Err(Refusal::Rules(body)) => {
                        joined(body.errors.into_iter().map(|e| e.message).collect())
                    }
                    Err(Refusal::Internal(e)) => return Err(e),
                }
            }
        };
        // Nothing of the refused order is kept: only why, on the visit.
        drop(tx);
        let why = format!("{}: {refused}", day_label(day));
        super::store::visit_refused(&core.pool, t.id, &ds, &why).await?;
        Ok(Visit::Refused(why))
    }
}

/// Creates the visits due now, then every ten minutes (a new day brings a new date into the
/// fortnight; a refused visit is tried again).
pub fn spawn_worker(state: crate::server::state::AppState) {
    let core = Core::of(&state);
    tokio::spawn(async move {
        loop {
            match make(&core, None).await {
                Ok(p) if !p.created.is_empty() || !p.refused.is_empty() => tracing::info!(
                    created = p.created.len(),
                    refused = p.refused.len(),
                    "standing orders"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "standing orders"),
            }
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
    });
}
