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
}
