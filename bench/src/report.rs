//! What the benchmark prints: each result as it comes, then the targets.

use super::{
    Options, Scenario, View,
    load::Run,
    measure::{Batch, Floods, Import, Lookups, Measured, Records, Runs, ScenarioRuns},
    seed::Shape,
    watches::Watches,
};
use paydiag::pb::v1 as pb;
use std::path::Path;

/// Diagnose throughput at 16×16 against the empty RPC: at least this.
const THROUGHPUT_TARGET: f64 = 0.8;
/// Diagnose p99 at 16×16 against the empty RPC: at most this.
const P99_TARGET: f64 = 1.5;
/// Diagnose median at 1×1 against the empty RPC: at most this.
const MEDIAN_TARGET: f64 = 1.25;
/// BatchDiagnose references/s against single calls: at least this.
const BATCH_TARGET: f64 = 5.0;
/// ImportFacts transactions/s: at least this.
const IMPORT_TARGET: f64 = 100_000.0;
/// Diagnose throughput at 16×16 of the larger store against the smaller one: at least this.
const STORE_SIZE_TARGET: f64 = 0.9;
/// Server resident memory, MiB: under this.
const MEMORY_TARGET: f64 = 150.0;
/// TriageTicket (a typical ticket, one candidate) calls/s against Diagnose's: at least this.
const TRIAGE_TARGET: f64 = 0.5;
/// SearchTransactions of one account, p99 in milliseconds: under this.
const SEARCH_P99_TARGET_MS: f64 = 2.0;
/// The servers' CPU time per call under each flood against per Diagnose call: at most this
/// (a flooded server refuses at least twice as many calls as it could diagnose).
const REFUSAL_TARGET: f64 = 0.5;
/// Diagnose calls/s with a ticket id (each diagnosis recorded) against without: at least this.
const RECORDS_TARGET: f64 = 0.9;
/// Memory 10,000 resting watches add, MiB: under this.
const WATCH_MEMORY_TARGET: f64 = 200.0;
/// A core's share 10,000 resting watches use: under this.
const WATCH_CPU_TARGET: f64 = 0.02;
/// Seconds from one write to the last of the 1,000 watches it concerns updated: at most this.
const WATCH_UPDATE_TARGET: f64 = 1.0;

const SMALL: Scenario = Scenario {
    connections: 1,
    in_flight: 1,
};
const LARGE: Scenario = Scenario {
    connections: 16,
    in_flight: 16,
};

/// What is about to run.
pub fn header(options: &Options, shape: &Shape, scenarios: &[Scenario]) {
    if options.smoke {
        println!(
            "smoke run: checks that everything runs and every call succeeds; figures mean nothing"
        );
    }
    let backend = if options.postgres.is_some() {
        "PostgreSQL, a schema of the benchmark's own"
    } else {
        "SQLite, a file in a temporary directory"
    };
    println!(
        "store ({backend}): {} transactions, {} accounts (2 status entries each), \
         {} maintenance windows, {} diagnosed references",
        thousands(shape.transactions as f64),
        thousands(shape.accounts as f64),
        shape.windows,
        shape.references
    );
    if let Some(beside) = options.beside_shape() {
        println!(
            "second store, diagnosed in the same rounds: {} transactions, {} accounts, \
             {} maintenance windows, {} diagnosed references",
            thousands(beside.transactions as f64),
            thousands(beside.accounts as f64),
            beside.windows,
            beside.references
        );
    }
    let scenarios: Vec<String> = scenarios.iter().map(|s| name(*s)).collect();
    let view = match options.view {
        View::Basic => "basic (no findings)",
        View::Full => "full",
    };
    println!(
        "scenarios: {} (connections × calls in flight on each); {} rounds of {} s per call; \
         diagnoses in the {view} view; servers and load generator in this process",
        scenarios.join(", "),
        options.rounds,
        options.seconds
    );
}

/// The seeding import.
pub fn seeded(seed: &Import) {
    let seconds = seed.elapsed.as_secs_f64();
    println!(
        "seeded {} items ({} transactions) through ImportFacts in {seconds:.1} s: {} items/s; \
         process memory {:.0} MiB resident (peak {:.0} MiB)",
        thousands(seed.items as f64),
        thousands(seed.transactions as f64),
        thousands(seed.items as f64 / seconds),
        seed.memory.0,
        seed.memory.1
    );
}

