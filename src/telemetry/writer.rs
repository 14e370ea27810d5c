//! The log writer: callers append whole lines to a shared buffer, and one thread writes the
//! buffer out at most once per interval.
//!
//! A channel-per-line writer (such as `tracing_appender::non_blocking`) wakes its thread for
//! every line that finds it idle: a `futex` call and a cross-core wake-up on the diagnosing
//! thread, which made the info line of a diagnosis cost as much as reading its facts. Here a
//! caller wakes the thread only when the buffer was empty and the thread asleep, or when the
//! buffer fills; the thread then gathers lines for one interval and writes them with one call.
//! No line is dropped: when the buffer is full, callers wait for the thread to take it.

use std::{
    io::{self, Write},
    sync::{Arc, Condvar, Mutex, MutexGuard},
    thread::JoinHandle,
    time::{Duration, Instant},
};
use tracing_subscriber::fmt::MakeWriter;

/// How long the writer thread gathers lines before writing them: the most a line waits.
pub const INTERVAL: Duration = Duration::from_millis(10);

/// Buffered bytes at which callers wait for the writer thread.
pub const CAPACITY: usize = 4 << 20;

/// The caller side: cheap to clone, one per subscriber.
#[derive(Clone)]
pub struct BatchedWriter {
    shared: Arc<Shared>,
}

/// Keeps the writer thread running; dropping it writes every line still buffered and stops it.
#[must_use = "the writer thread stops, writing what is buffered, when the guard is dropped"]
pub struct WriterGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    state: Mutex<State>,
    /// The writer thread waits here: for a first line, or for its interval to pass.
    wake: Condvar,
    /// Callers wait here while the buffer is full.
    room: Condvar,
    capacity: usize,
}

#[derive(Default)]
struct State {
    lines: Vec<u8>,
    /// The writer thread sleeps until a line comes (and only then does a caller wake it).
    idle: bool,
    closing: bool,
}

/// Starts a writer thread writing to `out`, gathering lines for `interval` at a time and making
/// callers wait beyond `capacity` buffered bytes.
pub fn batched<W: Write + Send + 'static>(
    out: W,
    interval: Duration,
    capacity: usize,
) -> io::Result<(BatchedWriter, WriterGuard)> {
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        wake: Condvar::new(),
        room: Condvar::new(),
        capacity,
    });
    let thread = std::thread::Builder::new()
        .name("paydiag-log".into())
        .spawn({
            let shared = shared.clone();
            move || shared.write_out(out, interval)
        })?;
    let guard = WriterGuard {
        shared: shared.clone(),
        thread: Some(thread),
    };
    Ok((BatchedWriter { shared }, guard))
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the buffer whole: lines are appended at once.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends one whole line (or several), waiting while the buffer is full.
    fn append(&self, line: &[u8]) {
        let mut state = self.lock();
        while state.lines.len() >= self.capacity && !state.closing {
            // The caller that filled the buffer has woken the thread.
            state = self.room.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.lines.extend_from_slice(line);
        if state.idle || state.lines.len() >= self.capacity {
            state.idle = false;
            self.wake.notify_one();
        }
    }

    /// The writer thread: until closed, waits for a line, gathers lines for `interval` (or
    /// until the buffer fills), and writes what it gathered with one call.
    fn write_out<W: Write>(&self, mut out: W, interval: Duration) {
        let mut batch = Vec::new();
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
            let closing = state.closing;
            drop(state);
            self.room.notify_all();
            // A log that cannot be written (stderr closed, disk full) must not stop the
            // service; the lines are lost, as they would be on the terminal.
            let _ = out.write_all(&batch).and_then(|()| out.flush());
            batch.clear();
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
        self.shared.room.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What a log event writes through: the subscriber formats a whole event, then writes it here
/// with one `write_all`, so lines of concurrent events never interleave.
pub struct Line<'a> {
    shared: &'a Shared,
}

impl Write for Line<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.shared.append(bytes);
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(path: &std::path::Path) -> Vec<String> {
        std::fs::read_to_string(path)
            .expect("the log file")
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_line_of_concurrent_writers_is_written_whole_by_the_time_the_guard_drops() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        // A buffer of a few lines, so that writers keep waiting for the thread to take it.
        let (writer, guard) =
            batched(file.reopen().expect("the file"), INTERVAL, 256).expect("a writer");
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
    }

    #[test]
    fn a_line_is_written_within_the_interval_without_the_guard_dropping() {
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        let (writer, _guard) =
            batched(file.reopen().expect("the file"), INTERVAL, CAPACITY).expect("a writer");
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
}
