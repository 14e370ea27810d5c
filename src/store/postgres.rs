//! The store for many replicas: PostgreSQL, read through connections shared by concurrent
//! diagnoses and written through a connection pool.
//!
//! Replicas hold nothing durable: every diagnosis reads the database, so a fact written through
//! one replica is seen by the next diagnosis on any other. Like the SQLite store, a replica keeps
//! the maintenance windows and the latest congestion observations in memory (see
//! [`super::resident`]); each diagnosis's statement reads the tables' generations in its own
//! snapshot, and a copy is used only at the generation that snapshot holds.

use super::{
    Fact, FactQuery, FactStore, StoreError,
    changes::{Change, ChangeFeed},
    codec::{
        self, ACCOUNT_STATUS_COLUMNS, Columns, MAINTENANCE_WINDOW_COLUMNS,
        NETWORK_CONDITION_COLUMNS, TRANSACTION_COLUMNS, qualified, time_from_key, time_key,
    },
    records::{self, ListedRecord, RecordBatch, RecordQuery},
    resident::{Conditions, Generations, MAX_RESIDENT_WINDOWS, ResidentTables, Tables, Windows},
    search::{self, TransactionSearch},
};
use crate::engine::model::{
    AccountStatus, Facts, MaintenanceWindow, NetworkCondition, Ownership, Transaction,
};
use anyhow::Context as _;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_postgres::{
    GenericClient, Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime,
};
use futures_util::future::try_join_all;
use std::{
    future::Future,
    sync::{Arc, LazyLock},
    time::Duration,
};
use tokio::sync::broadcast;
use tokio_postgres::{IsolationLevel, NoTls, Row, error::SqlState};
use tokio_util::task::AbortOnDropHandle;

mod listen;
mod shared;
mod write;

/// Schema migrations, applied in order; `paydiag_migrations` records which ran.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/postgres/0001_init.sql"),
    include_str!("migrations/postgres/0002_generations.sql"),
    include_str!("migrations/postgres/0003_lookups.sql"),
    include_str!("migrations/postgres/0004_health_probe.sql"),
    include_str!("migrations/postgres/0005_customer_confirmation.sql"),
    include_str!("migrations/postgres/0006_information_request.sql"),
    include_str!("migrations/postgres/0007_diagnosis_records.sql"),
    include_str!("migrations/postgres/0008_change_feed.sql"),
    include_str!("migrations/postgres/0009_record_keys_collation.sql"),
    include_str!("migrations/postgres/0010_change_feed_limits.sql"),
    include_str!("migrations/postgres/0011_record_batches.sql"),
];

/// Advisory lock held while migrating, so replicas starting together migrate one at a time.
const MIGRATION_LOCK: i64 = 0x7061_7964_6961_6701;

/// How to reach PostgreSQL.
#[derive(Debug, Clone)]
pub struct PostgresConfig {
    /// `postgres://user@host:port/database` (any libpq-style URL tokio-postgres accepts).
    pub url: String,
    /// Most connections this replica opens.
    pub pool_size: usize,
    /// Longest wait for a free connection, or for a new one to open.
    pub acquire_timeout: Duration,
    /// Longest any store operation may take before it counts as unavailable.
    pub operation_timeout: Duration,
}

/// A [`FactStore`] on PostgreSQL.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    /// What a diagnosis reads its one statement through.
    shared: Arc<shared::SharedReads>,
    operation_timeout: Duration,
    resident: Arc<ResidentTables>,
    /// What the tables' triggers notify, through any replica.
    changes: ChangeFeed,
    /// Listens for the notifications until the last clone of the store is dropped.
    _listener: Arc<AbortOnDropHandle<()>>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password: never print it.
        f.debug_struct("PostgresStore")
            .field("pool", &self.pool.status())
            .finish()
    }
}

