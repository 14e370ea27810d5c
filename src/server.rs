//! The gRPC server: paydiag's services plus health checking and reflection.

use crate::api::{AppState, DiagnosisApi, FactApi};
use crate::pb::{
    self,
    v1::{
        diagnosis_service_server::DiagnosisServiceServer, fact_service_server::FactServiceServer,
    },
};
use crate::store::{SharedStore, StoreConfig};
use anyhow::Context as _;
use std::{future::Future, path::PathBuf, time::Duration};
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tonic_health::{ServingStatus, server::HealthReporter};

/// The names health is reported for: the whole server ("") and each service.
const HEALTH_SERVICES: [&str; 3] = ["", "paydiag.v1.DiagnosisService", "paydiag.v1.FactService"];

/// How the server behaves, beyond what it serves.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// After shutdown begins, how long calls in flight may take to finish before the remaining
    /// connections are closed. Long-lived streams (a health watch) would otherwise hold the
    /// process open forever.
    pub drain_grace: Duration,
    /// How often the store is probed; health is NOT_SERVING while the probe fails.
    pub health_probe_interval: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
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
    let (health, health_service) = tonic_health::server::health_reporter();
    set_health(&health, ServingStatus::Serving).await;
    let stopping = CancellationToken::new();
    let tasks = TaskTracker::new();
    tasks.spawn(probe_store(
        state.store.clone(),
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
        async move {
            shutdown.await;
            tracing::info!(?grace, "shutting down: finishing calls in flight");
            stopping.cancel();
            set_health(&health, ServingStatus::NotServing).await;
        }
    };
    tracing::info!(address = %listener.local_addr()?, "serving paydiag.v1");
    let serve = tonic::transport::Server::builder()
        .tcp_nodelay(true)
        .add_service(health_service)
        .add_service(reflection().build_v1()?)
        // grpcurl 1.8 and other older tools speak only v1alpha.
        .add_service(reflection().build_v1alpha()?)
        .add_service(DiagnosisServiceServer::new(DiagnosisApi::new(
            state.clone(),
        )))
        .add_service(FactServiceServer::new(FactApi::new(state)))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown);
    tokio::pin!(serve);
    let served = tokio::select! {
        served = &mut serve => served.map_err(anyhow::Error::from),
        () = async { stopping.cancelled().await; tokio::time::sleep(grace).await } => {
            tracing::warn!("drain grace period over: closing the remaining connections");
            Ok(())
        }
    };
    stopping.cancel();
    tasks.close();
    tasks.wait().await;
    served
}

async fn set_health(health: &HealthReporter, status: ServingStatus) {
    for service in HEALTH_SERVICES {
        health.set_service_status(service, status).await;
    }
}

/// Keeps health in step with the store: NOT_SERVING while it cannot be reached, SERVING again
/// once it answers.
async fn probe_store(
    store: SharedStore,
    health: HealthReporter,
    every: Duration,
    stopping: CancellationToken,
) {
    let mut healthy = true;
    loop {
        tokio::select! {
            () = stopping.cancelled() => return,
            () = tokio::time::sleep(every) => {}
        }
        let probe = tokio::time::timeout(every.max(Duration::from_millis(500)), store.ping()).await;
        let ok = matches!(probe, Ok(Ok(())));
        if ok == healthy || stopping.is_cancelled() {
            continue;
        }
        healthy = ok;
        if ok {
            tracing::info!("fact store reachable again: serving");
            set_health(&health, ServingStatus::Serving).await;
        } else {
            let cause = match probe {
                Ok(Err(e)) => e.to_string(),
                _ => "no answer".to_owned(),
            };
            tracing::warn!(%cause, "fact store unreachable: not serving");
            set_health(&health, ServingStatus::NotServing).await;
        }
    }
}

/// How to run `paydiag serve`.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on.
    pub listen: std::net::SocketAddr,
    /// The store.
    pub store: StoreConfig,
    /// A rules file replacing the shipped rules.
    pub rules: Option<PathBuf>,
    /// Load the demo data set at start.
    pub demo: bool,
    /// Server behaviour.
    pub options: ServerOptions,
}

/// Opens the store, loads the rules (and the demo data if asked), binds and serves until `shutdown`.
pub async fn serve(
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
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
    let state = AppState::new(store, rules)?;
    tracing::info!(ruleset_version = %state.rules.version(), store = %config.store.display(), "rules and store ready");
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    run(listener, state, config.options, shutdown).await
}
