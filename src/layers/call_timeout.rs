//! The server's limit on how long a call may run (`--request-timeout`). A call still running at
//! the limit is ended with DEADLINE_EXCEEDED. The limit covers a call until its answer begins: a
//! stream the server sends (a health watch, reflection) runs for as long as its caller keeps it.
//!
//! A streamed import is the exception: its length grows with the stream, so the same limit
//! applies instead to the stream's silences (see `FactApi`). An import that keeps sending is never
//! cut off part way, and one that goes quiet ends as any other call would. A caller's own deadline
//! (`grpc-timeout`) bounds every call, imports included; tonic enforces it.

use super::{BoxFuture, method_of};
use crate::api::reason::{ErrorReason, error_status};
use http::{Request, Response};
use std::{
    task::{Context, Poll},
    time::Duration,
};
use tonic::{Code, Status};
use tonic_types::ErrorDetails;
use tower::{Layer, Service};

/// The method whose limit is per item rather than per call.
const STREAMED_IMPORT: &str = "paydiag.v1.FactService/ImportFacts";

/// Ends calls that run longer than a limit.
#[derive(Debug, Clone, Copy)]
pub struct CallTimeoutLayer {
    limit: Duration,
}

impl CallTimeoutLayer {
    /// Calls may run for at most `limit`.
    pub fn new(limit: Duration) -> Self {
        Self { limit }
    }
}

impl<S> Layer<S> for CallTimeoutLayer {
    type Service = CallTimeout<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CallTimeout {
            inner,
            limit: self.limit,
        }
    }
}

/// The service [`CallTimeoutLayer`] builds.
#[derive(Debug, Clone)]
pub struct CallTimeout<S> {
    inner: S,
    limit: Duration,
}

/// The end of a call that ran longer than `limit`.
fn too_long(limit: Duration) -> Status {
    let limit = humantime::format_duration(limit).to_string();
    error_status(
        Code::DeadlineExceeded,
        format!("the call ran longer than the server allows ({limit})"),
        ErrorReason::CallTimeout,
        [("timeout", limit)],
        ErrorDetails::new(),
    )
}

impl<S, B, R> Service<Request<B>> for CallTimeout<S>
where
    S: Service<Request<B>, Response = Response<R>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
    R: Default + Send + 'static,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<R>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let limited = method_of(request.uri().path()) != STREAMED_IMPORT;
        let call = self.inner.call(request);
        if !limited {
            return Box::pin(call);
        }
        let limit = self.limit;
        Box::pin(async move {
            match tokio::time::timeout(limit, call).await {
                Ok(response) => response,
                Err(_) => Ok(too_long(limit).into_http()),
            }
        })
    }
}
