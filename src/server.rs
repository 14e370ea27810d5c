//! The gRPC server: paydiag's services plus health checking and reflection.

use crate::api::{AppState, DiagnosisApi, FactApi};
use crate::pb::{
    self,
    v1::{
        diagnosis_service_server::DiagnosisServiceServer, fact_service_server::FactServiceServer,
    },
};
use std::{future::Future, time::Duration};
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic_health::ServingStatus;

/// How the server behaves, beyond what it serves.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// After shutdown begins, how long calls in flight may take to finish before the remaining
    /// connections are closed. Long-lived streams (a health watch) would otherwise hold the
    /// process open forever.
    pub drain_grace: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            drain_grace: Duration::from_secs(30),
        }
    }
}

/// Serves on `listener` until `shutdown` completes, then stops taking calls and lets the
/// calls in flight finish, for at most `options.drain_grace`. Health turns NOT_SERVING as soon
/// as shutdown begins.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    options: ServerOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let (health, health_service) = tonic_health::server::health_reporter();
    let services = ["", "paydiag.v1.DiagnosisService", "paydiag.v1.FactService"];
    for service in services {
        health
            .set_service_status(service, ServingStatus::Serving)
            .await;
    }
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            // google.rpc.BadRequest, RetryInfo…: lets reflection clients decode error details.
            .register_encoded_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
    };
    let draining = std::sync::Arc::new(tokio::sync::Notify::new());
    let grace = options.drain_grace;
    let shutdown = {
        let draining = draining.clone();
        async move {
            shutdown.await;
            tracing::info!(?grace, "shutting down: finishing calls in flight");
            for service in services {
                health
                    .set_service_status(service, ServingStatus::NotServing)
                    .await;
            }
            draining.notify_one();
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
    tokio::select! {
        served = &mut serve => served?,
        () = async { draining.notified().await; tokio::time::sleep(grace).await } => {
            tracing::warn!("drain grace period over: closing the remaining connections");
        }
    }
    Ok(())
}

/// How to run `paydiag serve`.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on.
    pub listen: std::net::SocketAddr,
    /// The store: a SQLite file path.
    pub db: String,
    /// A rules file replacing the shipped rules.
    pub rules: Option<std::path::PathBuf>,
    /// Load the demo data set at start.
    pub demo: bool,
    /// Read connections to a SQLite store.
    pub sqlite_readers: u32,
}

/// Opens the store, loads the rules (and the demo data if asked), binds and serves until `shutdown`.
pub async fn serve(
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let rules = match &config.rules {
        Some(path) => {
            let source = std::fs::read_to_string(path)
                .with_context(|| format!("reading rules file {}", path.display()))?;
            crate::engine::policy::RuleSet::parse(&source)
                .with_context(|| format!("loading {}", path.display()))?
        }
        None => crate::engine::policy::RuleSet::shipped(),
    };
    let store = crate::store::open(&config.db, config.sqlite_readers).await?;
    if config.demo {
        store
            .put_facts(crate::demo::facts(chrono::Utc::now()))
            .await?;
        let references: Vec<&str> = crate::demo::REFERENCES.iter().map(|(r, _)| *r).collect();
        tracing::info!(?references, "demo data loaded");
    }
    let state = AppState::new(store, rules)?;
    tracing::info!(ruleset_version = %state.rules.version(), db = %config.db, "rules and store ready");
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    run(listener, state, ServerOptions::default(), shutdown).await
}
