//! Refused calls: audited once per peer address and reason per interval, with a count, and,
//! for callers that could not be authenticated, limited per peer address. A flood of bad tokens
//! then costs one audit line per interval and gets RESOURCE_EXHAUSTED with a delay to wait,
//! rather than a line and an answer per guess.

use crate::api::{
    error::RETRY_AFTER,
    reason::{ErrorReason, error_status},
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock as _};
use std::{
    collections::HashMap,
    net::IpAddr,
    num::NonZeroU32,
    sync::{Mutex, MutexGuard},
    time::Duration,
};
use tokio_util::sync::CancellationToken;
use tonic::{Code, Status};
use tonic_types::ErrorDetails;

/// How often repeated refusals are written to the audit log, as one line per peer and reason.
pub const AUDIT_EVERY: Duration = Duration::from_secs(10);

/// Refusals of unauthenticated calls each peer address may receive per second (and at once);
/// beyond, its calls are refused with RESOURCE_EXHAUSTED until the allowance refills.
const UNAUTHENTICATED_PER_SECOND: NonZeroU32 = NonZeroU32::new(10).expect("not zero");

/// A peer and why its calls were refused.
type Key = (Option<IpAddr>, &'static str);

/// The refusals of every peer.
pub struct Refusals {
    limiter: DefaultKeyedRateLimiter<Option<IpAddr>>,
    /// Refusals since each key's last audit line; a key with none for a whole interval is
    /// dropped, so that its next refusal is audited at once.
    unaudited: Mutex<HashMap<Key, u64>>,
}

impl std::fmt::Debug for Refusals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Refusals").finish_non_exhaustive()
    }
}

impl Default for Refusals {
    fn default() -> Self {
        Self {
            limiter: RateLimiter::keyed(Quota::per_second(UNAUTHENTICATED_PER_SECOND)),
            unaudited: Mutex::default(),
        }
    }
}

/// A call being refused: who, what and why.
#[derive(Debug, Clone, Copy)]
pub struct Refusal<'a> {
    /// The peer's address, when known.
    pub peer: Option<IpAddr>,
    /// The method called.
    pub method: &'a str,
    /// The caller, when it was authenticated.
    pub caller: Option<&'a str>,
    /// Why, as a metric label.
    pub reason: &'static str,
}

impl Refusals {
    fn lock(&self) -> MutexGuard<'_, HashMap<Key, u64>> {
        // Counts stay meaningful if a holder panicked: each update is one statement.
        self.unaudited.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts and audits `refusal`, answering `status`, or RESOURCE_EXHAUSTED when an
    /// unauthenticated peer has been refused too often.
    pub fn refuse(&self, refusal: Refusal<'_>, status: Status) -> Status {
        metrics::counter!("paydiag_auth_failures_total", "reason" => refusal.reason).increment(1);
        self.audit(refusal);
        if refusal.caller.is_some() {
            return status;
        }
        let Err(not_until) = self.limiter.check_key(&refusal.peer) else {
            return status;
        };
        metrics::counter!("paydiag_shed_requests_total", "reason" => "refusal_rate").increment(1);
        let wait = not_until
            // The limiter's own clock: making a new one probes the CPU (CPUID), slow in a VM.
            .wait_time_from(self.limiter.clock().now())
            .max(Duration::from_millis(1));
        too_many_refusals(wait)
    }

    /// The first refusal of a peer for a reason is audited at once; the next ones are counted
    /// and audited together by [`Refusals::audit_repeated`].
    fn audit(&self, refusal: Refusal<'_>) {
        {
            let mut unaudited = self.lock();
            if let Some(count) = unaudited.get_mut(&(refusal.peer, refusal.reason)) {
                *count += 1;
                return;
            }
            unaudited.insert((refusal.peer, refusal.reason), 0);
        }
        tracing::warn!(
            target: "paydiag::audit",
            caller = refusal.caller.unwrap_or("-"),
            method = refusal.method,
            resource = "-",
            outcome = "denied",
            reason = refusal.reason,
            peer = %peer_name(refusal.peer),
            count = 1,
            "call refused"
        );
    }

