//! A request waits for the customer to confirm it (the link in an e-mail, a two-step code, a
//! prompt in the app) before the platform sends it. Nothing moves until they do; a request left
//! unconfirmed lapses at its expiry and must then be made again.

use super::{Verdict, kind_arg};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
    model::{ConfirmationMethod, TransactionStatus},
    time::fmt_time,
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let Some(tx) = ctx.tx() else {
        return Verdict::no_transaction();
    };
    let Some(request) = tx.customer_confirmation else {
        return Verdict::not_matched(Text::new("awaiting-confirmation-none"), Vec::new());
    };
    let method = method_arg(request.method);
    let evidence = vec![
        ("confirmation_method", method.to_owned()),
        ("confirmation_expires_at", fmt_time(request.expires_at)),
    ];
    // Once confirmed the platform sends it: a record past PENDING no longer waits, whatever it
    // still says.
    if tx.status != TransactionStatus::Pending {
        return Verdict::not_matched(Text::new("awaiting-confirmation-not-pending"), evidence);
    }
    let lapsed = request.expires_at <= ctx.as_of;
    let text = |id| {
        Text::new(id)
            .word("kind", "kind", kind_arg(tx.kind))
            .word("method", "confirmation-method", method)
            .str("code", method)
            .str("amount", tx.amount.to_string())
            .str("asset", tx.asset.clone())
            .deadline("expires_at", request.expires_at)
    };
    let next_step = if lapsed {
        // Void: confirming now does nothing, the customer makes the request again.
        NextStep::new(
            Action::CorrectAndRetry,
            text("awaiting-confirmation-lapsed-summary"),
        )
    } else {
        NextStep {
            // Nothing resolves it but the customer; by its expiry it has one outcome or the other.
            recheck_at: Some(request.expires_at),
            ..NextStep::new(
                Action::ConfirmRequest,
                text("awaiting-confirmation-summary"),
            )
        }
    };
    let (detail, customer) = if lapsed {
        (
            "awaiting-confirmation-lapsed-detail",
            "awaiting-confirmation-lapsed-customer",
        )
    } else {
        (
            "awaiting-confirmation-detail",
            "awaiting-confirmation-customer",
        )
    };
    Verdict::matched(text(detail), evidence, next_step, text(customer))
}

fn method_arg(method: ConfirmationMethod) -> &'static str {
    match method {
        ConfirmationMethod::Email => "email",
        ConfirmationMethod::TwoFactor => "two_factor",
        ConfirmationMethod::Device => "device",
    }
}
