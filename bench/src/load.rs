//! The load generator: the same tonic client code drives Diagnose and the empty baseline.

use super::servers::{CpuTime, cpu_time};
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
use tonic::{
    Code,
    metadata::{Ascii, MetadataValue},
    transport::{Channel, Endpoint},
};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

/// What a run calls.
#[derive(Clone)]
pub enum Call {
    /// `paydiag.v1.DiagnosisService/Diagnose`, cycling through these requests; every answer
    /// must give the expected cause.
    Diagnose(Arc<Vec<pb::DiagnoseRequest>>, pb::Cause),
    /// Diagnose as [`Call::Diagnose`], each call for a ticket: every worker opens a ticket of
    /// its own for every third call, as a desk re-checks each ticket a few times until it
    /// resolves (`BENCH-<worker>-<n>`).
    Tickets(Arc<Vec<pb::DiagnoseRequest>>, pb::Cause),
    /// `grpc.health.v1.Health/Check` of the whole server: the empty unary RPC.
    Health,
    /// `paydiag.v1.DiagnosisService/TriageTicket`, cycling through these tickets; every answer
    /// must hold one candidate with the expected cause.
    Triage(Arc<Vec<pb::TriageTicketRequest>>, pb::Cause),
    /// `paydiag.v1.FactService/SearchTransactions`, cycling through these searches; every
    /// answer must find at least one transaction.
    Search(Arc<Vec<pb::SearchTransactionsRequest>>),
    /// `paydiag.v1.DiagnosisService/Diagnose` past a limit of the server's, cycling through
    /// these requests: every answer must be a refusal with one of the codes, or a diagnosis
    /// (the calls the limit lets through).
    Flood(Arc<FloodCall>),
}

/// The calls of a flood.
pub struct FloodCall {
    /// The requests, any of which may be diagnosed.
    pub requests: Arc<Vec<pb::DiagnoseRequest>>,
    /// The `authorization` metadata sent, if any.
    pub authorization: Option<MetadataValue<Ascii>>,
    /// The codes of the expected refusals.
    pub refused: &'static [Code],
}

/// How a call was answered, when it was answered as expected.
enum Answer {
    /// With what it asked for.
    Served,
    /// With a refusal it expected.
    Refused,
}

/// What one run measured.
pub struct Run {
    /// Calls answered as expected, refusals of a flood included.
    pub calls: u64,
    /// Of those, the calls refused as a flood expects.
    pub refused: u64,
    /// Calls that failed or answered wrongly.
    pub failures: u64,
    /// The first failure, to show.
    pub first_error: Option<String>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// CPU time the servers and the load generator used during the run.
    pub cpu: CpuTime,
    /// Latency of the successful calls, in nanoseconds.
    pub latency: Histogram<u64>,
}

impl Run {
    /// Calls answered as expected per second.
    pub fn rate(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64()
    }

    /// The servers' CPU time per call answered, in microseconds: what a call costs the server,
    /// whichever side of the benchmark saturates first.
    pub fn server_micros(&self) -> f64 {
        self.cpu.servers.as_secs_f64() * 1e6 / self.calls.max(1) as f64
    }

    /// The load generator's CPU time per call answered, in microseconds.
    pub fn client_micros(&self) -> f64 {
        self.cpu.client.as_secs_f64() * 1e6 / self.calls.max(1) as f64
    }

    /// Refused calls per second.
    pub fn refusal_rate(&self) -> f64 {
        self.refused as f64 / self.elapsed.as_secs_f64()
    }

    /// Adds `other`'s calls, failures, time and latencies to this run.
    pub fn absorb(&mut self, other: Run) -> anyhow::Result<()> {
        self.calls += other.calls;
        self.refused += other.refused;
        self.elapsed += other.elapsed;
        self.cpu.servers += other.cpu.servers;
        self.cpu.client += other.cpu.client;
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
        refused: 0,
        failures: 0,
        first_error: None,
        elapsed: Duration::ZERO,
        cpu: CpuTime::default(),
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
    let cpu = cpu_time();
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
        let counted = worker.await.context("load worker")?;
        total.calls += counted.calls;
        total.refused += counted.refused;
        total.failures += counted.failures;
        total.first_error = total.first_error.take().or(counted.first_error);
    }
    total.elapsed = started.elapsed();
    total.cpu = cpu_time().since(cpu);
    let latency = latency
        .lock()
        .map_err(|_| anyhow::anyhow!("a load worker panicked"))?;
    total
        .latency
        .add(&*latency)
        .context("collecting latencies")?;
    Ok(total)
}

/// What one worker counted.
#[derive(Default)]
struct Counted {
    calls: u64,
    refused: u64,
    failures: u64,
    first_error: Option<String>,
}

/// Calls one after another until `deadline`; `offset` staggers the requests between workers.
async fn worker(
    channel: Channel,
    call: Call,
    deadline: Instant,
    offset: usize,
    latency: Arc<Mutex<Histogram<u64>>>,
) -> Counted {
    let mut diagnosis = DiagnosisServiceClient::new(channel.clone());
    let mut facts = FactServiceClient::new(channel.clone());
    let mut health = HealthClient::new(channel);
    let mut counted = Counted::default();
    let mut next = offset;
    while Instant::now() < deadline {
        let started = Instant::now();
        let outcome = match &call {
            Call::Diagnose(requests, cause) => {
                let request = requests[next % requests.len()].clone();
                next += 1;
                diagnose(&mut diagnosis, request, *cause)
                    .await
                    .map(|()| Answer::Served)
            }
            Call::Tickets(requests, cause) => {
                let request = pb::DiagnoseRequest {
                    ticket_id: format!("BENCH-{offset}-{}", (next - offset) / 3),
                    ..requests[next % requests.len()].clone()
                };
                next += 1;
                diagnose(&mut diagnosis, request, *cause)
                    .await
                    .map(|()| Answer::Served)
            }
            Call::Health => check(&mut health).await.map(|()| Answer::Served),
            Call::Triage(tickets, cause) => {
                let ticket = tickets[next % tickets.len()].clone();
                next += 1;
                triage(&mut diagnosis, ticket, *cause)
                    .await
                    .map(|()| Answer::Served)
            }
            Call::Search(searches) => {
                let search = searches[next % searches.len()].clone();
                next += 1;
                find(&mut facts, search).await.map(|()| Answer::Served)
            }
            Call::Flood(flood) => {
                let request = flood.requests[next % flood.requests.len()].clone();
                next += 1;
                flooded(&mut diagnosis, request, flood).await
            }
        };
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        match outcome {
            Ok(answer) => {
                counted.calls += 1;
                if let Answer::Refused = answer {
                    counted.refused += 1;
                }
                if let Ok(mut latency) = latency.lock() {
                    latency.saturating_record(nanos.max(1));
                }
            }
            Err(e) => {
                counted.failures += 1;
                counted.first_error.get_or_insert(e);
            }
        }
    }
    counted
}

/// One Diagnose call of a flood, which must be refused with one of its codes or diagnosed.
async fn flooded(
    client: &mut DiagnosisServiceClient<Channel>,
    request: pb::DiagnoseRequest,
    flood: &FloodCall,
) -> Result<Answer, String> {
    let mut request = tonic::Request::new(request);
    if let Some(authorization) = &flood.authorization {
        request
            .metadata_mut()
            .insert("authorization", authorization.clone());
    }
    match client.diagnose(request).await {
        Ok(_) => Ok(Answer::Served),
        Err(status) if flood.refused.contains(&status.code()) => Ok(Answer::Refused),
        Err(status) => Err(format!("Diagnose past a limit: {status}")),
    }
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
