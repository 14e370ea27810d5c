//! The conformance checks of case records: written in batches, listed newest first a page at a
//! time by ticket or reference, and deleted oldest first in small batches.

use super::{Backend, as_of, at, hours};
use chrono::{DateTime, TimeDelta, Utc};
use paydiag::api::enums::{ACTIONS, CAUSES, action_of, cause_of};
use paydiag::engine::diagnosis::{Action, Cause};
use paydiag::store::{
    SharedStore,
    records::{
        DiagnosisRecord, ListedRecord, RecordCursor, RecordQuery, RecordSource, RecordedRouting,
    },
};
use paydiag::triage::policy::{Disposition, Priority};

/// A record of `ticket` about `reference` made at `diagnosed_at`, every optional field unset.
pub fn record(ticket: &str, reference: &str, diagnosed_at: DateTime<Utc>) -> DiagnosisRecord {
    DiagnosisRecord {
        ticket_id: ticket.to_owned(),
        reference: reference.to_owned(),
        tx_hash: None,
        as_of: diagnosed_at,
        diagnosed_at,
        cause: Cause::NotFound,
        contributing_causes: Vec::new(),
        action: Action::CheckReference,
        recheck_at: None,
        expected_resolution_at: None,
        ruleset_version: "rules-1".to_owned(),
        caller: "agent".to_owned(),
        source: RecordSource::Diagnose,
        routing: None,
    }
}

/// A triage record with every optional field set and text that trips up naive storage.
fn full_record(ticket: &str) -> DiagnosisRecord {
    DiagnosisRecord {
        reference: "DEP-'O''Brien'; DROP TABLE diagnosis_records; -- 目的地 🚀".to_owned(),
        tx_hash: Some("0x9F2C4E8B1D7A6F3E5C0B9A8D7E6F5A4B3C2D1E0F".to_owned()),
        as_of: at("2026-11-22T07:59:59.123456789Z"),
        cause: Cause::ConfirmationStalled,
        contributing_causes: vec![Cause::Maintenance, Cause::AccountFrozen],
        action: Action::Escalate,
        recheck_at: Some(at("2026-11-22T08:30:00.000000001Z")),
        expected_resolution_at: Some(at("9999-12-31T23:59:59.999999999Z")),
        ruleset_version: "sha256:0f3c 规则".to_owned(),
        caller: "agent \"desk\" 2".to_owned(),
        source: RecordSource::TriageTicket,
        routing: Some(RecordedRouting {
            disposition: Disposition::Escalate,
            queue: Some("payments_ops".to_owned()),
            priority: Some(Priority::P1),
        }),
        ..record(ticket, "unused", as_of())
    }
}

async fn put(store: &SharedStore, records: Vec<DiagnosisRecord>) {
    store
        .put_records(records.into())
        .await
        .expect("put_records");
}

/// The first ten records of `ticket`, newest first.
fn ticket_query(ticket: &str) -> RecordQuery {
    RecordQuery {
        ticket_id: Some(ticket.to_owned()),
        limit: 10,
        ..RecordQuery::default()
    }
}

/// The first ten records about `reference`, newest first.
fn reference_query(reference: &str) -> RecordQuery {
    RecordQuery {
        reference: Some(reference.to_owned()),
        limit: 10,
        ..RecordQuery::default()
    }
}

/// Every record of `ticket`, newest first, in one listing.
async fn of_ticket(store: &SharedStore, ticket: &str) -> Vec<DiagnosisRecord> {
    list(
        store,
        RecordQuery {
            limit: 1000,
            ..ticket_query(ticket)
        },
    )
    .await
    .into_iter()
    .map(|l| l.record)
    .collect()
}

async fn list(store: &SharedStore, query: RecordQuery) -> Vec<ListedRecord> {
    store.list_records(&query).await.expect("list_records")
}

fn references(listed: &[ListedRecord]) -> Vec<&str> {
    listed.iter().map(|l| l.record.reference.as_str()).collect()
}

pub async fn a_record_round_trips_every_field_exactly(store: &SharedStore) {
    let full = full_record("T-FULL");
    let bare = record("T-FULL", "DEP-BARE", as_of() - hours(1));
    put(store, vec![full.clone(), bare.clone()]).await;
    assert_eq!(of_ticket(store, "T-FULL").await, vec![full, bare]);
}

