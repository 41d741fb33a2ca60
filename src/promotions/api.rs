//! Server functions of the promotions page (owner only): the list with its figures, checking and
//! creating a promotion, pausing it. Personal codes are in `codes`.
use leptos::prelude::*;

use super::{Choices, Draft, PromotionRow};
use crate::error::AppError;

#[cfg(feature = "ssr")]
const OWNER: &[crate::auth::Role] = &[crate::auth::Role::Owner];

/// The offer and the rules of a promotion, in words, in `lang`.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
fn describe(
    lang: &crate::i18n::Lang,
    p: &super::rules::Promotion,
    code: Option<&str>,
    used: i64,
    names: &std::collections::HashMap<i64, String>,
    districts: &std::collections::HashMap<i64, String>,
    currency: &str,
) -> (String, String) {
    let say = Say {
        lang,
        names,
        currency,
    };
    let mut rules = vec![match code {
        Some(c) => say.t("promo-rule-code", &[("code", c.to_string())]),
        None if p.automatic => lang.t("promo-rule-automatic"),
        None => lang.t("promo-personal"),
    }];
    rules.extend(say.limits(p, districts));
    rules.push(match p.total_limit {
        Some(n) => say.t(
            "promo-rule-used-of",
            &[("used", used.to_string()), ("count", n.to_string())],
        ),
        None => say.t("promo-rule-used", &[("used", used.to_string())]),
    });
    (say.offer(p), rules.join(" · "))
}

/// What `describe` words a promotion with: the reader's language, product names, currency.
#[cfg(feature = "ssr")]
struct Say<'a> {
    lang: &'a crate::i18n::Lang,
    names: &'a std::collections::HashMap<i64, String>,
    currency: &'a str,
}

#[cfg(feature = "ssr")]
impl Say<'_> {
    fn t(&self, key: &str, args: &[(&str, String)]) -> String {
        let args: Vec<(&str, crate::i18n::FluentValue<'static>)> = args
            .iter()
            .map(|(k, v)| (*k, crate::i18n::FluentValue::from(v.clone())))
            .collect();
        self.lang.t_with(key, &args)
    }

    fn money(&self, cents: i64) -> String {
        self.lang.money(cents, self.currency)
    }

    fn name(&self, id: &i64) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| self.lang.t("promo-a-product"))
    }

    /// What the promotion gives: "10 % off", "Free delivery", "Buy 2 Croissant, get 1 free".
    fn offer(&self, p: &super::rules::Promotion) -> String {
        use super::rules::Offer;
        match &p.offer {
            Offer::Percent { percent } => {
                self.t("promo-offer-percent", &[("percent", percent.to_string())])
            }
            Offer::Amount { cents } => {
                self.t("promo-offer-amount", &[("amount", self.money(*cents))])
            }
            Offer::FreeDelivery => self.lang.t("promo-kind-free_delivery"),
            Offer::FreeItem { product_id, .. } => self.t(
                "promo-offer-free-item",
                &[("product", self.name(product_id))],
            ),
            Offer::BuyGet {
                product_id,
                buy,
                get,
            } => self.t(
                "promo-offer-buy-get",
                &[
                    ("buy", buy.to_string()),
                    ("product", self.name(product_id)),
                    ("get", get.to_string()),
                ],
            ),
        }
    }

    /// Where, when and for whom it applies: products, weekdays, districts, minimum, dates,
    /// first order only, per customer.
    fn limits(
        &self,
        p: &super::rules::Promotion,
        districts: &std::collections::HashMap<i64, String>,
    ) -> Vec<String> {
        let mut rules = Vec::new();
        if !p.products.is_empty() {
            let list = p
                .products
                .iter()
                .map(|id| self.name(id))
                .collect::<Vec<_>>();
            rules.push(self.t("promo-rule-on", &[("products", list.join(", "))]));
        }
        if p.weekdays != 127 {
            let short = self.lang.t("days-short");
            let days: Vec<&str> = short
                .split_whitespace()
                .enumerate()
                .filter(|(i, _)| p.weekdays & (1 << i) != 0)
                .map(|(_, d)| d)
                .collect();
            rules.push(days.join(", "));
        }
        if !p.districts.is_empty() {
            let names: Vec<String> = p
                .districts
                .iter()
                .map(|d| districts.get(d).cloned().unwrap_or_default())
                .collect();
            rules.push(names.join(", "));
        }
        if p.min_order_cents > 0 {
            rules.push(self.t(
                "promo-rule-min",
                &[("amount", self.money(p.min_order_cents))],
            ));
        }
        let day = |d: chrono::NaiveDate| self.lang.day(&d.to_string(), "date-day-month-year");
        match (p.starts, p.ends) {
            (Some(a), Some(b)) => {
                rules.push(self.t("promo-rule-between", &[("from", day(a)), ("to", day(b))]))
            }
            (Some(a), None) => rules.push(self.t("promo-rule-from", &[("from", day(a))])),
            (None, Some(b)) => rules.push(self.t("promo-rule-until", &[("to", day(b))])),
            (None, None) => {}
        }
        if p.first_order_only {
            rules.push(self.lang.t("promo-rule-first"));
        }
        if let Some(n) = p.per_customer_limit {
            rules.push(self.t("promo-rule-per-customer", &[("count", n.to_string())]));
        }
        rules
    }
}

