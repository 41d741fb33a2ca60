//! What an order that passed the rules becomes: the order core's `NewOrder` (with the line its
//! history opens with) and, once written, the storefront's answer.
use super::super::model::{DeliveryOut, OrderCreated};
use super::super::validate::ValidOrder;
use super::take::Source;
use super::{discounts_out, Priced};
use crate::orders::model::Fulfilment;
use crate::server::config::Config;

/// The order core's `NewOrder` for a checked and priced `order` from `source`, with the line
/// its history opens with.
pub(super) fn new_order(
    order: &ValidOrder,
    source: Source<'_>,
    priced: &Priced,
    pricing: &crate::promotions::store::Pricing,
    customer: crate::orders::core::Contact,
    client_key: Option<&str>,
) -> crate::orders::core::NewOrder {
    let district_id = priced.district.as_ref().map(|d| d.id);
    let (source_name, actor) = match source {
        Source::Storefront => ("storefront", None),
        Source::Phone { staff, .. } => ("phone", Some(staff)),
        Source::Import { staff } => ("import", Some(staff)),
        Source::Standing { .. } => ("standing", None),
    };
    use crate::orders::history::make::{self, Made};
    let detail = match source {
        Source::Import { .. } => make::made(Made::Imported).to_string(),
        Source::Standing { .. } => make::made(Made::Standing).to_string(),
        Source::Phone { .. } => make::made(Made::Phone).to_string(),
        Source::Storefront => make::placed(
            source_name,
            order.payment_reference.as_deref(),
            order.coords.is_none() && order.fulfilment == Fulfilment::Delivery,
        ),
    };
    crate::orders::core::NewOrder {
        customer,
        fulfilment: order.fulfilment,
        day: order.date.to_string(),
        window: order.window.clone(),
        address: order.address.clone(),
        pin: order.coords,
        district_id,
        district_day: priced
            .district
            .as_ref()
            .zip(priced.stops_before)
            .map(|(d, before)| (d.name.clone(), d.capacity_per_day, before + 1)),
        payment: order.payment,
        subtotal_cents: priced.subtotal_cents,
        fee_cents: priced.fee_cents,
        discount_cents: pricing.outcome.discount_cents(),
        promo_code: pricing.code_promotion().and(order.promo_code.clone()),
        promotions: pricing.outcome.applied.clone(),
        code_promotion: pricing.code_promotion(),
        points: None,
        notes: order.notes.clone(),
        source: source_name,
        flexible: order.flexible.map(|(a, b)| (a.to_string(), b.to_string())),
        client_key: client_key.map(str::to_string),
        standing_order_id: match source {
            Source::Standing { standing_order_id } => Some(standing_order_id),
            _ => None,
        },
        lines: order
            .items
            .iter()
            .map(|i| crate::orders::core::NewLine {
                product_id: i.product_id,
                quantity: i.quantity,
                unit_price_cents: i.unit_price_cents,
                note: i.note.clone(),
            })
            .collect(),
        taken_by: actor,
        detail,
        language: order.language.clone(),
    }
}

/// What the storefront is told of the order taken.
pub(super) fn answer(
    done: &crate::orders::core::Created,
    order: &ValidOrder,
    priced: &Priced,
    pricing: &crate::promotions::store::Pricing,
    points: &super::points::Points,
    config: &Config,
    public_url: &str,
) -> OrderCreated {
    let (discounts, promo_code) = discounts_out(pricing, &config.currency());
    let token = done.tracking_token.clone();
    OrderCreated {
        order_number: done.number,
        tracking_url: format!("{}/t/{token}", public_url.trim_end_matches('/')),
        tracking_token: token,
        status: "received".into(),
        total_cents: done.total_cents,
        discount_cents: pricing.outcome.discount_cents() + points.cents(),
        discounts,
        promo_code,
        loyalty: points.out.clone(),
        delivery: priced.district.as_ref().map(|d| DeliveryOut {
            district: d.name.clone(),
            date: order.date.to_string(),
        }),
        needs_location: order.fulfilment == Fulfilment::Delivery && order.coords.is_none(),
    }
}
