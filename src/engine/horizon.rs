//! When a diagnosis can next change by time alone: the facts stay as they are and only the
//! evaluation time moves on. A watcher evaluates again at [`next_change`] instead of every
//! second; changes of the facts are another matter (they reach it as new facts).
//!
//! The outcome a watcher follows is the [`Outlook`]: the cause, the next step's action, its
//! `expected_resolution_at` and its `recheck_at`. It can change only where a comparison the
//! engine makes with the evaluation time T turns, and every such comparison is with a moment
//! of the facts or with a moment the transaction's timing derives from them (the turns; the
//! first at which the outlook differs is the next change):
//!
//! - the transaction exists from its `created_at`; its record is unwound before its
//!   `updated_at` and `completed_at` (`context::replay`);
//! - a customer confirmation lapses at its `expires_at`; an information request holds from its
//!   `requested_at`;
//! - an account status is in force from its `effective_from` until its `effective_until`
//!   (freezes, restrictions and security holds alike);
//! - a maintenance window holds from its `starts_at` until it clears (`clears_at`: its end
//!   plus the backlog drain), and a transaction it held up resumes then;
//! - a congestion observation counts from its `observed_at` and is stale just after
//!   `observed_at + network_condition_ttl`;
//! - an in-flight transaction is overdue just after its expected completion (`done`), and
//!   stalled from `stalls_at`, where its waiting reaches the stall bound. Both are fixed while
//!   the facts in force are: they follow from its creation or resumption, its confirmations and
//!   the congestion in force, each of which changes only at a moment above.
//!
//! Two values of the timing do move with T, and neither reaches the outcome. `expected_done` is
//! `done.max(T)`, but the delay rule gives it as the expected resolution only while T is not
//! past `done`, where it is `done`. And where a window with no announced end holds the
//! transaction, its resumption, `done` and `stalls_at` are put at T; but then neither
//! confirmation rule can be the primary cause (the stall rule does not match under maintenance,
//! and the delay rule comes after the maintenance rule, which matches), and such a window never
//! clears while the facts stay as they are: those moments are left out, as bounds rather than
//! boundaries. Nor does the timing under the primary cause's hold count: the outcome is the
//! primary cause's own verdict, made before its hold is known.
//!
//! The one field of an outcome that does move with T is the recheck of such a window:
//! `recheck_at` is `T + open_window_recheck`, a span after each evaluation
//! ([`NextStep::recheck_after`](super::diagnosis::NextStep::recheck_after)). The outlook holds
//! it as that span ([`Recheck::After`]), so that it is stable, and no change is scheduled for
//! it: a watcher is not sent the same open window every half hour.
//!
//! The business day a rail's waiting starts on is no boundary either: it changes only the
//! texts (no waiting is counted yet), not the outcome.

use super::{
    context::Context,
    diagnosis::{Action, Cause, Diagnosis},
    model::{Claim, Facts},
    policy::{RuleSet, to_delta},
    rules::timing::{Hold, Timing},
    time,
};
use chrono::{DateTime, TimeDelta, Utc};

/// What a watcher is sent a diagnosis again for when it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Outlook {
    /// The primary cause.
    pub cause: Cause,
    /// The next step's action.
    pub action: Action,
    /// When it should resolve by itself.
    pub expected_resolution_at: Option<DateTime<Utc>>,
    /// When to look again.
    pub recheck: Recheck,
}

/// When a next step says to look again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recheck {
    /// No need to.
    Never,
    /// At this moment.
    At(DateTime<Utc>),
    /// This span after each evaluation: `recheck_at` moves on with the evaluation time.
    After(TimeDelta),
}

impl Outlook {
    /// The outlook of `diagnosis`.
    pub fn of(diagnosis: &Diagnosis) -> Self {
        let step = &diagnosis.next_step;
        let recheck = match (step.recheck_after, step.recheck_at) {
            (Some(after), _) => Recheck::After(after),
            (None, Some(at)) => Recheck::At(at),
            (None, None) => Recheck::Never,
        };
        Self {
            cause: diagnosis.cause,
            action: step.action,
            expected_resolution_at: step.expected_resolution_at,
            recheck,
        }
    }
}

