//! The watches of one replica: who watches what, within which limits, and how a change reaches
//! them.
//!
//! Each watch says which keys its diagnosis depends on (its transaction's lookup keys, its
//! account, its network). One task per replica follows the store's change feed and wakes the
//! watches that depend on a key a write touched, and every watch when changes may have been
//! missed. A watch never polls the store: it loads its facts again only when woken, or when a
//! moment comes at which its outcome can change by time alone.

use crate::clock::Clock;
use crate::store::changes::{Change, Touched};
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};
use tokio::sync::{Notify, Semaphore, SemaphorePermit, broadcast};
use tokio_util::sync::CancellationToken;

/// How many watches may run, and how long an unknown reference is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchOptions {
    /// Most watches at once on this replica.
    pub per_replica: usize,
    /// Most watches at once of one caller on this replica (anonymous callers count as one).
    pub per_caller: usize,
    /// How long a reference that names no transaction is watched for one to appear before the
    /// watch ends on NOT_FOUND.
    pub not_found_grace: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            per_replica: 10_000,
            per_caller: 1_000,
            not_found_grace: Duration::from_secs(600),
        }
    }
}

/// Which limit refused a watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchLimit {
    /// [`WatchOptions::per_replica`].
    PerReplica(usize),
    /// [`WatchOptions::per_caller`].
    PerCaller(usize),
}

/// The watches of a replica.
#[derive(Debug)]
pub struct Watches {
    options: WatchOptions,
    clock: Arc<dyn Clock>,
    registry: Mutex<Registry>,
    /// Cancelled when the server begins shutting down: every watch then ends.
    closing: CancellationToken,
    /// Places for diagnosing (see [`Watches::look`]).
    looks: Semaphore,
}

/// Watches diagnosing at once, per replica. Thousands of watches open together after a
/// restart, and one write can wake thousands: each diagnosis briefly holds its facts, its
/// rendering and the store's reply, so holding all of them at once would leave the process
/// tens of MiB larger long after the burst.
const LOOKS_AT_ONCE: usize = 64;

#[derive(Debug, Default)]
struct Registry {
    next_id: u64,
    /// Each watch's wake-up and the keys it depends on.
    watches: HashMap<u64, (Arc<Notify>, Vec<Touched>)>,
    /// The watches depending on each key.
    by_key: HashMap<Touched, HashSet<u64>>,
    by_caller: HashMap<String, usize>,
}

impl Registry {
    fn depend(&mut self, id: u64, keys: Vec<Touched>) {
        let Some((_, held)) = self.watches.get_mut(&id) else {
            return;
        };
        let old = std::mem::replace(held, keys.clone());
        for key in old.iter().filter(|k| !keys.contains(k)) {
            if let Some(ids) = self.by_key.get_mut(key) {
                ids.remove(&id);
                if ids.is_empty() {
                    self.by_key.remove(key);
                }
            }
        }
        for key in keys {
            self.by_key.entry(key).or_default().insert(id);
        }
    }
}

impl Watches {
    /// No watches yet; watches read the time from `clock`.
    pub fn new(options: WatchOptions, clock: Arc<dyn Clock>) -> Self {
        Self {
            options,
            clock,
            registry: Mutex::default(),
            closing: CancellationToken::new(),
            looks: Semaphore::new(LOOKS_AT_ONCE),
        }
    }

    /// A place for one watch's diagnosis, waited for while [`LOOKS_AT_ONCE`] others are made;
    /// held until dropped. (`None` only were the places closed, which they never are.)
    pub async fn look(&self) -> Option<SemaphorePermit<'_>> {
        self.looks.acquire().await.ok()
    }

    /// The options it was made with.
    pub fn options(&self) -> &WatchOptions {
        &self.options
    }

    /// The clock watches read.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Cancelled when the server shuts down.
    pub fn closing(&self) -> &CancellationToken {
        &self.closing
    }

    /// Ends every watch: the server is shutting down.
    pub fn close(&self) {
        self.closing.cancel();
    }

    /// How many watches run.
    pub fn len(&self) -> usize {
        self.registry().watches.len()
    }

    /// Whether no watch runs.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new watch for `caller`, depending on nothing yet; refused when a limit is reached.
    pub fn start(self: &Arc<Self>, caller: &str) -> Result<Watch, WatchLimit> {
        let mut registry = self.registry();
        if registry.watches.len() >= self.options.per_replica {
            return Err(WatchLimit::PerReplica(self.options.per_replica));
        }
        let held = registry.by_caller.get(caller).copied().unwrap_or(0);
        if held >= self.options.per_caller {
            return Err(WatchLimit::PerCaller(self.options.per_caller));
        }
        registry.by_caller.insert(caller.to_owned(), held + 1);
        let id = registry.next_id;
        registry.next_id += 1;
        let wake = Arc::new(Notify::new());
        registry.watches.insert(id, (wake.clone(), Vec::new()));
        metrics::gauge!("paydiag_watches").set(registry.watches.len() as f64);
        Ok(Watch {
            id,
            caller: caller.to_owned(),
            wake,
            watches: self.clone(),
        })
    }

    /// Follows `changes` until `stopping`, waking the watches each change concerns.
    pub async fn follow(
        self: Arc<Self>,
        mut changes: broadcast::Receiver<Change>,
        stopping: CancellationToken,
    ) {
        loop {
            let change = tokio::select! {
                change = changes.recv() => change,
                () = stopping.cancelled() => return,
            };
            match change {
                Ok(Change::Touched(keys)) => self.wake(&keys),
                Ok(Change::Unknown) => self.wake_all(),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "watches fell behind the change feed: waking all");
                    self.wake_all();
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }

    fn wake(&self, keys: &[Touched]) {
        let registry = self.registry();
        let mut woken = HashSet::new();
        for ids in keys.iter().filter_map(|key| registry.by_key.get(key)) {
            for id in ids {
                if woken.insert(*id)
                    && let Some((wake, _)) = registry.watches.get(id)
                {
                    wake.notify_one();
                }
            }
        }
    }

    fn wake_all(&self) {
        for (wake, _) in self.registry().watches.values() {
            wake.notify_one();
        }
    }
}

