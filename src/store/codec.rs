//! How domain values are written to and read from columns, shared by every SQL backend.

use crate::engine::model::{
    AccountState, FailureReason, FreezeReason, MaintenanceType, TransactionKind, TransactionStatus,
};
use anyhow::{Context as _, anyhow};
use chrono::{DateTime, Datelike as _, Utc};

/// A fixed set of values written as stable text codes.
pub trait Code: Sized + Copy + 'static {
    /// The code, e.g. `deposit`.
    fn code(self) -> &'static str;
    /// The value of a code.
    fn from_code(code: &str) -> Option<Self>;
}

macro_rules! codes {
    ($ty:ty { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl Code for $ty {
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
            fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

codes!(TransactionKind { Deposit => "deposit", Withdrawal => "withdrawal", Payment => "payment", Transfer => "transfer" });
codes!(TransactionStatus { Pending => "pending", Confirming => "confirming", Completed => "completed", Failed => "failed" });
codes!(FailureReason {
    InsufficientBalance => "insufficient_balance",
    InvalidDetails => "invalid_details",
    LimitExceeded => "limit_exceeded",
    RiskDeclined => "risk_declined",
    Expired => "expired",
});
codes!(AccountState { Active => "active", Frozen => "frozen", Restricted => "restricted" });
codes!(FreezeReason {
    AbnormalLogin => "abnormal_login",
    AbnormalActivity => "abnormal_activity",
    IdentityUnverified => "identity_unverified",
    UserRequested => "user_requested",
    ComplianceReview => "compliance_review",
});
codes!(MaintenanceType { Scheduled => "scheduled", Unplanned => "unplanned" });

/// Reads a code column.
pub fn decode<T: Code>(code: &str) -> anyhow::Result<T> {
    T::from_code(code)
        .ok_or_else(|| anyhow!("unknown code {code:?} in {}", std::any::type_name::<T>()))
}

/// Kinds as a comma-separated list of codes (empty = none).
pub fn kinds_to_text(kinds: &[TransactionKind]) -> String {
    kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
}

/// Reads a kinds list.
pub fn kinds_from_text(text: &str) -> anyhow::Result<Vec<TransactionKind>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(decode)
        .collect()
}

/// A time as fixed-width text: sorts as text in time order (years 0001 to 9999).
pub fn time_key(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

/// Reads a time column.
pub fn time_from_key(text: &str) -> anyhow::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("bad time {text:?} in store"))
}

/// The `clears_key` of an open-ended window: sorts after every time key.
pub const OPEN_CLEARS_KEY: &str = "~";

/// When a window stops holding transactions up (`None` = open-ended), as a key that sorts in
/// time order against [`time_key`]s.
pub fn clears_key(clears_at: Option<DateTime<Utc>>) -> String {
    match clears_at {
        // Past year 9999 a time key gains a sign and would sort before every other; no
        // evaluation time is that late, so the window holds at every one, like an open one.
        Some(t) if t.year() <= 9999 => time_key(t),
        _ => OPEN_CLEARS_KEY.to_owned(),
    }
}