/// What one Diagnose call carries each way.
pub fn sizes(request: &pb::DiagnoseRequest, answer: &pb::Diagnosis) {
    use prost::Message as _;
    println!(
        "a Diagnose call: request {} bytes, answer {} bytes ({} findings), protobuf-encoded",
        request.encoded_len(),
        answer.encoded_len(),
        answer.findings.len()
    );
}

/// One round: a run of each call.
pub fn round(round: u32, runs: &Runs) {
    // Each round's own ratios, so that the spread between rounds shows beside the merged ones.
    let diagnosed = Ratios::between(&runs.diagnose, &runs.empty);
    let floor = Ratios::between(&runs.fixed, &runs.empty);
    let beside = runs.beside.as_ref().map_or_else(String::new, |beside| {
        format!(
            "; second store {} calls/s, Diagnose/second store {:.2}×",
            thousands(beside.rate()),
            Ratios::between(&runs.diagnose, beside).throughput
        )
    });
    println!(
        "  round {round}: Diagnose {} calls/s, empty {} calls/s, fixed answer {} calls/s; \
         Diagnose/empty {:.2}× (p50 {:.2}×), fixed answer/empty {:.2}× (p50 {:.2}×){beside}",
        thousands(runs.diagnose.rate()),
        thousands(runs.empty.rate()),
        thousands(runs.fixed.rate()),
        diagnosed.throughput,
        diagnosed.median,
        floor.throughput,
        floor.median
    );
}

/// A scenario's merged rounds and ratios.
pub fn scenario(s: &ScenarioRuns) {
    println!("scenario {}:", name(s.scenario));
    let r = &s.runs;
    let mut runs = vec![
        ("Diagnose", &r.diagnose),
        ("empty", &r.empty),
        ("fixed answer", &r.fixed),
    ];
    let mut pairs = vec![
        ("Diagnose/empty", &r.diagnose, &r.empty),
        ("fixed answer/empty", &r.fixed, &r.empty),
        ("Diagnose/fixed answer", &r.diagnose, &r.fixed),
    ];
    if let Some(beside) = &r.beside {
        runs.push(("second store", beside));
        pairs.push(("Diagnose/second store", &r.diagnose, beside));
    }
    table(&runs);
    for (label, a, b) in pairs {
        let r = Ratios::between(a, b);
        println!(
            "  {label}: throughput {:.2}×, p50 {:.2}×, p99 {:.2}×",
            r.throughput, r.median, r.p99
        );
    }
    println!(
        "  process memory {:.0} MiB resident (peak {:.0} MiB), {} threads",
        s.memory.0, s.memory.1, s.threads
    );
}

/// BatchDiagnose against single calls.
pub fn batch(b: &Batch) {
    println!(
        "BatchDiagnose({}): {} references/s; {} single calls in sequence: {} references/s; \
         ratio {:.2}×",
        b.size,
        thousands(b.batched),
        b.size,
        thousands(b.single),
        b.batched / b.single
    );
}

/// TriageTicket and SearchTransactions against Diagnose.
pub fn lookups(l: &Lookups) {
    println!("lookups at {}:", name(l.scenario));
    table(&[
        ("Diagnose", &l.diagnose),
        ("TriageTicket", &l.triage),
        ("SearchTransactions", &l.search),
    ]);
}

/// Diagnose with a ticket id (recorded) against without: each round's ratio and the merged runs.
pub fn records(r: &Records) {
    let by_round = |ratios: &[f64]| {
        let ratios: Vec<String> = ratios.iter().map(|x| format!("{x:.2}×")).collect();
        ratios.join(", ")
    };
    println!(
        "case records at {}: Diagnose with a ticket id (each diagnosis recorded) against \
         without, same server, alternating; with/without calls/s by round: {}",
        name(r.scenario),
        by_round(&r.ratios)
    );
    println!(
        "  server CPU a call, without/with, by round: {} (its threads', an in-process store's \
         work included: the calls/s ratio of a replica whose core is its own)",
        by_round(&r.server_ratios)
    );
    table(&[
        ("without ticket id", &r.without),
        ("with ticket id", &r.with),
    ]);
    println!(
        "  merged: calls/s with/without {:.2}×, server CPU a call without/with {:.2}×",
        r.ratio(),
        r.server_ratio()
    );
    println!(
        "  records: {} taken, {} written, {} dropped",
        thousands(r.stats.accepted as f64),
        thousands(r.stats.written as f64),
        r.stats.dropped
    );
}