impl PostgresStore {
    /// Connects and applies any missing migrations.
    pub async fn connect(config: &PostgresConfig) -> anyhow::Result<Self> {
        let mut pg: tokio_postgres::Config =
            config.url.parse().context("parsing the PostgreSQL URL")?;
        pg.connect_timeout(config.acquire_timeout)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30));
        // An operation given up on mid-write (its replica cut off from the database) leaves its
        // transaction open on the server, holding row locks every other replica would wait for
        // until the server noticed the connection was gone, hours later. No operation idles in a
        // transaction for longer than it may take as a whole, so the server may end any that
        // does. Options from the URL come after, so an operator's own setting wins. (0 would
        // turn the limit off; PostgreSQL takes at most i32::MAX milliseconds.)
        let idle_ms = config.operation_timeout.as_millis().clamp(1, 2_147_483_647);
        // paydiag's statements are index look-ups whatever their parameters. Their custom plans
        // fold away the look-ups a call's parameters make impossible (a hash of no requester),
        // so they always look cheaper than the generic plan, and PostgreSQL would plan the
        // diagnosis statement again on every execution.
        let options = format!(
            "-c idle_in_transaction_session_timeout={idle_ms} -c plan_cache_mode=force_generic_plan {}",
            pg.get_options().unwrap_or_default()
        );
        pg.options(options.trim_end());
        let (shared, pooled) = split_connections(config.pool_size);
        let shared = shared::SharedReads::new(pg.clone(), LOAD_HEAD.as_str(), shared);
        let listening = pg.clone();
        let manager = Manager::from_config(
            pg,
            NoTls,
            ManagerConfig {
                // A pooled connection answers a round trip before each use: one that stopped
                // answering (its database failed over, the route lost) is dropped after the
                // recycle timeout instead of failing every call it is handed to until the
                // operating system gives up on it. Diagnoses do not pay this; they read
                // through the shared connections.
                recycling_method: RecyclingMethod::Verified,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pooled)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(config.acquire_timeout))
            .create_timeout(Some(config.acquire_timeout))
            .recycle_timeout(Some(config.acquire_timeout))
            .build()
            .context("building the PostgreSQL pool")?;
        migrate(&pool)
            .await
            .context("migrating the PostgreSQL schema")?;
        // Once migrated: the triggers that notify exist from then on.
        let changes = ChangeFeed::default();
        let listener = listen::start(listening, changes.clone(), config.acquire_timeout).await;
        Ok(Self {
            pool,
            shared: Arc::new(shared),
            operation_timeout: config.operation_timeout,
            resident: Arc::new(ResidentTables::new(MAX_RESIDENT_WINDOWS)),
            changes,
            _listener: Arc::new(listener),
        })
    }

    /// Keeps maintenance windows in memory only while there are at most `limit` of them
    /// (default [`MAX_RESIDENT_WINDOWS`]); beyond, each diagnosis reads them from the table.
    pub fn resident_windows_at_most(mut self, limit: usize) -> Self {
        self.resident = Arc::new(ResidentTables::new(limit));
        self
    }
}