pub async fn every_cause_action_disposition_priority_and_source_round_trips(store: &SharedStore) {
    let causes: Vec<Cause> = CAUSES.iter().filter_map(|c| cause_of(*c)).collect();
    let actions: Vec<Action> = ACTIONS.iter().filter_map(|a| action_of(*a)).collect();
    let dispositions = [
        Disposition::AutoReply,
        Disposition::Route,
        Disposition::Escalate,
        Disposition::NeedsInfo,
    ];
    let priorities = [
        None,
        Some(Priority::P1),
        Some(Priority::P2),
        Some(Priority::P3),
        Some(Priority::P4),
    ];
    let sources = [
        RecordSource::Diagnose,
        RecordSource::BatchDiagnose,
        RecordSource::TriageTicket,
    ];
    let rows = causes.len().max(actions.len()).max(dispositions.len());
    let written: Vec<DiagnosisRecord> = (0..rows)
        .map(|i| DiagnosisRecord {
            cause: causes[i % causes.len()],
            contributing_causes: causes[..i % causes.len()].to_vec(),
            action: actions[i % actions.len()],
            source: sources[i % sources.len()],
            routing: Some(RecordedRouting {
                disposition: dispositions[i % dispositions.len()],
                queue: None,
                priority: priorities[i % priorities.len()],
            }),
            // Newest first: the first written is the newest.
            ..record(
                "T-CODES",
                &format!("R-{i}"),
                as_of() - TimeDelta::seconds(i as i64),
            )
        })
        .collect();
    put(store, written.clone()).await;
    assert_eq!(of_ticket(store, "T-CODES").await, written);
}

pub async fn an_empty_record_batch_succeeds_and_stores_nothing(store: &SharedStore) {
    put(store, Vec::new()).await;
    assert_eq!(of_ticket(store, "T-1").await, Vec::new());
}

pub async fn records_are_listed_by_ticket_or_by_reference_newest_first(store: &SharedStore) {
    put(
        store,
        vec![
            record("T-1", "DEP-A", as_of() - hours(3)),
            record("T-2", "DEP-A", as_of() - hours(2)),
            record("T-1", "DEP-B", as_of() - hours(1)),
            record("T-1", "DEP-A", as_of()),
        ],
    )
    .await;
    let by_ticket = list(store, ticket_query("T-1")).await;
    assert_eq!(references(&by_ticket), ["DEP-A", "DEP-B", "DEP-A"]);
    let times: Vec<DateTime<Utc>> = by_ticket.iter().map(|l| l.record.diagnosed_at).collect();
    assert_eq!(times, [as_of(), as_of() - hours(1), as_of() - hours(3)]);
    let by_reference = list(store, reference_query("DEP-A")).await;
    let tickets: Vec<&str> = by_reference
        .iter()
        .map(|l| l.record.ticket_id.as_str())
        .collect();
    assert_eq!(tickets, ["T-1", "T-2", "T-1"]);
    // Both: only the ticket's records of that reference.
    let both = list(
        store,
        RecordQuery {
            reference: Some("DEP-B".into()),
            ..ticket_query("T-1")
        },
    )
    .await;
    assert_eq!(references(&both), ["DEP-B"]);
    let unknown = list(store, ticket_query("T-9")).await;
    assert_eq!(unknown, Vec::new());
}

pub async fn records_made_at_the_same_moment_list_the_later_stored_first(store: &SharedStore) {
    put(
        store,
        vec![
            record("T-1", "DEP-1", as_of()),
            record("T-1", "DEP-2", as_of()),
        ],
    )
    .await;
    put(store, vec![record("T-1", "DEP-3", as_of())]).await;
    let listed = list(store, ticket_query("T-1")).await;
    assert_eq!(references(&listed), ["DEP-3", "DEP-2", "DEP-1"]);
    let ids: Vec<i64> = listed.iter().map(|l| l.id).collect();
    assert!(
        ids[0] > ids[1] && ids[1] > ids[2],
        "ids in storing order: {ids:?}"
    );
}

