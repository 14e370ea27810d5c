//! Properties over generated, valid inputs, on stable Rust.
//!
//! The strategies build what callers really send: transactions on the networks and rails of the
//! tests' rules file, with realistic statuses, decimal amounts and confirmations; account
//! freezes and restrictions with their reasons and internal notes; maintenance windows and
//! congestion observations; claims that sometimes match the record and sometimes not; all
//! around one evaluation time (mostly a busy week, sometimes near year 1 or year 9999). Notes,
//! window titles, account ids, addresses and hashes are distinctive, so that the properties can
//! look for them in what customers read.
//!
//! The properties:
//! - every diagnosis has one finding per rule of the table, and its cause, action and customer
//!   message are those of the rule the table's precedence picks;
//! - the findings agree with the primary cause: no incident never stands beside another cause,
//!   nothing says it waited 0 s, and while the primary cause holds the transaction no other
//!   finding promises when it completes; one not credited is never called completed;
//! - customer messages, in every locale of the catalog and either view, never name an
//!   undisclosable reason, an internal note, a window title, a full account id or a full
//!   address or hash of the facts;
//! - a diagnosis as of T uses only the facts recorded at or before T, in the engine and through
//!   the SQLite store, and what the store hands over only grows with T;
//! - the same facts give the same diagnosis, in any order they may come in;
//! - with the same facts, the outcome (cause, action and the next step's moments) stays as it is
//!   until the next change `engine::horizon::next_change` names, and is another at it; asked in
//!   between, it names the same moment;
//! - every generated fact and claim is one the API accepts as it is;
//! - arbitrary bytes never panic the request conversion (`fuzz/` also runs the engine on
//!   arbitrary facts under libFuzzer).

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use paydiag::{
    api::{
        diagnosis_codec::{diagnose_input, diagnosis_pb},
        enums,
        fact_codec::{
            account_status_pb, import_item, maintenance_window_pb, network_condition_pb, timestamp,
            transaction_pb,
        },
    },
    engine::{
        self,
        context::{Context, Held},
        diagnosis::{Arg, Cause, Diagnosis, Outcome, Text},
        horizon::{self, Outlook},
        model::*,
        next_step,
        policy::{AddressFormat, NetworkPolicy, RuleSet},
        rules::{RULES, Resolution, Rule, Verdict, ownership},
        time,
    },
    i18n::{Catalog, Locale},
    mask::mask,
    pb::v1 as pb,
    store::{Fact, FactQuery, FactStore, sqlite::SqliteStore},
};
use proptest::{prelude::*, sample::select, test_runner::TestCaseError};
use prost::Message;
use rust_decimal::Decimal;
use std::{fmt::Debug, sync::LazyLock};

// ---- Fixtures -------------------------------------------------------------------------------

/// The tests' own rules file: every network a strategy picks is one of its networks.
static FIXTURE: LazyLock<RuleSet> = LazyLock::new(|| {
    RuleSet::parse(include_str!("fixtures/rules.toml")).expect("the tests' rules")
});

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::load().expect("the catalogs"));

/// Runs the store's futures; the SQLite store hands some reads and every write to its blocking pool.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
});

/// Begins every internal note, so that a leak is found whatever follows it.
const NOTE_MARKER: &str = "INTNOTE-7f3a";
/// Begins every maintenance window title, which customers never see either.
const TITLE_MARKER: &str = "OPSTITLE-c91e";

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// The earliest and the latest second a protobuf Timestamp (and so the API) carries.
const FIRST_SECOND: i64 = -62_135_596_800;
const LAST_SECOND: i64 = 253_402_300_799;

/// One diagnosis to make: the reference asked about, the claim, the facts and the evaluation time.
#[derive(Debug, Clone)]
struct Case {
    reference: String,
    claim: Claim,
    facts: Facts,
    as_of: DateTime<Utc>,
}

impl Case {
    fn diagnose(&self) -> Diagnosis {
        diagnose(self, &self.facts, self.as_of)
    }

    /// The network the facts were generated around: the transaction's, else the claim's.
    fn network(&self) -> Option<&str> {
        match &self.facts.transaction {
            Some(tx) => Some(&tx.network),
            None => self.claim.network.as_deref(),
        }
    }

    fn account(&self) -> Option<&str> {
        self.facts
            .transaction
            .as_ref()
            .map(|t| t.account_id.as_str())
    }
}

fn diagnose(case: &Case, facts: &Facts, as_of: DateTime<Utc>) -> Diagnosis {
    engine::evaluate(&FIXTURE, &case.reference, &case.claim, facts, as_of)
}

// ---- Strategies: time -----------------------------------------------------------------------

/// An evaluation time: mostly a busy week of November 2026, sometimes in the first or last weeks
/// the API accepts (where every sum the engine makes could run past year 9999), at whole seconds
/// or not. Every fact lies within a week of it, so it stays in range too.
fn evaluation_time() -> impl Strategy<Value = DateTime<Utc>> {
    let seconds = prop_oneof![
        8 => 1_795_000_000i64..1_795_600_000,
        1 => FIRST_SECOND + 8 * DAY..FIRST_SECOND + 20 * DAY,
        1 => LAST_SECOND - 20 * DAY..LAST_SECOND - 8 * DAY,
    ];
    let nanos = prop_oneof![3 => Just(0u32), 1 => 0u32..1_000_000_000];
    (seconds, nanos).prop_map(|(s, n)| DateTime::from_timestamp(s, n).expect("a moment in range"))
}

/// A moment `from..=to` seconds after `t` (negative: before).
fn moment_between(t: DateTime<Utc>, from: i64, to: i64) -> impl Strategy<Value = DateTime<Utc>> {
    (from..=to).prop_map(move |s| t + TimeDelta::seconds(s))
}

// ---- Strategies: codes and identifiers ------------------------------------------------------

/// Every domain value of one of the API's enumerations, from the pairs it is converted by.
fn every<P: Copy, D: Clone + Debug>(all: &[P], to_domain: fn(P) -> Option<D>) -> Vec<D> {
    all.iter().filter_map(|p| to_domain(*p)).collect()
}

fn kind() -> impl Strategy<Value = TransactionKind> {
    select(every(enums::KINDS, enums::kind))
}

fn kinds(at_least: usize) -> impl Strategy<Value = Vec<TransactionKind>> {
    let all = every(enums::KINDS, enums::kind);
    let most = all.len();
    proptest::sample::subsequence(all, at_least..=most)
}

/// A reason to freeze or restrict an account, other than a security hold.
fn freeze_reason() -> impl Strategy<Value = FreezeReason> {
    let reasons = every(enums::FREEZES, enums::freeze);
    select(
        reasons
            .into_iter()
            .filter(|r| !r.security_hold())
            .collect::<Vec<_>>(),
    )
}

/// What set a security hold off.
fn hold_trigger() -> impl Strategy<Value = FreezeReason> {
    let reasons = every(enums::FREEZES, enums::freeze);
    select(
        reasons
            .into_iter()
            .filter(|r| r.security_hold())
            .collect::<Vec<_>>(),
    )
}

fn failure_reason() -> impl Strategy<Value = FailureReason> {
    select(every(enums::FAILURES, enums::failure))
}

fn maintenance_type() -> impl Strategy<Value = MaintenanceType> {
    select(every(enums::MAINTENANCE_TYPES, enums::maintenance))
}

/// A network or rail the fixture has a policy for.
fn network() -> impl Strategy<Value = String> {
    select(
        FIXTURE
            .networks()
            .into_iter()
            .map(|(code, _)| code.to_owned())
            .collect::<Vec<_>>(),
    )
}

fn policy_of(network: &str) -> NetworkPolicy {
    FIXTURE.policy(network).policy.clone()
}

/// Whether a network has blocks and confirmations (rather than a rail's processing time).
fn on_chain(policy: &NetworkPolicy) -> bool {
    policy.block_interval.is_some()
}

