//! Something was entered wrong. Either the transaction differs from what the order,
//! invoice or deposit address asked for, or the customer's claim differs from the record.

use super::{Verdict, kind_arg};
use crate::engine::{
    context::Context,
    diagnosis::{Action, Cause, Evidence, NextStep, Text},
    model::{Claim, Transaction, TransactionKind, tx_hash_key},
    policy::{AddressFormat, PolicyRef, to_delta},
    time::fmt_time,
};
use crate::mask::mask;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// A compared field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Amount,
    Asset,
    Network,
    Destination,
    Memo,
    /// No memo, where the network needs one to credit the account.
    RequiredMemo,
    PaidAt,
    TxHash,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Amount => "amount",
            Field::Asset => "asset",
            Field::Network => "network",
            Field::Destination => "destination",
            Field::Memo | Field::RequiredMemo => "memo",
            Field::PaidAt => "paid_at",
            Field::TxHash => "tx_hash",
        }
    }

    /// Evidence keys for the two sides: (asked, sent) or (claimed, recorded).
    fn keys(self, claim: bool) -> (&'static str, &'static str) {
        match (self, claim) {
            (Field::Amount, false) => ("expected.amount", "actual.amount"),
            (Field::Asset, false) => ("expected.asset", "actual.asset"),
            (Field::Network, false) => ("expected.network", "actual.network"),
            (Field::Destination, false) => ("expected.destination", "actual.destination"),
            (Field::Memo | Field::RequiredMemo, false) => ("expected.memo", "actual.memo"),
            (Field::Amount, true) => ("claimed.amount", "recorded.amount"),
            (Field::Asset, true) => ("claimed.asset", "recorded.asset"),
            (Field::Network, true) => ("claimed.network", "recorded.network"),
            (Field::Destination, true) => ("claimed.destination", "recorded.destination"),
            (Field::Memo | Field::RequiredMemo, true) => ("claimed.memo", "recorded.memo"),
            (Field::PaidAt, _) => ("claimed.paid_at", "recorded.created_at"),
            (Field::TxHash, false) => ("expected.tx_hash", "actual.tx_hash"),
            (Field::TxHash, true) => ("claimed.tx_hash", "recorded.tx_hash"),
        }
    }

    /// Wrong network, asset or memo strands the funds: they need a recovery, not a correction.
    fn needs_recovery(self) -> bool {
        matches!(
            self,
            Field::Network | Field::Asset | Field::Memo | Field::RequiredMemo
        )
    }
}

/// One differing field: what was wanted (asked or claimed) and what the record holds.
struct Diff {
    field: Field,
    /// Both sides as the evidence writes them.
    wanted: String,
    got: String,
    /// Both sides of a time, which texts write in the reader's locale.
    moments: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let (Some(tx), Some(policy)) = (ctx.tx(), ctx.policy()) else {
        return Verdict::no_transaction();
    };
    let against_expected = expected_diffs(tx, policy);
    if !against_expected.is_empty() {
        return expected_mismatch(tx, &against_expected);
    }
    let tolerance = to_delta(ctx.rules.settings().claim_time_tolerance);
    let against_claim = claim_diffs(tx, ctx.claim, policy.policy.address_format, tolerance);
    if !against_claim.is_empty() {
        return claim_mismatch(tx, &against_claim);
    }
    Verdict::not_matched(Text::new("mismatch-none"), Vec::new())
}

fn expected_mismatch(tx: &Transaction, diffs: &[Diff]) -> Verdict {
    let recover = diffs.iter().any(|d| d.field.needs_recovery());
    let (action, summary, customer) = if recover {
        (
            Action::RequestRecovery,
            "mismatch-summary-recovery",
            "mismatch-customer-recovery",
        )
    } else {
        (
            Action::ContactSupport,
            "mismatch-summary-support",
            "mismatch-customer-support",
        )
    };
    let items = || list(diffs, Items::EXPECTED, &tx.asset);
    Verdict::matched(
        Text::new("mismatch-expected-detail").list("diffs", items()),
        evidence(diffs, false),
        NextStep::new(action, Text::new(summary).list("diffs", items())),
        Text::new(customer)
            .word("kind", "kind", kind_arg(tx.kind))
            .list("diffs", list(diffs, Items::EXPECTED_CUSTOMER, &tx.asset)),
    )
}

