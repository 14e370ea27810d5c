//! What the engine concludes: causes, actions, findings and the next step.
//!
//! Text is carried as message ids with arguments, never as rendered sentences: the engine knows
//! no language, and the i18n layer renders each id in the caller's locale.

use super::next_step::{Actor, EvidenceItem, ServiceLevel};
use chrono::{DateTime, TimeDelta, Timelike, Utc};
use std::{borrow::Cow, sync::Arc};

/// Why a transaction is not where the customer expects it. Named in the rules file in
/// snake_case (`confirmation_delay`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The transaction completed.
    NoIncident,
    /// Waiting for confirmations within the expected time.
    ConfirmationDelay,
    /// Waiting far longer than expected.
    ConfirmationStalled,
    /// Held up by maintenance or an outage.
    Maintenance,
    /// The account is frozen or restricted.
    AccountFrozen,
    /// Something was entered wrong.
    InputMismatch,
    /// The transaction was rejected.
    Rejected,
    /// No such transaction reached the platform.
    NotFound,
    /// A deposit smaller than its network's minimum for the asset: not credited.
    BelowMinimum,
    /// A deposit of an asset its network does not take on the platform: not credited.
    UnsupportedAsset,
    /// Withdrawals held for a set time after a change to the account's security.
    SecurityHold,
    /// A request waiting for the customer to confirm it (e-mail, 2FA, device).
    AwaitingCustomerConfirmation,
    /// Held until the customer provides information (travel rule, source of funds).
    InformationRequired,
    /// Nothing explains it.
    Undetermined,
}

/// What should happen next. Named in the rules file in snake_case (`verify_identity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Nothing.
    None,
    /// Wait.
    Wait,
    /// Verify identity.
    VerifyIdentity,
    /// Reset password, enable 2FA, then verify identity.
    SecureAccount,
    /// Contact support.
    ContactSupport,
    /// Correct the details and retry.
    CorrectAndRetry,
    /// Add funds and retry.
    TopUpAndRetry,
    /// File a recovery request.
    RequestRecovery,
    /// Check the reference.
    CheckReference,
    /// Escalate to operations.
    Escalate,
    /// The customer confirms the request before it lapses.
    ConfirmRequest,
    /// The customer provides the information asked for.
    ProvideInformation,
}

/// Whether a rule matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The rule's condition holds.
    Matched,
    /// Checked; it does not hold.
    NotMatched,
    /// Could not be checked.
    NotApplicable,
}

/// An argument of a localized message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Verbatim text (codes, amounts, addresses); borrowed when it is a constant.
    Str(Cow<'static, str>),
    /// A count, which may select a plural form.
    Num(i64),
    /// A moment, formatted the locale's way.
    Time(DateTime<Utc>),
    /// A vocabulary word: the catalog message `{prefix}-{code}`, e.g. `kind-deposit`.
    Word {
        /// The vocabulary, e.g. `kind`.
        prefix: &'static str,
        /// The stable code within it, e.g. `deposit`.
        code: &'static str,
    },
    /// A span of time, written the locale's way (e.g. "2 h 24 min").
    Duration(chrono::TimeDelta),
    /// Messages rendered one after another, separated the locale's way.
    List(Vec<Text>),
}

/// A localizable message: a catalog id and its named arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Catalog message id, e.g. `delay-detail`.
    pub id: &'static str,
    /// Named arguments.
    pub args: Vec<(&'static str, Arg)>,
}

impl Text {
    /// A message without arguments.
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// Adds a verbatim text argument: a constant (`"yes"`) is borrowed, other text owned.
    pub fn str(self, name: &'static str, value: impl Into<Cow<'static, str>>) -> Self {
        self.arg(name, Arg::Str(value.into()))
    }

    /// Adds a count argument.
    pub fn num(self, name: &'static str, value: impl Into<i64>) -> Self {
        self.arg(name, Arg::Num(value.into()))
    }

    /// Adds a vocabulary word, rendered from the catalog message `{prefix}-{code}`.
    pub fn word(self, name: &'static str, prefix: &'static str, code: &'static str) -> Self {
        self.arg(name, Arg::Word { prefix, code })
    }

    /// Adds a span-of-time argument.
    pub fn duration(self, name: &'static str, value: chrono::TimeDelta) -> Self {
        self.arg(name, Arg::Duration(value))
    }