/// An asset moved on the network: mostly one the network takes (when it lists them), else
/// fiat on rails and tokens and coins on chains, which it may not take.
fn asset_on(policy: &NetworkPolicy) -> BoxedStrategy<String> {
    let assets: &[&str] = if on_chain(policy) {
        &["USDT", "USDC", "BTC", "ETH", "TRX", "XRP"]
    } else {
        &["EUR", "USD", "GBP"]
    };
    let any = select(assets).prop_map(String::from);
    match policy.assets.clone().filter(|taken| !taken.is_empty()) {
        Some(taken) => prop_oneof![3 => select(taken), 1 => any].boxed(),
        None => any.boxed(),
    }
}

/// A destination written the way the network writes addresses.
fn address_on(policy: &NetworkPolicy) -> BoxedStrategy<String> {
    match policy.address_format {
        AddressFormat::Evm => "0x[0-9a-fA-F]{40}".boxed(),
        AddressFormat::Iban => "DE[0-9]{2} [0-9]{4} [0-9]{4} [0-9]{4} [0-9]{4} [0-9]{2}".boxed(),
        AddressFormat::Exact => "[1-9A-HJ-NP-Za-km-z]{34}".boxed(),
    }
}

/// The network's id of a transaction: a hex hash on chains, a rail's own id on rails.
fn tx_hash_on(policy: &NetworkPolicy) -> BoxedStrategy<String> {
    match (on_chain(policy), policy.address_format) {
        (true, AddressFormat::Evm) => "0x[0-9a-f]{64}".boxed(),
        (true, _) => "[0-9a-f]{64}".boxed(),
        (false, _) => "[A-Z]{4}[0-9A-Z]{16}".boxed(),
    }
}

/// A memo or tag: digits where the network requires one (sometimes forgotten), rarely one elsewhere.
fn memo_on(policy: &NetworkPolicy) -> BoxedStrategy<String> {
    if policy.memo_required {
        prop_oneof![4 => "[0-9]{6,10}", 1 => Just(String::new())].boxed()
    } else {
        prop_oneof![4 => Just(String::new()), 1 => "[A-Za-z0-9]{4,12}"].boxed()
    }
}

/// A memo a customer quotes: never empty (an empty one is no memo).
fn quoted_memo() -> impl Strategy<Value = String> {
    "[0-9]{6,10}"
}

fn reference() -> impl Strategy<Value = String> {
    "TX-2026[0-9]{4}-[A-Z0-9]{6}"
}

/// An account id long enough that its masked form hides a distinctive middle.
fn account_id() -> impl Strategy<Value = String> {
    "acct-[a-z0-9]{6,14}"
}

fn note() -> impl Strategy<Value = String> {
    "[a-z ]{0,24}".prop_map(|s| format!("{NOTE_MARKER} linked case FR-{s}"))
}

fn window_title() -> impl Strategy<Value = String> {
    "[a-z ]{0,16}".prop_map(|s| format!("{TITLE_MARKER} node upgrade {s}"))
}

/// A positive amount with up to 8 decimals.
fn amount() -> impl Strategy<Value = Decimal> {
    (1i64..10_000_000_000, 0u32..=8).prop_map(|(m, scale)| Decimal::new(m, scale))
}

/// An amount other than `amount`: a little more or less, or far off.
fn other_amount(amount: Decimal) -> impl Strategy<Value = Decimal> {
    (1i64..1_000_000, 0u32..=6, any::<bool>()).prop_map(move |(m, scale, more)| {
        let delta = Decimal::new(m, scale);
        if more || delta >= amount {
            amount + delta
        } else {
            amount - delta
        }
    })
}

/// What an order or a customer says about a field: nothing, the recorded value (when there is
/// one), or another value.
fn said<T: Clone + Debug + 'static>(
    recorded: Option<T>,
    other: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![
        3 => Just(None),
        2 => Just(recorded),
        1 => other.prop_map(Some),
    ]
    .boxed()
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

// ---- Strategies: facts ----------------------------------------------------------------------
//
// The composite strategies are boxed: unboxed, one case's value tree is some 80 KB, moved by
// value through every layer that builds it, which overflowed a test thread's 2 MiB stack in
// debug builds.

/// Where a transaction stands, consistently: confirmations only while confirming (up to what it
/// needs) or once completed or arrived, a failure reason only when failed, a completion time
/// only when completed, an update when it arrived; rails collect no confirmations.
#[derive(Debug, Clone)]
struct Progress {
    status: TransactionStatus,
    failure_reason: Option<FailureReason>,
    confirmations: u32,
    required_confirmations: u32,
    /// Seconds after creation.
    updated_after: Option<i64>,
    completed_after: Option<i64>,
}

/// A realistic [`Progress`] on a network of `policy`.
fn progress_on(policy: &NetworkPolicy) -> BoxedStrategy<Progress> {
    let chain = on_chain(policy);
    let policy_required = policy.required_confirmations;
    let status = select(every(enums::STATUSES, enums::status));
    (
        status,
        proptest::option::of(failure_reason()),
        0u32..=64,
        prop_oneof![3 => Just(0u32), 1 => 1u32..=64],
        proptest::option::of(0..=2 * DAY),
        0..=2 * DAY,
    )
        .prop_map(move |(status, failure, seen, required, updated, done)| {
            use TransactionStatus::*;
            let required = if chain { required } else { 0 };
            let needed = if required > 0 {
                required
            } else {
                policy_required
            };
            let confirmations = match status {
                Confirming if chain => seen % (needed + 1),
                Completed | NotCredited if chain => needed + seen % 3,
                _ => 0,
            };
            Progress {
                status,
                failure_reason: failure.filter(|_| status == Failed),
                confirmations,
                required_confirmations: required,
                // Confirmations are observed at an update, and an arrival is recorded by one.
                updated_after: match status {
                    Confirming | NotCredited => Some(updated.unwrap_or(done)),
                    _ => updated,
                },
                completed_after: (status == Completed).then_some(done),
            }
        })
        .boxed()
}

/// What a transaction may wait for from the customer, each kept only where the API allows it.
#[derive(Debug, Clone)]
struct Asks {
    /// A confirmation of the request: how, and seconds from creation until it lapses.
    confirmation: Option<(ConfirmationMethod, i64)>,
    /// Information: what is asked for, and seconds from creation until it was asked for.
    information: Option<(Vec<RequestedInformation>, i64)>,
}

fn asks_of_the_customer() -> BoxedStrategy<Asks> {
    let method = select(every(
        enums::CONFIRMATION_METHODS,
        enums::confirmation_method,
    ));
    let items = every(enums::REQUESTED_INFORMATION, enums::requested_information);
    let most = items.len();
    (
        proptest::option::weighted(0.3, (method, 5 * MINUTE..=2 * DAY)),
        proptest::option::weighted(
            0.2,
            (proptest::sample::subsequence(items, 1..=most), 0..=DAY),
        ),
    )
        .prop_map(|(confirmation, information)| Asks {
            confirmation,
            information,
        })
        .boxed()
}

