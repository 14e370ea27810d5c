//! The pieces times are written in: dates, day words, parts of the day, clock times, "… ago".
//! One regex finds every piece; [`super::calendar`] joins adjacent pieces into moments.

use super::text::Text;
use super::{MAX_CANDIDATES, MAX_ITEMS};
use chrono::TimeDelta;
use regex::{Captures, Regex};

/// A part of the day, with the hour it starts at (its start is the moment it stands for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// 凌晨: 00:00.
    SmallHours,
    /// 早上, 清晨, "morning": 06:00.
    Morning,
    /// 上午: 09:00.
    Forenoon,
    /// 中午, "noon": 12:00.
    Noon,
    /// 下午, "afternoon": 12:00.
    Afternoon,
    /// 傍晚: 17:00.
    Dusk,
    /// 晚上, "evening", "tonight", "last night": 18:00.
    Evening,
    /// 夜里, 深夜, 半夜, "night": 21:00.
    Night,
}

/// The words for parts of the day, Chinese and English.
const PARTS: &[(&str, Part)] = &[
    ("凌晨", Part::SmallHours),
    ("清晨", Part::Morning),
    ("早上", Part::Morning),
    ("早晨", Part::Morning),
    ("上午", Part::Forenoon),
    ("中午", Part::Noon),
    ("下午", Part::Afternoon),
    ("傍晚", Part::Dusk),
    ("晚上", Part::Evening),
    ("夜里", Part::Night),
    ("深夜", Part::Night),
    ("半夜", Part::Night),
    ("morning", Part::Morning),
    ("noon", Part::Noon),
    ("afternoon", Part::Afternoon),
    ("evening", Part::Evening),
    ("night", Part::Night),
];

/// Words for a day and a part of it at once, with the day's offset from today.
const DAY_PARTS: &[(&str, i64, Part)] = &[
    ("今早", 0, Part::Morning),
    ("今晨", 0, Part::Morning),
    ("今晚", 0, Part::Evening),
    ("昨晚", -1, Part::Evening),
    ("昨夜", -1, Part::Evening),
    ("this morning", 0, Part::Morning),
    ("this afternoon", 0, Part::Afternoon),
    ("this evening", 0, Part::Evening),
    ("tonight", 0, Part::Evening),
    ("last night", -1, Part::Evening),
];

/// Words for a day, with its offset from today.
const DAYS: &[(&str, i64)] = &[
    ("大前天", -3),
    ("前天", -2),
    ("昨天", -1),
    ("昨日", -1),
    ("今天", 0),
    ("今日", 0),
    ("the day before yesterday", -2),
    ("day before yesterday", -2),
    ("yesterday", -1),
    ("today", 0),
];

impl Part {
    /// The hour the part starts at.
    pub fn start_hour(self) -> u32 {
        match self {
            Part::SmallHours => 0,
            Part::Morning => 6,
            Part::Forenoon => 9,
            Part::Noon | Part::Afternoon => 12,
            Part::Dusk => 17,
            Part::Evening => 18,
            Part::Night => 21,
        }
    }

    /// The hour of the day "`hour` o'clock" means in this part ("下午2点" is 14, "晚上12点" is
    /// 24, the midnight ending the day), or `None` when it cannot be in it.
    pub fn hour(self, hour: u32) -> Option<u32> {
        match (self, hour) {
            (_, 13..=23) => Some(hour),
            (Part::SmallHours | Part::Morning | Part::Forenoon, 12) => Some(0),
            (Part::SmallHours | Part::Morning | Part::Forenoon, 0..=11) => Some(hour),
            (Part::Noon, 0..=5) | (Part::Afternoon | Part::Dusk, 1..=11) => Some(hour + 12),
            (Part::Noon | Part::Afternoon | Part::Dusk, _) => Some(hour),
            (Part::Evening, 1..=11) | (Part::Night, 6..=11) => Some(hour + 12),
            (Part::Evening | Part::Night, 12) => Some(24),
            (Part::Night, _) => Some(hour),
            _ => None,
        }
    }
}

