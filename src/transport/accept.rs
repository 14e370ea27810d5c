//! The accept loop every listener shares: a cap on open connections, and a back-off when the
//! process cannot accept (out of file descriptors), logged once per interval rather than per
//! attempt.

use std::{
    io,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore},
};

/// The first pause after an accept error; each further one doubles it, up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(5);
const MAX_BACKOFF: Duration = Duration::from_secs(1);
/// The most often a listener logs that it cannot accept, or that it refused connections.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// The connection cap when none is configured: half the process's open-file limit (the store,
/// the log and the listeners need the rest), and at most 10,000 (about 300 MB of buffers).
pub fn default_max_connections() -> usize {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    let half = limit.map_or(u64::MAX, |n| n / 2);
    usize::try_from(half.clamp(1, 10_000)).unwrap_or(10_000)
}

/// Accepts connections on one listener, at most `max_connections` open at once.
pub struct Acceptor {
    listener: TcpListener,
    slots: Arc<Semaphore>,
    max_connections: usize,
    /// Names the listener in logs and metrics.
    name: &'static str,
    backoff: Duration,
    failures: Tally,
    refusals: Tally,
}

impl Acceptor {
    /// Accepts on `listener`, named `name` in logs and metrics.
    pub fn new(listener: TcpListener, max_connections: usize, name: &'static str) -> Self {
        Self {
            listener,
            slots: Arc::new(Semaphore::new(max_connections)),
            max_connections,
            name,
            backoff: Duration::ZERO,
            failures: Tally::default(),
            refusals: Tally::default(),
        }
    }

    /// The next connection within the cap, with the slot it holds until it is dropped.
    /// Connections beyond the cap are closed as soon as they are accepted.
    pub async fn accept(&mut self) -> (TcpStream, SocketAddr, OwnedSemaphorePermit) {
        loop {
            let (stream, address) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                Err(error) => {
                    self.back_off(error).await;
                    continue;
                }
            };
            if !self.backoff.is_zero() {
                self.backoff = Duration::ZERO;
                tracing::info!(listener = self.name, "accepting connections again");
            }
            if let Ok(slot) = self.slots.clone().try_acquire_owned() {
                return (stream, address, slot);
            }
            drop(stream);
            metrics::counter!("paydiag_connections_refused_total", "listener" => self.name)
                .increment(1);
            if let Some(refused) = self.refusals.note() {
                tracing::warn!(
                    listener = self.name,
                    limit = self.max_connections,
                    refused,
                    "connection limit reached: closing new connections"
                );
            }
        }
    }

    /// Pauses after an accept error, longer each time it repeats. Errors that concern one
    /// connection (it was reset before it was accepted) do not pause the listener.
    async fn back_off(&mut self, error: io::Error) {
        if matches!(
            error.kind(),
            io::ErrorKind::ConnectionAborted
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::Interrupted
                | io::ErrorKind::WouldBlock
        ) {
            return;
        }
        metrics::counter!("paydiag_accept_errors_total", "listener" => self.name).increment(1);
        self.backoff = (self.backoff * 2).clamp(MIN_BACKOFF, MAX_BACKOFF);
        if let Some(failures) = self.failures.note() {
            tracing::warn!(
                listener = self.name,
                %error,
                failures,
                backoff = ?self.backoff,
                "cannot accept connections: backing off"
            );
        }
        tokio::time::sleep(self.backoff).await;
    }
}

/// Counts events and says when to log them: the first at once, then at most once per
/// [`LOG_EVERY`] with the number since the last line.
#[derive(Debug, Default)]
struct Tally {
    unlogged: u64,
    logged_at: Option<Instant>,
}

impl Tally {
    /// Counts one event; `Some(count)` when a line is due, `count` being the events it covers.
    fn note(&mut self) -> Option<u64> {
        self.unlogged += 1;
        if self.logged_at.is_some_and(|at| at.elapsed() < LOG_EVERY) {
            return None;
        }
        self.logged_at = Some(Instant::now());
        Some(std::mem::take(&mut self.unlogged))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_logs_the_first_event_then_holds_the_rest_for_the_interval() {
        let mut tally = Tally::default();
        assert_eq!(tally.note(), Some(1));
        assert_eq!(tally.note(), None);
        assert_eq!(tally.note(), None);
        // As if the interval had passed since the first line.
        tally.logged_at = Some(Instant::now() - LOG_EVERY);
        assert_eq!(tally.note(), Some(3));
    }
}
