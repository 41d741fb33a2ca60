//! Customers and orders as spreadsheet CSV (see `crate::sheet`). Customers are matched by
//! phone (normalised as orders' phones are): a known phone updates that customer with the
//! row's non-empty cells; a new one is added.
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
        return Err(err("name", "a name of 1 to 80 characters".into()));
    }
    let raw_phone = r.get("phone");
    let phone = crate::storefront::validate::normalize_phone(&raw_phone, country)
        .ok_or_else(|| err("phone", format!("{raw_phone:?} is not a phone number")))?;
    let some = |v: String| Some(v).filter(|v| !v.is_empty());
    let email = some(r.get("email"));
    if email
        .as_ref()
        .is_some_and(|e| !e.contains('@') || e.chars().count() > 254)
    {
        return Err(err("email", "an address like ana@example.com".into()));
    }
    let address = some(r.get("address"));
    if address.as_ref().is_some_and(|a| a.chars().count() > 300) {
        return Err(err("address", "at most 300 characters".into()));
    }
    let pin = match (r.get("lat"), r.get("lng")) {
        (a, b) if a.is_empty() && b.is_empty() => None,
        (a, b) => {
            let lat = number(&a)
                .filter(|l| (-90.0..=90.0).contains(l))
                .ok_or_else(|| {
                    err(
                        "lat",
                        format!("a latitude between -90 and 90 (with lng), not {a:?}"),
                    )
                })?;
            let lng = number(&b)
                .filter(|l| (-180.0..=180.0).contains(l))
                .ok_or_else(|| {
                    err(
                        "lng",
                        format!("a longitude between -180 and 180 (with lat), not {b:?}"),
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
        return Err(err("notes", "at most 1000 characters".into()));
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
                        format!("{} is also on row {}", c.phone, first.line),
                    ));
                } else {
                    rows.push(c);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        return Err(RowError::file(
            "The file has no customers below its header line.",
        ));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
