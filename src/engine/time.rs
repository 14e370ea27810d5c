//! Overflow-safe time arithmetic and the evidence formats for times and durations.
//!
//! Facts may carry any protobuf-valid timestamp (years 1 to 9999), so every sum saturates
//! instead of panicking.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

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
    if fraction == 0 {
        return format!("{whole}s");
    }
    let sign = if ms < 0 && whole == 0 { "-" } else { "" };
    let digits = format!("{fraction:03}");
    format!("{sign}{whole}.{}s", digits.trim_end_matches('0'))
}

/// Whole seconds, truncated, with an `s` suffix: for spans measured from observed moments
/// (an age), where the fraction of a second is noise.
pub fn fmt_whole_secs(d: TimeDelta) -> String {
    format!("{}s", d.num_seconds())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn durations_are_written_in_seconds_to_the_millisecond() {
        let ms = TimeDelta::milliseconds;
        for (span, written) in [
            (ms(0), "0s"),
            (ms(144_000), "144s"),
            (ms(400), "0.4s"),
            (ms(142_500), "142.5s"),
            (ms(12_345), "12.345s"),
            (ms(1_050), "1.05s"),
            (ms(-400), "-0.4s"),
            (ms(-1_500), "-1.5s"),
            (TimeDelta::MAX, "9223372036854775.807s"),
        ] {
            assert_eq!(fmt_secs(span), written);
        }
        assert_eq!(fmt_whole_secs(ms(122_999)), "122s");
    }
}