/// Applies the migrations `pool`'s database lacks.
async fn migrate(pool: &Pool) -> anyhow::Result<()> {
    let mut client = pool.get().await?;
    // A current schema needs neither the lock nor any DDL: a replica can then start on a
    // database that takes reads only (a standby) and serve diagnoses.
    if schema_version(&client).await? == Some(MIGRATIONS.len()) {
        return Ok(());
    }
    let tx = client.transaction().await?;
    // Released at commit; a replica that waited finds the migrations applied.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS paydiag_migrations (
                 version    INTEGER PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
    )
    .await?;
    let applied: i64 = tx
        .query_one("SELECT count(*) FROM paydiag_migrations", &[])
        .await?
        .get(0);
    let applied = usize::try_from(applied)?;
    anyhow::ensure!(
        applied <= MIGRATIONS.len(),
        "the database has schema version {applied}, newer than this paydiag ({}): upgrade paydiag",
        MIGRATIONS.len()
    );
    for (n, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let version = i32::try_from(n + 1)?;
        tx.batch_execute(sql)
            .await
            .with_context(|| format!("applying migration {version}"))?;
        tx.execute(
            "INSERT INTO paydiag_migrations (version) VALUES ($1)",
            &[&version],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

impl PostgresStore {
    /// Runs a store operation within the operation timeout: a database that stopped answering
    /// makes the call unavailable instead of hanging it.
    async fn bounded<T>(
        &self,
        operation: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        tokio::time::timeout(self.operation_timeout, operation)
            .await
            .unwrap_or_else(|_| {
                Err(StoreError::Unavailable(format!(
                    "PostgreSQL did not answer within {:?}",
                    self.operation_timeout
                )))
            })
    }

    /// The rows of `sql`, whose one parameter is the time `at`.
    async fn query_at(&self, sql: &str, at: DateTime<Utc>) -> Result<Vec<Row>, StoreError> {
        self.bounded(async {
            let client = self.client().await?;
            client.query(sql, &[&time_key(at)]).await.map_err(pg_error)
        })
        .await
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(pool_error)
    }
}

/// How many migrations the schema records, or `None` before the first.
async fn schema_version(client: &impl GenericClient) -> anyhow::Result<Option<usize>> {
    let recorded: bool = client
        .query_one("SELECT to_regclass('paydiag_migrations') IS NOT NULL", &[])
        .await?
        .get(0);
    if !recorded {
        return Ok(None);
    }
    let applied: i64 = client
        .query_one("SELECT count(*) FROM paydiag_migrations", &[])
        .await?
        .get(0);
    Ok(Some(usize::try_from(applied)?))
}

#[async_trait]
impl FactStore for PostgresStore {
    async fn put_facts(&self, facts: Vec<Fact>) -> Result<(), StoreError> {
        let batch = write::Batch::of(&facts)?;
        self.bounded(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg_error)?;
            batch.write(&tx).await?;
            tx.commit().await.map_err(pg_error)
        })
        .await
    }

    async fn delete_maintenance_window(&self, id: &str) -> Result<bool, StoreError> {
        self.bounded(async {
            let client = self.client().await?;
            let deleted = client
                .execute("DELETE FROM maintenance_windows WHERE id = $1", &[&id])
                .await
                .map_err(pg_error)?;
            Ok(deleted > 0)
        })
        .await
    }

    fn changes(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError> {
        self.bounded(async {
            // One statement sees one snapshot: no transaction is needed around it. It reads the
            // transaction, the status in force and the generations; when the resident copies
            // are at those generations and can answer, that is the whole read. It goes through
            // a connection shared with every concurrent diagnosis.
            let reader = self.shared.reader().await.map_err(pg_error)?;
            let head = self
                .shared
                .read(&reader, Head::read_shared(&reader, query))
                .await?;
            let held = self.resident.held_at(head.generations);
            if let Some(facts) = held.and_then(|tables| head.complete_from_memory(&tables, query)) {
                return Ok(facts);
            }
            let mut client = self.client().await?;
            load_in_snapshot(&mut client, &self.resident, std::slice::from_ref(query))
                .await?
                .pop()
                .context("no facts")
                .map_err(StoreError::Internal)
        })
        .await
    }

    async fn load_many(&self, queries: &[FactQuery]) -> Result<Vec<Facts>, StoreError> {
        if let [query] = queries {
            return Ok(vec![self.load_facts(query).await?]);
        }
        self.bounded(async {
            let mut client = self.client().await?;
            load_in_snapshot(&mut client, &self.resident, queries).await
        })
        .await
    }

    async fn search_transactions(
        &self,
        search: &TransactionSearch,
    ) -> Result<Vec<Transaction>, StoreError> {
        let (sql, params) = search::statement(search, |n| format!("${n}::text"), " COLLATE \"C\"");
        self.bounded(async {
            let client = self.client().await?;
            let statement = client.prepare_cached(&sql).await.map_err(pg_error)?;
            let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                params.iter().map(|p| p as _).collect();
            let rows = client.query(&statement, &params).await.map_err(pg_error)?;
            Ok(decode_rows(&rows, TRANSACTION_COLUMNS, |t| {
                codec::transaction(t)
            })?)
        })
        .await
    }

    async fn windows_not_cleared(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<MaintenanceWindow>, StoreError> {
        let sql = codec::select(
            MAINTENANCE_WINDOW_COLUMNS,
            "FROM maintenance_windows WHERE clears_key > $1::text COLLATE \"C\"
             ORDER BY starts_at, id COLLATE \"C\"",
        );
        let rows = self.query_at(&sql, as_of).await?;
        Ok(decode_rows(&rows, MAINTENANCE_WINDOW_COLUMNS, |w| {
            codec::maintenance_window(w)
        })?)
    }

    async fn next_status_from(
        &self,
        account_id: &str,
        after: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let next: Option<String> = self
            .bounded(async {
                let client = self.client().await?;
                let row = client
                    .query_one(
                        "SELECT min(effective_from) FROM account_statuses
                         WHERE account_id = $1 AND effective_from > $2::text COLLATE \"C\"",
                        &[&account_id, &time_key(after)],
                    )
                    .await
                    .map_err(pg_error)?;
                row.try_get(0).map_err(pg_error)
            })
            .await?;
        next.as_deref()
            .map(time_from_key)
            .transpose()
            .map_err(StoreError::Internal)
    }

    async fn latest_conditions(
        &self,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<NetworkCondition>, StoreError> {
        let sql = codec::select(
            NETWORK_CONDITION_COLUMNS,
            "FROM (SELECT DISTINCT ON (network) * FROM network_conditions
                   WHERE observed_at <= $1::text COLLATE \"C\"
                   ORDER BY network, observed_at DESC) latest
             ORDER BY network COLLATE \"C\"",
        );
        let rows = self.query_at(&sql, as_of).await?;
        Ok(decode_rows(&rows, NETWORK_CONDITION_COLUMNS, |c| {
            codec::network_condition(c)
        })?)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.bounded(async {
            let client = self.client().await?;
            client.simple_query("SELECT 1").await.map_err(pg_error)?;
            Ok(())
        })
        .await
    }

    async fn probe_write(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.bounded(async {
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO health_probe (id, probed_at) VALUES (1, $1)
                     ON CONFLICT (id) DO UPDATE SET probed_at = EXCLUDED.probed_at",
                    &[&time_key(at)],
                )
                .await
                .map_err(pg_error)?;
            Ok(())
        })
        .await
    }

    async fn put_records(&self, records: RecordBatch) -> Result<(), StoreError> {
        self.bounded(async {
            // One statement: atomic without a transaction around it.
            let client = self.client().await?;
            write::records(&client, &records).await
        })
        .await
    }

    async fn list_records(&self, query: &RecordQuery) -> Result<Vec<ListedRecord>, StoreError> {
        let (sql, params) = records::list_statement(query, |n| format!("${n}::text"));
        self.bounded(async {
            let client = self.client().await?;
            let statement = client.prepare_cached(&sql).await.map_err(pg_error)?;
            let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                params.iter().map(|p| p as _).collect();
            let rows = client.query(&statement, &params).await.map_err(pg_error)?;
            Ok(decode_rows(&rows, records::LISTED_COLUMNS, |r| {
                records::listed(r)
            })?)
        })
        .await
    }

    async fn delete_records_before(
        &self,
        cutoff: DateTime<Utc>,
        limit: usize,
    ) -> Result<u64, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.bounded(async {
            let client = self.client().await?;
            let cutoff = time_key(cutoff);
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&cutoff, &limit];
            // Rows another replica's retention is deleting right now are skipped, not waited for.
            // The batches' rows go with their records: once all of a batch's are expired.
            let (records, _batches) = tokio::try_join!(
                client.execute(
                    "DELETE FROM diagnosis_records WHERE id IN (
                         SELECT id FROM diagnosis_records
                         WHERE diagnosed_at < $1::text COLLATE \"C\"
                         ORDER BY diagnosed_at LIMIT $2 FOR UPDATE SKIP LOCKED)",
                    &params,
                ),
                client.execute(
                    "DELETE FROM diagnosis_record_batches WHERE (newest_at, batch_id) IN (
                         SELECT newest_at, batch_id FROM diagnosis_record_batches
                         WHERE newest_at < $1::text COLLATE \"C\"
                         ORDER BY newest_at LIMIT $2 FOR UPDATE SKIP LOCKED)",
                    &params,
                ),
            )
            .map_err(pg_error)?;
            Ok(records)
        })
        .await
    }
}

