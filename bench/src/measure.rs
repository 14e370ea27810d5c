//! The measurements, in order: seeding, the Diagnose/empty scenarios, BatchDiagnose against
//! single calls, and ImportFacts throughput. Each prints its result as soon as it has one.

use super::{
    Options, Scenario,
    fixed::FixedAnswer,
    flood::{self, Flood},
    load::{self, Call, FloodCall, Run},
    report,
    seed::{self, Shape},
    servers::{memory_mib, threads},
};
use anyhow::Context as _;
use paydiag::pb::v1::{
    self as pb, batch_diagnose_result::Result as BatchResult,
    diagnosis_service_client::DiagnosisServiceClient, fact_service_client::FactServiceClient,
};
use paydiag::recorder::{RecordStats, Recorder};
use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

/// The cause every diagnosed reference must give.
const CAUSE: pb::Cause = pb::Cause::Maintenance;

/// One ImportFacts stream, end to end.
pub struct Import {
    /// Items streamed.
    pub items: u64,
    /// Transactions among them.
    pub transactions: u64,
    /// From the first item sent to the response.
    pub elapsed: Duration,
    /// Items the server did not store.
    pub failures: u64,
    /// Process memory (resident, peak) after the import, MiB.
    pub memory: (f64, f64),
}

/// The three servers a scenario drives.
pub struct Targets {
    /// The server diagnosing from the seeded store.
    pub diagnose: SocketAddr,
    /// The server whose Health/Check is the empty RPC.
    pub empty: SocketAddr,
    /// The server answering Diagnose with `answer`.
    pub fixed: SocketAddr,
    /// Its answer, set from the Diagnose server's answer to the first reference.
    pub answer: FixedAnswer,
    /// With `--beside`, the server diagnosing the second store, and that store's shape.
    pub beside: Option<(SocketAddr, Shape)>,
    /// The server of each flood, and the `authorization` its calls send.
    pub floods: Vec<flood::Target>,
    /// The Diagnose server's recorder, to learn what it recorded.
    pub recorder: Recorder,
}

/// A run of each call: one round's, or every round's merged.
pub struct Runs {
    /// Diagnose.
    pub diagnose: Run,
    /// The empty RPC.
    pub empty: Run,
    /// Diagnose answered with a fixed diagnosis.
    pub fixed: Run,
    /// Diagnose of the second store, with `--beside`.
    pub beside: Option<Run>,
}

impl Runs {
    /// No calls yet, with a place for the second store's if `beside`.
    fn new(beside: bool) -> anyhow::Result<Self> {
        Ok(Self {
            diagnose: load::empty_run()?,
            empty: load::empty_run()?,
            fixed: load::empty_run()?,
            beside: beside.then(load::empty_run).transpose()?,
        })
    }

    /// The run of call `index`, in the order of [`Runs::new`]'s fields.
    fn slot(&mut self, index: usize) -> Option<&mut Run> {
        match index {
            0 => Some(&mut self.diagnose),
            1 => Some(&mut self.empty),
            2 => Some(&mut self.fixed),
            _ => self.beside.as_mut(),
        }
    }

    /// Adds each of `other`'s runs to this one's.
    fn absorb(&mut self, other: Runs) -> anyhow::Result<()> {
        self.diagnose.absorb(other.diagnose)?;
        self.empty.absorb(other.empty)?;
        self.fixed.absorb(other.fixed)?;
        if let (Some(mine), Some(theirs)) = (&mut self.beside, other.beside) {
            mine.absorb(theirs)?;
        }
        Ok(())
    }

    fn failures(&self) -> u64 {
        let beside = self.beside.as_ref().map_or(0, |r| r.failures);
        self.diagnose.failures + self.empty.failures + self.fixed.failures + beside
    }
}

/// One scenario: every round merged.
pub struct ScenarioRuns {
    /// The scenario.
    pub scenario: Scenario,
    /// The runs.
    pub runs: Runs,
    /// Process memory (resident, peak) after the last round, MiB.
    pub memory: (f64, f64),
    /// Threads of the process after the last round (idle blocking threads linger for 10 s).
    pub threads: u64,
}

