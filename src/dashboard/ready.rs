//! "Ready to take orders": the checklist a new owner sees on the dashboard until the website
//! can send orders (a kitchen with its pin, a product, a way to get orders to customers, a
//! storefront key), each item linking to where it is done.
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::words::{tr, tr_with};

/// One thing a bakery needs before it goes live: `label` and `hint` are message keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub label: String,
    pub hint: String,
    pub href: String,
    pub done: bool,
}

/// What exists, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub kitchen_pinned: bool,
    pub products: i64,
    pub served_districts: i64,
    pub pickup_days: i64,
    pub keys: i64,
}

/// The checklist for what exists.
pub fn steps(c: Counts) -> Vec<Step> {
    let step = |label: &str, hint: &str, href: &str, done: bool| Step {
        label: label.into(),
        hint: hint.into(),
        href: href.into(),
        done,
    };
    vec![
        step(
            "ready-kitchen",
            "ready-kitchen-hint",
            "/settings#delivery",
            c.kitchen_pinned,
        ),
        step(
            "ready-product",
            "ready-product-hint",
            "/menu",
            c.products > 0,
        ),
        step(
            "ready-hours",
            "ready-hours-hint",
            if c.pickup_days == 0 && c.served_districts == 0 {
                "/settings#hours"
            } else if c.served_districts == 0 {
                "/planning/districts"
            } else {
                "/settings#hours"
            },
            c.pickup_days > 0 || c.served_districts > 0,
        ),
        step("ready-key", "ready-key-hint", "/settings#keys", c.keys > 0),
    ]
}

#[cfg(feature = "ssr")]
pub async fn counts(pool: &sqlx::SqlitePool) -> Result<Counts, AppError> {
    let r = sqlx::query!(
        r#"SELECT
             (SELECT kitchen_lat IS NOT NULL AND kitchen_lng IS NOT NULL FROM business_settings WHERE id = 1) AS "kitchen!: bool",
             (SELECT COUNT(*) FROM products WHERE active = 1) AS "products!: i64",
             (SELECT COUNT(*) FROM districts WHERE served_weekdays > 0 AND capacity_per_day > 0) AS "districts!: i64",
             (SELECT COUNT(*) FROM pickup_hours) AS "pickup!: i64",
             (SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL) AS "keys!: i64""#
    )
    .fetch_one(pool)
    .await?;
    Ok(Counts {
        kitchen_pinned: r.kitchen,
        products: r.products,
        served_districts: r.districts,
        pickup_days: r.pickup,
        keys: r.keys,
    })
}

#[server(endpoint = "get_readiness")]
pub async fn get_readiness() -> Result<Vec<Step>, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        Ok(steps(counts(cx.db()).await?))
    })
    .await
}

/// The checklist card; nothing once every step is done.
#[component]
pub fn ReadyChecklist() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_readiness());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let steps = data.await.unwrap_or_default();
                let left = steps.iter().filter(|s| !s.done).count();
                let total = steps.len();
                (left > 0).then(|| {
                    let items = steps
                        .into_iter()
                        .map(|s| {
                            let mark = if s.done { "✓" } else { "○" };
                            view! {
                                <li class="ready-step" class:ready-done=s.done>
                                    <span class="ready-mark" aria-hidden="true">{mark}</span>
                                    <span>
                                        <A href=s.href.clone()>{tr(&s.label)}</A>
                                        {s.done.then(|| view! { <span class="sr-only">{format!(" ({})", tr("ready-done"))}</span> })}
                                        <span class="muted small ready-hint">{tr(&s.hint)}</span>
                                    </span>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <section class="card ready" aria-labelledby="ready-title">
                            <h2 id="ready-title">{tr("ready-title")}</h2>
                            <p class="muted small">{tr_with("ready-left", &[("left", left.to_string()), ("total", total.to_string())])}</p>
                            <ol class="ready-steps">{items}</ol>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checklist_is_done_only_when_every_step_is() {
        let none = steps(Counts::default());
        assert!(none.iter().all(|s| !s.done));
        let ready = steps(Counts {
            kitchen_pinned: true,
            products: 3,
            served_districts: 0,
            pickup_days: 6,
            keys: 1,
        });
        assert!(ready.iter().all(|s| s.done));
        // Delivery only: a served district is enough.
        let delivery = steps(Counts {
            pickup_days: 0,
            served_districts: 2,
            ..Counts {
                kitchen_pinned: true,
                products: 1,
                keys: 1,
                ..Counts::default()
            }
        });
        assert!(delivery.iter().all(|s| s.done));
    }
}
