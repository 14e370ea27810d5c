//! The rule engine on arbitrary facts, claims and evaluation times: it must never panic, and
//! every diagnosis must name a cause and an action with one finding per rule.

#![no_main]

use arbitrary::{Result, Unstructured};
use chrono::{DateTime, TimeDelta, Utc};
use libfuzzer_sys::fuzz_target;
use paydiag::engine::{self, model::*, policy::RuleSet};
use rust_decimal::Decimal;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::shipped)
}

/// Any timestamp paydiag accepts: years 1 to 9999.
fn moment(u: &mut Unstructured<'_>) -> Result<DateTime<Utc>> {
    let seconds = u.int_in_range(-62_135_596_800i64..=253_402_300_799)?;
    let nanos = u.int_in_range(0..=999_999_999)?;
    Ok(DateTime::from_timestamp(seconds, nanos).unwrap_or(DateTime::UNIX_EPOCH))
}

fn pick<T: Copy>(u: &mut Unstructured<'_>, values: &[T]) -> Result<T> {
    Ok(*u.choose(values)?)
}

fn network(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(pick(u, &["BTC", "ETH", "TRON", "XRP", "SEPA", "CARD", "ZZZ", "*"])?.to_owned())
}

fn decimal(u: &mut Unstructured<'_>) -> Result<Decimal> {
    Ok(Decimal::new(u.arbitrary::<i64>()?.saturating_abs(), u.int_in_range(0..=28)?))
}

fn kinds(u: &mut Unstructured<'_>) -> Result<Vec<TransactionKind>> {
    use TransactionKind::*;
    (0..u.int_in_range(0..=3)?).map(|_| pick(u, &[Deposit, Withdrawal, Payment, Transfer])).collect()
}

fn optional<T>(u: &mut Unstructured<'_>, f: impl FnOnce(&mut Unstructured<'_>) -> Result<T>) -> Result<Option<T>> {
    if u.arbitrary()? { Ok(Some(f(u)?)) } else { Ok(None) }
}

fn transaction(u: &mut Unstructured<'_>) -> Result<Transaction> {
    use TransactionStatus::*;
    Ok(Transaction {
        reference: "REF".into(),
        account_id: u.arbitrary()?,
        kind: pick(u, &[TransactionKind::Deposit, TransactionKind::Withdrawal, TransactionKind::Payment, TransactionKind::Transfer])?,
        network: network(u)?,
        asset: u.arbitrary()?,
        amount: decimal(u)?,
        destination: u.arbitrary()?,
        memo: u.arbitrary()?,
        status: pick(u, &[Pending, Confirming, Completed, Failed, NotCredited])?,
        failure_reason: optional(u, |u| {
            use FailureReason::*;
            pick(u, &[InsufficientBalance, InvalidDetails, LimitExceeded, RiskDeclined, Expired, IssuerDeclined])
        })?,
        confirmations: u.arbitrary()?,
        required_confirmations: u.arbitrary()?,
        created_at: moment(u)?,
        updated_at: optional(u, moment)?,
        completed_at: optional(u, moment)?,
        expected: ExpectedPayment {
            amount: optional(u, decimal)?,
            asset: u.arbitrary()?,
            network: optional(u, network)?,
            destination: u.arbitrary()?,
            memo: u.arbitrary()?,
        },
        tx_hash: u.arbitrary()?,
        customer_confirmation: optional(u, |u| {
            use ConfirmationMethod::*;
            Ok(CustomerConfirmation { method: pick(u, &[Email, TwoFactor, Device])?, expires_at: moment(u)? })
        })?,
        information_request: optional(u, |u| {
            use RequestedInformation::*;
            let items = (0..u.int_in_range(0..=3)?)
                .map(|_| pick(u, &[OriginatorDetails, BeneficiaryDetails, SourceOfFunds]))
                .collect::<Result<_>>()?;
            Ok(InformationRequest { items, requested_at: moment(u)? })
        })?,
    })
}

fn facts(u: &mut Unstructured<'_>) -> Result<Facts> {
    let mut facts = Facts { transaction: optional(u, transaction)?, ..Facts::default() };
    for _ in 0..u.int_in_range(0..=3)? {
        use AccountState::*;
        use FreezeReason::*;
        facts.account_history.push(AccountStatus {
            account_id: "a".into(),
            state: pick(u, &[Active, Frozen, Restricted])?,
            reason: optional(u, |u| {
                pick(u, &[
                    AbnormalLogin, AbnormalActivity, IdentityUnverified, UserRequested, ComplianceReview,
                    PasswordReset, TwoFactorChanged, NewDevice, WithdrawalAddressChanged,
                ])
            })?,
            restricted_kinds: kinds(u)?,
            effective_from: moment(u)?,
            effective_until: optional(u, moment)?,
            note: u.arbitrary()?,
        });
    }
    for _ in 0..u.int_in_range(0..=3)? {
        facts.maintenance_windows.push(MaintenanceWindow {
            id: "w".into(),
            network: network(u)?,
            kinds: kinds(u)?,
            maintenance_type: pick(u, &[MaintenanceType::Scheduled, MaintenanceType::Unplanned])?,
            starts_at: moment(u)?,
            ends_at: optional(u, moment)?,
            backlog_drain: TimeDelta::seconds(u.int_in_range(0..=2_592_000)?),
            title: u.arbitrary()?,
        });
    }
    for _ in 0..u.int_in_range(0..=2)? {
        facts.network_conditions.push(NetworkCondition {
            network: network(u)?,
            congestion_factor: 1.0 + f64::from(u.int_in_range(0..=999_000u32)?) / 1000.0,
            observed_at: moment(u)?,
        });
    }
    Ok(facts)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let (Ok(facts), Ok(as_of)) = (facts(&mut u), moment(&mut u)) else {
        return;
    };
    let claim = Claim {
        amount: optional(&mut u, decimal).ok().flatten(),
        network: optional(&mut u, network).ok().flatten(),
        paid_at: optional(&mut u, moment).ok().flatten(),
        ..Claim::default()
    };
    let d = engine::evaluate(rules(), "REF", &claim, &facts, as_of);
    assert_eq!(d.findings.len(), engine::rules::RULES.len(), "one finding per rule");
    assert!(d.next_step.expected_resolution_at.is_none_or(|t| t >= as_of));
});
