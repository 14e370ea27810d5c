//! The facts a diagnosis is made from, as plain domain types (no protobuf, no I/O).

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

/// What a transaction does, seen from the customer's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionKind {
    /// Funds arriving into the account.
    Deposit,
    /// Funds leaving the account to an outside destination.
    Withdrawal,
    /// Paying a merchant order or invoice.
    Payment,
    /// A transfer between accounts or over a bank rail.
    Transfer,
}

/// Where a transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionStatus {
    /// Accepted, not yet on the network or rail.
    Pending,
    /// On the network, collecting confirmations.
    Confirming,
    /// Credited (incoming) or released (outgoing).
    Completed,
    /// Arrived on the network or rail but not credited to the customer's account: the platform
    /// holds the funds (e.g. a deposit sent without the memo its address needs). Incoming
    /// transactions only; `updated_at` is when it arrived.
    NotCredited,
    /// Rejected.
    Failed,
}

/// Why a transaction was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureReason {
    /// Not enough funds.
    InsufficientBalance,
    /// Malformed or unknown details.
    InvalidDetails,
    /// A limit was exceeded.
    LimitExceeded,
    /// Declined by risk controls.
    RiskDeclined,
    /// The order or quote expired.
    Expired,
    /// The customer's bank or card issuer declined it, for a reason of its own.
    IssuerDeclined,
}

/// How the customer is asked to confirm a request before the platform sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfirmationMethod {
    /// A link or code in an e-mail to the account's address.
    Email,
    /// A two-step verification code (authenticator app or SMS).
    TwoFactor,
    /// A prompt in the app on a trusted device.
    Device,
}

/// A request waiting for the customer to confirm it: nothing is sent until they do, and it
/// lapses unconfirmed at `expires_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CustomerConfirmation {
    /// How the customer confirms.
    pub method: ConfirmationMethod,
    /// When the request lapses unconfirmed: after it, it is void and must be made again.
    pub expires_at: DateTime<Utc>,
}

/// What the platform needs from the customer before it moves a transaction on. Named to agents
/// only: customers hear that some information is needed, never why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestedInformation {
    /// Travel rule: who sent a deposit.
    OriginatorDetails,
    /// Travel rule: who receives a withdrawal.
    BeneficiaryDetails,
    /// Where the funds came from.
    SourceOfFunds,
}

/// A transaction held until the customer provides information.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InformationRequest {
    /// What is asked for; never empty, nothing twice.
    pub items: Vec<RequestedInformation>,
    /// When it was asked for: the transaction is held from then.
    pub requested_at: DateTime<Utc>,
}

/// What the order, invoice or deposit address asked for; `None` = not specified.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpectedPayment {
    /// Amount asked for.
    pub amount: Option<Decimal>,
    /// Asset code asked for (upper-case).
    pub asset: Option<String>,
    /// Network code asked for (upper-case).
    pub network: Option<String>,
    /// Destination asked for.
    pub destination: Option<String>,
    /// Memo or tag asked for.
    pub memo: Option<String>,
}

/// A transaction as the platform recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    /// The platform's unique reference.
    pub reference: String,
    /// The customer's account.
    pub account_id: String,
    /// What the transaction does.
    pub kind: TransactionKind,
    /// Network or rail code (upper-case).
    pub network: String,
    /// Asset code (upper-case).
    pub asset: String,
    /// Amount in units of `asset`.
    pub amount: Decimal,
    /// Destination address or account; empty = not recorded.
    pub destination: String,
    /// Memo or tag; empty = none.
    pub memo: String,
    /// Where it stands.
    pub status: TransactionStatus,
    /// Why it failed, when it failed and the reason is known.
    pub failure_reason: Option<FailureReason>,
    /// Confirmations collected as of `updated_at`.
    pub confirmations: u32,
    /// Confirmations needed; 0 = the network policy's number.
    pub required_confirmations: u32,
    /// When the platform accepted it.
    pub created_at: DateTime<Utc>,
    /// When status and confirmations were last updated.
    pub updated_at: Option<DateTime<Utc>>,
    /// When it was credited or released.
    pub completed_at: Option<DateTime<Utc>>,
    /// What was asked for.
    pub expected: ExpectedPayment,
    /// The network's id of the transaction (on-chain hash or rail id); empty = not known.
    pub tx_hash: String,
    /// Set while the request waits for the customer to confirm it; `None` = nothing to confirm.
    pub customer_confirmation: Option<CustomerConfirmation>,
    /// Set while the transaction is held until the customer provides information; `None` =
    /// nothing asked.
    pub information_request: Option<InformationRequest>,
}