fn claim_mismatch(tx: &Transaction, diffs: &[Diff]) -> Verdict {
    let items = || list(diffs, Items::CLAIM, &tx.asset);
    Verdict::matched(
        Text::new("mismatch-claim-detail").list("diffs", items()),
        evidence(diffs, true),
        NextStep::new(
            Action::CheckReference,
            Text::new("mismatch-summary-claim").list("diffs", items()),
        ),
        Text::new("mismatch-customer-claim")
            .list("diffs", list(diffs, Items::CLAIM_CUSTOMER, &tx.asset)),
    )
    // The record is right: what the customer remembers does not unstick a stalled transaction.
    .yielding_to(&[Cause::ConfirmationStalled])
}

fn expected_diffs(tx: &Transaction, policy: PolicyRef<'_>) -> Vec<Diff> {
    let want = &tx.expected;
    let mut diffs = Vec::new();
    if let Some(network) = want.network.as_deref().filter(|n| *n != tx.network) {
        diffs.push(diff(Field::Network, network, &tx.network));
    }
    if let Some(asset) = want.asset.as_deref().filter(|a| *a != tx.asset) {
        diffs.push(diff(Field::Asset, asset, &tx.asset));
    }
    match want.memo.as_deref() {
        Some(memo) if memo != tx.memo => diffs.push(diff(Field::Memo, memo, &tx.memo)),
        // Funds sent to a shared address without the memo that identifies the account.
        None if memo_missing(tx, policy) => diffs.push(Diff {
            field: Field::RequiredMemo,
            wanted: "required".into(),
            got: tx.memo.clone(),
            moments: None,
        }),
        _ => {}
    }
    if let Some(amount) = want.amount.filter(|a| *a != tx.amount) {
        diffs.push(amount_diff(amount, tx.amount));
    }
    let format = policy.policy.address_format;
    if let Some(dest) = want
        .destination
        .as_deref()
        .filter(|d| recorded(&tx.destination) && !format.same(d, &tx.destination))
    {
        diffs.push(diff(Field::Destination, dest, &tx.destination));
    }
    diffs
}

/// Whether the record holds a destination: an empty one was not recorded, so nothing can be
/// said to differ from it.
fn recorded(destination: &str) -> bool {
    !destination.is_empty()
}

fn memo_missing(tx: &Transaction, policy: PolicyRef<'_>) -> bool {
    let incoming = matches!(tx.kind, TransactionKind::Deposit | TransactionKind::Payment);
    policy.policy.memo_required && incoming && tx.memo.is_empty()
}

fn claim_diffs(
    tx: &Transaction,
    claim: &Claim,
    format: AddressFormat,
    tolerance: chrono::TimeDelta,
) -> Vec<Diff> {
    let mut diffs = Vec::new();
    if let Some(amount) = claim.amount.filter(|a| *a != tx.amount) {
        diffs.push(amount_diff(amount, tx.amount));
    }
    if let Some(asset) = claim.asset.as_deref().filter(|a| *a != tx.asset) {
        diffs.push(diff(Field::Asset, asset, &tx.asset));
    }
    if let Some(network) = claim.network.as_deref().filter(|n| *n != tx.network) {
        diffs.push(diff(Field::Network, network, &tx.network));
    }
    if let Some(dest) = claim
        .destination
        .as_deref()
        .filter(|d| recorded(&tx.destination) && !format.same(d, &tx.destination))
    {
        diffs.push(diff(Field::Destination, dest, &tx.destination));
    }
    if let Some(memo) = claim.memo.as_deref().filter(|m| *m != tx.memo) {
        diffs.push(diff(Field::Memo, memo, &tx.memo));
    }
    // A record without a hash yet (not broadcast) cannot be said to differ from one.
    if let Some(hash) = claim
        .tx_hash
        .as_deref()
        .filter(|h| !tx.tx_hash.is_empty() && tx_hash_key(h) != tx_hash_key(&tx.tx_hash))
    {
        diffs.push(diff(Field::TxHash, hash, &tx.tx_hash));
    }
    if let Some(paid_at) = claim
        .paid_at
        .filter(|p| (*p - tx.created_at).abs() > tolerance)
    {
        diffs.push(Diff {
            field: Field::PaidAt,
            wanted: fmt_time(paid_at),
            got: fmt_time(tx.created_at),
            moments: Some((paid_at, tx.created_at)),
        });
    }
    diffs
}

