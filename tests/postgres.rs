//! paydiag on PostgreSQL over real gRPC: replicas sharing one database, the database going away
//! and coming back, and imports cut off part-way.
//!
//! Each test works in a schema of its own (see `postgres/schema.rs`). Tests that take the
//! database away do it with a proxy of their own between the store and PostgreSQL
//! (`postgres/proxy.rs`); the shared server is never touched.

#[path = "api/causes.rs"]
mod causes;
#[path = "api/corpus.rs"]
mod corpus;
#[path = "api/helpers.rs"]
mod helpers;
#[path = "api/lookup_checks.rs"]
mod lookup_checks;
#[path = "postgres/proxy.rs"]
mod proxy;
#[path = "postgres/records.rs"]
mod records;
#[path = "postgres/schema.rs"]
mod schema;
#[path = "postgres/watch.rs"]
mod watch;

use helpers::{TestApp, assert_reason, at, spawn_with_store, transaction};
use paydiag::{
    api::fact_codec::timestamp,
    pb::v1::{self as pb, import_facts_request::Fact},
    store::StoreConfig,
};
use proxy::{Mode, Proxy};
use schema::{TestSchema, upstream};
use std::{
    future::Future,
    time::{Duration, Instant},
};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Request, Response, Status};
use tonic_health::pb::{HealthCheckRequest, health_check_response::ServingStatus};
use tonic_types::StatusExt as _;

/// The deadline callers give each call while the database is away.
const CALLER_DEADLINE: Duration = Duration::from_secs(3);
/// "Well within" the deadline: a call that takes longer is as good as hung to its caller.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);
/// The store's timeouts when the database may go away: short, so outages show fast.
const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(500);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(1);
/// Facts an import stores per store transaction.
const IMPORT_BATCH: i64 = paydiag::api::IMPORT_BATCH as i64;

/// Starts a real server whose store is the PostgreSQL database at `url`, opened as `serve` does.
async fn spawn_on(url: String, acquire_timeout: Duration, operation_timeout: Duration) -> TestApp {
    let config = StoreConfig {
        db: url,
        pool_size: 4,
        acquire_timeout,
        operation_timeout,
    };
    let store = paydiag::store::open(&config)
        .await
        .expect("opening the PostgreSQL store");
    spawn_with_store(store, tempfile::TempDir::new().expect("temp dir")).await
}

/// Stops `app` and checks that the server was still running and ends cleanly.
async fn stop(mut app: TestApp) {
    tokio::time::timeout(Duration::from_secs(10), app.stop())
        .await
        .expect("the server stops within its drain grace");
}

/// Runs `call` as a caller with [`CALLER_DEADLINE`] would, and says how long it took. A call
/// still running well past the deadline fails the test: the caller would have given up.
async fn timed<T>(
    call: impl Future<Output = Result<Response<T>, Status>>,
) -> (Result<T, Status>, Duration) {
    let started = Instant::now();
    let result = tokio::time::timeout(CALLER_DEADLINE + Duration::from_secs(2), call)
        .await
        .unwrap_or_else(|_| panic!("a call hung past its {CALLER_DEADLINE:?} deadline"));
    (result.map(Response::into_inner), started.elapsed())
}

fn with_deadline<T>(message: T) -> Request<T> {
    let mut request = Request::new(message);
    request.set_timeout(CALLER_DEADLINE);
    request
}

fn diagnose_request(reference: &str) -> Request<pb::DiagnoseRequest> {
    with_deadline(pb::DiagnoseRequest {
        reference: reference.into(),
        as_of: Some(timestamp(at(1))),
        ..Default::default()
    })
}

fn put_request(reference: &str) -> Request<pb::PutTransactionRequest> {
    with_deadline(pb::PutTransactionRequest {
        transaction: Some(transaction(reference)),
    })
}

/// The server's overall health, as a load balancer would ask for it.
async fn health(app: &mut TestApp) -> ServingStatus {
    let request = with_deadline(HealthCheckRequest {
        service: String::new(),
    });
    let (response, _) = timed(app.health.check(request)).await;
    response
        .expect("health answers whatever the store")
        .status()
}