/// Every promotion with its figures, and the products and districts to choose from.
#[server(endpoint = "get_promotions")]
pub async fn get_promotions() -> Result<(Vec<PromotionRow>, Choices), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let lang = cx.lang(&me);
        let mut conn = cx.db().acquire().await?;
        let currency = cx.config().currency();
        let products = crate::menu::repo::names(&mut conn).await?;
        let districts = crate::districts::repo::names(&mut conn).await?;
        let segments: Vec<(i64, String)> =
            sqlx::query!(r#"SELECT id AS "id!", name FROM segments ORDER BY name"#)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|r| (r.id, r.name))
                .collect();
        let names = products.iter().cloned().collect();
        let district_names = districts.iter().cloned().collect();
        let costs = crate::kitchen::recipes::unit_costs(&mut conn).await?;
        let mut rows = Vec::new();
        for (p, code) in super::store::all(&mut conn).await? {
            let figures = super::store::figures(&mut conn, p.id, p.ends, &costs).await?;
            // One use per order (a unique key): the report's orders are its uses so far.
            let (offer, rules) = describe(
                &lang,
                &p,
                code.as_deref(),
                figures.orders,
                &names,
                &district_names,
                &currency,
            );
            rows.push(PromotionRow {
                id: p.id,
                name: p.name,
                code,
                automatic: p.automatic,
                active: p.active,
                offer,
                rules,
                figures,
            });
        }
        Ok((
            rows,
            Choices {
                products,
                districts,
                segments,
                currency,
            },
        ))
    })
    .await
}

/// The products `draft` would sell below their cost of goods (checked as the owner types).
#[server(endpoint = "check_promotion")]
pub async fn check_promotion(draft: Draft) -> Result<Vec<String>, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        // Warnings do not wait for a name.
        let mut draft = draft;
        if draft.name.trim().is_empty() {
            draft.name = "New promotion".into();
        }
        let checked = super::write::check(&mut conn, &draft).await?;
        super::write::below_cost(&mut conn, &checked.promotion, &cx.config().currency()).await
    })
    .await
}

/// Creates a promotion; answers its id and the products it sells below cost (it is created
/// all the same: the owner was warned while typing).
#[server(endpoint = "create_promotion")]
pub async fn create_promotion(draft: Draft) -> Result<(i64, Vec<String>), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let checked = super::write::check(&mut tx, &draft).await?;
        let warnings =
            super::write::below_cost(&mut tx, &checked.promotion, &cx.config().currency()).await?;
        let id = super::write::create(&mut tx, &checked, me.id).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "promotion.created",
            &checked.promotion.name,
            serde_json::to_value(&draft).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok((id, warnings))
    })
    .await
}

/// Pauses (`active` false) or resumes a promotion.
#[server(endpoint = "set_promotion_active")]
pub async fn set_promotion_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let name = super::write::set_active(&mut tx, id, active).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            if active {
                "promotion.resumed"
            } else {
                "promotion.paused"
            },
            &name,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
