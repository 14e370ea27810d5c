//! Load benchmark of paydiag: seeds a SQLite store through ImportFacts, then drives Diagnose on
//! one real server, the empty unary RPC (`grpc.health.v1.Health/Check`) on a second,
//! identically configured one, and Diagnose answered with a fixed diagnosis on a third, with the
//! same client code, and compares them.
//!
//! Servers and load generator share this process (and the machine): the servers run on a
//! runtime of their own, the load generator on another, as two processes would.

mod fixed;
mod flood;
mod load;
mod measure;
mod postgres;
mod process;
mod record_writes;
mod report;
mod seed;
mod servers;
mod watches;

use anyhow::Context as _;
use paydiag::client::View;
use std::{
    path::{Path, PathBuf},
    time::Duration,
};

/// Maintenance windows in the store unless `--windows` says otherwise.
const DEFAULT_WINDOWS: u64 = 100;

/// Load benchmark of a real paydiag server, started in this process. See BENCHMARKS.md.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "paydiag-bench")]
pub struct Options {
    /// Transactions in the store.
    #[arg(long, default_value_t = 1_000)]
    pub transactions: u64,
    /// Accounts the transactions belong to, two status entries each (default: transactions / 10).
    #[arg(long)]
    pub accounts: Option<u64>,
    /// Maintenance windows, spread over the 12 shipped networks (at least 24).
    #[arg(long, default_value_t = DEFAULT_WINDOWS)]
    pub windows: u64,
    /// Distinct references diagnosed, spread evenly over the store.
    #[arg(long, default_value_t = 1_000)]
    pub references: u64,
    /// Connections of a single scenario (default: two scenarios, 1×1 and 16×16).
    #[arg(long)]
    pub connections: Option<usize>,
    /// Calls kept in flight on each connection of a single scenario.
    #[arg(long)]
    pub in_flight: Option<usize>,
    /// Length of each measured run, in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Diagnose/empty run pairs per scenario, alternating.
    #[arg(long, default_value_t = 3)]
    pub rounds: u32,
    /// References per BatchDiagnose call, compared with as many single calls.
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
    /// How much of each diagnosis the Diagnose and BatchDiagnose calls ask for.
    #[arg(long, value_enum, default_value_t = View::Full)]
    pub view: View,
    /// Transactions streamed in the ImportFacts throughput measurement.
    #[arg(long, default_value_t = 100_000)]
    pub import_transactions: u64,
    /// Also diagnose a second store of this many transactions (a tenth as many accounts, 100
    /// maintenance windows), in the same rounds as the first: the two store sizes compared side
    /// by side, e.g. `--transactions 1000000 --windows 10000 --beside 1000`.
    #[arg(long, value_name = "TRANSACTIONS")]
    pub beside: Option<u64>,
    /// Serve the diagnosed store from the PostgreSQL database at this URL instead of a SQLite
    /// file: the benchmark works in a schema of its own there and drops it at the end.
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
    /// Keep the servers' log here (default: a temporary file, deleted at the end).
    #[arg(long)]
    pub log_file: Option<PathBuf>,
    /// A quick check that every scenario runs and every call succeeds (tiny store, ~2 s); its
    /// figures mean nothing.
    #[arg(long)]
    pub smoke: bool,
    /// Measure watches instead of the load: open this many WatchDiagnosis streams on one
    /// server, see what they cost while nothing changes, then how fast one write reaches the
    /// tenth of them it concerns.
    #[arg(long, value_name = "STREAMS")]
    pub watches: Option<usize>,
    /// How long the watches rest while their cost is measured, in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub watch_idle_seconds: f64,
    /// Measure the store's cost of case records instead of the load: write this many records,
    /// in batches of `--record-batch`, into a store already holding `--records-before` (a SQLite
    /// file, or with `--postgres` a schema of the benchmark's own).
    #[arg(long, value_name = "RECORDS")]
    pub record_writes: Option<usize>,
    /// Records per commit while `--record-writes` measures: 500 is what the recorder commits
    /// every 50 ms at 10,000 diagnoses a second.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..))]
    pub record_batch: u32,
    /// Records in the store before `--record-writes` measures.
    #[arg(long, default_value_t = 700_000)]
    pub records_before: usize,
    /// Measure only the case records section (Diagnose with a ticket id against without, at
    /// the last scenario) on the seeded store, skipping every other section.
    #[arg(long)]
    pub records_only: bool,
    /// Run the servers' threads on CPU 1 and the load generator's on CPU 0, so that neither
    /// takes the other's core and two builds compare on equal terms.
    #[arg(long)]
    pub pin: bool,
}

