//! What the catalogs say, checked in every locale: every message of English with the same
//! arguments, each translation's glossary, the script and typography a native reader expects,
//! and customers never named by an id. Strict on purpose: a message added to `en.ftl` alone, or
//! worded against a glossary, fails here.

use super::{Catalog, LOCALES, Locale, script::SCRIPT_PAIRS};
use crate::engine::{
    diagnosis::{Arg, Text},
    policy::RuleSet,
};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use fluent_syntax::{ast, parser};
use regex::Regex;
use std::collections::BTreeMap;

/// The variables a pattern uses, each with the variant keys it selects on (none if it is only
/// written).
pub fn variables<'p>(pattern: &ast::Pattern<&'p str>, found: &mut BTreeMap<&'p str, Vec<&'p str>>) {
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
                            if !keys.contains(&name) {
                                keys.push(name);
                            }
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

/// The literal text of a pattern, every variant's included.
fn literals<'p>(pattern: &ast::Pattern<&'p str>, found: &mut Vec<&'p str>) {
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => found.push(value),
            ast::PatternElement::Placeable { expression } => match expression {
                ast::Expression::Inline(ast::InlineExpression::StringLiteral { value }) => {
                    found.push(value);
                }
                ast::Expression::Select { variants, .. } => {
                    for variant in variants {
                        literals(&variant.value, found);
                    }
                }
                ast::Expression::Inline(_) => {}
            },
        }
    }
}

/// Each message of `locale`'s catalog by id, with its pattern.
fn patterns(locale: Locale) -> BTreeMap<&'static str, ast::Pattern<&'static str>> {
    let resource = parser::parse(LOCALES[locale.index].source).unwrap_or_else(|(r, _)| r);
    resource
        .body
        .into_iter()
        .filter_map(|entry| match entry {
            ast::Entry::Message(m) => Some((m.id.name, m.value?)),
            _ => None,
        })
        .collect()
}

/// The variables of every message of `locale`, by id.
fn arguments(locale: Locale) -> BTreeMap<&'static str, BTreeMap<&'static str, Vec<&'static str>>> {
    patterns(locale)
        .iter()
        .map(|(id, pattern)| {
            let mut vars = BTreeMap::new();
            variables(pattern, &mut vars);
            (*id, vars)
        })
        .collect()
}

/// Keys a locale selects on by its own grammar (Fluent's plural categories), which other
/// locales need not have.
const PLURAL_CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