/// BatchDiagnose against single calls of the same references on one connection.
pub struct Batch {
    /// References per batch.
    pub size: usize,
    /// References diagnosed per second by BatchDiagnose.
    pub batched: f64,
    /// References diagnosed per second by sequential single calls.
    pub single: f64,
    /// Calls or batch items that failed.
    pub failures: u64,
}

/// TriageTicket and SearchTransactions against Diagnose, on the Diagnose server, at one
/// scenario, in alternating rounds.
pub struct Lookups {
    /// The scenario.
    pub scenario: Scenario,
    /// Diagnose, every round merged.
    pub diagnose: Run,
    /// TriageTicket of a typical ticket with one candidate.
    pub triage: Run,
    /// SearchTransactions of one account.
    pub search: Run,
}

impl Lookups {
    fn failures(&self) -> u64 {
        self.diagnose.failures + self.triage.failures + self.search.failures
    }
}

/// Diagnose floods past each limit against Diagnose without limits, in alternating rounds at
/// one scenario: what a refusal costs against a diagnosis.
pub struct Floods {
    /// The scenario.
    pub scenario: Scenario,
    /// Diagnose on the Diagnose server, which has no limit in the way; every round merged.
    pub diagnose: Run,
    /// Each flood, every round merged.
    pub floods: Vec<(Flood, Run)>,
}

impl Floods {
    fn failures(&self) -> u64 {
        let floods: u64 = self.floods.iter().map(|(_, run)| run.failures).sum();
        self.diagnose.failures + floods
    }
}

/// Diagnose with a ticket id (each diagnosis recorded) against Diagnose without, on the
/// Diagnose server, at one scenario, in alternating rounds.
pub struct Records {
    /// The scenario.
    pub scenario: Scenario,
    /// Diagnose without a ticket id, every round merged.
    pub without: Run,
    /// Diagnose with a ticket id, every round merged.
    pub with: Run,
    /// Each round's calls/s with a ticket id over without.
    pub ratios: Vec<f64>,
    /// Each round's server CPU per call without a ticket id over with (every thread but the
    /// load generator's, so SQLite's work included, PostgreSQL's not): the calls/s ratio of a
    /// replica whose core is its own, whatever else shares this machine's cores.
    pub server_ratios: Vec<f64>,
    /// What the server recorded by the end, once its buffer was written.
    pub stats: RecordStats,
}

impl Records {
    /// Calls/s with a ticket id over without, every round merged.
    pub fn ratio(&self) -> f64 {
        self.with.rate() / self.without.rate()
    }

    /// Server CPU per call without a ticket id over with, every round merged.
    pub fn server_ratio(&self) -> f64 {
        self.without.server_micros() / self.with.server_micros()
    }

    /// Failed calls and dropped records.
    pub fn failures(&self) -> u64 {
        self.without.failures + self.with.failures + self.stats.dropped
    }
}

/// Everything measured.
pub struct Measured {
    /// Transactions in the store during the scenarios.
    pub transactions: u64,
    /// Seeding the store.
    pub seed: Import,
    /// Seeding the second store, with `--beside`.
    pub beside_seed: Option<Import>,
    /// The scenarios.
    pub scenarios: Vec<ScenarioRuns>,
    /// BatchDiagnose.
    pub batch: Batch,
    /// TriageTicket and SearchTransactions, per scenario.
    pub lookups: Vec<Lookups>,
    /// The floods, at the last (largest) scenario.
    pub floods: Floods,
    /// Diagnose with and without a ticket id, at the last (largest) scenario.
    pub records: Records,
    /// ImportFacts throughput.
    pub import: Import,
}