    /// Audits the refusals counted since the last line, one line per peer and reason.
    pub fn audit_repeated(&self) {
        let due: Vec<(Key, u64)> = {
            let mut unaudited = self.lock();
            unaudited.retain(|_, count| *count > 0);
            unaudited
                .iter_mut()
                .map(|(key, count)| (*key, std::mem::take(count)))
                .collect()
        };
        for ((peer, reason), count) in due {
            tracing::warn!(
                target: "paydiag::audit",
                caller = "-",
                method = "-",
                resource = "-",
                outcome = "denied",
                reason,
                peer = %peer_name(peer),
                count,
                "calls refused"
            );
        }
        self.limiter.retain_recent();
    }

    /// Audits repeated refusals every [`AUDIT_EVERY`] until `stopping`, then once more.
    pub async fn audit_every_interval(&self, stopping: CancellationToken) {
        let mut every = tokio::time::interval(AUDIT_EVERY);
        every.tick().await;
        loop {
            tokio::select! {
                () = stopping.cancelled() => break,
                _ = every.tick() => self.audit_repeated(),
            }
        }
        self.audit_repeated();
    }
}

/// The refusal of an unauthenticated peer refused too often, which may try again after `wait`.
fn too_many_refusals(wait: Duration) -> Status {
    error_status(
        Code::ResourceExhausted,
        format!(
            "too many refused calls from this address; retry in {} ms",
            wait.as_millis()
        ),
        ErrorReason::UnauthenticatedRateLimited,
        [],
        ErrorDetails::with_retry_info(Some(wait.max(RETRY_AFTER))),
    )
}

fn peer_name(peer: Option<IpAddr>) -> String {
    peer.map_or_else(|| "-".to_owned(), |ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic_types::StatusExt;

    fn refusal(peer: [u8; 4]) -> Refusal<'static> {
        Refusal {
            peer: Some(IpAddr::from(peer)),
            method: "paydiag.v1.DiagnosisService/Diagnose",
            caller: None,
            reason: "unknown_token",
        }
    }

    #[test]
    fn an_unauthenticated_peer_refused_too_often_is_told_to_wait_and_others_are_not() {
        let refusals = Refusals::default();
        let answers: Vec<Status> = (0..UNAUTHENTICATED_PER_SECOND.get() + 1)
            .map(|_| refusals.refuse(refusal([10, 0, 0, 1]), Status::unauthenticated("no")))
            .collect();
        let allowed = UNAUTHENTICATED_PER_SECOND.get() as usize;
        assert!(
            answers[..allowed]
                .iter()
                .all(|s| s.code() == Code::Unauthenticated)
        );
        assert_eq!(answers[allowed].code(), Code::ResourceExhausted);
        let info = answers[allowed]
            .get_details_error_info()
            .expect("ErrorInfo");
        assert_eq!(
            (info.reason.as_str(), info.domain.as_str()),
            ("UNAUTHENTICATED_RATE_LIMITED", "paydiag.v1")
        );
        let other = refusals.refuse(refusal([10, 0, 0, 2]), Status::unauthenticated("no"));
        assert_eq!(other.code(), Code::Unauthenticated);
    }

    #[test]
    fn repeated_refusals_are_counted_per_peer_and_reason_until_audited() {
        let refusals = Refusals::default();
        for _ in 0..5 {
            refusals.refuse(refusal([10, 0, 0, 1]), Status::unauthenticated("no"));
        }
        refusals.refuse(refusal([10, 0, 0, 2]), Status::unauthenticated("no"));
        let peer = |n| (Some(IpAddr::from([10, 0, 0, n])), "unknown_token");
        // The first of each was audited at once; the other four of the first peer wait.
        assert_eq!(refusals.lock().get(&peer(1)), Some(&4));
        assert_eq!(refusals.lock().get(&peer(2)), Some(&0));
        refusals.audit_repeated();
        // The quiet peer is forgotten; the other stays, counting from zero.
        assert_eq!(refusals.lock().get(&peer(1)), Some(&0));
        assert_eq!(refusals.lock().get(&peer(2)), None);
    }
}
