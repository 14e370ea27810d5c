//! The global in-flight limit: across all connections, at most N calls at once. A call over the
//! limit is refused at once with RESOURCE_EXHAUSTED rather than queued.

use super::BoxFuture;
use crate::api::error::RETRY_AFTER;
use http::{Request, Response};
use std::{
    sync::Arc,
    task::{Context, Poll},
};
use tokio::sync::Semaphore;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};
use tower::{Layer, Service};

/// Limits the calls in flight across every connection.
#[derive(Debug, Clone)]
pub struct InFlightLayer {
    permits: Arc<Semaphore>,
    limit: usize,
}

impl InFlightLayer {
    /// At most `limit` calls at once.
    pub fn new(limit: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
        }
    }
}

impl<S> Layer<S> for InFlightLayer {
    type Service = InFlight<S>;

    fn layer(&self, inner: S) -> Self::Service {
        InFlight {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`InFlightLayer`] builds.
#[derive(Debug, Clone)]
pub struct InFlight<S> {
    inner: S,
    layer: InFlightLayer,
}

impl<S, B, R> Service<Request<B>> for InFlight<S>
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
        let Ok(permit) = self.layer.permits.clone().try_acquire_owned() else {
            metrics::counter!("paydiag_shed_requests_total", "reason" => "global_in_flight")
                .increment(1);
            let status = Status::with_error_details(
                Code::ResourceExhausted,
                format!(
                    "server busy: {} calls in flight; retry shortly",
                    self.layer.limit
                ),
                ErrorDetails::with_retry_info(Some(RETRY_AFTER)),
            );
            return Box::pin(std::future::ready(Ok(status.into_http())));
        };
        let guard = InFlightGuard::enter(permit);
        let call = self.inner.call(request);
        Box::pin(async move {
            let response = call.await;
            drop(guard);
            response
        })
    }
}

/// Holds a call's place until it finishes or is cancelled, and keeps the gauge in step.
struct InFlightGuard {
    _permit: tokio::sync::OwnedSemaphorePermit,
    gauge: metrics::Gauge,
}

impl InFlightGuard {
    fn enter(permit: tokio::sync::OwnedSemaphorePermit) -> Self {
        let gauge = metrics::gauge!("paydiag_in_flight_requests");
        gauge.increment(1.0);
        Self {
            _permit: permit,
            gauge,
        }
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.gauge.decrement(1.0);
    }
}
