//! The transaction completed; nothing is wrong.

use super::{Verdict, kind_arg};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
    model::{TransactionKind, TransactionStatus},
    time::fmt_time,
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let Some(tx) = ctx.tx() else {
        return Verdict::no_transaction();
    };
    if tx.status != TransactionStatus::Completed {
        return Verdict::not_matched(Text::new("no-incident-not-completed"), Vec::new());
    }
    let done = tx.completed_at.unwrap_or(tx.observed_at());
    let outgoing = matches!(
        tx.kind,
        TransactionKind::Withdrawal | TransactionKind::Transfer
    );
    let text = |id| {
        Text::new(id)
            .word("kind", "kind", kind_arg(tx.kind))
            .str("amount", tx.amount.to_string())
            .str("asset", tx.asset.clone())
            .str("network", tx.network.clone())
            .time("done", done)
            // Funds sent out can complete here and still not show up where they went.
            .str("outgoing", if outgoing { "yes" } else { "no" })
    };
    let mut evidence = vec![
        ("completed_at", fmt_time(done)),
        ("amount", tx.amount.to_string()),
        ("asset", tx.asset.clone()),
    ];
    if !tx.destination.is_empty() {
        evidence.push(("destination", tx.destination.clone()));
    }
    Verdict::matched(
        text("no-incident-detail"),
        evidence,
        NextStep::new(Action::None, text("no-incident-summary")),
        text("no-incident-customer"),
    )
}
