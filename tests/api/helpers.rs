//! Shared test harness: a real paydiag server on a random loopback port, with a real SQLite
//! file, talked to by the generated clients.

#![allow(dead_code)]

use chrono::{DateTime, TimeDelta, Utc};
use paydiag::{
    api::{AppState, fact_codec::timestamp},
    clock::ManualClock,
    engine::policy::RuleSet,
    pb::v1::{
        self as pb, diagnosis_service_client::DiagnosisServiceClient,
        fact_service_client::FactServiceClient,
    },
    recorder::{RecordOptions, Recorder},
    server,
    store::{SharedStore, sqlite::SqliteStore},
    watch::WatchOptions,
};
use std::{net::SocketAddr, sync::Arc, time::Duration};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tonic::transport::Channel;
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

/// A running server and clients connected to it. Dropping it shuts the server down.
pub struct TestApp {
    pub addr: SocketAddr,
    pub diagnosis: DiagnosisServiceClient<Channel>,
    pub facts: FactServiceClient<Channel>,
    pub health: HealthClient<Channel>,
    pub store: SharedStore,
    /// Where the server's diagnoses made for a ticket leave their records.
    pub recorder: Recorder,
    pub channel: Channel,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _dir: TempDir,
}

/// The services the server lists through reflection (v1).
pub async fn reflected_services(channel: &Channel) -> Vec<String> {
    use tonic_reflection::pb::v1::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
    };
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut answers = ServerReflectionClient::new(channel.clone())
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .expect("reflection answers")
        .into_inner();
    let answer = answers
        .message()
        .await
        .expect("a reflection answer")
        .and_then(|a| a.message_response);
    let Some(MessageResponse::ListServicesResponse(list)) = answer else {
        panic!("not a list of services: {answer:?}");
    };
    list.service.into_iter().map(|s| s.name).collect()
}

/// Starts a server on a fresh SQLite file.
pub async fn spawn_app() -> TestApp {
    let dir = TempDir::new().expect("temp dir");
    let store: SharedStore = Arc::new(
        SqliteStore::open(&dir.path().join("paydiag.db"), 2)
            .await
            .expect("open store"),
    );
    spawn_with_store(store, dir).await
}

/// Server options for tests: quick health probes and a short drain.
pub fn test_options() -> server::ServerOptions {
    server::ServerOptions {
        drain_grace: std::time::Duration::from_millis(300),
        health_probe_interval: std::time::Duration::from_millis(100),
        ..server::ServerOptions::default()
    }
}

/// Starts a server over `store`; `dir` is kept alive as long as the app.
pub async fn spawn_with_store(store: SharedStore, dir: TempDir) -> TestApp {
    spawn_with(store, dir, test_options()).await
}

/// Starts a server over `store` with `options`.
pub async fn spawn_with(
    store: SharedStore,
    dir: TempDir,
    options: server::ServerOptions,
) -> TestApp {
    spawn_recording(store, dir, options, RecordOptions::default()).await
}

/// Starts a server over `store` with `options`, recording with `records`.
pub async fn spawn_recording(
    store: SharedStore,
    dir: TempDir,
    options: server::ServerOptions,
    records: RecordOptions,
) -> TestApp {
    spawn_configured(store, dir, options, |state| state.recording(records)).await
}

/// Starts a server on a fresh SQLite file whose watches read `clock` and keep to `watches`.
pub async fn spawn_watching(watches: WatchOptions, clock: &ManualClock) -> TestApp {
    let dir = TempDir::new().expect("temp dir");
    let store: SharedStore = Arc::new(
        SqliteStore::open(&dir.path().join("paydiag.db"), 2)
            .await
            .expect("open store"),
    );
    spawn_watching_over(store, dir, watches, clock).await
}

/// Starts a server over `store` whose watches read `clock` and keep to `watches`.
pub async fn spawn_watching_over(
    store: SharedStore,
    dir: TempDir,
    watches: WatchOptions,
    clock: &ManualClock,
) -> TestApp {
    let clock = Arc::new(clock.clone());
    spawn_configured(store, dir, test_options(), |state| {
        state.watching(watches, clock)
    })
    .await
}

/// Starts a server over `store` with `options`, its state made by `configure` from the default.
pub async fn spawn_configured(
    store: SharedStore,
    dir: TempDir,
    options: server::ServerOptions,
    configure: impl FnOnce(AppState) -> AppState,
) -> TestApp {
    // The rules the tests' expectations are written against, not the shipped ones.
    let rules = RuleSet::parse(include_str!("../fixtures/rules.toml")).expect("the tests' rules");
    let state = configure(AppState::new(store.clone(), rules).expect("state"));
    let recorder = state.recorder.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = oneshot::channel();
    let server = tokio::spawn(server::run(listener, state, options, async {
        let _ = rx.await;
    }));
    // Lazy: a TLS server refuses a plaintext handshake, and TLS tests bring their own channels.
    let channel = Channel::from_shared(format!("http://{addr}"))
        .expect("uri")
        .connect_lazy();
    TestApp {
        addr,
        diagnosis: DiagnosisServiceClient::new(channel.clone()),
        facts: FactServiceClient::new(channel.clone()),
        health: HealthClient::new(channel.clone()),
        store,
        recorder,
        channel,
        shutdown: Some(tx),
        server: Some(server),
        _dir: dir,
    }
}