/// A transaction on a fixture network, created up to three days before `t` (a few after it: a
/// record that did not exist yet), with nothing asked for.
fn transaction_at(t: DateTime<Utc>) -> BoxedStrategy<Transaction> {
    network()
        .prop_flat_map(move |network| {
            let policy = policy_of(&network);
            let identity = (reference(), account_id(), kind());
            let payment = (
                asset_on(&policy),
                amount(),
                address_on(&policy),
                memo_on(&policy),
                prop_oneof![1 => Just(String::new()), 3 => tx_hash_on(&policy)],
            );
            // Mostly minutes or hours old, some days old, a few not created yet.
            let created = prop_oneof![
                5 => -HOUR..=0,
                4 => -DAY..=0,
                4 => -3 * DAY..=0,
                1 => 1..=DAY,
            ];
            (
                Just(network),
                identity,
                payment,
                created,
                progress_on(&policy),
                asks_of_the_customer(),
            )
                .prop_map(
                    move |(
                        network,
                        (reference, account_id, kind),
                        payment,
                        created,
                        progress,
                        asks,
                    )| {
                        let (asset, amount, destination, memo, tx_hash) = payment;
                        // Only incoming funds go uncredited.
                        let incoming =
                            matches!(kind, TransactionKind::Deposit | TransactionKind::Payment);
                        let kind = if progress.status == TransactionStatus::NotCredited && !incoming
                        {
                            TransactionKind::Deposit
                        } else {
                            kind
                        };
                        let created_at = t + TimeDelta::seconds(created);
                        let after = |s: i64| created_at + TimeDelta::seconds(s);
                        // Only a request the customer sends out, not yet sent, is confirmed.
                        let confirms = progress.status == TransactionStatus::Pending
                            && kind != TransactionKind::Deposit;
                        let customer_confirmation =
                            asks.confirmation
                                .filter(|_| confirms)
                                .map(|(method, lapses)| CustomerConfirmation {
                                    method,
                                    expires_at: after(lapses),
                                });
                        // Only a transaction still in flight is held for information.
                        let in_flight = matches!(
                            progress.status,
                            TransactionStatus::Pending | TransactionStatus::Confirming
                        );
                        let information_request =
                            asks.information
                                .filter(|_| in_flight)
                                .map(|(items, asked)| InformationRequest {
                                    items,
                                    requested_at: after(asked),
                                });
                        Transaction {
                            reference,
                            account_id,
                            kind,
                            network,
                            asset,
                            amount,
                            destination,
                            memo,
                            status: progress.status,
                            failure_reason: progress.failure_reason,
                            confirmations: progress.confirmations,
                            required_confirmations: progress.required_confirmations,
                            created_at,
                            updated_at: progress.updated_after.map(after),
                            completed_at: progress.completed_after.map(after),
                            expected: ExpectedPayment::default(),
                            tx_hash,
                            customer_confirmation,
                            information_request,
                        }
                    },
                )
        })
        .boxed()
}

/// What the order, invoice or deposit address asked of `tx`: often nothing; else each field
/// unset, the value sent, or another one.
fn expected_payment_for(tx: &Transaction) -> BoxedStrategy<ExpectedPayment> {
    let policy = policy_of(&tx.network);
    let order = (
        said(Some(tx.amount), other_amount(tx.amount)),
        said(Some(tx.asset.clone()), asset_on(&policy)),
        said(Some(tx.network.clone()), network()),
        said(non_empty(&tx.destination), address_on(&policy)),
        said(non_empty(&tx.memo), quoted_memo()),
    )
        .prop_map(
            |(amount, asset, network, destination, memo)| ExpectedPayment {
                amount,
                asset,
                network,
                destination,
                memo,
            },
        );
    prop_oneof![Just(ExpectedPayment::default()), order].boxed()
}

/// A transaction at `t` with what its order asked for.
fn ordered_transaction_at(t: DateTime<Utc>) -> BoxedStrategy<Transaction> {
    transaction_at(t)
        .prop_flat_map(|tx| {
            expected_payment_for(&tx).prop_map(move |expected| Transaction {
                expected,
                ..tx.clone()
            })
        })
        .boxed()
}

/// When a customer says they paid, relative to `created_at`: within the claim tolerance of the
/// fixture, or days off.
fn paid_at_near(created_at: DateTime<Utc>) -> BoxedStrategy<Option<DateTime<Utc>>> {
    prop_oneof![
        2 => Just(None),
        2 => moment_between(created_at, -HOUR, HOUR).prop_map(Some),
        1 => prop_oneof![
            moment_between(created_at, -5 * DAY, -2 * DAY),
            moment_between(created_at, 2 * DAY, 5 * DAY),
        ]
        .prop_map(Some),
    ]
    .boxed()
}

/// What a customer says about `tx`: often nothing; else each field unset, as recorded, or
/// another value.
fn claim_about(tx: &Transaction) -> BoxedStrategy<Claim> {
    let policy = policy_of(&tx.network);
    let details = (
        said(Some(tx.amount), other_amount(tx.amount)),
        said(Some(tx.asset.clone()), asset_on(&policy)),
        said(Some(tx.network.clone()), network()),
        said(non_empty(&tx.destination), address_on(&policy)),
        said(non_empty(&tx.memo), quoted_memo()),
        paid_at_near(tx.created_at),
        said(non_empty(&tx.tx_hash), tx_hash_on(&policy)),
    )
        .prop_map(
            |(amount, asset, network, destination, memo, paid_at, tx_hash)| Claim {
                amount,
                asset,
                network,
                destination,
                memo,
                paid_at,
                tx_hash,
            },
        );
    prop_oneof![1 => Just(Claim::default()), 2 => details].boxed()
}

/// What a customer says about a payment the platform has no record of: usually the network and
/// when they paid, within two days before `t`.
fn claim_without_record(t: DateTime<Utc>) -> BoxedStrategy<Claim> {
    network()
        .prop_flat_map(move |network| {
            let policy = policy_of(&network);
            (
                proptest::option::of(amount()),
                proptest::option::of(asset_on(&policy)),
                prop_oneof![4 => Just(Some(network)), 1 => Just(None)],
                proptest::option::of(address_on(&policy)),
                proptest::option::of(moment_between(t, -2 * DAY, 0)),
                proptest::option::of(tx_hash_on(&policy)),
            )
                .prop_map(|(amount, asset, network, destination, paid_at, tx_hash)| {
                    Claim {
                        amount,
                        asset,
                        network,
                        destination,
                        memo: None,
                        paid_at,
                        tx_hash,
                    }
                })
        })
        .boxed()
}

/// An entry of `account`'s history taking effect `from` (seconds after `t`): active, frozen or
/// restricted for some kinds, with a reason where the state needs one, a note, and sometimes
/// an end; or a security hold, a restriction (of withdrawals, mostly) that always ends.
fn account_status(
    t: DateTime<Utc>,
    account: String,
    from: std::ops::RangeInclusive<i64>,
) -> BoxedStrategy<AccountStatus> {
    let ends = || proptest::option::of(HOUR..=5 * DAY);
    let restriction = prop_oneof![
        1 => (Just((AccountState::Active, None, Vec::new())), ends()),
        2 => (freeze_reason().prop_map(|r| (AccountState::Frozen, Some(r), Vec::new())), ends()),
        2 => (
            (freeze_reason(), kinds(1)).prop_map(|(r, k)| (AccountState::Restricted, Some(r), k)),
            ends(),
        ),
        2 => (
            (
                hold_trigger(),
                prop_oneof![2 => Just(vec![TransactionKind::Withdrawal]), 1 => kinds(1)],
            )
                .prop_map(|(r, k)| (AccountState::Restricted, Some(r), k)),
            (HOUR..=2 * DAY).prop_map(Some),
        ),
    ];
    (
        restriction,
        moment_between(t, *from.start(), *from.end()),
        note(),
    )
        .prop_map(
            move |(((state, reason, restricted_kinds), lasts), effective_from, note)| {
                AccountStatus {
                    account_id: account.clone(),
                    state,
                    reason,
                    restricted_kinds,
                    effective_from,
                    effective_until: lasts.map(|s| effective_from + TimeDelta::seconds(s)),
                    note,
                }
            },
        )
        .boxed()
}

/// A network a window or an observation is about: mostly `network`, else another one or, for
/// windows (`every`), every network.
fn near_network(network: Option<String>, every: bool) -> BoxedStrategy<String> {
    let elsewhere = if every {
        prop_oneof![Just(ALL_NETWORKS.to_owned()), self::network()].boxed()
    } else {
        self::network().boxed()
    };
    match network {
        Some(n) => prop_oneof![2 => Just(n), 1 => elsewhere].boxed(),
        None => elsewhere,
    }
}

