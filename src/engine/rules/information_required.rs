//! A transaction held until the customer provides information: travel-rule details of who sent
//! or receives the funds, or where the funds came from. It moves on when they answer.
//!
//! Such requests come from compliance checks, which a customer is never told of (no
//! tipping-off): they hear only that some information is needed, and where to give it.

use super::{Verdict, kind_arg};
use crate::engine::{
    context::Context,
    diagnosis::{Action, NextStep, Text},
    model::RequestedInformation,
    time::fmt_time,
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let Some(tx) = ctx.tx() else {
        return Verdict::no_transaction();
    };
    let Some(request) = &tx.information_request else {
        return Verdict::not_matched(Text::new("information-none"), Vec::new());
    };
    let codes: Vec<&str> = request.items.iter().map(|i| item_arg(*i).0).collect();
    let evidence = vec![
        ("requested_information", codes.join(",")),
        ("requested_at", fmt_time(request.requested_at)),
    ];
    let items = || {
        let words = request.items.iter().map(|i| Text::new(item_arg(*i).1));
        words.collect()
    };
    // Asked for after the evaluation time: it was not held for it yet.
    if request.requested_at > ctx.as_of {
        return Verdict::not_matched(
            Text::new("information-requested-later").time("requested_at", request.requested_at),
            evidence,
        );
    }
    // Completed or rejected, it is no longer held for anything.
    if !tx.in_flight() {
        return Verdict::not_matched(Text::new("information-not-in-flight"), evidence);
    }
    let kind = kind_arg(tx.kind);
    let text = |id| {
        Text::new(id)
            .word("kind", "kind", kind)
            .list("items", items())
            .time("requested_at", request.requested_at)
    };
    let customer = Text::new("information-customer")
        .word("kind", "kind", kind)
        .str("amount", tx.amount.to_string())
        .str("asset", tx.asset.clone());
    // Nothing moves until the customer answers, and when they will is theirs to say: no other
    // finding may promise a completion time.
    Verdict::matched(
        text("information-detail"),
        evidence,
        NextStep::new(Action::ProvideInformation, text("information-summary")),
        customer,
    )
    .holding(request.requested_at, None, Text::new("information-holder"))
}

/// The stable code of what is asked for, and the catalog message that words it.
fn item_arg(item: RequestedInformation) -> (&'static str, &'static str) {
    match item {
        RequestedInformation::OriginatorDetails => (
            "originator_details",
            "requested-information-originator_details",
        ),
        RequestedInformation::BeneficiaryDetails => (
            "beneficiary_details",
            "requested-information-beneficiary_details",
        ),
        RequestedInformation::SourceOfFunds => {
            ("source_of_funds", "requested-information-source_of_funds")
        }
    }
}
