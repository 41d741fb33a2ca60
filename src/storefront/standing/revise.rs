//! Changing a standing order's days, place or window (`PATCH /api/v1/standing-orders/{id}`,
//! and the customer page's form, which go through [`terms`]), and listing standing orders
//! (`GET /api/v1/standing-orders`).
// The helpers answer early with the response itself, as the orders' handlers do.
#![allow(clippy::result_large_err)]
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::api::{change, refusal};
use super::{
    fits, validate, ScheduleIn, StandingChangeIn, StandingFulfilmentIn, StandingListOut,
    StandingOrderIn, StandingOrderOut,
};
use crate::error::AppError;
use crate::server::config::Config;
use crate::server::state::AppState;
use crate::standing::model::pattern_label;
use crate::standing::store::{Change, Terms};
use crate::storefront::handlers::{self, error};
use crate::storefront::model::{CustomerIn, ErrorBody, FieldError, PaymentIn, WindowIn};

/// Standing order `id` as the creation body would send it today (its first day today at the
/// earliest), with its status. `NotFound` when there is none.
async fn stored(
    pool: &sqlx::SqlitePool,
    id: i64,
    today: chrono::NaiveDate,
) -> Result<(StandingOrderIn, String), AppError> {
    let s = sqlx::query!(
        r#"SELECT c.name, c.phone, c.email, s.fulfilment, s.address, s.lat, s.lng, s.window_from, s.window_to,
                  s.payment_method, s.notes, s.visits_per_week, s.patterns, s.starts_on, s.ends_on, s.status
           FROM standing_orders s JOIN customers c ON c.id = s.customer_id WHERE s.id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| crate::standing::model::unknown(id))?;
    let delivery = s.fulfilment == "delivery";
    let window = s.window_from.clone().zip(s.window_to);
    let weekdays = crate::standing::model::patterns_from_text(&s.patterns)
        .into_iter()
        .map(|p| {
            let label = pattern_label(p).to_ascii_lowercase();
            label.split(" + ").map(str::to_string).collect()
        })
        .collect();
    let input = StandingOrderIn {
        customer: Some(CustomerIn {
            name: Some(s.name),
            phone: Some(s.phone),
            email: s.email,
            marketing_opt_in: None,
            consent: None,
        }),
        fulfilment: Some(StandingFulfilmentIn {
            kind: Some(s.fulfilment),
            address: s.address,
            lat: s.lat,
            lng: s.lng,
            window: window.filter(|_| delivery).map(|(from, to)| WindowIn {
                from: Some(from),
                to: Some(to),
            }),
            time: s.window_from.filter(|_| !delivery),
        }),
        items: Some(crate::standing::read::items_in(pool, id).await?),
        payment: Some(PaymentIn {
            method: Some(s.payment_method),
            reference: None,
        }),
        schedule: Some(ScheduleIn {
            visits_per_week: Some(s.visits_per_week),
            weekdays: Some(weekdays),
            starts_on: Some(s.starts_on.parse().unwrap_or(today).max(today).to_string()),
            ends_on: s.ends_on,
        }),
        notes: s.notes,
    };
    Ok((input, s.status))
}

/// A standing order's new terms from `change` laid over what it has, checked as a new
/// standing order's are (every field named as in the creation body: `schedule.weekdays[0]`,
/// `fulfilment.lat`, ...). `Err` for an unknown (404) or ended (409) standing order; `Ok(Err)`
/// with the problems of the change.
pub async fn terms(
    pool: &sqlx::SqlitePool,
    config: &Config,
    id: i64,
    change: &StandingChangeIn,
) -> Result<Result<Terms, Vec<FieldError>>, AppError> {
    let today = config.today();
    let (mut input, status) = stored(pool, id, today).await?;
    if status == "ended" {
        return Err(AppError::Conflict(crate::said::said_with(
            "refuse-standing-ended",
            &[("id", &id)],
        )));
    }
    let problem = |field: &str, key: &str| {
        Ok(Err(vec![FieldError {
            field: field.into(),
            message: format!("{field}: {}.", crate::said::said(key)),
        }]))
    };
    if change.schedule.is_none() && change.fulfilment.is_none() {
        return problem("body", "refuse-standing-nothing");
    }
    let kind = input.fulfilment.as_ref().and_then(|f| f.kind.clone());
    if let Some(f) = &change.fulfilment {
        if f.kind.is_some() && f.kind != kind {
            return problem("fulfilment.type", "refuse-standing-kind");
        }
        input.fulfilment = Some(StandingFulfilmentIn { kind, ..f.clone() });
    }
    if let (Some(c), Some(s)) = (&change.schedule, input.schedule.as_mut()) {
        s.visits_per_week = c.visits_per_week;
        s.weekdays = c.weekdays.clone();
    }
    let products = crate::storefront::intake::products(pool).await?;
    let (order, schedule) = match validate(&input, today, &products, &config.phone_country) {
        Ok(v) => v,
        Err(errors) => return Ok(Err(errors)),
    };
    let unfit = fits(pool, config, &order, &schedule).await?;
    if !unfit.is_empty() {
        return Ok(Err(unfit));
    }
    Ok(Ok(Terms {
        per_week: schedule.per_week,
        patterns: schedule.patterns,
        address: order.address,
        pin: order.coords,
        window: order.window,
    }))
}

