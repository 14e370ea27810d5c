//! Case records: what each diagnosis made for a ticket concluded, kept so that a ticket's
//! history can be read back. The customer's text is not kept: it renders again from a record.
//! Both SQL backends share the statements and the row codec here.

use super::codec::{Code, Columns, time_key};
use crate::engine::diagnosis::{Action, Cause};
use crate::triage::policy::{Disposition, Priority};
use chrono::{DateTime, Utc};
use std::{
    borrow::Cow,
    sync::{
        Arc, LazyLock,
        atomic::{AtomicU64, Ordering},
    },
};

/// A batch of records to store, shared: the writer keeps it to try again while a backend (the
/// SQLite store, on a blocking thread) works from it. Its id, made with it and kept by every
/// clone, tells a store the batch tried again from a new one with the same records.
#[derive(Debug, Clone)]
pub struct RecordBatch {
    id: [u8; 16],
    records: Arc<[DiagnosisRecord]>,
}

impl RecordBatch {
    /// The batch's id: no other batch of this process or, but for a chance of one in 2^64 a
    /// pair, of any other has it.
    pub fn id(&self) -> [u8; 16] {
        self.id
    }
}

impl From<Vec<DiagnosisRecord>> for RecordBatch {
    fn from(records: Vec<DiagnosisRecord>) -> Self {
        Self {
            id: next_batch_id(),
            records: records.into(),
        }
    }
}

impl std::ops::Deref for RecordBatch {
    type Target = [DiagnosisRecord];

    fn deref(&self) -> &[DiagnosisRecord] {
        &self.records
    }
}

/// A random half chosen once a process, then a count.
fn next_batch_id() -> [u8; 16] {
    static PROCESS: LazyLock<[u8; 8]> = LazyLock::new(|| {
        let mut random = [0; 8];
        if getrandom::fill(&mut random).is_err() {
            // Without randomness, the process and the moment it started.
            let started = Utc::now().timestamp_nanos_opt().unwrap_or_default();
            random = (started ^ i64::from(std::process::id()).rotate_left(48)).to_le_bytes();
        }
        random
    });
    static MADE: AtomicU64 = AtomicU64::new(0);
    let mut id = [0; 16];
    id[..8].copy_from_slice(&*PROCESS);
    id[8..].copy_from_slice(&MADE.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    id
}

/// What one diagnosis made for a ticket concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosisRecord {
    /// The ticket the diagnosis was made for.
    pub ticket_id: String,
    /// The platform reference of the transaction diagnosed, or, when none was found (or it is
    /// another account's), what was quoted.
    pub reference: String,
    /// The transaction's hash, or the one the customer claimed when no transaction was found;
    /// `None` when neither is known.
    pub tx_hash: Option<String>,
    /// The evaluation time.
    pub as_of: DateTime<Utc>,
    /// When the diagnosis was made (the server's clock).
    pub diagnosed_at: DateTime<Utc>,
    /// The primary cause.
    pub cause: Cause,
    /// The other causes that matched, in precedence order.
    pub contributing_causes: Vec<Cause>,
    /// The next step's action.
    pub action: Action,
    /// When to look again, if the next step says.
    pub recheck_at: Option<DateTime<Utc>>,
    /// When it should resolve by itself, if the next step says.
    pub expected_resolution_at: Option<DateTime<Utc>>,
    /// The rules file the diagnosis was made with.
    pub ruleset_version: String,
    /// The name of the caller who asked.
    pub caller: String,
    /// Which call made it.
    pub source: RecordSource,
    /// For a ticket's candidate, where it alone sends the ticket.
    pub routing: Option<RecordedRouting>,
}

/// Which call made a diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordSource {
    /// `Diagnose`.
    Diagnose,
    /// An item of `BatchDiagnose`.
    BatchDiagnose,
    /// A candidate of `TriageTicket`.
    TriageTicket,
    /// A diagnosis `WatchDiagnosis` sent.
    WatchDiagnosis,
}

