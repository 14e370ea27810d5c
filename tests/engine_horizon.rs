//! When a diagnosis can next change by time alone (`engine::horizon::next_change`): one test per
//! kind of moment, each checking the exact moment named, that nothing changes just before it and
//! what it changes to; and that a moment at which nothing changes is passed over. `tests/properties.rs` checks the same on generated facts.

use chrono::{DateTime, TimeDelta, Utc};
use paydiag::engine::{
    self,
    diagnosis::{Action, Cause},
    horizon::{Outlook, Recheck, next_change},
    model::{
        AccountState, AccountStatus, Claim, ConfirmationMethod, CustomerConfirmation,
        ExpectedPayment, Facts, FailureReason, FreezeReason, InformationRequest, MaintenanceType,
        MaintenanceWindow, NetworkCondition, RequestedInformation, Transaction, TransactionKind,
        TransactionStatus,
    },
    policy::RuleSet,
};
use rust_decimal::Decimal;
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    RuleSet::parse(include_str!("fixtures/rules.toml")).expect("the tests' rules")
});

const REFERENCE: &str = "TX-20261118-0001";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.to_utc())
        .unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A Wednesday morning: every test is told relative to it.
fn t0() -> DateTime<Utc> {
    at("2026-11-18T10:00:00Z")
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

const NS: TimeDelta = TimeDelta::nanoseconds(1);

/// A transaction on `network`, created at `created_at`, with nothing recorded since.
fn tx(
    network: &str,
    kind: TransactionKind,
    status: TransactionStatus,
    created_at: DateTime<Utc>,
) -> Transaction {
    Transaction {
        reference: REFERENCE.into(),
        account_id: "acct-0001234567".into(),
        kind,
        network: network.into(),
        asset: if network == "BTC" { "BTC" } else { "EUR" }.into(),
        amount: Decimal::new(5, 1),
        destination: String::new(),
        memo: String::new(),
        status,
        failure_reason: None,
        confirmations: 0,
        required_confirmations: 0,
        created_at,
        updated_at: None,
        completed_at: None,
        expected: ExpectedPayment::default(),
        tx_hash: String::new(),
        customer_confirmation: None,
        information_request: None,
    }
}

/// A BTC deposit (3 confirmations of 10 min: done 30 min after creation, stalled after 90)
/// created `ago` before T0.
fn btc_deposit(ago: TimeDelta) -> Transaction {
    tx(
        "BTC",
        TransactionKind::Deposit,
        TransactionStatus::Pending,
        t0() - ago,
    )
}

fn with_tx(tx: Transaction) -> Facts {
    Facts {
        transaction: Some(tx),
        ..Facts::default()
    }
}

fn outlook(facts: &Facts, t: DateTime<Utc>) -> Outlook {
    Outlook::of(&engine::evaluate(
        &RULES,
        REFERENCE,
        &Claim::default(),
        facts,
        t,
    ))
}

fn next(facts: &Facts, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    next_change(&RULES, REFERENCE, &Claim::default(), facts, t)
}

fn waiting(era: Option<DateTime<Utc>>, recheck: DateTime<Utc>) -> Outlook {
    outcome(
        Cause::ConfirmationDelay,
        Action::Wait,
        era,
        Recheck::At(recheck),
    )
}

fn outcome(
    cause: Cause,
    action: Action,
    expected_resolution_at: Option<DateTime<Utc>>,
    recheck: Recheck,
) -> Outlook {
    Outlook {
        cause,
        action,
        expected_resolution_at,
        recheck,
    }
}

/// Checks that from `as_of` the next change is at `change`, that the outlook is `before` up to
/// the nanosecond before it and `after` from it on.
fn changes(
    facts: &Facts,
    as_of: DateTime<Utc>,
    change: DateTime<Utc>,
    before: Outlook,
    after: Outlook,
) {
    assert_eq!(next(facts, as_of), Some(change), "the next change");
    assert_eq!(outlook(facts, as_of), before, "at the evaluation time");
    assert_eq!(
        outlook(facts, change - NS),
        before,
        "just before the change"
    );
    assert_eq!(outlook(facts, change), after, "at the change");
}

#[test]
fn a_transaction_created_after_the_evaluation_time_changes_the_outcome_when_it_is_created() {
    let created = t0() + minutes(60);
    let facts = with_tx(tx(
        "BTC",
        TransactionKind::Deposit,
        TransactionStatus::Pending,
        created,
    ));
    let not_found = outcome(
        Cause::NotFound,
        Action::CheckReference,
        None,
        Recheck::Never,
    );
    let done = created + minutes(30);
    changes(&facts, t0(), created, not_found, waiting(Some(done), done));
}

#[test]
fn a_completion_recorded_after_the_evaluation_time_changes_the_outcome_when_it_completed() {
    let completed = t0() + minutes(5);
    let facts = with_tx(Transaction {
        status: TransactionStatus::Completed,
        confirmations: 3,
        completed_at: Some(completed),
        ..btc_deposit(minutes(20))
    });
    let done = t0() + minutes(10);
    let completed_outlook = outcome(Cause::NoIncident, Action::None, None, Recheck::Never);
    changes(
        &facts,
        t0(),
        completed,
        waiting(Some(done), done),
        completed_outlook,
    );
    assert_eq!(
        next(&facts, completed),
        None,
        "nothing changes a completed record"
    );
}

#[test]
fn a_rejection_recorded_after_the_evaluation_time_changes_the_outcome_when_it_was_recorded() {
    let rejected = t0() + minutes(5);
    let facts = with_tx(Transaction {
        status: TransactionStatus::Failed,
        failure_reason: Some(FailureReason::InsufficientBalance),
        updated_at: Some(rejected),
        ..btc_deposit(minutes(20))
    });
    let done = t0() + minutes(10);
    let rejection = outcome(Cause::Rejected, Action::TopUpAndRetry, None, Recheck::Never);
    changes(&facts, t0(), rejected, waiting(Some(done), done), rejection);
}

#[test]
fn a_request_waiting_for_the_customers_confirmation_changes_when_it_lapses() {
    let lapses = t0() + minutes(10);
    let facts = with_tx(Transaction {
        kind: TransactionKind::Withdrawal,
        customer_confirmation: Some(CustomerConfirmation {
            method: ConfirmationMethod::Email,
            expires_at: lapses,
        }),
        ..btc_deposit(minutes(5))
    });
    let confirm = outcome(
        Cause::AwaitingCustomerConfirmation,
        Action::ConfirmRequest,
        None,
        Recheck::At(lapses),
    );
    let lapsed = outcome(
        Cause::AwaitingCustomerConfirmation,
        Action::CorrectAndRetry,
        None,
        Recheck::Never,
    );
    changes(&facts, t0(), lapses, confirm, lapsed);
}

#[test]
fn a_request_for_information_holds_the_transaction_from_when_it_is_made() {
    let requested = t0() + minutes(2);
    let facts = with_tx(Transaction {
        information_request: Some(InformationRequest {
            items: vec![RequestedInformation::OriginatorDetails],
            requested_at: requested,
        }),
        ..btc_deposit(minutes(5))
    });
    let done = t0() + minutes(25);
    let asked = outcome(
        Cause::InformationRequired,
        Action::ProvideInformation,
        None,
        Recheck::Never,
    );
    changes(&facts, t0(), requested, waiting(Some(done), done), asked);
}

fn account_status(
    state: AccountState,
    reason: FreezeReason,
    kinds: Vec<TransactionKind>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> AccountStatus {
    AccountStatus {
        account_id: "acct-0001234567".into(),
        state,
        reason: Some(reason),
        restricted_kinds: kinds,
        effective_from: from,
        effective_until: Some(until),
        note: String::new(),
    }
}

#[test]
fn an_account_freeze_changes_the_outcome_when_it_takes_effect_and_when_it_lapses() {
    let (from, until) = (t0() + minutes(3), t0() + minutes(120));
    let mut facts = with_tx(btc_deposit(minutes(5)));
    facts.account_history = vec![account_status(
        AccountState::Frozen,
        FreezeReason::AbnormalLogin,
        Vec::new(),
        from,
        until,
    )];
    let done = t0() + minutes(25);
    let frozen = outcome(
        Cause::AccountFrozen,
        Action::SecureAccount,
        Some(until),
        Recheck::Never,
    );
    changes(&facts, t0(), from, waiting(Some(done), done), frozen);
    // Once its waiting has stalled behind the freeze, the freeze's end is the next change.
    let stalled = outcome(
        Cause::ConfirmationStalled,
        Action::Escalate,
        None,
        Recheck::Never,
    );
    changes(&facts, t0() + minutes(90), until, frozen, stalled);
}

#[test]
fn a_security_hold_changes_the_outcome_when_it_ends() {
    let until = t0() + minutes(60);
    let mut facts = with_tx(Transaction {
        kind: TransactionKind::Withdrawal,
        ..btc_deposit(minutes(5))
    });
    facts.account_history = vec![account_status(
        AccountState::Restricted,
        FreezeReason::WithdrawalAddressChanged,
        vec![TransactionKind::Withdrawal],
        t0() - minutes(60),
        until,
    )];
    let held = outcome(
        Cause::SecurityHold,
        Action::Wait,
        Some(until),
        Recheck::At(until),
    );
    // Released, it has waited past its expected time but not the stall bound.
    let stalls = t0() + minutes(85);
    let overdue = waiting(None, stalls);
    changes(&facts, t0() + minutes(30), until, held, overdue);
}

fn window(
    starts_at: DateTime<Utc>,
    lasts: Option<TimeDelta>,
    drain: TimeDelta,
) -> MaintenanceWindow {
    MaintenanceWindow {
        id: "mw-1".into(),
        network: "BTC".into(),
        kinds: Vec::new(),
        maintenance_type: MaintenanceType::Scheduled,
        starts_at,
        ends_at: lasts.map(|d| starts_at + d),
        backlog_drain: drain,
        title: "node upgrade".into(),
    }
}

#[test]
fn a_maintenance_window_changes_the_outcome_when_it_starts_and_when_its_backlog_has_drained() {
    let starts = t0() + minutes(10);
    let clears = t0() + minutes(60);
    let mut facts = with_tx(btc_deposit(minutes(5)));
    facts.maintenance_windows = vec![window(starts, Some(minutes(30)), minutes(20))];
    let done = t0() + minutes(25);
    let held = outcome(
        Cause::Maintenance,
        Action::Wait,
        Some(clears),
        Recheck::At(clears),
    );
    changes(&facts, t0(), starts, waiting(Some(done), done), held);
    // Processing resumes as it clears: the expected time counts from then.
    let resumed_done = clears + minutes(30);
    changes(
        &facts,
        starts,
        clears,
        held,
        waiting(Some(resumed_done), resumed_done),
    );
}

#[test]
fn a_window_with_no_announced_end_has_no_next_change_though_its_recheck_moves_on() {
    let mut facts = with_tx(btc_deposit(minutes(5)));
    facts.maintenance_windows = vec![window(t0() - minutes(60), None, minutes(20))];
    let held = outcome(
        Cause::Maintenance,
        Action::Wait,
        None,
        Recheck::After(minutes(30)),
    );
    assert_eq!(next(&facts, t0()), None);
    let later = t0() + TimeDelta::days(3);
    assert_eq!(outlook(&facts, t0()), held);
    assert_eq!(outlook(&facts, later), held);
    let recheck_at = |t| {
        engine::evaluate(&RULES, REFERENCE, &Claim::default(), &facts, t)
            .next_step
            .recheck_at
    };
    assert_eq!(recheck_at(later), Some(later + minutes(30)));
}

#[test]
fn a_congestion_observation_changes_the_expected_time_when_it_is_made_and_just_after_it_goes_stale()
{
    let observed = t0() + minutes(5);
    let mut facts = with_tx(btc_deposit(minutes(10)));
    facts.network_conditions = vec![NetworkCondition {
        network: "BTC".into(),
        congestion_factor: 3.0,
        observed_at: observed,
    }];
    let (done, congested_done) = (t0() + minutes(20), t0() + minutes(80));
    let congested = waiting(Some(congested_done), congested_done);
    changes(&facts, t0(), observed, waiting(Some(done), done), congested);
    // Stale after the rules' hour, it no longer counts: the 30 min expected are long past, and
    // the 90 min bound is what is left.
    let stale = observed + minutes(60) + NS;
    let stalls = t0() + minutes(80);
    changes(&facts, observed, stale, congested, waiting(None, stalls));
}

#[test]
fn a_delay_becomes_overdue_just_after_its_expected_time_and_stalls_at_its_bound() {
    let facts = with_tx(btc_deposit(minutes(20)));
    let (done, stalls) = (t0() + minutes(10), t0() + minutes(70));
    changes(
        &facts,
        t0(),
        done + NS,
        waiting(Some(done), done),
        waiting(None, stalls),
    );
    let stalled = outcome(
        Cause::ConfirmationStalled,
        Action::Escalate,
        None,
        Recheck::Never,
    );
    changes(&facts, done + NS, stalls, waiting(None, stalls), stalled);
    assert_eq!(next(&facts, stalls), None, "stalled for good");
}

#[test]
fn a_business_day_rail_stalls_as_the_business_day_its_bound_runs_out_in_ends() {
    // SEPA: one business day expected, stalled after two. Created on a Thursday at midnight, its
    // second business day runs out as Friday ends: stalled from Saturday midnight, which the
    // overdue delay names as its recheck.
    let facts = with_tx(tx(
        "SEPA",
        TransactionKind::Transfer,
        TransactionStatus::Pending,
        at("2026-11-19T00:00:00Z"),
    ));
    let saturday = at("2026-11-21T00:00:00Z");
    let stalled = outcome(
        Cause::ConfirmationStalled,
        Action::Escalate,
        None,
        Recheck::Never,
    );
    changes(
        &facts,
        at("2026-11-20T12:00:00Z"),
        saturday,
        waiting(None, saturday),
        stalled,
    );
}

#[test]
fn a_business_day_rails_waiting_starting_on_monday_changes_nothing_before_its_expected_time() {
    // Created on a Saturday, its waiting counts from Monday: only the texts change then, and the
    // next change is just after Tuesday midnight, one business day on.
    let facts = with_tx(tx(
        "SEPA",
        TransactionKind::Transfer,
        TransactionStatus::Pending,
        at("2026-11-21T10:00:00Z"),
    ));
    let done = at("2026-11-24T00:00:00Z");
    let stalls = at("2026-11-25T00:00:00Z");
    changes(
        &facts,
        at("2026-11-21T12:00:00Z"),
        done + NS,
        waiting(Some(done), done),
        waiting(None, stalls),
    );
}

#[test]
fn a_moment_that_changes_nothing_is_passed_over() {
    // A window on another network starts, and an observation of it goes stale, before the
    // deposit is overdue: neither changes its outcome.
    let mut facts = with_tx(btc_deposit(minutes(20)));
    let elsewhere = MaintenanceWindow {
        network: "ETH".into(),
        ..window(t0() + minutes(2), Some(minutes(30)), TimeDelta::zero())
    };
    facts.maintenance_windows = vec![elsewhere];
    facts.network_conditions = vec![NetworkCondition {
        network: "ETH".into(),
        congestion_factor: 4.0,
        observed_at: t0() - minutes(55),
    }];
    let (done, stalls) = (t0() + minutes(10), t0() + minutes(70));
    changes(
        &facts,
        t0(),
        done + NS,
        waiting(Some(done), done),
        waiting(None, stalls),
    );
}

#[test]
fn a_completed_transaction_with_nothing_ahead_has_no_next_change() {
    let done = t0() - TimeDelta::days(1);
    let facts = with_tx(Transaction {
        status: TransactionStatus::Completed,
        confirmations: 3,
        updated_at: Some(done),
        completed_at: Some(done),
        ..btc_deposit(TimeDelta::days(2))
    });
    assert_eq!(next(&facts, t0()), None);
}
