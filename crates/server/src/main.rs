//! The `sightline` binary: one process that serves every dialect's HTTP API over the embedded
//! SQLite store by default, or joins other stateless nodes on PostgreSQL.

mod api;
mod cli;
mod commands;
mod config;
mod demo;
mod enrichment;
mod housekeeping;
mod http;
mod simulate;
mod state;
mod telemetry;

use std::process::ExitCode;

/// A decision allocates and frees many small JSON values across threads; glibc's malloc spent
/// about a tenth of the server's time on them under load (perf), mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = <cli::Cli as clap::Parser>::parse();
    let config = match config::Config::load(&cli) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config);
    match commands::run(cli, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