/// Everything a diagnosis reads, in one statement: one round trip, and one snapshot without a
/// transaction around it. The transaction, the status in force and the latest congestion
/// observation fill the first columns of every row; each maintenance window that bears on the
/// transaction adds a row (one row with null window columns when none does), the network's own
/// before those on every network, each by start, as the resident copy gives them. The choices are
/// the SQLite store's: see `FactStore::load_facts`.
static LOAD_FACTS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {transaction}, {status}, {condition}, {window}
         FROM (SELECT $2::text AS claim_network, $3::text COLLATE \"C\" AS as_of,
                      $5::text AS requester) q
         LEFT JOIN transactions t ON t.reference = {named}
         CROSS JOIN LATERAL (
             SELECT t.created_at <= q.as_of
                        AND (q.requester IS NULL OR t.account_id = q.requester) AS visible
         ) seen
         CROSS JOIN LATERAL (
             SELECT CASE WHEN seen.visible THEN t.network ELSE q.claim_network END AS network,
                    CASE WHEN seen.visible THEN t.created_at ELSE q.as_of END AS since
         ) scope
         LEFT JOIN LATERAL (
             SELECT * FROM account_statuses
             WHERE account_id = t.account_id AND effective_from <= q.as_of
             ORDER BY effective_from DESC, seq DESC LIMIT 1
         ) s ON true
         LEFT JOIN LATERAL (
             SELECT * FROM network_conditions
             WHERE network = scope.network AND observed_at <= q.as_of
             ORDER BY observed_at DESC LIMIT 1
         ) c ON true
         LEFT JOIN LATERAL (
             SELECT * FROM maintenance_windows
             WHERE scope.network IS NOT NULL AND network IN (scope.network, '*')
                 AND clears_key > scope.since AND starts_at <= q.as_of
         ) w ON true
         ORDER BY w.network = '*', w.starts_at, w.id",
        transaction = qualified("t", TRANSACTION_COLUMNS),
        status = qualified("s", ACCOUNT_STATUS_COLUMNS),
        condition = qualified("c", NETWORK_CONDITION_COLUMNS),
        window = qualified("w", MAINTENANCE_WINDOW_COLUMNS),
        named = named_transaction(1, 4, 5),
    )
});

