//! WatchDiagnosis on PostgreSQL over real gRPC: a write through one replica reaches the watches
//! of another through LISTEN/NOTIFY, and a watch outlives the database going away.

use super::{
    ACQUIRE_TIMEOUT, Mode, OPERATION_TIMEOUT, Proxy, TestApp, TestSchema, spawn_on, stop, upstream,
};
use crate::helpers::transaction;
use chrono::{DateTime, TimeDelta, Utc};
use paydiag::{api::fact_codec::timestamp, pb::v1 as pb};
use std::time::Duration;
use tonic::Streaming;
use tonic_health::pb::health_check_response::ServingStatus;

/// Longest a test waits for the next message of a watch: the listener reconnects within
/// seconds of the database coming back.
const PATIENCE: Duration = Duration::from_secs(15);

/// A confirming ETH withdrawal made `ago` before now: a delay, 108 s from its creation.
fn confirming(reference: &str, created: DateTime<Utc>) -> pb::Transaction {
    pb::Transaction {
        created_at: Some(timestamp(created)),
        ..transaction(reference)
    }
}

fn completed(reference: &str, created: DateTime<Utc>) -> pb::Transaction {
    let now = Utc::now();
    pb::Transaction {
        status: pb::TransactionStatus::Completed.into(),
        confirmations: 12,
        updated_at: Some(timestamp(now)),
        completed_at: Some(timestamp(now)),
        ..confirming(reference, created)
    }
}

async fn watch(app: &mut TestApp, reference: &str) -> Streaming<pb::Diagnosis> {
    app.diagnosis
        .watch_diagnosis(pb::WatchDiagnosisRequest {
            reference: reference.into(),
            ..Default::default()
        })
        .await
        .expect("the watch starts")
        .into_inner()
}

async fn next_cause(stream: &mut Streaming<pb::Diagnosis>) -> Option<pb::Cause> {
    tokio::time::timeout(PATIENCE, stream.message())
        .await
        .expect("the watch answers in time")
        .expect("no error")
        .map(|d| d.cause())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn a_watch_on_one_replica_sees_a_confirmation_written_through_another() {
    let schema = TestSchema::create().await;
    let generous = Duration::from_secs(10);
    let mut a = spawn_on(schema.url(), generous, generous).await;
    let mut b = spawn_on(schema.url(), generous, generous).await;
    let created = Utc::now() - TimeDelta::seconds(30);
    a.put_transaction(confirming("W-PG", created)).await;
    let mut stream = watch(&mut b, "W-PG").await;
    assert_eq!(
        next_cause(&mut stream).await,
        Some(pb::Cause::ConfirmationDelay)
    );

    a.put_transaction(completed("W-PG", created)).await;

    assert_eq!(next_cause(&mut stream).await, Some(pb::Cause::NoIncident));
    assert_eq!(next_cause(&mut stream).await, None, "ended with OK");
    stop(a).await;
    stop(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn a_watch_outlives_the_database_going_away_and_sees_what_changed_meanwhile() {
    let schema = TestSchema::create().await;
    let proxy = Proxy::start(upstream()).await;
    let mut cut_off = spawn_on(
        schema.url_via(proxy.addr()),
        ACQUIRE_TIMEOUT,
        OPERATION_TIMEOUT,
    )
    .await;
    let generous = Duration::from_secs(10);
    let mut writer = spawn_on(schema.url(), generous, generous).await;
    let created = Utc::now() - TimeDelta::seconds(30);
    writer.put_transaction(confirming("W-AWAY", created)).await;
    let mut stream = watch(&mut cut_off, "W-AWAY").await;
    assert_eq!(
        next_cause(&mut stream).await,
        Some(pb::Cause::ConfirmationDelay)
    );

    proxy.set(Mode::Refuse);
    // Its health probe failing shows the database out of its reach, the listener's connection
    // cut with the others: what is written now, it cannot hear of.
    cut_off
        .wait_for_health_of("", ServingStatus::NotServing, PATIENCE)
        .await;
    writer.put_transaction(completed("W-AWAY", created)).await;
    proxy.set(Mode::Forward);

    assert_eq!(next_cause(&mut stream).await, Some(pb::Cause::NoIncident));
    assert_eq!(next_cause(&mut stream).await, None, "ended with OK");
    stop(writer).await;
    stop(cut_off).await;
}
