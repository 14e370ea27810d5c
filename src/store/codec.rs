//! How domain values are written to and read from columns, shared by every SQL backend.

use super::records::RecordSource;
use crate::engine::diagnosis::{Action, Cause};
use crate::engine::model::{
    AccountState, AccountStatus, ConfirmationMethod, CustomerConfirmation, ExpectedPayment,
    FailureReason, FreezeReason, InformationRequest, MaintenanceType, MaintenanceWindow,
    NetworkCondition, RequestedInformation, Transaction, TransactionKind, TransactionStatus,
};
use crate::triage::policy::{Disposition, Priority};
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
codes!(TransactionStatus {
    Pending => "pending",
    Confirming => "confirming",
    Completed => "completed",
    Failed => "failed",
    NotCredited => "not_credited",
});
codes!(FailureReason {
    InsufficientBalance => "insufficient_balance",
    InvalidDetails => "invalid_details",
    LimitExceeded => "limit_exceeded",
    RiskDeclined => "risk_declined",
    Expired => "expired",
    IssuerDeclined => "issuer_declined",
});
codes!(ConfirmationMethod { Email => "email", TwoFactor => "two_factor", Device => "device" });
codes!(RequestedInformation {
    OriginatorDetails => "originator_details",
    BeneficiaryDetails => "beneficiary_details",
    SourceOfFunds => "source_of_funds",
});
codes!(AccountState { Active => "active", Frozen => "frozen", Restricted => "restricted" });
codes!(FreezeReason {
    AbnormalLogin => "abnormal_login",
    AbnormalActivity => "abnormal_activity",
    IdentityUnverified => "identity_unverified",
    UserRequested => "user_requested",
    ComplianceReview => "compliance_review",
    PasswordReset => "password_reset",
    TwoFactorChanged => "two_factor_changed",
    NewDevice => "new_device",
    WithdrawalAddressChanged => "withdrawal_address_changed",
});
codes!(MaintenanceType { Scheduled => "scheduled", Unplanned => "unplanned" });
codes!(Cause {
    NoIncident => "no_incident",
    ConfirmationDelay => "confirmation_delay",
    ConfirmationStalled => "confirmation_stalled",
    Maintenance => "maintenance",
    AccountFrozen => "account_frozen",
    InputMismatch => "input_mismatch",
    Rejected => "rejected",
    NotFound => "not_found",
    Undetermined => "undetermined",
    BelowMinimum => "below_minimum",
    UnsupportedAsset => "unsupported_asset",
    SecurityHold => "security_hold",
    AwaitingCustomerConfirmation => "awaiting_customer_confirmation",
    InformationRequired => "information_required",
});
codes!(Action {
    None => "none",
    Wait => "wait",
    VerifyIdentity => "verify_identity",
    SecureAccount => "secure_account",
    ContactSupport => "contact_support",
    CorrectAndRetry => "correct_and_retry",
    TopUpAndRetry => "top_up_and_retry",
    RequestRecovery => "request_recovery",
    CheckReference => "check_reference",
    Escalate => "escalate",
    ConfirmRequest => "confirm_request",
    ProvideInformation => "provide_information",
});
codes!(Disposition { AutoReply => "auto_reply", Route => "route", Escalate => "escalate", NeedsInfo => "needs_info" });
codes!(Priority { P1 => "p1", P2 => "p2", P3 => "p3", P4 => "p4" });
codes!(RecordSource {
    Diagnose => "diagnose",
    BatchDiagnose => "batch_diagnose",
    TriageTicket => "triage_ticket",
    WatchDiagnosis => "watch_diagnosis",
});

/// Reads a code column.
pub fn decode<T: Code>(code: &str) -> anyhow::Result<T> {
    T::from_code(code)
        .ok_or_else(|| anyhow!("unknown code {code:?} in {}", std::any::type_name::<T>()))
}

/// Kinds as a comma-separated list of codes (empty = none).
pub fn kinds_to_text(kinds: &[TransactionKind]) -> String {
    codes_to_text(kinds)
}

/// Reads a kinds list.
pub fn kinds_from_text(text: &str) -> anyhow::Result<Vec<TransactionKind>> {
    codes_from_text(text)
}