/// The reference of the transaction a query names, from the parameters numbered `reference`,
/// `hash_key` and `requester`: the transaction with that reference or, when there is none, the
/// newest with that hash key, the requester's first (a batched withdrawal shares one hash). Each
/// look-up is one walk of an index in its own order, so that the statement's generic plan is as
/// cheap as any custom one and PostgreSQL does not plan it again on every execution.
fn named_transaction(reference: u8, hash_key: u8, requester: u8) -> String {
    let newest = "ORDER BY created_at DESC, reference COLLATE \"C\" DESC LIMIT 1";
    format!(
        "coalesce(
             (SELECT reference FROM transactions WHERE reference = ${reference}),
             (SELECT reference FROM transactions
              WHERE tx_hash_key = ${hash_key}::text AND account_id = ${requester}::text {newest}),
             (SELECT reference FROM transactions WHERE tx_hash_key = ${hash_key}::text {newest}))"
    )
}

/// Where each table's columns start in a [`LOAD_FACTS`] row.
const STATUS_AT: usize = TRANSACTION_COLUMNS.len();
const CONDITION_AT: usize = STATUS_AT + ACCOUNT_STATUS_COLUMNS.len();
const WINDOW_AT: usize = CONDITION_AT + NETWORK_CONDITION_COLUMNS.len();

async fn load(client: &impl GenericClient, q: &FactQuery) -> Result<Facts, StoreError> {
    let statement = client.prepare_cached(&LOAD_FACTS).await.map_err(pg_error)?;
    let rows = client
        .query(
            &statement,
            &[
                &q.reference,
                &q.claim_network,
                &time_key(q.as_of),
                &q.hash_key(),
                &q.requester,
            ],
        )
        .await
        .map_err(pg_error)?;
    let first = rows.first().context("the facts query returned no row")?;
    let part = |at, columns| Section::of(first, at, columns);
    let mut transaction = part(0, TRANSACTION_COLUMNS)
        .map(|t| codec::transaction(&t))
        .transpose()?;
    let mut status = part(STATUS_AT, ACCOUNT_STATUS_COLUMNS)
        .map(|s| codec::account_status(&s))
        .transpose()?;
    let ownership = q.withhold(&mut transaction, &mut status);
    Ok(Facts {
        transaction,
        account_history: status.into_iter().collect(),
        ownership,
        network_conditions: part(CONDITION_AT, NETWORK_CONDITION_COLUMNS)
            .map(|c| codec::network_condition(&c))
            .into_iter()
            .collect::<anyhow::Result<_>>()?,
        maintenance_windows: rows
            .iter()
            .filter_map(|row| Section::of(row, WINDOW_AT, MAINTENANCE_WINDOW_COLUMNS))
            .map(|w| codec::maintenance_window(&w))
            .collect::<anyhow::Result<_>>()?,
    })
}

/// One table's columns of a row, from position `at` on, in the order of `columns`: read through
/// the shared decoders in [`super::codec`].
struct Section<'r> {
    row: &'r Row,
    at: usize,
    columns: &'static [&'static str],
}

impl<'r> Section<'r> {
    /// The section, or `None` when the row holds none: its first column, a key, is null.
    fn of(row: &'r Row, at: usize, columns: &'static [&'static str]) -> Option<Self> {
        let present = matches!(row.try_get::<_, Option<&str>>(at), Ok(Some(_)));
        present.then_some(Self { row, at, columns })
    }

    fn index(&self, name: &str) -> anyhow::Result<usize> {
        codec::column_index(self.columns, self.at, name)
    }
}

impl Columns for Section<'_> {
    fn opt_text(&self, name: &str) -> anyhow::Result<Option<String>> {
        Ok(self.row.try_get(self.index(name)?)?)
    }

    fn int(&self, name: &str) -> anyhow::Result<i64> {
        Ok(self.row.try_get(self.index(name)?)?)
    }

    fn float(&self, name: &str) -> anyhow::Result<f64> {
        Ok(self.row.try_get(self.index(name)?)?)
    }
}

