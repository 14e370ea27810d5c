use crate::helpers::{
    assert_reason, at, error_metadata, metadata, spawn_app, status_of, transaction,
    violated_fields, violations,
};
use paydiag::{api::fact_codec::timestamp, pb::v1 as pb};
use tonic::Code;

async fn diagnose_error(reference: &str) -> tonic::Status {
    let mut app = spawn_app().await;
    app.diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: reference.into(),
            ..Default::default()
        })
        .await
        .expect_err("should be rejected")
}

#[tokio::test]
async fn empty_over_long_and_control_character_references_are_invalid_arguments_naming_the_field() {
    for reference in ["", "   ", &"R".repeat(129), "REF\u{0}1", "REF\n1"] {
        let status = diagnose_error(reference).await;
        assert_eq!(status.code(), Code::InvalidArgument, "{reference:?}");
        assert_eq!(violated_fields(&status), ["reference"], "{reference:?}");
        assert_reason(&status, "INVALID_FIELD");
        assert_eq!(error_metadata(&status), metadata([("field", "reference")]));
    }
}

#[tokio::test]
async fn ids_with_surrounding_whitespace_are_refused_when_stored_and_trimmed_when_diagnosed() {
    let mut app = spawn_app().await;
    let padded = pb::Transaction {
        account_id: "acct-1 ".into(),
        ..transaction(" TX-PADDED")
    };
    let status = app
        .facts
        .put_transaction(pb::PutTransactionRequest {
            transaction: Some(padded),
        })
        .await
        .expect_err("a padded id could never be found");
    assert_eq!(status.code(), Code::InvalidArgument);
    let mut fields = violated_fields(&status);
    fields.sort();
    assert_eq!(fields, ["transaction.account_id", "transaction.reference"]);
    assert!(
        violations(&status)
            .iter()
            .all(|(_, why)| why.contains("whitespace")),
        "{status:?}"
    );

    app.facts
        .put_transaction(pb::PutTransactionRequest {
            transaction: Some(transaction("TX-PADDED")),
        })
        .await
        .expect("stored");
    let found = app.diagnose_at(" TX-PADDED\t", at(0)).await;
    assert_eq!(found.cause(), pb::Cause::ConfirmationDelay);
    assert_eq!(found.reference, "TX-PADDED");
}

#[tokio::test]
async fn a_reference_of_exactly_128_characters_is_accepted() {
    let mut app = spawn_app().await;
    let d = app.diagnose_at(&"R".repeat(128), at(0)).await;
    assert_eq!(d.cause(), pb::Cause::NotFound);
}

#[tokio::test]
async fn every_bad_field_of_a_transaction_is_reported_at_once() {
    let mut app = spawn_app().await;
    let bad = pb::Transaction {
        reference: String::new(),
        kind: 99,
        network: "TRON MAINNET".into(),
        amount: "1e5".into(),
        status: pb::TransactionStatus::Pending.into(),
        failure_reason: pb::FailureReason::Expired.into(),
        created_at: Some(prost_types::Timestamp {
            seconds: 0,
            nanos: -1,
        }),
        ..transaction("x")
    };

    let status = app
        .facts
        .put_transaction(pb::PutTransactionRequest {
            transaction: Some(bad),
        })
        .await
        .expect_err("invalid");

    assert_eq!(status.code(), Code::InvalidArgument);
    assert_reason(&status, "INVALID_FIELD");
    // The first bad field in request order; BadRequest names them all.
    assert_eq!(
        error_metadata(&status),
        metadata([("field", "transaction.reference")])
    );
    let mut fields = violated_fields(&status);
    fields.sort();
    assert_eq!(
        fields,
        [
            "transaction.amount",
            "transaction.created_at",
            "transaction.failure_reason",
            "transaction.kind",
            "transaction.network",
            "transaction.reference",
        ]
    );
    let kind = violations(&status)
        .into_iter()
        .find(|(f, _)| f == "transaction.kind")
        .expect("kind");
    assert!(kind.1.contains("99"), "{}", kind.1);
}

