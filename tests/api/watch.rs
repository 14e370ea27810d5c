//! WatchDiagnosis over a real connection on SQLite, with the watches' clock set by the tests.

use crate::helpers::{
    TestApp, assert_reason, at, error_metadata, spawn_watching, spawn_watching_over, t0,
    transaction, violated_fields,
};
use crate::probed_store::{Outage, ProbedStore};
use chrono::{DateTime, Utc};
use paydiag::{
    api::fact_codec::timestamp, clock::ManualClock, pb::v1 as pb, store::sqlite::SqliteStore,
    watch::WatchOptions,
};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use tonic::{Code, Streaming};

/// Longest a test waits for the next message of a watch before failing.
const PATIENCE: Duration = Duration::from_secs(10);

async fn app_at(now: DateTime<Utc>) -> (TestApp, ManualClock) {
    app_with(now, WatchOptions::default()).await
}

async fn app_with(now: DateTime<Utc>, watches: WatchOptions) -> (TestApp, ManualClock) {
    let clock = ManualClock::new(now);
    (spawn_watching(watches, &clock).await, clock)
}

fn watching(reference: &str) -> pb::WatchDiagnosisRequest {
    pb::WatchDiagnosisRequest {
        reference: reference.into(),
        ..Default::default()
    }
}

async fn watch(app: &mut TestApp, request: pb::WatchDiagnosisRequest) -> Streaming<pb::Diagnosis> {
    app.diagnosis
        .watch_diagnosis(request)
        .await
        .expect("the watch starts")
        .into_inner()
}

/// The next message of `stream`: a diagnosis, `Ok(None)` when it ended with OK, or its error.
async fn next(
    stream: &mut Streaming<pb::Diagnosis>,
) -> Result<Option<pb::Diagnosis>, tonic::Status> {
    tokio::time::timeout(PATIENCE, stream.message())
        .await
        .expect("the watch answers in time")
}

async fn next_diagnosis(stream: &mut Streaming<pb::Diagnosis>) -> pb::Diagnosis {
    next(stream)
        .await
        .expect("no error")
        .expect("a diagnosis, not the end")
}

fn outcome(d: &pb::Diagnosis) -> (pb::Cause, pb::Action, Option<DateTime<Utc>>) {
    let step = d.next_step.clone().expect("a next step");
    let eta = step
        .expected_resolution_at
        .map(|t| DateTime::from_timestamp(t.seconds, 0).expect("a time"));
    (d.cause(), step.action(), eta)
}

fn completed(reference: &str, when: DateTime<Utc>) -> pb::Transaction {
    pb::Transaction {
        status: pb::TransactionStatus::Completed.into(),
        confirmations: 12,
        updated_at: Some(timestamp(when)),
        completed_at: Some(timestamp(when)),
        ..transaction(reference)
    }
}

/// A BTC withdrawal created at `t0` with none of its three confirmations (10 min each): expected
/// at t0 + 30 min.
fn unconfirmed_btc(reference: &str) -> pb::Transaction {
    pb::Transaction {
        network: "btc".into(),
        asset: "btc".into(),
        amount: "0.25".into(),
        destination: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq".into(),
        confirmations: 0,
        ..transaction(reference)
    }
}

#[tokio::test]
async fn a_watch_sends_the_diagnosis_at_once_then_the_completion_a_write_brings_and_ends() {
    let (mut app, _clock) = app_at(at(1)).await;
    app.put_transaction(transaction("W-DONE")).await;
    let mut stream = watch(&mut app, watching("W-DONE")).await;

    let first = next_diagnosis(&mut stream).await;
    let eta = t0() + chrono::TimeDelta::seconds(108);
    assert_eq!(
        outcome(&first),
        (pb::Cause::ConfirmationDelay, pb::Action::Wait, Some(eta))
    );
    assert_eq!(first.as_of, Some(timestamp(at(1))));

    // Written again unchanged: the watch looks again, finds the same outcome and sends nothing,
    // so the next message is the completion.
    app.put_transaction(transaction("W-DONE")).await;
    app.put_transaction(completed("W-DONE", at(1))).await;
    let done = next_diagnosis(&mut stream).await;
    assert_eq!(
        (done.cause(), done.next_step.expect("step").action()),
        (pb::Cause::NoIncident, pb::Action::None)
    );
    assert_eq!(
        next(&mut stream).await.expect("no error"),
        None,
        "ended with OK"
    );
}

