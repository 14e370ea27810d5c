//! Moments, durations and lists, written the way each catalog says: its `format-*`, `month-*`
//! and `duration-*` messages, so that a locale's writing is its catalog alone.

use super::{Catalog, Locale, template::Value};
use chrono::{DateTime, Datelike as _, TimeDelta, Timelike as _, Utc};
use chrono_tz::{OffsetName as _, Tz};
use std::fmt::Write as _;

/// What a catalog says in plain words about its writing, read once at load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formats {
    /// Between the items of a list (`format-list-separator`).
    pub list_separator: String,
    /// How a zone the catalog has no words of its own for is named (`format-zone-name`).
    pub zone_name: ZoneName,
}

/// How a locale names a time zone it has no words for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneName {
    /// By its abbreviation where the time zone database has one (`CET`, `EDT`), else by its
    /// UTC offset.
    Abbreviation,
    /// By its UTC offset (`UTC+1`, `UTC-4`, `UTC+5:30`).
    Offset,
}

/// The month words of the catalogs, `month-1` to `month-12`.
const MONTHS: [&str; 12] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
];

impl Formats {
    /// Reads the plain messages of a catalog (`plain` gives a message's text when it takes no
    /// arguments); the error names what is missing or wrong.
    pub fn read<'a>(plain: impl Fn(&str) -> Option<&'a str>) -> Result<Self, String> {
        let text = |id: &str| plain(id).ok_or_else(|| format!("{id} is missing or not plain text"));
        let zone_name = match text("format-zone-name")? {
            "abbreviation" => ZoneName::Abbreviation,
            "offset" => ZoneName::Offset,
            other => {
                return Err(format!(
                    "format-zone-name must be abbreviation or offset, not {other:?}"
                ));
            }
        };
        Ok(Self {
            list_separator: text("format-list-separator")?.to_owned(),
            zone_name,
        })
    }
}

impl Catalog {
    /// A moment to the minute in the locale's zone, named the locale's way
    /// (`format-moment`, `format-moment-in-zone`).
    pub(super) fn moment(
        &self,
        locale: Locale,
        t: DateTime<Utc>,
        errors: &mut Vec<String>,
    ) -> String {
        let zone = locale.zone();
        // UTC, the common case, needs no look-up in a zone's transition table.
        let local = match zone {
            Tz::UTC => t.naive_utc(),
            _ => t.with_timezone(&zone).naive_local(),
        };
        let month = self.word(locale, "month", MONTHS[local.month0() as usize], errors);
        let moment = self.format(
            locale,
            "format-moment",
            &[
                ("year", Value::Str(local.year().to_string().into())),
                ("month", Value::Str(month)),
                ("day", Value::Str(local.day().to_string().into())),
                ("hour", Value::Str(format!("{:02}", local.hour()).into())),
                (
                    "minute",
                    Value::Str(format!("{:02}", local.minute()).into()),
                ),
            ],
            errors,
        );
        let zone_name = zone_name(self.formats[locale.index].zone_name, zone, t);
        self.format(
            locale,
            "format-moment-in-zone",
            &[
                ("moment", Value::Str(moment.into())),
                ("zone", Value::Str(zone_key(zone).into())),
                ("zone_name", Value::Str(zone_name.into())),
            ],
            errors,
        )
    }

    /// The two most significant units of `d`: `2 h 24 min`, `2小时24分钟`, `45 s`
    /// (`duration-*`).
    pub(super) fn duration(
        &self,
        locale: Locale,
        d: TimeDelta,
        errors: &mut Vec<String>,
    ) -> String {
        let secs = d.num_seconds().unsigned_abs();
        let parts = [
            (secs / 86_400, "days"),
            (secs % 86_400 / 3_600, "hours"),
            (secs % 3_600 / 60, "minutes"),
            (secs % 60, "seconds"),
        ];
        let first = parts.iter().position(|&(n, _)| n > 0).unwrap_or(3);
        let mut shown = parts[first..]
            .iter()
            .take(2)
            .filter(|(n, _)| *n > 0 || first == 3)
            .map(|&(n, unit)| {
                let args = [
                    ("n", Value::Str(n.to_string().into())),
                    ("unit", Value::Str(unit.into())),
                ];
                self.format(locale, "duration-unit", &args, errors)
            });
        let larger = shown.next().unwrap_or_default();
        match shown.next() {
            None => larger,
            Some(smaller) => self.format(
                locale,
                "duration-pair",
                &[
                    ("larger", Value::Str(larger.into())),
                    ("smaller", Value::Str(smaller.into())),
                ],
                errors,
            ),
        }
    }
}

/// How the catalogs select on a zone: its IANA name with `_` for `/`, which Fluent keys cannot
/// hold (`Asia_Shanghai`, `UTC`).
pub fn zone_key(zone: Tz) -> String {
    zone.name().replace('/', "_")
}

/// `zone` at `t` named as `style` says: `UTC` itself, else `CET` or `UTC+1`.
fn zone_name(style: ZoneName, zone: Tz, t: DateTime<Utc>) -> String {
    if zone == Tz::UTC {
        return "UTC".to_owned();
    }
    let offset = *t.with_timezone(&zone).offset();
    if style == ZoneName::Abbreviation {
        if let Some(abbreviation) = offset.abbreviation() {
            return abbreviation.to_owned();
        }
    }
    let seconds = chrono::Offset::fix(&offset).local_minus_utc();
    let (sign, minutes) = (
        if seconds < 0 { '-' } else { '+' },
        seconds.unsigned_abs() / 60,
    );
    let mut out = format!("UTC{sign}{}", minutes / 60);
    if minutes % 60 != 0 {
        // Writing to a String cannot fail.
        let _ = write!(out, ":{:02}", minutes % 60);
    }
    out
}
