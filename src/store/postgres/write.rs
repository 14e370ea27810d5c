//! Writing a batch of facts: one statement per table, whatever the batch's size.
//!
//! Every column of a table's rows travels as one array parameter and `unnest` turns the arrays
//! back into rows, so a 2,000-fact import batch costs PostgreSQL four statements instead of
//! 2,000. A batch stores its facts in order: within a table, a later fact replaces an earlier
//! one with the same key, and status entries are appended in the order given.

use super::pg_error;
use crate::{
    engine::model::{AccountStatus, MaintenanceWindow, NetworkCondition, Transaction},
    store::{
        Fact, StoreError,
        codec::{self, Code, clears_key, kinds_to_text, time_key},
        records::{self, RecordBatch},
    },
};
use deadpool_postgres::GenericClient;
use std::{borrow::Cow, collections::HashMap, sync::LazyLock};
use tokio_postgres::types::ToSql;

/// One table's rows, column by column.
struct Table<'a> {
    /// The `INSERT … SELECT … FROM unnest(…)` statement.
    sql: &'static LazyLock<String>,
    columns: Vec<Column<'a>>,
    /// Where the row of each key is, for tables whose rows replace earlier ones.
    rows_by_key: HashMap<Cow<'a, str>, usize>,
    rows: usize,
}

/// One column's values, typed as the table declares it.
enum Column<'a> {
    Text(Vec<Option<Cow<'a, str>>>),
    Int(Vec<i64>),
    Float(Vec<f64>),
}

/// One value of a row.
enum Value<'a> {
    Text(Option<Cow<'a, str>>),
    Int(i64),
    Float(f64),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Self {
        Self::Text(Some(Cow::Borrowed(text)))
    }
}

impl From<String> for Value<'_> {
    fn from(text: String) -> Self {
        Self::Text(Some(Cow::Owned(text)))
    }
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(text: Option<&'a str>) -> Self {
        Self::Text(text.map(Cow::Borrowed))
    }
}

impl From<Option<String>> for Value<'_> {
    fn from(text: Option<String>) -> Self {
        Self::Text(text.map(Cow::Owned))
    }
}

/// The column types a batch writes, by SQL name.
#[derive(Clone, Copy)]
enum Type {
    Text,
    BigInt,
    Float,
}

impl Type {
    fn sql(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::BigInt => "bigint",
            Self::Float => "float8",
        }
    }
}

/// `INSERT INTO table (columns) SELECT columns FROM unnest($1::type[], …)`, each row joined
/// with the relations of `also` (`, relation`, or nothing), in array order, then `conflict`.
fn insert_sql(table: &str, columns: &[(&str, Type)], also: &str, conflict: &str) -> String {
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let arrays: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| format!("${}::{}[]", i + 1, ty.sql()))
        .collect();
    format!(
        "INSERT INTO {table} ({names})
         SELECT {names} FROM unnest({arrays}) WITH ORDINALITY AS row_of_batch({names}, position)
         {also} ORDER BY position {conflict}",
        names = names.join(", "),
        arrays = arrays.join(", "),
    )
}

/// `ON CONFLICT (key) DO UPDATE SET` every other column.
fn replace_on(key: &[&str], columns: &[(&str, Type)]) -> String {
    let set: Vec<String> = columns
        .iter()
        .filter(|(name, _)| !key.contains(name))
        .map(|(name, _)| format!("{name} = EXCLUDED.{name}"))
        .collect();
    format!(
        "ON CONFLICT ({}) DO UPDATE SET {}",
        key.join(", "),
        set.join(", ")
    )
}

const TRANSACTION_TYPES: &[(&str, Type)] = &[
    ("reference", Type::Text),
    ("account_id", Type::Text),
    ("kind", Type::Text),
    ("network", Type::Text),
    ("asset", Type::Text),
    ("amount", Type::Text),
    ("destination", Type::Text),
    ("memo", Type::Text),
    ("status", Type::Text),
    ("failure_reason", Type::Text),
    ("confirmations", Type::BigInt),
    ("required_confirmations", Type::BigInt),
    ("created_at", Type::Text),
    ("updated_at", Type::Text),
    ("completed_at", Type::Text),
    ("expected_amount", Type::Text),
    ("expected_asset", Type::Text),
    ("expected_network", Type::Text),
    ("expected_destination", Type::Text),
    ("expected_memo", Type::Text),
    ("tx_hash", Type::Text),
    ("tx_hash_key", Type::Text),
    ("destination_key", Type::Text),
    ("confirmation_method", Type::Text),
    ("confirmation_expires_at", Type::Text),
    ("information_requested", Type::Text),
    ("information_requested_at", Type::Text),
];

const STATUS_TYPES: &[(&str, Type)] = &[
    ("account_id", Type::Text),
    ("state", Type::Text),
    ("reason", Type::Text),
    ("restricted_kinds", Type::Text),
    ("effective_from", Type::Text),
    ("effective_until", Type::Text),
    ("note", Type::Text),
];