#[test]
fn every_locale_defines_every_message_of_english_with_the_same_arguments() {
    let english = arguments(Locale::DEFAULT);
    assert!(
        english.len() > 50,
        "catalog looks truncated: {} ids",
        english.len()
    );
    let mut problems = Vec::new();
    for locale in Catalog::locales().skip(1) {
        let tag = locale.tag();
        let theirs = arguments(locale);
        for id in english.keys().filter(|id| !theirs.contains_key(*id)) {
            problems.push(format!("{tag} lacks {id}"));
        }
        for id in theirs.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!("{tag} has {id}, which en.ftl does not"));
        }
        for (id, vars) in &english {
            let Some(their_vars) = theirs.get(id) else {
                continue;
            };
            let names = |v: &BTreeMap<&'static str, Vec<&'static str>>| {
                v.keys().copied().collect::<Vec<&str>>()
            };
            if names(vars) != names(their_vars) {
                problems.push(format!(
                    "{tag} {id} takes {:?}, en takes {:?}",
                    names(their_vars),
                    names(vars)
                ));
                continue;
            }
            // A variant English selects by name must be there too: a missing one would fall
            // back to the default variant and say something else.
            for (name, keys) in vars {
                let missing: Vec<&&str> = keys
                    .iter()
                    .filter(|k| !PLURAL_CATEGORIES.contains(k) && !their_vars[name].contains(k))
                    .collect();
                if !missing.is_empty() {
                    problems.push(format!(
                        "{tag} {id} lacks the variants {missing:?} of ${name}"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn no_message_names_an_account_by_its_id_to_the_customer() {
    for locale in Catalog::locales() {
        for (id, vars) in arguments(locale) {
            if id.contains("-customer") {
                for name in ["account", "owner", "account_id"] {
                    assert!(
                        !vars.contains_key(name),
                        "{} {id} names the account by ${name}: say \"your account\"",
                        locale.tag()
                    );
                }
            }
        }
    }
}

// ---- Rendering every message with sample arguments --------------------------------------------

/// The moment the samples show: 1 June, so that a zero-padded day or month shows.
fn sample_moment() -> DateTime<Utc> {
    "2026-06-01T06:58:00Z".parse().expect("a moment")
}

/// Arguments that select a plural form by number rather than a variant by name.
const COUNTS: &[(&str, i64)] = &[
    ("confirmations", 3),
    ("required", 12),
    ("from", 1),
    ("to", 3),
];

/// A value of the kind the engine passes for the argument `name`, or `None` if the table has
/// none yet (add it when a message takes a new argument).
fn sample(name: &str) -> Option<Arg> {
    let word = |prefix, code| Some(Arg::Word { prefix, code });
    let str = |s: &'static str| Some(Arg::Str(s.into()));
    let list = |items: Vec<Text>| Some(Arg::List(items));
    if let Some((_, n)) = COUNTS.iter().find(|(count, _)| *count == name) {
        return Some(Arg::Num(*n));
    }
    match name {
        "created_at" | "since" | "held_since" | "starts_at" | "clears_at" | "recheck_at"
        | "paid_at" | "resumes" | "done" | "stalls_at" | "arrived" | "until" | "expires_at"
        | "requested_at" => Some(Arg::Time(sample_moment())),
        "age" | "stall_after" | "expected_time" => Some(Arg::Duration(TimeDelta::seconds(8_640))),
        "kind" => word("kind", "deposit"),
        "state" => word("account-state", "frozen"),
        "reason" => word("freeze-reason", "identity_unverified"),
        "trigger" => word("freeze-reason", "password_reset"),
        "method" => word("confirmation-method", "email"),
        "type" => word("maintenance-type", "scheduled"),
        "field" => word("field", "memo"),
        "month" => word("month", "6"),
        "holder" => list(vec![Text::new("frozen-holder").str("state", "frozen")]),
        "diffs" => list(vec![
            Text::new("mismatch-expected-item-customer")
                .word("field", "field", "destination")
                .str("wanted", "TXaB12")
                .str("got", "TXcD34"),
            Text::new("mismatch-memo-required-item-customer").word("field", "field", "memo"),
        ]),
        "items" => list(vec![
            Text::new("missing-amount"),
            Text::new("missing-tx-hash"),
        ]),
        "message" => list(vec![Text::new("undetermined-customer")]),
        "reply" => list(vec![
            Text::new("reply-expected")
                .str("channel", "email")
                .list("within", vec![reply_within()]),
        ]),
        "within" => list(vec![reply_within()]),
        "moment" => list(vec![
            Text::new("format-moment")
                .str("year", "2026")
                .word("month", "month", "6")
                .str("day", "1")
                .str("hour", "14")
                .str("minute", "58"),
        ]),
        "larger" => list(vec![
            Text::new("duration-unit")
                .str("n", "2")
                .str("unit", "hours"),
        ]),
        "smaller" => list(vec![
            Text::new("duration-unit")
                .str("n", "24")
                .str("unit", "minutes"),
        ]),
        "amount" => str("100"),
        "minimum" => str("10"),
        "supported" => str("TRX/USDT"),
        "asset" => str("USDT"),
        "network" => str("TRON"),
        "reference" => str("DEP-USDT-4410"),
        "owner" => str("ac****01"),
        "title" => str("Upgrade"),
        "wanted" => str("TXaB12"),
        "got" => str("TXcD34"),
        "congestion" => str("1.5"),
        "year" => str("2026"),
        "day" => str("1"),
        "hour" => str("14"),
        "minute" => str("58"),
        "n" => str("2"),
        "zone_name" => str("UTC+1"),
        _ => None,
    }
}

fn reply_within() -> Text {
    Text::new("reply-within-range")
        .str("unit", "business_days")
        .num("from", 1)
        .num("to", 3)
}

/// One message rendered with sample arguments, in English and in the locale.
struct Rendering {
    id: &'static str,
    english: String,
    text: String,
}

/// Every message of `locale` rendered in `zone` once per variant key any locale selects on
/// (and once more, for the default variants), with English rendered from the same arguments.
fn renderings(catalog: &Catalog, locale: Locale, zone: Tz) -> Vec<Rendering> {
    let english = arguments(Locale::DEFAULT);
    let theirs = arguments(locale);
    let mut out = Vec::new();
    let mut unsampled = Vec::new();
    for (id, their_vars) in &theirs {
        let mut vars = english.get(id).cloned().unwrap_or_default();
        for (name, keys) in their_vars {
            let all = vars.entry(*name).or_default();
            let extra: Vec<&str> = keys.iter().copied().filter(|k| !all.contains(k)).collect();
            all.extend(extra);
        }
        let rounds = vars.values().map(Vec::len).max().unwrap_or(0) + 1;
        for round in 0..rounds {
            let mut args = Vec::new();
            for (name, keys) in &vars {
                let counted = COUNTS.iter().any(|(count, _)| count == name);
                let value = match keys.get(round) {
                    _ if counted => sample(name),
                    Some(key) => Some(Arg::Str((*key).into())),
                    None if !keys.is_empty() => Some(Arg::Str("no-such-key".into())),
                    None => sample(name),
                };
                match value {
                    Some(value) => args.push((*name, value)),
                    None => unsampled.push(format!("${name} of {id}")),
                }
            }
            let text = Text { id, args };
            let render = |l: Locale| {
                catalog
                    .try_render(l.in_zone(zone), &text)
                    .unwrap_or_else(|e| panic!("{} {id} does not render: {e:?}", l.tag()))
            };
            out.push(Rendering {
                id,
                english: render(Locale::DEFAULT),
                text: render(locale),
            });
        }
    }
    assert!(
        unsampled.is_empty(),
        "no sample value for {unsampled:?}: add one to `sample`"
    );
    out
}

// ---- Glossaries ---------------------------------------------------------------------------------

/// One line of a catalog's glossary: `术语: english / english → 用语 | 用语 ≠ 禁用、禁用`, or
/// `禁用: 禁用、禁用`.
#[derive(Debug, Default)]
struct Term {
    /// English wordings of the concept (lower case); a message whose English says one must
    /// use one of `required`.
    english: Vec<String>,
    required: Vec<String>,
    banned: Vec<String>,
}

/// The glossary lines of a catalog, from its comments.
fn glossary(source: &str) -> Vec<Term> {
    let split = |s: &str, by: &str| -> Vec<String> {
        s.split(by)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut terms = Vec::new();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("# ") else {
            continue;
        };
        if let Some(banned) = rest.strip_prefix("禁用:") {
            terms.push(Term {
                banned: split(banned, "、"),
                ..Term::default()
            });
            continue;
        }
        let Some(term) = rest
            .strip_prefix("术语:")
            .or_else(|| rest.strip_prefix("術語:"))
        else {
            continue;
        };
        let (concept, banned) = term.split_once('≠').unwrap_or((term, ""));
        let (english, required) = concept
            .split_once('→')
            .unwrap_or_else(|| panic!("a glossary term needs `english → 用语`: {line}"));
        terms.push(Term {
            english: split(&english.to_lowercase(), "/"),
            required: split(required, "|"),
            banned: split(banned, "、"),
        });
    }
    terms
}

#[test]
fn every_translation_keeps_to_its_glossary() {
    let catalog = Catalog::load().unwrap();
    let mut problems = Vec::new();
    for locale in Catalog::locales().skip(1) {
        let tag = locale.tag();
        let terms = glossary(LOCALES[locale.index].source);
        assert!(
            terms.iter().any(|t| !t.required.is_empty()),
            "{tag}: a translated catalog states its terms in a glossary (`# 术语: … → …`)"
        );
        // Every variant's text, whatever the arguments.
        for (id, pattern) in patterns(locale) {
            let mut text = Vec::new();
            literals(&pattern, &mut text);
            for term in &terms {
                for banned in &term.banned {
                    if text.iter().any(|t| t.contains(banned.as_str())) {
                        problems.push(format!("{tag} {id} says {banned:?}"));
                    }
                }
            }
        }
        for r in renderings(&catalog, locale, Tz::UTC) {
            let english = r.english.to_lowercase();
            for term in &terms {
                let concept = term.english.iter().find(|e| english.contains(e.as_str()));
                let used = term.required.iter().any(|t| r.text.contains(t.as_str()));
                if let Some(concept) = concept.filter(|_| !used) {
                    problems.push(format!(
                        "{tag} {}: English says {concept:?}, so it must say one of {:?}: {}",
                        r.id, term.required, r.text
                    ));
                }
            }
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

// ---- Script and typography ----------------------------------------------------------------------

/// Full-width punctuation, around which Chinese puts no space.
const FULL_WIDTH: &str = "，。：；！？、（）「」『』“”《》…";

/// What a native reader of the locale would not write, in one rendering (`moments`: the
/// rendered sample moments, checked on their own).
fn typography(tag: &str, text: &str, moments: &[String]) -> Vec<&'static str> {
    let mut wrong = Vec::new();
    for line in text.lines() {
        if line.starts_with(' ') || line.ends_with(' ') || line.contains("  ") {
            wrong.push("a space at the start or end of a line, or two in a row");
        }
    }
    if !tag.starts_with("zh") {
        let padded = Regex::new(r"(^|[^\d:])0\d (January|June)").expect("a pattern");
        if padded.is_match(text) {
            wrong.push("a zero-padded day");
        }
        return wrong;
    }
    let punct = format!("[{FULL_WIDTH}]");
    let checks: [(String, &'static str); 4] = [
        (
            format!(r"[ \t]{punct}|{punct}[ \t]"),
            "a space beside full-width punctuation",
        ),
        (
            r"\p{Han}[ \t]+\p{Han}".into(),
            "a space between Chinese characters",
        ),
        (r"[年月]0\d".into(), "a zero-padded month or day"),
        (
            r"\d[ \t]+[年月日时時分秒天个個小周週次笔筆条條]".into(),
            "a space between a number and its unit",
        ),
    ];
    for (pattern, what) in checks {
        if Regex::new(&pattern).expect("a pattern").is_match(text) {
            wrong.push(what);
        }
    }
    // Beside a moment (as a native writes "于北京时间 2026年6月1日 14:58前"), and beside any
    // other number or Latin word, Chinese takes no space.
    let mut outside = text.to_owned();
    for moment in moments {
        outside = outside.replace(moment.as_str(), "0");
    }
    let tight =
        Regex::new(r"\p{Han}[ \t]+[0-9A-Za-z]|[0-9A-Za-z][ \t]+\p{Han}").expect("a pattern");
    if tight.is_match(&outside) {
        wrong.push("a space between Chinese and a number or Latin word");
    }
    wrong
}

#[test]
fn every_message_is_written_as_a_native_writes_it_in_the_readers_zone_and_in_utc() {
    let catalog = Catalog::load().unwrap();
    let rules = RuleSet::shipped();
    let mut problems = Vec::new();
    for locale in Catalog::locales() {
        let tag = locale.tag();
        for zone in [Tz::UTC, rules.time_zone(locale), chrono_tz::Europe::Berlin] {
            let mut errors = Vec::new();
            let moments = [catalog.moment(locale.in_zone(zone), sample_moment(), &mut errors)];
            assert!(errors.is_empty(), "{errors:?}");
            for r in renderings(&catalog, locale, zone) {
                // A moment's own pattern (a space before its time, after its zone's name) is
                // checked word for word in `tests`.
                let whole = [r.text.clone()];
                let moments: &[String] = if r.id.starts_with("format-") {
                    &whole
                } else {
                    &moments
                };
                // A separator is a piece of a line, not one.
                if r.id == "format-list-separator" {
                    continue;
                }
                for wrong in typography(tag, &r.text, moments) {
                    problems.push(format!("{tag} {} in {zone}: {wrong}: {:?}", r.id, r.text));
                }
            }
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn chinese_catalogs_keep_to_their_script() {
    for locale in Catalog::locales().filter(|l| l.tag().starts_with("zh")) {
        let traditional = locale.tag().contains("Hant");
        for (id, pattern) in patterns(locale) {
            let mut text = Vec::new();
            literals(&pattern, &mut text);
            let text = text.concat();
            for (simplified, traditional_form) in SCRIPT_PAIRS {
                let foreign = if traditional {
                    simplified
                } else {
                    traditional_form
                };
                assert!(
                    !text.contains(*foreign),
                    "{} {id} has {foreign}, of the other script: {text}",
                    locale.tag()
                );
            }
        }
    }
}

#[test]
fn the_typography_check_finds_what_a_native_would_not_write() {
    let moments = ["北京时间 2026年6月1日 14:58".to_owned()];
    let wrong = |text| typography("zh-CN", text, &moments);
    assert_eq!(
        wrong("预计于北京时间 2026年6月1日 14:58前到账。"),
        Vec::<&str>::new()
    );
    assert_eq!(wrong("您的100 USDT充值"), Vec::<&str>::new());
    assert_eq!(
        wrong("预计于北京时间 2026年6月1日 14:58 前到账。"),
        ["a space between Chinese and a number or Latin word"]
    );
    assert_eq!(
        wrong("预计（UTC） 前"),
        ["a space beside full-width punctuation"]
    );
    assert_eq!(wrong("2026年06月01日"), ["a zero-padded month or day"]);
    assert_eq!(wrong("账户 需要"), ["a space between Chinese characters"]);
    assert_eq!(
        wrong("等待 3 个区块确认"),
        [
            "a space between a number and its unit",
            "a space between Chinese and a number or Latin word"
        ]
    );
    assert_eq!(
        typography("en", "by 01 June 2026, 14:58 UTC", &[]),
        ["a zero-padded day"]
    );
}

#[test]
fn a_glossary_line_names_the_concept_the_terms_and_the_banned_wordings() {
    let terms = glossary(
        "# 术语: identity verification / verify → 实名认证 | 实名 ≠ 身份验证、身份认证\n\
         #   “术语: 说明行不算”\n\
         # 禁用: 携带、立案\n\
         msg = 文本\n",
    );
    assert_eq!(terms.len(), 2);
    assert_eq!(terms[0].english, ["identity verification", "verify"]);
    assert_eq!(terms[0].required, ["实名认证", "实名"]);
    assert_eq!(terms[0].banned, ["身份验证", "身份认证"]);
    assert_eq!(terms[1].banned, ["携带", "立案"]);
    assert!(terms[1].required.is_empty());
}
