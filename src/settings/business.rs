//! The business as customers see it: its name, currency, time zone, language and the tax id
//! printed on receipts. Set on the setup page or here, kept in `business_settings`, and applied
//! at once to the running server (the environment's values are only the defaults).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::{ErrorNotice, Loading};
use crate::words::tr;

/// The form's values, and the time zones to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Business {
    pub business_name: String,
    pub currency: String,
    pub timezone: String,
    pub zones: Vec<String>,
    /// The business's language code, and every language Hearth speaks as (code, name).
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub languages: Vec<(String, String)>,
    /// The logo's path, when there is one.
    #[serde(default)]
    pub logo: Option<String>,
    /// The tax id printed on receipts ("" none).
    #[serde(default)]
    pub tax_id: String,
}

/// The tax id as typed: trimmed, None when empty; letters, digits, spaces, `.`, `-`, `/`, at
/// most 32 (Spanish NIF "B12345678", "ESB12345678", "DE 123 456 789").
#[cfg(feature = "ssr")]
pub fn tax_id(raw: &str) -> Result<Option<String>, AppError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let fits = t.chars().count() <= 32
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '/'));
    if !fits {
        return Err(AppError::invalid(
            "tax_id",
            crate::said::said("refuse-tax-id"),
        ));
    }
    Ok(Some(t.to_string()))
}

/// Reads and checks what the owner typed; the first bad field is named.
#[cfg(feature = "ssr")]
pub fn validate(
    name: &str,
    currency: &str,
    timezone: &str,
    language: &str,
) -> Result<crate::server::config::Profile, AppError> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > 80 || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "business_name",
            crate::said::said("refuse-business-name"),
        ));
    }
    let currency = crate::server::config::currency_code(currency, "Currency").map_err(|_| {
        AppError::invalid(
            "currency",
            crate::said::said_with(
                "refuse-currency",
                &[("typed", &format!("{:?}", currency.trim()))],
            ),
        )
    })?;
    let timezone: chrono_tz::Tz = timezone.trim().parse().map_err(|_| {
        AppError::invalid(
            "timezone",
            crate::said::said_with(
                "refuse-timezone",
                &[("typed", &format!("{:?}", timezone.trim()))],
            ),
        )
    })?;
    let language = crate::field::language_code(language, "language")?;
    Ok(crate::server::config::Profile {
        business_name: name.to_string(),
        currency,
        timezone,
        language,
    })
}

/// Stores the profile; the caller commits, then applies it with `Config::set_profile`.
#[cfg(feature = "ssr")]
pub async fn save_in(
    conn: &mut sqlx::SqliteConnection,
    p: &crate::server::config::Profile,
) -> Result<(), AppError> {
    let tz = p.timezone.name();
    sqlx::query!(
        "UPDATE business_settings SET business_name = ?, currency = ?, timezone = ?, language = ?,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1",
        p.business_name,
        p.currency,
        tz,
        p.language
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// At start: the owner's stored values replace the environment's.
#[cfg(feature = "ssr")]
pub async fn load_into(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
) -> Result<(), String> {
    let r = sqlx::query!(
        "SELECT business_name, currency, timezone, language FROM business_settings WHERE id = 1"
    )
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())?;
    let mut p = config.profile();
    if let Some(name) = r.business_name {
        p.business_name = name;
    }
    if let Some(c) = r.currency {
        p.currency = c;
    }
    if let Some(tz) = r.timezone {
        p.timezone = tz
            .parse()
            .map_err(|_| format!("business_settings.timezone is not a time zone: {tz:?}"))?;
    }
    if let Some(l) = r.language {
        p.language = crate::field::language_code(&l, "business_settings.language")
            .map_err(|e| e.to_string())?;
    }
    config.set_profile(p);
    Ok(())
}

/// Every IANA time zone, for the searchable list.
#[server(endpoint = "list_time_zones")]
pub async fn list_time_zones() -> Result<Vec<String>, AppError> {
    Ok(chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name().to_string())
        .collect())
}

#[server(endpoint = "get_business")]
pub async fn get_business() -> Result<Business, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let p = cx.config().profile();
        Ok(Business {
            business_name: p.business_name,
            currency: p.currency,
            timezone: p.timezone.name().to_string(),
            zones: list_time_zones().await?,
            language: p.language,
            languages: crate::i18n::Lang::all(),
            logo: crate::settings::logo::path(cx.db()).await?,
            tax_id: sqlx::query_scalar!("SELECT tax_id FROM business_settings WHERE id = 1")
                .fetch_one(cx.db())
                .await?
                .unwrap_or_default(),
        })
    })
    .await
}

