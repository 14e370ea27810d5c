//! An in-flight transaction is still within the time its network should take, or late
//! but not yet stalled.

use super::{Verdict, kind_arg, timing::Timing};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
    model::Transaction,
    time::fmt_time,
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let (tx, timing) = match Timing::in_flight(ctx) {
        Ok(found) => found,
        Err(verdict) => return *verdict,
    };
    if timing.stalled() {
        return Verdict::not_matched(
            timing.args(Text::new("delay-beyond-bound"), tx),
            timing.evidence(),
        );
    }
    // Times are known exactly when nothing holds it.
    let (Some(done), Some(stalls_at), None) = (timing.expected_done, timing.stalls_at, &ctx.held)
    else {
        return on_hold(ctx, tx, timing);
    };
    // Within the expected time: wait until it should be done. Later than that but within the
    // stall bound: when it will be done is no longer known, so the next look is when it would
    // count as stalled.
    let (texts, moment, at, expected_resolution_at) = if timing.overdue {
        (OVERDUE, "stalls_at", stalls_at, None)
    } else {
        (EXPECTED, "done", done, Some(done))
    };
    let mut evidence = timing.evidence();
    evidence.push((texts.evidence, fmt_time(at)));
    let summary = timing
        .args(Text::new(texts.summary), tx)
        .deadline(moment, at);
    let next_step = NextStep {
        recheck_at: Some(at),
        expected_resolution_at,
        ..NextStep::new(Action::Wait, summary)
    };
    let customer = timing
        .args(Text::new(texts.customer), tx)
        .word("kind", "kind", kind_arg(tx.kind))
        .str("amount", tx.amount.to_string())
        .str("asset", tx.asset.clone())
        .deadline(moment, at);
    Verdict::matched(
        timing
            .args(Text::new(texts.detail), tx)
            .deadline(moment, at),
        evidence,
        next_step,
        customer,
    )
}

/// Within its time, but held by the primary cause: what the network takes once the hold is
/// lifted, and no moment it will be done by (no expected resolution, no recheck of its own).
fn on_hold(ctx: &Context<'_>, tx: &Transaction, timing: &Timing) -> Verdict {
    let holder = || {
        ctx.held
            .iter()
            .map(|held| held.holding.holder.clone())
            .collect()
    };
    let since = ctx
        .held
        .as_ref()
        .map_or(tx.created_at, |held| held.holding.since.max(tx.created_at));
    let text = |id| {
        timing
            .args(Text::new(id), tx)
            .list("holder", holder())
            .time("held_since", since)
    };
    let customer = Text::new("delay-held-customer")
        .word("kind", "kind", kind_arg(tx.kind))
        .str("amount", tx.amount.to_string())
        .str("asset", tx.asset.clone());
    Verdict::matched(
        text("delay-held-detail"),
        timing.evidence(),
        NextStep::new(Action::Wait, text("delay-held-summary")),
        customer,
    )
}

/// The messages of one case, and the evidence key of the moment they name.
struct Texts {
    detail: &'static str,
    summary: &'static str,
    customer: &'static str,
    evidence: &'static str,
}

const EXPECTED: Texts = Texts {
    detail: "delay-detail",
    summary: "delay-summary",
    customer: "delay-customer",
    evidence: "expected_resolution_at",
};

const OVERDUE: Texts = Texts {
    detail: "delay-overdue-detail",
    summary: "delay-overdue-summary",
    customer: "delay-overdue-customer",
    evidence: "stalls_at",
};
