//! Benchmark tools for Sightline, loopback only.
//!
//! `loadgen run` sends requests to one URL either closed-loop (N connections back to back, for
//! throughput) or open-loop at a fixed rate (for latency at a given load; latencies are
//! measured from each request's scheduled time, so a stalled server cannot hide its queue).
//! `loadgen fill` bulk-loads synthetic history (velocity rows and decisions) into a store, to
//! measure how decision latency grows with history size.

mod fill;
mod run;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "loadgen")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Run(run::RunArgs),
    Fill(fill::FillArgs),
}

/// One thread: the generator shares the two cores with the server it measures, and a
/// multi-threaded runtime cost it ~25 % more CPU per request in cross-thread wake-ups (0.13
/// against 0.105 ms per request at 1,000 req/s on the trivial endpoint, `/usr/bin/time`).
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    match Cli::parse().command {
        Command::Run(args) => run::run(args).await,
        Command::Fill(args) => fill::fill(args).await,
    }
}
