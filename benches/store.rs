//! The embedded store's read of one diagnosis's facts, without the network: what
//! `FactStore::load_facts` costs on a SQLite file whose pages are cached, as the server reads it
//! on every Diagnose call.
//!
//! The store holds 10,000 transactions on 1,000 accounts with two status entries each, 100
//! maintenance windows over four networks and a congestion observation per network; each
//! iteration reads the facts of the next of 1,000 references, as of a moment after all of them.
//! The facts of every case are checked before it is measured.
//!
//! Run with `cargo bench --bench store` (see BENCHMARKS.md).

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use paydiag::{
    engine::model::{
        AccountState, AccountStatus, ExpectedPayment, FreezeReason, MaintenanceType,
        MaintenanceWindow, NetworkCondition, Transaction, TransactionKind, TransactionStatus,
    },
    store::{Fact, FactQuery, FactStore, sqlite::SqliteStore},
};
use rust_decimal::Decimal;
use std::{hint::black_box, time::Duration};

const TRANSACTIONS: usize = 10_000;
const ACCOUNTS: usize = 1_000;
const WINDOWS: usize = 100;
const NETWORKS: [&str; 4] = ["TRON", "ETH", "BSC", "SOL"];

/// 2026-11-22T10:00:00Z.
fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_341_600, 0).unwrap_or_default()
}

fn at(minutes: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(minutes)
}

fn reference(n: usize) -> String {
    format!("TX-{n:010}")
}

fn account(n: usize) -> String {
    format!("acct-{:010}", n % ACCOUNTS)
}

fn network(n: usize) -> &'static str {
    NETWORKS[n % NETWORKS.len()]
}

fn transaction(n: usize) -> Fact {
    Fact::Transaction(Transaction {
        reference: reference(n),
        account_id: account(n),
        kind: TransactionKind::Withdrawal,
        network: network(n).into(),
        asset: "USDT".into(),
        amount: Decimal::new(25_000, 2),
        destination: "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE".into(),
        memo: String::new(),
        status: TransactionStatus::Confirming,
        failure_reason: None,
        confirmations: 5,
        required_confirmations: 19,
        created_at: at(i64::try_from(n % 600).unwrap_or_default()),
        updated_at: None,
        completed_at: None,
        expected: ExpectedPayment::default(),
        tx_hash: String::new(),
        customer_confirmation: None,
        information_request: None,
    })
}

/// Active for a year, then restricted after an abnormal login a month ago.
fn statuses(n: usize) -> [Fact; 2] {
    let status = |state, reason, days: i64| {
        Fact::AccountStatus(AccountStatus {
            account_id: account(n),
            state,
            reason,
            restricted_kinds: Vec::new(),
            effective_from: at(-days * 24 * 60),
            effective_until: None,
            note: String::new(),
        })
    };
    [
        status(AccountState::Active, None, 365),
        status(
            AccountState::Restricted,
            Some(FreezeReason::AbnormalLogin),
            30,
        ),
    ]
}

/// Windows over the day, a quarter of them on each network.
fn window(n: usize) -> Fact {
    let starts = i64::try_from(n * 15).unwrap_or_default() - 60;
    Fact::MaintenanceWindow(MaintenanceWindow {
        id: format!("window-{n}"),
        network: network(n).into(),
        kinds: Vec::new(),
        maintenance_type: MaintenanceType::Scheduled,
        starts_at: at(starts),
        ends_at: Some(at(starts + 30)),
        backlog_drain: TimeDelta::minutes(10),
        title: "node upgrade".into(),
    })
}

fn condition(n: usize) -> Fact {
    Fact::NetworkCondition(NetworkCondition {
        network: network(n).into(),
        congestion_factor: 1.4,
        observed_at: at(-5),
    })
}

fn facts() -> Vec<Fact> {
    let mut facts: Vec<Fact> = (0..TRANSACTIONS).map(transaction).collect();
    facts.extend((0..ACCOUNTS).flat_map(statuses));
    facts.extend((0..WINDOWS).map(window));
    facts.extend((0..NETWORKS.len()).map(condition));
    facts
}

fn query(n: usize) -> FactQuery {
    FactQuery {
        reference: reference(n),
        claim_network: None,
        as_of: at(700),
        requester: None,
    }
}

fn load_facts(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let dir = tempfile::TempDir::new().expect("directory");
    let store = runtime
        .block_on(SqliteStore::open(&dir.path().join("facts.db"), 1))
        .expect("store");
    runtime.block_on(store.put_facts(facts())).expect("seeding");
    // Every sampled reference: 1,000 spread over the store.
    let queries: Vec<FactQuery> = (0..1_000).map(|i| query(i * 7 % TRANSACTIONS)).collect();
    for q in &queries {
        let facts = runtime.block_on(store.load_facts(q)).expect("facts");
        assert!(facts.transaction.is_some(), "{}", q.reference);
        assert_eq!(facts.account_history.len(), 1, "{}", q.reference);
        assert_eq!(facts.network_conditions.len(), 1, "{}", q.reference);
    }

    let mut next = 0;
    c.bench_function("sqlite/load_facts", |b| {
        b.iter(|| {
            next = (next + 1) % queries.len();
            black_box(runtime.block_on(store.load_facts(&queries[next])))
        });
    });
    c.bench_function("sqlite/load_facts of an unknown reference", |b| {
        let unknown = FactQuery {
            reference: "TX-UNKNOWN".into(),
            claim_network: Some("TRON".into()),
            as_of: at(700),
            requester: None,
        };
        b.iter(|| black_box(runtime.block_on(store.load_facts(&unknown))));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    targets = load_facts
}
criterion_main!(benches);
