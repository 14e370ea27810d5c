use crate::helpers::{
    assert_reason, at, error_metadata, metadata, spawn_app, t0, transaction, violated_fields,
};
use paydiag::{api::fact_codec::timestamp, pb::v1 as pb};
use tonic::Code;

fn window(id: &str, network: &str) -> pb::MaintenanceWindow {
    pb::MaintenanceWindow {
        id: id.into(),
        network: network.into(),
        r#type: pb::MaintenanceType::Scheduled.into(),
        starts_at: Some(timestamp(at(-30))),
        ends_at: Some(timestamp(at(30))),
        backlog_drain: Some(prost_types::Duration {
            seconds: 600,
            nanos: 0,
        }),
        title: "ETH client upgrade".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn put_transaction_returns_the_transaction_as_stored_with_codes_upper_cased() {
    let mut app = spawn_app().await;

    let stored = app.put_transaction(transaction("TX-1")).await;

    assert_eq!(stored.network, "ETH");
    assert_eq!(stored.asset, "USDT");
    assert_eq!(stored.amount, "100.50", "the amount keeps its scale");
    assert_eq!(stored.created_at, Some(timestamp(t0())));
}

#[tokio::test]
async fn putting_a_transaction_again_replaces_it_by_reference() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("TX-2")).await;
    app.put_transaction(pb::Transaction {
        status: pb::TransactionStatus::Failed.into(),
        failure_reason: pb::FailureReason::LimitExceeded.into(),
        ..transaction("TX-2")
    })
    .await;

    let d = app.diagnose_at("TX-2", at(1)).await;

    assert_eq!(d.cause(), pb::Cause::Rejected);
    assert_eq!(
        d.next_step.expect("step").action(),
        pb::Action::CorrectAndRetry
    );
}

#[tokio::test]
async fn a_maintenance_window_holds_a_transaction_until_its_backlog_drains_and_can_be_deleted() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("TX-3")).await;
    let stored = app
        .facts
        .put_maintenance_window(pb::PutMaintenanceWindowRequest {
            maintenance_window: Some(window("eth-1", "eth")),
        })
        .await
        .expect("put window")
        .into_inner();
    assert_eq!(stored.network, "ETH");

    let held = app.diagnose_at("TX-3", at(35)).await;
    app.facts
        .delete_maintenance_window(pb::DeleteMaintenanceWindowRequest { id: "eth-1".into() })
        .await
        .expect("delete");
    let after_delete = app.diagnose_at("TX-3", at(35)).await;

    assert_eq!(held.cause(), pb::Cause::Maintenance);
    assert_eq!(
        held.next_step.expect("step").expected_resolution_at,
        Some(timestamp(at(40)))
    );
    // Without the window, nothing explains the wait at minute 35: it has stalled.
    assert_eq!(after_delete.cause(), pb::Cause::ConfirmationStalled);
}

#[tokio::test]
async fn deleting_an_unknown_window_is_not_found() {
    let mut app = spawn_app().await;

    let status = app
        .facts
        .delete_maintenance_window(pb::DeleteMaintenanceWindowRequest { id: "nope".into() })
        .await
        .expect_err("unknown window");

    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "no maintenance window has id \"nope\"");
    assert_reason(&status, "MAINTENANCE_WINDOW_NOT_FOUND");
    assert_eq!(error_metadata(&status), metadata([("id", "nope")]));
}

#[tokio::test]
async fn a_network_condition_slows_the_expected_confirmation_time() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("TX-4")).await;
    let condition = pb::NetworkCondition {
        network: "ETH".into(),
        congestion_factor: 2.0,
        observed_at: Some(timestamp(at(-5))),
    };
    app.facts
        .put_network_condition(pb::PutNetworkConditionRequest {
            network_condition: Some(condition),
        })
        .await
        .expect("put condition");

    let d = app.diagnose_at("TX-4", at(1)).await;

    // 9 remaining confirmations × 12 s × 2.0 congestion.
    let expected = t0() + chrono::TimeDelta::seconds(216);
    assert_eq!(
        d.next_step.expect("step").expected_resolution_at,
        Some(timestamp(expected))
    );
}

#[tokio::test]
async fn import_stores_valid_items_and_lists_each_rejected_one_by_index() {
    let mut app = spawn_app().await;
    use pb::import_facts_request::Fact;
    let items = vec![
        Fact::Transaction(transaction("IMP-1")),
        Fact::Transaction(pb::Transaction {
            amount: "12,5".into(),
            ..transaction("IMP-BAD")
        }),
        Fact::MaintenanceWindow(window("w-1", "*")),
        Fact::NetworkCondition(pb::NetworkCondition {
            network: "ETH".into(),
            congestion_factor: 0.5,
            observed_at: Some(timestamp(t0())),
        }),
        Fact::Transaction(transaction("IMP-2")),
    ];
    let mut requests: Vec<pb::ImportFactsRequest> = items
        .into_iter()
        .map(|fact| pb::ImportFactsRequest { fact: Some(fact) })
        .collect();
    requests.push(pb::ImportFactsRequest { fact: None });

    let response = app
        .facts
        .import_facts(tokio_stream::iter(requests))
        .await
        .expect("import")
        .into_inner();

    assert_eq!(response.transactions_stored, 2);
    assert_eq!(response.maintenance_windows_stored, 1);
    assert_eq!(response.network_conditions_stored, 0);
    assert_eq!(response.rejected_count, 3);
    let rejected: Vec<(u64, &str)> = response
        .rejected
        .iter()
        .map(|r| (r.index, r.field.as_str()))
        .collect();
    assert_eq!(
        rejected,
        [
            (1, "transaction.amount"),
            (3, "network_condition.congestion_factor"),
            (5, "fact")
        ]
    );
    assert_eq!(
        app.diagnose_at("IMP-2", at(1)).await.cause(),
        pb::Cause::Maintenance
    );
    assert_eq!(
        app.diagnose_at("IMP-BAD", at(1)).await.cause(),
        pb::Cause::NotFound
    );
}

#[tokio::test]
async fn an_invalid_fact_is_rejected_whole_and_nothing_of_it_is_stored() {
    let mut app = spawn_app().await;

    let status = app
        .facts
        .put_transaction(pb::PutTransactionRequest {
            transaction: Some(pb::Transaction {
                amount: "-5".into(),
                ..transaction("TX-NEG")
            }),
        })
        .await
        .expect_err("negative amount");

    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(violated_fields(&status), ["transaction.amount"]);
    assert_reason(&status, "INVALID_FIELD");
    assert_eq!(
        app.diagnose_at("TX-NEG", at(1)).await.cause(),
        pb::Cause::NotFound
    );
}
