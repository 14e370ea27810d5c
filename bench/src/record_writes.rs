//! A store's cost of case records, alone: into a store already holding some records, write
//! more in batches through `FactStore::put_records`, as the recorder's writer does, and time
//! the CPU it takes: this process's (SQLite keys the records in it) and the whole machine's
//! (PostgreSQL stores them in its own processes), keying and indexing included.

use crate::{postgres, servers};
use chrono::{DateTime, TimeDelta, Utc};
use paydiag::engine::diagnosis::{Action, Cause};
use paydiag::store::{
    FactStore,
    postgres::{PostgresConfig, PostgresStore},
    records::{DiagnosisRecord, RecordBatch, RecordQuery, RecordSource},
    sqlite::SqliteStore,
};
use std::{
    path::Path,
    time::{Duration, Instant},
};

/// What writing the records cost.
#[derive(Debug, Clone, Copy)]
pub struct RecordWrites {
    /// Records in the store before the measured ones.
    pub before: usize,
    /// Records written while measured.
    pub written: usize,
    /// Records per commit.
    pub batch: usize,
    /// This process's CPU time a record, in µs.
    pub cpu_us: f64,
    /// The whole machine's CPU time a record, in µs: every process's, the database's included.
    pub machine_cpu_us: f64,
    /// Wall time a record, in µs.
    pub wall_us: f64,
}

/// Measures the store `--postgres` names (in a schema of the benchmark's own, dropped after),
/// or else a new SQLite file at `path`; returns the store's name with the figures.
pub async fn measure_store(
    postgres: Option<&str>,
    path: &Path,
    before: usize,
    written: usize,
    batch: usize,
) -> anyhow::Result<(&'static str, RecordWrites)> {
    let Some(url) = postgres else {
        let store = SqliteStore::open(path, 2).await?;
        return Ok(("SQLite", measure(&store, before, written, batch).await?));
    };
    let schema = postgres::Schema::create(url).await?;
    let measured = async {
        let store = PostgresStore::connect(&PostgresConfig {
            url: schema.url(),
            pool_size: 2,
            acquire_timeout: Duration::from_secs(10),
            operation_timeout: Duration::from_secs(60),
        })
        .await?;
        measure(&store, before, written, batch).await
    }
    .await;
    schema.drop().await?;
    Ok(("PostgreSQL", measured?))
}

/// Fills `store` with `before` records, then writes `written` more, `batch` a commit, and
/// measures them.
pub async fn measure(
    store: &impl FactStore,
    before: usize,
    written: usize,
    batch: usize,
) -> anyhow::Result<RecordWrites> {
    let mut made = Records::default();
    while made.count < before {
        let n = (before - made.count).min(5_000);
        store.put_records(made.next(n)).await?;
    }
    let batches: Vec<RecordBatch> = (0..written.div_ceil(batch))
        .map(|_| made.next(batch))
        .collect();
    let written = batches.iter().map(|b| b.len()).sum::<usize>();
    let (cpu, machine, wall) = (servers::cpu_time().servers, machine_busy()?, Instant::now());
    for batch in batches {
        store.put_records(batch).await?;
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / written.max(1) as f64;
    let measured = RecordWrites {
        before,
        written,
        batch,
        cpu_us: per(servers::cpu_time().servers.saturating_sub(cpu)),
        machine_cpu_us: per(machine_busy()?.saturating_sub(machine)),
        wall_us: per(wall.elapsed()),
    };
    // Every record went in, in order: the last one made is its ticket's newest, with the last id.
    let last = made.count;
    let listed = store
        .list_records(&RecordQuery {
            ticket_id: Some(Records::ticket_of(last)),
            limit: 1,
            ..RecordQuery::default()
        })
        .await?;
    anyhow::ensure!(
        listed.first().map(|r| r.id) == Some(last as i64),
        "the store lists {:?} as the newest record of the last ticket, not record {last}",
        listed.first().map(|r| r.id)
    );
    Ok(measured)
}

/// The CPU time every process on the machine has used since boot: the busy fields of
/// `/proc/stat`'s first line (user, nice, system, irq, softirq; not steal, the time a virtual
/// machine's host ran something else), in clock ticks of 10 ms, the tick every Linux kernel
/// built for x86_64 and arm64 reports in.
fn machine_busy() -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let fields: Vec<u64> = stat
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("cpu "))
        .map(|line| {
            line.split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    anyhow::ensure!(fields.len() >= 7, "/proc/stat has no CPU line");
    let busy: u64 = [0, 1, 2, 5, 6].iter().map(|&i| fields[i]).sum();
    Ok(Duration::from_millis(busy * 10))
}

/// Records as the load benchmark's Diagnose calls make them: 256 workers, each opening a new
/// ticket every third call, about references spread over 100,000 transactions.
#[derive(Debug, Default)]
struct Records {
    count: usize,
    random: u64,
}

impl Records {
    /// The ticket of the `n`th record made, counting from 1.
    fn ticket_of(n: usize) -> String {
        format!("BENCH-{}-{}", n % 256, n / 768)
    }

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
                let at = start + TimeDelta::microseconds(self.count as i64 * 100);
                DiagnosisRecord {
                    ticket_id: Self::ticket_of(self.count),
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn it_writes_the_records_it_says_into_a_file_holding_the_others() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("records.db");
        let store = SqliteStore::open(&path, 2).await.expect("opening");
        let measured = measure(&store, 1_200, 700, 500).await.expect("measuring");
        drop(store);
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