/// One load scenario: connections × calls in flight on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    /// HTTP/2 connections.
    pub connections: usize,
    /// Calls in flight on each.
    pub in_flight: usize,
}

impl Options {
    /// The options `--smoke` stands for.
    fn smoked(&self) -> Self {
        Self {
            transactions: 200,
            accounts: Some(20),
            windows: seed::MIN_WINDOWS,
            references: 50,
            seconds: 0.15,
            rounds: 1,
            // Single calls are timed one after another: keep them few.
            batch: 20,
            import_transactions: 1_000,
            // The second store is always served, so that CI runs it too.
            beside: Some(100),
            watches: Some(200),
            watch_idle_seconds: 0.2,
            ..self.clone()
        }
    }

    fn shape(&self) -> anyhow::Result<seed::Shape> {
        anyhow::ensure!(self.transactions > 0, "--transactions must be at least 1");
        anyhow::ensure!(self.beside != Some(0), "--beside must be at least 1");
        anyhow::ensure!(
            self.windows >= seed::MIN_WINDOWS,
            "--windows must be at least {} (two current windows on each network)",
            seed::MIN_WINDOWS
        );
        anyhow::ensure!((1..=500).contains(&self.batch), "--batch must be 1 to 500");
        anyhow::ensure!(
            self.seconds > 0.0 && self.seconds.is_finite(),
            "--seconds must be positive"
        );
        anyhow::ensure!(self.rounds > 0, "--rounds must be at least 1");
        Ok(seed::Shape {
            transactions: self.transactions,
            accounts: self.accounts.unwrap_or(self.transactions / 10).max(1),
            windows: self.windows,
            references: self.references.clamp(1, self.transactions),
        })
    }

    /// The second store's shape, with `--beside`: the default windows and references.
    fn beside_shape(&self) -> Option<seed::Shape> {
        self.beside.map(|transactions| seed::Shape {
            transactions,
            accounts: (transactions / 10).max(1),
            windows: if self.smoke {
                seed::MIN_WINDOWS
            } else {
                DEFAULT_WINDOWS
            },
            references: self.references.clamp(1, transactions),
        })
    }

    fn scenarios(&self) -> anyhow::Result<Vec<Scenario>> {
        let scenarios = match (self.connections, self.in_flight) {
            (None, None) => vec![
                Scenario {
                    connections: 1,
                    in_flight: 1,
                },
                Scenario {
                    connections: 16,
                    in_flight: 16,
                },
            ],
            (c, k) => vec![Scenario {
                connections: c.unwrap_or(1),
                in_flight: k.unwrap_or(1),
            }],
        };
        anyhow::ensure!(
            scenarios
                .iter()
                .all(|s| s.connections > 0 && s.in_flight > 0),
            "--connections and --in-flight must be at least 1"
        );
        Ok(scenarios)
    }

    fn run_length(&self) -> Duration {
        Duration::from_secs_f64(self.seconds)
    }
}

/// How the benchmark ended.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    /// Calls (and imported items) that failed.
    pub failures: u64,
}

