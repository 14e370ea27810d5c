//! The embedded default store: one SQLite file in WAL mode, a single writer and a pool of readers.
//! Case records live in a second file beside it (see [`records_path`]), with a writer of its own.
//!
//! A diagnosis reads a handful of rows by primary key or index from pages that are nearly always
//! cached, in a few microseconds: less than handing the work to a blocking thread and back would
//! cost. So a single diagnosis reads inline, on the task that asks, from a free read connection;
//! writes, batches and anything that would have to wait for a connection go to tokio's blocking
//! pool. Maintenance windows and the latest congestion observations are read from
//! memory-resident copies (see [`super::resident`]) checked against the snapshot being read.

use super::{
    Fact, FactQuery, FactStore, StoreError,
    changes::{self, Change, ChangeFeed, Touched},
    codec::{
        self, ACCOUNT_STATUS_COLUMNS, Code, Columns, MAINTENANCE_WINDOW_COLUMNS,
        NETWORK_CONDITION_COLUMNS, TRANSACTION_COLUMNS, clears_key, kinds_to_text, qualified,
        select, time_from_key, time_key,
    },
    records::{ListedRecord, RecordBatch, RecordQuery},
    resident::{Conditions, Generations, MAX_RESIDENT_WINDOWS, ResidentTables, Tables, Windows},
    search::{self, TransactionSearch},
};
use crate::engine::model::{
    AccountStatus, Facts, MaintenanceWindow, NetworkCondition, Ownership, Transaction,
};
use anyhow::Context as _;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params, types::ValueRef};
use std::{
    path::{Path, PathBuf},
    sync::{Arc, LazyLock},
    time::Duration,
};
use tokio::sync::broadcast;

mod record_keys;

use record_keys::RecordKeys;

type Pool = r2d2::Pool<SqliteConnectionManager>;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/sqlite/0001_init.sql"),
    include_str!("migrations/sqlite/0002_generations.sql"),
    include_str!("migrations/sqlite/0003_covering_status_index.sql"),
    include_str!("migrations/sqlite/0004_lookups.sql"),
    include_str!("migrations/sqlite/0005_health_probe.sql"),
    include_str!("migrations/sqlite/0006_customer_confirmation.sql"),
    include_str!("migrations/sqlite/0007_information_request.sql"),
    DIAGNOSIS_RECORDS,
    RECORD_KEYS,
    include_str!("migrations/sqlite/0010_records_file.sql"),
];

/// The case records file's migrations, counted by that file's own `PRAGMA user_version`: the
/// tables migrations 8 and 9 made in the database, which migration 10 drops from it.
const RECORD_MIGRATIONS: &[&str] = &[DIAGNOSIS_RECORDS, RECORD_KEYS];

/// The case records table (migration 8 of the database, 1 of the records file).
const DIAGNOSIS_RECORDS: &str = include_str!("migrations/sqlite/0008_diagnosis_records.sql");

/// Their key table, in place of the records table's indexes (migration 9, and 2).
const RECORD_KEYS: &str = include_str!("migrations/sqlite/0009_record_keys.sql");

/// Where the case records of the database at `path` live: the same name with `-records` after
/// it, beside the `-wal` and `-shm` files. Every SQLite commit makes the readers of its file
/// drop their page caches; records commit every few tens of milliseconds, and in a file of
/// their own they leave the caches of the facts every diagnosis reads alone. Their writer is
/// their own too, so that a fact never waits behind a batch of records being keyed.
pub fn records_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-records");
    PathBuf::from(name)
}

/// Every connection: WAL so readers never wait for the writer, FULL sync so that an
/// acknowledged write survives a power loss, and a bounded wait for the write lock.
const PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;";

/// The case records file's connections.
#[derive(Debug, Clone)]
struct Records {
    writer: Pool,
    readers: Pool,
}

