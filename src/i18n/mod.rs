//! Hearth's languages. Each is one Fluent file, `locales/<code>/hearth.ftl`, compiled into the
//! server by fluent-templates (plurals and selectors by Fluent's rules; day and month names by
//! chrono's locales); adding a language is adding its file. The messages stay on the server:
//! what the browser shows in a language arrives rendered or in a page's data, so the
//! WebAssembly client carries none of them.
use std::borrow::Cow;
use std::collections::HashMap;

pub use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Plain text out: no Unicode isolation marks around the arguments.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

tokio::task_local! {
    /// Who reads what the server is working out now (see `crate::said`).
    static READER: Lang;
}

/// Runs `work` for a reader of `lang`: what it refuses is worded in that language.
pub async fn reading<F: std::future::Future>(lang: Lang, work: F) -> F::Output {
    READER.scope(lang, work).await
}

/// The language of whoever reads what the server is working out now; English when no entry
/// point said (workers, the command line).
pub fn reader() -> Lang {
    READER
        .try_with(Lang::clone)
        .unwrap_or_else(|_| Lang::english())
}

/// A language Hearth speaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lang(LanguageIdentifier);

impl Lang {
    /// English, the language every message is written in first.
    pub fn english() -> Lang {
        Lang(fluent_templates::langid!("en"))
    }

    /// The language with this code ("es"), when Hearth speaks it.
    pub fn parse(code: &str) -> Option<Lang> {
        let id: LanguageIdentifier = code.trim().parse().ok()?;
        LOCALES
            .locales()
            .find(|l| **l == id)
            .map(|l| Lang(l.clone()))
    }

    /// The first of `wanted` that Hearth speaks (an order's, then the business's), else English.
    pub fn pick(wanted: &[Option<&str>]) -> Lang {
        wanted
            .iter()
            .flatten()
            .find_map(|c| Lang::parse(c))
            .unwrap_or_else(Lang::english)
    }

    /// Its code, as stored and as the API takes it ("en", "es").
    pub fn code(&self) -> String {
        self.0.to_string()
    }

    /// Message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.0, key)
    }

    /// Message `key` with its arguments, e.g. `[("count", 3.into())]`.
    pub fn t_with(&self, key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Owned(k.to_string()), v.clone()))
            .collect();
        LOCALES.lookup_with_args(&self.0, key, &args)
    }

    /// A number with `decimals` places, as this language writes it: "30.7", "30,7".
    pub fn number(&self, x: f64, decimals: usize) -> String {
        crate::words::plain_number(x, decimals).replace('.', &self.t("number-decimal"))
    }

    /// A day written "YYYY-MM-DD", as the message `pattern_key` says; anything else as it came.
    pub fn day(&self, day: &str, pattern_key: &str) -> String {
        match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            Ok(d) => words(self).date(&d, &self.t(pattern_key)),
            Err(_) => day.to_string(),
        }
    }

    /// A day in full: "Friday 4 December", "viernes 4 de diciembre".
    pub fn date_long(&self, day: chrono::NaiveDate) -> String {
        let words = words(self);
        words.date(&day, &self.t("date-long"))
    }

    /// A moment on another day than today: "Mon 30 Nov, 14:05", "lun 30 nov, 14:05".
    pub fn date_time(&self, at: chrono::DateTime<chrono_tz::Tz>) -> String {
        let words = words(self);
        words.date(&at.naive_local(), &self.t("date-time-other-day"))
    }

    /// An amount the way this language writes it: "€1,234.50", "1.234,50 €".
    pub fn money(&self, cents: i64, currency: &str) -> String {
        words(self).money(cents, currency)
    }

    /// The first language of an `Accept-Language` header ("es-ES;q=0.9" as "es") that Hearth
    /// speaks, else `fallback`'s (the bakery's), else English.
    pub fn from_accept_language(header: Option<&str>, fallback: &str) -> Lang {
        let asked: Vec<String> = header
            .unwrap_or_default()
            .split(',')
            .filter_map(|tag| tag.split(';').next())
            .map(str::trim)
            .filter(|tag| !tag.is_empty() && *tag != "*")
            .flat_map(|tag| {
                let primary = tag.split('-').next().unwrap_or(tag);
                [tag.to_string(), primary.to_string()]
            })
            .collect();
        let wanted: Vec<Option<&str>> = asked
            .iter()
            .map(|c| Some(c.as_str()))
            .chain([Some(fallback)])
            .collect();
        Lang::pick(&wanted)
    }

    /// The codes of every language Hearth speaks, English first ("en, es" in messages).
    pub fn codes() -> Vec<String> {
        Lang::all().into_iter().map(|(code, _)| code).collect()
    }

    /// Every language Hearth speaks, as (code, its own name), English first.
    pub fn all() -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = LOCALES
            .locales()
            .map(|l| {
                let lang = Lang(l.clone());
                (lang.code(), lang.t("language-name"))
            })
            .collect();
        all.sort_by_key(|(code, _)| (code != "en", code.clone()));
        all
    }
}

