//! The words of the signed-in person's language, for the pages both the server and the
//! browser draw. The server renders them from the Fluent files (`crate::i18n`) and sends them
//! with who is signed in (`get_me`), so the WebAssembly carries no translations and no Fluent:
//! a message here is plain text whose arguments are written `{name}`; messages that depend on
//! a number's plural form are worded by the server (`Lang::t_with`) where the number is known.
//!
//! In a component: `tr("nav-orders")`, `tr_with("driver-collect", &[("amount", a)])`,
//! `money(cents, currency)`. Outside a signed-in page (no words provided) they fall back to
//! English's, which every test of the code's keys checks exist.
use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One language's messages, by key, with the codes that say how it writes numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Words {
    /// The language's code ("en", "es"), for `lang` attributes.
    pub lang: String,
    /// In key order: a page carries them (in `get_me`'s answer), and neighbours such as
    /// `driver-…` next to `driver-…` compress better than a hash map's random order (2.4 KB
    /// less of a driver's first visit, brotli).
    messages: Arc<BTreeMap<String, String>>,
}

impl Words {
    /// Words from (key, text) pairs; arguments in the texts are written `{name}`.
    pub fn new(lang: String, messages: BTreeMap<String, String>) -> Words {
        Words {
            lang,
            messages: Arc::new(messages),
        }
    }

    /// The same language with only the messages whose id `keep` keeps.
    pub fn only(&self, keep: impl Fn(&str) -> bool) -> Words {
        let kept = self.messages.iter().filter(|(id, _)| keep(id));
        Words::new(
            self.lang.clone(),
            kept.map(|(id, text)| (id.clone(), text.clone())).collect(),
        )
    }

    /// The message `key`, or the key itself when this language has none (a missing key is
    /// a test failure, never a blank on screen).
    pub fn get(&self, key: &str) -> String {
        self.messages
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The message `key` with each `{name}` replaced by its value.
    pub fn with(&self, key: &str, args: &[(&str, String)]) -> String {
        args.iter().fold(self.get(key), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
    }

    /// A number with `decimals` places as this language writes it: "30.7", "30,7".
    pub fn number(&self, x: f64, decimals: usize) -> String {
        let decimal = self
            .messages
            .get("number-decimal")
            .map_or(".", |d| d.as_str());
        plain_number(x, decimals).replace('.', decimal)
    }

    /// An amount as this language writes it: "€1,234.50", "1.234,50 €".
    pub fn money(&self, cents: i64, currency: &str) -> String {
        if self.messages.is_empty() {
            return crate::money::format_cents(cents, currency);
        }
        let sign = if cents < 0 { "-" } else { "" };
        let amount = crate::money::amount(
            cents,
            &self.get("number-group"),
            &self.get("number-decimal"),
        );
        let written = match crate::money::symbol(currency) {
            "" => self.with(
                "money-code",
                &[("amount", amount), ("code", currency.to_string())],
            ),
            symbol => self.with(
                "money",
                &[("amount", amount), ("symbol", symbol.to_string())],
            ),
        };
        format!("{sign}{written}")
    }

    /// A date or time in this language: `pattern` is chrono's (`%A %-d %B`), day and month
    /// names come from the messages `days-long`, `days-short`, `months-long`, `months-short`
    /// (space-separated, Monday and January first), so no locale data ships to the browser.
    pub fn date<T: chrono::Datelike + DateFormat>(&self, at: &T, pattern: &str) -> String {
        let name = |key: &str, i: usize| -> String {
            self.get(key)
                .split_whitespace()
                .nth(i)
                .unwrap_or_default()
                .to_string()
        };
        let weekday = at.weekday().num_days_from_monday() as usize;
        let month = at.month0() as usize;
        let pattern = pattern
            .replace("%A", &name("days-long", weekday))
            .replace("%a", &name("days-short", weekday))
            .replace("%B", &name("months-long", month))
            .replace("%b", &name("months-short", month));
        at.format_with(&pattern)
    }
}

/// What `Words::date` formats: dates and dates with times.
pub trait DateFormat {
    /// chrono's formatting of everything but names.
    fn format_with(&self, pattern: &str) -> String;
}

impl DateFormat for chrono::NaiveDate {
    fn format_with(&self, pattern: &str) -> String {
        self.format(pattern).to_string()
    }
}

impl DateFormat for chrono::NaiveDateTime {
    fn format_with(&self, pattern: &str) -> String {
        self.format(pattern).to_string()
    }
}

/// A day in the signed-in person's language, written as the message `pattern_key` says
/// ("date-long": "Friday 4 December", "viernes 4 de diciembre").
pub fn date(day: chrono::NaiveDate, pattern_key: &str) -> String {
    let w = shown();
    w.date(&day, &w.get(pattern_key))
}

/// A day written "YYYY-MM-DD" in the signed-in person's language (see `date`); anything else
/// is shown as it came.
pub fn day(day: &str, pattern_key: &str) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| date(d, pattern_key))
        .unwrap_or_else(|_| day.to_string())
}

/// The seven day names of message `key` ("days-short", "days-long"), Monday first, in the
/// signed-in person's language (every language has seven: `i18n`'s tests check it).
pub fn day_names(key: &str) -> [String; 7] {
    let names = tr(key);
    let mut names = names.split_whitespace();
    std::array::from_fn(|_| names.next().unwrap_or_default().to_string())
}

