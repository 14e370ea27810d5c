//! Renders the engine's message ids in the caller's locale from Fluent catalogs (`locales/*.ftl`).
//!
//! Adding a language is adding its `.ftl` file and one entry to [`LOCALES`].

use crate::engine::diagnosis::{Arg, Text};
use chrono::{DateTime, Datelike as _, TimeDelta, Timelike as _, Utc};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use std::collections::HashMap;

/// How one locale writes things the catalogs do not.
struct LocaleDef {
    /// The tag reported back to callers.
    tag: &'static str,
    /// Lower-case tags (with `-`) that select this locale.
    aliases: &'static [&'static str],
    /// The catalog.
    source: &'static str,
    /// Between the items of a list.
    list_separator: &'static str,
    /// A moment (always UTC) to the minute: the text before the year, and after the year,
    /// month, day, hour and minute (see [`format_time`]).
    time_format: [&'static str; 6],
    /// Units of days, hours, minutes, seconds.
    units: [&'static str; 4],
}

/// The supported locales; the first is the fallback.
static LOCALES: &[LocaleDef] = &[
    LocaleDef {
        tag: "en",
        aliases: &["en", "en-us", "en-gb"],
        source: include_str!("../locales/en.ftl"),
        list_separator: "; ",
        time_format: ["", "-", "-", " ", ":", " UTC"],
        units: [" d", " h", " min", " s"],
    },
    LocaleDef {
        tag: "zh-CN",
        aliases: &["zh-cn", "zh", "zh-hans", "zh-hans-cn", "zh-sg"],
        source: include_str!("../locales/zh-CN.ftl"),
        list_separator: "；",
        time_format: ["", "年", "月", "日 ", ":", "（UTC）"],
        units: ["天", "小时", "分钟", "秒"],
    },
];

/// A supported locale, chosen with [`Catalog::negotiate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale(usize);

impl Locale {
    /// The fallback locale, English.
    pub const DEFAULT: Locale = Locale(0);

    /// The tag reported to callers, e.g. `zh-CN`.
    pub fn tag(self) -> &'static str {
        LOCALES[self.0].tag
    }
}

/// A catalog that cannot be loaded.
#[derive(Debug, thiserror::Error)]
#[error("message catalog {locale} is invalid: {message}")]
pub struct CatalogError {
    locale: &'static str,
    message: String,
}

/// The loaded catalogs of every supported locale.
pub struct Catalog {
    bundles: Vec<FluentBundle<FluentResource>>,
    /// Per locale, every message that takes no arguments, rendered once at load.
    plain: Vec<HashMap<String, String>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("locales", &LOCALES.len())
            .finish()
    }
}

impl Catalog {
    /// Parses every catalog.
    pub fn load() -> Result<Self, CatalogError> {
        let bundles: Vec<_> = LOCALES.iter().map(bundle).collect::<Result<_, _>>()?;
        let plain = Self::locales()
            .map(|locale| plain_messages(&bundles[locale.0], locale))
            .collect();
        Ok(Self { bundles, plain })
    }

    /// The locale for a requested tag (case-insensitive, `_` or `-`); unknown tags get English.
    pub fn negotiate(requested: &str) -> Locale {
        let wanted = requested.trim().replace('_', "-").to_ascii_lowercase();
        LOCALES
            .iter()
            .position(|l| l.aliases.contains(&wanted.as_str()))
            .map_or(Locale::DEFAULT, Locale)
    }

    /// Every supported locale.
    pub fn locales() -> impl Iterator<Item = Locale> {
        (0..LOCALES.len()).map(Locale)
    }

    /// Renders `text`; a missing message or argument is logged and rendered as best it can be.
    pub fn render(&self, locale: Locale, text: &Text) -> String {
        let mut errors = Vec::new();
        let out = self.render_into(locale, text, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(
                locale = locale.tag(),
                id = text.id,
                ?errors,
                "message rendered with errors"
            );
        }
        out
    }