/// One piece of a time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Atom {
    /// A calendar date; the year may be left out.
    Date {
        year: Option<i32>,
        month: u32,
        day: u32,
    },
    /// "30/05" or "05/30": day and month in an order told by their values (day first when both
    /// could be months). Only a date with a clock time after it, or with its year.
    Numeric {
        first: u32,
        second: u32,
        year: Option<i32>,
    },
    /// A day relative to today: 0 today, -1 yesterday.
    Day(i64),
    /// A day relative to today and a part of it ("last night").
    DayPart(i64, Part),
    /// A part of a day ("下午"): a time only with a day or a clock time next to it.
    Part(Part),
    /// A clock time: hour, minutes if given, whether "am"/"pm" already made the hour a 24-hour
    /// one, and an explicit UTC offset in seconds ("14:58 UTC", "14:58+08:00").
    Clock {
        hour: u32,
        minute: Option<u32>,
        meridiem: bool,
        offset: Option<i32>,
    },
    /// A span of time before the ticket was received, and how precisely it was given.
    Ago(TimeDelta, super::Precision),
    /// "刚才", "just now".
    Now,
}

/// An atom and the bytes of the normalized text it was read from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Piece {
    pub start: usize,
    pub end: usize,
    pub atom: Atom,
}

/// Finds the pieces of times.
#[derive(Debug)]
pub(super) struct Pieces {
    pattern: Regex,
}

const MONTHS: &str = r"(?i-u:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|May|MAY";
const MERIDIEM: &str = r"(?i-u:a\.m\.|p\.m\.|am|pm)";
const CN_NUMBER: &str = "[零一二两三四五六七八九十]{1,3}";

impl Pieces {
    pub fn new() -> Result<Self, regex::Error> {
        Ok(Self {
            pattern: Regex::new(&pattern())?,
        })
    }

    /// Every piece of `text` outside references, hashes, addresses and memos, in text order.
    pub fn find(&self, text: &Text<'_>) -> Vec<Piece> {
        let mut pieces = Vec::new();
        // Most candidates in hostile text fail the cheap checks: only a piece that stands alone
        // is matched again for its groups, on its own few bytes (its edges were checked above).
        for found in self.pattern.find_iter(&text.norm).take(MAX_CANDIDATES) {
            let (start, end, piece) = (found.start(), found.end(), found.as_str());
            if !stands_alone(text, start, end, piece) || text.is_taken(start, end) {
                continue;
            }
            let Some(caps) = self.pattern.captures(piece) else {
                continue;
            };
            if let Some(atom) = caps
                .get(0)
                .filter(|m| m.len() == piece.len())
                .and_then(|_| read(&caps))
            {
                pieces.push(Piece { start, end, atom });
            }
            // A time takes at most four pieces: this many make the longest list of times, and
            // past them a ticket is noise.
            if pieces.len() >= 4 * MAX_ITEMS {
                break;
            }
        }
        pieces
    }
}

