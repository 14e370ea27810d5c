//! The ErrorInfo of the statuses tonic answers by itself, before or instead of a paydiag handler:
//! a request message over the size limit or not protobuf, a method paydiag does not have, a
//! compression it does not take. Every other error is built with its reason where it is decided
//! (see [`crate::api::reason`]); these are the ones no paydiag code builds.
//!
//! Health and reflection are left as their own protocols define them.

use super::{BoxFuture, auth::required_role};
use crate::api::reason::{ErrorReason, error_status};
use http::{Request, Response};
use std::{
    collections::HashSet,
    sync::Arc,
    task::{Context, Poll},
};
use tonic::{Code, Status};
use tonic_types::ErrorDetails;
use tower::{Layer, Service};

/// Adds the ErrorInfo to the errors tonic answers for paydiag's methods and unknown ones.
#[derive(Debug, Clone)]
pub struct ErrorInfoLayer {
    /// The paths of paydiag's methods (`/paydiag.v1.DiagnosisService/Diagnose`).
    methods: Arc<HashSet<String>>,
}

impl ErrorInfoLayer {
    /// A layer for a server whose methods are those of `descriptors`, an encoded
    /// `FileDescriptorSet`.
    pub fn new(descriptors: &[u8]) -> anyhow::Result<Self> {
        let pool = prost_reflect::DescriptorPool::decode(descriptors)?;
        let methods = pool
            .services()
            .flat_map(|s| s.methods().collect::<Vec<_>>())
            .map(|m| format!("/{}/{}", m.parent_service().full_name(), m.name()))
            .collect();
        Ok(Self {
            methods: Arc::new(methods),
        })
    }
}

impl<S> Layer<S> for ErrorInfoLayer {
    type Service = ErrorInfo<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ErrorInfo {
            inner,
            methods: self.methods.clone(),
        }
    }
}

/// The service [`ErrorInfoLayer`] builds.
#[derive(Debug, Clone)]
pub struct ErrorInfo<S> {
    inner: S,
    methods: Arc<HashSet<String>>,
}

impl<S, B, R> Service<Request<B>> for ErrorInfo<S>
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
        let path = request.uri().path();
        if required_role(path).is_none() {
            return Box::pin(self.inner.call(request));
        }
        // tonic answers UNIMPLEMENTED both for a method it does not route and for a compression
        // it does not take; only the second reaches one of paydiag's methods.
        let unimplemented = if self.methods.contains(path) {
            ErrorReason::CompressionUnsupported
        } else {
            ErrorReason::MethodNotFound
        };
        let call = self.inner.call(request);
        Box::pin(async move {
            let mut response = call.await?;
            explain(response.headers_mut(), unimplemented);
            Ok(response)
        })
    }
}

/// Adds the ErrorInfo to the status in `headers` (an answer that is only headers, as tonic's
/// refusals are) when it has no details yet.
fn explain(headers: &mut http::HeaderMap, unimplemented: ErrorReason) {
    if !headers.contains_key("grpc-status") || headers.contains_key("grpc-status-details-bin") {
        return;
    }
    let Some(status) = Status::from_header_map(headers) else {
        return;
    };
    let reason = match status.code() {
        Code::Unimplemented => unimplemented,
        code => match ErrorReason::of_undecodable(code) {
            Some(reason) => reason,
            None => return,
        },
    };
    let explained = error_status(
        status.code(),
        status.message(),
        reason,
        [],
        ErrorDetails::new(),
    );
    // Adds grpc-status-details-bin beside the headers already there (grpc-accept-encoding).
    if let Err(e) = explained.add_header(headers) {
        tracing::warn!(error = %e, "an error's details could not be added to its headers");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic_types::StatusExt;

    fn explained(status: Status, unimplemented: ErrorReason) -> Status {
        let mut headers = http::HeaderMap::new();
        status.add_header(&mut headers).expect("headers");
        explain(&mut headers, unimplemented);
        Status::from_header_map(&headers).expect("a status")
    }

    fn reason(status: &Status) -> Option<String> {
        status.get_details_error_info().map(|info| info.reason)
    }

    #[test]
    fn tonics_own_errors_get_the_reason_of_their_cause_and_keep_their_message() {
        let cases = [
            (Status::out_of_range("too large"), "MESSAGE_TOO_LARGE"),
            (Status::internal("failed to decode"), "MALFORMED_MESSAGE"),
            (Status::unimplemented(""), "METHOD_NOT_FOUND"),
        ];
        for (status, expected) in cases {
            let (code, message) = (status.code(), status.message().to_owned());
            let explained = explained(status, ErrorReason::MethodNotFound);
            assert_eq!(reason(&explained).as_deref(), Some(expected));
            assert_eq!((explained.code(), explained.message()), (code, &*message));
        }
    }

    #[test]
    fn a_status_with_details_or_a_code_tonic_never_answers_alone_is_left_as_it_is() {
        let paydiag = error_status(
            Code::Internal,
            "internal error",
            ErrorReason::Internal,
            [],
            ErrorDetails::new(),
        );
        let kept = explained(paydiag, ErrorReason::MethodNotFound);
        assert_eq!(reason(&kept).as_deref(), Some("INTERNAL"));
        let other = explained(Status::not_found("x"), ErrorReason::MethodNotFound);
        assert_eq!(reason(&other), None);
    }

    #[test]
    fn the_method_list_holds_every_method_of_paydiags_services() {
        let layer = ErrorInfoLayer::new(crate::pb::FILE_DESCRIPTOR_SET).expect("descriptors");
        for method in [
            "/paydiag.v1.DiagnosisService/Diagnose",
            "/paydiag.v1.FactService/ImportFacts",
        ] {
            assert!(layer.methods.contains(method), "{method}");
        }
        assert!(!layer.methods.contains("/grpc.health.v1.Health/Check"));
    }
}