/// A maintenance window starting `starts` (seconds after `t`), open-ended or not, with or
/// without a backlog to drain (up to the 30 days the API allows).
fn maintenance_window(
    t: DateTime<Utc>,
    network: BoxedStrategy<String>,
    starts: std::ops::RangeInclusive<i64>,
) -> BoxedStrategy<MaintenanceWindow> {
    (
        network,
        prop_oneof![2 => Just(Vec::new()), 1 => kinds(1)],
        maintenance_type(),
        moment_between(t, *starts.start(), *starts.end()),
        proptest::option::of(10 * MINUTE..=2 * DAY),
        prop_oneof![2 => Just(0i64), 2 => 0..=6 * HOUR, 1 => 0..=30 * DAY],
        window_title(),
    )
        .prop_map(
            |(network, kinds, maintenance_type, starts_at, lasts, drain, title)| {
                MaintenanceWindow {
                    id: String::new(),
                    network,
                    kinds,
                    maintenance_type,
                    starts_at,
                    ends_at: lasts.map(|s| starts_at + TimeDelta::seconds(s)),
                    backlog_drain: TimeDelta::seconds(drain),
                    title,
                }
            },
        )
        .boxed()
}

/// Windows with ids of their own, `prefix-0`, `prefix-1`, …
fn maintenance_windows(
    t: DateTime<Utc>,
    network: Option<String>,
    starts: std::ops::RangeInclusive<i64>,
    prefix: &'static str,
) -> BoxedStrategy<Vec<MaintenanceWindow>> {
    let window = maintenance_window(t, near_network(network, true), starts);
    proptest::collection::vec(window, 0..=3)
        .prop_map(move |windows| {
            windows
                .into_iter()
                .enumerate()
                .map(|(i, w)| MaintenanceWindow {
                    id: format!("{prefix}-{i}"),
                    ..w
                })
                .collect()
        })
        .boxed()
}

/// A congestion observation made `observed` (seconds after `t`): normal, congested, or
/// anything up to the API's bound.
fn network_condition(
    t: DateTime<Utc>,
    network: Option<String>,
    observed: std::ops::RangeInclusive<i64>,
) -> BoxedStrategy<NetworkCondition> {
    let factor = prop_oneof![1 => Just(1.0), 3 => 1.0f64..20.0, 1 => 20.0f64..=1000.0];
    (
        near_network(network, false),
        factor,
        moment_between(t, *observed.start(), *observed.end()),
    )
        .prop_map(
            |(network, congestion_factor, observed_at)| NetworkCondition {
                network,
                congestion_factor,
                observed_at,
            },
        )
        .boxed()
}

/// A case about a transaction the platform recorded (created by `t` or not).
fn case_with_transaction_at(t: DateTime<Utc>) -> BoxedStrategy<Case> {
    ordered_transaction_at(t)
        .prop_flat_map(move |tx| {
            let network = Some(tx.network.clone());
            let history = account_status(t, tx.account_id.clone(), -5 * DAY..=12 * HOUR);
            (
                claim_about(&tx),
                prop_oneof![1 => Just(Vec::new()), 1 => proptest::collection::vec(history, 1..=3)],
                maintenance_windows(t, network.clone(), -3 * DAY..=DAY, "mw"),
                proptest::collection::vec(network_condition(t, network, -3 * HOUR..=HOUR), 0..=3),
                Just(tx),
            )
                .prop_map(
                    move |(claim, account_history, maintenance_windows, network_conditions, tx)| {
                        Case {
                            reference: tx.reference.clone(),
                            claim,
                            facts: Facts {
                                transaction: Some(tx),
                                account_history,
                                maintenance_windows,
                                network_conditions,
                                ownership: Ownership::Unchecked,
                            },
                            as_of: t,
                        }
                    },
                )
        })
        .boxed()
}

/// A case about a reference the platform never recorded, perhaps paid during maintenance.
fn case_without_transaction_at(t: DateTime<Utc>) -> BoxedStrategy<Case> {
    (reference(), claim_without_record(t))
        .prop_flat_map(move |(reference, claim)| {
            let network = claim.network.clone();
            (
                maintenance_windows(t, network.clone(), -3 * DAY..=DAY, "mw"),
                proptest::collection::vec(network_condition(t, network, -3 * HOUR..=HOUR), 0..=3),
            )
                .prop_map(move |(maintenance_windows, network_conditions)| Case {
                    reference: reference.clone(),
                    claim: claim.clone(),
                    facts: Facts {
                        maintenance_windows,
                        network_conditions,
                        ..Facts::default()
                    },
                    as_of: t,
                })
        })
        .boxed()
}

/// Any case: mostly about a recorded transaction.
fn case() -> BoxedStrategy<Case> {
    evaluation_time()
        .prop_flat_map(|t| {
            prop_oneof![
                7 => case_with_transaction_at(t),
                1 => case_without_transaction_at(t),
            ]
        })
        .boxed()
}

/// Whether a requester was named, and whose the reference's transaction turned out to be.
#[derive(Debug, Clone, Copy)]
enum Requester {
    Unnamed,
    Owner,
    Another,
}

/// A case with the store's ownership check done: the requester's own transaction, or another
/// account's, withheld as the store withholds it.
fn case_with_ownership() -> BoxedStrategy<Case> {
    let requester = prop_oneof![
        4 => Just(Requester::Unnamed),
        3 => Just(Requester::Owner),
        1 => Just(Requester::Another),
    ];
    (case(), requester, account_id())
        .prop_map(|(mut case, requester, other)| {
            let (transaction, ownership) = match (requester, case.facts.transaction.take()) {
                (Requester::Owner, Some(tx)) => (Some(tx), Ownership::Requester),
                (Requester::Another, Some(tx)) => {
                    case.facts.account_history.clear();
                    let owner = tx.account_id;
                    (None, Ownership::Other { owner })
                }
                (Requester::Another, None) => (None, Ownership::Other { owner: other }),
                (_, tx) => (tx, Ownership::Unchecked),
            };
            case.facts.transaction = transaction;
            case.facts.ownership = ownership;
            case
        })
        .boxed()
}

/// Facts of the case's account and network recorded after its evaluation time: history entries
/// taking effect, windows starting and observations made within three days after it.
fn facts_recorded_after(case: &Case) -> BoxedStrategy<Vec<Fact>> {
    let t = case.as_of;
    let network = case.network().map(str::to_owned);
    let account = case
        .account()
        .map_or_else(|| "acct-nobody".to_owned(), str::to_owned);
    (
        proptest::collection::vec(account_status(t, account, 1..=3 * DAY), 0..=2),
        maintenance_windows(t, network.clone(), 1..=DAY, "later"),
        proptest::collection::vec(network_condition(t, network, 1..=3 * HOUR), 0..=2),
    )
        .prop_map(|(history, windows, conditions)| {
            let history = history.into_iter().map(Fact::AccountStatus);
            let windows = windows.into_iter().map(Fact::MaintenanceWindow);
            let conditions = conditions.into_iter().map(Fact::NetworkCondition);
            history.chain(windows).chain(conditions).collect()
        })
        .boxed()
}

/// A case and facts recorded after its evaluation time.
fn case_and_later_facts() -> BoxedStrategy<(Case, Vec<Fact>)> {
    case()
        .prop_flat_map(|case| {
            let later = facts_recorded_after(&case);
            (Just(case), later)
        })
        .boxed()
}

// ---- Facts as sets --------------------------------------------------------------------------

/// Every fact of the case, in the order it is stored.
fn facts_to_store(facts: &Facts) -> Vec<Fact> {
    let tx = facts.transaction.iter().cloned().map(Fact::Transaction);
    let history = facts
        .account_history
        .iter()
        .cloned()
        .map(Fact::AccountStatus);
    let windows = facts.maintenance_windows.iter().cloned();
    let conditions = facts.network_conditions.iter().cloned();
    tx.chain(history)
        .chain(windows.map(Fact::MaintenanceWindow))
        .chain(conditions.map(Fact::NetworkCondition))
        .collect()
}

/// `facts` with `more` added, as recorded after them.
fn with_facts(facts: &Facts, more: &[Fact]) -> Facts {
    let mut all = facts.clone();
    for fact in more {
        match fact.clone() {
            Fact::Transaction(t) => all.transaction = Some(t),
            Fact::AccountStatus(s) => all.account_history.push(s),
            Fact::MaintenanceWindow(w) => all.maintenance_windows.push(w),
            Fact::NetworkCondition(c) => all.network_conditions.push(c),
        }
    }
    all
}

