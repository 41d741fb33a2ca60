//! The history lines Hearth writes, as they are stored: plain English, which reads as it is
//! in the database, in a customer's data export and in the reports that group cancellation
//! reasons. Every writer of a line takes it from here, and `read` words each back in the
//! reader's language from the same phrases; the tests below send every line through both, in
//! English and Spanish, so a change of wording on one side fails them. What someone typed (a
//! reason, a note, a name, an address) is carried inside a line as typed.
use chrono::NaiveDate;

use crate::money::format_cents;

pub(super) const IMPORTED: &str = "Imported from a spreadsheet";
pub(super) const STANDING: &str = "Created ahead from a standing order";
pub(super) const PHONE: &str = "Taken by phone";
pub(super) const DEMO: &str = "Demo data";
pub(super) const PLACED_VIA: &str = "Placed via ";
pub(super) const REFERENCE: &str = "payment reference ";
pub(super) const NEEDS_PIN: &str = "needs a location pin";
/// The separator of a line's parts (an edit that changed the window and the notes).
pub(super) const AND: &str = "; ";
pub(super) const NONE: &str = "none";
pub(super) const ANY_TIME: &str = "any time";
pub(super) const NOTES: &str = "notes changed";
pub(super) const ERASED: &str = "Personal data erased (privacy request)";
/// What the audit log keeps of an address change (the log is never rewritten by an erasure).
pub const ADDRESS_CHANGED: &str = "address changed";
/// What an erasure leaves of an address change in the order's history.
pub const ADDRESS_ERASED: &str = "address changed (erased)";
pub(super) const OUTSIDE: &str =
    "Outside every district after the boundaries were redrawn: needs a location";
/// Why a day changed when the owner accepted a suggested plan.
pub const SUGGESTED: &str = "suggested plan";
pub(super) const PAUSED: &str = "Standing order paused";

/// The words around the values of the lines below ("window 09:00–11:00 → any time").
pub(super) const TO: &str = " → ";
pub(super) const WINDOW: &str = "window ";
pub(super) const ADDRESS: &str = "address ";
pub(super) const DISTRICT: &str = "district ";
pub(super) const FEE: &str = "delivery fee ";
pub(super) const ITEMS: &str = "items ";
pub(super) const DAY: &str = "Delivery day ";
/// Around a day move's reason: "Delivery day 2026-12-07 → 2026-12-09 (suggested plan)".
pub(super) const WHY: (&str, &str) = (" (", ")");
pub(super) const PIN: &str = "pin moved (";
pub(super) const NOW_IN: &str = "Now in district ";
pub(super) const REDRAWN: &str = " (district boundaries redrawn)";
pub(super) const MERGED: &str = "customer records merged into ";
/// Between a code (or points) and the amount it took off or gave back.
pub(super) const OFF: &str = ": ";
pub(super) const CODE: &str = "code ";
pub(super) const POINTS: &str = "points ";
pub(super) const CODE_REMOVED: &str = "code removed ";
pub(super) const POINTS_BACK: &str = "points back ";
pub(super) const REFERRAL: &str = "referral ";
pub(super) const DELIVERED: &str = "Delivered";
pub(super) const DELIVERED_TO: &str = " to ";
pub(super) const CASH: &str = ", cash ";
pub(super) const PHOTO: &str = ", with a photo";
pub(super) const SKIPPED: &str = "Skipped (";
pub(super) const OF_STANDING: &str = " of standing order S-";
pub(super) const UNTIL: &str = " until ";

/// A new order's first line: where it came from (`storefront` or `phone`), with the payment
/// reference it came with or a note that it still needs a pin on the map.
pub fn placed(source: &str, reference: Option<&str>, needs_pin: bool) -> String {
    match (reference, needs_pin) {
        (Some(r), _) => format!("{PLACED_VIA}{source}{AND}{REFERENCE}{r}"),
        (None, true) => format!("{PLACED_VIA}{source}{AND}{NEEDS_PIN}"),
        (None, false) => format!("{PLACED_VIA}{source}"),
    }
}

