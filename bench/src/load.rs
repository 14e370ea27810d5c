//! The load generator: the same tonic client code drives Diagnose and the empty baseline.

use anyhow::Context as _;
use hdrhistogram::Histogram;
use paydiag::pb::v1::{
    self as pb, diagnosis_service_client::DiagnosisServiceClient,
    fact_service_client::FactServiceClient,
};
use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use tonic::transport::{Channel, Endpoint};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

/// What a run calls.
#[derive(Clone)]
pub enum Call {
    /// `paydiag.v1.DiagnosisService/Diagnose`, cycling through these requests; every answer
    /// must give the expected cause.
    Diagnose(Arc<Vec<pb::DiagnoseRequest>>, pb::Cause),
    /// `grpc.health.v1.Health/Check` of the whole server: the empty unary RPC.
    Health,
    /// `paydiag.v1.DiagnosisService/TriageTicket`, cycling through these tickets; every answer
    /// must hold one candidate with the expected cause.
    Triage(Arc<Vec<pb::TriageTicketRequest>>, pb::Cause),
    /// `paydiag.v1.FactService/SearchTransactions`, cycling through these searches; every
    /// answer must find at least one transaction.
    Search(Arc<Vec<pb::SearchTransactionsRequest>>),
}

/// What one run measured.
pub struct Run {
    /// Calls that succeeded.
    pub calls: u64,
    /// Calls that failed or answered wrongly.
    pub failures: u64,
    /// The first failure, to show.
    pub first_error: Option<String>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latency of the successful calls, in nanoseconds.
    pub latency: Histogram<u64>,
}

impl Run {
    /// Successful calls per second.
    pub fn rate(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64()
    }

    /// Adds `other`'s calls, failures, time and latencies to this run.
    pub fn absorb(&mut self, other: Run) -> anyhow::Result<()> {
        self.calls += other.calls;
        self.elapsed += other.elapsed;
        self.failures += other.failures;
        self.first_error = self.first_error.take().or(other.first_error);
        self.latency
            .add(&other.latency)
            .context("merging latency histograms")
    }
}

/// An empty latency histogram: 1 ns to 60 s, three significant digits.
pub fn histogram() -> anyhow::Result<Histogram<u64>> {
    Histogram::new_with_bounds(1, 60_000_000_000, 3).context("creating a latency histogram")
}

/// An empty run record, to merge runs into.
pub fn empty_run() -> anyhow::Result<Run> {
    Ok(Run {
        calls: 0,
        failures: 0,
        first_error: None,
        elapsed: Duration::ZERO,
        latency: histogram()?,
    })
}

/// Opens `count` HTTP/2 connections to `addr`.
pub async fn connect(addr: SocketAddr, count: usize) -> anyhow::Result<Vec<Channel>> {
    let endpoint = Endpoint::from_shared(format!("http://{addr}"))?.tcp_nodelay(true);
    let mut channels = Vec::with_capacity(count);
    for _ in 0..count {
        channels.push(
            endpoint
                .connect()
                .await
                .with_context(|| format!("connecting to {addr}"))?,
        );
    }
    Ok(channels)
}

/// Keeps `in_flight` calls going on each channel for `duration`.
pub async fn drive(
    channels: &[Channel],
    in_flight: usize,
    call: &Call,
    duration: Duration,
) -> anyhow::Result<Run> {
    // One histogram for every worker: a histogram each would make the load generator's memory
    // grow with the number of calls in flight, and the process's memory is what is reported.
    let latency = Arc::new(Mutex::new(histogram()?));
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = Vec::with_capacity(channels.len() * in_flight);
    for (c, channel) in channels.iter().enumerate() {
        for k in 0..in_flight {
            let offset = c * in_flight + k;
            let worker = worker(
                channel.clone(),
                call.clone(),
                deadline,
                offset,
                latency.clone(),
            );
            workers.push(tokio::spawn(worker));
        }
    }
    let mut total = empty_run()?;
    for worker in workers {
        let (calls, failures, first_error) = worker.await.context("load worker")?;
        total.calls += calls;
        total.failures += failures;
        total.first_error = total.first_error.take().or(first_error);
    }
    total.elapsed = started.elapsed();
    let latency = latency
        .lock()
        .map_err(|_| anyhow::anyhow!("a load worker panicked"))?;
    total
        .latency
        .add(&*latency)
        .context("collecting latencies")?;
    Ok(total)
}

