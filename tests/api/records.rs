//! Case records over gRPC: what Diagnose, BatchDiagnose and TriageTicket record for a ticket,
//! ListDiagnosisRecords' pages and refusals, records kept across a restart, and retention
//! under an explicit clock.

use crate::helpers::{
    TestApp, assert_reason, at, spawn_recording, spawn_with, test_options, transaction,
    violated_fields,
};
use crate::probed_store::ProbedStore;
use chrono::{DateTime, TimeDelta, Utc};
use paydiag::{
    api::fact_codec::timestamp,
    auth::{Callers, token_hash},
    pb::v1 as pb,
    recorder::{RecordOptions, retention},
    server,
    store::{FactStore, SharedStore, sqlite::SqliteStore},
};
use std::{sync::Arc, time::Duration};
use tonic::{Code, Request};

/// A server on a fresh SQLite file in `dir`.
async fn app_in(dir: tempfile::TempDir, records: RecordOptions) -> TestApp {
    let store: SharedStore = Arc::new(
        SqliteStore::open(&dir.path().join("paydiag.db"), 2)
            .await
            .expect("open store"),
    );
    spawn_recording(store, dir, test_options(), records).await
}

async fn app() -> TestApp {
    app_in(
        tempfile::TempDir::new().expect("dir"),
        RecordOptions::default(),
    )
    .await
}

/// Diagnose of `reference` at `at(1)` for `ticket` (none when empty).
fn diagnose(reference: &str, ticket: &str) -> pb::DiagnoseRequest {
    pb::DiagnoseRequest {
        reference: reference.into(),
        as_of: Some(timestamp(at(1))),
        ticket_id: ticket.into(),
        ..Default::default()
    }
}

fn of_ticket(ticket: &str, page_size: i32) -> pb::ListDiagnosisRecordsRequest {
    pb::ListDiagnosisRecordsRequest {
        ticket_id: ticket.into(),
        page_size,
        ..Default::default()
    }
}

async fn list(
    app: &mut TestApp,
    request: pb::ListDiagnosisRecordsRequest,
) -> pb::ListDiagnosisRecordsResponse {
    app.diagnosis
        .list_diagnosis_records(request)
        .await
        .expect("list records")
        .into_inner()
}

async fn refused(app: &mut TestApp, request: pb::ListDiagnosisRecordsRequest) -> tonic::Status {
    app.diagnosis
        .list_diagnosis_records(request)
        .await
        .expect_err("refused")
}

/// Every page of `request`'s listing, in order.
async fn pages(
    app: &mut TestApp,
    request: pb::ListDiagnosisRecordsRequest,
) -> Vec<Vec<pb::DiagnosisRecord>> {
    let mut pages = Vec::new();
    let mut token = String::new();
    loop {
        let page = list(
            app,
            pb::ListDiagnosisRecordsRequest {
                page_token: token,
                ..request.clone()
            },
        )
        .await;
        pages.push(page.records);
        if page.next_page_token.is_empty() {
            return pages;
        }
        token = page.next_page_token;
    }
}

/// The record `diagnosis` should leave, made at `diagnosed_at`.
fn record_of(
    d: &pb::Diagnosis,
    ticket: &str,
    reference: &str,
    tx_hash: &str,
    source: pb::RecordSource,
    diagnosed_at: Option<prost_types::Timestamp>,
) -> pb::DiagnosisRecord {
    let step = d.next_step.clone().expect("a next step");
    pb::DiagnosisRecord {
        ticket_id: ticket.into(),
        reference: reference.into(),
        tx_hash: tx_hash.into(),
        as_of: d.as_of,
        diagnosed_at,
        cause: d.cause,
        contributing_causes: d.contributing_causes.clone(),
        action: step.action,
        recheck_at: step.recheck_at,
        expected_resolution_at: step.expected_resolution_at,
        ruleset_version: d.ruleset_version.clone(),
        caller: "anonymous".into(),
        source: source.into(),
        disposition: 0,
        queue: String::new(),
        priority: 0,
    }
}

