//! `WatchDiagnosis`: a diagnosis, then a new one each time its outcome changes.
//!
//! A watch loads its facts and diagnoses again only when woken: by the change feed, when a
//! write touched a key its diagnosis depends on (see [`crate::watch`]); or by its clock, at the
//! next moment its outcome can change by time alone ([`horizon::next_change`]), or at which a
//! maintenance window announced on its network begins or a status entry written ahead for its
//! account takes effect (neither is in the facts before then). What it finds is
//! rendered and sent only when the outcome ([`Outlook`]: cause, action, expected resolution,
//! recheck time) differs from the last one sent.

use super::{
    DiagnosisApi,
    diagnosis_codec::DiagnoseInput,
    diagnosis_service::query_of,
    error::{RETRY_AFTER, ServiceError},
    reason::{ErrorReason, error_status},
    records::Made,
};
use crate::engine::{
    self,
    diagnosis::Cause,
    horizon::{self, Outlook},
    model::{ALL_NETWORKS, Facts},
};
use crate::pb::v1 as pb;
use crate::store::{changes::Touched, records::RecordSource};
use crate::watch::{Watch, WatchLimit};
use chrono::{DateTime, TimeDelta, Utc};
use futures_util::{Stream, stream};
use std::{pin::Pin, time::Duration};
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, QuotaViolation};

/// The diagnoses a watch sends.
pub type DiagnosisStream = Pin<Box<dyn Stream<Item = Result<pb::Diagnosis, Status>> + Send>>;

/// The first wait before loading again after the store failed; it doubles up to
/// [`MAX_RETRY`] while the store stays out of reach.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const MAX_RETRY: Duration = Duration::from_secs(5);

/// Starts watching: the first diagnosis is made before the call is answered, so that a bad
/// request or an unreachable store is the call's own error.
pub(super) async fn watch(
    api: &DiagnosisApi,
    request: tonic::Request<pb::WatchDiagnosisRequest>,
) -> Result<DiagnosisStream, Status> {
    let watches = api.state.watches.clone();
    let now = watches.clock().now();
    let made = Made::by(&request, now, RecordSource::WatchDiagnosis);
    let input = api.input(&diagnose_request(request.into_inner()), now)?;
    let watch = watches
        .start(&made.caller.name)
        .map_err(|limit| refused(limit, &made.caller.name))?;
    let grace = TimeDelta::from_std(watches.options().not_found_grace).unwrap_or(TimeDelta::MAX);
    let mut watcher = Watcher {
        api: api.clone(),
        input,
        made,
        watch,
        gives_up_at: now.checked_add_signed(grace),
        last: None,
        next_look: None,
        retry: None,
        ended: false,
    };
    let first = watcher.look().await?;
    let first = first.ok_or_else(|| Status::internal("a first diagnosis is always sent"))?;
    let stream = stream::unfold((watcher, Some(first)), |(mut watcher, first)| async move {
        let next = match first {
            Some(first) => Ok(first),
            None => watcher.next().await?,
        };
        Some((next, (watcher, None)))
    });
    Ok(Box::pin(stream))
}

/// A watch request as the diagnose request it repeats: the same fields, evaluated now.
fn diagnose_request(w: pb::WatchDiagnosisRequest) -> pb::DiagnoseRequest {
    pb::DiagnoseRequest {
        reference: w.reference,
        as_of: None,
        claim: w.claim,
        locale: w.locale,
        ticket_id: w.ticket_id,
        view: w.view,
        requester_account_id: w.requester_account_id,
        time_zone: w.time_zone,
    }
}

/// One watch's state between the diagnoses it sends.
struct Watcher {
    api: DiagnosisApi,
    input: DiagnoseInput,
    made: Made,
    watch: Watch,
    /// When a reference still unknown stops being watched.
    gives_up_at: Option<DateTime<Utc>>,
    /// The outcome last sent.
    last: Option<Outlook>,
    /// The next moment the outcome can change by time alone.
    next_look: Option<DateTime<Utc>>,
    /// How long to wait before loading again, after the store failed.
    retry: Option<Duration>,
    ended: bool,
}

