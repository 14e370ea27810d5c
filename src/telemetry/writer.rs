//! The log writer: callers append whole lines to a shared buffer, and one thread writes the
//! buffer out at most once per interval.
//!
//! A channel-per-line writer (such as `tracing_appender::non_blocking`, lossy or not) wakes its
//! thread for every line that finds it idle: a `futex` call and a cross-core wake-up on the
//! diagnosing thread, which made the info line of a diagnosis cost as much as reading its facts.
//! Here a caller wakes the thread only when the buffer was empty and the thread asleep, or when
//! the buffer fills; the thread then gathers lines for one interval and writes them with one
//! call. It stays hand-written because, with two threads logging a line every 2.5 µs, the
//! lossy `tracing_appender` writer added about 1 µs per line against 0.2 µs here, and a third
//! more wall time: far outside the ±5% serving throughput allows.
//!
//! A caller never waits for the sink (a stalled pipe, a stuck log shipper): past a budget of
//! buffered bytes its line is dropped and counted in `paydiag_log_lines_dropped_total`, with
//! `kind="other"` or, for lines of the audit target, `kind="audit"`. Audit lines have a larger
//! budget, so they are the last to go. Once a write succeeds after drops, the thread reports
//! how many lines were lost, once.

use std::{
    io::{self, Write},
    sync::{Arc, Condvar, Mutex, MutexGuard, mpsc},
    thread::JoinHandle,
    time::{Duration, Instant},
};
use tracing::Metadata;
use tracing_subscriber::fmt::MakeWriter;

/// How long the writer thread gathers lines before writing them: the most a line waits.
pub const INTERVAL: Duration = Duration::from_millis(10);

/// Buffered bytes from which ordinary lines are dropped.
pub const CAPACITY: usize = 4 << 20;

/// Buffered bytes from which audit lines are dropped too.
pub const AUDIT_CAPACITY: usize = 16 << 20;

/// How long dropping the guard waits for the last lines to be written: a sink that has stopped
/// reading never returns from the write.
pub const SHUTDOWN_WAIT: Duration = Duration::from_secs(3);

/// The counter of lines dropped because the sink did not keep up, by `kind`.
pub const DROPPED_METRIC: &str = "paydiag_log_lines_dropped_total";

/// How the writer batches, and how much it holds before dropping lines.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long the writer thread gathers lines before writing them.
    pub interval: Duration,
    /// Buffered bytes from which ordinary lines are dropped.
    pub capacity: usize,
    /// Buffered bytes from which audit lines are dropped too; at least `capacity`.
    pub audit_capacity: usize,
    /// How long dropping the guard waits for the last lines to be written.
    pub shutdown_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            interval: INTERVAL,
            capacity: CAPACITY,
            audit_capacity: AUDIT_CAPACITY,
            shutdown_wait: SHUTDOWN_WAIT,
        }
    }
}

/// Lines dropped since the last report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dropped {
    /// Lines of any target but the audit one.
    pub other: u64,
    /// Lines of the audit target.
    pub audit: u64,
}

impl Dropped {
    fn is_empty(self) -> bool {
        self == Self::default()
    }

    fn add(&mut self, more: Self) {
        self.other += more.other;
        self.audit += more.audit;
    }
}

/// Says, as a warning in the log itself, how many lines were lost.
pub fn warn_dropped(dropped: Dropped) {
    tracing::warn!(
        "{} log lines dropped ({} audit) while the log sink was not keeping up",
        dropped.other + dropped.audit,
        dropped.audit
    );
}

/// The caller side: cheap to clone, one per subscriber.
#[derive(Clone)]
pub struct BatchedWriter {
    shared: Arc<Shared>,
}

/// Keeps the writer thread running; dropping it writes the lines still buffered, waiting for
/// that at most [`Limits::shutdown_wait`], and stops it.
#[must_use = "the writer thread stops, writing what is buffered, when the guard is dropped"]
pub struct WriterGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    /// Disconnects when the writer thread ends.
    ended: mpsc::Receiver<()>,
    shutdown_wait: Duration,
}

struct Shared {
    state: Mutex<State>,
    /// The writer thread waits here: for a first line, or for its interval to pass.
    wake: Condvar,
    capacity: usize,
    audit_capacity: usize,
}

#[derive(Default)]
struct State {
    lines: Vec<u8>,
    /// The writer thread sleeps until a line comes (and only then does a caller wake it).
    idle: bool,
    closing: bool,
    dropped: Dropped,
}

