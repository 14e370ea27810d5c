//! Times, absolute and relative, read in the ticket's zone.

use super::*;

/// A ticket, its time expression, the UTC instant as (y, mo, d, h, mi) and the precision; the
/// tickets arrive 2026-05-31 10:00 in Shanghai (02:00 UTC).
type TimeRow = (
    &'static str,
    &'static str,
    (i32, u32, u32, u32, u32),
    Precision,
);

#[rustfmt::skip]
const TIMES: &[TimeRow] = &[
    ("2026-05-30 14:58 付的款", "2026-05-30 14:58", (2026, 5, 30, 6, 58), Precision::Minute),
    ("2026/05/30 14:58", "2026/05/30 14:58", (2026, 5, 30, 6, 58), Precision::Minute),
    ("on 2026-05-30.", "2026-05-30", (2026, 5, 29, 16, 0), Precision::Day),
    ("5月30日下午2点58分转的", "5月30日下午2点58分", (2026, 5, 30, 6, 58), Precision::Minute),
    ("5月30日14:58", "5月30日14:58", (2026, 5, 30, 6, 58), Precision::Minute),
    ("5月30日", "5月30日", (2026, 5, 29, 16, 0), Precision::Day),
    ("2026年5月30日 下午3点", "2026年5月30日 下午3点", (2026, 5, 30, 7, 0), Precision::Hour),
    ("30/05 14:58", "30/05 14:58", (2026, 5, 30, 6, 58), Precision::Minute),
    ("05/30 14:58", "05/30 14:58", (2026, 5, 30, 6, 58), Precision::Minute),
    ("04/05 09:00", "04/05 09:00", (2026, 5, 4, 1, 0), Precision::Minute),
    ("May 30 14:58", "May 30 14:58", (2026, 5, 30, 6, 58), Precision::Minute),
    ("on 30 May at 2:58pm", "30 May at 2:58pm", (2026, 5, 30, 6, 58), Precision::Minute),
    ("12月30日", "12月30日", (2025, 12, 29, 16, 0), Precision::Day),
    ("我昨天14:58付的", "昨天14:58", (2026, 5, 30, 6, 58), Precision::Minute),
    ("昨天就付了", "昨天", (2026, 5, 29, 16, 0), Precision::Day),
    ("今天上午10点", "今天上午10点", (2026, 5, 31, 2, 0), Precision::Hour),
    ("前天晚上", "前天晚上", (2026, 5, 29, 10, 0), Precision::Hour),
    ("昨晚8点", "昨晚8点", (2026, 5, 30, 12, 0), Precision::Hour),
    ("yesterday at 3pm", "yesterday at 3pm", (2026, 5, 30, 7, 0), Precision::Hour),
    ("Yesterday 15:30", "Yesterday 15:30", (2026, 5, 30, 7, 30), Precision::Minute),
    ("at 3pm yesterday", "3pm yesterday", (2026, 5, 30, 7, 0), Precision::Hour),
    ("2 hours ago", "2 hours ago", (2026, 5, 31, 0, 0), Precision::Hour),
    ("an hour ago", "an hour ago", (2026, 5, 31, 1, 0), Precision::Hour),
    ("30 minutes ago", "30 minutes ago", (2026, 5, 31, 1, 30), Precision::Minute),
    ("30分钟前", "30分钟前", (2026, 5, 31, 1, 30), Precision::Minute),
    ("半小时前", "半小时前", (2026, 5, 31, 1, 30), Precision::Minute),
    ("两个小时前", "两个小时前", (2026, 5, 31, 0, 0), Precision::Hour),
    ("3天前", "3天前", (2026, 5, 27, 16, 0), Precision::Day),
    ("this morning", "this morning", (2026, 5, 30, 22, 0), Precision::Hour),
    ("today", "today", (2026, 5, 30, 16, 0), Precision::Day),
    ("last night", "last night", (2026, 5, 30, 10, 0), Precision::Hour),
    ("yesterday morning at 9:30", "yesterday morning at 9:30", (2026, 5, 30, 1, 30), Precision::Minute),
    ("刚才", "刚才", (2026, 5, 31, 2, 0), Precision::Minute),
    ("just now", "just now", (2026, 5, 31, 2, 0), Precision::Minute),
    ("下午2点半", "下午2点半", (2026, 5, 30, 6, 30), Precision::Minute),
    ("凌晨3点", "凌晨3点", (2026, 5, 30, 19, 0), Precision::Hour),
    ("晚上十点", "晚上十点", (2026, 5, 30, 14, 0), Precision::Hour),
    ("3pm", "3pm", (2026, 5, 30, 7, 0), Precision::Hour),
    ("3:05 pm", "3:05 pm", (2026, 5, 30, 7, 5), Precision::Minute),
    ("10am", "10am", (2026, 5, 31, 2, 0), Precision::Hour),
    ("14:58", "14:58", (2026, 5, 30, 6, 58), Precision::Minute),
    ("9:30", "9:30", (2026, 5, 31, 1, 30), Precision::Minute),
    ("2026-05-30T14:58:00Z", "2026-05-30T14:58:00Z", (2026, 5, 30, 14, 58), Precision::Minute),
    ("14:58 UTC", "14:58 UTC", (2026, 5, 30, 14, 58), Precision::Minute),
    ("２０２６－０５－３０ １４：５８", "２０２６－０５－３０ １４：５８", (2026, 5, 30, 6, 58), Precision::Minute),
];

