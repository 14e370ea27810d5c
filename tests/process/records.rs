//! Case records and the real binary: SIGTERM writes every record the server took before it
//! exits; SIGKILL under load loses only the records of the last moments, and no more than the
//! README states; a full buffer drops what it cannot hold, counted and logged, while diagnoses
//! go on being answered.

use super::{Server, Started, connect, sample, scrape};
use paydiag::pb::v1::{self as pb, diagnosis_service_client::DiagnosisServiceClient};
use std::{
    collections::HashSet,
    process::Command,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use tonic::transport::Channel;

/// What the README states: on a crash, the records of diagnoses acknowledged at most this long
/// before it may be lost (the 50 ms flush interval, and the commits it may wait behind).
const LOSS_WINDOW: Duration = Duration::from_millis(250);

fn diagnose(reference: String, ticket: String) -> pb::DiagnoseRequest {
    pb::DiagnoseRequest {
        reference,
        ticket_id: ticket,
        ..Default::default()
    }
}

/// Every reference recorded for `ticket`, newest first, page after page.
async fn recorded(channel: &Channel, ticket: &str) -> Vec<String> {
    let mut client = DiagnosisServiceClient::new(channel.clone());
    let mut references = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = client
            .list_diagnosis_records(pb::ListDiagnosisRecordsRequest {
                ticket_id: ticket.into(),
                page_size: 500,
                page_token,
                ..Default::default()
            })
            .await
            .expect("list records")
            .into_inner();
        references.extend(page.records.into_iter().map(|r| r.reference));
        if page.next_page_token.is_empty() {
            return references;
        }
        page_token = page.next_page_token;
    }
}

