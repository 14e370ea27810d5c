//! Retention: case records older than `--records-retention` are deleted in the background, a
//! small batch per transaction, so that neither the writer of new records nor a fact write
//! waits long behind it. (On SQLite a deletion first keys the records waiting for their keys,
//! which holds the records file as long as a keying batch would.)

use super::RecordOptions;
use crate::store::{FactStore, SharedStore, StoreError};
use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// The pause between two deletions, in which record batches and fact writes take the store.
const PAUSE: Duration = Duration::from_millis(5);

/// Deletes the records made before `now - keep`, oldest first, at most `batch` per
/// transaction, until none is left; how many it deleted. `now` is the caller's: the background
/// task passes the clock, tests any moment they choose.
pub async fn expire(
    store: &dyn FactStore,
    now: DateTime<Utc>,
    keep: Duration,
    batch: usize,
) -> Result<u64, StoreError> {
    let cutoff = TimeDelta::from_std(keep)
        .ok()
        .and_then(|keep| now.checked_sub_signed(keep));
    let Some(cutoff) = cutoff else {
        // Kept for longer than time goes back: nothing is old enough.
        return Ok(0);
    };
    let batch = batch.max(1);
    let mut deleted = 0;
    loop {
        let n = store.delete_records_before(cutoff, batch).await?;
        deleted += n;
        if n < batch as u64 {
            return Ok(deleted);
        }
        tokio::time::sleep(PAUSE).await;
    }
}

/// Deletes expired records at once, then every `options.retention_interval`, until `stopping`.
pub async fn run(store: SharedStore, options: RecordOptions, stopping: CancellationToken) {
    loop {
        let expired = tokio::select! {
            () = stopping.cancelled() => return,
            expired = expire(&*store, Utc::now(), options.retention, options.retention_batch) => expired,
        };
        match expired {
            Ok(0) => {}
            Ok(deleted) => {
                metrics::counter!("paydiag_records_expired_total").increment(deleted);
                tracing::info!(deleted, retention = ?options.retention, "expired case records deleted");
            }
            Err(e) => {
                tracing::warn!(error = %e, "deleting expired case records failed: trying again at the next interval");
            }
        }
        tokio::select! {
            () = stopping.cancelled() => return,
            () = tokio::time::sleep(options.retention_interval) => {}
        }
    }
}
