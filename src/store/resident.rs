//! Memory-resident copies of the small tables every diagnosis reads: the maintenance windows,
//! and the latest congestion observation of each network.
//!
//! A copy is kept correct under writes from any connection or process by generation counters:
//! the store bumps a table's counter in the same transaction as every change to the table (by
//! triggers, in SQLite and in PostgreSQL), and a reader reads the counters inside its own snapshot. A copy made at
//! the same generation is exactly the table as that snapshot sees it; at any other generation the
//! reader loads the table from its snapshot instead, and installs what it loaded when it is newer
//! than the copy, so the next reader finds it current. A write is therefore visible to the very
//! next diagnosis, and a batch shows whole or not at all, as from the table itself. Readers that
//! find the copy stale together wait for one of them to load it, rather than each loading the
//! whole table at once.

use crate::engine::model::{ALL_NETWORKS, MaintenanceWindow, NetworkCondition};
use chrono::{DateTime, Utc};
use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex, PoisonError, RwLock},
};

/// Most maintenance windows kept in memory. A store with more reads them from its indexes.
pub const MAX_RESIDENT_WINDOWS: usize = 100_000;

/// A table's generation, as read inside a snapshot.
pub type Generation = i64;

/// Every maintenance window, grouped by network.
#[derive(Debug, Default)]
pub struct Windows {
    /// Each network's windows (and those on every network, under `*`).
    by_network: HashMap<String, NetworkWindows>,
}

/// One network's windows by start time, indexed so that a lookup skips those that cleared long
/// ago: its cost follows the windows near the asked-about time, not the table's history.
#[derive(Debug, Default)]
struct NetworkWindows {
    windows: Vec<MaintenanceWindow>,
    /// `reach[i]`: the latest time any of `windows[..=i]` clears (`None`: one is still open, so
    /// never). Non-decreasing, so the windows that can still bear on a time are one suffix.
    reach: Vec<Option<DateTime<Utc>>>,
}

impl NetworkWindows {
    fn new(mut windows: Vec<MaintenanceWindow>) -> Self {
        windows.sort_by(|a, b| (a.starts_at, &a.id).cmp(&(b.starts_at, &b.id)));
        let reach = windows
            .iter()
            .scan(Some(DateTime::<Utc>::MIN_UTC), |latest, w| {
                *latest = latest.zip(w.clears_at()).map(|(l, c)| l.max(c));
                Some(*latest)
            })
            .collect();
        Self { windows, reach }
    }

    /// The windows that started by `as_of` and had not cleared at `since`.
    fn bearing_on(
        &self,
        since: DateTime<Utc>,
        as_of: DateTime<Utc>,
    ) -> impl Iterator<Item = &MaintenanceWindow> {
        // Every window before `first` cleared by `since`; every one from `started` on starts later.
        let first = self
            .reach
            .partition_point(|r| r.is_some_and(|r| r <= since));
        let started = self.windows.partition_point(|w| w.starts_at <= as_of);
        self.windows
            .get(first..started)
            .unwrap_or_default()
            .iter()
            .filter(move |w| w.clears_at().is_none_or(|clears| clears > since))
    }
}

impl Windows {
    /// Groups `windows` by network.
    pub fn new(windows: impl IntoIterator<Item = MaintenanceWindow>) -> Self {
        let mut grouped: HashMap<String, Vec<MaintenanceWindow>> = HashMap::new();
        for w in windows {
            grouped.entry(w.network.clone()).or_default().push(w);
        }
        let by_network = grouped
            .into_iter()
            .map(|(network, list)| (network, NetworkWindows::new(list)))
            .collect();
        Self { by_network }
    }

    /// The windows on `network` or on every network that started by `as_of` and had not
    /// cleared at `since`: what [`crate::store::FactStore::load_facts`] documents.
    pub fn bearing_on(
        &self,
        network: &str,
        since: DateTime<Utc>,
        as_of: DateTime<Utc>,
    ) -> Vec<MaintenanceWindow> {
        [network, ALL_NETWORKS]
            .into_iter()
            .take(if network == ALL_NETWORKS { 1 } else { 2 })
            .filter_map(|n| self.by_network.get(n))
            .flat_map(|list| list.bearing_on(since, as_of))
            .cloned()
            .collect()
    }
}

