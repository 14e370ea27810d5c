//! Where facts live: the [`FactStore`] trait and one module per backend.

pub mod codec;
pub mod sqlite;

use crate::engine::model::{
    AccountStatus, Facts, MaintenanceWindow, NetworkCondition, Transaction,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// One fact to store.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// Inserted, or replacing the one with the same reference.
    Transaction(Transaction),
    /// Appended to the account's history.
    AccountStatus(AccountStatus),
    /// Inserted, or replacing the one with the same id.
    MaintenanceWindow(MaintenanceWindow),
    /// Inserted, or replacing an observation of the same network at the same moment.
    NetworkCondition(NetworkCondition),
}

/// What a diagnosis needs loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct FactQuery {
    /// The transaction reference.
    pub reference: String,
    /// The network to look up maintenance and congestion for when the reference is unknown, or
    /// its transaction was created after `as_of` (so did not exist yet).
    pub claim_network: Option<String>,
    /// The evaluation time.
    pub as_of: DateTime<Utc>,
}

/// A store failure, split by what the caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store cannot be reached or is overloaded right now; retrying later may work.
    #[error("fact store unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a defect or corrupted data.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Storage of facts, one implementation per backend. Every backend passes the same
/// conformance suite (`tests/store_conformance.rs`).
#[async_trait]
pub trait FactStore: Send + Sync + std::fmt::Debug {
    /// Stores `facts` atomically, in order: all of them or none.
    async fn put_facts(&self, facts: Vec<Fact>) -> Result<(), StoreError>;

    /// Deletes a maintenance window; false when there was none with this id.
    async fn delete_maintenance_window(&self, id: &str) -> Result<bool, StoreError>;

    /// Loads what bears on a diagnosis at `query.as_of`: the transaction, the account status
    /// entry in force, the maintenance windows on its network (or every network) that started
    /// by `as_of` and had not cleared when it was created (for an unknown reference: windows on
    /// the claim's network still holding at `as_of`), and the latest congestion observation.
    /// The engine narrows these further itself.
    /// Everything comes from one snapshot: a concurrent `put_facts` shows whole or not at all.
    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError>;

    /// Checks that the store answers.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// A store shared by the server's tasks.
pub type SharedStore = Arc<dyn FactStore>;

/// Opens the store named by `db`: a SQLite file path (optionally as `sqlite://PATH`).
pub async fn open(db: &str, sqlite_readers: u32) -> anyhow::Result<SharedStore> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        anyhow::bail!(
            "PostgreSQL is not supported by this build of paydiag; use a SQLite file path"
        );
    }
    let path = db.strip_prefix("sqlite://").unwrap_or(db);
    Ok(Arc::new(
        sqlite::SqliteStore::open(std::path::Path::new(path), sqlite_readers).await?,
    ))
}
