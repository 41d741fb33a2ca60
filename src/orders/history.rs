//! An order's history as the drawer shows it, in the reader's language: when (their way of
//! writing dates), who (a person, the storefront or Hearth itself) and what happened. The
//! stages, the kinds of event, a driver's failure reason and the storefront's own words on a
//! new order are worded for the reader; other details are shown as they were stored.
use sqlx::SqlitePool;

use super::model::OrderStatus;
use crate::error::AppError;
use crate::i18n::Lang;

/// The history of order `id`, oldest first: (when, who, what).
pub async fn lines(
    pool: &SqlitePool,
    id: i64,
    tz: chrono_tz::Tz,
) -> Result<Vec<(String, String, String)>, AppError> {
    let lang = crate::i18n::reader();
    Ok(sqlx::query!(
        r#"SELECT e.created_at, u.name AS "who?", e.kind, e.from_status, e.to_status, e.detail
           FROM order_events e LEFT JOIN users u ON u.id = e.actor_user_id
           WHERE e.order_id = ? ORDER BY e.id"#,
        id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|e| {
        let when = chrono::DateTime::parse_from_rfc3339(&e.created_at)
            .map(|t| lang.date_time(t.with_timezone(&tz)))
            .unwrap_or(e.created_at.clone());
        let what = what(&lang, &e.kind, (&e.from_status, &e.to_status), e.detail);
        // No person: the storefront created it, or Hearth itself changed it (e.g. districts
        // redrawn).
        let who = e.who.unwrap_or_else(|| {
            lang.t(if e.kind == "created" {
                "history-by-storefront"
            } else {
                "history-by-hearth"
            })
        });
        (when, who, what)
    })
    .collect())
}

/// What an event did, in `lang`.
fn what(
    lang: &Lang,
    kind: &str,
    (from, to): (&Option<String>, &Option<String>),
    detail: Option<String>,
) -> String {
    let stage = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| OrderStatus::parse(s).ok())
            .map_or_else(
                || "?".to_string(),
                |s| lang.t(&format!("status-{}", s.as_str())),
            )
    };
    let with = |key: &str, detail: String| {
        lang.t_with(key, &[("detail", crate::i18n::FluentValue::from(detail))])
    };
    match kind {
        "created" => detail.map_or_else(|| lang.t("history-placed"), |d| placed(lang, d)),
        "status" => format!(
            "{} → {}{}",
            stage(from),
            stage(to),
            detail.map(|d| format!(" · {d}")).unwrap_or_default()
        ),
        "delivery_failed" => with(
            "history-failed",
            crate::driver::actions::fail_reason_in(lang, &detail.unwrap_or_default()),
        ),
        "cancelled" => with("history-cancelled", detail.unwrap_or_default()),
        "paid" => lang.t("history-paid"),
        "edited" => with("history-edited", detail.unwrap_or_default()),
        other => format!("{other} {}", detail.unwrap_or_default()),
    }
}

/// The line a new order's history opens with (written by the storefront's intake in English),
/// in `lang`; any other text as it was stored.
fn placed(lang: &Lang, detail: String) -> String {
    let fixed = [
        ("Imported from a spreadsheet", "history-created-import"),
        (
            "Created ahead from a standing order",
            "history-created-standing",
        ),
        ("Taken by phone", "history-created-phone"),
    ];
    if let Some((_, key)) = fixed.iter().find(|(text, _)| *text == detail) {
        return lang.t(key);
    }
    let Some(rest) = detail.strip_prefix("Placed via ") else {
        return detail;
    };
    let (source, more) = rest.split_once("; ").unwrap_or((rest, ""));
    let source = match source {
        "storefront" => lang.t("history-source-storefront"),
        "phone" => lang.t("history-source-phone"),
        other => other.to_string(),
    };
    let arg = |v: &str| -> crate::i18n::FluentValue<'static> { v.to_string().into() };
    if let Some(reference) = more.strip_prefix("payment reference ") {
        lang.t_with(
            "history-created-via-reference",
            &[("source", arg(&source)), ("reference", arg(reference))],
        )
    } else if more == "needs a location pin" {
        lang.t_with("history-created-via-pin", &[("source", arg(&source))])
    } else if more.is_empty() {
        lang.t_with("history-created-via", &[("source", arg(&source))])
    } else {
        detail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_lines_are_worded_for_the_reader() {
        let en = Lang::english();
        let es = Lang::parse("es").unwrap();
        let status = (&Some("confirmed".to_string()), &Some("baking".to_string()));
        assert_eq!(what(&en, "status", status, None), "Confirmed → Baking");
        assert_eq!(
            what(&es, "status", status, None),
            "Confirmado → En el horno"
        );
        let none = (&None, &None);
        assert_eq!(what(&en, "paid", none, None), "Marked paid");
        assert_eq!(what(&es, "paid", none, None), "Marcado como pagado");
        assert_eq!(
            what(
                &es,
                "delivery_failed",
                none,
                Some("Nobody home: rang twice".into())
            ),
            "Entrega fallida: No había nadie: rang twice"
        );
        assert_eq!(
            what(
                &es,
                "created",
                none,
                Some("Placed via storefront; payment reference ST-9".into())
            ),
            "Pedido desde la tienda online; referencia de pago ST-9"
        );
        assert_eq!(
            what(
                &en,
                "created",
                none,
                Some("Placed via storefront; needs a location pin".into())
            ),
            "Placed via storefront; needs a location pin"
        );
        // What Hearth cannot word is shown as it was stored.
        assert_eq!(
            what(&es, "edited", none, Some("items 1× Pan → 2× Pan".into())),
            "Editado: items 1× Pan → 2× Pan"
        );
        assert_eq!(placed(&es, "Something else".into()), "Something else");
    }
}