impl Measured {
    /// Every failure, of any measurement.
    pub fn failures(&self) -> u64 {
        let runs: u64 = self.scenarios.iter().map(|s| s.runs.failures()).sum();
        let beside = self.beside_seed.as_ref().map_or(0, |s| s.failures);
        runs + self.seed.failures
            + beside
            + self.batch.failures
            + self.lookups.iter().map(Lookups::failures).sum::<u64>()
            + self.floods.failures()
            + self.records.failures()
            + self.import.failures
    }
}

/// What a run measured: every section, or with `--records-only` the case records alone.
pub enum Measurement {
    /// Every section.
    All(Box<Measured>),
    /// The case records section alone.
    Records(Box<Records>),
}

/// Runs every measurement against `targets`, or only the case records one.
pub async fn all(
    options: &Options,
    shape: Shape,
    scenarios: &[Scenario],
    targets: &Targets,
) -> anyhow::Result<Measurement> {
    let target = targets.diagnose;
    let (seed, requests, answer) = seed_and_check(target, shape, options.view.into())
        .await
        .context("the store")?;
    report::sizes(&requests[0], &answer);
    if options.records_only {
        let scenario = *scenarios.last().context("no scenario")?;
        let records = records(options, scenario, &requests, targets).await?;
        report::records(&records);
        return Ok(Measurement::Records(Box::new(records)));
    }
    targets.answer.set(answer)?;
    let mut beside = None;
    let mut beside_seed = None;
    if let Some((addr, shape)) = targets.beside {
        let (seed, requests, _) = seed_and_check(addr, shape, options.view.into())
            .await
            .context("the second store")?;
        beside_seed = Some(seed);
        beside = Some((addr, requests));
    }
    let mut runs = Vec::new();
    for scenario in scenarios {
        let measured =
            scenario_runs(options, *scenario, &requests, targets, beside.as_ref()).await?;
        report::scenario(&measured);
        runs.push(measured);
    }
    let batch = batch(options, &requests, target).await?;
    report::batch(&batch);
    let mut lookup_runs = Vec::with_capacity(scenarios.len());
    for scenario in scenarios {
        let measured = lookups(options, *scenario, shape, &requests, target).await?;
        report::lookups(&measured);
        lookup_runs.push(measured);
    }
    let scenario = *scenarios.last().context("no scenario")?;
    let floods = floods(options, scenario, &requests, targets).await?;
    report::floods(&floods);
    let records = records(options, scenario, &requests, targets).await?;
    report::records(&records);
    let extra = seed::extra_transactions(options.import_transactions, shape.accounts);
    let import = import(
        target,
        options.import_transactions,
        options.import_transactions,
        extra,
    )
    .await
    .context("measuring ImportFacts")?;
    report::imported(&import);
    Ok(Measurement::All(Box::new(Measured {
        transactions: shape.transactions,
        seed,
        beside_seed,
        scenarios: runs,
        batch,
        lookups: lookup_runs,
        floods,
        records,
        import,
    })))
}

/// Seeds the store served at `addr` with `shape`'s facts, then checks its first reference:
/// returns the seeding, the Diagnose requests asking for `view`, and the first one's answer.
async fn seed_and_check(
    addr: SocketAddr,
    shape: Shape,
    view: pb::DiagnosisView,
) -> anyhow::Result<(Import, Arc<Vec<pb::DiagnoseRequest>>, pb::Diagnosis)> {
    let seed = import(addr, shape.items(), shape.transactions, shape.facts())
        .await
        .context("seeding")?;
    report::seeded(&seed);
    let requests = Arc::new(shape.requests(view));
    let answer = precheck(addr, &requests).await?;
    Ok((seed, requests, answer))
}

