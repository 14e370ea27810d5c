//! The rules, one file each, all with the same shape: `evaluate(&Context) -> Verdict`.
//!
//! [`RULES`] lists them in precedence order: the first that matches gives the primary cause,
//! unless its match yields to a cause that also matched ([`Verdict::yielding_to`]). The two
//! exceptions are declared by the rules that make them: a reference not found yields to
//! maintenance on its network (the payment may still be queued), and a mismatch only between
//! the claim and the record yields to a stalled transaction (what the customer remembers does
//! not unstick it).
//!
//! The order follows what the customer can expect: first what means the funds will never arrive
//! as they are (an asset the network does not take, a deposit below its minimum), then what
//! holds the account (a freeze, a security hold), a rejection, then what waits for the customer
//! (a confirmation, information), what was entered wrong, and last what only takes time
//! (maintenance, a stall, a delay) or nothing at all.
//!
//! A verdict also says how its cause stands with the others, as data the engine reads:
//! [`Verdict::holding`] (nothing moves until the hold is lifted: while the primary cause holds
//! the transaction, the other rules are evaluated in the light of that hold and promise no
//! completion time) and [`Verdict::alone`] (the cause is the absence of every other, so it
//! stands only when no other rule matched).

use super::{
    context::Context,
    diagnosis::{Cause, Evidence, NextStep, Outcome, Text},
};
use chrono::{DateTime, Utc};

mod account_frozen;
mod awaiting_confirmation;
mod below_minimum;
mod confirmation_delay;
mod confirmation_stalled;
mod information_required;
mod input_mismatch;
mod maintenance;
mod no_incident;
mod not_found;
pub mod ownership;
mod rejected;
mod security_hold;
pub(crate) mod timing;
mod unsupported_asset;

/// One rule: a stable name, the cause it detects, and how to evaluate it.
pub struct Rule {
    /// Stable name, reported in each finding.
    pub name: &'static str,
    /// The cause it detects.
    pub cause: Cause,
    /// The check itself.
    pub evaluate: fn(&Context<'_>) -> Verdict,
}

/// Every rule, in precedence order.
pub static RULES: &[Rule] = &[
    Rule {
        name: "not_found",
        cause: Cause::NotFound,
        evaluate: not_found::evaluate,
    },
    Rule {
        name: "unsupported_asset",
        cause: Cause::UnsupportedAsset,
        evaluate: unsupported_asset::evaluate,
    },
    Rule {
        name: "below_minimum",
        cause: Cause::BelowMinimum,
        evaluate: below_minimum::evaluate,
    },
    Rule {
        name: "account_frozen",
        cause: Cause::AccountFrozen,
        evaluate: account_frozen::evaluate,
    },
    Rule {
        name: "security_hold",
        cause: Cause::SecurityHold,
        evaluate: security_hold::evaluate,
    },
    Rule {
        name: "rejected",
        cause: Cause::Rejected,
        evaluate: rejected::evaluate,
    },
    Rule {
        name: "awaiting_customer_confirmation",
        cause: Cause::AwaitingCustomerConfirmation,
        evaluate: awaiting_confirmation::evaluate,
    },
    Rule {
        name: "information_required",
        cause: Cause::InformationRequired,
        evaluate: information_required::evaluate,
    },
    Rule {
        name: "input_mismatch",
        cause: Cause::InputMismatch,
        evaluate: input_mismatch::evaluate,
    },
    Rule {
        name: "maintenance",
        cause: Cause::Maintenance,
        evaluate: maintenance::evaluate,
    },
    Rule {
        name: "confirmation_stalled",
        cause: Cause::ConfirmationStalled,
        evaluate: confirmation_stalled::evaluate,
    },
    Rule {
        name: "confirmation_delay",
        cause: Cause::ConfirmationDelay,
        evaluate: confirmation_delay::evaluate,
    },
    Rule {
        name: "no_incident",
        cause: Cause::NoIncident,
        evaluate: no_incident::evaluate,
    },
];

/// What a matched rule recommends, used when its cause is the primary one.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// The next step.
    pub next_step: NextStep,
    /// The customer-safe message.
    pub customer_message: Text,
    /// Causes that, when they match too, are primary instead of this one although later in
    /// precedence; the first of them that matched wins.
    pub yields_to: &'static [Cause],
    /// Set when the cause holds the transaction: nothing moves until the hold is lifted.
    pub holds: Option<Holding>,
    /// Set when the cause is the absence of every other (no incident): the detail its finding
    /// takes instead, not matched, when another rule matched.
    pub alone: Option<Text>,
}