/// An order made by a spreadsheet import, a standing order or a phone call, or by the demo.
pub fn made(how: Made) -> &'static str {
    match how {
        Made::Imported => IMPORTED,
        Made::Standing => STANDING,
        Made::Phone => PHONE,
        Made::Demo => DEMO,
    }
}

/// How an order was made, other than through the storefront.
#[derive(Clone, Copy, Debug)]
pub enum Made {
    Imported,
    Standing,
    Phone,
    Demo,
}

/// An edit's parts as one line.
pub fn joined(parts: &[String]) -> String {
    parts.join(AND)
}

/// The delivery window changed ("any time" for none).
pub fn window(from: &Option<(String, String)>, to: &Option<(String, String)>) -> String {
    let show = |w: &Option<(String, String)>| {
        w.as_ref()
            .map_or(ANY_TIME.to_string(), |(a, b)| format!("{a}–{b}"))
    };
    format!("{WINDOW}{}{TO}{}", show(from), show(to))
}

pub fn notes() -> String {
    NOTES.to_string()
}

/// The address changed (personal data: an erasure rewrites it, the audit log never has it).
pub fn address(from: Option<&str>, to: Option<&str>) -> String {
    format!(
        "{ADDRESS}{}{TO}{}",
        from.unwrap_or(NONE),
        to.unwrap_or(NONE)
    )
}

/// Whether a stored part is an address change (`address`).
pub fn is_address(part: &str) -> bool {
    part.starts_with(ADDRESS) && part.contains(TO)
}

pub fn pin_moved(district: &str) -> String {
    format!("{PIN}{district})")
}

pub fn district(from: Option<&str>, to: &str) -> String {
    format!("{DISTRICT}{}{TO}{to}", from.unwrap_or(NONE))
}

pub fn fee(from_cents: i64, to_cents: i64, currency: &str) -> String {
    format!(
        "{FEE}{}{TO}{}",
        format_cents(from_cents, currency),
        format_cents(to_cents, currency)
    )
}

/// The items before and after ("2× Croissant"), each list joined by commas.
pub fn items(before: &[String], after: &[String]) -> String {
    format!("{ITEMS}{}{TO}{}", before.join(", "), after.join(", "))
}

/// Another delivery day, and why when a plan moved it.
pub fn day(from: &str, to: &str, why: Option<&str>) -> String {
    match why {
        Some(why) => format!("{DAY}{from}{TO}{to}{}{why}{}", WHY.0, WHY.1),
        None => format!("{DAY}{from}{TO}{to}"),
    }
}

/// The district boundaries were redrawn: the order is now in `district`, or in none.
pub fn redrawn(district: Option<&str>) -> String {
    match district {
        Some(name) => format!("{NOW_IN}{name}{REDRAWN}"),
        None => OUTSIDE.to_string(),
    }
}

pub fn erased() -> String {
    ERASED.to_string()
}

pub fn merged(into: &str) -> String {
    format!("{MERGED}{into}")
}

/// A promotion code applied, taking `cents` off.
pub fn code(code: &str, cents: i64, currency: &str) -> String {
    format!("{CODE}{code}{OFF}{}", format_cents(cents, currency))
}

/// Loyalty points spent, taking `cents` off.
pub fn points(points: i64, cents: i64, currency: &str) -> String {
    format!("{POINTS}{points}{OFF}{}", format_cents(cents, currency))
}

pub fn code_removed(code: &str, cents: i64, currency: &str) -> String {
    format!("{CODE_REMOVED}{code}{OFF}{}", format_cents(cents, currency))
}

pub fn points_back(points: i64, cents: i64, currency: &str) -> String {
    format!(
        "{POINTS_BACK}{points}{OFF}{}",
        format_cents(cents, currency)
    )
}

