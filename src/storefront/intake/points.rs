//! Loyalty at intake: the points an order asks to spend and the referral code it brings, checked
//! inside the order's write transaction (so two orders cannot spend the same points), with each
//! refusal worded for the field it names.
use sqlx::SqliteConnection;

use super::super::model::{FieldError, LoyaltyOut};
use super::super::validate::ValidOrder;
use crate::error::AppError;
use crate::loyalty::store;
use crate::loyalty::Redemption;
use crate::server::config::Config;

/// What the loyalty programme makes of an order.
#[derive(Debug, Default)]
pub struct Points {
    /// The customer's points, when the bakery runs a programme.
    pub out: Option<LoyaltyOut>,
    /// The points spent, when they may be.
    pub redemption: Option<Redemption>,
    /// The referrer, when the code may be taken.
    pub referrer: Option<i64>,
    /// Why `redeem_points` is refused.
    pub redeem_problem: Option<FieldError>,
    /// Why `referral_code` is refused.
    pub referral_problem: Option<FieldError>,
}

impl Points {
    /// What is taken off the order.
    pub fn cents(&self) -> i64 {
        self.redemption.as_ref().map_or(0, |r| r.cents)
    }

    /// What refuses the order: points it may not spend, else a referral code it may not bring
    /// (unless it is to be taken at full price when a code does not apply).
    pub fn refusal(&self, full_price: bool) -> Option<FieldError> {
        self.redeem_problem
            .clone()
            .or_else(|| self.referral_problem.clone().filter(|_| !full_price))
    }
}

fn problem(field: &str, message: String) -> FieldError {
    FieldError {
        field: field.into(),
        message: format!("{field}: {message}"),
    }
}

/// Checks `order`'s points and referral code for customer `customer` (None: not known yet)
/// when it still costs `to_pay_cents` after the promotions. An order that asks for neither
/// reads nothing unless `show` (a quote shows the customer's points; an order's answer only
/// when it spent points or brought a code, which keeps plain intake as fast as before).
pub async fn check(
    conn: &mut SqliteConnection,
    config: &Config,
    customer: Option<i64>,
    order: &ValidOrder,
    to_pay_cents: i64,
    show: bool,
) -> Result<Points, AppError> {
    if !show && order.redeem_points.is_none() && order.referral_code.is_none() {
        return Ok(Points::default());
    }
    let program = store::program(conn).await?;
    let mut points = Points::default();
    let today = config.today();
    let available = match customer {
        Some(c) if program.enabled => store::available(conn, c, today).await?,
        _ => 0,
    };
    if let Some(asked) = order.redeem_points {
        match crate::loyalty::rules::redeem_refusal(&program, asked, available, to_pay_cents) {
            None => {
                points.redemption = Some(Redemption {
                    points: asked,
                    cents: program.value_cents(asked),
                    on: today,
                })
            }
            Some(r) => {
                points.redeem_problem = Some(problem(
                    "redeem_points",
                    crate::loyalty::redeem_words(&r, asked),
                ))
            }
        }
    }
    if let Some(code) = &order.referral_code {
        match store::referrer_of(conn, customer, code).await? {
            Ok(referrer) => points.referrer = Some(referrer),
            Err(r) => {
                points.referral_problem = Some(problem(
                    "referral_code",
                    crate::loyalty::referral_words(&r, code),
                ))
            }
        }
    }
    if program.enabled {
        let (redeemed_points, redeemed_cents) = points
            .redemption
            .as_ref()
            .map_or((0, 0), |r| (r.points, r.cents));
        points.out = Some(LoyaltyOut {
            available_points: available.max(0),
            available_cents: program.value_cents(available),
            redeemed_points,
            redeemed_cents,
            min_redeem: program.min_redeem,
            referral_taken: points.referrer.is_some(),
        });
    }
    Ok(points)
}
