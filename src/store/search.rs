//! Transaction search: the filters a store applies, and the one statement both SQL backends
//! run for them, written with each backend's placeholders.

use super::codec::{Code, TRANSACTION_COLUMNS, time_key};
use crate::engine::model::{TransactionKind, TransactionStatus};
use chrono::{DateTime, Utc};

/// What a store searches for. At least one of the three keys is set (the API requires it), so a
/// search walks one index range; the other filters narrow that range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransactionSearch {
    /// Exact account id.
    pub account_id: Option<String>,
    /// Transaction hash lookup key (see `tx_hash_key`).
    pub tx_hash_key: Option<String>,
    /// Destination key (see `codec::destination_key`).
    pub destination_key: Option<String>,
    /// Kinds; empty = all.
    pub kinds: Vec<TransactionKind>,
    /// Network codes; empty = all.
    pub networks: Vec<String>,
    /// Asset code.
    pub asset: Option<String>,
    /// Statuses; empty = all.
    pub statuses: Vec<TransactionStatus>,
    /// Created at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    pub created_before: Option<DateTime<Utc>>,
    /// Only transactions after this one in newest-first order: older, or as old with a lower
    /// reference.
    pub after: Option<Cursor>,
    /// Most transactions to return.
    pub limit: usize,
}

/// A position in newest-first order: a transaction's creation time and reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Its `created_at`.
    pub created_at: DateTime<Utc>,
    /// Its reference.
    pub reference: String,
}

/// The statement for `search` and its text parameters, in order: `placeholder(n)` writes the
/// n-th (1-based) parameter the backend's way, `collate_c` orders references bytewise.
pub fn statement(
    search: &TransactionSearch,
    placeholder: fn(usize) -> String,
    collate_c: &str,
) -> (String, Vec<String>) {
    let mut params: Vec<String> = Vec::new();
    let mut bind = |value: String| {
        params.push(value);
        placeholder(params.len())
    };
    let mut clauses: Vec<String> = Vec::new();
    let keys = [
        ("account_id", &search.account_id),
        ("tx_hash_key", &search.tx_hash_key),
        ("destination_key", &search.destination_key),
        ("asset", &search.asset),
    ];
    for (column, value) in keys {
        if let Some(value) = value {
            clauses.push(format!("{column} = {}", bind(value.clone())));
        }
    }
    let codes = |values: Vec<String>, bind: &mut dyn FnMut(String) -> String| {
        values.into_iter().map(bind).collect::<Vec<_>>().join(", ")
    };
    let lists = [
        (
            "kind",
            search.kinds.iter().map(|k| k.code().to_owned()).collect(),
        ),
        ("network", search.networks.clone()),
        (
            "status",
            search
                .statuses
                .iter()
                .map(|s| s.code().to_owned())
                .collect(),
        ),
    ];
    for (column, values) in lists {
        if !values.is_empty() {
            clauses.push(format!("{column} IN ({})", codes(values, &mut bind)));
        }
    }
    if let Some(from) = search.created_from {
        clauses.push(format!("created_at >= {}", bind(time_key(from))));
    }
    if let Some(before) = search.created_before {
        clauses.push(format!("created_at < {}", bind(time_key(before))));
    }
    if let Some(cursor) = &search.after {
        let (at, reference) = (
            bind(time_key(cursor.created_at)),
            bind(cursor.reference.clone()),
        );
        clauses.push(format!(
            "(created_at < {at} OR (created_at = {at} AND reference{collate_c} < {reference}))"
        ));
    }
    let sql = format!(
        "SELECT {columns} FROM transactions WHERE {clauses}
         ORDER BY created_at DESC, reference{collate_c} DESC LIMIT {limit}",
        columns = TRANSACTION_COLUMNS.join(", "),
        clauses = if clauses.is_empty() {
            "true".to_owned()
        } else {
            clauses.join(" AND ")
        },
        limit = search.limit,
    );
    (sql, params)
}