/// The English file, read for its message ids and each message's arguments.
const ENGLISH_FTL: &str = include_str!("../../locales/en/hearth.ftl");

/// Every message id with the names of the arguments its English text uses.
fn message_arguments() -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in ENGLISH_FTL.lines() {
        if line.starts_with(|c: char| c.is_ascii_lowercase()) {
            if let Some((id, _)) = line.split_once('=') {
                out.push((id.trim().to_string(), Vec::new()));
            }
        }
        if let Some((_, args)) = out.last_mut() {
            for (at, _) in line.match_indices('$') {
                let name: String = line[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if !name.is_empty() && !args.contains(&name) {
                    args.push(name);
                }
            }
        }
    }
    out
}

/// Messages only the server words: refusals (`crate::said`) and the lines of an order's
/// history (`orders::history`). Pages never carry them.
fn server_only(id: &str) -> bool {
    id.starts_with("refuse-") || id.starts_with("history-")
}

/// A language's words for the pages the browser draws (`crate::words`): every message as
/// plain text, its arguments left as `{name}` for the page to fill in. Made once per language.
pub fn words(lang: &Lang) -> crate::words::Words {
    static ALL: std::sync::OnceLock<HashMap<String, crate::words::Words>> =
        std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| {
        // What the server says when it refuses (`crate::said`) never reaches a page's words.
        let messages: Vec<_> = message_arguments()
            .into_iter()
            .filter(|(id, _)| !server_only(id))
            .collect();
        LOCALES
            .locales()
            .map(|l| {
                let lang = Lang(l.clone());
                let texts = messages
                    .iter()
                    .map(|(id, args)| {
                        let placeholders: Vec<(&str, FluentValue<'static>)> = args
                            .iter()
                            .map(|a| (a.as_str(), FluentValue::from(format!("{{{a}}}"))))
                            .collect();
                        (id.clone(), lang.t_with(id, &placeholders))
                    })
                    .collect();
                (lang.code(), crate::words::Words::new(lang.code(), texts))
            })
            .collect()
    });
    all.get(&lang.code()).cloned().unwrap_or_default()
}

/// The families of messages (a message id up to its first `-`) that the pages a driver can
/// open use: their run and its stops, the run's sheet, their account with two-factor sign-in,
/// the shell around them (menu, error notices, "not found"). `reach` proves the list right,
/// every family those pages' code asks for and no other, by walking that code.
pub const DRIVER_FAMILIES: &[&str] = &[
    "account",
    "alert",
    "allergies",
    "audit",
    "close",
    "csv",
    "days",
    "delivery",
    "district",
    "driver",
    "error",
    "fail",
    "fulfilment",
    "language",
    "logo",
    "money",
    "months",
    "nav",
    "not",
    "note",
    "number",
    "ok",
    "pickup",
    "pin",
    "role",
    "save",
    "sheet",
    "status",
    "tfa",
    "total",
];

/// A driver's words (in `get_me`'s answer, so in every page's data): only the families of
/// `DRIVER_FAMILIES`, 213 of the 1,489 page messages (9 KB of JSON in English against
/// everyone's 67 KB; issue 17). The owner and the kitchen open every page and get `words`.
pub fn drivers_words(lang: &Lang) -> crate::words::Words {
    static DRIVERS: std::sync::OnceLock<HashMap<String, crate::words::Words>> =
        std::sync::OnceLock::new();
    let drivers = DRIVERS.get_or_init(|| {
        LOCALES
            .locales()
            .map(|l| {
                let all = words(&Lang(l.clone()));
                (
                    all.lang.clone(),
                    all.only(|id| DRIVER_FAMILIES.contains(&family(id))),
                )
            })
            .collect()
    });
    drivers.get(&lang.code()).cloned().unwrap_or_default()
}