#[tokio::test]
async fn a_watch_sees_a_maintenance_window_end_when_its_clock_reaches_the_end() {
    let (mut app, clock) = app_at(at(5)).await;
    let window = pb::MaintenanceWindow {
        id: "eth-upgrade".into(),
        network: "ETH".into(),
        r#type: pb::MaintenanceType::Scheduled.into(),
        starts_at: Some(timestamp(at(-10))),
        ends_at: Some(timestamp(at(30))),
        ..Default::default()
    };
    app.facts
        .put_maintenance_window(pb::PutMaintenanceWindowRequest {
            maintenance_window: Some(window),
        })
        .await
        .expect("window stored");
    app.put_transaction(transaction("W-MAINT")).await;
    let mut stream = watch(&mut app, watching("W-MAINT")).await;

    let held = next_diagnosis(&mut stream).await;
    assert_eq!(held.cause(), pb::Cause::Maintenance);
    let step = held.next_step.expect("step");
    assert_eq!(step.recheck_at, Some(timestamp(at(30))));

    clock.set(at(30));
    let resumed = next_diagnosis(&mut stream).await;
    assert_eq!(resumed.as_of, Some(timestamp(at(30))));
    // Waiting counts from the window's end: 12 confirmations at 12 s each, 9 still to come.
    assert_eq!(
        outcome(&resumed),
        (
            pb::Cause::ConfirmationDelay,
            pb::Action::Wait,
            Some(at(30) + chrono::TimeDelta::seconds(108))
        )
    );
}

#[tokio::test]
async fn a_watch_sees_an_announced_maintenance_window_begin_when_its_clock_reaches_the_start() {
    let (mut app, clock) = app_at(at(1)).await;
    let window = pb::MaintenanceWindow {
        id: "btc-upgrade".into(),
        network: "BTC".into(),
        r#type: pb::MaintenanceType::Scheduled.into(),
        starts_at: Some(timestamp(at(10))),
        ends_at: Some(timestamp(at(40))),
        ..Default::default()
    };
    app.facts
        .put_maintenance_window(pb::PutMaintenanceWindowRequest {
            maintenance_window: Some(window),
        })
        .await
        .expect("window stored");
    // Expected at t0 + 30 min, after the window begins.
    app.put_transaction(unconfirmed_btc("W-ANNOUNCED")).await;
    let mut stream = watch(&mut app, watching("W-ANNOUNCED")).await;
    let waiting = next_diagnosis(&mut stream).await;
    assert_eq!(
        outcome(&waiting),
        (pb::Cause::ConfirmationDelay, pb::Action::Wait, Some(at(30)))
    );

    clock.set(at(10));
    let held = next_diagnosis(&mut stream).await;
    assert_eq!(held.as_of, Some(timestamp(at(10))));
    assert_eq!(held.cause(), pb::Cause::Maintenance);
}

#[tokio::test]
async fn a_watch_sees_a_freeze_written_ahead_take_effect_when_its_clock_reaches_it() {
    let (mut app, clock) = app_at(at(1)).await;
    // Expected at t0 + 30 min, so nothing else turns at 10.
    app.put_transaction(unconfirmed_btc("W-FREEZE")).await;
    let mut stream = watch(&mut app, watching("W-FREEZE")).await;
    assert_eq!(
        outcome(&next_diagnosis(&mut stream).await),
        (pb::Cause::ConfirmationDelay, pb::Action::Wait, Some(at(30)))
    );

    // A compliance review announced now freezes the account from minute 10: written ahead, it
    // is not in force when the write wakes the watch, which has nothing new to send then.
    app.facts
        .put_account_status(pb::PutAccountStatusRequest {
            account_status: Some(pb::AccountStatus {
                account_id: transaction("x").account_id,
                state: pb::AccountState::Frozen.into(),
                reason: pb::FreezeReason::ComplianceReview.into(),
                effective_from: Some(timestamp(at(10))),
                note: "periodic review".into(),
                ..Default::default()
            }),
        })
        .await
        .expect("status stored");
    clock.set(at(10));
    let frozen = next_diagnosis(&mut stream).await;
    assert_eq!(frozen.as_of, Some(timestamp(at(10))));
    assert_eq!(frozen.cause(), pb::Cause::AccountFrozen);
}

#[tokio::test]
async fn a_delay_that_overruns_its_expected_time_turns_into_a_stall_when_the_clock_gets_there() {
    let (mut app, clock) = app_at(at(1)).await;
    app.put_transaction(transaction("W-STALL")).await;
    let mut stream = watch(&mut app, watching("W-STALL")).await;
    assert_eq!(
        next_diagnosis(&mut stream).await.cause(),
        pb::Cause::ConfirmationDelay
    );

    clock.set(at(24 * 60));
    let stalled = next_diagnosis(&mut stream).await;
    assert_eq!(
        (stalled.cause(), stalled.next_step.expect("step").action()),
        (pb::Cause::ConfirmationStalled, pb::Action::Escalate)
    );
}

