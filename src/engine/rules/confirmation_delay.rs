//! An in-flight transaction is still within the time its network should take, or late
//! but not yet stalled.

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
    // Within the expected time: wait until it should be done. Later than that but within the
    // stall bound: when it will be done is no longer known, so the next look is when it would
    // count as stalled.
    let (texts, moment, at, expected_resolution_at) = if timing.overdue {
        let at = timing.stalls_at;
        (OVERDUE, "stalls_at", at, None)
    } else {
        let at = timing.expected_done;
        (EXPECTED, "done", at, Some(at))
    };
    let mut evidence = timing.evidence();
    evidence.push((texts.evidence, fmt_time(at)));
    let next_step = NextStep {
        action: Action::Wait,
        summary: timing
            .args(Text::new(texts.summary), tx)
            .deadline(moment, at),
        recheck_at: Some(at),
        expected_resolution_at,
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