    /// Renders `text`, or says what went wrong (for tests of the catalogs).
    pub fn try_render(&self, locale: Locale, text: &Text) -> Result<String, Vec<String>> {
        let mut errors = Vec::new();
        let out = self.render_into(locale, text, &mut errors);
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// The message ids a locale defines.
    pub fn message_ids(locale: Locale) -> Vec<String> {
        let resource =
            FluentResource::try_new(LOCALES[locale.0].source.to_owned()).unwrap_or_else(|(r, _)| r);
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    fn render_into(&self, locale: Locale, text: &Text, errors: &mut Vec<String>) -> String {
        if text.args.is_empty() {
            return self.format(locale, text.id, None, errors);
        }
        let def = &LOCALES[locale.0];
        let mut args = FluentArgs::with_capacity(text.args.len());
        for (name, arg) in &text.args {
            let value: FluentValue<'_> = match arg {
                Arg::Str(s) => s.as_str().into(),
                Arg::Num(n) => (*n).into(),
                Arg::Time(t) => format_time(def, *t).into(),
                Arg::Duration(d) => format_duration(def, *d).into(),
                Arg::Word { prefix, code } => self.word(locale, prefix, code, errors).into(),
                Arg::List(items) => {
                    let rendered: Vec<String> = items
                        .iter()
                        .map(|t| self.render_into(locale, t, errors))
                        .collect();
                    rendered.join(def.list_separator).into()
                }
            };
            args.set(*name, value);
        }
        self.format(locale, text.id, Some(&args), errors)
    }

    fn word(&self, locale: Locale, prefix: &str, code: &str, errors: &mut Vec<String>) -> String {
        self.format(locale, &format!("{prefix}-{code}"), None, errors)
    }

    /// Formats a message, falling back to English, then to the bare id.
    fn format(
        &self,
        locale: Locale,
        id: &str,
        args: Option<&FluentArgs<'_>>,
        errors: &mut Vec<String>,
    ) -> String {
        if args.is_none() {
            if let Some(rendered) = self.plain_message(locale, id) {
                return rendered.to_owned();
            }
        }
        let found = [locale, Locale::DEFAULT].into_iter().find_map(|l| {
            let bundle = &self.bundles[l.0];
            bundle
                .get_message(id)
                .and_then(|m| m.value())
                .map(|p| (bundle, p))
        });
        let Some((bundle, pattern)) = found else {
            errors.push(format!("unknown message {id}"));
            return id.to_owned();
        };
        let mut fluent_errors = Vec::new();
        let out = bundle
            .format_pattern(pattern, args, &mut fluent_errors)
            .into_owned();
        errors.extend(fluent_errors.into_iter().map(|e| format!("{id}: {e}")));
        out
    }
}

impl Catalog {
    /// A message without arguments as rendered at load: the locale's own, or, when the locale
    /// lacks the message, the default locale's.
    fn plain_message(&self, locale: Locale, id: &str) -> Option<&str> {
        match self.plain[locale.0].get(id) {
            Some(rendered) => Some(rendered),
            None if self.bundles[locale.0].has_message(id) => None,
            None => self.plain[Locale::DEFAULT.0].get(id).map(String::as_str),
        }
    }
}

/// Every message of `bundle` that renders without arguments and without errors.
fn plain_messages(
    bundle: &FluentBundle<FluentResource>,
    locale: Locale,
) -> HashMap<String, String> {
    Catalog::message_ids(locale)
        .into_iter()
        .filter_map(|id| {
            let pattern = bundle.get_message(&id)?.value()?;
            let mut errors = Vec::new();
            let rendered = bundle
                .format_pattern(pattern, None, &mut errors)
                .into_owned();
            errors.is_empty().then_some((id, rendered))
        })
        .collect()
}

fn bundle(def: &LocaleDef) -> Result<FluentBundle<FluentResource>, CatalogError> {
    let invalid = |message: String| CatalogError {
        locale: def.tag,
        message,
    };
    let langid = def.tag.parse().map_err(|e| invalid(format!("{e}")))?;
    let resource = FluentResource::try_new(def.source.to_owned())
        .map_err(|(_, errors)| invalid(format!("{errors:?}")))?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Isolation marks would leak U+2068/U+2069 into every message customers see.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errors| invalid(format!("{errors:?}")))?;
    Ok(bundle)
}