/// The earliest moment after `as_of` at which evaluating the same facts gives another
/// [`Outlook`] than at `as_of`; `None` when none does (up to the last moment the API carries,
/// 9999-12-31).
///
/// For every `t` with `as_of < t < next_change`, `evaluate(.., t)` has the outlook of
/// `evaluate(.., as_of)`, and `evaluate(.., next_change)` has another: a watcher woken then has
/// something to send. Asked again at any `t` before it, the answer is the same. The arguments
/// are those of [`evaluate`](super::evaluate).
///
/// Only the moments of `facts` count. A status entry, window or observation that takes effect
/// after `as_of` is found only if it is among them; the store's `load_facts` hands over only
/// those in effect by `as_of`, so with its facts, such an entry reaches a watcher as a new fact
/// when it takes effect, not as a change named here.
pub fn next_change(
    rules: &RuleSet,
    reference: &str,
    claim: &Claim,
    facts: &Facts,
    as_of: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let outlook = |t| Outlook::of(&super::evaluate(rules, reference, claim, facts, t));
    let now = outlook(as_of);
    // The outlook holds from one turn to the next, so the first turn at which it differs is the
    // change; most turns change nothing (a window on another network starts, say), and cost an
    // evaluation here rather than a watcher's wake-up. Turns are at most the facts' moments
    // and, between two of them, a completion and a stall: past that many, a turn moving with
    // the evaluation time would walk on without end, and the walk stops where it is instead.
    let ttl = to_delta(rules.settings().network_condition_ttl);
    let most = 3 * (of_facts(facts, ttl).count() + 1);
    let mut t = as_of;
    for _ in 0..most {
        let turn = next_turn(rules, reference, claim, facts, t)?;
        if outlook(turn) != now {
            return Some(turn);
        }
        t = turn;
    }
    Some(t)
}

/// The earliest moment after `t` at which a comparison the engine makes with the evaluation
/// time turns, from `t`'s view of the facts: the outlook holds from `t` until then.
fn next_turn(
    rules: &RuleSet,
    reference: &str,
    claim: &Claim,
    facts: &Facts,
    t: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let ctx = Context::new(reference, claim, facts, rules, t);
    let ttl = to_delta(rules.settings().network_condition_ttl);
    of_facts(facts, ttl)
        .chain(of_timing(&ctx))
        .filter(|turn| *turn > t && *turn <= time::latest())
        .min()
}

/// The moments of the facts at which a comparison with the evaluation time turns. Every
/// comparison is `moment <= T` (or `T < moment`), so the turn is at the moment itself, except
/// the congestion TTL, compared `observed_at + ttl >= T`, which turns a nanosecond later.
fn of_facts(facts: &Facts, ttl: TimeDelta) -> impl Iterator<Item = DateTime<Utc>> + '_ {
    let transaction = facts.transaction.iter().flat_map(|tx| {
        [
            Some(tx.created_at),
            tx.updated_at,
            tx.completed_at,
            tx.customer_confirmation.map(|c| c.expires_at),
            tx.information_request.as_ref().map(|r| r.requested_at),
        ]
    });
    let history = facts
        .account_history
        .iter()
        .flat_map(|s| [Some(s.effective_from), s.effective_until]);
    let windows = facts
        .maintenance_windows
        .iter()
        .flat_map(|w| [Some(w.starts_at), w.clears_at()]);
    let conditions = facts.network_conditions.iter().flat_map(move |c| {
        [
            Some(c.observed_at),
            Some(just_after(time::add(c.observed_at, ttl))),
        ]
    });
    transaction
        .chain(history)
        .chain(windows)
        .chain(conditions)
        .flatten()
}

/// The moments the in-flight transaction's timing gives, as the rules see it before any hold of
/// the primary cause (the outcome is the primary cause's, whose verdict is that first one): just
/// after it should be done (then it is overdue, `done < T`), and when it stalls. None while a
/// window with no announced end holds it (see the module's doc).
fn of_timing(ctx: &Context<'_>) -> impl Iterator<Item = DateTime<Utc>> {
    let timing = ctx
        .tx()
        .filter(|tx| tx.in_flight())
        .map(|tx| Timing::get(ctx, tx))
        .filter(|timing| timing.hold != Hold::Open);
    let moments = timing.map(|timing| {
        // Once overdue, `expected_done` is the evaluation time itself: no moment of its own.
        let overdue = timing
            .expected_done
            .filter(|_| !timing.overdue)
            .map(just_after);
        [overdue, timing.stalls_at]
    });
    moments.into_iter().flatten().flatten()
}

/// The first moment after `t`, where a comparison `t < T` turns.
fn just_after(t: DateTime<Utc>) -> DateTime<Utc> {
    time::add(t, TimeDelta::nanoseconds(1))
}
