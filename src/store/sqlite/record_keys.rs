//! Case records on SQLite. A record is appended to `diagnosis_records` alone, so that taking a
//! batch costs little more than writing its rows; its keys (ticket, reference and age) reach
//! `diagnosis_record_keys` later, up to [`INDEX_BATCH`] records at a time and in key order. Three
//! indexes on the records table would each write a random page per record at every commit;
//! keyed in large sorted batches, each page of the narrow key table is written about once per
//! batch. The store keeps the keys of the records it stored and has not keyed yet in memory, and
//! a listing finds them there; records another process stored, or a crash left, are found by a
//! scan of the table's newest rows until they are keyed (at the latest when the file is opened).

use crate::store::{
    codec::{time_from_key, time_key},
    records::{self, DiagnosisRecord, ListedRecord, RecordQuery},
};
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior, params};
use siphasher::sip::SipHasher13;
use std::{
    hash::Hasher,
    sync::{LazyLock, Mutex},
    time::{Duration, Instant},
};

/// Records keyed per transaction. A batch writes most pages of the key table, so the more, the
/// fewer times each page is written per record; their keys wait in memory meanwhile (72 bytes a
/// record, 15 MB reserved), and keying them holds the write lock for 0.2 s to 1 s.
pub const INDEX_BATCH: usize = 200_000;

/// How long a record may stay unkeyed, when fewer than a batch come: at the first batch stored
/// after it, its keys are written. It bounds what another process's listing scans, and what is
/// read back after a crash, at ordinary rates.
pub const INDEX_AFTER: Duration = Duration::from_secs(60);

/// The key of every record's age entry, which retention walks oldest first. Ticket and
/// reference keys are never 0.
const AGE: i64 = 0;

/// Computes the keys of records and keeps what keying waits for.
#[derive(Debug)]
pub struct RecordKeys {
    hasher: SipHasher13,
    /// How long a record may wait to be keyed: [`INDEX_AFTER`] unless told.
    after: Duration,
    /// The records this store stored that are not keyed yet.
    waiting: Mutex<Waiting>,
}

/// A key table entry: key, when the record was made (nanoseconds), id.
type Entry = (i64, i64, i64);

/// The keys of the records with ids `from..until`, which wait to be keyed.
#[derive(Debug, Clone)]
struct Waiting {
    /// The first id not keyed, as this store last knew it; `i64::MIN` when its records were
    /// not all stored by this store, so their keys must be read back.
    from: i64,
    /// The id after the last record stored.
    until: i64,
    entries: Vec<Entry>,
    /// When the first of them was stored.
    since: Option<Instant>,
}

impl Waiting {
    fn keyed_through(keyed: i64) -> Self {
        Self {
            from: keyed + 1,
            until: keyed + 1,
            entries: Vec::new(),
            since: None,
        }
    }

    /// Empties it once every record through `keyed` is keyed, keeping the entries' allocation.
    fn keyed(&mut self, keyed: i64) {
        self.entries.clear();
        let entries = std::mem::take(&mut self.entries);
        *self = Self {
            entries,
            ..Self::keyed_through(keyed)
        };
    }
}

/// Where a listing finds records not keyed yet: those with the ids `ids`, and any in the id
/// ranges before `from` and from `until` on, which the store's memory does not know.
#[derive(Debug)]
struct Unkeyed {
    ids: Vec<i64>,
    from: i64,
    until: i64,
}

impl Unkeyed {
    /// Every record not keyed yet is read by a scan.
    const SCAN: Self = Self {
        ids: Vec::new(),
        from: i64::MAX,
        until: i64::MAX,
    };
}

/// Entries added by one statement: fewer statements, each the same B-tree work.
const ENTRIES_PER_INSERT: usize = 100;