/// The latest congestion observation of each network.
#[derive(Debug, Default)]
pub struct Conditions {
    latest: HashMap<String, NetworkCondition>,
}

impl Conditions {
    /// Keeps the latest of `observations` per network.
    pub fn new(observations: impl IntoIterator<Item = NetworkCondition>) -> Self {
        let mut latest: HashMap<String, NetworkCondition> = HashMap::new();
        for c in observations {
            match latest.get(&c.network) {
                Some(kept) if kept.observed_at >= c.observed_at => {}
                _ => {
                    latest.insert(c.network.clone(), c);
                }
            }
        }
        Self { latest }
    }

    /// The latest observation of `network` made by `as_of`: `Some` with the answer (which may be
    /// none), or `None` when the latest observation is after `as_of`, so that an older one must
    /// be looked up in the table.
    pub fn latest_by(
        &self,
        network: &str,
        as_of: DateTime<Utc>,
    ) -> Option<Option<NetworkCondition>> {
        match self.latest.get(network) {
            None => Some(None),
            Some(c) if c.observed_at <= as_of => Some(Some(c.clone())),
            Some(_) => None,
        }
    }
}

/// One resident table: its copy and the generation it was made at.
#[derive(Debug)]
pub struct Resident<T> {
    copy: RwLock<Option<(Generation, Arc<T>)>>,
    /// Held while loading the table, so that when a write makes the copy stale, the readers
    /// that find it so wait for one load instead of each loading the whole table at once: by
    /// readers on threads (SQLite's), and by readers in tasks (PostgreSQL's), which must not
    /// block their thread while they wait.
    loading: Mutex<()>,
    loading_async: tokio::sync::Mutex<()>,
}

impl<T> Default for Resident<T> {
    fn default() -> Self {
        Self {
            copy: RwLock::new(None),
            loading: Mutex::new(()),
            loading_async: tokio::sync::Mutex::new(()),
        }
    }
}

impl<T> Resident<T> {
    /// The copy made at `generation`, if that is the one held.
    pub fn at(&self, generation: Generation) -> Option<Arc<T>> {
        let copy = self.copy.read().unwrap_or_else(|e| e.into_inner());
        match &*copy {
            Some((held, table)) if *held == generation => Some(Arc::clone(table)),
            _ => None,
        }
    }

    /// The copy at `generation`, loading it with `load` when the held one is not at that
    /// generation. What is loaded replaces the held copy only if it is newer, so a reader on an
    /// older snapshot never sets the copy back.
    ///
    /// One reader loads at a time; the others wait for it and take its copy when it is at
    /// their generation (a reader on another snapshot still loads its own). For readers on
    /// threads that may block; [`Resident::get_or_load_async`] is the same for tasks.
    pub fn get_or_load<E>(
        &self,
        generation: Generation,
        load: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        if let Some(table) = self.at(generation) {
            return Ok(table);
        }
        let _loading = self.loading.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(table) = self.at(generation) {
            return Ok(table);
        }
        Ok(self.install(generation, load()?))
    }

    /// [`Resident::get_or_load`], waiting for another reader's load without blocking a thread.
    pub async fn get_or_load_async<E>(
        &self,
        generation: Generation,
        load: impl Future<Output = Result<T, E>>,
    ) -> Result<Arc<T>, E> {
        if let Some(table) = self.at(generation) {
            return Ok(table);
        }
        let _loading = self.loading_async.lock().await;
        if let Some(table) = self.at(generation) {
            return Ok(table);
        }
        Ok(self.install(generation, load.await?))
    }

    /// Offers `table`, loaded at `generation`: it replaces the held copy only if it is newer,
    /// so a reader on an older snapshot never sets the copy back.
    pub fn install(&self, generation: Generation, table: T) -> Arc<T> {
        let table = Arc::new(table);
        let mut copy = self.copy.write().unwrap_or_else(|e| e.into_inner());
        if copy.as_ref().is_none_or(|(held, _)| *held < generation) {
            *copy = Some((generation, Arc::clone(&table)));
        }
        table
    }
}