const WINDOW_TYPES: &[(&str, Type)] = &[
    ("id", Type::Text),
    ("network", Type::Text),
    ("kinds", Type::Text),
    ("type", Type::Text),
    ("starts_at", Type::Text),
    ("ends_at", Type::Text),
    ("backlog_drain_ns", Type::BigInt),
    ("clears_key", Type::Text),
    ("title", Type::Text),
];

const CONDITION_TYPES: &[(&str, Type)] = &[
    ("network", Type::Text),
    ("observed_at", Type::Text),
    ("congestion_factor", Type::Float),
];

static INSERT_TRANSACTIONS: LazyLock<String> = LazyLock::new(|| {
    insert_sql(
        "transactions",
        TRANSACTION_TYPES,
        "",
        &replace_on(&["reference"], TRANSACTION_TYPES),
    )
});
static INSERT_STATUSES: LazyLock<String> =
    LazyLock::new(|| insert_sql("account_statuses", STATUS_TYPES, "", ""));
static INSERT_WINDOWS: LazyLock<String> = LazyLock::new(|| {
    insert_sql(
        "maintenance_windows",
        WINDOW_TYPES,
        "",
        &replace_on(&["id"], WINDOW_TYPES),
    )
});
static INSERT_CONDITIONS: LazyLock<String> = LazyLock::new(|| {
    insert_sql(
        "network_conditions",
        CONDITION_TYPES,
        "",
        &replace_on(&["network", "observed_at"], CONDITION_TYPES),
    )
});

impl<'a> Table<'a> {
    fn new(sql: &'static LazyLock<String>, types: &[(&str, Type)]) -> Self {
        let columns = types
            .iter()
            .map(|(_, ty)| match ty {
                Type::Text => Column::Text(Vec::new()),
                Type::BigInt => Column::Int(Vec::new()),
                Type::Float => Column::Float(Vec::new()),
            })
            .collect();
        Self {
            sql,
            columns,
            rows_by_key: HashMap::new(),
            rows: 0,
        }
    }

    /// Adds a row, or replaces the earlier row with the same `key`.
    fn put(&mut self, key: Option<Cow<'a, str>>, values: impl IntoIterator<Item = Value<'a>>) {
        let replaced = key.and_then(|key| match self.rows_by_key.get(&key) {
            Some(&row) => Some(row),
            None => {
                self.rows_by_key.insert(key, self.rows);
                None
            }
        });
        for (column, value) in self.columns.iter_mut().zip(values) {
            match (column, value, replaced) {
                (Column::Text(c), Value::Text(v), None) => c.push(v),
                (Column::Int(c), Value::Int(v), None) => c.push(v),
                (Column::Float(c), Value::Float(v), None) => c.push(v),
                (Column::Text(c), Value::Text(v), Some(row)) => c[row] = v,
                (Column::Int(c), Value::Int(v), Some(row)) => c[row] = v,
                (Column::Float(c), Value::Float(v), Some(row)) => c[row] = v,
                _ => unreachable!("a value of another type than its column"),
            }
        }
        if replaced.is_none() {
            self.rows += 1;
        }
    }

    /// Writes the rows in one statement; nothing when there are none.
    async fn write(&self, client: &impl GenericClient) -> Result<(), StoreError> {
        self.write_with(client, &[]).await
    }

    /// Writes the rows in one statement whose parameters after the columns' are `more`.
    async fn write_with(
        &self,
        client: &impl GenericClient,
        more: &[&(dyn ToSql + Sync)],
    ) -> Result<(), StoreError> {
        if self.rows == 0 {
            return Ok(());
        }
        let statement = client.prepare_cached(self.sql).await.map_err(pg_error)?;
        let params: Vec<&(dyn ToSql + Sync)> = self
            .columns
            .iter()
            .map(|column| match column {
                Column::Text(values) => values as &(dyn ToSql + Sync),
                Column::Int(values) => values,
                Column::Float(values) => values,
            })
            .chain(more.iter().copied())
            .collect();
        client
            .execute(&statement, &params)
            .await
            .map_err(pg_error)?;
        Ok(())
    }
}

/// A batch of facts, table by table.
pub struct Batch<'a> {
    transactions: Table<'a>,
    statuses: Table<'a>,
    windows: Table<'a>,
    conditions: Table<'a>,
}

impl<'a> Batch<'a> {
    /// Sorts `facts` into their tables, in order.
    pub fn of(facts: &'a [Fact]) -> Result<Self, StoreError> {
        let mut batch = Self {
            transactions: Table::new(&INSERT_TRANSACTIONS, TRANSACTION_TYPES),
            statuses: Table::new(&INSERT_STATUSES, STATUS_TYPES),
            windows: Table::new(&INSERT_WINDOWS, WINDOW_TYPES),
            conditions: Table::new(&INSERT_CONDITIONS, CONDITION_TYPES),
        };
        for fact in facts {
            match fact {
                Fact::Transaction(t) => batch.transaction(t),
                Fact::AccountStatus(s) => batch.status(s),
                Fact::MaintenanceWindow(w) => batch.window(w)?,
                Fact::NetworkCondition(c) => batch.condition(c),
            }
        }
        Ok(batch)
    }

