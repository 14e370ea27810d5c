use crate::helpers::{
    assert_reason, error_metadata, metadata, spawn_with, test_options, transaction,
};
use paydiag::{
    api::IMPORT_BATCH,
    pb::v1::{self as pb, fact_service_client::FactServiceClient},
    server::ServerOptions,
    store::sqlite::SqliteStore,
};
use std::{sync::Arc, time::Duration};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;

async fn app_with(options: ServerOptions) -> crate::helpers::TestApp {
    let dir = tempfile::TempDir::new().expect("dir");
    let store = SqliteStore::open(&dir.path().join("paydiag.db"), 2)
        .await
        .expect("store");
    spawn_with(Arc::new(store), dir, options).await
}

/// Opens an ImportFacts stream and keeps it open (and so in flight) until the sender is dropped.
/// With a global limit of one call, [`until_busy`] then tells when it has reached the server.
async fn hold_a_call(
    client: &mut FactServiceClient<tonic::transport::Channel>,
) -> mpsc::Sender<pb::ImportFactsRequest> {
    let (tx, rx) = mpsc::channel(1);
    let mut client = client.clone();
    tokio::spawn(async move {
        let _ = client.import_facts(ReceiverStream::new(rx)).await;
    });
    tx.send(pb::ImportFactsRequest {
        fact: Some(pb::import_facts_request::Fact::Transaction(transaction(
            "HOLD",
        ))),
    })
    .await
    .expect("send");
    tx
}

/// Diagnoses on a connection of its own until the server refuses as busy, and returns that
/// refusal: every place is then taken.
async fn until_busy(app: &crate::helpers::TestApp) -> tonic::Status {
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", app.addr))
        .expect("uri")
        .connect_lazy();
    let mut other = pb::diagnosis_service_client::DiagnosisServiceClient::new(channel);
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let request = pb::DiagnoseRequest {
                reference: "TX".into(),
                ..Default::default()
            };
            match other.diagnose(request).await {
                Err(status) if status.code() == Code::ResourceExhausted => return status,
                _ => tokio::task::yield_now().await,
            }
        }
    })
    .await
    .expect("the held call takes the only place")
}

/// Diagnoses until the server serves again, and returns the answer.
async fn until_served(app: &mut crate::helpers::TestApp) -> pb::Diagnosis {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let request = pb::DiagnoseRequest {
                reference: "TX".into(),
                ..Default::default()
            };
            if let Ok(served) = app.diagnosis.diagnose(request).await {
                return served.into_inner();
            }
        }
    })
    .await
    .expect("served once the place is free")
}

#[tokio::test]
async fn calls_beyond_the_global_in_flight_limit_are_refused_not_queued() {
    let mut app = app_with(ServerOptions {
        max_calls_in_flight: 1,
        ..test_options()
    })
    .await;
    let held = hold_a_call(&mut app.facts).await;

    let refused = until_busy(&app).await;

    assert_eq!(
        refused.message(),
        "server busy: 1 calls in flight; retry shortly"
    );
    use tonic_types::StatusExt;
    assert_eq!(
        refused.get_details_retry_info().and_then(|r| r.retry_delay),
        Some(Duration::from_secs(1)),
        "carries RetryInfo"
    );
    assert_reason(&refused, "OVERLOADED");
    assert_eq!(error_metadata(&refused), metadata([("limit", "1")]));
    drop(held);
    assert_eq!(until_served(&mut app).await.cause(), pb::Cause::NotFound);
}

#[tokio::test]
async fn calls_beyond_the_per_connection_limit_wait_for_a_stream_rather_than_fail() {
    // One place in all, so that the held call is seen to have reached the server.
    let mut app = app_with(ServerOptions {
        max_calls_per_connection: 1,
        max_calls_in_flight: 1,
        ..test_options()
    })
    .await;
    let held = hold_a_call(&mut app.facts).await;
    until_busy(&app).await;

    let mut diagnosis = app.diagnosis.clone();
    let queued = tokio::spawn(async move {
        diagnosis
            .diagnose(pb::DiagnoseRequest {
                reference: "TX".into(),
                ..Default::default()
            })
            .await
    });
    drop(held);

    let served = queued
        .await
        .expect("join")
        .expect("served once the held call ended");
    assert_eq!(served.into_inner().cause(), pb::Cause::NotFound);
}

