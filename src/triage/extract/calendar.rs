//! From pieces to moments: adjacent pieces join in the order a time is written (day, part of the
//! day, clock time), and the whole is read in the customer's zone relative to the ticket's
//! arrival.

use super::text::Text;
use super::times::{Atom, Part, Piece};
use super::{Extraction, MAX_ITEMS, Moment, Precision};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// Pieces read together as one time.
#[derive(Debug, Default)]
struct Group {
    start: usize,
    end: usize,
    day: Option<Atom>,
    part: Option<Part>,
    clock: Option<Atom>,
    /// "2 hours ago" or "just now": a moment on its own.
    alone: Option<Atom>,
    /// How many pieces it holds.
    pieces: usize,
}

/// Where a piece goes in a group: each slot after the one before ("昨天 下午 3点").
fn slot(atom: &Atom) -> u8 {
    match atom {
        Atom::Date { .. } | Atom::Numeric { .. } | Atom::Day(_) => 1,
        Atom::DayPart(..) | Atom::Part(_) => 2,
        Atom::Clock { .. } => 3,
        Atom::Ago(..) | Atom::Now => 4,
    }
}

/// Adds the times of `pieces` to `out`.
pub(super) fn find(
    text: &Text<'_>,
    pieces: &[Piece],
    received_at: DateTime<Utc>,
    zone: Tz,
    out: &mut Extraction,
) {
    let mut index = 0;
    while index < pieces.len() && out.times.len() < MAX_ITEMS {
        let (group, next) = group_at(text, pieces, index);
        // Always move on, whatever the group took.
        index = next.max(index + 1);
        if let Some(moment) = resolve(&group, received_at, zone) {
            out.times.push(text.found(group.start, group.end, moment));
        }
    }
}

/// The group starting at `pieces[first]`, and the index after its last piece.
fn group_at(text: &Text<'_>, pieces: &[Piece], first: usize) -> (Group, usize) {
    let mut group = Group::default();
    let mut filled = 0;
    let mut next = first;
    while let Some(piece) = pieces.get(next) {
        let slot = slot(&piece.atom);
        let joins =
            next == first || (slot < 4 && slot > filled && adjacent(text, group.end, piece.start));
        // A day and part in one word ("last night") needs the day slot free too.
        if !joins || (matches!(piece.atom, Atom::DayPart(..)) && filled >= 1) {
            break;
        }
        add(&mut group, piece);
        filled = slot;
        next += 1;
        if slot == 4 {
            return (group, next);
        }
    }
    // "3pm yesterday", "2:58pm on May 30": a day written after the clock time.
    let after = pieces
        .get(next)
        .filter(|p| slot(&p.atom) == 1 && adjacent(text, group.end, p.start));
    if let Some(piece) = after.filter(|_| group.day.is_none() && group.clock.is_some()) {
        add(&mut group, piece);
        next += 1;
    }
    (group, next)
}

fn add(group: &mut Group, piece: &Piece) {
    if group.pieces == 0 {
        group.start = piece.start;
    }
    group.pieces += 1;
    group.end = group.end.max(piece.end);
    match piece.atom {
        Atom::DayPart(day, part) => {
            group.day = Some(Atom::Day(day));
            group.part = Some(part);
        }
        Atom::Part(part) => group.part = Some(part),
        Atom::Clock { .. } => group.clock = Some(piece.atom),
        Atom::Ago(..) | Atom::Now => group.alone = Some(piece.atom),
        _ => group.day = Some(piece.atom),
    }
}

/// Whether only spaces and a joining word stand between two pieces ("yesterday at 3pm",
/// "2026-05-30T14:58", "5月30日 14:58").
fn adjacent(text: &Text<'_>, end: usize, start: usize) -> bool {
    const JOINERS: &[&str] = &[
        "", "at", "on", "around", "about", "t", "@", "的", "约", "大约", "大概",
    ];
    let Some(gap) = text.norm.get(end..start).filter(|gap| gap.len() <= 16) else {
        return false;
    };
    let gap = gap
        .trim_matches(|c: char| c.is_whitespace() || c == ',')
        .to_ascii_lowercase();
    JOINERS.contains(&gap.as_str())
}

