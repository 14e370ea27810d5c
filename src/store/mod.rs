//! Where facts live: the [`FactStore`] trait and one module per backend.

pub mod changes;
pub mod codec;
pub mod instrumented;
pub mod postgres;
pub mod records;
pub mod resident;
pub mod search;
pub mod sqlite;

use crate::engine::model::{
    AccountStatus, Facts, MaintenanceWindow, NetworkCondition, Ownership, Transaction, tx_hash_key,
};
use async_trait::async_trait;
use changes::Change;
use chrono::{DateTime, Utc};
use records::{ListedRecord, RecordBatch, RecordQuery};
use std::sync::Arc;
use tokio::sync::broadcast;

/// One fact to store.
// Most facts are transactions: boxing them would cost an allocation per imported transaction.
#[allow(clippy::large_enum_variant)]
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
    /// What the customer quoted: the transaction's reference or, when no transaction has that
    /// reference, its hash (see [`FactQuery::hash_key`]).
    pub reference: String,
    /// The account asking, when it must own the transaction to see it.
    pub requester: Option<String>,
    /// The network to look up maintenance and congestion for when the reference is unknown, or
    /// its transaction was created after `as_of` (so did not exist yet).
    pub claim_network: Option<String>,
    /// The evaluation time.
    pub as_of: DateTime<Utc>,
}

impl FactQuery {
    /// A query for `reference` at `as_of`, with nothing claimed and no requester.
    pub fn new(reference: impl Into<String>, as_of: DateTime<Utc>) -> Self {
        Self {
            reference: reference.into(),
            requester: None,
            claim_network: None,
            as_of,
        }
    }

    /// The key the reference is looked up by as a transaction hash, when no transaction has it
    /// as its reference.
    pub fn hash_key(&self) -> std::borrow::Cow<'_, str> {
        tx_hash_key(&self.reference)
    }

    /// Withholds the transaction (and its account's status) when it belongs to another account
    /// than the requester's, and says whose it is. Every backend applies it to what it read,
    /// before [`FactQuery::scope`], so that another account's transaction is diagnosed exactly
    /// as an unknown reference.
    pub fn withhold(
        &self,
        transaction: &mut Option<Transaction>,
        status: &mut Option<AccountStatus>,
    ) -> Ownership {
        let (Some(requester), Some(tx)) = (&self.requester, transaction.as_ref()) else {
            return Ownership::Unchecked;
        };
        if tx.account_id == *requester {
            return Ownership::Requester;
        }
        let owner = tx.account_id.clone();
        *transaction = None;
        *status = None;
        Ownership::Other { owner }
    }

    /// The network whose windows and congestion bear on the query, and since when, given the
    /// transaction the reference names: that transaction's network from its creation on; or,
    /// when there is none yet at `as_of` (none at all, or one created later, which the engine
    /// then ignores for the claim), the claimed network at `as_of`. Windows matter from the
    /// transaction's creation on: one that cleared since still explains time it spent waiting.
    pub fn scope(&self, transaction: Option<&Transaction>) -> Option<(String, DateTime<Utc>)> {
        match transaction.filter(|t| t.created_at <= self.as_of) {
            Some(t) => Some((t.network.clone(), t.created_at)),
            None => self
                .claim_network
                .clone()
                .map(|network| (network, self.as_of)),
        }
    }
}

/// A store failure, split by what the caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store cannot be reached or is overloaded right now; retrying later may work.
    #[error("fact store unavailable: {0}")]
    Unavailable(String),
    /// The store refused a write for lack of space (its disk, or its quota, is full). Reads
    /// still work, and writes do again once space is freed; nothing of the refused write was
    /// stored.
    #[error("fact store out of space: {0}")]
    NoSpace(String),
    /// The store takes reads only (a read-only file or database, a standby server, a session
    /// made read-only); writes work again once it is made writable. Nothing was stored.
    #[error("fact store read-only: {0}")]
    ReadOnly(String),
    /// Anything else: a defect or corrupted data.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl StoreError {
    /// The `kind` label of `paydiag_store_errors_total`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unavailable(_) => "unavailable",
            Self::NoSpace(_) => "no_space",
            Self::ReadOnly(_) => "read_only",
            Self::Internal(_) => "internal",
        }
    }

    /// Whether the store refuses writes for a lasting condition of its own (no space, read
    /// only) while it may still answer reads.
    pub fn refuses_writes(&self) -> bool {
        matches!(self, Self::NoSpace(_) | Self::ReadOnly(_))
    }
}

/// Storage of facts, one implementation per backend. Every backend passes the same
/// conformance suite (`tests/store_conformance.rs`).
#[async_trait]
pub trait FactStore: Send + Sync + std::fmt::Debug {
    /// Stores `facts` atomically, in order: all of them or none.
    async fn put_facts(&self, facts: Vec<Fact>) -> Result<(), StoreError>;

    /// Deletes a maintenance window; false when there was none with this id.
    async fn delete_maintenance_window(&self, id: &str) -> Result<bool, StoreError>;

    /// What every write committed from now on touched (see [`changes`]): through this store
    /// and, on a store that many replicas share, through any of them.
    fn changes(&self) -> broadcast::Receiver<Change>;

    /// Loads what bears on a diagnosis at `query.as_of`: the transaction, the account status
    /// entry in force, the maintenance windows on its network (or every network) that started
    /// by `as_of` and had not cleared when it was created (for an unknown reference: windows on
    /// the claim's network still holding at `as_of`), and the latest congestion observation.
    /// Windows come the network's own first, then those on every network, each by start time
    /// and id. The engine narrows these further itself.
    /// Everything comes from one snapshot: a concurrent `put_facts` shows whole or not at all.
    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError>;