/// Streams `facts` (`items` of them, `transactions` of which are transactions) in one call.
async fn import(
    addr: SocketAddr,
    items: u64,
    transactions: u64,
    facts: impl Iterator<Item = pb::ImportFactsRequest> + Send + 'static,
) -> anyhow::Result<Import> {
    let channel = load::connect(addr, 1).await?.remove(0);
    let mut client = FactServiceClient::new(channel);
    let started = Instant::now();
    let response = client
        .import_facts(tokio_stream::iter(facts))
        .await
        .context("ImportFacts")?
        .into_inner();
    let elapsed = started.elapsed();
    let stored = response.transactions_stored
        + response.account_statuses_stored
        + response.maintenance_windows_stored
        + response.network_conditions_stored;
    if let Some(first) = response.rejected.first() {
        eprintln!(
            "ImportFacts rejected {} items, the first (#{}) at {}: {}",
            response.rejected_count, first.index, first.field, first.reason
        );
    }
    Ok(Import {
        items,
        transactions,
        elapsed,
        failures: items.saturating_sub(stored),
        memory: memory_mib(),
    })
}

/// Makes sure the first reference gives the expected cause before anything is timed, and
/// returns its diagnosis.
async fn precheck(
    addr: SocketAddr,
    requests: &[pb::DiagnoseRequest],
) -> anyhow::Result<pb::Diagnosis> {
    let channel = load::connect(addr, 1).await?.remove(0);
    let mut client = DiagnosisServiceClient::new(channel);
    let first = requests.first().context("no reference to diagnose")?;
    load::diagnose(&mut client, first.clone(), CAUSE)
        .await
        .map_err(|e| anyhow::anyhow!("the generated data set is not as intended: {e}"))?;
    Ok(client.diagnose(first.clone()).await?.into_inner())
}

/// The order of a round's `calls` runs, by index (Diagnose 0, empty 1, fixed answer 2, the
/// second store 3): each round starts with the call the previous one ran second, so over every
/// `calls` rounds each call runs once in each place, and a machine that speeds up or slows down
/// within a round favours none.
fn rotation(round: u32, calls: usize) -> impl Iterator<Item = usize> {
    let first = round.saturating_sub(1) as usize % calls;
    (0..calls).map(move |place| (first + place) % calls)
}

/// Alternates Diagnose, empty, fixed-answer (and second-store) runs, after a short unrecorded
/// warm-up of each, in the order [`rotation`] gives each round.
async fn scenario_runs(
    options: &Options,
    scenario: Scenario,
    requests: &Arc<Vec<pb::DiagnoseRequest>>,
    targets: &Targets,
    beside: Option<&(SocketAddr, Arc<Vec<pb::DiagnoseRequest>>)>,
) -> anyhow::Result<ScenarioRuns> {
    // The fixed answer is asked the same requests as Diagnose.
    let diagnose = Call::Diagnose(requests.clone(), CAUSE);
    let mut calls = vec![
        (targets.diagnose, diagnose.clone()),
        (targets.empty, Call::Health),
        (targets.fixed, diagnose),
    ];
    if let Some((addr, requests)) = beside {
        calls.push((*addr, Call::Diagnose(requests.clone(), CAUSE)));
    }
    let length = options.run_length();
    let warm_up = (length / 5).min(Duration::from_secs(1));
    let k = scenario.in_flight;
    let mut channels = Vec::with_capacity(calls.len());
    for (addr, call) in &calls {
        let connected = load::connect(*addr, scenario.connections).await?;
        load::drive(&connected, k, call, warm_up).await?;
        channels.push(connected);
    }
    let mut merged = Runs::new(beside.is_some())?;
    for round in 1..=options.rounds {
        let mut measured = Runs::new(beside.is_some())?;
        for call in rotation(round, calls.len()) {
            let run = load::drive(&channels[call], k, &calls[call].1, length).await?;
            if let Some(slot) = measured.slot(call) {
                *slot = run;
            }
        }
        report::round(round, &measured);
        merged.absorb(measured)?;
    }
    Ok(ScenarioRuns {
        scenario,
        runs: merged,
        memory: memory_mib(),
        threads: threads(),
    })
}

