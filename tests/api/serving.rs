use crate::helpers::{spawn_app, spawn_with_store};
use paydiag::{demo, pb::v1 as pb, store::FactStore};
use tonic_health::pb::{HealthCheckRequest, health_check_response::ServingStatus};

#[tokio::test]
async fn health_reports_serving_for_the_server_and_each_service() {
    let mut app = spawn_app().await;
    for service in ["", "paydiag.v1.DiagnosisService", "paydiag.v1.FactService"] {
        let response = app
            .health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .expect("health check")
            .into_inner();
        assert_eq!(response.status(), ServingStatus::Serving, "{service:?}");
    }
}

#[tokio::test]
async fn reflection_v1_and_v1alpha_list_the_services_and_carry_doc_comments() {
    use tonic_reflection::pb::v1alpha;
    let app = spawn_app().await;

    let names = crate::helpers::reflected_services(&app.channel).await;
    for service in [
        "paydiag.v1.DiagnosisService",
        "paydiag.v1.FactService",
        "grpc.health.v1.Health",
    ] {
        assert!(
            names.iter().any(|n| n == service),
            "{service} missing from {names:?}"
        );
    }

    let mut alpha =
        v1alpha::server_reflection_client::ServerReflectionClient::new(app.channel.clone());
    let request = v1alpha::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(
            v1alpha::server_reflection_request::MessageRequest::FileContainingSymbol(
                "paydiag.v1.DiagnosisService".into(),
            ),
        ),
    };
    let mut stream = alpha
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .expect("v1alpha")
        .into_inner();
    let Some(v1alpha::server_reflection_response::MessageResponse::FileDescriptorResponse(files)) =
        stream
            .message()
            .await
            .expect("message")
            .and_then(|r| r.message_response)
    else {
        panic!("no file response")
    };
    let comments: Vec<String> = files
        .file_descriptor_proto
        .iter()
        .filter_map(|bytes| {
            <prost_types::FileDescriptorProto as prost::Message>::decode(bytes.as_slice()).ok()
        })
        .filter_map(|file| file.source_code_info)
        .flat_map(|info| info.location)
        .filter_map(|location| location.leading_comments)
        .collect();
    assert!(
        comments
            .iter()
            .any(|c| c.contains("Diagnoses one transaction")),
        "doc comments should reach reflection clients"
    );
}

#[tokio::test]
async fn the_demo_data_set_shows_each_cause_when_diagnosed_right_away() {
    let dir = tempfile::TempDir::new().expect("dir");
    let store = paydiag::store::sqlite::SqliteStore::open(&dir.path().join("demo.db"), 2)
        .await
        .expect("store");
    store
        .put_facts(demo::facts(chrono::Utc::now()))
        .await
        .expect("demo facts");
    let mut app = spawn_with_store(std::sync::Arc::new(store), dir).await;

    for (reference, cause) in demo::REFERENCES {
        let d = app
            .diagnosis
            .diagnose(pb::DiagnoseRequest {
                reference: (*reference).into(),
                ..Default::default()
            })
            .await
            .expect("diagnose")
            .into_inner();
        assert_eq!(d.cause().as_str_name(), *cause, "{reference}");
    }
    let causes: std::collections::HashSet<&str> =
        demo::REFERENCES.iter().map(|(_, c)| *c).collect();
    let every_cause = paydiag::api::enums::CAUSES
        .iter()
        .filter(|c| **c != pb::Cause::Undetermined)
        .map(|c| c.as_str_name())
        .collect();
    assert_eq!(
        causes, every_cause,
        "every cause but UNDETERMINED has a demo reference"
    );
}

#[tokio::test]
async fn health_turns_not_serving_when_shutdown_begins() {
    let mut app = spawn_app().await;
    let mut watch = app
        .health
        .watch(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("watch")
        .into_inner();
    let first = watch.message().await.expect("first").expect("status");
    assert_eq!(first.status(), ServingStatus::Serving);

    app.begin_shutdown();

    // The open watch stream delivers the change while the server drains.
    let next = watch.message().await;
    assert!(
        matches!(&next, Ok(Some(r)) if r.status() == ServingStatus::NotServing),
        "expected NOT_SERVING, got {next:?}"
    );
    // The watch never ends by itself: the drain grace period bounds the shutdown.
    tokio::time::timeout(std::time::Duration::from_secs(5), app.stop())
        .await
        .expect("shutdown is bounded");
}

#[tokio::test]
async fn a_request_id_is_echoed_back_or_generated() {
    let mut app = spawn_app().await;
    let mut request = tonic::Request::new(pb::DiagnoseRequest {
        reference: "X".into(),
        ..Default::default()
    });
    request
        .metadata_mut()
        .insert("x-request-id", "ticket-4711-a".parse().expect("metadata"));

    let echoed = app.diagnosis.diagnose(request).await.expect("diagnose");
    let generated = app
        .diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: "X".into(),
            ..Default::default()
        })
        .await
        .expect("diagnose");
    let mut forged = tonic::Request::new(pb::DiagnoseRequest {
        reference: "X".into(),
        ..Default::default()
    });
    forged
        .metadata_mut()
        .insert("x-request-id", "a b".parse().expect("metadata"));
    let replaced = app.diagnosis.diagnose(forged).await.expect("diagnose");

    let id = |r: &tonic::Response<pb::Diagnosis>| {
        r.metadata()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(id(&echoed).as_deref(), Some("ticket-4711-a"));
    // A generated id, and the replacement of an id with spaces, are 32 hex digits.
    for generated in [id(&generated), id(&replaced)] {
        let generated = generated.expect("an id comes back");
        assert_eq!(generated.len(), 32, "{generated}");
        assert!(
            generated.bytes().all(|b| b.is_ascii_hexdigit()),
            "{generated}"
        );
    }
}
