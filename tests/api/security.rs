use crate::helpers::{
    assert_reason, at, error_metadata, metadata, spawn_with, test_options, transaction,
};
use crate::probed_store::ProbedStore;
use paydiag::{
    auth::{Callers, token_hash},
    pb::v1::{
        self as pb, diagnosis_service_client::DiagnosisServiceClient,
        fact_service_client::FactServiceClient,
    },
    server::{self, ServeConfig},
    store::{SharedStore, StoreConfig, sqlite::SqliteStore},
};
use std::sync::Arc;
use tonic::{Code, Request, transport::Channel};
use tonic_health::pb::HealthCheckRequest;

const READER: &str = "reader-token-0123456789";
const WRITER: &str = "writer-token-9876543210";

fn callers() -> Arc<Callers> {
    let file = format!(
        "[[callers]]\nname = \"agent\"\ntoken_sha256 = \"{}\"\nroles = [\"reader\"]\n\n\
         [[callers]]\nname = \"feeder\"\ntoken_sha256 = \"{}\"\nroles = [\"writer\"]\n",
        token_hash(READER),
        token_hash(WRITER)
    );
    Arc::new(Callers::parse(&file).expect("callers"))
}

async fn secured_app() -> (crate::helpers::TestApp, Arc<ProbedStore>) {
    let dir = tempfile::TempDir::new().expect("dir");
    let inner = SqliteStore::open(&dir.path().join("paydiag.db"), 2)
        .await
        .expect("store");
    let store = Arc::new(ProbedStore::new(inner));
    let options = server::ServerOptions {
        callers: callers(),
        ..test_options()
    };
    let app = spawn_with(store.clone() as SharedStore, dir, options).await;
    (app, store)
}

fn with_token<T>(message: T, token: &str) -> Request<T> {
    let mut request = Request::new(message);
    let value = format!("Bearer {token}").parse().expect("metadata");
    request.metadata_mut().insert("authorization", value);
    request
}