/// One watch's place among the replica's watches; leaving it (dropping it) frees the place.
#[derive(Debug)]
pub struct Watch {
    id: u64,
    caller: String,
    wake: Arc<Notify>,
    watches: Arc<Watches>,
}

impl Watch {
    /// Depends on `keys` from now on (and no longer on any other). Returns whether it depends
    /// on a key it did not before: a change to it may have come before it was registered.
    pub fn depend_on(&self, keys: Vec<Touched>) -> bool {
        let mut registry = self.watches.registry();
        let new = registry
            .watches
            .get(&self.id)
            .is_some_and(|(_, held)| keys.iter().any(|k| !held.contains(k)));
        registry.depend(self.id, keys);
        new
    }

    /// Returns once a key it depends on was touched since it last returned (at once if one
    /// was).
    pub async fn changed(&self) {
        self.wake.notified().await;
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut registry = self.watches.registry();
        registry.depend(self.id, Vec::new());
        registry.watches.remove(&self.id);
        if let Some(held) = registry.by_caller.get_mut(&self.caller) {
            *held -= 1;
            if *held == 0 {
                registry.by_caller.remove(&self.caller);
            }
        }
        metrics::gauge!("paydiag_watches").set(registry.watches.len() as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;
    use std::future::Future;

    fn watches(per_replica: usize, per_caller: usize) -> Arc<Watches> {
        let options = WatchOptions {
            per_replica,
            per_caller,
            ..WatchOptions::default()
        };
        Arc::new(Watches::new(options, Arc::new(SystemClock)))
    }

    /// Whether `future` is ready at its first poll.
    fn ready(future: impl Future<Output = ()>) -> bool {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        std::pin::pin!(future).poll(&mut cx).is_ready()
    }

    #[test]
    fn a_change_wakes_the_watches_that_depend_on_a_key_it_touched_and_no_other() {
        let hub = watches(10, 10);
        let on_tron = hub.start("a").expect("room");
        let on_account = hub.start("a").expect("room");
        assert!(on_tron.depend_on(vec![Touched::Network("TRON".into())]));
        assert!(on_account.depend_on(vec![Touched::Account("acct-1".into())]));
        assert!(!on_account.depend_on(vec![Touched::Account("acct-1".into())]));

        hub.wake(&[
            Touched::Network("TRON".into()),
            Touched::Network("SOL".into()),
        ]);
        assert!(ready(on_tron.changed()));
        assert!(!ready(on_tron.changed()), "one wake-up per change");
        assert!(!ready(on_account.changed()));

        hub.wake_all();
        assert!(ready(on_tron.changed()));
        assert!(ready(on_account.changed()));
    }

    #[test]
    fn watches_beyond_a_limit_are_refused_and_a_place_is_freed_when_one_ends() {
        let hub = watches(3, 2);
        let first = hub.start("a").expect("room");
        let _second = hub.start("a").expect("room");
        assert_eq!(hub.start("a").err(), Some(WatchLimit::PerCaller(2)));
        let _other = hub.start("b").expect("room");
        assert_eq!(hub.start("c").err(), Some(WatchLimit::PerReplica(3)));
        first.depend_on(vec![Touched::Transaction("R".into())]);
        drop(first);
        assert_eq!(hub.len(), 2);
        assert!(hub.registry().by_key.is_empty(), "its keys left with it");
        assert!(hub.start("a").is_ok());
    }
}