fn diff(field: Field, wanted: &str, got: &str) -> Diff {
    Diff {
        field,
        wanted: wanted.to_owned(),
        got: got.to_owned(),
        moments: None,
    }
}

fn amount_diff(wanted: Decimal, got: Decimal) -> Diff {
    Diff {
        field: Field::Amount,
        wanted: wanted.to_string(),
        got: got.to_string(),
        moments: None,
    }
}

/// A value as the evidence writes it: `-` for none.
fn shown(value: &str) -> String {
    if value.is_empty() {
        "-".into()
    } else {
        value.to_owned()
    }
}

/// The catalog messages that write one differing field: agents read about "the customer",
/// customers about "you".
struct Items {
    /// A field that differs.
    item: &'static str,
    /// A memo the network requires and the transaction lacks.
    memo_required: &'static str,
    /// Whether the destination the order asked for (`wanted`) is masked: a customer text goes to
    /// whoever quoted the reference, who need not be the account's owner. What a claim says
    /// came from that person and is shown whole.
    mask_wanted_ids: bool,
    /// Whether the destination and hash the record holds (`got`) are masked, for the same reason.
    mask_recorded_ids: bool,
}

impl Items {
    const EXPECTED: Self = Self {
        item: "mismatch-expected-item",
        memo_required: "mismatch-memo-required-item",
        mask_wanted_ids: false,
        mask_recorded_ids: false,
    };
    const EXPECTED_CUSTOMER: Self = Self {
        item: "mismatch-expected-item-customer",
        memo_required: "mismatch-memo-required-item-customer",
        mask_wanted_ids: true,
        mask_recorded_ids: true,
    };
    const CLAIM: Self = Self {
        item: "mismatch-claim-item",
        memo_required: "mismatch-memo-required-item",
        mask_wanted_ids: false,
        mask_recorded_ids: false,
    };
    const CLAIM_CUSTOMER: Self = Self {
        item: "mismatch-claim-item-customer",
        memo_required: "mismatch-memo-required-item-customer",
        mask_wanted_ids: false,
        mask_recorded_ids: true,
    };
}

/// The differing fields as texts; amounts are written with the transaction's asset.
fn list(diffs: &[Diff], items: Items, asset: &str) -> Vec<Text> {
    diffs
        .iter()
        .map(|d| {
            let id = if d.field == Field::RequiredMemo {
                items.memo_required
            } else {
                items.item
            };
            let text = Text::new(id).word("field", "field", d.field.name());
            match d.moments {
                Some((wanted, got)) => text.time("wanted", wanted).time("got", got),
                None if matches!(d.field, Field::Destination | Field::TxHash) => {
                    let text = id_arg(text, "wanted", &d.wanted, items.mask_wanted_ids);
                    id_arg(text, "got", &d.got, items.mask_recorded_ids)
                }
                None if d.field == Field::Amount => text
                    .str("wanted", format!("{} {asset}", d.wanted))
                    .str("got", format!("{} {asset}", d.got)),
                None => value_arg(value_arg(text, "wanted", &d.wanted), "got", &d.got),
            }
        })
        .collect()
}

fn evidence(diffs: &[Diff], claim: bool) -> Evidence {
    let mut evidence: Evidence = Vec::with_capacity(diffs.len() * 2 + 1);
    let fields: Vec<&str> = diffs.iter().map(|d| d.field.name()).collect();
    evidence.push(("mismatched_fields", fields.join(",")));
    for d in diffs {
        let (wanted_key, got_key) = d.field.keys(claim);
        evidence.push((wanted_key, shown(&d.wanted)));
        evidence.push((got_key, shown(&d.got)));
    }
    evidence
}

/// [`value_arg`] for a destination or hash, masked when `masked`.
fn id_arg(text: Text, name: &'static str, value: &str, masked: bool) -> Text {
    if masked && !value.is_empty() {
        text.str(name, mask(value))
    } else {
        value_arg(text, name, value)
    }
}

/// `text` with the compared `value` as argument `name`: an empty one is the word "none".
fn value_arg(text: Text, name: &'static str, value: &str) -> Text {
    if value.is_empty() {
        text.word(name, "value", "none")
    } else {
        text.str(name, value.to_owned())
    }
}
