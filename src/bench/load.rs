//! The load generator: the same tonic client code drives Diagnose and the empty baseline.

use anyhow::Context as _;
use hdrhistogram::Histogram;
use paydiag::pb::v1::{self as pb, diagnosis_service_client::DiagnosisServiceClient};
use std::{
    net::SocketAddr,
    sync::Arc,
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
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = Vec::with_capacity(channels.len() * in_flight);
    for (c, channel) in channels.iter().enumerate() {
        for k in 0..in_flight {
            let offset = c * in_flight + k;
            workers.push(tokio::spawn(worker(
                channel.clone(),
                call.clone(),
                deadline,
                offset,
            )));
        }
    }
    let mut total = empty_run()?;
    for worker in workers {
        total.absorb(worker.await.context("load worker")??)?;
    }
    total.elapsed = started.elapsed();
    Ok(total)
}

/// Calls one after another until `deadline`; `offset` staggers the requests between workers.
async fn worker(
    channel: Channel,
    call: Call,
    deadline: Instant,
    offset: usize,
) -> anyhow::Result<Run> {
    let mut diagnosis = DiagnosisServiceClient::new(channel.clone());
    let mut health = HealthClient::new(channel);
    let mut run = empty_run()?;
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
        };
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        match outcome {
            Ok(()) => {
                run.calls += 1;
                run.latency.saturating_record(nanos.max(1));
            }
            Err(e) => {
                run.failures += 1;
                run.first_error.get_or_insert(e);
            }
        }
    }
    Ok(run)
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
