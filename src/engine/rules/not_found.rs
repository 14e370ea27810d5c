//! No transaction with this reference reached the platform by the evaluation time.

use super::Verdict;
use crate::engine::{
    context::Context,
    diagnosis::{Action, Cause, NextStep, Text},
    time::fmt_time,
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    if let Some(tx) = ctx.tx() {
        let mut evidence = vec![
            ("reference", tx.reference.clone()),
            ("created_at", fmt_time(tx.created_at)),
        ];
        if !tx.tx_hash.is_empty() {
            evidence.push(("tx_hash", tx.tx_hash.clone()));
        }
        return Verdict::not_matched(
            Text::new("not-found-exists").time("created_at", tx.created_at),
            evidence,
        );
    }
    let mut evidence = vec![("reference", ctx.reference.to_owned())];
    let detail = match ctx.created_after_as_of {
        // Replaying a past ticket: the record exists now but did not then.
        Some(created_at) => {
            evidence.push(("created_at", fmt_time(created_at)));
            Text::new("not-found-created-later").time("created_at", created_at)
        }
        None => Text::new("not-found-detail"),
    };
    Verdict::matched(
        detail.str("reference", ctx.reference.to_owned()),
        evidence,
        NextStep::new(Action::CheckReference, Text::new("not-found-summary")),
        Text::new("not-found-customer").str("reference", ctx.reference.to_owned()),
    )
    // A payment made during maintenance on its network may still be queued behind it.
    .yielding_to(&[Cause::Maintenance])
}