/// The facts recorded at or before `t`: history entries that had taken effect, windows that had
/// started, observations made. The transaction is one record, kept as it is: the engine itself
/// replays it to `t`.
fn recorded_by(facts: &Facts, t: DateTime<Utc>) -> Facts {
    Facts {
        transaction: facts.transaction.clone(),
        account_history: facts
            .account_history
            .iter()
            .filter(|s| s.effective_from <= t)
            .cloned()
            .collect(),
        maintenance_windows: facts
            .maintenance_windows
            .iter()
            .filter(|w| w.starts_at <= t)
            .cloned()
            .collect(),
        network_conditions: facts
            .network_conditions
            .iter()
            .filter(|c| c.observed_at <= t)
            .cloned()
            .collect(),
        ownership: facts.ownership.clone(),
    }
}

/// Whether every fact in `facts` was recorded at or before `t`.
fn all_recorded_by(facts: &Facts, t: DateTime<Utc>) -> bool {
    *facts == recorded_by(facts, t)
}

/// The windows in the order the store hands them over (the network's own, then those on every
/// network, each by start and id), which decides between two that clear at the same moment.
fn in_store_order(facts: &Facts) -> Facts {
    let mut facts = facts.clone();
    facts.maintenance_windows.sort_by(|a, b| {
        let key = |w: &MaintenanceWindow| (w.network == ALL_NETWORKS, w.starts_at, w.id.clone());
        key(a).cmp(&key(b))
    });
    facts
}

/// The facts without history entries or observations that a later recorded one overrides
/// (the same moment of taking effect; the same network and moment): what remains may come in
/// any order.
fn without_overridden(facts: &Facts) -> Facts {
    let mut facts = facts.clone();
    let history = std::mem::take(&mut facts.account_history);
    for (i, entry) in history.iter().enumerate() {
        if !history[i + 1..]
            .iter()
            .any(|later| later.effective_from == entry.effective_from)
        {
            facts.account_history.push(entry.clone());
        }
    }
    let conditions = std::mem::take(&mut facts.network_conditions);
    for (i, c) in conditions.iter().enumerate() {
        if !conditions[i + 1..]
            .iter()
            .any(|later| later.network == c.network && later.observed_at == c.observed_at)
        {
            facts.network_conditions.push(c.clone());
        }
    }
    facts
}

