//! Settings → Backups: where the server's scheduled backups go, the newest ones, and a button
//! to take one now. Restoring one is `hearth restore FILE` on the server (README).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::{ErrorNotice, Loading};
use crate::words::{tr, tr_with};

/// One backup file as the owner sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupRow {
    pub name: String,
    /// e.g. "2.4 MB".
    pub size: String,
    /// Local time, e.g. "2 Dec 2026, 03:00".
    pub taken: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backups {
    /// None: scheduled backups are off (`HEARTH_BACKUP_DIR=off`).
    pub dir: Option<String>,
    pub every_hours: i64,
    pub keep: usize,
    pub files: Vec<BackupRow>,
}

#[cfg(feature = "ssr")]
fn size(lang: &crate::i18n::Lang, bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{} MB", lang.number(b as f64 / (1 << 20) as f64, 1)),
        b => format!("{} KB", b.div_ceil(1024)),
    }
}

#[server(endpoint = "list_backups")]
pub async fn list_backups() -> Result<Backups, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let c = cx.config();
        let tz = c.timezone();
        let lang = cx.lang(&me);
        let files = c.backup_dir.as_deref().map_or_else(Vec::new, |dir| {
            crate::server::backups::list(dir)
                .into_iter()
                .take(10)
                .map(|b| BackupRow {
                    name: b
                        .path
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .to_string(),
                    size: size(&lang, b.bytes),
                    taken: lang.date_time(
                        chrono::DateTime::<chrono::Utc>::from(b.modified).with_timezone(&tz),
                    ),
                })
                .collect()
        });
        Ok(Backups {
            dir: c.backup_dir.as_ref().map(|d| d.display().to_string()),
            every_hours: c.backup_every_hours,
            keep: c.backup_keep,
            files,
        })
    })
    .await
}

/// Takes a backup now (checked, then the oldest beyond the kept number go). Owner.
#[server(endpoint = "back_up_now")]
pub async fn back_up_now() -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let c = cx.config();
        let Some(dir) = c.backup_dir.clone() else {
            return Err(AppError::Conflict(crate::said::said("refuse-backups-off")));
        };
        let b = crate::server::backups::take(cx.db(), &dir)
            .await
            .map_err(|e| AppError::internal("backup", e))?;
        crate::server::backups::prune(&dir, c.backup_keep);
        tracing::info!(by = me.id, file = %b.path.display(), "backup taken by hand");
        cx.audit(
            &me,
            "backup",
            &b.path.display().to_string(),
            serde_json::json!({"bytes": b.bytes}),
        )
        .await?;
        let lang = cx.lang(&me);
        Ok(lang.t_with(
            "backups-written",
            &[
                (
                    "file",
                    b.path
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .to_string()
                        .into(),
                ),
                ("size", size(&lang, b.bytes).into()),
            ],
        ))
    })
    .await
}

#[component]
pub fn BackupsSection() -> impl IntoView {
    let now = ServerAction::<BackUpNow>::new();
    let data = Resource::new(move || now.version().get(), |_| list_backups());
    view! {
        <section class="card" id="backups">
            <h2>{tr("backups-title")}</h2>
            <Transition fallback=|| view! { <Loading label=tr("backups-loading")/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(b) => view! {
                            {match &b.dir {
                                Some(dir) => view! {
                                    <p class="muted small">{tr_with("backups-where", &[
                                        ("hours", b.every_hours.to_string()),
                                        ("dir", dir.clone()),
                                        ("keep", b.keep.to_string()),
                                    ])}</p>
                                }.into_any(),
                                None => view! { <p class="pill pill-warn">{tr("backups-off")}</p> }.into_any(),
                            }}
                            {if b.files.is_empty() {
                                view! { <p class="muted">{tr("backups-none")}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table">
                                        <thead><tr><th>{tr("backups-file")}</th><th>{tr("backups-taken")}</th><th class="num">{tr("backups-size")}</th></tr></thead>
                                        <tbody>
                                            {b.files.iter().map(|f| view! {
                                                <tr><td><code>{f.name.clone()}</code></td><td>{f.taken.clone()}</td><td class="num">{f.size.clone()}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <div class="form-actions">
                <button class="btn" disabled=move || now.pending().get() on:click=move |_| { now.dispatch(BackUpNow {}); }>
                    {move || if now.pending().get() { tr("backups-running") } else { tr("backups-now") }}
                </button>
            </div>
            {move || now.value().get().map(|r| match r {
                Ok(m) => view! { <p class="form-ok" role="status">{m}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}