/// A server over a probed SQLite store with its watches' clock at `at(1)`, and a watch of a
/// pending deposit `reference` that has sent its first diagnosis (a confirmation delay).
async fn watching_a_delay_over_a_probed_store(
    reference: &str,
) -> (
    TestApp,
    Arc<ProbedStore>,
    ManualClock,
    Streaming<pb::Diagnosis>,
) {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let sqlite = SqliteStore::open(&dir.path().join("paydiag.db"), 2)
        .await
        .expect("open store");
    let store = Arc::new(ProbedStore::new(sqlite));
    let clock = ManualClock::new(at(1));
    let mut app = spawn_watching_over(store.clone(), dir, WatchOptions::default(), &clock).await;
    app.put_transaction(transaction(reference)).await;
    let mut stream = watch(&mut app, watching(reference)).await;
    assert_eq!(
        next_diagnosis(&mut stream).await.cause(),
        pb::Cause::ConfirmationDelay
    );
    (app, store, clock, stream)
}

/// A watch over a store whose reads fail as `outage` from the moment its delay overruns: it
/// tries again 250 ms, then 500 ms after the first failure (never at once, for the moment that
/// woke it), and sends the stall once the store answers again.
async fn a_watch_backs_off_while_the_store_fails(outage: Outage) {
    let (_app, store, clock, mut stream) = watching_a_delay_over_a_probed_store("W-AWAY").await;
    let mut lookups = store.watch_lookups();
    let before = store.lookups();

    store.set_outage(outage);
    // Before the first failure: the time to the third try is at least the two waits between.
    let outage_began = Instant::now();
    clock.set(at(24 * 60));
    tried(&mut lookups, before + 1).await;
    tried(&mut lookups, before + 3).await;
    let waited = outage_began.elapsed();
    assert!(
        waited >= Duration::from_millis(750),
        "two retries 250 ms and 500 ms apart, not {waited:?}"
    );

    store.set_outage(Outage::None);
    let stalled = next_diagnosis(&mut stream).await;
    assert_eq!(stalled.cause(), pb::Cause::ConfirmationStalled);
}

/// Waits until `count` lookups were tried.
async fn tried(lookups: &mut tokio::sync::watch::Receiver<usize>, count: usize) {
    tokio::time::timeout(PATIENCE, lookups.wait_for(|seen| *seen >= count))
        .await
        .expect("the watch tries again in time")
        .expect("the store is alive");
}

#[tokio::test]
async fn a_watch_whose_facts_cannot_be_read_tries_again_ever_later_and_resumes() {
    a_watch_backs_off_while_the_store_fails(Outage::Facts).await;
}

#[tokio::test]
async fn a_watch_whose_look_ahead_cannot_be_read_tries_again_ever_later_and_resumes() {
    a_watch_backs_off_while_the_store_fails(Outage::LookAhead).await;
}

#[tokio::test]
async fn an_unknown_reference_is_watched_for_the_grace_and_a_transaction_appearing_in_it_is_sent() {
    let grace = WatchOptions {
        not_found_grace: Duration::from_secs(600),
        ..WatchOptions::default()
    };
    let (mut app, clock) = app_with(t0(), grace).await;
    let mut late = watch(&mut app, watching("W-LATE")).await;
    let mut never = watch(&mut app, watching("W-NEVER")).await;
    assert_eq!(next_diagnosis(&mut late).await.cause(), pb::Cause::NotFound);
    assert_eq!(
        next_diagnosis(&mut never).await.cause(),
        pb::Cause::NotFound
    );

    clock.set(at(5));
    app.put_transaction(pb::Transaction {
        created_at: Some(timestamp(at(5))),
        ..transaction("W-LATE")
    })
    .await;
    let found = next_diagnosis(&mut late).await;
    assert_eq!(found.cause(), pb::Cause::ConfirmationDelay);
    assert_eq!(found.matched_by(), pb::MatchKind::Reference);

    clock.set(at(10));
    assert_eq!(
        next(&mut never).await.expect("no error"),
        None,
        "still unknown after the grace: ended with OK"
    );
}

#[tokio::test]
async fn watches_beyond_the_callers_share_are_refused_with_the_limit_named() {
    let limits = WatchOptions {
        per_replica: 10,
        per_caller: 2,
        ..WatchOptions::default()
    };
    let (mut app, _clock) = app_with(t0(), limits).await;
    let _first = watch(&mut app, watching("W-1")).await;
    let _second = watch(&mut app, watching("W-2")).await;

    let refused = app
        .diagnosis
        .watch_diagnosis(watching("W-3"))
        .await
        .expect_err("over the caller's share");

    assert_refused_over(&refused, "watches_per_caller", "2");
}