/// Each flood: refusals/s, diagnoses it let through/s, and the CPU time of a call on each side,
/// against Diagnose without limits.
pub fn floods(f: &Floods) {
    println!(
        "floods at {}: Diagnose past each limit, against Diagnose without limits \
         (CPU µs per call answered: the servers', the load generator's):",
        name(f.scenario)
    );
    let rows = std::iter::once(("no limit (Diagnose)", &f.diagnose))
        .chain(f.floods.iter().map(|(flood, run)| (flood.label(), run)));
    let rows: Vec<_> = rows.collect();
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    println!(
        "  {:<width$} {:>10} {:>10} {:>10} {:>10} {:>10} {:>9}",
        "", "refused/s", "served/s", "server µs", "client µs", "p99", "failures"
    );
    for (label, run) in rows {
        println!(
            "  {label:<width$} {:>10} {:>10} {:>10.1} {:>10.1} {:>10} {:>9}",
            thousands(run.refusal_rate()),
            thousands(run.rate() - run.refusal_rate()),
            run.server_micros(),
            run.client_micros(),
            micros(run, 0.99),
            run.failures
        );
        if let Some(error) = &run.first_error {
            println!("  first failure: {error}");
        }
    }
}

/// One line of calls/s, latencies and CPU time per call on each side per labelled run, under a
/// header.
fn table(runs: &[(&str, &Run)]) {
    let width = runs.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    println!(
        "  {:<width$} {:>12} {:>10} {:>10} {:>10} {:>10} {:>10} {:>9}",
        "", "calls/s", "p50", "p99", "p99.9", "server µs", "client µs", "failures"
    );
    for (label, run) in runs {
        println!(
            "  {label:<width$} {:>12} {:>10} {:>10} {:>10} {:>10.1} {:>10.1} {:>9}",
            thousands(run.rate()),
            micros(run, 0.5),
            micros(run, 0.99),
            micros(run, 0.999),
            run.server_micros(),
            run.client_micros(),
            run.failures
        );
        if let Some(error) = &run.first_error {
            println!("  first failure: {error}");
        }
    }
}

/// The ImportFacts throughput measurement.
pub fn imported(import: &Import) {
    println!(
        "ImportFacts: {} transactions in one stream in {:.2} s: {} transactions/s; \
         process memory {:.0} MiB resident (peak {:.0} MiB)",
        thousands(import.transactions as f64),
        import.elapsed.as_secs_f64(),
        thousands(import.transactions as f64 / import.elapsed.as_secs_f64()),
        import.memory.0,
        import.memory.1
    );
}

/// How much the servers logged.
pub fn log_size(path: &Path, kept: bool) {
    use std::io::BufRead as _;
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    // Streamed: reading the whole log at once would inflate the memory figures printed after.
    let lines = std::fs::File::open(path)
        .map(|f| std::io::BufReader::new(f).split(b'\n').count())
        .unwrap_or(0);
    let kept = if kept {
        format!(" to {}", path.display())
    } else {
        String::new()
    };
    println!(
        "servers logged {} lines ({:.1} MiB){kept}",
        thousands(lines as f64),
        bytes as f64 / (1024.0 * 1024.0)
    );
}