impl Transaction {
    /// When `confirmations` was observed: the last update, or creation.
    pub fn observed_at(&self) -> DateTime<Utc> {
        self.updated_at.unwrap_or(self.created_at)
    }

    /// Whether the transaction is still on its way (neither completed nor failed).
    pub fn in_flight(&self) -> bool {
        matches!(
            self.status,
            TransactionStatus::Pending | TransactionStatus::Confirming
        )
    }
}

/// The state of an account's ability to transact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountState {
    /// Nothing blocked.
    Active,
    /// Everything blocked.
    Frozen,
    /// Only `restricted_kinds` blocked.
    Restricted,
}

/// Why an account was frozen or restricted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FreezeReason {
    /// Login from an unusual device or place.
    AbnormalLogin,
    /// Unusual activity (not disclosed to the customer).
    AbnormalActivity,
    /// Identity verification missing or expired.
    IdentityUnverified,
    /// The customer asked for it.
    UserRequested,
    /// Compliance review (not disclosed to the customer).
    ComplianceReview,
    /// Security hold after the password was reset.
    PasswordReset,
    /// Security hold after two-step verification was changed.
    TwoFactorChanged,
    /// Security hold after a sign-in from a new device.
    NewDevice,
    /// Security hold after the withdrawal address (or address book) was changed.
    WithdrawalAddressChanged,
}

impl FreezeReason {
    /// Whether the reason may be told to the customer. Reviews are never disclosed (no
    /// tipping-off); nor is which change set off a security hold, which customers hear of only
    /// as "a recent change to your account's security settings" (see the security hold rule).
    pub fn disclosable(self) -> bool {
        !matches!(self, Self::AbnormalActivity | Self::ComplianceReview) && !self.security_hold()
    }

    /// Whether the reason is a security hold: withdrawals held for a set time after a change to
    /// how the account is secured, lifted by itself at its end.
    pub fn security_hold(self) -> bool {
        matches!(
            self,
            Self::PasswordReset
                | Self::TwoFactorChanged
                | Self::NewDevice
                | Self::WithdrawalAddressChanged
        )
    }
}

/// One entry of an account's status history.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountStatus {
    /// The account.
    pub account_id: String,
    /// Its state.
    pub state: AccountState,
    /// Why, when frozen or restricted.
    pub reason: Option<FreezeReason>,
    /// Kinds blocked by a restriction.
    pub restricted_kinds: Vec<TransactionKind>,
    /// When the entry takes effect.
    pub effective_from: DateTime<Utc>,
    /// When it lapses; `None` = until replaced.
    pub effective_until: Option<DateTime<Utc>>,
    /// Internal note, never shown to customers.
    pub note: String,
}

impl AccountStatus {
    /// Whether this status blocks a transaction of `kind`.
    pub fn blocks(&self, kind: TransactionKind) -> bool {
        match self.state {
            AccountState::Active => false,
            AccountState::Frozen => true,
            AccountState::Restricted => self.restricted_kinds.contains(&kind),
        }
    }
}

/// Whether a maintenance window was planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaintenanceType {
    /// Announced in advance.
    Scheduled,
    /// Outage or emergency halt.
    Unplanned,
}

/// A period during which a network or rail did not process transactions.
#[derive(Debug, Clone, PartialEq)]
pub struct MaintenanceWindow {
    /// Caller-chosen id.
    pub id: String,
    /// Network code (upper-case) or "*" for every network.
    pub network: String,
    /// Kinds affected; empty = all.
    pub kinds: Vec<TransactionKind>,
    /// Planned or not.
    pub maintenance_type: MaintenanceType,
    /// When processing stopped.
    pub starts_at: DateTime<Utc>,
    /// When it resumed; `None` = ongoing.
    pub ends_at: Option<DateTime<Utc>>,
    /// How long the queue takes to clear after the end.
    pub backlog_drain: TimeDelta,
    /// Human-readable title.
    pub title: String,
}

