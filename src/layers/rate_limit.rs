//! Per-caller rate limits, shared by all of a caller's connections (the limiter lives in the
//! layer, which every connection shares).

use crate::api::reason::{ErrorReason, error_status};
use crate::auth::{Caller, Callers};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter, clock::Clock as _};
use std::{collections::HashMap, num::NonZeroU32, sync::Arc, time::Duration};
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, QuotaViolation};

/// One limiter per known caller (and one for anonymous calls).
#[derive(Default)]
pub struct RateLimits {
    limiters: HashMap<String, (u32, DefaultDirectRateLimiter)>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rates: HashMap<&str, u32> = self
            .limiters
            .iter()
            .map(|(k, (rate, _))| (k.as_str(), *rate))
            .collect();
        f.debug_struct("RateLimits")
            .field("per_second", &rates)
            .finish()
    }
}

impl RateLimits {
    /// Limits for `callers`: each its own rate, or `default_per_second`; 0 means unlimited.
    pub fn new(callers: &Callers, default_per_second: u32) -> Arc<Self> {
        let mut limiters = HashMap::new();
        let anonymous = Caller::anonymous();
        for caller in callers.iter().chain(std::iter::once(&anonymous)) {
            let rate = caller.rate_limit_per_second.unwrap_or(default_per_second);
            if let Some(per_second) = NonZeroU32::new(rate) {
                // A burst of one second's worth: smooth enough, and no caller starves another.
                let limiter = RateLimiter::direct(Quota::per_second(per_second));
                limiters.insert(caller.name.clone(), (rate, limiter));
            }
        }
        Arc::new(Self { limiters })
    }

    /// Takes one call from `caller`'s allowance, or says when to retry.
    pub fn check(&self, caller: &Caller) -> Result<(), Status> {
        let Some((rate, limiter)) = self.limiters.get(&caller.name) else {
            return Ok(());
        };
        let Err(not_until) = limiter.check() else {
            return Ok(());
        };
        // The limiter's own clock: making a new one probes the CPU (CPUID), slow in a VM.
        let wait = not_until.wait_time_from(limiter.clock().now());
        metrics::counter!("paydiag_shed_requests_total", "reason" => "rate_limit").increment(1);
        Err(over_rate(caller, *rate, wait))
    }
}

/// The refusal of a call from `caller` over its `rate` per second, which may try again after
/// `wait`.
fn over_rate(caller: &Caller, rate: u32, wait: Duration) -> Status {
    let mut details = ErrorDetails::new();
    details
        .set_quota_failure(vec![QuotaViolation::new(
            format!("caller:{}", caller.name),
            format!("more than {rate} calls per second"),
        )])
        .set_retry_info(Some(wait));
    error_status(
        Code::ResourceExhausted,
        format!(
            "rate limit of {rate} calls per second exceeded; retry in {} ms",
            wait.as_millis().max(1)
        ),
        ErrorReason::RateLimited,
        [("rate_limit_per_second", rate.to_string())],
        details,
    )
}
