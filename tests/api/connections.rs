//! Clients that hold connections and call slots without using them, and requests that bend the
//! gRPC protocol, over real connections: each is closed, ended or refused, and health keeps
//! answering.

use crate::helpers::{TestApp, assert_reason, error_metadata, metadata, spawn_with, test_options};
use crate::raw::{self, frame};
use paydiag::{
    auth::{Callers, token_hash},
    pb::v1 as pb,
    server::{ConnectionLimits, ServerOptions},
    store::sqlite::SqliteStore,
};
use prost::Message;
use std::{sync::Arc, time::Duration};
use tokio::{io::AsyncReadExt, net::TcpStream};
use tonic::Code;
use tonic_health::pb::{HealthCheckRequest, health_check_response::ServingStatus};

const DIAGNOSE: &str = "paydiag.v1.DiagnosisService/Diagnose";
const HEALTH_CHECK: &str = "grpc.health.v1.Health/Check";
/// The longest any awaited event may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

async fn app_with(options: ServerOptions) -> TestApp {
    let dir = tempfile::TempDir::new().expect("dir");
    let store = SqliteStore::open(&dir.path().join("paydiag.db"), 2)
        .await
        .expect("store");
    spawn_with(Arc::new(store), dir, options).await
}

fn limits(handshake: Duration, idle: Duration) -> ConnectionLimits {
    ConnectionLimits {
        max_connections: 64,
        handshake_timeout: handshake,
        idle_timeout: idle,
    }
}

/// Reads until the server closes the connection, returning what it sent.
async fn read_until_closed(tcp: &mut TcpStream) -> Vec<u8> {
    let mut sent = Vec::new();
    tokio::time::timeout(PATIENCE, tcp.read_to_end(&mut sent))
        .await
        .expect("the server closes the connection")
        .map_or_else(
            |e| panic!("the connection failed instead of closing: {e}"),
            |_| sent,
        )
}

async fn check_health(app: &mut TestApp) -> ServingStatus {
    app.health
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("health answers")
        .into_inner()
        .status()
}

fn diagnose_request(reference: &str) -> Vec<u8> {
    pb::DiagnoseRequest {
        reference: reference.into(),
        ..Default::default()
    }
    .encode_to_vec()
}

