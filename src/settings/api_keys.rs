//! Storefront API keys in settings: create (shown once), list, revoke.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::{ErrorNotice, Loading};
use crate::words::tr;

/// A key as listed (never the key itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

/// The storefront keys (owner only).
#[server(endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<Vec<ApiKeyRow>, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        Ok(crate::storefront::keys::list(cx.db())
            .await?
            .into_iter()
            .map(|k| ApiKeyRow {
                id: k.id,
                name: k.name,
                prefix: k.prefix,
                created_at: k.created_at.chars().take(10).collect(),
                last_used_at: k
                    .last_used_at
                    .map(|t| t.chars().take(16).collect::<String>().replace('T', " ")),
                revoked: k.revoked_at.is_some(),
            })
            .collect())
    })
    .await
}

/// Creates a key and returns it — the only time it is ever shown (owner only).
#[server(endpoint = "create_api_key")]
pub async fn create_api_key(name: String) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let (id, key) = crate::storefront::keys::create(cx.db(), &name, Some(me.id)).await?;
        tracing::info!(by = me.id, key_id = id, "API key created");
        cx.audit(
            &me,
            "api_key.create",
            &name,
            serde_json::json!({"key_id": id}),
        )
        .await?;
        Ok(key)
    })
    .await
}

/// Revokes a key (owner only).
#[server(endpoint = "revoke_api_key")]
pub async fn revoke_api_key(key_id: i64) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        crate::storefront::keys::revoke(cx.db(), key_id).await?;
        tracing::info!(by = me.id, key_id, "API key revoked");
        cx.audit(
            &me,
            "api_key.revoke",
            &format!("key {key_id}"),
            serde_json::json!({"key_id": key_id}),
        )
        .await?;
        Ok(())
    })
    .await
}

/// The keys section of the settings page.
#[component]
pub fn ApiKeysSection() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    view! {
        <section class="card" id="keys">
            <h2>{tr("keys-title")}</h2>
            <p class="muted small">
                {format!("{} ", tr("keys-hint-before"))}<code>"Authorization: Bearer …"</code>
                {format!(" {} ", tr("keys-hint-after"))}
                <a href="/api/v1/docs">{tr("keys-reference")}</a>
            </p>
            {move || create.value().get().map(|r| match r {
                Ok(key) => view! {
                    <div class="notice notice-key" role="status">
                        <strong>{tr("keys-copy-now")}</strong>
                        <code class="key">{key}</code>
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <Transition fallback=|| view! { <Loading label=tr("keys-loading")/> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{tr("keys-none")}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-scroll" tabindex="0"><table class="table">
                                <thead><tr><th>{tr("stock-name")}</th><th>{tr("keys-key")}</th><th>{tr("keys-created")}</th><th>{tr("keys-last-used")}</th><th></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|k| view! {
                                        <tr class:row-disabled=k.revoked>
                                            <td>{k.name.clone()}</td>
                                            <td><code>{format!("{}…", k.prefix)}</code></td>
                                            <td>{k.created_at.clone()}</td>
                                            <td>{k.last_used_at.clone().unwrap_or_else(|| tr("cust-never"))}</td>
                                            <td>{if k.revoked {
                                                view! { <span class="pill pill-warn">{tr("keys-revoked")}</span> }.into_any()
                                            } else {
                                                view! {
                                                    <ActionForm action=revoke attr:class="inline-form">
                                                        <input type="hidden" name="key_id" value=k.id.to_string()/>
                                                        <button type="submit" class="btn btn-small">{tr("keys-revoke")}</button>
                                                    </ActionForm>
                                                }.into_any()
                                            }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=create attr:class="inline-form key-form">
                <input name="name" placeholder=tr("keys-name-hint") aria-label=tr("keys-new-name") required=true/>
                <button type="submit" class="btn btn-primary">{tr("keys-create")}</button>
            </ActionForm>
        </section>
    }
}