#[tokio::test]
async fn requests_over_the_size_limit_are_refused_and_the_server_stays_healthy() {
    let mut app = app_with(ServerOptions {
        max_request_bytes: 64 * 1024,
        ..test_options()
    })
    .await;

    let big = app
        .diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: "R".repeat(100 * 1024),
            ..Default::default()
        })
        .await
        .expect_err("too large");
    let next = app
        .diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: "TX".into(),
            ..Default::default()
        })
        .await;

    assert_eq!(big.code(), Code::OutOfRange, "{big:?}");
    assert!(big.message().contains("too large"), "{}", big.message());
    assert_reason(&big, "MESSAGE_TOO_LARGE");
    assert!(next.is_ok(), "{next:?}");
}

#[tokio::test]
async fn a_call_running_past_the_server_timeout_is_ended() {
    let dir = tempfile::TempDir::new().expect("dir");
    let path = dir.path().join("paydiag.db");
    let store = SqliteStore::open(&path, 2).await.expect("store");
    let options = ServerOptions {
        request_timeout: Duration::from_millis(300),
        ..test_options()
    };
    let mut app = spawn_with(Arc::new(store), dir, options).await;
    // Another writer holds the file's write lock, so the call waits on it (up to 5 s).
    let other = rusqlite::Connection::open(&path).expect("second connection");
    other.execute_batch("BEGIN IMMEDIATE").expect("write lock");

    let started = std::time::Instant::now();
    let ended = app
        .facts
        .put_transaction(pb::PutTransactionRequest {
            transaction: Some(transaction("TX-SLOW")),
        })
        .await
        .expect_err("timed out");

    assert!(
        started.elapsed() < Duration::from_secs(3),
        "ended by the server timeout, not by the store's"
    );
    assert_eq!(ended.code(), Code::DeadlineExceeded, "{ended:?}");
    assert!(
        ended
            .message()
            .contains("longer than the server allows (300ms)"),
        "{}",
        ended.message()
    );
    assert_reason(&ended, "CALL_TIMEOUT");
    assert_eq!(error_metadata(&ended), metadata([("timeout", "300ms")]));
    other.execute_batch("ROLLBACK").expect("release");
}

type ImportOutcome = Result<tonic::Response<pb::ImportFactsResponse>, tonic::Status>;

/// Starts a server with `request_timeout` and an ImportFacts call to it, fed by the returned
/// sender; the handle gives the call's outcome, and the app keeps the server running.
async fn start_import(
    request_timeout: Duration,
) -> (
    mpsc::Sender<pb::ImportFactsRequest>,
    tokio::task::JoinHandle<(ImportOutcome, crate::helpers::TestApp)>,
) {
    let app = app_with(ServerOptions {
        request_timeout,
        ..test_options()
    })
    .await;
    let (tx, rx) = mpsc::channel(1);
    let import = tokio::spawn(async move {
        let outcome = app
            .facts
            .clone()
            .import_facts(ReceiverStream::new(rx))
            .await;
        (outcome, app)
    });
    (tx, import)
}

/// Sends `count` transactions `TX-<n>` on `tx`, `gap` apart.
async fn send_slowly(tx: &mpsc::Sender<pb::ImportFactsRequest>, count: usize, gap: Duration) {
    for n in 0..count {
        tx.send(pb::ImportFactsRequest {
            fact: Some(pb::import_facts_request::Fact::Transaction(transaction(
                &format!("TX-{n}"),
            ))),
        })
        .await
        .expect("send");
        tokio::time::sleep(gap).await;
    }
}

