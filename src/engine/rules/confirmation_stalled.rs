//! An in-flight transaction has waited far longer than its network should take.

use super::{
    Verdict,
    timing::{CountedFrom, Hold, Timing},
};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
    model::Transaction,
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let (tx, timing) = match Timing::in_flight(ctx) {
        Ok(found) => found,
        Err(verdict) => return *verdict,
    };
    let held = match timing.hold {
        Hold::None => None,
        Hold::Until(resumes) => Some(Text::new("stalled-held").deadline("resumes", resumes)),
        Hold::Open => Some(Text::new("stalled-held-open")),
    };
    if let Some(held) = held {
        let held = held.str("network", tx.network.clone());
        return Verdict::not_matched(held, timing.evidence());
    }
    if !timing.stalled() {
        return Verdict::not_matched(within_bound(ctx, tx, timing), timing.evidence());
    }
    // Under a hold of the primary cause, it stalled before the hold began.
    let detail = timing
        .args(Text::new("stalled-detail"), tx)
        .duration("stall_after", timing.stall_after);
    let summary = timing.args(Text::new("stalled-summary"), tx);
    let customer = Text::new("stalled-customer").word("kind", "kind", super::kind_arg(tx.kind));
    Verdict::matched(
        detail,
        timing.evidence(),
        NextStep::new(Action::Escalate, summary),
        customer,
    )
}

/// Why it has not stalled: the primary cause holds it (waiting stopped), nothing has been
/// counted yet (a rail's weekend, a record made this second), or it has waited less than the
/// bound. Never "waiting for 0 s".
fn within_bound(ctx: &Context<'_>, tx: &Transaction, timing: &Timing) -> Text {
    if let Some(held) = &ctx.held {
        return timing
            .args(Text::new("stalled-paused"), tx)
            .list("holder", vec![held.holding.holder.clone()])
            .time("held_since", held.holding.since.max(tx.created_at))
            .str("waited", if timing.started() { "yes" } else { "no" });
    }
    match timing.waiting_since.filter(|_| !timing.started()) {
        Some(since) => Text::new("stalled-not-started")
            .str("network", tx.network.clone())
            .time("since", since)
            .str(
                "business_days",
                if timing.counted_from == CountedFrom::BusinessDay {
                    "yes"
                } else {
                    "no"
                },
            ),
        None => timing.args(Text::new("stalled-within-bound"), tx),
    }
}