/// The time a record says its diagnosis was made, checked to lie within `[from, to]`.
#[track_caller]
fn made_within(
    record: &pb::DiagnosisRecord,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Option<prost_types::Timestamp> {
    let made = record.diagnosed_at.expect("diagnosed_at");
    let key = |t: &prost_types::Timestamp| (t.seconds, t.nanos);
    assert!(
        key(&timestamp(from)) <= key(&made) && key(&made) <= key(&timestamp(to)),
        "{made:?} not within {from} and {to}"
    );
    Some(made)
}

fn references(records: &[pb::DiagnosisRecord]) -> Vec<&str> {
    records.iter().map(|r| r.reference.as_str()).collect()
}

#[tokio::test]
async fn a_diagnosis_made_for_a_ticket_is_recorded_with_its_outcome_and_one_without_is_not() {
    let mut app = app().await;
    app.put_transaction(pb::Transaction {
        tx_hash: "0xAB12".into(),
        ..transaction("TX-DELAY")
    })
    .await;
    let before = Utc::now();
    // Quoted by its hash: the record names the transaction by its reference.
    let d = app
        .diagnosis
        .diagnose(diagnose("0xab12", "T-100"))
        .await
        .expect("diagnose")
        .into_inner();
    let after = Utc::now();
    app.diagnosis
        .diagnose(diagnose("TX-DELAY", ""))
        .await
        .expect("diagnose without a ticket");
    app.recorder.written(1).await;

    let listed = list(&mut app, of_ticket("T-100", 0)).await;
    assert_eq!(d.cause(), pb::Cause::ConfirmationDelay);
    let made = made_within(&listed.records[0], before, after);
    assert_eq!(
        listed.records,
        [record_of(
            &d,
            "T-100",
            "TX-DELAY",
            "0xAB12",
            pb::RecordSource::Diagnose,
            made
        )]
    );
    assert_eq!(listed.next_page_token, "");
    let by_reference = list(
        &mut app,
        pb::ListDiagnosisRecordsRequest {
            reference: "TX-DELAY".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        by_reference.records, listed.records,
        "only the diagnosis made for a ticket"
    );
    assert_eq!(app.recorder.stats().accepted, 1);
}

#[tokio::test]
async fn an_unknown_reference_is_recorded_as_quoted_with_the_claimed_hash() {
    let mut app = app().await;
    let request = pb::DiagnoseRequest {
        claim: Some(pb::Claim {
            tx_hash: "0xFEED".into(),
            ..Default::default()
        }),
        ..diagnose("DEP-NOWHERE", "T-200")
    };
    let d = app
        .diagnosis
        .diagnose(request)
        .await
        .expect("diagnose")
        .into_inner();
    app.recorder.written(1).await;
    let listed = list(&mut app, of_ticket("T-200", 0)).await;
    assert_eq!(d.cause(), pb::Cause::NotFound);
    let made = listed.records[0].diagnosed_at;
    assert_eq!(
        listed.records,
        [record_of(
            &d,
            "T-200",
            "DEP-NOWHERE",
            "0xFEED",
            pb::RecordSource::Diagnose,
            made
        )]
    );
}

/// `message` sent with `token`.
fn as_caller<T>(token: &str, message: T) -> Request<T> {
    let mut request = Request::new(message);
    let bearer = format!("Bearer {token}").parse().expect("metadata");
    request.metadata_mut().insert("authorization", bearer);
    request
}

#[tokio::test]
async fn the_record_names_the_caller_who_asked_and_listing_needs_the_reader_role() {
    const READER: &str = "reader-token-for-records-0001";
    const WRITER: &str = "writer-token-for-records-0002";
    let callers = Callers::parse(&format!(
        "[[callers]]\nname = \"desk-agent\"\ntoken_sha256 = \"{}\"\nroles = [\"reader\"]\n\n\
         [[callers]]\nname = \"feeder\"\ntoken_sha256 = \"{}\"\nroles = [\"writer\"]\n",
        token_hash(READER),
        token_hash(WRITER)
    ))
    .expect("callers");
    let options = server::ServerOptions {
        callers: Arc::new(callers),
        ..test_options()
    };
    let store: SharedStore = Arc::new(
        SqliteStore::open(
            &tempfile::TempDir::new().expect("dir").path().join("p.db"),
            2,
        )
        .await
        .expect("store"),
    );
    let mut app = spawn_with(store, tempfile::TempDir::new().expect("dir"), options).await;
    app.diagnosis
        .diagnose(as_caller(READER, diagnose("TX-NONE", "T-300")))
        .await
        .expect("diagnose");
    app.recorder.written(1).await;
    let listed = app
        .diagnosis
        .list_diagnosis_records(as_caller(READER, of_ticket("T-300", 0)))
        .await
        .expect("a reader lists")
        .into_inner();
    let callers: Vec<&str> = listed.records.iter().map(|r| r.caller.as_str()).collect();
    assert_eq!(callers, ["desk-agent"]);
    let denied = app
        .diagnosis
        .list_diagnosis_records(as_caller(WRITER, of_ticket("T-300", 0)))
        .await
        .expect_err("a writer lacks the reader role");
    assert_eq!(denied.code(), Code::PermissionDenied);
    assert_reason(&denied, "ROLE_MISSING");
}

#[tokio::test]
async fn every_valid_item_of_a_batch_made_for_a_ticket_is_recorded() {
    let mut app = app().await;
    app.put_transaction(transaction("TX-A")).await;
    let requests = vec![
        diagnose("TX-A", "T-400"),
        diagnose("", "T-400"),
        diagnose("TX-MISSING", "T-400"),
        diagnose("TX-A", ""),
        diagnose("TX-A", "T-401"),
    ];
    let results = app
        .diagnosis
        .batch_diagnose(pb::BatchDiagnoseRequest { requests })
        .await
        .expect("batch")
        .into_inner()
        .results;
    app.recorder.written(3).await;
    let diagnosis = |i: usize| match &results[i].result {
        Some(pb::batch_diagnose_result::Result::Diagnosis(d)) => d.clone(),
        other => panic!("item {i} not diagnosed: {other:?}"),
    };
    let listed = list(&mut app, of_ticket("T-400", 0)).await.records;
    // One moment for the whole batch; the later item was stored later, so comes first.
    let made = listed[0].diagnosed_at;
    let batch = pb::RecordSource::BatchDiagnose;
    assert_eq!(
        listed,
        [
            record_of(&diagnosis(2), "T-400", "TX-MISSING", "", batch, made),
            record_of(&diagnosis(0), "T-400", "TX-A", "", batch, made),
        ]
    );
    let other = list(&mut app, of_ticket("T-401", 0)).await.records;
    assert_eq!(
        other,
        [record_of(&diagnosis(4), "T-401", "TX-A", "", batch, made)]
    );
    assert_eq!(app.recorder.stats().accepted, 3);
}

#[tokio::test]
async fn each_candidate_of_a_triaged_ticket_is_recorded_with_where_it_sends_the_ticket() {
    let mut app = app().await;
    app.put_transaction(transaction("TX-A")).await;
    let response = app
        .diagnosis
        .triage_ticket(pb::TriageTicketRequest {
            ticket_id: "T-500".into(),
            body: "Where are TX-A and TX-GONE?".into(),
            // Ten hours after TX-A should have completed: it has stalled.
            received_at: Some(timestamp(at(600))),
            ..Default::default()
        })
        .await
        .expect("triage")
        .into_inner();
    app.recorder.written(2).await;
    let listed = list(&mut app, of_ticket("T-500", 0)).await.records;
    assert_eq!(response.candidates.len(), 2);
    let made = listed[0].diagnosed_at;
    let expected: Vec<pb::DiagnosisRecord> = response
        .candidates
        .iter()
        .rev()
        .map(|c| {
            let d = c.diagnosis.as_ref().expect("diagnosed");
            pb::DiagnosisRecord {
                disposition: c.disposition,
                queue: c.queue.clone(),
                priority: c.priority,
                ..record_of(
                    d,
                    "T-500",
                    &d.reference,
                    "",
                    pb::RecordSource::TriageTicket,
                    made,
                )
            }
        })
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(references(&listed), ["TX-GONE", "TX-A"]);
    let routed: Vec<(pb::Cause, pb::Disposition, &str, pb::Priority)> = listed
        .iter()
        .map(|r| (r.cause(), r.disposition(), r.queue.as_str(), r.priority()))
        .collect();
    assert_eq!(
        routed,
        [
            (
                pb::Cause::NotFound,
                pb::Disposition::AutoReply,
                "",
                pb::Priority::Unspecified
            ),
            (
                pb::Cause::ConfirmationStalled,
                pb::Disposition::Escalate,
                "payments_ops",
                pb::Priority::P2
            ),
        ]
    );
}

#[tokio::test]
async fn records_are_listed_newest_first_a_page_at_a_time_with_tokens_bound_to_their_filters() {
    let mut app = app().await;
    for i in 0..7 {
        app.diagnosis
            .diagnose(diagnose(&format!("DEP-{i}"), "T-600"))
            .await
            .expect("diagnose");
    }
    app.diagnosis
        .diagnose(diagnose("DEP-0", "T-601"))
        .await
        .expect("diagnose");
    app.recorder.written(8).await;

    let paged = pages(&mut app, of_ticket("T-600", 3)).await;
    let listed: Vec<Vec<&str>> = paged.iter().map(|p| references(p)).collect();
    assert_eq!(
        listed,
        [
            vec!["DEP-6", "DEP-5", "DEP-4"],
            vec!["DEP-3", "DEP-2", "DEP-1"],
            vec!["DEP-0"],
        ]
    );
    // A token goes on with the same filters only, whatever the page size.
    let first = list(&mut app, of_ticket("T-600", 3)).await;
    let on = list(
        &mut app,
        pb::ListDiagnosisRecordsRequest {
            page_token: first.next_page_token.clone(),
            ..of_ticket("T-600", 10)
        },
    )
    .await;
    assert_eq!(
        references(&on.records),
        ["DEP-3", "DEP-2", "DEP-1", "DEP-0"]
    );
    for other in [
        of_ticket("T-601", 3),
        pb::ListDiagnosisRecordsRequest {
            reference: "DEP-0".into(),
            ..of_ticket("T-600", 3)
        },
        pb::ListDiagnosisRecordsRequest {
            diagnosed_after: Some(timestamp(Utc::now() - TimeDelta::days(1))),
            ..of_ticket("T-600", 3)
        },
    ] {
        let status = refused(
            &mut app,
            pb::ListDiagnosisRecordsRequest {
                page_token: first.next_page_token.clone(),
                ..other
            },
        )
        .await;
        assert_eq!(status.code(), Code::InvalidArgument);
        assert_reason(&status, "INVALID_FIELD");
        assert_eq!(violated_fields(&status), ["page_token"]);
    }
    // By reference: both tickets' records of DEP-0, newest first.
    let by_reference = list(
        &mut app,
        pb::ListDiagnosisRecordsRequest {
            reference: "DEP-0".into(),
            ..Default::default()
        },
    )
    .await;
    let tickets: Vec<&str> = by_reference
        .records
        .iter()
        .map(|r| r.ticket_id.as_str())
        .collect();
    assert_eq!(tickets, ["T-601", "T-600"]);
}

#[tokio::test]
async fn a_time_range_narrows_the_listing_from_inclusive_to_exclusive() {
    let mut app = app().await;
    for i in 0..3 {
        app.diagnosis
            .diagnose(diagnose(&format!("DEP-{i}"), "T-650"))
            .await
            .expect("diagnose");
    }
    app.recorder.written(3).await;
    let all = list(&mut app, of_ticket("T-650", 0)).await.records;
    let made: Vec<prost_types::Timestamp> = all.iter().filter_map(|r| r.diagnosed_at).collect();
    // From DEP-0's moment (inclusive) to DEP-2's (exclusive): DEP-1 and DEP-0.
    let ranged = list(
        &mut app,
        pb::ListDiagnosisRecordsRequest {
            diagnosed_after: Some(made[2]),
            diagnosed_before: Some(made[0]),
            ..of_ticket("T-650", 0)
        },
    )
    .await;
    assert_eq!(references(&ranged.records), ["DEP-1", "DEP-0"]);
}

#[tokio::test]
async fn page_sizes_default_to_50_are_read_as_at_most_500_and_are_never_negative() {
    let mut app = app().await;
    let batch = |references: Vec<String>| pb::BatchDiagnoseRequest {
        requests: references.iter().map(|r| diagnose(r, "T-700")).collect(),
    };
    // One record first, then 500 made together (their order among themselves is the order
    // the batch's parts finished in).
    let first = batch(vec!["DEP-FIRST".into()]);
    app.diagnosis.batch_diagnose(first).await.expect("batch");
    let rest = batch((0..500).map(|i| format!("DEP-{i}")).collect());
    app.diagnosis.batch_diagnose(rest).await.expect("batch");
    app.recorder.written(501).await;

    let default = list(&mut app, of_ticket("T-700", 0)).await;
    assert_eq!(default.records.len(), 50);
    assert_ne!(default.next_page_token, "");
    let largest = list(&mut app, of_ticket("T-700", 100_000)).await;
    assert_eq!(largest.records.len(), 500);
    assert!(
        largest.records.iter().all(|r| r.reference != "DEP-FIRST"),
        "the 500 newest"
    );
    let last = list(
        &mut app,
        pb::ListDiagnosisRecordsRequest {
            page_token: largest.next_page_token,
            ..of_ticket("T-700", 500)
        },
    )
    .await;
    assert_eq!(references(&last.records), ["DEP-FIRST"]);
    assert_eq!(last.next_page_token, "");

    let negative = refused(&mut app, of_ticket("T-700", -1)).await;
    assert_eq!(negative.code(), Code::InvalidArgument);
    assert_reason(&negative, "INVALID_FIELD");
    assert_eq!(violated_fields(&negative), ["page_size"]);
}

#[tokio::test]
async fn a_listing_without_ticket_or_reference_or_with_a_bad_range_or_token_is_refused_by_field() {
    let mut app = app().await;
    let cases = [
        (
            pb::ListDiagnosisRecordsRequest::default(),
            vec!["ticket_id"],
        ),
        (
            pb::ListDiagnosisRecordsRequest {
                ticket_id: "T\u{7}".into(),
                reference: "R".repeat(129),
                ..Default::default()
            },
            vec!["reference", "ticket_id"],
        ),
        (
            pb::ListDiagnosisRecordsRequest {
                diagnosed_after: Some(timestamp(at(10))),
                diagnosed_before: Some(timestamp(at(9))),
                ..of_ticket("T-1", 0)
            },
            vec!["diagnosed_before"],
        ),
        (
            pb::ListDiagnosisRecordsRequest {
                page_token: "not-a-token".into(),
                ..of_ticket("T-1", 0)
            },
            vec!["page_token"],
        ),
    ];
    for (request, fields) in cases {
        let status = refused(&mut app, request).await;
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        assert_reason(&status, "INVALID_FIELD");
        let mut named = violated_fields(&status);
        named.sort();
        assert_eq!(named, fields, "{status:?}");
    }
}

#[tokio::test]
async fn records_buffered_at_shutdown_are_written_and_kept_across_a_restart() {
    let dir = tempfile::TempDir::new().expect("dir");
    let path = dir.path().join("paydiag.db");
    // Batches wait far longer than the test: only the shutdown writes them.
    let slow = RecordOptions {
        flush_interval: Duration::from_secs(3600),
        ..RecordOptions::default()
    };
    let mut first = app_in(dir, slow).await;
    for i in 0..5 {
        first
            .diagnosis
            .diagnose(diagnose(&format!("DEP-{i}"), "T-800"))
            .await
            .expect("diagnose");
    }
    assert_eq!(
        first.recorder.stats().written,
        0,
        "nothing written before shutdown"
    );
    let recorder = first.recorder.clone();
    first.stop().await;
    assert_eq!(recorder.stats().written, 5);

    let store: SharedStore = Arc::new(SqliteStore::open(&path, 2).await.expect("reopen"));
    let dir = tempfile::TempDir::new().expect("dir");
    let mut second = spawn_with(store, dir, test_options()).await;
    let listed = list(&mut second, of_ticket("T-800", 0)).await;
    assert_eq!(
        references(&listed.records),
        ["DEP-4", "DEP-3", "DEP-2", "DEP-1", "DEP-0"]
    );
}

#[tokio::test]
async fn a_batch_refused_at_shutdown_is_dropped_alone_and_the_batches_after_it_are_written() {
    let dir = tempfile::TempDir::new().expect("dir");
    let sqlite = SqliteStore::open(&dir.path().join("paydiag.db"), 2)
        .await
        .expect("open store");
    let store = Arc::new(ProbedStore::new(sqlite));
    store.refuse_records_of("T-DEFECT");
    // Two records a batch, written only at shutdown: the first batch holds the refused record.
    let in_twos = RecordOptions {
        batch: 2,
        flush_interval: Duration::from_secs(3600),
        ..RecordOptions::default()
    };
    let mut app = spawn_recording(store.clone(), dir, test_options(), in_twos).await;
    for ticket in ["T-BEFORE", "T-DEFECT", "T-AFTER", "T-LAST"] {
        app.diagnosis
            .diagnose(diagnose("DEP-1", ticket))
            .await
            .expect("diagnose");
    }
    let recorder = app.recorder.clone();
    app.stop().await;

    let stats = recorder.stats();
    assert_eq!((stats.written, stats.dropped), (2, 2));
    let kept = [
        ("T-BEFORE", 0),
        ("T-DEFECT", 0),
        ("T-AFTER", 1),
        ("T-LAST", 1),
    ];
    for (ticket, kept) in kept {
        let query = paydiag::store::records::RecordQuery {
            ticket_id: Some(ticket.into()),
            limit: 10,
            ..Default::default()
        };
        let listed = store.list_records(&query).await.expect("list");
        assert_eq!(listed.len(), kept, "{ticket}");
    }
}

#[tokio::test]
async fn records_older_than_the_retention_are_deleted_at_the_moment_chosen() {
    let mut app = app().await;
    for i in 0..5 {
        app.diagnosis
            .diagnose(diagnose(&format!("DEP-{i}"), "T-900"))
            .await
            .expect("diagnose");
    }
    app.recorder.written(5).await;
    let all = list(&mut app, of_ticket("T-900", 0)).await.records;
    let made = |i: usize| {
        let t = all[i].diagnosed_at.expect("diagnosed_at");
        DateTime::from_timestamp(t.seconds, u32::try_from(t.nanos).expect("nanos")).expect("time")
    };
    let keep = RecordOptions::default().retention;
    assert_eq!(
        keep,
        Duration::from_secs(400 * 24 * 3600),
        "400 days unless configured"
    );
    let days_400 = TimeDelta::days(400);

    // The moment the newest record turns 400 days old: it is not older than that yet.
    let deleted = retention::expire(&*app.store, made(0) + days_400, keep, 2).await;
    assert_eq!(deleted.expect("expire"), 4);
    assert_eq!(
        references(&list(&mut app, of_ticket("T-900", 0)).await.records),
        ["DEP-4"]
    );
    let deleted = retention::expire(&*app.store, made(0) + days_400, keep, 2).await;
    assert_eq!(deleted.expect("expire"), 0);
    let deleted = retention::expire(
        &*app.store,
        made(0) + days_400 + TimeDelta::nanoseconds(1),
        keep,
        2,
    )
    .await;
    assert_eq!(deleted.expect("expire"), 1);
    assert_eq!(list(&mut app, of_ticket("T-900", 0)).await.records, []);
}
