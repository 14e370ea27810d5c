//! Store metrics: latency of every operation and errors by kind, whatever the backend.

use super::{
    Fact, FactQuery, FactStore, SharedStore, StoreError,
    records::{ListedRecord, RecordBatch, RecordQuery},
    search::TransactionSearch,
};
use crate::engine::model::{Facts, MaintenanceWindow, NetworkCondition, Transaction};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use metrics::Histogram;
use std::{sync::OnceLock, time::Instant};

/// Wraps a store and records `paydiag_store_operation_duration_seconds` and
/// `paydiag_store_errors_total`, by operation.
#[derive(Debug)]
pub struct Instrumented {
    inner: SharedStore,
    put_facts: Operation,
    delete_maintenance_window: Operation,
    load_facts: Operation,
    load_many: Operation,
    search_transactions: Operation,
    windows_not_cleared: Operation,
    next_status_from: Operation,
    latest_conditions: Operation,
    ping: Operation,
    probe_write: Operation,
    put_records: Operation,
    list_records: Operation,
    delete_records_before: Operation,
}

impl Instrumented {
    /// Instruments `inner`.
    pub fn new(inner: SharedStore) -> Self {
        Self {
            inner,
            put_facts: Operation::new("put_facts"),
            delete_maintenance_window: Operation::new("delete_maintenance_window"),
            load_facts: Operation::new("load_facts"),
            load_many: Operation::new("load_many"),
            search_transactions: Operation::new("search_transactions"),
            windows_not_cleared: Operation::new("windows_not_cleared"),
            next_status_from: Operation::new("next_status_from"),
            latest_conditions: Operation::new("latest_conditions"),
            ping: Operation::new("ping"),
            probe_write: Operation::new("probe_write"),
            put_records: Operation::new("put_records"),
            list_records: Operation::new("list_records"),
            delete_records_before: Operation::new("delete_records_before"),
        }
    }
}

/// One operation's metrics. Its duration histogram is registered on first use and kept, as
/// looking it up by name and label on every call costs more than recording into it; first use
/// comes after the process installed its recorder.
#[derive(Debug)]
struct Operation {
    name: &'static str,
    duration: OnceLock<Histogram>,
}

impl Operation {
    const fn new(name: &'static str) -> Self {
        Self {
            name,
            duration: OnceLock::new(),
        }
    }

    async fn timed<T>(
        &self,
        call: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let started = Instant::now();
        let result = call.await;
        self.duration
            .get_or_init(|| {
                metrics::histogram!("paydiag_store_operation_duration_seconds", "operation" => self.name)
            })
            .record(started.elapsed().as_secs_f64());
        if let Err(e) = &result {
            metrics::counter!("paydiag_store_errors_total", "operation" => self.name, "kind" => e.kind())
                .increment(1);
        }
        result
    }
}

#[async_trait]
impl FactStore for Instrumented {
    async fn put_facts(&self, facts: Vec<Fact>) -> Result<(), StoreError> {
        self.put_facts.timed(self.inner.put_facts(facts)).await
    }

    async fn delete_maintenance_window(&self, id: &str) -> Result<bool, StoreError> {
        self.delete_maintenance_window
            .timed(self.inner.delete_maintenance_window(id))
            .await
    }

    fn changes(&self) -> tokio::sync::broadcast::Receiver<crate::store::changes::Change> {
        self.inner.changes()
    }

    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError> {
        self.load_facts.timed(self.inner.load_facts(query)).await
    }

    async fn load_many(&self, queries: &[FactQuery]) -> Result<Vec<Facts>, StoreError> {
        self.load_many.timed(self.inner.load_many(queries)).await
    }

    async fn search_transactions(
        &self,
        search: &TransactionSearch,
    ) -> Result<Vec<Transaction>, StoreError> {
        self.search_transactions
            .timed(self.inner.search_transactions(search))
            .await
    }

    async fn windows_not_cleared(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, StoreError> {
        self.windows_not_cleared
            .timed(self.inner.windows_not_cleared(as_of))
            .await
    }

    async fn next_status_from(
        &self,
        account_id: &str,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.next_status_from
            .timed(self.inner.next_status_from(account_id, after))
            .await
    }

    async fn latest_conditions(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<NetworkCondition>, StoreError> {
        self.latest_conditions
            .timed(self.inner.latest_conditions(as_of))
            .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.ping.timed(self.inner.ping()).await
    }

    async fn probe_write(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.probe_write.timed(self.inner.probe_write(at)).await
    }

    async fn put_records(&self, records: RecordBatch) -> Result<(), StoreError> {
        self.put_records
            .timed(self.inner.put_records(records))
            .await
    }

    async fn list_records(&self, query: &RecordQuery) -> Result<Vec<ListedRecord>, StoreError> {
        self.list_records
            .timed(self.inner.list_records(query))
            .await
    }

    async fn delete_records_before(
        &self,
        cutoff: DateTime<Utc>,
        limit: usize,
    ) -> Result<u64, StoreError> {
        self.delete_records_before
            .timed(self.inner.delete_records_before(cutoff, limit))
            .await
    }
}