#[tokio::test]
async fn watches_beyond_the_replicas_limit_are_refused_with_the_limit_named() {
    let limits = WatchOptions {
        per_replica: 1,
        per_caller: 10,
        ..WatchOptions::default()
    };
    let (mut app, _clock) = app_with(t0(), limits).await;
    let _first = watch(&mut app, watching("W-1")).await;

    let refused = app
        .diagnosis
        .watch_diagnosis(watching("W-2"))
        .await
        .expect_err("over the replica's limit");

    assert_refused_over(&refused, "watches_per_replica", "1");
}

/// `refused` is a watch limit's refusal: RESOURCE_EXHAUSTED, reason WATCH_LIMIT, the limit in
/// its metadata and its subject in the QuotaFailure.
fn assert_refused_over(refused: &tonic::Status, subject: &str, limit: &str) {
    assert_eq!(refused.code(), Code::ResourceExhausted);
    assert_reason(refused, "WATCH_LIMIT");
    assert_eq!(
        error_metadata(refused).get("limit").map(String::as_str),
        Some(limit)
    );
    assert_eq!(quota_subjects(refused), [subject]);
}

fn quota_subjects(status: &tonic::Status) -> Vec<String> {
    use tonic_types::StatusExt;
    status
        .get_details_quota_failure()
        .expect("a QuotaFailure")
        .violations
        .into_iter()
        .map(|v| v.subject)
        .collect()
}

#[tokio::test]
async fn a_watch_ends_with_unavailable_when_the_server_shuts_down() {
    let (mut app, _clock) = app_at(at(1)).await;
    app.put_transaction(transaction("W-SHUT")).await;
    let mut stream = watch(&mut app, watching("W-SHUT")).await;
    assert_eq!(
        next_diagnosis(&mut stream).await.cause(),
        pb::Cause::ConfirmationDelay
    );

    app.begin_shutdown();
    let ended = next(&mut stream).await.expect_err("cut off");

    assert_eq!(ended.code(), Code::Unavailable);
    assert_reason(&ended, "SHUTTING_DOWN");
}

#[tokio::test]
async fn a_watch_waiting_on_a_store_that_does_not_answer_ends_at_once_on_shutdown() {
    let (mut app, store, clock, mut stream) = watching_a_delay_over_a_probed_store("W-HUNG").await;
    let mut hung = store.watch_hung();

    store.set_outage(Outage::FactsHang);
    // The overrun wakes the watch, which then waits on the store for good.
    clock.set(at(24 * 60));
    tokio::time::timeout(PATIENCE, hung.wait_for(|n| *n >= 1))
        .await
        .expect("the watch looks again at the overrun")
        .expect("the store is alive");
    app.begin_shutdown();
    let ended = next(&mut stream).await.expect_err("cut off");

    assert_eq!(ended.code(), Code::Unavailable);
    assert_reason(&ended, "SHUTTING_DOWN");
}

#[tokio::test]
async fn a_bad_watch_request_is_refused_naming_the_field() {
    let (mut app, _clock) = app_at(t0()).await;
    let refused = app
        .diagnosis
        .watch_diagnosis(pb::WatchDiagnosisRequest {
            reference: " ".into(),
            time_zone: "Mars/Olympus".into(),
            ..Default::default()
        })
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert_reason(&refused, "INVALID_FIELD");
    assert_eq!(violated_fields(&refused), ["reference", "time_zone"]);
}

#[tokio::test]
async fn each_diagnosis_a_watch_for_a_ticket_sends_is_recorded() {
    let (mut app, _clock) = app_at(at(1)).await;
    app.put_transaction(transaction("W-REC")).await;
    let mut stream = watch(
        &mut app,
        pb::WatchDiagnosisRequest {
            ticket_id: "T-WATCH".into(),
            ..watching("W-REC")
        },
    )
    .await;
    next_diagnosis(&mut stream).await;
    app.put_transaction(completed("W-REC", at(1))).await;
    next_diagnosis(&mut stream).await;
    app.recorder.written(2).await;

    let listed = app
        .diagnosis
        .list_diagnosis_records(pb::ListDiagnosisRecordsRequest {
            ticket_id: "T-WATCH".into(),
            ..Default::default()
        })
        .await
        .expect("listed")
        .into_inner();
    let recorded: Vec<(pb::Cause, pb::RecordSource)> = listed
        .records
        .iter()
        .map(|r| (r.cause(), r.source()))
        .collect();
    assert_eq!(
        recorded,
        [
            (pb::Cause::NoIncident, pb::RecordSource::WatchDiagnosis),
            (
                pb::Cause::ConfirmationDelay,
                pb::RecordSource::WatchDiagnosis
            ),
        ]
    );
}
