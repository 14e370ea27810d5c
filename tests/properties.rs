//! Properties over arbitrary input, on stable Rust: the rule engine never panics and always
//! names a cause and an action with consistent findings, and the request conversion layer never
//! panics on any bytes and only lets through what it promises. (`fuzz/` runs the same checks
//! under libFuzzer.)

use chrono::{DateTime, TimeDelta, Utc};
use paydiag::{
    api::{diagnosis_codec::diagnose_input, fact_codec::import_item},
    engine::{self, diagnosis::Outcome, model::*, policy::RuleSet},
    pb::v1 as pb,
    store::Fact,
};
use proptest::prelude::*;
use prost::Message;
use rust_decimal::Decimal;

/// Any moment paydiag accepts (years 1 to 9999), with a bias towards a busy week.
fn moment() -> impl Strategy<Value = DateTime<Utc>> {
    let near = (1_795_000_000i64..1_795_700_000)
        .prop_map(|s| DateTime::from_timestamp(s, 0).expect("time"));
    let any = (-62_135_596_800i64..=253_402_300_799, 0u32..1_000_000_000)
        .prop_map(|(s, n)| DateTime::from_timestamp(s, n).expect("time"));
    // The last weeks of year 9999, where every sum the engine makes could run past the end.
    let end = (253_397_000_000i64..=253_402_300_799)
        .prop_map(|s| DateTime::from_timestamp(s, 0).expect("time"));
    prop_oneof![4 => near, 1 => any, 1 => end]
}

fn kind() -> impl Strategy<Value = TransactionKind> {
    prop_oneof![
        Just(TransactionKind::Deposit),
        Just(TransactionKind::Withdrawal),
        Just(TransactionKind::Payment),
        Just(TransactionKind::Transfer)
    ]
}

fn network() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("BTC"),
        Just("ETH"),
        Just("TRON"),
        Just("XRP"),
        Just("SEPA"),
        Just("NOPE")
    ]
    .prop_map(String::from)
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-zA-Z0-9]{1,8}", ".{0,12}"]
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..28).prop_map(|(m, s)| Decimal::new(m.abs(), s))
}

fn transaction() -> impl Strategy<Value = Transaction> {
    let status = prop_oneof![
        Just(TransactionStatus::Pending),
        Just(TransactionStatus::Confirming),
        Just(TransactionStatus::Completed),
        Just(TransactionStatus::Failed)
    ];
    let failure = proptest::option::of(prop_oneof![
        Just(FailureReason::InsufficientBalance),
        Just(FailureReason::InvalidDetails),
        Just(FailureReason::LimitExceeded),
        Just(FailureReason::RiskDeclined),
        Just(FailureReason::Expired)
    ]);
    let expected = (
        proptest::option::of(decimal()),
        proptest::option::of(network()),
        proptest::option::of(text()),
    )
        .prop_map(|(amount, network, memo)| ExpectedPayment {
            amount,
            network,
            memo,
            ..Default::default()
        });
    (
        (
            kind(),
            network(),
            decimal(),
            text(),
            text(),
            status,
            failure,
        ),
        (
            any::<u32>(),
            any::<u32>(),
            moment(),
            proptest::option::of(moment()),
            proptest::option::of(moment()),
            expected,
        ),
    )
        .prop_map(
            |((kind, network, amount, destination, memo, status, failure_reason), rest)| {
                let (
                    confirmations,
                    required_confirmations,
                    created_at,
                    updated_at,
                    completed_at,
                    expected,
                ) = rest;
                Transaction {
                    reference: "REF".into(),
                    account_id: "acct-000000001".into(),
                    kind,
                    network,
                    asset: "USDT".into(),
                    amount,
                    destination,
                    memo,
                    status,
                    failure_reason,
                    confirmations,
                    required_confirmations,
                    created_at,
                    updated_at,
                    completed_at,
                    expected,
                    tx_hash: String::new(),
                }
            },
        )
}

fn account_status() -> impl Strategy<Value = AccountStatus> {
    let state = prop_oneof![
        Just(AccountState::Active),
        Just(AccountState::Frozen),
        Just(AccountState::Restricted)
    ];
    let reason = proptest::option::of(prop_oneof![
        Just(FreezeReason::AbnormalLogin),
        Just(FreezeReason::AbnormalActivity),
        Just(FreezeReason::IdentityUnverified),
        Just(FreezeReason::UserRequested),
        Just(FreezeReason::ComplianceReview)
    ]);
    (
        state,
        reason,
        proptest::collection::vec(kind(), 0..3),
        moment(),
        proptest::option::of(moment()),
    )
        .prop_map(
            |(state, reason, restricted_kinds, effective_from, effective_until)| AccountStatus {
                account_id: "acct-000000001".into(),
                state,
                reason,
                restricted_kinds,
                effective_from,
                effective_until,
                note: "internal".into(),
            },
        )
}