impl TestApp {
    /// Tells the server to shut down, without waiting.
    pub fn begin_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Stops the server and waits until it has finished.
    pub async fn stop(&mut self) {
        self.begin_shutdown();
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server result");
        }
    }

    /// Diagnoses `reference` as of `as_of` in English.
    pub async fn diagnose_at(&mut self, reference: &str, as_of: DateTime<Utc>) -> pb::Diagnosis {
        self.diagnosis
            .diagnose(pb::DiagnoseRequest {
                reference: reference.into(),
                as_of: Some(timestamp(as_of)),
                ..Default::default()
            })
            .await
            .expect("diagnose")
            .into_inner()
    }

    /// The health `service` reports ("" for the whole server).
    pub async fn health_of(&mut self, service: &str) -> ServingStatus {
        let request = HealthCheckRequest {
            service: service.into(),
        };
        let response = tokio::time::timeout(Duration::from_secs(5), self.health.check(request))
            .await
            .expect("health answers within 5 s");
        response.expect("health answers").into_inner().status()
    }

    /// Watches the health of `service` until it is `wanted`; fails after `limit`.
    pub async fn wait_for_health_of(
        &mut self,
        service: &str,
        wanted: ServingStatus,
        limit: Duration,
    ) {
        let request = HealthCheckRequest {
            service: service.into(),
        };
        let mut last = None;
        let watched = async {
            let watch = self.health.watch(request).await.expect("health watch");
            let mut updates = watch.into_inner();
            // The current status comes first, then each change.
            while let Some(update) = updates.message().await.expect("health watch") {
                if update.status() == wanted {
                    return;
                }
                last = Some(update.status());
            }
            panic!("the health watch ended");
        };
        if tokio::time::timeout(limit, watched).await.is_err() {
            panic!("{service:?} still {last:?}, not {wanted:?}, after {limit:?}");
        }
    }

    /// Stores a transaction.
    pub async fn put_transaction(&mut self, transaction: pb::Transaction) -> pb::Transaction {
        self.facts
            .put_transaction(pb::PutTransactionRequest {
                transaction: Some(transaction),
            })
            .await
            .expect("put transaction")
            .into_inner()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A fixed moment tests are placed around: 2026-11-22T10:00:00Z.
pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

/// `t0` plus `minutes`.
pub fn at(minutes: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(minutes)
}

/// A valid confirming ETH withdrawal created at `t0`.
pub fn transaction(reference: &str) -> pb::Transaction {
    pb::Transaction {
        reference: reference.into(),
        account_id: "acct-0000012345".into(),
        kind: pb::TransactionKind::Withdrawal.into(),
        network: "eth".into(),
        asset: "usdt".into(),
        amount: "100.50".into(),
        destination: "0x52908400098527886E0F7030069857D2E4169EE7".into(),
        status: pb::TransactionStatus::Confirming.into(),
        confirmations: 3,
        created_at: Some(timestamp(t0())),
        ..Default::default()
    }
}

/// The field violations of a status's `google.rpc.BadRequest` detail, as (field, description).
pub fn violations(status: &tonic::Status) -> Vec<(String, String)> {
    use tonic_types::StatusExt;
    status
        .get_details_bad_request()
        .map(|br| {
            br.field_violations
                .into_iter()
                .map(|v| (v.field, v.description))
                .collect()
        })
        .unwrap_or_default()
}

/// The fields named by a status's violations.
pub fn violated_fields(status: &tonic::Status) -> Vec<String> {
    violations(status)
        .into_iter()
        .map(|(field, _)| field)
        .collect()
}

/// Checks that `status` carries a `google.rpc.ErrorInfo` with `reason` in paydiag's domain.
#[track_caller]
pub fn assert_reason(status: &tonic::Status, reason: &str) {
    use tonic_types::StatusExt;
    let info = status
        .get_details_error_info()
        .unwrap_or_else(|| panic!("no google.rpc.ErrorInfo in {status:?}"));
    assert_eq!(
        (info.reason.as_str(), info.domain.as_str()),
        (reason, "paydiag.v1"),
        "{status:?}"
    );
}

/// The metadata of a status's `google.rpc.ErrorInfo`, by key.
pub fn error_metadata(status: &tonic::Status) -> std::collections::BTreeMap<String, String> {
    use tonic_types::StatusExt;
    status
        .get_details_error_info()
        .map(|info| info.metadata.into_iter().collect())
        .unwrap_or_default()
}

/// An error carried inline (a `BatchDiagnose` item's) as a status, details included.
pub fn status_of(error: &tonic_types::Status) -> tonic::Status {
    use prost::Message;
    tonic::Status::with_details(
        tonic::Code::from_i32(error.code),
        error.message.clone(),
        error.encode_to_vec().into(),
    )
}

/// `(key, value)` pairs as ErrorInfo metadata.
pub fn metadata<const N: usize>(
    pairs: [(&str, &str); N],
) -> std::collections::BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Runs each named check of `$module` (a module of checks at the test crate's root, taking
/// `&mut TestApp`) against a fresh app from `$spawn` (an expression giving a future of
/// `(TestApp, guard)`, the guard kept until the check ends), with the attributes given after it:
/// the same checks then run on each store.
#[macro_export]
macro_rules! store_checks {
    ($module:ident; $spawn:expr; $(#[$attr:meta])* $($check:ident),+ $(,)?) => {
        $crate::store_checks!(@each $module [$(#[$attr])*] $spawn; $($check),+);
    };
    // `$attrs` is the bracketed attribute list, passed whole into each check's repetition.
    (@each $module:ident $attrs:tt $spawn:expr; $($check:ident),+) => {$(
        $crate::store_checks!(@one $module $attrs $spawn; $check);
    )+};
    (@one $module:ident [$(#[$attr:meta])*] $spawn:expr; $check:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])*
        async fn $check() {
            let (mut app, _guard) = $spawn.await;
            $crate::$module::$check(&mut app).await;
        }
    };
}
