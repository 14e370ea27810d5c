//! What a request must be before a service reads it, per the gRPC HTTP/2 protocol:
//! - its `content-type` is `application/grpc` (or `+proto`); anything else is refused with HTTP
//!   415 and UNIMPLEMENTED, so that no other HTTP/2 client mistakes the refusal for a success;
//! - a malformed `grpc-timeout` is refused with INTERNAL, as grpc-go does; a deadline under
//!   1 ms has passed by the time the call is read, so the call ends at once (DEADLINE_EXCEEDED);
//! - a method that takes one message (every method but ImportFacts and reflection) gets it
//!   whole within the message timeout, or the call ends with DEADLINE_EXCEEDED and frees its
//!   place: a client that sends 3 bytes of a 5-byte frame and waits holds nothing for long;
//! - such a method gets exactly one message: a second is refused with UNIMPLEMENTED (gRPC's
//!   code for a cardinality violation), never silently dropped.

use super::{BoxFuture, method_of};
use crate::api::reason::{ErrorReason, error_status};
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use http_body::{Frame, SizeHint};
use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};
use tokio::time::Sleep;
use tonic::{Code, Status, body::Body};
use tonic_types::ErrorDetails;
use tower::{Layer, Service};

/// Methods whose request is a stream of messages rather than one.
const STREAMED_REQUESTS: [&str; 3] = [
    "paydiag.v1.FactService/ImportFacts",
    "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
];

/// Deadlines shorter than this have passed by the time a call is read.
const SHORTEST_DEADLINE: Duration = Duration::from_millis(1);

/// A `grpc-timeout` that is not 1 to 8 digits followed by H, M, S, m, u or n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedTimeout;

/// The caller's deadline from `grpc-timeout`: `Ok(None)` without one.
pub fn grpc_timeout(headers: &HeaderMap) -> Result<Option<Duration>, MalformedTimeout> {
    headers.get("grpc-timeout").map(parse_timeout).transpose()
}

/// A `grpc-timeout` value as a duration.
pub fn parse_timeout(value: &HeaderValue) -> Result<Duration, MalformedTimeout> {
    let Some((&unit, digits)) = value.as_bytes().split_last() else {
        return Err(MalformedTimeout);
    };
    if digits.is_empty() || digits.len() > 8 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(MalformedTimeout);
    }
    let amount: u64 = std::str::from_utf8(digits)
        .map_err(|_| MalformedTimeout)?
        .parse()
        .map_err(|_| MalformedTimeout)?;
    Ok(match unit {
        b'H' => Duration::from_secs(amount * 3600),
        b'M' => Duration::from_secs(amount * 60),
        b'S' => Duration::from_secs(amount),
        b'm' => Duration::from_millis(amount),
        b'u' => Duration::from_micros(amount),
        b'n' => Duration::from_nanos(amount),
        _ => return Err(MalformedTimeout),
    })
}

/// Checks requests before any service reads them.
#[derive(Debug, Clone, Copy)]
pub struct RequestChecksLayer {
    message_timeout: Duration,
}

impl RequestChecksLayer {
    /// A one-message request must arrive whole within `message_timeout`.
    pub fn new(message_timeout: Duration) -> Self {
        Self { message_timeout }
    }
}

impl<S> Layer<S> for RequestChecksLayer {
    type Service = RequestChecks<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestChecks {
            inner,
            message_timeout: self.message_timeout,
        }
    }
}

/// The service [`RequestChecksLayer`] builds.
#[derive(Debug, Clone)]
pub struct RequestChecks<S> {
    inner: S,
    message_timeout: Duration,
}

impl<S> RequestChecks<S> {
    /// The answer refusing `request`, if it must be refused before it is read.
    fn refusal(request: &Request<Body>) -> Option<Response<Body>> {
        let content_type = request.headers().get(http::header::CONTENT_TYPE);
        if !content_type.is_some_and(is_grpc) {
            let mut response = not_grpc().into_http::<Body>();
            *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
            return Some(response);
        }
        let status = match grpc_timeout(request.headers()) {
            Ok(Some(deadline)) if deadline < SHORTEST_DEADLINE => deadline_passed(),
            Ok(_) => return None,
            Err(MalformedTimeout) => malformed_timeout(),
        };
        Some(status.into_http())
    }
}

/// The refusal of a request whose content type is not gRPC's.
fn not_grpc() -> Status {
    error_status(
        Code::Unimplemented,
        "content-type must be application/grpc or application/grpc+proto",
        ErrorReason::ContentTypeUnsupported,
        [],
        ErrorDetails::new(),
    )
}

/// The end of a call whose deadline passed before it could start.
fn deadline_passed() -> Status {
    error_status(
        Code::DeadlineExceeded,
        "the caller's deadline (grpc-timeout) passed before the call could start",
        ErrorReason::DeadlineTooShort,
        [],
        ErrorDetails::new(),
    )
}

/// The refusal of a request whose `grpc-timeout` cannot be read.
fn malformed_timeout() -> Status {
    error_status(
        Code::Internal,
        "malformed grpc-timeout",
        ErrorReason::GrpcTimeoutMalformed,
        [],
        ErrorDetails::new(),
    )
}

/// The refusal of a second message where a method takes one.
fn second_message() -> Status {
    error_status(
        Code::Unimplemented,
        "this method takes one request message; the request carried more",
        ErrorReason::TooManyMessages,
        [],
        ErrorDetails::new(),
    )
}

/// The end of a call whose message did not arrive whole within `timeout`.
fn message_late(timeout: Duration) -> Status {
    let timeout = humantime::format_duration(timeout).to_string();
    error_status(
        Code::DeadlineExceeded,
        format!("the request message did not arrive whole within {timeout}"),
        ErrorReason::MessageTimeout,
        [("timeout", timeout)],
        ErrorDetails::new(),
    )
}

