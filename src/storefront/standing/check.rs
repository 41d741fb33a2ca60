//! A standing order as the API and the customer page send it, checked: the fields (as an
//! order's), the schedule, and what would refuse every visit.
use chrono::NaiveDate;

use super::{ScheduleIn, StandingOrderIn};
use crate::error::AppError;
use crate::said::{said, said_with, weekday};
use crate::standing::model::{check_patterns, dates};
use crate::standing::store::Schedule;
use crate::storefront::model::*;
use crate::storefront::validate::err;

/// "`field`: `problem`." (the schedule's problems read so).
fn colon(field: &str, problem: &str) -> FieldError {
    FieldError {
        field: field.into(),
        message: format!("{field}: {problem}."),
    }
}

/// A checked standing order: one visit's order (for its first date) and the schedule.
pub fn validate(
    input: &StandingOrderIn,
    today: NaiveDate,
    products: &std::collections::HashMap<String, crate::storefront::validate::ProductRef>,
    cc: &str,
) -> Result<(crate::storefront::validate::ValidOrder, Schedule), Vec<FieldError>> {
    let mut errors = Vec::new();
    let schedule = match &input.schedule {
        None => {
            errors.push(err("schedule", &said("refuse-required")));
            None
        }
        Some(s) => schedule(s, today, &mut errors),
    };
    // The first visit's date stands for every visit's while checking the order itself.
    let first = schedule.as_ref().and_then(|s| {
        let from = s.starts_on.max(today + chrono::Duration::days(1));
        dates(s.patterns[0], from, from + chrono::Duration::days(6))
            .into_iter()
            .next()
            .filter(|d| s.ends_on.is_none_or(|e| *d <= e))
    });
    if schedule.is_some() && first.is_none() {
        errors.push(colon("schedule.ends_on", &said("refuse-no-day-before-end")));
    }
    // Every visit is planned on the map: a delivery needs the door's pin from the start.
    if let Some(f) = input
        .fulfilment
        .as_ref()
        .filter(|f| f.kind.as_deref() == Some("delivery"))
    {
        if f.lat.is_none() || f.lng.is_none() {
            errors.push(field("fulfilment.lat", said("refuse-standing-pin")));
        }
    }
    let day = first.unwrap_or(today + chrono::Duration::days(1));
    let valid = match crate::storefront::validate::order(&as_order(input, day), today, products, cc)
    {
        Ok(v) => Some(v),
        Err(e) => {
            // The date is the schedule's: its problems are the schedule's.
            errors.extend(e.into_iter().filter(|e| e.field != "fulfilment.date"));
            None
        }
    };
    match (valid, schedule) {
        (Some(v), Some(s)) if errors.is_empty() => Ok((v, s)),
        _ => Err(errors),
    }
}

fn field(f: &str, message: String) -> FieldError {
    FieldError {
        field: f.into(),
        message,
    }
}

