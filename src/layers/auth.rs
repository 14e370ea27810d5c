//! Authentication and per-method authorization.

use super::rate_limit::RateLimits;
use super::refusals::{Refusal, Refusals};
use super::{BoxFuture, method_of};
use crate::api::reason::{ErrorReason, error_status};
use crate::auth::{AuthFailure, Caller, Callers, Role};
use crate::transport::Peer;
use http::{Request, Response};
use std::{
    sync::Arc,
    task::{Context, Poll},
};
use tonic::{Code, Status};
use tonic_types::ErrorDetails;
use tower::{Layer, Service};

/// The role a method needs; `None` for the open services (health, reflection).
pub fn required_role(path: &str) -> Option<Role> {
    if path.starts_with("/grpc.health.v1.Health/") || path.starts_with("/grpc.reflection.") {
        None
    } else if path == "/paydiag.v1.FactService/SearchTransactions" {
        // Reads only: agents find a customer's transactions with it.
        Some(Role::Reader)
    } else if path.starts_with("/paydiag.v1.FactService/") {
        Some(Role::Writer)
    } else {
        // Diagnoses, case records, and anything unknown: deny by default to callers without a
        // role.
        Some(Role::Reader)
    }
}

/// Checks the caller's token and role, and records who is calling in the request's extensions
/// (as `Arc<Caller>`) for the handlers and the layers behind it.
#[derive(Debug, Clone)]
pub struct AuthLayer {
    callers: Arc<Callers>,
    limits: Arc<RateLimits>,
    refusals: Arc<Refusals>,
}

impl AuthLayer {
    /// A layer admitting `callers` within their rate limits, counting and auditing the calls
    /// it refuses in `refusals`; with no callers configured, every call is anonymous.
    pub fn new(callers: Arc<Callers>, limits: Arc<RateLimits>, refusals: Arc<Refusals>) -> Self {
        Self {
            callers,
            limits,
            refusals,
        }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthService {
            inner,
            callers: self.callers.clone(),
            limits: self.limits.clone(),
            refusals: self.refusals.clone(),
        }
    }
}

/// The service [`AuthLayer`] builds.
#[derive(Debug, Clone)]
pub struct AuthService<S> {
    inner: S,
    callers: Arc<Callers>,
    limits: Arc<RateLimits>,
    refusals: Arc<Refusals>,
}

impl<S> AuthService<S> {
    fn admit<B>(&self, request: &mut Request<B>) -> Result<(), Status> {
        let path = request.uri().path();
        let Some(role) = required_role(path) else {
            return Ok(());
        };
        let peer = request.extensions().get::<Peer>().map(|p| p.address.ip());
        let refusal = |caller, reason| Refusal {
            peer,
            method: method_of(path),
            caller,
            reason,
        };
        let caller = if self.callers.is_empty() {
            Caller::anonymous()
        } else {
            let authorization = request
                .headers()
                .get(http::header::AUTHORIZATION)
                .map(|v| v.as_bytes());
            match self.callers.authenticate(authorization) {
                Ok(caller) => caller,
                Err(failure) => {
                    let refusal = refusal(None, failure.label());
                    return Err(self.refusals.refuse(refusal, unauthenticated(failure)));
                }
            }
        };
        if !caller.has(role) {
            let refusal = refusal(Some(&caller.name), "missing_role");
            return Err(self.refusals.refuse(refusal, missing_role(role)));
        }
        self.limits.check(&caller)?;
        request.extensions_mut().insert(caller);
        Ok(())
    }
}

/// The refusal of a call that could not be authenticated.
fn unauthenticated(failure: AuthFailure) -> Status {
    let (message, reason) = match failure {
        AuthFailure::MissingToken => (
            "missing authorization metadata: send \"authorization: Bearer <token>\"",
            ErrorReason::CredentialsMissing,
        ),
        AuthFailure::MalformedToken => (
            "malformed authorization metadata: expected \"Bearer <token>\"",
            ErrorReason::CredentialsMalformed,
        ),
        AuthFailure::UnknownToken => ("unknown token", ErrorReason::CredentialsInvalid),
    };
    error_status(
        Code::Unauthenticated,
        message,
        reason,
        [],
        ErrorDetails::new(),
    )
}

/// The refusal of a call whose caller lacks `role`. The caller knows who it is: the answer need
/// not repeat its name.
fn missing_role(role: Role) -> Status {
    error_status(
        Code::PermissionDenied,
        format!(
            "this caller lacks the {} role this method needs",
            role.name()
        ),
        ErrorReason::RoleMissing,
        [("role", role.name().to_owned())],
        ErrorDetails::new(),
    )
}

impl<S, B, R> Service<Request<B>> for AuthService<S>
where
    S: Service<Request<B>, Response = Response<R>> + Clone + Send + 'static,
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

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        match self.admit(&mut request) {
            Ok(()) => Box::pin(self.inner.call(request)),
            Err(status) => Box::pin(std::future::ready(Ok(status.into_http()))),
        }
    }
}