/// Values as a comma-separated list of codes (empty = none).
pub fn codes_to_text<T: Code>(values: &[T]) -> String {
    values
        .iter()
        .map(|v| v.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads a list written by [`codes_to_text`].
pub fn codes_from_text<T: Code>(text: &str) -> anyhow::Result<Vec<T>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(decode)
        .collect()
}

/// The `information_requested` column of a transaction: `None` when nothing is asked.
pub fn information_requested_column(t: &Transaction) -> Option<String> {
    t.information_request
        .as_ref()
        .map(|r| codes_to_text(&r.items))
}

/// A time as fixed-width text: sorts as text in time order (years 0001 to 9999).
pub fn time_key(t: DateTime<Utc>) -> String {
    if (0..=9999).contains(&t.year()) {
        // The same text, without interpreting a format string on every call.
        t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
    }
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

/// The columns of `transactions`, as every backend selects them.
pub const TRANSACTION_COLUMNS: &[&str] = &[
    "reference",
    "account_id",
    "kind",
    "network",
    "asset",
    "amount",
    "destination",
    "memo",
    "status",
    "failure_reason",
    "confirmations",
    "required_confirmations",
    "created_at",
    "updated_at",
    "completed_at",
    "expected_amount",
    "expected_asset",
    "expected_network",
    "expected_destination",
    "expected_memo",
    "tx_hash",
    "confirmation_method",
    "confirmation_expires_at",
    "information_requested",
    "information_requested_at",
];

/// The `tx_hash_key` column of a transaction: `None` when it has no hash.
pub fn tx_hash_column(t: &Transaction) -> Option<String> {
    (!t.tx_hash.is_empty()).then(|| crate::engine::model::tx_hash_key(&t.tx_hash).into_owned())
}

/// The form destinations are searched by: ASCII lower case without spaces, so that an EVM
/// address or an IBAN matches however it is written. `None` for an empty destination.
pub fn destination_key(destination: &str) -> Option<String> {
    let key: String = destination
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (!key.is_empty()).then_some(key)
}

/// The columns of `account_statuses` a diagnosis reads.
pub const ACCOUNT_STATUS_COLUMNS: &[&str] = &[
    "account_id",
    "state",
    "reason",
    "restricted_kinds",
    "effective_from",
    "effective_until",
    "note",
];

/// The columns of `maintenance_windows` a diagnosis reads.
pub const MAINTENANCE_WINDOW_COLUMNS: &[&str] = &[
    "id",
    "network",
    "kinds",
    "type",
    "starts_at",
    "ends_at",
    "backlog_drain_ns",
    "title",
];

/// The columns of `network_conditions`.
pub const NETWORK_CONDITION_COLUMNS: &[&str] = &["network", "observed_at", "congestion_factor"];

/// `columns` of the table or subquery `alias`, comma-separated: `t.reference, t.account_id, …`.
pub fn qualified(alias: &str, columns: &[&str]) -> String {
    columns
        .iter()
        .map(|name| format!("{alias}.{name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where column `name` is in a row that selects `columns`, in that order, from position `at` on.
pub fn column_index(columns: &[&str], at: usize, name: &str) -> anyhow::Result<usize> {
    let position = columns
        .iter()
        .position(|c| *c == name)
        .with_context(|| format!("column {name} is not selected"))?;
    Ok(at + position)
}

/// `SELECT` of `columns` (comma-separated), then `rest` (`FROM …`).
pub fn select(columns: &[&str], rest: &str) -> String {
    format!("SELECT {} {rest}", columns.join(", "))
}

/// A result row of any backend, read by column name.
pub trait Columns {
    /// A nullable text column.
    fn opt_text(&self, name: &str) -> anyhow::Result<Option<String>>;
    /// An integer column.
    fn int(&self, name: &str) -> anyhow::Result<i64>;
    /// A floating-point column.
    fn float(&self, name: &str) -> anyhow::Result<f64>;

    /// A text column that must not be null.
    fn text(&self, name: &str) -> anyhow::Result<String> {
        self.opt_text(name)?
            .with_context(|| format!("{name} is null in store"))
    }

    /// A nullable time column.
    fn opt_time(&self, name: &str) -> anyhow::Result<Option<DateTime<Utc>>> {
        self.opt_text(name)?
            .as_deref()
            .map(time_from_key)
            .transpose()
    }

    /// A time column that must not be null.
    fn time(&self, name: &str) -> anyhow::Result<DateTime<Utc>> {
        time_from_key(&self.text(name)?)
    }

    /// A nullable code column.
    fn opt_code<T: Code>(&self, name: &str) -> anyhow::Result<Option<T>> {
        self.opt_text(name)?.as_deref().map(decode).transpose()
    }

    /// A code column that must not be null.
    fn code<T: Code>(&self, name: &str) -> anyhow::Result<T> {
        decode(&self.text(name)?)
    }

    /// A nullable decimal column.
    fn opt_decimal(&self, name: &str) -> anyhow::Result<Option<rust_decimal::Decimal>> {
        self.opt_text(name)?
            .map(|s| {
                s.parse()
                    .with_context(|| format!("bad decimal {s:?} in {name}"))
            })
            .transpose()
    }

    /// A count column that must fit a `u32`.
    fn count(&self, name: &str) -> anyhow::Result<u32> {
        let n = self.int(name)?;
        u32::try_from(n).with_context(|| format!("{name} {n} out of range in store"))
    }
}

/// Reads a `transactions` row.
pub fn transaction(row: &impl Columns) -> anyhow::Result<Transaction> {
    Ok(Transaction {
        reference: row.text("reference")?,
        account_id: row.text("account_id")?,
        kind: row.code("kind")?,
        network: row.text("network")?,
        asset: row.text("asset")?,
        amount: row
            .opt_decimal("amount")?
            .context("amount is null in store")?,
        destination: row.text("destination")?,
        memo: row.text("memo")?,
        status: row.code("status")?,
        failure_reason: row.opt_code("failure_reason")?,
        confirmations: row.count("confirmations")?,
        required_confirmations: row.count("required_confirmations")?,
        created_at: row.time("created_at")?,
        updated_at: row.opt_time("updated_at")?,
        completed_at: row.opt_time("completed_at")?,
        expected: ExpectedPayment {
            amount: row.opt_decimal("expected_amount")?,
            asset: row.opt_text("expected_asset")?,
            network: row.opt_text("expected_network")?,
            destination: row.opt_text("expected_destination")?,
            memo: row.opt_text("expected_memo")?,
        },
        tx_hash: row.text("tx_hash")?,
        customer_confirmation: customer_confirmation(row)?,
        information_request: information_request(row)?,
    })
}

/// Reads what a transaction is held for: both columns set, or neither.
fn information_request(row: &impl Columns) -> anyhow::Result<Option<InformationRequest>> {
    let items = row.opt_text("information_requested")?;
    let requested_at = row.opt_time("information_requested_at")?;
    match (items, requested_at) {
        (Some(items), Some(requested_at)) => Ok(Some(InformationRequest {
            items: codes_from_text(&items)?,
            requested_at,
        })),
        (None, None) => Ok(None),
        _ => Err(anyhow!(
            "information_requested and information_requested_at must be set together in store"
        )),
    }
}

/// Reads the confirmation a transaction waits for: both columns set, or neither.
fn customer_confirmation(row: &impl Columns) -> anyhow::Result<Option<CustomerConfirmation>> {
    let method = row.opt_code("confirmation_method")?;
    let expires_at = row.opt_time("confirmation_expires_at")?;
    match (method, expires_at) {
        (Some(method), Some(expires_at)) => Ok(Some(CustomerConfirmation { method, expires_at })),
        (None, None) => Ok(None),
        _ => Err(anyhow!(
            "confirmation_method and confirmation_expires_at must be set together in store"
        )),
    }
}

/// Reads an `account_statuses` row.
pub fn account_status(row: &impl Columns) -> anyhow::Result<AccountStatus> {
    Ok(AccountStatus {
        account_id: row.text("account_id")?,
        state: row.code("state")?,
        reason: row.opt_code("reason")?,
        restricted_kinds: kinds_from_text(&row.text("restricted_kinds")?)?,
        effective_from: row.time("effective_from")?,
        effective_until: row.opt_time("effective_until")?,
        note: row.text("note")?,
    })
}

/// Reads a `maintenance_windows` row.
pub fn maintenance_window(row: &impl Columns) -> anyhow::Result<MaintenanceWindow> {
    Ok(MaintenanceWindow {
        id: row.text("id")?,
        network: row.text("network")?,
        kinds: kinds_from_text(&row.text("kinds")?)?,
        maintenance_type: row.code("type")?,
        starts_at: row.time("starts_at")?,
        ends_at: row.opt_time("ends_at")?,
        backlog_drain: chrono::TimeDelta::nanoseconds(row.int("backlog_drain_ns")?),
        title: row.text("title")?,
    })
}

/// Reads a `network_conditions` row.
pub fn network_condition(row: &impl Columns) -> anyhow::Result<NetworkCondition> {
    Ok(NetworkCondition {
        network: row.text("network")?,
        congestion_factor: row.float("congestion_factor")?,
        observed_at: row.time("observed_at")?,
    })
}

/// A window's backlog drain in nanoseconds, as stored.
pub fn drain_nanos(w: &MaintenanceWindow) -> anyhow::Result<i64> {
    w.backlog_drain
        .num_nanoseconds()
        .context("backlog drain out of range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_keys_are_fixed_width_rfc_3339_with_nanoseconds() {
        for (text, key) in [
            ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00.000000000Z"),
            ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000000Z"),
            ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500000000Z"),
            (
                "9999-12-31T23:59:59.999999999Z",
                "9999-12-31T23:59:59.999999999Z",
            ),
        ] {
            let t = time_from_key(text).unwrap();
            assert_eq!(time_key(t), key);
            assert_eq!(time_from_key(key).unwrap(), t);
        }
        let past_9999 = time_from_key("9999-12-31T23:00:00Z").unwrap() + chrono::TimeDelta::days(2);
        assert_eq!(time_key(past_9999), "+10000-01-02T23:00:00.000000000Z");
    }
}
