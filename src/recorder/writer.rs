//! The one task that commits buffered case records to the store, in batches.

use super::{Counts, RecordOptions};
use crate::store::{
    SharedStore, StoreError,
    records::{DiagnosisRecord, RecordBatch},
};
use chrono::Utc;
use std::{
    sync::{Arc, atomic::Ordering},
    time::Duration,
};
use tokio::{sync::mpsc, time::Instant};
use tokio_util::sync::CancellationToken;

/// `reason` of a record dropped because the buffer was full.
pub(super) const BUFFER_FULL: &str = "buffer_full";
/// `reason` of records dropped because the store refused their batch as a defect.
const WRITE_FAILED: &str = "write_failed";
/// `reason` of records dropped at shutdown: made after the buffer closed, or not taken by the
/// store within the shutdown timeout.
pub(super) const SHUTDOWN: &str = "shutdown";

/// The first wait before a batch the store refused is tried again; it doubles up to
/// [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(50);
/// The longest wait between tries while the store is away.
const MAX_BACKOFF: Duration = Duration::from_secs(1);
/// Tries of a batch the store refuses as a defect (not as unavailable) before it is dropped:
/// such a batch would never be taken, and would hold up every record after it.
const DEFECT_TRIES: u32 = 3;

/// What became of a batch the writer committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Committed {
    Stored,
    /// Refused as a defect and dropped; the store may take the next batch.
    Refused,
    /// Not taken before the shutdown timeout: dropped, the store given up on.
    TimedOut,
}

/// Commits a recorder's buffer; see [`Writer::run`].
#[derive(Debug)]
pub struct Writer {
    receiver: mpsc::Receiver<DiagnosisRecord>,
    counts: Arc<Counts>,
    options: RecordOptions,
    /// Whether the last try failed: a recovery is logged once, as the failure was.
    failing: bool,
    /// When the writer gives up on the store, once closing.
    give_up_at: Option<Instant>,
}

impl Writer {
    pub(super) fn new(
        receiver: mpsc::Receiver<DiagnosisRecord>,
        counts: Arc<Counts>,
        options: RecordOptions,
    ) -> Self {
        Self {
            receiver,
            counts,
            options,
            failing: false,
            give_up_at: None,
        }
    }

    /// Commits batches to `store` until `closing`; then closes the buffer and commits all it
    /// holds, retrying a store that refuses for at most the shutdown timeout.
    pub async fn run(mut self, store: SharedStore, closing: CancellationToken) {
        let mut batch = Vec::new();
        while self.fill(&mut batch, &closing).await {
            self.commit(&store, &mut batch, &closing).await;
        }
        self.finish(&store, batch, &closing).await;
    }

