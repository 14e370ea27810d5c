//! The Prometheus endpoint: the exporter renders, paydiag serves. Serving it behind the same
//! accept loop as gRPC gives it the same connection cap, the same back-off when the process is
//! out of file descriptors, and a deadline for a request's headers.

use crate::transport::Acceptor;
use http_body_util::Full;
use hyper::{Response, body::Bytes, header, server::conn::http1, service::service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use metrics_exporter_prometheus::PrometheusHandle;
use std::{convert::Infallible, time::Duration};
use tokio::net::TcpListener;

/// Most scrapers connected at once: a handful is plenty, and each holds a file descriptor.
const MAX_CONNECTIONS: usize = 64;
/// How long a scraper has to send its request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How often histograms are folded into their buckets between scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Serves `handle`'s metrics over HTTP/1 on `listener` (any path) until the process ends.
pub async fn serve(listener: TcpListener, handle: PrometheusHandle) {
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(UPKEEP_EVERY);
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    });
    let mut acceptor = Acceptor::new(listener, MAX_CONNECTIONS, "metrics");
    loop {
        let (stream, _, slot) = acceptor.accept().await;
        let handle = handle.clone();
        tokio::spawn(async move {
            let scrape = service_fn(move |_| {
                let mut response = Response::new(Full::new(Bytes::from(handle.render())));
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    header::HeaderValue::from_static("text/plain; version=0.0.4"),
                );
                std::future::ready(Ok::<_, Infallible>(response))
            });
            let served = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), scrape)
                .await;
            if let Err(e) = served {
                tracing::debug!(error = %e, "metrics connection ended");
            }
            drop(slot);
        });
    }
}