/// The network code that means "every network" in a maintenance window.
pub const ALL_NETWORKS: &str = "*";

impl MaintenanceWindow {
    /// Whether the window covers `network` and `kind` (`None` = any kind).
    pub fn covers(&self, network: &str, kind: Option<TransactionKind>) -> bool {
        let network_ok = self.network == ALL_NETWORKS || self.network == network;
        let kind_ok = match kind {
            Some(kind) => self.kinds.is_empty() || self.kinds.contains(&kind),
            None => true,
        };
        network_ok && kind_ok
    }

    /// When queued transactions should have cleared: `ends_at + backlog_drain`; `None` while open-ended.
    pub fn clears_at(&self) -> Option<DateTime<Utc>> {
        self.ends_at
            .map(|end| super::time::add(end, self.backlog_drain))
    }

    /// Whether the window held `tx` up at some point up to `t`: it covers the transaction's
    /// network and kind, had started by `t`, and had not cleared when the transaction was created
    /// (one created while the backlog drains waits behind it).
    pub fn held_up(&self, tx: &Transaction, t: DateTime<Utc>) -> bool {
        self.covers(&tx.network, Some(tx.kind))
            && self.starts_at <= t
            && self.clears_at().is_none_or(|clears| clears > tx.created_at)
    }

    /// Whether, at `t`, the window still holds transactions up: started, and not yet cleared.
    pub fn holds_at(&self, t: DateTime<Utc>) -> bool {
        self.starts_at <= t && self.clears_at().is_none_or(|clear| t < clear)
    }
}

/// An observation of a network's congestion.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkCondition {
    /// Network code (upper-case).
    pub network: String,
    /// 1.0 = normal; 2.0 = twice as slow.
    pub congestion_factor: f64,
    /// When observed.
    pub observed_at: DateTime<Utc>,
}

/// What the customer says about the payment; `None` = not claimed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claim {
    /// Amount sent.
    pub amount: Option<Decimal>,
    /// Asset code (upper-case).
    pub asset: Option<String>,
    /// Network code (upper-case).
    pub network: Option<String>,
    /// Destination.
    pub destination: Option<String>,
    /// Memo or tag.
    pub memo: Option<String>,
    /// When they paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// The transaction hash they quote.
    pub tx_hash: Option<String>,
}

/// A transaction hash as it is compared and looked up: a hex hash (with or without `0x`) in
/// lower case without the prefix, since wallets and explorers write it every way; any other id
/// (base58 signatures, rail ids) exactly, since its case is part of it.
pub fn tx_hash_key(hash: &str) -> std::borrow::Cow<'_, str> {
    let digits = hash
        .strip_prefix("0x")
        .or_else(|| hash.strip_prefix("0X"))
        .unwrap_or(hash);
    let hex = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit());
    match (hex, digits.bytes().any(|b| b.is_ascii_uppercase())) {
        (true, true) => digits.to_ascii_lowercase().into(),
        (true, false) => digits.into(),
        (false, _) => hash.into(),
    }
}

/// Whether the requester may see the transaction a reference names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Ownership {
    /// Not checked: no requester was named, or no transaction was found.
    #[default]
    Unchecked,
    /// The requester's own transaction.
    Requester,
    /// Another account's: the transaction and its account's history are withheld, and the
    /// reference is diagnosed as unknown.
    Other {
        /// The owning account (shown to agents masked).
        owner: String,
    },
}

/// Everything the store knows that bears on one diagnosis.
///
/// The store may hand over more than applies (older history entries, windows of other kinds);
/// the engine picks what holds at the evaluation time itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The transaction with the diagnosed reference, if any.
    pub transaction: Option<Transaction>,
    /// Status history entries of the transaction's account, in the order they were recorded:
    /// entries may come in any order of `effective_from`, but of two taking effect at the same
    /// moment the later recorded one wins.
    pub account_history: Vec<AccountStatus>,
    /// Maintenance windows on the transaction's (or the claim's) network, or on every network.
    pub maintenance_windows: Vec<MaintenanceWindow>,
    /// Congestion observations of that network (any order).
    pub network_conditions: Vec<NetworkCondition>,
    /// Whether the transaction is the requester's; when it is another account's, `transaction`
    /// and `account_history` are empty and the windows are those of an unknown reference.
    pub ownership: Ownership,
}
