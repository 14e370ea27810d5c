//! Hostile input over a real connection: each gets a precise status, and the server stays
//! healthy for the next caller.

use crate::helpers::{TestApp, assert_reason, spawn_app, transaction, violated_fields};
use paydiag::pb::v1 as pb;
use prost::Message;
use tonic::Code;
use tonic_health::pb::{HealthCheckRequest, health_check_response::ServingStatus};

async fn still_healthy(app: &mut TestApp) {
    let health = app
        .health
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("health");
    assert_eq!(health.into_inner().status(), ServingStatus::Serving);
    let next = app
        .diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: "NEXT".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(
        next.expect("the next caller is served")
            .into_inner()
            .cause(),
        pb::Cause::NotFound
    );
}

#[tokio::test]
async fn a_one_megabyte_reference_is_an_invalid_argument_not_a_crash() {
    let mut app = spawn_app().await;
    let request = pb::DiagnoseRequest {
        reference: "R".repeat(1_000_000),
        ..Default::default()
    };

    let status = app.diagnosis.diagnose(request).await.expect_err("too long");

    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(violated_fields(&status), ["reference"]);
    assert_reason(&status, "INVALID_FIELD");
    still_healthy(&mut app).await;
}

#[tokio::test]
async fn nul_bytes_and_control_characters_in_every_text_field_are_refused() {
    let mut app = spawn_app().await;
    let bad = pb::Transaction {
        account_id: "acct\u{0}1".into(),
        destination: "0x52\u{1b}[2J".into(),
        memo: "tag\r\n".into(),
        ..transaction("TX\u{7f}")
    };

    let status = app
        .facts
        .put_transaction(pb::PutTransactionRequest {
            transaction: Some(bad),
        })
        .await
        .expect_err("control characters");

    let mut fields = violated_fields(&status);
    fields.sort();
    assert_eq!(
        fields,
        [
            "transaction.account_id",
            "transaction.destination",
            "transaction.memo",
            "transaction.reference"
        ]
    );
    still_healthy(&mut app).await;
}

#[tokio::test]
async fn invalid_utf8_in_a_string_field_is_refused_by_the_decoder() {
    let mut app = spawn_app().await;
    // A DiagnoseRequest whose `reference` (field 1, length-delimited) holds invalid UTF-8.
    let raw: Vec<u8> = vec![0x0a, 0x03, 0xff, 0xfe, 0xfd];
    let mut grpc = tonic::client::Grpc::new(app.channel.clone());
    grpc.ready().await.expect("ready");
    let path = http::uri::PathAndQuery::from_static("/paydiag.v1.DiagnosisService/Diagnose");
    let status = grpc
        .unary::<RawBytes, pb::Diagnosis, _>(tonic::Request::new(RawBytes(raw)), path, RawCodec)
        .await
        .expect_err("invalid UTF-8");

    assert_eq!(status.code(), Code::Internal, "{status:?}");
    assert!(status.message().contains("decode"), "{}", status.message());
    assert_reason(&status, "MALFORMED_MESSAGE");
    still_healthy(&mut app).await;
}

#[tokio::test]
async fn a_method_paydiag_does_not_have_is_unimplemented_and_named_so() {
    let mut app = spawn_app().await;
    let mut grpc = tonic::client::Grpc::new(app.channel.clone());
    for path in [
        "/paydiag.v1.DiagnosisService/Forecast",
        "/paydiag.v2.DiagnosisService/Diagnose",
    ] {
        grpc.ready().await.expect("ready");
        let status = grpc
            .unary::<RawBytes, pb::Diagnosis, _>(
                tonic::Request::new(RawBytes(Vec::new())),
                http::uri::PathAndQuery::from_static(path),
                RawCodec,
            )
            .await
            .expect_err("no such method");

        assert_eq!(status.code(), Code::Unimplemented, "{path}: {status:?}");
        assert_reason(&status, "METHOD_NOT_FOUND");
    }
    still_healthy(&mut app).await;
}

