//! Rule engine micro-benchmarks: one per rule path of `paydiag::engine::evaluate`, plus the
//! cost of rendering a diagnosis to protobuf in each shipped locale, and of encoding and decoding
//! the rendered answer.
//!
//! Every case starts from the same realistic facts: a TRON withdrawal whose account has a status
//! history, two maintenance windows on its network, congestion observations and a customer claim.
//! Each case changes only what its rule needs, and is evaluated at an explicit time. The expected
//! cause of every case is checked before it is measured, so a benchmark never times the wrong path.
//!
//! Run with `cargo bench --bench engine` (see BENCHMARKS.md).

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use paydiag::{
    api::diagnosis_codec::diagnosis_pb,
    engine::{
        self,
        diagnosis::{Cause, Diagnosis},
        model::{
            AccountState, AccountStatus, Claim, ExpectedPayment, Facts, FailureReason,
            FreezeReason, MaintenanceType, MaintenanceWindow, NetworkCondition, Transaction,
            TransactionKind, TransactionStatus,
        },
        policy::RuleSet,
    },
    i18n::Catalog,
};
use rust_decimal::Decimal;
use std::{hint::black_box, time::Duration};

const REFERENCE: &str = "TX-2026-0000042137";

/// The moment the benchmark transaction is created: 2026-11-22T10:00:00Z.
fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_341_600, 0).unwrap_or_default()
}

fn at(minutes: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(minutes)
}

/// A TRON USDT withdrawal in flight: 5 of 19 confirmations, created at `t0`.
fn transaction() -> Transaction {
    Transaction {
        reference: REFERENCE.into(),
        account_id: "acct-0000183311".into(),
        kind: TransactionKind::Withdrawal,
        network: "TRON".into(),
        asset: "USDT".into(),
        amount: Decimal::new(25_000, 2),
        destination: "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE".into(),
        memo: String::new(),
        status: TransactionStatus::Confirming,
        failure_reason: None,
        confirmations: 5,
        required_confirmations: 0,
        created_at: t0(),
        updated_at: Some(at(1)),
        completed_at: None,
        expected: ExpectedPayment::default(),
        tx_hash: String::new(),
        customer_confirmation: None,
        information_request: None,
    }
}

fn status(
    state: AccountState,
    reason: Option<FreezeReason>,
    from: i64,
    until: Option<i64>,
) -> AccountStatus {
    AccountStatus {
        account_id: "acct-0000183311".into(),
        state,
        reason,
        restricted_kinds: match state {
            AccountState::Restricted => vec![TransactionKind::Withdrawal],
            _ => Vec::new(),
        },
        effective_from: at(from),
        effective_until: until.map(at),
        note: "periodic review".into(),
    }
}

/// Realistic facts: an account opened long ago, restricted for a while last month, active
/// since; two windows on TRON (one ending shortly after the transaction was made, one starting
/// later); and two congestion observations.
fn facts() -> Facts {
    const DAY: i64 = 24 * 60;
    Facts {
        transaction: Some(transaction()),
        account_history: vec![
            status(AccountState::Active, None, -400 * DAY, None),
            status(
                AccountState::Restricted,
                Some(FreezeReason::AbnormalLogin),
                -30 * DAY,
                Some(-20 * DAY),
            ),
            status(AccountState::Active, None, -20 * DAY, None),
        ],
        maintenance_windows: vec![
            MaintenanceWindow {
                id: "tron-node-upgrade-2026-11".into(),
                network: "TRON".into(),
                kinds: vec![TransactionKind::Withdrawal],
                maintenance_type: MaintenanceType::Scheduled,
                starts_at: at(-60),
                ends_at: Some(at(10)),
                backlog_drain: TimeDelta::minutes(30),
                title: "TRON node upgrade".into(),
            },
            MaintenanceWindow {
                id: "tron-rpc-outage-2026-11-22".into(),
                network: "TRON".into(),
                kinds: Vec::new(),
                maintenance_type: MaintenanceType::Unplanned,
                starts_at: at(20),
                ends_at: Some(at(90)),
                backlog_drain: TimeDelta::minutes(15),
                title: "TRON RPC provider outage".into(),
            },
        ],
        network_conditions: vec![
            NetworkCondition {
                network: "TRON".into(),
                congestion_factor: 1.4,
                observed_at: at(25),
            },
            NetworkCondition {
                network: "TRON".into(),
                congestion_factor: 1.2,
                observed_at: at(100),
            },
        ],
        ownership: Default::default(),
    }
}

