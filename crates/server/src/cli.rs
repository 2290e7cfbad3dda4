//! Command-line shape. Every setting can also come from a `SIGHTLINE_*` environment variable
//! or the TOML file; flags win over the environment, which wins over the file.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "sightline", version, about = "Device intelligence and fraud decisions, self-hosted.")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// TOML configuration file (default: ./sightline.toml when it exists).
    #[arg(long, global = true, env = "SIGHTLINE_CONFIG")]
    pub config: Option<PathBuf>,
    /// `sqlite://path/to/file.db` (default `sqlite://data/sightline.db`) or `postgres://user:pass@host/db`.
    #[arg(long, global = true, env = "SIGHTLINE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Log format: `json` (default) or `pretty`.
    #[arg(long, global = true, env = "SIGHTLINE_LOG_FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Log filter, e.g. `info` or `sightline=debug,tower_http=info`.
    #[arg(long, global = true, env = "SIGHTLINE_LOG_LEVEL")]
    pub log_level: Option<String>,
    /// How commands print their results.
    #[arg(long, global = true, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (migrates the store first; creates a test tenant on first start).
    Serve(ServeArgs),
    /// Apply pending store migrations and exit.
    Migrate,
    /// Manage tenants.
    #[command(subcommand)]
    Tenants(TenantsCommand),
    /// Manage API keys (secrets are shown once and stored hashed).
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Print realistic sealed `device_data` strings for a scenario (tests, demos, benches).
    Simulate(SimulateArgs),
    /// Measure device-linking accuracy on a synthetic population (precision, recall, F1
    /// against an exact-hash baseline).
    Evaluate(EvaluateArgs),
    /// Sanctions lists for AML screening: import the files an operator downloads.
    #[command(subcommand)]
    Sanctions(SanctionsCommand),
}

#[derive(Debug, Subcommand)]
pub enum SanctionsCommand {
    /// Import one list file into the screening index (replacing that list's earlier import).
    /// The running service reads the index at start.
    Import(SanctionsImportArgs),
    /// Show the imported lists.
    Status(SanctionsDirArgs),
}

#[derive(Debug, Args)]
pub struct SanctionsImportArgs {
    /// `ofac` (sdn.csv, with alt.csv and add.csv beside it; or sdn.xml), `eu`, `un`, `uk` or `custom`.
    #[arg(long)]
    pub list: String,
    #[arg(long)]
    pub file: std::path::PathBuf,
    #[command(flatten)]
    pub dir: SanctionsDirArgs,
}

#[derive(Debug, Args)]
pub struct SanctionsDirArgs {
    /// Data directory (default: the configured one, `data`).
    #[arg(long, env = "SIGHTLINE_DATA_DIR")]
    pub data_dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Tenant (id or name) whose current agent key seals the payloads.
    #[arg(long)]
    pub tenant: String,
    /// `web`, `android` or `ios`.
    #[arg(long, default_value = "web")]
    pub platform: String,
    /// clean, emulator, virtual_machine, rooted, jailbroken, device_farm, bot, vpn, tampered,
    /// vishing, replay, travelling_user or browser_update.
    #[arg(long, default_value = "clean")]
    pub scenario: String,
    /// The session id to seal under (a device consent id in the Solaris flow).
    #[arg(long, default_value = "simulated-session")]
    pub session: String,
    /// Same seed, same device.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Seal each payload this many times, every copy after the first under a new payload id, as
    /// the agent seals a fresh one for every call (the replay check then sees each once).
    #[arg(long, default_value_t = 1)]
    pub count: u32,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// Devices in the synthetic population.
    #[arg(long, default_value_t = 20_000)]
    pub devices: usize,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Link on the attributes' prior weights only, as the server does for tenants with very few
    /// devices (default: as the server does, prior weights and then learnt value frequencies).
    #[arg(long)]
    pub prior_weights: bool,
}

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "SIGHTLINE_LISTEN")]
    pub listen: Option<String>,
    /// Seconds before a request is answered with 408.
    #[arg(long, env = "SIGHTLINE_REQUEST_TIMEOUT_SECS")]
    pub request_timeout_secs: Option<u64>,
    /// Largest accepted request body in bytes (larger ones get 413).
    #[arg(long, env = "SIGHTLINE_BODY_LIMIT_BYTES")]
    pub body_limit_bytes: Option<usize>,
    /// Sustained requests per second allowed per API key.
    #[arg(long, env = "SIGHTLINE_RATE_LIMIT_PER_SECOND")]
    pub rate_limit_per_second: Option<u32>,
    /// Burst of requests allowed per API key above the sustained rate.
    #[arg(long, env = "SIGHTLINE_RATE_LIMIT_BURST")]
    pub rate_limit_burst: Option<u32>,
    /// Do not serve the `/demo` reference integration (it is unauthenticated and writes to a
    /// `demo` test tenant; turn it off in production).
    #[arg(long, env = "SIGHTLINE_NO_DEMO")]
    pub no_demo: bool,
    /// Data directory with the enrichment datasets (`scripts/data-fetch.sh` fills it;
    /// default `data`). The service starts without them and reports degraded modules.
    #[arg(long, env = "SIGHTLINE_DATA_DIR")]
    pub data_dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TenantsCommand {
    /// Create a tenant and its first API key.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "test")]
        mode: String,
    },
    /// List tenants.
    List,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create an API key for a tenant (by id or name); the secret is printed once.
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
    /// List a tenant's API keys (prefixes only).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Revoke an API key.
    Revoke {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        key: String,
    },
    /// The browser agent's sealing keys (P-256; the private half never leaves the server).
    #[command(subcommand)]
    Agent(AgentKeysCommand),
}

#[derive(Debug, Subcommand)]
pub enum AgentKeysCommand {
    /// Add a new sealing key; agents served from now on use it, older keys keep opening
    /// payloads until retired.
    Rotate {
        #[arg(long)]
        tenant: String,
    },
    /// List a tenant's sealing keys (public halves only).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Retire a key: payloads sealed to it are refused from now on.
    Retire {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        key_id: u32,
    },
}