#[tokio::test]
async fn unknown_enum_numbers_and_extreme_timestamps_are_named() {
    let mut app = spawn_app().await;
    let earliest = prost_types::Timestamp {
        seconds: -62_135_596_800,
        nanos: 0,
    };
    let latest = prost_types::Timestamp {
        seconds: 253_402_300_799,
        nanos: 999_999_999,
    };
    let bad = pb::Transaction {
        kind: 77,
        status: -3,
        created_at: Some(earliest),
        updated_at: Some(prost_types::Timestamp {
            seconds: 10,
            nanos: -5,
        }),
        completed_at: Some(latest),
        ..transaction("TX-EXTREME")
    };

    let status = app
        .facts
        .put_transaction(pb::PutTransactionRequest {
            transaction: Some(bad),
        })
        .await
        .expect_err("invalid");
    let valid_extremes = pb::Transaction {
        status: pb::TransactionStatus::Completed.into(),
        created_at: Some(earliest),
        completed_at: Some(latest),
        ..transaction("TX-EDGES")
    };
    let stored = app
        .facts
        .put_transaction(pb::PutTransactionRequest {
            transaction: Some(valid_extremes),
        })
        .await
        .expect("years 1 and 9999 are valid");

    let mut fields = violated_fields(&status);
    fields.sort();
    assert_eq!(
        fields,
        [
            "transaction.completed_at",
            "transaction.kind",
            "transaction.status",
            "transaction.updated_at"
        ]
    );
    assert_eq!(stored.into_inner().completed_at, Some(latest));
    still_healthy(&mut app).await;
}

#[tokio::test]
async fn a_million_item_batch_is_refused_for_its_size() {
    let mut app = spawn_app().await;
    let item = pb::DiagnoseRequest {
        reference: "R".into(),
        ..Default::default()
    };
    let batch = pb::BatchDiagnoseRequest {
        requests: vec![item; 1_000_000],
    };
    assert!(batch.encoded_len() > 1024 * 1024);

    let status = app
        .diagnosis
        .batch_diagnose(batch)
        .await
        .expect_err("too large");

    assert_eq!(status.code(), Code::OutOfRange, "{status:?}");
    assert_reason(&status, "MESSAGE_TOO_LARGE");
    still_healthy(&mut app).await;
}

#[tokio::test]
async fn a_client_that_opens_more_streams_than_allowed_queues_them_and_starves_no_one() {
    let mut app = spawn_app().await;
    let mut senders = Vec::new();
    let mut calls = Vec::new();
    // More than the 128 calls a connection may carry: the client queues the rest, as the
    // server's SETTINGS tell it to.
    for _ in 0..200 {
        let (tx, rx) = tokio::sync::mpsc::channel::<pb::ImportFactsRequest>(1);
        let mut client = app.facts.clone();
        calls.push(tokio::spawn(async move {
            client
                .import_facts(tokio_stream::wrappers::ReceiverStream::new(rx))
                .await
        }));
        senders.push(tx);
    }

    // A fresh connection is served while the streams stay open.
    let other = tonic::transport::Channel::from_shared(format!("http://{}", app.addr))
        .expect("uri")
        .connect()
        .await
        .expect("connect");
    let mut fresh = pb::diagnosis_service_client::DiagnosisServiceClient::new(other);
    let served = fresh
        .diagnose(pb::DiagnoseRequest {
            reference: "X".into(),
            ..Default::default()
        })
        .await
        .expect("a fresh connection is served");
    assert_eq!(served.into_inner().cause(), pb::Cause::NotFound);

    drop(senders);
    for call in calls {
        let imported = call
            .await
            .expect("join")
            .expect("every queued call is served");
        assert_eq!(imported.into_inner(), pb::ImportFactsResponse::default());
    }
    still_healthy(&mut app).await;
}

/// Raw bytes sent as a request message, to send what no generated client would.
struct RawBytes(Vec<u8>);

#[derive(Clone, Copy, Default)]
struct RawCodec;

impl tonic::codec::Codec for RawCodec {
    type Encode = RawBytes;
    type Decode = pb::Diagnosis;
    type Encoder = RawEncoder;
    type Decoder = tonic_prost::ProstDecoder<pb::Diagnosis>;

    fn encoder(&mut self) -> Self::Encoder {
        RawEncoder
    }

    fn decoder(&mut self) -> Self::Decoder {
        tonic_prost::ProstCodec::<pb::DiagnoseRequest, pb::Diagnosis>::raw_decoder(
            Default::default(),
        )
    }
}

struct RawEncoder;

impl tonic::codec::Encoder for RawEncoder {
    type Item = RawBytes;
    type Error = tonic::Status;

    fn encode(
        &mut self,
        item: RawBytes,
        dst: &mut tonic::codec::EncodeBuf<'_>,
    ) -> Result<(), tonic::Status> {
        use bytes::BufMut;
        dst.put_slice(&item.0);
        Ok(())
    }
}
