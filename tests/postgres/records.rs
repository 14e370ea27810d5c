//! Case records on PostgreSQL over real gRPC: replicas writing one table, records waiting in
//! the buffer while the database is away, and retention under an explicit clock.

use super::{ACQUIRE_TIMEOUT, Mode, OPERATION_TIMEOUT, Proxy, TestApp, TestSchema, stop, upstream};
use crate::helpers::{at, spawn_recording, test_options};
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use paydiag::{
    api::fact_codec::timestamp,
    engine::model::{Facts, MaintenanceWindow, NetworkCondition, Transaction},
    pb::v1 as pb,
    recorder::{RecordOptions, retention},
    store::{
        Fact, FactQuery, FactStore, SharedStore, StoreConfig, StoreError,
        records::{ListedRecord, RecordBatch, RecordQuery},
        search::TransactionSearch,
    },
};
use std::time::Duration;

/// A server on the PostgreSQL database at `url`, recording with `records`.
async fn spawn(url: String, records: RecordOptions) -> TestApp {
    let generous = Duration::from_secs(10);
    let store = open(url, generous, generous).await;
    spawn_recording(
        store,
        tempfile::TempDir::new().expect("dir"),
        test_options(),
        records,
    )
    .await
}

async fn open(url: String, acquire_timeout: Duration, operation_timeout: Duration) -> SharedStore {
    let config = StoreConfig {
        db: url,
        pool_size: 4,
        acquire_timeout,
        operation_timeout,
    };
    paydiag::store::open(&config)
        .await
        .expect("opening the PostgreSQL store")
}

async fn diagnose(app: &mut TestApp, reference: &str, ticket: &str) -> pb::Diagnosis {
    let request = pb::DiagnoseRequest {
        reference: reference.into(),
        as_of: Some(timestamp(at(1))),
        ticket_id: ticket.into(),
        ..Default::default()
    };
    app.diagnosis
        .diagnose(request)
        .await
        .expect("diagnose")
        .into_inner()
}

