//! The conformance suite every [`FactStore`](paydiag::store::FactStore) backend must pass.
//!
//! Each check in [`checks`] is a backend-agnostic async function handed a fresh, empty store
//! (or, for restarts, the [`Backend`] itself). `conformance_suite!` expands every check into a
//! `#[tokio::test]` for one backend, with any attributes given before its name. Adding a backend
//! is an `impl Backend` that creates a fresh database and one line:
//!
//! ```ignore
//! conformance_suite!(sqlite => SqliteBackend::create());
//! ```
//!
//! The PostgreSQL suite runs when `PAYDIAG_TEST_POSTGRES_URL` names a database (set when
//! building; see `build.rs`); each check then works in a schema of its own, dropped afterwards.
//! Without the variable its checks are ignored, saying how to run them.
//!
//! The engine narrows the facts it is handed itself, so the checks assert what the trait
//! documents and no more: the account history may hold older entries, but must hold the one in
//! force at `as_of` and nothing later; windows of other kinds may come along.
//!
//! Time is always an explicit evaluation time ([`as_of`]), never the wall clock.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use paydiag::api::enums;
use paydiag::engine::model::{
    AccountState, AccountStatus, ConfirmationMethod, CustomerConfirmation, ExpectedPayment, Facts,
    FailureReason, FreezeReason, InformationRequest, MaintenanceType, MaintenanceWindow,
    NetworkCondition, Ownership, RequestedInformation, Transaction, TransactionKind,
    TransactionStatus,
};
use paydiag::store::{Fact, FactQuery, SharedStore, StoreError, postgres::PostgresStore};
use rust_decimal::Decimal;
use std::{collections::BTreeSet, fmt::Debug, path::PathBuf, sync::Arc};

// ---------------------------------------------------------------------------------------------
// Harness: one `Backend` per store implementation, and the macro that runs every check on it.
// ---------------------------------------------------------------------------------------------

/// A backend under test, owning one fresh database for the duration of a test.
#[async_trait]
pub trait Backend: Send + Sync {
    /// Opens a store on this backend's database, running its migrations. Opening again after
    /// dropping the previous store is a restart.
    async fn open(&self) -> SharedStore;
}