/// Runs the whole benchmark and prints its report.
pub fn run(options: &Options) -> anyhow::Result<Outcome> {
    let options = if options.smoke {
        options.smoked()
    } else {
        options.clone()
    };
    let shape = options.shape()?;
    let scenarios = options.scenarios()?;
    let dir = tempfile::Builder::new()
        .prefix("paydiag-bench-")
        .tempdir()
        .context("creating the store directory")?;
    let log_path = options
        .log_file
        .clone()
        .unwrap_or_else(|| dir.path().join("paydiag.log"));
    let log_guard = servers::init_logging(&log_path)?;
    let (server_cpu, client_cpu) = if options.pin {
        (Some(1), Some(0))
    } else {
        (None, None)
    };
    let server_runtime = runtime("paydiag-server", server_cpu)?;
    let client_runtime = runtime(servers::CLIENT_THREAD, client_cpu)?;
    server_runtime.block_on(async {
        // As `paydiag serve` does by default, so that every call pays for its metrics.
        paydiag::telemetry::install_metrics(([127, 0, 0, 1], 0).into())
    })?;
    if let Some(written) = options.record_writes {
        let measured = server_runtime.block_on(record_writes::measure_store(
            options.postgres.as_deref(),
            &dir.path().join("records.db"),
            options.records_before,
            written,
            options.record_batch as usize,
        ));
        drop(log_guard);
        let (store, measured) = measured?;
        report::record_writes(store, &measured);
        return Ok(Outcome { failures: 0 });
    }
    if let (Some(open), false) = (options.watches, options.smoke) {
        let watched = watch(
            &options,
            open,
            dir.path(),
            (&server_runtime, &client_runtime),
        );
        drop(log_guard);
        report::watches(&watched?);
        return Ok(Outcome { failures: 0 });
    }
    // Every schema created is dropped at the end, however the benchmark ends.
    let mut schemas = Vec::new();
    let measured = stores(&options, dir.path(), &server_runtime, &mut schemas).and_then(|stores| {
        serve_and_measure(
            &options,
            shape,
            &scenarios,
            (&server_runtime, &client_runtime),
            stores,
        )
    });
    let dropped: Vec<_> = schemas
        .into_iter()
        .map(|s| server_runtime.block_on(s.drop()))
        .collect();
    let watched = match (&measured, options.watches) {
        (Ok(_), Some(open)) => Some(watch(
            &options,
            open,
            dir.path(),
            (&server_runtime, &client_runtime),
        )),
        _ => None,
    };
    drop(log_guard);
    let measured = measured?;
    for result in dropped {
        result?;
    }
    report::log_size(&log_path, options.log_file.is_some());
    let measured = match measured {
        measure::Measurement::All(measured) => measured,
        measure::Measurement::Records(records) => {
            return Ok(Outcome {
                failures: records.failures(),
            });
        }
    };
    report::summary(&measured);
    if let Some(watched) = watched {
        report::watches(&watched?);
    }
    Ok(Outcome {
        failures: measured.failures(),
    })
}

/// Serves a fresh store (SQLite, or a schema of its own with `--postgres`) from a `paydiag
/// serve` process with room for `open` watches, and measures them.
fn watch(
    options: &Options,
    open: usize,
    dir: &Path,
    (server_runtime, client_runtime): (&tokio::runtime::Runtime, &tokio::runtime::Runtime),
) -> anyhow::Result<watches::Watches> {
    anyhow::ensure!(open >= 10, "--watches must be at least 10");
    let schema = match &options.postgres {
        Some(url) => Some(server_runtime.block_on(postgres::Schema::create(url))?),
        None => None,
    };
    let db = match &schema {
        Some(schema) => schema.url(),
        None => dir.join("watches.db").display().to_string(),
    };
    let idle = Duration::from_secs_f64(options.watch_idle_seconds.max(0.0));
    let measured =
        process::ServerProcess::start(&db, &watches::flags(open), options.pin).and_then(|server| {
            client_runtime.block_on(watches::measure(&server, open, open / 10, idle))
        });
    if let Some(schema) = schema {
        server_runtime.block_on(schema.drop())?;
    }
    measured
}

