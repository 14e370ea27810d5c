//! Field-by-field checks of incoming messages. Every violation is collected with the path of
//! its field, so a caller learns everything wrong with a request at once.

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

/// Longest reference, account id, window id or ticket id.
pub const MAX_ID_CHARS: usize = 128;
/// Longest network or asset code.
pub const MAX_CODE_CHARS: usize = 32;
/// Longest destination, memo or title.
pub const MAX_TEXT_CHARS: usize = 256;
/// Longest internal note.
pub const MAX_NOTE_CHARS: usize = 1024;

/// One bad field: its path (e.g. `transaction.amount`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Path of the field from the request.
    pub field: String,
    /// What is wrong, in English.
    pub description: String,
}

/// Collects the violations of one message.
#[derive(Debug, Default)]
pub struct Check {
    prefix: String,
    violations: Vec<Violation>,
}

impl Check {
    /// Checks fields under `prefix` (e.g. `transaction`; empty for top-level fields).
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
            violations: Vec::new(),
        }
    }

    /// The violations found, or `Ok` when there are none.
    pub fn finish(self) -> Result<(), Vec<Violation>> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(self.violations)
        }
    }

    /// The violations found so far.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    /// The full path of `field`.
    pub fn path(&self, field: &str) -> String {
        match (self.prefix.is_empty(), field.is_empty()) {
            (true, _) => field.to_owned(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}.{field}", self.prefix),
        }
    }

    /// Records a violation of `field`.
    pub fn violation(&mut self, field: &str, description: impl Into<String>) {
        let field = self.path(field);
        self.violations.push(Violation {
            field,
            description: description.into(),
        });
    }

    /// A required identifier: 1 to 128 characters, no control characters, no surrounding whitespace.
    pub fn id(&mut self, field: &str, value: &str) -> String {
        if value.is_empty() {
            self.violation(field, "is required");
        } else if value.trim() != value {
            // An id is looked up exactly: " TX-1" would never be found as "TX-1".
            self.violation(field, "must not begin or end with whitespace");
        } else {
            self.text(field, value, MAX_ID_CHARS, false);
        }
        value.to_owned()
    }

    /// Optional free text of at most `max` characters; control characters only where `multiline`
    /// allows line breaks and tabs.
    pub fn text(&mut self, field: &str, value: &str, max: usize, multiline: bool) -> String {
        let chars = value.chars().count();
        if chars > max {
            self.violation(
                field,
                format!("must be at most {max} characters, got {chars}"),
            );
        } else if let Some(bad) = value
            .chars()
            .find(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        {
            self.violation(
                field,
                format!(
                    "must not contain control characters (found U+{:04X})",
                    bad as u32
                ),
            );
        }
        value.to_owned()
    }

    /// A network or asset code: letters, digits, `_`, `-` or `.`, stored upper-cased. Empty
    /// gives `None`, a violation when `required`.
    pub fn code(&mut self, field: &str, value: &str, required: bool) -> Option<String> {
        if value.is_empty() {
            if required {
                self.violation(field, "is required");
            }
            return None;
        }
        let valid_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
        if value.len() > MAX_CODE_CHARS || !value.chars().all(valid_char) {
            self.violation(
                field,
                format!(
                    "must be 1 to {MAX_CODE_CHARS} letters, digits, '_', '-' or '.', e.g. \"TRON\""
                ),
            );
            return None;
        }
        Some(value.to_ascii_uppercase())
    }

    /// An optional transaction hash or rail id: 1 to 128 ASCII letters, digits and `-_.:/+=`.
    /// Empty stays empty.
    pub fn tx_hash(&mut self, field: &str, value: &str) -> String {
        let valid_char = |b: u8| b.is_ascii_alphanumeric() || b"-_.:/+=".contains(&b);
        if value.len() > MAX_ID_CHARS || !value.bytes().all(valid_char) {
            self.violation(
                field,
                format!(
                    "must be 1 to {MAX_ID_CHARS} ASCII letters, digits or '-_.:/+=' (no spaces), \
                     e.g. \"0x9f2c…\" or a 64-digit hex hash"
                ),
            );
        }
        value.to_owned()
    }

    /// A non-negative decimal such as `100` or `0.015`. Empty gives `None`, a violation when `required`.
    pub fn decimal(&mut self, field: &str, value: &str, required: bool) -> Option<Decimal> {
        if value.is_empty() {
            if required {
                self.violation(field, "is required");
            }
            return None;
        }
        if !value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            self.violation(
                field,
                "must be written with digits and one optional \".\" only (no sign, exponent or \
                 digit separators), e.g. \"100.50\"",
            );
            return None;
        }
        // from_str_exact refuses to round: an amount that cannot be held exactly is an error.
        match Decimal::from_str_exact(value) {
            Ok(d) => Some(d),
            Err(e) => {
                self.violation(
                    field,
                    format!("is not a decimal number ({e}), e.g. \"100.50\""),
                );
                None
            }
        }
    }

    /// A timestamp between years 1 and 9999 with nanos in 0..1e9. `None` stays `None`, a
    /// violation when `required`.
    pub fn timestamp(
        &mut self,
        field: &str,
        value: Option<&prost_types::Timestamp>,
        required: bool,
    ) -> Option<DateTime<Utc>> {
        let Some(ts) = value else {
            if required {
                self.violation(field, "is required");
            }
            return None;
        };
        let time = u32::try_from(ts.nanos)
            .ok()
            .filter(|_| (MIN_SECONDS..=MAX_SECONDS).contains(&ts.seconds))
            .and_then(|nanos| DateTime::from_timestamp(ts.seconds, nanos))
            .filter(|_| ts.nanos < 1_000_000_000);
        if time.is_none() {
            self.violation(
                field,
                "must be a valid timestamp between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z with nanos in 0..999999999",
            );
        }
        time
    }

    /// A non-negative duration of at most `max`. `None` gives zero.
    pub fn duration(
        &mut self,
        field: &str,
        value: Option<&prost_types::Duration>,
        max: TimeDelta,
    ) -> TimeDelta {
        let Some(d) = value else {
            return TimeDelta::zero();
        };
        let delta = (d.seconds >= 0 && (0..1_000_000_000).contains(&d.nanos))
            .then(|| TimeDelta::try_seconds(d.seconds))
            .flatten()
            .and_then(|s| s.checked_add(&TimeDelta::nanoseconds(i64::from(d.nanos))))
            .filter(|delta| *delta <= max);
        delta.unwrap_or_else(|| {
            self.violation(
                field,
                format!("must be between 0 and {} seconds", max.num_seconds()),
            );
            TimeDelta::zero()
        })
    }

    /// A protobuf enum value that must be known and not `*_UNSPECIFIED` when `required`.
    pub fn enumeration<P, T>(
        &mut self,
        field: &str,
        raw: i32,
        required: bool,
        map: fn(P) -> Option<T>,
    ) -> Option<T>
    where
        P: TryFrom<i32>,
    {
        match P::try_from(raw).ok() {
            None => {
                self.violation(field, format!("unknown enum value {raw}"));
                None
            }
            Some(value) => {
                let mapped = map(value);
                if mapped.is_none() && required {
                    self.violation(field, "is required (must not be *_UNSPECIFIED)");
                }
                mapped
            }
        }
    }
}

