//! The gRPC server: paydiag's services plus health checking and reflection.

use crate::api::{AppState, DiagnosisApi, FactApi};
use crate::auth::Callers;
use crate::clock::SystemClock;
use crate::health::{self, Health};
use crate::layers::{
    auth::AuthLayer, call_timeout::CallTimeoutLayer, error_info::ErrorInfoLayer,
    inflight::InFlightLayer, open_calls::OpenCallsLayer, rate_limit::RateLimits,
    refusals::Refusals, request_checks::RequestChecksLayer, request_id::RequestIdLayer,
    rpc_metrics::RpcMetricsLayer,
};
use crate::pb::{
    self,
    v1::{
        diagnosis_service_server::{DiagnosisService, DiagnosisServiceServer},
        fact_service_server::FactServiceServer,
    },
};
use crate::recorder::{self, RecordOptions};
use crate::store::StoreConfig;
use crate::transport;
pub use crate::transport::ConnectionLimits;
use crate::watch::WatchOptions;
use anyhow::Context as _;
use std::{
    future::Future,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};
use tokio::net::TcpListener;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tonic::transport::{Certificate, Identity, ServerTlsConfig};

/// After the drain grace, how long the calls still running have to answer that they were cut
/// off before their connections are closed.
const CUT_ANSWER: Duration = Duration::from_secs(1);

/// TLS material, PEM-encoded.
#[derive(Clone)]
pub struct Tls {
    /// The server's certificate chain.
    pub cert: Vec<u8>,
    /// The server's private key.
    pub key: Vec<u8>,
    /// CA certificates client certificates must chain to; when set, every client must present one
    /// (mutual TLS).
    pub client_ca: Option<Vec<u8>>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Tls")
            .field("client_ca", &self.client_ca.is_some())
            .finish()
    }
}

impl Tls {
    /// Reads the PEM files.
    pub fn load(cert: &Path, key: &Path, client_ca: Option<&Path>) -> anyhow::Result<Self> {
        let read = |path: &Path| {
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))
        };
        Ok(Self {
            cert: read(cert)?,
            key: read(key)?,
            client_ca: client_ca.map(read).transpose()?,
        })
    }

    fn config(&self, handshake_timeout: Duration) -> ServerTlsConfig {
        let config = ServerTlsConfig::new()
            .identity(Identity::from_pem(&self.cert, &self.key))
            .timeout(handshake_timeout);
        match &self.client_ca {
            Some(ca) => config.client_ca_root(Certificate::from_pem(ca)),
            None => config,
        }
    }
}

/// How the server behaves, beyond what it serves.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Serve over TLS (and require client certificates when it names a client CA).
    pub tls: Option<Tls>,
    /// Who may call; empty = anonymous calls, allowed only on loopback addresses.
    pub callers: Arc<Callers>,
    /// Calls per second each caller may make unless the callers file says otherwise; 0 = no limit.
    pub rate_limit_per_second: u32,
    /// Largest request message accepted, in bytes.
    pub max_request_bytes: usize,
    /// Most items one ImportFacts call may stream.
    pub max_import_items: u64,
    /// Most connections open at once, and how long one may stay without beginning HTTP/2 or
    /// without a call.
    pub connections: ConnectionLimits,
    /// Most calls at once on one connection, advertised to clients
    /// (`SETTINGS_MAX_CONCURRENT_STREAMS`) so that they queue the rest.
    pub max_calls_per_connection: usize,
    /// Most calls at once across all connections; more are refused with RESOURCE_EXHAUSTED.
    /// Health checks and reflection have budgets of their own.
    pub max_calls_in_flight: usize,
    /// Most calls at once from one caller (all anonymous callers count as one).
    pub max_calls_per_caller: usize,
    /// How long a one-message request has to arrive whole; after it, the call ends with
    /// DEADLINE_EXCEEDED and frees its place.
    pub message_timeout: Duration,
    /// Longest a call may run (a shorter deadline from the caller wins); for ImportFacts, longest
    /// its stream may go without an item (noticed within twice that), so that a long import that
    /// keeps sending is not cut off.
    pub request_timeout: Duration,
    /// How often an idle connection is pinged; one that does not answer within
    /// `keepalive_timeout` is closed, so half-open connections are reaped.
    pub keepalive_interval: Duration,
    /// How long a keepalive ping may go unanswered.
    pub keepalive_timeout: Duration,
    /// After shutdown begins, how long calls in flight may take to finish before the remaining
    /// connections are closed. Long-lived streams (a health watch) would otherwise hold the
    /// process open forever.
    pub drain_grace: Duration,
    /// How often the store is probed; health is NOT_SERVING while the probe fails, and
    /// FactService while the store refuses writes (see [`crate::health`]).
    pub health_probe_interval: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            tls: None,
            callers: Arc::new(Callers::default()),
            rate_limit_per_second: 1000,
            max_request_bytes: 1024 * 1024,
            max_import_items: 5_000_000,
            connections: ConnectionLimits::default(),
            max_calls_per_connection: 128,
            max_calls_in_flight: 2048,
            max_calls_per_caller: 512,
            message_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            keepalive_interval: Duration::from_secs(30),
            keepalive_timeout: Duration::from_secs(10),
            drain_grace: Duration::from_secs(30),
            health_probe_interval: Duration::from_secs(1),
        }
    }
}

