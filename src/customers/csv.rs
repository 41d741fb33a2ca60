//! Customers and orders as spreadsheet CSV (see `crate::sheet`). Customers are matched by
//! phone (normalised as orders' phones are): a known phone updates that customer with the
//! row's non-empty cells; a new one is added.
use crate::said::{said, said_with};
use crate::sheet::{RowError, SheetRow};

/// The columns written; the first two are needed on import, the last five are for reading
/// only (an exported file imports as it is).
pub const COLUMNS: [&str; 13] = [
    "name",
    "phone",
    "email",
    "address",
    "lat",
    "lng",
    "marketing_opt_in",
    "notes",
    "district",
    "orders",
    "spent",
    "last_order",
    "since",
];

/// A customer row that passed its checks.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerRow {
    pub line: u64,
    pub name: String,
    /// E.164.
    pub phone: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub pin: Option<(f64, f64)>,
    /// None: leave as it is (new customers: no).
    pub opt_in: Option<bool>,
    pub notes: Option<String>,
}

fn number(raw: &str) -> Option<f64> {
    raw.trim().replace(',', ".").parse::<f64>().ok()
}

fn check(r: &SheetRow, country: &str) -> Result<CustomerRow, RowError> {
    let line = r.line;
    let err = |col: &str, m: String| RowError::at(line, col, m);
    let name = r.get("name");
    if name.is_empty() || name.chars().count() > 80 {
        return Err(err("name", crate::said::said("refuse-csv-name")));
    }
    let raw_phone = r.get("phone");
    let phone =
        crate::storefront::validate::normalize_phone(&raw_phone, country).ok_or_else(|| {
            err(
                "phone",
                crate::said::said_with("refuse-csv-phone", &[("typed", &format!("{raw_phone:?}"))]),
            )
        })?;
    let some = |v: String| Some(v).filter(|v| !v.is_empty());
    let email = some(r.get("email"));
    if email
        .as_ref()
        .is_some_and(|e| !e.contains('@') || e.chars().count() > 254)
    {
        return Err(err("email", crate::said::said("refuse-csv-email")));
    }
    let address = some(r.get("address"));
    if address.as_ref().is_some_and(|a| a.chars().count() > 300) {
        return Err(err(
            "address",
            crate::said::said_with("refuse-at-most", &[("max", &300)]),
        ));
    }
    let pin = match (r.get("lat"), r.get("lng")) {
        (a, b) if a.is_empty() && b.is_empty() => None,
        (a, b) => {
            let lat = number(&a)
                .filter(|l| (-90.0..=90.0).contains(l))
                .ok_or_else(|| {
                    err(
                        "lat",
                        crate::said::said_with("refuse-csv-lat", &[("typed", &format!("{a:?}"))]),
                    )
                })?;
            let lng = number(&b)
                .filter(|l| (-180.0..=180.0).contains(l))
                .ok_or_else(|| {
                    err(
                        "lng",
                        crate::said::said_with("refuse-csv-lng", &[("typed", &format!("{b:?}"))]),
                    )
                })?;
            Some((lat, lng))
        }
    };
    let opt_in = match r.get("marketing_opt_in") {
        v if v.is_empty() => None,
        v => Some(crate::sheet::yes_no(&v, false).map_err(|m| err("marketing_opt_in", m))?),
    };
    let notes = some(r.get("notes"));
    if notes.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err(err(
            "notes",
            crate::said::said_with("refuse-at-most", &[("max", &1000)]),
        ));
    }
    Ok(CustomerRow {
        line,
        name,
        phone,
        email,
        address,
        pin,
        opt_in,
        notes,
    })
}