/// What the customer says: the same payment, made two minutes before the record.
fn claim() -> Claim {
    Claim {
        amount: Some(Decimal::new(25_000, 2)),
        asset: Some("USDT".into()),
        network: Some("TRON".into()),
        destination: Some("TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE".into()),
        memo: None,
        paid_at: Some(at(-2)),
        tx_hash: None,
    }
}

/// One benchmarked rule path: facts, claim and evaluation time, and the cause they must give.
struct Case {
    name: &'static str,
    facts: Facts,
    claim: Claim,
    as_of: DateTime<Utc>,
    cause: Cause,
}

fn case(name: &'static str, cause: Cause, as_of: DateTime<Utc>) -> Case {
    Case {
        name,
        facts: facts(),
        claim: claim(),
        as_of,
        cause,
    }
}

fn with_tx(mut case: Case, change: impl FnOnce(&mut Transaction)) -> Case {
    if let Some(tx) = case.facts.transaction.as_mut() {
        change(tx);
    }
    case
}

/// One case per rule path, in the rules' precedence order.
fn cases() -> Vec<Case> {
    let mut not_found = case("not_found", Cause::NotFound, at(300));
    not_found.facts.transaction = None;
    // The claimed payment was made during the outage, which holds every kind of transaction
    // (the upgrade holds withdrawals only, so it cannot have queued a payment) and still holds
    // at +30 min.
    let mut not_found_claim = case("not_found_during_maintenance", Cause::Maintenance, at(30));
    not_found_claim.facts.transaction = None;
    not_found_claim.claim.paid_at = Some(at(25));
    let mut frozen = case("account_frozen", Cause::AccountFrozen, at(30));
    frozen.facts.account_history.push(status(
        AccountState::Frozen,
        Some(FreezeReason::IdentityUnverified),
        -10,
        None,
    ));
    let rejected = with_tx(case("rejected", Cause::Rejected, at(30)), |tx| {
        tx.status = TransactionStatus::Failed;
        tx.failure_reason = Some(FailureReason::InsufficientBalance);
    });
    let expected = with_tx(
        case("input_mismatch_expected", Cause::InputMismatch, at(30)),
        |tx| {
            tx.expected = ExpectedPayment {
                amount: Some(Decimal::new(25_000, 2)),
                asset: Some("USDT".into()),
                network: Some("ETH".into()),
                destination: Some("0x52908400098527886E0F7030069857D2E4169EE7".into()),
                memo: None,
            }
        },
    );
    let mut claimed = case("input_mismatch_claim", Cause::InputMismatch, at(30));
    claimed.claim.amount = Some(Decimal::new(20_500, 2));
    let completed = with_tx(case("no_incident", Cause::NoIncident, at(30)), |tx| {
        tx.status = TransactionStatus::Completed;
        tx.confirmations = 19;
        tx.completed_at = Some(at(3));
    });
    vec![
        not_found,
        not_found_claim,
        frozen,
        rejected,
        expected,
        claimed,
        // Both windows hold the transaction at +30 min.
        case("maintenance", Cause::Maintenance, at(30)),
        // Ten hours on, long after the second window cleared (+105 min).
        case("confirmation_stalled", Cause::ConfirmationStalled, at(600)),
        // One minute after the second window cleared: the remaining blocks are still due.
        case("confirmation_delay", Cause::ConfirmationDelay, at(106)),
        completed,
    ]
}