/// Serves on `listener` until `shutdown` completes, then stops taking calls and lets the
/// calls in flight finish, for at most `options.drain_grace`. Health follows the store while
/// serving and turns NOT_SERVING as soon as shutdown begins.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    options: ServerOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let diagnosis = DiagnosisApi::new(state.clone());
    run_with(listener, state, diagnosis, options, shutdown).await
}

/// [`run`], with `diagnosis` answering `paydiag.v1.DiagnosisService` instead of the service
/// that diagnoses from the store: the load benchmark serves a fixed answer through the same
/// transport, layers and options to measure what carrying a diagnosis costs without making one.
pub async fn run_with(
    listener: TcpListener,
    state: AppState,
    diagnosis: impl DiagnosisService,
    options: ServerOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let (reporter, health_service) = tonic_health::server::health_reporter();
    let health = Health::start(reporter).await;
    let (fact_store, writes) = health::watch_writes(state.store.clone());
    let stopping = CancellationToken::new();
    let tasks = TaskTracker::new();
    // Records are written until the calls have drained, then the rest of the buffer.
    let records_closing = CancellationToken::new();
    if let Some(writer) = state.recorder.take_writer() {
        tasks.spawn(writer.run(state.store.clone(), records_closing.clone()));
    }
    // Subscribed before the first call, so that no watch misses a change.
    tasks.spawn(
        state
            .watches
            .clone()
            .follow(state.store.changes(), stopping.clone()),
    );
    tasks.spawn(recorder::retention::run(
        state.store.clone(),
        *state.recorder.options(),
        stopping.clone(),
    ));
    tasks.spawn(health::probe_store(
        state.store.clone(),
        writes,
        health.clone(),
        options.health_probe_interval,
        stopping.clone(),
    ));

    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            // google.rpc.BadRequest, RetryInfo…: lets reflection clients decode error details.
            .register_encoded_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
    };
    let grace = options.drain_grace;
    let shutdown = {
        let stopping = stopping.clone();
        let watches = state.watches.clone();
        async move {
            shutdown.await;
            tracing::info!(?grace, "shutting down: finishing calls in flight");
            stopping.cancel();
            // Watches run until cancelled: they end now, telling their callers to reconnect.
            watches.close();
            health.stop().await;
        }
    };
    tracing::info!(address = %listener.local_addr()?, "serving paydiag.v1");
    let limit = options.max_request_bytes;
    let limits = RateLimits::new(&options.callers, options.rate_limit_per_second);
    let refusals = Arc::new(Refusals::default());
    tasks.spawn({
        let (refusals, stopping) = (refusals.clone(), stopping.clone());
        async move { refusals.audit_every_interval(stopping).await }
    });
    let in_flight = InFlightLayer::new(
        options.max_calls_in_flight,
        options.max_calls_per_caller,
        &options.callers,
    );
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = &options.tls {
        builder = builder
            .tls_config(tls.config(options.connections.handshake_timeout))
            .context("configuring TLS")?;
    }
    let streams_per_connection =
        u32::try_from(options.max_calls_per_connection).unwrap_or(u32::MAX);
    let cut = CancellationToken::new();
    let serve = builder
        // Clients queue calls beyond it rather than having them refused.
        .max_concurrent_streams(streams_per_connection)
        .http2_keepalive_interval(Some(options.keepalive_interval))
        .http2_keepalive_timeout(Some(options.keepalive_timeout))
        // Outermost first: every call gets an id and is timed, even when it is then refused.
        .layer(RequestIdLayer)
        .layer(RpcMetricsLayer)
        .layer(OpenCallsLayer)
        .layer(CallTimeoutLayer::new(options.request_timeout))
        .layer(RequestChecksLayer::new(options.message_timeout))
        .layer(AuthLayer::new(options.callers.clone(), limits, refusals))
        .layer(in_flight)
        .layer(ErrorInfoLayer::new(pb::FILE_DESCRIPTOR_SET).context("reading the method list")?)
        .add_service(health_service)
        .add_service(reflection().build_v1()?)
        // grpcurl 1.8 and other older tools speak only v1alpha.
        .add_service(reflection().build_v1alpha()?)
        .add_service(DiagnosisServiceServer::new(diagnosis).max_decoding_message_size(limit))
        .add_service(
            FactServiceServer::new(
                FactApi::new(
                    AppState {
                        store: fact_store,
                        ..state
                    },
                    options.max_import_items,
                    options.request_timeout,
                )
                .cut_off_by(cut.clone()),
            )
            .max_decoding_message_size(limit),
        )
        .serve_with_incoming_shutdown(
            transport::incoming(listener, options.connections, options.tls.is_none()),
            shutdown,
        );
    tokio::pin!(serve);
    let served = tokio::select! {
        served = &mut serve => served.map_err(anyhow::Error::from),
        () = async { stopping.cancelled().await; tokio::time::sleep(grace).await } => {
            tracing::warn!("drain grace period over: ending the calls still running");
            // Imports still running answer how far they got, then every connection is closed.
            cut.cancel();
            tokio::time::timeout(CUT_ANSWER, &mut serve)
                .await
                .unwrap_or(Ok(()))
                .map_err(anyhow::Error::from)
        }
    };
    stopping.cancel();
    records_closing.cancel();
    tasks.close();
    tasks.wait().await;
    served
}