/// The first statement of a diagnosis's read: the generations of the resident tables (see
/// `0002_generations.sql`), the transaction and its account's status in force, in one row; null
/// transaction or status columns when there is none.
static LOAD_HEAD: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT w.n, c.n, {transaction}, {status}
         FROM generations w
         JOIN generations c ON c.name = 'network_conditions'
         LEFT JOIN transactions t ON t.reference = {named}
         LEFT JOIN LATERAL (
             SELECT * FROM account_statuses
             WHERE account_id = t.account_id AND effective_from <= $2::text COLLATE \"C\"
             ORDER BY effective_from DESC, seq DESC LIMIT 1
         ) s ON true
         WHERE w.name = 'maintenance_windows'",
        transaction = qualified("t", TRANSACTION_COLUMNS),
        status = qualified("s", ACCOUNT_STATUS_COLUMNS),
        named = named_transaction(1, 3, 4),
    )
});
/// Where each table's columns start in a [`LOAD_HEAD`] row.
const HEAD_TRANSACTION_AT: usize = 2;
const HEAD_STATUS_AT: usize = HEAD_TRANSACTION_AT + TRANSACTION_COLUMNS.len();

/// What [`LOAD_HEAD`] reads for a query.
struct Head {
    generations: Generations,
    transaction: Option<Transaction>,
    status: Option<AccountStatus>,
    ownership: Ownership,
}

impl Head {
    async fn read(client: &impl GenericClient, q: &FactQuery) -> Result<Self, StoreError> {
        let statement = client.prepare_cached(&LOAD_HEAD).await.map_err(pg_error)?;
        let row = client
            .query_opt(
                &statement,
                &Self::params(q, &time_key(q.as_of), &q.hash_key()),
            )
            .await
            .map_err(pg_error)?;
        Ok(Self::decode(row)?.withhold(q))
    }

    /// [`Head::read`] through a shared connection, where [`LOAD_HEAD`] is prepared.
    async fn read_shared(reader: &shared::Reader, q: &FactQuery) -> Result<Self, StoreError> {
        let row = reader
            .client
            .query_opt(
                &reader.statement,
                &Self::params(q, &time_key(q.as_of), &q.hash_key()),
            )
            .await
            .map_err(pg_error)?;
        Ok(Self::decode(row)?.withhold(q))
    }

    /// [`LOAD_HEAD`]'s parameters.
    fn params<'a>(
        q: &'a FactQuery,
        as_of: &'a String,
        hash_key: &'a std::borrow::Cow<'a, str>,
    ) -> [&'a (dyn tokio_postgres::types::ToSql + Sync); 4] {
        [&q.reference, as_of, hash_key, &q.requester]
    }

    /// The head with another account's transaction withheld (see [`FactQuery::withhold`]).
    fn withhold(mut self, q: &FactQuery) -> Self {
        self.ownership = q.withhold(&mut self.transaction, &mut self.status);
        self
    }

    fn decode(row: Option<Row>) -> Result<Self, StoreError> {
        let row = row.context("the store has no generations: its schema is not paydiag's")?;
        let generation = |i| row.try_get::<_, i64>(i).context("reading a generation");
        Ok(Self {
            generations: (generation(0)?, generation(1)?),
            transaction: Section::of(&row, HEAD_TRANSACTION_AT, TRANSACTION_COLUMNS)
                .map(|t| codec::transaction(&t))
                .transpose()?,
            status: Section::of(&row, HEAD_STATUS_AT, ACCOUNT_STATUS_COLUMNS)
                .map(|s| codec::account_status(&s))
                .transpose()?,
            ownership: Ownership::Unchecked,
        })
    }

    /// The facts, with windows and congestion from `tables`; `None` when they cannot answer.
    fn complete_from_memory(self, tables: &Tables, q: &FactQuery) -> Option<Facts> {
        let found = match q.scope(self.transaction.as_ref()) {
            Some((network, since)) => Some(tables.answer(&network, since, q.as_of)?),
            None => None,
        };
        let (maintenance_windows, condition) = found.unwrap_or_default();
        Some(Facts {
            transaction: self.transaction,
            account_history: self.status.into_iter().collect(),
            maintenance_windows,
            network_conditions: condition.into_iter().collect(),
            ownership: self.ownership,
        })
    }
}

/// A read-only `REPEATABLE READ` transaction: every statement in it sees one snapshot.
async fn snapshot(
    client: &mut deadpool_postgres::Object,
) -> Result<deadpool_postgres::Transaction<'_>, StoreError> {
    client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(pg_error)
}