pub async fn a_listing_continues_after_its_cursor_a_page_at_a_time(store: &SharedStore) {
    // Seven records, two of them made at the same moment, so that the cursor's id decides.
    let times = [0, 1, 2, 2, 3, 4, 5].map(|m| as_of() - TimeDelta::minutes(m));
    let written: Vec<DiagnosisRecord> = times
        .iter()
        .enumerate()
        .map(|(i, t)| record("T-PAGED", &format!("DEP-{i}"), *t))
        .collect();
    put(store, written).await;
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut after: Option<RecordCursor> = None;
    loop {
        let page = list(
            store,
            RecordQuery {
                after,
                limit: 3,
                ..ticket_query("T-PAGED")
            },
        )
        .await;
        pages.push(references(&page).into_iter().map(str::to_owned).collect());
        match page.last() {
            Some(last) if page.len() == 3 => after = Some(last.cursor()),
            _ => break,
        }
    }
    // DEP-2 and DEP-3 were made together; DEP-3, stored later, comes first.
    assert_eq!(
        pages,
        [
            vec!["DEP-0", "DEP-1", "DEP-3"],
            vec!["DEP-2", "DEP-4", "DEP-5"],
            vec!["DEP-6"],
        ]
    );
}

pub async fn records_are_listed_within_a_time_range_from_inclusive_to_exclusive(
    store: &SharedStore,
) {
    let written: Vec<DiagnosisRecord> = (0..5)
        .map(|h| record("T-RANGE", &format!("DEP-{h}"), as_of() - hours(h)))
        .collect();
    put(store, written).await;
    let listed = list(
        store,
        RecordQuery {
            diagnosed_from: Some(as_of() - hours(3)),
            diagnosed_before: Some(as_of() - hours(1)),
            ..ticket_query("T-RANGE")
        },
    )
    .await;
    assert_eq!(references(&listed), ["DEP-2", "DEP-3"]);
}

pub async fn deleting_old_records_takes_the_oldest_first_at_most_the_limit(store: &SharedStore) {
    let written: Vec<DiagnosisRecord> = (0..5)
        .map(|d| record("T-OLD", &format!("DEP-{d}"), as_of() - TimeDelta::days(d)))
        .collect();
    put(store, written).await;
    let cutoff = as_of() - TimeDelta::days(1) - TimeDelta::seconds(1);
    // DEP-2, DEP-3 and DEP-4 are older than the cutoff: the two oldest go first.
    let deleted = store
        .delete_records_before(cutoff, 2)
        .await
        .expect("delete");
    assert_eq!(deleted, 2);
    let left: Vec<String> = of_ticket(store, "T-OLD")
        .await
        .into_iter()
        .map(|r| r.reference)
        .collect();
    assert_eq!(left, ["DEP-0", "DEP-1", "DEP-2"]);
    assert_eq!(
        store
            .delete_records_before(cutoff, 2)
            .await
            .expect("delete"),
        1
    );
    assert_eq!(
        store
            .delete_records_before(cutoff, 2)
            .await
            .expect("delete"),
        0
    );
    let left: Vec<String> = of_ticket(store, "T-OLD")
        .await
        .into_iter()
        .map(|r| r.reference)
        .collect();
    assert_eq!(left, ["DEP-0", "DEP-1"]);
}

pub async fn records_survive_a_restart(backend: &dyn Backend) {
    let written = vec![
        full_record("T-KEPT"),
        record("T-KEPT", "DEP-1", as_of() - hours(1)),
    ];
    {
        let store = backend.open().await;
        put(&store, written.clone()).await;
    }
    let reopened = backend.open().await;
    assert_eq!(of_ticket(&reopened, "T-KEPT").await, written);
}

pub async fn records_written_through_one_store_are_listed_by_another(backend: &dyn Backend) {
    let first = backend.open().await;
    let second = backend.open().await;
    put(
        &first,
        vec![record("T-SHARED", "DEP-1", as_of() - hours(1))],
    )
    .await;
    put(&second, vec![record("T-SHARED", "DEP-2", as_of())]).await;
    for store in [&first, &second] {
        let listed = of_ticket(store, "T-SHARED").await;
        let references: Vec<&str> = listed.iter().map(|r| r.reference.as_str()).collect();
        assert_eq!(references, ["DEP-2", "DEP-1"]);
    }
}
