//! The servers under test: real paydiag servers on loopback, in this process, configured the
//! way `paydiag serve` configures them, with logs and metrics switched on.

use super::fixed::FixedAnswer;
use anyhow::Context as _;
use paydiag::{
    api::AppState,
    clock::SystemClock,
    engine::policy::RuleSet,
    recorder::Recorder,
    server::{self, ServerOptions},
    store::{self, StoreConfig},
    telemetry::{self, WriterGuard},
    watch::WatchOptions,
};
use std::{net::SocketAddr, path::Path, time::Duration};
use tokio::{runtime::Runtime, sync::oneshot, task::JoinHandle};

/// The options every server runs with: the defaults, without the per-caller rate limit and with
/// in-flight limits far above the offered load, so that nothing is shed.
pub fn options() -> ServerOptions {
    ServerOptions {
        rate_limit_per_second: 0,
        max_calls_per_connection: 100_000,
        max_calls_in_flight: 1_000_000,
        ..ServerOptions::default()
    }
}

/// Logs at `info` (or `RUST_LOG`) to `path` through the same writer thread `paydiag serve`
/// uses for stderr: every call still pays for its log lines, but no terminal slows the writer
/// down.
pub fn init_logging(path: &Path) -> anyhow::Result<WriterGuard> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("creating the log file {}", path.display()))?;
    let (writer, guard) = telemetry::log_writer(file).context("starting the log writer")?;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|e| anyhow::anyhow!("installing the log subscriber: {e}"))?;
    Ok(guard)
}

/// A server running on `runtime`.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where its diagnoses made for a ticket leave their records.
    pub recorder: Recorder,
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Server {
    /// Opens (creating) the store `db` names, a SQLite file or a `postgres://` URL, with the
    /// `paydiag serve` defaults, and serves it on 127.0.0.1, port chosen by the system, with
    /// `options`; `fixed` answers Diagnose in place of the store, if given.
    pub fn start(
        runtime: &Runtime,
        db: String,
        fixed: Option<FixedAnswer>,
        options: ServerOptions,
    ) -> anyhow::Result<Self> {
        Self::start_watching(runtime, db, fixed, options, WatchOptions::default())
    }

    /// [`Server::start`], its watches kept to `watches`.
    pub fn start_watching(
        runtime: &Runtime,
        db: String,
        fixed: Option<FixedAnswer>,
        options: ServerOptions,
        watches: WatchOptions,
    ) -> anyhow::Result<Self> {
        let config = StoreConfig {
            db,
            pool_size: 16,
            acquire_timeout: Duration::from_secs(2),
            operation_timeout: Duration::from_secs(5),
        };
        runtime.block_on(async {
            let store = store::open(&config).await?;
            let state = AppState::new(store, RuleSet::shipped())?
                .watching(watches, std::sync::Arc::new(SystemClock));
            let recorder = state.recorder.clone();
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
            let addr = listener.local_addr()?;
            let (stop, stopped) = oneshot::channel::<()>();
            let stopped = async {
                let _ = stopped.await;
            };
            let task = match fixed {
                Some(fixed) => {
                    tokio::spawn(server::run_with(listener, state, fixed, options, stopped))
                }
                None => tokio::spawn(server::run(listener, state, options, stopped)),
            };
            Ok(Self {
                addr,
                recorder,
                stop,
                task,
            })
        })
    }

    /// Shuts the server down and waits for it (at most a few seconds).
    pub fn stop(self, runtime: &Runtime) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        runtime.block_on(async {
            match tokio::time::timeout(Duration::from_secs(10), self.task).await {
                Ok(joined) => joined.context("server task")?,
                Err(_) => anyhow::bail!("the server did not stop within 10 s"),
            }
        })
    }
}

/// Resident and peak resident memory of this process, in MiB (`/proc/self/status`). The
/// servers and the load generator share the process, so this is an upper bound for the server.
pub fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The load generator's runtime threads are named this; every other thread of the process
/// works for the servers (their runtime, its blocking pool, the log writer) or idles.
pub const CLIENT_THREAD: &str = "bench-client";

/// CPU time used so far by the threads of this process, split into the servers' and the load
/// generator's (`/proc/self/task/*/schedstat`, nanoseconds on a CPU). Threads that have exited
/// are not counted: take both readings of a difference within a few seconds, while the pools'
/// threads are kept alive by work.
pub fn cpu_time() -> CpuTime {
    let mut time = CpuTime::default();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return time;
    };
    for task in tasks.flatten() {
        let path = task.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let schedstat = std::fs::read_to_string(path.join("schedstat")).unwrap_or_default();
        let nanos: u64 = schedstat
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if comm.trim_end() == CLIENT_THREAD {
            time.client += Duration::from_nanos(nanos);
        } else {
            time.servers += Duration::from_nanos(nanos);
        }
    }
    time
}

/// CPU time used by the servers and by the load generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuTime {
    /// The servers' threads.
    pub servers: Duration,
    /// The load generator's threads.
    pub client: Duration,
}

impl CpuTime {
    /// The time used since `earlier`.
    pub fn since(self, earlier: CpuTime) -> CpuTime {
        CpuTime {
            servers: self.servers.saturating_sub(earlier.servers),
            client: self.client.saturating_sub(earlier.client),
        }
    }
}

/// Threads of this process now (`/proc/self/status`), servers' blocking pools included.
pub fn threads() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}
