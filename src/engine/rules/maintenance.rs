//! A maintenance window or outage on the network holds the transaction up.
//!
//! Also explains a payment that never reached the platform when the customer paid on a network
//! during its maintenance: it may still be queued.

use super::{Verdict, timing::Timing};
use crate::engine::{
    context::Context,
    diagnosis::{Action, Evidence, NextStep, Text},
    model::{MaintenanceType, MaintenanceWindow, Transaction, TransactionKind, TransactionStatus},
    policy::to_delta,
    time::{add, fmt_secs, fmt_time},
};
use chrono::{DateTime, Utc};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    match ctx.tx() {
        Some(tx) => for_transaction(ctx, tx),
        None => for_claim(ctx),
    }
}

fn for_transaction(ctx: &Context<'_>, tx: &Transaction) -> Verdict {
    match tx.status {
        TransactionStatus::Completed => {
            return Verdict::not_matched(Text::new("maintenance-completed"), Vec::new());
        }
        // Arrived: no network holds it up any more, though it was not credited.
        TransactionStatus::NotCredited => {
            return Verdict::not_matched(
                Text::new("maintenance-arrived").str("network", tx.network.clone()),
                Vec::new(),
            );
        }
        _ => {}
    }
    let t = ctx.as_of;
    // A window that began once an in-flight transaction had already stalled does not explain it.
    let stalled_from = if tx.in_flight() {
        Timing::get(ctx, tx).stalls_at
    } else {
        None
    };
    // Held it up since its creation, and still holds transactions up at T.
    let held_by = ctx.facts.maintenance_windows.iter().filter(|w| {
        w.held_up(tx, t)
            && w.holds_at(t)
            && stalled_from.is_none_or(|stalled| w.starts_at <= stalled)
    });
    match longest(held_by) {
        // Nothing on the network moves until the window clears: the transaction is held.
        Some(window) => hold(
            ctx,
            window,
            Text::new("maintenance-detail").str("network", tx.network.clone()),
            ON_RECORD,
        )
        .holding(
            window.starts_at,
            window.clears_at(),
            Text::new("maintenance-holder")
                .word("type", "maintenance-type", planned(window))
                .str("network", tx.network.clone()),
        ),
        None => Verdict::not_matched(
            Text::new("maintenance-none").str("network", tx.network.clone()),
            Vec::new(),
        ),
    }
}

fn for_claim(ctx: &Context<'_>) -> Verdict {
    let (Some(network), Some(paid_at)) = (ctx.claim.network.as_deref(), ctx.claim.paid_at) else {
        return Verdict::no_transaction();
    };
    // A payment the platform has no record of was coming in: only windows that hold incoming
    // transactions can have queued it.
    let held_by = ctx.facts.maintenance_windows.iter().filter(|w| {
        (w.covers(network, Some(TransactionKind::Deposit))
            || w.covers(network, Some(TransactionKind::Payment)))
            && w.starts_at <= paid_at
            && w.clears_at().is_none_or(|clears| paid_at < clears)
            && w.holds_at(ctx.as_of)
    });
    match longest(held_by) {
        Some(window) => {
            let detail = Text::new("maintenance-claim-detail")
                .str("network", network.to_owned())
                .time("paid_at", paid_at);
            let mut verdict = hold(ctx, window, detail, CLAIMED);
            verdict
                .evidence
                .push(("claimed.paid_at", fmt_time(paid_at)));
            verdict
        }
        None => Verdict::not_matched(
            Text::new("maintenance-claim-none")
                .str("network", network.to_owned())
                .time("paid_at", paid_at),
            Vec::new(),
        ),
    }
}

/// The window that holds up the longest: an open-ended one, else the one clearing last.
fn longest<'a>(
    windows: impl Iterator<Item = &'a MaintenanceWindow>,
) -> Option<&'a MaintenanceWindow> {
    windows.max_by_key(|w| w.clears_at().unwrap_or(DateTime::<Utc>::MAX_UTC))
}

/// The next-step and customer messages: for a transaction on record, or for a payment the
/// platform has no record of yet (which must not be promised as safe, and needs its hash).
const ON_RECORD: [&str; 2] = ["maintenance-summary", "maintenance-customer"];
const CLAIMED: [&str; 2] = ["maintenance-claim-summary", "maintenance-claim-customer"];

fn hold(
    ctx: &Context<'_>,
    window: &MaintenanceWindow,
    detail: Text,
    [summary, customer]: [&'static str; 2],
) -> Verdict {
    let network = network_of(ctx, window);
    let clears_at = window.clears_at();
    let (open, recheck_at, recheck_after) = match clears_at {
        Some(clear) => ("no", clear, None),
        // With no announced end, the recheck is a set span after each evaluation.
        None => {
            let after = to_delta(ctx.rules.settings().open_window_recheck);
            ("yes", add(ctx.as_of, after), Some(after))
        }
    };
    let planned = planned(window);
    let with_times = |text: Text| {
        let text = text
            .str("open", open)
            .word("type", "maintenance-type", planned)
            .time("starts_at", window.starts_at);
        match clears_at {
            Some(clear) => text.deadline("clears_at", clear),
            None => text.deadline("recheck_at", recheck_at),
        }
    };
    let summary_text = with_times(
        Text::new(summary)
            .str("title", window.title.clone())
            .str("network", network.to_owned()),
    );
    let next_step = NextStep {
        recheck_at: Some(recheck_at),
        recheck_after,
        expected_resolution_at: clears_at,
        ..NextStep::new(Action::Wait, summary_text)
    };
    let customer = with_times(Text::new(customer).str("network", network.to_owned()));
    Verdict::matched(
        with_times(detail.str("title", window.title.clone())),
        evidence(window),
        next_step,
        customer,
    )
}

/// Whether the window was planned, as the `maintenance-type` vocabulary names it.
fn planned(window: &MaintenanceWindow) -> &'static str {
    match window.maintenance_type {
        MaintenanceType::Scheduled => "scheduled",
        MaintenanceType::Unplanned => "unplanned",
    }
}

fn network_of<'a>(ctx: &'a Context<'_>, window: &'a MaintenanceWindow) -> &'a str {
    match (ctx.tx(), ctx.claim.network.as_deref()) {
        (Some(tx), _) => &tx.network,
        (None, Some(network)) => network,
        (None, None) => &window.network,
    }
}

fn evidence(window: &MaintenanceWindow) -> Evidence {
    let mut evidence = vec![
        ("window_id", window.id.clone()),
        ("window_network", window.network.clone()),
        ("window_title", window.title.clone()),
        ("starts_at", fmt_time(window.starts_at)),
        ("backlog_drain", fmt_secs(window.backlog_drain)),
    ];
    match (window.ends_at, window.clears_at()) {
        (Some(end), Some(clear)) => {
            evidence.push(("ends_at", fmt_time(end)));
            evidence.push(("expected_resolution_at", fmt_time(clear)));
        }
        _ => evidence.push(("ends_at", "open".into())),
    }
    evidence
}