/// The schedule checked (its problems added to `errors`): the first day, the last, the
/// patterns.
fn schedule(s: &ScheduleIn, today: NaiveDate, errors: &mut Vec<FieldError>) -> Option<Schedule> {
    let parse = |t: &Option<String>| {
        t.as_deref()
            .map(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d"))
    };
    let starts = starts_on(parse(&s.starts_on), today).map_err(|e| errors.push(e));
    let ends = match parse(&s.ends_on) {
        None => None,
        Some(Err(_)) => {
            errors.push(colon("schedule.ends_on", &said("refuse-use-date")));
            None
        }
        Some(Ok(d)) => {
            if starts.as_ref().is_ok_and(|s| d < *s) {
                errors.push(err("schedule.ends_on", &said("refuse-ends-before")));
            }
            Some(d)
        }
    };
    let patterns = match (s.visits_per_week, &s.weekdays) {
        (None, _) => Err(err("schedule.visits_per_week", &said("refuse-required"))),
        (_, None) => Err(err("schedule.weekdays", &said("refuse-required"))),
        (Some(n), Some(w)) => check_patterns(n, w, "schedule.")
            .map(|p| (n, p))
            .map_err(|(f, m)| field(&f, m)),
    }
    .map_err(|e| errors.push(e));
    let (starts, (per_week, patterns)) = (starts.ok()?, patterns.ok()?);
    Some(Schedule {
        per_week,
        patterns,
        starts_on: starts,
        ends_on: ends,
    })
}

/// The first day: given, a date, not past, within the booking horizon.
fn starts_on(
    parsed: Option<Result<NaiveDate, chrono::ParseError>>,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let max = crate::storefront::validate::MAX_DAYS_AHEAD;
    match parsed {
        None => Err(err("schedule.starts_on", &said("refuse-required"))),
        Some(Err(_)) => Err(colon("schedule.starts_on", &said("refuse-use-date"))),
        Some(Ok(d)) if d < today => Err(field(
            "schedule.starts_on",
            format!(
                "schedule.starts_on: {}",
                said_with("refuse-day-past", &[("day", &d)])
            ),
        )),
        Some(Ok(d)) if d > today + chrono::Duration::days(max) => Err(field(
            "schedule.starts_on",
            format!(
                "schedule.starts_on: {}.",
                said_with("refuse-start-within", &[("days", &max)])
            ),
        )),
        Some(Ok(d)) => Ok(d),
    }
}

/// One visit's order, on `day`, for the storefront's own checks.
fn as_order(input: &StandingOrderIn, day: NaiveDate) -> OrderIn {
    OrderIn {
        customer: input.customer.clone(),
        fulfilment: input.fulfilment.as_ref().map(|f| FulfilmentIn {
            kind: f.kind.clone(),
            address: f.address.clone(),
            lat: f.lat,
            lng: f.lng,
            date: Some(day.to_string()),
            window: f.window.clone(),
            time: f.time.clone(),
            flexible: None,
        }),
        items: input.items.clone(),
        payment: input.payment.clone(),
        notes: input.notes.clone(),
        promo_code: None,
        promo_fallback: None,
        language: None,
        redeem_points: None,
        referral_code: None,
    }
}

/// What would refuse every visit, checked once at creation on each weekday of every accepted
/// pattern (capacity and closed dates are a matter of the date: a visit refused for them is
/// kept with its reason and tried again). The same rule functions as the order core's.
pub async fn fits(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
    order: &crate::storefront::validate::ValidOrder,
    schedule: &Schedule,
) -> Result<Vec<FieldError>, AppError> {
    use crate::orders::model::Fulfilment;
    let districts = crate::districts::repo::list(pool).await?;
    let mut conn = pool.acquire().await?;
    let (rules, lines) = crate::storefront::intake::lines_of(&mut conn, order).await?;
    let mut out = Refusals::default();
    let district = match (order.fulfilment, order.coords) {
        (Fulfilment::Delivery, Some((lat, lng))) => {
            match crate::districts::locate::locate(&districts, lat, lng) {
                Some(d) => Some(d),
                None => {
                    out.push("fulfilment.lat", said("refuse-outside"));
                    return Ok(out.0);
                }
            }
        }
        _ => None,
    };
    let visit = Visit {
        rules: &rules,
        lines: &lines,
        district,
        order,
        currency: config.currency(),
    };
    let from = schedule
        .starts_on
        .max(config.today() + chrono::Duration::days(1));
    for (i, &pattern) in schedule.patterns.iter().enumerate() {
        let field = format!("schedule.weekdays[{i}]");
        for day in dates(pattern, from, from + chrono::Duration::days(6)) {
            // A closed date stands for itself, not for its weekday: look a week on.
            let sample = (0..8)
                .map(|k| day + chrono::Duration::days(7 * k))
                .find(|d| rules.kitchen_refusal(&[], *d).is_none())
                .unwrap_or(day);
            visit.check(&mut out, &field, sample);
        }
    }
    Ok(out.0)
}

/// Refusals, each said once, in the order found.
#[derive(Default)]
struct Refusals(Vec<FieldError>);

impl Refusals {
    fn push(&mut self, field: &str, message: String) {
        if !self.0.iter().any(|e| e.message == message) {
            self.0.push(FieldError {
                field: field.into(),
                message,
            });
        }
    }
}

/// One visit of a standing order, as `fits` checks it on a sample date.
struct Visit<'a> {
    rules: &'a crate::orders::core::calendar::BookingRules,
    lines: &'a [crate::orders::core::capacity::Line],
    district: Option<&'a crate::districts::model::District>,
    order: &'a crate::storefront::validate::ValidOrder,
    currency: String,
}

impl Visit<'_> {
    /// What would refuse the visit on `sample` (its weekday's `field`), with nothing booked.
    fn check(&self, out: &mut Refusals, field: &str, sample: NaiveDate) {
        use crate::orders::core::{calendar, capacity};
        use crate::orders::model::Fulfilment;
        let (rules, order) = (self.rules, self.order);
        if let Some(r) = rules.kitchen_refusal(self.lines, sample) {
            out.push(&r.field, r.message);
        }
        let nobody = capacity::Booked::from_counts(std::iter::empty(), std::iter::empty());
        match (self.district, order.fulfilment) {
            (Some(d), _) => {
                if let Some(r) = capacity::stop_refusal(&nobody, d, sample) {
                    out.push(field, r.message);
                }
                if let Some(r) = calendar::window_refusal(d, sample, order.window.as_ref()) {
                    out.push(&r.field, r.message);
                }
                let subtotal = order.subtotal_cents();
                if let Some(r) =
                    capacity::delivery_refusal(&nobody, d, &[], subtotal, sample, &self.currency)
                        .filter(|r| r.field == "items")
                {
                    out.push("items", r.message);
                }
            }
            (None, Fulfilment::Pickup) => {
                if rules.pickup_on(sample).is_none() {
                    let weekday = weekday(sample);
                    out.push(
                        field,
                        said_with("refuse-no-pickup-weekday", &[("weekday", &weekday)]),
                    );
                } else if let Some((t, _)) = &order.window {
                    if let Some(r) = rules.pickup_time_refusal(sample, t) {
                        out.push(&r.field, r.message);
                    }
                }
            }
            (None, Fulfilment::Delivery) => {}
        }
    }
}
