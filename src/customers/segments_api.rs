//! Server functions of the segments page (owner only): saved segments with their live counts,
//! counting rules as they are typed, saving, and exporting a segment for a messaging tool —
//! only the customers who agreed to that channel, every export logged.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::segments::Rules;
#[cfg(feature = "ssr")]
use super::Channel;
use crate::error::AppError;

#[cfg(feature = "ssr")]
const OWNER: &[crate::auth::Role] = &[crate::auth::Role::Owner];

/// A saved segment and how many customers are in it now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    pub id: i64,
    pub name: String,
    pub rules: Rules,
    pub count: i64,
    /// Of those, who agreed to email, SMS, WhatsApp.
    pub reachable: [i64; 3],
}

/// One export, as the log keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportLine {
    pub at: String,
    pub who: String,
    pub segment: String,
    pub channel: String,
    pub count: i64,
}

/// The segments page's data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentsData {
    pub segments: Vec<SegmentRow>,
    pub districts: Vec<(i64, String)>,
    pub products: Vec<(i64, String)>,
    pub tags: Vec<String>,
    pub exports: Vec<ExportLine>,
}

/// A segment exported for a channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentExport {
    pub file_name: String,
    /// UTF-8 with a byte-order mark: name, phone (E.164), email, unsubscribe link.
    pub csv: String,
    pub count: i64,
}

#[cfg(feature = "ssr")]
fn filter_of(rules: &Rules) -> Result<super::segments::Filter, AppError> {
    rules.filter().map_err(|(f, m)| AppError::invalid(&f, m))
}

#[cfg(feature = "ssr")]
fn reach<F: std::borrow::Borrow<super::segments::Facts>>(members: &[F]) -> [i64; 3] {
    Channel::ALL.map(|c| members.iter().filter(|m| m.borrow().consents(c)).count() as i64)
}

/// Every saved segment with its count, what the editor chooses from, and the export log.
#[server(endpoint = "get_segments")]
pub async fn get_segments() -> Result<SegmentsData, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        let saved = sqlx::query!(r#"SELECT id AS "id!", name, rules FROM segments ORDER BY name"#)
            .fetch_all(&mut *conn)
            .await?;
        // Every customer's facts and scores once; each segment is a pick from them.
        let all = super::segments::Population::new(super::segments_store::facts(&mut conn).await?);
        let mut segments = Vec::new();
        for s in saved {
            let rules: Rules = serde_json::from_str(&s.rules).unwrap_or_default();
            let filter = filter_of(&rules)?;
            let extras =
                super::segments_store::extras(&mut conn, &filter, cx.config().today()).await?;
            let members: Vec<&super::segments::Facts> = all.members(&filter, &extras).collect();
            segments.push(SegmentRow {
                id: s.id,
                name: s.name,
                count: members.len() as i64,
                reachable: reach(&members),
                rules,
            });
        }
        let districts = crate::districts::repo::names(&mut conn).await?;
        let products = crate::menu::repo::names(&mut conn).await?;
        let tags = sqlx::query_scalar!("SELECT DISTINCT tag FROM customer_tags ORDER BY tag")
            .fetch_all(&mut *conn)
            .await?;
        let tz = cx.config().timezone();
        let exports = sqlx::query!(
            r#"SELECT at, actor, subject, detail FROM audit_log
               WHERE action = 'segment.exported' ORDER BY id DESC LIMIT 20"#
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            let d: serde_json::Value = serde_json::from_str(&r.detail).unwrap_or_default();
            ExportLine {
                at: chrono::DateTime::parse_from_rfc3339(&r.at)
                    .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or(r.at),
                who: r.actor,
                segment: r.subject,
                channel: d["channel"].as_str().unwrap_or_default().to_string(),
                count: d["count"].as_i64().unwrap_or(0),
            }
        })
        .collect();
        Ok(SegmentsData {
            segments,
            districts,
            products,
            tags,
            exports,
        })
    })
    .await
}

/// How many customers `rules` select now, and of them how many each channel reaches.
#[server(endpoint = "count_segment")]
pub async fn count_segment(#[server(default)] rules: Rules) -> Result<(i64, [i64; 3]), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        let members =
            super::segments_store::members(&mut conn, &filter_of(&rules)?, cx.config().today())
                .await?;
        Ok((members.len() as i64, reach(&members)))
    })
    .await
}

/// Saves `rules` as segment `name` (a new name, or the same name to replace its rules).
#[server(endpoint = "save_segment")]
pub async fn save_segment(name: String, #[server(default)] rules: Rules) -> Result<i64, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(AppError::invalid(
                "name",
                crate::said::said("refuse-segment-name"),
            ));
        }
        filter_of(&rules)?;
        let json = serde_json::to_string(&rules).map_err(|e| AppError::internal("rules", e))?;
        let now = crate::server::db::now();
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let id = sqlx::query_scalar!(
            r#"INSERT INTO segments (name, rules, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (name) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at
               RETURNING id AS "id!: i64""#,
            name,
            json,
            me.id,
            now,
            now
        )
        .fetch_one(&mut *tx)
        .await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "segment.saved",
            &name,
            serde_json::to_value(&rules).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Exports segment `id` for `channel` (email, sms or whatsapp): only the customers who agreed
/// to that channel, whatever the segment's rules say; logged with who, when and how many.
#[server(endpoint = "export_segment")]
pub async fn export_segment(id: i64, channel: String) -> Result<SegmentExport, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let channel = Channel::parse(&channel)
            .ok_or_else(|| AppError::invalid("channel", crate::said::said("refuse-channel")))?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let (name, mut filter) = super::segments_store::saved(&mut tx, id).await?;
        filter.consent = Some(channel);
        let members = super::segments_store::members(&mut tx, &filter, cx.config().today()).await?;
        let base = cx.config().public_url.trim_end_matches('/').to_string();
        let mut w = ::csv::Writer::from_writer(Vec::new());
        let csv_err = |e: ::csv::Error| AppError::internal("csv", e);
        w.write_record(["name", "phone", "email", "unsubscribe_url"])
            .map_err(csv_err)?;
        let mut contacts = super::segments_store::contacts(&mut tx).await?;
        for m in &members {
            let Some(c) = contacts.remove(&m.id) else {
                continue;
            };
            let token = match c.unsubscribe_token {
                Some(t) => t,
                None => super::consent::token(&mut tx, m.id).await?,
            };
            w.write_record([
                super::csv::safe_cell(&c.name),
                c.phone,
                super::csv::safe_cell(&c.email.unwrap_or_default()),
                format!("{base}/u/{token}"),
            ])
            .map_err(csv_err)?;
        }
        let body = String::from_utf8(
            w.into_inner()
                .map_err(|e| AppError::internal("csv", e.to_string()))?,
        )
        .map_err(|e| AppError::internal("csv", e))?;
        let count = members.len() as i64;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "segment.exported",
            &name,
            serde_json::json!({"segment_id": id, "channel": channel.code(), "count": count}),
        )
        .await?;
        tx.commit().await?;
        Ok(SegmentExport {
            file_name: format!(
                "{}-{}",
                name.to_lowercase()
                    .replace(|c: char| !c.is_alphanumeric(), "-"),
                channel.code()
            ),
            csv: format!("\u{feff}{body}"),
            count,
        })
    })
    .await
}
