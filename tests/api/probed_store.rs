//! The real SQLite store behind a wrapper that counts the lookups made through it, can make a
//! diagnosis's reads fail as a store out of reach does, and can refuse a ticket's case records
//! as a defect.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use paydiag::{
    engine::model::{Facts, MaintenanceWindow, NetworkCondition, Transaction},
    store::{
        Fact, FactQuery, FactStore, StoreError,
        changes::Change,
        records::{ListedRecord, RecordBatch, RecordQuery},
        search::TransactionSearch,
        sqlite::SqliteStore,
    },
};
use std::sync::{Mutex, PoisonError};
use tokio::sync::{broadcast, watch};

/// Which reads fail as unavailable, or never answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// None: every call reaches the store.
    None,
    /// A diagnosis's facts (`load_facts`).
    Facts,
    /// What a watch asks after the facts: the windows not cleared and the next account status.
    LookAhead,
    /// A diagnosis's facts never answer, as from a database that stopped answering.
    FactsHang,
}

#[derive(Debug)]
pub struct ProbedStore {
    inner: SqliteStore,
    /// Lookups tried through it: facts, searches and record listings, failed ones included.
    lookups: watch::Sender<usize>,
    /// Fact reads waiting for good on [`Outage::FactsHang`].
    hung: watch::Sender<usize>,
    outage: Mutex<Outage>,
    /// A ticket whose records' batches are refused as a defect.
    refused_ticket: Mutex<Option<String>>,
}

impl ProbedStore {
    pub fn new(inner: SqliteStore) -> Self {
        Self {
            inner,
            lookups: watch::Sender::new(0),
            hung: watch::Sender::new(0),
            outage: Mutex::new(Outage::None),
            refused_ticket: Mutex::new(None),
        }
    }

    /// Refuses every batch holding a record of `ticket` as a defect.
    pub fn refuse_records_of(&self, ticket: &str) {
        *self
            .refused_ticket
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(ticket.to_owned());
    }

    /// Lookups tried so far.
    pub fn lookups(&self) -> usize {
        *self.lookups.borrow()
    }

    /// Lookups tried, as they come.
    pub fn watch_lookups(&self) -> watch::Receiver<usize> {
        self.lookups.subscribe()
    }

    /// Fact reads that never answer, as they come.
    pub fn watch_hung(&self) -> watch::Receiver<usize> {
        self.hung.subscribe()
    }

    pub fn set_outage(&self, outage: Outage) {
        *self.outage.lock().unwrap_or_else(PoisonError::into_inner) = outage;
    }

    fn looked_up(&self) {
        self.lookups.send_modify(|n| *n += 1);
    }

    fn outage(&self) -> Outage {
        *self.outage.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn fails(&self, reads: Outage) -> Result<(), StoreError> {
        if self.outage() == reads {
            return Err(StoreError::Unavailable("an outage the test made".into()));
        }
        Ok(())
    }
}

#[async_trait]
impl FactStore for ProbedStore {
    async fn put_facts(&self, facts: Vec<Fact>) -> Result<(), StoreError> {
        self.inner.put_facts(facts).await
    }
    async fn delete_maintenance_window(&self, id: &str) -> Result<bool, StoreError> {
        self.inner.delete_maintenance_window(id).await
    }
    fn changes(&self) -> broadcast::Receiver<Change> {
        self.inner.changes()
    }
    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError> {
        self.looked_up();
        self.fails(Outage::Facts)?;
        if self.outage() == Outage::FactsHang {
            self.hung.send_modify(|n| *n += 1);
            std::future::pending::<()>().await;
        }
        self.inner.load_facts(query).await
    }
    async fn search_transactions(
        &self,
        search: &TransactionSearch,
    ) -> Result<Vec<Transaction>, StoreError> {
        self.looked_up();
        self.inner.search_transactions(search).await
    }
    async fn windows_not_cleared(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, StoreError> {
        self.fails(Outage::LookAhead)?;
        self.inner.windows_not_cleared(as_of).await
    }
    async fn next_status_from(
        &self,
        account_id: &str,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.fails(Outage::LookAhead)?;
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
        self.inner.probe_write(at).await
    }
    async fn put_records(&self, records: RecordBatch) -> Result<(), StoreError> {
        let refused = self
            .refused_ticket
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(ticket) = refused
            && records.iter().any(|r| r.ticket_id == ticket)
        {
            return Err(StoreError::Internal(anyhow::anyhow!(
                "a record the test made the store refuse"
            )));
        }
        self.inner.put_records(records).await
    }
    async fn list_records(&self, query: &RecordQuery) -> Result<Vec<ListedRecord>, StoreError> {
        self.looked_up();
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
