//! Who acts on a next step, what support needs from the customer for it, and where and how soon
//! the customer hears back.
//!
//! The actor follows from the action alone ([`Action::actor`]); the evidence from the cause, the
//! action and the rail (`evidence.rs`); the channel and response time from the rules file's
//! service level for the action (`service_levels.rs`).

use super::diagnosis::{Action, NextStep, Text};
use serde::Deserialize;
use std::time::Duration;

/// Who must act for a next step to move on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// Nobody: nothing is wrong, or it resolves by itself.
    None,
    /// The customer: only they can do what the step asks.
    Customer,
    /// Support: the customer only has to reach them.
    Support,
    /// Operations: support hands the case on.
    Operations,
}

impl Actor {
    /// Whether the customer waits on the platform's staff: such a step needs a service level,
    /// and the customer message says where and how soon the answer comes.
    pub fn is_staff(self) -> bool {
        matches!(self, Actor::Support | Actor::Operations)
    }
}

impl Action {
    /// Every action, in the contract's order. A test checks it against the contract's actions:
    /// the rules file's service levels are checked for each action listed here.
    pub const ALL: &'static [Action] = &[
        Action::None,
        Action::Wait,
        Action::VerifyIdentity,
        Action::SecureAccount,
        Action::ContactSupport,
        Action::CorrectAndRetry,
        Action::TopUpAndRetry,
        Action::RequestRecovery,
        Action::CheckReference,
        Action::Escalate,
        Action::ConfirmRequest,
        Action::ProvideInformation,
    ];

    /// Who must act when this is the next step. No wildcard: a new action cannot be added
    /// without choosing its actor.
    pub fn actor(self) -> Actor {
        match self {
            Action::None | Action::Wait => Actor::None,
            Action::VerifyIdentity
            | Action::SecureAccount
            | Action::CorrectAndRetry
            | Action::TopUpAndRetry
            // Only the customer can confirm their own request or give what is asked of them.
            | Action::ConfirmRequest
            | Action::ProvideInformation
            // The customer checks first; support comes in only if they prove a payment.
            | Action::CheckReference => Actor::Customer,
            // The customer's part is only to reach support (filing the recovery request is how);
            // support resolves it.
            Action::ContactSupport | Action::RequestRecovery => Actor::Support,
            Action::Escalate => Actor::Operations,
        }
    }

    /// The action's name in the rules file (`contact_support`), for messages about it.
    pub fn name(self) -> String {
        // The snake_case of the variant, as serde reads it: one more list to keep in step with
        // the enum would be one more place a new action could be forgotten.
        let mut name = String::new();
        for c in format!("{self:?}").chars() {
            if c.is_ascii_uppercase() && !name.is_empty() {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
        }
        name
    }
}

/// Something support needs from the customer to act on a case. Also what triage asks for when
/// a ticket identifies no payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvidenceItem {
    /// The platform reference or the TxID, whichever the customer has.
    ReferenceOrTxHash,
    /// When the payment was made.
    PaymentTime,
    /// How much was sent, and in which asset.
    Amount,
    /// The network or rail used.
    Network,
    /// A screenshot of the payment in the sending wallet or bank.
    PaymentScreenshot,
    /// The platform reference of the transaction.
    TransactionReference,
    /// The transaction hash (TxID).
    TxHash,
    /// The address or account the funds were sent to.
    DestinationAddress,
    /// The memo or tag used.
    Memo,
    /// A bank statement showing the payment.
    BankStatement,
    /// An identity document of the account holder.
    IdentityDocument,
}

/// Where the customer reaches the team, and where the answer comes. Named in the rules file in
/// snake_case (`in_app_chat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The chat in the app.
    InAppChat,
    /// E-mail.
    Email,
    /// The support hotline.
    Hotline,
    /// A form in the app (recovery request, identity verification).
    InAppForm,
}

impl Channel {
    /// The stable code customer texts select their wording by.
    pub fn code(self) -> &'static str {
        match self {
            Channel::InAppChat => "in_app_chat",
            Channel::Email => "email",
            Channel::Hotline => "hotline",
            Channel::InAppForm => "in_app_form",
        }
    }
}

/// How soon an answer comes: between `min` and `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseTime {
    /// The soonest.
    pub min: Duration,
    /// The latest; never less than `min`.
    pub max: Duration,
    /// Whether `min` and `max` are whole days counted Monday to Friday.
    pub business_days: bool,
}

/// One action's service level from the rules file: where and how soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceLevel {
    /// Where the customer reaches the team.
    pub channel: Channel,
    /// How soon the answer comes.
    pub response: ResponseTime,
}

impl ServiceLevel {
    /// The customer-facing sentence, e.g. "Our team will reply by e-mail within 1–3 business
    /// days."
    pub fn statement(&self) -> Text {
        Text::new("reply-expected")
            .str("channel", self.channel.code())
            .nested("within", within(&self.response))
    }
}

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// The response time in the largest unit that writes both ends whole: "1–3 business days",
/// "10 minutes" (a range from zero, or of one length, is written as its end).
fn within(r: &ResponseTime) -> Text {
    let (min, max) = (r.min.as_secs(), r.max.as_secs());
    let whole = |unit: u64| min % unit == 0 && max % unit == 0;
    let (unit, size) = if r.business_days {
        ("business_days", DAY)
    } else if whole(DAY) {
        ("days", DAY)
    } else if whole(HOUR) {
        ("hours", HOUR)
    } else {
        ("minutes", MINUTE)
    };
    // The rules file allows whole minutes only (whole days with business days): nothing is lost.
    let count = |secs: u64| i64::try_from(secs / size).unwrap_or(i64::MAX);
    if min == 0 || min == max {
        Text::new("reply-within")
            .str("unit", unit)
            .num("to", count(max))
    } else {
        Text::new("reply-within-range")
            .str("unit", unit)
            .num("from", count(min))
            .num("to", count(max))
    }
}

/// The customer message of a step: `message`, followed by where and how soon the answer comes
/// when the customer waits on support or operations.
pub fn customer_message(message: Text, step: &NextStep) -> Text {
    match step.service_level {
        Some(level) if step.actor().is_staff() => Text::new("customer-with-reply")
            .nested("message", message)
            .nested("reply", level.statement()),
        _ => message,
    }
}
