//! Health per service, following the store: `paydiag.v1.DiagnosisService` serves while the store
//! answers reads; `paydiag.v1.FactService` while it also takes writes; the whole server (`""`)
//! only while both serve.
//!
//! Whether the store takes writes is learnt from the writes themselves (see [`watch_writes`]):
//! a write refused for lack of space or for a read-only store turns FactService NOT_SERVING at
//! once. Only then does the probe write (a one-row upsert, [`FactStore::probe_write`]), until a
//! write is taken again; a healthy store is never written to by health.

use crate::engine::model::{Facts, MaintenanceWindow, NetworkCondition, Transaction};
use crate::store::{
    Fact, FactQuery, FactStore, SharedStore, StoreError,
    records::{ListedRecord, RecordBatch, RecordQuery},
    search::TransactionSearch,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::{sync::Arc, time::Duration};
use tokio::sync::{Mutex, watch};
use tokio_util::sync::CancellationToken;
use tonic_health::{ServingStatus, server::HealthReporter};

/// The name health is reported under for the diagnosis service.
pub const DIAGNOSIS_SERVICE: &str = "paydiag.v1.DiagnosisService";
/// The name health is reported under for the fact service.
pub const FACT_SERVICE: &str = "paydiag.v1.FactService";
/// The names health is reported for: the whole server ("") and each service.
pub const SERVICES: [&str; 3] = ["", DIAGNOSIS_SERVICE, FACT_SERVICE];

/// What health knows of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreHealth {
    /// The store answers.
    pub reachable: bool,
    /// The store takes writes (as far as the last write told).
    pub writable: bool,
}

impl StoreHealth {
    /// A store that answers and takes writes.
    pub const HEALTHY: Self = Self {
        reachable: true,
        writable: true,
    };

    /// The status of `service`: reads need the store reachable, writes also writable, and the
    /// whole server both.
    pub fn status(self, service: &str) -> ServingStatus {
        let serving = match service {
            DIAGNOSIS_SERVICE => self.reachable,
            _ => self.reachable && self.writable,
        };
        if serving {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        }
    }
}

/// The health service's statuses, which turn NOT_SERVING for good once the server stops.
#[derive(Debug)]
pub struct Health {
    reporter: HealthReporter,
    /// Set when shutdown begins; held while statuses change, so that a probe finishing late
    /// cannot turn a stopping server SERVING again.
    stopped: Mutex<bool>,
}

impl Health {
    /// Reports every service SERVING.
    pub async fn start(reporter: HealthReporter) -> Arc<Self> {
        let health = Self {
            reporter,
            stopped: Mutex::new(false),
        };
        health.set(StoreHealth::HEALTHY).await;
        Arc::new(health)
    }

    /// Reports every service NOT_SERVING from now on.
    pub async fn stop(&self) {
        let mut stopped = self.stopped.lock().await;
        *stopped = true;
        for service in SERVICES {
            let status = ServingStatus::NotServing;
            self.reporter.set_service_status(service, status).await;
        }
    }

    /// Reports each service as `store` allows, unless the server is stopping.
    pub async fn show(&self, store: StoreHealth) {
        let stopped = self.stopped.lock().await;
        if !*stopped {
            self.set(store).await;
        }
    }

    async fn set(&self, store: StoreHealth) {
        for service in SERVICES {
            let status = store.status(service);
            self.reporter.set_service_status(service, status).await;
        }
    }
}

/// Whether the store takes writes, as the last write that said so found: `None` while it
/// does, else why it refused.
#[derive(Debug, Clone)]
pub struct Writes(Arc<watch::Sender<Option<String>>>);

impl Writes {
    fn new() -> Self {
        Self(Arc::new(watch::Sender::new(None)))
    }

    /// Why writes are refused, if they are.
    pub fn refusal(&self) -> Option<String> {
        self.0.borrow().clone()
    }

    /// Records what a write's outcome says; `wrote` is whether it stored anything (a write
    /// that changed nothing proves nothing about space).
    fn observe<T>(&self, result: &Result<T, StoreError>, wrote: impl FnOnce(&T) -> bool) {
        match result {
            Err(e) if e.refuses_writes() => self.refused(e.to_string()),
            Ok(value) if wrote(value) => self.taken(),
            _ => {}
        }
    }

    fn refused(&self, why: String) {
        self.0.send_if_modified(|state| {
            let first = state.is_none();
            *state = Some(why);
            first
        });
    }

    fn taken(&self) {
        self.0.send_if_modified(|state| state.take().is_some());
    }
}

/// `store` with its writes observed: the store to hand the services that write, and what its
/// writes tell.
pub fn watch_writes(store: SharedStore) -> (SharedStore, Writes) {
    let writes = Writes::new();
    let watched = WriteWatched {
        inner: store,
        writes: writes.clone(),
    };
    (Arc::new(watched), writes)
}

/// Keeps health in step with the store until `stopping`: every `every`, checks that it
/// answers and, only while writes are refused, whether it takes a write again; and shows at
/// once a write being refused or taken.
pub async fn probe_store(
    store: SharedStore,
    writes: Writes,
    health: Arc<Health>,
    every: Duration,
    stopping: CancellationToken,
) {
    let mut changes = writes.0.subscribe();
    let mut shown = StoreHealth::HEALTHY;
    let mut unreachable = None;
    loop {
        tokio::select! {
            () = stopping.cancelled() => return,
            Ok(()) = changes.changed() => {}
            () = tokio::time::sleep(every) => {
                unreachable = probe(&store, &writes, every).await.err();
            }
        }
        let now = StoreHealth {
            reachable: unreachable.is_none(),
            writable: writes.refusal().is_none(),
        };
        if now != shown {
            log_change(shown, now, unreachable.as_deref(), &writes);
            health.show(now).await;
            shown = now;
        }
    }
}

