//! The transaction was rejected.

use super::{Verdict, kind_arg};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
    model::{FailureReason, TransactionKind, TransactionStatus},
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let Some(tx) = ctx.tx() else {
        return Verdict::no_transaction();
    };
    if tx.status != TransactionStatus::Failed {
        return Verdict::not_matched(Text::new("rejected-not-failed"), Vec::new());
    }
    let reason = reason_arg(tx.failure_reason);
    // An incoming transfer on a chain that expired has still moved the funds: they reached the
    // platform after the order expired. Paying again would pay twice.
    let incoming = matches!(tx.kind, TransactionKind::Deposit | TransactionKind::Payment);
    let on_chain = ctx
        .policy()
        .is_some_and(|p| p.policy.block_interval.is_some());
    let paid_late = tx.failure_reason == Some(FailureReason::Expired) && incoming && on_chain;
    let action = match tx.failure_reason {
        _ if paid_late => Action::ContactSupport,
        Some(FailureReason::InsufficientBalance) => Action::TopUpAndRetry,
        // A declining issuer is asked why, or another card or account is used.
        Some(
            FailureReason::InvalidDetails
            | FailureReason::LimitExceeded
            | FailureReason::Expired
            | FailureReason::IssuerDeclined,
        ) => Action::CorrectAndRetry,
        Some(FailureReason::RiskDeclined) | None => Action::ContactSupport,
    };
    let advice = if paid_late {
        "expired_paid_late"
    } else {
        reason
    };
    let kind = kind_arg(tx.kind);
    let detail = Text::new("rejected-detail")
        .word("reason", "failure-reason", reason)
        .word("kind", "kind", kind);
    // The catalog words the reason for display but picks its advice by the stable code.
    let summary = Text::new("rejected-summary")
        .word("reason", "failure-reason", reason)
        .str("code", advice)
        .str("amount", tx.amount.to_string())
        .str("asset", tx.asset.clone());
    // Risk declines are never explained to the customer.
    let disclosed = if tx.failure_reason == Some(FailureReason::RiskDeclined) {
        "unspecified"
    } else {
        advice
    };
    let customer = Text::new("rejected-customer")
        .str("reason", disclosed)
        .word("kind", "kind", kind);
    Verdict::matched(
        detail,
        vec![("failure_reason", reason.to_owned())],
        NextStep::new(action, summary),
        customer,
    )
}

fn reason_arg(reason: Option<FailureReason>) -> &'static str {
    match reason {
        Some(FailureReason::InsufficientBalance) => "insufficient_balance",
        Some(FailureReason::InvalidDetails) => "invalid_details",
        Some(FailureReason::LimitExceeded) => "limit_exceeded",
        Some(FailureReason::RiskDeclined) => "risk_declined",
        Some(FailureReason::Expired) => "expired",
        Some(FailureReason::IssuerDeclined) => "issuer_declined",
        None => "unspecified",
    }
}