fn signal(server: &Server, name: &str) {
    let status = Command::new("kill")
        .args([name, &server.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success(), "kill {name}: {status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_every_record_taken_is_written_before_the_process_exits() {
    let dir = tempfile::TempDir::new().expect("dir");
    // Batches wait an hour: only the shutdown writes these records.
    let Started {
        mut server,
        mut logs,
        port,
        metrics_port,
    } = Server::start(dir.path(), &[], &["--records-flush-interval", "1h"]);
    let channel = connect(port).await;
    let mut client = DiagnosisServiceClient::new(channel);
    for i in 0..20 {
        let request = diagnose(format!("DEP-TERM-{i:02}"), "T-TERM".into());
        client.diagnose(request).await.expect("diagnose");
    }
    let metrics = scrape(metrics_port).await;
    let written = sample(&metrics, "paydiag_records_written_total", &[]);
    assert_eq!(written, None, "nothing written yet: {metrics}");

    signal(&server, "-TERM");
    let line = logs.wait_for("case record writer stopped");
    assert!(line.contains("written=20 dropped=0"), "{line}");
    let exit = tokio::task::spawn_blocking(move || server.0.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(exit.success(), "clean exit: {exit:?}");

    let restarted = Server::start(dir.path(), &[], &[]);
    let channel = connect(restarted.port).await;
    let expected: Vec<String> = (0..20).rev().map(|i| format!("DEP-TERM-{i:02}")).collect();
    assert_eq!(recorded(&channel, "T-TERM").await, expected);
}

/// Callers making Diagnose calls for tickets of their own until the server dies.
const CALLERS: usize = 16;
/// Acknowledged calls after which the server is killed.
const KILL_AFTER: u64 = 3_000;

/// One caller: Diagnose with ticket `K-{caller}` and a reference of its own per call, until a
/// call fails. Each acknowledged call's reference and when it was acknowledged go to `acked`.
async fn caller(
    channel: Channel,
    caller: usize,
    acked: Arc<Mutex<Vec<(String, Instant)>>>,
    count: Arc<AtomicU64>,
    reached: Arc<tokio::sync::Notify>,
) {
    let mut client = DiagnosisServiceClient::new(channel);
    for n in 0.. {
        let reference = format!("R-{caller:02}-{n:06}");
        let request = diagnose(reference.clone(), format!("K-{caller:02}"));
        if client.diagnose(request).await.is_err() {
            return;
        }
        let now = Instant::now();
        acked.lock().expect("acked").push((reference, now));
        if count.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
            reached.notify_one();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_sigkill_under_load_only_records_of_the_last_moments_are_lost() {
    let dir = tempfile::TempDir::new().expect("dir");
    let Started {
        mut server, port, ..
    } = Server::start(dir.path(), &[], &["--rate-limit-per-second", "0"]);
    let channels: Vec<Channel> =
        futures_util::future::join_all((0..4).map(|_| connect(port))).await;
    let acked = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicU64::new(0));
    let reached = Arc::new(tokio::sync::Notify::new());
    let callers: Vec<_> = (0..CALLERS)
        .map(|i| {
            tokio::spawn(caller(
                channels[i % channels.len()].clone(),
                i,
                acked.clone(),
                count.clone(),
                reached.clone(),
            ))
        })
        .collect();
    reached.notified().await;
    let killed_at = Instant::now();
    signal(&server, "-KILL");
    for caller in callers {
        caller.await.expect("caller");
    }
    let exit = tokio::task::spawn_blocking(move || server.0.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(!exit.success(), "killed: {exit:?}");

    let restarted = Server::start(dir.path(), &[], &[]);
    let channel = connect(restarted.port).await;
    let mut survived = HashSet::new();
    for i in 0..CALLERS {
        survived.extend(recorded(&channel, &format!("K-{i:02}")).await);
    }
    let acked = std::mem::take(&mut *acked.lock().expect("acked"));
    let acked_refs: HashSet<&str> = acked.iter().map(|(r, _)| r.as_str()).collect();
    // Every surviving record is of a call that was made: acknowledged, or in flight at the kill.
    let in_flight = survived
        .iter()
        .filter(|r| !acked_refs.contains(r.as_str()))
        .count();
    assert!(
        in_flight <= CALLERS,
        "{in_flight} records of calls never made"
    );
    let lost: Vec<Duration> = acked
        .iter()
        .filter(|(r, _)| !survived.contains(r))
        .map(|(_, at)| killed_at.saturating_duration_since(*at))
        .collect();
    let window = lost.iter().max().copied().unwrap_or_default();
    eprintln!(
        "SIGKILL after {} acknowledged calls: {} records lost, the oldest acknowledged {window:?} \
         before the kill; {} survived ({in_flight} of calls in flight)",
        acked.len(),
        lost.len(),
        survived.len(),
    );
    assert!(
        window <= LOSS_WINDOW,
        "a record acknowledged {window:?} before the kill was lost; the README states {LOSS_WINDOW:?}"
    );
}

/// The `dropped=N` field of a log line.
fn dropped_field(line: &str) -> u64 {
    let (_, after) = line
        .split_once(" dropped=")
        .unwrap_or_else(|| panic!("no dropped= field: {line}"));
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().expect("a count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_beyond_a_full_buffer_are_dropped_counted_and_logged_while_diagnoses_go_on() {
    /// Records the buffer holds, beside the one the writer holds while it retries.
    const BUFFER: usize = 3;
    /// Diagnoses made while the store refuses writes, after the one the writer holds.
    const MADE: usize = 7;
    let dir = tempfile::TempDir::new().expect("dir");
    let buffer = BUFFER.to_string();
    let Started {
        mut server,
        mut logs,
        port,
        metrics_port,
    } = Server::start(
        dir.path(),
        &[],
        &["--records-buffer", &buffer, "--records-batch", "1"],
    );
    let client = DiagnosisServiceClient::new(connect(port).await);
    // The test holds the records file's write lock: the writer's commits wait out the busy
    // timeout (5 s) and fail as unavailable, and it keeps retrying the one record it holds.
    // Reads go on.
    let lock =
        rusqlite::Connection::open(dir.path().join("p.db-records")).expect("open the records");
    lock.busy_timeout(Duration::from_secs(30))
        .expect("busy timeout");
    lock.execute_batch("BEGIN IMMEDIATE")
        .expect("the write lock");

    // Every diagnosis is answered while the lock is held: one that waited for its record would
    // wait until the lock is released, after the last call.
    let made = |i: usize| {
        let request = diagnose(format!("DEP-FULL-{i}"), "T-FULL".into());
        let mut client = client.clone();
        async move {
            let answered = tokio::time::timeout(Duration::from_secs(30), client.diagnose(request))
                .await
                .expect("answered while the store refuses writes")
                .expect("diagnose")
                .into_inner();
            assert_eq!(answered.cause(), pb::Cause::NotFound);
        }
    };
    made(0).await;
    // The writer took that record and failed to commit it: all the buffer's room is free.
    logs.wait_for("case records cannot be written");
    for i in 1..=MADE {
        made(i).await;
    }
    let dropped = MADE - BUFFER;
    let metrics = scrape(metrics_port).await;
    let full = ["reason=\"buffer_full\""];
    assert_eq!(
        sample(&metrics, "paydiag_records_dropped_total", &full),
        Some(dropped as f64),
        "{metrics}"
    );
    assert_eq!(
        sample(&metrics, "paydiag_records_written_total", &[]),
        None,
        "nothing written while the lock is held: {metrics}"
    );

    lock.execute_batch("ROLLBACK")
        .expect("release the write lock");
    drop(lock);
    logs.wait_for("case records are written again");
    signal(&server, "-TERM");
    let stopped = logs.wait_for("case record writer stopped");
    let kept = 1 + BUFFER;
    assert!(
        stopped.contains(&format!("written={kept} dropped={dropped}")),
        "{stopped}"
    );
    // The writer said how many it lost, in one line or, had a retry come between the calls,
    // in a few whose counts add up.
    let reports: Vec<&String> = logs
        .read
        .iter()
        .filter(|line| line.contains("case records dropped: the buffer was full"))
        .collect();
    let reported: u64 = reports.iter().map(|line| dropped_field(line)).sum();
    assert_eq!(reported, dropped as u64, "{reports:#?}");
    let last = reports.last().expect("a report");
    assert!(last.contains(&format!("dropped_total={dropped}")), "{last}");
    let exit = tokio::task::spawn_blocking(move || server.0.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(exit.success(), "clean exit: {exit:?}");

    // The record the writer held and the buffer's, newest first; none of those dropped.
    let restarted = Server::start(dir.path(), &[], &[]);
    let channel = connect(restarted.port).await;
    let expected: Vec<String> = (0..kept).rev().map(|i| format!("DEP-FULL-{i}")).collect();
    assert_eq!(recorded(&channel, "T-FULL").await, expected);
}