/// A referral code, and the customer whose code it is.
pub fn referral(code: &str, name: &str) -> String {
    format!("{REFERRAL}{code}{OFF}{name}")
}

/// A driver's delivery: who took it, the cash collected, whether there is a photo.
pub fn delivered(to: Option<&str>, cash: Option<(i64, &str)>, photo: bool) -> String {
    format!(
        "{DELIVERED}{}{}{}",
        to.map(|r| format!("{DELIVERED_TO}{r}")).unwrap_or_default(),
        cash.map(|(cents, currency)| format!("{CASH}{}", format_cents(cents, currency)))
            .unwrap_or_default(),
        if photo { PHOTO } else { "" }
    )
}

/// A failed delivery: one of `orders::model::FAIL_REASONS` and the driver's note.
pub fn failed(reason: &str, note: Option<&str>) -> String {
    match note {
        Some(n) => format!("{reason}: {n}"),
        None => reason.to_string(),
    }
}

/// The reason a standing order's visit was cancelled when the customer skipped that day.
pub fn skipped(day: NaiveDate, standing_id: i64) -> String {
    format!("{SKIPPED}{day}{OF_STANDING}{standing_id})")
}

/// The reason a standing order's visits were cancelled while it is paused.
pub fn paused(until: Option<NaiveDate>) -> String {
    match until {
        Some(u) => format!("{PAUSED}{UNTIL}{u}"),
        None => PAUSED.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// `detail` as a line of `kind` reads in English and Spanish.
    fn reads(kind: &str, detail: String) -> (String, String) {
        let none = (&None, &None);
        let en = super::super::what(&Lang::english(), kind, none, Some(detail.clone()));
        let es = super::super::what(&Lang::parse("es").unwrap(), kind, none, Some(detail));
        (en, es)
    }

    #[test]
    fn every_line_hearth_writes_reads_back_in_both_languages() {
        let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let nine = Some(("09:00".to_string(), "11:00".to_string()));
        let cases: Vec<(&str, String, &str, &str)> = vec![
            ("created", placed("storefront", None, false), "Placed via storefront", "Pedido desde la tienda online"),
            ("created", placed("storefront", Some("ST-9"), false), "Placed via storefront; payment reference ST-9", "Pedido desde la tienda online; referencia de pago ST-9"),
            ("created", placed("storefront", None, true), "Placed via storefront; needs a location pin", "Pedido desde la tienda online; falta la chincheta en el mapa"),
            ("created", made(Made::Imported).into(), "Imported from a spreadsheet", "Importado de una hoja de cálculo"),
            ("created", made(Made::Standing).into(), "Created ahead from a standing order", "Creado con antelación desde un pedido fijo"),
            ("created", made(Made::Phone).into(), "Taken by phone", "Tomado por teléfono"),
            ("created", made(Made::Demo).into(), "Demo data", "Datos de demostración"),
            ("edited", joined(&[window(&None, &nine), notes()]), "Edited: window any time → 09:00–11:00; notes changed", "Editado: franja cualquier hora → 09:00–11:00; notas cambiadas"),
            ("edited", address(None, Some("Calle Mayor 1")), "Edited: address none → Calle Mayor 1", "Editado: dirección ninguna → Calle Mayor 1"),
            ("edited", ADDRESS_ERASED.into(), "Edited: address changed (erased)", "Editado: dirección cambiada (borrada)"),
            ("edited", joined(&[pin_moved("Centro"), district(Some("Norte"), "Centro"), fee(350, 400, "EUR")]), "Edited: pin moved (Centro); district Norte → Centro; delivery fee €3.50 → €4.00", "Editado: chincheta movida (Centro); zona Norte → Centro; gastos de envío 3,50 € → 4,00 €"),
            ("edited", items(&["1× Pan".into()], &["2× Pan".into(), "1× Tarta".into()]), "Edited: items 1× Pan → 2× Pan, 1× Tarta", "Editado: artículos 1× Pan → 2× Pan, 1× Tarta"),
            ("edited", day("2026-12-07", "2026-12-09", None), "Edited: Delivery day Mon 7 Dec → Wed 9 Dec", "Editado: día de entrega lun 7 dic → mié 9 dic"),
            ("edited", day("2026-12-07", "2026-12-09", Some(SUGGESTED)), "Edited: Delivery day Mon 7 Dec → Wed 9 Dec (suggested plan)", "Editado: día de entrega lun 7 dic → mié 9 dic (plan sugerido)"),
            ("edited", redrawn(Some("Centro")), "Edited: Now in district Centro (district boundaries redrawn)", "Editado: Ahora en la zona Centro (límites de zonas redibujados)"),
            ("edited", redrawn(None), "Edited: Outside every district after the boundaries were redrawn: needs a location", "Editado: Fuera de todas las zonas tras redibujar sus límites: necesita una ubicación"),
            ("edited", erased(), "Edited: Personal data erased (privacy request)", "Editado: Datos personales borrados (solicitud de privacidad)"),
            ("edited", merged("Ana García"), "Edited: customer records merged into Ana García", "Editado: fichas de cliente unidas en Ana García"),
            ("edited", code("SPRING10", 280, "EUR"), "Edited: code SPRING10 applied: −€2.80", "Editado: código SPRING10 aplicado: −2,80 €"),
            ("edited", points(150, 750, "EUR"), "Edited: 150 points spent: −€7.50", "Editado: 150 puntos gastados: −7,50 €"),
            ("edited", code_removed("SPRING10", 280, "EUR"), "Edited: code SPRING10 removed: +€2.80", "Editado: código SPRING10 retirado: +2,80 €"),
            ("edited", points_back(150, 750, "EUR"), "Edited: 150 points given back: +€7.50", "Editado: 150 puntos devueltos: +7,50 €"),
            ("edited", referral("K7QM2P", "Ana García"), "Edited: referred by Ana García (code K7QM2P)", "Editado: recomendado por Ana García (código K7QM2P)"),
            ("cancelled", skipped(date("2026-12-08"), 3), "Cancelled: Skipped (Tue 8 Dec of standing order S-3)", "Cancelado: Saltado (mar 8 dic, pedido fijo S-3)"),
            ("cancelled", paused(Some(date("2026-12-20"))), "Cancelled: Standing order paused until Sun 20 Dec", "Cancelado: Pedido fijo en pausa hasta el dom 20 dic"),
            ("delivery_failed", failed("Nobody home", Some("rang twice")), "Delivery failed: Nobody home: rang twice", "Entrega fallida: No había nadie: rang twice"),
        ];
        for (kind, stored, english, spanish) in cases {
            assert_eq!(
                reads(kind, stored.clone()),
                (english.to_string(), spanish.to_string()),
                "{stored}"
            );
        }
        let (_, es) = reads("cancelled", paused(None));
        assert_eq!(es, "Cancelado: Pedido fijo en pausa");
        // A delivery's report follows the stage change on a status line.
        let out = (
            &Some("out_for_delivery".to_string()),
            &Some("delivered".to_string()),
        );
        let es = Lang::parse("es").unwrap();
        let report = delivered(Some("Ana"), Some((1200, "EUR")), true);
        assert_eq!(
            super::super::what(&es, "status", out, Some(report)),
            "En reparto → Entregado · Entregado a Ana, efectivo 12,00 €, con foto"
        );
        let plain = delivered(None, None, false);
        assert_eq!(
            super::super::what(&es, "status", out, Some(plain)),
            "En reparto → Entregado · Entregado"
        );
    }

    #[test]
    fn an_address_change_is_known_for_the_audit_and_an_erasure() {
        assert!(is_address(&address(Some("A"), None)));
        assert!(!is_address(ADDRESS_CHANGED));
        assert!(!is_address(&notes()));
    }
}
