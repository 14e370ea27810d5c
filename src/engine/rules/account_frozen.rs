//! The account is frozen, or restricted for this kind of transaction, at the evaluation time.

use super::{Verdict, kind_arg};
use crate::engine::{
    context::Context,
    diagnosis::{Action, Evidence, NextStep, Text},
    model::{AccountState, AccountStatus, FreezeReason, TransactionStatus},
    time::fmt_time,
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let Some(tx) = ctx.tx() else {
        return Verdict::no_transaction();
    };
    let Some(status) = ctx
        .account_status
        .filter(|s| s.state != AccountState::Active)
    else {
        return Verdict::not_matched(Text::new("frozen-active"), vec![("state", "active".into())]);
    };
    let evidence = evidence(status);
    let reason = reason_arg(status.reason);
    // A security hold lifts itself at its end: the security_hold rule explains it.
    if status.reason.is_some_and(FreezeReason::security_hold) {
        return Verdict::not_matched(
            Text::new("frozen-security-hold").word("reason", "freeze-reason", reason),
            evidence,
        );
    }
    if !status.blocks(tx.kind) {
        let detail = Text::new("frozen-other-kinds")
            .word("kind", "kind", kind_arg(tx.kind))
            .word("reason", "freeze-reason", reason);
        return Verdict::not_matched(detail, evidence);
    }
    // Completed transactions are never blocked: the freeze shows as a finding only.
    if tx.status == TransactionStatus::Completed {
        return Verdict::not_matched(
            Text::new("frozen-but-completed").word("reason", "freeze-reason", reason),
            evidence,
        );
    }
    let state = state_arg(status.state);
    // A rejected transaction does not continue once the account is cleared: it is sent again.
    // And a freeze that began after the rejection did not cause it.
    let failed = tx.status == TransactionStatus::Failed;
    if failed && status.effective_from > tx.updated_at.unwrap_or(tx.created_at) {
        return Verdict::not_matched(
            Text::new("frozen-after-failure")
                .word("state", "account-state", state)
                .word("reason", "freeze-reason", reason)
                .time("since", status.effective_from),
            evidence,
        );
    }
    let detail = Text::new("frozen-detail")
        .word("state", "account-state", state)
        .word("reason", "freeze-reason", reason)
        .word("kind", "kind", kind_arg(tx.kind))
        .time("since", status.effective_from);
    let (action, summary) = step(status.reason, failed);
    // The customer sees the reason only when it may be disclosed (no tipping-off on reviews).
    let disclosed = status
        .reason
        .filter(|r| r.disclosable())
        .map_or("review", |r| reason_arg(Some(r)));
    // The customer is told about their own account ("your account"), so it takes no id.
    let customer = Text::new(if failed {
        "frozen-customer-failed"
    } else {
        "frozen-customer"
    })
    .word("kind", "kind", kind_arg(tx.kind))
    .str("reason", disclosed);
    let mut next_step = NextStep::new(
        action,
        Text::new(summary)
            .word("state", "account-state", state)
            .word("reason", "freeze-reason", reason),
    );
    if failed {
        return Verdict::matched(detail, evidence, next_step, customer);
    }
    next_step.expected_resolution_at = status.effective_until;
    // A held transaction does not move until the freeze or restriction is lifted.
    Verdict::matched(detail, evidence, next_step, customer).holding(
        status.effective_from,
        status.effective_until,
        Text::new("frozen-holder").str("state", state),
    )
}

/// The action for a freeze, and the summary for a transaction that is held (`failed` false) or
/// was rejected.
fn step(reason: Option<FreezeReason>, failed: bool) -> (Action, &'static str) {
    match reason {
        Some(FreezeReason::IdentityUnverified) if failed => {
            (Action::VerifyIdentity, "frozen-summary-verify-failed")
        }
        Some(FreezeReason::IdentityUnverified) => (Action::VerifyIdentity, "frozen-summary-verify"),
        Some(FreezeReason::UserRequested) => {
            (Action::VerifyIdentity, "frozen-summary-user-requested")
        }
        Some(FreezeReason::AbnormalLogin) => (Action::SecureAccount, "frozen-summary-secure"),
        // Security holds are the security_hold rule's; an unknown reason goes to support.
        Some(
            FreezeReason::AbnormalActivity
            | FreezeReason::ComplianceReview
            | FreezeReason::PasswordReset
            | FreezeReason::TwoFactorChanged
            | FreezeReason::NewDevice
            | FreezeReason::WithdrawalAddressChanged,
        )
        | None => (Action::ContactSupport, "frozen-summary-support"),
    }
}

/// The evidence of a status entry, for the agent: its note included.
pub(super) fn evidence(status: &AccountStatus) -> Evidence {
    let mut evidence = vec![
        ("state", state_arg(status.state).to_owned()),
        ("reason", reason_arg(status.reason).to_owned()),
        ("effective_from", fmt_time(status.effective_from)),
    ];
    if let Some(until) = status.effective_until {
        evidence.push(("effective_until", fmt_time(until)));
    }
    if !status.restricted_kinds.is_empty() {
        let kinds: Vec<&str> = status
            .restricted_kinds
            .iter()
            .map(|k| kind_arg(*k))
            .collect();
        evidence.push(("restricted_kinds", kinds.join(",")));
    }
    if !status.note.is_empty() {
        evidence.push(("note", status.note.clone()));
    }
    evidence
}

fn state_arg(state: AccountState) -> &'static str {
    match state {
        AccountState::Active => "active",
        AccountState::Frozen => "frozen",
        AccountState::Restricted => "restricted",
    }
}

/// The stable code of a reason, as texts and evidence name it.
pub(super) fn reason_arg(reason: Option<FreezeReason>) -> &'static str {
    match reason {
        Some(FreezeReason::AbnormalLogin) => "abnormal_login",
        Some(FreezeReason::AbnormalActivity) => "abnormal_activity",
        Some(FreezeReason::IdentityUnverified) => "identity_unverified",
        Some(FreezeReason::UserRequested) => "user_requested",
        Some(FreezeReason::ComplianceReview) => "compliance_review",
        Some(FreezeReason::PasswordReset) => "password_reset",
        Some(FreezeReason::TwoFactorChanged) => "two_factor_changed",
        Some(FreezeReason::NewDevice) => "new_device",
        Some(FreezeReason::WithdrawalAddressChanged) => "withdrawal_address_changed",
        None => "unspecified",
    }
}