/// Polls health every 20 ms until it is `wanted`; how long that took, or a failure after `limit`.
async fn wait_for_health(app: &mut TestApp, wanted: ServingStatus, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let status = health(app).await;
        if status == wanted {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "health still {status:?}, not {wanted:?}, after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Checks a call failed as a store outage must: UNAVAILABLE, telling the caller when to retry.
#[track_caller]
fn assert_unavailable_with_retry_info(status: &Status, call: &str) {
    assert_eq!(status.code(), Code::Unavailable, "{call}: {status:?}");
    let retry = status
        .get_details_retry_info()
        .unwrap_or_else(|| panic!("{call}: no google.rpc.RetryInfo in {status:?}"));
    assert!(
        retry.retry_delay.is_some_and(|d| d > Duration::ZERO),
        "{call}: {retry:?}"
    );
    assert_reason(status, "STORE_UNAVAILABLE");
}

async fn import(app: &mut TestApp, facts: Vec<Fact>) -> pb::ImportFactsResponse {
    let requests = facts
        .into_iter()
        .map(|fact| pb::ImportFactsRequest { fact: Some(fact) });
    app.facts
        .import_facts(tokio_stream::iter(requests))
        .await
        .expect("import")
        .into_inner()
}

// ---------------------------------------------------------------------------------------------
// Replicas sharing one database.
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn a_write_through_one_replica_shows_in_the_next_diagnosis_on_another() {
    let schema = TestSchema::create().await;
    let timeout = Duration::from_secs(10);
    let mut a = spawn_on(schema.url(), timeout, timeout).await;
    let mut b = spawn_on(schema.url(), timeout, timeout).await;
    let reference = "TX-SHARED";
    let cause_on = |app: &mut TestApp| {
        let mut diagnosis = app.diagnosis.clone();
        async move {
            let request = diagnose_request(reference);
            let d = diagnosis.diagnose(request).await.expect("diagnose");
            d.into_inner().cause()
        }
    };
    // Diagnosed before every write, so that a replica caching anything would answer stale.
    assert_eq!(cause_on(&mut b).await, pb::Cause::NotFound);

    a.put_transaction(transaction(reference)).await;
    assert_eq!(cause_on(&mut b).await, pb::Cause::ConfirmationDelay);

    for (state, reason, from, expected) in [
        (
            pb::AccountState::Frozen,
            pb::FreezeReason::AbnormalLogin,
            -5,
            pb::Cause::AccountFrozen,
        ),
        (
            pb::AccountState::Active,
            pb::FreezeReason::Unspecified,
            -1,
            pb::Cause::ConfirmationDelay,
        ),
    ] {
        let status = pb::AccountStatus {
            account_id: "acct-0000012345".into(),
            state: state.into(),
            reason: reason.into(),
            effective_from: Some(timestamp(at(from))),
            ..Default::default()
        };
        a.facts
            .put_account_status(pb::PutAccountStatusRequest {
                account_status: Some(status),
            })
            .await
            .expect("put account status");
        assert_eq!(cause_on(&mut b).await, expected, "after {state:?}");
    }

    let window = pb::MaintenanceWindow {
        id: "eth-upgrade".into(),
        network: "ETH".into(),
        r#type: pb::MaintenanceType::Scheduled.into(),
        starts_at: Some(timestamp(at(-30))),
        ends_at: Some(timestamp(at(30))),
        title: "ETH client upgrade".into(),
        ..Default::default()
    };
    a.facts
        .put_maintenance_window(pb::PutMaintenanceWindowRequest {
            maintenance_window: Some(window),
        })
        .await
        .expect("put window");
    assert_eq!(cause_on(&mut b).await, pb::Cause::Maintenance);

    a.facts
        .delete_maintenance_window(pb::DeleteMaintenanceWindowRequest {
            id: "eth-upgrade".into(),
        })
        .await
        .expect("delete window");
    assert_eq!(cause_on(&mut b).await, pb::Cause::ConfirmationDelay);

    let rejected = pb::Transaction {
        status: pb::TransactionStatus::Failed.into(),
        failure_reason: pb::FailureReason::LimitExceeded.into(),
        ..transaction(reference)
    };
    let imported = import(&mut a, vec![Fact::Transaction(rejected)]).await;
    assert_eq!(imported.transactions_stored, 1);
    assert_eq!(cause_on(&mut b).await, pb::Cause::Rejected);

    // And the other way round.
    b.put_transaction(pb::Transaction {
        status: pb::TransactionStatus::Completed.into(),
        completed_at: Some(timestamp(at(0))),
        ..transaction(reference)
    })
    .await;
    assert_eq!(cause_on(&mut a).await, pb::Cause::NoIncident);

    stop(a).await;
    stop(b).await;
}

// ---------------------------------------------------------------------------------------------
// The database going away and coming back.
// ---------------------------------------------------------------------------------------------

/// A server on a schema of its own, reaching PostgreSQL through a proxy of its own, with the
/// short timeouts and the transaction `TX-BEFORE` stored.
async fn spawn_behind_proxy() -> (TestSchema, Proxy, TestApp) {
    let schema = TestSchema::create().await;
    let proxy = Proxy::start(upstream()).await;
    let mut app = spawn_on(
        schema.url_via(proxy.addr()),
        ACQUIRE_TIMEOUT,
        OPERATION_TIMEOUT,
    )
    .await;
    let (put, _) = timed(app.facts.put_transaction(put_request("TX-BEFORE"))).await;
    put.expect("put TX-BEFORE");
    (schema, proxy, app)
}

/// Takes the database away from a running server in `outage`, checks every call fails fast
/// and retryably and health follows, then gives it back and checks the server recovers by itself.
async fn the_server_rides_out_an_outage(outage: Mode) {
    let (_schema, proxy, mut app) = spawn_behind_proxy().await;
    let (d, _) = timed(app.diagnosis.diagnose(diagnose_request("TX-BEFORE"))).await;
    assert_eq!(
        d.expect("diagnose before the outage").cause(),
        pb::Cause::ConfirmationDelay
    );
    assert_eq!(health(&mut app).await, ServingStatus::Serving);

    proxy.set(outage);
    // Probed every 100 ms, each probe given 500 ms: a hung database shows within ~600 ms.
    let noticed =
        wait_for_health(&mut app, ServingStatus::NotServing, Duration::from_secs(2)).await;
    eprintln!("{outage:?}: NOT_SERVING after {noticed:?}");
    for round in 0..3 {
        let (d, took) = timed(app.diagnosis.diagnose(diagnose_request("TX-BEFORE"))).await;
        let status = d.expect_err("diagnose without a database");
        assert_unavailable_with_retry_info(&status, "Diagnose");
        assert!(
            took < ANSWER_WITHIN,
            "Diagnose took {took:?} (round {round})"
        );
        let (put, took) = timed(app.facts.put_transaction(put_request("TX-DURING"))).await;
        let status = put.expect_err("put without a database");
        assert_unavailable_with_retry_info(&status, "PutTransaction");
        assert!(
            took < ANSWER_WITHIN,
            "PutTransaction took {took:?} (round {round})"
        );
        eprintln!("{outage:?}: round {round}: PutTransaction answered in {took:?}");
    }
    // More calls at once than the pool has connections: none waits past its deadline either.
    let burst = (0..16).map(|_| {
        let mut diagnosis = app.diagnosis.clone();
        async move { timed(diagnosis.diagnose(diagnose_request("TX-BEFORE"))).await }
    });
    for (d, took) in futures_util::future::join_all(burst).await {
        let status = d.expect_err("diagnose without a database");
        assert_unavailable_with_retry_info(&status, "Diagnose (burst)");
        assert!(took < ANSWER_WITHIN, "Diagnose took {took:?} in a burst");
    }
    assert_eq!(health(&mut app).await, ServingStatus::NotServing);

    proxy.set(Mode::Forward);
    let started = Instant::now();
    loop {
        let (d, _) = timed(app.diagnosis.diagnose(diagnose_request("TX-BEFORE"))).await;
        let (put, _) = timed(app.facts.put_transaction(put_request("TX-AFTER"))).await;
        if d.is_ok() && put.is_ok() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "not recovered 10 s after the database came back: {d:?} {put:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("{outage:?}: calls recovered after {:?}", started.elapsed());
    wait_for_health(&mut app, ServingStatus::Serving, Duration::from_secs(10)).await;

    // Fully working again, and nothing the failed calls sent was applied.
    for i in 0..20 {
        let reference = format!("TX-AFTER-{i}");
        let (put, _) = timed(app.facts.put_transaction(put_request(&reference))).await;
        put.expect("put after recovery");
        let (d, _) = timed(app.diagnosis.diagnose(diagnose_request(&reference))).await;
        assert_eq!(d.expect("diagnose").cause(), pb::Cause::ConfirmationDelay);
    }
    let (d, _) = timed(app.diagnosis.diagnose(diagnose_request("TX-DURING"))).await;
    assert_eq!(d.expect("diagnose").cause(), pb::Cause::NotFound);
    stop(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn a_database_refusing_connections_makes_calls_unavailable_until_it_is_back() {
    the_server_rides_out_an_outage(Mode::Refuse).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn a_database_that_stops_answering_makes_calls_unavailable_not_hang_until_it_is_back() {
    the_server_rides_out_an_outage(Mode::Blackhole).await;
}

/// A call made while connections hang: answered well within the caller's deadline, either as
/// asked (the answer) or UNAVAILABLE with retry info (`None`).
#[track_caller]
fn answered_or_unavailable<T>(
    (result, took): (Result<T, Status>, Duration),
    call: &str,
) -> Option<T> {
    assert!(took < ANSWER_WITHIN, "{call} took {took:?}");
    result
        .map_err(|status| assert_unavailable_with_retry_info(&status, call))
        .ok()
}

/// Checks that the last six of a run of calls succeeded: whatever failed came first.
#[track_caller]
fn assert_recovered(outcomes: &[bool], what: &str) {
    assert!(
        outcomes.iter().rev().take(6).all(|ok| *ok),
        "{what} did not recover: {outcomes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn diagnoses_move_off_a_shared_connection_that_stopped_answering() {
    let (_schema, proxy, mut app) = spawn_behind_proxy().await;
    let diagnose = |app: &mut TestApp| {
        let mut diagnosis = app.diagnosis.clone();
        async move { timed(diagnosis.diagnose(diagnose_request("TX-BEFORE"))).await }
    };
    // Every shared connection opened and in use.
    for _ in 0..8 {
        let (d, _) = diagnose(&mut app).await;
        assert_eq!(d.expect("diagnose").cause(), pb::Cause::ConfirmationDelay);
    }

    // The connections open now hang for good; new ones reach the database.
    proxy.stall_open_connections();
    let mut outcomes = Vec::new();
    for _ in 0..12 {
        let call = "Diagnose on a stalled connection";
        let answer = answered_or_unavailable(diagnose(&mut app).await, call);
        if let Some(d) = &answer {
            assert_eq!(d.cause(), pb::Cause::ConfirmationDelay);
        }
        outcomes.push(answer.is_some());
    }
    // Each stalled connection costs the call that found it stalled, and is not used again.
    assert_recovered(&outcomes, "diagnoses");
    stop(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn writes_move_off_pooled_connections_that_stopped_answering() {
    let (_schema, proxy, mut app) = spawn_behind_proxy().await;
    // Pooled connections opened and in use: writes, and health's probe.
    for i in 0..4 {
        let (put, _) = timed(app.facts.put_transaction(put_request(&format!("TX-{i}")))).await;
        put.expect("put before the stall");
    }

    proxy.stall_open_connections();
    let mut outcomes = Vec::new();
    for i in 0..12 {
        let request = put_request(&format!("TX-AFTER-{i}"));
        let put = timed(app.facts.put_transaction(request)).await;
        outcomes.push(answered_or_unavailable(put, "PutTransaction, stalled").is_some());
    }
    assert_recovered(&outcomes, "writes");
    let (d, _) = timed(app.diagnosis.diagnose(diagnose_request("TX-AFTER-11"))).await;
    assert_eq!(d.expect("diagnose").cause(), pb::Cause::ConfirmationDelay);
    wait_for_health(&mut app, ServingStatus::Serving, Duration::from_secs(5)).await;
    stop(app).await;
}

// ---------------------------------------------------------------------------------------------
// Imports cut off part-way.
// ---------------------------------------------------------------------------------------------

fn numbered(i: usize) -> pb::ImportFactsRequest {
    pb::ImportFactsRequest {
        fact: Some(Fact::Transaction(transaction(&format!("IMP-{i:06}")))),
    }
}

/// Whether a session of the store (not `watcher`'s own) has a write transaction open.
async fn writing(watcher: &tokio_postgres::Client, schema: &TestSchema) -> bool {
    watcher
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1
             AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
            &[&schema.name()],
        )
        .await
        .expect("reading pg_stat_activity")
        .get::<_, i64>(0)
        > 0
}

async fn stored_transactions(watcher: &tokio_postgres::Client) -> i64 {
    watcher
        .query_one("SELECT count(*) FROM transactions", &[])
        .await
        .expect("counting transactions")
        .get(0)
}

/// An import stores its facts batch by batch, each in one transaction. Cut off while writing a
/// batch, it fails as UNAVAILABLE; the batches committed before stay, the one being written
/// leaves nothing, and so running the whole import again completes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn an_import_cut_off_while_writing_a_batch_keeps_only_whole_batches() {
    const ITEMS: usize = 16_000;
    let schema = TestSchema::create().await;
    let proxy = Proxy::start(upstream()).await;
    // Time enough for a whole batch on a busy machine: the cut, not a timeout, ends this import.
    let timeout = Duration::from_secs(10);
    let mut app = spawn_on(schema.url_via(proxy.addr()), timeout, timeout).await;
    let (items, stream) = tokio::sync::mpsc::channel(256);
    tokio::spawn(async move {
        for i in 0..ITEMS {
            if items.send(numbered(i)).await.is_err() {
                return; // the server gave up on the stream
            }
        }
    });
    let mut client = app.facts.clone();
    let importing =
        tokio::spawn(async move { client.import_facts(ReceiverStream::new(stream)).await });

    // Cut once a batch is committed and the next one is half-written.
    let watcher = schema.client().await;
    let committed_at_cut = loop {
        assert!(!importing.is_finished(), "the import ended before the cut");
        let committed = stored_transactions(&watcher).await;
        if committed >= IMPORT_BATCH && writing(&watcher, &schema).await {
            proxy.set(Mode::Refuse);
            break committed;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    };
    let outcome = tokio::time::timeout(Duration::from_secs(30), importing)
        .await
        .expect("the import ends after the cut")
        .expect("the import task");
    let status = outcome.expect_err("an import cut off part-way fails");
    assert_unavailable_with_retry_info(&status, "ImportFacts");

    let stored = stored_transactions(&watcher).await;
    eprintln!("cut with {committed_at_cut} committed; {stored} stored");
    assert_eq!(stored % IMPORT_BATCH, 0, "a batch was stored in part");
    // The batch being written is rolled back, unless its commit had just been sent.
    assert!(
        stored == committed_at_cut || stored == committed_at_cut + IMPORT_BATCH,
        "{committed_at_cut} committed at the cut, {stored} after"
    );
    assert!(stored < ITEMS as i64, "the cut stopped nothing");
    // Batches are stored in stream order: exactly the first `stored` items are there.
    let last: String = watcher
        .query_one("SELECT max(reference) FROM transactions", &[])
        .await
        .expect("the last reference")
        .get(0);
    assert_eq!(last, format!("IMP-{:06}", stored - 1));

    // Retrying the whole import after the outage stores everything, nothing twice.
    proxy.set(Mode::Forward);
    wait_for_health(&mut app, ServingStatus::Serving, Duration::from_secs(10)).await;
    let requests = (0..ITEMS).map(numbered);
    let response = app
        .facts
        .import_facts(tokio_stream::iter(requests))
        .await
        .expect("the retried import")
        .into_inner();
    assert_eq!(response.transactions_stored, ITEMS as u64);
    assert_eq!(stored_transactions(&watcher).await, ITEMS as i64);
    stop(app).await;
}

/// A replica cut off from the database in the middle of a write leaves its transaction open on
/// the server, holding the locks of the rows it wrote. The database must end it: otherwise no
/// other replica could write those rows until the server's TCP keepalive gave up, hours later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn a_replica_cut_off_in_the_middle_of_a_write_does_not_lock_the_others_out() {
    let schema = TestSchema::create().await;
    let proxy = Proxy::start(upstream()).await;
    let operation_timeout = Duration::from_secs(2);
    let mut cut_off = spawn_on(
        schema.url_via(proxy.addr()),
        ACQUIRE_TIMEOUT,
        operation_timeout,
    )
    .await;
    let mut other = spawn_on(schema.url(), ACQUIRE_TIMEOUT, OPERATION_TIMEOUT).await;
    let mut client = cut_off.facts.clone();
    let importing = tokio::spawn(async move {
        let requests = (0..IMPORT_BATCH as usize).map(numbered);
        client.import_facts(tokio_stream::iter(requests)).await
    });

    // Cut once the batch's transaction holds the lock of the first row it wrote.
    let watcher = schema.client().await;
    loop {
        assert!(!importing.is_finished(), "the import ended before the cut");
        if writing(&watcher, &schema).await {
            proxy.set(Mode::Blackhole);
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let cut = Instant::now();

    // The other replica waits for the lock, and answers UNAVAILABLE while it cannot get it,
    // but only until the abandoned transaction has idled for the cut-off one's operation timeout.
    loop {
        let (put, _) = timed(other.facts.put_transaction(put_request("IMP-000000"))).await;
        match put {
            Ok(_) => break,
            Err(status) => assert_unavailable_with_retry_info(&status, "PutTransaction"),
        }
        assert!(
            cut.elapsed() < operation_timeout + Duration::from_secs(8),
            "the other replica is still locked out of the row {:?} after the cut",
            cut.elapsed()
        );
    }
    eprintln!(
        "the other replica wrote the row {:?} after the cut",
        cut.elapsed()
    );
    let outcome = importing.await.expect("the import task");
    let status = outcome.expect_err("an import cut off part-way fails");
    assert_unavailable_with_retry_info(&status, "ImportFacts");

    proxy.set(Mode::Forward);
    wait_for_health(
        &mut cut_off,
        ServingStatus::Serving,
        Duration::from_secs(10),
    )
    .await;
    let (put, _) = timed(cut_off.facts.put_transaction(put_request("TX-AFTER"))).await;
    put.expect("the cut-off replica writes again");
    stop(cut_off).await;
    stop(other).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn a_read_only_database_refuses_writes_by_name_and_takes_only_fact_service_out_of_health() {
    let schema = TestSchema::create().await;
    // Migrated by a replica that may write, then served by one whose sessions are read-only,
    // as on a standby: the server neither writes nor asks anything of the server to do it.
    stop(spawn_on(schema.url(), ACQUIRE_TIMEOUT, OPERATION_TIMEOUT).await).await;
    let read_only = schema.url_setting(&[("default_transaction_read_only", "on")]);
    let mut app = spawn_on(read_only, ACQUIRE_TIMEOUT, OPERATION_TIMEOUT).await;

    let (refused, _) = timed(app.facts.put_transaction(put_request("TX-RO"))).await;
    let refused = refused.expect_err("a read-only database stored a write");
    assert_eq!(refused.code(), Code::Unavailable, "{refused:?}");
    assert!(refused.message().contains("read-only"), "{refused:?}");
    assert_reason(&refused, "STORE_READ_ONLY");
    let retry = refused
        .get_details_retry_info()
        .unwrap_or_else(|| panic!("no google.rpc.RetryInfo in {refused:?}"));
    assert!(
        retry.retry_delay.is_some_and(|d| d > Duration::ZERO),
        "{retry:?}"
    );

    let limit = Duration::from_secs(10);
    let facts = "paydiag.v1.FactService";
    app.wait_for_health_of(facts, ServingStatus::NotServing, limit)
        .await;
    assert_eq!(
        app.health_of("paydiag.v1.DiagnosisService").await,
        ServingStatus::Serving
    );
    assert_eq!(app.health_of("").await, ServingStatus::NotServing);
    let (diagnosis, _) = timed(app.diagnosis.diagnose(diagnose_request("TX-RO"))).await;
    assert_eq!(diagnosis.expect("reads still work").reference, "TX-RO");
    assert_eq!(schema.count("transactions").await, 0);
    assert_eq!(
        schema.count("health_probe").await,
        0,
        "a write probe was taken"
    );
    stop(app).await;
}

/// A server on a fresh schema of its own, dropped when the check ends.
async fn on_postgres() -> (TestApp, TestSchema) {
    let schema = TestSchema::create().await;
    let timeout = Duration::from_secs(10);
    (spawn_on(schema.url(), timeout, timeout).await, schema)
}

mod lookups {
    use super::*;

    every_lookup_check!(on_postgres();
        #[cfg_attr(
            not(postgres_tests),
            ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
        )]
    );
}

mod causes_on_postgres {
    use super::*;

    every_cause_check!(on_postgres();
        #[cfg_attr(
            not(postgres_tests),
            ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
        )]
    );
}
