//! `POST /api/v1/quote`: what an order would cost (items, fee, promotions, loyalty points) and
//! when it could come, with every problem that would make `POST /orders` refuse it. Stores
//! nothing.
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::handlers::{for_customer, internal, invalid, parse_body};
use super::intake::{self, Refusal};
use super::model::*;
use super::validate;
use crate::error::AppError;
use crate::server::state::AppState;

#[utoipa::path(
    post, path = "/api/v1/quote", tag = "storefront",
    security(("storefront_key" = [])),
    request_body = OrderIn,
    responses(
        (status = 200, description = "Prices, fee and earliest days; `problems` lists what would make the order be refused. Stores nothing.", body = Quote),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 413, description = "The body is too large (over 4 MiB)"),
        (status = 422, description = "Malformed request: every bad field", body = ErrorBody),
    )
)]
pub async fn quote(State(state): State<AppState>, body: Bytes) -> Response {
    let (input, _) = match parse_body(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    for_customer(input.language.as_deref(), quote_for(&state, &input)).await
}

async fn quote_for(state: &AppState, input: &OrderIn) -> Response {
    let products = match intake::products(&state.pool).await {
        Ok(p) => p,
        Err(e) => return internal(e),
    };
    let today = state.config.today();
    let order = match validate::order(input, today, &products, &state.config.phone_country) {
        Ok(o) => o,
        Err(errors) => return invalid(errors),
    };
    match build_quote(state, &order).await {
        Ok(q) => Json(q).into_response(),
        Err(e) => internal(e),
    }
}

async fn build_quote(state: &AppState, order: &validate::ValidOrder) -> Result<Quote, AppError> {
    let known = intake::known::current(&state.pool).await?;
    let districts = &known.districts;
    let mut conn = state.pool.acquire().await?;
    let currency = state.config.currency();
    let (pricing, order) = intake::promotions(&mut conn, &state.config, &known, order).await?;
    let order = &order;
    let (priced, mut problems) =
        match intake::check_rules(&mut conn, &state.config, districts, order).await {
            Ok(p) => (Some(p), vec![]),
            Err(Refusal::Rules(body)) => (None, body.errors),
            Err(Refusal::Internal(e)) => return Err(e),
        };
    let (discounts, promo_code) = intake::discounts_out(&pricing, &currency);
    if let Some(c) = promo_code.as_ref().filter(|_| !order.promo_full_price) {
        if let Some(message) = &c.message {
            problems.push(FieldError {
                field: "promo_code".into(),
                message: message.clone(),
            });
        }
    }
    let district = match &priced {
        Some(p) => p.district.clone(),
        None => order
            .coords
            .and_then(|(lat, lng)| crate::districts::locate::locate(districts, lat, lng).cloned()),
    };
    let fee = district.as_ref().map_or(0, |d| d.delivery_fee_cents);
    let earliest =
        if order.fulfilment == crate::orders::model::Fulfilment::Delivery && district.is_none() {
            vec![]
        } else {
            intake::next_dates(&mut conn, &state.config, district.as_ref(), order).await?
        };
    let lines: Vec<QuoteLine> = order
        .items
        .iter()
        .map(|i| QuoteLine {
            sku: i.sku.clone(),
            name: i.name.clone(),
            quantity: i.quantity,
            unit_price_cents: i.unit_price_cents,
            line_total_cents: i.quantity * i.unit_price_cents,
        })
        .collect();
    let subtotal = order.subtotal_cents();
    let promo_discount = pricing.outcome.discount_cents();
    let customer =
        crate::loyalty::store::customer_by_phone(&mut conn, &order.customer.phone).await?;
    let to_pay = crate::orders::model::total_cents(subtotal, fee, promo_discount);
    let points =
        intake::points::check(&mut conn, &state.config, customer, order, to_pay, true).await?;
    problems.extend(points.redeem_problem.clone());
    problems.extend(
        points
            .referral_problem
            .clone()
            .filter(|_| !order.promo_full_price),
    );
    let discount = promo_discount + points.cents();
    Ok(Quote {
        lines,
        subtotal_cents: subtotal,
        delivery_fee_cents: fee,
        discount_cents: discount,
        discounts,
        promo_code,
        total_cents: crate::orders::model::total_cents(subtotal, fee, discount),
        loyalty: points.out,
        currency,
        district: district.map(|d| d.name),
        earliest_dates: earliest,
        problems,
    })
}