/// The generations of the resident tables as one snapshot read them: maintenance windows, then
/// network conditions.
pub type Generations = (Generation, Generation);

/// A store's resident tables, shared by all its connections.
#[derive(Debug)]
pub struct ResidentTables {
    /// `None` at a generation when there were more windows than `window_limit`.
    pub windows: Resident<Option<Windows>>,
    /// Most windows kept in memory.
    pub window_limit: usize,
    /// The latest observation of each network.
    pub conditions: Resident<Conditions>,
}

impl ResidentTables {
    /// Empty, keeping at most `window_limit` windows in memory.
    pub fn new(window_limit: usize) -> Self {
        Self {
            windows: Resident::default(),
            window_limit,
            conditions: Resident::default(),
        }
    }

    /// The copies held at `generations`, if both are.
    pub fn held_at(&self, (windows, conditions): Generations) -> Option<Tables> {
        Some(Tables {
            windows: self.windows.at(windows)?,
            conditions: self.conditions.at(conditions)?,
        })
    }
}

/// The resident tables as one snapshot holds them.
pub struct Tables {
    /// `None` when the windows are too many to keep in memory: read them from the table.
    pub windows: Arc<Option<Windows>>,
    /// The latest observation of each network.
    pub conditions: Arc<Conditions>,
}

