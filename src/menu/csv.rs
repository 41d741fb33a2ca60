//! The menu as CSV, for spreadsheets: export with a BOM (so Excel reads UTF-8) and the
//! delimiter of the owner's choice; import with a preview, every bad row and field named, and
//! all-or-nothing. Rows are matched to products by SKU (existing: updated; new: added). Quoting,
//! embedded newlines and the BOM are the `csv` crate's business.

use super::model::{label_of, Product, ProductForm, ALLERGENS, DIETARY, WEEKDAYS};

/// The columns, in the order they are written. Only the first five are required on import.
pub const COLUMNS: [&str; 14] = [
    "sku",
    "name",
    "category",
    "price",
    "daily_capacity",
    "description",
    "tax_rate",
    "baked_on",
    "lead_days",
    "min_quantity",
    "max_quantity",
    "allergens",
    "dietary",
    "on_menu",
];

/// One imported row that passed, with its row number as a spreadsheet shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub line: u64,
    pub form: ProductForm,
    pub on_menu: bool,
}

pub use crate::sheet::RowError;

/// Writes the menu (archived products too, `on_menu` = no), `;`-separated when `semicolon`
/// (spreadsheets in countries that write 3,50), with a UTF-8 BOM.
pub fn export(products: &[Product], semicolon: bool) -> Result<String, csv::Error> {
    let rows = products.iter().map(|p| {
        let f = ProductForm::of(p);
        let price = if semicolon {
            f.price.replace('.', ",")
        } else {
            f.price.clone()
        };
        let days: Vec<&str> = f.weekdays.iter().map(|d| WEEKDAYS[*d as usize]).collect();
        vec![
            f.sku.clone(),
            f.name,
            f.category,
            price,
            f.daily_capacity,
            f.description,
            f.tax_rate,
            days.join(" "),
            f.lead_days,
            f.min_quantity,
            f.max_quantity,
            f.allergens.join(" "),
            f.dietary.join(" "),
            if p.active { "yes" } else { "no" }.to_string(),
        ]
    });
    crate::sheet::write(&COLUMNS, rows, semicolon)
}

