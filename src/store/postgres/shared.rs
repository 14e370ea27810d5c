//! Connections every diagnosis shares for its one statement.
//!
//! A pooled connection serves one caller at a time: with 256 diagnoses in flight, 16 of them
//! read while the rest wait for a connection, and each read is a round trip of its own to a
//! backend process of its own. tokio-postgres pipelines the statements of every caller of one
//! client instead: they go out together, the backend answers them in order, and the answers come
//! back together, so a few connections carry every concurrent diagnosis with a fraction of the
//! system calls and context switches. Transactions (writes, batch snapshots) still take a
//! connection of their own from the pool, since a transaction cannot share its connection.

use crate::store::StoreError;
use std::{
    future::Future,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicUsize, Ordering},
    },
};
use tokio_postgres::{Client, Config, NoTls, Statement};

/// A few connections, each shared by any number of concurrent readers, opened when first
/// needed and again after one closes.
pub struct SharedReads {
    config: Config,
    statement: &'static str,
    slots: Box<[Slot]>,
    next: AtomicUsize,
}

/// One open shared connection and its prepared statement.
pub struct Reader {
    /// The connection.
    pub client: Client,
    /// The statement every reader runs, prepared on this connection.
    pub statement: Statement,
}

#[derive(Default)]
struct Slot {
    reader: Mutex<Option<Arc<Reader>>>,
    /// Held while connecting, so that callers arriving meanwhile wait for that connection
    /// instead of opening their own.
    connecting: tokio::sync::Mutex<()>,
}

impl SharedReads {
    /// `connections` shared connections to `config`'s database, each with `statement` prepared.
    pub fn new(config: Config, statement: &'static str, connections: usize) -> Self {
        Self {
            config,
            statement,
            slots: (0..connections.max(1)).map(|_| Slot::default()).collect(),
            next: AtomicUsize::new(0),
        }
    }

    /// The next connection in turn, opened (and its statement prepared) if it is not open.
    pub async fn reader(&self) -> Result<Arc<Reader>, tokio_postgres::Error> {
        let slot = &self.slots[self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len()];
        if let Some(reader) = slot.open() {
            return Ok(reader);
        }
        let _connecting = slot.connecting.lock().await;
        if let Some(reader) = slot.open() {
            return Ok(reader);
        }
        let (client, connection) = self.config.connect(NoTls).await?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "a shared PostgreSQL read connection failed");
            }
        });
        let statement = client.prepare(self.statement).await?;
        let reader = Arc::new(Reader { client, statement });
        *slot.lock() = Some(reader.clone());
        Ok(reader)
    }

    /// Runs `read` on `reader`. If the read fails as unavailable, or its caller gives up on it
    /// (a timeout), the connection is handed out no more and the next caller of its slot opens
    /// a new one: a closed connection is noticed anyway, but one that stopped answering would
    /// keep taking reads until the operating system gave up on it, minutes later. Readers
    /// still using it finish on it.
    pub async fn read<T>(
        &self,
        reader: &Arc<Reader>,
        read: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let mut pending = Pending {
            shared: self,
            reader,
            settled: false,
        };
        let result = read.await;
        pending.settled = !matches!(result, Err(StoreError::Unavailable(_)));
        result
    }

    fn discard(&self, reader: &Arc<Reader>) {
        for slot in &self.slots {
            let mut held = slot.lock();
            if held.as_ref().is_some_and(|r| Arc::ptr_eq(r, reader)) {
                *held = None;
            }
        }
    }
}

/// A read in progress: dropped unsettled, it discards its connection.
struct Pending<'a> {
    shared: &'a SharedReads,
    reader: &'a Arc<Reader>,
    settled: bool,
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.shared.discard(self.reader);
        }
    }
}

impl Slot {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<Reader>>> {
        self.reader.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn open(&self) -> Option<Arc<Reader>> {
        self.lock()
            .as_ref()
            .filter(|r| !r.client.is_closed())
            .cloned()
    }
}