/// Reads a customers CSV: every good row, or every problem (a phone twice is one).
pub fn parse(text: &str, country: &str) -> Result<Vec<CustomerRow>, Vec<RowError>> {
    let (sheet, mut errors) = crate::sheet::read(text, &COLUMNS, 2)?;
    let mut rows: Vec<CustomerRow> = Vec::new();
    for r in &sheet {
        match check(r, country) {
            Ok(c) => {
                if let Some(first) = rows.iter().find(|o| o.phone == c.phone) {
                    errors.push(RowError::at(
                        c.line,
                        "phone",
                        crate::said::said_with(
                            "refuse-also-on-row",
                            &[("what", &c.phone), ("row", &first.line)],
                        ),
                    ));
                } else {
                    rows.push(c);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    crate::sheet::finish(rows, errors, "refuse-rows-customers")
}

/// Columns of an orders file: the first five are needed; the rest of an export's columns are
/// read as they are (`order`: an order already in Hearth is skipped) or ignored.
pub const ORDER_COLUMNS: [&str; 21] = [
    "day",
    "fulfilment",
    "customer",
    "phone",
    "items",
    "email",
    "address",
    "lat",
    "lng",
    "window",
    "payment",
    "notes",
    "order",
    "status",
    "district",
    "subtotal",
    "delivery_fee",
    "total",
    "paid",
    "source",
    "placed_at",
];

/// One orders row, as the storefront API would receive it (`body`), with its row number and
/// the order number it had when exported (if any).
#[derive(Clone, Debug, PartialEq)]
pub struct OrderRow {
    pub line: u64,
    pub number: Option<i64>,
    pub body: serde_json::Value,
}

/// "2× Country sourdough; 1 BRD-SOUR | 3 x Croissant" → [(2, "Country sourdough"), …]: a
/// quantity, then a product's SKU or name. Lines are separated by `;`, `|` or line breaks.
pub fn item_list(raw: &str) -> Result<Vec<(i64, String)>, String> {
    let mut out = Vec::new();
    for part in raw
        .split([';', '|', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        let qty: i64 = digits.parse().map_err(|_| {
            said_with(
                "refuse-csv-items-quantity",
                &[("part", &format!("{part:?}"))],
            )
        })?;
        let rest = part[digits.len()..]
            .trim_start()
            .trim_start_matches(['×', 'x', 'X', '*'])
            .trim();
        if rest.is_empty() {
            return Err(said_with(
                "refuse-csv-items-product",
                &[("part", &format!("{part:?}"))],
            ));
        }
        out.push((qty, rest.to_string()));
    }
    if out.is_empty() {
        return Err(said("refuse-csv-items-empty"));
    }
    Ok(out)
}

/// Reads an orders file into storefront-shaped requests. `sku_of` finds a product's SKU from a
/// SKU or a name (any case). Rules and capacity are checked later, in the import's transaction.
pub fn parse_orders(
    text: &str,
    sku_of: impl Fn(&str) -> Option<String>,
) -> Result<Vec<OrderRow>, Vec<RowError>> {
    use serde_json::json;
    let (sheet, mut errors) = crate::sheet::read(text, &ORDER_COLUMNS, 5)?;
    let mut rows = Vec::new();
    for r in &sheet {
        let line = r.line;
        let fulfilment = r.get("fulfilment").to_lowercase();
        if fulfilment != "delivery" && fulfilment != "pickup" {
            errors.push(RowError::at(
                line,
                "fulfilment",
                said("refuse-csv-fulfilment"),
            ));
            continue;
        }
        let lines = match item_lines(line, &r.get("items"), &sku_of) {
            Ok(lines) => lines,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let place = place_of(r, &fulfilment);
        let payment = match r.get("payment").to_lowercase().as_str() {
            "" if fulfilment == "pickup" => "pay_at_pickup".to_string(),
            "" => "cod".to_string(),
            p => p.to_string(),
        };
        let mut customer = json!({"name": r.get("customer"), "phone": r.get("phone")});
        if !r.get("email").is_empty() {
            customer["email"] = json!(r.get("email"));
        }
        let mut body = json!({
            "customer": customer,
            "fulfilment": place,
            "items": lines,
            "payment": {"method": payment},
        });
        if !r.get("notes").is_empty() {
            body["notes"] = json!(r.get("notes"));
        }
        rows.push(OrderRow {
            line,
            number: r.get("order").parse().ok(),
            body,
        });
    }
    crate::sheet::finish(rows, errors, "refuse-rows-orders")
}

/// An "items" cell ("2 x Croissant, 1 x Baguette") as the request's lines, each product found
/// by SKU or name.
fn item_lines(
    line: u64,
    cell: &str,
    sku_of: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<serde_json::Value>, RowError> {
    let items = item_list(cell).map_err(|m| RowError::at(line, "items", m))?;
    items
        .into_iter()
        .map(|(q, name)| match sku_of(&name) {
            Some(sku) => Ok(serde_json::json!({"sku": sku, "quantity": q})),
            None => Err(RowError::at(
                line,
                "items",
                said_with("refuse-csv-unknown-item", &[("name", &format!("{name:?}"))]),
            )),
        })
        .collect()
}

/// The request's `fulfilment` from a row: the day, and a pickup's time or a delivery's
/// address, pin and window ("10:00-12:00").
fn place_of(r: &crate::sheet::SheetRow, fulfilment: &str) -> serde_json::Value {
    use serde_json::json;
    let window = r.get("window");
    let (from, to) = window
        .split_once(['-', '–'])
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .unwrap_or((window.clone(), String::new()));
    let mut place = json!({"type": fulfilment, "date": r.get("day")});
    if fulfilment == "pickup" {
        if !from.is_empty() {
            place["time"] = json!(from);
        }
    } else {
        place["address"] = json!(r.get("address"));
        let (lat, lng) = (number(&r.get("lat")), number(&r.get("lng")));
        if let (Some(lat), Some(lng)) = (lat, lng) {
            place["lat"] = json!(lat);
            place["lng"] = json!(lng);
        }
        if !from.is_empty() {
            place["window"] = json!({"from": from, "to": to});
        }
    }
    place
}

/// The file's column an API field stands for (`customer.phone` → `phone`).
pub fn column_of(field: &str) -> &'static str {
    match field {
        f if f.starts_with("customer.name") => "customer",
        f if f.starts_with("customer.phone") => "phone",
        f if f.starts_with("customer.email") => "email",
        "fulfilment.date" => "day",
        f if f.starts_with("fulfilment.window") || f == "fulfilment.time" => "window",
        "fulfilment.address" => "address",
        "fulfilment.lat" | "fulfilment.lng" => "lat",
        f if f.starts_with("fulfilment") => "fulfilment",
        f if f.starts_with("items") => "items",
        f if f.starts_with("payment") => "payment",
        f if f.starts_with("notes") => "notes",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_item_list_is_refused_in_the_readers_language() {
        assert_eq!(
            item_list("Croissant").unwrap_err(),
            "\"Croissant\" should start with a quantity, like 2× Country sourdough"
        );
        let es = crate::i18n::Lang::parse("es").unwrap();
        let (quantity, product, empty) = crate::i18n::reading(es, async {
            (
                item_list("Croissant").unwrap_err(),
                item_list("2×").unwrap_err(),
                item_list(" ; ").unwrap_err(),
            )
        })
        .await;
        assert_eq!(
            quantity,
            "\"Croissant\" debe empezar por una cantidad, como 2× Pan de masa madre"
        );
        assert_eq!(product, "\"2×\" no nombra ningún producto");
        assert!(empty.starts_with("indica lo que se pidió"), "{empty}");
    }

    #[test]
    fn order_rows_become_storefront_requests() {
        let sku = |n: &str| match n.to_lowercase().as_str() {
            "brd-sour" | "country sourdough" => Some("BRD-SOUR".to_string()),
            "pas-croi" | "butter croissant" => Some("PAS-CROI".to_string()),
            _ => None,
        };
        let text = "day;fulfilment;customer;phone;items;window;address;lat;lng\n                    2026-12-10;pickup;Ana;600111222;\"2× Country sourdough; 1 PAS-CROI\";10:00;;;\n\
                    2026-12-11;delivery;Luis;600111333;3x butter croissant;09:00-11:00;Calle Mayor 5;40,417;-3,704\n";
        let rows = parse_orders(text, sku).unwrap();
        assert_eq!(
            rows[0].body["items"],
            serde_json::json!([{"sku": "BRD-SOUR", "quantity": 2}, {"sku": "PAS-CROI", "quantity": 1}])
        );
        assert_eq!(rows[0].body["fulfilment"]["time"], "10:00");
        assert_eq!(rows[0].body["payment"]["method"], "pay_at_pickup");
        assert_eq!(
            rows[1].body["fulfilment"]["window"],
            serde_json::json!({"from": "09:00", "to": "11:00"})
        );
        assert_eq!(rows[1].body["fulfilment"]["lat"], 40.417);
        let bad = "day,fulfilment,customer,phone,items\n2026-12-10,by drone,Ana,600111222,1 BRD-SOUR\n2026-12-10,pickup,Ana,600111222,some bread\n2026-12-10,pickup,Ana,600111222,2 Baguette\n";
        let errors: Vec<String> = parse_orders(bad, sku)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            [
                "Row 2, fulfilment: delivery or pickup",
                "Row 3, items: \"some bread\" should start with a quantity, like 2× Country sourdough",
                "Row 4, items: no product \"Baguette\" (a SKU or a name on the menu)",
            ]
        );
    }

    #[test]
    fn a_spreadsheet_file_is_read_and_every_bad_row_named() {
        let text = "\u{feff}Name;Phone;Email;Address;Lat;Lng;Marketing opt in;Notes\n\
                    Ana García;600 111 222;ana@example.com;\"Calle Mayor 5,\n2º B\";40,417;-3,704;sí;\n\
                    Luis;+44 20 7946 0018;;;;;no;\"Says \"\"hola\"\"\"\n";
        let rows = parse(text, "34").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].phone, "+34600111222");
        assert_eq!(rows[0].address.as_deref(), Some("Calle Mayor 5,\n2º B"));
        assert_eq!(rows[0].pin, Some((40.417, -3.704)));
        assert_eq!(rows[0].opt_in, Some(true));
        assert_eq!(rows[1].notes.as_deref(), Some("Says \"hola\""));
        assert_eq!((rows[0].line, rows[1].line), (2, 3));

        let bad = "name,phone,email,lat,lng\n,600111222,,,\nBea,not a phone,,,\nCris,600111333,cris,,\nDani,600111444,,95,3\nEva,600111222,,,\n";
        let errors: Vec<String> = parse(bad, "34")
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            [
                "Row 2, name: a name of 1 to 80 characters",
                "Row 3, phone: \"not a phone\" is not a phone number",
                "Row 4, email: an address like ana@example.com",
                "Row 5, lat: a latitude between -90 and 90 (with lng), not \"95\"",
            ]
        );
        let dup = "name,phone\nA,600111222\nB,+34 600 111 222\n";
        assert_eq!(
            parse(dup, "34").unwrap_err()[0].to_string(),
            "Row 3, phone: +34600111222 is also on row 2"
        );
        assert_eq!(
            parse("name,phone,shoe_size\n", "34").unwrap_err()[0].to_string(),
            format!(
                "Unknown column \"shoe_size\"; the columns are {}.",
                COLUMNS.join(", ")
            )
        );
    }
}

/// A cell a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'` (OWASP's advice on CSV injection).
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod safe_cell_tests {
    #[test]
    fn formulas_are_defused_and_names_kept() {
        assert_eq!(super::safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::safe_cell("Ana García"), "Ana García");
    }
}