/// Where a ticket's candidate alone sends the ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRouting {
    /// What the ticket system should do.
    pub disposition: Disposition,
    /// The queue, for routing and escalation.
    pub queue: Option<String>,
    /// How urgent, for routing and escalation.
    pub priority: Option<Priority>,
}

/// Which records to list: those of a ticket or of a reference (at least one is set; the API
/// requires it, so a listing walks one index range), newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordQuery {
    /// Exact ticket id.
    pub ticket_id: Option<String>,
    /// Exact reference.
    pub reference: Option<String>,
    /// Made at or after.
    pub diagnosed_from: Option<DateTime<Utc>>,
    /// Made before.
    pub diagnosed_before: Option<DateTime<Utc>>,
    /// Only records after this one in newest-first order.
    pub after: Option<RecordCursor>,
    /// Most records to return.
    pub limit: usize,
}

/// A position in newest-first order: when a record was made, then the store's id of it (later
/// stored first among records made at the same moment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordCursor {
    /// Its `diagnosed_at`.
    pub diagnosed_at: DateTime<Utc>,
    /// The id the store gave it.
    pub id: i64,
}

/// A record as listed, with the id the store gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedRecord {
    /// The store's id: increasing in the order records were stored, within one database.
    pub id: i64,
    /// The record.
    pub record: DiagnosisRecord,
}

impl ListedRecord {
    /// Where this record is in newest-first order.
    pub fn cursor(&self) -> RecordCursor {
        RecordCursor {
            diagnosed_at: self.record.diagnosed_at,
            id: self.id,
        }
    }
}

/// The columns of `diagnosis_records` written for a record, in [`values`]' order.
pub const RECORD_COLUMNS: &[&str] = &[
    "ticket_id",
    "reference",
    "tx_hash",
    "as_of",
    "diagnosed_at",
    "cause",
    "contributing_causes",
    "action",
    "recheck_at",
    "expected_resolution_at",
    "ruleset_version",
    "caller",
    "source",
    "disposition",
    "queue",
    "priority",
];

/// The columns a listing selects: the id, then [`RECORD_COLUMNS`].
pub const LISTED_COLUMNS: &[&str] = &[
    "id",
    "ticket_id",
    "reference",
    "tx_hash",
    "as_of",
    "diagnosed_at",
    "cause",
    "contributing_causes",
    "action",
    "recheck_at",
    "expected_resolution_at",
    "ruleset_version",
    "caller",
    "source",
    "disposition",
    "queue",
    "priority",
];

/// A record's column values, as text (or null), in [`RECORD_COLUMNS`]' order: its own text
/// borrowed, times and lists written out.
pub fn values(r: &DiagnosisRecord) -> [Option<Cow<'_, str>>; 16] {
    let routing = r.routing.as_ref();
    let time = |t: DateTime<Utc>| Cow::Owned(time_key(t));
    [
        Some(Cow::Borrowed(&r.ticket_id)),
        Some(Cow::Borrowed(&r.reference)),
        r.tx_hash.as_deref().map(Cow::Borrowed),
        Some(time(r.as_of)),
        Some(time(r.diagnosed_at)),
        Some(Cow::Borrowed(r.cause.code())),
        Some(Cow::Owned(causes_to_text(&r.contributing_causes))),
        Some(Cow::Borrowed(r.action.code())),
        r.recheck_at.map(time),
        r.expected_resolution_at.map(time),
        Some(Cow::Borrowed(&r.ruleset_version)),
        Some(Cow::Borrowed(&r.caller)),
        Some(Cow::Borrowed(r.source.code())),
        routing.map(|t| Cow::Borrowed(t.disposition.code())),
        routing.and_then(|t| t.queue.as_deref().map(Cow::Borrowed)),
        routing.and_then(|t| t.priority.map(|p| Cow::Borrowed(p.code()))),
    ]
}

