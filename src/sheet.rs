//! Spreadsheet CSV, shared by every import and export (menu, customers, orders): a UTF-8 BOM
//! so Excel reads the accents, `,` or `;` (countries that write 3,50), columns found by name in
//! any order and case, every bad row named by the row number a spreadsheet shows. Quoting and
//! line breaks inside cells are the `csv` crate's business.
use serde::{Deserialize, Serialize};

/// A problem with one row (or the file: row 0), naming the column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            let row = crate::said::said_with(
                "refuse-row",
                &[
                    ("line", &self.line),
                    ("column", &self.column),
                    ("problem", &self.message),
                ],
            );
            f.write_str(&row)
        }
    }
}

impl RowError {
    pub fn at(line: u64, column: &str, message: impl Into<String>) -> RowError {
        RowError {
            line,
            column: column.into(),
            message: message.into(),
        }
    }

    /// A problem with the whole file.
    pub fn file(message: impl Into<String>) -> Vec<RowError> {
        vec![RowError::at(0, "", message)]
    }
}

/// One data row: its spreadsheet row number and its cells by column name.
pub struct SheetRow {
    pub line: u64,
    cells: Vec<(String, String)>,
}

impl SheetRow {
    /// The trimmed cell of `column` ("" when the file has no such column).
    pub fn get(&self, column: &str) -> String {
        self.cells
            .iter()
            .find(|(h, _)| h == column)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }
}

/// Reads a CSV file: the delimiter is taken from the header line; a BOM is skipped; headers
/// are matched case-insensitively (spaces as `_`) against `columns`, of which the first
/// `required` must be there. Blank rows are skipped. Unreadable rows are errors; the caller
/// checks the cells.
pub fn read(
    text: &str,
    columns: &[&str],
    required: usize,
) -> Result<(Vec<SheetRow>, Vec<RowError>), Vec<RowError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header = text.lines().next().unwrap_or("");
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match r.headers() {
        Ok(h) => h
            .iter()
            .map(|c| c.trim().to_lowercase().replace(' ', "_"))
            .collect(),
        Err(e) => {
            return Err(RowError::file(crate::said::said_with(
                "refuse-not-csv",
                &[("why", &e)],
            )))
        }
    };
    let unknown: Vec<&String> = headers
        .iter()
        .filter(|h| !h.is_empty() && !columns.contains(&h.as_str()))
        .collect();
    if !unknown.is_empty() {
        let unknown = unknown
            .iter()
            .map(|h| format!("{h:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(RowError::file(crate::said::said_with(
            "refuse-unknown-column",
            &[("unknown", &unknown), ("columns", &columns.join(", "))],
        )));
    }
    let missing: Vec<&str> = columns[..required]
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(RowError::file(crate::said::said_with(
            "refuse-header-needs",
            &[("columns", &missing.join(", "))],
        )));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in r.records() {
        let record = match record {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.record() + 1);
                errors.push(RowError::at(line, "", format!("unreadable: {e}")));
                continue;
            }
        };
        // The row number a spreadsheet shows (the header is row 1; a line break inside a
        // cell does not start a row).
        let line = record.position().map_or(0, |p| p.record() + 1);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        rows.push(SheetRow { line, cells });
    }
    Ok((rows, errors))
}

/// Writes `header` and `rows` as CSV with a UTF-8 BOM, `;`-separated when `semicolon`.
pub fn write(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
    semicolon: bool,
) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(if semicolon { b';' } else { b',' })
        .from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

/// A yes/no cell: yes, y, true, 1, sí/si; no, n, false, 0; empty is `default`.
pub fn yes_no(raw: &str, default: bool) -> Result<bool, String> {
    match raw.trim().to_lowercase().as_str() {
        "" => Ok(default),
        "yes" | "y" | "true" | "1" | "sí" | "si" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        other => Err(crate::said::said_with(
            "refuse-yes-no",
            &[("typed", &format!("{other:?}"))],
        )),
    }
}

/// The end of every import's reading: the good rows, or every problem in row order; a file
/// without a data row is a problem too (`noun`: the key of what the rows are, as
/// `refuse-rows-products`).
pub fn finish<T>(
    rows: Vec<T>,
    mut errors: Vec<RowError>,
    noun: &str,
) -> Result<Vec<T>, Vec<RowError>> {
    if rows.is_empty() && errors.is_empty() {
        return Err(RowError::file(crate::said::said_with(
            "refuse-no-rows",
            &[("rows", &crate::said::said(noun))],
        )));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// An import refused: every problem, one per line, on the `file` field.
pub fn refused(errors: &[RowError]) -> crate::error::AppError {
    crate::error::AppError::invalid(
        "file",
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}
