//! Which transactions a ticket is about, and what the customer claims of each: pure functions
//! of the extraction, the transactions and the triage policy.

use super::{
    extract::{Amount, Extraction, Found, Moment, Precision},
    policy::TriagePolicy,
};
use crate::engine::{
    model::{Claim, Transaction, tx_hash_key},
    policy::RuleSet,
};
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

/// Currencies customers pay in off-platform: an amount in one of them says nothing about a
/// transaction in another asset (500元 paid to a seller for USDT is not 500 USDT).
const FIAT: &[&str] = &["CNY", "EUR", "USD"];

/// What the customer claims about `tx` (or, with none, about whatever they paid): of several
/// amounts, times, networks, addresses, memos and hashes, the ones that fit `tx` best, else the
/// first. The address is a claim only when its checksum holds.
pub fn claim_for(x: &Extraction, tx: Option<&Transaction>, rules: &RuleSet) -> Claim {
    let amount = best_amount(&x.amounts, tx);
    let moment = match tx {
        Some(tx) => x
            .times
            .iter()
            .min_by_key(|t| distance(&t.value, tx.created_at)),
        None => x.times.first(),
    };
    let network = first_or_fitting(x.networks.iter().map(|n| n.value.as_str()), |n| {
        tx.is_some_and(|tx| n == tx.network)
    });
    let format = tx.map(|t| rules.policy(&t.network).policy.address_format);
    let destination = first_or_fitting(
        x.addresses
            .iter()
            .filter(|a| a.value.valid)
            .map(|a| a.text.as_str()),
        |a| {
            tx.zip(format)
                .is_some_and(|(tx, f)| f.same(a, &tx.destination))
        },
    );
    let memo = first_or_fitting(x.memos.iter().map(|m| m.value.as_str()), |m| {
        tx.is_some_and(|tx| m == tx.memo)
    });
    let tx_hash = first_or_fitting(x.tx_hashes.iter().map(|h| h.text.as_str()), |h| {
        tx.is_some_and(|tx| tx_hash_key(h) == tx_hash_key(&tx.tx_hash))
    });
    Claim {
        amount: amount.map(|a| a.amount),
        asset: amount.and_then(|a| a.asset.clone()),
        network: network.map(str::to_owned),
        destination: destination.map(str::to_owned),
        memo: memo.map(str::to_owned),
        paid_at: moment.map(|t| middle(&t.value)),
        tx_hash: tx_hash.map(str::to_owned),
    }
}

/// The amount that fits `tx`: in its asset (or with none written), nearest its amount. Fiat
/// amounts are no claim about a transaction in another asset.
fn best_amount<'a>(amounts: &'a [Found<Amount>], tx: Option<&Transaction>) -> Option<&'a Amount> {
    let Some(tx) = tx else {
        return amounts.first().map(|a| &a.value);
    };
    let comparable = |a: &&Amount| match a.asset.as_deref() {
        Some(asset) => asset == tx.asset || !FIAT.contains(&asset),
        None => true,
    };
    let fits = |a: &Amount| a.asset.as_deref().is_none_or(|asset| asset == tx.asset);
    amounts
        .iter()
        .map(|a| &a.value)
        .filter(comparable)
        .min_by_key(|a| (!fits(a), (a.amount - tx.amount).abs()))
}

/// The first of `values` that `fits`, else the first.
fn first_or_fitting<'a>(
    mut values: impl Iterator<Item = &'a str> + Clone,
    fits: impl Fn(&str) -> bool,
) -> Option<&'a str> {
    let first = values.clone().next();
    values.find(|v| fits(v)).or(first)
}

/// The middle of what the customer said: a day stands for its noon, an hour for its half.
fn middle(m: &Moment) -> DateTime<Utc> {
    let half = match m.precision {
        Precision::Day => TimeDelta::hours(12),
        Precision::Hour => TimeDelta::minutes(30),
        Precision::Minute => TimeDelta::zero(),
    };
    crate::engine::time::add(m.at, half)
}