/// `items` reordered by `keys` (cycled).
fn reordered<T: Clone>(items: &[T], keys: &[u32]) -> Vec<T> {
    let mut keyed: Vec<(u32, usize)> = (0..items.len())
        .map(|i| (keys[i % keys.len()], i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| items[i].clone()).collect()
}

// ---- The store ------------------------------------------------------------------------------

/// A SQLite store in a temporary file, holding `facts`; its windows read from memory or, with
/// `from_disk`, from the table's index.
struct TempStore {
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

impl TempStore {
    fn holding(facts: Vec<Fact>, from_disk: bool) -> Self {
        // In memory where Linux offers it: what is tested is reads, not durability, and the
        // fsyncs of the store's commits took seven times longer than the rest of these cases.
        let dir = tempfile::tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .expect("a temporary directory");
        let path = dir.path().join("facts.db");
        let store = RUNTIME
            .block_on(SqliteStore::open(&path, 2))
            .expect("a fresh store");
        let store = if from_disk {
            store.resident_windows_at_most(0)
        } else {
            store
        };
        let this = Self { store, _dir: dir };
        this.put(facts);
        this
    }

    fn put(&self, facts: Vec<Fact>) {
        RUNTIME
            .block_on(self.store.put_facts(facts))
            .expect("the facts are stored");
    }

    /// What the store hands over for the case's reference and claimed network as of `as_of`.
    fn load(&self, case: &Case, as_of: DateTime<Utc>) -> Facts {
        let query = FactQuery {
            claim_network: case.claim.network.clone(),
            ..FactQuery::new(case.reference.clone(), as_of)
        };
        RUNTIME
            .block_on(self.store.load_facts(&query))
            .expect("the facts are read")
    }
}

// ---- What customers must never read ---------------------------------------------------------

/// Lower case without whitespace, so that a value is found however it was spaced or cased.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The part of an identifier its masked form hides (all of it, when short).
fn hidden_middle(value: &str) -> String {
    let masked = mask(value);
    let (head, tail) = masked.split_once("****").expect("a masked value");
    let chars: Vec<char> = value.chars().collect();
    let (head, tail) = (head.chars().count(), tail.chars().count());
    chars[head..chars.len() - tail].iter().collect()
}

/// [`undisclosed_reasons`] of every locale, by tag.
static UNDISCLOSED: LazyLock<Vec<(&'static str, Vec<String>)>> = LazyLock::new(|| {
    Catalog::locales()
        .map(|l| (l.tag(), undisclosed_reasons(l)))
        .collect()
});

/// The undisclosable reasons, as codes and as each locale words them: freeze reasons the
/// engine may not disclose (reviews, and what set a security hold off), risk declines (never
/// explained, README "What customers see"), and what an information request asks for (the
/// customer hears only that some information is needed).
fn undisclosed_reasons(locale: Locale) -> Vec<String> {
    let freezes = enums::FREEZES
        .iter()
        .filter(|p| enums::freeze(**p).is_some_and(|r| !r.disclosable()))
        .map(|p| ("freeze-reason", p.as_str_name(), "FREEZE_REASON_"));
    let failures = [pb::FailureReason::RiskDeclined]
        .into_iter()
        .map(|p| ("failure-reason", p.as_str_name(), "FAILURE_REASON_"));
    let requested = enums::REQUESTED_INFORMATION.iter().map(|p| {
        (
            "requested-information",
            p.as_str_name(),
            "REQUESTED_INFORMATION_",
        )
    });
    let mut said = Vec::new();
    for (vocabulary, name, prefix) in freezes.chain(failures).chain(requested) {
        let code = name.trim_start_matches(prefix).to_ascii_lowercase();
        // Message ids are static: this runs once per locale.
        let id: &'static str = Box::leak(format!("{vocabulary}-{code}").into_boxed_str());
        let word = CATALOG
            .try_render(locale, &Text::new(id))
            .unwrap_or_else(|e| panic!("{id} must render: {e:?}"));
        said.extend([code, word]);
    }
    said
}

/// Identifiers of the facts a customer message may show only masked: account ids, and
/// destinations and hashes the customer did not quote themselves.
fn identifiers(case: &Case) -> Vec<String> {
    let facts = &case.facts;
    let mut ids: Vec<String> = facts
        .account_history
        .iter()
        .map(|s| s.account_id.clone())
        .collect();
    if let Ownership::Other { owner } = &facts.ownership {
        ids.push(owner.clone());
    }
    let quoted: Vec<String> = [&case.claim.destination, &case.claim.tx_hash]
        .into_iter()
        .flatten()
        .chain([&case.reference])
        .map(|s| squeezed(s))
        .collect();
    if let Some(tx) = &facts.transaction {
        ids.push(tx.account_id.clone());
        let addresses = [Some(&tx.destination), Some(&tx.tx_hash)]
            .into_iter()
            .chain([tx.expected.destination.as_ref()])
            .flatten()
            .filter(|v| !v.is_empty() && !quoted.contains(&squeezed(v)));
        ids.extend(addresses.cloned());
    }
    ids
}

/// What the customer message may not contain, or why not.
fn leak(case: &Case, locale: Locale, customer: &str) -> Option<String> {
    let text = squeezed(customer);
    let undisclosed = UNDISCLOSED
        .iter()
        .find(|(tag, _)| *tag == locale.tag())
        .map(|(_, said)| said.as_slice())
        .unwrap_or_default();
    for reason in undisclosed {
        if text.contains(&squeezed(reason)) {
            return Some(format!("the undisclosable reason {reason:?}"));
        }
    }
    for note in case.facts.account_history.iter().map(|s| &s.note) {
        if text.contains(&squeezed(note)) || text.contains(&squeezed(NOTE_MARKER)) {
            return Some(format!("the internal note {note:?}"));
        }
    }
    if text.contains(&squeezed(TITLE_MARKER)) {
        return Some("a maintenance window's title".into());
    }
    for id in identifiers(case) {
        if text.contains(&squeezed(&hidden_middle(&id))) {
            return Some(format!(
                "more of {id:?} than its masked form {:?}",
                mask(&id)
            ));
        }
    }
    None
}

/// The time zones customers read moments in, UTC and others.
fn time_zone() -> impl Strategy<Value = Tz> {
    select(vec![
        Tz::UTC,
        Tz::Asia__Shanghai,
        Tz::Asia__Taipei,
        Tz::Asia__Hong_Kong,
        Tz::Europe__Berlin,
        Tz::America__New_York,
    ])
}

// ---- Checks ---------------------------------------------------------------------------------

/// The rule table's verdicts on `ctx`, a cause that is the absence of every other withdrawn
/// (not matched, with the detail it gives for that) when another rule matched.
fn verdicts_on(ctx: &Context<'_>) -> Vec<(&'static Rule, Verdict)> {
    let mut verdicts: Vec<_> = RULES
        .iter()
        .map(|rule| (rule, (rule.evaluate)(ctx)))
        .collect();
    withdraw_alone(&mut verdicts);
    verdicts
}

/// Withdraws a match that stands only alone when another rule matched too.
fn withdraw_alone(verdicts: &mut [(&'static Rule, Verdict)]) {
    let matched = verdicts
        .iter()
        .filter(|(_, v)| v.resolution.is_some())
        .count();
    for (_, verdict) in verdicts.iter_mut() {
        let alone = verdict.resolution.as_ref().and_then(|r| r.alone.clone());
        if let (Some(otherwise), true) = (alone, matched > 1) {
            *verdict = Verdict::not_matched(otherwise, verdict.evidence.clone());
        }
    }
}

/// The index of the primary cause among `verdicts`: the first match unless it yields to a later
/// match.
fn primary_of(verdicts: &[(&'static Rule, Verdict)]) -> Option<usize> {
    let matched: Vec<usize> = (0..verdicts.len())
        .filter(|i| verdicts[*i].1.resolution.is_some())
        .collect();
    let first = *matched.first()?;
    let yields_to = verdicts[first].1.resolution.as_ref()?.yields_to;
    let yielded = yields_to.iter().find_map(|cause| {
        matched
            .iter()
            .copied()
            .find(|i| verdicts[*i].0.cause == *cause)
    });
    Some(yielded.unwrap_or(first))
}

/// The diagnosis against the rule table, rule by rule: one finding per rule in precedence order
/// (after the ownership check's, when made), each with its rule's own verdict; no incident only
/// when nothing else matched; the primary cause is the first match unless it yields to a later
/// match, and when it holds the transaction the other rules' verdicts are those on the facts as
/// held; the action, summary and customer message are the primary rule's (the message followed
/// by the answer to wait for when support or operations acts, as the rules' service level for
/// the action says); the other matches contribute in order.
fn check_against_the_rule_table(case: &Case, d: &Diagnosis) -> Result<(), TestCaseError> {
    let ctx = || {
        Context::new(
            &case.reference,
            &case.claim,
            &case.facts,
            &FIXTURE,
            case.as_of,
        )
    };
    let first = verdicts_on(&ctx());
    let primary = primary_of(&first);
    let holding = primary.and_then(|i| Some((i, first[i].1.resolution.as_ref()?.holds.clone()?)));
    let verdicts = match holding {
        Some((i, holding)) => {
            let by = first[i].0.name;
            let mut held = verdicts_on(&ctx().held_by(Held { by, holding }));
            // The primary cause's own verdict is the one that made the hold.
            held[i].1 = first[i].1.clone();
            withdraw_alone(&mut held);
            held
        }
        None => first,
    };

    let ownership = ownership::finding(&case.facts.ownership);
    let (checked, by_rule) = d.findings.split_at(usize::from(ownership.is_some()));
    prop_assert_eq!(checked, ownership.as_slice());
    prop_assert_eq!(by_rule.len(), RULES.len());
    for ((rule, verdict), finding) in verdicts.iter().zip(by_rule) {
        prop_assert_eq!(finding.rule, rule.name);
        prop_assert_eq!(finding.cause, Some(rule.cause));
        prop_assert_eq!(finding.outcome, verdict.outcome);
        prop_assert_eq!(&finding.detail, &verdict.detail);
        prop_assert_eq!(&finding.evidence, &verdict.evidence);
        prop_assert_eq!(
            verdict.resolution.is_some(),
            verdict.outcome == Outcome::Matched
        );
    }

    let matched: Vec<(Cause, &Resolution)> = verdicts
        .iter()
        .filter_map(|(rule, v)| Some((rule.cause, v.resolution.as_ref()?)))
        .collect();
    // Some rule matches, unless the transaction arrived but was not credited: no transaction is
    // NOT_FOUND, and a transaction is rejected, complete, or in flight within the stall bound or
    // beyond it; one not credited needs a cause that says why, or goes to operations.
    let Some(primary) = primary.map(|i| (verdicts[i].0.cause, verdicts[i].1.resolution.as_ref()))
    else {
        let status = ctx().tx().map(|tx| tx.status);
        prop_assert_eq!(
            status,
            Some(TransactionStatus::NotCredited),
            "no rule matched"
        );
        prop_assert!(matched.is_empty());
        prop_assert_eq!(d.cause, Cause::Undetermined);
        prop_assert!(d.contributing_causes.is_empty());
        return Ok(());
    };
    let Some(resolution) = primary.1 else {
        return Err(TestCaseError::fail("the primary cause did not match"));
    };
    let primary = (primary.0, resolution);
    prop_assert_eq!(d.cause, primary.0);
    prop_assert_eq!(d.next_step.action, primary.1.next_step.action);
    prop_assert_eq!(&d.next_step.summary, &primary.1.next_step.summary);
    let step = &d.next_step;
    prop_assert_eq!(
        step.service_level,
        FIXTURE.service_level(step.action).copied()
    );
    prop_assert!(!step.actor().is_staff() || step.service_level.is_some());
    let told = next_step::customer_message(primary.1.customer_message.clone(), step);
    prop_assert_eq!(&d.customer_message, &told);
    let items = &step.required_evidence;
    let once = items
        .iter()
        .enumerate()
        .all(|(i, e)| !items[..i].contains(e));
    prop_assert!(once, "{:?}: each item is asked for once", items);
    let contributing: Vec<Cause> = matched
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| *c != primary.0)
        .collect();
    prop_assert_eq!(&d.contributing_causes, &contributing);

    // Both are values the API names.
    let cause = enums::cause_pb(d.cause);
    let action = enums::action_pb(d.next_step.action);
    prop_assert!(enums::CAUSES.contains(&cause));
    prop_assert_eq!(enums::cause_of(cause), Some(d.cause));
    prop_assert!(enums::ACTIONS.contains(&action));
    prop_assert_eq!(enums::action_of(action), Some(d.next_step.action));
    Ok(())
}

/// Every moment the diagnosis gives can be carried by a protobuf Timestamp and RFC 3339; a
/// promised resolution is never before the evaluation time, nor the next look after it.
fn check_moments(case: &Case, d: &Diagnosis) -> Result<(), TestCaseError> {
    let last = DateTime::from_timestamp(LAST_SECOND, 999_999_999).expect("the last moment");
    let step = &d.next_step;
    for t in [step.expected_resolution_at, step.recheck_at]
        .into_iter()
        .flatten()
    {
        prop_assert!(t <= last, "{} is past year 9999", t);
    }
    for (key, value) in d.findings.iter().flat_map(|f| &f.evidence) {
        if key.ends_with("_at") && value != "open" {
            let parsed = DateTime::parse_from_rfc3339(value);
            prop_assert!(parsed.is_ok(), "{} = {:?} is not RFC 3339", key, value);
        }
    }
    if let Some(done) = step.expected_resolution_at {
        prop_assert!(
            done >= case.as_of,
            "resolution {} before {}",
            done,
            case.as_of
        );
        if let Some(recheck) = step.recheck_at {
            prop_assert!(
                recheck <= done,
                "recheck {} after resolution {}",
                recheck,
                done
            );
        }
    }
    Ok(())
}

/// Whether `text`, or a message nested in it, has an argument named one of `names`, or says a
/// span of zero was waited (`age`).
fn has_arg(text: &Text, names: &[&str]) -> bool {
    text.args.iter().any(|(name, arg)| match arg {
        Arg::Duration(d) if *name == "age" && d.num_seconds() == 0 => true,
        Arg::List(items) => items.iter().any(|t| has_arg(t, names)),
        _ => names.contains(name),
    })
}

/// The findings agree with the primary cause: no incident is never beside another cause; no
/// finding says it waited 0 s; a hold is only ever the primary cause's, and a finding under it
/// promises no completion time; a transaction not credited is never called completed.
fn check_agreement(case: &Case, d: &Diagnosis) -> Result<(), TestCaseError> {
    prop_assert!(!d.contributing_causes.contains(&Cause::NoIncident));
    let primary_rule = RULES.iter().find(|r| r.cause == d.cause).map(|r| r.name);
    for finding in &d.findings {
        let value = |key: &str| {
            finding
                .evidence
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.as_str())
        };
        prop_assert_ne!(value("waiting"), Some("0s"), "{}", finding.rule);
        prop_assert!(!has_arg(&finding.detail, &[]), "{} says 0 s", finding.rule);
        if let Some(by) = value("held_by") {
            prop_assert_eq!(Some(by), primary_rule);
            prop_assert_eq!(value("expected_resolution_at"), None, "{}", finding.rule);
            prop_assert_eq!(value("stalls_at"), None, "{}", finding.rule);
            prop_assert!(
                !has_arg(&finding.detail, &["done", "stalls_at"]),
                "{} promises a time under the hold",
                finding.rule
            );
        }
    }
    let status = case.facts.transaction.as_ref().map(|tx| tx.status);
    if status == Some(TransactionStatus::NotCredited) {
        let said = d.findings.iter().map(|f| &f.detail);
        let completed = [
            "no-incident-detail",
            "no-incident-summary",
            "no-incident-customer",
        ];
        for text in said.chain([&d.next_step.summary, &d.customer_message]) {
            prop_assert!(!completed.contains(&text.id), "{:?}", text);
        }
    }
    Ok(())
}

// ---- Properties: the engine -----------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn every_diagnosis_gives_the_cause_action_and_message_of_the_rule_the_table_puts_first(
        case in case_with_ownership()
    ) {
        let d = case.diagnose();
        check_against_the_rule_table(&case, &d)?;
        check_moments(&case, &d)?;
    }

    #[test]
    fn findings_agree_with_the_primary_cause_whatever_the_facts(case in case_with_ownership()) {
        check_agreement(&case, &case.diagnose())?;
    }

    #[test]
    fn customer_messages_in_every_locale_and_view_keep_reasons_notes_and_identifiers_back(
        case in case_with_ownership(), zone in time_zone()
    ) {
        let d = case.diagnose();
        for locale in Catalog::locales().map(|l| l.in_zone(zone)) {
            let rendered = CATALOG.try_render(locale, &d.customer_message);
            prop_assert!(rendered.is_ok(), "{}: {:?}", locale.tag(), rendered);
            let [basic, full] = [false, true].map(|with_findings| {
                diagnosis_pb(d.clone(), &CATALOG, locale, with_findings).customer_message
            });
            prop_assert_eq!(&basic, &full, "the views differ in {}", locale.tag());
            prop_assert!(!full.contains('{'), "{}: a placeholder is left: {}", locale.tag(), full);
            if let Some(leaked) = leak(&case, locale, &full) {
                prop_assert!(false, "{} customer message reveals {}: {}", locale.tag(), leaked, full);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_diagnosis_as_of_t_is_that_of_the_facts_recorded_by_t_whatever_is_recorded_later(
        (case, later) in case_and_later_facts()
    ) {
        let d = case.diagnose();
        prop_assert_eq!(&diagnose(&case, &recorded_by(&case.facts, case.as_of), case.as_of), &d);
        let with_later = with_facts(&case.facts, &later);
        prop_assert_eq!(&diagnose(&case, &with_later, case.as_of), &d);
    }

    #[test]
    fn the_same_facts_give_the_same_diagnosis_every_time_and_in_any_order(
        case in case(), keys in proptest::collection::vec(any::<u32>(), 1..8)
    ) {
        let d = case.diagnose();
        prop_assert_eq!(&case.diagnose(), &d);
        // A history entry or observation that a later recorded one overrides changes nothing;
        // without them, the order they come in does not matter.
        let distinct = without_overridden(&case.facts);
        prop_assert_eq!(&diagnose(&case, &distinct, case.as_of), &d);
        let shuffled = Facts {
            account_history: reordered(&distinct.account_history, &keys),
            network_conditions: reordered(&distinct.network_conditions, &keys),
            ..distinct
        };
        prop_assert_eq!(&diagnose(&case, &shuffled, case.as_of), &d);
    }

    #[test]
    fn every_generated_fact_and_claim_is_one_the_api_accepts_as_it_is(case in case()) {
        use pb::import_facts_request::Fact as P;
        for fact in facts_to_store(&case.facts) {
            let item = match &fact {
                Fact::Transaction(t) => P::Transaction(transaction_pb(t)),
                Fact::AccountStatus(s) => P::AccountStatus(account_status_pb(s)),
                Fact::MaintenanceWindow(w) => P::MaintenanceWindow(maintenance_window_pb(w)),
                Fact::NetworkCondition(c) => P::NetworkCondition(network_condition_pb(c)),
            };
            let imported = import_item(&pb::ImportFactsRequest { fact: Some(item) });
            prop_assert_eq!(imported, Ok(fact));
        }
        let claim = &case.claim;
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        let request = pb::DiagnoseRequest {
            reference: case.reference.clone(),
            as_of: Some(timestamp(case.as_of)),
            claim: Some(pb::Claim {
                amount: claim.amount.map(|a| a.to_string()).unwrap_or_default(),
                asset: text(&claim.asset),
                network: text(&claim.network),
                destination: text(&claim.destination),
                memo: text(&claim.memo),
                paid_at: claim.paid_at.map(timestamp),
                tx_hash: text(&claim.tx_hash),
            }),
            ..Default::default()
        };
        let input = diagnose_input(&request, DateTime::UNIX_EPOCH, &FIXTURE);
        prop_assert!(input.is_ok(), "{:?}", input);
        let input = input.expect("checked");
        prop_assert_eq!(&input.reference, &case.reference);
        prop_assert_eq!(input.as_of, case.as_of);
        prop_assert_eq!(&input.claim, claim);
    }
}

// ---- Properties: when the outcome can next change -------------------------------------------

/// How many cases a property runs: `PROPTEST_CASES` when set (for a long run, say 2000),
/// else `default`.
fn cases_or(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// How far ahead a case with no next change is watched: past every moment its facts name.
const WATCHED_DAYS: i64 = 60;

fn outlook_at(case: &Case, t: DateTime<Utc>) -> Outlook {
    Outlook::of(&diagnose(case, &case.facts, t))
}

fn next_change_at(case: &Case, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    horizon::next_change(&FIXTURE, &case.reference, &case.claim, &case.facts, t)
}

/// Every moment the case's facts and claim name, and the moments its diagnosis gives: where an
/// outcome may turn. Congestion observations also by when they go stale.
fn named_moments(case: &Case, d: &Diagnosis) -> Vec<DateTime<Utc>> {
    let facts = &case.facts;
    let ttl = TimeDelta::from_std(FIXTURE.settings().network_condition_ttl).expect("a TTL");
    let mut moments: Vec<Option<DateTime<Utc>>> = vec![
        case.claim.paid_at,
        d.next_step.recheck_at,
        d.next_step.expected_resolution_at,
    ];
    if let Some(tx) = &facts.transaction {
        moments.extend([
            Some(tx.created_at),
            tx.updated_at,
            tx.completed_at,
            tx.customer_confirmation.map(|c| c.expires_at),
            tx.information_request.as_ref().map(|r| r.requested_at),
        ]);
    }
    for s in &facts.account_history {
        moments.extend([Some(s.effective_from), s.effective_until]);
    }
    for w in &facts.maintenance_windows {
        moments.extend([Some(w.starts_at), w.ends_at, w.clears_at()]);
    }
    for c in &facts.network_conditions {
        moments.extend([Some(c.observed_at), c.observed_at.checked_add_signed(ttl)]);
    }
    moments.into_iter().flatten().collect()
}

/// Moments strictly between `from` and `to` to evaluate at: just after `from`, just before
/// `to`, each of `named` and the nanosecond either side, and the fractions `spread` of the way.
fn probes(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    named: &[DateTime<Utc>],
    spread: &[f64],
) -> Vec<DateTime<Utc>> {
    let ns = TimeDelta::nanoseconds(1);
    let span = (to - from).num_nanoseconds().unwrap_or(i64::MAX) as f64;
    let mut probes = vec![from + ns, to - ns];
    for t in named {
        probes.extend([*t - ns, *t, *t + ns]);
    }
    for f in spread {
        probes.push(from + TimeDelta::nanoseconds((span * f) as i64));
    }
    probes.retain(|t| from < *t && *t < to);
    probes.sort_unstable();
    probes.dedup();
    probes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases_or(256), ..ProptestConfig::default() })]

    /// Watched as a watcher does: evaluated at the evaluation time, then again at each next change
    /// the engine names, never in between. Each time, the outcome stays as it is until the next
    /// change (none is skipped) and is another at it; asked in between, the engine names the same
    /// next change; and there are never more changes than the facts name moments, however long
    /// the wait (none is scheduled every second while a delay counts down).
    #[test]
    fn the_outcome_stays_as_it_is_until_the_next_change_the_engine_names_and_so_does_that_moment(
        case in case_with_ownership(), spread in proptest::collection::vec(0.0f64..1.0, 8)
    ) {
        let watched = case
            .as_of
            .checked_add_signed(TimeDelta::days(WATCHED_DAYS))
            .map_or(time::latest(), |t| t.min(time::latest()));
        let named = named_moments(&case, &case.diagnose());
        // Each moment of the facts turns a comparison on it or just after it, and each stretch
        // between two of them holds at most an expected completion and a stall.
        let most = 4 * (named.len() + 1);
        let mut at = case.as_of;
        for _ in 0..most {
            let d = diagnose(&case, &case.facts, at);
            let now = Outlook::of(&d);
            let next = next_change_at(&case, at);
            if let Some(next) = next {
                prop_assert!(next > at, "next change {} not after {}", next, at);
                prop_assert_ne!(outlook_at(&case, next), now, "nothing changed at {}", next);
            }
            let until = next.unwrap_or(watched);
            let mut moments = named_moments(&case, &d);
            moments.extend(&named);
            for t in probes(at, until, &moments, &spread) {
                prop_assert_eq!(
                    outlook_at(&case, t), now,
                    "the outcome changed at {} between {} and the next change {:?}", t, at, next
                );
                prop_assert_eq!(
                    next_change_at(&case, t), next,
                    "the next change after {} moved when asked at {}", at, t
                );
            }
            match next {
                Some(next) if next < watched => at = next,
                _ => return Ok(()),
            }
        }
        prop_assert!(false, "more than {} changes from {}", most, case.as_of);
    }
}

// ---- Properties: replay through the store ---------------------------------------------------

proptest! {
    // Each case opens a SQLite file of its own.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_store_hands_over_as_of_t_only_facts_recorded_by_t_and_they_diagnose_as_all_the_facts_do(
        case in case(), from_disk in any::<bool>()
    ) {
        let store = TempStore::holding(facts_to_store(&case.facts), from_disk);
        let loaded = store.load(&case, case.as_of);
        prop_assert!(all_recorded_by(&loaded, case.as_of), "{:?}", loaded);
        prop_assert_eq!(&store.load(&case, case.as_of), &loaded);
        let from_store = diagnose(&case, &loaded, case.as_of);
        prop_assert_eq!(&from_store, &diagnose(&case, &in_store_order(&case.facts), case.as_of));
    }

    #[test]
    fn facts_recorded_after_t_change_neither_what_the_store_hands_over_as_of_t_nor_the_diagnosis(
        (case, later) in case_and_later_facts(), from_disk in any::<bool>()
    ) {
        let store = TempStore::holding(facts_to_store(&case.facts), from_disk);
        let before = store.load(&case, case.as_of);
        store.put(later);
        let after = store.load(&case, case.as_of);
        prop_assert_eq!(&after, &before);
        prop_assert_eq!(diagnose(&case, &after, case.as_of), diagnose(&case, &before, case.as_of));
    }

    #[test]
    fn what_the_store_hands_over_for_a_transaction_only_grows_from_one_evaluation_time_to_a_later_one(
        case in case(), later_by in 0..=3 * DAY, from_disk in any::<bool>()
    ) {
        let created = case.facts.transaction.as_ref().map(|t| t.created_at);
        // For an unknown reference only the windows still holding matter: those shrink as
        // they clear, by design.
        prop_assume!(created.is_some_and(|c| c <= case.as_of));
        let (t1, t2) = (case.as_of, case.as_of + TimeDelta::seconds(later_by));
        let store = TempStore::holding(facts_to_store(&case.facts), from_disk);
        let (early, late) = (store.load(&case, t1), store.load(&case, t2));
        prop_assert!(all_recorded_by(&early, t1) && all_recorded_by(&late, t2));
        for window in &early.maintenance_windows {
            prop_assert!(late.maintenance_windows.contains(window), "{} is gone by {}", window.id, t2);
        }
        // The status in force and the latest observation are picked from facts that only grow:
        // the pick at T2 is never older than at T1.
        let since = |s: &Facts| s.account_history.iter().map(|s| s.effective_from).max();
        prop_assert!(since(&late) >= since(&early));
        let observed = |s: &Facts| s.network_conditions.iter().map(|c| c.observed_at).max();
        prop_assert!(observed(&late) >= observed(&early));
    }
}

// ---- Properties: decoding arbitrary bytes ---------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_the_request_conversion(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(request) = pb::DiagnoseRequest::decode(bytes.as_slice()) {
            if let Ok(input) = diagnose_input(&request, DateTime::UNIX_EPOCH, &FIXTURE) {
                prop_assert!(!input.reference.is_empty() && input.reference.chars().count() <= 128);
                prop_assert!(!input.reference.chars().any(char::is_control));
            }
        }
        if let Ok(item) = pb::ImportFactsRequest::decode(bytes.as_slice()) {
            if let Ok(Fact::Transaction(t)) = import_item(&item) {
                prop_assert!(!t.reference.is_empty() && t.reference.chars().count() <= 128);
                prop_assert!(t.updated_at.is_none_or(|u| u >= t.created_at));
                prop_assert_eq!(t.network.to_ascii_uppercase(), t.network.clone());
            }
        }
    }

    #[test]
    fn structured_but_arbitrary_transactions_either_convert_or_name_their_fields(
        reference in ".{0,140}", amount in ".{0,12}", kind in -2i32..8, status in -2i32..8,
        seconds in any::<i64>(), nanos in any::<i32>(),
    ) {
        let item = pb::ImportFactsRequest {
            fact: Some(pb::import_facts_request::Fact::Transaction(pb::Transaction {
                reference, amount, kind, status,
                account_id: "a".into(), network: "ETH".into(), asset: "USDT".into(),
                created_at: Some(prost_types::Timestamp { seconds, nanos }),
                ..Default::default()
            })),
        };
        match import_item(&item) {
            Ok(_) => {}
            Err(violations) => {
                prop_assert!(!violations.is_empty());
                for v in violations {
                    prop_assert!(v.field.starts_with("transaction."), "{}", v.field);
                    prop_assert!(!v.description.is_empty());
                }
            }
        }
    }
}