/// The targets, each met or not.
pub fn summary(m: &Measured) {
    println!(
        "targets at {} transactions:",
        thousands(m.transactions as f64)
    );
    for s in &m.scenarios {
        let runs = &s.runs;
        let r = Ratios::between(&runs.diagnose, &runs.empty);
        if s.scenario == LARGE {
            target(
                "Diagnose/empty throughput at 16×16",
                r.throughput,
                "≥",
                THROUGHPUT_TARGET,
            );
            target("Diagnose/empty p99 at 16×16", r.p99, "≤", P99_TARGET);
        }
        if s.scenario == SMALL {
            target("Diagnose/empty median at 1×1", r.median, "≤", MEDIAN_TARGET);
        }
        let floor = Ratios::between(&runs.fixed, &runs.empty);
        println!(
            "    {}: the same answer without diagnosing (fixed answer/empty): throughput {:.2}×, \
             p50 {:.2}×, p99 {:.2}×",
            name(s.scenario),
            floor.throughput,
            floor.median,
            floor.p99
        );
    }
    if let Some(seed) = &m.beside_seed {
        store_size(m, seed);
    }
    let b = &m.batch;
    target(
        "BatchDiagnose/single references/s",
        b.batched / b.single,
        "≥",
        BATCH_TARGET,
    );
    for l in &m.lookups {
        if l.scenario == LARGE {
            target(
                "TriageTicket/Diagnose calls/s at 16×16",
                l.triage.rate() / l.diagnose.rate(),
                "≥",
                TRIAGE_TARGET,
            );
        }
        // A search's own latency: at 16×16 every call also waits behind 255 others.
        if l.scenario == SMALL {
            target(
                "SearchTransactions of one account, p99 at 1×1, ms",
                quantile_ms(&l.search, 0.99),
                "<",
                SEARCH_P99_TARGET_MS,
            );
        }
    }
    for (flood, run) in &m.floods.floods {
        target(
            &format!(
                "server CPU per call at {}, {} flood/Diagnose",
                name(m.floods.scenario),
                flood.label()
            ),
            run.server_micros() / m.floods.diagnose.server_micros(),
            "≤",
            REFUSAL_TARGET,
        );
    }
    let records = &m.records;
    target(
        &format!(
            "Diagnose with/without a ticket id calls/s at {} (rounds {})",
            name(records.scenario),
            range(&records.ratios)
        ),
        records.ratio(),
        "≥",
        RECORDS_TARGET,
    );
    target(
        &format!(
            "Diagnose without/with a ticket id server CPU a call at {} (rounds {})",
            name(records.scenario),
            range(&records.server_ratios)
        ),
        records.server_ratio(),
        "≥",
        RECORDS_TARGET,
    );
    let import = m.import.transactions as f64 / m.import.elapsed.as_secs_f64();
    target("ImportFacts transactions/s", import, "≥", IMPORT_TARGET);
    // Serving at this store size: up to the end of the scenarios, before the extra import.
    let peak = m
        .scenarios
        .iter()
        .fold(m.seed.memory.1, |p, s| p.max(s.memory.1));
    target(
        "peak process memory while serving, MiB (load generator included)",
        peak,
        "<",
        MEMORY_TARGET,
    );
    println!("failures: {}", m.failures());
}

/// The lowest and highest of `ratios`, as "0.93–0.97×".
fn range(ratios: &[f64]) -> String {
    let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let high = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{low:.2}–{high:.2}×")
}

/// The larger store's Diagnose throughput at 16×16 against the smaller's, whichever is which.
fn store_size(m: &Measured, beside_seed: &Import) {
    let runs = m
        .scenarios
        .iter()
        .find(|s| s.scenario == LARGE)
        .map(|s| &s.runs);
    let Some((diagnose, Some(beside))) = runs.map(|r| (&r.diagnose, &r.beside)) else {
        return;
    };
    let (ratio, transactions) = larger_over_smaller(
        (m.transactions, diagnose.rate()),
        (beside_seed.transactions, beside.rate()),
    );
    target(
        &format!(
            "Diagnose throughput at 16×16, {} transactions against {} side by side",
            thousands(transactions.0 as f64),
            thousands(transactions.1 as f64)
        ),
        ratio,
        "≥",
        STORE_SIZE_TARGET,
    );
}

/// The larger store's calls/s over the smaller's, from two (transactions, calls/s) pairs, and
/// the two sizes, larger first.
fn larger_over_smaller(a: (u64, f64), b: (u64, f64)) -> (f64, (u64, u64)) {
    let (larger, smaller) = if a.0 >= b.0 { (a, b) } else { (b, a) };
    (larger.1 / smaller.1, (larger.0, smaller.0))
}

/// What a store's case records cost.
pub fn record_writes(store: &str, r: &crate::record_writes::RecordWrites) {
    println!(
        "case records into {store}: {} written in batches of {} into a store holding {}: \
         {:.1} µs of this process's CPU, {:.1} µs of the machine's and {:.1} µs of wall time a \
         record, keying included",
        thousands(r.written as f64),
        thousands(r.batch as f64),
        thousands(r.before as f64),
        r.cpu_us,
        r.machine_cpu_us,
        r.wall_us
    );
}

/// The watches' figures and their targets.
pub fn watches(w: &Watches) {
    println!(
        "watches: {} open, {} of them on the network one write concerns",
        thousands(w.open as f64),
        thousands(w.concerned as f64)
    );
    println!(
        "  at rest for {:.1} s: the server process grew by {:.1} MiB opening them, to {:.1} MiB \
         resident, and used {:.2}% of a core",
        w.idle.as_secs_f64(),
        w.rss_growth_mib,
        w.rss_mib,
        w.idle_core_share * 100.0
    );
    println!(
        "  one maintenance window announced: {} watches updated, the median after {:.1} ms, the \
         last after {:.1} ms; {} unconcerned watches sent anything",
        thousands(w.concerned as f64),
        w.median_updated.as_secs_f64() * 1e3,
        w.all_updated.as_secs_f64() * 1e3,
        w.woken_unconcerned
    );
    println!("targets for {} watches:", thousands(w.open as f64));
    target(
        "memory the watches add, MiB",
        w.rss_growth_mib,
        "<",
        WATCH_MEMORY_TARGET,
    );
    target(
        "share of a core at rest",
        w.idle_core_share,
        "<",
        WATCH_CPU_TARGET,
    );
    target(
        "seconds until every concerned watch is updated",
        w.all_updated.as_secs_f64(),
        "≤",
        WATCH_UPDATE_TARGET,
    );
}