/// Calls one after another until `deadline`; `offset` staggers the requests between workers.
/// Returns the calls that succeeded, those that failed, and the first failure.
async fn worker(
    channel: Channel,
    call: Call,
    deadline: Instant,
    offset: usize,
    latency: Arc<Mutex<Histogram<u64>>>,
) -> (u64, u64, Option<String>) {
    let mut diagnosis = DiagnosisServiceClient::new(channel.clone());
    let mut facts = FactServiceClient::new(channel.clone());
    let mut health = HealthClient::new(channel);
    let (mut calls, mut failures, mut first_error) = (0, 0, None);
    let mut next = offset;
    while Instant::now() < deadline {
        let started = Instant::now();
        let outcome = match &call {
            Call::Diagnose(requests, cause) => {
                let request = requests[next % requests.len()].clone();
                next += 1;
                diagnose(&mut diagnosis, request, *cause).await
            }
            Call::Health => check(&mut health).await,
            Call::Triage(tickets, cause) => {
                let ticket = tickets[next % tickets.len()].clone();
                next += 1;
                triage(&mut diagnosis, ticket, *cause).await
            }
            Call::Search(searches) => {
                let search = searches[next % searches.len()].clone();
                next += 1;
                find(&mut facts, search).await
            }
        };
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        match outcome {
            Ok(()) => {
                calls += 1;
                if let Ok(mut latency) = latency.lock() {
                    latency.saturating_record(nanos.max(1));
                }
            }
            Err(e) => {
                failures += 1;
                first_error.get_or_insert(e);
            }
        }
    }
    (calls, failures, first_error)
}

/// One Diagnose call, which must succeed with `cause`.
pub async fn diagnose(
    client: &mut DiagnosisServiceClient<Channel>,
    request: pb::DiagnoseRequest,
    cause: pb::Cause,
) -> Result<(), String> {
    let reference = request.reference.clone();
    match client.diagnose(request).await {
        Ok(response) if response.get_ref().cause() == cause => Ok(()),
        Ok(response) => Err(format!(
            "Diagnose {reference}: {} instead of {}",
            response.get_ref().cause().as_str_name(),
            cause.as_str_name()
        )),
        Err(status) => Err(format!("Diagnose {reference}: {status}")),
    }
}

/// One TriageTicket call, which must find one candidate with `cause`.
pub async fn triage(
    client: &mut DiagnosisServiceClient<Channel>,
    request: pb::TriageTicketRequest,
    cause: pb::Cause,
) -> Result<(), String> {
    let ticket = request.ticket_id.clone();
    let response = client
        .triage_ticket(request)
        .await
        .map_err(|status| format!("TriageTicket {ticket}: {status}"))?;
    let causes: Vec<pb::Cause> = response
        .get_ref()
        .candidates
        .iter()
        .filter_map(|c| c.diagnosis.as_ref().map(pb::Diagnosis::cause))
        .collect();
    if causes == [cause] {
        Ok(())
    } else {
        Err(format!(
            "TriageTicket {ticket}: candidates {causes:?}, not one {cause:?}"
        ))
    }
}

/// One SearchTransactions call, which must find something.
pub async fn find(
    client: &mut FactServiceClient<Channel>,
    request: pb::SearchTransactionsRequest,
) -> Result<(), String> {
    let account = request.account_id.clone();
    match client.search_transactions(request).await {
        Ok(response) if !response.get_ref().transactions.is_empty() => Ok(()),
        Ok(_) => Err(format!("SearchTransactions {account}: nothing found")),
        Err(status) => Err(format!("SearchTransactions {account}: {status}")),
    }
}

async fn check(client: &mut HealthClient<Channel>) -> Result<(), String> {
    let request = HealthCheckRequest {
        service: String::new(),
    };
    match client.check(request).await {
        Ok(response) if response.get_ref().status() == ServingStatus::Serving => Ok(()),
        Ok(response) => Err(format!("Health/Check: {:?}", response.get_ref().status())),
        Err(status) => Err(format!("Health/Check: {status}")),
    }
}