fn window() -> impl Strategy<Value = MaintenanceWindow> {
    let network = prop_oneof![network(), Just("*".to_owned())];
    let kind = prop_oneof![
        Just(MaintenanceType::Scheduled),
        Just(MaintenanceType::Unplanned)
    ];
    (
        network,
        proptest::collection::vec(self::kind(), 0..3),
        kind,
        moment(),
        proptest::option::of(moment()),
        0i64..2_592_000,
    )
        .prop_map(
            |(network, kinds, maintenance_type, starts_at, ends_at, drain)| MaintenanceWindow {
                id: "w".into(),
                network,
                kinds,
                maintenance_type,
                starts_at,
                ends_at,
                backlog_drain: TimeDelta::seconds(drain),
                title: "t".into(),
            },
        )
}

fn facts() -> impl Strategy<Value = Facts> {
    let condition = (network(), 1.0f64..1000.0, moment()).prop_map(
        |(network, congestion_factor, observed_at)| NetworkCondition {
            network,
            congestion_factor,
            observed_at,
        },
    );
    (
        proptest::option::of(transaction()),
        proptest::collection::vec(account_status(), 0..4),
        proptest::collection::vec(window(), 0..4),
        proptest::collection::vec(condition, 0..3),
    )
        .prop_map(
            |(transaction, account_history, maintenance_windows, network_conditions)| Facts {
                transaction,
                account_history,
                maintenance_windows,
                network_conditions,
                ownership: Default::default(),
            },
        )
}

fn claim() -> impl Strategy<Value = Claim> {
    (
        proptest::option::of(decimal()),
        proptest::option::of(network()),
        proptest::option::of(text()),
        proptest::option::of(moment()),
    )
        .prop_map(|(amount, network, memo, paid_at)| Claim {
            amount,
            network,
            memo,
            paid_at,
            ..Default::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_never_panics_and_always_gives_a_consistent_diagnosis(
        facts in facts(), claim in claim(), as_of in moment()
    ) {
        let rules = RuleSet::parse(include_str!("fixtures/rules.toml")).expect("the tests' rules");
        let d = engine::evaluate(&rules, "REF", &claim, &facts, as_of);

        // One finding per rule, and one on ownership when it was checked.
        let ownership = engine::rules::ownership::finding(&facts.ownership).into_iter().count();
        prop_assert_eq!(d.findings.len(), engine::rules::RULES.len() + ownership);
        let matched: Vec<_> = d.findings.iter().filter(|f| f.outcome == Outcome::Matched).filter_map(|f| f.cause).collect();
        let mut named = vec![d.cause];
        named.extend(&d.contributing_causes);
        if d.cause == engine::diagnosis::Cause::Undetermined {
            prop_assert!(matched.is_empty());
        } else {
            prop_assert_eq!(matched.len(), named.len());
            for cause in &named {
                prop_assert!(matched.contains(cause));
            }
        }
        // Every moment the diagnosis gives is one a protobuf Timestamp and RFC 3339 can carry.
        let last = DateTime::from_timestamp(253_402_300_799, 999_999_999).expect("time");
        for t in [d.next_step.expected_resolution_at, d.next_step.recheck_at].into_iter().flatten() {
            prop_assert!(t <= last, "{} is past year 9999", t);
        }
        for (key, value) in d.findings.iter().flat_map(|f| &f.evidence) {
            if key.ends_with("_at") && value != "open" {
                let parsed = DateTime::parse_from_rfc3339(value);
                prop_assert!(parsed.is_ok(), "{} = {:?} is not RFC 3339", key, value);
            }
        }
        if let Some(done) = d.next_step.expected_resolution_at {
            prop_assert!(done >= as_of, "resolution {} before as_of {}", done, as_of);
            if let Some(recheck) = d.next_step.recheck_at {
                prop_assert!(recheck <= done);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_request_conversion(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(request) = pb::DiagnoseRequest::decode(bytes.as_slice()) {
            if let Ok(input) = diagnose_input(&request, DateTime::UNIX_EPOCH) {
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