/// The moment a group stands for, read in the zone its clock time names or else in `zone`.
fn resolve(group: &Group, received_at: DateTime<Utc>, zone: Tz) -> Option<Moment> {
    match group.alone {
        Some(Atom::Ago(delta, precision)) => {
            return Some(Moment {
                at: received_at.checked_sub_signed(delta)?,
                precision,
            });
        }
        Some(_) => {
            return Some(Moment {
                at: received_at,
                precision: Precision::Minute,
            });
        }
        None => {}
    }
    match group.clock {
        Some(Atom::Clock {
            offset: Some(seconds),
            ..
        }) => resolve_in(group, received_at, &FixedOffset::east_opt(seconds)?),
        _ => resolve_in(group, received_at, &zone),
    }
}

fn resolve_in<Z: TimeZone>(group: &Group, received_at: DateTime<Utc>, zone: &Z) -> Option<Moment> {
    let today = received_at.with_timezone(zone).date_naive();
    let (hour, minute, precision) = time_of_day(group)?;
    let at = |date: NaiveDate| to_utc(zone, date, hour, minute);
    let date = match group.day {
        Some(day) => day_of(day, group.clock.is_some(), today)?,
        // A part of the day alone ("早上好") is no time.
        None if group.clock.is_none() => return None,
        // A clock time alone is today's, or yesterday's when today's is still to come.
        None => {
            let yesterday = today.pred_opt()?;
            if at(today)? > received_at {
                yesterday
            } else {
                today
            }
        }
    };
    Some(Moment {
        at: at(date)?,
        precision,
    })
}

/// Hour (up to 24, the midnight ending the day), minute and precision of a group.
fn time_of_day(group: &Group) -> Option<(u32, u32, Precision)> {
    let Some(Atom::Clock {
        hour,
        minute,
        meridiem,
        ..
    }) = group.clock
    else {
        return Some(match group.part {
            Some(part) => (part.start_hour(), 0, Precision::Hour),
            None => (0, 0, Precision::Day),
        });
    };
    let hour = match group.part {
        Some(part) if !meridiem => part.hour(hour)?,
        _ if hour <= 23 => hour,
        _ => return None,
    };
    let precision = if minute.is_some() {
        Precision::Minute
    } else {
        Precision::Hour
    };
    let minute = minute.unwrap_or(0);
    (hour <= 24 && minute <= 59 && !(hour == 24 && minute > 0)).then_some((hour, minute, precision))
}

/// The date a day piece names, seen from `today`.
fn day_of(day: Atom, has_clock: bool, today: NaiveDate) -> Option<NaiveDate> {
    match day {
        Atom::Date { year, month, day } => calendar_date(year, month, day, today),
        // "30/05" alone could be many things; with a clock time or a year it is a date.
        Atom::Numeric {
            first,
            second,
            year,
        } if has_clock || year.is_some() => {
            let (day, month) = if first <= 12 && second > 12 {
                (second, first)
            } else {
                (first, second)
            };
            calendar_date(year, month, day, today)
        }
        Atom::Day(offset) => today.checked_add_signed(TimeDelta::try_days(offset)?),
        _ => None,
    }
}

/// The date; without a year, the latest such date not after `today` (eight years back reach a
/// 29 February).
fn calendar_date(year: Option<i32>, month: u32, day: u32, today: NaiveDate) -> Option<NaiveDate> {
    match year {
        Some(year) => NaiveDate::from_ymd_opt(year, month, day),
        None => (0..8).find_map(|back| {
            let date = NaiveDate::from_ymd_opt(today.year().checked_sub(back)?, month, day)?;
            (date <= today).then_some(date)
        }),
    }
}

/// `hour:minute` of `date` in `zone`, in UTC; a local time skipped by a DST change is read an
/// hour later, a repeated one at its first occurrence.
fn to_utc<Z: TimeZone>(zone: &Z, date: NaiveDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    let midnight: NaiveDateTime = date.and_hms_opt(0, 0, 0)?;
    let offset =
        TimeDelta::try_hours(hour.into())?.checked_add(&TimeDelta::try_minutes(minute.into())?)?;
    let local = midnight.checked_add_signed(offset)?;
    let shifted = local.checked_add_signed(TimeDelta::try_hours(1)?)?;
    let found = zone
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| zone.from_local_datetime(&shifted).earliest());
    found.map(|at| at.with_timezone(&Utc))
}
