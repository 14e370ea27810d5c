//! Raw HTTP/2 to the server: what no generated client would send (part of a frame, two messages
//! on a unary call, another content type) and what it would not show (the server's SETTINGS).

use bytes::Bytes;
use std::net::SocketAddr;
use tokio::net::TcpStream;

/// An HTTP/2 connection whose frames are handled by a background task.
pub struct Raw {
    pub send: h2::client::SendRequest<Bytes>,
    pub connection: tokio::task::JoinHandle<Result<(), h2::Error>>,
}

/// Connects and completes the HTTP/2 handshake.
pub async fn connect(addr: SocketAddr) -> Raw {
    let tcp = TcpStream::connect(addr).await.expect("connect");
    let (send, connection) = h2::client::handshake(tcp).await.expect("handshake");
    Raw {
        send,
        connection: tokio::spawn(connection),
    }
}

/// A gRPC request's head for `method` ("paydiag.v1.DiagnosisService/Diagnose"), with extra
/// headers.
pub fn head(addr: SocketAddr, method: &str, headers: &[(&str, &str)]) -> http::Request<()> {
    let mut request = http::Request::post(format!("http://{addr}/{method}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(()).expect("a request")
}

/// One length-prefixed gRPC message.
pub fn frame(message: &[u8]) -> Vec<u8> {
    let mut framed = vec![0];
    framed.extend(u32::try_from(message.len()).expect("short").to_be_bytes());
    framed.extend(message);
    framed
}

/// How a call ended: the HTTP status, and the gRPC status code and message (from the headers
/// of a trailers-only answer, or from the trailers).
#[derive(Debug)]
pub struct Ended {
    pub http: u16,
    pub code: Option<i32>,
    pub message: String,
    /// The whole status, details included, when the answer carried one.
    pub status: Option<tonic::Status>,
}

impl Ended {
    /// The status the call ended with.
    #[track_caller]
    pub fn status(&self) -> &tonic::Status {
        self.status
            .as_ref()
            .expect("the call ended with a gRPC status")
    }
}

impl Raw {
    /// Starts a call and sends `body`; the stream ends with it when `end` is set.
    pub async fn start(
        &mut self,
        head: http::Request<()>,
        body: &[u8],
        end: bool,
    ) -> (h2::client::ResponseFuture, h2::SendStream<Bytes>) {
        self.send = self.send.clone().ready().await.expect("ready");
        let (response, mut stream) = self.send.send_request(head, false).expect("a stream");
        stream
            .send_data(Bytes::copy_from_slice(body), end)
            .expect("data sent");
        (response, stream)
    }

    /// Makes a call with `body` and waits for how it ends.
    pub async fn call(&mut self, head: http::Request<()>, body: &[u8]) -> Ended {
        let (response, _stream) = self.start(head, body, true).await;
        ended(response).await
    }
}

/// Waits for a call's answer to end.
pub async fn ended(response: h2::client::ResponseFuture) -> Ended {
    let response = response.await.expect("an answer");
    let http = response.status().as_u16();
    let (parts, mut body) = response.into_parts();
    let status = |headers: &http::HeaderMap| {
        let code = headers
            .get("grpc-status")
            .map(|v| v.to_str().expect("ascii").parse().expect("a number"));
        let message = headers
            .get("grpc-message")
            .map(|v| v.to_str().expect("ascii").to_owned())
            .unwrap_or_default();
        (code, message, tonic::Status::from_header_map(headers))
    };
    let (mut code, mut message, mut whole) = status(&parts.headers);
    if code.is_none() {
        while let Some(data) = body.data().await {
            let data = data.expect("data");
            let _ = body.flow_control().release_capacity(data.len());
        }
        if let Some(trailers) = body.trailers().await.expect("trailers") {
            (code, message, whole) = status(&trailers);
        }
    }
    Ended {
        http,
        code,
        // grpc-message is percent-encoded.
        message: percent_encoding::percent_decode_str(&message)
            .decode_utf8()
            .expect("utf-8")
            .into_owned(),
        status: whole,
    }
}