    /// Writes every table's rows, the statements sent back to back (pipelined).
    pub async fn write(&self, client: &impl GenericClient) -> Result<(), StoreError> {
        tokio::try_join!(
            self.transactions.write(client),
            self.statuses.write(client),
            self.windows.write(client),
            self.conditions.write(client),
        )?;
        Ok(())
    }

    fn transaction(&mut self, t: &'a Transaction) {
        let e = &t.expected;
        self.transactions.put(
            Some(Cow::Borrowed(&t.reference)),
            [
                t.reference.as_str().into(),
                t.account_id.as_str().into(),
                t.kind.code().into(),
                t.network.as_str().into(),
                t.asset.as_str().into(),
                t.amount.to_string().into(),
                t.destination.as_str().into(),
                t.memo.as_str().into(),
                t.status.code().into(),
                t.failure_reason.map(Code::code).into(),
                Value::Int(i64::from(t.confirmations)),
                Value::Int(i64::from(t.required_confirmations)),
                time_key(t.created_at).into(),
                t.updated_at.map(time_key).into(),
                t.completed_at.map(time_key).into(),
                e.amount.map(|a| a.to_string()).into(),
                e.asset.as_deref().into(),
                e.network.as_deref().into(),
                e.destination.as_deref().into(),
                e.memo.as_deref().into(),
                t.tx_hash.as_str().into(),
                codec::tx_hash_column(t).into(),
                codec::destination_key(&t.destination).into(),
                t.customer_confirmation.map(|c| c.method.code()).into(),
                t.customer_confirmation
                    .map(|c| time_key(c.expires_at))
                    .into(),
                codec::information_requested_column(t).into(),
                t.information_request
                    .as_ref()
                    .map(|r| time_key(r.requested_at))
                    .into(),
            ],
        );
    }

    fn status(&mut self, s: &'a AccountStatus) {
        self.statuses.put(
            None,
            [
                s.account_id.as_str().into(),
                s.state.code().into(),
                s.reason.map(Code::code).into(),
                kinds_to_text(&s.restricted_kinds).into(),
                time_key(s.effective_from).into(),
                s.effective_until.map(time_key).into(),
                s.note.as_str().into(),
            ],
        );
    }

    fn window(&mut self, w: &'a MaintenanceWindow) -> Result<(), StoreError> {
        let drain_ns = codec::drain_nanos(w)?;
        self.windows.put(
            Some(Cow::Borrowed(&w.id)),
            [
                w.id.as_str().into(),
                w.network.as_str().into(),
                kinds_to_text(&w.kinds).into(),
                w.maintenance_type.code().into(),
                time_key(w.starts_at).into(),
                w.ends_at.map(time_key).into(),
                Value::Int(drain_ns),
                clears_key(w.clears_at()).into(),
                w.title.as_str().into(),
            ],
        );
        Ok(())
    }

    fn condition(&mut self, c: &'a NetworkCondition) {
        let observed_at = time_key(c.observed_at);
        // The network and the moment: a time key holds no NUL, so the last one splits them.
        let key = format!("{}\0{observed_at}", c.network);
        self.conditions.put(
            Some(Cow::Owned(key)),
            [
                c.network.as_str().into(),
                observed_at.into(),
                Value::Float(c.congestion_factor),
            ],
        );
    }
}

/// Every column of `diagnosis_records` a record writes: all text.
static RECORD_TYPES: LazyLock<Vec<(&str, Type)>> = LazyLock::new(|| {
    records::RECORD_COLUMNS
        .iter()
        .map(|name| (*name, Type::Text))
        .collect()
});
/// The records, appended only when their batch is new: its row in `diagnosis_record_batches`
/// (its newest record's time and its id, the two parameters after the columns') is taken in
/// the same statement, so a batch tried again after its first try was stored (the reply lost,
/// or given up on after the operation timeout) is not stored twice.
static INSERT_RECORDS: LazyLock<String> = LazyLock::new(|| {
    let (newest, id) = (RECORD_TYPES.len() + 1, RECORD_TYPES.len() + 2);
    format!(
        "WITH batch AS (
             INSERT INTO diagnosis_record_batches (newest_at, batch_id)
             VALUES (${newest}::text, ${id}::bytea)
             ON CONFLICT DO NOTHING RETURNING 1)
         {}",
        insert_sql("diagnosis_records", &RECORD_TYPES, ", batch", "")
    )
});

/// Appends `batch` in one statement, unless it was stored already; their ids follow their
/// order.
pub async fn records(client: &impl GenericClient, batch: &RecordBatch) -> Result<(), StoreError> {
    let Some(newest) = batch.iter().map(|r| r.diagnosed_at).max() else {
        return Ok(());
    };
    let mut table = Table::new(&INSERT_RECORDS, &RECORD_TYPES);
    for record in batch.iter() {
        table.put(None, records::values(record).map(Value::Text));
    }
    let id = batch.id();
    table
        .write_with(client, &[&time_key(newest), &id.as_slice()])
        .await
}