/// Diagnose, TriageTicket and SearchTransactions runs on the Diagnose server at `scenario`,
/// after a short unrecorded warm-up of each, in the order [`rotation`] gives each round.
async fn lookups(
    options: &Options,
    scenario: Scenario,
    shape: Shape,
    requests: &Arc<Vec<pb::DiagnoseRequest>>,
    addr: SocketAddr,
) -> anyhow::Result<Lookups> {
    let calls = [
        Call::Diagnose(requests.clone(), CAUSE),
        Call::Triage(Arc::new(shape.tickets()), CAUSE),
        Call::Search(Arc::new(shape.searches())),
    ];
    let channels = load::connect(addr, scenario.connections).await?;
    let length = options.run_length();
    let warm_up = (length / 5).min(Duration::from_secs(1));
    for call in &calls {
        load::drive(&channels, scenario.in_flight, call, warm_up).await?;
    }
    let mut merged = [load::empty_run()?, load::empty_run()?, load::empty_run()?];
    for round in 1..=options.rounds {
        for call in rotation(round, calls.len()) {
            let run = load::drive(&channels, scenario.in_flight, &calls[call], length).await?;
            merged[call].absorb(run)?;
        }
    }
    let [diagnose, triage, search] = merged;
    Ok(Lookups {
        scenario,
        diagnose,
        triage,
        search,
    })
}

/// Diagnose without limits and each flood at `scenario`, after a short unrecorded warm-up of
/// each, in the order [`rotation`] gives each round.
async fn floods(
    options: &Options,
    scenario: Scenario,
    requests: &Arc<Vec<pb::DiagnoseRequest>>,
    targets: &Targets,
) -> anyhow::Result<Floods> {
    let mut calls = vec![(targets.diagnose, Call::Diagnose(requests.clone(), CAUSE))];
    for target in &targets.floods {
        let call = FloodCall {
            requests: requests.clone(),
            authorization: target.authorization.clone(),
            refused: target.flood.codes(),
        };
        calls.push((target.addr, Call::Flood(Arc::new(call))));
    }
    let length = options.run_length();
    let warm_up = (length / 5).min(Duration::from_secs(1));
    let mut channels = Vec::with_capacity(calls.len());
    for (addr, call) in &calls {
        let connected = load::connect(*addr, scenario.connections).await?;
        load::drive(&connected, scenario.in_flight, call, warm_up).await?;
        channels.push(connected);
    }
    let mut merged = Vec::with_capacity(calls.len());
    for _ in &calls {
        merged.push(load::empty_run()?);
    }
    for round in 1..=options.rounds {
        for call in rotation(round, calls.len()) {
            let run = load::drive(&channels[call], scenario.in_flight, &calls[call].1, length);
            merged[call].absorb(run.await?)?;
        }
    }
    let mut merged = merged.into_iter();
    let diagnose = merged.next().context("the Diagnose run")?;
    let floods = targets.floods.iter().map(|target| target.flood).zip(merged);
    Ok(Floods {
        scenario,
        diagnose,
        floods: floods.collect(),
    })
}

/// Diagnose of the same references without and with a ticket id (a new ticket every third
/// call of each worker) on the Diagnose server at `scenario`, after a short unrecorded warm-up
/// of each, in the order [`rotation`] gives each round; then waits for the server to write
/// every record it took.
async fn records(
    options: &Options,
    scenario: Scenario,
    requests: &Arc<Vec<pb::DiagnoseRequest>>,
    targets: &Targets,
) -> anyhow::Result<Records> {
    let without: Vec<pb::DiagnoseRequest> = requests
        .iter()
        .map(|r| pb::DiagnoseRequest {
            ticket_id: String::new(),
            ..r.clone()
        })
        .collect();
    let without = Arc::new(without);
    let calls = [
        Call::Diagnose(without.clone(), CAUSE),
        Call::Tickets(without, CAUSE),
    ];
    let channels = load::connect(targets.diagnose, scenario.connections).await?;
    let length = options.run_length();
    let warm_up = (length / 5).min(Duration::from_secs(1));
    for call in &calls {
        load::drive(&channels, scenario.in_flight, call, warm_up).await?;
    }
    let mut merged = [load::empty_run()?, load::empty_run()?];
    let mut ratios = Vec::with_capacity(options.rounds as usize);
    let mut server_ratios = Vec::with_capacity(options.rounds as usize);
    for round in 1..=options.rounds {
        let (mut rates, mut server) = ([0.0; 2], [0.0; 2]);
        for call in rotation(round, calls.len()) {
            let run = load::drive(&channels, scenario.in_flight, &calls[call], length).await?;
            rates[call] = run.rate();
            server[call] = run.server_micros();
            merged[call].absorb(run)?;
        }
        ratios.push(rates[1] / rates[0]);
        server_ratios.push(server[0] / server[1]);
    }
    let recorder = &targets.recorder;
    let taken = recorder.stats().accepted;
    tokio::time::timeout(Duration::from_secs(30), recorder.written(taken))
        .await
        .context("the Diagnose server did not write its records within 30 s")?;
    let [without, with] = merged;
    Ok(Records {
        scenario,
        without,
        with,
        ratios,
        server_ratios,
        stats: recorder.stats(),
    })
}