/// The one pattern of every piece, each alternative with its own named groups.
fn pattern() -> String {
    let words = |names: &mut dyn Iterator<Item = &str>| {
        super::amount::alternation(names).replace(' ', "[ ]")
    };
    let days = words(&mut DAYS.iter().map(|(w, _)| *w));
    let day_parts = words(&mut DAY_PARTS.iter().map(|(w, _, _)| *w));
    let parts = words(&mut PARTS.iter().map(|(w, _)| *w));
    // Case-insensitive English; an ASCII word must also start a word (checked by `stands_alone`).
    let alternatives = [
        r"(?P<ymd_y>[0-9]{4})(?P<ymd_s>[-/.])(?P<ymd_m>[0-9]{1,2})(?P<ymd_s2>[-/.])(?P<ymd_d>[0-9]{1,2})".to_owned(),
        r"(?:(?P<cn_y>[0-9]{4})[ ]?年[ ]?)?(?P<cn_m>[0-9]{1,2})[ ]?月[ ]?(?P<cn_d>[0-9]{1,2})[ ]?[日号]".to_owned(),
        r"(?P<num_a>[0-9]{1,2})/(?P<num_b>[0-9]{1,2})(?:/(?P<num_y>[0-9]{4}))?".to_owned(),
        format!(r"(?P<md_mon>{MONTHS})\.?[ ](?P<md_d>[0-9]{{1,2}})(?i-u:st|nd|rd|th)?(?:,?[ ](?P<md_y>[0-9]{{4}}))?"),
        format!(r"(?P<dm_d>[0-9]{{1,2}})(?i-u:st|nd|rd|th)?[ ](?i-u:of[ ])?(?P<dm_mon>{MONTHS})\.?(?:,?[ ](?P<dm_y>[0-9]{{4}}))?"),
        r"(?P<ago_n>[0-9]{1,4}|(?i-u:an?|one|two|three|four|five|six|seven|eight|nine|ten|half[ ]an))[ ]?(?P<ago_u>(?i-u:minutes?|mins?|hours?|hrs?|days?))[ ](?i-u:ago)".to_owned(),
        format!(r"(?P<cnago_n>[0-9]{{1,4}}|{CN_NUMBER}|半)[ ]?个?[ ]?(?P<cnago_u>分钟|小时|钟头|天)[ ]?[之以]?前"),
        format!(r"(?P<clk_h>[0-9]{{1,2}}):(?P<clk_m>[0-9]{{2}})(?::[0-9]{{2}})?(?:[ ]?(?P<clk_ap>{MERIDIEM}))?(?:[ ]?(?P<clk_z>(?:UTC|GMT)(?:[+-][0-9]{{1,2}}(?::?[0-9]{{2}})?)?|Z|\+[01][0-9]:?[0-9]{{2}}))?"),
        format!(r"(?P<ap_h>[0-9]{{1,2}})[ ]?(?P<ap_ap>{MERIDIEM})"),
        format!(r"(?P<cc_h>[0-9]{{1,2}}|{CN_NUMBER})[ ]?[点點时時](?:[ ]?(?P<cc_m>[0-9]{{1,2}})[ ]?分|(?P<cc_m2>[0-9]{{2}})|(?P<cc_half>半))?"),
        format!(r"(?P<day_part>(?i-u:{day_parts}))"),
        format!(r"(?P<day>(?i-u:{days}))"),
        format!(r"(?P<part>(?i-u:{parts}))"),
        r"(?P<now>刚才|刚刚|(?i-u:just[ ]now))".to_owned(),
    ];
    alternatives.join("|")
}

/// Whether the match is a whole piece, not the tail or head of a longer number or word: "v2:30",
/// "12026-05-30", "5/30/26", "第3点" are not times.
fn stands_alone(text: &Text<'_>, start: usize, end: usize, piece: &str) -> bool {
    let (Some(first), Some(last)) = (piece.chars().next(), piece.chars().next_back()) else {
        return false;
    };
    let before = text.before(start);
    let after = text.after(end);
    let after_next = after.and_then(|c| text.after(end + c.len_utf8()));
    let digit_follows = after_next.is_some_and(|c| c.is_ascii_digit());
    if first.is_ascii_digit() {
        // "2026-05-30T14:58": the clock after an ISO date's T.
        let iso_clock = before == Some('T') && piece.contains(':');
        if text.number_glued_before(start, &['+', '第']) && !iso_clock {
            return false;
        }
    } else if first.is_ascii_alphabetic() && before.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    if last.is_ascii_digit() {
        return match after {
            Some(c) if c.is_ascii_digit() => false,
            Some('T') => digit_follows,
            Some(c) if c.is_ascii_alphabetic() => false,
            Some('.' | ':' | '/' | ',') => !digit_follows,
            _ => true,
        };
    }
    !(last.is_ascii_alphabetic() && after.is_some_and(|c| c.is_ascii_alphanumeric()))
}

/// The named groups of one match.
struct Groups<'c, 'h>(&'c Captures<'h>);

