//! Counts each call as open on its connection until its answer has been sent to the end, so
//! that a connection knows when it is idle (see [`crate::transport`]).

use super::BoxFuture;
use crate::transport::{CallOpen, Peer};
use http::{Request, Response};
use http_body::{Body, Frame, SizeHint};
use std::{
    pin::Pin,
    task::{Context, Poll},
};
use tower::{Layer, Service};

/// Tracks the calls open on each connection.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenCallsLayer;

impl<S> Layer<S> for OpenCallsLayer {
    type Service = OpenCallsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        OpenCallsService { inner }
    }
}

/// The service [`OpenCallsLayer`] builds.
#[derive(Debug, Clone)]
pub struct OpenCallsService<S> {
    inner: S,
}

impl<S, B, R> Service<Request<B>> for OpenCallsService<S>
where
    S: Service<Request<B>, Response = Response<R>> + Send + 'static,
    S::Future: Send + 'static,
    R: Send + 'static,
{
    type Response = Response<OpenCallBody<R>>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // Connections that did not come through `transport::incoming` (none in the server) are
        // simply not tracked.
        let open = request.extensions().get::<Peer>().map(|p| p.calls.enter());
        let call = self.inner.call(request);
        Box::pin(async move {
            let response = call.await?;
            Ok(response.map(|inner| OpenCallBody { inner, open }))
        })
    }
}

/// An answer's body, holding its call open until the body ends or is dropped.
#[derive(Debug)]
pub struct OpenCallBody<B> {
    inner: B,
    open: Option<CallOpen>,
}

impl<B: Body + Unpin> Body for OpenCallBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let frame = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(frame, Poll::Ready(None)) {
            self.open = None;
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
