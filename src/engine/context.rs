//! The view of the facts that holds at the evaluation time, shared by every rule.

use super::rules::{Holding, timing::Timing};
use super::{
    model::{AccountStatus, Claim, Facts, NetworkCondition, Transaction, TransactionStatus},
    policy::{PolicyRef, RuleSet},
    time,
};
use chrono::{DateTime, Utc};
use std::{borrow::Cow, cell::OnceCell};

/// Everything a rule may look at, already narrowed to the evaluation time.
pub struct Context<'a> {
    /// The reference asked about.
    pub reference: &'a str,
    /// The evaluation time T.
    pub as_of: DateTime<Utc>,
    /// What the customer claims.
    pub claim: &'a Claim,
    /// The transaction as it stood at T; `None` if unknown or created after T.
    pub transaction: Option<Cow<'a, Transaction>>,
    /// When the stored transaction was created, if that is after T (so it did not exist yet).
    pub created_after_as_of: Option<DateTime<Utc>>,
    /// The account status in force at T; `None` = no restriction recorded (active).
    pub account_status: Option<&'a AccountStatus>,
    /// Maintenance windows handed over by the store (rules filter them).
    pub facts: &'a Facts,
    /// The congestion observation in force at T, if one is recent enough.
    pub condition: Option<&'a NetworkCondition>,
    /// The latest observation at or before T that was too old to use.
    pub stale_condition: Option<&'a NetworkCondition>,
    /// The rules.
    pub rules: &'a RuleSet,
    /// The hold the primary cause puts on the transaction, once it is known (see
    /// [`Context::held_by`]); `None` while the rules are first evaluated, and when the primary
    /// cause holds nothing.
    pub held: Option<Held>,
    /// The in-flight transaction's timing, computed once for both confirmation rules.
    pub(crate) timing: OnceCell<Timing>,
}

impl<'a> Context<'a> {
    /// Narrows `facts` to what holds at `as_of`.
    pub fn new(
        reference: &'a str,
        claim: &'a Claim,
        facts: &'a Facts,
        rules: &'a RuleSet,
        as_of: DateTime<Utc>,
    ) -> Self {
        let (transaction, created_after_as_of) = match &facts.transaction {
            Some(tx) if tx.created_at > as_of => (None, Some(tx.created_at)),
            Some(tx) => (Some(replay(tx, as_of)), None),
            None => (None, None),
        };
        let network = match &transaction {
            Some(tx) => Some(tx.network.as_str()),
            None => claim.network.as_deref(),
        };
        let (condition, stale_condition) = condition_at(facts, network, rules, as_of);
        Self {
            reference,
            as_of,
            claim,
            transaction,
            created_after_as_of,
            account_status: status_at(&facts.account_history, as_of),
            facts,
            condition,
            stale_condition,
            rules,
            held: None,
            timing: OnceCell::new(),
        }
    }

    /// The same view in the light of the primary cause's hold: its timing is computed again.
    pub fn held_by(self, held: Held) -> Self {
        Self {
            held: Some(held),
            timing: OnceCell::new(),
            ..self
        }
    }

    /// The transaction, when there is one at T.
    pub fn tx(&self) -> Option<&Transaction> {
        self.transaction.as_deref()
    }

    /// The policy of the transaction's network.
    pub fn policy(&self) -> Option<PolicyRef<'a>> {
        let rules: &'a RuleSet = self.rules;
        self.tx().map(|tx| rules.policy(&tx.network))
    }

    /// The congestion factor in force at T (1.0 when none is known).
    pub fn congestion(&self) -> f64 {
        self.condition.map_or(1.0, |c| c.congestion_factor)
    }
}

/// The hold the primary cause puts on the transaction, as the other rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// The rule whose cause holds it, reported as the evidence `held_by`.
    pub by: &'static str,
    /// The hold.
    pub holding: Holding,
}

/// The transaction as it stood at `t`. Only its latest record is kept, so a record made after
/// `t` is unwound to what can be said of `t`: still in flight, with no confirmation observed yet.
/// One completed after `t` was still confirming then; one whose status or confirmations were
/// recorded after `t` (`updated_at`), a rejection or an arrival included, had not reached them:
/// one that arrived had been on the network, one rejected maybe not.
fn replay(tx: &Transaction, t: DateTime<Utc>) -> Cow<'_, Transaction> {
    let completed_later =
        tx.status == TransactionStatus::Completed && tx.completed_at.is_some_and(|done| done > t);
    let recorded_later = tx.status != TransactionStatus::Completed
        && tx.updated_at.is_some_and(|updated| updated > t);
    if !(completed_later || recorded_later) {
        return Cow::Borrowed(tx);
    }
    let mut then = tx.clone();
    then.status = match tx.status {
        TransactionStatus::Completed
        | TransactionStatus::NotCredited
        | TransactionStatus::Confirming => TransactionStatus::Confirming,
        TransactionStatus::Pending | TransactionStatus::Failed => TransactionStatus::Pending,
    };
    then.failure_reason = None;
    then.completed_at = None;
    then.updated_at = None;
    then.confirmations = 0;
    Cow::Owned(then)
}

/// The status entry in force at `t`: the latest to take effect at or before `t` (the later
/// recorded wins a tie), unless it has lapsed by then. Each entry replaces the one before, so a
/// lapsed entry means the account is active, not that an older entry comes back.
pub fn status_at(history: &[AccountStatus], t: DateTime<Utc>) -> Option<&AccountStatus> {
    let mut current: Option<&AccountStatus> = None;
    for entry in history.iter().filter(|s| s.effective_from <= t) {
        if current.is_none_or(|c| entry.effective_from >= c.effective_from) {
            current = Some(entry);
        }
    }
    current.filter(|s| s.effective_until.is_none_or(|until| t < until))
}

/// The latest observation at or before `t`, split into (usable, too old).
fn condition_at<'a>(
    facts: &'a Facts,
    network: Option<&str>,
    rules: &RuleSet,
    t: DateTime<Utc>,
) -> (Option<&'a NetworkCondition>, Option<&'a NetworkCondition>) {
    let latest = facts
        .network_conditions
        .iter()
        .filter(|c| Some(c.network.as_str()) == network && c.observed_at <= t)
        .max_by_key(|c| c.observed_at);
    match latest {
        Some(c) if !fresh(c, rules, t) => (None, Some(c)),
        other => (other, None),
    }
}

/// Whether an observation made by `t` is recent enough to use at `t` (within the rules' TTL).
pub fn fresh(condition: &NetworkCondition, rules: &RuleSet, t: DateTime<Utc>) -> bool {
    let ttl = super::policy::to_delta(rules.settings().network_condition_ttl);
    time::add(condition.observed_at, ttl) >= t
}