/// A message's family: its id up to the first dash (`driver-call` → `driver`).
fn family(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

#[cfg(test)]
mod reach;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The message ids of one language's file.
    fn ids(code: &str) -> BTreeSet<String> {
        let path = format!("{}/locales/{code}/hearth.ftl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        text.lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    /// A message defined twice in a file stops Fluent loading the language at all.
    #[test]
    fn no_file_defines_a_message_twice() {
        // Read from the folder, not through Fluent, which would panic before saying which.
        let locales = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
        for dir in std::fs::read_dir(locales).unwrap().flatten() {
            let code = dir.file_name().to_string_lossy().to_string();
            let text = std::fs::read_to_string(dir.path().join("hearth.ftl")).unwrap();
            let mut seen = BTreeSet::new();
            let twice: Vec<&str> = text
                .lines()
                .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
                .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
                .filter(|k| !seen.insert(*k))
                .collect();
            assert!(twice.is_empty(), "{code} defines these twice: {twice:?}");
        }
    }

    /// Every signed-in page carries its reader's words: written in key order, so the same
    /// page is the same bytes each time and related messages sit together for compression.
    #[test]
    fn a_page_carries_the_words_in_key_order() {
        for (code, _) in Lang::all() {
            let words = words(&Lang::pick(&[Some(code.as_str())]));
            let text = serde_json::to_string(&words).unwrap();
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            let mut keys: Vec<&String> = json["messages"].as_object().unwrap().keys().collect();
            assert!(keys.len() > 1000, "{code}: {} messages", keys.len());
            keys.sort();
            // Where each key is written in the text, in sorted order: always further on.
            let at: Vec<usize> = keys
                .iter()
                .map(|k| text.find(&format!("\"{k}\":")).unwrap())
                .collect();
            assert!(
                at.windows(2).all(|w| w[0] < w[1]),
                "{code}: not in key order"
            );
        }
    }

    /// Pages index the day names by weekday (`words::day_names`) and dates take month names by
    /// month: each language has exactly seven and twelve.
    #[test]
    fn every_language_names_seven_days_and_twelve_months() {
        for (code, _) in Lang::all() {
            let lang = Lang::parse(&code).unwrap();
            for (key, n) in [
                ("days-long", 7),
                ("days-short", 7),
                ("months-long", 12),
                ("months-short", 12),
            ] {
                let names = lang.t(key);
                assert_eq!(names.split_whitespace().count(), n, "{code} {key}: {names}");
            }
        }
    }

    #[test]
    fn every_language_has_every_message_and_no_other() {
        let english = ids("en");
        assert!(english.len() > 20, "{english:?}");
        for (code, _) in Lang::all() {
            let theirs = ids(&code);
            let missing: Vec<_> = english.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&english).collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{code} has messages English lacks: {extra:?}"
            );
        }
    }

    /// Every key the code asks for by a literal (`t`/`t_with` on the server, `tr`/`tr_with`
    /// in components) is in English, hence (by
    /// the test above) in every language; keys built at run time are checked by their callers'
    /// tests (status names: tracker::api).
    #[test]
    fn every_key_the_code_uses_exists() {
        let english = ids("en");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                // `lang.t` and `t_with` on the server, `tr` and `tr_with` in components (not
                // `attr`); the key of `tr_count` needs its `-one` and `-other` forms.
                for (at, _) in text.match_indices("tr_count(\"") {
                    let rest = &text[at + "tr_count(\"".len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    for form in ["one", "other"] {
                        if !english.contains(&format!("{key}-{form}")) {
                            missing.push(format!("{}: {key}-{form}", path.display()));
                        }
                    }
                }
                for pattern in [
                    ".t(\"",
                    ".t_with(\"",
                    "tr(\"",
                    "tr_with(\"",
                    "said(\"",
                    "said_with(\"",
                    "said_count(\"",
                ] {
                    for (at, _) in text.match_indices(pattern) {
                        let before = text[..at].chars().next_back().unwrap_or(' ');
                        if (pattern.starts_with("tr") || pattern.starts_with("said"))
                            && (before.is_alphanumeric() || before == '_' || before == '.')
                        {
                            continue;
                        }
                        let rest = &text[at + pattern.len()..];
                        let key = &rest[..rest.find('"').unwrap()];
                        if !english.contains(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys with no message: {missing:?}");
    }

    /// Keys the code builds at run time: roles, statuses, the reasons a delivery failed, the
    /// steps before going live.
    #[test]
    fn keys_built_at_run_time_exist() {
        let english = ids("en");
        let mut wanted: Vec<String> = crate::auth::Role::ALL
            .iter()
            .map(|r| format!("role-{}", r.as_str()))
            .collect();
        wanted.extend(
            crate::orders::model::OrderStatus::ALL
                .iter()
                .map(|s| format!("status-{}", s.as_str())),
        );
        for kind in ["created", "cancelled", "updated", "status"] {
            wanted.push(format!("email-{kind}-subject"));
            wanted.push(format!("email-{kind}-line"));
        }
        #[cfg(feature = "ssr")]
        wanted.push(crate::auth::session::ENROL_FIRST.to_string());
        wanted.extend(
            crate::audit::KINDS
                .iter()
                .map(|(label, _)| label.to_string()),
        );
        let tags = crate::menu::model::ALLERGENS
            .iter()
            .chain(&crate::menu::model::DIETARY);
        wanted.extend(tags.map(|(code, _)| format!("tag-{code}")));
        for key in ["logo", "menu-photo"] {
            wanted.extend(crate::ui::picture::PictureWords::keys(key));
        }
        for step in crate::dashboard::ready::steps(Default::default()) {
            wanted.extend([step.label, step.hint]);
        }
        wanted.extend(
            crate::customers::Channel::ALL
                .iter()
                .map(|c| format!("channel-{}", c.code())),
        );
        for kind in crate::alerts::KINDS {
            wanted.push(format!("alert-{kind}"));
            wanted.push(format!("alerts-kind-{kind}"));
        }
        wanted.extend(
            crate::kitchen::WASTE_REASONS
                .iter()
                .map(|r| format!("waste-reason-{r}")),
        );
        for sheet in crate::kitchen::csv::SHEETS {
            wanted.push(format!("kitchen-csv-{sheet}"));
            wanted.push(format!("kitchen-csv-import-{sheet}"));
            wanted.push(format!("kitchen-csv-preview-{sheet}"));
            wanted.push(format!("kitchen-csv-import-{sheet}-n-one"));
            wanted.push(format!("kitchen-csv-import-{sheet}-n-other"));
        }
        wanted.extend(
            crate::planning::model::PAYMENTS
                .iter()
                .map(|p| format!("planning-pay-{p}")),
        );
        let reasons = crate::driver::actions::FAIL_REASONS.len();
        wanted.extend((1..=reasons).map(|i| format!("fail-reason-{i}")));
        let missing: Vec<_> = wanted.iter().filter(|k| !english.contains(*k)).collect();
        assert!(missing.is_empty(), "{missing:?}");
        assert!(!english.contains(&format!("fail-reason-{}", reasons + 1)));
    }

    /// The words a page gets: every message but the server's refusals, arguments left for the
    /// page, names and money in the language.
    #[test]
    fn the_words_for_pages_are_every_message_with_its_arguments_open() {
        let es = words(&Lang::parse("es").unwrap());
        assert_eq!(es.lang, "es");
        assert_eq!(
            es.with(
                "driver-stop",
                &[("index", "2".into()), ("name", "Ana".into())]
            ),
            "Parada 2, Ana"
        );
        assert_eq!(es.money(3400, "EUR"), "34,00 €");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        assert_eq!(es.date(&day, &es.get("date-long")), "sábado 5 de diciembre");
        let en = words(&Lang::english());
        assert_eq!(
            en.date(&day, &en.get("date-time-other-day").replace(", %H:%M", "")),
            "Sat 5 Dec"
        );
        for id in ids("en") {
            if server_only(&id) {
                assert_eq!(
                    en.get(&id),
                    id,
                    "{id} is the server's: pages don't carry it"
                );
                continue;
            }
            assert_ne!(en.get(&id), id, "{id} has no English words");
            assert!(!es.get(&id).contains('$'), "{id}: {}", es.get(&id));
        }
    }

    #[test]
    fn plurals_dates_and_money_follow_the_language() {
        let en = Lang::english();
        let es = Lang::parse("es").expect("Spanish");
        assert_eq!(Lang::parse("xx"), None);
        assert_eq!(Lang::pick(&[None, Some("es")]), es);
        assert_eq!(Lang::pick(&[Some("xx"), None]), en);
        let stops = |l: &Lang, n: i64| l.t_with("tracker-stops-before", &[("count", n.into())]);
        assert_eq!(stops(&en, 0), "You're the next stop.");
        assert_eq!(stops(&en, 1), "1 stop before yours.");
        assert_eq!(stops(&en, 4), "4 stops before yours.");
        assert_eq!(stops(&es, 1), "Hay 1 parada antes de la tuya.");
        assert_eq!(stops(&es, 4), "Hay 4 paradas antes de la tuya.");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(en.date_long(day), "Friday 4 December");
        assert_eq!(es.date_long(day), "viernes 4 de diciembre");
        assert_eq!(en.money(123450, "EUR"), "€1,234.50");
        assert_eq!(es.money(123450, "EUR"), "1.234,50 €");
        assert_eq!(es.money(1000, "CHF"), "10,00 CHF");
        // English money is written as everywhere else in Hearth, a negative sign first.
        assert_eq!(
            en.money(-990, "EUR"),
            crate::money::format_cents(-990, "EUR")
        );
        assert_eq!(es.money(-990, "EUR"), "-9,90 €");
        assert_eq!(
            Lang::all(),
            vec![
                ("en".into(), "English".into()),
                ("es".into(), "Español".into())
            ]
        );
    }
}
