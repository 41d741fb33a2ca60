//! Text as people read it. Text that goes where a library expects HTML (Leaflet's tooltips and popups take strings as
//! markup): user-supplied text is escaped first, so a name is never run as HTML.

/// `s` with `& < > " '` written as entities.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// "Tue 8 Dec 2026" for an ISO day (as is, if it is not one): days as people read them.
pub fn long_date(day: &str) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.format("%a %-d %b %Y").to_string())
        .unwrap_or_else(|_| day.to_string())
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn markup_in_names_stays_text() {
        assert_eq!(
            escape_html(r#"<img src=x onerror="alert(1)">Ana & 'Bea'"#),
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Ana &amp; &#39;Bea&#39;"
        );
        assert_eq!(escape_html("Calle Mayor 5, 3ºA"), "Calle Mayor 5, 3ºA");
    }

    #[test]
    fn days_read_as_words() {
        assert_eq!(super::long_date("2026-12-08"), "Tue 8 Dec 2026");
        assert_eq!(super::long_date("soon"), "soon");
    }
}
