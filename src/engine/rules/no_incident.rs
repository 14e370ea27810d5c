//! The transaction completed; nothing is wrong.
//!
//! No incident is the absence of every other cause: it stands only alone ([`Verdict::alone`]).
//! Completed means credited to the customer (incoming) or released (outgoing): a deposit that
//! arrived on its network but was not credited (`NotCredited`) is never called completed.

use super::{Verdict, kind_arg};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
    model::{Transaction, TransactionKind, TransactionStatus},
    time::fmt_time,
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let Some(tx) = ctx.tx() else {
        return Verdict::no_transaction();
    };
    match tx.status {
        TransactionStatus::Completed => completed(tx),
        TransactionStatus::NotCredited => {
            let arrived = tx.observed_at();
            Verdict::not_matched(
                amounts(Text::new("no-incident-not-credited"), tx).time("arrived", arrived),
                vec![("arrived_at", fmt_time(arrived))],
            )
        }
        _ => Verdict::not_matched(Text::new("no-incident-not-completed"), Vec::new()),
    }
}

fn completed(tx: &Transaction) -> Verdict {
    let done = tx.completed_at.unwrap_or(tx.observed_at());
    let outgoing = matches!(
        tx.kind,
        TransactionKind::Withdrawal | TransactionKind::Transfer
    );
    let text = |id| {
        amounts(Text::new(id), tx)
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
    .alone(Text::new("no-incident-other-causes"))
}

/// `text` with the transaction's kind, amount, asset and network.
fn amounts(text: Text, tx: &Transaction) -> Text {
    text.word("kind", "kind", kind_arg(tx.kind))
        .str("amount", tx.amount.to_string())
        .str("asset", tx.asset.clone())
        .str("network", tx.network.clone())
}
