//! An order's history as the drawer shows it, in the reader's language: when (their way of
//! writing dates), who (a person, the storefront or Hearth itself) and what happened. The
//! stages, the kinds of event, a driver's failure reason and report, the storefront's own words
//! on a new order and the order core's own words on an edit are worded for the reader; what
//! someone typed (a reason, a note, an address) is shown as typed.
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
        ("Demo data", "history-created-demo"),
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

/// A standing order's skipped visit or pause as the cancellation's reason ("Skipped
/// (2026-12-08 of standing order S-1)", "Standing order paused until 2026-12-20", as
/// `standing::store` writes them), in `lang`; any other reason as typed.
fn skipped(lang: &Lang, reason: String) -> String {
    let parts = reason
        .strip_prefix("Skipped (")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|r| r.split_once(" of standing order S-"));
    if let Some((day, id)) = parts {
        return lang.t_with(
            "history-skipped",
            &[("day", arg(&lang.day(day, "date-short"))), ("id", arg(id))],
        );
    }
    match reason.strip_prefix("Standing order paused") {
        Some("") => lang.t("history-paused"),
        Some(rest) => match rest.strip_prefix(" until ") {
            Some(day) => lang.t_with(
                "history-paused-until",
                &[("day", arg(&lang.day(day, "date-short")))],
            ),
            None => reason,
        },
        None => reason,
    }
}

/// An arg for a message.
fn arg(v: &str) -> crate::i18n::FluentValue<'static> {
    v.to_string().into()
}

/// "A → B" split at its arrow.
fn change(text: &str) -> Option<(&str, &str)> {
    text.split_once(" → ")
}

/// The order core's words on an edit (its parts joined by "; ", as `orders::core::edit` and
/// `items` write them), in `lang`; a part it does not know is shown as stored.
fn edits(lang: &Lang, detail: &str) -> String {
    detail
        .split("; ")
        .map(|part| {
            changed(lang, part)
                .or_else(|| noted(lang, part))
                .unwrap_or_else(|| part.to_string())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A part that says what something was and became ("window 09:00–11:00 → any time").
fn changed(lang: &Lang, part: &str) -> Option<String> {
    let none = |v: &str| {
        if v == "none" {
            lang.t("history-none")
        } else {
            v.to_string()
        }
    };
    let two =
        |key: &str, (a, b): (&str, &str)| lang.t_with(key, &[("from", arg(a)), ("to", arg(b))]);
    let after = |prefix: &str| part.strip_prefix(prefix).and_then(change);
    Some(if let Some((a, b)) = after("window ") {
        let any = |v: &str| {
            if v == "any time" {
                lang.t("history-any-time")
            } else {
                v.to_string()
            }
        };
        two("history-edit-window", (&any(a), &any(b)))
    } else if let Some((a, b)) = after("address ") {
        two("history-edit-address", (&none(a), &none(b)))
    } else if let Some((a, b)) = after("district ") {
        two("history-edit-district", (&none(a), b))
    } else if let Some((a, b)) = after("delivery fee ") {
        two("history-edit-fee", (&amount(lang, a), &amount(lang, b)))
    } else if let Some(items) = after("items ") {
        two("history-edit-items", items)
    } else {
        let (a, b) = after("Delivery day ")?;
        match b.split_once(" (") {
            Some((b, why)) => lang.t_with(
                "history-edit-day-why",
                &[
                    ("from", arg(a)),
                    ("to", arg(b)),
                    ("why", arg(why.strip_suffix(')').unwrap_or(why))),
                ],
            ),
            None => two("history-edit-day", (a, b)),
        }
    })
}

/// A part that notes what happened: notes changed, data erased, the pin moved, a district
/// redrawn, records merged, a code, points or a referral added or taken off.
fn noted(lang: &Lang, part: &str) -> Option<String> {
    let split = |prefix: &str| part.strip_prefix(prefix).and_then(|r| r.split_once(": "));
    let with_amount = |key: &str, name: &str, (v, cents): (&str, &str)| {
        lang.t_with(
            key,
            &[(name, arg(v)), ("amount", arg(&amount(lang, cents)))],
        )
    };
    Some(if part == "notes changed" {
        lang.t("history-edit-notes")
    } else if part == "Personal data erased (privacy request)" {
        lang.t("history-edit-erased")
    } else if part == "address changed (erased)" {
        lang.t("history-edit-address-erased")
    } else if part == "Outside every district after the boundaries were redrawn: needs a location" {
        lang.t("history-edit-outside")
    } else if let Some(d) = part
        .strip_prefix("pin moved (")
        .and_then(|r| r.strip_suffix(')'))
    {
        lang.t_with("history-edit-pin", &[("district", arg(d))])
    } else if let Some(d) = part
        .strip_prefix("Now in district ")
        .and_then(|r| r.strip_suffix(" (district boundaries redrawn)"))
    {
        lang.t_with("history-edit-redrawn", &[("district", arg(d))])
    } else if let Some(name) = part.strip_prefix("customer records merged into ") {
        lang.t_with("history-edit-merged", &[("name", arg(name))])
    } else if let Some(x) = split("code removed ") {
        with_amount("history-edit-code-removed", "code", x)
    } else if let Some(x) = split("points back ") {
        with_amount("history-edit-points-back", "points", x)
    } else if let Some((code, name)) = split("referral ") {
        lang.t_with(
            "history-edit-referral",
            &[("code", arg(code)), ("name", arg(name))],
        )
    } else if let Some(x) = split("code ") {
        with_amount("history-edit-code", "code", x)
    } else {
        with_amount("history-edit-points", "points", split("points ")?)
    })
}

/// An amount as a history line stores it (written the English way: "€12.00", "-€3.50",
/// "1,234.00 CHF"), as `lang` writes it ("12,00 €"); anything else as stored.
fn amount(lang: &Lang, stored: &str) -> String {
    let (sign, rest) = match stored.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, stored),
    };
    let by_symbol = ["EUR", "GBP", "USD"].iter().find_map(|c| {
        rest.strip_prefix(crate::money::symbol(c))
            .map(|n| (c.to_string(), n))
    });
    let by_code = || {
        rest.rsplit_once(' ')
            .filter(|(_, code)| code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()))
            .map(|(n, code)| (code.to_string(), n))
    };
    let Some((currency, number)) = by_symbol.or_else(by_code) else {
        return stored.to_string();
    };
    let digits = number.replace(',', "");
    let cents = digits.split_once('.').and_then(|(whole, cents)| {
        let ok = cents.len() == 2 && cents.chars().all(|c| c.is_ascii_digit());
        Some(whole.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok().filter(|_| ok)?)
    });
    match cents {
        Some(c) => lang.money(sign * c, &currency),
        None => stored.to_string(),
    }
}