/// Whether the store answers (else why not); when it does while writes are refused, tries a
/// write, and records what it found.
async fn probe(store: &SharedStore, writes: &Writes, every: Duration) -> Result<(), String> {
    let limit = every.max(Duration::from_millis(500));
    match tokio::time::timeout(limit, store.ping()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(e.to_string()),
        Err(_) => return Err("no answer".to_owned()),
    }
    if writes.refusal().is_some() {
        let write = tokio::time::timeout(limit, store.probe_write(Utc::now())).await;
        match write {
            Ok(result) => writes.observe(&result, |()| true),
            Err(_) => tracing::debug!("the fact store's write probe did not finish in time"),
        }
    }
    Ok(())
}

fn log_change(before: StoreHealth, now: StoreHealth, unreachable: Option<&str>, writes: &Writes) {
    if before.reachable != now.reachable {
        match unreachable {
            Some(cause) => tracing::warn!(%cause, "fact store unreachable: not serving"),
            None => tracing::info!("fact store reachable again: serving"),
        }
    }
    if before.writable != now.writable {
        match writes.refusal() {
            Some(cause) => {
                tracing::warn!(%cause, "fact store refuses writes: {FACT_SERVICE} not serving")
            }
            None => tracing::info!("fact store takes writes again: {FACT_SERVICE} serving"),
        }
    }
}

/// A store whose writes tell [`Writes`] whether the store takes them.
#[derive(Debug)]
struct WriteWatched {
    inner: SharedStore,
    writes: Writes,
}

#[async_trait]
impl FactStore for WriteWatched {
    async fn put_facts(&self, facts: Vec<Fact>) -> Result<(), StoreError> {
        let wrote = !facts.is_empty();
        let result = self.inner.put_facts(facts).await;
        self.writes.observe(&result, |()| wrote);
        result
    }

    async fn delete_maintenance_window(&self, id: &str) -> Result<bool, StoreError> {
        let result = self.inner.delete_maintenance_window(id).await;
        self.writes.observe(&result, |deleted| *deleted);
        result
    }

    fn changes(&self) -> tokio::sync::broadcast::Receiver<crate::store::changes::Change> {
        self.inner.changes()
    }

    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError> {
        self.inner.load_facts(query).await
    }

    async fn load_many(&self, queries: &[FactQuery]) -> Result<Vec<Facts>, StoreError> {
        self.inner.load_many(queries).await
    }

    async fn search_transactions(
        &self,
        search: &TransactionSearch,
    ) -> Result<Vec<Transaction>, StoreError> {
        self.inner.search_transactions(search).await
    }

    async fn windows_not_cleared(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, StoreError> {
        self.inner.windows_not_cleared(as_of).await
    }

    async fn next_status_from(
        &self,
        account_id: &str,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.inner.next_status_from(account_id, after).await
    }

    async fn latest_conditions(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<NetworkCondition>, StoreError> {
        self.inner.latest_conditions(as_of).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.inner.ping().await
    }

    async fn probe_write(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        let result = self.inner.probe_write(at).await;
        self.writes.observe(&result, |()| true);
        result
    }

    async fn put_records(&self, records: RecordBatch) -> Result<(), StoreError> {
        let wrote = !records.is_empty();
        let result = self.inner.put_records(records).await;
        self.writes.observe(&result, |()| wrote);
        result
    }

    async fn list_records(&self, query: &RecordQuery) -> Result<Vec<ListedRecord>, StoreError> {
        self.inner.list_records(query).await
    }

    async fn delete_records_before(
        &self,
        cutoff: DateTime<Utc>,
        limit: usize,
    ) -> Result<u64, StoreError> {
        self.inner.delete_records_before(cutoff, limit).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_service_serves_while_the_store_can_do_what_it_needs_and_the_server_while_both_do() {
        use ServingStatus::{NotServing as No, Serving as Yes};
        // (reachable, writable) -> ("", DiagnosisService, FactService)
        let expected = [
            ((true, true), [Yes, Yes, Yes]),
            ((true, false), [No, Yes, No]),
            ((false, true), [No, No, No]),
            ((false, false), [No, No, No]),
        ];
        for ((reachable, writable), statuses) in expected {
            let store = StoreHealth {
                reachable,
                writable,
            };
            let got = SERVICES.map(|service| store.status(service));
            assert_eq!(got, statuses, "{store:?}");
        }
    }

    #[test]
    fn a_refused_write_is_remembered_until_a_write_is_taken() {
        let writes = Writes::new();
        let refused: Result<(), StoreError> = Err(StoreError::NoSpace("disk full".into()));
        writes.observe(&refused, |()| true);
        assert!(
            writes
                .refusal()
                .is_some_and(|why| why.contains("disk full"))
        );
        // Neither an outage nor a write that stored nothing says the store has room again.
        let unavailable: Result<(), StoreError> = Err(StoreError::Unavailable("gone".into()));
        writes.observe(&unavailable, |()| true);
        writes.observe(&Ok(false), |deleted| *deleted);
        assert!(writes.refusal().is_some());
        writes.observe(&Ok(()), |()| true);
        assert_eq!(writes.refusal(), None);
    }
}