/// How to run `paydiag serve`.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on.
    pub listen: std::net::SocketAddr,
    /// Where to serve Prometheus metrics; `None` for nowhere.
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// The store.
    pub store: StoreConfig,
    /// A rules file replacing the shipped rules.
    pub rules: Option<PathBuf>,
    /// Load the demo data set at start.
    pub demo: bool,
    /// Server behaviour.
    pub options: ServerOptions,
    /// Serve anonymous callers on a non-loopback address (no callers file).
    pub insecure_allow_anonymous: bool,
    /// How case records are buffered, written and kept.
    pub records: RecordOptions,
    /// How many watches may run, and how long an unknown reference is watched.
    pub watches: WatchOptions,
}

/// Anonymous access is safe only where nobody else can connect: refuse to expose it unless told to.
fn check_exposure(config: &ServeConfig) -> anyhow::Result<()> {
    if !config.options.callers.is_empty() || config.listen.ip().is_loopback() {
        return Ok(());
    }
    if !config.insecure_allow_anonymous {
        anyhow::bail!(
            "refusing to serve {} without callers: anyone who can reach it could read account \
             freezes and payment details. Configure callers with --callers FILE (see \
             `paydiag token`), listen on a loopback address, or pass --insecure-allow-anonymous",
            config.listen
        );
    }
    tracing::warn!(listen = %config.listen, "serving anonymous callers on a non-loopback address (--insecure-allow-anonymous)");
    Ok(())
}

/// Opens the store, loads the rules (and the demo data if asked), binds and serves until `shutdown`.
pub async fn serve(
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    check_exposure(&config)?;
    if let Some(listen) = config.metrics_listen {
        crate::telemetry::install_metrics(listen)?;
        tracing::info!(%listen, "serving Prometheus metrics");
    }
    let rules = match &config.rules {
        Some(path) => {
            let source = std::fs::read_to_string(path)
                .with_context(|| format!("reading rules file {}", path.display()))?;
            crate::engine::policy::RuleSet::parse(&source)
                .with_context(|| format!("loading {}", path.display()))?
        }
        None => crate::engine::policy::RuleSet::shipped(),
    };
    let store = crate::store::open(&config.store).await?;
    if config.demo {
        store
            .put_facts(crate::demo::facts(chrono::Utc::now()))
            .await?;
        let references: Vec<&str> = crate::demo::REFERENCES.iter().map(|(r, _)| *r).collect();
        tracing::info!(?references, "demo data loaded");
    }
    let state = AppState::new(store, rules)?
        .recording(config.records)
        .watching(config.watches, Arc::new(SystemClock));
    tracing::info!(ruleset_version = %state.rules.version(), store = %config.store.display(), "rules and store ready");
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    run(listener, state, config.options, shutdown).await
}