#[tokio::test]
async fn missing_messages_bad_windows_and_slow_congestion_are_invalid_arguments() {
    let mut app = spawn_app().await;

    let missing = app
        .facts
        .put_transaction(pb::PutTransactionRequest { transaction: None })
        .await
        .expect_err("missing");
    let window = pb::MaintenanceWindow {
        id: "w".into(),
        network: "ETH".into(),
        r#type: pb::MaintenanceType::Scheduled.into(),
        starts_at: Some(timestamp(at(10))),
        ends_at: Some(timestamp(at(5))),
        ..Default::default()
    };
    let backwards = app
        .facts
        .put_maintenance_window(pb::PutMaintenanceWindowRequest {
            maintenance_window: Some(window),
        })
        .await
        .expect_err("ends before it starts");
    let condition = pb::NetworkCondition {
        network: "ETH".into(),
        congestion_factor: 0.9,
        observed_at: Some(timestamp(at(0))),
    };
    let slow = app
        .facts
        .put_network_condition(pb::PutNetworkConditionRequest {
            network_condition: Some(condition),
        })
        .await
        .expect_err("factor below 1");
    let frozen_without_reason = pb::AccountStatus {
        account_id: "a".into(),
        state: pb::AccountState::Frozen.into(),
        effective_from: Some(timestamp(at(0))),
        ..Default::default()
    };
    let no_reason = app
        .facts
        .put_account_status(pb::PutAccountStatusRequest {
            account_status: Some(frozen_without_reason),
        })
        .await
        .expect_err("frozen needs a reason");

    assert_eq!(violated_fields(&missing), ["transaction"]);
    assert_eq!(violated_fields(&backwards), ["maintenance_window.ends_at"]);
    assert_eq!(
        violated_fields(&slow),
        ["network_condition.congestion_factor"]
    );
    assert_eq!(violated_fields(&no_reason), ["account_status.reason"]);
    for status in [missing, backwards, slow, no_reason] {
        assert_eq!(status.code(), Code::InvalidArgument);
        assert_reason(&status, "INVALID_FIELD");
    }
}

#[tokio::test]
async fn malformed_claims_and_timestamps_out_of_range_name_their_fields() {
    let mut app = spawn_app().await;
    let request = pb::DiagnoseRequest {
        reference: "TX".into(),
        as_of: Some(prost_types::Timestamp {
            seconds: 253_402_300_800,
            nanos: 0,
        }),
        claim: Some(pb::Claim {
            amount: "ten".into(),
            network: "?".into(),
            ..Default::default()
        }),
        ..Default::default()
    };

    let status = app.diagnosis.diagnose(request).await.expect_err("invalid");

    let mut fields = violated_fields(&status);
    fields.sort();
    assert_eq!(fields, ["as_of", "claim.amount", "claim.network"]);
}

#[tokio::test]
async fn batches_must_hold_one_to_five_hundred_requests() {
    let mut app = spawn_app().await;
    let item = pb::DiagnoseRequest {
        reference: "R".into(),
        ..Default::default()
    };

    let empty = app
        .diagnosis
        .batch_diagnose(pb::BatchDiagnoseRequest { requests: vec![] })
        .await
        .expect_err("empty");
    let too_many = app
        .diagnosis
        .batch_diagnose(pb::BatchDiagnoseRequest {
            requests: vec![item.clone(); 501],
        })
        .await
        .expect_err("501");
    let full = app
        .diagnosis
        .batch_diagnose(pb::BatchDiagnoseRequest {
            requests: vec![item; 500],
        })
        .await
        .expect("500 is allowed");

    assert_eq!(violated_fields(&empty), ["requests"]);
    assert_eq!(violated_fields(&too_many), ["requests"]);
    for refused in [&empty, &too_many] {
        assert_reason(refused, "INVALID_FIELD");
        assert_eq!(error_metadata(refused), metadata([("field", "requests")]));
    }
    assert_eq!(full.into_inner().results.len(), 500);
}