/// Starts a writer thread writing to `out` within `limits`; after a successful write that
/// follows drops, the thread calls `report` with the lines lost since its last call.
pub fn batched<W: Write + Send + 'static>(
    out: W,
    limits: Limits,
    report: impl Fn(Dropped) + Send + 'static,
) -> io::Result<(BatchedWriter, WriterGuard)> {
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        wake: Condvar::new(),
        capacity: limits.capacity,
        audit_capacity: limits.audit_capacity.max(limits.capacity),
    });
    let (ends, ended) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("paydiag-log".into())
        .spawn({
            let shared = shared.clone();
            move || {
                let _ends = ends;
                shared.write_out(out, limits.interval, report);
            }
        })?;
    let guard = WriterGuard {
        shared: shared.clone(),
        thread: Some(thread),
        ended,
        shutdown_wait: limits.shutdown_wait,
    };
    Ok((BatchedWriter { shared }, guard))
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the buffer whole: lines are appended at once.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends one whole line (or several), or drops it if the buffer holds its budget.
    fn append(&self, line: &[u8], audit: bool) {
        let budget = if audit {
            self.audit_capacity
        } else {
            self.capacity
        };
        let mut state = self.lock();
        let held = state.lines.len();
        if held >= budget {
            if audit {
                state.dropped.audit += 1;
            } else {
                state.dropped.other += 1;
            }
            drop(state);
            let kind = if audit { "audit" } else { "other" };
            metrics::counter!(DROPPED_METRIC, "kind" => kind).increment(1);
            return;
        }
        state.lines.extend_from_slice(line);
        // Once when the buffer fills, not for every audit line past it.
        let filled = held < self.capacity && state.lines.len() >= self.capacity;
        if state.idle || filled {
            state.idle = false;
            self.wake.notify_one();
        }
    }

    /// The writer thread: until closed, waits for a line, gathers lines for `interval` (or
    /// until the buffer fills), and writes what it gathered with one call.
    fn write_out<W: Write>(&self, mut out: W, interval: Duration, report: impl Fn(Dropped)) {
        let mut batch = Vec::new();
        let mut unreported = Dropped::default();
        loop {
            let mut state = self.lock();
            while state.lines.is_empty() && !state.closing {
                state.idle = true;
                state = self.wake.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            state.idle = false;
            let gathered_until = Instant::now() + interval;
            while !state.closing && state.lines.len() < self.capacity {
                let left = gathered_until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                state = self
                    .wake
                    .wait_timeout(state, left)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
            std::mem::swap(&mut state.lines, &mut batch);
            unreported.add(std::mem::take(&mut state.dropped));
            let closing = state.closing;
            drop(state);
            // A log that cannot be written (stderr closed, disk full) must not stop the
            // service; the lines are lost, as they would be on the terminal.
            let written = out.write_all(&batch).and_then(|()| out.flush()).is_ok();
            batch.clear();
            // What a stall piled up is not kept once written.
            batch.shrink_to(self.capacity);
            if written && !unreported.is_empty() {
                report(std::mem::take(&mut unreported));
            }
            if closing && self.lock().lines.is_empty() {
                return;
            }
        }
    }
}

impl Drop for WriterGuard {
    fn drop(&mut self) {
        self.shared.lock().closing = true;
        self.shared.wake.notify_one();
        // A sink that stopped reading holds the thread in `write` for good: past the wait, the
        // thread is left to end with the process, and its lines with it.
        let ended = self.ended.recv_timeout(self.shutdown_wait);
        if let (Err(mpsc::RecvTimeoutError::Disconnected), Some(thread)) =
            (ended, self.thread.take())
        {
            let _ = thread.join();
        }
    }
}

/// What a log event writes through: the subscriber formats a whole event, then writes it here
/// with one `write_all`, so lines of concurrent events never interleave.
pub struct Line<'a> {
    shared: &'a Shared,
    audit: bool,
}