/// Calls Diagnose until the server refuses it as busy: all its places are then taken.
async fn until_busy(app: &mut TestApp) -> tonic::Status {
    tokio::time::timeout(PATIENCE, async {
        loop {
            let answer = app
                .diagnosis
                .diagnose(pb::DiagnoseRequest {
                    reference: "PROBE".into(),
                    ..Default::default()
                })
                .await;
            if let Err(status) = answer {
                if status.code() == Code::ResourceExhausted {
                    return status;
                }
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the held calls take every place")
}

#[tokio::test]
async fn a_connection_that_never_begins_http2_is_closed_after_the_handshake_timeout() {
    let handshake = Duration::from_millis(300);
    let app = app_with(ServerOptions {
        connections: limits(handshake, Duration::from_secs(600)),
        ..test_options()
    })
    .await;
    let started = std::time::Instant::now();
    let mut silent = TcpStream::connect(app.addr).await.expect("connect");
    let mut partial = TcpStream::connect(app.addr).await.expect("connect");
    tokio::io::AsyncWriteExt::write_all(&mut partial, b"PRI * HTTP/2.0\r\n")
        .await
        .expect("written");

    read_until_closed(&mut silent).await;
    read_until_closed(&mut partial).await;

    assert!(started.elapsed() >= handshake, "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_idle_connection_gets_goaway_while_one_with_a_call_open_is_kept() {
    let idle = Duration::from_millis(400);
    let mut app = app_with(ServerOptions {
        connections: limits(Duration::from_secs(10), idle),
        message_timeout: Duration::from_secs(60),
        ..test_options()
    })
    .await;
    let mut busy = raw::connect(app.addr).await;
    let request = frame(&diagnose_request("KEPT"));
    let (answer, mut stream) = busy
        .start(raw::head(app.addr, DIAGNOSE, &[]), &request[..3], false)
        .await;
    let idle_one = raw::connect(app.addr).await;

    // A connection without a call ends cleanly: the server said GOAWAY before closing.
    let closed = tokio::time::timeout(PATIENCE, idle_one.connection)
        .await
        .expect("the idle connection is closed")
        .expect("its task");
    assert!(closed.is_ok(), "closed without GOAWAY: {closed:?}");

    // The connection whose call was open all along still carries it to the end.
    stream
        .send_data(bytes::Bytes::copy_from_slice(&request[3..]), true)
        .expect("the rest of the message");
    let ended = raw::ended(answer).await;
    assert_eq!((ended.http, ended.code), (200, Some(0)), "{ended:?}");
    assert_eq!(check_health(&mut app).await, ServingStatus::Serving);
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_at_once_and_a_freed_slot_serves_again() {
    let mut app = app_with(ServerOptions {
        connections: ConnectionLimits {
            max_connections: 2,
            ..limits(Duration::from_secs(60), Duration::from_secs(60))
        },
        ..test_options()
    })
    .await;
    // The client's connection takes one slot, a silent one the other.
    assert_eq!(check_health(&mut app).await, ServingStatus::Serving);
    let silent = TcpStream::connect(app.addr).await.expect("connect");

    let mut third = TcpStream::connect(app.addr).await.expect("connect");
    let sent = read_until_closed(&mut third).await;
    assert!(sent.is_empty(), "closed before any HTTP/2: {sent:?}");

    drop(silent);
    // Once the server has noticed the close, a new connection is served again.
    let served = tokio::time::timeout(PATIENCE, async {
        loop {
            let channel = tonic::transport::Channel::from_shared(format!("http://{}", app.addr))
                .expect("uri")
                .connect()
                .await
                .expect("connect");
            let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
            if let Ok(answer) = health.check(HealthCheckRequest::default()).await {
                return answer.into_inner().status();
            }
        }
    })
    .await
    .expect("a freed slot serves");
    assert_eq!(served, ServingStatus::Serving);
}

#[tokio::test]
async fn the_server_advertises_its_per_connection_limit_so_clients_queue_beyond_it() {
    let app = app_with(ServerOptions {
        max_calls_per_connection: 3,
        ..test_options()
    })
    .await;
    let tcp = TcpStream::connect(app.addr).await.expect("connect");
    let (_send, mut connection): (h2::client::SendRequest<bytes::Bytes>, _) =
        h2::client::handshake(tcp).await.expect("handshake");

    let advertised = tokio::time::timeout(
        PATIENCE,
        std::future::poll_fn(|cx| {
            if let std::task::Poll::Ready(ended) = std::pin::Pin::new(&mut connection).poll(cx) {
                panic!("the connection ended: {ended:?}");
            }
            match connection.max_concurrent_send_streams() {
                3 => std::task::Poll::Ready(3),
                _ => std::task::Poll::Pending,
            }
        }),
    )
    .await
    .expect("the server's SETTINGS arrive");

    assert_eq!(advertised, 3);
}

#[tokio::test]
async fn health_and_reflection_answer_while_every_service_place_is_held() {
    let mut app = app_with(ServerOptions {
        max_calls_in_flight: 8,
        message_timeout: Duration::from_secs(60),
        ..test_options()
    })
    .await;
    // Each stream sends 3 bytes of a 5-byte frame header, then waits.
    let mut holder = raw::connect(app.addr).await;
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(
            holder
                .start(raw::head(app.addr, DIAGNOSE, &[]), &[0, 0, 0], false)
                .await,
        );
    }
    let busy = until_busy(&mut app).await;
    assert_eq!(
        busy.message(),
        "server busy: 8 calls in flight; retry shortly"
    );
    assert_reason(&busy, "OVERLOADED");

    assert_eq!(check_health(&mut app).await, ServingStatus::Serving);
    let names = crate::helpers::reflected_services(&app.channel).await;
    assert!(
        names.contains(&"paydiag.v1.DiagnosisService".to_owned()),
        "{names:?}"
    );
    drop(held);
}

#[tokio::test]
async fn a_message_that_never_arrives_whole_ends_with_deadline_exceeded_and_frees_its_place() {
    let mut app = app_with(ServerOptions {
        max_calls_in_flight: 1,
        message_timeout: Duration::from_millis(300),
        ..test_options()
    })
    .await;
    let mut slow = raw::connect(app.addr).await;

    let (answer, _stream) = slow
        .start(raw::head(app.addr, DIAGNOSE, &[]), &[0, 0, 0], false)
        .await;
    let ended = raw::ended(answer).await;

    assert_eq!(ended.code, Some(Code::DeadlineExceeded as i32), "{ended:?}");
    assert_eq!(
        ended.message,
        "the request message did not arrive whole within 300ms"
    );
    assert_reason(ended.status(), "MESSAGE_TIMEOUT");
    assert_eq!(
        error_metadata(ended.status()),
        metadata([("timeout", "300ms")])
    );
    let next = app
        .diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: "AFTER".into(),
            ..Default::default()
        })
        .await
        .expect("the place was freed");
    assert_eq!(next.into_inner().cause(), pb::Cause::NotFound);
}

#[tokio::test]
async fn one_caller_cannot_take_every_place_from_the_others() {
    let file = format!(
        "[[callers]]\nname = \"greedy\"\ntoken_sha256 = \"{}\"\nroles = [\"reader\"]\n\n\
         [[callers]]\nname = \"polite\"\ntoken_sha256 = \"{}\"\nroles = [\"reader\"]\n",
        token_hash("greedy-token-0123456789"),
        token_hash("polite-token-0123456789")
    );
    let app = app_with(ServerOptions {
        callers: Arc::new(Callers::parse(&file).expect("callers")),
        max_calls_in_flight: 8,
        max_calls_per_caller: 2,
        message_timeout: Duration::from_secs(60),
        ..test_options()
    })
    .await;
    let greedy = [("authorization", "Bearer greedy-token-0123456789")];
    let polite = [("authorization", "Bearer polite-token-0123456789")];
    let mut holder = raw::connect(app.addr).await;
    let mut held = Vec::new();
    for _ in 0..2 {
        held.push(
            holder
                .start(raw::head(app.addr, DIAGNOSE, &greedy), &[0, 0, 0], false)
                .await,
        );
    }
    let request = frame(&diagnose_request("TX"));

    let over_share = tokio::time::timeout(PATIENCE, async {
        loop {
            let ended = holder
                .call(raw::head(app.addr, DIAGNOSE, &greedy), &request)
                .await;
            if ended.code == Some(Code::ResourceExhausted as i32) {
                return ended;
            }
        }
    })
    .await
    .expect("the greedy caller's third call is refused");
    let served = holder
        .call(raw::head(app.addr, DIAGNOSE, &polite), &request)
        .await;

    assert_eq!(
        over_share.message,
        "this caller already has 2 calls in flight; retry when one ends"
    );
    assert_reason(over_share.status(), "CALLER_IN_FLIGHT_LIMIT");
    assert_eq!(
        error_metadata(over_share.status()),
        metadata([("limit", "2")])
    );
    assert_eq!((served.http, served.code), (200, Some(0)), "{served:?}");
    drop(held);
}

#[tokio::test]
async fn a_zero_or_one_nanosecond_deadline_ends_the_call_at_once_and_a_malformed_one_is_internal() {
    let app = app_with(test_options()).await;
    let mut client = raw::connect(app.addr).await;
    let check = frame(&HealthCheckRequest::default().encode_to_vec());

    for timeout in ["0S", "0n", "1n"] {
        let ended = client
            .call(
                raw::head(app.addr, HEALTH_CHECK, &[("grpc-timeout", timeout)]),
                &check,
            )
            .await;
        assert_eq!(ended.code, Some(Code::DeadlineExceeded as i32), "{timeout}");
        assert_reason(ended.status(), "DEADLINE_TOO_SHORT");
    }
    for malformed in ["soon", "1.5S", "123456789S", "5s"] {
        let ended = client
            .call(
                raw::head(app.addr, HEALTH_CHECK, &[("grpc-timeout", malformed)]),
                &check,
            )
            .await;
        assert_eq!(
            (ended.code, ended.message.as_str()),
            (Some(Code::Internal as i32), "malformed grpc-timeout"),
            "{malformed}"
        );
        assert_reason(ended.status(), "GRPC_TIMEOUT_MALFORMED");
    }
    let fine = client
        .call(
            raw::head(app.addr, HEALTH_CHECK, &[("grpc-timeout", "5S")]),
            &check,
        )
        .await;
    assert_eq!(fine.code, Some(0));
}

#[tokio::test]
async fn a_request_that_is_not_grpc_is_refused_with_unsupported_media_type() {
    let app = app_with(test_options()).await;
    let mut client = raw::connect(app.addr).await;
    let mut head = raw::head(app.addr, DIAGNOSE, &[]);
    head.headers_mut()
        .insert("content-type", "application/json".parse().expect("value"));

    let ended = client.call(head, b"{\"reference\":\"TX\"}").await;

    assert_eq!(ended.http, 415);
    assert_eq!(ended.code, Some(Code::Unimplemented as i32));
    assert_reason(ended.status(), "CONTENT_TYPE_UNSUPPORTED");
}

#[tokio::test]
async fn a_unary_request_carrying_two_messages_is_refused_not_half_read() {
    let app = app_with(test_options()).await;
    let mut client = raw::connect(app.addr).await;
    let mut two = frame(&diagnose_request("FIRST"));
    two.extend(frame(&diagnose_request("SECOND")));

    let ended = client.call(raw::head(app.addr, DIAGNOSE, &[]), &two).await;

    assert_eq!(
        (ended.code, ended.message.as_str()),
        (
            Some(Code::Unimplemented as i32),
            "this method takes one request message; the request carried more"
        )
    );
    assert_reason(ended.status(), "TOO_MANY_MESSAGES");
}

#[tokio::test]
async fn a_compressed_request_is_refused_as_unsupported_and_told_what_the_server_takes() {
    let app = app_with(test_options()).await;
    let mut client = raw::connect(app.addr).await;
    let mut compressed = frame(&diagnose_request("TX"));
    compressed[0] = 1;

    let ended = client
        .call(
            raw::head(app.addr, DIAGNOSE, &[("grpc-encoding", "gzip")]),
            &compressed,
        )
        .await;

    assert_eq!(
        (ended.code, ended.message.as_str()),
        (
            Some(Code::Unimplemented as i32),
            "Content is compressed with `gzip` which isn't supported"
        )
    );
    assert_reason(ended.status(), "COMPRESSION_UNSUPPORTED");
    assert_eq!(
        ended.status().metadata().get("grpc-accept-encoding"),
        Some(&tonic::metadata::MetadataValue::from_static("identity"))
    );
}
