//! The OpenAPI 3 document of `/api/v1`, generated from the handlers and types.
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::handlers;
use super::model::*;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hearth storefront API",
        version = "1",
        description = "How the bakery's website reads the catalog and delivery calendar, quotes and places orders, and how customers track them. Money is integer cents; dates are the business's local dates (YYYY-MM-DD); times are local HH:MM."
    ),
    paths(
        super::catalog::catalog, super::quote::quote, handlers::create_order, super::tracking::track,
        super::privacy::privacy_request,
        super::standing::create, super::standing::show, super::standing::pause, super::standing::resume,
        super::standing::skip, super::standing::unskip, super::standing::end, super::standing::items,
        super::standing::list, super::standing::patch
    ),
    components(schemas(
        OrderIn, CustomerIn, ConsentIn, FulfilmentIn, WindowIn, DateRangeIn, ItemIn, PaymentIn, OrderCreated, DeliveryOut,
        ErrorBody, FieldError, Quote, QuoteLine, Catalog, CatalogProduct, CatalogDistrict,
        super::privacy::PrivacyRequestIn, super::privacy::PrivacyRequestCreated, CalendarDay, DeliveryWindows, WindowOut, PickupInfo, PickupDay, BookingInfo, Tracking, StageOut, TrackedItem,
        DiscountOut, PromoCodeOut, LoyaltyOut, crate::promotions::rules::Refusal,
        super::standing::StandingOrderIn, super::standing::StandingFulfilmentIn, super::standing::ScheduleIn,
        super::standing::StandingOrderOut, super::standing::VisitOut, super::standing::PauseIn, super::standing::SkipIn,
        super::standing::ItemsIn, super::standing::StandingFulfilmentOut, super::standing::ScheduleChangeIn,
        super::standing::StandingChangeIn, super::standing::StandingListOut
    )),
    modifiers(&StorefrontKey),
    tags(
        (name = "storefront", description = "Calls made by the bakery's website with its storefront key"),
        (name = "tracking", description = "Public order tracking (no key)")
    )
)]
struct ApiDoc;

struct StorefrontKey;

impl Modify for StorefrontKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "storefront_key",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The document served at `/api/v1/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
