//! How many calls run at once. paydiag's own calls share a global limit, and each caller may hold
//! at most its share of it, so that one caller cannot take the whole server. Health checks and
//! reflection have small budgets of their own outside those limits: a load balancer's health
//! check is answered however busy the service is. A call over a limit is refused at once with
//! RESOURCE_EXHAUSTED rather than queued.

use super::BoxFuture;
use crate::api::{
    error::RETRY_AFTER,
    reason::{ErrorReason, error_status},
};
use crate::auth::{Caller, Callers};
use http::{Request, Response};
use std::{
    collections::HashMap,
    sync::Arc,
    task::{Context, Poll},
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, QuotaViolation};
use tower::{Layer, Service};

/// Health checks in flight at once, apart from every other call. A check is
/// answered from memory, so the budget bounds what a flood of them holds, not work: it is set
/// well above what load balancers send (and the load benchmark's 256 checks in flight).
pub const HEALTH_BUDGET: usize = 512;
/// Reflection streams in flight at once, apart from every other call.
pub const REFLECTION_BUDGET: usize = 32;

/// Limits the calls in flight across every connection, and each caller's share of them.
#[derive(Debug, Clone)]
pub struct InFlightLayer {
    limits: Arc<Limits>,
}

#[derive(Debug)]
struct Limits {
    service: Budget,
    per_caller: HashMap<String, Budget>,
    health: Budget,
    reflection: Budget,
}

/// A number of calls that may run at once.
#[derive(Debug)]
struct Budget {
    permits: Arc<Semaphore>,
    limit: usize,
}

impl Budget {
    fn new(limit: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
        }
    }

    fn take(&self) -> Option<OwnedSemaphorePermit> {
        self.permits.clone().try_acquire_owned().ok()
    }
}

impl InFlightLayer {
    /// At most `limit` of paydiag's calls at once, at most `per_caller` of them from any one of
    /// `callers` (or from anonymous callers, together).
    pub fn new(limit: usize, per_caller: usize, callers: &Callers) -> Self {
        let anonymous = Caller::anonymous();
        let per_caller = callers
            .iter()
            .chain(std::iter::once(&anonymous))
            .map(|caller| (caller.name.clone(), Budget::new(per_caller)))
            .collect();
        Self {
            limits: Arc::new(Limits {
                service: Budget::new(limit),
                per_caller,
                health: Budget::new(HEALTH_BUDGET),
                reflection: Budget::new(REFLECTION_BUDGET),
            }),
        }
    }
}

impl Limits {
    /// The places a call takes, or the status refusing it.
    fn admit<B>(&self, request: &Request<B>) -> Result<Places, Status> {
        let path = request.uri().path();
        let (budget, reason) = if path.starts_with("/grpc.health.v1.Health/") {
            (&self.health, "health_in_flight")
        } else if path.starts_with("/grpc.reflection.") {
            (&self.reflection, "reflection_in_flight")
        } else {
            return self.admit_service(request.extensions().get::<Arc<Caller>>());
        };
        let place = budget.take().ok_or_else(|| busy(reason, budget.limit))?;
        Ok(Places {
            _place: place,
            _share: None,
        })
    }

    fn admit_service(&self, caller: Option<&Arc<Caller>>) -> Result<Places, Status> {
        // The caller's share first: a caller over its share is told so, whatever the others do.
        let share = match caller.and_then(|c| Some((c, self.per_caller.get(&c.name)?))) {
            Some((caller, budget)) => Some(
                budget
                    .take()
                    .ok_or_else(|| over_share(caller, budget.limit))?,
            ),
            None => None,
        };
        let place = self
            .service
            .take()
            .ok_or_else(|| busy("global_in_flight", self.service.limit))?;
        Ok(Places {
            _place: place,
            _share: share,
        })
    }
}

/// The places a call holds until it ends.
struct Places {
    _place: OwnedSemaphorePermit,
    _share: Option<OwnedSemaphorePermit>,
}

/// Counts a call refused for the load `reason` names, and refuses it with `status`.
fn shed(reason: &'static str, status: Status) -> Status {
    metrics::counter!("paydiag_shed_requests_total", "reason" => reason).increment(1);
    status
}

fn busy(reason: &'static str, limit: usize) -> Status {
    shed(reason, overloaded(limit))
}

fn over_share(caller: &Caller, limit: usize) -> Status {
    shed("caller_in_flight", caller_over_share(caller, limit))
}

/// The refusal of a call over a budget of `limit` calls in flight.
fn overloaded(limit: usize) -> Status {
    error_status(
        Code::ResourceExhausted,
        format!("server busy: {limit} calls in flight; retry shortly"),
        ErrorReason::Overloaded,
        [("limit", limit.to_string())],
        ErrorDetails::with_retry_info(Some(RETRY_AFTER)),
    )
}

/// The refusal of a call from `caller`, which already has its `limit` of calls in flight.
fn caller_over_share(caller: &Caller, limit: usize) -> Status {
    let mut details = ErrorDetails::new();
    details
        .set_quota_failure(vec![QuotaViolation::new(
            format!("caller:{}", caller.name),
            format!("more than {limit} calls in flight"),
        )])
        .set_retry_info(Some(RETRY_AFTER));
    error_status(
        Code::ResourceExhausted,
        format!("this caller already has {limit} calls in flight; retry when one ends"),
        ErrorReason::CallerInFlightLimit,
        [("limit", limit.to_string())],
        details,
    )
}

impl<S> Layer<S> for InFlightLayer {
    type Service = InFlight<S>;

    fn layer(&self, inner: S) -> Self::Service {
        InFlight {
            inner,
            limits: self.limits.clone(),
        }
    }
}

/// The service [`InFlightLayer`] builds.
#[derive(Debug, Clone)]
pub struct InFlight<S> {
    inner: S,
    limits: Arc<Limits>,
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
        let places = match self.limits.admit(&request) {
            Ok(places) => places,
            Err(status) => return Box::pin(std::future::ready(Ok(status.into_http()))),
        };
        let guard = InFlightGuard::enter(places);
        let call = self.inner.call(request);
        Box::pin(async move {
            let response = call.await;
            drop(guard);
            response
        })
    }
}

/// Holds a call's places until it finishes or is cancelled, and keeps the gauge in step.
struct InFlightGuard {
    _places: Places,
    gauge: metrics::Gauge,
}

impl InFlightGuard {
    fn enter(places: Places) -> Self {
        let gauge = metrics::gauge!("paydiag_in_flight_requests");
        gauge.increment(1.0);
        Self {
            _places: places,
            gauge,
        }
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.gauge.decrement(1.0);
    }
}