fn split_list(raw: &str) -> Vec<String> {
    raw.split(|c: char| c == '|' || c == ',' || c == ';' || c == '/' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Names like "Tree nuts" or "Gluten-free" have spaces or dashes: read whole names first,
/// then codes.
fn codes_in(raw: &str, known: &[(&str, &str)]) -> Vec<String> {
    let mut rest = raw.to_lowercase();
    let mut found = Vec::new();
    for (code, name) in known {
        let name = name.to_lowercase();
        if name.contains(' ') || name.contains('-') {
            if let Some(i) = rest.find(&name) {
                rest.replace_range(i..i + name.len(), " ");
                found.push(code.to_string());
            }
        }
    }
    found.extend(split_list(&rest));
    found
}

/// Reads a spreadsheet's CSV: the delimiter (`,` or `;`) is taken from the header line; a BOM
/// is skipped; columns are found by name, in any order and case. Every row is checked; the
/// answer is all the good rows, or every problem.
pub fn parse(text: &str) -> Result<Vec<Row>, Vec<RowError>> {
    let (sheet, mut errors) = crate::sheet::read(text, &COLUMNS, 5)?;
    let mut rows = Vec::new();
    let mut seen: Vec<(String, u64)> = Vec::new();
    for record in sheet {
        let line = record.line;
        let (form, on_menu) = match row_form(&record) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let key = form.sku.trim().to_uppercase();
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == key) {
            errors.push(RowError {
                line,
                column: "sku".into(),
                message: crate::said::said_with(
                    "refuse-sku-also",
                    &[("sku", &form.sku), ("row", &first)],
                ),
            });
            continue;
        }
        seen.push((key, line));
        rows.push(Row {
            line,
            form,
            on_menu,
        });
    }
    crate::sheet::finish(rows, errors, "refuse-rows-products")
}

/// A row as the product form it fills, and whether it is on the menu; the first bad cell is
/// named.
fn row_form(record: &crate::sheet::SheetRow) -> Result<(ProductForm, bool), RowError> {
    let line = record.line;
    let get = |col: &str| record.get(col);
    let or = |v: String, default: &str| if v.is_empty() { default.to_string() } else { v };
    let weekdays = weekdays_of(&get("baked_on")).map_err(|m| RowError::at(line, "baked_on", m))?;
    let on_menu = crate::sheet::yes_no(&get("on_menu"), true)
        .map_err(|m| RowError::at(line, "on_menu", m))?;
    // Spreadsheets in comma-decimal countries write prices as 3,50.
    let form = ProductForm {
        sku: get("sku"),
        name: get("name"),
        description: get("description"),
        category: get("category"),
        price: get("price"),
        tax_rate: get("tax_rate"),
        daily_capacity: get("daily_capacity"),
        allergens: codes_in(&get("allergens"), &ALLERGENS),
        dietary: codes_in(&get("dietary"), &DIETARY),
        weekdays,
        lead_days: or(get("lead_days"), "0"),
        min_quantity: or(get("min_quantity"), "1"),
        max_quantity: or(get("max_quantity"), "99"),
    };
    form.validate().map_err(|e| RowError {
        line,
        column: e.field().unwrap_or("").to_string(),
        message: e.to_string(),
    })?;
    Ok((form, on_menu))
}

/// The weekdays of a "baked on" cell ("Mon, Wed", "monday; wednesday": the first three letters
/// of an English day name); every day when blank.
fn weekdays_of(days: &str) -> Result<Vec<u8>, String> {
    if days.is_empty() {
        return Ok((0..7).collect());
    }
    split_list(days)
        .iter()
        .map(|d| {
            WEEKDAYS
                .iter()
                .position(|w| {
                    let head: String = d.chars().take(3).collect();
                    head.chars().count() == 3 && w.eq_ignore_ascii_case(&head)
                })
                .map(|i| i as u8)
                .ok_or_else(|| crate::said::said_with("refuse-not-weekday", &[("day", d)]))
        })
        .collect()
}

/// How the names of allergens read in a preview ("Eggs, Milk").
pub fn allergen_names(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| label_of(c))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As LibreOffice Calc and Excel write it: BOM, `;` delimiter, comma decimals, quoted
    /// fields with the delimiter, quotes and a line break inside.
    const SPREADSHEET: &str = "\u{feff}SKU;Name;Category;Price;Daily capacity;Description;Baked on;Allergens;On menu\r\n\
        PAN-1;Pan de pueblo;Panes;3,20;30;\"Hogaza; 1 kg\";Mon Tue Wed Thu Fri Sat;Cereals with gluten;yes\r\n\
        MAG-6;\"Magdalenas \"\"caseras\"\" (6)\";Bollería;4,80;12;\"Con limón\r\nY aceite de oliva\";;gluten, eggs, milk;\r\n\
        ROSCON;Roscón;Temporada;24,50;6;;Sat|Sun;Eggs / Milk / Tree nuts;no\r\n";

    #[test]
    fn a_spreadsheet_file_is_read_with_its_quotes_newlines_and_bom() {
        let rows = parse(SPREADSHEET).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].form.price, "3,20");
        assert_eq!(rows[0].form.description, "Hogaza; 1 kg");
        assert_eq!(rows[0].form.weekdays, [0, 1, 2, 3, 4, 5]);
        assert_eq!(rows[0].form.allergens, ["gluten"]);
        assert_eq!(rows[1].form.name, "Magdalenas \"caseras\" (6)");
        assert_eq!(rows[1].form.description, "Con limón\r\nY aceite de oliva");
        assert_eq!(
            rows[1].form.validate().unwrap().description,
            "Con limón\nY aceite de oliva"
        );
        assert_eq!(rows[1].form.weekdays.len(), 7);
        let v = rows[2].form.validate().unwrap();
        assert_eq!(v.allergens, "eggs,milk,nuts");
        assert_eq!(v.offered_weekdays, 0b110_0000);
        assert!(!rows[2].on_menu);
        assert_eq!(v.price_cents, 2450);
    }

    #[test]
    fn every_bad_row_is_named_by_row_and_column() {
        let text = "sku,name,category,price,daily_capacity,baked_on\n\
            A-1,Good,Breads,3.00,10,\n\
            A-2,,Breads,3.00,10,\n\
            A-3,Bad price,Breads,three,10,\n\
            A-4,Bad day,Breads,3.00,10,Funday\n\
            a-1,Twice,Breads,3.00,10,\n";
        let errors = parse(text).unwrap_err();
        let named: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(
            named,
            [(3, "name"), (4, "price"), (5, "baked_on"), (6, "sku")]
        );
        assert!(errors[3].message.contains("also on row 2"), "{}", errors[3]);
        assert_eq!(
            errors[1].to_string(),
            "Row 4, price: Price: an amount like 4.50, not \"three\"."
        );
    }

    #[test]
    fn the_header_must_name_known_and_required_columns() {
        let e = parse("sku,name,price\nA,B,1\n").unwrap_err();
        assert!(
            e[0].message.contains("category, daily_capacity"),
            "{}",
            e[0]
        );
        let e = parse("sku,name,category,price,daily_capacity,colour\n").unwrap_err();
        assert!(
            e[0].message.contains("Unknown column \"colour\""),
            "{}",
            e[0]
        );
        let e = parse("sku,name,category,price,daily_capacity\n").unwrap_err();
        assert!(e[0].message.contains("no products"), "{}", e[0]);
    }

    #[test]
    fn an_export_reads_back_as_the_same_menu() {
        let rows = parse(SPREADSHEET).unwrap();
        let products: Vec<Product> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let v = r.form.validate().unwrap();
                Product {
                    id: i as i64,
                    sku: v.sku,
                    name: v.name,
                    description: v.description,
                    category: v.category,
                    price_cents: v.price_cents,
                    tax_rate_bp: v.tax_rate_bp,
                    daily_capacity: v.daily_capacity,
                    allergens: super::super::model::split_codes(&v.allergens),
                    dietary: super::super::model::split_codes(&v.dietary),
                    offered_weekdays: v.offered_weekdays,
                    lead_days: v.lead_days,
                    min_quantity: v.min_quantity,
                    max_quantity: v.max_quantity,
                    active: r.on_menu,
                    sort_order: i as i64,
                    orders: 0,
                    photo: None,
                }
            })
            .collect();
        for semicolon in [false, true] {
            let text = export(&products, semicolon).unwrap();
            assert!(text.starts_with('\u{feff}'));
            let again = parse(&text).unwrap();
            for (a, b) in rows.iter().zip(&again) {
                assert_eq!(a.form.validate().unwrap(), b.form.validate().unwrap());
                assert_eq!(a.on_menu, b.on_menu);
            }
        }
    }
}
