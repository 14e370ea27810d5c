//! Renders the engine's message ids in the caller's locale from Fluent catalogs (`locales/*.ftl`).
//!
//! Adding a language is adding its `.ftl` file and one entry to `LOCALES`.

mod template;

use crate::engine::diagnosis::{Arg, Text};
use chrono::{DateTime, Datelike as _, TimeDelta, Timelike as _, Utc};
use chrono_tz::Tz;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use std::{borrow::Cow, fmt::Write as _};
use template::{Template, Value};

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
    /// After a moment shown in Beijing time (Asia/Shanghai).
    beijing_time: &'static str,
    /// After a moment shown in another zone: `{}` is its UTC offset, e.g. `+02:00`.
    offset_format: &'static str,
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
        beijing_time: " (Beijing time)",
        offset_format: " (UTC{})",
    },
    LocaleDef {
        tag: "zh-CN",
        aliases: &["zh-cn", "zh", "zh-hans", "zh-hans-cn", "zh-sg"],
        source: include_str!("../locales/zh-CN.ftl"),
        list_separator: "；",
        time_format: ["", "年", "月", "日 ", ":", "（UTC）"],
        units: ["天", "小时", "分钟", "秒"],
        beijing_time: "（北京时间）",
        offset_format: "（UTC{}）",
    },
];

/// A supported locale, chosen with [`Catalog::negotiate`], and the time zone its reader's
/// moments are shown in (UTC unless [`Locale::in_zone`] says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    index: usize,
    zone: Tz,
}

impl Locale {
    /// The fallback locale, English, in UTC.
    pub const DEFAULT: Locale = Locale::at(0);

    const fn at(index: usize) -> Self {
        Self {
            index,
            zone: Tz::UTC,
        }
    }