#[test]
fn times_are_read_in_the_customers_zone_from_the_tickets_arrival() {
    for (text, written, (y, mo, d, h, mi), precision) in TIMES {
        let out = extract(text);
        let expected = Moment {
            at: utc(*y, *mo, *d, *h, *mi),
            precision: *precision,
        };
        let found: Vec<(String, Moment)> = out
            .times
            .iter()
            .map(|f| (f.text.clone(), f.value))
            .collect();
        assert_eq!(found, [((*written).to_owned(), expected)], "{text}");
        assert!(out.amounts.is_empty(), "{text}: a time is no amount");
        assert_spans_hold(text, &out);
    }
}

#[test]
fn invalid_dates_and_lone_parts_of_the_day_are_no_time() {
    let texts = [
        "2月30日",
        "2026-13-45",
        "2026-02-30 10:00",
        "25:61",
        "早上好，晚上好",
        "good morning",
        "5月5月5月5月",
        "30/05",
        "version 5.1, v2.3.1",
        "13812345678",
        "2026年",
        "13pm",
        "12026-05-30",
    ];
    for text in texts {
        let out = extract(text);
        assert!(out.times.is_empty(), "{text}: {:?}", out.times);
    }
}

#[test]
fn a_29_february_without_year_is_the_last_leap_day() {
    let out = extract("2月29日");
    assert_eq!(
        out.times.first().map(|f| f.value.at),
        Some(utc(2024, 2, 28, 16, 0))
    );
}

#[test]
fn several_times_are_listed_in_text_order() {
    let out = extract("昨天14:58付款，今天10am又问了一次，2 hours ago");
    let written: Vec<&str> = out.times.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(written, ["昨天14:58", "今天10am", "2 hours ago"]);
}

#[test]
fn more_ways_of_writing_a_time_read_as_expected() {
    let rows: &[TimeRow] = &[
        (
            "May 30th, 2026 at 2:58 PM",
            "May 30th, 2026 at 2:58 PM",
            (2026, 5, 30, 6, 58),
            Precision::Minute,
        ),
        (
            "5月30号 下午 3点",
            "5月30号 下午 3点",
            (2026, 5, 30, 7, 0),
            Precision::Hour,
        ),
        ("下午3点", "下午3点", (2026, 5, 30, 7, 0), Precision::Hour),
        (
            "昨天中午12点",
            "昨天中午12点",
            (2026, 5, 30, 4, 0),
            Precision::Hour,
        ),
        (
            "前天晚上12点",
            "前天晚上12点",
            (2026, 5, 29, 16, 0),
            Precision::Hour,
        ),
        ("昨天下午", "昨天下午", (2026, 5, 30, 4, 0), Precision::Hour),
        (
            "yesterday night",
            "yesterday night",
            (2026, 5, 30, 13, 0),
            Precision::Hour,
        ),
        (
            "2026-05-30 14:58:33",
            "2026-05-30 14:58:33",
            (2026, 5, 30, 6, 58),
            Precision::Minute,
        ),
        (
            "30/05/2026",
            "30/05/2026",
            (2026, 5, 29, 16, 0),
            Precision::Day,
        ),
        (
            "14:58+08:00",
            "14:58+08:00",
            (2026, 5, 30, 6, 58),
            Precision::Minute,
        ),
    ];
    for (text, written, (y, mo, d, h, mi), precision) in rows {
        let out = extract(text);
        let expected = Moment {
            at: utc(*y, *mo, *d, *h, *mi),
            precision: *precision,
        };
        let found: Vec<(String, Moment)> = out
            .times
            .iter()
            .map(|f| (f.text.clone(), f.value))
            .collect();
        assert_eq!(found, [((*written).to_owned(), expected)], "{text}");
    }
}

#[test]
fn a_local_time_skipped_by_daylight_saving_is_read_an_hour_later() {
    // 2026-03-08: New York skips from 02:00 to 03:00 EST→EDT; the ticket arrives at noon.
    let received = utc(2026, 3, 8, 16, 0);
    let extractor = extractor();
    let out = extractor.extract("today at 2:30am", received, chrono_tz::America::New_York);
    let moment = Moment {
        at: utc(2026, 3, 8, 7, 30),
        precision: Precision::Minute,
    };
    assert_eq!(
        out.times.iter().map(|f| f.value).collect::<Vec<_>>(),
        [moment]
    );
}

#[test]
fn a_date_without_year_is_never_after_the_day_the_ticket_arrived() {
    let extractor = extractor();
    // Arrived 2026-01-02 in Shanghai: "12月30日" is in 2025, "1月2日" today.
    let received = utc(2026, 1, 2, 3, 0);
    let out = extractor.extract("12月30日 和 1月2日", received, Shanghai);
    let days: Vec<DateTime<Utc>> = out.times.iter().map(|f| f.value.at).collect();
    assert_eq!(days, [utc(2025, 12, 29, 16, 0), utc(2026, 1, 1, 16, 0)]);
}
