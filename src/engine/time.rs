//! Overflow-safe time arithmetic and the evidence formats for times and durations.
//!
//! Facts may carry any protobuf-valid timestamp (years 1 to 9999), so every sum saturates
//! instead of panicking.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use std::fmt::Write as _;

/// `t + d`, clamped to chrono's representable range. Moments past what the API can carry are
/// kept for comparisons (a window clearing in year 10000 still holds in 9999) and brought into
/// range with [`representable`] where they leave the engine.
pub fn add(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(if d < TimeDelta::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// `t` clamped to what a protobuf `Timestamp` and RFC 3339 can carry (years 1 to 9999): every
/// moment a diagnosis gives, in its next step, evidence and texts, passes through here.
pub fn representable(t: DateTime<Utc>) -> DateTime<Utc> {
    t.clamp(earliest(), latest())
}

/// 0001-01-01T00:00:00Z, the earliest protobuf `Timestamp`.
pub fn earliest() -> DateTime<Utc> {
    DateTime::from_timestamp(-62_135_596_800, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// 9999-12-31T23:59:59.999999999Z, the latest protobuf `Timestamp`.
pub fn latest() -> DateTime<Utc> {
    DateTime::from_timestamp(253_402_300_799, 999_999_999).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `d × factor`, rounded to the millisecond and saturating.
pub fn scale(d: TimeDelta, factor: f64) -> TimeDelta {
    // `as` saturates float-to-int conversions, and NaN becomes 0.
    let ms = (d.num_milliseconds() as f64 * factor).round() as i64;
    TimeDelta::try_milliseconds(ms).unwrap_or(if ms < 0 {
        TimeDelta::MIN
    } else {
        TimeDelta::MAX
    })
}

/// The clock of rails that settle on weekdays only: Saturdays and Sundays (UTC) do not count,
/// nor do the public holidays of the rail's [`Calendar`](business::Calendar).
///
/// Business time is measured from a Monday (1970-01-05): each whole week holds five days of it,
/// and a moment on a weekend stands where the next Monday begins. Both directions are
/// arithmetic, so any span of years costs the same; a calendar's holidays then cost a step each.
pub mod business {
    use chrono::{DateTime, Datelike as _, NaiveDate, TimeDelta, Utc, Weekday};

    const DAY_MS: i64 = 86_400_000;
    const WEEK_MS: i64 = 7 * DAY_MS;
    const WORK_WEEK_MS: i64 = 5 * DAY_MS;
    /// Monday 1970-01-05T00:00:00Z, in milliseconds since the Unix epoch.
    const MONDAY_MS: i64 = 4 * DAY_MS;

    /// Business milliseconds from the reference Monday to `t`.
    fn position(t: DateTime<Utc>) -> i64 {
        let since = t.timestamp_millis() - MONDAY_MS;
        let (weeks, into_week) = (since.div_euclid(WEEK_MS), since.rem_euclid(WEEK_MS));
        weeks * WORK_WEEK_MS + into_week.min(WORK_WEEK_MS)
    }

    /// The moment at business position `position`.
    fn moment(position: i64) -> DateTime<Utc> {
        let (weeks, into_week) = (
            position.div_euclid(WORK_WEEK_MS),
            position.rem_euclid(WORK_WEEK_MS),
        );
        let ms = weeks
            .saturating_mul(WEEK_MS)
            .saturating_add(into_week)
            .saturating_add(MONDAY_MS);
        DateTime::from_timestamp_millis(ms).unwrap_or(if ms < 0 {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
    }

    /// `t + d`, counting weekdays only: where `d` of business time after `t` ends.
    pub fn add(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
        moment(position(t).saturating_add(d.num_milliseconds()))
    }

    /// The business time between `from` and `to` (negative when `to` is earlier).
    pub fn elapsed(from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        TimeDelta::milliseconds(position(to) - position(from))
    }

    /// The days a rail is closed on besides weekends: its public holidays (UTC dates). Each one
    /// on a weekday is a day of business time taken out; a moment on it stands where the next
    /// business day begins, as one on a weekend does.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Calendar {
        /// The dates as given, sorted and without repeats.
        dates: Vec<NaiveDate>,
        /// Where each holiday on a weekday begins on the weekday clock, ascending.
        closed: Vec<i64>,
    }

    impl Calendar {
        /// The calendar of `holidays`, in any order; those on weekends change nothing.
        pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
            let mut dates: Vec<NaiveDate> = holidays.into_iter().collect();
            dates.sort_unstable();
            dates.dedup();
            let closed = dates
                .iter()
                .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
                .map(|d| position(d.and_time(chrono::NaiveTime::MIN).and_utc()))
                .collect();
            Self { dates, closed }
        }

        /// The holidays, ascending.
        pub fn dates(&self) -> &[NaiveDate] {
            &self.dates
        }

        /// Whether there are none.
        pub fn is_empty(&self) -> bool {
            self.dates.is_empty()
        }

        /// The holidays on weekdays from `from` (its day included) to `to`: those a span
        /// between the two skips.
        pub fn skipped(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<NaiveDate> {
            let (first, last) = (from.date_naive(), to.date_naive());
            self.dates
                .iter()
                .filter(|d| **d >= first && **d <= last)
                .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
                .copied()
                .collect()
        }

        /// Business milliseconds from the reference Monday to `t`, holidays taken out.
        fn position(&self, t: DateTime<Utc>) -> i64 {
            let weekday = position(t);
            // Holidays wholly before `t` take out a day each; one `t` falls on, what has passed of it.
            let before = self.closed.partition_point(|c| c + DAY_MS <= weekday);
            let into = self
                .closed
                .get(before)
                .map_or(0, |c| (weekday - c).clamp(0, DAY_MS));
            weekday - before as i64 * DAY_MS - into
        }

        /// The moment at business position `position`, holidays taken out: a position where a
        /// holiday begins is the start of the next business day.
        fn moment(&self, position: i64) -> DateTime<Utc> {
            let mut weekday = position;
            for closed in &self.closed {
                if *closed > weekday {
                    break;
                }
                weekday = weekday.saturating_add(DAY_MS);
            }
            moment(weekday)
        }

        /// `t + d`, counting business days only: where `d` of business time after `t` ends.
        pub fn add(&self, t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
            self.moment(self.position(t).saturating_add(d.num_milliseconds()))
        }

        /// The business time between `from` and `to` (negative when `to` is earlier).
        pub fn elapsed(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
            TimeDelta::milliseconds(self.position(to) - self.position(from))
        }

        /// The first moment by which `d` of business time has passed since `from`: the first
        /// `t` with `elapsed(from, t) >= d` (`from` itself when `d` is not positive). It is
        /// [`Self::add`] except where `d` runs out exactly as a business day ends: `add` names
        /// the next business day's start, this the end of the day it ran out in (Friday
        /// midnight, not Monday's), from which on `elapsed` already reaches `d`.
        pub fn reached(&self, from: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
            // `elapsed` counts whole milliseconds: it reaches `d` at `d` rounded up to one.
            let ms = d.num_milliseconds() + i64::from(d.subsec_nanos() % 1_000_000 > 0);
            if ms <= 0 {
                return from;
            }
            // `add` names the last millisecond in which the count stands one short of `d` (past
            // any closure it stands still through): it reaches `d` as that millisecond ends.
            let one = TimeDelta::milliseconds(1);
            super::add(self.add(from, TimeDelta::milliseconds(ms - 1)), one)
        }
    }
}

/// RFC 3339 in UTC with a `Z`, sub-seconds only when present: `2026-11-22T10:00:00Z`; moments
/// past year 9999 are written as its last.
pub fn fmt_time(t: DateTime<Utc>) -> String {
    representable(t).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Seconds with an `s` suffix, as protobuf's JSON mapping writes a `Duration`, to the
/// millisecond (the precision of every configured and computed span) and without trailing
/// zeros: `144s`, `0.4s`, `142.5s`.
pub fn fmt_secs(d: TimeDelta) -> String {
    let ms = d.num_milliseconds();
    let (whole, fraction) = (ms / 1000, (ms % 1000).unsigned_abs());
    // Room for the longest, so that writing it never regrows the string.
    let mut out = String::with_capacity(24);
    if fraction == 0 {
        let _ = write!(out, "{whole}s");
        return out;
    }
    let sign = if ms < 0 && whole == 0 { "-" } else { "" };
    // Milliseconds without trailing zeros: 400 is `.4`, 450 `.45`, 456 `.456`.
    let (fraction, width) = match fraction {
        f if f % 100 == 0 => (f / 100, 1),
        f if f % 10 == 0 => (f / 10, 2),
        f => (f, 3),
    };
    let _ = write!(out, "{sign}{whole}.{fraction:0width$}s");
    out
}

/// Whole seconds, truncated, with an `s` suffix: for spans measured from observed moments
/// (an age), where the fraction of a second is noise.
pub fn fmt_whole_secs(d: TimeDelta) -> String {
    let mut out = String::with_capacity(24);
    let _ = write!(out, "{}s", d.num_seconds());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.to_utc())
            .unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn date(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn sums_at_the_end_of_time_saturate_instead_of_panicking() {
        let end = DateTime::<Utc>::MAX_UTC;
        assert_eq!(add(end, TimeDelta::days(1)), end);
        assert_eq!(
            add(DateTime::<Utc>::MIN_UTC, -TimeDelta::days(1)),
            DateTime::<Utc>::MIN_UTC
        );
        assert_eq!(scale(TimeDelta::MAX, 1000.0), TimeDelta::MAX);
        assert_eq!(scale(TimeDelta::seconds(10), 2.5), TimeDelta::seconds(25));
    }

    #[test]
    fn moments_past_year_9999_leave_the_engine_as_its_last() {
        let past_the_end = add(latest(), TimeDelta::days(30));
        assert!(past_the_end > latest(), "kept for comparisons");
        assert_eq!(representable(past_the_end), latest());
        assert_eq!(fmt_time(past_the_end), "9999-12-31T23:59:59.999999999Z");
        let before_the_start = add(earliest(), -TimeDelta::seconds(1));
        assert_eq!(fmt_time(before_the_start), "0001-01-01T00:00:00Z");
        let inside = DateTime::from_timestamp(1_795_000_000, 5).unwrap_or_default();
        assert_eq!(representable(inside), inside);
    }

    #[test]
    fn business_time_skips_weekends_in_both_directions() {
        let day = TimeDelta::days(1);
        // Friday 16:00 plus one business day is Monday 16:00.
        let friday = at("2026-11-27T16:00:00Z");
        assert_eq!(business::add(friday, day), at("2026-11-30T16:00:00Z"));
        // Within the week, business time is calendar time.
        let tuesday = at("2026-11-24T09:30:00Z");
        assert_eq!(business::add(tuesday, day), at("2026-11-25T09:30:00Z"));
        // A weekend moment counts from Monday 00:00.
        let saturday = at("2026-11-28T10:00:00Z");
        assert_eq!(
            business::add(saturday, TimeDelta::hours(3)),
            at("2026-11-30T03:00:00Z")
        );
        assert_eq!(business::elapsed(friday, saturday), TimeDelta::hours(8));
        assert_eq!(
            business::elapsed(friday, at("2026-11-30T09:00:00Z")),
            TimeDelta::hours(17)
        );
        assert_eq!(business::elapsed(saturday, friday), -TimeDelta::hours(8));
        // Whole weeks are five days; years away cost nothing more and stay exact.
        assert_eq!(
            business::add(tuesday, TimeDelta::days(10)),
            tuesday + TimeDelta::days(14)
        );
        let first = at("0001-01-01T00:00:00Z");
        let last = at("9999-12-31T23:59:59Z");
        assert_eq!(business::add(first, business::elapsed(first, last)), last);
        assert_eq!(
            business::add(last, TimeDelta::MAX),
            DateTime::<Utc>::MAX_UTC
        );
    }

    #[test]
    fn a_calendars_holidays_count_no_more_than_a_weekend_in_both_directions() {
        let day = TimeDelta::days(1);
        // Easter 2026: Good Friday 3 April and Easter Monday 6 April, given in any order and
        // twice, with Saturday 26 December, which changes nothing.
        let easter = business::Calendar::new(
            ["2026-04-06", "2026-04-03", "2026-04-06", "2026-12-26"].map(date),
        );
        let none = business::Calendar::default();
        let thursday = at("2026-04-02T16:00:00Z");
        assert_eq!(none.add(thursday, day), at("2026-04-03T16:00:00Z"));
        assert_eq!(easter.add(thursday, day), at("2026-04-07T16:00:00Z"));
        // Ending exactly as a holiday begins is beginning the next business day.
        assert_eq!(
            easter.add(thursday, TimeDelta::hours(8)),
            at("2026-04-07T00:00:00Z")
        );
        // A moment on a holiday stands where the next business day begins.
        let good_friday = at("2026-04-03T11:00:00Z");
        assert_eq!(
            easter.add(good_friday, TimeDelta::hours(3)),
            at("2026-04-07T03:00:00Z")
        );
        assert_eq!(easter.elapsed(thursday, good_friday), TimeDelta::hours(8));
        assert_eq!(
            easter.elapsed(thursday, at("2026-04-07T09:00:00Z")),
            TimeDelta::hours(17)
        );
        assert_eq!(easter.elapsed(good_friday, thursday), -TimeDelta::hours(8));
        // Away from the holidays, the calendar is the weekday clock.
        let tuesday = at("2026-11-24T09:30:00Z");
        assert_eq!(easter.add(tuesday, day), business::add(tuesday, day));
        assert_eq!(
            easter.elapsed(at("2026-04-07T00:00:00Z"), tuesday),
            business::elapsed(at("2026-04-07T00:00:00Z"), tuesday)
        );
        let first = at("0001-01-01T00:00:00Z");
        let last = at("9999-12-31T23:59:59Z");
        assert_eq!(easter.add(first, easter.elapsed(first, last)), last);
        assert_eq!(easter.add(last, TimeDelta::MAX), DateTime::<Utc>::MAX_UTC);
        assert_eq!(easter.dates().len(), 3);
        assert_eq!(
            easter.skipped(thursday, at("2026-12-31T00:00:00Z")),
            ["2026-04-03", "2026-04-06"].map(date)
        );
    }

    #[test]
    fn business_time_is_reached_where_the_last_business_day_it_needs_ends() {
        let none = business::Calendar::default();
        let easter = business::Calendar::new(["2026-04-03", "2026-04-06"].map(date));
        let day = TimeDelta::days(1);
        // Two business days from Thursday run out as Friday ends, not as Monday begins.
        let thursday = at("2026-11-19T00:00:00Z");
        assert_eq!(
            none.add(thursday, TimeDelta::days(2)),
            at("2026-11-23T00:00:00Z")
        );
        assert_eq!(
            none.reached(thursday, TimeDelta::days(2)),
            at("2026-11-21T00:00:00Z")
        );
        // One from the Thursday before Good Friday runs out as the holiday begins.
        let before_easter = at("2026-04-02T00:00:00Z");
        assert_eq!(easter.add(before_easter, day), at("2026-04-07T00:00:00Z"));
        assert_eq!(
            easter.reached(before_easter, day),
            at("2026-04-03T00:00:00Z")
        );
        // Inside business time it is `add`; a fraction of a millisecond takes the next one.
        let tuesday = at("2026-11-24T09:30:00.000400Z");
        assert_eq!(none.reached(tuesday, day), none.add(tuesday, day));
        assert_eq!(
            none.reached(tuesday, day + TimeDelta::nanoseconds(1)),
            none.add(tuesday, day + TimeDelta::milliseconds(1))
        );
        assert_eq!(none.reached(tuesday, TimeDelta::zero()), tuesday);
        // Everywhere: the first moment by which `elapsed` reaches the span.
        let just_before = |t: DateTime<Utc>| t - TimeDelta::nanoseconds(1);
        for calendar in [&none, &easter] {
            for from in [thursday, before_easter, tuesday, at("2026-04-04T10:00:00Z")] {
                for d in [
                    TimeDelta::milliseconds(1),
                    TimeDelta::hours(5),
                    day,
                    TimeDelta::days(2),
                    TimeDelta::days(5) + TimeDelta::nanoseconds(1),
                ] {
                    let reached = calendar.reached(from, d);
                    assert!(calendar.elapsed(from, reached) >= d, "{from} + {d}");
                    assert!(
                        calendar.elapsed(from, just_before(reached)) < d,
                        "{from} + {d}"
                    );
                }
            }
        }
    }

    #[test]
    fn durations_are_written_in_seconds_to_the_millisecond() {
        let ms = TimeDelta::milliseconds;
        for (span, written) in [
            (ms(0), "0s"),
            (ms(144_000), "144s"),
            (ms(400), "0.4s"),
            (ms(142_500), "142.5s"),
            (ms(12_345), "12.345s"),
            (ms(1_050), "1.05s"),
            (ms(1_005), "1.005s"),
            (ms(20), "0.02s"),
            (ms(-400), "-0.4s"),
            (ms(-1_500), "-1.5s"),
            (TimeDelta::MAX, "9223372036854775.807s"),
        ] {
            assert_eq!(fmt_secs(span), written);
        }
        assert_eq!(fmt_whole_secs(ms(122_999)), "122s");
    }
}
