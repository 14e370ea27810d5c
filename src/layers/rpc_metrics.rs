//! The `rpc_server_call_duration_seconds` histogram, by method and gRPC status code.

use super::{BoxFuture, method_of, request_checks::parse_timeout};
use http::{Request, Response};
use std::{
    task::{Context, Poll},
    time::Instant,
};
use tower::{Layer, Service};

/// The histogram's name (OpenTelemetry's `rpc.server.call.duration`, in Prometheus spelling).
pub const CALL_DURATION: &str = "rpc_server_call_duration_seconds";

/// Times every call.
#[derive(Debug, Clone, Copy, Default)]
pub struct RpcMetricsLayer;

impl<S> Layer<S> for RpcMetricsLayer {
    type Service = RpcMetrics<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RpcMetrics { inner }
    }
}

/// The service [`RpcMetricsLayer`] builds.
#[derive(Debug, Clone)]
pub struct RpcMetrics<S> {
    inner: S,
}

/// The status of a finished unary call: errors come as trailers-only responses whose headers
/// carry `grpc-status`; a response without it is a success (its status follows the message).
fn status_code<R>(response: &Response<R>) -> &'static str {
    let code = response
        .headers()
        .get("grpc-status")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i32>().ok())
        .unwrap_or(0);
    code_name(tonic::Code::from_i32(code))
}

/// The canonical upper-case name of a gRPC status code.
pub fn code_name(code: tonic::Code) -> &'static str {
    match code {
        tonic::Code::Ok => "OK",
        tonic::Code::Cancelled => "CANCELLED",
        tonic::Code::Unknown => "UNKNOWN",
        tonic::Code::InvalidArgument => "INVALID_ARGUMENT",
        tonic::Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        tonic::Code::NotFound => "NOT_FOUND",
        tonic::Code::AlreadyExists => "ALREADY_EXISTS",
        tonic::Code::PermissionDenied => "PERMISSION_DENIED",
        tonic::Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        tonic::Code::FailedPrecondition => "FAILED_PRECONDITION",
        tonic::Code::Aborted => "ABORTED",
        tonic::Code::OutOfRange => "OUT_OF_RANGE",
        tonic::Code::Unimplemented => "UNIMPLEMENTED",
        tonic::Code::Internal => "INTERNAL",
        tonic::Code::Unavailable => "UNAVAILABLE",
        tonic::Code::DataLoss => "DATA_LOSS",
        tonic::Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

impl<S, B, R> Service<Request<B>> for RpcMetrics<S>
where
    S: Service<Request<B>, Response = Response<R>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
    R: Send + 'static,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<R>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let mut timing = Timing {
            method: method_of(request.uri().path()).to_owned(),
            started: Instant::now(),
            // Read only if the call is dropped unanswered: most calls never need it.
            deadline: request.headers().get("grpc-timeout").cloned(),
            recorded: false,
        };
        let call = self.inner.call(request);
        Box::pin(async move {
            let response = call.await?;
            timing.record(status_code(&response));
            Ok(response)
        })
    }
}

/// A call being timed: recorded with its status when it answers, or, when it is dropped
/// unanswered, as its caller ended it (DEADLINE_EXCEEDED past the caller's deadline, CANCELLED
/// when the caller went away).
struct Timing {
    method: String,
    started: Instant,
    /// The caller's `grpc-timeout`, if it sent one.
    deadline: Option<http::HeaderValue>,
    recorded: bool,
}

impl Timing {
    fn record(&mut self, code: &'static str) {
        self.recorded = true;
        let labels = [
            ("rpc_method", std::mem::take(&mut self.method)),
            ("rpc_grpc_status_code", code.to_owned()),
        ];
        metrics::histogram!(CALL_DURATION, &labels).record(self.started.elapsed().as_secs_f64());
    }
}

impl Drop for Timing {
    fn drop(&mut self) {
        if self.recorded {
            return;
        }
        let elapsed = self.started.elapsed();
        let deadline = self.deadline.as_ref().and_then(|v| parse_timeout(v).ok());
        let code = if deadline.is_some_and(|deadline| elapsed >= deadline) {
            tonic::Code::DeadlineExceeded
        } else {
            tonic::Code::Cancelled
        };
        self.record(code_name(code));
    }
}
