//! The SQLite store's cost of case records, alone: into a file already holding some records,
//! write more in batches through `FactStore::put_records`, as the recorder's writer does, and
//! time the CPU it takes (keying included).

use crate::servers;
use chrono::{DateTime, TimeDelta, Utc};
use paydiag::engine::diagnosis::{Action, Cause};
use paydiag::store::{
    FactStore,
    records::{DiagnosisRecord, RecordBatch, RecordSource},
    sqlite::SqliteStore,
};
use std::{path::Path, time::Instant};

/// What writing the records cost.
#[derive(Debug, Clone, Copy)]
pub struct RecordWrites {
    /// Records in the file before the measured ones.
    pub before: usize,
    /// Records written while measured.
    pub written: usize,
    /// Records per commit.
    pub batch: usize,
    /// CPU time a record, in µs.
    pub cpu_us: f64,
    /// Wall time a record, in µs.
    pub wall_us: f64,
}

/// Fills a new SQLite file at `path` with `before` records, then writes `written` more,
/// `batch` a commit, and measures them.
pub async fn measure(
    path: &Path,
    before: usize,
    written: usize,
    batch: usize,
) -> anyhow::Result<RecordWrites> {
    let store = SqliteStore::open(path, 2).await?;
    let mut made = Records::default();
    while made.count < before {
        let n = (before - made.count).min(5_000);
        store.put_records(made.next(n)).await?;
    }
    let batches: Vec<RecordBatch> = (0..written.div_ceil(batch))
        .map(|_| made.next(batch))
        .collect();
    let written = batches.iter().map(|b| b.len()).sum::<usize>();
    let (cpu, wall) = (servers::cpu_time().servers, Instant::now());
    for batch in batches {
        store.put_records(batch).await?;
    }
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / written.max(1) as f64;
    Ok(RecordWrites {
        before,
        written,
        batch,
        cpu_us: per(servers::cpu_time().servers.saturating_sub(cpu)),
        wall_us: per(wall.elapsed()),
    })
}

/// Records as the load benchmark's Diagnose calls make them: 256 workers, each opening a new
/// ticket every third call, about references spread over 100,000 transactions.
#[derive(Debug, Default)]
struct Records {
    count: usize,
    random: u64,
}

impl Records {
    fn next(&mut self, n: usize) -> RecordBatch {
        let start = DateTime::<Utc>::UNIX_EPOCH + TimeDelta::days(20_000);
        (0..n)
            .map(|_| {
                self.count += 1;
                // A linear congruential generator: the same references on every run.
                self.random = self
                    .random
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let worker = self.count % 256;
                let at = start + TimeDelta::microseconds(self.count as i64 * 100);
                DiagnosisRecord {
                    ticket_id: format!("BENCH-{worker}-{}", self.count / 768),
                    reference: format!("BENCH-TX-{:08}", (self.random >> 33) % 100_000),
                    tx_hash: None,
                    as_of: at,
                    diagnosed_at: at,
                    cause: Cause::ConfirmationDelay,
                    contributing_causes: Vec::new(),
                    action: Action::Wait,
                    recheck_at: Some(at + TimeDelta::minutes(10)),
                    expected_resolution_at: Some(at + TimeDelta::minutes(10)),
                    ruleset_version: "2026.11+bench".to_owned(),
                    caller: "bench".to_owned(),
                    source: RecordSource::Diagnose,
                    routing: None,
                }
            })
            .collect::<Vec<_>>()
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paydiag::store::records::RecordQuery;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn it_writes_the_records_it_says_into_a_file_holding_the_others() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("records.db");
        let measured = measure(&path, 1_200, 700, 500).await.expect("measuring");
        assert_eq!(
            (measured.before, measured.written, measured.batch),
            (1_200, 1_000, 500)
        );
        assert!(measured.cpu_us > 0.0, "{measured:?}");
        // 2,200 records in all (700 rounded up to two batches): the last is its ticket's newest.
        let store = SqliteStore::open(&path, 1).await.expect("reopening");
        let listed = store
            .list_records(&RecordQuery {
                ticket_id: Some(format!("BENCH-{}-{}", 2_200 % 256, 2_200 / 768)),
                limit: 1,
                ..RecordQuery::default()
            })
            .await
            .expect("listing");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, 2_200);
    }
}