/// The references of `ticket`'s records, newest first, as `app` lists them.
async fn listed(app: &mut TestApp, ticket: &str) -> Vec<String> {
    let request = pb::ListDiagnosisRecordsRequest {
        ticket_id: ticket.into(),
        page_size: 500,
        ..Default::default()
    };
    let page = app
        .diagnosis
        .list_diagnosis_records(request)
        .await
        .expect("list records")
        .into_inner();
    page.records.into_iter().map(|r| r.reference).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn a_record_written_through_one_replica_is_listed_by_another() {
    let schema = TestSchema::create().await;
    let mut a = spawn(schema.url(), RecordOptions::default()).await;
    let mut b = spawn(schema.url(), RecordOptions::default()).await;

    diagnose(&mut a, "DEP-THROUGH-A", "T-REPLICAS").await;
    a.recorder.written(1).await;
    assert_eq!(listed(&mut b, "T-REPLICAS").await, ["DEP-THROUGH-A"]);

    diagnose(&mut b, "DEP-THROUGH-B", "T-REPLICAS").await;
    b.recorder.written(1).await;
    for replica in [&mut a, &mut b] {
        assert_eq!(
            listed(replica, "T-REPLICAS").await,
            ["DEP-THROUGH-B", "DEP-THROUGH-A"]
        );
    }
    stop(a).await;
    stop(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn records_older_than_the_retention_are_deleted_from_postgresql_at_the_moment_chosen() {
    let schema = TestSchema::create().await;
    let mut a = spawn(schema.url(), RecordOptions::default()).await;
    let b = spawn(schema.url(), RecordOptions::default()).await;
    for reference in ["DEP-OLD", "DEP-NEW"] {
        diagnose(&mut a, reference, "T-KEPT").await;
    }
    a.recorder.written(2).await;
    let query = RecordQuery {
        ticket_id: Some("T-KEPT".into()),
        limit: 10,
        ..RecordQuery::default()
    };
    let made: Vec<DateTime<Utc>> = b
        .store
        .list_records(&query)
        .await
        .expect("list")
        .iter()
        .map(|l| l.record.diagnosed_at)
        .collect();
    let keep = Duration::from_secs(400 * 24 * 3600);
    let days_400 = TimeDelta::days(400);

    // Through the other replica's store: 400 days after the newest was made, only it is left.
    let expired = retention::expire(&*b.store, made[0] + days_400, keep, 1).await;
    assert_eq!(expired.expect("expire"), 1);
    assert_eq!(listed(&mut a, "T-KEPT").await, ["DEP-NEW"]);
    let expired = retention::expire(
        &*b.store,
        made[0] + days_400 + TimeDelta::nanoseconds(1),
        keep,
        1,
    )
    .await;
    assert_eq!(expired.expect("expire"), 1);
    assert_eq!(listed(&mut a, "T-KEPT").await, Vec::<String>::new());
    stop(a).await;
    stop(b).await;
}

/// A replica whose fact reads go straight to the database and whose case records go through
/// a proxy: cutting the proxy takes the database away from the record writer alone, so that
/// diagnoses go on being made (and recorded) while it cannot write.
#[derive(Debug)]
struct RecordsThrough {
    facts: SharedStore,
    records: SharedStore,
}

#[async_trait]
impl FactStore for RecordsThrough {
    async fn put_facts(&self, facts: Vec<Fact>) -> Result<(), StoreError> {
        self.facts.put_facts(facts).await
    }
    async fn delete_maintenance_window(&self, id: &str) -> Result<bool, StoreError> {
        self.facts.delete_maintenance_window(id).await
    }
    fn changes(&self) -> tokio::sync::broadcast::Receiver<paydiag::store::changes::Change> {
        self.facts.changes()
    }
    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError> {
        self.facts.load_facts(query).await
    }
    async fn load_many(&self, queries: &[FactQuery]) -> Result<Vec<Facts>, StoreError> {
        self.facts.load_many(queries).await
    }
    async fn search_transactions(
        &self,
        search: &TransactionSearch,
    ) -> Result<Vec<Transaction>, StoreError> {
        self.facts.search_transactions(search).await
    }
    async fn windows_not_cleared(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, StoreError> {
        self.facts.windows_not_cleared(as_of).await
    }
    async fn next_status_from(
        &self,
        account_id: &str,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.facts.next_status_from(account_id, after).await
    }
    async fn latest_conditions(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<NetworkCondition>, StoreError> {
        self.facts.latest_conditions(as_of).await
    }
    async fn ping(&self) -> Result<(), StoreError> {
        self.facts.ping().await
    }
    async fn probe_write(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.facts.probe_write(at).await
    }
    async fn put_records(&self, records: RecordBatch) -> Result<(), StoreError> {
        self.records.put_records(records).await
    }
    async fn list_records(&self, query: &RecordQuery) -> Result<Vec<ListedRecord>, StoreError> {
        self.facts.list_records(query).await
    }
    async fn delete_records_before(
        &self,
        cutoff: DateTime<Utc>,
        limit: usize,
    ) -> Result<u64, StoreError> {
        self.records.delete_records_before(cutoff, limit).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
)]
async fn records_wait_in_the_buffer_while_postgresql_is_away_and_what_overflows_is_counted() {
    const BUFFER: u64 = 10;
    const MADE: u64 = 30;
    let schema = TestSchema::create().await;
    let proxy = Proxy::start(upstream()).await;
    let generous = Duration::from_secs(10);
    let store = RecordsThrough {
        facts: open(schema.url(), generous, generous).await,
        records: open(
            schema.url_via(proxy.addr()),
            ACQUIRE_TIMEOUT,
            OPERATION_TIMEOUT,
        )
        .await,
    };
    // One record per batch: the writer holds at most one while it retries.
    let records = RecordOptions {
        buffer: BUFFER as usize,
        batch: 1,
        ..RecordOptions::default()
    };
    let dir = tempfile::TempDir::new().expect("dir");
    let mut app = spawn_recording(std::sync::Arc::new(store), dir, test_options(), records).await;
    diagnose(&mut app, "DEP-BEFORE", "T-BEFORE").await;
    app.recorder.written(1).await;

    proxy.set(Mode::Refuse);
    for i in 0..MADE {
        let d = diagnose(&mut app, &format!("DEP-{i:02}"), "T-AWAY").await;
        assert_eq!(d.cause(), pb::Cause::NotFound, "diagnoses go on");
    }
    let away = app.recorder.stats();
    // Kept: the buffer full, and the one record the writer holds if it took it before the
    // buffer filled. The rest, the latest made, is dropped and counted.
    let kept = away.accepted - 1;
    assert!(kept == BUFFER || kept == BUFFER + 1, "{away:?}");
    assert_eq!(away.dropped, MADE - kept, "{away:?}");
    assert_eq!(away.written, 1, "{away:?}");

    proxy.set(Mode::Forward);
    tokio::time::timeout(Duration::from_secs(20), app.recorder.written(1 + kept))
        .await
        .expect("the buffered records are written once the database is back");
    let expected: Vec<String> = (0..kept).rev().map(|i| format!("DEP-{i:02}")).collect();
    assert_eq!(listed(&mut app, "T-AWAY").await, expected);
    assert_eq!(app.recorder.stats().dropped, MADE - kept);
    stop(app).await;
}