#[tokio::test]
async fn an_unknown_view_is_an_invalid_argument_naming_the_field_alone_or_in_a_batch() {
    let mut app = spawn_app().await;
    let request = pb::DiagnoseRequest {
        reference: "TX-1".into(),
        view: 7,
        ..Default::default()
    };

    let status = app
        .diagnosis
        .diagnose(request.clone())
        .await
        .expect_err("unknown view");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(violated_fields(&status), ["view"]);

    let batch = app
        .diagnosis
        .batch_diagnose(pb::BatchDiagnoseRequest {
            requests: vec![request],
        })
        .await
        .expect("a bad item does not fail the batch")
        .into_inner();
    let Some(pb::batch_diagnose_result::Result::Error(error)) = &batch.results[0].result else {
        panic!("{:?}", batch.results[0]);
    };
    assert_eq!(error.code, Code::InvalidArgument as i32);
    let error = status_of(error);
    assert_eq!(violated_fields(&error), ["view"]);
    assert_reason(&error, "INVALID_FIELD");
    assert_eq!(error_metadata(&error), metadata([("field", "view")]));
}

#[tokio::test]
async fn an_unknown_freeze_reason_is_named_once_not_also_called_missing() {
    let mut app = spawn_app().await;
    let frozen = |reason: i32| pb::AccountStatus {
        account_id: "acct-1".into(),
        state: pb::AccountState::Frozen.into(),
        reason,
        effective_from: Some(timestamp(at(0))),
        ..Default::default()
    };
    for (reason, says) in [(77, "unknown enum value 77"), (0, "is required")] {
        let status = app
            .facts
            .put_account_status(pb::PutAccountStatusRequest {
                account_status: Some(frozen(reason)),
            })
            .await
            .expect_err("invalid reason");
        let found = violations(&status);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "account_status.reason");
        assert!(found[0].1.contains(says), "{found:?}");
    }
}

#[tokio::test]
async fn transaction_hashes_with_spaces_or_foreign_characters_name_their_field_and_store_nothing() {
    let mut app = spawn_app().await;
    for hash in ["0x 9f2c", "9f2c\u{200b}4e8b", "hash#1", &"a".repeat(129)] {
        let status = app
            .facts
            .put_transaction(pb::PutTransactionRequest {
                transaction: Some(pb::Transaction {
                    tx_hash: hash.into(),
                    ..transaction("TX-BAD-HASH")
                }),
            })
            .await
            .expect_err(hash);
        assert_eq!(status.code(), Code::InvalidArgument, "{hash:?}");
        assert_eq!(
            violated_fields(&status),
            ["transaction.tx_hash"],
            "{hash:?}"
        );
        let status = app
            .diagnosis
            .diagnose(pb::DiagnoseRequest {
                reference: "TX-BAD-HASH".into(),
                claim: Some(pb::Claim {
                    tx_hash: hash.into(),
                    ..Default::default()
                }),
                requester_account_id: " acct-1".into(),
                ..Default::default()
            })
            .await
            .expect_err(hash);
        let mut fields = violated_fields(&status);
        fields.sort();
        assert_eq!(
            fields,
            ["claim.tx_hash", "requester_account_id"],
            "{hash:?}"
        );
    }
    let nothing = app.diagnose_at("TX-BAD-HASH", at(0)).await;
    assert_eq!(nothing.cause(), pb::Cause::NotFound);
}

#[tokio::test]
async fn only_incoming_funds_may_be_recorded_as_not_credited() {
    let mut app = spawn_app().await;
    for kind in [
        pb::TransactionKind::Withdrawal,
        pb::TransactionKind::Transfer,
    ] {
        let outgoing = pb::Transaction {
            kind: kind.into(),
            status: pb::TransactionStatus::NotCredited.into(),
            ..transaction("TX-NOT-CREDITED")
        };
        let status = app
            .facts
            .put_transaction(pb::PutTransactionRequest {
                transaction: Some(outgoing),
            })
            .await
            .expect_err("funds going out are released, not credited");
        assert_eq!(status.code(), Code::InvalidArgument, "{kind:?}");
        assert_eq!(
            violations(&status),
            [(
                "transaction.status".to_owned(),
                "TRANSACTION_STATUS_NOT_CREDITED is only allowed for deposits and payments"
                    .to_owned()
            )],
            "{kind:?}"
        );
        assert_reason(&status, "INVALID_FIELD");
    }

    let deposit = pb::Transaction {
        kind: pb::TransactionKind::Deposit.into(),
        status: pb::TransactionStatus::NotCredited.into(),
        updated_at: Some(timestamp(at(1))),
        ..transaction("TX-NOT-CREDITED")
    };
    let stored = app.put_transaction(deposit).await;
    assert_eq!(stored.status(), pb::TransactionStatus::NotCredited);
}