impl Groups<'_, '_> {
    fn text(&self, name: &str) -> Option<&str> {
        self.0.name(name).map(|m| m.as_str())
    }

    fn number(&self, name: &str) -> Option<u32> {
        self.text(name)?.parse().ok()
    }

    fn year(&self, name: &str) -> Option<i32> {
        self.text(name)?.parse().ok()
    }
}

/// The atom a match of [`pattern`] stands for, or `None` when its numbers make no sense.
fn read(caps: &Captures<'_>) -> Option<Atom> {
    let groups = Groups(caps);
    let has = |name: &str| caps.name(name).is_some();
    if ["ymd_y", "cn_m", "num_a", "md_mon", "dm_mon"]
        .into_iter()
        .any(has)
    {
        return date(&groups);
    }
    if let (Some(count), Some(unit)) = (groups.text("ago_n"), groups.text("ago_u")) {
        return ago(count, unit);
    }
    if let (Some(count), Some(unit)) = (groups.text("cnago_n"), groups.text("cnago_u")) {
        return ago(count, unit);
    }
    if ["clk_h", "ap_h", "cc_h"].into_iter().any(has) {
        return clock(&groups);
    }
    words(caps)
}

/// "2026-05-30", "2026年5月30日", "30/05", "May 30", "30 May 2026".
fn date(groups: &Groups<'_, '_>) -> Option<Atom> {
    let named = |year: &str, month: u32, day: &str| {
        let (year, day) = (groups.year(year), groups.number(day)?);
        Some(Atom::Date { year, month, day })
    };
    if groups.text("ymd_y").is_some() {
        // "2026-05/30" mixes separators: not a date.
        if groups.text("ymd_s")? != groups.text("ymd_s2")? {
            return None;
        }
        return named("ymd_y", groups.number("ymd_m")?, "ymd_d");
    }
    if groups.text("cn_m").is_some() {
        return named("cn_y", groups.number("cn_m")?, "cn_d");
    }
    if let Some(month) = groups.text("md_mon") {
        return named("md_y", month_number(month)?, "md_d");
    }
    if let Some(month) = groups.text("dm_mon") {
        return named("dm_y", month_number(month)?, "dm_d");
    }
    let (first, second) = (groups.number("num_a")?, groups.number("num_b")?);
    Some(Atom::Numeric {
        first,
        second,
        year: groups.year("num_y"),
    })
}

/// "14:58", "2:58pm", "14:58 UTC", "3pm", "下午2点半" (the part comes as its own piece).
fn clock(groups: &Groups<'_, '_>) -> Option<Atom> {
    if let Some(hour) = groups.number("clk_h") {
        let (hour, meridiem) = match groups.text("clk_ap") {
            Some(written) => (meridiem_hour(hour, written)?, true),
            None => (hour, false),
        };
        let offset = match groups.text("clk_z") {
            Some(zone) => Some(utc_offset(zone)?),
            None => None,
        };
        let minute = Some(groups.number("clk_m")?);
        return Some(Atom::Clock {
            hour,
            minute,
            meridiem,
            offset,
        });
    }
    if let (Some(hour), Some(written)) = (groups.number("ap_h"), groups.text("ap_ap")) {
        let hour = meridiem_hour(hour, written)?;
        return Some(Atom::Clock {
            hour,
            minute: None,
            meridiem: true,
            offset: None,
        });
    }
    let written = groups.text("cc_h")?;
    let hour = written.parse().ok().or_else(|| chinese_number(written))?;
    let half = groups.text("cc_half").map(|_| 30);
    let minute = groups
        .number("cc_m")
        .or_else(|| groups.number("cc_m2"))
        .or(half);
    Some(Atom::Clock {
        hour,
        minute,
        meridiem: false,
        offset: None,
    })
}

