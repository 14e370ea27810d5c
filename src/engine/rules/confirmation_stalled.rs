//! An in-flight transaction has waited far longer than its network should take.

use super::{
    Verdict,
    timing::{Hold, Timing},
};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
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
        return Verdict::not_matched(
            timing.args(Text::new("stalled-within-bound"), tx),
            timing.evidence(),
        );
    }
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