/// Reads a listed `diagnosis_records` row.
pub fn listed(row: &impl Columns) -> anyhow::Result<ListedRecord> {
    let routing = match row.opt_code::<Disposition>("disposition")? {
        Some(disposition) => Some(RecordedRouting {
            disposition,
            queue: row.opt_text("queue")?,
            priority: row.opt_code("priority")?,
        }),
        None => None,
    };
    Ok(ListedRecord {
        id: row.int("id")?,
        record: DiagnosisRecord {
            ticket_id: row.text("ticket_id")?,
            reference: row.text("reference")?,
            tx_hash: row.opt_text("tx_hash")?,
            as_of: row.time("as_of")?,
            diagnosed_at: row.time("diagnosed_at")?,
            cause: row.code("cause")?,
            contributing_causes: causes_from_text(&row.text("contributing_causes")?)?,
            action: row.code("action")?,
            recheck_at: row.opt_time("recheck_at")?,
            expected_resolution_at: row.opt_time("expected_resolution_at")?,
            ruleset_version: row.text("ruleset_version")?,
            caller: row.text("caller")?,
            source: row.code("source")?,
            routing,
        },
    })
}

fn causes_to_text(causes: &[Cause]) -> String {
    causes
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(",")
}

fn causes_from_text(text: &str) -> anyhow::Result<Vec<Cause>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(super::codec::decode)
        .collect()
}

/// The listing statement for `query` and its text parameters, in order: `placeholder(n)`
/// writes the n-th (1-based) parameter the backend's way. The key filter comes first so that
/// the statement walks that key's index, newest first, without sorting.
pub fn list_statement(
    query: &RecordQuery,
    placeholder: fn(usize) -> String,
) -> (String, Vec<String>) {
    let mut params: Vec<String> = Vec::new();
    let mut bind = |value: String| {
        params.push(value);
        placeholder(params.len())
    };
    let mut clauses: Vec<String> = Vec::new();
    for (column, value) in [
        ("ticket_id", &query.ticket_id),
        ("reference", &query.reference),
    ] {
        if let Some(value) = value {
            clauses.push(format!("{column} = {}", bind(value.clone())));
        }
    }
    if let Some(from) = query.diagnosed_from {
        clauses.push(format!("diagnosed_at >= {}", bind(time_key(from))));
    }
    if let Some(before) = query.diagnosed_before {
        clauses.push(format!("diagnosed_at < {}", bind(time_key(before))));
    }
    if let Some(cursor) = &query.after {
        let at = bind(time_key(cursor.diagnosed_at));
        let id = bind(cursor.id.to_string());
        clauses.push(format!(
            "(diagnosed_at < {at} OR (diagnosed_at = {at} AND id < CAST({id} AS BIGINT)))"
        ));
    }
    // A parameter, not text: each page size would otherwise be a statement of its own to
    // prepare and keep on every connection.
    let limit = bind(query.limit.to_string());
    let sql = format!(
        "SELECT {columns} FROM diagnosis_records WHERE {clauses}
         ORDER BY diagnosed_at DESC, id DESC LIMIT CAST({limit} AS BIGINT)",
        columns = LISTED_COLUMNS.join(", "),
        clauses = if clauses.is_empty() {
            "true".to_owned()
        } else {
            clauses.join(" AND ")
        },
    );
    (sql, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_keeps_its_id_in_every_clone_and_a_new_batch_has_another() {
        let first = RecordBatch::from(Vec::new());
        let again = first.clone();
        let next = RecordBatch::from(Vec::new());
        assert_eq!(again.id(), first.id());
        assert_ne!(next.id(), first.id());
        assert_eq!(next.id()[..8], first.id()[..8], "one random half a process");
    }

    #[test]
    fn the_listed_columns_are_the_id_then_the_written_ones() {
        assert_eq!(LISTED_COLUMNS[0], "id");
        assert_eq!(&LISTED_COLUMNS[1..], RECORD_COLUMNS);
    }
}
