//! The catalogs' machinery: negotiation, moments, durations, and templates rendering exactly as
//! Fluent does. What the catalogs say is checked in `catalog_tests`.

use super::catalog_tests::variables;
use super::*;
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::BTreeMap;

#[test]
fn locale_tags_are_matched_loosely_and_unknown_ones_fall_back_to_english() {
    let tag = |requested| Catalog::negotiate(requested).tag();
    for simplified in [
        "zh_CN",
        "ZH-Hans",
        "zh",
        "zh-SG",
        "zh-Hans-CN",
        "zh-Hans-TW",
        "zh-MY",
    ] {
        assert_eq!(tag(simplified), "zh-CN", "{simplified}");
    }
    for traditional in [
        "zh-TW",
        "zh_HK",
        "zh-MO",
        "zh-Hant",
        "ZH-HANT-TW",
        "zh-Hant-HK",
    ] {
        assert_eq!(tag(traditional), "zh-Hant", "{traditional}");
    }
    assert_eq!(tag("en-AU"), "en");
    assert_eq!(tag(""), "en");
    assert_eq!(tag("fr"), "en");
}

#[test]
fn every_locale_is_found_by_its_tag_and_aliases_and_unknown_tags_by_none() {
    for locale in Catalog::locales() {
        assert_eq!(Catalog::find(locale.tag()), Some(locale));
        assert_eq!(Catalog::find(&locale.tag().to_lowercase()), Some(locale));
        for alias in locale.aliases() {
            assert_eq!(Catalog::find(alias), Some(locale), "{alias}");
        }
    }
    for unknown in ["fr", "fr-CA", "", "-", "x-zh"] {
        assert_eq!(Catalog::find(unknown), None, "{unknown}");
    }
}