/// A [`FactStore`] on a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: Pool,
    readers: Pool,
    resident: Arc<ResidentTables>,
    /// The case records file's writer and readers.
    records: Records,
    /// Told what each commit touched, after it commits: watches of this process are the only
    /// ones a SQLite file has.
    changes: ChangeFeed,
    /// The case records' key table (see [`record_keys`]).
    record_keys: Arc<RecordKeys>,
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path`, with `readers` read connections.
    pub async fn open(path: &Path, readers: u32) -> anyhow::Result<Self> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || Self::open_blocking(&path, readers))
            .await
            .context("opening the SQLite store")?
    }

    fn open_blocking(path: &Path, readers: u32) -> anyhow::Result<Self> {
        let records = records_path(path);
        // Each file is migrated on a connection of its own, so that a file paydiag cannot write
        // fails here at once, and by name, rather than after a pool has waited for a connection.
        // The records file first, so that records still in the facts' file have somewhere to go.
        open_migrated(&records, |conn| {
            migrate(conn, RECORD_MIGRATIONS, "the case records")
        })?;
        open_migrated(path, |conn| {
            move_records(conn, &records)?;
            migrate(conn, MIGRATIONS, "the SQLite schema")
        })?;
        // Records a crash left unkeyed (or stored before the key table) are keyed now, once
        // none can be copied again from the facts' file.
        let record_keys = open_migrated(&records, |conn| {
            let keys = RecordKeys::load(conn)?;
            keys.key_waiting(conn)
                .context("keying the stored case records")?;
            Ok(keys)
        })?;
        Ok(Self {
            writer: pool(path, 1)?,
            readers: pool(path, readers.max(1))?,
            resident: Arc::new(ResidentTables::new(MAX_RESIDENT_WINDOWS)),
            records: Records {
                writer: pool(&records, 1)?,
                // Listings only: a few at a time, each on the blocking pool.
                readers: pool(&records, 2)?,
            },
            changes: ChangeFeed::default(),
            record_keys: Arc::new(record_keys),
        })
    }

    /// Keeps maintenance windows in memory only while there are at most `limit` of them
    /// (default [`MAX_RESIDENT_WINDOWS`]); beyond, they are read from the table's index.
    pub fn resident_windows_at_most(mut self, limit: usize) -> Self {
        self.resident = Arc::new(ResidentTables::new(limit));
        self
    }

    /// Keys case records once they have waited `after` (default [`record_keys::INDEX_AFTER`])
    /// or a batch of them waits; zero keys every batch as it is stored.
    pub fn records_keyed_after(mut self, after: Duration) -> Self {
        self.record_keys = Arc::new(self.record_keys.keyed_after(after));
        self
    }

    /// Runs a short read inline when a read connection is free, else on the blocking pool.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection, &ResidentTables) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        match self.readers.try_get() {
            Some(conn) => f(&conn, &self.resident).map_err(classify),
            None => self.read_blocking(f).await,
        }
    }

    /// Runs a read on the blocking pool, waiting for a read connection if none is free.
    async fn read_blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection, &ResidentTables) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let pool = self.readers.clone();
        let resident = Arc::clone(&self.resident);
        run_blocking(move || f(&*pool.get().map_err(unavailable)?, &resident).map_err(classify))
            .await
    }

    async fn with_writer<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        with(&self.writer, f).await
    }

    /// Runs `f` with the case records file's writer, on the blocking pool.
    async fn with_records_writer<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        with(&self.records.writer, f).await
    }
}

/// Runs `f` with a connection of `pool`, on the blocking pool.
async fn with<T: Send + 'static>(
    pool: &Pool,
    f: impl FnOnce(&mut Connection) -> anyhow::Result<T> + Send + 'static,
) -> Result<T, StoreError> {
    let pool = pool.clone();
    run_blocking(move || f(&mut *pool.get().map_err(unavailable)?).map_err(classify)).await
}

/// A pool of `size` connections to the file at `path`.
fn pool(path: &Path, size: u32) -> anyhow::Result<Pool> {
    let manager = SqliteConnectionManager::file(path).with_init(|c| c.execute_batch(PRAGMAS));
    r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(5))
        // A local file does not drop connections; testing each checkout would double its cost.
        .test_on_check_out(false)
        .build(manager)
        .with_context(|| format!("opening SQLite database {}", path.display()))
}

/// Opens the file at `path` (creating it if needed) on a connection of its own, and runs
/// `migrate` with it.
fn open_migrated<T>(
    path: &Path,
    migrate: impl FnOnce(&mut Connection) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    Connection::open(path)
        .and_then(|conn| conn.execute_batch(PRAGMAS).map(|()| conn))
        .map_err(anyhow::Error::new)
        .and_then(|mut conn| migrate(&mut conn))
        .map_err(|e| name_read_only(path, e))
        .with_context(|| format!("opening SQLite database {}", path.display()))
}

/// Copies the case records a database made before migration 0010 into the records file at
/// `records`, in a transaction of that file's; migration 0010 then drops them from the
/// database. Copied over their own ids, so that copying them twice (after a crash between the
/// two) changes nothing.
fn move_records(conn: &mut Connection, records: &Path) -> anyhow::Result<()> {
    let stored: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM main.sqlite_master WHERE name = 'diagnosis_records')",
        [],
        |r| r.get(0),
    )?;
    if !stored {
        return Ok(());
    }
    let path = records
        .to_str()
        .context("the records file's path is not UTF-8")?;
    // A database from before migration 0009 has records but no keys: they are keyed when the
    // records file is next opened.
    let keyed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM main.sqlite_master WHERE name = 'diagnosis_record_index')",
        [],
        |r| r.get(0),
    )?;
    conn.execute("ATTACH DATABASE ?1 AS records", [path])?;
    let moved = (|| {
        let tx = conn.transaction()?;
        tx.execute_batch(
            "INSERT OR IGNORE INTO records.diagnosis_records SELECT * FROM main.diagnosis_records;",
        )?;
        if keyed {
            tx.execute_batch(
                "INSERT OR IGNORE INTO records.diagnosis_record_keys
                     SELECT * FROM main.diagnosis_record_keys;
                 INSERT OR REPLACE INTO records.diagnosis_record_index
                     SELECT * FROM main.diagnosis_record_index;",
            )?;
        }
        tx.commit()
    })();
    conn.execute("DETACH DATABASE records", [])?;
    moved.context("moving the case records to their own file")
}

/// `e`, saying so first when the database file cannot be opened for writing (a read-only file,
/// directory or file system): SQLite itself only says it cannot open it, or that it is read-only.
fn name_read_only(path: &Path, e: anyhow::Error) -> anyhow::Error {
    match std::fs::OpenOptions::new().append(true).open(path) {
        Err(io) if path.exists() => e.context(format!(
            "it is read-only ({io}): paydiag must write it, and the -wal and -shm files beside it"
        )),
        _ => e,
    }
}

async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Internal(anyhow::Error::new(e).context("store task failed")))?
}

fn unavailable(e: r2d2::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// A busy or locked database is a passing condition; a full disk (`SQLITE_FULL`, also its
/// page-count limit) and a read-only file (`SQLITE_READONLY` and its extended codes: the file
/// made read-only, moved or deleted) refuse writes until someone acts; anything else is internal.
fn classify(e: anyhow::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e
        .downcast_ref::<rusqlite::Error>()
        .and_then(rusqlite::Error::sqlite_error_code)
    {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::Unavailable(format!("{e:#}"))
        }
        Some(ErrorCode::DiskFull) => StoreError::NoSpace(format!("SQLite: {e:#}")),
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(format!("SQLite: {e:#}")),
        _ => StoreError::Internal(e),
    }
}

/// Applies those of `migrations` the file has not had yet, in one transaction.
fn migrate(conn: &mut Connection, migrations: &[&str], what: &str) -> anyhow::Result<()> {
    let tx = conn.transaction()?;
    let applied: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let applied = usize::try_from(applied).context("negative schema version")?;
    anyhow::ensure!(
        applied <= migrations.len(),
        "the database has schema version {applied}, newer than this paydiag ({}): upgrade paydiag",
        migrations.len()
    );
    for (n, sql) in migrations.iter().enumerate().skip(applied) {
        tx.execute_batch(sql)
            .with_context(|| format!("applying migration {} of {what}", n + 1))?;
    }
    tx.pragma_update(None, "user_version", migrations.len() as i64)?;
    tx.commit()?;
    Ok(())
}

#[async_trait]
impl FactStore for SqliteStore {
    async fn put_facts(&self, facts: Vec<Fact>) -> Result<(), StoreError> {
        let mut touched = changes::touched_by(&facts);
        let left = self
            .with_writer(move |conn| {
                // Immediate: it reads before it writes, and a deferred transaction that read
                // could not then wait for another writer's lock.
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let mut left = Vec::new();
                for fact in &facts {
                    left.extend(key_left(&tx, fact)?);
                    put(&tx, fact)?;
                }
                tx.commit()?;
                Ok(left)
            })
            .await?;
        touched.extend(left);
        touched.sort_unstable();
        touched.dedup();
        self.changes.touched(touched);
        Ok(())
    }

    async fn delete_maintenance_window(&self, id: &str) -> Result<bool, StoreError> {
        let id = id.to_owned();
        let network: Option<String> = self
            .with_writer(move |conn| {
                let network = conn
                    .prepare_cached(
                        "DELETE FROM maintenance_windows WHERE id = ?1 RETURNING network",
                    )?
                    .query_row([id], |row| row.get(0))
                    .optional()?;
                Ok(network)
            })
            .await?;
        let deleted = network.is_some();
        self.changes
            .touched(network.map(Touched::Network).into_iter().collect());
        Ok(deleted)
    }

    fn changes(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError> {
        let query = query.clone();
        self.read(move |conn, resident| load_one(conn, resident, &query))
            .await
    }

    async fn load_many(&self, queries: &[FactQuery]) -> Result<Vec<Facts>, StoreError> {
        // Hundreds of reads: too long to hold up the task's thread.
        let queries = queries.to_vec();
        self.read_blocking(move |conn, resident| load(conn, resident, &queries))
            .await
    }

    async fn search_transactions(
        &self,
        search: &TransactionSearch,
    ) -> Result<Vec<Transaction>, StoreError> {
        let (sql, params) = search::statement(search, |n| format!("?{n}"), "");
        self.read_blocking(move |conn, _| {
            let params = rusqlite::params_from_iter(params);
            rows(conn, &sql, params, TRANSACTION_COLUMNS, |t| {
                codec::transaction(t)
            })
        })
        .await
    }

    async fn windows_not_cleared(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, StoreError> {
        self.read_blocking(move |conn, _| {
            let sql = &SELECT_WINDOWS_NOT_CLEARED;
            rows(
                conn,
                sql,
                [time_key(as_of)],
                MAINTENANCE_WINDOW_COLUMNS,
                |w| codec::maintenance_window(w),
            )
        })
        .await
    }

    async fn next_status_from(
        &self,
        account_id: &str,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let account_id = account_id.to_owned();
        self.read_blocking(move |conn, _| {
            let next: Option<String> = conn
                .prepare_cached(
                    "SELECT min(effective_from) FROM account_statuses
                     WHERE account_id = ?1 AND effective_from > ?2",
                )?
                .query_row(params![account_id, time_key(after)], |r| r.get(0))?;
            next.as_deref().map(time_from_key).transpose()
        })
        .await
    }

    async fn latest_conditions(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<NetworkCondition>, StoreError> {
        self.read_blocking(move |conn, _| {
            let sql = &SELECT_LATEST_CONDITIONS_AT;
            rows(
                conn,
                sql,
                [time_key(as_of)],
                NETWORK_CONDITION_COLUMNS,
                |c| codec::network_condition(c),
            )
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.read(|conn, _| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    async fn probe_write(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.with_writer(move |conn| {
            conn.prepare_cached(
                "INSERT INTO health_probe (id, probed_at) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at",
            )?
            .execute([time_key(at)])?;
            Ok(())
        })
        .await
    }

    async fn put_records(&self, batch: RecordBatch) -> Result<(), StoreError> {
        let keys = Arc::clone(&self.record_keys);
        self.with_records_writer(move |conn| keys.put(conn, &batch))
            .await
    }

    async fn list_records(&self, query: &RecordQuery) -> Result<Vec<ListedRecord>, StoreError> {
        let keys = Arc::clone(&self.record_keys);
        let query = query.clone();
        let pool = self.records.readers.clone();
        run_blocking(move || {
            keys.list(&*pool.get().map_err(unavailable)?, &query)
                .map_err(classify)
        })
        .await
    }

    async fn delete_records_before(
        &self,
        cutoff: DateTime<Utc>,
        limit: usize,
    ) -> Result<u64, StoreError> {
        let keys = Arc::clone(&self.record_keys);
        self.with_records_writer(move |conn| keys.delete_before(conn, cutoff, limit))
            .await
    }
}

/// The key the fact stored in `fact`'s place was found by, which `fact` may leave: a
/// transaction's former hash, a maintenance window's former network. A watch that found it
/// there must hear that it moved.
fn key_left(conn: &Connection, fact: &Fact) -> anyhow::Result<Option<Touched>> {
    let left = match fact {
        Fact::Transaction(t) => conn
            .prepare_cached("SELECT tx_hash_key FROM transactions WHERE reference = ?1")?
            .query_row([&t.reference], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten()
            .map(Touched::Transaction),
        Fact::MaintenanceWindow(w) => conn
            .prepare_cached("SELECT network FROM maintenance_windows WHERE id = ?1")?
            .query_row([&w.id], |r| r.get(0))
            .optional()?
            .map(Touched::Network),
        Fact::AccountStatus(_) | Fact::NetworkCondition(_) => None,
    };
    Ok(left)
}

fn put(conn: &Connection, fact: &Fact) -> anyhow::Result<()> {
    match fact {
        Fact::Transaction(t) => put_transaction(conn, t),
        Fact::AccountStatus(s) => put_account_status(conn, s),
        Fact::MaintenanceWindow(w) => put_window(conn, w),
        Fact::NetworkCondition(c) => {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO network_conditions (network, observed_at, congestion_factor)
                 VALUES (?1, ?2, ?3)",
            )?
            .execute(params![c.network, time_key(c.observed_at), c.congestion_factor])?;
            Ok(())
        }
    }
}

fn put_transaction(conn: &Connection, t: &Transaction) -> anyhow::Result<()> {
    let e = &t.expected;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO transactions (reference, account_id, kind, network, asset, amount,
             destination, memo, status, failure_reason, confirmations, required_confirmations,
             created_at, updated_at, completed_at, expected_amount, expected_asset,
             expected_network, expected_destination, expected_memo, tx_hash, tx_hash_key,
             destination_key, confirmation_method, confirmation_expires_at,
             information_requested, information_requested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                 ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
    )?
    .execute(params![
        t.reference,
        t.account_id,
        t.kind.code(),
        t.network,
        t.asset,
        t.amount.to_string(),
        t.destination,
        t.memo,
        t.status.code(),
        t.failure_reason.map(Code::code),
        t.confirmations,
        t.required_confirmations,
        time_key(t.created_at),
        t.updated_at.map(time_key),
        t.completed_at.map(time_key),
        e.amount.map(|a| a.to_string()),
        e.asset,
        e.network,
        e.destination,
        e.memo,
        t.tx_hash,
        codec::tx_hash_column(t),
        codec::destination_key(&t.destination),
        t.customer_confirmation.map(|c| c.method.code()),
        t.customer_confirmation.map(|c| time_key(c.expires_at)),
        codec::information_requested_column(t),
        t.information_request.as_ref().map(|r| time_key(r.requested_at)),
    ])?;
    Ok(())
}

fn put_account_status(conn: &Connection, s: &AccountStatus) -> anyhow::Result<()> {
    conn.prepare_cached(
        "INSERT INTO account_statuses (account_id, state, reason, restricted_kinds, effective_from,
             effective_until, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        s.account_id,
        s.state.code(),
        s.reason.map(Code::code),
        kinds_to_text(&s.restricted_kinds),
        time_key(s.effective_from),
        s.effective_until.map(time_key),
        s.note,
    ])?;
    Ok(())
}

fn put_window(conn: &Connection, w: &MaintenanceWindow) -> anyhow::Result<()> {
    let drain_ns = codec::drain_nanos(w)?;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO maintenance_windows (id, network, kinds, type, starts_at, ends_at,
             backlog_drain_ns, clears_key, title)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        w.id,
        w.network,
        kinds_to_text(&w.kinds),
        w.maintenance_type.code(),
        time_key(w.starts_at),
        w.ends_at.map(time_key),
        drain_ns,
        clears_key(w.clears_at()),
        w.title,
    ])?;
    Ok(())
}

/// One diagnosis's facts. Nearly always a single statement, which SQLite runs as a snapshot
/// of its own: the transaction, the status in force and the generations of the resident
/// tables, with windows and the congestion observation taken from memory. Only when a resident
/// copy is missing, stale or cannot answer are the facts read again in a transaction.
fn load_one(conn: &Connection, resident: &ResidentTables, q: &FactQuery) -> anyhow::Result<Facts> {
    let head = Head::read(conn, q)?;
    let held = resident.held_at(head.generations);
    if let Some(facts) = held.and_then(|tables| head.complete_from_memory(&tables, q)) {
        return Ok(facts);
    }
    load(conn, resident, std::slice::from_ref(q))?
        .pop()
        .context("no facts")
}

fn load(
    conn: &Connection,
    resident: &ResidentTables,
    queries: &[FactQuery],
) -> anyhow::Result<Vec<Facts>> {
    // One read transaction, so every query sees the same snapshot: a batch written meanwhile
    // shows up whole or not at all. Its first read, of a transaction and the generations, fixes
    // the snapshot.
    let snapshot = Snapshot::begin(conn)?;
    let facts = queries
        .iter()
        .map(|q| {
            let head = Head::read(conn, q)?;
            let tables = tables_at(conn, resident, head.generations)?;
            head.complete(conn, &tables, q)
        })
        .collect::<anyhow::Result<_>>()?;
    snapshot.end()?;
    Ok(facts)
}

/// A read transaction begun and ended with cached statements (parsing `BEGIN` and `COMMIT` on
/// every read costs more than the reads); rolled back if dropped before [`Snapshot::end`].
struct Snapshot<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Snapshot<'c> {
    fn begin(conn: &'c Connection) -> anyhow::Result<Self> {
        conn.prepare_cached("BEGIN")?.execute([])?;
        Ok(Self { conn, open: true })
    }

    fn end(mut self) -> anyhow::Result<()> {
        self.open = false;
        self.conn.prepare_cached("COMMIT")?.execute([])?;
        Ok(())
    }
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing was written; if even this fails, the connection's next BEGIN reports it.
            let _ = self
                .conn
                .prepare_cached("ROLLBACK")
                .and_then(|mut s| s.execute([]));
        }
    }
}

/// The statements of a diagnosis's reads, with their columns named once.
///
/// The first, [`SELECT_HEAD`], gives the generations of the resident tables (see
/// `0002_generations.sql`), the transaction and its account's status in force, in one row:
/// the generations even when no transaction has the reference, with null transaction or status
/// columns when there is none. Every join before the status's is on a unique key, so the
/// status in force is the first row of a backward walk of its covering index, without a sort.
/// The transaction is the one with the reference `?1` or, when there is none, the newest with
/// the hash key `?3`, the requester's (`?4`) first: a batched withdrawal shares one hash.
static SELECT_HEAD: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT w.n, c.n, {transaction}, {status}
         FROM generations AS w
         JOIN generations AS c ON c.name = 'network_conditions'
         LEFT JOIN transactions AS t ON t.rowid = coalesce(
             (SELECT rowid FROM transactions WHERE reference = ?1),
             (SELECT rowid FROM transactions WHERE tx_hash_key = ?3 AND account_id = ?4
              ORDER BY created_at DESC, reference DESC LIMIT 1),
             (SELECT rowid FROM transactions WHERE tx_hash_key = ?3
              ORDER BY created_at DESC, reference DESC LIMIT 1))
         LEFT JOIN account_statuses AS s ON s.account_id = t.account_id AND s.effective_from <= ?2
         WHERE w.name = 'maintenance_windows'
         ORDER BY s.effective_from DESC, s.seq DESC
         LIMIT 1",
        transaction = qualified("t", TRANSACTION_COLUMNS),
        status = qualified("s", ACCOUNT_STATUS_COLUMNS),
    )
});
/// Where each table's columns start in a [`SELECT_HEAD`] row.
const TRANSACTION_AT: usize = 2;
const STATUS_AT: usize = TRANSACTION_AT + TRANSACTION_COLUMNS.len();

static SELECT_ALL_WINDOWS: LazyLock<String> =
    LazyLock::new(|| select(MAINTENANCE_WINDOW_COLUMNS, "FROM maintenance_windows"));
static SELECT_WINDOWS_BEARING_ON: LazyLock<String> = LazyLock::new(|| {
    select(
        MAINTENANCE_WINDOW_COLUMNS,
        "FROM maintenance_windows WHERE network IN (?1, '*') AND clears_key > ?2 AND starts_at <= ?3
         ORDER BY network = '*', starts_at, id",
    )
});
static SELECT_WINDOWS_NOT_CLEARED: LazyLock<String> = LazyLock::new(|| {
    select(
        MAINTENANCE_WINDOW_COLUMNS,
        "FROM maintenance_windows WHERE clears_key > ?1 ORDER BY starts_at, id",
    )
});
/// The latest observation of each network at or before `?1`.
static SELECT_LATEST_CONDITIONS_AT: LazyLock<String> = LazyLock::new(|| {
    select(
        NETWORK_CONDITION_COLUMNS,
        "FROM network_conditions AS c WHERE observed_at = (
             SELECT max(observed_at) FROM network_conditions
             WHERE network = c.network AND observed_at <= ?1)
         ORDER BY network",
    )
});
static SELECT_LATEST_CONDITION: LazyLock<String> = LazyLock::new(|| {
    select(
        NETWORK_CONDITION_COLUMNS,
        "FROM network_conditions WHERE network = ?1 AND observed_at <= ?2
         ORDER BY observed_at DESC LIMIT 1",
    )
});

/// The resident copies at `generations`, loading those that are not held from `conn`, whose read
/// transaction must be the snapshot the generations were read in.
fn tables_at(
    conn: &Connection,
    resident: &ResidentTables,
    (windows, conditions): Generations,
) -> anyhow::Result<Tables> {
    Ok(Tables {
        windows: resident
            .windows
            .get_or_load(windows, || load_windows(conn, resident.window_limit))?,
        conditions: resident
            .conditions
            .get_or_load(conditions, || load_latest_conditions(conn))?,
    })
}

fn load_windows(conn: &Connection, limit: usize) -> anyhow::Result<Option<Windows>> {
    let count: i64 = conn
        .prepare_cached("SELECT count(*) FROM maintenance_windows")?
        .query_row([], |r| r.get(0))?;
    if usize::try_from(count).map_or(true, |n| n > limit) {
        return Ok(None);
    }
    let windows = conn
        .prepare_cached(&SELECT_ALL_WINDOWS)?
        .query_map([], |row| {
            Ok(codec::maintenance_window(&Named::new(
                row,
                MAINTENANCE_WINDOW_COLUMNS,
            )))
        })?
        .map(|r| r?)
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(Windows::new(windows)))
}

/// The latest observation of each network: a skip over the primary key from network to network.
fn load_latest_conditions(conn: &Connection) -> anyhow::Result<Conditions> {
    let latest = conn
        .prepare_cached(
            "WITH RECURSIVE networks (network) AS (
                 SELECT min(network) FROM network_conditions
                 UNION ALL
                 SELECT (SELECT min(network) FROM network_conditions WHERE network > networks.network)
                 FROM networks WHERE networks.network IS NOT NULL
             )
             SELECT c.network, c.observed_at, c.congestion_factor
             FROM networks JOIN network_conditions AS c ON c.network = networks.network
             WHERE c.observed_at = (SELECT max(observed_at) FROM network_conditions
                                    WHERE network = networks.network)",
        )?
        .query_map([], |row| {
            Ok(codec::network_condition(&Named::new(row, NETWORK_CONDITION_COLUMNS)))
        })?
        .map(|r| r?)
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Conditions::new(latest))
}

/// What [`SELECT_HEAD`] reads for a query.
struct Head {
    generations: Generations,
    transaction: Option<Transaction>,
    status: Option<AccountStatus>,
    ownership: Ownership,
}

impl Head {
    fn read(conn: &Connection, q: &FactQuery) -> anyhow::Result<Self> {
        conn.prepare_cached(&SELECT_HEAD)?
            .query_row(
                params![q.reference, time_key(q.as_of), q.hash_key(), q.requester],
                |row| Ok(Self::decode(row)),
            )
            .optional()?
            .context("the store has no generations: its schema is not paydiag's")?
            .map(|head| head.withhold(q))
    }

    /// The head with another account's transaction withheld (see [`FactQuery::withhold`]).
    fn withhold(mut self, q: &FactQuery) -> Self {
        self.ownership = q.withhold(&mut self.transaction, &mut self.status);
        self
    }

    fn decode(row: &Row<'_>) -> anyhow::Result<Self> {
        Ok(Self {
            generations: (row.get(0)?, row.get(1)?),
            transaction: Named::section(row, TRANSACTION_AT, TRANSACTION_COLUMNS)
                .map(|t| codec::transaction(&t))
                .transpose()?,
            status: Named::section(row, STATUS_AT, ACCOUNT_STATUS_COLUMNS)
                .map(|s| codec::account_status(&s))
                .transpose()?,
            ownership: Ownership::Unchecked,
        })
    }

    /// The facts, with windows and congestion from `tables` or, where they cannot answer, from
    /// `conn`, in the snapshot this head was read in.
    fn complete(self, conn: &Connection, tables: &Tables, q: &FactQuery) -> anyhow::Result<Facts> {
        let scope = q.scope(self.transaction.as_ref());
        let mut facts = self.into_facts();
        let Some((network, since)) = scope else {
            return Ok(facts);
        };
        facts.maintenance_windows = match &*tables.windows {
            Some(windows) => windows.bearing_on(&network, since, q.as_of),
            None => conn
                .prepare_cached(&SELECT_WINDOWS_BEARING_ON)?
                .query_map(
                    params![network, time_key(since), time_key(q.as_of)],
                    |row| {
                        Ok(codec::maintenance_window(&Named::new(
                            row,
                            MAINTENANCE_WINDOW_COLUMNS,
                        )))
                    },
                )?
                .map(|r| r?)
                .collect::<anyhow::Result<_>>()?,
        };
        facts.network_conditions = match tables.conditions.latest_by(&network, q.as_of) {
            Some(latest) => latest.into_iter().collect(),
            None => conn
                .prepare_cached(&SELECT_LATEST_CONDITION)?
                .query_map(params![network, time_key(q.as_of)], |row| {
                    Ok(codec::network_condition(&Named::new(
                        row,
                        NETWORK_CONDITION_COLUMNS,
                    )))
                })?
                .map(|r| r?)
                .collect::<anyhow::Result<_>>()?,
        };
        Ok(facts)
    }

    /// The facts, with windows and congestion from `tables` alone; `None` when they cannot
    /// answer (too many windows to hold, or a congestion observation older than the latest).
    fn complete_from_memory(self, tables: &Tables, q: &FactQuery) -> Option<Facts> {
        let found = match q.scope(self.transaction.as_ref()) {
            Some((network, since)) => Some(tables.answer(&network, since, q.as_of)?),
            None => None,
        };
        let mut facts = self.into_facts();
        if let Some((windows, condition)) = found {
            facts.maintenance_windows = windows;
            facts.network_conditions = condition.into_iter().collect();
        }
        Some(facts)
    }

    fn into_facts(self) -> Facts {
        Facts {
            transaction: self.transaction,
            account_history: self.status.into_iter().collect(),
            ownership: self.ownership,
            ..Facts::default()
        }
    }
}

/// Every row of `sql` run with `params`, each read by `decode` from the `columns` it selects.
fn rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    columns: &'static [&'static str],
    decode: impl Fn(&Named<'_>) -> anyhow::Result<T>,
) -> anyhow::Result<Vec<T>> {
    conn.prepare_cached(sql)?
        .query_map(params, |row| Ok(decode(&Named::new(row, columns))))?
        .map(|r| r?)
        .collect()
}

/// A SQLite row read through the shared decoders in [`super::codec`], from a statement that
/// selects `columns` in that order from position `at` on: a name is found among these static
/// names, not by asking SQLite for every column's name on every read.
struct Named<'r> {
    row: &'r Row<'r>,
    at: usize,
    columns: &'static [&'static str],
}

impl<'r> Named<'r> {
    fn new(row: &'r Row<'r>, columns: &'static [&'static str]) -> Self {
        Self {
            row,
            at: 0,
            columns,
        }
    }

    /// The columns from `at` on, or `None` when the row holds none there: the first, a key, is
    /// null (an outer join found no row).
    fn section(row: &'r Row<'r>, at: usize, columns: &'static [&'static str]) -> Option<Self> {
        let present = matches!(row.get_ref(at), Ok(value) if value != ValueRef::Null);
        present.then_some(Self { row, at, columns })
    }

    fn index(&self, name: &str) -> anyhow::Result<usize> {
        codec::column_index(self.columns, self.at, name)
    }
}

impl Columns for Named<'_> {
    fn opt_text(&self, name: &str) -> anyhow::Result<Option<String>> {
        Ok(self.row.get(self.index(name)?)?)
    }

    fn int(&self, name: &str) -> anyhow::Result<i64> {
        Ok(self.row.get(self.index(name)?)?)
    }

    fn float(&self, name: &str) -> anyhow::Result<f64> {
        Ok(self.row.get(self.index(name)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's plan for `sql`, one line per step.
    fn plan(conn: &Connection, sql: &str) -> String {
        let mut statement = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("statement");
        let count = statement.parameter_count();
        let params: Vec<String> = (0..count).map(|i| format!("p{i}")).collect();
        let steps: Vec<String> = statement
            .query_map(rusqlite::params_from_iter(params), |row| row.get(3))
            .expect("plan")
            .collect::<Result<_, _>>()
            .expect("plan rows");
        steps.join("\n")
    }

    /// A demo transaction under `reference`, with a memo long enough that a few hundred of them
    /// need many new pages.
    fn bulky(reference: &str) -> Fact {
        let Some(Fact::Transaction(t)) = crate::demo::facts(chrono::DateTime::UNIX_EPOCH)
            .into_iter()
            .find(|f| matches!(f, Fact::Transaction(_)))
        else {
            panic!("the demo holds a transaction");
        };
        Fact::Transaction(Transaction {
            reference: reference.to_owned(),
            memo: "m".repeat(500),
            ..t
        })
    }

    async fn stored(store: &SqliteStore, reference: &str) -> bool {
        let query = FactQuery::new(reference, chrono::DateTime::<Utc>::MAX_UTC);
        let facts = store.load_facts(&query).await.expect("a read");
        facts.transaction.is_some()
    }

    #[tokio::test]
    async fn a_full_database_refuses_the_whole_batch_as_no_space_and_takes_writes_once_it_has_room()
    {
        let dir = tempfile::TempDir::new().expect("dir");
        let store = SqliteStore::open(&dir.path().join("p.db"), 1)
            .await
            .expect("store");
        store.put_facts(vec![bulky("KEPT")]).await.expect("a write");
        // SQLite's own page limit fails writes with the very code a full disk does (SQLITE_FULL).
        let limit = |conn: &Connection, pages: &str| {
            conn.execute_batch(&format!("PRAGMA max_page_count = {pages}"))
                .expect("setting the page limit");
        };
        let pages: i64 = store
            .writer
            .get()
            .expect("writer")
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .expect("page count");
        limit(&store.writer.get().expect("writer"), &pages.to_string());

        let batch: Vec<Fact> = (0..300).map(|i| bulky(&format!("NEW-{i}"))).collect();
        let refused = store.put_facts(batch.clone()).await.expect_err("no room");
        assert!(matches!(refused, StoreError::NoSpace(_)), "{refused:?}");
        assert!(refused.to_string().contains("full"), "{refused}");
        assert!(!stored(&store, "NEW-0").await && !stored(&store, "NEW-299").await);
        assert!(stored(&store, "KEPT").await, "reads still work");

        limit(&store.writer.get().expect("writer"), "1073741823");
        store
            .probe_write(chrono::DateTime::UNIX_EPOCH)
            .await
            .expect("a probe once there is room");
        store
            .put_facts(batch)
            .await
            .expect("the batch once there is room");
        assert!(stored(&store, "NEW-0").await && stored(&store, "NEW-299").await);
    }

    #[tokio::test]
    async fn a_read_only_database_refuses_writes_as_read_only() {
        let dir = tempfile::TempDir::new().expect("dir");
        let path = dir.path().join("p.db");
        drop(SqliteStore::open(&path, 1).await.expect("store"));
        // Root may write any file whatever its mode: open the file read-only instead.
        let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("a read-only connection");
        let refused = conn
            .execute(
                "INSERT INTO health_probe (id, probed_at) VALUES (1, 'now')",
                [],
            )
            .expect_err("a read-only connection wrote");
        let refused = classify(refused.into());
        assert!(matches!(refused, StoreError::ReadOnly(_)), "{refused:?}");
        assert!(refused.to_string().contains("read-only"), "{refused}");
    }

    #[test]
    fn sqlite_is_built_without_its_process_wide_locks() {
        // `.cargo/config.toml`: a page cache per connection, and no memory statistics.
        let conn = Connection::open_in_memory().expect("connection");
        let options: Vec<String> = conn
            .prepare("PRAGMA compile_options")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("compile options");
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "{options:?}"
        );
    }

    #[test]
    fn every_read_of_a_diagnosis_searches_an_index_and_the_status_needs_no_table() {
        let dir = tempfile::TempDir::new().expect("dir");
        let store = SqliteStore::open_blocking(&dir.path().join("p.db"), 1).expect("store");
        let conn = store.readers.get().expect("connection");
        // The transaction's row from its reference's index or else its hash's (the requester's,
        // then anyone's, newest first), then the status in force from the covering index alone,
        // walked backwards from as_of: no table lookup and no sort.
        let head = plan(&conn, &SELECT_HEAD);
        for step in [
            "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)",
            "SEARCH transactions USING COVERING INDEX sqlite_autoindex_transactions_1 (reference=?)",
            "SEARCH transactions USING INDEX transactions_by_tx_hash (tx_hash_key=?)",
        ] {
            assert!(head.contains(step), "{step} in {head}");
        }
        assert!(
            head.contains(
                "SEARCH s USING COVERING INDEX account_statuses_in_effect_covering \
                 (account_id=? AND effective_from<?)"
            ),
            "{head}"
        );
        assert!(!head.contains("TEMP B-TREE"), "{head}");
        assert!(!head.contains("SCAN"), "{head}");
        let expected = [(
            &*SELECT_LATEST_CONDITION,
            "SEARCH network_conditions USING PRIMARY KEY (network=? AND observed_at<?)",
        )];
        for (sql, search) in expected {
            assert_eq!(plan(&conn, sql), search, "{sql}");
        }
        let windows = plan(&conn, &SELECT_WINDOWS_BEARING_ON);
        assert!(
            windows
                .contains("USING INDEX maintenance_windows_holding (network=? AND clears_key>?)"),
            "{windows}"
        );
        assert!(!windows.contains("SCAN"), "{windows}");
    }

    #[test]
    fn a_record_listing_walks_its_keys_newest_first_and_sorts_only_the_merge() {
        let dir = tempfile::TempDir::new().expect("dir");
        let store = SqliteStore::open_blocking(&dir.path().join("p.db"), 1).expect("store");
        let conn = store.records.readers.get().expect("connection");
        for (ticket_id, reference) in [(Some("T"), None), (None, Some("R")), (Some("T"), Some("R"))]
        {
            let query = RecordQuery {
                ticket_id: ticket_id.map(str::to_owned),
                reference: reference.map(str::to_owned),
                diagnosed_from: Some(chrono::DateTime::UNIX_EPOCH),
                diagnosed_before: Some(Utc::now()),
                after: Some(crate::store::records::RecordCursor {
                    diagnosed_at: Utc::now(),
                    id: 7,
                }),
                limit: 51,
            };
            let sql = store.record_keys.statement(&query).expect("statement").0;
            let steps = plan(&conn, &sql);
            assert!(
                steps.contains(
                    "SEARCH k USING PRIMARY KEY (key=? AND diagnosed_ns>? AND diagnosed_ns<?)"
                ),
                "{steps}"
            );
            assert!(
                steps.contains("SEARCH r USING INTEGER PRIMARY KEY (rowid=?)"),
                "{steps}"
            );
            // Unkeyed records: by the ids the store remembers, and by the id ranges it does not.
            assert!(steps.contains("SCAN json_each"), "{steps}");
            assert!(
                steps.contains("SEARCH r USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"),
                "{steps}"
            );
            assert!(
                steps.contains("SEARCH r USING INTEGER PRIMARY KEY (rowid>?)"),
                "{steps}"
            );
            assert!(!steps.contains("SCAN r"), "{steps}");
            // The keyed part comes in order; only the merge of at most four pages is sorted.
            assert_eq!(steps.matches("TEMP B-TREE").count(), 4, "{steps}");
        }
    }

    /// A case record of `ticket_id`, about the reference `R`.
    fn record(ticket_id: &str) -> crate::store::records::DiagnosisRecord {
        crate::store::records::DiagnosisRecord {
            ticket_id: ticket_id.to_owned(),
            reference: "R".to_owned(),
            tx_hash: None,
            as_of: Utc::now(),
            diagnosed_at: Utc::now(),
            cause: crate::engine::diagnosis::Cause::NotFound,
            contributing_causes: Vec::new(),
            action: crate::engine::diagnosis::Action::CheckReference,
            recheck_at: None,
            expected_resolution_at: None,
            ruleset_version: "rules-1".to_owned(),
            caller: "agent".to_owned(),
            source: crate::store::records::RecordSource::Diagnose,
            routing: None,
        }
    }

    /// The tables of the file `conn` reads whose names begin with `diagnosis_record`.
    fn record_tables(conn: &Connection) -> Vec<String> {
        conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name LIKE 'diagnosis_record%' ORDER BY name",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("tables")
    }

    #[tokio::test]
    async fn case_records_live_in_their_own_file_and_those_of_a_keyed_database_move_there() {
        records_of_an_older_database_move_to_their_own_file(9).await;
    }

    #[tokio::test]
    async fn the_records_of_a_database_from_before_their_keys_move_and_are_keyed() {
        records_of_an_older_database_move_to_their_own_file(8).await;
    }

    /// A database as migration `version` (8 or 9) left it, holding two unkeyed records, whose
    /// records file is made and its records copied, then copied again as after a crash; opened,
    /// it lists them and stores new ones in the records file alone.
    async fn records_of_an_older_database_move_to_their_own_file(version: usize) {
        let dir = tempfile::TempDir::new().expect("dir");
        let path = dir.path().join("p.db");
        let records = records_path(&path);
        assert_eq!(records, dir.path().join("p.db-records"));
        let mut conn = Connection::open(&path).expect("connection");
        let tx = conn.transaction().expect("transaction");
        for sql in &MIGRATIONS[..version] {
            tx.execute_batch(sql).expect("migration");
        }
        tx.pragma_update(None, "user_version", version as i64)
            .expect("version");
        for (id, ticket_id) in [(1, "T"), (2, "OTHER")] {
            let insert = INSERT_V9_RECORD.as_str();
            let record = record(ticket_id);
            let values = crate::store::records::values(&record);
            let mut params: Vec<rusqlite::types::Value> = vec![id.into()];
            params.extend(
                values
                    .iter()
                    .map(|v| v.as_deref().map(str::to_owned).into()),
            );
            tx.execute(insert, rusqlite::params_from_iter(params))
                .expect("record");
        }
        tx.commit().expect("commit");
        // A crash after the records were copied and before migration 10 dropped them: they are
        // copied again, over their own ids.
        open_migrated(&records, |c| migrate(c, RECORD_MIGRATIONS, "records")).expect("records");
        move_records(&mut conn, &records).expect("copied");
        drop(conn);

        let store = SqliteStore::open(&path, 1).await.expect("store");
        let query = |ticket_id: &str| RecordQuery {
            ticket_id: Some(ticket_id.into()),
            limit: 10,
            ..RecordQuery::default()
        };
        let ids = |listed: Vec<ListedRecord>| listed.iter().map(|l| l.id).collect::<Vec<_>>();
        assert_eq!(
            ids(store.list_records(&query("T")).await.expect("list")),
            [1]
        );
        // A record stored now follows them, in the records file alone.
        store
            .put_records(vec![record("T")].into())
            .await
            .expect("stored");
        assert_eq!(
            ids(store.list_records(&query("T")).await.expect("list")),
            [3, 1]
        );
        assert_eq!(
            record_tables(&store.readers.get().expect("reader")),
            Vec::<String>::new()
        );
        assert_eq!(
            record_tables(&store.records.readers.get().expect("reader")),
            [
                "diagnosis_record_index",
                "diagnosis_record_keys",
                "diagnosis_records"
            ]
        );
        let version: i64 = store
            .readers
            .get()
            .expect("reader")
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    /// A record's insert as migrations 8 and 9 left the database: into its own file.
    static INSERT_V9_RECORD: LazyLock<String> = LazyLock::new(|| {
        let columns = crate::store::records::RECORD_COLUMNS;
        let params: Vec<String> = (1..=columns.len() + 1).map(|n| format!("?{n}")).collect();
        format!(
            "INSERT INTO diagnosis_records (id, {}) VALUES ({})",
            columns.join(", "),
            params.join(", ")
        )
    });

    #[test]
    fn a_record_listing_finds_unkeyed_records_in_memory_and_scans_what_memory_does_not_know() {
        use rusqlite::types::Value;
        let dir = tempfile::TempDir::new().expect("dir");
        let path = dir.path().join("p.db");
        let open = || {
            SqliteStore::open_blocking(&path, 1)
                .expect("store")
                .records_keyed_after(Duration::MAX)
        };
        let (store, other) = (open(), open());
        let put = |store: &SqliteStore, tickets: &[&str]| {
            let batch: Vec<_> = tickets.iter().map(|t| record(t)).collect();
            let mut conn = store.records.writer.get().expect("writer");
            store.record_keys.put(&mut conn, &batch).expect("put");
        };
        let query = RecordQuery {
            ticket_id: Some("T".into()),
            limit: 10,
            ..RecordQuery::default()
        };
        // The ids from memory, then the id ranges read by a scan: before ?3 and from ?4.
        let unkeyed = |store: &SqliteStore| {
            let params = store.record_keys.statement(&query).expect("statement").1;
            params[1..4].to_vec()
        };
        put(&store, &["T", "OTHER", "T"]);
        let remembered = [Value::Text("[1,3]".into()), 1.into(), 4.into()];
        assert_eq!(unkeyed(&store), remembered);
        // Records another store stored come after those remembered, in the range scanned.
        put(&other, &["T"]);
        assert_eq!(unkeyed(&store), remembered);
        // That store does not know the records before its own: it scans every unkeyed record.
        let scan = [Value::Text("[]".into()), i64::MAX.into(), i64::MAX.into()];
        assert_eq!(unkeyed(&other), scan);
        let conn = store.records.readers.get().expect("reader");
        let listed = |store: &SqliteStore| {
            let mut ids: Vec<i64> = store
                .record_keys
                .list(&conn, &query)
                .expect("listing")
                .iter()
                .map(|l| l.id)
                .collect();
            ids.sort_unstable();
            ids
        };
        assert_eq!(listed(&store), [1, 3, 4]);
        assert_eq!(listed(&other), [1, 3, 4]);
    }

    #[test]
    fn a_search_walks_its_key_index_newest_first_without_sorting() {
        use crate::engine::model::{TransactionKind, TransactionStatus};
        let dir = tempfile::TempDir::new().expect("dir");
        let store = SqliteStore::open_blocking(&dir.path().join("p.db"), 1).expect("store");
        let conn = store.readers.get().expect("connection");
        let narrowed = TransactionSearch {
            kinds: vec![TransactionKind::Deposit],
            statuses: vec![TransactionStatus::Pending],
            networks: vec!["TRON".into()],
            created_from: Some(chrono::DateTime::UNIX_EPOCH),
            after: Some(search::Cursor {
                created_at: chrono::DateTime::UNIX_EPOCH,
                reference: "R".into(),
            }),
            limit: 51,
            ..TransactionSearch::default()
        };
        for (key, index) in [
            ("account_id", "transactions_by_account (account_id=?"),
            ("tx_hash_key", "transactions_by_tx_hash (tx_hash_key=?"),
            (
                "destination_key",
                "transactions_by_destination (destination_key=?",
            ),
        ] {
            let mut search = narrowed.clone();
            let value = Some("x".to_owned());
            match key {
                "account_id" => search.account_id = value,
                "tx_hash_key" => search.tx_hash_key = value,
                _ => search.destination_key = value,
            }
            let (sql, _) = search::statement(&search, |n| format!("?{n}"), "");
            let steps = plan(&conn, &sql);
            assert!(
                steps.contains(&format!("SEARCH transactions USING INDEX {index}")),
                "{steps}"
            );
            assert!(!steps.contains("TEMP B-TREE"), "{steps}");
        }
    }
}