fn evaluate(rules: &RuleSet, case: &Case) -> Diagnosis {
    engine::evaluate(rules, REFERENCE, &case.claim, &case.facts, case.as_of)
}

fn bench_evaluate(c: &mut Criterion) {
    let rules = RuleSet::shipped();
    let mut group = c.benchmark_group("evaluate");
    for case in cases() {
        let diagnosis = evaluate(&rules, &case);
        assert_eq!(
            diagnosis.cause, case.cause,
            "case {} gives the wrong cause",
            case.name
        );
        group.bench_function(case.name, |b| {
            b.iter(|| {
                engine::evaluate(
                    black_box(&rules),
                    black_box(REFERENCE),
                    black_box(&case.claim),
                    black_box(&case.facts),
                    black_box(case.as_of),
                )
            })
        });
    }
    group.finish();
}

/// The maintenance case: the richest diagnosis, the one a Diagnose of the load benchmark gives.
fn maintenance() -> Case {
    match cases().into_iter().find(|c| c.name == "maintenance") {
        Some(case) => case,
        None => panic!("the maintenance case is missing"),
    }
}

fn shipped_catalog() -> Catalog {
    match Catalog::load() {
        Ok(catalog) => catalog,
        Err(e) => panic!("the shipped catalogs do not load: {e}"),
    }
}

fn bench_render(c: &mut Criterion) {
    let rules = RuleSet::shipped();
    let catalog = shipped_catalog();
    let mut group = c.benchmark_group("render");
    // The richest diagnoses: a maintenance hold (times, durations, words) and a mismatch (lists).
    let rendered = cases()
        .into_iter()
        .filter(|c| matches!(c.name, "maintenance" | "input_mismatch_expected"));
    for case in rendered {
        let diagnosis = evaluate(&rules, &case);
        for locale in Catalog::locales() {
            let name = format!("{}/{}", case.name, locale.tag());
            // Rendering consumes the diagnosis: each iteration renders a fresh copy, made untimed.
            group.bench_function(name, |b| {
                b.iter_batched(
                    || diagnosis.clone(),
                    |d| diagnosis_pb(black_box(d), &catalog, locale, true),
                    BatchSize::SmallInput,
                )
            });
        }
    }
    group.finish();
    // What one Diagnose call does between loading facts and encoding: evaluate, then render.
    let case = maintenance();
    c.bench_function("evaluate_and_render/maintenance/en", |b| {
        b.iter(|| {
            let diagnosis = evaluate(&rules, black_box(&case));
            diagnosis_pb(diagnosis, &catalog, Catalog::negotiate("en"), true)
        })
    });
}

/// Carrying the answer: encoding the rendered maintenance diagnosis as the server does, and
/// decoding it as a client does.
fn bench_protobuf(c: &mut Criterion) {
    use prost::Message as _;
    let rules = RuleSet::shipped();
    let catalog = shipped_catalog();
    let case = maintenance();
    let answer = diagnosis_pb(
        evaluate(&rules, &case),
        &catalog,
        Catalog::negotiate("en"),
        true,
    );
    let bytes = answer.encode_to_vec();
    match paydiag::pb::v1::Diagnosis::decode(bytes.as_slice()) {
        Ok(decoded) => assert_eq!(decoded, answer, "the answer survives a round trip"),
        Err(e) => panic!("the encoded answer does not decode: {e}"),
    }
    let mut group = c.benchmark_group("protobuf");
    group.bench_function("encode/maintenance/en", |b| {
        b.iter(|| black_box(&answer).encode_to_vec())
    });
    group.bench_function("decode/maintenance/en", |b| {
        b.iter(|| paydiag::pb::v1::Diagnosis::decode(black_box(bytes.as_slice())))
    });
    group.finish();
}

fn config() -> Criterion {
    // Shorter than the defaults so that the whole suite runs in about a minute on a shared machine.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_evaluate, bench_render, bench_protobuf
}
criterion_main!(benches);