    /// The tag reported to callers, e.g. `zh-CN`.
    pub fn tag(self) -> &'static str {
        LOCALES[self.index].tag
    }

    /// The lower-case tags (with `-`) that select this locale, its own among them.
    pub fn aliases(self) -> &'static [&'static str] {
        LOCALES[self.index].aliases
    }

    /// This locale, showing moments in `zone`.
    pub fn in_zone(self, zone: Tz) -> Self {
        Self { zone, ..self }
    }

    /// The time zone moments are shown in.
    pub fn zone(self) -> Tz {
        self.zone
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
    /// Per locale, every message that has a value, compiled to a [`Template`] where its shape
    /// allows (`None`: only Fluent renders it).
    messages: Vec<foldhash::HashMap<String, Option<Template>>>,
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
        let messages = Self::locales()
            .map(|locale| compile(&bundles[locale.index], locale))
            .collect();
        Ok(Self { bundles, messages })
    }

    /// The locale for a requested tag (case-insensitive, `_` or `-`); unknown tags get English.
    pub fn negotiate(requested: &str) -> Locale {
        Self::find(requested).unwrap_or(Locale::DEFAULT)
    }

    /// The locale a tag selects (case-insensitive, `_` or `-`), if any.
    pub fn find(requested: &str) -> Option<Locale> {
        let wanted = requested.trim().replace('_', "-").to_ascii_lowercase();
        LOCALES
            .iter()
            .position(|l| l.aliases.contains(&wanted.as_str()))
            .map(Locale::at)
    }

    /// Every supported locale.
    pub fn locales() -> impl Iterator<Item = Locale> {
        (0..LOCALES.len()).map(Locale::at)
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
        let resource = FluentResource::try_new(LOCALES[locale.index].source.to_owned())
            .unwrap_or_else(|(r, _)| r);
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    fn render_into(&self, locale: Locale, text: &Text, errors: &mut Vec<String>) -> String {
        let def = &LOCALES[locale.index];
        let args: Vec<(&str, Value<'_>)> = text
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Str(s) => Value::Str(Cow::Borrowed(s)),
                    Arg::Num(n) => Value::Num(*n),
                    Arg::Time(t) => Value::Str(format_time(def, locale.zone, *t).into()),
                    Arg::Duration(d) => Value::Str(format_duration(def, *d).into()),
                    Arg::Word { prefix, code } => {
                        Value::Str(self.word(locale, prefix, code, errors))
                    }
                    Arg::List(items) => {
                        let rendered: Vec<String> = items
                            .iter()
                            .map(|t| self.render_into(locale, t, errors))
                            .collect();
                        Value::Str(rendered.join(def.list_separator).into())
                    }
                };
                (*name, value)
            })
            .collect();
        self.format(locale, text.id, &args, errors)
    }

    /// The catalog message `{prefix}-{code}`, borrowed when it is plain text.
    fn word(
        &self,
        locale: Locale,
        prefix: &str,
        code: &str,
        errors: &mut Vec<String>,
    ) -> Cow<'_, str> {
        let id = format!("{prefix}-{code}");
        let plain = self
            .message(locale, &id)
            .and_then(|(_, template)| template?.as_plain());
        match plain {
            Some(plain) => plain.into(),
            None => self.format(locale, &id, &[], errors).into(),
        }
    }

    /// Formats a message, falling back to English, then to the bare id.
    fn format(
        &self,
        locale: Locale,
        id: &str,
        args: &[(&str, Value<'_>)],
        errors: &mut Vec<String>,
    ) -> String {
        let Some((found_in, template)) = self.message(locale, id) else {
            return unknown(id, errors);
        };
        match template.and_then(|t| t.render(args)) {
            Some(rendered) => rendered,
            None => self.format_with_fluent(found_in, id, args, errors),
        }
    }

    /// The message `id` of `locale`, or else of the default locale, with the locale it was found in.
    fn message(&self, locale: Locale, id: &str) -> Option<(Locale, Option<&Template>)> {
        [locale, Locale::DEFAULT]
            .into_iter()
            .find_map(|l| Some((l, self.messages[l.index].get(id)?.as_ref())))
    }

    /// Renders with Fluent's resolver: a message no template was compiled for, or a call its
    /// template declined.
    fn format_with_fluent(
        &self,
        locale: Locale,
        id: &str,
        args: &[(&str, Value<'_>)],
        errors: &mut Vec<String>,
    ) -> String {
        let bundle = &self.bundles[locale.index];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return unknown(id, errors);
        };
        let fluent_args = (!args.is_empty()).then(|| {
            let mut fluent_args = FluentArgs::with_capacity(args.len());
            for (name, value) in args {
                let value = match value {
                    Value::Str(s) => FluentValue::String(s.clone()),
                    Value::Num(n) => (*n).into(),
                };
                fluent_args.set(*name, value);
            }
            fluent_args
        });
        let mut fluent_errors = Vec::new();
        let out = bundle
            .format_pattern(pattern, fluent_args.as_ref(), &mut fluent_errors)
            .into_owned();
        errors.extend(fluent_errors.into_iter().map(|e| format!("{id}: {e}")));
        out
    }
}

/// A message no catalog has: reported, and rendered as its bare id.
fn unknown(id: &str, errors: &mut Vec<String>) -> String {
    errors.push(format!("unknown message {id}"));
    id.to_owned()
}

/// Every message of `bundle` that has a value, compiled where its shape allows.
fn compile(
    bundle: &FluentBundle<FluentResource>,
    locale: Locale,
) -> foldhash::HashMap<String, Option<Template>> {
    Catalog::message_ids(locale)
        .into_iter()
        .filter_map(|id| {
            let pattern = bundle.get_message(&id)?.value()?;
            Some((id, Template::compile(pattern)))
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

/// A moment to the minute, the locale's way, in `zone`: the text before the year, after the
/// year, month, day, hour and minute; the zone is named after it (UTC by the locale's own words).
fn format_time(def: &LocaleDef, zone: Tz, t: DateTime<Utc>) -> String {
    let [before, y, m, d, h, utc] = def.time_format;
    // UTC, the common case, needs no look-up in a zone's transition table.
    let local = match zone {
        Tz::UTC => t.naive_utc(),
        _ => t.with_timezone(&zone).naive_local(),
    };
    let after = match zone {
        Tz::UTC => Cow::Borrowed(utc),
        Tz::Asia__Shanghai => Cow::Borrowed(def.beijing_time),
        _ => Cow::Owned(def.offset_format.replace("{}", &zone_offset(zone, t))),
    };
    let year = local.year();
    if !(0..=9999).contains(&year) {
        return format!(
            "{before}{year:04}{y}{:02}{m}{:02}{d}{:02}{h}{:02}{after}",
            local.month(),
            local.day(),
            local.hour(),
            local.minute()
        );
    }
    let mut out = String::with_capacity(32);
    out.push_str(before);
    push_digits(&mut out, year.unsigned_abs(), 4);
    for (n, text) in [
        (local.month(), y),
        (local.day(), m),
        (local.hour(), d),
        (local.minute(), h),
    ] {
        out.push_str(text);
        push_digits(&mut out, n, 2);
    }
    out.push_str(&after);
    out
}

/// The UTC offset of `zone` at `t`, e.g. `+02:00`.
fn zone_offset(zone: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&zone).format("%:z").to_string()
}

/// Writes the last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10_u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// The two most significant units: `2 h 24 min`, `2小时24分钟`, `45 s`.
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
    let shown = parts[first..]
        .iter()
        .zip(&def.units[first..])
        .take(2)
        .filter(|(n, _)| **n > 0 || first == 3);
    let mut out = String::with_capacity(24);
    for (n, unit) in shown {
        if !out.is_empty() {
            out.push_str(joiner);
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{n}{unit}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::BTreeMap;

    #[test]
    fn locale_tags_are_matched_loosely_and_unknown_ones_fall_back_to_english() {
        assert_eq!(Catalog::negotiate("zh_CN").tag(), "zh-CN");
        assert_eq!(Catalog::negotiate("ZH-Hans").tag(), "zh-CN");
        assert_eq!(Catalog::negotiate("zh-TW").tag(), "en");
        assert_eq!(Catalog::negotiate("").tag(), "en");
        assert_eq!(Catalog::negotiate("fr").tag(), "en");
    }

    #[test]
    fn every_locale_is_found_by_its_tag_and_aliases_and_unknown_tags_by_none() {
        for locale in Catalog::locales() {
            assert_eq!(Catalog::find(locale.tag()), Some(locale));
            for alias in locale.aliases() {
                assert_eq!(Catalog::find(alias), Some(locale), "{alias}");
            }
        }
        assert_eq!(Catalog::find("fr"), None);
        assert_eq!(Catalog::find(""), None);
    }

    #[test]
    fn moments_are_written_to_the_minute_the_locales_way() {
        let t: DateTime<Utc> = "2026-03-04T05:06:59.9Z".parse().unwrap();
        assert_eq!(format_time(&LOCALES[0], Tz::UTC, t), "2026-03-04 05:06 UTC");
        assert_eq!(
            format_time(&LOCALES[1], Tz::UTC, t),
            "2026年03月04日 05:06（UTC）"
        );
        // Exactly what the strftime formats "%Y-%m-%d %H:%M UTC" and
        // "%Y年%m月%d日 %H:%M（UTC）" give, for any moment.
        for secs in [
            0_i64,
            1_700_000_000,
            1_798_761_599,
            253_402_300_799,
            -62_135_596_800,
        ] {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            assert_eq!(
                format_time(&LOCALES[0], Tz::UTC, t),
                t.format("%Y-%m-%d %H:%M UTC").to_string()
            );
            assert_eq!(
                format_time(&LOCALES[1], Tz::UTC, t),
                t.format("%Y年%m月%d日 %H:%M（UTC）").to_string()
            );
        }
    }

    #[test]
    fn moments_are_shown_in_the_readers_zone_and_say_which() {
        let t: DateTime<Utc> = "2026-11-21T23:30:00Z".parse().unwrap();
        let shanghai = chrono_tz::Asia::Shanghai;
        let berlin = chrono_tz::Europe::Berlin;
        let new_york = chrono_tz::America::New_York;
        assert_eq!(
            format_time(&LOCALES[1], shanghai, t),
            "2026年11月22日 07:30（北京时间）"
        );
        assert_eq!(
            format_time(&LOCALES[0], shanghai, t),
            "2026-11-22 07:30 (Beijing time)"
        );
        assert_eq!(
            format_time(&LOCALES[0], berlin, t),
            "2026-11-22 00:30 (UTC+01:00)"
        );
        assert_eq!(
            format_time(&LOCALES[1], new_york, t),
            "2026年11月21日 18:30（UTC-05:00）"
        );
        // Summer time moves the offset with it.
        let summer: DateTime<Utc> = "2026-07-01T12:00:00Z".parse().unwrap();
        assert_eq!(
            format_time(&LOCALES[0], berlin, summer),
            "2026-07-01 14:00 (UTC+02:00)"
        );
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

    /// The variables a pattern uses, each with the variant keys it selects on (none if it is
    /// only written).
    fn variables<'p>(pattern: &ast::Pattern<&'p str>, found: &mut BTreeMap<&'p str, Vec<&'p str>>) {
        for element in &pattern.elements {
            let ast::PatternElement::Placeable { expression } = element else {
                continue;
            };
            match expression {
                ast::Expression::Inline(ast::InlineExpression::VariableReference { id }) => {
                    found.entry(id.name).or_default();
                }
                ast::Expression::Select { selector, variants } => {
                    if let ast::InlineExpression::VariableReference { id } = selector {
                        let keys = found.entry(id.name).or_default();
                        for variant in variants {
                            if let ast::VariantKey::Identifier { name } = variant.key {
                                keys.push(name);
                            }
                        }
                    }
                    for variant in variants {
                        variables(&variant.value, found);
                    }
                }
                ast::Expression::Inline(_) => {}
            }
        }
    }

    #[test]
    fn compiled_messages_render_exactly_as_fluent_does_for_every_variant() {
        let catalog = Catalog::load().unwrap();
        let mut checked = 0;
        for locale in Catalog::locales() {
            let bundle = &catalog.bundles[locale.index];
            for (id, template) in &catalog.messages[locale.index] {
                let Some(template) = template else { continue };
                let pattern = bundle.get_message(id).unwrap().value().unwrap();
                let mut vars = BTreeMap::new();
                variables(pattern, &mut vars);
                // Round r gives each selector its r-th key, and one key past the last that no
                // variant names, so that the default is taken too.
                let rounds = vars.values().map(Vec::len).max().unwrap_or(0) + 1;
                for round in 0..rounds {
                    let args: Vec<(&str, Value<'_>)> = vars
                        .iter()
                        .map(|(name, keys)| {
                            let value = match keys.get(round) {
                                Some(key) => (*key).to_owned(),
                                None if keys.is_empty() => format!("<{name} {round}>"),
                                None => "no-such-key".to_owned(),
                            };
                            (*name, Value::Str(value.into()))
                        })
                        .collect();
                    let mut errors = Vec::new();
                    let fluent = catalog.format_with_fluent(locale, id, &args, &mut errors);
                    assert!(errors.is_empty(), "{id}: {errors:?}");
                    let compiled = template.render(&args);
                    assert_eq!(
                        compiled.as_deref(),
                        Some(fluent.as_str()),
                        "{} {id}",
                        locale.tag()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 150, "only {checked} renderings compared");
    }

    #[test]
    fn a_template_leaves_to_fluent_a_missing_argument_and_a_selection_on_a_number() {
        let catalog = Catalog::load().unwrap();
        let template = catalog.messages[0]["maintenance-summary"].as_ref().unwrap();
        let args = |open: Value<'static>| {
            vec![
                ("type", Value::Str("scheduled maintenance".into())),
                ("title", Value::Str("Upgrade".into())),
                ("recheck_at", Value::Str("2026-03-04 05:06 UTC".into())),
                ("open", open),
            ]
        };
        assert_eq!(
            template.render(&args(Value::Str("yes".into()))).as_deref(),
            Some(
                "Wait: scheduled maintenance \"Upgrade\" is holding transactions. \
                 No end is announced; check again at 2026-03-04 05:06 UTC."
            )
        );
        assert_eq!(template.render(&args(Value::Num(1))), None);
        assert_eq!(template.render(&args(Value::Str("no".into()))[..2]), None);
        // Fluent still renders what the template declined, reporting the missing argument.
        let mut errors = Vec::new();
        let text = Text {
            id: "maintenance-summary",
            args: vec![("type", Arg::Str("scheduled maintenance".into()))],
        };
        let rendered = catalog.render_into(Locale::DEFAULT, &text, &mut errors);
        assert!(
            rendered.starts_with("Wait: scheduled maintenance"),
            "{rendered}"
        );
        assert!(errors.iter().any(|e| e.contains("title")), "{errors:?}");
    }

    #[test]
    fn counts_are_written_as_fluent_writes_numbers() {
        let catalog = Catalog::load().unwrap();
        // Integers are written without the float formatter up to 2^53, where every integer is
        // still a float of its own; beyond, Fluent's rounding to the nearest float shows.
        let exact = 1_i64 << 53;
        let counts = [
            0,
            -1,
            1_234_567,
            exact,
            -exact,
            exact + 1,
            i64::MAX,
            i64::MIN,
        ];
        let text = |count| Text {
            id: "stalled-within-bound",
            args: vec![
                ("age", Arg::Num(count)),
                ("network", Arg::Str("TRON".into())),
            ],
        };
        for count in counts {
            let message = text(count);
            for locale in Catalog::locales() {
                let mut errors = Vec::new();
                let compiled = catalog.render_into(locale, &message, &mut errors);
                let args: Vec<(&str, Value<'_>)> = vec![
                    ("age", Value::Num(count)),
                    ("network", Value::Str("TRON".into())),
                ];
                let fluent = catalog.format_with_fluent(locale, message.id, &args, &mut errors);
                assert!(errors.is_empty(), "{errors:?}");
                assert_eq!(compiled, fluent, "{count} in {}", locale.tag());
            }
        }
        let english = |count| catalog.render(Locale::DEFAULT, &text(count));
        assert!(
            english(1_234_567).contains("1234567"),
            "{}",
            english(1_234_567)
        );
        assert!(
            english(exact + 1).contains("9007199254740992"),
            "{}",
            english(exact + 1)
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