impl Write for Line<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.shared.append(bytes, self.audit);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for BatchedWriter {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Line {
            shared: &self.shared,
            audit: false,
        }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Self::Writer {
        Line {
            shared: &self.shared,
            audit: meta.target() == super::AUDIT_TARGET,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telemetry::AUDIT_TARGET;

    fn lines_of(path: &std::path::Path) -> Vec<String> {
        std::fs::read_to_string(path)
            .expect("the log file")
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// A sink that stops in its first write until opened, as a pipe that nobody reads does.
    #[derive(Clone, Default)]
    struct Stalled(Arc<(Mutex<Sink>, Condvar)>);

    #[derive(Default)]
    struct Sink {
        entered: bool,
        open: bool,
        written: Vec<u8>,
    }

    impl Stalled {
        fn sink(&self) -> MutexGuard<'_, Sink> {
            self.0.0.lock().expect("the sink")
        }

        /// Waits until the writer thread is stuck in its first write.
        fn wait_until_entered(&self) {
            let deadline = Instant::now() + Duration::from_secs(5);
            let mut sink = self.sink();
            while !sink.entered {
                let left = deadline.saturating_duration_since(Instant::now());
                assert!(!left.is_zero(), "the writer thread never wrote");
                sink = self.0.1.wait_timeout(sink, left).expect("the sink").0;
            }
        }

        fn open(&self) {
            self.sink().open = true;
            self.0.1.notify_all();
        }

        fn written(&self) -> Vec<String> {
            let sink = self.sink();
            String::from_utf8_lossy(&sink.written)
                .lines()
                .map(str::to_owned)
                .collect()
        }
    }

    impl Write for Stalled {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            let mut sink = self.sink();
            sink.entered = true;
            self.0.1.notify_all();
            while !sink.open {
                sink = self.0.1.wait(sink).expect("the sink");
            }
            sink.written.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// A writer to a sink stalled in writing the line "first", with no interval, budgets of
    /// `capacity` and `audit_capacity` bytes, and its reports sent to the receiver.
    fn stalled(
        capacity: usize,
        audit_capacity: usize,
    ) -> (Stalled, BatchedWriter, WriterGuard, mpsc::Receiver<Dropped>) {
        stalled_within(Limits {
            interval: Duration::ZERO,
            capacity,
            audit_capacity,
            shutdown_wait: SHUTDOWN_WAIT,
        })
    }

    fn stalled_within(
        limits: Limits,
    ) -> (Stalled, BatchedWriter, WriterGuard, mpsc::Receiver<Dropped>) {
        let sink = Stalled::default();
        let (reports, reported) = mpsc::channel();
        let (writer, guard) = batched(sink.clone(), limits, move |dropped| {
            let _ = reports.send(dropped);
        })
        .expect("a writer");
        writer.make_writer().write_all(b"first\n").expect("written");
        sink.wait_until_entered();
        (sink, writer, guard, reported)
    }

    /// Logs `message` at info through `writer`, as an audit event or an ordinary one.
    fn log(writer: &BatchedWriter, audit: bool, message: &str) {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            if audit {
                tracing::info!(target: AUDIT_TARGET, "{message}");
            } else {
                tracing::info!("{message}");
            }
        });
    }

    #[test]
    fn every_line_of_concurrent_writers_is_written_whole_by_the_time_the_guard_drops() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        let (reports, reported) = mpsc::channel();
        let (writer, guard) = batched(
            file.reopen().expect("the file"),
            Limits::default(),
            move |dropped| {
                let _ = reports.send(dropped);
            },
        )
        .expect("a writer");
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let writer = writer.clone();
                std::thread::spawn(move || {
                    for i in 0..500 {
                        let line = format!("writer {t} line {i:03} {}\n", "x".repeat(40));
                        writer
                            .make_writer()
                            .write_all(line.as_bytes())
                            .expect("written");
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("a writer thread");
        }
        drop(guard);
        let mut lines = lines_of(file.path());
        assert_eq!(lines.len(), 8 * 500);
        lines.sort();
        let mut expected: Vec<String> = (0..8)
            .flat_map(|t| {
                (0..500).map(move |i| format!("writer {t} line {i:03} {}", "x".repeat(40)))
            })
            .collect();
        expected.sort();
        assert_eq!(lines, expected);
        assert_eq!(reported.try_recv().ok(), None, "nothing was dropped");
    }

    #[test]
    fn a_line_is_written_within_the_interval_without_the_guard_dropping() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        let (writer, _guard) =
            batched(file.reopen().expect("the file"), Limits::default(), |_| {}).expect("a writer");
        writer.make_writer().write_all(b"first\n").expect("written");
        let deadline = Instant::now() + Duration::from_secs(5);
        while lines_of(file.path()).is_empty() {
            assert!(Instant::now() < deadline, "the line was never written");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(lines_of(file.path()), ["first"]);
        // After the thread went back to sleep, the next line wakes it again.
        writer
            .make_writer()
            .write_all(b"second\n")
            .expect("written");
        while lines_of(file.path()).len() < 2 {
            assert!(
                Instant::now() < deadline,
                "the second line was never written"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(lines_of(file.path()), ["first", "second"]);
    }

    #[test]
    fn lines_past_the_budget_of_a_stalled_sink_are_dropped_and_counted_without_waiting() {
        let (sink, writer, _guard, reported) = stalled(12, 12);
        for i in 0..5 {
            writer
                .make_writer()
                .write_all(format!("line {i}\n").as_bytes())
                .expect("a dropped line is no error");
        }
        sink.open();
        let report = reported
            .recv_timeout(Duration::from_secs(5))
            .expect("a report once the sink drains");
        // Two lines of 7 bytes reach the 12-byte budget; the three after them are dropped.
        assert_eq!(report, Dropped { other: 3, audit: 0 });
        // The report follows the write of what was kept.
        assert_eq!(sink.written(), ["first", "line 0", "line 1"]);
    }

    #[test]
    fn audit_lines_are_kept_past_the_budget_that_drops_other_lines() {
        let (sink, writer, guard, reported) = stalled(1, 1 << 20);
        for i in 0..4 {
            log(&writer, false, &format!("ordinary {i}"));
            log(&writer, true, &format!("audit {i}"));
        }
        sink.open();
        let report = reported
            .recv_timeout(Duration::from_secs(5))
            .expect("a report once the sink drains");
        drop(guard);
        // The first ordinary line fills the one-byte budget of ordinary lines.
        assert_eq!(report, Dropped { other: 3, audit: 0 });
        let written = sink.written();
        assert!(written[1].ends_with("ordinary 0"), "{written:?}");
        for i in 0..4 {
            assert!(
                written.iter().any(|l| l.ends_with(&format!("audit {i}"))),
                "{written:?}"
            );
        }
    }

    #[test]
    fn audit_lines_past_their_own_budget_are_dropped_and_counted_apart() {
        let (sink, writer, _guard, reported) = stalled(1, 1);
        for i in 0..3 {
            log(&writer, false, &format!("ordinary {i}"));
        }
        for i in 0..2 {
            log(&writer, true, &format!("audit {i}"));
        }
        sink.open();
        let report = reported
            .recv_timeout(Duration::from_secs(5))
            .expect("a report once the sink drains");
        assert_eq!(report, Dropped { other: 2, audit: 2 });
    }

    #[test]
    fn the_lines_dropped_are_reported_once_and_only_after_the_sink_drains() {
        let (sink, writer, guard, reported) = stalled(1, 1);
        writer.make_writer().write_all(b"kept\n").expect("written");
        writer.make_writer().write_all(b"lost\n").expect("written");
        // The sink is still stuck in its first write: nothing has drained yet.
        assert_eq!(reported.try_recv().ok(), None);
        sink.open();
        let report = reported
            .recv_timeout(Duration::from_secs(5))
            .expect("a report once the sink drains");
        assert_eq!(report, Dropped { other: 1, audit: 0 });
        writer.make_writer().write_all(b"after\n").expect("written");
        drop(guard);
        assert_eq!(sink.written(), ["first", "kept", "after"]);
        assert_eq!(reported.try_recv().ok(), None, "reported once");
    }

    #[test]
    fn the_report_line_says_how_many_lines_and_how_many_audit_lines_were_dropped() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        let (writer, guard) =
            batched(file.reopen().expect("the file"), Limits::default(), |_| {}).expect("a writer");
        let subscriber = tracing_subscriber::fmt()
            .with_writer(writer)
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            warn_dropped(Dropped { other: 5, audit: 2 });
        });
        drop(guard);
        let lines = lines_of(file.path());
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains(" WARN "), "{lines:?}");
        assert!(
            lines[0]
                .ends_with("7 log lines dropped (2 audit) while the log sink was not keeping up"),
            "{lines:?}"
        );
    }

    #[test]
    fn dropping_the_guard_gives_up_on_a_sink_that_never_drains() {
        let (sink, writer, guard, _reported) = stalled_within(Limits {
            shutdown_wait: Duration::from_millis(100),
            ..Limits::default()
        });
        writer.make_writer().write_all(b"last\n").expect("written");
        let started = Instant::now();
        drop(guard);
        // The wait is 100 ms; a join would wait until the sink opens, which it never would.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        sink.open();
    }
}
