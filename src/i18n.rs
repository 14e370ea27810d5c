//! Renders the engine's message ids in the caller's locale from Fluent catalogs (`locales/*.ftl`).
//!
//! Adding a language is adding its `.ftl` file and one line to `LOCALES`: how the locale writes
//! moments, durations and lists is part of its catalog (the `format-*`, `month-*` and
//! `duration-*` messages), and its default time zone is the rules file's (`[time_zones]`).

mod moments;
pub mod script;
pub mod zones;

#[cfg(test)]
mod catalog_tests;
mod template;
#[cfg(test)]
mod tests;

use crate::engine::diagnosis::{Arg, Text};
use chrono_tz::Tz;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use moments::Formats;
use std::borrow::Cow;
use template::{Template, Value};

/// One supported locale: its tag, the other tags that select it, and its catalog.
struct LocaleDef {
    /// The tag reported back to callers; its catalog is `locales/{tag}.ftl`.
    tag: &'static str,
    /// Other lower-case tags (with `-`) that select this locale.
    aliases: &'static [&'static str],
    /// The catalog.
    source: &'static str,
}

/// A locale of `LOCALES`: its tag, the other tags that select it, and its catalog
/// `locales/{tag}.ftl`.
macro_rules! locale {
    ($tag:literal, [$($alias:literal),*]) => {
        LocaleDef {
            tag: $tag,
            aliases: &[$($alias),*],
            source: include_str!(concat!("../locales/", $tag, ".ftl")),
        }
    };
}

/// The supported locales, one line each; the first is the fallback. A tag selects the locale
/// whose tag or alias it is, or else the one its longest prefix selects: `zh-Hant-TW` →
/// `zh-Hant`; `zh-Hans`, `zh-SG` → `zh` → `zh-CN`; `en-AU` → `en`.
static LOCALES: &[LocaleDef] = &[
    locale!("en", []),
    locale!("zh-CN", ["zh"]),
    locale!("zh-Hant", ["zh-tw", "zh-hk", "zh-mo"]),
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

    /// The other lower-case tags (with `-`) that select this locale, besides its own and the
    /// longer tags they prefix.
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
    /// Per locale, how it writes what the engine's arguments carry.
    formats: Vec<Formats>,
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
        let messages: Vec<_> = Self::locales()
            .map(|locale| compile(&bundles[locale.index], locale))
            .collect();
        let formats = Self::locales()
            .map(|locale| {
                Formats::read(|id| messages[locale.index].get(id)?.as_ref()?.as_plain()).map_err(
                    |message| CatalogError {
                        locale: locale.tag(),
                        message,
                    },
                )
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            bundles,
            messages,
            formats,
        })
    }

    /// The locale for a requested tag (case-insensitive, `_` or `-`); unknown tags get English.
    pub fn negotiate(requested: &str) -> Locale {
        Self::find(requested).unwrap_or(Locale::DEFAULT)
    }

    /// The locale a tag selects (case-insensitive, `_` or `-`), if any: the locale whose tag or
    /// alias it is, or else the one its longest prefix of whole subtags selects.
    pub fn find(requested: &str) -> Option<Locale> {
        let wanted = requested.trim().replace('_', "-").to_ascii_lowercase();
        let mut tag = wanted.as_str();
        loop {
            let found = LOCALES
                .iter()
                .position(|l| l.tag.eq_ignore_ascii_case(tag) || l.aliases.contains(&tag));
            if let Some(index) = found {
                return Some(Locale::at(index));
            }
            tag = tag.rsplit_once('-')?.0;
        }
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
        let args: Vec<(&str, Value<'_>)> = text
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Str(s) => Value::Str(Cow::Borrowed(s)),
                    Arg::Num(n) => Value::Num(*n),
                    Arg::Time(t) => Value::Str(self.moment(locale, *t, errors).into()),
                    Arg::Duration(d) => Value::Str(self.duration(locale, *d, errors).into()),
                    Arg::Word { prefix, code } => {
                        Value::Str(self.word(locale, prefix, code, errors))
                    }
                    Arg::List(items) => {
                        let rendered: Vec<String> = items
                            .iter()
                            .map(|t| self.render_into(locale, t, errors))
                            .collect();
                        let separator = &self.formats[locale.index].list_separator;
                        Value::Str(rendered.join(separator.as_str()).into())
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
