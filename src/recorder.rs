//! Case records written off the request path: a diagnosis made for a ticket hands its record to
//! a bounded buffer and answers at once; one writer task commits the buffer in batches.
//!
//! A record is in the buffer before its call is answered. The writer starts a batch with the
//! first record that arrives, waits until `flush_interval` has passed since that record's
//! diagnosis was made, and commits up to `batch` records of the buffer; records that waited
//! that long already (they came while a batch was being committed) are committed at once after
//! it. So a crash loses the records of at most the last `flush_interval` plus the commits in
//! progress. On shutdown the buffer is closed (the calls have drained by then) and everything in
//! it is written before the process exits.
//!
//! While the store cannot take a batch, the writer retries it with backoff and the buffer fills;
//! once it is full, further records are dropped, never waited for: each is counted in
//! `paydiag_records_dropped_total` (`reason="buffer_full"`) and the writer logs how many were
//! lost. Old records are deleted by [`retention`].

pub mod retention;
mod writer;

use crate::store::records::DiagnosisRecord;
use metrics::Counter;
use std::{
    sync::{
        Arc, Mutex, OnceLock, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};
use tokio::sync::{mpsc, watch};

pub use writer::Writer;

/// How records are buffered, written and kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordOptions {
    /// Most records waiting to be written (beyond the batch being written); more are dropped
    /// and counted.
    pub buffer: usize,
    /// Most records committed in one batch.
    pub batch: usize,
    /// Longest a record waits for its batch to fill before the batch is committed anyway.
    pub flush_interval: Duration,
    /// On shutdown, how long the writer keeps retrying a store that does not take the last
    /// records before it gives them up (counted, `reason="shutdown"`).
    pub shutdown_timeout: Duration,
    /// How long records are kept, counted from when the diagnosis was made.
    pub retention: Duration,
    /// How often retention deletes the records older than `retention`.
    pub retention_interval: Duration,
    /// Most records retention deletes in one transaction.
    pub retention_batch: usize,
}

impl Default for RecordOptions {
    fn default() -> Self {
        Self {
            buffer: 100_000,
            batch: 5_000,
            flush_interval: Duration::from_millis(50),
            shutdown_timeout: Duration::from_secs(10),
            retention: Duration::from_secs(400 * 24 * 3600),
            retention_interval: Duration::from_secs(3600),
            retention_batch: 500,
        }
    }
}

/// How many records were accepted, written and dropped since the server started.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RecordStats {
    /// Taken into the buffer.
    pub accepted: u64,
    /// Committed to the store.
    pub written: u64,
    /// Lost: not taken because the buffer was full, or taken but never stored (a batch the
    /// store refused as a defect, or the last records on a shutdown the store did not take).
    pub dropped: u64,
}

/// Counts shared by the recorder handles and the writer.
#[derive(Debug)]
struct Counts {
    accepted: AtomicU64,
    written: AtomicU64,
    dropped: AtomicU64,
    /// Of the dropped records, those the buffer had no room for.
    full: AtomicU64,
    /// Of those, the ones the writer has logged so far.
    logged_full: AtomicU64,
    buffer_full: OnceLock<Counter>,
    /// The records written so far, for those waiting on them.
    written_so_far: watch::Sender<u64>,
}

impl Default for Counts {
    fn default() -> Self {
        Self {
            accepted: AtomicU64::default(),
            written: AtomicU64::default(),
            dropped: AtomicU64::default(),
            full: AtomicU64::default(),
            logged_full: AtomicU64::default(),
            buffer_full: OnceLock::new(),
            written_so_far: watch::Sender::new(0),
        }
    }
}

impl Counts {
    /// Counts `n` records lost for `reason` (a label of `paydiag_records_dropped_total`).
    fn drop_records(&self, n: u64, reason: &'static str) {
        self.dropped.fetch_add(n, Ordering::Relaxed);
        let counter = || metrics::counter!("paydiag_records_dropped_total", "reason" => reason);
        if reason == writer::BUFFER_FULL {
            self.full.fetch_add(n, Ordering::Relaxed);
            // Counted on the request path: the handle is kept rather than looked up each time.
            self.buffer_full.get_or_init(counter).increment(n);
        } else {
            counter().increment(n);
        }
    }
}

/// Hands records to the writer. Cheap to clone; every clone feeds the same buffer.
#[derive(Debug, Clone)]
pub struct Recorder {
    sender: mpsc::Sender<DiagnosisRecord>,
    /// The buffer's receiving end, until the server takes it to start the writer.
    receiver: Arc<Mutex<Option<mpsc::Receiver<DiagnosisRecord>>>>,
    counts: Arc<Counts>,
    options: RecordOptions,
}

impl Recorder {
    /// A recorder whose buffer holds `options.buffer` records; nothing is written until the
    /// server takes its [`Writer`] and runs it.
    pub fn new(options: RecordOptions) -> Self {
        let (sender, receiver) = mpsc::channel(options.buffer.max(1));
        Self {
            sender,
            receiver: Arc::new(Mutex::new(Some(receiver))),
            counts: Arc::default(),
            options,
        }
    }

    /// The options it was made with.
    pub fn options(&self) -> &RecordOptions {
        &self.options
    }

    /// Buffers `record` to be written, or drops and counts it when the buffer is full (or
    /// closed, after shutdown): never waits.
    pub fn record(&self, record: DiagnosisRecord) {
        match self.sender.try_send(record) {
            Ok(()) => {
                self.counts.accepted.fetch_add(1, Ordering::Relaxed);
            }
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.counts.drop_records(1, writer::BUFFER_FULL);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                self.counts.drop_records(1, writer::SHUTDOWN);
            }
        }
    }

    /// The writer of this recorder's buffer; `None` once taken.
    pub fn take_writer(&self) -> Option<Writer> {
        let receiver = self
            .receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        Some(Writer::new(receiver, self.counts.clone(), self.options))
    }

    /// Waits until at least `records` have been written since the server started.
    pub async fn written(&self, records: u64) {
        let mut written = self.counts.written_so_far.subscribe();
        // The sender lives as long as this recorder: waiting cannot fail.
        let _ = written.wait_for(|n| *n >= records).await;
    }

    /// What was accepted, written and dropped so far.
    pub fn stats(&self) -> RecordStats {
        RecordStats {
            accepted: self.counts.accepted.load(Ordering::Relaxed),
            written: self.counts.written.load(Ordering::Relaxed),
            dropped: self.counts.dropped.load(Ordering::Relaxed),
        }
    }
}