#[tokio::test]
async fn an_import_that_keeps_sending_outlasts_the_server_timeout() {
    let (tx, import) = start_import(Duration::from_millis(300)).await;

    // Eight items 100 ms apart: the call lasts 800 ms, and no wait for an item reaches 300 ms.
    send_slowly(&tx, 8, Duration::from_millis(100)).await;
    drop(tx);

    let (outcome, _app) = import.await.expect("import task");
    let response = outcome.expect("not cut off").into_inner();
    assert_eq!(response.transactions_stored, 8);
    assert_eq!(response.rejected_count, 0);
}

#[tokio::test]
async fn an_import_whose_stream_goes_quiet_is_ended_and_keeps_what_came_before() {
    let (tx, import) = start_import(Duration::from_millis(300)).await;

    let started = std::time::Instant::now();
    send_slowly(&tx, 3, Duration::ZERO).await;
    let (outcome, mut app) = import.await.expect("import task");
    let ended = outcome.expect_err("ended by the quiet stream");

    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(ended.code(), Code::DeadlineExceeded, "{ended:?}");
    assert!(
        ended.message().contains("sent no item for 300ms")
            && ended
                .message()
                .contains("the 3 items before were processed (3 stored, 0 rejected)"),
        "{}",
        ended.message()
    );
    assert_reason(&ended, "IMPORT_STREAM_IDLE");
    assert_eq!(
        error_metadata(&ended),
        metadata([
            ("facts_stored", "3"),
            ("items_processed", "3"),
            ("items_rejected", "0"),
            ("timeout", "300ms"),
        ])
    );
    let as_of = crate::helpers::t0() + chrono::TimeDelta::hours(1);
    for n in 0..3 {
        let found = app.diagnose_at(&format!("TX-{n}"), as_of).await;
        assert_eq!(
            found.cause(),
            pb::Cause::ConfirmationStalled,
            "TX-{n} was stored"
        );
    }
    drop(tx);
}

#[tokio::test]
async fn a_caller_deadline_shorter_than_the_server_timeout_wins() {
    let mut app = app_with(test_options()).await;
    let (tx, rx) = mpsc::channel::<pb::ImportFactsRequest>(1);
    let mut request = tonic::Request::new(ReceiverStream::new(rx));
    request.set_timeout(Duration::from_millis(300));

    let started = std::time::Instant::now();
    let ended = app.facts.import_facts(request).await.expect_err("deadline");

    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        matches!(ended.code(), Code::Cancelled | Code::DeadlineExceeded),
        "{ended:?}"
    );
    drop(tx);
}

#[tokio::test]
async fn an_import_stream_past_its_cap_is_refused_after_storing_what_came_before() {
    let mut app = app_with(ServerOptions {
        max_import_items: 3,
        ..test_options()
    })
    .await;
    let items = (0..5).map(|i| pb::ImportFactsRequest {
        fact: Some(pb::import_facts_request::Fact::Transaction(transaction(
            &format!("CAP-{i}"),
        ))),
    });

    let refused = app
        .facts
        .import_facts(tokio_stream::iter(items))
        .await
        .expect_err("over the cap");

    assert_eq!(refused.code(), Code::ResourceExhausted, "{refused:?}");
    assert!(
        refused.message().contains("3 stored"),
        "{}",
        refused.message()
    );
    assert_reason(&refused, "IMPORT_ITEM_LIMIT");
    assert_eq!(
        error_metadata(&refused),
        metadata([
            ("facts_stored", "3"),
            ("items_processed", "3"),
            ("items_rejected", "0"),
        ])
    );
    let stored = app.diagnose_at("CAP-2", crate::helpers::at(1)).await;
    let beyond = app.diagnose_at("CAP-3", crate::helpers::at(1)).await;
    assert_eq!(stored.cause(), pb::Cause::ConfirmationDelay);
    assert_eq!(beyond.cause(), pb::Cause::NotFound);
}