/// Short names of the weekdays set in `mask` (bit 0 Monday): "lun, mié, vie".
pub fn weekdays(mask: u8) -> String {
    let days: Vec<String> = day_names("days-short")
        .into_iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, d)| d)
        .collect();
    if days.is_empty() {
        tr("not-served")
    } else {
        days.join(", ")
    }
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// In the browser, the words last provided: what handlers that run outside any component
    /// (a server-sent event, a timer) speak in.
    static SHOWN: std::cell::RefCell<Option<Words>> = const { std::cell::RefCell::new(None) };
}

/// Makes `words` the ones every component below (and, in the browser, every handler) uses.
pub fn provide(words: Words) {
    #[cfg(feature = "hydrate")]
    SHOWN.with(|w| *w.borrow_mut() = Some(words.clone()));
    provide_context(words);
}

/// Makes a visitor's `words` (a page no one signed in to) the page's, like `provide`, and
/// returns their language's code for the page's `lang` ("en" when none came).
pub fn provide_for_visitor(words: Words) -> String {
    let lang = if words.lang.is_empty() {
        "en".to_string()
    } else {
        words.lang.clone()
    };
    provide(words);
    lang
}

/// The words provided for this page (the signed-in person's language), if any.
pub fn words() -> Option<Words> {
    let here = use_context::<Words>();
    #[cfg(feature = "hydrate")]
    let here = here.or_else(|| SHOWN.with(|w| w.borrow().clone()));
    here
}

/// The words provided for this page, else English's.
fn shown() -> Words {
    words().unwrap_or_else(english_words)
}

/// Message `key` in the signed-in person's language.
pub fn tr(key: &str) -> String {
    shown().get(key)
}

/// Message `key` with its `{name}` arguments.
pub fn tr_with(key: &str, args: &[(&str, String)]) -> String {
    shown().with(key, args)
}

/// A message about `n` things: `{key}-one` when n is 1, else `{key}-other`, with `{count}`.
/// (English and Spanish have these two forms for whole numbers; a language with more adds
/// its forms and its rule here.)
pub fn tr_count(key: &str, n: usize) -> String {
    let form = if n == 1 { "one" } else { "other" };
    tr_with(&format!("{key}-{form}"), &[("count", n.to_string())])
}

/// A number with `decimals` places in the signed-in person's language ("30,7").
pub fn number(x: f64, decimals: usize) -> String {
    shown().number(x, decimals)
}

/// `x` with `decimals` places and a point, never "-0.0" (an empty sum of floats is -0.0).
pub fn plain_number(x: f64, decimals: usize) -> String {
    let x = if x.abs() < 0.5 / 10f64.powi(decimals as i32) {
        0.0
    } else {
        x
    };
    format!("{x:.decimals$}")
}

/// An amount of money in the signed-in person's language ("1.234,50 €").
pub fn money(cents: i64, currency: &str) -> String {
    shown().money(cents, currency)
}

/// Short weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Short English names of the served days, e.g. "Mon, Wed, Fri" (the API's and the
/// spreadsheets' way; pages word them with `days-short`).
pub fn weekday_summary(mask: u8) -> String {
    let days: Vec<&str> = (0..7)
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| WEEKDAYS[i])
        .collect();
    if days.is_empty() {
        "Not served".into()
    } else {
        days.join(", ")
    }
}

/// English's words, where none were provided: on the server, from the Fluent files; in the
/// browser (a page always has words there) none, so a key shows as itself.
fn english_words() -> Words {
    #[cfg(feature = "ssr")]
    {
        crate::i18n::words(&crate::i18n::Lang::english())
    }
    #[cfg(not(feature = "ssr"))]
    {
        Words::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_reads_as_words_and_anything_else_as_it_came() {
        // Outside a page: English words ("Tue 8 Dec 2026" in the planning map's tooltips).
        assert_eq!(day("2026-12-08", "date-short-year"), "Tue 8 Dec 2026");
        assert_eq!(day("soon", "date-short-year"), "soon");
    }

    #[test]
    fn arguments_and_money_follow_the_words() {
        let es = Words::new(
            "es".into(),
            BTreeMap::from([
                ("greet".to_string(), "Hola, {name}: {name}".to_string()),
                ("number-group".to_string(), ".".to_string()),
                ("number-decimal".to_string(), ",".to_string()),
                ("money".to_string(), "{amount} {symbol}".to_string()),
                ("money-code".to_string(), "{amount} {code}".to_string()),
            ]),
        );
        assert_eq!(
            es.with("greet", &[("name", "Ana".into())]),
            "Hola, Ana: Ana"
        );
        assert_eq!(es.get("nothing-here"), "nothing-here");
        assert_eq!(es.money(123450, "EUR"), "1.234,50 €");
        assert_eq!(es.money(-990, "CHF"), "-9,90 CHF");
        assert_eq!(Words::default().money(123450, "EUR"), "€1,234.50");
        assert_eq!(es.number(30.66, 1), "30,7");
        // An empty day's kilometres (a sum of no floats is -0.0) read 0,0, not -0,0.
        assert_eq!(es.number(-0.0, 1), "0,0");
        assert_eq!(es.number(-0.04, 1), "0,0");
        assert_eq!(es.number(-1.25, 1), "-1,2");
        assert_eq!(
            Words::default().number(std::iter::empty::<f64>().sum(), 1),
            "0.0"
        );
    }
}
