//! An order's history as the drawer shows it, in the reader's language: when (their way of
//! writing dates), who (a person, the storefront or Hearth itself) and what happened. The
//! stages, the kinds of event, a driver's failure reason and report, the storefront's own words
//! on a new order and the order core's own words on an edit are worded for the reader; what
//! someone typed (a reason, a note, an address) is shown as typed. The lines are stored as
//! `make` writes them; `read` words them for the reader.
use sqlx::SqlitePool;

use super::model::OrderStatus;
use crate::error::AppError;
use crate::i18n::Lang;
use read::{delivered, edits, placed, skipped};

pub mod make;
mod read;

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
            detail
                .map(|d| format!(" · {}", delivered(lang, d)))
                .unwrap_or_default()
        ),
        "delivery_failed" => with(
            "history-failed",
            crate::orders::model::fail_reason_in(lang, &detail.unwrap_or_default()),
        ),
        "cancelled" => with(
            "history-cancelled",
            skipped(lang, detail.unwrap_or_default()),
        ),
        "paid" => lang.t("history-paid"),
        "edited" => with("history-edited", edits(lang, &detail.unwrap_or_default())),
        other => format!("{other} {}", detail.unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    //! Every line Hearth writes is read back in `make`'s tests; here, the lines it does not
    //! write (what someone typed, rows stored by an earlier wording) and the stages.
    use super::read::{amount, delivered, placed};
    use super::*;

    #[test]
    fn stages_and_marks_are_worded_for_the_reader() {
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
    }

    #[test]
    fn what_hearth_did_not_word_is_shown_as_stored() {
        let es = Lang::parse("es").unwrap();
        let none = (&None, &None);
        // A part of an edit the reader does not know, beside one it knows.
        assert_eq!(
            what(
                &es,
                "edited",
                none,
                Some("notes changed; something new".into())
            ),
            "Editado: notas cambiadas; something new"
        );
        // A reason typed by a person, and a day move's reason from an earlier version.
        assert_eq!(
            what(&es, "cancelled", none, Some("Customer called".into())),
            "Cancelado: Customer called"
        );
        assert_eq!(
            what(
                &es,
                "edited",
                none,
                Some("Delivery day 2026-12-07 → 2026-12-09 (saves 3 km)".into())
            ),
            "Editado: día de entrega lun 7 dic → mié 9 dic (saves 3 km)"
        );
        assert_eq!(
            delivered(&es, "Delivered by hand".into()),
            "Delivered by hand"
        );
        assert_eq!(placed(&es, "Something else".into()), "Something else");
        // Written by an earlier version: a phone order "placed via", a skipped day as words.
        assert_eq!(
            placed(&es, "Placed via phone".into()),
            "Pedido desde el teléfono"
        );
        assert_eq!(
            what(
                &es,
                "cancelled",
                none,
                Some("Skipped (Tue 8 Dec of standing order S-3)".into())
            ),
            "Cancelado: Saltado (Tue 8 Dec, pedido fijo S-3)"
        );
    }

    #[test]
    fn amounts_in_a_stored_line_are_written_the_readers_way() {
        let (en, es) = (Lang::english(), Lang::parse("es").unwrap());
        assert_eq!(amount(&es, "€1,234.50"), "1.234,50 €");
        assert_eq!(amount(&es, "-€3.50"), "-3,50 €");
        assert_eq!(amount(&es, "10.00 CHF"), "10,00 CHF");
        assert_eq!(amount(&en, "€3.50"), "€3.50");
        // Not an amount: as stored.
        for text in ["Ana", "€3.5", "€", "12.00 euros"] {
            assert_eq!(amount(&es, text), text);
        }
    }
}