    /// [`FactStore::load_facts`] for many queries at once, in order, from one snapshot.
    /// Backends override it to answer in one round trip.
    async fn load_many(&self, queries: &[FactQuery]) -> Result<Vec<Facts>, StoreError> {
        let mut all = Vec::with_capacity(queries.len());
        for query in queries {
            all.push(self.load_facts(query).await?);
        }
        Ok(all)
    }

    /// The transactions `search` finds, newest first (by creation time, then reference), at
    /// most `search.limit`, from one snapshot.
    async fn search_transactions(
        &self,
        search: &search::TransactionSearch,
    ) -> Result<Vec<Transaction>, StoreError>;

    /// The maintenance windows that have not cleared by `as_of`: open, draining, or announced
    /// for later; by start time, then id.
    async fn windows_not_cleared(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, StoreError>;

    /// When the next status entry of `account_id` takes effect after `after` (the earliest
    /// `effective_from` later than it), if one is written: the facts of a diagnosis hold only
    /// the entry in force, so a watch learns here when its account's status will change.
    async fn next_status_from(
        &self,
        account_id: &str,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// The latest congestion observation of each network at or before `as_of`, by network.
    async fn latest_conditions(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<NetworkCondition>, StoreError>;

    /// Checks that the store answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Commits one tiny real write (the one `health_probe` row, set to `at`) and says whether it
    /// was taken. Health calls it only while writes are refused, to learn when they work again.
    async fn probe_write(&self, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Appends `records` atomically, in order: all of them or none. Each gets an id greater
    /// than any this database gave before (of those this replica or any other stored earlier).
    /// The same batch put again, after an error that may have come once it was stored (a reply
    /// lost, an operation given up on), is stored once.
    async fn put_records(&self, records: RecordBatch) -> Result<(), StoreError>;

    /// The records `query` finds, newest first (by `diagnosed_at`, then id), at most
    /// `query.limit`.
    async fn list_records(&self, query: &RecordQuery) -> Result<Vec<ListedRecord>, StoreError>;

    /// Deletes at most `limit` of the oldest records made before `cutoff`, in one short
    /// transaction, and says how many it deleted: retention calls it until fewer come back, so
    /// that no lock is held for long whatever there is to delete.
    async fn delete_records_before(
        &self,
        cutoff: DateTime<Utc>,
        limit: usize,
    ) -> Result<u64, StoreError>;
}

/// A store shared by the server's tasks.
pub type SharedStore = Arc<dyn FactStore>;

/// Which store to open and how to use it.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `postgres://…` (or `postgresql://…`) for PostgreSQL; otherwise a SQLite file path,
    /// optionally written `sqlite://PATH`.
    pub db: String,
    /// Most connections (SQLite: read connections; writes take one more).
    pub pool_size: usize,
    /// Longest wait for a connection.
    pub acquire_timeout: std::time::Duration,
    /// Longest a PostgreSQL operation may take before the call is answered UNAVAILABLE.
    pub operation_timeout: std::time::Duration,
}

impl StoreConfig {
    /// Whether this names a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        self.db.starts_with("postgres://") || self.db.starts_with("postgresql://")
    }

    /// What to log about the store: PostgreSQL URLs lose any password.
    pub fn display(&self) -> String {
        match self.db.parse::<tokio_postgres::Config>() {
            Ok(pg) if self.is_postgres() => {
                let hosts: Vec<String> = pg.get_hosts().iter().map(|h| format!("{h:?}")).collect();
                format!(
                    "postgres (hosts {}, database {})",
                    hosts.join(","),
                    pg.get_dbname().unwrap_or("-")
                )
            }
            _ if self.is_postgres() => "postgres".to_owned(),
            _ => self.db.clone(),
        }
    }
}

/// Opens (and migrates) the store `config` names.
pub async fn open(config: &StoreConfig) -> anyhow::Result<SharedStore> {
    if config.is_postgres() {
        let pg = postgres::PostgresConfig {
            url: config.db.clone(),
            pool_size: config.pool_size,
            acquire_timeout: config.acquire_timeout,
            operation_timeout: config.operation_timeout,
        };
        let store: SharedStore = Arc::new(postgres::PostgresStore::connect(&pg).await?);
        return Ok(Arc::new(instrumented::Instrumented::new(store)));
    }
    let path = config.db.strip_prefix("sqlite://").unwrap_or(&config.db);
    let readers = u32::try_from(config.pool_size).unwrap_or(u32::MAX);
    let store = sqlite::SqliteStore::open(std::path::Path::new(path), readers).await?;
    Ok(Arc::new(instrumented::Instrumented::new(Arc::new(store))))
}

#[cfg(test)]
mod tests {
    use super::StoreError;

    #[test]
    fn each_kind_of_store_error_has_a_metric_label_of_its_own() {
        let errors = [
            StoreError::Unavailable(String::new()),
            StoreError::NoSpace(String::new()),
            StoreError::ReadOnly(String::new()),
            StoreError::Internal(anyhow::anyhow!("defect")),
        ];
        let kinds: std::collections::BTreeSet<&str> = errors.iter().map(StoreError::kind).collect();
        assert_eq!(kinds.len(), errors.len(), "{kinds:?}");
        let refusing: Vec<&str> = errors
            .iter()
            .filter(|e| e.refuses_writes())
            .map(StoreError::kind)
            .collect();
        assert_eq!(refusing, ["no_space", "read_only"]);
    }
}
