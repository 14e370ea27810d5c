//! `paydiag-bench`: load benchmark of a real paydiag server started in this process.
//!
//! Command line only; the benchmark itself is the `paydiag_bench` library beside it. See
//! BENCHMARKS.md.

use clap::Parser as _;
use paydiag_bench as bench;
use std::process::ExitCode;

/// The allocator `paydiag serve` runs with, so the servers in this process allocate the same way.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let options = bench::Options::parse();
    match bench::run(&options) {
        Ok(outcome) if outcome.failures == 0 => ExitCode::SUCCESS,
        Ok(outcome) => {
            eprintln!("paydiag-bench: {} calls failed", outcome.failures);
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("paydiag-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
