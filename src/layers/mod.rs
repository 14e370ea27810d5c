//! Tower layers on the request path, in front of every service.
//!
//! They see the HTTP/2 request (so the method path and metadata) before any message is decoded,
//! which is what lets them refuse a call before anything about its subject is looked up.

pub mod auth;
pub mod call_timeout;
pub mod error_info;
pub mod inflight;
pub mod open_calls;
pub mod rate_limit;
pub mod refusals;
pub mod request_checks;
pub mod request_id;
pub mod rpc_metrics;

use std::{future::Future, pin::Pin};

/// The boxed future the layers return.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// The gRPC method of a request path: `/paydiag.v1.FactService/PutTransaction` →
/// `paydiag.v1.FactService/PutTransaction`.
pub fn method_of(path: &str) -> &str {
    path.strip_prefix('/').unwrap_or(path)
}