/// The atoms written as words alone: days, parts of days, "just now".
fn words(caps: &Captures<'_>) -> Option<Atom> {
    let lower = |name: &str| caps.name(name).map(|m| m.as_str().to_ascii_lowercase());
    if let Some(word) = lower("day_part") {
        let (_, day, part) = DAY_PARTS.iter().find(|(w, _, _)| *w == word)?;
        return Some(Atom::DayPart(*day, *part));
    }
    if let Some(word) = lower("day") {
        let (_, day) = DAYS.iter().find(|(w, _)| *w == word)?;
        return Some(Atom::Day(*day));
    }
    if let Some(word) = lower("part") {
        let (_, part) = PARTS.iter().find(|(w, _)| *w == word)?;
        return Some(Atom::Part(*part));
    }
    caps.name("now").map(|_| Atom::Now)
}

/// "2 hours ago", "30分钟前", "3 days ago" (a day), "半小时前" (half an hour).
fn ago(count: &str, unit: &str) -> Option<Atom> {
    use super::Precision::{Hour, Minute};
    let unit = unit.to_ascii_lowercase();
    let half = matches!(count, "半") || count.eq_ignore_ascii_case("half an");
    if unit.starts_with("day") || unit == "天" {
        return if half {
            None
        } else {
            Some(Atom::Day(-i64::from(count_number(count)?)))
        };
    }
    let hours = unit.starts_with('h') || unit == "小时" || unit == "钟头";
    match (hours, half) {
        (true, true) => Some(Atom::Ago(TimeDelta::try_minutes(30)?, Minute)),
        (true, false) => Some(Atom::Ago(
            TimeDelta::try_hours(count_number(count)?.into())?,
            Hour,
        )),
        (false, false) => Some(Atom::Ago(
            TimeDelta::try_minutes(count_number(count)?.into())?,
            Minute,
        )),
        (false, true) => None,
    }
}

/// A count written in digits, in Chinese numerals or as an English word ("an hour").
fn count_number(count: &str) -> Option<u32> {
    const WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let lower = count.to_ascii_lowercase();
    if lower == "a" || lower == "an" {
        return Some(1);
    }
    let word = WORDS
        .iter()
        .position(|w| *w == lower)
        .and_then(|i| u32::try_from(i + 1).ok());
    count
        .parse()
        .ok()
        .or(word)
        .or_else(|| chinese_number(count))
}

/// 一 to 九十九 ("两" for two).
fn chinese_number(written: &str) -> Option<u32> {
    let digit = |c: &char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == *c)
            .or((*c == '两').then_some(2))
    };
    let digit = |c: &char| digit(c).and_then(|d| u32::try_from(d).ok());
    let chars: Vec<char> = written.chars().collect();
    match chars.as_slice() {
        [d] if *d == '十' => Some(10),
        [d] => digit(d),
        ['十', d] => Some(10 + digit(d)?),
        [t, '十'] => Some(10 * digit(t)?),
        [t, '十', d] => Some(10 * digit(t)? + digit(d)?),
        _ => None,
    }
}

/// The 24-hour hour of "`hour` am" or "`hour` pm".
fn meridiem_hour(hour: u32, written: &str) -> Option<u32> {
    let pm = written.starts_with(['p', 'P']);
    match (hour, pm) {
        (12, false) => Some(0),
        (12, true) => Some(12),
        (1..=11, false) => Some(hour),
        (1..=11, true) => Some(hour + 12),
        _ => None,
    }
}

/// The offset from UTC, in seconds, of "UTC", "GMT+8", "Z", "+08:00" or "+0800".
fn utc_offset(written: &str) -> Option<i32> {
    let rest = written.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let Some(sign) = rest.chars().next() else {
        return Some(0);
    };
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 | 4 => (
            digits.get(..digits.len() - 2)?.parse::<i32>().ok()?,
            digits.get(digits.len() - 2..)?.parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    let seconds = hours * 3600 + minutes * 60;
    Some(if sign == '-' { -seconds } else { seconds })
}

/// 1 to 12 from an English month name or its abbreviation.
fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix = name.get(..3)?.to_ascii_lowercase();
    let index = MONTHS.iter().position(|m| *m == prefix)?;
    u32::try_from(index + 1).ok()
}