/// Adds `entries` to the key table, in key order: each page is then loaded and written once.
fn insert_keys(tx: &Connection, entries: &mut [Entry]) -> anyhow::Result<()> {
    entries.sort_unstable();
    for chunk in entries.chunks(ENTRIES_PER_INSERT) {
        let mut insert = if chunk.len() == ENTRIES_PER_INSERT {
            tx.prepare_cached(&INSERT_KEYS)?
        } else {
            tx.prepare_cached(&insert_keys_statement(chunk.len()))?
        };
        for (n, (key, at, id)) in chunk.iter().enumerate() {
            insert.raw_bind_parameter(3 * n + 1, key)?;
            insert.raw_bind_parameter(3 * n + 2, at)?;
            insert.raw_bind_parameter(3 * n + 3, id)?;
        }
        insert.raw_execute()?;
    }
    Ok(())
}

/// The insert of `n` entries.
fn insert_keys_statement(n: usize) -> String {
    let rows: Vec<&str> = std::iter::repeat_n("(?, ?, ?)", n).collect();
    format!(
        "INSERT OR IGNORE INTO diagnosis_record_keys (key, diagnosed_ns, id) VALUES {}",
        rows.join(", ")
    )
}

/// The insert of [`ENTRIES_PER_INSERT`] entries.
static INSERT_KEYS: LazyLock<String> = LazyLock::new(|| insert_keys_statement(ENTRIES_PER_INSERT));