/// How far `at` is from what the customer said: zero anywhere within the said day or hour.
fn distance(m: &Moment, at: DateTime<Utc>) -> TimeDelta {
    let span = match m.precision {
        Precision::Day => TimeDelta::days(1),
        Precision::Hour => TimeDelta::hours(1),
        Precision::Minute => TimeDelta::minutes(1),
    };
    let end = crate::engine::time::add(m.at, span);
    if at < m.at {
        m.at - at
    } else if at >= end {
        at - end
    } else {
        TimeDelta::zero()
    }
}

/// How well a transaction fits what the ticket says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    /// Nothing said contradicts it (asset, amount, network).
    consistent: bool,
    /// How many said facts it matches (amount, network, kind, address, memo).
    matches: u8,
    /// Still in flight: what tickets are mostly about.
    in_flight: bool,
}

/// The transactions (of one account) the ticket fits best, at most `policy.max_candidates`:
/// those nothing in the ticket contradicts, best first (most matched facts, in flight, nearest
/// the time said, newest); when every one is contradicted, the best of all, so that the
/// diagnosis can say what differs.
pub fn rank(
    x: &Extraction,
    transactions: Vec<Transaction>,
    policy: &TriagePolicy,
    rules: &RuleSet,
    received_at: DateTime<Utc>,
) -> Vec<Transaction> {
    let mut scored: Vec<(Fit, TimeDelta, Transaction)> = transactions
        .into_iter()
        .map(|tx| {
            let near = match x
                .times
                .iter()
                .map(|t| distance(&t.value, tx.created_at))
                .min()
            {
                Some(d) => d,
                None => (received_at - tx.created_at).abs(),
            };
            (fit(x, &tx, policy, rules), near, tx)
        })
        .collect();
    if scored.iter().any(|(f, _, _)| f.consistent) {
        scored.retain(|(f, _, _)| f.consistent);
    }
    scored.sort_by(|(fa, na, a), (fb, nb, b)| {
        fb.cmp(fa)
            .then(na.cmp(nb))
            .then(b.created_at.cmp(&a.created_at))
            .then(b.reference.cmp(&a.reference))
    });
    scored.truncate(policy.max_candidates);
    scored.into_iter().map(|(_, _, tx)| tx).collect()
}

fn fit(x: &Extraction, tx: &Transaction, policy: &TriagePolicy, rules: &RuleSet) -> Fit {
    let amount = amount_fit(&x.amounts, tx, policy.amount_tolerance);
    let network =
        (!x.networks.is_empty()).then(|| x.networks.iter().any(|n| n.value == tx.network));
    let kind = x.kinds.iter().any(|k| k.value == tx.kind);
    let format = rules.policy(&tx.network).policy.address_format;
    let address = x
        .addresses
        .iter()
        .any(|a| a.value.valid && format.same(&a.text, &tx.destination));
    let memo = !tx.memo.is_empty() && x.memos.iter().any(|m| m.value == tx.memo);
    let matched = [
        amount == Some(true),
        network == Some(true),
        kind,
        address,
        memo,
    ];
    Fit {
        consistent: amount != Some(false) && network != Some(false),
        matches: matched.iter().filter(|m| **m).count() as u8,
        in_flight: tx.in_flight(),
    }
}

/// Whether the amounts said fit `tx`: `None` when none says anything about its asset.
fn amount_fit(amounts: &[Found<Amount>], tx: &Transaction, tolerance: Decimal) -> Option<bool> {
    let about: Vec<&Amount> = amounts
        .iter()
        .map(|a| &a.value)
        .filter(|a| {
            a.asset
                .as_deref()
                .is_none_or(|asset| asset == tx.asset || !FIAT.contains(&asset))
        })
        .collect();
    if about.is_empty() {
        return None;
    }
    Some(about.iter().any(|a| {
        a.asset.as_deref().is_none_or(|asset| asset == tx.asset)
            && (a.amount - tx.amount).abs() <= a.amount * tolerance
    }))
}