#[utoipa::path(
    patch, path = "/api/v1/standing-orders/{id}", tag = "storefront",
    security(("storefront_key" = [])),
    params(("id" = String, Path, description = "The standing order's id")),
    request_body = StandingChangeIn,
    responses(
        (status = 200, description = "From tomorrow on the new days, place or window: deliveries no longer on the days are cancelled (the customer is told), the others move or are re-timed while not yet baking, the new days are booked at once", body = StandingOrderOut),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "Unknown id", body = ErrorBody),
        (status = 409, description = "The standing order has ended", body = ErrorBody),
        (status = 422, description = "Nothing to change, bad fields (each named as in the creation body), or a delivery that cannot move (its date named)", body = ErrorBody),
    )
)]
pub async fn patch(State(state): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    let id_num = match super::api::parse_id(&id) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let input = match handlers::parse_json::<StandingChangeIn>(&body, "a change") {
        Ok((input, _)) => input,
        Err(r) => return r,
    };
    let c = match terms(&state.pool, &state.config, id_num, &input).await {
        Ok(Ok(t)) => Ok(Change::Terms(t)),
        Ok(Err(errors)) => Err(handlers::invalid(errors)),
        Err(e) => Err(refusal(e)),
    };
    change(&state, &id, c).await
}

/// `GET /api/v1/standing-orders`'s query, read as text so that every bad value is named.
#[derive(Debug, Default)]
pub struct ListQuery {
    phone: Option<String>,
    status: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

impl ListQuery {
    /// The query's pairs; a parameter given twice is named.
    fn read(pairs: Vec<(String, String)>) -> Result<Self, Response> {
        let mut q = ListQuery::default();
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "phone" => &mut q.phone,
                "status" => &mut q.status,
                "limit" => &mut q.limit,
                "after" => &mut q.after,
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(bad(&name, "refuse-list-twice"));
            }
        }
        Ok(q)
    }
}

fn bad(field: &str, key: &str) -> Response {
    let message = format!("{field}: {}.", crate::said::said(key));
    error(StatusCode::UNPROCESSABLE_ENTITY, field, &message)
}

#[utoipa::path(
    get, path = "/api/v1/standing-orders", tag = "storefront",
    security(("storefront_key" = [])),
    params(
        ("phone" = Option<String>, Query, description = "Only this customer's (the phone as given with their orders)"),
        ("status" = Option<String>, Query, pattern = "^(active|paused|ended)$", description = "Only those `active`, `paused` or `ended`"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "At most this many (default 50)"),
        ("after" = Option<i64>, Query, minimum = 0, description = "Those after this id (the last page's `next_after`)"),
    ),
    responses(
        (status = 200, description = "Standing orders by id, with their next fortnight's visits", body = StandingListOut),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 422, description = "A bad phone, status, limit or after (named)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let q = match ListQuery::read(pairs) {
        Ok(q) => q,
        Err(r) => return r,
    };
    // A parameter sent empty is a bad value, not a missing one.
    fn text(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim)
    }
    let number =
        |v: &Option<String>, field: &str, range: std::ops::RangeInclusive<i64>| match text(v)
            .map(|t| t.parse::<i64>().ok().filter(|n| range.contains(n)))
        {
            None => Ok(None),
            Some(Some(n)) => Ok(Some(n)),
            Some(None) => Err(bad(field, &format!("refuse-list-{field}"))),
        };
    let (limit, after) = match (
        number(&q.limit, "limit", 1..=200),
        number(&q.after, "after", 0..=i64::MAX),
    ) {
        (Ok(l), Ok(a)) => (l.unwrap_or(50), a.unwrap_or(0)),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let status = text(&q.status);
    if status.is_some_and(|s| !matches!(s, "active" | "paused" | "ended")) {
        return bad("status", "refuse-list-status");
    }
    let phone = match text(&q.phone) {
        None => None,
        Some(p) => {
            match crate::storefront::validate::normalize_phone(p, &state.config.phone_country) {
                Some(p) => Some(p),
                None => return bad("phone", "refuse-list-phone"),
            }
        }
    };
    let ids = sqlx::query_scalar!(
        r#"SELECT s.id AS "id!" FROM standing_orders s JOIN customers c ON c.id = s.customer_id
           WHERE s.id > ? AND (? IS NULL OR c.phone = ?) AND (? IS NULL OR s.status = ?)
           ORDER BY s.id LIMIT ?"#,
        after,
        phone,
        phone,
        status,
        status,
        limit
    )
    .fetch_all(&state.pool)
    .await;
    let ids = match ids {
        Ok(ids) => ids,
        Err(e) => return handlers::internal(e.into()),
    };
    let today = state.config.today();
    let mut out = Vec::with_capacity(ids.len());
    for id in &ids {
        match crate::standing::read::one(&state.pool, *id, today).await {
            Ok(v) => out.push(StandingOrderOut::from(v)),
            Err(e) => return handlers::internal(e),
        }
    }
    let next_after = (ids.len() as i64 == limit)
        .then(|| ids.last().copied())
        .flatten();
    let body = StandingListOut {
        standing_orders: out,
        next_after,
    };
    (StatusCode::OK, Json(body)).into_response()
}
