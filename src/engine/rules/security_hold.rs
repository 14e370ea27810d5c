//! Withdrawals are held for a set time after a change to how the account is secured: a password
//! reset, a change of two-step verification, a sign-in from a new device, a new withdrawal
//! address. Exchanges hold them (commonly for 24 h) so that whoever took over an account cannot
//! empty it before its owner notices. The hold is an account restriction with a security hold
//! reason and an end; held transactions continue by themselves when it ends.

use super::{Verdict, account_frozen, kind_arg};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
    model::{AccountStatus, FreezeReason},
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let Some(tx) = ctx.tx() else {
        return Verdict::no_transaction();
    };
    let Some(hold) = ctx
        .account_status
        .filter(|s| s.reason.is_some_and(FreezeReason::security_hold))
    else {
        return Verdict::not_matched(Text::new("security-hold-none"), Vec::new());
    };
    let evidence = account_frozen::evidence(hold);
    let kind = kind_arg(tx.kind);
    let trigger = account_frozen::reason_arg(hold.reason);
    let with_hold = |id| {
        until(
            Text::new(id)
                .word("kind", "kind", kind)
                .word("trigger", "freeze-reason", trigger),
            hold,
        )
    };
    if !hold.blocks(tx.kind) {
        return Verdict::not_matched(with_hold("security-hold-other-kinds"), evidence);
    }
    // Only a transaction still on its way waits for the hold: a completed one got through
    // before it, and a rejected one is explained by its rejection.
    if !tx.in_flight() {
        return Verdict::not_matched(with_hold("security-hold-not-in-flight"), evidence);
    }
    let next_step = NextStep {
        recheck_at: hold.effective_until,
        expected_resolution_at: hold.effective_until,
        ..NextStep::new(Action::Wait, with_hold("security-hold-summary"))
    };
    // The customer never hears which change set the hold off: whoever reads the message may be
    // the intruder the hold is there to stop, and the owner knows what they changed. The generic
    // wording, with "if this was not you, contact us", serves both.
    let customer = until(
        Text::new("security-hold-customer").word("kind", "kind", kind),
        hold,
    );
    // Nothing is sent before the hold ends, so no other finding may promise an earlier time.
    Verdict::matched(
        with_hold("security-hold-detail").time("since", hold.effective_from),
        evidence,
        next_step,
        customer,
    )
    .holding(
        hold.effective_from,
        hold.effective_until,
        Text::new("security-hold-holder"),
    )
}

/// `text` with the hold's end as `until` (rounded up to the minute), and `open` saying whether
/// it has none (a hold recorded without an end, which the API refuses).
fn until(text: Text, hold: &AccountStatus) -> Text {
    match hold.effective_until {
        Some(end) => text.str("open", "no").deadline("until", end),
        None => text.str("open", "yes"),
    }
}
