//! `/u/:token`: the public unsubscribe link every exported customer carries. Opening it changes
//! nothing (mail scanners open links); the button withdraws consent on every channel, recorded
//! in the customer's consent history as "Unsubscribe link".
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::Title;
#[cfg(feature = "ssr")]
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::Channel;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::words::{tr, tr_with};

/// What the unsubscribe page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub business: String,
    pub first_name: String,
    /// The channels the customer still agrees to.
    pub agreed: Vec<Channel>,
}

#[cfg(feature = "ssr")]
async fn customer_of(
    conn: &mut sqlx::SqliteConnection,
    token: &str,
) -> Result<(i64, String, Vec<Channel>), AppError> {
    let unknown = || AppError::NotFound(crate::said::said("refuse-what-this-unsubscribe-link"));
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(unknown());
    }
    let r = sqlx::query!(
        r#"SELECT id AS "id!", name, email_ok AS "email: bool", sms_ok AS "sms: bool", whatsapp_ok AS "whatsapp: bool"
           FROM customers WHERE unsubscribe_token = ? AND erased_at IS NULL"#,
        token
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(unknown)?;
    let agreed = [
        (Channel::Email, r.email),
        (Channel::Sms, r.sms),
        (Channel::Whatsapp, r.whatsapp),
    ]
    .into_iter()
    .filter(|(_, on)| *on)
    .map(|(c, _)| c)
    .collect();
    Ok((r.id, crate::orders::model::first_name(&r.name), agreed))
}

/// The customer behind `token` and what they still agree to. Public.
#[server(endpoint = "get_subscription")]
pub async fn get_subscription(token: String) -> Result<Subscription, AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let mut conn = cx.db().acquire().await?;
            let (_, first_name, agreed) = customer_of(&mut conn, &token).await?;
            Ok(Subscription {
                business: cx.config().business_name(),
                first_name,
                agreed,
            })
        }
        .await,
    )
}

/// Withdraws the customer's consent on every channel. Public (the token is the key).
#[server(endpoint = "unsubscribe")]
pub async fn unsubscribe(token: String) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    let cx = Ctx::get()?;
    cx.respond(
        async {
            let mut tx = crate::server::db::begin_write(cx.db()).await?;
            let (id, _, agreed) = customer_of(&mut tx, &token).await?;
            for c in agreed {
                super::consent::set(&mut tx, id, c, false, "Unsubscribe link", None).await?;
            }
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// The page. Only the server draws it: like the tracker, pages under `/u/` carry no app (see
/// `app::shell`), so the browser's build has nothing of it and a customer's phone downloads a
/// few kilobytes of HTML. The button is a plain form: the server function answers a form's
/// post by sending the browser back to this page, which then says it is done.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
        // Awaited as they are, not through resources: a resource's value is also written
        // into the page for a browser app to pick up, and this page has none.
        view! {
            <Suspense>
                {Suspend::new(async move {
                    // In the visitor's language (their browser's, else the bakery's), like the
                    // sign-in page.
                    let words = crate::auth::api::sign_in_words().await.unwrap_or_default();
                    let lang = crate::words::provide_for_visitor(words);
                    let card = match get_subscription(token.clone()).await {
                        Ok(s) => view! { <Choice s token/> }.into_any(),
                        Err(_) => view! {
                            <section class="tracker-card"><h1>{tr("unsub-not-found-title")}</h1>
                                <p>{tr("unsub-not-found-text")}</p></section>
                        }.into_any(),
                    };
                    view! {
                        <Title text=tr("unsub-title")/>
                        <leptos_meta::Html attr:lang=lang/>
                        <main class="tracker unsubscribe">{card}</main>
                    }
                })}
            </Suspense>
        }
    }
}

/// Unsubscribed already, or the channels they agreed to and the one button.
#[cfg(feature = "ssr")]
#[component]
fn Choice(s: Subscription, token: String) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let name = s.first_name.clone();
    view! {
        <section class="tracker-card">
            <p class="muted">{s.business.clone()}</p>
            {if s.agreed.is_empty() {
                view! {
                    <h1>{tr("unsub-done-title")}</h1>
                    <p data-testid="unsubscribed">{tr_with("unsub-done-text", &[("name", name)])}</p>
                }.into_any()
            } else {
                let list = s.agreed.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ");
                view! {
                    <h1>{tr("unsub-title")}</h1>
                    <p>{tr_with("unsub-agreed", &[("name", name), ("channels", list)])}</p>
                    <form method="post" action=Unsubscribe::PATH>
                        <input type="hidden" name="token" value=token/>
                        <button type="submit" class="btn btn-primary">{tr("unsub-button")}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