/// The facts of `queries`, in order, from one `REPEATABLE READ` snapshot: every head first
/// (pipelined), then windows and congestion from the resident copies at the snapshot's
/// generations (loaded from it when not held), and, for the queries the copies cannot answer,
/// everything again in one statement each (pipelined).
async fn load_in_snapshot(
    client: &mut deadpool_postgres::Object,
    resident: &ResidentTables,
    queries: &[FactQuery],
) -> Result<Vec<Facts>, StoreError> {
    let tx = snapshot(client).await?;
    let heads = try_join_all(queries.iter().map(|q| Head::read(&tx, q))).await?;
    let mut facts: Vec<Option<Facts>> = Vec::with_capacity(queries.len());
    if let Some(first) = heads.first() {
        let tables = tables_at(&tx, resident, first.generations).await?;
        facts.extend(
            heads
                .into_iter()
                .zip(queries)
                .map(|(head, q)| head.complete_from_memory(&tables, q)),
        );
    }
    let unanswered = facts
        .iter()
        .zip(queries)
        .filter(|(f, _)| f.is_none())
        .map(|(_, q)| load(&tx, q));
    let mut loaded = try_join_all(unanswered).await?.into_iter();
    let facts = facts
        .into_iter()
        .map(|f| f.or_else(|| loaded.next()).context("no facts"))
        .collect::<anyhow::Result<_>>()?;
    tx.commit().await.map_err(pg_error)?;
    Ok(facts)
}

/// The resident copies at `generations`, loading those that are not held from `tx`, the snapshot
/// the generations were read in, and offering them to the other readers.
async fn tables_at(
    tx: &deadpool_postgres::Transaction<'_>,
    resident: &ResidentTables,
    (windows_at, conditions_at): Generations,
) -> Result<Tables, StoreError> {
    let windows = resident
        .windows
        .get_or_load_async(windows_at, load_windows(tx, resident.window_limit))
        .await?;
    let conditions = resident
        .conditions
        .get_or_load_async(conditions_at, load_latest_conditions(tx))
        .await?;
    Ok(Tables {
        windows,
        conditions,
    })
}

/// Every maintenance window, or `None` when there are more than `limit`.
async fn load_windows(
    tx: &deadpool_postgres::Transaction<'_>,
    limit: usize,
) -> Result<Option<Windows>, StoreError> {
    let count: i64 = tx
        .query_one("SELECT count(*) FROM maintenance_windows", &[])
        .await
        .map_err(pg_error)?
        .get(0);
    if usize::try_from(count).map_or(true, |n| n > limit) {
        return Ok(None);
    }
    let sql = codec::select(MAINTENANCE_WINDOW_COLUMNS, "FROM maintenance_windows");
    let rows = tx.query(&sql, &[]).await.map_err(pg_error)?;
    let windows = decode_rows(&rows, MAINTENANCE_WINDOW_COLUMNS, |w| {
        codec::maintenance_window(w)
    })?;
    Ok(Some(Windows::new(windows)))
}

/// The latest observation of each network.
async fn load_latest_conditions(
    tx: &deadpool_postgres::Transaction<'_>,
) -> Result<Conditions, StoreError> {
    let sql = codec::select(
        NETWORK_CONDITION_COLUMNS,
        "FROM (SELECT DISTINCT ON (network) * FROM network_conditions
               ORDER BY network, observed_at DESC) latest",
    );
    let rows = tx.query(&sql, &[]).await.map_err(pg_error)?;
    let latest = decode_rows(&rows, NETWORK_CONDITION_COLUMNS, |c| {
        codec::network_condition(c)
    })?;
    Ok(Conditions::new(latest))
}

/// Every row of a statement that selects `columns`, each read through `decode`.
fn decode_rows<T>(
    rows: &[Row],
    columns: &'static [&'static str],
    decode: impl Fn(&Section<'_>) -> anyhow::Result<T>,
) -> anyhow::Result<Vec<T>> {
    rows.iter()
        .map(|row| {
            decode(&Section {
                row,
                at: 0,
                columns,
            })
        })
        .collect()
}

/// Lost connections and a database that is shutting down, overloaded or in recovery are
/// passing conditions; anything else is internal.
/// How a replica's `pool_size` connections are split: connections shared by concurrent
/// diagnoses, one per core (each keeps a backend busy with the statements pipelined on it) but
/// at most half, and the rest pooled for transactions; at least one of each.
fn split_connections(pool_size: usize) -> (usize, usize) {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let shared = cores.clamp(1, (pool_size / 2).max(1));
    (shared, pool_size.saturating_sub(shared).max(1))
}

