//! Rule 7: an in-flight transaction is still within the time its network should take.

use super::{Verdict, kind_arg, timing::Timing};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
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
    let done = timing.expected_done;
    let mut evidence = timing.evidence();
    evidence.push(("expected_resolution_at", fmt_time(done)));
    let next_step = NextStep {
        action: Action::Wait,
        summary: timing
            .args(Text::new("delay-summary"), tx)
            .time("done", done),
        recheck_at: Some(done),
        expected_resolution_at: Some(done),
    };
    let customer = timing
        .args(Text::new("delay-customer"), tx)
        .word("kind", "kind", kind_arg(tx.kind))
        .str("amount", tx.amount.to_string())
        .str("asset", tx.asset.clone())
        .time("done", done);
    Verdict::matched(
        timing
            .args(Text::new("delay-detail"), tx)
            .time("done", done),
        evidence,
        next_step,
        customer,
    )
}
