//! How far `paydiag import` has got, drawn on stderr while a person watches it.
//!
//! The server answers an import once, at its end, so what it stored and rejected is known only
//! then; until then the display shows what has been read, how fast, and the time left estimated
//! from the bytes read of the file's size.

use crate::pb::v1 as pb;
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::{
    fmt,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering::Relaxed},
    },
    time::Duration,
};

/// How often the display is redrawn.
const REDRAW: Duration = Duration::from_millis(100);

/// While reading. Fits in 80 columns up to millions of lines.
const READING: &str =
    "{percent:>3}% [{bar:20}] {items} read, {unreadable} unreadable, {rate}/s, {eta} left";

/// Once the whole file has been read.
const WAITING: &str =
    "{percent:>3}% [{bar:20}] {items} read, {unreadable} unreadable; waiting for the server";

/// When the server has answered: what it stored and rejected.
const DONE: &str = "{msg}";

/// What has been read of the file so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Read {
    /// Lines read, each one item of the stream.
    pub items: u64,
    /// Bytes read, line ends included.
    pub bytes: u64,
    /// Lines that were not an `ImportFactsRequest` (sent empty, for the server to reject).
    pub unreadable: u64,
}

/// The counts the templates show, read when the bar is drawn, so that one update of the bar's
/// position draws them all.
#[derive(Debug, Default)]
struct Counts {
    items: AtomicU64,
    unreadable: AtomicU64,
}

/// The progress display of one import: drawn on stderr, or nowhere.
#[derive(Debug, Clone)]
pub struct ImportProgress {
    shown: Option<(ProgressBar, Arc<Counts>)>,
}

impl ImportProgress {
    /// A display of an import of `total_bytes`, drawn on stderr if `shown`, else nowhere, at no
    /// cost.
    pub fn new(shown: bool, total_bytes: u64) -> Self {
        let shown = shown.then(|| {
            let counts = Arc::<Counts>::default();
            let bar =
                ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr())
                    .with_style(style(READING, &counts));
            // Drawn by indicatif's own thread at a steady pace, whether lines come fast, slowly
            // (the server holding the stream back) or not at all (waiting for its answer):
            // an update of the counts only stores them.
            bar.enable_steady_tick(REDRAW);
            (bar, counts)
        });
        Self { shown }
    }

    /// Shows how much has been read.
    pub fn read(&self, read: Read) {
        if let Some((bar, counts)) = &self.shown {
            counts.items.store(read.items, Relaxed);
            counts.unreadable.store(read.unreadable, Relaxed);
            bar.set_position(read.bytes);
        }
    }

    /// Shows that the whole file has been read and the server's answer is awaited.
    pub fn all_read(&self, read: Read) {
        if let Some((bar, counts)) = &self.shown {
            bar.set_style(style(WAITING, counts));
            self.read(read);
        }
    }

    /// Writes `line` on stderr, above the display when there is one.
    pub fn warn(&self, line: &str) {
        match &self.shown {
            Some((bar, _)) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Replaces the display with what the server stored and rejected, or leaves it as it was
    /// when the import failed (the error is printed after it).
    pub fn end(&self, answer: Option<&pb::ImportFactsResponse>) {
        let Some((bar, counts)) = &self.shown else {
            return;
        };
        let Some(answer) = answer else {
            bar.abandon();
            return;
        };
        bar.set_style(style(DONE, counts));
        bar.finish_with_message(done(answer, bar.elapsed().as_secs_f64()));
    }
}

/// The last line: "299,999 items stored, 1 rejected, in 2.4 s".
fn done(answer: &pb::ImportFactsResponse, seconds: f64) -> String {
    let stored = answer.transactions_stored
        + answer.account_statuses_stored
        + answer.maintenance_windows_stored
        + answer.network_conditions_stored;
    let unit = if stored == 1 { "item" } else { "items" };
    format!(
        "{} {unit} stored, {} rejected, in {seconds:.1} s",
        HumanCount(stored),
        HumanCount(answer.rejected_count)
    )
}

/// `template` with its keys `{items}`, `{unreadable}` and `{rate}` (items per second) read
/// from `counts`.
fn style(template: &str, counts: &Arc<Counts>) -> ProgressStyle {
    let count = |field: fn(&Counts) -> &AtomicU64| {
        let counts = Arc::clone(counts);
        move |_: &ProgressState, out: &mut dyn fmt::Write| {
            let _ = write!(out, "{}", HumanCount(field(&counts).load(Relaxed)));
        }
    };
    let rate = {
        let counts = Arc::clone(counts);
        move |state: &ProgressState, out: &mut dyn fmt::Write| {
            let seconds = state.elapsed().as_secs_f64();
            let items = counts.items.load(Relaxed) as f64;
            let rate = if seconds > 0.0 { items / seconds } else { 0.0 };
            let _ = write!(out, "{}", HumanCount(rate as u64));
        }
    };
    // The templates are constants, checked by the tests below.
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
        .with_key("items", count(|c| &c.items))
        .with_key("unreadable", count(|c| &c.unreadable))
        .with_key("rate", rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_are_valid() {
        for template in [READING, WAITING, DONE] {
            let error = ProgressStyle::with_template(template)
                .err()
                .map(|e| e.to_string());
            assert_eq!(error, None, "{template}");
        }
    }

    #[test]
    fn the_last_line_adds_up_what_was_stored_and_counts_with_separators() {
        let answer = pb::ImportFactsResponse {
            transactions_stored: 299_000,
            account_statuses_stored: 990,
            maintenance_windows_stored: 8,
            network_conditions_stored: 1,
            rejected_count: 1_001,
            ..Default::default()
        };
        assert_eq!(
            done(&answer, 2.44),
            "299,999 items stored, 1,001 rejected, in 2.4 s"
        );
        let one = pb::ImportFactsResponse {
            network_conditions_stored: 1,
            ..Default::default()
        };
        assert_eq!(done(&one, 0.0), "1 item stored, 0 rejected, in 0.0 s");
    }
}