/// Where each server keeps its store: only the Diagnose servers' hold facts.
struct Stores {
    facts: String,
    beside: Option<String>,
    empty: String,
    fixed: String,
    /// One empty store per flood: the calls a limit lets through are diagnosed as not found.
    floods: Vec<String>,
}

/// Names the stores: SQLite files in `dir`, except that the Diagnose servers' are schemas of
/// their own with `--postgres`, pushed onto `schemas` as they are created.
fn stores(
    options: &Options,
    dir: &Path,
    runtime: &tokio::runtime::Runtime,
    schemas: &mut Vec<postgres::Schema>,
) -> anyhow::Result<Stores> {
    let mut facts = |file: &str| match &options.postgres {
        Some(url) => {
            let schema = runtime.block_on(postgres::Schema::create(url))?;
            let url = schema.url();
            schemas.push(schema);
            anyhow::Ok(url)
        }
        None => Ok(dir.join(file).display().to_string()),
    };
    Ok(Stores {
        facts: facts("facts.db")?,
        beside: options.beside.map(|_| facts("beside.db")).transpose()?,
        empty: dir.join("empty.db").display().to_string(),
        fixed: dir.join("fixed.db").display().to_string(),
        floods: (0..flood::Flood::ALL.len())
            .map(|i| dir.join(format!("flood-{i}.db")).display().to_string())
            .collect(),
    })
}

/// Starts the Diagnose, empty and fixed-answer servers (and the second store's with
/// `--beside`) and one per flood, measures, and stops them.
fn serve_and_measure(
    options: &Options,
    shape: seed::Shape,
    scenarios: &[Scenario],
    (server_runtime, client_runtime): (&tokio::runtime::Runtime, &tokio::runtime::Runtime),
    stores: Stores,
) -> anyhow::Result<measure::Measurement> {
    let answer = fixed::FixedAnswer::default();
    let start = |db, fixed, options| servers::Server::start(server_runtime, db, fixed, options);
    let mut started = vec![
        start(stores.facts, None, servers::options())?,
        start(stores.empty, None, servers::options())?,
        start(stores.fixed, Some(answer.clone()), servers::options())?,
    ];
    let beside = match (stores.beside, options.beside_shape()) {
        (Some(db), Some(shape)) => {
            started.push(start(db, None, servers::options())?);
            started.last().map(|server| (server.addr, shape))
        }
        _ => None,
    };
    let mut floods = Vec::with_capacity(flood::Flood::ALL.len());
    for (kind, db) in flood::Flood::ALL.into_iter().zip(stores.floods) {
        let setup = flood::Setup::of(kind, servers::options())?;
        started.push(start(db, None, setup.options)?);
        floods.extend(started.last().map(|server| flood::Target {
            flood: kind,
            addr: server.addr,
            authorization: setup.authorization,
        }));
    }
    let targets = measure::Targets {
        diagnose: started[0].addr,
        recorder: started[0].recorder.clone(),
        empty: started[1].addr,
        fixed: started[2].addr,
        answer,
        beside,
        floods,
    };
    report::header(options, &shape, scenarios);
    let measured = client_runtime.block_on(measure::all(options, shape, scenarios, &targets));
    let stopped: Vec<_> = started
        .into_iter()
        .map(|server| server.stop(server_runtime))
        .collect();
    let measured = measured?;
    for result in stopped {
        result?;
    }
    Ok(measured)
}

/// A multi-threaded runtime like `#[tokio::main]`'s: one worker per core.
/// A runtime whose threads are named `name` and, given a CPU, run only on it.
fn runtime(name: &str, cpu: Option<usize>) -> anyhow::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(cpu) = cpu {
        builder.on_thread_start(move || {
            let mut only = rustix::thread::CpuSet::new();
            only.set(cpu);
            if let Err(e) = rustix::thread::sched_setaffinity(None, &only) {
                eprintln!("cannot pin a thread to CPU {cpu}: {e}");
            }
        });
    }
    builder
        .thread_name(name)
        .enable_all()
        .build()
        .with_context(|| format!("starting the {name} runtime"))
}
