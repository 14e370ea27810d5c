//! Overflow-safe time arithmetic and the evidence formats for times and durations.
//!
//! Facts may carry any protobuf-valid timestamp (years 1 to 9999), so every sum saturates
//! instead of panicking.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

/// `t + d`, clamped to chrono's representable range.
pub fn add(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(if d < TimeDelta::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
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

/// RFC 3339 in UTC with a `Z`, sub-seconds only when present: `2026-11-22T10:00:00Z`.
pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Whole seconds with an `s` suffix: `144s`.
pub fn fmt_secs(d: TimeDelta) -> String {
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
}