/// A driver's report of a delivery ("Delivered to Ana, cash €12.00, with a photo", as
/// `driver::actions::apply` writes it) in `lang`; anything else as stored.
fn delivered(lang: &Lang, detail: String) -> String {
    let Some(rest) = detail.strip_prefix("Delivered") else {
        return detail;
    };
    let (rest, photo) = match rest.strip_suffix(", with a photo") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let (rest, cash) = match rest.rsplit_once(", cash ") {
        Some((r, c)) => (r, Some(c)),
        None => (rest, None),
    };
    let to = match rest.strip_prefix(" to ") {
        Some(name) => Some(name),
        None if rest.is_empty() => None,
        None => return detail,
    };
    let mut out = match to {
        Some(name) => lang.t_with("history-delivered-to", &[("name", arg(name))]),
        None => lang.t("history-delivered"),
    };
    if let Some(c) = cash {
        out.push_str(&lang.t_with("history-delivered-cash", &[("cash", arg(&amount(lang, c)))]));
    }
    if photo {
        out.push_str(&lang.t("history-delivered-photo"));
    }
    out
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
        // The order core's own words on an edit, part by part; what was typed stays.
        assert_eq!(
            what(
                &es,
                "edited",
                none,
                Some("window any time → 10:00–12:00; notes changed".into())
            ),
            "Editado: franja cualquier hora → 10:00–12:00; notas cambiadas"
        );
        assert_eq!(
            what(
                &en,
                "edited",
                none,
                Some("window any time → 10:00–12:00; notes changed".into())
            ),
            "Edited: window any time → 10:00–12:00; notes changed"
        );
        assert_eq!(
            what(&es, "edited", none, Some("items 1× Pan → 2× Pan".into())),
            "Editado: artículos 1× Pan → 2× Pan"
        );
        assert_eq!(
            what(
                &es,
                "edited",
                none,
                Some("Delivery day 2026-12-07 → 2026-12-09 (saves 3 km)".into())
            ),
            "Editado: día de entrega 2026-12-07 → 2026-12-09 (saves 3 km)"
        );
        assert_eq!(
            what(
                &es,
                "edited",
                none,
                Some("address none → Calle Mayor 1; pin moved (Centro); something new".into())
            ),
            "Editado: dirección ninguna → Calle Mayor 1; chincheta movida (Centro); something new"
        );
        let out = (
            &Some("out_for_delivery".to_string()),
            &Some("delivered".to_string()),
        );
        assert_eq!(
            what(
                &es,
                "status",
                out,
                Some("Delivered to Ana, cash €12.00, with a photo".into())
            ),
            "En reparto → Entregado · Entregado a Ana, efectivo 12,00 €, con foto"
        );
        assert_eq!(
            what(
                &en,
                "status",
                out,
                Some("Delivered to Ana, cash €12.00, with a photo".into())
            ),
            "Out for delivery → Delivered · Delivered to Ana, cash €12.00, with a photo"
        );
        assert_eq!(delivered(&es, "Delivered".into()), "Entregado");
        assert_eq!(
            delivered(&es, "Delivered by hand".into()),
            "Delivered by hand"
        );
        assert_eq!(placed(&es, "Something else".into()), "Something else");
        assert_eq!(placed(&es, "Demo data".into()), "Datos de demostración");
        // The lines `orders::core::edit` writes when districts are redrawn and when a
        // customer's data is erased.
        let edited = |d: &str| what(&es, "edited", none, Some(d.to_string()));
        assert_eq!(
            edited("Outside every district after the boundaries were redrawn: needs a location"),
            "Editado: Fuera de todas las zonas tras redibujar sus límites: necesita una ubicación"
        );
        assert_eq!(
            edited("address changed (erased); notes changed"),
            "Editado: dirección cambiada (borrada); notas cambiadas"
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
        let none = (&None, &None);
        assert_eq!(
            what(
                &es,
                "edited",
                none,
                Some("delivery fee €3.50 → €4.00".into())
            ),
            "Editado: gastos de envío 3,50 € → 4,00 €"
        );
        assert_eq!(
            what(
                &en,
                "edited",
                none,
                Some("delivery fee €3.50 → €4.00".into())
            ),
            "Edited: delivery fee €3.50 → €4.00"
        );
        // A code and points added from the drawer.
        let added = || Some("code SPRING10: €2.80".to_string());
        assert_eq!(
            what(&en, "edited", none, added()),
            "Edited: code SPRING10 applied: −€2.80"
        );
        assert_eq!(
            what(&es, "edited", none, added()),
            "Editado: código SPRING10 aplicado: −2,80 €"
        );
        assert_eq!(
            what(&es, "edited", none, Some("points 150: €7.50".into())),
            "Editado: 150 puntos gastados: −7,50 €"
        );
        // And taken off again.
        assert_eq!(
            what(
                &en,
                "edited",
                none,
                Some("code removed SPRING10: €2.80".into())
            ),
            "Edited: code SPRING10 removed: +€2.80"
        );
        assert_eq!(
            what(&es, "edited", none, Some("points back 150: €7.50".into())),
            "Editado: 150 puntos devueltos: +7,50 €"
        );
        assert_eq!(
            what(
                &es,
                "edited",
                none,
                Some("referral K7QM2P: Ana García".into())
            ),
            "Editado: recomendado por Ana García (código K7QM2P)"
        );
    }

    #[test]
    fn a_skipped_visit_reads_in_the_readers_language() {
        let (en, es) = (Lang::english(), Lang::parse("es").unwrap());
        let none = (&None, &None);
        let stored = || Some("Skipped (2026-12-08 of standing order S-3)".to_string());
        assert_eq!(
            what(&en, "cancelled", none, stored()),
            "Cancelled: Skipped (Tue 8 Dec of standing order S-3)"
        );
        assert_eq!(
            what(&es, "cancelled", none, stored()),
            "Cancelado: Saltado (mar 8 dic, pedido fijo S-3)"
        );
        // Written before the date was stored as a date: the day as it was written.
        let old = Some("Skipped (Tue 8 Dec of standing order S-3)".to_string());
        assert_eq!(
            what(&es, "cancelled", none, old),
            "Cancelado: Saltado (Tue 8 Dec, pedido fijo S-3)"
        );
        let paused = Some("Standing order paused until 2026-12-20".to_string());
        assert_eq!(
            what(&es, "cancelled", none, paused),
            "Cancelado: Pedido fijo en pausa hasta el dom 20 dic"
        );
        // What a person typed stays as typed.
        let typed = Some("Customer called".to_string());
        assert_eq!(
            what(&es, "cancelled", none, typed),
            "Cancelado: Customer called"
        );
    }
}
