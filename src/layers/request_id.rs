//! Request ids: taken from the caller's `x-request-id` metadata when it is a sensible id,
//! generated otherwise, returned in the response metadata, and carried by a span so that every
//! log line of the call names it.

use super::{BoxFuture, method_of};
use http::{HeaderValue, Request, Response};
use std::task::{Context, Poll};
use tower::{Layer, Service};
use tracing::Instrument as _;

/// The metadata key.
pub const HEADER: &str = "x-request-id";

/// Adds request ids.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestIdLayer;

impl<S> Layer<S> for RequestIdLayer {
    type Service = RequestId<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestId { inner }
    }
}

/// The service [`RequestIdLayer`] builds.
#[derive(Debug, Clone)]
pub struct RequestId<S> {
    inner: S,
}

/// A caller's id is kept when it is short printable ASCII; anything else is replaced, so that
/// logs cannot be forged or flooded through it.
fn usable(value: &HeaderValue) -> Option<&str> {
    let id = value.to_str().ok()?;
    let printable = id.bytes().all(|b| b.is_ascii_graphic());
    (!id.is_empty() && id.len() <= 128 && printable).then_some(id)
}

fn generate() -> String {
    let mut bytes = [0u8; 16];
    // Without randomness the id is still unique enough per process: fall back to the clock.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes = nanos.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl<S, B, R> Service<Request<B>> for RequestId<S>
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

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let id = request
            .headers()
            .get(HEADER)
            .and_then(usable)
            .map_or_else(generate, str::to_owned);
        let value =
            HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("invalid"));
        request.headers_mut().insert(HEADER, value.clone());
        let span =
            tracing::info_span!("rpc", request_id = %id, method = method_of(request.uri().path()));
        let call = span.in_scope(|| self.inner.call(request));
        Box::pin(
            async move {
                let mut response = call.await?;
                response.headers_mut().insert(HEADER, value);
                Ok(response)
            }
            .instrument(span),
        )
    }
}