    /// Adds a list argument.
    pub fn list(self, name: &'static str, items: Vec<Text>) -> Self {
        self.arg(name, Arg::List(items))
    }

    /// Adds a message rendered in place (a list of one).
    pub fn nested(self, name: &'static str, text: Text) -> Self {
        self.list(name, vec![text])
    }

    /// Adds a moment something is expected by. Texts show moments to the minute, so it is
    /// rounded up to one: a promise is never earlier than the time computed.
    pub fn deadline(self, name: &'static str, value: DateTime<Utc>) -> Self {
        let into_minute = TimeDelta::seconds(i64::from(value.second()))
            + TimeDelta::nanoseconds(i64::from(value.nanosecond()));
        let rounded = if into_minute.is_zero() {
            value
        } else {
            super::time::add(value - into_minute, TimeDelta::minutes(1))
        };
        self.time(name, rounded)
    }

    /// Adds a moment argument.
    pub fn time(self, name: &'static str, value: DateTime<Utc>) -> Self {
        self.arg(name, Arg::Time(super::time::representable(value)))
    }

    /// Messages take up to a dozen arguments: room for [`Self::ARGS`] is made at the first, so
    /// that a message built argument by argument allocates once.
    const ARGS: usize = 12;

    fn arg(mut self, name: &'static str, arg: Arg) -> Self {
        if self.args.capacity() == 0 {
            self.args.reserve_exact(Self::ARGS);
        }
        self.args.push((name, arg));
        self
    }
}

/// The facts and numbers a rule used, by stable key.
pub type Evidence = Vec<(&'static str, String)>;

/// One rule's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable rule name.
    pub rule: &'static str,
    /// The cause the rule detects; `None` for checks that detect none (ownership).
    pub cause: Option<Cause>,
    /// Whether it matched.
    pub outcome: Outcome,
    /// Agent-facing explanation.
    pub detail: Text,
    /// What it used.
    pub evidence: Evidence,
}

/// The recommended next step.
#[derive(Debug, Clone, PartialEq)]
pub struct NextStep {
    /// What to do.
    pub action: Action,
    /// Agent-facing instruction.
    pub summary: Text,
    /// When to look again.
    pub recheck_at: Option<DateTime<Utc>>,
    /// Set when `recheck_at` is no moment of the facts but this span after the evaluation time
    /// (a maintenance window with no announced end): it moves on with the evaluation time, and
    /// doing so changes nothing about the outcome (see [`crate::engine::horizon`]).
    pub recheck_after: Option<TimeDelta>,
    /// When it should resolve by itself.
    pub expected_resolution_at: Option<DateTime<Utc>>,
    /// What support will need from the customer, in the order to ask for it.
    pub required_evidence: Vec<EvidenceItem>,
    /// Where and how soon the customer hears back: the rules file's level for `action`.
    pub service_level: Option<ServiceLevel>,
}

impl NextStep {
    /// A step with no times attached. Its evidence and service level are the engine's to set,
    /// once the primary cause is known.
    pub fn new(action: Action, summary: Text) -> Self {
        Self {
            action,
            summary,
            recheck_at: None,
            recheck_after: None,
            expected_resolution_at: None,
            required_evidence: Vec::new(),
            service_level: None,
        }
    }

    /// Who must act now.
    pub fn actor(&self) -> Actor {
        self.action.actor()
    }
}

/// How the diagnosed transaction was found from the quoted reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// By its platform reference.
    Reference,
    /// By its transaction hash.
    TxHash,
    /// Not found (or not the requester's).
    None,
}

/// The complete answer for one reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    /// The diagnosed reference.
    pub reference: String,
    /// The evaluation time.
    pub as_of: DateTime<Utc>,
    /// The primary cause.
    pub cause: Cause,
    /// Other matched causes, in precedence order.
    pub contributing_causes: Vec<Cause>,
    /// One finding per rule, in precedence order.
    pub findings: Vec<Finding>,
    /// What to do next.
    pub next_step: NextStep,
    /// Customer-safe message.
    pub customer_message: Text,
    /// The rules file version.
    pub ruleset_version: Arc<str>,
    /// How the transaction was found.
    pub matched_by: MatchKind,
    /// The transaction as it stood at `as_of`, its required confirmations resolved from its
    /// network's policy; `None` when none was found.
    pub transaction: Option<crate::engine::model::Transaction>,
}

impl Diagnosis {
    /// The finding of the named rule.
    pub fn finding(&self, rule: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.rule == rule)
    }
}