#[tokio::test]
async fn an_import_stream_that_breaks_stores_what_came_before_and_says_how_much() {
    let mut app = app_with(ServerOptions {
        max_request_bytes: 4096,
        ..test_options()
    })
    .await;
    let item = |tx: pb::Transaction| pb::ImportFactsRequest {
        fact: Some(pb::import_facts_request::Fact::Transaction(tx)),
    };
    // More than one write batch before the break, and part of a batch still pending at it.
    let mut items: Vec<_> = (0..2_500)
        .map(|i| item(transaction(&format!("BRK-{i}"))))
        .collect();
    items.push(item(pb::Transaction {
        memo: "x".repeat(8192),
        ..transaction("BRK-TOO-LARGE")
    }));
    items.push(item(transaction("BRK-AFTER")));

    let broken = app
        .facts
        .import_facts(tokio_stream::iter(items))
        .await
        .expect_err("an item over the size limit");

    assert_eq!(broken.code(), Code::OutOfRange, "{broken:?}");
    for said in ["item 2500", "(2500 stored, 0 rejected)"] {
        assert!(broken.message().contains(said), "{}", broken.message());
    }
    assert_reason(&broken, "MESSAGE_TOO_LARGE");
    assert_eq!(
        error_metadata(&broken),
        metadata([
            ("facts_stored", "2500"),
            ("items_processed", "2500"),
            ("items_rejected", "0"),
        ])
    );
    for stored in ["BRK-0", "BRK-1999", "BRK-2000", "BRK-2499"] {
        let diagnosis = app.diagnose_at(stored, crate::helpers::at(1)).await;
        assert_eq!(
            diagnosis.cause(),
            pb::Cause::ConfirmationDelay,
            "{stored} was lost"
        );
    }
    let after = app.diagnose_at("BRK-AFTER", crate::helpers::at(1)).await;
    assert_eq!(after.cause(), pb::Cause::NotFound);
}

#[tokio::test]
async fn an_import_cut_off_by_the_drain_grace_stores_what_it_received_and_says_how_far_it_got() {
    let mut app = app_with(ServerOptions {
        drain_grace: Duration::from_millis(200),
        ..test_options()
    })
    .await;
    let reader = app.store.clone();
    let (tx, rx) = mpsc::channel(IMPORT_BATCH + 8);
    let mut facts = app.facts.clone();
    let import = tokio::spawn(async move { facts.import_facts(ReceiverStream::new(rx)).await });
    // A whole batch, and one item of the next.
    for n in 0..=IMPORT_BATCH {
        tx.send(pb::ImportFactsRequest {
            fact: Some(pb::import_facts_request::Fact::Transaction(transaction(
                &format!("CUT-{n}"),
            ))),
        })
        .await
        .expect("send");
    }
    // The first batch is committed once its last item can be read back.
    let last_of_batch = format!("CUT-{}", IMPORT_BATCH - 1);
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let query = paydiag::store::FactQuery::new(&last_of_batch, crate::helpers::at(1));
            if reader
                .load_facts(&query)
                .await
                .expect("read")
                .transaction
                .is_some()
            {
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the first batch commits");

    app.begin_shutdown();
    let cut = import
        .await
        .expect("join")
        .expect_err("cut off by the drain grace");

    let stored = (IMPORT_BATCH + 1).to_string();
    assert_eq!(cut.code(), Code::Unavailable, "{cut:?}");
    assert_eq!(
        cut.message(),
        format!(
            "the server is shutting down: the {stored} items received were processed \
             ({stored} stored, 0 rejected); send the rest to another replica"
        )
    );
    assert_reason(&cut, "SHUTTING_DOWN");
    assert_eq!(
        error_metadata(&cut),
        metadata([
            ("facts_stored", &stored),
            ("items_processed", &stored),
            ("items_rejected", "0"),
        ])
    );
    // The partial batch was committed, not dropped.
    let query =
        paydiag::store::FactQuery::new(format!("CUT-{IMPORT_BATCH}"), crate::helpers::at(1));
    let last = reader.load_facts(&query).await.expect("read");
    assert_eq!(
        last.transaction.map(|t| t.reference),
        Some(format!("CUT-{IMPORT_BATCH}"))
    );
}