/// BatchDiagnose of `options.batch` references, then as many single calls, one after another
/// on one connection, each for the run length (at least once).
async fn batch(
    options: &Options,
    requests: &[pb::DiagnoseRequest],
    addr: SocketAddr,
) -> anyhow::Result<Batch> {
    let channel = load::connect(addr, 1).await?.remove(0);
    let mut client = DiagnosisServiceClient::new(channel);
    let items: Vec<pb::DiagnoseRequest> = requests
        .iter()
        .cycle()
        .take(options.batch)
        .cloned()
        .collect();
    let length = options.run_length();
    let mut failures = 0;

    let started = Instant::now();
    let mut batched = 0u64;
    while batched == 0 || started.elapsed() < length {
        let request = pb::BatchDiagnoseRequest {
            requests: items.clone(),
        };
        match client.batch_diagnose(request).await {
            Ok(response) => failures += wrong_items(&response.into_inner()),
            Err(status) => {
                eprintln!("BatchDiagnose: {status}");
                failures += items.len() as u64;
            }
        }
        batched += items.len() as u64;
    }
    let batched = batched as f64 / started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut single = 0u64;
    while single == 0 || started.elapsed() < length {
        for item in &items {
            if let Err(e) = load::diagnose(&mut client, item.clone(), CAUSE).await {
                eprintln!("{e}");
                failures += 1;
            }
        }
        single += items.len() as u64;
    }
    let single = single as f64 / started.elapsed().as_secs_f64();
    Ok(Batch {
        size: items.len(),
        batched,
        single,
        failures,
    })
}

/// Items of a batch response that are not a diagnosis with the expected cause.
fn wrong_items(response: &pb::BatchDiagnoseResponse) -> u64 {
    let wrong = response.results.iter().filter(|r| match &r.result {
        Some(BatchResult::Diagnosis(d)) => d.cause() != CAUSE,
        _ => true,
    });
    wrong.count() as u64
}

#[cfg(test)]
mod tests {
    use super::rotation;

    #[test]
    fn every_call_runs_once_in_each_place_over_as_many_rounds() {
        for calls in [3, 4] {
            for start in 1..=5 {
                for place in 0..calls {
                    let mut placed: Vec<usize> = (start..start + calls as u32)
                        .map(|r| rotation(r, calls).nth(place).unwrap_or(usize::MAX))
                        .collect();
                    placed.sort_unstable();
                    assert_eq!(
                        placed,
                        Vec::from_iter(0..calls),
                        "rounds {start}.., place {place}"
                    );
                }
                let mut round: Vec<usize> = rotation(start, calls).collect();
                round.sort_unstable();
                assert_eq!(
                    round,
                    Vec::from_iter(0..calls),
                    "round {start} runs each call once"
                );
            }
        }
        assert_eq!(Vec::from_iter(rotation(1, 3)), [0, 1, 2]);
        assert_eq!(Vec::from_iter(rotation(2, 4)), [1, 2, 3, 0]);
    }
}