fn pg_error(e: tokio_postgres::Error) -> StoreError {
    let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
    let meaning = match e.code() {
        _ if e.is_closed() || io => Meaning::Transient,
        Some(state) => meaning(state),
        None => Meaning::Defect,
    };
    match meaning {
        Meaning::Transient => StoreError::Unavailable(format!("PostgreSQL: {e}")),
        Meaning::NoSpace => StoreError::NoSpace(format!("PostgreSQL: {e}")),
        Meaning::ReadOnly => StoreError::ReadOnly(format!("PostgreSQL: {e}")),
        Meaning::Defect => StoreError::Internal(anyhow::Error::new(e).context("PostgreSQL")),
    }
}

/// What an error's SQLSTATE says the caller can do about it.
#[derive(Debug, PartialEq, Eq)]
enum Meaning {
    /// Passing: retrying later may work.
    Transient,
    /// The database's disk is full (53100 disk_full: PostgreSQL reports any ENOSPC with it,
    /// when extending a table or index as when writing a temporary file).
    NoSpace,
    /// The session or server takes reads only (25006 read_only_sql_transaction: a standby, or
    /// `default_transaction_read_only`).
    ReadOnly,
    /// A defect or corrupted data.
    Defect,
}

/// The rest of class 53 (insufficient resources: memory, connections, a configured limit such
/// as `temp_file_limit`) passes by itself or is no lack of space in the store, so it stays
/// transient.
fn meaning(state: &SqlState) -> Meaning {
    let class = state.code();
    if *state == SqlState::DISK_FULL {
        Meaning::NoSpace
    } else if *state == SqlState::READ_ONLY_SQL_TRANSACTION {
        Meaning::ReadOnly
    } else if class.starts_with("08") // connection exception
        || class.starts_with("53") // insufficient resources
        || class.starts_with("57P") // operator intervention: shutdown, crash recovery
        || *state == SqlState::T_R_SERIALIZATION_FAILURE
        || *state == SqlState::T_R_DEADLOCK_DETECTED
        // A statement_timeout, lock_timeout or an operator's cancel: the next try may finish.
        || *state == SqlState::QUERY_CANCELED
        || *state == SqlState::LOCK_NOT_AVAILABLE
    {
        Meaning::Transient
    } else {
        Meaning::Defect
    }
}

fn pool_error(e: PoolError) -> StoreError {
    match e {
        PoolError::Backend(e) => pg_error(e),
        PoolError::Timeout(kind) => {
            StoreError::Unavailable(format!("no PostgreSQL connection ({kind:?} timed out)"))
        }
        other => StoreError::Unavailable(format!("PostgreSQL pool: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::{Meaning, SqlState, meaning, split_connections};

    #[test]
    fn a_full_disk_and_a_read_only_database_are_named_and_shortages_and_timeouts_are_transient() {
        let expected = [
            (SqlState::DISK_FULL, Meaning::NoSpace),
            (SqlState::READ_ONLY_SQL_TRANSACTION, Meaning::ReadOnly),
            (SqlState::INSUFFICIENT_RESOURCES, Meaning::Transient),
            (SqlState::OUT_OF_MEMORY, Meaning::Transient),
            (SqlState::TOO_MANY_CONNECTIONS, Meaning::Transient),
            (SqlState::CONFIGURATION_LIMIT_EXCEEDED, Meaning::Transient),
            (SqlState::ADMIN_SHUTDOWN, Meaning::Transient),
            (SqlState::CONNECTION_FAILURE, Meaning::Transient),
            (SqlState::T_R_SERIALIZATION_FAILURE, Meaning::Transient),
            (SqlState::QUERY_CANCELED, Meaning::Transient),
            (SqlState::LOCK_NOT_AVAILABLE, Meaning::Transient),
            (SqlState::UNIQUE_VIOLATION, Meaning::Defect),
            (SqlState::UNDEFINED_TABLE, Meaning::Defect),
        ];
        for (state, wanted) in expected {
            assert_eq!(meaning(&state), wanted, "{}", state.code());
        }
    }

    #[test]
    fn a_replica_opens_at_most_its_pool_size_with_at_least_one_of_each_kind() {
        for pool_size in 0..=64 {
            let (shared, pooled) = split_connections(pool_size);
            assert!(
                shared >= 1 && pooled >= 1,
                "{pool_size}: {shared} + {pooled}"
            );
            assert!(
                shared + pooled <= pool_size.max(2),
                "{pool_size}: {shared} + {pooled}"
            );
            assert!(
                shared <= (pool_size / 2).max(1),
                "{pool_size}: {shared} shared"
            );
        }
    }
}