/// `t` written by `tag`'s catalog in `zone`.
fn moment(catalog: &Catalog, tag: &str, zone: Tz, t: DateTime<Utc>) -> String {
    let locale = Catalog::find(tag).expect("a locale").in_zone(zone);
    let mut errors = Vec::new();
    let out = catalog.moment(locale, t, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    out
}

#[test]
fn moments_are_written_to_the_minute_the_locales_way_without_padding_the_date() {
    let catalog = Catalog::load().unwrap();
    let t: DateTime<Utc> = "2026-03-04T05:06:59.9Z".parse().unwrap();
    assert_eq!(
        moment(&catalog, "en", Tz::UTC, t),
        "4 March 2026, 05:06 UTC"
    );
    assert_eq!(
        moment(&catalog, "zh-CN", Tz::UTC, t),
        "2026年3月4日 05:06（UTC）"
    );
    assert_eq!(
        moment(&catalog, "zh-Hant", Tz::UTC, t),
        "2026年3月4日 05:06（UTC）"
    );
    // Exactly what the strftime formats give, for any moment.
    for secs in [0_i64, 1_700_000_000, 1_798_761_599, 253_402_300_799] {
        let t = DateTime::from_timestamp(secs, 0).unwrap();
        assert_eq!(
            moment(&catalog, "en", Tz::UTC, t),
            t.format("%-d %B %Y, %H:%M UTC").to_string()
        );
        for tag in ["zh-CN", "zh-Hant"] {
            assert_eq!(
                moment(&catalog, tag, Tz::UTC, t),
                t.format("%Y年%-m月%-d日 %H:%M（UTC）").to_string()
            );
        }
    }
}

#[test]
fn moments_are_shown_in_the_readers_zone_and_say_which_as_a_native_writes_it() {
    use chrono_tz::{America, Asia, Europe};
    let catalog = Catalog::load().unwrap();
    let t: DateTime<Utc> = "2026-11-21T23:30:00Z".parse().unwrap();
    let summer: DateTime<Utc> = "2026-06-01T06:58:00Z".parse().unwrap();
    #[rustfmt::skip]
    let table = [
        ("zh-CN", Asia::Shanghai, summer, "北京时间 2026年6月1日 14:58"),
        ("zh-CN", Asia::Shanghai, t, "北京时间 2026年11月22日 07:30"),
        ("zh-CN", Asia::Hong_Kong, t, "香港时间 2026年11月22日 07:30"),
        ("zh-CN", America::New_York, t, "2026年11月21日 18:30（UTC-5）"),
        ("zh-CN", Asia::Kolkata, t, "2026年11月22日 05:00（UTC+5:30）"),
        ("zh-Hant", Asia::Taipei, summer, "台灣時間 2026年6月1日 14:58"),
        ("zh-Hant", Asia::Hong_Kong, t, "香港時間 2026年11月22日 07:30"),
        ("zh-Hant", Asia::Macau, t, "澳門時間 2026年11月22日 07:30"),
        ("zh-Hant", Asia::Shanghai, t, "北京時間 2026年11月22日 07:30"),
        ("zh-Hant", Europe::Berlin, t, "2026年11月22日 00:30（UTC+1）"),
        ("en", Europe::Berlin, summer, "1 June 2026, 08:58 CEST"),
        ("en", Europe::Berlin, t, "22 November 2026, 00:30 CET"),
        ("en", Asia::Shanghai, t, "22 November 2026, 07:30 Beijing time"),
        ("en", Asia::Taipei, t, "22 November 2026, 07:30 Taiwan time"),
        ("en", Asia::Hong_Kong, t, "22 November 2026, 07:30 HKT"),
        ("en", America::New_York, t, "21 November 2026, 18:30 EST"),
        // The time zone database has no abbreviation for Dubai's zone: its offset names it.
        ("en", Asia::Dubai, t, "22 November 2026, 03:30 UTC+4"),
    ];
    for (tag, zone, at, want) in table {
        assert_eq!(moment(&catalog, tag, zone, at), want, "{tag} in {zone}");
    }
}

#[test]
fn durations_show_the_two_most_significant_units() {
    let catalog = Catalog::load().unwrap();
    let duration = |tag: &str, d: TimeDelta| {
        let mut errors = Vec::new();
        let out = catalog.duration(Catalog::negotiate(tag), d, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        out
    };
    assert_eq!(duration("en", TimeDelta::seconds(8_640)), "2 h 24 min");
    assert_eq!(duration("en", TimeDelta::seconds(45)), "45 s");
    assert_eq!(duration("en", TimeDelta::zero()), "0 s");
    assert_eq!(duration("en", TimeDelta::days(3)), "3 d");
    assert_eq!(duration("en", TimeDelta::seconds(90_061)), "1 d 1 h");
    assert_eq!(duration("zh-CN", TimeDelta::seconds(8_640)), "2小时24分钟");
    assert_eq!(duration("zh-CN", TimeDelta::days(3)), "3天");
    assert_eq!(
        duration("zh-Hant", TimeDelta::seconds(8_640)),
        "2小時24分鐘"
    );
    assert_eq!(duration("zh-Hant", TimeDelta::seconds(45)), "45秒");
}

#[test]
fn lists_are_separated_the_locales_way() {
    let catalog = Catalog::load().unwrap();
    let text = Text::new("mismatch-expected-detail").list(
        "diffs",
        vec![Text::new("value-none"), Text::new("value-none")],
    );
    assert_eq!(
        catalog.try_render(Locale::DEFAULT, &text).as_deref(),
        Ok("The transaction differs from what was asked for: none; none.")
    );
    for (tag, listed) in [("zh-CN", "无；无"), ("zh-Hant", "無；無")] {
        let rendered = catalog.try_render(Catalog::negotiate(tag), &text).unwrap();
        assert!(rendered.contains(listed), "{tag}: {rendered}");
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
            ("recheck_at", Value::Str("4 March 2026, 05:06 UTC".into())),
            ("open", open),
        ]
    };
    assert_eq!(
        template.render(&args(Value::Str("yes".into()))).as_deref(),
        Some(
            "Wait: scheduled maintenance \"Upgrade\" is holding transactions. \
             No end is announced; check again at 4 March 2026, 05:06 UTC."
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