impl Tables {
    /// The windows bearing on `network` since `since` and its congestion by `as_of`, from
    /// memory; `None` when memory cannot answer (too many windows to hold, or a congestion
    /// observation older than the latest).
    pub fn answer(
        &self,
        network: &str,
        since: DateTime<Utc>,
        as_of: DateTime<Utc>,
    ) -> Option<(Vec<MaintenanceWindow>, Option<NetworkCondition>)> {
        let windows = self.windows.as_ref().as_ref()?;
        let condition = self.conditions.latest_by(network, as_of)?;
        Some((windows.bearing_on(network, since, as_of), condition))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::MaintenanceType;
    use chrono::TimeDelta;

    fn at(hour: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + TimeDelta::hours(hour)
    }

    fn window(id: &str, network: &str, starts: i64, ends: Option<i64>) -> MaintenanceWindow {
        MaintenanceWindow {
            id: id.to_owned(),
            network: network.to_owned(),
            kinds: Vec::new(),
            maintenance_type: MaintenanceType::Scheduled,
            starts_at: at(starts),
            ends_at: ends.map(at),
            backlog_drain: TimeDelta::hours(1),
            title: id.to_owned(),
        }
    }

    fn ids(windows: &[MaintenanceWindow]) -> Vec<&str> {
        windows.iter().map(|w| w.id.as_str()).collect()
    }

    #[test]
    fn windows_bearing_on_a_network_are_its_own_and_every_networks_started_and_not_cleared() {
        let windows = Windows::new([
            window("late", "TRON", 20, None),
            window("open", "TRON", 5, None),
            window("cleared", "TRON", 1, Some(2)), // clears at hour 3
            window("clearing", "TRON", 2, Some(9)), // clears at hour 10
            window("everywhere", "*", 4, Some(5)), // clears at hour 6
            window("elsewhere", "ETH", 1, None),
        ]);
        assert_eq!(
            ids(&windows.bearing_on("TRON", at(3), at(10))),
            ["clearing", "open", "everywhere"]
        );
        // Clearing exactly at `since` no longer bears on it.
        assert_eq!(ids(&windows.bearing_on("TRON", at(10), at(10))), ["open"]);
        assert_eq!(
            ids(&windows.bearing_on("BTC", at(0), at(30))),
            ["everywhere"]
        );
        assert_eq!(ids(&windows.bearing_on("*", at(0), at(30))), ["everywhere"]);
    }

    #[test]
    fn a_long_window_keeps_later_cleared_ones_in_reach_and_an_open_one_keeps_all() {
        let history: Vec<_> = (0..50)
            .map(|h| window(&format!("w{h:02}"), "TRON", h * 2, Some(h * 2 + 1)))
            .collect();
        // w00..w49 each clear at 2h + 2; "long" (hour 10 to 60, clears at 61) spans many of them.
        let mut windows = history.clone();
        windows.push(window("long", "TRON", 10, Some(60)));
        let windows = Windows::new(windows);
        assert_eq!(
            ids(&windows.bearing_on("TRON", at(57), at(62))),
            ["long", "w28", "w29", "w30", "w31"]
        );
        assert!(windows.bearing_on("TRON", at(200), at(300)).is_empty());

        let mut windows = history;
        windows.push(window("open", "TRON", 3, None));
        let windows = Windows::new(windows);
        assert_eq!(
            ids(&windows.bearing_on("TRON", at(97), at(99))),
            ["open", "w48", "w49"]
        );
        assert!(windows.bearing_on("TRON", at(0), at(-1)).is_empty());
    }

    #[test]
    fn the_latest_condition_answers_only_from_its_observation_on() {
        let condition = |network: &str, hour: i64, factor: f64| NetworkCondition {
            network: network.to_owned(),
            congestion_factor: factor,
            observed_at: at(hour),
        };
        let conditions = Conditions::new([
            condition("TRON", 5, 2.0),
            condition("TRON", 7, 3.0),
            condition("TRON", 6, 4.0),
        ]);
        assert_eq!(
            conditions.latest_by("TRON", at(8)),
            Some(Some(condition("TRON", 7, 3.0)))
        );
        assert_eq!(
            conditions.latest_by("TRON", at(6)),
            None,
            "must ask the table"
        );
        assert_eq!(conditions.latest_by("ETH", at(6)), Some(None));
    }

    #[test]
    fn a_copy_is_used_at_its_generation_and_never_replaced_by_an_older_one() {
        let resident = Resident::<u32>::default();
        let load = |n: u32| move || Ok::<_, ()>(n);
        assert_eq!(*resident.get_or_load(2, load(20)).unwrap(), 20);
        assert_eq!(*resident.get_or_load(2, load(99)).unwrap(), 20, "reused");
        // A reader on an older snapshot gets its own generation's table, and leaves the copy.
        assert_eq!(*resident.get_or_load(1, load(10)).unwrap(), 10);
        assert_eq!(resident.at(2).as_deref(), Some(&20));
        assert_eq!(*resident.get_or_load(3, load(30)).unwrap(), 30);
        assert_eq!(resident.at(3).as_deref(), Some(&30));
        assert!(resident.at(2).is_none());
    }

    /// How long a load takes in the tests below: long enough for every reader to find the
    /// copy stale while it runs.
    const SLOW_LOAD: std::time::Duration = std::time::Duration::from_millis(50);

    #[test]
    fn readers_on_threads_that_find_the_copy_stale_together_wait_for_one_load() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let resident = Arc::new(Resident::<u32>::default());
        let loads = Arc::new(AtomicU32::new(0));
        let readers: Vec<_> = (0..8)
            .map(|_| {
                let (resident, loads) = (resident.clone(), loads.clone());
                std::thread::spawn(move || {
                    let load = || {
                        loads.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(SLOW_LOAD);
                        Ok::<_, ()>(7)
                    };
                    *resident.get_or_load(1, load).expect("loaded")
                })
            })
            .collect();
        for reader in readers {
            assert_eq!(reader.join().expect("a reader"), 7);
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_in_tasks_that_find_the_copy_stale_together_wait_for_one_load() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let resident = Arc::new(Resident::<u32>::default());
        let loads = Arc::new(AtomicU32::new(0));
        let mut readers = tokio::task::JoinSet::new();
        for _ in 0..64 {
            let (resident, loads) = (resident.clone(), loads.clone());
            readers.spawn(async move {
                let load = async {
                    loads.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(SLOW_LOAD).await;
                    Ok::<_, ()>(7)
                };
                *resident.get_or_load_async(1, load).await.expect("loaded")
            });
        }
        while let Some(read) = readers.join_next().await {
            assert_eq!(read.expect("a reader"), 7);
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        // Readers at another generation still load their own.
        let newer = resident
            .get_or_load_async(2, async { Ok::<_, ()>(8) })
            .await;
        assert_eq!(*newer.expect("loaded"), 8);
    }
}
