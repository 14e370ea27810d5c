//! Logging, metrics and signals.

mod metrics_http;
mod writer;

pub use writer::{BatchedWriter, WriterGuard};

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use std::{
    io::{self, IsTerminal as _},
    net::SocketAddr,
};
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable text.
    #[default]
    Text,
    /// One JSON object per line, with the fields of the request's span (e.g. `request_id`).
    Json,
}

/// The log target of audit events (fact writes and refused calls).
pub const AUDIT_TARGET: &str = "paydiag::audit";
const AUDIT_DIRECTIVE: &str = "paydiag::audit=info";

/// Keeps the log writer running; dropping it writes the lines still buffered, waiting a few
/// seconds at most for a log sink that does not read.
#[must_use = "logs are flushed when the guard is dropped"]
pub struct LogGuard {
    _writer: Option<WriterGuard>,
}

/// Logs to stderr, filtered by `RUST_LOG` (default `info`), in colour only on a terminal.
///
/// Lines are handed to a writer thread, so a call never waits on the terminal or a slow log
/// collector, and the thread writes what it gathered every 10 ms with one system call, so a
/// busy server neither pays a write per line nor wakes the thread per line. When stderr does
/// not keep up, serving goes on and lines are dropped: ordinary ones beyond 4 MiB buffered,
/// audit ones only beyond 16 MiB. Drops are counted in `paydiag_log_lines_dropped_total` by
/// `kind` (`audit` or `other`), and one warning says how many once stderr drains.
pub fn init_logging(format: LogFormat) -> io::Result<LogGuard> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info"))
        // Audit lines are kept whatever the filter says.
        .add_directive(AUDIT_DIRECTIVE.parse().expect("a valid directive"));
    let (writer, guard) = log_writer(std::io::stderr())?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        // Colours for a person at a terminal, plain text for a file or a log collector.
        .with_ansi(std::io::stderr().is_terminal());
    // A second initialization (e.g. in tests) keeps the first subscriber.
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    Ok(LogGuard {
        _writer: installed.is_ok().then_some(guard),
    })
}

/// A log writer thread writing to `out`, as [`init_logging`] starts one for stderr.
pub fn log_writer<W: io::Write + Send + 'static>(
    out: W,
) -> io::Result<(BatchedWriter, WriterGuard)> {
    writer::batched(out, writer::Limits::default(), writer::warn_dropped)
}

/// Latency buckets, in seconds: from 100 µs (a diagnosis on loopback) to 10 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

/// Serves Prometheus metrics over HTTP on `listen` (any path) from now on. Once per process,
/// within a Tokio runtime.
pub fn install_metrics(listen: SocketAddr) -> anyhow::Result<()> {
    let listener = std::net::TcpListener::bind(listen)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .and_then(tokio::net::TcpListener::from_std)
        .map_err(|e| anyhow::anyhow!("serving metrics on {listen}: {e}"))?;
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)?
        .install_recorder()
        .map_err(|e| anyhow::anyhow!("installing the metrics recorder: {e}"))?;
    tokio::spawn(metrics_http::serve(listener, handle));
    Ok(())
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