impl Watcher {
    /// The next diagnosis to send; `None` once the watch has ended.
    async fn next(&mut self) -> Option<Result<pb::Diagnosis, Status>> {
        loop {
            if self.ended {
                return None;
            }
            let watches = self.api.state.watches.clone();
            let moment = async {
                match self.next_look {
                    Some(at) => watches.clock().sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            let retry = async {
                match self.retry {
                    Some(wait) => tokio::time::sleep(wait).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                biased;
                () = watches.closing().cancelled() => {
                    self.ended = true;
                    return Some(Err(shutting_down()));
                }
                () = self.watch.changed() => {}
                () = moment => {}
                () = retry => {}
            }
            // A look waits on the store, for as long as the operation timeout: shutdown must
            // not wait behind it.
            let looked = tokio::select! {
                biased;
                () = watches.closing().cancelled() => None,
                looked = self.look() => Some(looked),
            };
            let Some(looked) = looked else {
                self.ended = true;
                return Some(Err(shutting_down()));
            };
            match looked {
                Ok(news) => {
                    self.retry = None;
                    if let Some(diagnosis) = news {
                        return Some(Ok(diagnosis));
                    }
                }
                Err(e) => {
                    let wait = self.retry.map_or(FIRST_RETRY, |w| (w * 2).min(MAX_RETRY));
                    tracing::warn!(error = %e, ?wait, reference = %self.input.reference, "watch: the store failed; diagnosing again later");
                    self.retry = Some(wait);
                    // The moment may have passed: waking for it again at once would spin. The
                    // retry diagnoses again and finds the next one.
                    self.next_look = None;
                }
            }
        }
    }

    /// Diagnoses now; the diagnosis when its outcome is news.
    async fn look(&mut self) -> Result<Option<pb::Diagnosis>, ServiceError> {
        let watches = self.api.state.watches.clone();
        let _place = watches.look().await;
        let (now, facts) = loop {
            let now = self.api.state.watches.clock().now();
            self.input.as_of = now;
            let facts = self
                .api
                .state
                .store
                .load_facts(&query_of(&self.input))
                .await?;
            // A change to a key not depended on before may have come before it was: load again.
            if !self.watch.depend_on(dependencies(&self.input, &facts)) {
                break (now, facts);
            }
        };
        self.made.at = now;
        let rules = &self.api.state.rules;
        let (reference, claim) = (&self.input.reference, &self.input.claim);
        let diagnosis = engine::evaluate(rules, reference, claim, &facts, now);
        self.next_look = horizon::next_change(rules, reference, claim, &facts, now);
        if !matches!(diagnosis.cause, Cause::NoIncident | Cause::Rejected) {
            // Asked together: a write can wake a thousand watches at once.
            let (announced, status) = tokio::try_join!(
                self.next_window_start(&facts, now),
                self.next_status_start(&facts, now)
            )?;
            self.next_look = min_some(min_some(self.next_look, announced), status);
        }
        self.ended = match diagnosis.cause {
            Cause::NoIncident | Cause::Rejected => true,
            Cause::NotFound => {
                self.next_look = min_some(self.next_look, self.gives_up_at);
                self.gives_up_at.is_some_and(|at| at <= now)
            }
            _ => false,
        };
        let outlook = Outlook::of(&diagnosis);
        if self.last == Some(outlook) {
            return Ok(None);
        }
        self.last = Some(outlook);
        let (diagnosis, record) = self.api.rendered(diagnosis, &self.input, &self.made);
        if let Some(record) = record {
            self.api.state.recorder.record(record);
        }
        Ok(Some(diagnosis))
    }
}

impl Watcher {
    /// When the next maintenance window announced on the network the diagnosis looks at
    /// begins: the facts hold only windows begun by now, so their moments do not name it.
    async fn next_window_start(
        &self,
        facts: &Facts,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, ServiceError> {
        let network = match &facts.transaction {
            Some(tx) => Some(&tx.network),
            None => self.input.claim.network.as_ref(),
        };
        let Some(network) = network else {
            return Ok(None);
        };
        let windows = self.api.state.store.windows_not_cleared(now).await?;
        Ok(windows
            .iter()
            .filter(|w| w.starts_at > now)
            .filter(|w| w.network == *network || w.network == ALL_NETWORKS)
            .map(|w| w.starts_at)
            .min())
    }

    /// When the next status entry written ahead for the transaction's account takes effect:
    /// the facts hold only the entry in force.
    async fn next_status_start(
        &self,
        facts: &Facts,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, ServiceError> {
        let Some(tx) = &facts.transaction else {
            return Ok(None);
        };
        let store = &self.api.state.store;
        Ok(store.next_status_from(&tx.account_id, now).await?)
    }
}

/// The keys whose change can change the diagnosis of `input` from `facts`: the lookup keys of
/// what was quoted, and once it names a transaction, its account and its network's; for an
/// unknown reference, the claimed network's.
fn dependencies(input: &DiagnoseInput, facts: &Facts) -> Vec<Touched> {
    let quoted = crate::engine::model::tx_hash_key(&input.reference).into_owned();
    let mut keys = vec![Touched::Transaction(input.reference.clone())];
    if quoted != input.reference {
        keys.push(Touched::Transaction(quoted));
    }
    let network = match &facts.transaction {
        Some(tx) => {
            keys.push(Touched::Account(tx.account_id.clone()));
            Some(tx.network.clone())
        }
        None => input.claim.network.clone(),
    };
    if let Some(network) = network {
        keys.push(Touched::Network(network));
        keys.push(Touched::Network(ALL_NETWORKS.to_owned()));
    }
    keys
}

fn min_some(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The refusal of a watch over `limit`.
fn refused(limit: WatchLimit, caller: &str) -> Status {
    let (name, limit, message) = match limit {
        WatchLimit::PerReplica(n) => (
            "watches_per_replica",
            n,
            format!("this replica already holds {n} watches; retry later or on another replica"),
        ),
        WatchLimit::PerCaller(n) => (
            "watches_per_caller",
            n,
            format!("caller {caller:?} already holds {n} watches; end one first"),
        ),
    };
    metrics::counter!("paydiag_watches_refused_total", "limit" => name).increment(1);
    let mut details = ErrorDetails::new();
    details.set_quota_failure(vec![QuotaViolation::new(name, message.clone())]);
    error_status(
        Code::ResourceExhausted,
        message,
        ErrorReason::WatchLimit,
        [("limit", limit.to_string())],
        details,
    )
}

/// The end of every watch when the server shuts down.
fn shutting_down() -> Status {
    error_status(
        Code::Unavailable,
        "the server is shutting down: watch again, through another replica if need be",
        ErrorReason::ShuttingDown,
        [],
        ErrorDetails::with_retry_info(Some(RETRY_AFTER)),
    )
}
