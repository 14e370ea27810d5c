//! The gRPC server: paydiag's services plus health checking and reflection.

use crate::api::{AppState, DiagnosisApi, FactApi};
use crate::pb::{
    self,
    v1::{
        diagnosis_service_server::DiagnosisServiceServer, fact_service_server::FactServiceServer,
    },
};
use std::future::Future;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic_health::ServingStatus;

/// Serves on `listener` until `shutdown` completes, then stops taking calls and lets the
/// calls in flight finish. Health turns NOT_SERVING as soon as shutdown begins.
pub async fn run(
    listener: TcpListener,
    state: AppState,
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
    };
    let shutdown = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing calls in flight");
        for service in services {
            health
                .set_service_status(service, ServingStatus::NotServing)
                .await;
        }
    };
    tracing::info!(address = %listener.local_addr()?, "serving paydiag.v1");
    tonic::transport::Server::builder()
        .tcp_nodelay(true)
        .add_service(health_service)
        .add_service(reflection().build_v1()?)
        // grpcurl 1.8 and other older tools speak only v1alpha.
        .add_service(reflection().build_v1alpha()?)
        .add_service(DiagnosisServiceServer::new(DiagnosisApi::new(
            state.clone(),
        )))
        .add_service(FactServiceServer::new(FactApi::new(state)))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
        .await?;
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
    run(listener, state, shutdown).await
}