/// `application/grpc`, `application/grpc+proto`, each with or without parameters.
fn is_grpc(value: &HeaderValue) -> bool {
    let media_type = value.as_bytes().split(|&b| b == b';').next().unwrap_or(b"");
    let media_type = media_type.trim_ascii();
    media_type.eq_ignore_ascii_case(b"application/grpc")
        || media_type.eq_ignore_ascii_case(b"application/grpc+proto")
}

impl<S> Service<Request<Body>> for RequestChecks<S>
where
    S: Service<Request<Body>, Response = Response<Body>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<Body>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        if let Some(refusal) = Self::refusal(&request) {
            return Box::pin(std::future::ready(Ok(refusal)));
        }
        let one_message = !STREAMED_REQUESTS.contains(&method_of(request.uri().path()));
        let request = if one_message {
            let timeout = self.message_timeout;
            request.map(|body| Body::new(OneMessage::new(body, timeout)))
        } else {
            request
        };
        Box::pin(self.inner.call(request))
    }
}

/// The body of a one-message request: ends in an error when the message is not whole and the
/// stream not ended within the timeout, or when a second message begins.
struct OneMessage {
    inner: Body,
    /// `None` once the stream has ended.
    deadline: Option<Pin<Box<Sleep>>>,
    timeout: Duration,
    framing: Framing,
}

impl OneMessage {
    fn new(inner: Body, timeout: Duration) -> Self {
        Self {
            inner,
            deadline: Some(Box::pin(tokio::time::sleep(timeout))),
            timeout,
            framing: Framing::default(),
        }
    }
}

impl http_body::Body for OneMessage {
    type Data = bytes::Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = &mut *self;
        let Some(deadline) = this.deadline.as_mut() else {
            return Poll::Ready(None);
        };
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.framing.feed(data);
                    if this.framing.begun > 1 {
                        this.deadline = None;
                        return Poll::Ready(Some(Err(second_message())));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => {
                this.deadline = None;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Pending => {
                if deadline.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.deadline = None;
                metrics::counter!("paydiag_shed_requests_total", "reason" => "message_timeout")
                    .increment(1);
                Poll::Ready(Some(Err(message_late(this.timeout))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.deadline.is_none() || self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Where a request stream stands in gRPC's framing: each message is a 5-byte header (a
/// compression flag and a 4-byte length) and that many bytes.
#[derive(Debug, Default)]
struct Framing {
    header: [u8; 5],
    header_read: usize,
    body_left: u64,
    /// Messages whose first byte has arrived.
    begun: u32,
}

impl Framing {
    fn feed(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.body_left > 0 {
                let n = data
                    .len()
                    .min(usize::try_from(self.body_left).unwrap_or(usize::MAX));
                self.body_left -= n as u64;
                data = &data[n..];
                continue;
            }
            if self.header_read == 0 {
                self.begun += 1;
            }
            let n = data.len().min(5 - self.header_read);
            self.header[self.header_read..self.header_read + n].copy_from_slice(&data[..n]);
            self.header_read += n;
            data = &data[n..];
            if self.header_read == 5 {
                let [_, a, b, c, d] = self.header;
                self.body_left = u64::from(u32::from_be_bytes([a, b, c, d]));
                self.header_read = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(timeout: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("grpc-timeout", timeout.parse().expect("a header value"));
        headers
    }

    #[test]
    fn grpc_timeouts_are_read_as_the_spec_writes_them() {
        assert_eq!(grpc_timeout(&HeaderMap::new()), Ok(None));
        assert_eq!(grpc_timeout(&headers("0S")), Ok(Some(Duration::ZERO)));
        assert_eq!(
            grpc_timeout(&headers("1n")),
            Ok(Some(Duration::from_nanos(1)))
        );
        assert_eq!(
            grpc_timeout(&headers("99999999H")),
            Ok(Some(Duration::from_secs(99_999_999 * 3600)))
        );
        assert_eq!(
            grpc_timeout(&headers("250m")),
            Ok(Some(Duration::from_millis(250)))
        );
        for malformed in [
            "",
            "S",
            "5",
            "123456789S",
            "5s",
            "-5S",
            "5 S",
            "1.5S",
            "５S",
        ] {
            assert_eq!(
                grpc_timeout(&headers(malformed)),
                Err(MalformedTimeout),
                "{malformed:?}"
            );
        }
    }

    #[test]
    fn content_types_other_than_grpc_and_grpc_proto_are_not_grpc() {
        for grpc in [
            "application/grpc",
            "application/grpc+proto",
            "Application/GRPC; charset=utf-8",
        ] {
            assert!(is_grpc(&HeaderValue::from_static(grpc)), "{grpc}");
        }
        for other in [
            "application/json",
            "application/grpc+json",
            "application/grpc-web",
            "",
        ] {
            assert!(!is_grpc(&HeaderValue::from_static(other)), "{other}");
        }
    }

    #[test]
    fn framing_counts_messages_however_the_bytes_are_split() {
        let mut two = vec![0, 0, 0, 0, 3, 1, 2, 3];
        two.extend([0, 0, 0, 0, 0]);
        for split in 0..=two.len() {
            let mut framing = Framing::default();
            framing.feed(&two[..split]);
            framing.feed(&two[split..]);
            assert_eq!(framing.begun, 2, "split at {split}");
        }
        let mut partial = Framing::default();
        partial.feed(&[0, 0, 0]);
        assert_eq!((partial.begun, partial.header_read), (1, 3));
    }
}