impl RecordKeys {
    /// Reads the database's hash key.
    pub fn load(conn: &Connection) -> anyhow::Result<Self> {
        let key: Vec<u8> = conn
            .query_row(
                "SELECT hash_key FROM diagnosis_record_index WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .context("reading the case records' hash key")?;
        let key: [u8; 16] = key
            .try_into()
            .map_err(|_| anyhow::anyhow!("the case records' hash key is not 16 bytes"))?;
        Ok(Self {
            hasher: SipHasher13::new_with_key(&key),
            after: INDEX_AFTER,
            waiting: Mutex::new(Waiting::keyed_through(i64::MIN)),
        })
    }

    /// The same keys, records keyed once they have waited `after` (zero: at once).
    pub fn keyed_after(&self, after: Duration) -> Self {
        Self {
            hasher: self.hasher,
            after,
            waiting: Mutex::new(self.lock().clone()),
        }
    }

    fn ticket(&self, ticket_id: &str) -> i64 {
        self.key(b't', ticket_id)
    }

    fn reference(&self, reference: &str) -> i64 {
        self.key(b'r', reference)
    }

    fn key(&self, kind: u8, text: &str) -> i64 {
        let mut hasher = self.hasher;
        hasher.write_u8(kind);
        hasher.write(text.as_bytes());
        match i64::from_le_bytes(hasher.finish().to_le_bytes()) {
            AGE => 1,
            key => key,
        }
    }

    /// A record's three key entries: its ticket's, its reference's and its age.
    fn entries(&self, ticket_id: &str, reference: &str, at: i64, id: i64) -> [Entry; 3] {
        [
            (self.ticket(ticket_id), at, id),
            (self.reference(reference), at, id),
            (AGE, at, id),
        ]
    }

    /// Stores `batch` in one transaction, then keys the records waiting if a batch of them is
    /// waiting or the first has waited long enough ([`INDEX_AFTER`] unless told). An error
    /// means the batch was not stored.
    pub fn put(&self, conn: &mut Connection, batch: &[DiagnosisRecord]) -> anyhow::Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Ids are never reused, not even after retention emptied the table: an id at or below
        // `indexed_through` would never be keyed.
        let (first, keyed): (i64, i64) = tx.query_row(
            "SELECT max(coalesce((SELECT max(id) FROM diagnosis_records), 0), indexed_through) + 1,
                    indexed_through
             FROM diagnosis_record_index WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut entries = Vec::with_capacity(batch.len() * 3);
        {
            let mut insert = tx.prepare_cached(&INSERT_RECORD)?;
            for (id, record) in (first..).zip(batch) {
                insert.raw_bind_parameter(1, id)?;
                for (n, value) in records::values(record).iter().enumerate() {
                    insert.raw_bind_parameter(n + 2, value.as_deref())?;
                }
                insert.raw_execute()?;
                entries.extend(self.entries(
                    &record.ticket_id,
                    &record.reference,
                    nanos(record.diagnosed_at),
                    id,
                ));
            }
        }
        tx.commit()?;
        let next = first + batch.len() as i64;
        let due = {
            let mut waiting = self.lock();
            // The keys in memory are those of every record not keyed yet, or are not used.
            if waiting.from == keyed + 1 && waiting.until == first {
                if waiting.entries.capacity() == 0 {
                    // Room for a keying batch and a default recorder batch at once: grown by
                    // doubling, the entries would hold up to twice what they need.
                    waiting.entries.reserve_exact(3 * (INDEX_BATCH + 5_000));
                }
                waiting.entries.append(&mut entries);
            } else {
                waiting.entries.clear();
                waiting.from = i64::MIN;
            }
            waiting.until = next;
            let since = *waiting.since.get_or_insert_with(Instant::now);
            usize::try_from(next - 1 - keyed).unwrap_or(usize::MAX) >= INDEX_BATCH
                || since.elapsed() >= self.after
        };
        // The batch is stored: were it reported as failed, it would be stored again. Keys that
        // could not be written wait for the next batch, retention or reopening; meanwhile a
        // listing finds these records by scanning.
        if due && let Err(e) = self.key_waiting(conn) {
            tracing::warn!(error = %e, "keying case records failed: trying again after the next batch");
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes the keys of every record not keyed yet: those this store stored since it last
    /// keyed, from memory; any others (a crash's, another process's), read back
    /// [`INDEX_BATCH`] at a time.
    pub fn key_waiting(&self, conn: &mut Connection) -> anyhow::Result<()> {
        let mut waiting = self.lock();
        loop {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let (keyed, last): (i64, i64) = tx.query_row(
                "SELECT indexed_through, coalesce((SELECT max(id) FROM diagnosis_records), 0)
                 FROM diagnosis_record_index WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if last <= keyed {
                waiting.keyed(keyed);
                return Ok(());
            }
            let through = if waiting.from == keyed + 1 && waiting.until == last + 1 {
                insert_keys(&tx, &mut waiting.entries)?;
                last
            } else {
                let mut read = self.read_back(&tx, keyed)?;
                anyhow::ensure!(!read.entries.is_empty(), "records after {keyed} vanished");
                insert_keys(&tx, &mut read.entries)?;
                read.until - 1
            };
            tx.execute(
                "UPDATE diagnosis_record_index SET indexed_through = ?1 WHERE id = 1",
                [through],
            )?;
            tx.commit()?;
            waiting.keyed(through);
        }
    }

    /// The keys of up to [`INDEX_BATCH`] records after `keyed`, from their rows.
    fn read_back(&self, tx: &Connection, keyed: i64) -> anyhow::Result<Waiting> {
        let mut read = Waiting::keyed_through(keyed);
        let mut rows = tx.prepare_cached(
            "SELECT id, ticket_id, reference, diagnosed_at FROM diagnosis_records
             WHERE id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let mut rows = rows.query(params![keyed, INDEX_BATCH as i64])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let at = nanos(time_from_key(row.get_ref(3)?.as_str()?)?);
            read.entries.extend(self.entries(
                row.get_ref(1)?.as_str()?,
                row.get_ref(2)?.as_str()?,
                at,
                id,
            ));
            read.until = id + 1;
        }
        Ok(read)
    }

    /// Lists records as `query` asks: the keyed ones through their key's entries, newest first,
    /// and those not keyed yet through the store's memory or, where it does not know them, by a
    /// scan of the newest rows.
    pub fn list(
        &self,
        conn: &Connection,
        query: &RecordQuery,
    ) -> anyhow::Result<Vec<ListedRecord>> {
        let (sql, params) = self.statement(query)?;
        super::rows(
            conn,
            &sql,
            rusqlite::params_from_iter(params),
            records::LISTED_COLUMNS,
            |r| records::listed(r),
        )
    }

    /// The listing statement for `query`, and its parameters.
    pub(super) fn statement(
        &self,
        query: &RecordQuery,
    ) -> anyhow::Result<(String, Vec<rusqlite::types::Value>)> {
        let key = match (&query.ticket_id, &query.reference) {
            (Some(ticket_id), _) => self.ticket(ticket_id),
            (None, Some(reference)) => self.reference(reference),
            (None, None) => anyhow::bail!("a record listing names a ticket or a reference"),
        };
        let memory = self.unkeyed(key);
        let ids = memory
            .ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut params: Vec<rusqlite::types::Value> = vec![
            key.into(),
            format!("[{ids}]").into(),
            memory.from.into(),
            memory.until.into(),
        ];
        let mut bind = |value: rusqlite::types::Value| {
            params.push(value);
            format!("?{}", params.len())
        };
        // The same conditions on both parts: on keys by nanoseconds, on rows by time key.
        let mut keyed = vec!["k.key = ?1".to_owned()];
        let mut unkeyed = vec!["true".to_owned()];
        for (column, value) in [
            ("ticket_id", &query.ticket_id),
            ("reference", &query.reference),
        ] {
            if let Some(value) = value {
                let p = bind(value.clone().into());
                keyed.push(format!("r.{column} = {p}"));
                unkeyed.push(format!("r.{column} = {p}"));
            }
        }
        if let Some(from) = query.diagnosed_from {
            keyed.push(format!("k.diagnosed_ns >= {}", bind(nanos(from).into())));
            unkeyed.push(format!("r.diagnosed_at >= {}", bind(time_key(from).into())));
        }
        if let Some(before) = query.diagnosed_before {
            keyed.push(format!("k.diagnosed_ns < {}", bind(nanos(before).into())));
            unkeyed.push(format!(
                "r.diagnosed_at < {}",
                bind(time_key(before).into())
            ));
        }
        if let Some(cursor) = &query.after {
            let id = bind(cursor.id.into());
            let ns = bind(nanos(cursor.diagnosed_at).into());
            let at = bind(time_key(cursor.diagnosed_at).into());
            keyed.push(format!(
                "(k.diagnosed_ns < {ns} OR (k.diagnosed_ns = {ns} AND k.id < {id}))"
            ));
            unkeyed.push(format!(
                "(r.diagnosed_at < {at} OR (r.diagnosed_at = {at} AND r.id < {id}))"
            ));
        }
        // Unkeyed records are those after `indexed_through`, as this statement's snapshot has it:
        // the ids from memory (?2) and the ranges before ?3 and from ?4 are each read once, even
        // when records were stored or keyed since memory was read.
        let sql = format!(
            "SELECT * FROM (
                 SELECT {columns} FROM diagnosis_record_keys k
                 JOIN diagnosis_records r ON r.id = k.id
                 WHERE {keyed}
                 ORDER BY k.diagnosed_ns DESC, k.id DESC LIMIT {limit})
             UNION ALL
             SELECT * FROM (SELECT {columns} FROM diagnosis_records r
                 WHERE r.id IN (SELECT value FROM json_each(?2)) AND r.id > {keyed_through}
                 AND {unkeyed})
             UNION ALL
             SELECT * FROM (SELECT {columns} FROM diagnosis_records r
                 WHERE r.id > {keyed_through} AND r.id < ?3 AND {unkeyed})
             UNION ALL
             SELECT * FROM (SELECT {columns} FROM diagnosis_records r
                 WHERE r.id > max({keyed_through}, ?4 - 1) AND {unkeyed})
             ORDER BY diagnosed_at DESC, id DESC LIMIT {limit}",
            keyed_through = "(SELECT indexed_through FROM diagnosis_record_index WHERE id = 1)",
            columns = QUALIFIED_COLUMNS.as_str(),
            keyed = keyed.join(" AND "),
            unkeyed = unkeyed.join(" AND "),
            limit = query.limit,
        );
        Ok((sql, params))
    }

    /// Where a listing for `key` finds the records not keyed yet. Keying holds the memory for up
    /// to a second; a listing meanwhile scans the unkeyed rows (up to [`INDEX_BATCH`]) instead.
    fn unkeyed(&self, key: i64) -> Unkeyed {
        let Ok(waiting) = self.waiting.try_lock() else {
            return Unkeyed::SCAN;
        };
        if waiting.from == i64::MIN {
            return Unkeyed::SCAN;
        }
        Unkeyed {
            ids: waiting
                .entries
                .iter()
                .filter(|(k, _, _)| *k == key)
                .map(|&(_, _, id)| id)
                .collect(),
            from: waiting.from,
            until: waiting.until,
        }
    }

    /// Deletes the (at most `limit`) oldest records made before `cutoff`, with their keys, in
    /// one transaction; how many. Records not keyed yet are keyed first, so none is missed.
    pub fn delete_before(
        &self,
        conn: &mut Connection,
        cutoff: DateTime<Utc>,
        limit: usize,
    ) -> anyhow::Result<u64> {
        self.key_waiting(conn)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let oldest: Vec<Expiring> = tx
            .prepare_cached(
                "SELECT k.id, k.diagnosed_ns, r.ticket_id, r.reference
                 FROM diagnosis_record_keys k LEFT JOIN diagnosis_records r ON r.id = k.id
                 WHERE k.key = 0 AND k.diagnosed_ns < ?1
                 ORDER BY k.diagnosed_ns, k.id LIMIT ?2",
            )?
            .query_map(
                params![nanos(cutoff), i64::try_from(limit).unwrap_or(i64::MAX)],
                |r| {
                    let text: Option<String> = r.get(2)?;
                    let reference: Option<String> = r.get(3)?;
                    Ok((r.get(0)?, r.get(1)?, text.zip(reference)))
                },
            )?
            .collect::<Result<_, _>>()?;
        {
            let mut delete_key = tx.prepare_cached(
                "DELETE FROM diagnosis_record_keys WHERE key = ?1 AND diagnosed_ns = ?2 AND id = ?3",
            )?;
            let mut delete_row =
                tx.prepare_cached("DELETE FROM diagnosis_records WHERE id = ?1")?;
            for (id, at, texts) in &oldest {
                delete_key.execute(params![AGE, at, id])?;
                if let Some((ticket_id, reference)) = texts {
                    delete_key.execute(params![self.ticket(ticket_id), at, id])?;
                    delete_key.execute(params![self.reference(reference), at, id])?;
                }
                delete_row.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(oldest.len() as u64)
    }
}

/// A record retention deletes: its id, when it was made (nanoseconds) and, unless its row is
/// gone already, its ticket id and reference.
type Expiring = (i64, i64, Option<(String, String)>);

/// `t` as nanoseconds since the epoch, the key table's order; saturating outside the years
/// 1677 to 2262, which no record's diagnosis (made by the server's clock) falls in.
fn nanos(t: DateTime<Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(if t.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// One record's insert, with the id it is given first.
static INSERT_RECORD: LazyLock<String> = LazyLock::new(|| {
    let placeholders: Vec<String> = (1..=records::RECORD_COLUMNS.len() + 1)
        .map(|n| format!("?{n}"))
        .collect();
    format!(
        "INSERT INTO diagnosis_records (id, {}) VALUES ({})",
        records::RECORD_COLUMNS.join(", "),
        placeholders.join(", ")
    )
});

/// The listed columns, of the records table `r`.
static QUALIFIED_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    records::LISTED_COLUMNS
        .iter()
        .map(|c| format!("r.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
});