/// 0001-01-01T00:00:00Z, the earliest timestamp protobuf allows.
const MIN_SECONDS: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59Z, the latest timestamp protobuf allows.
const MAX_SECONDS: i64 = 253_402_300_799;

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(value: &str) -> Result<Option<Decimal>, String> {
        let mut c = Check::new("transaction");
        let parsed = c.decimal("amount", value, true);
        c.finish()
            .map(|()| parsed)
            .map_err(|v| format!("{}: {}", v[0].field, v[0].description))
    }

    #[test]
    fn amounts_are_plain_decimals_and_anything_else_says_how_to_write_one() {
        assert_eq!(amount("100.50"), Ok(Some(Decimal::new(10050, 2))));
        assert_eq!(
            amount("0.000000000000000001").map(|d| d.map(|d| d.scale())),
            Ok(Some(18))
        );
        for written in ["1_000", "-1", "+1", "1e5", " 1", "abc", "١٢"] {
            let refused = amount(written).expect_err(written);
            assert!(
                refused.starts_with("transaction.amount: must be written with digits"),
                "{written}: {refused}"
            );
        }
        for broken in ["1.2.3", ".", "1".repeat(40).as_str()] {
            let refused = amount(broken).expect_err(broken);
            assert!(
                refused.contains("is not a decimal number"),
                "{broken}: {refused}"
            );
        }
        assert_eq!(amount("").unwrap_err(), "transaction.amount: is required");
    }
}