fn diagnose_request(reference: &str) -> pb::DiagnoseRequest {
    pb::DiagnoseRequest {
        reference: reference.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn calls_without_a_known_token_are_unauthenticated_before_anything_is_looked_up() {
    let (mut app, store) = secured_app().await;

    let missing = app
        .diagnosis
        .diagnose(diagnose_request("TX"))
        .await
        .expect_err("no token");
    let unknown = app
        .diagnosis
        .diagnose(with_token(diagnose_request("TX"), "guess"))
        .await
        .expect_err("bad token");
    let mut malformed = Request::new(diagnose_request("TX"));
    malformed
        .metadata_mut()
        .insert("authorization", READER.parse().expect("metadata"));
    let malformed = app
        .diagnosis
        .diagnose(malformed)
        .await
        .expect_err("no Bearer scheme");

    for status in [&missing, &unknown, &malformed] {
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
    }
    assert_reason(&missing, "CREDENTIALS_MISSING");
    assert_reason(&unknown, "CREDENTIALS_INVALID");
    assert_reason(&malformed, "CREDENTIALS_MALFORMED");
    assert_eq!(
        store.lookups(),
        0,
        "no lookup may happen for a refused call"
    );
}

#[tokio::test]
async fn a_peer_guessing_tokens_is_told_to_wait_while_valid_tokens_are_still_served() {
    let (mut app, _store) = secured_app().await;

    let mut unauthenticated = 0;
    let mut slowed = None;
    for _ in 0..200 {
        let refused = app
            .diagnosis
            .diagnose(with_token(diagnose_request("TX"), "guess"))
            .await
            .expect_err("bad token");
        match refused.code() {
            Code::Unauthenticated => {
                assert_reason(&refused, "CREDENTIALS_INVALID");
                unauthenticated += 1;
            }
            _ => {
                slowed = Some(refused);
                break;
            }
        }
    }

    let slowed = slowed.expect("the guesses are slowed down");
    assert_eq!(slowed.code(), Code::ResourceExhausted, "{slowed:?}");
    assert!(
        slowed
            .message()
            .starts_with("too many refused calls from this address"),
        "{}",
        slowed.message()
    );
    use tonic_types::StatusExt;
    assert!(
        slowed.get_details_retry_info().is_some(),
        "carries RetryInfo"
    );
    assert_reason(&slowed, "UNAUTHENTICATED_RATE_LIMITED");
    assert!(unauthenticated >= 10, "{unauthenticated} answered before");
    // Only refusals count: the reader's own calls are served.
    let served = app
        .diagnosis
        .diagnose(with_token(diagnose_request("TX"), READER))
        .await
        .expect("a valid token is served");
    assert_eq!(served.into_inner().cause(), pb::Cause::NotFound);
}

#[tokio::test]
async fn each_role_may_call_only_its_own_service() {
    let (mut app, store) = secured_app().await;
    let put = |token: &str| {
        with_token(
            pb::PutTransactionRequest {
                transaction: Some(transaction("TX-AUTH")),
            },
            token,
        )
    };

    let reader_writes = app
        .facts
        .put_transaction(put(READER))
        .await
        .expect_err("reader may not write");
    let writer_diagnoses = app
        .diagnosis
        .diagnose(with_token(diagnose_request("TX-AUTH"), WRITER))
        .await
        .expect_err("writer");
    app.facts
        .put_transaction(put(WRITER))
        .await
        .expect("writer may write");
    let diagnosis = app
        .diagnosis
        .diagnose(with_token(diagnose_request("TX-AUTH"), READER))
        .await
        .expect("reader may diagnose")
        .into_inner();

    assert_eq!(reader_writes.code(), Code::PermissionDenied);
    // The caller knows its own name: the refusal names only what is missing.
    assert_eq!(
        reader_writes.message(),
        "this caller lacks the writer role this method needs"
    );
    assert_reason(&reader_writes, "ROLE_MISSING");
    assert_eq!(
        error_metadata(&reader_writes),
        metadata([("role", "writer")])
    );
    assert_eq!(writer_diagnoses.code(), Code::PermissionDenied);
    assert_reason(&writer_diagnoses, "ROLE_MISSING");
    assert_eq!(
        error_metadata(&writer_diagnoses),
        metadata([("role", "reader")])
    );
    assert_eq!(
        store.lookups(),
        1,
        "only the permitted diagnosis looked anything up"
    );
    assert_eq!(diagnosis.reference, "TX-AUTH");
}

#[tokio::test]
async fn searching_transactions_reads_only_and_needs_only_the_reader_role() {
    let (mut app, store) = secured_app().await;
    app.facts
        .put_transaction(with_token(
            pb::PutTransactionRequest {
                transaction: Some(transaction("TX-SEARCHED")),
            },
            WRITER,
        ))
        .await
        .expect("writer may write");
    let search = |token: &str| {
        with_token(
            pb::SearchTransactionsRequest {
                account_id: "acct-0000012345".into(),
                ..Default::default()
            },
            token,
        )
    };
    let refused = app
        .facts
        .search_transactions(search(WRITER))
        .await
        .expect_err("a writer without the reader role");
    let found = app
        .facts
        .search_transactions(search(READER))
        .await
        .expect("a reader may search")
        .into_inner();

    assert_eq!(refused.code(), Code::PermissionDenied);
    assert_reason(&refused, "ROLE_MISSING");
    assert_eq!(error_metadata(&refused), metadata([("role", "reader")]));
    let references: Vec<&str> = found
        .transactions
        .iter()
        .map(|t| t.reference.as_str())
        .collect();
    assert_eq!(references, ["TX-SEARCHED"]);
    assert_eq!(store.lookups(), 1, "only the reader's search read");
}

#[tokio::test]
async fn health_and_reflection_stay_open_without_a_token() {
    let (mut app, _) = secured_app().await;

    let health = app
        .health
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await;
    use tonic_reflection::pb::v1alpha::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest,
    };
    let mut reflection = ServerReflectionClient::new(app.channel.clone());
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut listed = reflection
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .expect("reflection is open")
        .into_inner();
    let answer = listed
        .message()
        .await
        .expect("a reflection answer")
        .and_then(|a| a.message_response);

    assert_eq!(
        health.expect("health is open").into_inner().status(),
        tonic_health::pb::health_check_response::ServingStatus::Serving
    );
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse;
    let Some(MessageResponse::ListServicesResponse(services)) = answer else {
        panic!("not a list of services: {answer:?}");
    };
    let names: Vec<&str> = services.service.iter().map(|s| s.name.as_str()).collect();
    assert!(
        names.contains(&"paydiag.v1.DiagnosisService") && names.contains(&"paydiag.v1.FactService"),
        "{names:?}"
    );
}

#[tokio::test]
async fn without_callers_the_server_refuses_to_listen_beyond_loopback_unless_told_to() {
    let dir = tempfile::TempDir::new().expect("dir");
    let config = |listen: &str, insecure: bool| ServeConfig {
        listen: listen.parse().expect("address"),
        metrics_listen: None,
        store: StoreConfig {
            db: dir.path().join("p.db").to_string_lossy().into_owned(),
            pool_size: 2,
            acquire_timeout: std::time::Duration::from_secs(1),
            operation_timeout: std::time::Duration::from_secs(1),
        },
        rules: None,
        demo: false,
        options: test_options(),
        insecure_allow_anonymous: insecure,
        records: paydiag::recorder::RecordOptions::default(),
        watches: paydiag::watch::WatchOptions::default(),
    };

    let refused = server::serve(config("0.0.0.0:0", false), std::future::ready(())).await;
    let loopback = server::serve(config("127.0.0.1:0", false), std::future::ready(())).await;
    let allowed = server::serve(config("0.0.0.0:0", true), std::future::ready(())).await;

    let message = format!("{:#}", refused.expect_err("must refuse"));
    assert!(
        message.contains("--callers") && message.contains("--insecure-allow-anonymous"),
        "{message}"
    );
    assert!(loopback.is_ok(), "{loopback:?}");
    assert!(allowed.is_ok(), "{allowed:?}");
}

#[tokio::test]
async fn a_client_carrying_a_token_for_every_call_is_served() {
    let (app, _) = secured_app().await;
    let token: tonic::metadata::MetadataValue<_> =
        format!("Bearer {READER}").parse().expect("metadata");
    let channel: Channel = app.channel.clone();
    let mut client =
        DiagnosisServiceClient::with_interceptor(channel.clone(), move |mut r: Request<()>| {
            r.metadata_mut().insert("authorization", token.clone());
            Ok(r)
        });
    let mut unauthenticated_writer = FactServiceClient::new(channel);

    let d = client
        .diagnose(diagnose_request("NOPE"))
        .await
        .expect("diagnose")
        .into_inner();
    let w = unauthenticated_writer
        .delete_maintenance_window(pb::DeleteMaintenanceWindowRequest { id: "x".into() })
        .await
        .expect_err("no token");

    assert_eq!(d.cause(), pb::Cause::NotFound);
    assert_eq!(w.code(), Code::Unauthenticated);
    assert_reason(&w, "CREDENTIALS_MISSING");
    let _ = at(0);
}

#[tokio::test]
async fn a_callers_rate_limit_is_shared_across_its_connections() {
    let file = format!(
        "[[callers]]\nname = \"bursty\"\ntoken_sha256 = \"{}\"\nroles = [\"reader\"]\nrate_limit_per_second = 2\n",
        token_hash(READER)
    );
    let options = server::ServerOptions {
        callers: Arc::new(Callers::parse(&file).expect("callers")),
        ..test_options()
    };
    let dir = tempfile::TempDir::new().expect("dir");
    let store = SqliteStore::open(&dir.path().join("p.db"), 2)
        .await
        .expect("store");
    let app = spawn_with(Arc::new(store), dir, options).await;
    let second_connection = Channel::from_shared(format!("http://{}", app.addr))
        .expect("uri")
        .connect()
        .await
        .expect("connect");
    let mut clients = [
        DiagnosisServiceClient::new(app.channel.clone()),
        DiagnosisServiceClient::new(second_connection),
    ];

    let mut outcomes = Vec::new();
    for i in 0..4 {
        outcomes.push(
            clients[i % 2]
                .diagnose(with_token(diagnose_request("TX"), READER))
                .await,
        );
    }

    let refused: Vec<&tonic::Status> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    assert!(
        !refused.is_empty(),
        "4 calls at once exceed 2 per second across both connections"
    );
    use tonic_types::StatusExt;
    for status in refused {
        assert_eq!(status.code(), Code::ResourceExhausted);
        let quota = status
            .get_details_quota_failure()
            .expect("QuotaFailure detail");
        assert_eq!(quota.violations[0].subject, "caller:bursty");
        assert!(
            status.get_details_retry_info().is_some(),
            "RetryInfo detail"
        );
        assert_reason(status, "RATE_LIMITED");
        assert_eq!(
            error_metadata(status),
            metadata([("rate_limit_per_second", "2")])
        );
    }
}