/// The two most significant units: `2 h 24 min`, `2小时24分钟`, `45 s`.
/// A moment to the minute, the locale's way: the text before the year, after the year, month,
/// day, hour and minute.
fn format_time(def: &LocaleDef, t: DateTime<Utc>) -> String {
    let [before, y, m, d, h, after] = def.time_format;
    format!(
        "{before}{:04}{y}{:02}{m}{:02}{d}{:02}{h}{:02}{after}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    )
}

fn format_duration(def: &LocaleDef, d: TimeDelta) -> String {
    let secs = d.num_seconds().unsigned_abs();
    let parts = [
        secs / 86_400,
        secs % 86_400 / 3_600,
        secs % 3_600 / 60,
        secs % 60,
    ];
    let first = parts.iter().position(|&n| n > 0).unwrap_or(3);
    let joiner = if def.units[0].starts_with(' ') {
        " "
    } else {
        ""
    };
    parts[first..]
        .iter()
        .zip(&def.units[first..])
        .take(2)
        .filter(|(n, _)| **n > 0 || first == 3)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect::<Vec<_>>()
        .join(joiner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_tags_are_matched_loosely_and_unknown_ones_fall_back_to_english() {
        assert_eq!(Catalog::negotiate("zh_CN").tag(), "zh-CN");
        assert_eq!(Catalog::negotiate("ZH-Hans").tag(), "zh-CN");
        assert_eq!(Catalog::negotiate("zh-TW").tag(), "en");
        assert_eq!(Catalog::negotiate("").tag(), "en");
        assert_eq!(Catalog::negotiate("fr").tag(), "en");
    }

    #[test]
    fn moments_are_written_to_the_minute_the_locales_way() {
        let t: DateTime<Utc> = "2026-03-04T05:06:59.9Z".parse().unwrap();
        assert_eq!(format_time(&LOCALES[0], t), "2026-03-04 05:06 UTC");
        assert_eq!(format_time(&LOCALES[1], t), "2026年03月04日 05:06（UTC）");
        // Exactly what the strftime formats "%Y-%m-%d %H:%M UTC" and
        // "%Y年%m月%d日 %H:%M（UTC）" give, for any moment.
        for secs in [0_i64, 1_700_000_000, 253_402_300_799, -62_135_596_800] {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            assert_eq!(
                format_time(&LOCALES[0], t),
                t.format("%Y-%m-%d %H:%M UTC").to_string()
            );
            assert_eq!(
                format_time(&LOCALES[1], t),
                t.format("%Y年%m月%d日 %H:%M（UTC）").to_string()
            );
        }
    }

    #[test]
    fn durations_show_the_two_most_significant_units() {
        let en = &LOCALES[0];
        let zh = &LOCALES[1];
        assert_eq!(format_duration(en, TimeDelta::seconds(8_640)), "2 h 24 min");
        assert_eq!(format_duration(en, TimeDelta::seconds(45)), "45 s");
        assert_eq!(format_duration(en, TimeDelta::zero()), "0 s");
        assert_eq!(format_duration(en, TimeDelta::days(3)), "3 d");
        assert_eq!(
            format_duration(zh, TimeDelta::seconds(8_640)),
            "2小时24分钟"
        );
    }

    #[test]
    fn every_locale_defines_the_same_messages() {
        let english = Catalog::message_ids(Locale::DEFAULT);
        assert!(
            english.len() > 50,
            "catalog looks truncated: {} ids",
            english.len()
        );
        for locale in Catalog::locales() {
            let mut ids = Catalog::message_ids(locale);
            let mut expected = english.clone();
            ids.sort();
            expected.sort();
            assert_eq!(ids, expected, "{} differs from en", locale.tag());
        }
    }
}