/// Saves the name, currency and time zone; they apply at once (pages, the storefront's catalog,
/// emails, what "today" is).
#[server(endpoint = "save_business")]
pub async fn save_business(
    business_name: String,
    currency: String,
    timezone: String,
    /// The business's language; a form without it keeps the current one.
    #[server(default)]
    language: Option<String>,
    /// The tax id for receipts; empty (or left out) for none.
    #[server(default)]
    tax_id: String,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let language = language.unwrap_or_else(|| cx.config().language());
        let p = validate(&business_name, &currency, &timezone, &language)?;
        let tax_id = self::tax_id(&tax_id)?;
        let was = cx.config().profile();
        let json = |p: &crate::server::config::Profile, tax_id: &Option<String>| {
            serde_json::json!({"name": p.business_name, "currency": p.currency, "timezone": p.timezone.name(), "language": p.language, "tax_id": tax_id})
        };
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let was_tax_id = sqlx::query_scalar!("SELECT tax_id FROM business_settings WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        save_in(&mut tx, &p).await?;
        sqlx::query!("UPDATE business_settings SET tax_id = ? WHERE id = 1", tax_id)
            .execute(&mut *tx)
            .await?;
        let who = crate::audit::Who::user(me.id, &me.name);
        let change = crate::audit::change(&json(&was, &was_tax_id), &json(&p, &tax_id));
        crate::audit::record(&mut *tx, &who, "settings.business", "Business", change).await?;
        tx.commit().await?;
        tracing::info!(by = me.id, tz = p.timezone.name(), currency = %p.currency, "business profile saved");
        cx.config().set_profile(p);
        Ok(())
    })
    .await
}

/// The searchable list of time zones for an `<input list="time-zones">`.
#[component]
pub fn ZoneList(zones: Vec<String>) -> impl IntoView {
    view! {
        <datalist id="time-zones">
            {zones.into_iter().map(|z| view! { <option value=z></option> }).collect_view()}
        </datalist>
    }
}

/// The logo: chosen, shrunk to 512 px in the browser, saved at once; or removed.
#[component]
fn LogoField(src: Option<String>) -> impl IntoView {
    use crate::settings::logo::{SetLogo, LOGO_SIDE};
    use crate::ui::picture::{PictureField, PictureWords};
    let set = ServerAction::<SetLogo>::new();
    let words = PictureWords { key: "logo" };
    let send = Callback::new(move |jpeg: String| {
        set.dispatch(SetLogo { jpeg });
    });
    let pending = Signal::derive(move || set.pending().get());
    let outcome = Signal::derive(move || {
        set.value()
            .get()
            .map(|r| r.map(|_| ()).map_err(|e| e.to_string()))
    });
    view! {
        <PictureField words src alt=tr("settings-your-logo") side=LOGO_SIDE send pending outcome class="logo-preview"/>
    }
}

/// The "Business" card of the settings page.
#[component]
pub fn BusinessSection() -> impl IntoView {
    let save = ServerAction::<SaveBusiness>::new();
    let data = Resource::new(|| (), |_| get_business());
    view! {
        <section class="card" id="business">
            <h2>{tr("settings-business")}</h2>
            <p class="muted small">{tr("settings-business-hint")}</p>
            <Transition fallback=|| view! { <Loading label=tr("settings-business-loading")/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(b) => view! {
                            <ActionForm action=save attr:class="form form-grid" attr:novalidate=true>
                                <label class="field"><span>{tr("settings-business-name")}</span><input name="business_name" value=b.business_name.clone() maxlength="80"/></label>
                                <label class="field"><span>{tr("settings-currency")}</span><input name="currency" value=b.currency.clone() maxlength="3"/></label>
                                <label class="field"><span>{tr("settings-tax-id")}</span><input name="tax_id" value=b.tax_id.clone() maxlength="32"/></label>
                                <label class="field"><span>{tr("settings-time-zone")}</span><input name="timezone" list="time-zones" value=b.timezone.clone() autocomplete="off"/></label>
                                <ZoneList zones=b.zones.clone()/>
                                <label class="field"><span>{tr("account-language")}</span>
                                    <select name="language">
                                        {b.languages.iter().map(|(code, name)| view! { <option value=code.clone() selected=*code == b.language>{name.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <div class="form-actions">
                                    <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{tr("settings-save-business")}</button>
                                </div>
                            </ActionForm>
                            <LogoField src=b.logo.clone()/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            {move || save.value().get().map(|r| match r {
                Ok(()) => view! { <p class="form-ok" role="status">{tr("settings-business-saved")}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}