/// Expands every check into a `#[tokio::test]` in a module named after the backend, each on a
/// fresh backend made by `$create` (an expression yielding a future of a [`Backend`]).
macro_rules! conformance_suite {
    ($(#[$attr:meta])* $backend:ident => $create:expr) => {
        mod $backend {
            use super::*;

            conformance_suite!(@store [$(#[$attr])*] $create;
                ping_answers_on_a_fresh_store,
                a_write_probe_commits_again_and_again_and_leaves_the_facts_alone,
                an_empty_store_loads_no_facts,
                an_empty_batch_succeeds_and_stores_nothing,
                a_transaction_round_trips_every_field_exactly,
                a_transaction_with_every_optional_field_unset_round_trips,
                every_code_round_trips,
                decimals_keep_their_scale_and_precision,
                nanosecond_and_extreme_timestamps_round_trip,
                a_second_put_of_a_reference_replaces_the_transaction_entirely,
                facts_in_one_batch_are_applied_in_order,
                a_large_batch_is_applied_in_order,
                account_status_fields_round_trip,
                the_account_status_in_force_is_the_latest_to_take_effect_by_as_of,
                account_statuses_taking_effect_after_as_of_are_not_loaded,
                the_next_account_status_to_take_effect_is_the_earliest_after_the_time_asked,
                of_two_statuses_taking_effect_together_the_later_recorded_wins,
                a_lapsed_account_status_is_still_loaded_so_it_hides_older_ones,
                only_the_history_of_the_transactions_account_is_loaded,
                an_unknown_reference_loads_no_account_history,
                a_maintenance_window_round_trips_every_field,
                maintenance_windows_load_for_the_transactions_network_or_every_network,
                maintenance_windows_load_when_they_held_the_transaction_up_since_its_creation,
                maintenance_windows_at_the_ends_of_time_still_load,
                a_maintenance_window_put_again_with_its_id_replaces_it,
                deleting_a_maintenance_window_reports_whether_it_existed,
                a_deleted_maintenance_window_is_no_longer_loaded,
                an_unknown_reference_loads_facts_for_the_claims_network,
                loading_many_queries_answers_each_in_order_as_loading_one_would,
                an_unknown_reference_without_a_claim_network_loads_no_network_facts,
                a_known_reference_loads_facts_for_its_own_network_not_the_claims,
                a_transaction_created_after_as_of_loads_facts_for_the_claims_network,
                only_the_latest_network_condition_by_as_of_is_loaded,
                a_network_condition_observed_again_at_the_same_moment_replaces_it,
                a_batch_that_fails_part_way_stores_none_of_it,
                concurrent_writers_all_land,
                concurrent_readers_see_each_batch_whole_or_not_at_all,
                concurrent_loads_each_get_the_facts_of_their_own_query,
                a_transaction_is_found_by_its_hash_in_any_case_with_or_without_0x,
                a_reference_is_looked_up_before_a_hash,
                of_transactions_sharing_a_hash_the_requesters_comes_first_then_the_newest,
                another_accounts_transaction_is_withheld_and_loads_as_an_unknown_reference,
                the_requesters_own_transaction_loads_as_without_a_requester,
                a_record_round_trips_every_field_exactly,
                every_cause_action_disposition_priority_and_source_round_trips,
                an_empty_record_batch_succeeds_and_stores_nothing,
                records_are_listed_by_ticket_or_by_reference_newest_first,
                records_made_at_the_same_moment_list_the_later_stored_first,
                a_listing_continues_after_its_cursor_a_page_at_a_time,
                records_are_listed_within_a_time_range_from_inclusive_to_exclusive,
                deleting_old_records_takes_the_oldest_first_at_most_the_limit,
                every_write_tells_the_change_feed_the_keys_it_touched,
                a_write_that_moves_a_fact_tells_the_feed_the_keys_it_left,
                keys_too_many_for_one_notification_all_reach_the_feed,
            );

            conformance_suite!(@backend [$(#[$attr])*] $create;
                facts_survive_a_restart,
                reopening_a_migrated_database_changes_nothing,
                writes_through_another_store_are_visible_to_the_next_load,
                records_survive_a_restart,
                records_written_through_one_store_are_listed_by_another,
            );
        }
    };
    // `$attrs` is the bracketed attribute list, passed whole into each check's repetition.
    (@store $attrs:tt $create:expr; $($check:ident),+ $(,)?) => {$(
        conformance_suite!(@test $attrs $check {
            let backend = $create.await;
            let store = backend.open().await;
            super::checks::$check(&store).await;
        });
    )+};
    (@backend $attrs:tt $create:expr; $($check:ident),+ $(,)?) => {$(
        conformance_suite!(@test $attrs $check {
            let backend = $create.await;
            super::checks::$check(&backend).await;
        });
    )+};
    (@test [$(#[$attr:meta])*] $check:ident $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])*
        async fn $check() $body
    };
}

/// A SQLite file in a temporary directory, removed when the test ends.
struct SqliteBackend {
    dir: tempfile::TempDir,
    resident_windows: Option<usize>,
    /// How long case records wait to be keyed, when not the default.
    records_keyed_after: Option<std::time::Duration>,
}

impl SqliteBackend {
    async fn create() -> Self {
        Self {
            dir: tempfile::tempdir().expect("creating a temporary directory"),
            resident_windows: None,
            records_keyed_after: None,
        }
    }

    /// A store that keys case records once they have waited `after`: zero keys every batch at
    /// once, so listings read the key table rather than the records not keyed yet.
    async fn records_keyed_after(after: std::time::Duration) -> Self {
        Self {
            records_keyed_after: Some(after),
            ..Self::create().await
        }
    }

    /// A store that keeps at most `limit` maintenance windows in memory.
    async fn resident_windows_at_most(limit: usize) -> Self {
        Self {
            resident_windows: Some(limit),
            ..Self::create().await
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("facts.db")
    }

    /// The file the store keeps its case records in.
    fn records_path(&self) -> PathBuf {
        paydiag::store::sqlite::records_path(&self.path())
    }
}

#[async_trait]
impl Backend for SqliteBackend {
    async fn open(&self) -> SharedStore {
        let store = paydiag::store::sqlite::SqliteStore::open(&self.path(), 4)
            .await
            .expect("opening the SQLite store");
        let store = match self.resident_windows {
            Some(limit) => store.resident_windows_at_most(limit),
            None => store,
        };
        match self.records_keyed_after {
            Some(after) => Arc::new(store.records_keyed_after(after)),
            None => Arc::new(store),
        }
    }
}

conformance_suite!(sqlite => SqliteBackend::create());
// Past the limit of windows kept in memory, they are read from the table instead.
conformance_suite!(sqlite_windows_on_disk => SqliteBackend::resident_windows_at_most(1));
// Case records keyed as each batch is stored: listings and retention read the key table.
conformance_suite!(sqlite_records_keyed => SqliteBackend::records_keyed_after(std::time::Duration::ZERO));

/// What only the SQLite backend promises on top of the suite.
mod sqlite_only {
    use super::*;
    use paydiag::store::records::{self, DiagnosisRecord};

    /// The schema version and every table and index definition.
    fn schema(backend: &SqliteBackend) -> (i64, Vec<(String, Option<String>)>) {
        let conn = rusqlite::Connection::open(backend.path()).expect("opening the file");
        let version = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("reading user_version");
        let objects = conn
            .prepare("SELECT name, sql FROM sqlite_master ORDER BY name")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .expect("reading the schema");
        (version, objects)
    }

    #[tokio::test]
    async fn reopening_a_sqlite_file_applies_no_migration_twice() {
        let backend = SqliteBackend::create().await;
        drop(backend.open().await);
        let migrated = schema(&backend);
        assert!(migrated.0 >= 1, "no migration recorded: {migrated:?}");
        drop(backend.open().await);
        assert_eq!(schema(&backend), migrated);
    }

    /// How many case records wait to be keyed.
    fn unkeyed(backend: &SqliteBackend) -> i64 {
        rusqlite::Connection::open(backend.records_path())
            .and_then(|c| {
                c.query_row(
                    "SELECT count(*) FROM diagnosis_records WHERE id >
                     (SELECT indexed_through FROM diagnosis_record_index)",
                    [],
                    |r| r.get(0),
                )
            })
            .expect("counting unkeyed records")
    }

    /// A store on `backend`'s file that keys its records after `after`.
    async fn keyed_after(backend: &SqliteBackend, after: std::time::Duration) -> SharedStore {
        let store = paydiag::store::sqlite::SqliteStore::open(&backend.path(), 2)
            .await
            .expect("opening the SQLite store");
        Arc::new(store.records_keyed_after(after))
    }

    fn record(ticket: &str, reference: &str, minutes_ago: i64) -> DiagnosisRecord {
        record_checks::record(ticket, reference, as_of() - TimeDelta::minutes(minutes_ago))
    }

    /// Every page of `ticket`'s records, `size` at a time, as references.
    async fn pages(store: &SharedStore, ticket: &str, size: usize) -> Vec<Vec<String>> {
        let mut pages = Vec::new();
        let mut after = None;
        loop {
            let page = store
                .list_records(&records::RecordQuery {
                    ticket_id: Some(ticket.to_owned()),
                    after,
                    limit: size,
                    ..records::RecordQuery::default()
                })
                .await
                .expect("listing");
            pages.push(page.iter().map(|l| l.record.reference.clone()).collect());
            match page.last() {
                Some(last) if page.len() == size => after = Some(last.cursor()),
                _ => return pages,
            }
        }
    }

    #[tokio::test]
    async fn a_listing_merges_keyed_and_unkeyed_records_newest_first_page_by_page() {
        let backend = SqliteBackend::create().await;
        let keyed = keyed_after(&backend, std::time::Duration::ZERO).await;
        let unkeyed_store = keyed_after(&backend, std::time::Duration::MAX).await;
        // Keyed: made 1, 3 and 5 minutes ago; then stored but not keyed: 0, 2, 4 and, at the
        // same moment as a keyed one, 3 minutes ago (stored later, so listed before it).
        keyed
            .put_records(
                vec![
                    record("T", "K1", 1),
                    record("T", "K3", 3),
                    record("T", "K5", 5),
                ]
                .into(),
            )
            .await
            .expect("put");
        assert_eq!(unkeyed(&backend), 0);
        unkeyed_store
            .put_records(
                vec![
                    record("T", "U0", 0),
                    record("T", "U2", 2),
                    record("T", "U3", 3),
                    record("T", "U4", 4),
                    record("OTHER", "U9", 0),
                ]
                .into(),
            )
            .await
            .expect("put");
        assert_eq!(unkeyed(&backend), 5);
        let expected = [["U0", "K1"], ["U2", "U3"], ["K3", "U4"], ["K5", ""]];
        let expected: Vec<Vec<String>> = expected
            .iter()
            .map(|p| {
                p.iter()
                    .filter(|r| !r.is_empty())
                    .map(|r| r.to_string())
                    .collect()
            })
            .collect();
        assert_eq!(pages(&unkeyed_store, "T", 2).await, expected);
        // Once keyed (here by reopening, as after a crash), the same pages.
        drop((keyed, unkeyed_store));
        let reopened = backend.open().await;
        assert_eq!(unkeyed(&backend), 0);
        assert_eq!(pages(&reopened, "T", 2).await, expected);
    }

    #[tokio::test]
    async fn retention_deletes_unkeyed_records_and_ids_are_never_reused() {
        let backend = SqliteBackend::create().await;
        let store = keyed_after(&backend, std::time::Duration::MAX).await;
        store
            .put_records(vec![record("T", "OLD-1", 60), record("T", "OLD-2", 50)].into())
            .await
            .expect("put");
        assert_eq!(unkeyed(&backend), 2);
        let deleted = store
            .delete_records_before(as_of(), 10)
            .await
            .expect("deleting");
        assert_eq!(deleted, 2);
        assert_eq!(pages(&store, "T", 10).await, vec![Vec::<String>::new()]);
        // The table is empty; the next record still gets a new id, and is found.
        store
            .put_records(vec![record("T", "NEW", 0)].into())
            .await
            .expect("put");
        let listed = store
            .list_records(&records::RecordQuery {
                ticket_id: Some("T".into()),
                limit: 10,
                ..records::RecordQuery::default()
            })
            .await
            .expect("listing");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].record.reference, "NEW");
        assert_eq!(listed[0].id, 3);
        drop(store);
        let reopened = backend.open().await;
        assert_eq!(
            pages(&reopened, "T", 10).await,
            vec![vec!["NEW".to_owned()]]
        );
    }

    #[tokio::test]
    async fn a_batch_stored_but_not_keyed_is_not_stored_twice_and_is_keyed_later() {
        let backend = SqliteBackend::create().await;
        let store = keyed_after(&backend, std::time::Duration::ZERO).await;
        let raw = rusqlite::Connection::open(backend.records_path()).expect("opening the file");
        raw.execute_batch(
            "CREATE TRIGGER refuse_keys BEFORE INSERT ON diagnosis_record_keys
             BEGIN SELECT RAISE(ABORT, 'keys refused'); END;",
        )
        .expect("refusing keys");
        store
            .put_records(vec![record("T", "R1", 2), record("T", "R2", 1)].into())
            .await
            .expect("a batch whose keys are refused is still stored");
        assert_eq!(unkeyed(&backend), 2);
        assert_eq!(pages(&store, "T", 10).await, vec![vec!["R2", "R1"]]);
        raw.execute_batch("DROP TRIGGER refuse_keys")
            .expect("taking keys again");
        store
            .put_records(vec![record("T", "R3", 0)].into())
            .await
            .expect("put");
        assert_eq!(unkeyed(&backend), 0);
        assert_eq!(pages(&store, "T", 10).await, vec![vec!["R3", "R2", "R1"]]);
    }

    #[tokio::test]
    async fn a_sqlite_file_from_a_newer_paydiag_is_refused() {
        let backend = SqliteBackend::create().await;
        drop(backend.open().await);
        rusqlite::Connection::open(backend.path())
            .and_then(|c| c.pragma_update(None, "user_version", 9_999))
            .expect("bumping user_version");
        let opened = paydiag::store::sqlite::SqliteStore::open(&backend.path(), 1).await;
        assert!(opened.is_err(), "opened a database of an unknown schema");
    }
}

#[path = "postgres/schema.rs"]
mod pg_schema;

/// A PostgreSQL schema of its own, dropped when the check ends (however it ends).
struct PostgresBackend {
    schema: pg_schema::TestSchema,
    resident_windows: Option<usize>,
}

impl PostgresBackend {
    async fn create() -> Self {
        Self {
            schema: pg_schema::TestSchema::create().await,
            resident_windows: None,
        }
    }

    /// Replicas that keep at most `limit` maintenance windows in memory.
    async fn resident_windows_at_most(limit: usize) -> Self {
        Self {
            resident_windows: Some(limit),
            ..Self::create().await
        }
    }

    async fn connect(&self) -> anyhow::Result<PostgresStore> {
        let store = PostgresStore::connect(&self.schema.store_config()).await?;
        Ok(match self.resident_windows {
            Some(limit) => store.resident_windows_at_most(limit),
            None => store,
        })
    }
}

#[async_trait]
impl Backend for PostgresBackend {
    async fn open(&self) -> SharedStore {
        Arc::new(self.connect().await.expect("opening the PostgreSQL store"))
    }
}

conformance_suite!(
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
    )]
    postgres => PostgresBackend::create()
);
// Past the limit of windows kept in memory, they are read from the table instead.
conformance_suite!(
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
    )]
    postgres_windows_on_disk => PostgresBackend::resident_windows_at_most(1)
);

/// What only the PostgreSQL backend promises on top of the suite: replicas share one database
/// and may start together.
mod postgres_only {
    use super::*;

    /// The migrations paydiag ships: one file each.
    fn shipped_migrations() -> i32 {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/store/migrations/postgres");
        let files = std::fs::read_dir(dir).expect("reading the migrations directory");
        let sql = files
            .map(|f| f.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .count();
        i32::try_from(sql).expect("a few migrations")
    }

    /// Every `paydiag_migrations` row: (version, applied_at as text).
    async fn applied(backend: &PostgresBackend) -> Vec<(i32, String)> {
        let client = backend.schema.client().await;
        let rows = client
            .query(
                "SELECT version, applied_at::text FROM paydiag_migrations ORDER BY version",
                &[],
            )
            .await
            .expect("reading paydiag_migrations");
        rows.iter().map(|r| (r.get(0), r.get(1))).collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
    )]
    async fn replicas_starting_together_on_a_fresh_schema_all_migrate_it_once() {
        const REPLICAS: usize = 6;
        let backend = PostgresBackend::create().await;
        let starting = (0..REPLICAS).map(|_| backend.connect());
        let stores = futures_util::future::join_all(starting).await;
        let stores: Vec<PostgresStore> = stores
            .into_iter()
            .map(|s| s.expect("a replica failed to start"))
            .collect();
        let migrated = applied(&backend).await;
        let versions: Vec<i32> = migrated.iter().map(|(v, _)| *v).collect();
        let shipped: Vec<i32> = (1..=shipped_migrations()).collect();
        assert_eq!(versions, shipped, "one row per migration");
        // Every replica works on the one schema: what one writes, another reads.
        let store = |i: usize| -> SharedStore { Arc::new(stores[i].clone()) };
        put(&store(0), vec![Fact::Transaction(transaction("TX-SHARED"))]).await;
        assert!(
            load(&store(REPLICAS - 1), "TX-SHARED")
                .await
                .transaction
                .is_some()
        );
        drop(stores);

        // Restarting, together again, applies nothing a second time.
        let restarting = (0..REPLICAS).map(|_| backend.connect());
        for store in futures_util::future::join_all(restarting).await {
            store.expect("a replica failed to restart");
        }
        assert_eq!(applied(&backend).await, migrated);
        assert!(
            load(&backend.open().await, "TX-SHARED")
                .await
                .transaction
                .is_some()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
    )]
    async fn a_batch_of_records_tried_again_after_it_was_stored_is_stored_once() {
        use paydiag::store::records::{RecordBatch, RecordQuery};
        let backend = PostgresBackend::create().await;
        let store = backend.open().await;
        let records = vec![
            checks::record("T-RETRIED", "DEP-1", as_of() - hours(2)),
            checks::record("T-RETRIED", "DEP-2", as_of() - hours(1)),
        ];
        let batch: RecordBatch = records.clone().into();
        store.put_records(batch.clone()).await.expect("stored");
        // As the writer does when the first try's reply was lost.
        store.put_records(batch).await.expect("tried again");
        // The very same records in a new batch (two identical diagnoses) are stored again.
        store
            .put_records(records.into())
            .await
            .expect("another batch");
        let query = RecordQuery {
            ticket_id: Some("T-RETRIED".into()),
            limit: 10,
            ..RecordQuery::default()
        };
        let listed: Vec<String> = store
            .list_records(&query)
            .await
            .expect("listed")
            .into_iter()
            .map(|l| l.record.reference)
            .collect();
        assert_eq!(listed, ["DEP-2", "DEP-2", "DEP-1", "DEP-1"]);
        assert_eq!(backend.schema.count("diagnosis_record_batches").await, 2);

        // Retention takes the batches' rows with their records.
        let deleted = store
            .delete_records_before(as_of(), 10)
            .await
            .expect("deleted");
        assert_eq!(deleted, 4);
        assert_eq!(backend.schema.count("diagnosis_record_batches").await, 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
    )]
    async fn a_schema_named_as_long_as_postgresql_allows_has_a_change_feed() {
        let backend = PostgresBackend {
            schema: pg_schema::TestSchema::create_long().await,
            resident_windows: None,
        };
        let store = backend.open().await;
        checks::every_write_tells_the_change_feed_the_keys_it_touched(&store).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "needs PostgreSQL: set PAYDIAG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test and run cargo test"
    )]
    async fn a_schema_from_a_newer_paydiag_is_refused() {
        let backend = PostgresBackend::create().await;
        drop(backend.open().await);
        let newer = shipped_migrations() + 1;
        backend
            .schema
            .client()
            .await
            .execute(
                "INSERT INTO paydiag_migrations (version) VALUES ($1)",
                &[&newer],
            )
            .await
            .expect("recording a newer migration");
        let opened = backend.connect().await;
        assert!(opened.is_err(), "opened a schema of an unknown version");
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures.
// ---------------------------------------------------------------------------------------------

const ACCOUNT: &str = "acct-0001234567";
const OTHER_ACCOUNT: &str = "acct-0007654321";

/// The evaluation time of most checks.
fn as_of() -> DateTime<Utc> {
    at("2026-11-22T10:00:00Z")
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("a valid RFC 3339 time")
        .with_timezone(&Utc)
}

fn hours(n: i64) -> TimeDelta {
    TimeDelta::hours(n)
}

fn dec(text: &str) -> Decimal {
    text.parse().expect("a valid decimal")
}

/// A confirming TRON deposit created two hours before [`as_of`], optional fields unset.
fn transaction(reference: &str) -> Transaction {
    Transaction {
        reference: reference.to_owned(),
        account_id: ACCOUNT.to_owned(),
        kind: TransactionKind::Deposit,
        network: "TRON".to_owned(),
        asset: "USDT".to_owned(),
        amount: dec("100.50"),
        destination: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf".to_owned(),
        memo: String::new(),
        status: TransactionStatus::Confirming,
        failure_reason: None,
        confirmations: 3,
        required_confirmations: 20,
        created_at: as_of() - hours(2),
        updated_at: None,
        completed_at: None,
        expected: ExpectedPayment::default(),
        tx_hash: String::new(),
        customer_confirmation: None,
        information_request: None,
    }
}

/// A transaction with every optional field set and text that trips up naive storage.
fn full_transaction(reference: &str) -> Transaction {
    Transaction {
        kind: TransactionKind::Withdrawal,
        network: "XLM".to_owned(),
        asset: "USDC".to_owned(),
        destination: "GB7…目的地 'O''Brien'; DROP TABLE transactions; -- 🚀".to_owned(),
        memo: "备注 Ünïcödé \"quoted\" \\ 💸".to_owned(),
        status: TransactionStatus::Failed,
        failure_reason: Some(FailureReason::RiskDeclined),
        confirmations: u32::MAX,
        required_confirmations: u32::MAX,
        created_at: at("2026-11-22T07:59:59.123456789Z"),
        updated_at: Some(at("2026-11-22T08:00:00.000000001Z")),
        completed_at: Some(at("2026-11-22T09:30:00.999999999Z")),
        expected: ExpectedPayment {
            amount: Some(dec("100.500")),
            asset: Some("USDC".to_owned()),
            network: Some("XLM".to_owned()),
            destination: Some("GB7…目的地".to_owned()),
            // Asked for no memo, which is not the same as not saying.
            memo: Some(String::new()),
        },
        tx_hash: "0x9F2C4E8B1D7A6F3E5C0B9A8D7E6F5A4B3C2D1E0F9A8B7C6D5E4F3A2B1C0D9E8F".to_owned(),
        customer_confirmation: Some(CustomerConfirmation {
            method: ConfirmationMethod::TwoFactor,
            expires_at: at("2026-11-23T07:59:59.987654321Z"),
        }),
        information_request: Some(InformationRequest {
            items: vec![
                RequestedInformation::SourceOfFunds,
                RequestedInformation::BeneficiaryDetails,
            ],
            requested_at: at("2026-11-22T07:59:59.123456789Z"),
        }),
        ..transaction(reference)
    }
}

fn status(account: &str, state: AccountState, effective_from: DateTime<Utc>) -> AccountStatus {
    AccountStatus {
        account_id: account.to_owned(),
        state,
        reason: None,
        restricted_kinds: Vec::new(),
        effective_from,
        effective_until: None,
        note: String::new(),
    }
}

/// A window on `network` from `starts_at`, open-ended, every kind, no backlog.
fn window(id: &str, network: &str, starts_at: DateTime<Utc>) -> MaintenanceWindow {
    MaintenanceWindow {
        id: id.to_owned(),
        network: network.to_owned(),
        kinds: Vec::new(),
        maintenance_type: MaintenanceType::Scheduled,
        starts_at,
        ends_at: None,
        backlog_drain: TimeDelta::zero(),
        title: format!("{network} maintenance"),
    }
}

fn condition(network: &str, observed_at: DateTime<Utc>, factor: f64) -> NetworkCondition {
    NetworkCondition {
        network: network.to_owned(),
        congestion_factor: factor,
        observed_at,
    }
}

/// A window no backend can store: its backlog drain overflows every duration column
/// (i64 nanoseconds, or PostgreSQL's `interval`).
fn unstorable_window() -> MaintenanceWindow {
    MaintenanceWindow {
        ends_at: Some(as_of()),
        backlog_drain: TimeDelta::MAX,
        ..window("W-UNSTORABLE", "TRON", as_of() - hours(1))
    }
}

async fn put(store: &SharedStore, facts: Vec<Fact>) {
    store.put_facts(facts).await.expect("put_facts");
}

async fn load_at(
    store: &SharedStore,
    reference: &str,
    claim_network: Option<&str>,
    as_of: DateTime<Utc>,
) -> Facts {
    let query = FactQuery {
        reference: reference.to_owned(),
        claim_network: claim_network.map(str::to_owned),
        as_of,
        requester: None,
    };
    store.load_facts(&query).await.expect("load_facts")
}

/// The facts `requester` may see of `reference`, at [`as_of`], claiming `claim_network`.
async fn load_as(
    store: &SharedStore,
    reference: &str,
    requester: &str,
    claim_network: Option<&str>,
) -> Facts {
    let query = FactQuery {
        requester: Some(requester.to_owned()),
        claim_network: claim_network.map(str::to_owned),
        ..FactQuery::new(reference, as_of())
    };
    let one = store.load_facts(&query).await.expect("load_facts");
    let many = store.load_many(&[query]).await.expect("load_many");
    assert_eq!(many, std::slice::from_ref(&one), "one and many differ");
    one
}

async fn load(store: &SharedStore, reference: &str) -> Facts {
    load_at(store, reference, None, as_of()).await
}

/// Equal, and with the same text: `Decimal` equality ignores scale (100.5 == 100.50) but its
/// `Debug` keeps it, so this also catches a backend that drops trailing zeros.
#[track_caller]
fn assert_same<T: PartialEq + Debug>(actual: &T, expected: &T) {
    assert_eq!(actual, expected);
    assert_eq!(
        format!("{actual:?}"),
        format!("{expected:?}"),
        "equal but not identical"
    );
}

fn window_ids(facts: &Facts) -> BTreeSet<&str> {
    facts
        .maintenance_windows
        .iter()
        .map(|w| w.id.as_str())
        .collect()
}

fn ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    ids.into_iter().collect()
}

/// The entry in force at `as_of` as the trait promises it, after checking every loaded entry is
/// of `account` and took effect by `as_of`: the latest to take effect, the later listed on a tie
/// (the history comes in recording order).
#[track_caller]
fn status_in_force(facts: &Facts, account: &str, as_of: DateTime<Utc>) -> Option<AccountStatus> {
    let mut current: Option<&AccountStatus> = None;
    for entry in &facts.account_history {
        assert_eq!(entry.account_id, account, "another account's history");
        assert!(
            entry.effective_from <= as_of,
            "loaded a future entry: {entry:?}"
        );
        if current.is_none_or(|c| entry.effective_from >= c.effective_from) {
            current = Some(entry);
        }
    }
    current.cloned()
}

// ---------------------------------------------------------------------------------------------
// Checks: each gets a fresh store (or backend) and must pass on every backend.
// ---------------------------------------------------------------------------------------------

#[path = "store_conformance/records.rs"]
mod record_checks;

/// The change feed: what a write touched, told to the store's subscribers.
mod feed_checks {
    use super::*;
    use paydiag::store::changes::{Change, Touched};
    use tokio::sync::broadcast;

    /// The keys the next changes name, gathered until they hold `expected` (a backend may tell
    /// one write in several changes); fails after 10 s.
    async fn gathered(
        changes: &mut broadcast::Receiver<Change>,
        expected: &BTreeSet<Touched>,
    ) -> BTreeSet<Touched> {
        let mut seen = BTreeSet::new();
        let gather = async {
            while !expected.is_subset(&seen) {
                match changes.recv().await.expect("the feed runs") {
                    Change::Touched(keys) => seen.extend(keys.iter().cloned()),
                    // A listener (re)connecting says so; it names no key.
                    Change::Unknown => {}
                }
            }
        };
        if tokio::time::timeout(std::time::Duration::from_secs(10), gather)
            .await
            .is_err()
        {
            panic!("the feed told {seen:?}, not all of {expected:?}");
        }
        seen
    }

    pub async fn every_write_tells_the_change_feed_the_keys_it_touched(store: &SharedStore) {
        let mut changes = store.changes();
        let transaction = Transaction {
            tx_hash: "0xABCDEF0123".to_owned(),
            ..transaction("TX-FEED")
        };
        store
            .put_facts(vec![
                Fact::Transaction(transaction),
                Fact::AccountStatus(status("acct-feed", AccountState::Active, as_of())),
                Fact::MaintenanceWindow(window("w-feed", "SOL", as_of())),
                Fact::NetworkCondition(condition("BTC", as_of(), 1.5)),
            ])
            .await
            .expect("stored");
        let expected: BTreeSet<Touched> = [
            Touched::Transaction("TX-FEED".to_owned()),
            // The hash as it is looked up: no 0x, lower case.
            Touched::Transaction("abcdef0123".to_owned()),
            Touched::Account("acct-feed".to_owned()),
            Touched::Network("SOL".to_owned()),
            Touched::Network("BTC".to_owned()),
        ]
        .into();
        assert_eq!(gathered(&mut changes, &expected).await, expected);

        assert!(
            store
                .delete_maintenance_window("w-feed")
                .await
                .expect("deleted")
        );
        let deleted: BTreeSet<Touched> = [Touched::Network("SOL".to_owned())].into();
        assert_eq!(gathered(&mut changes, &deleted).await, deleted);
    }

    /// A watch that found a transaction by its old hash, or a window on its old network, must
    /// hear of the write that moved it away.
    pub async fn a_write_that_moves_a_fact_tells_the_feed_the_keys_it_left(store: &SharedStore) {
        let hashed = |hash: &str| Transaction {
            tx_hash: hash.to_owned(),
            ..transaction("TX-MOVED")
        };
        put(
            store,
            vec![
                Fact::Transaction(hashed("0xAAAA")),
                Fact::MaintenanceWindow(window("w-moved", "SOL", as_of())),
            ],
        )
        .await;
        let mut changes = store.changes();
        put(
            store,
            vec![
                Fact::Transaction(hashed("0xBBBB")),
                Fact::MaintenanceWindow(window("w-moved", "TRON", as_of())),
            ],
        )
        .await;
        let expected: BTreeSet<Touched> = [
            Touched::Transaction("TX-MOVED".to_owned()),
            Touched::Transaction("aaaa".to_owned()),
            Touched::Transaction("bbbb".to_owned()),
            Touched::Network("SOL".to_owned()),
            Touched::Network("TRON".to_owned()),
        ]
        .into();
        assert_eq!(gathered(&mut changes, &expected).await, expected);
    }

    /// Fifty references of 128 four-byte characters: 25 KB of keys from one write.
    pub async fn keys_too_many_for_one_notification_all_reach_the_feed(store: &SharedStore) {
        let mut changes = store.changes();
        let references: Vec<String> = (0..50)
            .map(|n| format!("{n:02}{}", "𝔁".repeat(126)))
            .collect();
        put(
            store,
            references
                .iter()
                .map(|r| Fact::Transaction(transaction(r)))
                .collect(),
        )
        .await;
        let expected: BTreeSet<Touched> = references
            .iter()
            .map(|r| Touched::Transaction(r.clone()))
            .collect();
        assert_eq!(gathered(&mut changes, &expected).await, expected);
    }
}

mod checks {
    pub use super::feed_checks::*;
    pub use super::record_checks::*;
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use tokio::task::JoinSet;

    pub async fn ping_answers_on_a_fresh_store(store: &SharedStore) {
        store.ping().await.expect("ping");
    }

    pub async fn a_write_probe_commits_again_and_again_and_leaves_the_facts_alone(
        store: &SharedStore,
    ) {
        put(store, vec![Fact::Transaction(transaction("TX-PROBED"))]).await;
        let before = load(store, "TX-PROBED").await;
        store.probe_write(as_of()).await.expect("a first probe");
        store
            .probe_write(as_of() + hours(1))
            .await
            .expect("a probe over the last");
        assert_same(&load(store, "TX-PROBED").await, &before);
    }

    pub async fn an_empty_store_loads_no_facts(store: &SharedStore) {
        assert_eq!(load(store, "TX-NONE").await, Facts::default());
        assert_eq!(
            load_at(store, "TX-NONE", Some("TRON"), as_of()).await,
            Facts::default()
        );
        assert!(
            !store
                .delete_maintenance_window("W-NONE")
                .await
                .expect("delete")
        );
    }

    pub async fn an_empty_batch_succeeds_and_stores_nothing(store: &SharedStore) {
        put(store, Vec::new()).await;
        assert_eq!(
            load_at(store, "TX-NONE", Some("TRON"), as_of()).await,
            Facts::default()
        );
    }

    pub async fn a_transaction_round_trips_every_field_exactly(store: &SharedStore) {
        let tx = full_transaction("TX-20261122-0001 ☃");
        put(store, vec![Fact::Transaction(tx.clone())]).await;
        assert_same(&load(store, &tx.reference).await.transaction, &Some(tx));
    }

    pub async fn a_transaction_with_every_optional_field_unset_round_trips(store: &SharedStore) {
        let tx = Transaction {
            destination: String::new(),
            confirmations: 0,
            required_confirmations: 0,
            ..transaction("TX-BARE")
        };
        put(store, vec![Fact::Transaction(tx.clone())]).await;
        assert_same(&load(store, "TX-BARE").await.transaction, &Some(tx));
    }

    pub async fn every_code_round_trips(store: &SharedStore) {
        use TransactionKind as K;
        use TransactionStatus as S;
        let kinds = [K::Deposit, K::Withdrawal, K::Payment, K::Transfer];
        // Every value the API has, so that a new one cannot be left out.
        let reasons: Vec<Option<FailureReason>> = std::iter::once(None)
            .chain(enums::FAILURES.iter().map(|r| enums::failure(*r)))
            .collect();
        let mut txs = Vec::new();
        for (k, kind) in kinds.into_iter().enumerate() {
            for status in [
                S::Pending,
                S::Confirming,
                S::Completed,
                S::Failed,
                S::NotCredited,
            ] {
                for (r, failure_reason) in reasons.iter().copied().enumerate() {
                    txs.push(Transaction {
                        kind,
                        status,
                        failure_reason,
                        ..transaction(&format!("TX-{k}-{status:?}-{r}"))
                    });
                }
            }
        }
        for (m, method) in enums::CONFIRMATION_METHODS.iter().enumerate() {
            txs.push(Transaction {
                kind: K::Withdrawal,
                status: S::Pending,
                customer_confirmation: enums::confirmation_method(*method).map(|method| {
                    CustomerConfirmation {
                        method,
                        expires_at: as_of() + hours(1),
                    }
                }),
                ..transaction(&format!("TX-CONFIRM-{m}"))
            });
        }
        for (i, item) in enums::REQUESTED_INFORMATION.iter().enumerate() {
            txs.push(Transaction {
                information_request: enums::requested_information(*item).map(|item| {
                    InformationRequest {
                        items: vec![item],
                        requested_at: as_of() - hours(1),
                    }
                }),
                ..transaction(&format!("TX-INFORMATION-{i}"))
            });
        }
        let states = [
            AccountState::Active,
            AccountState::Frozen,
            AccountState::Restricted,
        ];
        let freeze_reasons: Vec<Option<FreezeReason>> = std::iter::once(None)
            .chain(enums::FREEZES.iter().map(|r| enums::freeze(*r)))
            .collect();
        let mut statuses = Vec::new();
        for state in states {
            for (r, reason) in freeze_reasons.iter().copied().enumerate() {
                let account = format!("acct-{state:?}-{r}");
                txs.push(Transaction {
                    account_id: account.clone(),
                    ..transaction(&format!("TX-{account}"))
                });
                statuses.push(AccountStatus {
                    reason,
                    restricted_kinds: kinds.to_vec(),
                    ..status(&account, state, as_of() - hours(1))
                });
            }
        }
        let windows =
            [MaintenanceType::Scheduled, MaintenanceType::Unplanned].map(|t| MaintenanceWindow {
                maintenance_type: t,
                ..window(&format!("W-{t:?}"), "TRON", as_of() - hours(1))
            });

        let mut batch: Vec<Fact> = txs.iter().cloned().map(Fact::Transaction).collect();
        batch.extend(statuses.iter().cloned().map(Fact::AccountStatus));
        batch.extend(windows.iter().cloned().map(Fact::MaintenanceWindow));
        put(store, batch).await;

        for tx in &txs {
            assert_same(
                &load(store, &tx.reference).await.transaction,
                &Some(tx.clone()),
            );
        }
        for entry in &statuses {
            let facts = load(store, &format!("TX-{}", entry.account_id)).await;
            assert_same(
                &status_in_force(&facts, &entry.account_id, as_of()),
                &Some(entry.clone()),
            );
        }
        let mut loaded = load(store, "TX-0-Pending-0").await.maintenance_windows;
        loaded.sort_by(|a, b| a.id.cmp(&b.id));
        assert_same(&loaded, &windows.to_vec());
    }

    pub async fn decimals_keep_their_scale_and_precision(store: &SharedStore) {
        let amounts = [
            "100.50",
            "100.5",
            "0",
            "0.00",
            "0.00000001",
            "1.000000000000000000",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "123456789012345678.9012345678",
        ];
        let txs: Vec<_> = amounts
            .iter()
            .enumerate()
            .map(|(i, amount)| Transaction {
                amount: dec(amount),
                // A different amount in each column, so that no two columns can be swapped.
                expected: ExpectedPayment {
                    amount: Some(dec(amounts[amounts.len() - 1 - i])),
                    ..ExpectedPayment::default()
                },
                ..transaction(&format!("TX-DEC-{i}"))
            })
            .collect();
        put(store, txs.iter().cloned().map(Fact::Transaction).collect()).await;
        for (i, tx) in txs.iter().enumerate() {
            let loaded = load(store, &tx.reference)
                .await
                .transaction
                .expect("stored");
            assert_eq!(loaded.amount.to_string(), amounts[i]);
            assert_eq!(
                loaded.expected.amount.map(|a| a.to_string()).as_deref(),
                Some(amounts[amounts.len() - 1 - i])
            );
        }
    }

    pub async fn nanosecond_and_extreme_timestamps_round_trip(store: &SharedStore) {
        let times = [
            at("0001-01-01T00:00:00Z"),
            at("0001-01-01T00:00:00.000000001Z"),
            at("1969-12-31T23:59:59.999999999Z"),
            at("1970-01-01T00:00:00Z"),
            at("2026-11-22T10:00:00.123456789Z"),
            at("9999-12-31T23:59:59Z"),
            at("9999-12-31T23:59:59.999999999Z"),
        ];
        let txs: Vec<_> = times
            .iter()
            .enumerate()
            .map(|(i, &t)| Transaction {
                created_at: t,
                updated_at: Some(times[(i + 1) % times.len()]),
                completed_at: Some(times[(i + 2) % times.len()]),
                ..transaction(&format!("TX-TIME-{i}"))
            })
            .collect();
        put(store, txs.iter().cloned().map(Fact::Transaction).collect()).await;
        for tx in &txs {
            assert_same(
                &load(store, &tx.reference).await.transaction,
                &Some(tx.clone()),
            );
        }
    }

    pub async fn a_second_put_of_a_reference_replaces_the_transaction_entirely(
        store: &SharedStore,
    ) {
        let first = full_transaction("TX-REPLACED");
        put(store, vec![Fact::Transaction(first)]).await;
        let second = Transaction {
            account_id: OTHER_ACCOUNT.to_owned(),
            amount: dec("7.25"),
            ..transaction("TX-REPLACED")
        };
        put(store, vec![Fact::Transaction(second.clone())]).await;
        // Every optional field the first version set is cleared, not kept.
        assert_same(&load(store, "TX-REPLACED").await.transaction, &Some(second));
    }

    pub async fn facts_in_one_batch_are_applied_in_order(store: &SharedStore) {
        let first = transaction("TX-ORDER");
        let last = Transaction {
            memo: "last".to_owned(),
            ..transaction("TX-ORDER")
        };
        let frozen = status(ACCOUNT, AccountState::Frozen, as_of() - hours(1));
        let active = status(ACCOUNT, AccountState::Active, as_of() - hours(1));
        let drained = MaintenanceWindow {
            ends_at: Some(as_of() - hours(2)),
            ..window("W-ORDER", "TRON", as_of() - hours(3))
        };
        let reopened = window("W-ORDER", "TRON", as_of() - hours(3));
        let observed = as_of() - hours(1);
        put(
            store,
            vec![
                Fact::Transaction(first),
                Fact::AccountStatus(frozen),
                Fact::MaintenanceWindow(reopened.clone()),
                Fact::NetworkCondition(condition("TRON", observed, 3.0)),
                Fact::Transaction(last.clone()),
                Fact::AccountStatus(active.clone()),
                Fact::MaintenanceWindow(drained),
                Fact::NetworkCondition(condition("TRON", observed, 1.5)),
            ],
        )
        .await;
        let facts = load(store, "TX-ORDER").await;
        assert_same(&facts.transaction, &Some(last));
        assert_same(&status_in_force(&facts, ACCOUNT, as_of()), &Some(active));
        // The later put closed the window, so it no longer holds anything up.
        assert!(facts.maintenance_windows.is_empty(), "{facts:?}");
        assert_same(
            &facts.network_conditions,
            &vec![condition("TRON", observed, 1.5)],
        );
        // And the reverse order leaves the window open.
        put(store, vec![Fact::MaintenanceWindow(reopened.clone())]).await;
        assert_same(
            &load(store, "TX-ORDER").await.maintenance_windows,
            &vec![reopened],
        );
    }

    /// Hundreds of facts about the same few things, in versions: only the last version of each
    /// may be left. A backend that pipelines a batch's statements must still apply them in order,
    /// with and without its statements prepared.
    pub async fn a_large_batch_is_applied_in_order(store: &SharedStore) {
        const VERSIONS: u32 = 150;
        let since = as_of() - hours(1);
        for batch in 0..2 {
            let versions = batch * VERSIONS..(batch + 1) * VERSIONS;
            let facts = versions.flat_map(|v| {
                [
                    Fact::Transaction(Transaction {
                        confirmations: v,
                        ..transaction("TX-LARGE")
                    }),
                    Fact::AccountStatus(AccountStatus {
                        note: format!("v{v}"),
                        ..status(ACCOUNT, AccountState::Active, since)
                    }),
                    Fact::MaintenanceWindow(MaintenanceWindow {
                        title: format!("v{v}"),
                        ..window("W-LARGE", "TRON", since)
                    }),
                    Fact::NetworkCondition(condition("TRON", since, f64::from(v))),
                ]
            });
            put(store, facts.collect()).await;
            let last = (batch + 1) * VERSIONS - 1;
            let facts = load(store, "TX-LARGE").await;
            let confirmations = facts.transaction.as_ref().map(|t| t.confirmations);
            assert_eq!(confirmations, Some(last), "batch {batch}");
            let in_force = status_in_force(&facts, ACCOUNT, as_of()).map(|s| s.note);
            assert_eq!(in_force, Some(format!("v{last}")), "batch {batch}");
            let titles: Vec<_> = facts.maintenance_windows.iter().map(|w| &w.title).collect();
            assert_eq!(titles, [&format!("v{last}")], "batch {batch}");
            let factors: Vec<_> = facts
                .network_conditions
                .iter()
                .map(|c| c.congestion_factor)
                .collect();
            assert_eq!(factors, [f64::from(last)], "batch {batch}");
        }
    }

    pub async fn account_status_fields_round_trip(store: &SharedStore) {
        let restricted = AccountStatus {
            account_id: ACCOUNT.to_owned(),
            state: AccountState::Restricted,
            reason: Some(FreezeReason::ComplianceReview),
            restricted_kinds: vec![TransactionKind::Withdrawal, TransactionKind::Transfer],
            effective_from: at("2026-11-20T10:00:00.000000001Z"),
            effective_until: Some(at("9999-12-31T23:59:59.999999999Z")),
            note: "案件 FR-7781 'mule ring' 🚩".to_owned(),
        };
        let single_kind = AccountStatus {
            restricted_kinds: vec![TransactionKind::Payment],
            effective_from: at("2026-11-21T10:00:00Z"),
            ..restricted.clone()
        };
        let bare = status(ACCOUNT, AccountState::Active, at("2026-11-22T09:00:00Z"));
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-STATUS")),
                Fact::AccountStatus(restricted.clone()),
                Fact::AccountStatus(single_kind.clone()),
                Fact::AccountStatus(bare.clone()),
            ],
        )
        .await;
        for entry in [restricted, single_kind, bare] {
            let t = entry.effective_from;
            let facts = load_at(store, "TX-STATUS", None, t).await;
            assert_same(&status_in_force(&facts, ACCOUNT, t), &Some(entry));
        }
    }

    pub async fn the_account_status_in_force_is_the_latest_to_take_effect_by_as_of(
        store: &SharedStore,
    ) {
        let t = as_of();
        let oldest = status(ACCOUNT, AccountState::Frozen, t - hours(72));
        let latest = status(ACCOUNT, AccountState::Restricted, t - hours(24));
        let middle = status(ACCOUNT, AccountState::Active, t - hours(48));
        let exactly_now = status(ACCOUNT, AccountState::Frozen, t);
        // Recorded out of order: the one in force is the latest to take effect, not the last recorded.
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-HISTORY")),
                Fact::AccountStatus(oldest.clone()),
                Fact::AccountStatus(latest.clone()),
                Fact::AccountStatus(middle.clone()),
            ],
        )
        .await;
        let cases = [
            (t - hours(73), None),
            (t - hours(72), Some(&oldest)),
            (t - hours(48) - TimeDelta::nanoseconds(1), Some(&oldest)),
            (t - hours(48), Some(&middle)),
            (t - hours(30), Some(&middle)),
            (t, Some(&latest)),
        ];
        for (when, expected) in cases {
            let facts = load_at(store, "TX-HISTORY", None, when).await;
            assert_same(&status_in_force(&facts, ACCOUNT, when), &expected.cloned());
        }
        // One taking effect exactly at as_of is in force at as_of.
        put(store, vec![Fact::AccountStatus(exactly_now.clone())]).await;
        let facts = load(store, "TX-HISTORY").await;
        assert_same(&status_in_force(&facts, ACCOUNT, t), &Some(exactly_now));
    }

    pub async fn account_statuses_taking_effect_after_as_of_are_not_loaded(store: &SharedStore) {
        let current = status(ACCOUNT, AccountState::Active, as_of() - hours(1));
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-FUTURE")),
                Fact::AccountStatus(current.clone()),
                Fact::AccountStatus(status(
                    ACCOUNT,
                    AccountState::Frozen,
                    as_of() + TimeDelta::nanoseconds(1),
                )),
                Fact::AccountStatus(status(ACCOUNT, AccountState::Frozen, as_of() + hours(1))),
            ],
        )
        .await;
        // `status_in_force` fails on any entry after as_of.
        let facts = load(store, "TX-FUTURE").await;
        assert_same(&status_in_force(&facts, ACCOUNT, as_of()), &Some(current));
        let early = as_of() - hours(2);
        let facts = load_at(store, "TX-FUTURE", None, early).await;
        assert_eq!(status_in_force(&facts, ACCOUNT, early), None);
    }

    pub async fn the_next_account_status_to_take_effect_is_the_earliest_after_the_time_asked(
        store: &SharedStore,
    ) {
        let soon = as_of() + TimeDelta::nanoseconds(1);
        put(
            store,
            vec![
                Fact::AccountStatus(status(ACCOUNT, AccountState::Active, as_of() - hours(1))),
                Fact::AccountStatus(status(ACCOUNT, AccountState::Frozen, as_of() + hours(2))),
                Fact::AccountStatus(status(ACCOUNT, AccountState::Frozen, soon)),
                Fact::AccountStatus(status(OTHER_ACCOUNT, AccountState::Frozen, as_of())),
            ],
        )
        .await;
        let next = |account: &'static str, after: DateTime<Utc>| {
            let store = store.clone();
            async move {
                store
                    .next_status_from(account, after)
                    .await
                    .expect("asking the next status")
            }
        };
        assert_eq!(
            next(ACCOUNT, as_of() - hours(2)).await,
            Some(as_of() - hours(1))
        );
        // The one taking effect at the time asked is in force already: not next.
        assert_eq!(next(ACCOUNT, as_of() - hours(1)).await, Some(soon));
        assert_eq!(next(ACCOUNT, as_of()).await, Some(soon));
        assert_eq!(next(ACCOUNT, soon).await, Some(as_of() + hours(2)));
        assert_eq!(next(ACCOUNT, as_of() + hours(2)).await, None);
        assert_eq!(next(OTHER_ACCOUNT, as_of() - hours(1)).await, Some(as_of()));
        assert_eq!(next("acct-unknown", as_of() - hours(9)).await, None);
    }

    pub async fn of_two_statuses_taking_effect_together_the_later_recorded_wins(
        store: &SharedStore,
    ) {
        let from = as_of() - hours(1);
        let frozen = status(ACCOUNT, AccountState::Frozen, from);
        let active = status(ACCOUNT, AccountState::Active, from);
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-TIE")),
                Fact::AccountStatus(frozen.clone()),
                Fact::AccountStatus(active.clone()),
            ],
        )
        .await;
        let facts = load(store, "TX-TIE").await;
        assert_same(&status_in_force(&facts, ACCOUNT, as_of()), &Some(active));
        // Across batches too.
        put(store, vec![Fact::AccountStatus(frozen.clone())]).await;
        let facts = load(store, "TX-TIE").await;
        assert_same(&status_in_force(&facts, ACCOUNT, as_of()), &Some(frozen));
    }

    pub async fn a_lapsed_account_status_is_still_loaded_so_it_hides_older_ones(
        store: &SharedStore,
    ) {
        // The restriction replaced the freeze and then lapsed: the account is active again,
        // which the engine can only tell if the lapsed entry comes along.
        let freeze = status(ACCOUNT, AccountState::Frozen, as_of() - hours(48));
        let lapsed = AccountStatus {
            restricted_kinds: vec![TransactionKind::Withdrawal],
            effective_until: Some(as_of() - hours(1)),
            ..status(ACCOUNT, AccountState::Restricted, as_of() - hours(24))
        };
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-LAPSED")),
                Fact::AccountStatus(freeze),
                Fact::AccountStatus(lapsed.clone()),
            ],
        )
        .await;
        let facts = load(store, "TX-LAPSED").await;
        assert_same(&status_in_force(&facts, ACCOUNT, as_of()), &Some(lapsed));
    }

    pub async fn only_the_history_of_the_transactions_account_is_loaded(store: &SharedStore) {
        let own = status(ACCOUNT, AccountState::Active, as_of() - hours(24));
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-OWN")),
                Fact::AccountStatus(own.clone()),
                Fact::AccountStatus(status(OTHER_ACCOUNT, AccountState::Frozen, as_of())),
                Fact::AccountStatus(status(
                    &format!("{ACCOUNT}0"),
                    AccountState::Frozen,
                    as_of(),
                )),
            ],
        )
        .await;
        let facts = load(store, "TX-OWN").await;
        assert_same(&status_in_force(&facts, ACCOUNT, as_of()), &Some(own));
    }

    pub async fn an_unknown_reference_loads_no_account_history(store: &SharedStore) {
        put(
            store,
            vec![Fact::AccountStatus(status(
                ACCOUNT,
                AccountState::Frozen,
                as_of() - hours(1),
            ))],
        )
        .await;
        let facts = load_at(store, "TX-UNKNOWN", Some("TRON"), as_of()).await;
        assert!(facts.account_history.is_empty(), "{facts:?}");
    }

    pub async fn a_maintenance_window_round_trips_every_field(store: &SharedStore) {
        use TransactionKind::*;
        let closed = MaintenanceWindow {
            id: "W-FULL ☃".to_owned(),
            network: "TRON".to_owned(),
            kinds: vec![Deposit, Withdrawal, Payment],
            maintenance_type: MaintenanceType::Unplanned,
            starts_at: at("2026-11-22T08:00:00.000000001Z"),
            ends_at: Some(at("2026-11-22T09:59:59.999999999Z")),
            backlog_drain: TimeDelta::new(5400, 123_456_789).expect("a duration"),
            title: "节点升级 — 'node' upgrade 🛠".to_owned(),
        };
        let open = MaintenanceWindow {
            kinds: vec![Deposit],
            backlog_drain: TimeDelta::days(30),
            ..window("W-OPEN", "*", at("0001-01-01T00:00:00Z"))
        };
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-W")),
                Fact::MaintenanceWindow(closed.clone()),
                Fact::MaintenanceWindow(open.clone()),
            ],
        )
        .await;
        let mut loaded = load(store, "TX-W").await.maintenance_windows;
        loaded.sort_by(|a, b| a.id.cmp(&b.id));
        assert_same(&loaded, &vec![closed, open]);
    }

    pub async fn maintenance_windows_load_for_the_transactions_network_or_every_network(
        store: &SharedStore,
    ) {
        let start = as_of() - hours(1);
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-NET")),
                Fact::MaintenanceWindow(window("W-TRON", "TRON", start)),
                Fact::MaintenanceWindow(window("W-ALL", "*", start)),
                Fact::MaintenanceWindow(window("W-ETH", "ETH", start)),
                Fact::MaintenanceWindow(window("W-LOWER", "tron", start)),
                Fact::MaintenanceWindow(window("W-PREFIX", "TRON2", start)),
            ],
        )
        .await;
        let facts = load(store, "TX-NET").await;
        assert_eq!(window_ids(&facts), ids(["W-TRON", "W-ALL"]));
    }

    pub async fn maintenance_windows_load_when_they_held_the_transaction_up_since_its_creation(
        store: &SharedStore,
    ) {
        let t = as_of();
        let ns = TimeDelta::nanoseconds;
        // (id, starts, ends, backlog drain, loaded). The transaction was created at as_of - 2 h:
        // windows load when they started by as_of and cleared after that creation.
        let cases = [
            ("open-started-earlier", t - hours(3), None, hours(0), true),
            ("open-starting-at-as-of", t, None, hours(0), true),
            (
                "open-starting-after-as-of",
                t + ns(1),
                None,
                hours(0),
                false,
            ),
            (
                "ending-after-as-of",
                t - hours(1),
                Some(t + hours(1)),
                hours(0),
                true,
            ),
            (
                "ended-still-draining",
                t - hours(3),
                Some(t - hours(1)),
                hours(2),
                true,
            ),
            (
                "clearing-1ns-after",
                t - hours(3),
                Some(t - hours(1)),
                hours(1) + ns(1),
                true,
            ),
            (
                "cleared-at-as-of",
                t - hours(3),
                Some(t - hours(1)),
                hours(1),
                true,
            ),
            ("ended-at-as-of", t - hours(3), Some(t), hours(0), true),
            (
                "cleared-after-creation",
                t - hours(5),
                Some(t - hours(3)),
                hours(1) + ns(1),
                true,
            ),
            (
                "cleared-at-creation",
                t - hours(5),
                Some(t - hours(3)),
                hours(1),
                false,
            ),
            (
                "future-closed",
                t + hours(1),
                Some(t + hours(2)),
                hours(1),
                false,
            ),
        ];
        let mut batch = vec![Fact::Transaction(transaction("TX-HOLD"))];
        for (id, starts_at, ends_at, backlog_drain, _) in cases {
            batch.push(Fact::MaintenanceWindow(MaintenanceWindow {
                ends_at,
                backlog_drain,
                ..window(id, "TRON", starts_at)
            }));
        }
        put(store, batch).await;
        let expected = cases.iter().filter(|c| c.4).map(|c| c.0);
        assert_eq!(window_ids(&load(store, "TX-HOLD").await), ids(expected));
    }

    pub async fn maintenance_windows_at_the_ends_of_time_still_load(store: &SharedStore) {
        let first = at("0001-01-01T00:00:00Z");
        let last = at("9999-12-31T23:59:59.999999999Z");
        put(
            store,
            vec![
                Fact::MaintenanceWindow(window("W-SINCE-EVER", "TRON", first)),
                // Clears in year 10000, past the last valid timestamp: it holds until then.
                Fact::MaintenanceWindow(MaintenanceWindow {
                    ends_at: Some(at("9999-12-31T23:00:00Z")),
                    backlog_drain: TimeDelta::days(30),
                    ..window("W-DRAINS-PAST-9999", "TRON", at("9999-12-31T22:00:00Z"))
                }),
                Fact::MaintenanceWindow(MaintenanceWindow {
                    ends_at: Some(at("9999-12-31T23:00:00Z")),
                    backlog_drain: hours(0),
                    ..window("W-CLEARED-IN-9999", "TRON", at("9999-12-31T22:00:00Z"))
                }),
            ],
        )
        .await;
        let facts = load_at(store, "TX-NONE", Some("TRON"), first).await;
        assert_eq!(window_ids(&facts), ids(["W-SINCE-EVER"]));
        let facts = load_at(store, "TX-NONE", Some("TRON"), last).await;
        assert_eq!(
            window_ids(&facts),
            ids(["W-SINCE-EVER", "W-DRAINS-PAST-9999"])
        );
    }

    pub async fn a_maintenance_window_put_again_with_its_id_replaces_it(store: &SharedStore) {
        let first = MaintenanceWindow {
            kinds: vec![TransactionKind::Deposit],
            ends_at: Some(as_of() + hours(1)),
            backlog_drain: hours(1),
            ..window("W-MOVED", "TRON", as_of() - hours(1))
        };
        let moved = MaintenanceWindow {
            title: "moved to ETH".to_owned(),
            maintenance_type: MaintenanceType::Unplanned,
            ..window("W-MOVED", "ETH", as_of() - hours(2))
        };
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-TRON")),
                Fact::MaintenanceWindow(first),
            ],
        )
        .await;
        put(store, vec![Fact::MaintenanceWindow(moved.clone())]).await;
        assert!(load(store, "TX-TRON").await.maintenance_windows.is_empty());
        let on_eth = load_at(store, "TX-NONE", Some("ETH"), as_of()).await;
        // Replaced entirely: the closing time and kinds are cleared too.
        assert_same(&on_eth.maintenance_windows, &vec![moved]);
    }

    pub async fn deleting_a_maintenance_window_reports_whether_it_existed(store: &SharedStore) {
        put(
            store,
            vec![Fact::MaintenanceWindow(window("W-DEL", "TRON", as_of()))],
        )
        .await;
        assert!(
            !store
                .delete_maintenance_window("W-OTHER")
                .await
                .expect("delete")
        );
        assert!(
            store
                .delete_maintenance_window("W-DEL")
                .await
                .expect("delete")
        );
        assert!(
            !store
                .delete_maintenance_window("W-DEL")
                .await
                .expect("delete")
        );
    }

    pub async fn a_deleted_maintenance_window_is_no_longer_loaded(store: &SharedStore) {
        let start = as_of() - hours(1);
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-DEL")),
                Fact::MaintenanceWindow(window("W-DEL", "TRON", start)),
                Fact::MaintenanceWindow(window("W-KEEP", "TRON", start)),
            ],
        )
        .await;
        assert!(
            store
                .delete_maintenance_window("W-DEL")
                .await
                .expect("delete")
        );
        assert_eq!(window_ids(&load(store, "TX-DEL").await), ids(["W-KEEP"]));
        // Putting it again brings it back.
        put(
            store,
            vec![Fact::MaintenanceWindow(window("W-DEL", "TRON", start))],
        )
        .await;
        assert_eq!(
            window_ids(&load(store, "TX-DEL").await),
            ids(["W-DEL", "W-KEEP"])
        );
    }

    /// Windows and conditions on TRON, ETH and every network, all in force at [`as_of`].
    fn network_facts() -> Vec<Fact> {
        let start = as_of() - hours(1);
        vec![
            Fact::MaintenanceWindow(window("W-TRON", "TRON", start)),
            Fact::MaintenanceWindow(window("W-ETH", "ETH", start)),
            Fact::MaintenanceWindow(window("W-ALL", "*", start)),
            Fact::NetworkCondition(condition("TRON", start, 2.0)),
            Fact::NetworkCondition(condition("ETH", start, 3.0)),
        ]
    }

    pub async fn an_unknown_reference_loads_facts_for_the_claims_network(store: &SharedStore) {
        put(store, network_facts()).await;
        let facts = load_at(store, "TX-UNKNOWN", Some("ETH"), as_of()).await;
        assert_eq!(facts.transaction, None);
        assert_eq!(window_ids(&facts), ids(["W-ETH", "W-ALL"]));
        assert_same(
            &facts.network_conditions,
            &vec![condition("ETH", as_of() - hours(1), 3.0)],
        );
    }

    pub async fn loading_many_queries_answers_each_in_order_as_loading_one_would(
        store: &SharedStore,
    ) {
        let mut batch = network_facts();
        batch.push(Fact::Transaction(transaction("TX-TRON")));
        put(store, batch).await;
        let query = |reference: &str, network: Option<&str>| FactQuery {
            reference: reference.into(),
            claim_network: network.map(str::to_owned),
            as_of: as_of(),
            requester: None,
        };
        let queries = [
            query("TX-TRON", Some("ETH")),
            query("TX-UNKNOWN", Some("ETH")),
            query("TX-UNKNOWN", None),
            query("TX-TRON", None),
        ];

        let many = store.load_many(&queries).await.expect("load many");

        assert_eq!(many.len(), queries.len());
        for (query, facts) in queries.iter().zip(&many) {
            let one = store.load_facts(query).await.expect("load one");
            assert_eq!(facts, &one, "{query:?}");
        }
        assert!(store.load_many(&[]).await.expect("no queries").is_empty());
    }

    pub async fn an_unknown_reference_without_a_claim_network_loads_no_network_facts(
        store: &SharedStore,
    ) {
        put(store, network_facts()).await;
        assert_eq!(load(store, "TX-UNKNOWN").await, Facts::default());
    }

    pub async fn a_known_reference_loads_facts_for_its_own_network_not_the_claims(
        store: &SharedStore,
    ) {
        let mut batch = network_facts();
        batch.push(Fact::Transaction(transaction("TX-TRON")));
        put(store, batch).await;
        let facts = load_at(store, "TX-TRON", Some("ETH"), as_of()).await;
        assert_eq!(window_ids(&facts), ids(["W-TRON", "W-ALL"]));
        assert_same(
            &facts.network_conditions,
            &vec![condition("TRON", as_of() - hours(1), 2.0)],
        );
    }

    pub async fn a_transaction_created_after_as_of_loads_facts_for_the_claims_network(
        store: &SharedStore,
    ) {
        // At as_of the transaction did not exist yet, so the diagnosis rests on the claim; the
        // transaction still comes along so the engine can say when it was created.
        let later = Transaction {
            created_at: as_of() + hours(1),
            ..transaction("TX-LATER")
        };
        let mut batch = network_facts();
        batch.push(Fact::Transaction(later.clone()));
        put(store, batch).await;
        let facts = load_at(store, "TX-LATER", Some("ETH"), as_of()).await;
        assert_same(&facts.transaction, &Some(later));
        assert_eq!(window_ids(&facts), ids(["W-ETH", "W-ALL"]));
        assert_same(
            &facts.network_conditions,
            &vec![condition("ETH", as_of() - hours(1), 3.0)],
        );
    }

    pub async fn only_the_latest_network_condition_by_as_of_is_loaded(store: &SharedStore) {
        let t = as_of();
        let latest = condition("TRON", t - hours(1), 1.234_567_890_123_456_7);
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-COND")),
                Fact::NetworkCondition(condition("TRON", t - hours(3), 4.0)),
                Fact::NetworkCondition(latest.clone()),
                Fact::NetworkCondition(condition("TRON", t - hours(2), 5.0)),
                Fact::NetworkCondition(condition("TRON", t + TimeDelta::nanoseconds(1), 6.0)),
                Fact::NetworkCondition(condition("ETH", t - TimeDelta::minutes(1), 7.0)),
                Fact::NetworkCondition(condition("*", t - TimeDelta::minutes(1), 8.0)),
            ],
        )
        .await;
        let facts = load(store, "TX-COND").await;
        assert_same(&facts.network_conditions, &vec![latest]);
        // One observed exactly at as_of is the latest.
        let now = condition("TRON", t, 9.0);
        put(store, vec![Fact::NetworkCondition(now.clone())]).await;
        assert_same(&load(store, "TX-COND").await.network_conditions, &vec![now]);
        // Before every observation there is none.
        let early = t - hours(4);
        let facts = load_at(store, "TX-COND", None, early).await;
        assert!(facts.network_conditions.is_empty(), "{facts:?}");
    }

    pub async fn a_network_condition_observed_again_at_the_same_moment_replaces_it(
        store: &SharedStore,
    ) {
        let observed = as_of() - hours(1);
        let corrected = condition("TRON", observed, 1.5);
        put(
            store,
            vec![
                Fact::Transaction(transaction("TX-COND")),
                Fact::NetworkCondition(condition("TRON", observed, 9.0)),
                Fact::NetworkCondition(condition("ETH", observed, 9.0)),
            ],
        )
        .await;
        put(store, vec![Fact::NetworkCondition(corrected.clone())]).await;
        assert_same(
            &load(store, "TX-COND").await.network_conditions,
            &vec![corrected],
        );
        let eth = load_at(store, "TX-NONE", Some("ETH"), as_of()).await;
        assert_same(
            &eth.network_conditions,
            &vec![condition("ETH", observed, 9.0)],
        );
    }

    pub async fn a_batch_that_fails_part_way_stores_none_of_it(store: &SharedStore) {
        let kept = transaction("TX-KEPT");
        put(store, vec![Fact::Transaction(kept.clone())]).await;
        let batch = vec![
            Fact::Transaction(Transaction {
                memo: "changed".to_owned(),
                ..kept.clone()
            }),
            Fact::Transaction(transaction("TX-NEW")),
            Fact::AccountStatus(status(ACCOUNT, AccountState::Frozen, as_of() - hours(1))),
            Fact::MaintenanceWindow(window("W-NEW", "TRON", as_of() - hours(1))),
            Fact::NetworkCondition(condition("TRON", as_of() - hours(1), 2.0)),
            Fact::MaintenanceWindow(unstorable_window()),
        ];
        let err = store
            .put_facts(batch)
            .await
            .expect_err("stored the unstorable");
        // Retrying cannot help, so the caller must not be told to.
        assert!(!matches!(err, StoreError::Unavailable(_)), "{err:?}");

        let untouched = Facts {
            transaction: Some(kept.clone()),
            ..Facts::default()
        };
        assert_same(&load(store, "TX-KEPT").await, &untouched);
        assert_eq!(load(store, "TX-NEW").await.transaction, None);

        // The store still takes writes afterwards.
        put(store, vec![Fact::Transaction(transaction("TX-NEW"))]).await;
        assert!(load(store, "TX-NEW").await.transaction.is_some());
    }

    pub async fn concurrent_writers_all_land(store: &SharedStore) {
        const WRITERS: usize = 8;
        const EACH: usize = 200;
        let numbered = |w: usize, i: usize| Transaction {
            confirmations: i as u32,
            ..transaction(&format!("TX-W{w}-{i}"))
        };
        let mut writers = JoinSet::new();
        for w in 0..WRITERS {
            let store = store.clone();
            writers.spawn(async move {
                for i in 0..EACH {
                    store
                        .put_facts(vec![Fact::Transaction(numbered(w, i))])
                        .await?;
                }
                Ok::<_, StoreError>(())
            });
        }
        while let Some(done) = writers.join_next().await {
            done.expect("writer panicked").expect("put_facts");
        }
        for w in 0..WRITERS {
            for i in 0..EACH {
                let tx = numbered(w, i);
                assert_same(&load(store, &tx.reference).await.transaction, &Some(tx));
            }
        }
    }

    /// Version `v` of a transaction, its network's window and congestion, written as one batch.
    fn version(v: u32) -> Vec<Fact> {
        let since = as_of() - hours(24);
        vec![
            Fact::Transaction(Transaction {
                confirmations: v,
                ..transaction("TX-VERSIONED")
            }),
            Fact::MaintenanceWindow(MaintenanceWindow {
                title: format!("v{v}"),
                ..window("W-VERSIONED", "TRON", since)
            }),
            Fact::NetworkCondition(condition(
                "TRON",
                since + TimeDelta::seconds(v.into()),
                1.0 + f64::from(v),
            )),
        ]
    }

    /// Which version a load saw, after checking it saw all of that version and nothing newer.
    fn version_seen(facts: &Facts) -> u32 {
        let v = facts
            .transaction
            .as_ref()
            .expect("the transaction")
            .confirmations;
        let titles: Vec<_> = facts.maintenance_windows.iter().map(|w| &w.title).collect();
        assert_eq!(titles, [&format!("v{v}")], "torn read of version {v}");
        let observed: Vec<_> = facts
            .network_conditions
            .iter()
            .map(|c| c.observed_at)
            .collect();
        let expected = as_of() - hours(24) + TimeDelta::seconds(v.into());
        assert_eq!(observed, [expected], "torn read of version {v}");
        v
    }

    pub async fn concurrent_readers_see_each_batch_whole_or_not_at_all(store: &SharedStore) {
        const VERSIONS: u32 = 150;
        const READERS: usize = 3;
        put(store, version(0)).await;
        let writing_done = Arc::new(AtomicBool::new(false));
        let mut readers = JoinSet::new();
        for _ in 0..READERS {
            let (store, writing_done) = (store.clone(), writing_done.clone());
            readers.spawn(async move {
                let mut last = 0;
                loop {
                    let done = writing_done.load(Ordering::Acquire);
                    let v = version_seen(&load(&store, "TX-VERSIONED").await);
                    assert!(v >= last, "went back from version {last} to {v}");
                    last = v;
                    if done {
                        return last;
                    }
                }
            });
        }
        for v in 1..=VERSIONS {
            put(store, version(v)).await;
        }
        writing_done.store(true, Ordering::Release);
        while let Some(read) = readers.join_next().await {
            let last = read.expect("reader failed");
            assert_eq!(
                last, VERSIONS,
                "a read after the last write saw an older one"
            );
        }
    }

    /// Many diagnoses at once (more than any pool holds connections) each get their own
    /// transaction and account, whatever connections their reads share.
    pub async fn concurrent_loads_each_get_the_facts_of_their_own_query(store: &SharedStore) {
        const REFERENCES: usize = 40;
        const LOADS: usize = 400;
        let owner = |i: usize| format!("acct-{i:010}");
        let facts = (0..REFERENCES).flat_map(|i| {
            let state = if i % 2 == 0 {
                AccountState::Frozen
            } else {
                AccountState::Active
            };
            [
                Fact::Transaction(Transaction {
                    account_id: owner(i),
                    amount: Decimal::from(i),
                    ..transaction(&format!("TX-CONCURRENT-{i}"))
                }),
                Fact::AccountStatus(status(&owner(i), state, as_of() - hours(1))),
            ]
        });
        put(store, facts.collect()).await;
        let mut loads = JoinSet::new();
        for n in 0..LOADS {
            let store = store.clone();
            loads.spawn(async move {
                let i = n % REFERENCES;
                (i, load(&store, &format!("TX-CONCURRENT-{i}")).await)
            });
        }
        while let Some(loaded) = loads.join_next().await {
            let (i, facts) = loaded.expect("a load failed");
            let tx = facts.transaction.expect("the transaction");
            assert_eq!(tx.reference, format!("TX-CONCURRENT-{i}"));
            assert_eq!(tx.amount, Decimal::from(i));
            let in_force = facts.account_history.last().expect("the status in force");
            assert_eq!(in_force.account_id, owner(i));
            assert_eq!(in_force.state == AccountState::Frozen, i % 2 == 0, "{i}");
        }
    }

    /// One fact of each kind, and the query that loads them all back.
    fn one_of_each() -> (Vec<Fact>, FactQuery) {
        let facts = vec![
            Fact::Transaction(full_transaction("TX-DURABLE")),
            Fact::AccountStatus(AccountStatus {
                restricted_kinds: vec![TransactionKind::Withdrawal],
                ..status(ACCOUNT, AccountState::Restricted, as_of() - hours(1))
            }),
            Fact::MaintenanceWindow(MaintenanceWindow {
                backlog_drain: TimeDelta::new(60, 1).expect("a duration"),
                ..window("W-DURABLE", "XLM", as_of() - hours(1))
            }),
            Fact::NetworkCondition(condition("XLM", as_of() - hours(1), 2.5)),
        ];
        let query = FactQuery {
            reference: "TX-DURABLE".to_owned(),
            claim_network: None,
            as_of: as_of(),
            requester: None,
        };
        (facts, query)
    }

    pub async fn facts_survive_a_restart(backend: &dyn Backend) {
        let (batch, query) = one_of_each();
        let before = {
            let store = backend.open().await;
            put(&store, batch).await;
            store.load_facts(&query).await.expect("load_facts")
        };
        assert!(before.transaction.is_some() && !before.network_conditions.is_empty());
        let store = backend.open().await;
        store.ping().await.expect("ping after restart");
        assert_same(
            &store.load_facts(&query).await.expect("load_facts"),
            &before,
        );
    }

    /// A store may keep hot tables in memory; a write made through another store on the same
    /// database (another process, another replica) must still be what the next load sees.
    pub async fn writes_through_another_store_are_visible_to_the_next_load(backend: &dyn Backend) {
        let reader = backend.open().await;
        let writer = backend.open().await;
        let tx = transaction("TX-SHARED");
        let first_observed = as_of() - hours(1);
        put(
            &writer,
            vec![
                Fact::Transaction(tx.clone()),
                Fact::MaintenanceWindow(window("W-1", "TRON", tx.created_at)),
                Fact::NetworkCondition(condition("TRON", first_observed, 2.0)),
            ],
        )
        .await;
        let facts = load(&reader, "TX-SHARED").await;
        assert_eq!(window_ids(&facts), ids(["W-1"]));
        assert_same(
            &facts.network_conditions,
            &vec![condition("TRON", first_observed, 2.0)],
        );

        let later = as_of() - hours(1) + TimeDelta::minutes(30);
        put(
            &writer,
            vec![
                Fact::MaintenanceWindow(window("W-2", "*", tx.created_at)),
                Fact::NetworkCondition(condition("TRON", later, 3.0)),
            ],
        )
        .await;
        let facts = load(&reader, "TX-SHARED").await;
        assert_eq!(window_ids(&facts), ids(["W-1", "W-2"]));
        assert_same(
            &facts.network_conditions,
            &vec![condition("TRON", later, 3.0)],
        );

        assert!(
            writer
                .delete_maintenance_window("W-1")
                .await
                .expect("delete")
        );
        let closed_before_creation = MaintenanceWindow {
            ends_at: Some(tx.created_at - hours(2)),
            ..window("W-2", "*", tx.created_at - hours(3))
        };
        put(
            &writer,
            vec![
                Fact::MaintenanceWindow(closed_before_creation),
                // Observed after the evaluation time: the one before it still answers.
                Fact::NetworkCondition(condition("TRON", as_of() + hours(1), 9.0)),
            ],
        )
        .await;
        let facts = load(&reader, "TX-SHARED").await;
        assert!(facts.maintenance_windows.is_empty(), "{facts:?}");
        assert_same(
            &facts.network_conditions,
            &vec![condition("TRON", later, 3.0)],
        );
        let facts = load_at(&reader, "TX-SHARED", None, as_of() + hours(2)).await;
        assert_eq!(
            facts
                .network_conditions
                .iter()
                .map(|c| c.congestion_factor)
                .collect::<Vec<_>>(),
            [9.0]
        );
    }

    pub async fn reopening_a_migrated_database_changes_nothing(backend: &dyn Backend) {
        let (batch, query) = one_of_each();
        let store = backend.open().await;
        put(&store, batch).await;
        let before = store.load_facts(&query).await.expect("load_facts");
        drop(store);
        for round in 0..3 {
            let store = backend.open().await;
            assert_same(
                &store.load_facts(&query).await.expect("load_facts"),
                &before,
            );
            // Still writable, and a further open keeps what was written.
            let reference = format!("TX-ROUND-{round}");
            put(&store, vec![Fact::Transaction(transaction(&reference))]).await;
        }
        let store = backend.open().await;
        for round in 0..3 {
            let reference = format!("TX-ROUND-{round}");
            assert!(load(&store, &reference).await.transaction.is_some());
        }
    }

    // -----------------------------------------------------------------------------------------
    // Finding a transaction by its hash, and withholding another account's.
    // -----------------------------------------------------------------------------------------

    const HASH: &str = "9f2c4e8b1d7a6f3e5c0b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f";

    fn hashed(reference: &str, account: &str, hash: &str, created_hours_ago: i64) -> Fact {
        Fact::Transaction(Transaction {
            account_id: account.to_owned(),
            tx_hash: hash.to_owned(),
            created_at: as_of() - hours(created_hours_ago),
            ..transaction(reference)
        })
    }

    pub async fn a_transaction_is_found_by_its_hash_in_any_case_with_or_without_0x(
        store: &SharedStore,
    ) {
        let stored = format!("0x{}", HASH.to_uppercase());
        put(store, vec![hashed("TX-HASHED", ACCOUNT, &stored, 2)]).await;
        for quoted in [
            HASH.to_owned(),
            format!("0x{HASH}"),
            format!("0X{}", HASH.to_uppercase()),
            stored.clone(),
        ] {
            let facts = load(store, &quoted).await;
            let found = facts.transaction.as_ref().map(|t| t.reference.as_str());
            assert_eq!(found, Some("TX-HASHED"), "{quoted}");
            assert_eq!(facts.transaction.map(|t| t.tx_hash), Some(stored.clone()));
        }
        assert_eq!(load(store, &HASH[..63]).await.transaction, None);
        // Ids that are not hex keep their case: a base58 signature differs by case.
        put(
            store,
            vec![hashed("TX-B58", ACCOUNT, "5VERv8NMvzbJMEkV", 1)],
        )
        .await;
        let exact = load(store, "5VERv8NMvzbJMEkV").await.transaction;
        assert_eq!(exact.map(|t| t.reference), Some("TX-B58".to_owned()));
        assert_eq!(load(store, "5verv8nmvzbjmekv").await.transaction, None);
    }

    pub async fn a_reference_is_looked_up_before_a_hash(store: &SharedStore) {
        // A reference that happens to be written like another transaction's hash.
        put(
            store,
            vec![
                hashed("TX-BY-HASH", ACCOUNT, HASH, 1),
                hashed(HASH, OTHER_ACCOUNT, "", 2),
            ],
        )
        .await;
        let facts = load(store, HASH).await;
        assert_eq!(
            facts.transaction.map(|t| t.reference),
            Some(HASH.to_owned())
        );
    }

    pub async fn of_transactions_sharing_a_hash_the_requesters_comes_first_then_the_newest(
        store: &SharedStore,
    ) {
        put(
            store,
            vec![
                hashed("TX-MINE", ACCOUNT, HASH, 3),
                hashed("TX-THEIRS-NEW", OTHER_ACCOUNT, HASH, 1),
                hashed("TX-THEIRS-OLD", OTHER_ACCOUNT, HASH, 2),
            ],
        )
        .await;
        let reference = |facts: Facts| facts.transaction.map(|t| t.reference);
        assert_eq!(
            reference(load(store, HASH).await),
            Some("TX-THEIRS-NEW".into())
        );
        let mine = load_as(store, HASH, ACCOUNT, None).await;
        assert_eq!(mine.ownership, Ownership::Requester);
        assert_eq!(reference(mine), Some("TX-MINE".into()));
    }

    pub async fn another_accounts_transaction_is_withheld_and_loads_as_an_unknown_reference(
        store: &SharedStore,
    ) {
        let mut batch = network_facts();
        batch.push(Fact::Transaction(transaction("TX-TRON")));
        batch.push(Fact::AccountStatus(status(
            ACCOUNT,
            AccountState::Frozen,
            as_of() - hours(5),
        )));
        put(store, batch).await;
        for reference in ["TX-TRON", "TX-UNKNOWN"] {
            let facts = load_as(store, reference, OTHER_ACCOUNT, Some("ETH")).await;
            let unknown = load_at(store, "TX-UNKNOWN", Some("ETH"), as_of()).await;
            let expected_ownership = match reference {
                "TX-TRON" => Ownership::Other {
                    owner: ACCOUNT.to_owned(),
                },
                _ => Ownership::Unchecked,
            };
            assert_eq!(facts.ownership, expected_ownership, "{reference}");
            // Nothing of the owner's: no transaction, no freeze, and the claim's network.
            assert_same(
                &Facts {
                    ownership: Ownership::Unchecked,
                    ..facts
                },
                &unknown,
            );
            assert_eq!(window_ids(&unknown), ids(["W-ETH", "W-ALL"]));
        }
    }

    pub async fn the_requesters_own_transaction_loads_as_without_a_requester(store: &SharedStore) {
        let mut batch = network_facts();
        batch.push(Fact::Transaction(transaction("TX-TRON")));
        put(store, batch).await;
        let own = load_as(store, "TX-TRON", ACCOUNT, Some("ETH")).await;
        assert_eq!(own.ownership, Ownership::Requester);
        let unchecked = load_at(store, "TX-TRON", Some("ETH"), as_of()).await;
        assert_eq!(unchecked.ownership, Ownership::Unchecked);
        assert_same(
            &Facts {
                ownership: Ownership::Unchecked,
                ..own
            },
            &unchecked,
        );
        assert_eq!(window_ids(&unchecked), ids(["W-TRON", "W-ALL"]));
    }
}