fn target(what: &str, value: f64, relation: &str, goal: f64) {
    println!("  {what}: {}", verdict(value, relation, goal));
}

/// "VALUE (target RELATION GOAL): met", or NOT met.
fn verdict(value: f64, relation: &str, goal: f64) -> String {
    let met = match relation {
        "≥" => value >= goal,
        "≤" => value <= goal,
        _ => value < goal,
    };
    let verdict = if met { "met" } else { "NOT met" };
    let shown = if goal >= 100.0 {
        thousands(value)
    } else {
        // A miss shows as many decimals as it takes not to read as the goal itself.
        let mut decimals = 2;
        while !met && decimals < 6 && format!("{value:.decimals$}") == format!("{goal:.decimals$}")
        {
            decimals += 1;
        }
        format!("{value:.decimals$}")
    };
    format!("{shown} (target {relation} {goal}): {verdict}")
}

/// One run against another: throughput and latency quantiles.
struct Ratios {
    throughput: f64,
    median: f64,
    p99: f64,
}

impl Ratios {
    fn between(a: &Run, b: &Run) -> Self {
        let quantile = |q| {
            a.latency.value_at_quantile(q) as f64 / b.latency.value_at_quantile(q).max(1) as f64
        };
        Self {
            throughput: a.rate() / b.rate(),
            median: quantile(0.5),
            p99: quantile(0.99),
        }
    }
}

fn name(s: Scenario) -> String {
    format!("{}×{}", s.connections, s.in_flight)
}

/// A latency quantile in µs (ms above 10 ms).
/// The latency at quantile `q`, in milliseconds.
fn quantile_ms(run: &Run, q: f64) -> f64 {
    run.latency.value_at_quantile(q) as f64 / 1e6
}

fn micros(run: &Run, q: f64) -> String {
    if run.calls == 0 {
        return "-".into();
    }
    let nanos = run.latency.value_at_quantile(q) as f64;
    if nanos >= 10_000_000.0 {
        format!("{:.1} ms", nanos / 1e6)
    } else {
        format!("{:.0} µs", nanos / 1e3)
    }
}

/// A count or rate with thousands separators, rounded to a whole number.
fn thousands(value: f64) -> String {
    if !value.is_finite() {
        return "-".into();
    }
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{larger_over_smaller, thousands, verdict};

    #[test]
    fn the_store_size_ratio_is_the_larger_store_over_the_smaller_whichever_is_diagnosed_first() {
        let million = (1_000_000, 18_000.0);
        let thousand = (1_000, 20_000.0);
        assert_eq!(
            larger_over_smaller(million, thousand),
            (0.9, (1_000_000, 1_000))
        );
        assert_eq!(
            larger_over_smaller(thousand, million),
            (0.9, (1_000_000, 1_000))
        );
    }

    #[test]
    fn a_miss_by_less_than_the_rounding_shows_the_decimals_that_tell_it_from_the_goal() {
        assert_eq!(verdict(0.8973, "≥", 0.9), "0.897 (target ≥ 0.9): NOT met");
        assert_eq!(
            verdict(0.89996, "≥", 0.9),
            "0.89996 (target ≥ 0.9): NOT met"
        );
        assert_eq!(verdict(0.5004, "≤", 0.5), "0.5004 (target ≤ 0.5): NOT met");
        assert_eq!(verdict(0.8994, "≥", 0.9), "0.899 (target ≥ 0.9): NOT met");
        assert_eq!(verdict(0.8951, "≥", 0.9), "0.895 (target ≥ 0.9): NOT met");
        assert_eq!(verdict(0.9012, "≥", 0.9), "0.90 (target ≥ 0.9): met");
        assert_eq!(verdict(0.87, "≥", 0.9), "0.87 (target ≥ 0.9): NOT met");
        assert_eq!(
            verdict(29_043.0, "≥", 100_000.0),
            "29,043 (target ≥ 100000): NOT met"
        );
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1_210_288.0), "1,210,288");
        assert_eq!(thousands(f64::NAN), "-");
    }
}