/// A hold a matched cause puts on the transaction: it does not move until the hold is lifted.
/// While the primary cause holds it, waiting is not counted and no other finding promises when
/// it completes.
#[derive(Debug, Clone, PartialEq)]
pub struct Holding {
    /// Since when the hold is in force (waiting stops then, or never starts).
    pub since: DateTime<Utc>,
    /// When the hold ends by itself, if that is known.
    pub until: Option<DateTime<Utc>>,
    /// What holds the transaction, as agent texts name it (e.g. "the account freeze").
    pub holder: Text,
}

/// A rule's verdict before it becomes a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Matched or not.
    pub outcome: Outcome,
    /// Agent-facing explanation.
    pub detail: Text,
    /// What the rule used.
    pub evidence: Evidence,
    /// Set exactly when matched.
    pub resolution: Option<Resolution>,
}

impl Verdict {
    /// The rule matched: `next_step` and `customer_message` apply if it is the primary cause.
    pub fn matched(
        detail: Text,
        evidence: Evidence,
        next_step: NextStep,
        customer_message: Text,
    ) -> Self {
        Self {
            outcome: Outcome::Matched,
            detail,
            evidence,
            resolution: Some(Resolution {
                next_step,
                customer_message,
                yields_to: &[],
                holds: None,
                alone: None,
            }),
        }
    }

    /// This match holds the transaction from `since` (until `until`, when that is known):
    /// nothing moves before the hold is lifted. `holder` names the hold in agent texts.
    pub fn holding(
        mut self,
        since: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
        holder: Text,
    ) -> Self {
        if let Some(resolution) = &mut self.resolution {
            resolution.holds = Some(Holding {
                since,
                until,
                holder,
            });
        }
        self
    }

    /// This match says nothing else is wrong: it stands only when no other rule matched, and
    /// otherwise its finding is not matched, with `otherwise` as its detail.
    pub fn alone(mut self, otherwise: Text) -> Self {
        if let Some(resolution) = &mut self.resolution {
            resolution.alone = Some(otherwise);
        }
        self
    }

    /// This match gives way to any of `causes` that matched too (see the module's doc).
    pub fn yielding_to(mut self, causes: &'static [Cause]) -> Self {
        if let Some(resolution) = &mut self.resolution {
            resolution.yields_to = causes;
        }
        self
    }

    /// The rule was checked and does not hold.
    pub fn not_matched(detail: Text, evidence: Evidence) -> Self {
        Self {
            outcome: Outcome::NotMatched,
            detail,
            evidence,
            resolution: None,
        }
    }

    /// There is no transaction to check the rule against.
    pub fn no_transaction() -> Self {
        Self {
            outcome: Outcome::NotApplicable,
            detail: Text::new("rule-no-transaction"),
            evidence: Vec::new(),
            resolution: None,
        }
    }
}

/// The kind of a transaction as a message argument (`deposit`, `withdrawal`, …).
pub fn kind_arg(kind: super::model::TransactionKind) -> &'static str {
    use super::model::TransactionKind::*;
    match kind {
        Deposit => "deposit",
        Withdrawal => "withdrawal",
        Payment => "payment",
        Transfer => "transfer",
    }
}