    /// Fills `batch` from the buffer: waits for a first record, then until it has waited the
    /// flush interval since its diagnosis was made (one that came during the last commit may
    /// have waited all of it already), then takes what the buffer holds, up to a batch. It
    /// sleeps meanwhile rather than waking for each record that comes: at thousands of records
    /// a second, one wake per batch instead of one per record. False when closing, or when
    /// every recorder is gone.
    async fn fill(
        &mut self,
        batch: &mut Vec<DiagnosisRecord>,
        closing: &CancellationToken,
    ) -> bool {
        let size = self.options.batch.max(1);
        if batch.is_empty() {
            tokio::select! {
                record = self.receiver.recv() => match record {
                    Some(record) => batch.push(record),
                    None => return false,
                },
                () = closing.cancelled() => return false,
            }
        }
        let wait = self.wait_left(&batch[0]);
        if !wait.is_zero() && batch.len() < size {
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = closing.cancelled() => return false,
            }
        }
        while batch.len() < size {
            match self.receiver.try_recv() {
                Ok(record) => batch.push(record),
                Err(_) => break,
            }
        }
        true
    }

    /// How much longer `oldest` may wait for its batch to fill.
    fn wait_left(&self, oldest: &DiagnosisRecord) -> Duration {
        let waited = (Utc::now() - oldest.diagnosed_at)
            .to_std()
            .unwrap_or_default();
        self.options.flush_interval.saturating_sub(waited)
    }

    /// Commits `batch`, retrying with backoff while the store refuses it, and empties it.
    async fn commit(
        &mut self,
        store: &SharedStore,
        batch: &mut Vec<DiagnosisRecord>,
        closing: &CancellationToken,
    ) -> Committed {
        // Shared with the store for each try, so that it is kept while the store works from it.
        let shared: RecordBatch = std::mem::take(batch).into();
        let records = shared.len();
        let mut backoff = MIN_BACKOFF;
        let mut defects = 0;
        loop {
            let error = match store.put_records(shared.clone()).await {
                Ok(()) => {
                    self.written(records);
                    return Committed::Stored;
                }
                Err(e) => e,
            };
            self.failed(&error, records);
            if matches!(error, StoreError::Internal(_)) {
                defects += 1;
                if defects >= DEFECT_TRIES {
                    tracing::error!(error = %error, records, "case records dropped: the store refuses their batch");
                    self.counts.drop_records(records as u64, WRITE_FAILED);
                    return Committed::Refused;
                }
            }
            let give_up_at = self.give_up_at(closing);
            if give_up_at.is_some_and(|at| Instant::now() + backoff > at) {
                tracing::error!(error = %error, records, timeout = ?self.options.shutdown_timeout, "case records dropped: the store did not take them before shutdown");
                self.counts.drop_records(records as u64, SHUTDOWN);
                return Committed::TimedOut;
            }
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                // Closing starts the shutdown timeout at once.
                () = closing.cancelled(), if self.give_up_at.is_none() => {}
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Once closing, when to give up on the store.
    fn give_up_at(&mut self, closing: &CancellationToken) -> Option<Instant> {
        if closing.is_cancelled() && self.give_up_at.is_none() {
            self.give_up_at = Some(Instant::now() + self.options.shutdown_timeout);
        }
        self.give_up_at
    }

    fn written(&mut self, records: usize) {
        let total = self
            .counts
            .written
            .fetch_add(records as u64, Ordering::Relaxed)
            + records as u64;
        self.counts.written_so_far.send_replace(total);
        metrics::counter!("paydiag_records_written_total").increment(records as u64);
        if std::mem::take(&mut self.failing) {
            tracing::info!("case records are written again");
        }
        self.log_full_buffer();
    }

    fn failed(&mut self, error: &StoreError, records: usize) {
        if !std::mem::replace(&mut self.failing, true) {
            tracing::warn!(error = %error, records, buffer = self.options.buffer, "case records cannot be written: keeping them in the buffer and retrying");
        }
        self.log_full_buffer();
    }

    /// Logs the records dropped for a full buffer since the last time it did.
    fn log_full_buffer(&self) {
        let full = self.counts.full.load(Ordering::Relaxed);
        let logged = self.counts.logged_full.swap(full, Ordering::Relaxed);
        if full > logged {
            tracing::warn!(
                dropped = full - logged,
                dropped_total = full,
                buffer = self.options.buffer,
                "case records dropped: the buffer was full (see paydiag_records_dropped_total)"
            );
        }
    }

    /// Closes the buffer and commits everything in it, `batch` first.
    async fn finish(
        mut self,
        store: &SharedStore,
        mut batch: Vec<DiagnosisRecord>,
        closing: &CancellationToken,
    ) {
        self.receiver.close();
        let size = self.options.batch.max(1);
        let mut timed_out = false;
        loop {
            while batch.len() < size {
                match self.receiver.try_recv() {
                    Ok(record) => batch.push(record),
                    Err(_) => break,
                }
            }
            if batch.is_empty() {
                break;
            }
            if timed_out {
                // Given up on the store: the rest is lost too, and counted.
                self.counts.drop_records(batch.len() as u64, SHUTDOWN);
                batch.clear();
            } else {
                // A batch refused as a defect is dropped alone: the store takes the others.
                timed_out = self.commit(store, &mut batch, closing).await == Committed::TimedOut;
            }
        }
        self.log_full_buffer();
        let written = self.counts.written.load(Ordering::Relaxed);
        let dropped = self.counts.dropped.load(Ordering::Relaxed);
        tracing::info!(
            written,
            dropped,
            "case record writer stopped, its buffer written"
        );
    }
}
