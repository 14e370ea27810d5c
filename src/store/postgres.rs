//! The store for many replicas: PostgreSQL through a connection pool.
//!
//! Replicas hold nothing durable and cache nothing: every diagnosis reads the database, so a fact
//! written through one replica is seen by the next diagnosis on any other.

use super::{
    Fact, FactQuery, FactStore, StoreError,
    codec::{
        self, ACCOUNT_STATUS_COLUMNS, Columns, MAINTENANCE_WINDOW_COLUMNS,
        NETWORK_CONDITION_COLUMNS, TRANSACTION_COLUMNS, qualified, time_key,
    },
};
use crate::engine::model::Facts;
use anyhow::Context as _;
use async_trait::async_trait;
use deadpool_postgres::{
    GenericClient, Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime,
};
use std::{future::Future, sync::LazyLock, time::Duration};
use tokio_postgres::{IsolationLevel, NoTls, Row, error::SqlState};

mod write;

/// Schema migrations, applied in order; `paydiag_migrations` records which ran.
const MIGRATIONS: &[&str] = &[include_str!("migrations/postgres/0001_init.sql")];

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
    operation_timeout: Duration,
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
        let options = format!(
            "-c idle_in_transaction_session_timeout={idle_ms} {}",
            pg.get_options().unwrap_or_default()
        );
        pg.options(options.trim_end());
        let manager = Manager::from_config(
            pg,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(config.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(config.acquire_timeout))
            .create_timeout(Some(config.acquire_timeout))
            .recycle_timeout(Some(config.acquire_timeout))
            .build()
            .context("building the PostgreSQL pool")?;
        let store = Self {
            pool,
            operation_timeout: config.operation_timeout,
        };
        store
            .migrate()
            .await
            .context("migrating the PostgreSQL schema")?;
        Ok(store)
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        let mut client = self.pool.get().await?;
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

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(pool_error)
    }
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

    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError> {
        self.bounded(async {
            // One statement sees one snapshot: no transaction is needed around it.
            let client = self.client().await?;
            load(&client, query).await
        })
        .await
    }

    async fn load_many(&self, queries: &[FactQuery]) -> Result<Vec<Facts>, StoreError> {
        if let [query] = queries {
            return Ok(vec![self.load_facts(query).await?]);
        }
        self.bounded(async {
            let mut client = self.client().await?;
            let tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await
                .map_err(pg_error)?;
            // Every query is sent without waiting for the others' answers (pipelined).
            let facts =
                futures_util::future::try_join_all(queries.iter().map(|q| load(&tx, q))).await?;
            tx.commit().await.map_err(pg_error)?;
            Ok(facts)
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.bounded(async {
            let client = self.client().await?;
            client.simple_query("SELECT 1").await.map_err(pg_error)?;
            Ok(())
        })
        .await
    }
}

/// Everything a diagnosis reads, in one statement: one round trip, and one snapshot without a
/// transaction around it. The transaction, the status in force and the latest congestion
/// observation fill the first columns of every row; each maintenance window that bears on the
/// transaction adds a row (one row with null window columns when none does). The choices are
/// the SQLite store's: see `FactStore::load_facts`.
static LOAD_FACTS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {transaction}, {status}, {condition}, {window}
         FROM (SELECT $2::text AS claim_network, $3::text COLLATE \"C\" AS as_of) q
         LEFT JOIN transactions t ON t.reference = $1
         CROSS JOIN LATERAL (
             SELECT CASE WHEN t.created_at <= q.as_of THEN t.network ELSE q.claim_network END
                        AS network,
                    CASE WHEN t.created_at <= q.as_of THEN t.created_at ELSE q.as_of END AS since
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
         ) w ON true",
        transaction = qualified("t", TRANSACTION_COLUMNS),
        status = qualified("s", ACCOUNT_STATUS_COLUMNS),
        condition = qualified("c", NETWORK_CONDITION_COLUMNS),
        window = qualified("w", MAINTENANCE_WINDOW_COLUMNS),
    )
});

/// Where each table's columns start in a [`LOAD_FACTS`] row.
const STATUS_AT: usize = TRANSACTION_COLUMNS.len();
const CONDITION_AT: usize = STATUS_AT + ACCOUNT_STATUS_COLUMNS.len();
const WINDOW_AT: usize = CONDITION_AT + NETWORK_CONDITION_COLUMNS.len();

async fn load(client: &impl GenericClient, q: &FactQuery) -> Result<Facts, StoreError> {
    let statement = client.prepare_cached(&LOAD_FACTS).await.map_err(pg_error)?;
    let rows = client
        .query(
            &statement,
            &[&q.reference, &q.claim_network, &time_key(q.as_of)],
        )
        .await
        .map_err(pg_error)?;
    let first = rows.first().context("the facts query returned no row")?;
    let part = |at, columns| Section::of(first, at, columns);
    Ok(Facts {
        transaction: part(0, TRANSACTION_COLUMNS)
            .map(|t| codec::transaction(&t))
            .transpose()?,
        account_history: part(STATUS_AT, ACCOUNT_STATUS_COLUMNS)
            .map(|s| codec::account_status(&s))
            .into_iter()
            .collect::<anyhow::Result<_>>()?,
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
        let position = self
            .columns
            .iter()
            .position(|c| *c == name)
            .with_context(|| format!("column {name} is not selected"))?;
        Ok(self.at + position)
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

/// Lost connections and a database that is shutting down, overloaded or in recovery are
/// passing conditions; anything else is internal.
fn pg_error(e: tokio_postgres::Error) -> StoreError {
    let transient_state = e.code().is_some_and(|state| {
        let class = state.code();
        class.starts_with("08") // connection exception
            || class.starts_with("53") // insufficient resources
            || class.starts_with("57P") // operator intervention: shutdown, crash recovery
            || *state == SqlState::T_R_SERIALIZATION_FAILURE
            || *state == SqlState::T_R_DEADLOCK_DETECTED
    });
    let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
    if e.is_closed() || io || transient_state {
        StoreError::Unavailable(format!("PostgreSQL: {e}"))
    } else {
        StoreError::Internal(anyhow::Error::new(e).context("PostgreSQL"))
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
